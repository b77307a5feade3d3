// The execution as pictures, as a teacher would use them: the torn read's
// two rf arrows start at P0's low half and the zap's high store; a timeline
// row takes the trace back there; both fit a narrow screen and pass axe-core.

import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { SCREENSHOT_DIRECTORY, assertAccessible, useSite } from "./helpers.mjs";
import { StepperPage, TORN_INTERLEAVING } from "./pages/stepper-page.mjs";

const environment = useSite();

/** The event an arrow starts at, by the picture's data attributes. */
async function sourceOf(page, arrow) {
  const from = await arrow.getAttribute("data-from");
  const event = page.locator(`[data-testid="picture"] [data-event="${from}"]`);
  return {
    thread: await event.getAttribute("data-thread"),
    word: await event.getAttribute("data-word"),
    label: await event.getAttribute("data-label"),
  };
}

test("the graph's highlighted rf arrows start at the writes the verdict names", async () => {
  await environment.withPage("pictures-1-graph", "", StepperPage, async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await explorer.waitForVerdict("TORN");
    const arrows = page.locator('[data-testid="picture"] .edge.rf.highlight.torn');
    assert.equal(await arrows.count(), 2);
    const sources = [await sourceOf(page, arrows.nth(0)), await sourceOf(page, arrows.nth(1))];
    assert.deepEqual(sources[0], { thread: "init", word: "low", label: "low = 0x00001067 (P0)" });
    assert.equal(sources[1].thread, "writer");
    assert.equal(sources[1].word, "high");
    assert.match(sources[1].label, /high ← 0x00000000 \(Z\)/);
    await mkdir(SCREENSHOT_DIRECTORY, { recursive: true });
    await page.getByTestId("picture").screenshot({ path: join(SCREENSHOT_DIRECTORY, "pictures-graph.png") });
    await assertAccessible(page, "the page with the execution graph");
  });
});

test("a timeline row takes the trace back to that step", async () => {
  await environment.withPage("pictures-2-timeline", "", StepperPage, async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await page.getByTestId("picture-timeline").check();
    await page.locator('[data-testid="picture"] .timeline').waitFor();
    await page.locator('[data-testid="picture"] [data-step="4"] .row-number').click();
    await page.getByRole("heading", { name: "State after 4 steps" }).waitFor();
    assert.equal(await explorer.memoryHigh.textContent(), "0x00000000", "after the zap's two stores");
    await assertAccessible(page, "the page with the timeline");
  });
});

test("the pictures scroll inside their box on a 400 px screen", async () => {
  await environment.withPage("pictures-3-narrow", "", StepperPage, async (explorer, page) => {
    await page.setViewportSize({ width: 400, height: 800 });
    await explorer.choosePreset("jann-two-cycles");
    await explorer.takeSteps(["r1.off", "r1.r0", "w1", "w2"]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than a 400 px screen`);
  });
});

test("the embed view shows the graph with view=graph", async () => {
  const link =
    "v=2&model=sc&bit=0&writer=zap,flush,establish&p0=100001067&z=0&p=300001067&readers=1&flush=none" +
    "&off=zap_wmb2,establish_wmb2&t=r1.off,r1.r0,w1,w2,r1.r1,w3,w4,r1.r2,r1.chk";
  await environment.withPage("pictures-4-embed", `?embed=1&view=graph#${link}`, StepperPage, async (_explorer, page) => {
    await page.locator('[data-testid="picture"] .execution-graph').waitFor();
  });
  await environment.withPage("pictures-5-embed-plain", `?embed=1#${link}`, StepperPage, async (_explorer, page) => {
    assert.equal(await page.getByTestId("picture").count(), 0, "without view=graph the embed stays compact");
  });
});
