// How long a step takes to show (issue 24, item 18): on the 3 cycles × 3
// readers x86-TSO link, once the live answers are in, the time from a click
// on a code line to the frame after the page drew the step, measured in the
// browser (the click's timestamp, then the next animation frame and a task
// after it, which runs once that frame is painted). Printed, never
// asserted: a timed assertion fails on a busy machine.

import assert from "node:assert/strict";
import { test } from "node:test";
import { useSite } from "./helpers.mjs";
import { LivePage } from "./pages/live-page.mjs";

const environment = useSite();

/** 3 cycles of zap, flush, establish; 3 readers; flush none; x86-TSO. */
const THREE_BY_THREE =
  "#v=2&model=tso&bit=0&writer=zap,flush,establish,zap,flush,establish,zap,flush,establish" +
  "&p0=100001067&z=0&p=300002067,500003067,700004067&readers=3&flush=none&off=zap_wmb2,establish_wmb2";

const CLICKS = 24;

/**
 * Records, for every click, the milliseconds to the frame after it, and the
 * browser's Event Timing entries of the clicks (the handler's time, in
 * which Yew draws the step, against the whole time to the next paint).
 */
function recordClickToPaint() {
  window.__clickToPaint = [];
  window.__clickHandling = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === "click") {
        window.__clickHandling.push(entry.processingEnd - entry.processingStart);
      }
    }
  }).observe({ type: "event", durationThreshold: 16, buffered: false });
  document.addEventListener(
    "click",
    (event) => {
      const clicked = event.timeStamp;
      requestAnimationFrame(() => {
        setTimeout(() => window.__clickToPaint.push(performance.now() - clicked), 0);
      });
    },
    true,
  );
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

test("3 cycles × 3 readers: click on a code line to painted step (printed)", async () => {
  await environment.withPage("step-speed-3x3", THREE_BY_THREE, LivePage, async (explorer, page) => {
    await explorer.waitUntilStarted();
    await page.evaluate(recordClickToPaint);
    // Readers and writer in turn: always the first line that can run.
    const offered = page.locator('.threads [data-testid^="step-"][aria-disabled="false"]');
    for (let click = 0; click < CLICKS; click += 1) {
      await offered.first().click();
      await page.waitForFunction((count) => window.__clickToPaint.length >= count, click + 1);
    }
    const times = await page.evaluate(() => window.__clickToPaint);
    assert.equal(times.length, CLICKS);
    // Event Timing reports only clicks slower than 16 ms to their paint.
    const handling = await page.evaluate(() => window.__clickHandling);
    console.log(
      `3 cycles × 3 readers, click to painted step: median ${median(times).toFixed(1)} ms, ` +
        `min ${Math.min(...times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms over ${CLICKS} clicks; ` +
        `of which the click handler (Yew drawing the step): median ${handling.length ? median(handling).toFixed(1) : "-"} ms ` +
        `over the ${handling.length} clicks slower than 16 ms`,
    );
  });
});
