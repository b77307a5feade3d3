// What every page state must keep: no accessibility violations that axe-core
// can find (labels, names, contrast, ARIA), no sideways scrolling on a narrow
// screen, working without the network once loaded, and stepping by keyboard.

import assert from "node:assert/strict";
import { test } from "node:test";
import { assertAccessible, useSite } from "./helpers.mjs";
import { StepperPage, TORN_INTERLEAVING } from "./pages/stepper-page.mjs";

const environment = useSite();
test("the page has no accessibility violations in its main states", async () => {
  await environment.withPage("quality-1-accessibility", "", StepperPage, async (explorer, page) => {
    await assertAccessible(page, "the default page");
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await explorer.waitForVerdict("TORN");
    await explorer.exploreAll();
    await assertAccessible(page, "a torn read with the explore-all table");
    // The weak model shows blocked steps with their reasons.
    await explorer.choosePreset("weak-no-rmb1");
    await explorer.takeSteps(["r1.off"]);
    await assertAccessible(page, "the weak model with blocked steps");
  });
});

test("the embed view has no accessibility violations", async () => {
  await environment.withPage("quality-2-embed-accessibility", "?embed=1", StepperPage, async (_explorer, page) => {
    await assertAccessible(page, "the embed view");
  });
});

test("a narrow screen never scrolls sideways", async () => {
  await environment.withPage("quality-3-narrow", "", StepperPage, async (explorer, page) => {
    await page.setViewportSize({ width: 400, height: 800 });
    await explorer.choosePreset("tso-no-barriers");
    await explorer.takeSteps(["w1", "r1.off"]);
    await explorer.exploreAll();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than a 400 px screen`);
  });
});

test("a narrow embed view still says the scenario's settings (it has no editor to show them)", async () => {
  await environment.withPage("quality-3-narrow-embed", "?embed=1", StepperPage, async (_explorer, page) => {
    await page.setViewportSize({ width: 400, height: 800 });
    const summary = page.locator(".summary");
    assert.ok(await page.getByTestId("initial-pte").isVisible(), "the initial PTE is shown");
    assert.match(await summary.innerText(), /present bit: bit 0 \(low half\).*TLB flush: ipi/s);
  });
});

test("once loaded, the page works offline", async () => {
  await environment.withPage("quality-4-offline", "", StepperPage, async (explorer, page) => {
    // Loaded means started: the web worker's files too.
    await explorer.waitUntilStarted();
    const requests = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.context().setOffline(true);
    // The paravirt flush (w3) does not wait for the reader's interrupts-off section.
    await explorer.choosePreset("same-low-paravirt");
    await explorer.takeSteps(["r1.off", "r1.r0", "w1", "w2", "r1.r1", "w3", "w4", "w5", "r1.r2", "r1.chk"]);
    await explorer.waitForVerdict("TORN");
    await explorer.exploreAll();
    assert.match(await explorer.exploreResult.textContent(), /Torn read: Sometimes/);
    assert.deepEqual(requests, [], "no request after loading");
  });
});

test("number keys run the numbered steps", async () => {
  await environment.withPage("quality-5-keyboard", "", StepperPage, async (explorer, page) => {
    // In the kernel protocol's first state, step 1 is the writer's first
    // store and step 2 the reader's irq_off.
    await page.keyboard.press("2");
    await page.locator('[data-testid="step-r1.r0"][aria-disabled="false"]').waitFor();
    await page.keyboard.press("1");
    await page.locator('[data-testid="step-w2"][aria-disabled="false"]').waitFor();
    assert.equal(await explorer.stepsTaken(), 2);
    assert.match(await page.getByTestId("trace").textContent(), /reader 1: irq_off[\s\S]*writer: low ← 0x00000000/);
  });
});
