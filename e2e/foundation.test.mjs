// The site loads, the app renders, and it shows values that the core computed.

import assert from "node:assert/strict";
import { test } from "node:test";
import { useSite } from "./helpers.mjs";
import { ExplorerPage } from "./pages/explorer-page.mjs";

const { withPage } = useSite();

test("the explorer renders the initial page table entry computed by the core", async () => {
  await withPage("foundation", "", ExplorerPage, async (explorer) => {
    console.log(`first render: ${await explorer.firstRenderMilliseconds()} ms`);

    const initialPte = await explorer.initialPte.textContent();
    assert.match(initialPte, /0x[0-9a-fA-F]{16}\b/, "initial-pte shows a 64-bit hex value");

    const presentBit = await explorer.presentBit.textContent();
    assert.match(presentBit, /bit 0/, "present-bit names bit 0");
  });
});
