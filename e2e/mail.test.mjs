// "Copy for email" beside Share: on a replayed trace the page previews and
// copies exactly what `pte-explorer mail` prints for the same permalink.
// The CLI is the release build (target/release/pte-explorer) unless
// PTE_EXPLORER names another, as in worker.test.mjs.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { assertAccessible, useSite } from "./helpers.mjs";
import { StepperPage } from "./pages/stepper-page.mjs";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The CLI; `PTE_EXPLORER` overrides the release build. */
const NATIVE = process.env.PTE_EXPLORER ?? join(REPO_ROOT, "target", "release", "pte-explorer");
const environment = useSite();

/** `pte-explorer mail ARGS…`: its output (it exits 1 for a torn read). */
function cliMail(...args) {
  const ran = spawnSync(NATIVE, ["mail", ...args], { encoding: "utf8" });
  assert.equal(ran.status, 1, `pte-explorer mail ${args.join(" ")} finds a torn read: ${ran.stderr}`);
  return ran.stdout;
}

test("Copy for email on a replayed trace gives pte-explorer mail's text for the same permalink", async () => {
  // The CLI's text names its permalink on line 2: the page opens that link,
  // which replays the witness.
  const cli = cliMail("same-low-none", "--base-url", environment.site.url);
  const permalink = cli.split("\n")[1];
  assert.ok(permalink.startsWith(`${environment.site.url}#v=`), permalink);
  const fragment = permalink.slice(environment.site.url.length);
  await environment.withPage("mail-1-copy", fragment, StepperPage, async (explorer, page) => {
    const shown = await explorer.mailText.inputValue();
    assert.equal(shown, cli);
    assert.equal(await explorer.permalinkField.inputValue(), permalink, "the text's link is the page's");
    // Copy puts the same text on the clipboard and says so beside the button.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: environment.site.url,
    });
    await explorer.copyMailButton.click();
    await page.getByRole("status").filter({ hasText: "Copied the text for email to the clipboard." }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), cli);
    // The preview is a monospace box of 72-column ASCII lines (the link's
    // line aside).
    const font = await explorer.mailText.evaluate((element) => getComputedStyle(element).fontFamily);
    assert.match(font, /mono/i, "a monospace preview");
    for (const [index, line] of shown.split("\n").entries()) {
      assert.ok(index === 1 || line.length <= 72, `line ${index + 1} fits 72 columns: ${line}`);
    }
    await assertAccessible(page, "Share with the text for email");
  });
});
