// A documentation author copies the embed snippet of a torn interleaving; a
// reader of the documentation plays the trace inside the iframe, and cannot
// lose it by clicking around.

import assert from "node:assert/strict";
import { test } from "node:test";
import { openPage, saveScreenshot, useSite } from "./helpers.mjs";
import { EmbedPage } from "./pages/embed-page.mjs";
import { StepperPage, TORN_INTERLEAVING } from "./pages/stepper-page.mjs";

const environment = useSite();

/** The embed snippet of the torn interleaving of the same-low-none preset. */
async function tornSnippet() {
  let snippet;
  await environment.withPage("embed-1-source", "", StepperPage, async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await explorer.waitForVerdict("TORN");
    snippet = await page.getByTestId("embed-snippet").inputValue();
  });
  return snippet;
}

/**
 * Opens a documentation page of its own holding nothing but `snippet`, runs
 * `body(embed, page)` and asserts that nothing logged an error.
 */
async function withDocumentationPage(name, snippet, body) {
  const { page, errors } = await openPage(environment.browser);
  // The embed view never explores: it starts no web worker (which would
  // load and compile the WebAssembly a second time in every embed).
  const workers = [];
  page.on("worker", (worker) => workers.push(worker.url()));
  try {
    await page.setContent(`<!doctype html><html lang="en"><body><h1>Docs</h1>${snippet}</body></html>`);
    const embed = new EmbedPage(page, page.frameLocator("iframe"));
    await body(embed, page);
    assert.deepEqual(errors, [], "the page logged no errors");
    assert.deepEqual(workers, [], "the embed view started no web worker");
  } finally {
    await saveScreenshot(page, name);
    await page.context().close();
  }
}

test("the embed snippet plays a fixed trace inside an iframe", async () => {
  const snippet = await tornSnippet();
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1#v=3&amp;/);
  assert.match(snippet, /title="[^"]+"/, "the iframe has a title for screen readers");
  assert.match(snippet, /<\/iframe>\n<script>[\s\S]*"pte-explorer:height"[\s\S]*<\/script>$/);

  await withDocumentationPage("embed-2-iframe", snippet, async (embed) => {
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
  });
});

test("the embed keeps the linked trace: one set of controls, code lines are no steps", async () => {
  const snippet = await tornSnippet();
  await withDocumentationPage("embed-3-linked-trace", snippet, async (embed, page) => {
    await embed.waitForPosition("step 0 of 9");
    // Before playing, the header says where the trace ends, as the core judges it.
    assert.match(await embed.traceEnd.textContent(), /ends ✖ TORN 0x0000000000001067/);
    assert.equal(await embed.traceEnd.getAttribute("data-verdict"), "torn");

    // "Open in the full explorer" comes first, above the player.
    const linkBox = await embed.fullExplorerLink.boundingBox();
    const playerBox = await embed.start.boundingBox();
    assert.ok(linkBox.y < playerBox.y, `link at y=${linkBox.y}, player at y=${playerBox.y}`);

    // One set of step controls: the player's.
    assert.deepEqual(await embed.controlButtons.allInnerTexts(), ["⇤ Start", "◀ Step back", "Step forward ▶", "End ⇥"]);
    assert.equal(await embed.stepButtons.count(), 0, "code lines are not buttons");

    // The trace's next line is marked; clicking it, another line the full
    // explorer would run (w1), or pressing step-number keys changes nothing.
    assert.match(await embed.line("r1.off").getAttribute("class"), /\bnext\b/);
    await embed.line("r1.off").click();
    await embed.line("w1").click();
    // The clicks put the keyboard focus in the iframe.
    await page.keyboard.press("1");
    await page.keyboard.press("2");
    await embed.forward.click();
    await embed.waitForPosition("step 1 of 9");
    assert.equal(await embed.traceEntries.count(), 9, "all nine steps of the link are still there");
    assert.match(await embed.line("r1.r0").getAttribute("class"), /\bnext\b/, "the player moved the mark");
    await embed.end.click();
    await embed.waitForPosition("step 9 of 9");
    await embed.verdict.filter({ hasText: "TORN" }).waitFor();
    assert.match(await embed.traceEnd.textContent(), /ends ✖ TORN 0x0000000000001067/);
  });
});
