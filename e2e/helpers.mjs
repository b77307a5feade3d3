// Shared set-up for the end-to-end tests: the site, the browser, and a page that records errors.

import { mkdir } from "node:fs/promises";
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

/**
 * Serves the release build in dist/ (or the folder named by `E2E_DIST`) on a
 * free port of 127.0.0.1; resolves to `{ url, close }`.
 */
export function startSite() {
  return startStaticServer(process.env.E2E_DIST ?? join(REPO_ROOT, "dist"));
}

/** Launches headless Chromium. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Opens a new page that records uncaught exceptions and console errors in
 * `errors`, so that a test can assert that the app ran cleanly (a Rust panic
 * shows up here).
 */
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
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
 * Starts the site and the browser before the file's tests and stops them
 * after. Returns `{ site, browser, withPage }`; `withPage(name, path,
 * PageObject, body)` opens `site.url + path` as a new `PageObject`, runs
 * `body(pageObject, page)`, asserts the page logged no errors, and saves the
 * screenshot `name` at the end whether or not the test passed.
 */
export function useSite() {
  const environment = { site: undefined, browser: undefined };
  before(async () => {
    environment.site = await startSite();
    environment.browser = await launchBrowser();
  });
  after(async () => {
    await environment.browser?.close();
    await environment.site?.close();
  });
  environment.withPage = async (name, path, PageObject, body) => {
    const { page, errors } = await openPage(environment.browser);
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
