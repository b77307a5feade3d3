// Shared set-up for the end-to-end tests: the site, the browser, and a page that records errors.

import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { startStaticServer } from "./server.mjs";

const E2E_DIRECTORY = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(E2E_DIRECTORY, "..");

/** Where the tests save screenshots; gitignored. */
export const SCREENSHOT_DIRECTORY = join(E2E_DIRECTORY, "screenshots");

/** Debian's Chromium; `CHROMIUM` overrides it. */
const CHROMIUM_PATH = process.env.CHROMIUM ?? "/usr/bin/chromium";

// Chromium runs as root here, so without its sandbox, and on a closed
// network, so with none of its own background connections.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** The built site: dist/, or the folder named by `E2E_DIST`. */
export const SITE_DIRECTORY = process.env.E2E_DIST ?? join(REPO_ROOT, "dist");

/**
 * Serves the release build on a free port of 127.0.0.1, under the path
 * `base` ("/" or a sub-folder such as "/docs/pte/"), with `headers` added to
 * every answer; resolves to `{ url, close }`, `url` being the site's address.
 */
export function startSite({ base = "/", headers = {} } = {}) {
  return startStaticServer(SITE_DIRECTORY, { base, headers });
}

/** Launches headless Chromium. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Runs in every document the browser opens, frames included: keeps the
 * Content-Security-Policy violations in `window.__policyViolations` and
 * reports each as a console error.
 */
function recordPolicyViolations() {
  window.__policyViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    // blockedURI is "inline" for an inline script or style.
    const what = `${event.effectiveDirective} refused ${event.blockedURI} in ${event.documentURI}`;
    window.__policyViolations.push(what);
    console.error(`Content-Security-Policy violation: ${what}`);
  });
}

/** The Content-Security-Policy violations seen so far in a page or frame. */
export function policyViolations(pageOrFrame) {
  return pageOrFrame.evaluate(() => window.__policyViolations);
}

/**
 * Opens a new page that records uncaught exceptions and console errors in
 * `errors` (Content-Security-Policy violations too, in every frame), so that
 * a test can assert that the app ran cleanly (a Rust panic shows up here).
 */
export async function openPage(browser, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(recordPolicyViolations);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") {
      errors.push(`console.error: ${message.text()}`);
    }
  });
  return { page, errors };
}

/** Saves a full-page screenshot as e2e/screenshots/NAME.png and returns its path. */
export async function saveScreenshot(page, name) {
  await mkdir(SCREENSHOT_DIRECTORY, { recursive: true });
  const path = join(SCREENSHOT_DIRECTORY, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Records the requests a page (and its frames) makes, and those that fail
 * (no answer, or an HTTP status of 400 or more). `requests` lists every URL;
 * `failures` says what went wrong.
 */
export function watchNetwork(page) {
  const network = { requests: [], failures: [] };
  page.on("request", (request) => network.requests.push(request.url()));
  page.on("requestfailed", (request) =>
    network.failures.push(`${request.url()}: ${request.failure()?.errorText}`),
  );
  page.on("response", (response) => {
    if (response.status() >= 400) {
      network.failures.push(`${response.url()}: HTTP ${response.status()}`);
    }
  });
  return network;
}

/**
 * Calls `read()` (which returns a value or a promise of one) until
 * `accept(value)` holds, pausing one animation frame of `page` between tries,
 * and returns that value; throws with the last value after `timeout` ms.
 */
export async function pollUntil(page, read, accept, { timeout = 10_000, what = "the condition" } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (accept(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not hold within ${timeout} ms; last value: ${JSON.stringify(value)}`);
    }
    await page.evaluate(() => new Promise((resolveFrame) => requestAnimationFrame(() => resolveFrame())));
  }
}

/**
 * Starts the site and the browser before the file's tests and stops them
 * after. Returns `{ site, browser, withPage }`; `withPage(name, path,
 * PageObject, body)` opens `site.url + path` as a new `PageObject`, runs
 * `body(pageObject, page)`, asserts the page logged no errors, and saves the
 * screenshot `name` at the end whether or not the test passed; a sixth
 * argument `{ viewport }` opens the page at that size. `options` go to
 * `startSite` (e.g. `{ base: "/docs/pte/" }`).
 */
export function useSite(options = {}) {
  const environment = { site: undefined, browser: undefined };
  before(async () => {
    environment.site = await startSite(options);
    environment.browser = await launchBrowser();
  });
  after(async () => {
    await environment.browser?.close();
    await environment.site?.close();
  });
  environment.withPage = async (name, path, PageObject, body, { viewport } = {}) => {
    const { page, errors } = await openPage(environment.browser, viewport ? { viewport } : {});
    const pageObject = new PageObject(page);
    try {
      await pageObject.open(environment.site.url + path);
      await body(pageObject, page);
      assert.deepEqual(errors, [], "the page logged no errors");
    } catch (error) {
      // The page's own errors usually say why it did not render.
      error.message += errors.length > 0 ? `\npage errors:\n  ${errors.join("\n  ")}` : "";
      throw error;
    } finally {
      await saveScreenshot(page, name);
      await page.context().close();
    }
  };
  return environment;
}

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core on the page (WCAG 2 A and AA rules) and returns its violations. */
export async function accessibilityViolations(page) {
  // Evaluated through the DevTools protocol: an added <script> tag would be
  // an inline script, which the page's Content-Security-Policy refuses.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] });
    return result.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      where: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
  });
}

/** Fails with axe-core's findings when the page has any. */
export async function assertAccessible(page, what) {
  const violations = await accessibilityViolations(page);
  assert.deepEqual(violations, [], `${what}: axe-core found violations:\n${JSON.stringify(violations, null, 2)}`);
}
