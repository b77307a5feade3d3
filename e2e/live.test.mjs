// The live answers: every scenario change is explored under SC, x86-TSO and
// weak with no click, the page says what the change did (with Replay), the
// barrier matrix loads its variants, and a read taken by hand is placed
// under the models that allow it. Undo brings answers back without
// exploring again. Everything fits a 400 px screen.

import assert from "node:assert/strict";
import { test } from "node:test";
import { assertAccessible, useSite } from "./helpers.mjs";
import { LivePage } from "./pages/live-page.mjs";

const environment = useSite();

function withLivePage(name, path, body) {
  return environment.withPage(name, path, LivePage, body);
}

test("switching a barrier updates the live strip with no click, and says what changed", async () => {
  await withLivePage("live-1-barrier-switch", "", async (explorer, page) => {
    // Jason's argument: the kernel's barriers, no flush; with READ_ONCE()
    // loads, so that the compiler keeps the reader's order and only the
    // CPU can reorder (with plain loads the compiler tears SC too: issue 21).
    await explorer.choosePreset("different-low");
    await explorer.waitForAnswer("weak", "never");
    await page.getByTestId("marked-reader").check();
    await page.locator('[data-testid="marked-reader"]:checked').waitFor();
    await explorer.waitForAnswer("weak", "never");
    assert.equal(await explorer.entry("sc").getAttribute("data-torn"), "never");
    assert.equal(await explorer.entry("tso").getAttribute("data-torn"), "never");

    // Switch the reader's first rmb off: nothing but the switch is clicked.
    await explorer.barrierSwitch("reader-1", "reader_rmb1").uncheck();
    await explorer.waitForAnswer("weak", "sometimes");
    assert.equal(await explorer.entry("sc").getAttribute("data-torn"), "never");
    assert.equal(await explorer.entry("tso").getAttribute("data-torn"), "never");
    assert.match(await explorer.strip.textContent(), /SC: never · x86-TSO: never · weak: SOMETIMES/);

    // The new torn values, under weak only; nothing gone.
    const newTorn = explorer.changesOf("new", "weak", "torn");
    assert.equal(await newTorn.count(), 2);
    assert.equal(await page.locator('[data-testid="change"][data-change="gone"]').count(), 0);
    assert.match(await newTorn.first().textContent(), /new: 0x0000000000002067.*TORN.*reader 1, under weak/);

    // Replay reproduces it: the trace opens at its start (like every
    // loaded trace) saying where it ends; End shows that torn read, under weak.
    await newTorn.first().getByTestId("change-replay").click();
    await explorer.waitForPosition("step 0 of");
    assert.match(await page.getByTestId("walk-trace-end").textContent(), /This trace ends at step \d+: reader 1 returned 0x0000000000002067, ✖ TORN/);
    await explorer.endButton.click();
    await explorer.waitForVerdict("TORN");
    assert.match(await explorer.verdict.textContent(), /returned\s*0x0000000000002067/);
    assert.match(await page.getByTestId("present-bit").locator("..").textContent(), /weak/);
    await assertAccessible(page, "the live strip with what changed");

    // Undo back to the kernel's barriers: the old answers at once, nothing explored again.
    await explorer.watchForReexploring();
    const steps = await explorer.stepsTaken();
    for (let undo = 0; undo < steps + 2; undo += 1) {
      await page.keyboard.press("u");
    }
    await explorer.barrierSwitch("reader-1", "reader_rmb1").and(page.locator(":checked")).waitFor();
    await explorer.waitForAnswer("weak", "never");
    assert.equal(await explorer.timesReexplored(), 0, "the answers came back without exploring");
    assert.equal(await explorer.changesOf("gone", "weak", "torn").count(), 2, "the torn values are gone again");
  });
});

test("a matrix cell loads its variant with its torn trace", async () => {
  await withLivePage("live-2-matrix", "", async (explorer, page) => {
    await explorer.waitForMatrix();
    const minimal = await page.getByTestId("minimal-sets").textContent();
    // With the compiler on (issue 21), SC and x86-TSO need the kernel's
    // barriers too, for the compiler: the panel says so and marks the cells.
    for (const model of ["SC", "x86-TSO"]) {
      assert.match(
        minimal,
        new RegExp(`${model}: needs zap_wmb1, establish_wmb1, reader_rmb1 and reader_rmb2; every other site can be off\\. The CPU keeps this order by itself: these barriers are there for the compiler\\.`),
      );
    }
    assert.doesNotMatch(minimal, /no barrier is needed/);
    assert.match(minimal, /weak: needs zap_wmb1, establish_wmb1, reader_rmb1 and reader_rmb2; every other site can be off\.(?! The CPU)/);
    assert.equal(await explorer.matrixCell("tso", "reader_rmb1").getAttribute("data-compiler-only"), "true");
    assert.equal(await explorer.matrixCell("weak", "reader_rmb1").getAttribute("data-compiler-only"), null);
    assert.match(await page.getByTestId("matrix-cc").textContent(), /cc: torn only because of the compiler.*On x86 \(x86-TSO\) this barrier is there for the compiler/);
    assert.match(await page.getByTestId("never-needed").textContent(), /zap_wmb2 and establish_wmb2 are never needed/);
    const cell = explorer.matrixCell("weak", "zap_wmb1");
    assert.equal(await cell.getAttribute("data-torn"), "sometimes");
    await cell.click();
    // The variant opens at its trace's start, its torn end named; End shows it.
    await explorer.waitForPosition("step 0 of");
    assert.equal(await page.getByTestId("walk-trace-end").getAttribute("data-verdict"), "torn");
    await explorer.endButton.click();
    await explorer.waitForVerdict("TORN");
    assert.equal(await explorer.barrierSwitch("writer", "zap_wmb1").isChecked(), false, "the variant has zap_wmb1 off");
    assert.match(await page.getByTestId("present-bit").locator("..").textContent(), /weak/);
    // That variant is torn under weak as given: the strip says so.
    await explorer.waitForAnswer("weak", "sometimes");
  });
});

test("a read taken by hand is placed under the models that allow it", async () => {
  await withLivePage("live-3-possible-under", "", async (explorer) => {
    await explorer.choosePreset("weak-no-rmb1");
    await explorer.waitForAnswer("weak", "sometimes");
    // r1 is read before r0: P1's low half twice, the zap's high half.
    await explorer.takeSteps(["w1", "w2", "r1.off", "r1.r1", "w3", "w4", "r1.r0", "r1.r2", "r1.chk"]);
    await explorer.waitForVerdict("TORN");
    // With plain loads the compiler may load high first too (issue 21):
    // SC and x86-TSO return it only because of the compiler.
    await explorer.possiblePhrase.filter({ hasText: "possible under every model" }).waitFor();
    const possible = explorer.page.getByTestId("possible-under");
    assert.match(await possible.locator('li[data-model="sc"]').textContent(), /only because of the compiler/);
    assert.doesNotMatch(await possible.locator('li[data-model="weak"]').textContent(), /compiler/);

    await explorer.choosePreset("kernel");
    await explorer.takeSteps(["r1.off", "r1.r0", "r1.r1", "r1.r2", "r1.chk"]);
    await explorer.waitForVerdict("Allowed: pre-zap");
    await explorer.possiblePhrase.filter({ hasText: "possible under every model" }).waitFor();
  });
});

test("the live answers and the matrix fit a 400 px screen", async () => {
  await withLivePage("live-4-narrow", "", async (explorer, page) => {
    await page.setViewportSize({ width: 400, height: 800 });
    await explorer.choosePreset("seqcount-fix-weak");
    await explorer.waitForMatrix();
    await explorer.barrierSwitch("reader-1", "seq_rmb_begin").uncheck();
    await explorer.waitForAnswer("weak", "sometimes");
    await explorer.waitForMatrix();
    await explorer.matrix.scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than a 400 px screen`);
    const table = await page.locator(".matrix-table").boundingBox();
    assert.ok(table.x + table.width <= 400, `the matrix ends at ${table.x + table.width} px`);
    await assertAccessible(page, "the matrix on a narrow screen");
  });
});
