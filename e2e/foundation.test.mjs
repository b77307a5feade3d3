// The site loads, the app renders, and it shows values that the core computed.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, openPage, saveScreenshot, startSite } from "./helpers.mjs";
import { ExplorerPage } from "./pages/explorer-page.mjs";

let site;
let browser;

before(async () => {
  site = await startSite();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test("the explorer renders the initial page table entry computed by the core", async () => {
  const { page, errors } = await openPage(browser);
  const explorer = new ExplorerPage(page);
  try {
    await explorer.open(site.url);
    console.log(`first render: ${await explorer.firstRenderMilliseconds()} ms`);

    const initialPte = await explorer.initialPte.textContent();
    assert.match(initialPte, /0x[0-9a-fA-F]{16}\b/, "initial-pte shows a 64-bit hex value");

    const presentBit = await explorer.presentBit.textContent();
    assert.match(presentBit, /bit 0/, "present-bit names bit 0");

    assert.deepEqual(errors, [], "the page logged no errors");
  } catch (error) {
    // The page's own errors usually say why it did not render.
    error.message += errors.length > 0 ? `\npage errors:\n  ${errors.join("\n  ")}` : "";
    throw error;
  } finally {
    // Also on failure: the picture shows what the page looked like.
    await saveScreenshot(page, "foundation");
  }
});
