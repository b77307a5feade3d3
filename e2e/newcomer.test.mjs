// Issue 24's newcomer study, as a newcomer would meet it: a permalink to a
// torn trace says where it goes before the threads from its first paint,
// a number key never silently cuts a loaded trace, a lesson's completion is
// announced where the student is, a changed lesson scenario can be put
// back, and choosing a new preset is not compared with the old one.

import assert from "node:assert/strict";
import { test } from "node:test";
import { assertAccessible, useSite } from "./helpers.mjs";
import { LivePage } from "./pages/live-page.mjs";
import { TORN_INTERLEAVING } from "./pages/stepper-page.mjs";
import { TourPage } from "./pages/tour-page.mjs";

const environment = useSite();

/** The number key of the line whose step id is `id`. */
async function numberOf(page, id) {
  return page.locator(`li:has(> [data-testid="step-${id}"])`).getAttribute("data-number");
}

/** The permalink of the same-low-none tear, taken by hand. */
async function tornLink() {
  let link;
  await environment.withPage("newcomer-0-torn-link", "", LivePage, async (explorer) => {
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await explorer.waitForVerdict("TORN");
    link = await explorer.permalinkField.inputValue();
  });
  return link.slice(environment.site.url.length);
}

test("a permalink to a torn trace shows its final verdict before the threads on first paint", async () => {
  const path = await tornLink();
  await environment.withPage("newcomer-1-torn-permalink", path, LivePage, async (explorer, page) => {
    // The trace opens at its start (every loaded trace does)…
    await explorer.waitForPosition(`step 0 of ${TORN_INTERLEAVING.length}`);
    // …and the walk-through bar already says where it ends, in the first
    // screen, above the threads.
    const end = page.getByTestId("walk-trace-end");
    assert.equal(await end.getAttribute("data-verdict"), "torn");
    assert.match(
      await end.textContent(),
      /This trace ends at step 9: reader 1 returned 0x0000000000001067, ✖ TORN/,
    );
    const endBox = await end.boundingBox();
    const threadsBox = await explorer.threadsTitle.boundingBox();
    assert.ok(endBox.y + endBox.height <= page.viewportSize().height, `the end is at ${endBox.y} px, below the first screen`);
    assert.ok(endBox.y < threadsBox.y, "the trace's end comes before the threads");
    // End is one click away and shows it.
    await explorer.endButton.click();
    await explorer.waitForVerdict("TORN");
    assert.equal(await end.count(), 0, "at its end the bar shows the verdict itself");
    await assertAccessible(page, "a linked torn trace at its start");
  });
});

test("a number key steps a loaded trace, or says it would cut it", async () => {
  const path = await tornLink();
  await environment.withPage("newcomer-2-keys-and-trace", path, LivePage, async (explorer, page) => {
    await explorer.waitForPosition("step 0 of 9");
    // The trace's next step is the reader's irq_off: its key steps the trace.
    await page.keyboard.press(await numberOf(page, "r1.off"));
    await explorer.waitForPosition("step 1 of 9");
    // The writer's first line is offered but is not the trace's next step.
    await page.keyboard.press(await numberOf(page, "w1"));
    await explorer.keyNotice.filter({ hasText: "would cut the 8 steps left of the loaded trace" }).waitFor();
    assert.match(await explorer.keyNotice.textContent(), /Press → or \d to step the trace/);
    await explorer.waitForPosition("step 1 of 9");
    // → still walks the whole trace.
    await page.keyboard.press("ArrowRight");
    await explorer.waitForPosition("step 2 of 9");
  });
});

test("a completed lesson is announced in the walk-through bar, where the student is", async () => {
  await environment.withPage("newcomer-3-lesson-complete", "#lesson=3", TourPage, async (tour, page) => {
    await tour.waitForLesson(3);
    await tour.showMeButton.click();
    await tour.playerEndEnabled.click();
    const announced = page.getByTestId("walk-lesson");
    await announced.filter({ hasText: "Lesson 3 complete" }).waitFor();
    assert.equal(await announced.getAttribute("role"), "status", "said to screen readers");
    const box = await announced.boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= page.viewportSize().height, `announced at ${box.y} px, out of view`);
    await page.getByTestId("walk-lesson-next").click();
    await tour.waitForLesson(4);
  });
});

test("a changed lesson scenario is said, and restored by one button", async () => {
  await environment.withPage("newcomer-4-lesson-restore", "#lesson=3", TourPage, async (tour, page) => {
    await tour.waitForLesson(3);
    await tour.chooseModel("weak");
    const changed = page.getByTestId("lesson-changed");
    await changed.waitFor();
    assert.match(await changed.textContent(), /You changed the lesson's scenario \(model weak\)/);
    await page.getByTestId("lesson-restore").click();
    await changed.waitFor({ state: "detached" });
    await page.locator('[data-testid="model-sc"]:checked').waitFor({ state: "attached" });
    await tour.waitForLesson(3);
  });
});

test("a new preset is not compared with the one before; an edit is", async () => {
  await environment.withPage("newcomer-5-no-comparison-across-presets", "", LivePage, async (explorer, page) => {
    await explorer.waitForAnswer("weak", "never");
    await explorer.choosePreset("same-low-none");
    await explorer.waitForAnswer("sc", "sometimes");
    await explorer.waitForAnswer("weak", "sometimes");
    assert.equal(await page.getByTestId("what-changed").count(), 0, "no comparison with the kernel's preset");
    // An edit of it is compared: the IPI flush removes the tear.
    await explorer.openEditor();
    await page.getByTestId("flush-select").selectOption("ipi");
    await explorer.waitForAnswer("sc", "never");
    await page.getByTestId("what-changed").waitFor();
  });
});
