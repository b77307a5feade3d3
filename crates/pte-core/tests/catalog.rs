//! The catalog under all three memory models, each with the exact set of
//! values a read can return, worked out by hand from the protocol.
//!
//! Notation: `"X:Y"` is the value whose low half is X's and whose high half
//! is Y's, for X, Y among P0, Z, P1, P2. Default values (Values::distinct):
//! P0 = 0x00000001_00001067, P1 = 0x00000003_00002067, Z = 0; the present
//! bit is bit 0 unless the preset says otherwise. Which of these is torn is
//! checked separately from the verdicts the core computes, in
//! `torn_values_are_exactly`.
//!
//! The reasoning shared by most rows: a completed read returns (r0, r1) with
//! r0 = r2, so the low half the reader returns was in memory at both reads
//! of low, and r1 was read between them (in time, or in program order only,
//! where a barrier is missing under the weak model).

use std::collections::BTreeSet;

use pte_core::{catalog, explore, MemoryModel, Pte, Scenario, Verdict};

/// The five results of one zap/establish cycle with distinct low halves:
/// the old PTE, the new one, and a cleared low half with any high half the
/// writer can have stored by then.
const ONE_CYCLE: &[&str] = &["P0:P0", "Z:P0", "Z:Z", "Z:P1", "P1:P1"];

struct Row {
    preset: &'static str,
    /// Expected results under SC, x86-TSO and weak.
    sc: &'static [&'static str],
    tso: &'static [&'static str],
    weak: &'static [&'static str],
    /// The torn values among all three sets.
    torn: &'static [&'static str],
}

impl Row {
    /// The expected results under `model`.
    fn under(&self, model: MemoryModel) -> &'static [&'static str] {
        [self.sc, self.tso, self.weak][model.index()]
    }
}

const ROWS: &[Row] = &[
    // The IPI flush cannot complete while the reader has interrupts off, and
    // the low halves differ: a reader that read P0's low twice read high
    // before the zap reached low; one that read P1's low read after P1's
    // high was stored (wmb, then rmb). Never torn.
    Row { preset: "kernel", sc: ONE_CYCLE, tso: ONE_CYCLE, weak: ONE_CYCLE, torn: &[] },
    // Jason's argument: ordering alone suffices while the low halves differ.
    Row { preset: "different-low", sc: ONE_CYCLE, tso: ONE_CYCLE, weak: ONE_CYCLE, torn: &[] },
    // P1.low = P0.low: r0 reads P0's low before the zap, r1 reads the zapped
    // high, r2 reads P1's (identical) low. P0:Z is present and no writer
    // wrote it.
    // P0:P1 is the value P1 itself, hence allowed.
    Row {
        preset: "same-low-none",
        sc: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        tso: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        weak: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        torn: &["P0:Z"],
    },
    // With the IPI flush, a reader that read P0's low holds the flush off,
    // so P1 cannot be established before its re-read of low: the re-read
    // sees P0's low only if nothing was zapped yet.
    Row { preset: "same-low-ipi", sc: ONE_CYCLE, tso: ONE_CYCLE, weak: ONE_CYCLE, torn: &[] },
    // The paravirt flush does not wait: the same tear as with no flush.
    Row {
        preset: "same-low-paravirt",
        sc: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        tso: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        weak: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        torn: &["P0:Z"],
    },
    // Jann's values: low goes A → 0 → B → 0 → A (P2.low = P0.low = A), high
    // goes P0.h → 0 → P1.h → 0 → P2.h. A reader whose two reads of low both
    // see A may straddle both cycles and read any high in between: P0:Z and
    // P0:P1 (Jann's 0x0001000200010067) are torn; P0:P2 is P2 itself.
    // Reads of a zero low return every high the writer stores after P0's.
    Row { preset: "jann-two-cycles", sc: JANN, tso: JANN, weak: JANN, torn: &["P0:Z", "P0:P1"] },
    // The atomic zap clears both halves at once (no Z:P0 any more), but the
    // reused low half still lets r0 and r2 straddle the zap and establish.
    Row {
        preset: "atomic-zap-same-low",
        sc: &["P0:P0", "P0:Z", "P1:P1", "Z:Z", "Z:P1"],
        tso: &["P0:P0", "P0:Z", "P1:P1", "Z:Z", "Z:P1"],
        weak: &["P0:P0", "P0:Z", "P1:P1", "Z:Z", "Z:P1"],
        torn: &["P0:Z"],
    },
    // High is cleared first: low still says present while high is zero.
    // A zero low comes after the zeroed high, so Z:P0 cannot be read.
    Row {
        preset: "mips-sh",
        sc: &["P0:P0", "P0:Z", "Z:Z", "Z:P1", "P1:P1"],
        tso: &["P0:P0", "P0:Z", "Z:Z", "Z:P1", "P1:P1"],
        weak: &["P0:P0", "P0:Z", "Z:Z", "Z:P1", "P1:P1"],
        torn: &["P0:Z"],
    },
    // No zap: high changes to P1's while low still holds P0's.
    Row {
        preset: "overwrite",
        sc: &["P0:P0", "P0:P1", "P1:P1"],
        tso: &["P0:P0", "P0:P1", "P1:P1"],
        weak: &["P0:P0", "P0:P1", "P1:P1"],
        torn: &["P0:P1"],
    },
    // The same five results as the x86 layout, but with the present bit at
    // 32 a zeroed low no longer means "not present": Z:P0 and Z:P1 are torn.
    Row {
        preset: "present-high-x86-order",
        sc: ONE_CYCLE,
        tso: ONE_CYCLE,
        weak: ONE_CYCLE,
        torn: &["Z:P0", "Z:P1"],
    },
    // Mirrored orders: high (present) is cleared first and set last, so any
    // read with a present high is a whole P0 or P1; the other three results
    // have high zeroed and are not present.
    Row {
        preset: "present-high-mirrored",
        sc: &["P0:P0", "P0:Z", "Z:Z", "P1:Z", "P1:P1"],
        tso: &["P0:P0", "P0:Z", "Z:Z", "P1:Z", "P1:P1"],
        weak: &["P0:P0", "P0:Z", "Z:Z", "P1:Z", "P1:P1"],
        torn: &[],
    },
    // The kernel's barriers without the zap's only wmb (native_pte_clear()
    // has no trailing one): the weak model may zero high before low, and
    // nothing orders the zap's low store before the establish's high store,
    // so memory may hold P0's low with Z's or P1's high. SC and TSO keep
    // stores in order, but the compiler (on in every preset, COMPILER.md)
    // may swap the zap's two plain stores, which no barrier separates now:
    // high ← 0 first, and memory holds P0:Z. It cannot move the zap's low
    // store past the establish's high store (the boundary between two
    // writer operations is a compiler barrier), so P0:P1 stays weak-only.
    Row {
        preset: "weak-no-zap-wmb1",
        sc: ZAP_SWAPPED,
        tso: ZAP_SWAPPED,
        weak: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P1"],
        torn: &["P0:Z", "P0:P1"],
    },
    // Jason's sketch without the zap's trailing wmb: redundant, every store
    // pair it would order is ordered by another wmb or touches the same word.
    Row { preset: "weak-no-zap-wmb2", sc: ONE_CYCLE, tso: ONE_CYCLE, weak: ONE_CYCLE, torn: &[] },
    // The kernel's barriers without set_pte()'s only wmb: P1's low (present)
    // may land before P1's high (P1:Z), and, with no trailing wmb in the zap,
    // even before the zap's high store (P1:P0). Under SC and TSO the
    // compiler may swap set_pte()'s two plain stores (P1's low first: P1:Z),
    // but not move them into the zap, another writer operation: no P1:P0.
    Row {
        preset: "weak-no-establish-wmb1",
        sc: ESTABLISH_SWAPPED,
        tso: ESTABLISH_SWAPPED,
        weak: &["P0:P0", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        torn: &["P1:P0", "P1:Z"],
    },
    // Jason's sketch without the establish's trailing wmb: nothing follows
    // the last establish.
    Row {
        preset: "weak-no-establish-wmb2",
        sc: ONE_CYCLE,
        tso: ONE_CYCLE,
        weak: ONE_CYCLE,
        torn: &[],
    },
    // r1 may be performed before r0: with P1's low read twice, r1 can hold
    // any high from before (P0's, the zap's). The compiler may do the same
    // under SC and TSO: r0 and r1 are plain loads with no compiler barrier
    // between them, so it may compile r1 ← high first, once for every
    // attempt; the CPU then keeps that order.
    Row {
        preset: "weak-no-rmb1",
        sc: &["P0:P0", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        tso: &["P0:P0", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        weak: &["P0:P0", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        torn: &["P1:P0", "P1:Z"],
    },
    // r2 may be performed before r1: with P0's low read twice early, r1 can
    // hold any later high. Under SC and TSO the compiler may compile r2 ←
    // low before r1 ← high (plain loads, no barrier between), or merge r2
    // into r0 (the check compares r0 with itself): the same results.
    Row {
        preset: "weak-no-rmb2",
        sc: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P1"],
        tso: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P1"],
        weak: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P1"],
        torn: &["P0:Z", "P0:P1"],
    },
    // TSO keeps store-store and load-load order, but on x86 the barriers
    // are there for the compiler (COMPILER.md): without any, it may swap
    // each writer operation's two plain stores (P0:Z, P1:Z), compile r1 ←
    // high before r0 ← low (P1:P0, P1:Z), or r2 ← low before r1 ← high or
    // merged into r0 (P0:Z, P0:P1). Under SC and TSO alike: every low the
    // reader can read twice with every high, as the weak model without any
    // barrier.
    Row {
        preset: "tso-no-barriers",
        sc: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        tso: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        weak: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        torn: &["P0:Z", "P0:P1", "P1:P0", "P1:Z"],
    },
    // WRITE_ONCE()/READ_ONCE(): the compiler may neither reorder two marked
    // accesses nor merge a marked load, so SC and TSO run the program as
    // written and keep its order: the kernel's five results. The weak CPU
    // reorders as in tso-no-barriers.
    Row {
        preset: "tso-no-barriers-marked",
        sc: ONE_CYCLE,
        tso: ONE_CYCLE,
        weak: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        torn: &["P0:Z", "P0:P1", "P1:P0", "P1:Z"],
    },
    // tso-no-barriers under SC: the compiler's forms are the same, and SC
    // keeps their order as TSO does.
    Row {
        preset: "sc-compiler-no-barriers",
        sc: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        tso: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        weak: &["P0:P0", "P0:Z", "P0:P1", "Z:P0", "Z:Z", "Z:P1", "P1:P0", "P1:Z", "P1:P1"],
        torn: &["P0:Z", "P0:P1", "P1:P0", "P1:Z"],
    },
    // The walker loads one moment of memory. x86 orders: memory holds P0,
    // Z:P0, Z:Z, Z:P1, P1 in turn (the writer is in order under every model
    // with the kernel's barriers), none of them a present mix.
    Row { preset: "walker-x86", sc: ONE_CYCLE, tso: ONE_CYCLE, weak: ONE_CYCLE, torn: &[] },
    // MIPS/SH: memory holds P0:Z between the clear's stores. Under the weak
    // model with no flush nothing orders the clear's low store before the
    // establish's high store (no trailing wmb): memory can hold P0:P1 too.
    Row {
        preset: "walker-mips-sh",
        sc: &["P0:P0", "P0:Z", "Z:Z", "Z:P1", "P1:P1"],
        tso: &["P0:P0", "P0:Z", "Z:Z", "Z:P1", "P1:P1"],
        weak: &["P0:P0", "P0:Z", "P0:P1", "Z:Z", "Z:P1", "P1:P1"],
        torn: &["P0:Z", "P0:P1"],
    },
    // GUP-fast returns a loop result only if the re-check reads the same
    // value again. The same-low tear P0:Z needs r2 after P1's low store, when
    // memory is P1 for good: backed off, never returned (see BACKED_OFF).
    // P1 is final, so it is never backed off from.
    Row {
        preset: "gup-fast-same-low",
        sc: ONE_CYCLE,
        tso: ONE_CYCLE,
        weak: ONE_CYCLE,
        torn: &["P0:Z"],
    },
    // MIPS/SH: P0:Z (and under weak P0:P1) sits in memory, so the re-check
    // can read it again and accept it.
    Row {
        preset: "gup-fast-mips-sh",
        sc: &["P0:P0", "P0:Z", "Z:Z", "Z:P1", "P1:P1"],
        tso: &["P0:P0", "P0:Z", "Z:Z", "Z:P1", "P1:P1"],
        weak: &["P0:P0", "P0:Z", "P0:P1", "Z:Z", "Z:P1", "P1:P1"],
        torn: &["P0:Z", "P0:P1"],
    },
    // An even, unchanged seq brackets the reads: only what memory held in an
    // even window, P0 (seq 0), Z:Z (seq 2), P1 (seq 4). Under the weak model
    // the fix's barriers keep the reads inside the window.
    Row { preset: "seqcount-fix", sc: SEQ_FIX, tso: SEQ_FIX, weak: SEQ_FIX, torn: &[] },
    Row { preset: "seqcount-fix-tso", sc: SEQ_FIX, tso: SEQ_FIX, weak: SEQ_FIX, torn: &[] },
    Row { preset: "seqcount-fix-weak", sc: SEQ_FIX, tso: SEQ_FIX, weak: SEQ_FIX, torn: &[] },
    // Without the rmb after `s ← seq` the halves may be read any time before
    // the second read of seq: by the end of the seq-4 window low was P0's
    // (= P1's) or 0 and high P0's, 0 or P1's. P0:P1 is P1 itself.
    Row {
        preset: "seqcount-fix-weak-no-rmb-begin",
        sc: SEQ_FIX,
        tso: SEQ_FIX,
        weak: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        torn: &["P0:Z"],
    },
    // pmd_read_atomic(), P1.low = P0.low: a zero low half returns the none
    // pmd (0, 0) = Z:Z, so Z:P0 and Z:P1 are never returned. A non-zero low
    // half is P0's (= P1's), read before the zap's low store or after the
    // establish's; the high half is read after it (rmb, or program order)
    // and may be P0's, the zapped one or P1's. No re-check: P0:Z is
    // returned; P0:P1 is P1 itself. The test is a compiler barrier and the
    // writer's wmbs are on, so every model (and the compiler) gives the same.
    Row {
        preset: "pmd-read-atomic-same-low",
        sc: &["P0:P0", "P0:Z", "P1:P1", "Z:Z"],
        tso: &["P0:P0", "P0:Z", "P1:P1", "Z:Z"],
        weak: &["P0:P0", "P0:Z", "P1:P1", "Z:Z"],
        torn: &["P0:Z"],
    },
    // pmd_read_atomic() on 0 with one establish (high, wmb, low): a zero low
    // half returns 0 (= P0:P0 = Z:Z); a non-zero one is P1's, stored after
    // P1's high, which the rmb keeps the load of the high half behind.
    Row {
        preset: "pmd-read-atomic-populate",
        sc: &["P0:P0", "P1:P1"],
        tso: &["P0:P0", "P1:P1"],
        weak: &["P0:P0", "P1:P1"],
        torn: &[],
    },
    // READ_ONCE(*pmdp), P1.low = P0.low: two loads, no re-check. Even low
    // first (the program as written) any low (P0's = P1's, or the zapped 0)
    // meets any later high (P0's, 0, P1's): all six; the compiler's and the
    // weak CPU's high-first orders add nothing new. P0:Z is torn; P0:P1 is
    // P1; the Z: values are not present.
    Row {
        preset: "read-once64-same-low",
        sc: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        tso: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        weak: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        torn: &["P0:Z"],
    },
    // READ_ONCE(*pmdp) on 0 with one establish: low first gives P0:P0,
    // P0:P1 (high stored, low not yet: not present) or P1:P1; the compiler
    // (on in the preset) may emit the high half's load first, and then the
    // old high half (0) meets P1's low half: P1:P0, torn even under SC. A
    // weak CPU performs the loads in either order anyway.
    Row {
        preset: "read-once64-populate",
        sc: &["P0:P0", "P0:P1", "P1:P0", "P1:P1"],
        tso: &["P0:P0", "P0:P1", "P1:P0", "P1:P1"],
        weak: &["P0:P0", "P0:P1", "P1:P0", "P1:P1"],
        torn: &["P1:P0"],
    },
    // KVM's __get_spte_lockless() with the clear counter, P1.low = P0.low:
    // count goes 0 → 1 after the zap's two stores (wmb before the bump). A
    // read with c = c2 = 0 read every half before the bump, so after the
    // zap at most: P0:P0, or a zeroed low with P0's or the zapped high
    // (Z:P0, Z:Z). With c = c2 = 1 every half after the bump: Z:Z, Z:P1
    // (P1's high stored, its low not yet) or P1:P1. c ≠ c2 retries. In
    // program order (SC, TSO, and the compiler, which every rmb and test
    // holds) that is all. Under weak c2 may be performed before r2 (the
    // || is a branch): r0 = P0.low before the zap, r1 the zapped high, c2
    // the count before the bump, r2 P1's (identical) low: P0:Z, torn;
    // P0:P1 (P1's high before the bump, which nothing orders before it) is
    // P1 itself.
    Row {
        preset: "kvm-spte-clear-counter",
        sc: ONE_CYCLE,
        tso: ONE_CYCLE,
        weak: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        torn: &["P0:Z"],
    },
    // Without the clear counter count stays 0, c = c2 always: the lockless
    // loop against the same low half, as same-low-none.
    Row {
        preset: "kvm-spte-no-clear-counter",
        sc: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        tso: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        weak: &["P0:P0", "P0:Z", "P1:P1", "Z:P0", "Z:Z", "Z:P1"],
        torn: &["P0:Z"],
    },
];

const SEQ_FIX: &[&str] = &["P0:P0", "Z:Z", "P1:P1"];

/// Values read and then backed off from (GUP-fast's re-check), per preset,
/// under SC, TSO and weak; every other preset backs off from nothing.
const BACKED_OFF: &[(&str, [&[&str]; 3])] = &[
    // A loop result from before P1's low store can be followed by a change
    // before the re-check; the same-low tear always is.
    ("gup-fast-same-low", [GUP_SAME_LOW_BACKED_OFF; 3]),
    ("gup-fast-mips-sh", [GUP_MIPS_BACKED_OFF, GUP_MIPS_BACKED_OFF, GUP_MIPS_WEAK_BACKED_OFF]),
];

const GUP_SAME_LOW_BACKED_OFF: &[&str] = &["P0:P0", "P0:Z", "Z:P0", "Z:Z", "Z:P1"];
const GUP_MIPS_BACKED_OFF: &[&str] = &["P0:P0", "P0:Z", "Z:Z", "Z:P1"];
const GUP_MIPS_WEAK_BACKED_OFF: &[&str] = &["P0:P0", "P0:Z", "P0:P1", "Z:Z", "Z:P1"];

/// One cycle with the zap's two stores swapped by the compiler: memory
/// also holds P0's low with Z's high.
const ZAP_SWAPPED: &[&str] = &["P0:P0", "P0:Z", "Z:P0", "Z:Z", "Z:P1", "P1:P1"];

/// One cycle with set_pte()'s two stores swapped by the compiler: memory
/// also holds P1's low with Z's high.
const ESTABLISH_SWAPPED: &[&str] = &["P0:P0", "Z:P0", "Z:Z", "Z:P1", "P1:Z", "P1:P1"];

const JANN: &[&str] = &["P0:P0", "P0:Z", "P0:P1", "P0:P2", "Z:P0", "Z:Z", "Z:P1", "Z:P2", "P1:P1"];

/// The value `"X:Y"` names under a scenario's values.
fn value(scenario: &Scenario, name: &str) -> Pte {
    let half = |name: &str| -> Pte {
        match name {
            "P0" => scenario.values.p0,
            "Z" => scenario.values.z,
            _ => {
                let n: usize = name.strip_prefix('P').and_then(|n| n.parse().ok()).expect(name);
                scenario.values.p[n - 1]
            }
        }
    };
    let (low, high) = name.split_once(':').expect(name);
    Pte::from_halves(half(high).high(), half(low).low())
}

#[track_caller]
fn check(preset: &str, model: MemoryModel, expected: &[&str], torn: &[&str]) {
    let mut scenario = catalog::find(preset).expect(preset).scenario();
    scenario.model = model;
    let report = explore(scenario.clone()).unwrap();
    assert!(report.complete, "{preset} under {model:?} did not finish");
    let expected_values: BTreeSet<Pte> = expected.iter().map(|n| value(&scenario, n)).collect();
    let backed_off: BTreeSet<Pte> = BACKED_OFF
        .iter()
        .find(|(id, _)| *id == preset)
        .map_or(&[][..], |(_, sets)| sets[model.index()])
        .iter()
        .map(|n| value(&scenario, n))
        .collect();
    let found_backed_off: BTreeSet<Pte> =
        report.outcomes.iter().filter(|o| !o.returned).map(|o| o.value).collect();
    assert_eq!(found_backed_off, backed_off, "{preset} under {model:?}: backed off differ");
    let found: BTreeSet<Pte> =
        report.outcomes.iter().filter(|o| o.returned).map(|o| o.value).collect();
    assert_eq!(found, expected_values, "{preset} under {model:?}: returned results differ");

    let torn_values: BTreeSet<Pte> = torn.iter().map(|n| value(&scenario, n)).collect();
    for outcome in &report.outcomes {
        assert_eq!(
            outcome.verdict.is_torn(),
            torn_values.contains(&outcome.value),
            "{preset} under {model:?}: verdict of {} is {:?}",
            outcome.value,
            outcome.verdict
        );
    }
    let any_torn = report.outcomes.iter().any(|o| o.returned && o.verdict == Verdict::Torn);
    assert_eq!(report.torn().is_sometimes(), any_torn);
}

#[test]
fn every_preset_under_every_model() {
    for row in ROWS {
        for model in MemoryModel::ALL {
            check(row.preset, model, row.under(model), row.torn);
        }
    }
}

#[test]
fn the_table_covers_the_whole_catalog() {
    let listed: BTreeSet<&str> = ROWS.iter().map(|row| row.preset).collect();
    let catalog: BTreeSet<&str> = catalog::presets().iter().map(|p| p.id).collect();
    assert_eq!(listed, catalog);
}

#[test]
fn jann_horn_value_is_reachable() {
    // His corrected value, verbatim from the thread, with flags 0x067.
    let report = explore(catalog::find("jann-two-cycles").unwrap().scenario()).unwrap();
    let jann = report.outcomes.iter().find(|o| o.value == Pte(0x0001_0002_0001_0067)).unwrap();
    assert_eq!(jann.verdict, Verdict::Torn);
}

#[test]
fn presets_are_valid_and_explained() {
    for preset in catalog::presets() {
        preset.scenario().validate().unwrap();
        assert!(preset.explanation.len() > 80, "{} needs an explanation", preset.id);
        assert_eq!(catalog::matching(&preset.scenario()).map(|p| p.id), Some(preset.id));
    }
}

/// The menus group the presets by topic without reordering them: each
/// topic's presets are next to each other, in the topics' order, and every
/// topic has some.
#[test]
fn presets_are_grouped_by_topic_in_menu_order() {
    let mut topics: Vec<catalog::Topic> =
        catalog::presets().iter().map(|preset| preset.topic).collect();
    topics.dedup();
    assert_eq!(
        topics,
        catalog::Topic::ALL,
        "each topic's presets are one run, in Topic::ALL's order"
    );
    let jann = catalog::find("jann-two-cycles").unwrap();
    assert_eq!(jann.topic, catalog::Topic::ZapAndEstablish);
    assert!(catalog::Topic::ZapAndEstablish.title().contains("Jann Horn"));
}
