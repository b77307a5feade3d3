// Page object for stepping, exploring and sharing: the threads' step buttons,
// the verdict, the walk-through bar (player, step, why, verdict), the trace,
// "Explore all" and the permalink, and the scenario editor (which folds on a
// narrow screen).
//
// Step buttons are found by `data-testid="step-<id>"`, where <id> is the
// core's step id (w1 = the writer's first access, r1.off/r1.r0/r1.r1/r1.r2/
// r1.chk/r1.on = reader 1's lines, and for other reader kinds r1.grab,
// r1.q0, r1.q1, r1.rechk, r1.ld64, r1.s, r1.odd, r1.s2; wd = drain the
// store buffer).

import { ExplorerPage } from "./explorer-page.mjs";

/**
 * The same-low-half tear in the same-low-none preset (flush none, so the
 * writer's accesses are w1, w2 = zap low, high and w3, w4 = establish high,
 * low): read low of P0, zap, read high (0), re-establish, re-read low.
 */
export const TORN_INTERLEAVING = ["r1.off", "r1.r0", "w1", "w2", "r1.r1", "w3", "w4", "r1.r2", "r1.chk"];

export class StepperPage extends ExplorerPage {
  /** @param {import("playwright-core").Page} page */
  constructor(page) {
    super(page);
    this.verdict = page.getByTestId("verdict");
    this.traceLength = page.getByTestId("trace-length");
    this.editor = page.getByTestId("editor");
    this.presetList = page.getByRole("group", { name: "Scenario from the discussion" });
    this.exploreButton = page.getByTestId("explore-run");
    this.exploreResult = page.getByTestId("explore-result");
    this.outcomeRows = page.getByTestId("outcome-row");
    this.permalinkField = page.getByLabel("Permalink");
    this.copyLinkButton = page.getByRole("button", { name: "Copy link" });
    // Share's "For email": the trace as plain text, previewed, and its Copy.
    this.mailText = page.getByTestId("mail-text");
    this.copyMailButton = page.getByRole("button", { name: "Copy for email" });
    this.mailNone = page.getByTestId("mail-none");
    this.linkError = page.getByTestId("link-error");
    this.memoryLow = page.getByTestId("memory-low-hex");
    this.memoryHigh = page.getByTestId("memory-high-hex");
    // The walk-through bar at the top of the workspace.
    this.walk = page.getByTestId("walk");
    this.walkPosition = page.getByTestId("player-position");
    this.walkStep = page.getByTestId("walk-step");
    this.walkWhy = page.getByTestId("walk-why");
    this.walkVerdict = page.getByTestId("walk-verdict");
    this.keyNotice = page.getByTestId("key-notice");
    this.forwardButton = page.getByTestId("player-forward");
    this.endButton = page.getByTestId("player-end");
    this.scenarioName = page.getByTestId("scenario-name");
    this.threadsTitle = page.locator("#threads-title");
  }

  /** The code line of a step that ran, or any state of it (by step id). */
  line(id) {
    return this.page.locator(`[data-testid="line-${id}"], li:has(> [data-testid="step-${id}"])`);
  }

  /** The line of the step just taken (the walk-through keeps it in view). */
  get justRanLine() {
    return this.page.locator(".threads .line.just-ran");
  }

  /** Waits until the player says "step N of M"; returns [N, M]. */
  async waitForPosition(text) {
    await this.walkPosition.filter({ hasText: text }).waitFor();
  }

  /** [cursor, total] from the player's "step N of M". */
  async position() {
    const match = /step (\d+) of (\d+)/.exec((await this.walkPosition.textContent()) ?? "");
    if (!match) {
      throw new Error("no player position");
    }
    return [Number(match[1]), Number(match[2])];
  }

  /** Opens the scenario editor when it is folded (on a narrow screen). */
  async openEditor() {
    if ((await this.editor.getAttribute("open")) === null) {
      await this.editor.locator("summary").click();
      await this.page.locator('[data-testid="editor"][open]').waitFor({ state: "attached" });
    }
  }

  /**
   * Waits until the app has started completely: rendered, and its web
   * worker loaded and running (the live strip has answered under all three
   * models). Only then has the page requested every file it will.
   */
  async waitUntilStarted() {
    await this.waitUntilReady();
    for (const model of ["sc", "tso", "weak"]) {
      await this.page.locator(`[data-testid="live-${model}"]:not([data-torn="pending"])`).waitFor({ timeout: 60_000 });
    }
  }

  /** The button for one step; it must be offered and enabled. */
  stepButton(id) {
    return this.page.locator(`[data-testid="step-${id}"][aria-disabled="false"]`);
  }

  /** Clicks the step buttons in order, waiting for each to be enabled. */
  async takeSteps(ids) {
    for (const id of ids) {
      await this.stepButton(id).click();
    }
  }

  /** Sets reader `reader`'s (1-based) kind: lockless, gup_fast, atomic64 or seqcount. */
  async chooseReaderKind(reader, kind) {
    await this.page.getByTestId(`reader-${reader}-kind`).selectOption(kind);
    await this.page.locator(`[data-testid="reader-${reader}-kind"] option[value="${kind}"]:checked`).waitFor({ state: "attached" });
  }

  async choosePreset(id) {
    await this.openEditor();
    await this.page.getByTestId(`preset-${id}`).check();
    await this.page.locator(`[data-testid="preset-${id}"]:checked`).waitFor({ state: "attached" });
  }

  /** Chooses the memory model: sc, tso or weak. */
  async chooseModel(id) {
    await this.openEditor();
    await this.page.getByTestId(`model-${id}`).check();
    await this.page.locator(`[data-testid="model-${id}"]:checked`).waitFor({ state: "attached" });
  }

  /** Waits until the verdict banner's text matches `pattern`. */
  async waitForVerdict(pattern) {
    await this.verdict.filter({ hasText: pattern }).waitFor();
  }

  /** "9 steps taken…" → 9. */
  async stepsTaken() {
    const text = await this.traceLength.textContent();
    const match = /^(\d+) steps? taken/.exec(text ?? "");
    if (!match) {
      throw new Error(`unexpected trace length text: ${text}`);
    }
    return Number(match[1]);
  }

  async memoryWords() {
    return { low: await this.memoryLow.textContent(), high: await this.memoryHigh.textContent() };
  }

  /** Runs "Explore all" and waits for its result. */
  async exploreAll() {
    await this.exploreButton.click();
    await this.exploreResult.waitFor({ timeout: 60_000 });
  }

  /** The outcome rows whose verdict id (`torn`, `pre_zap`, …) is `verdict`. */
  outcomesWithVerdict(verdict) {
    return this.page.locator(`[data-testid="outcome-row"][data-verdict="${verdict}"]`);
  }
}
