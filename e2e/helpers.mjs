// Shared set-up for the end-to-end tests: the site, the browser, and a page that records errors.

import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
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
