// The kernel bridge in the page: the Litmus panel holds exactly what
// `pte-explorer litmus` prints for the same scenario (Copy, Download, the
// herd7 command), and every line of kernel code links to its source at a tag.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { assertAccessible, pollUntil, useSite } from "./helpers.mjs";
import { StepperPage } from "./pages/stepper-page.mjs";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const environment = useSite();

/** What the CLI prints for `pte-explorer litmus <preset>`. */
function cliLitmus(preset) {
  return execFileSync("cargo", ["run", "--quiet", "-p", "pte-explorer", "--", "litmus", preset], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
}

test("the Litmus panel equals pte-explorer litmus and downloads the same file", async () => {
  await environment.withPage("bridge-1-litmus", "", StepperPage, async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await page.getByText("Litmus test for herd7 and the kernel's memory model").click();
    // The Result: comment comes from the live answers (the weak model's,
    // from the worker), so the text is complete once they are in.
    const shown = await pollUntil(
      page,
      () => page.getByTestId("litmus-text").inputValue(),
      (text) => text.includes("(* Result: "),
      { what: "the litmus test's Result: comment" },
    );
    assert.equal(shown, cliLitmus("same-low-none"));
    assert.equal(
      await page.getByTestId("herd-command").textContent(),
      "herd7 -conf linux-kernel.cfg pte-same-low-none.litmus",
    );
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("download-litmus").click(),
    ]);
    assert.equal(download.suggestedFilename(), "pte-same-low-none.litmus");
    assert.equal(await readFile(await download.path(), "utf8"), shown);
    // Copy puts the same text on the clipboard and says so beside the button;
    // the next Copy (the permalink's) says its own, in its place.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: environment.site.url,
    });
    await page.getByTestId("copy-litmus").click();
    await page.getByRole("status").filter({ hasText: "Copied the litmus test to the clipboard." }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
    await explorer.copyLinkButton.click();
    await page.getByRole("status").filter({ hasText: "Copied the link to the clipboard." }).waitFor();
    assert.equal(await page.getByText("Copied the litmus test").count(), 0);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await explorer.permalinkField.inputValue());
    // A scenario the export cannot write says why.
    await explorer.choosePreset("atomic-zap-same-low");
    assert.match(await page.getByTestId("litmus-refused").textContent(), /zap_atomic/);
    await assertAccessible(page, "the Litmus panel");
  });
});

test("every line of kernel code links its source at a tag", async () => {
  await environment.withPage("bridge-2-sources", "", StepperPage, async (explorer, page) => {
    for (const preset of ["kernel", "mips-sh", "gup-fast-same-low", "seqcount-fix"]) {
      await explorer.choosePreset(preset);
      const lines = page.locator("ol.code > li");
      const count = await lines.count();
      assert.ok(count > 10, `${preset}: code lines are listed`);
      for (let index = 0; index < count; index += 1) {
        const link = lines.nth(index).getByTestId("source-link");
        assert.equal(await link.count(), 1, `${preset}: line ${index} has one source link`);
        const href = await link.getAttribute("href");
        assert.match(href, /^https:\/\/elixir\.bootlin\.com\/linux\/v6\.0\/source\/[a-z]+\/[\w./-]+\.[ch]$/, href);
      }
    }
  });
});
