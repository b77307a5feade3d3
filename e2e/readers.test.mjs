// The other readers of the 2022 thread, as a reviewer would try them: the
// TLB walker against the MIPS/SH clear order (torn by hand), GUP-fast's
// re-check with the same low half (it backs off after a torn read), and the
// sequence-counter fix proved never torn under the weak model by Explore
// all, until read_seqcount_begin()'s smp_rmb() is switched off.

import assert from "node:assert/strict";
import { test } from "node:test";
import { assertAccessible, useSite } from "./helpers.mjs";
import { StepperPage, TORN_INTERLEAVING } from "./pages/stepper-page.mjs";

const environment = useSite();

function withExplorer(name, body) {
  return environment.withPage(name, "", StepperPage, body);
}

test("the TLB walker reads a half-written entry with the MIPS/SH clear order", async () => {
  await withExplorer("readers-1-walker", async (explorer, page) => {
    await explorer.choosePreset("mips-sh");
    await explorer.chooseReaderKind(1, "atomic64");
    // The walker has no interrupts-off section and no loop: one 64-bit load.
    assert.equal(await page.locator('[data-testid="step-r1.off"]').count(), 0);
    // w1 clears the high half first; the walker loads the entry right then.
    await explorer.takeSteps(["w1", "r1.ld64"]);
    await explorer.waitForVerdict("TORN");
    const verdict = await explorer.verdict.textContent();
    assert.match(verdict, /0x0000000000001067/);
    assert.match(verdict, /half-written entry/);
  });
});

test("GUP-fast backs off after the same-low-half tear", async () => {
  await withExplorer("readers-2-gup-fast", async (explorer, page) => {
    await explorer.choosePreset("gup-fast-same-low");
    // The loop tears (its check says continue), then the reference is
    // taken and the entry read again: it changed, so GUP-fast backs off.
    await explorer.takeSteps([...TORN_INTERLEAVING, "r1.grab", "r1.q0", "r1.q1", "r1.rechk"]);
    await explorer.waitForVerdict("Backed off after a TORN read");
    assert.equal(await explorer.verdict.getAttribute("data-verdict"), "backed-off");
    await explorer.exploreAll();
    assert.equal(await explorer.exploreResult.getAttribute("data-torn"), "Never");
    const backedOff = page.locator('[data-testid="outcome-row"][data-returned="false"][data-verdict="torn"]');
    assert.equal(await backedOff.count(), 1, "the torn read is listed as backed off");
    await assertAccessible(page, "GUP-fast with a back-off and the explore-all table");
  });
});

test("the sequence-counter fix is never torn under the weak model, until an rmb goes", async () => {
  await withExplorer("readers-3-seqcount", async (explorer, page) => {
    await explorer.choosePreset("seqcount-fix-weak");
    assert.ok(await page.getByTestId("seqcount").isChecked(), "the writer side is on");
    await page.getByTestId("memory-seq").waitFor();
    await explorer.exploreAll();
    assert.equal(await explorer.exploreResult.getAttribute("data-torn"), "Never");
    await assertAccessible(page, "the sequence-counter fix explored");
    await page.getByTestId("barrier-thread-reader-1-seq_rmb_begin").uncheck();
    await explorer.exploreAll();
    assert.equal(await explorer.exploreResult.getAttribute("data-torn"), "Sometimes");
    assert.ok((await explorer.outcomesWithVerdict("torn").count()) >= 1);
  });
});

test("mixed reader kinds fit a narrow screen", async () => {
  await withExplorer("readers-4-narrow", async (explorer, page) => {
    await page.setViewportSize({ width: 400, height: 800 });
    await explorer.choosePreset("seqcount-fix");
    await page.getByTestId("readers-select").selectOption("3");
    await explorer.chooseReaderKind(2, "gup_fast");
    await explorer.chooseReaderKind(3, "atomic64");
    await explorer.takeSteps(["w1", "r1.off", "r2.off", "r3.ld64"]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than a 400 px screen`);
    await assertAccessible(page, "three readers of three kinds");
  });
});
