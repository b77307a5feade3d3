// Page object for the guided tour: the open lesson (goal, hints, Show me,
// the completion message and Next) and the list of lessons with Reset
// progress. A lesson's panel says by `data-goal` whether its goal is a read
// taken in the stepper ("read") or an exploration ("explore").

import { StepperPage } from "./stepper-page.mjs";

export class TourPage extends StepperPage {
  /** @param {import("playwright-core").Page | import("playwright-core").FrameLocator} page */
  constructor(page, root = page) {
    super(page);
    this.lesson = root.getByTestId("lesson");
    this.lessonTitle = root.locator("#tour-title");
    this.hintButton = root.getByTestId("lesson-hint");
    this.hints = root.locator('[data-testid="lesson-hints"] li');
    this.showMeButton = root.getByTestId("lesson-show-me");
    this.complete = root.getByTestId("lesson-complete");
    this.nextButton = root.getByTestId("lesson-next");
    this.list = root.getByTestId("tour-list");
    this.listSummary = root.locator('[data-testid="tour-list"] > summary');
    this.doneCount = root.getByTestId("tour-done");
    this.resetButton = root.getByTestId("tour-reset");
    this.playerEnd = root.getByTestId("player-end");
    this.playerEndEnabled = root.locator('[data-testid="player-end"]:not([disabled])');
  }

  /** The link to lesson `number` (1-based) in the list. */
  lessonLink(number) {
    return this.list.getByTestId(`lesson-link-${number}`);
  }

  /** Waits until lesson `number` is the one open. */
  async waitForLesson(number) {
    await this.page.locator(`[data-testid="lesson"][data-lesson="${number}"]`).waitFor();
  }

  /** Unfolds the list of lessons when it is folded. */
  async openList() {
    if ((await this.list.getAttribute("open")) === null) {
      await this.listSummary.click();
      await this.page.locator('[data-testid="tour-list"][open]').waitFor({ state: "attached" });
    }
  }

  /** Marks "(N done)" in the list's summary: N. */
  async done() {
    const match = /\((\d+) done\)/.exec((await this.doneCount.textContent()) ?? "");
    return match ? Number(match[1]) : NaN;
  }

  /**
   * Show me, then what completes the lesson: the replayed trace played to
   * its end (End), or for an exploring goal the exploration it started.
   */
  async showMe() {
    await this.showMeButton.click();
    if ((await this.lesson.getAttribute("data-goal")) === "read") {
      await this.playerEndEnabled.click();
    }
    await this.complete.waitFor({ timeout: 60_000 });
  }
}
