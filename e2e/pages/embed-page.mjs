// Page object for the compact embed view (`?embed=1`): the trace player, the
// verdict, and the absence of the scenario editor.

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
    this.presetMenu = root.getByLabel("Scenario from the discussion");
    this.fullExplorerLink = root.getByRole("link", { name: /Open in the full explorer/ });
  }

  async waitForPosition(text) {
    await this.position.filter({ hasText: text }).waitFor();
  }
}
