// Page object for the compact embed view (`?embed=1`): the trace player, the
// header (where the trace ends, the link to the full explorer), the verdict,
// the code lines, and the absence of the scenario editor.

import { ExplorerPage } from "./explorer-page.mjs";

export class EmbedPage extends ExplorerPage {
  /** @param {import("playwright-core").Page | import("playwright-core").FrameLocator} root */
  constructor(page, root = page) {
    super(page);
    this.root = root;
    this.position = root.locator(".player-position");
    this.forward = root.getByTestId("player-forward");
    this.back = root.getByTestId("player-back");
    this.end = root.getByTestId("player-end");
    this.start = root.getByTestId("player-start");
    this.verdict = root.getByTestId("verdict");
    this.traceEnd = root.getByTestId("trace-end");
    this.traceEntries = root.getByTestId("trace-entry");
    this.presetMenu = root.getByRole("group", { name: "Scenario from the discussion" });
    this.fullExplorerLink = root.getByRole("link", { name: /Open in the full explorer/ });
    /** Every button but the trace's entries (which show the state after a step). */
    this.controlButtons = root.locator("button:not(.trace-entry)");
    /** Code lines that are buttons (steps to take), as in the full explorer. */
    this.stepButtons = root.locator("button.step");
  }

  /** The code line of a step, by the core's step id (w1, r1.off, …). */
  line(id) {
    return this.root.getByTestId(`line-${id}`);
  }

  async waitForPosition(text) {
    await this.position.filter({ hasText: text }).waitFor();
  }
}
