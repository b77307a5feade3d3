// Issue 22, as a reviewer would try it: the kernel's other split-word
// readers (pmd_read_atomic(), GUP-fast's READ_ONCE(*pmdp) and KVM's
// __get_spte_lockless()) chosen from the reader menu against the same
// writer, explored, their torn witness replayed to its end, and their own
// code and kernel sources shown (no ptep_get_lockless() on a pmd reader);
// KVM's clear counter in the state view, never torn under x86-TSO, torn
// under the weak model with the page saying why that does not matter to KVM.

import assert from "node:assert/strict";
import { test } from "node:test";
import { assertAccessible, useSite } from "./helpers.mjs";
import { StepperPage } from "./pages/stepper-page.mjs";

const environment = useSite();

function withExplorer(name, body) {
  return environment.withPage(name, "", StepperPage, body);
}

/** Reader `reader`'s column (1-based). */
function readerColumn(page, reader) {
  return page.locator(`#thread-reader-${reader}`);
}

/**
 * The code reader `reader` runs: its call line and its listing (not the
 * reader menu, which names every kind).
 */
async function readerCode(page, reader) {
  const parts = await readerColumn(page, reader).locator("p.call, ol.code").allTextContents();
  return parts.join("\n");
}

/** The aria-labels of the kernel-source links in reader `reader`'s column. */
async function sourceLabels(page, reader) {
  const links = readerColumn(page, reader).getByTestId("source-link");
  return Promise.all((await links.all()).map((link) => link.getAttribute("aria-label")));
}

/** The register columns of the state view's readers table ("r0 ← low", …). */
async function registerColumns(page) {
  const headers = await page.locator("table.registers thead th").allTextContents();
  return headers.slice(1, -1);
}

/**
 * Explore all: torn sometimes; replays the first torn witness, walks it to
 * its end and sees the TORN verdict.
 */
async function exploreAndReplayTorn(explorer) {
  await explorer.exploreAll();
  assert.equal(await explorer.exploreResult.getAttribute("data-torn"), "Sometimes");
  const torn = explorer.outcomesWithVerdict("torn");
  assert.ok((await torn.count()) >= 1, "a torn value is listed");
  await torn.first().getByTestId("replay").click();
  const [cursor, total] = await explorer.position();
  assert.equal(cursor, 0, "the replay opens at its start");
  await explorer.endButton.click();
  await explorer.waitForVerdict("TORN");
  assert.equal(await explorer.verdict.getAttribute("data-verdict"), "torn");
  assert.equal(await explorer.stepsTaken(), total);
}

const PMD_READERS = [
  {
    kind: "pmd_read_atomic",
    code: /r0 = \*tmp;[\s\S]*if \(!r0\) return \(pmd_t\) \{ 0 \};[\s\S]*r1 = \*\(tmp \+ 1\);/,
    call: "pmd = pmd_read_atomic(pmdp);",
    source: "pmd_read_atomic(), arch/x86/include/asm/pgtable-3level.h",
  },
  {
    kind: "read_once64",
    code: /r0 = /,
    call: "pmd = READ_ONCE(*pmdp);",
    source: "READ_ONCE(*pmdp) in gup_pmd_range(), mm/gup.c",
  },
];

for (const [index, reader] of PMD_READERS.entries()) {
  test(`${reader.kind} from the reader menu tears against zap and establish with a different low half`, async () => {
    await withExplorer(`family-${index + 1}-${reader.kind}`, async (explorer, page) => {
      await explorer.choosePreset("different-low");
      await explorer.chooseReaderKind(1, reader.kind);
      const code = await readerCode(page, 1);
      assert.ok(code.includes(reader.call), `the column runs ${reader.call}`);
      assert.match(code, reader.code);
      assert.ok(!code.includes("ptep_get_lockless"), "a pmd reader's code names no ptep_get_lockless()");
      const sources = await sourceLabels(page, 1);
      assert.ok(sources.length > 0, "its lines link their kernel source");
      assert.ok(
        sources.some((label) => label.includes(reader.source)),
        `a line links ${reader.source}: ${sources.join(" | ")}`,
      );
      assert.ok(!sources.some((label) => label.includes("ptep_get_lockless")), sources.join(" | "));
      // Two loads, the returned halves: no r2, no count.
      assert.deepEqual(await registerColumns(page), ["r0 ← low", "r1 ← high"]);
      await exploreAndReplayTorn(explorer);
      assert.ok(!(await readerCode(page, 1)).includes("ptep_get_lockless"), "nor after the replay");
      await assertAccessible(page, `${reader.kind} replayed to its torn read`);
    });
  });
}

test("pmd_read_atomic's none return leaves the high half not loaded", async () => {
  await withExplorer("family-3-pmd-none", async (explorer, page) => {
    await explorer.choosePreset("different-low");
    await explorer.chooseReaderKind(1, "pmd_read_atomic");
    // The zap clears the low half; the reader reads 0 and returns none.
    await explorer.takeSteps(["w1", "r1.r0", "r1.zero"]);
    await explorer.waitForVerdict(/not present/i);
    const cells = page.getByTestId("reader-1-state").locator("td");
    assert.match(await cells.nth(0).textContent(), /0x00000000/, "r0 holds the zapped low half");
    assert.match(await cells.nth(1).textContent(), /not loaded/, "r1 was never read");
    assert.doesNotMatch(await page.getByTestId("walk-state").textContent(), /r1=/);
  });
});

test("KVM's __get_spte_lockless() with the clear counter: never torn under x86-TSO, torn under the weak model", async () => {
  await withExplorer("family-4-kvm-spte", async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.chooseModel("tso");
    await explorer.chooseReaderKind(1, "kvm_spte");
    await page.getByTestId("clear-counter").check();
    await page.getByTestId("memory-count").waitFor();
    assert.match(await page.getByTestId("memory-count").textContent(), /count = 0/);
    const code = await readerCode(page, 1);
    assert.ok(code.includes("spte = __get_spte_lockless(sptep);"));
    assert.match(code, /c = sp->clear_spte_count;[\s\S]*c2 = sp->clear_spte_count;/);
    const sources = await sourceLabels(page, 1);
    for (const source of [
      "__get_spte_lockless(), arch/x86/kvm/mmu/mmu.c",
      "local_irq_disable() in walk_shadow_page_lockless_begin(), arch/x86/kvm/mmu/mmu.c",
    ]) {
      assert.ok(sources.some((label) => label.includes(source)), `a line links ${source}: ${sources.join(" | ")}`);
    }
    assert.deepEqual(await registerColumns(page), ["c ← count", "r0 ← low", "r1 ← high", "r2 ← low", "c2 ← count"]);
    // x86-TSO keeps the loads in order: the count catches the same low half.
    await explorer.exploreAll();
    assert.equal(await explorer.exploreResult.getAttribute("data-torn"), "Never");
    assert.equal(await page.getByTestId("scenario-warnings").count(), 0, "no warning under x86-TSO");
    // The weak model lets the count's re-read go before the low half's.
    await explorer.chooseModel("weak");
    const warning = page.getByTestId("scenario-warnings");
    await warning.waitFor();
    assert.match(await warning.textContent(), /32-bit x86 hosts only, where loads keep their order/);
    await exploreAndReplayTorn(explorer);
    assert.match(await explorer.verdict.textContent(), /32-bit x86 hosts only/);
    // The zap bumped the counter on the way.
    assert.match(await page.getByTestId("memory-count").textContent(), /count = 1/);
    await assertAccessible(page, "KVM's reader replayed to its torn read under the weak model");
  });
});

test("KVM's __get_spte_lockless() without the clear counter tears as the lockless loop does", async () => {
  await withExplorer("family-5-kvm-no-counter", async (explorer, page) => {
    await explorer.choosePreset("same-low-none");
    await explorer.chooseModel("tso");
    await explorer.chooseReaderKind(1, "kvm_spte");
    assert.equal(await page.getByTestId("clear-counter").isChecked(), false);
    await exploreAndReplayTorn(explorer);
    const sources = await sourceLabels(page, 1);
    assert.ok(sources.some((label) => label.includes("__get_spte_lockless(), arch/x86/kvm/mmu/mmu.c")));
  });
});
