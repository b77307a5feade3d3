// A documentation author copies the embed snippet of a torn interleaving; a
// reader of the documentation plays the trace inside the iframe.

import assert from "node:assert/strict";
import { test } from "node:test";
import { openPage, saveScreenshot, useSite } from "./helpers.mjs";
import { EmbedPage } from "./pages/embed-page.mjs";
import { StepperPage, TORN_INTERLEAVING } from "./pages/stepper-page.mjs";

const environment = useSite();

test("the embed snippet plays a fixed trace inside an iframe", async () => {
  let snippet;
  await environment.withPage("embed-1-source", "", StepperPage, async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await explorer.waitForVerdict("TORN");
    snippet = await page.getByTestId("embed-snippet").inputValue();
  });
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1#v=1&amp;/);
  assert.match(snippet, /title="[^"]+"/, "the iframe has a title for screen readers");

  // A documentation page of its own, holding nothing but the snippet.
  const { page, errors } = await openPage(environment.browser);
  try {
    await page.setContent(`<!doctype html><html lang="en"><body><h1>Docs</h1>${snippet}</body></html>`);
    const frame = page.frameLocator("iframe");
    const embed = new EmbedPage(page, frame);
    await embed.waitForPosition("step 0 of 9");
    assert.equal(await embed.presetMenu.count(), 0, "no scenario editor in the embed view");
    assert.match(await embed.verdict.textContent(), /No read has completed yet/);

    await embed.forward.click();
    await embed.waitForPosition("step 1 of 9");
    await embed.end.click();
    await embed.waitForPosition("step 9 of 9");
    await embed.verdict.filter({ hasText: "TORN" }).waitFor();
    await embed.back.click();
    await embed.waitForPosition("step 8 of 9");
    assert.match(await embed.verdict.textContent(), /No read has completed yet/);
    assert.equal(await embed.fullExplorerLink.count(), 1);
    assert.deepEqual(errors, [], "the page logged no errors");
  } finally {
    await saveScreenshot(page, "embed-2-iframe");
    await page.context().close();
  }
});
