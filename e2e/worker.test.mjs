// Explorations run in a web worker: while 3 cycles × 4 readers are explored
// under x86-TSO, no task on the main thread runs longer than 50 ms (a
// PerformanceObserver for long tasks); a big scenario's live answers
// show progress and Cancel. Prints the time from loading the scenario's
// link into the open page to its live answer under its own model (explored
// first, alone in the worker; Explore all then answers with that report)
// and, when the native CLI is built, the browser/native ratio
// (scripts/test.sh builds it and prints the ratio again at the end).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pollUntil, useSite } from "./helpers.mjs";
import { LivePage } from "./pages/live-page.mjs";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the measurement is written for scripts/test.sh. */
const SPEED_FILE = join(REPO_ROOT, "target", "e2e-speed.json");
/** The release CLI; `PTE_EXPLORER` overrides it. */
const NATIVE = process.env.PTE_EXPLORER ?? join(REPO_ROOT, "target", "release", "pte-explorer");

/** 3 cycles of zap, flush, establish; 4 readers; flush none; x86-TSO (`pte-explorer bench`'s scaled scenario with 4 readers). */
const SCALED_TSO =
  "#v=2&model=tso&bit=0&writer=zap,flush,establish,zap,flush,establish,zap,flush,establish" +
  "&p0=100001067&z=0&p=300002067,500003067,700004067&readers=4&flush=none&off=zap_wmb2,establish_wmb2";

/** 4 cycles, 4 readers, flush none, SC: over 200,000 states, so the matrix waits for a click. */
const BIG =
  "#v=2&model=sc&bit=0&writer=zap,flush,establish,zap,flush,establish,zap,flush,establish,zap,flush,establish" +
  "&p0=100001067&z=0&p=300002067,500003067,700004067,900005067&readers=4&flush=none&off=zap_wmb2,establish_wmb2";

const environment = useSite();

/** Starts recording the main thread's long tasks (over 50 ms) in the page. */
function recordLongTasks(page) {
  return page.evaluate(() => {
    window.__longTasks = [];
    window.__longTaskObserver = new PerformanceObserver((list) => {
      window.__longTasks.push(...list.getEntries());
    });
    window.__longTaskObserver.observe({ type: "longtask" });
  });
}

/**
 * The long tasks recorded so far that started after `since` (ms since the
 * page's start): when they started and how long they ran, in ms (including
 * those not yet delivered).
 */
function longTasks(page, since) {
  return page.evaluate(
    (since) =>
      [...window.__longTasks, ...window.__longTaskObserver.takeRecords()]
        .filter((entry) => entry.startTime > since)
        .map((entry) => ({ start: entry.startTime, duration: entry.duration })),
    since,
  );
}

/**
 * Loads `fragment` into the open page (as a link pasted into its address
 * bar) and resolves to the ms until the live answer under x86-TSO, the
 * scenario's own model, is on the page (`milliseconds`), and when the new
 * scenario was first drawn, exploring, and when the answer came (`drawn`,
 * `answered`: ms since the page's start).
 */
function timeLiveAnswer(page, fragment) {
  return page.evaluate(
    (fragment) =>
      new Promise((resolve) => {
        let start = null;
        let drawn = null;
        const observer = new MutationObserver(() => {
          const entry = document.querySelector('[data-testid="live-tso"]');
          const torn = entry?.getAttribute("data-torn");
          if (drawn === null && torn === "pending") {
            drawn = performance.now();
          }
          if (drawn !== null && (torn === "never" || torn === "sometimes")) {
            observer.disconnect();
            const answered = performance.now();
            resolve({ milliseconds: answered - start, drawn, answered });
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true });
        start = performance.now();
        window.location.hash = fragment;
      }),
    fragment,
  );
}

/** The native CLI's time for the same exploration, in ms, or null without a release build. */
async function nativeMilliseconds() {
  if (!existsSync(NATIVE)) {
    return null;
  }
  const { stdout } = await promisify(execFile)(NATIVE, [
    "bench", "--scaled", "tso", "--scaled-readers", "4", "--json",
  ]);
  const bench = JSON.parse(stdout);
  assert.equal(bench.optimized, true, `${NATIVE} is a release build`);
  return bench.rows[0].seconds_per_run * 1000;
}

test("3 cycles × 4 readers under x86-TSO: explored in the worker, no long task on the main thread", async () => {
  await environment.withPage("worker-1-scaled", "", LivePage, async (explorer, page) => {
    // The page started its worker (not the in-page fallback).
    await pollUntil(page, () => page.workers().map((worker) => worker.url()), (urls) =>
      urls.some((url) => url.includes("/worker-loader.js?js=")), { what: "the worker started" });
    // The kernel protocol's answers and matrix first, so that the worker is
    // idle when the scaled scenario's link is loaded.
    await explorer.waitForMatrix();
    await recordLongTasks(page);

    // The scaled scenario's own model is explored first, alone in the
    // worker; Explore all then answers at once with that report. The long
    // tasks counted are those after the new scenario was drawn (drawing 4
    // readers' threads is the page's work, not the exploration's).
    const { milliseconds: browser, drawn, answered } = await timeLiveAnswer(page, SCALED_TSO.slice(1));
    assert.match(await explorer.page.getByTestId("present-bit").locator("..").textContent(), /4 readers/);
    // Explore all is clicked with the worker idle, as before the live
    // answers and Explore all shared their jobs: the other models' answers
    // in, the matrix done or stopped.
    for (const model of ["sc", "tso", "weak"]) {
      await explorer.waitForAnswer(model, "never");
    }
    const matrixSettled = '[data-testid="matrix-status"]:is([data-status="cancelled"], [data-status="done"])';
    const matrixCancel = page.getByTestId("matrix-cancel");
    if (await matrixCancel.isVisible()) {
      // It may finish between the check and the click: either is fine.
      await matrixCancel.click({ timeout: 2_000 }).catch(() => {});
    }
    await page.locator(matrixSettled).waitFor({ timeout: 60_000 });
    const clicked = await page.evaluate(() => performance.now());
    await explorer.exploreAll();
    assert.equal(await explorer.exploreResult.getAttribute("data-torn"), "Never");
    assert.match(await explorer.exploreResult.textContent(), /177,799 states/);

    const found = await longTasks(page, drawn);
    console.log(
      `loaded scenario drawn at ${Math.round(drawn)} ms, answered at ${Math.round(answered)} ms, ` +
        `Explore all clicked at ${Math.round(clicked)} ms; long tasks since drawn: ${JSON.stringify(found)}`,
    );
    const tasks = found.map((task) => task.duration);
    const longest = Math.max(0, ...tasks);
    console.log(`main-thread long tasks while exploring: ${tasks.length}, longest ${Math.round(longest)} ms`);
    assert.ok(longest <= 50, `a main-thread task ran ${Math.round(longest)} ms: ${tasks.map(Math.round)}`);

    const native = await nativeMilliseconds();
    const ratio = native === null ? null : browser / native;
    console.log(
      `3 cycles × 4 readers under x86-TSO: browser ${Math.round(browser)} ms (link to live answer, in the worker), ` +
        (native === null
          ? "native not measured (cargo build --release -p pte-explorer)"
          : `native ${Math.round(native)} ms, browser/native ${ratio.toFixed(2)}`),
    );
    await mkdir(dirname(SPEED_FILE), { recursive: true });
    await writeFile(
      SPEED_FILE,
      JSON.stringify({ browser_ms: browser, native_ms: native, ratio, longest_task_ms: longest }, null, 2),
    );
  });
});

test("a big scenario's live answers show progress, and Cancel stops them", async () => {
  await environment.withPage("worker-2-big-live", BIG, LivePage, async (explorer, page) => {
    // 650,811 states under each model: the live answers take seconds.
    await explorer.progress.waitFor({ timeout: 60_000 });
    await page.getByTestId("live-cancel").click();
    await page.getByTestId("live-stopped").waitFor();
  });
});

test("the big scenario's matrix waits for a click, and Cancel stops it", async () => {
  await environment.withPage("worker-3-big-matrix", BIG, LivePage, async (explorer, page) => {
    await explorer.waitForAnswer("weak", "never");
    const status = page.getByTestId("matrix-status");
    await page.locator('[data-testid="matrix-status"][data-status="on-request"]').waitFor({ timeout: 60_000 });
    assert.match(await status.textContent(), /This scenario is big/);
    await page.getByTestId("matrix-compute").click();
    await page.locator('[data-testid="matrix-status"][data-status="exploring"]').waitFor();
    await page.getByTestId("matrix-cancel").click();
    await page.locator('[data-testid="matrix-status"][data-status="cancelled"]').waitFor();
  });
});
