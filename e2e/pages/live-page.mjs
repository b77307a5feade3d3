// Page object for the live answers: the strip near the verdict ("SC: never
// · x86-TSO: never · weak: SOMETIMES"), the list of what the last change
// did, "possible under …" for a read taken by hand, and the barrier matrix.

import { StepperPage } from "./stepper-page.mjs";

export class LivePage extends StepperPage {
  /** @param {import("playwright-core").Page} page */
  constructor(page) {
    super(page);
    this.strip = page.getByTestId("live-strip");
    this.progress = page.getByTestId("live-progress");
    this.changes = page.getByTestId("change");
    this.possiblePhrase = page.getByTestId("possible-phrase");
    this.matrix = page.getByTestId("matrix");
  }

  /** The strip's entry for `model` (sc, tso, weak). */
  entry(model) {
    return this.page.getByTestId(`live-${model}`);
  }

  /** Waits until the strip's entry for `model` says `torn` (never, sometimes). */
  async waitForAnswer(model, torn) {
    await this.page.locator(`[data-testid="live-${model}"][data-torn="${torn}"]`).waitFor({ timeout: 60_000 });
  }

  /** The "what changed" items: `kind` new or gone, under `model`, of verdict `verdict` (torn, allowed, backed-off). */
  changesOf(kind, model, verdict) {
    return this.page.locator(
      `[data-testid="change"][data-change="${kind}"][data-model="${model}"][data-verdict="${verdict}"]`,
    );
  }

  /** Waits until the whole barrier matrix is known. */
  async waitForMatrix() {
    await this.page.locator('[data-testid="matrix"][data-finished="true"]').waitFor({ timeout: 60_000 });
  }

  /** The matrix cell of `model` with `site` switched off (`as-given` for none). */
  matrixCell(model, site) {
    return this.page.locator(`button[data-testid="matrix-cell"][data-model="${model}"][data-site="${site}"]`);
  }

  /** A barrier switch in the code: `thread` is writer or reader-1, …. */
  barrierSwitch(thread, site) {
    return this.page.getByTestId(`barrier-thread-${thread}-${site}`);
  }

  /** Records, in the page, every time a strip entry goes back to "not answered". */
  async watchForReexploring() {
    await this.page.evaluate(() => {
      window.__livePending = 0;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid^="live-"][data-torn="pending"]')) {
          window.__livePending += 1;
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
  }

  async timesReexplored() {
    return this.page.evaluate(() => window.__livePending);
  }
}
