// Issue 10, as a person would: replay a counterexample and walk it one step
// at a time with the answer in view, read why the memory model allowed each
// step that a stricter one would not have, and find the answer, the keys
// and the threads where the eye goes, on a wide and on a narrow screen.

import assert from "node:assert/strict";
import { test } from "node:test";
import { assertAccessible, useSite } from "./helpers.mjs";
import { StepperPage } from "./pages/stepper-page.mjs";

const environment = useSite();

/** Opens the explorer in a window of `viewport` (1280 × 800 by default). */
function withExplorer(name, body, viewport) {
  return environment.withPage(name, "", StepperPage, body, { viewport });
}

/** The part of `locator`'s box inside the window, and the window's height. */
async function placement(page, locator) {
  const box = await locator.boundingBox();
  const height = page.viewportSize().height;
  return { top: box.y, bottom: box.y + box.height, height };
}

/** Asserts that `locator` is wholly inside the window, below `cover` if given. */
async function assertInView(page, locator, what, cover) {
  const { top, bottom, height } = await placement(page, locator);
  const floor = cover ? (await placement(page, cover)).bottom : 0;
  assert.ok(top >= floor - 1 && bottom <= height + 1, `${what} is at ${top}–${bottom}, the window shows ${floor}–${height}`);
}

const REORDERING = /reader 1: r1 ← high was performed before r0 ← low: allowed because reader_rmb1 is off/;

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 400, height: 800 },
]) {
  test(`a weak-model torn read replayed and walked step by step at ${viewport.width} px`, async () => {
    await withExplorer(`walkthrough-1-weak-${viewport.width}`, async (explorer, page) => {
      await explorer.choosePreset("weak-no-rmb1");
      await explorer.exploreAll();
      // The torn values come first; replay the first one.
      const first = explorer.outcomeRows.first();
      assert.equal(await first.getAttribute("data-verdict"), "torn");
      await first.getByTestId("replay").click();
      await explorer.waitForPosition("step 0 of");
      assert.equal(await first.getAttribute("data-replayed"), "true", "the replayed row is marked");
      const [, total] = await explorer.position();

      let reorderingSeenAt;
      for (let step = 1; step <= total; step += 1) {
        // The keyboard (→) and the button both step forward.
        if (step % 2 === 0) {
          await page.keyboard.press("ArrowRight");
        } else {
          await explorer.forwardButton.click();
        }
        await explorer.waitForPosition(`step ${step} of ${total}`);
        await assertInView(page, explorer.walkVerdict, `the verdict at step ${step}`);
        await assertInView(page, explorer.justRanLine, `the line of step ${step}`, explorer.walk);
        if ((await explorer.walkWhy.count()) > 0 && REORDERING.test(await explorer.walkWhy.textContent())) {
          reorderingSeenAt = step;
          // The same sentence on the code line that ran early.
          assert.match(await explorer.line("r1.r1").textContent(), REORDERING);
          assert.equal(await explorer.line("r1.r1").getAttribute("data-ran-at"), String(step));
        }
      }
      assert.ok(reorderingSeenAt, "the reordering is explained at the step that needed it");
      assert.equal(await explorer.walkVerdict.getAttribute("data-verdict"), "torn");
      // The verdict says why the model allowed the read.
      assert.match(await explorer.verdict.textContent(), REORDERING);
      // r1's line shows an earlier step number than r0's: r1 ran first.
      const r1 = Number(await explorer.line("r1.r1").getAttribute("data-ran-at"));
      const r0 = Number(await explorer.line("r1.r0").getAttribute("data-ran-at"));
      assert.ok(r1 < r0, `r1 ran in step ${r1}, r0 in step ${r0}`);
      await assertAccessible(page, `the walk-through at ${viewport.width} px`);
    }, viewport);
  });
}

test("under x86-TSO a read past a buffered store says so", async () => {
  await withExplorer("walkthrough-2-tso", async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.chooseModel("tso");
    // The scenario keeps its name and explanation, with the change named.
    assert.match(await explorer.scenarioName.textContent(), /Same low half, no flush \(changed: model tso\)/);
    assert.match(await page.getByTestId("summary-name").textContent(), /Same low half, no flush \(changed: model tso\)/);
    assert.match(await page.getByTestId("preset-explanation").textContent(), /reuses the old low half/);
    await explorer.takeSteps(["w1", "r1.off", "r1.r0"]);
    const sentence = /writer: low ← 0x00000000 \(Z\) was still in the store buffer when reader 1 read low/;
    assert.match(await explorer.walkWhy.textContent(), sentence);
    assert.match(await explorer.line("r1.r0").textContent(), sentence);
    assert.match(await page.getByTestId("trace").textContent(), sentence);
  });
});

test("the skip link moves to the threads and leaves the permalink alone", async () => {
  await withExplorer("walkthrough-3-skip-link", async (explorer, page) => {
    await explorer.takeSteps(["w1"]);
    const before = page.url();
    const skip = page.getByRole("link", { name: "Skip to the threads" });
    await skip.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "threads-title");
    assert.equal(page.url(), before, "the address still holds the permalink");
    assert.equal(await explorer.linkError.count(), 0, "no alert");
    // Even an anchor typed into the address is put back, without an alert.
    await page.evaluate(() => {
      window.location.hash = "threads-title";
    });
    await page.waitForFunction((expected) => window.location.href === expected, before);
    assert.equal(await explorer.linkError.count(), 0, "no alert");
  });
});

test("e runs Explore all, reached in a few Tab presses from the top", async () => {
  await withExplorer("walkthrough-4-explore-key", async (explorer, page) => {
    let presses = 0;
    while (presses < 60) {
      await page.keyboard.press("Tab");
      presses += 1;
      if (await explorer.exploreButton.evaluate((element) => element === document.activeElement)) {
        break;
      }
    }
    console.log(`Tab presses to Explore all: ${presses}`);
    assert.ok(presses <= 5, `${presses} Tab presses to Explore all`);
    await page.keyboard.press("e");
    await explorer.exploreResult.waitFor({ timeout: 60_000 });
    assert.equal(await explorer.exploreResult.getAttribute("data-torn"), "Never");
  });
});

test("step numbers stay on their lines when another thread blocks, and a number that runs nothing says why", async () => {
  await withExplorer("walkthrough-5-numbers", async (explorer, page) => {
    // The kernel protocol: 1 is the writer's line, 2 the reader's.
    const number = (id) => page.locator(`[data-testid="step-${id}"] kbd`);
    await page.keyboard.press("1");
    await page.keyboard.press("1");
    await page.keyboard.press("2");
    await page.locator('[data-testid="step-r1.r0"][aria-disabled="false"]').waitFor();
    // The IPI flush is blocked by the reader's interrupts-off section: it
    // keeps number 1, and the reader's line keeps number 2.
    assert.equal(await page.getByTestId("step-w3").getAttribute("aria-disabled"), "true");
    assert.equal(await number("w3").textContent(), "1");
    assert.equal(await number("r1.r0").textContent(), "2");
    await page.keyboard.press("1");
    await explorer.keyNotice.filter({ hasText: "Key 1 runs nothing" }).waitFor();
    assert.match(await explorer.keyNotice.textContent(), /writer: TLB flush cannot run yet: flush waits: reader 1 has interrupts off/);
    await page.keyboard.press("7");
    await explorer.keyNotice.filter({ hasText: "Key 7 runs nothing" }).waitFor();
    await assertAccessible(page, "a key's notice");
    await page.keyboard.press("2");
    await page.locator('[data-testid="line-r1.r0"][data-ran-at="4"]').waitFor();
    assert.equal(await explorer.keyNotice.textContent(), "", "the next key clears the notice");
    assert.equal(await number("r1.r1").textContent(), "2", "the reader's next line takes its number");
  });
});

test("at 400 px the first screen shows the verdict and the threads, and the editor folds", async () => {
  await withExplorer(
    "walkthrough-6-narrow",
    async (explorer, page) => {
      const verdict = await placement(page, explorer.verdict);
      const threads = await placement(page, explorer.threadsTitle);
      console.log(`at 400 px: verdict at y = ${Math.round(verdict.top)}, threads at y = ${Math.round(threads.top)}`);
      assert.ok(threads.top < verdict.height, `the threads start at y = ${threads.top}`);
      assert.equal(await explorer.editor.getAttribute("open"), null, "the editor is folded");
      await explorer.choosePreset("tso-no-barriers");
      await explorer.exploreAll();
      // Every Replay button can be reached without scrolling sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
      for (const button of await page.getByTestId("replay").all()) {
        const box = await button.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= 400, `a Replay button at x = ${box.x}–${box.x + box.width}`);
      }
      await assertAccessible(page, "the narrow page with results");
    },
    { width: 400, height: 800 },
  );
});

test("at 1920 px the verdict and the answer are at the top", async () => {
  await withExplorer(
    "walkthrough-7-wide",
    async (explorer, page) => {
      const verdict = await placement(page, explorer.verdict);
      const run = await placement(page, explorer.exploreButton);
      console.log(`at 1920 px: verdict at y = ${Math.round(verdict.top)}, Explore all at y = ${Math.round(run.top)}`);
      assert.ok(verdict.bottom < verdict.height && run.bottom < run.height, "both above the fold");
    },
    { width: 1920, height: 1080 },
  );
});
