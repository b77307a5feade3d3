// The page on a phone (390 × 844, issue 24, items 27 and 28): the scenario
// picker within one screen of the top, a compact walk-through bar, no tap
// target under 24 × 24 px (WCAG 2.2's target size, axe-core's rule), tables
// that do not scroll sideways, the lesson list folding once a lesson is
// chosen, and the page's first paint on a slow connection before its
// WebAssembly has arrived.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { test } from "node:test";
import { openPage, useSite } from "./helpers.mjs";
import { StepperPage, TORN_INTERLEAVING } from "./pages/stepper-page.mjs";

const PHONE = { width: 390, height: 844 };

/**
 * Chrome DevTools' "Slow 3G" figures before its round-trip multiplier:
 * 400 kbit/s each way (50,000 bytes/s) and 400 ms of latency per request.
 */
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };

const environment = useSite();

/** The top and height of an element in page coordinates (scrolling included), rounded. */
async function pageBox(locator) {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return { top: Math.round(box.top + window.scrollY), height: Math.round(box.height) };
  });
}

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's WCAG 2.2 target-size rule (24 × 24 px, or enough space around a
 * smaller target), and the smallest visible clickable element that is not a
 * link inside a sentence (which WCAG exempts), for the report.
 */
async function tapTargets(page) {
  // From the top of the page: scrolled down, whatever line sits at the
  // window's top edge is partly under the sticky walk-through bar, which
  // axe counts as an obscured target wherever the scrolling happened to stop.
  await page.evaluate(() => window.scrollTo(0, 0));
  // Evaluated through the DevTools protocol: the page's policy refuses an added <script>.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ["target-size"] });
    const violations = result.violations.flatMap((violation) =>
      violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary}`),
    );
    let smallest = null;
    const clickable = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    for (const element of document.querySelectorAll(clickable)) {
      const box = element.getBoundingClientRect();
      // Hidden (in a folded section too), moved off the screen (the skip
      // link), or a link in a sentence.
      if (!element.checkVisibility() || box.width <= 1 || box.height <= 1 || box.right <= 0 || element.closest("p")) {
        continue;
      }
      const size = Math.min(box.width, box.height);
      if (smallest === null || size < smallest.size) {
        smallest = { size: Math.round(size * 10) / 10, what: element.outerHTML.slice(0, 80) };
      }
    }
    return { violations, smallest };
  });
}

async function assertTapTargets(page, what) {
  const { violations, smallest } = await tapTargets(page);
  console.log(`${what}: smallest tap target ${smallest?.size} px (${smallest?.what})`);
  assert.deepEqual(violations, [], `${what}: tap targets under 24 × 24 px`);
}

test("on a phone the scenario picker is within one screen of the top", async () => {
  await environment.withPage("phone-1-picker", "", StepperPage, async (explorer, page) => {
    const summary = await pageBox(explorer.editor.locator("summary"));
    console.log(`scenario picker (the editor's summary) at y = ${summary.top} px, ${summary.height} px high`);
    assert.ok(summary.top + summary.height <= PHONE.height, `the scenario picker is at y = ${summary.top} px`);
    await explorer.openEditor();
    const list = await pageBox(explorer.presetList);
    console.log(`the preset list, opened, at y = ${list.top} px`);
    assert.ok(list.top < PHONE.height, `the preset list starts at y = ${list.top} px, below the first screen`);
    // Every preset can be found: grouped under headings, Jann Horn's among them.
    const groups = await explorer.presetList.locator("fieldset legend").allTextContents();
    assert.ok(groups.length >= 4, `the presets are grouped by topic: ${JSON.stringify(groups)}`);
    await explorer.choosePreset("jann-two-cycles");
    // Touch screens have no use for the keyboard's table.
    assert.equal(await page.locator(".shortcuts").isVisible(), false, "the keyboard table is hidden on a phone");
  }, { viewport: PHONE });
});

test("on a phone the walk-through bar is compact and no table scrolls sideways", async () => {
  await environment.withPage("phone-2-walk", "", StepperPage, async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.takeSteps(TORN_INTERLEAVING);
    await explorer.waitForVerdict("TORN");
    const bar = await pageBox(explorer.walk);
    console.log(`walk-through bar: ${bar.height} px of ${PHONE.height}`);
    assert.ok(bar.height <= PHONE.height / 5, `the walk-through bar takes ${bar.height} of ${PHONE.height} px`);
    const scrolling = await page.evaluate(() =>
      [...document.querySelectorAll(".state-view .table-scroll")]
        .filter((box) => box.scrollWidth > box.clientWidth)
        .map((box) => `${box.getAttribute("aria-labelledby")}: ${box.scrollWidth} px in ${box.clientWidth} px`),
    );
    assert.deepEqual(scrolling, [], "the state's tables fit the phone's width");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
    await assertTapTargets(page, "a torn read on a phone");
  }, { viewport: PHONE });
});

test("on a phone no tap target is under 24 × 24 px, and the lesson list folds once a lesson is chosen", async () => {
  await environment.withPage("phone-3-targets", "", StepperPage, async (explorer, page) => {
    await assertTapTargets(page, "the default page on a phone");
    const list = page.getByTestId("tour-list");
    await list.locator("summary").click();
    await page.locator('[data-testid="tour-list"][open]').waitFor({ state: "attached" });
    await page.getByTestId("lesson-link-3").click();
    await page.locator('[data-testid="lesson"][data-lesson="3"]').waitFor();
    assert.equal(await list.getAttribute("open"), null, "the lesson list folds once a lesson is chosen");
    const threads = await pageBox(explorer.threadsTitle);
    console.log(`with lesson 3 open, the threads start at y = ${threads.top} px`);
    await assertTapTargets(page, "a lesson on a phone");
    await explorer.openEditor();
    await assertTapTargets(page, "the editor opened on a phone");
  }, { viewport: PHONE });
});

test("on a slow connection the page paints its title and introduction before the app arrives", async () => {
  const { page, errors } = await openPage(environment.browser, { viewport: PHONE });
  try {
    const devtools = await page.context().newCDPSession(page);
    await devtools.send("Network.enable");
    await devtools.send("Network.emulateNetworkConditions", SLOW_3G);
    // The app's WebAssembly takes many seconds to arrive at this speed.
    page.setDefaultTimeout(120_000);
    await page.goto(environment.site.url, { waitUntil: "commit" });
    const firstPaint = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const found = () => performance.getEntriesByName("first-contentful-paint")[0];
          if (found()) {
            resolve(found().startTime);
            return;
          }
          new PerformanceObserver(() => found() && resolve(found().startTime)).observe({ type: "paint", buffered: true });
        }),
    );
    console.log(`first contentful paint under slow 3G: ${Math.round(firstPaint)} ms`);
    assert.ok(firstPaint < 1500, `first contentful paint after ${Math.round(firstPaint)} ms`);
    // Before the app: the title, the introduction and a loading line.
    const loading = page.getByTestId("page-loading");
    assert.match(await loading.locator("h1").textContent(), /ptep_get_lockless\(\) interleaving explorer/);
    assert.match(await loading.getByRole("status").textContent(), /Loading the explorer/);
    const words = (text) => text.replace(/\s+/g, " ").trim();
    const introduction = words(await loading.locator(".intro").textContent());
    // Then the app, which replaces the page's own copy (Yew empties the body it mounts in).
    await new StepperPage(page).waitUntilReady();
    assert.equal(await loading.count(), 0, "the page's own copy is gone once the app runs");
    assert.equal(await page.locator("h1").count(), 1, "one title once the app runs");
    assert.equal(
      introduction,
      words(await page.locator(".app .page-header .intro").textContent()),
      "index.html's introduction is the app's",
    );
    assert.deepEqual(errors, [], "the page logged no errors");
  } finally {
    await page.context().close();
  }
});
