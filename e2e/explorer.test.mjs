// A person steps the protocol, finds a torn read by hand and by "Explore all",
// and shares the state as a link; a broken link gets a clear message.

import assert from "node:assert/strict";
import { test } from "node:test";
import { useSite } from "./helpers.mjs";
import { StepperPage, TORN_INTERLEAVING } from "./pages/stepper-page.mjs";

const environment = useSite();

/** Opens the explorer at `path` as a `StepperPage`; see `useSite`. */
function withExplorer(name, path, body) {
  return environment.withPage(name, path, StepperPage, body);
}

test("stepping the kernel protocol ends in an allowed read", async () => {
  await withExplorer("explorer-1-allowed", "", async (explorer) => {
    console.log(`first render: ${await explorer.firstRenderMilliseconds()} ms`);
    // The writer zaps the entry, then the reader reads it: nothing present.
    await explorer.takeSteps(["w1", "w2", "r1.off", "r1.r0", "r1.r1", "r1.r2"]);
    assert.match(await explorer.verdict.textContent(), /No read has completed yet/);
    await explorer.takeSteps(["r1.chk"]);
    await explorer.waitForVerdict("Allowed: not present");
    assert.equal(await explorer.verdict.getAttribute("data-verdict"), "allowed");
    assert.equal(await explorer.stepsTaken(), 7);

    // Undo by keyboard goes back before the check; redo brings it back.
    await explorer.page.keyboard.press("u");
    await explorer.verdict.filter({ hasText: "No read has completed yet" }).waitFor();
    await explorer.page.keyboard.press("r");
    await explorer.waitForVerdict("Allowed: not present");
  });
});

test("with the same low half and no flush, one interleaving tears", async () => {
  await withExplorer("explorer-2-torn", "", async (explorer) => {
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await explorer.waitForVerdict("TORN");
    const verdict = await explorer.verdict.textContent();
    assert.match(verdict, /0x0000000000001067/, "P0's low half with a zeroed high half");
    assert.match(verdict, /Low half from P0 \(initial\), high half from Z \(writer op 1\)/);
  });
});

test("Explore all finds the torn read and replays its witness", async () => {
  await withExplorer("explorer-3-explore-replay", "", async (explorer) => {
    await explorer.choosePreset("same-low-none");
    await explorer.exploreAll();
    assert.equal(await explorer.exploreResult.getAttribute("data-torn"), "Sometimes");
    assert.match(await explorer.exploreResult.textContent(), /Torn read: Sometimes/);
    const torn = explorer.outcomesWithVerdict("torn");
    assert.ok((await torn.count()) >= 1, "a torn outcome is listed");
    await torn.first().getByTestId("replay").click();
    // The replay starts at its first step; End walks it to the torn read.
    const [cursor, total] = await explorer.position();
    assert.equal(cursor, 0);
    assert.ok(total > 0);
    await explorer.endButton.click();
    await explorer.waitForVerdict("TORN");
    assert.equal(await explorer.stepsTaken(), total);
  });
});

test("a permalink opened in a new page shows the same state", async () => {
  let link;
  let words;
  let steps;
  await withExplorer("explorer-4a-permalink-source", "", async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING.slice(0, 6));
    await explorer.copyLinkButton.click();
    // Either the clipboard took it or the page asks to copy it by hand.
    await page.getByRole("status").filter({ hasText: /Copied the link|Could not copy automatically/ }).waitFor();
    link = await explorer.permalinkField.inputValue();
    await page.waitForFunction((expected) => window.location.href === expected, link);
    words = await explorer.memoryWords();
    steps = await explorer.stepsTaken();
  });
  assert.match(link, /#v=3&/);

  await withExplorer("explorer-4b-permalink-opened", link.slice(environment.site.url.length), async (explorer) => {
    // The link opens at the start of its trace; End shows the same state.
    await explorer.waitForPosition(`step 0 of ${steps}`);
    await explorer.endButton.click();
    await explorer.waitForPosition(`step ${steps} of ${steps}`);
    assert.equal(await explorer.stepsTaken(), steps);
    assert.deepEqual(await explorer.memoryWords(), words);
    assert.equal(await explorer.permalinkField.inputValue(), link);
    assert.equal(await explorer.linkError.count(), 0);
  });
});

test("a broken permalink shows a clear message and the default scenario", async () => {
  await withExplorer("explorer-5-broken-link", "#v=1&model=arm&bit=0", async (explorer) => {
    await explorer.linkError.waitFor();
    assert.equal(await explorer.linkError.getAttribute("role"), "alert");
    const message = await explorer.linkError.textContent();
    assert.match(message, /This link could not be read/);
    assert.match(message, /model="arm"/, "names the bad parameter");
    assert.match(await explorer.initialPte.textContent(), /0x0000000100001067/);
    assert.equal(await explorer.stepsTaken(), 0);
  });
});
