// Page object for the explorer: how the tests find things on the page, in one place.
//
// Tests speak in terms of what a person sees; this class knows the
// accessible names and data-testid values behind them.

/** Records, in the page, when `[data-testid="app-ready"]` first appears. */
function recordFirstRender() {
  const mark = () => {
    if (window.__firstRenderMs === undefined && document.querySelector('[data-testid="app-ready"]')) {
      window.__firstRenderMs = performance.now();
      return true;
    }
    return false;
  };
  if (!mark()) {
    const observer = new MutationObserver(() => {
      if (mark()) {
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  }
}

export class ExplorerPage {
  /** @param {import("playwright-core").Page} page */
  constructor(page) {
    this.page = page;
    this.appReady = page.getByTestId("app-ready");
    this.initialPte = page.getByTestId("initial-pte");
    this.presentBit = page.getByTestId("present-bit");
  }

  /** Opens the explorer at `url` and waits until the app has rendered. */
  async open(url) {
    await this.page.addInitScript(recordFirstRender);
    await this.page.goto(url);
    await this.waitUntilReady();
  }

  async waitUntilReady() {
    await this.appReady.waitFor({ state: "attached" });
  }

  /**
   * Milliseconds from the start of navigation until `[data-testid="app-ready"]`
   * first existed, measured in the page by `performance.now()`.
   */
  async firstRenderMilliseconds() {
    const milliseconds = await this.page.evaluate(() => window.__firstRenderMs);
    if (typeof milliseconds !== "number") {
      throw new Error("the page never recorded when app-ready appeared");
    }
    return Math.round(milliseconds);
  }
}
