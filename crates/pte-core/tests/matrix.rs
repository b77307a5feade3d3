//! The barrier matrix of every catalog preset, worked out by hand, and the
//! properties every matrix must have: its minimal sets are sufficient and
//! minimal (checked by exploring them), and every torn cell's witness is a
//! real trace of that cell's variant.
//!
//! Every preset has the compiler on (COMPILER.md). Under SC and x86-TSO the
//! CPU keeps program order, so a barrier there only stops the compiler:
//! each site is a compiler barrier, and without it the compiler may
//! reorder the plain accesses on both sides of it (or merge a re-read of
//! low into the first read). Inside one function that is the reordering
//! the weak model does, so the SC and TSO rows are the weak row, with one
//! exception: the sequence counter's odd test (`if (s & 1) goto retry`) is
//! a check, and every check is a compiler barrier, so without
//! `seq_rmb_begin` the compiler still cannot move the reads of the halves
//! above it, while a weak CPU performs them early past the branch. Under SC
//! and TSO `seq_rmb_begin` is never needed. The same holds for `pmd_rmb`,
//! which sits after `pmd_read_atomic()`'s zero test. The rows below give each
//! preset's answers, and for the weak model the cells that tear and the
//! minimal sets, each with its reason. (Before the compiler was modelled
//! the SC and TSO rows were the preset's answer in every cell: the x86-TSO
//! line read "no barrier needed", which is true of the CPU only.)
//!
//! Names: z1, z2 = zap_wmb1, zap_wmb2; e1, e2 = establish_wmb1,
//! establish_wmb2; rmb1, rmb2 = reader_rmb1, reader_rmb2; swb, swe =
//! seq_wmb_begin, seq_wmb_end; srb, srr = seq_rmb_begin, seq_rmb_retry.
//! Under the weak model any enabled wmb between two stores orders them
//! (MODEL.md), and a trailing wmb (z2, e2) sits after an operation's second
//! store, so it never orders the operation's own two stores.

use std::collections::BTreeSet;

mod common;
use common::assert_minimal_sets_explored;

use pte_core::{
    barrier_matrix, catalog, Barrier, BarrierMatrix, MemoryModel, MinimalSets, Scenario, Session,
    TornAnswer, Variant,
};

/// The sites of a zap, a flush and an establish with lockless (or GUP-fast) readers.
const SIX: &[&str] =
    &["zap_wmb1", "zap_wmb2", "establish_wmb1", "establish_wmb2", "reader_rmb1", "reader_rmb2"];
/// The atomic zap and the overwrite have no zap wmb.
const NO_ZAP: &[&str] = &["establish_wmb1", "establish_wmb2", "reader_rmb1", "reader_rmb2"];
/// The walker's single 64-bit load has no rmb.
const WALKER: &[&str] = &["zap_wmb1", "zap_wmb2", "establish_wmb1", "establish_wmb2"];
/// The sequence-counter fix: its reader has only the seq rmbs.
const SEQ: &[&str] = &[
    "zap_wmb1",
    "zap_wmb2",
    "establish_wmb1",
    "establish_wmb2",
    "seq_wmb_begin",
    "seq_wmb_end",
    "seq_rmb_begin",
    "seq_rmb_retry",
];

/// pmd_read_atomic() against a zap and an establish: the writer's four and
/// its own rmb.
const PMD: &[&str] = &["zap_wmb1", "zap_wmb2", "establish_wmb1", "establish_wmb2", "pmd_rmb"];
/// A single establish with a pmd_read_atomic() reader.
const POPULATE_PMD: &[&str] = &["establish_wmb1", "establish_wmb2", "pmd_rmb"];
/// A single establish with a reader that has no barrier (READ_ONCE(*pmdp)).
const POPULATE: &[&str] = &["establish_wmb1", "establish_wmb2"];

/// KVM's __get_spte_lockless() against a zap and an establish with the
/// clear counter: the writer's four, count_spte_clear()'s wmb, the loop's
/// two rmbs and the one after reading the count.
const KVM: &[&str] = &[
    "zap_wmb1",
    "zap_wmb2",
    "establish_wmb1",
    "establish_wmb2",
    "reader_rmb1",
    "reader_rmb2",
    "kvm_count_wmb",
    "kvm_count_rmb",
];
/// What KVM's reader with the clear counter needs in program order (the
/// compiler's reorderings): all but kvm_count_wmb and the trailing wmbs.
const KVM_IN_ORDER: &[&str] =
    &["zap_wmb1", "establish_wmb1", "reader_rmb1", "reader_rmb2", "kvm_count_rmb"];
/// The same without the clear counter: the writer has no kvm_count_wmb.
const KVM_NO_COUNTER: &[&str] = &[
    "zap_wmb1",
    "zap_wmb2",
    "establish_wmb1",
    "establish_wmb2",
    "reader_rmb1",
    "reader_rmb2",
    "kvm_count_rmb",
];

/// The kernel's four barriers: each is needed under the weak model (the
/// catalog's weak-no-* presets tear without it, trailing wmbs on or off, as
/// a trailing wmb never orders its own operation's stores), and together
/// they suffice (the different-low preset never tears under weak).
const KERNEL_FOUR: &[&[&str]] = &[&["zap_wmb1", "establish_wmb1", "reader_rmb1", "reader_rmb2"]];
/// Every cell tears.
const ALL_TORN: Option<&[&str]> = None;

struct Row {
    preset: &'static str,
    sites: &'static [&'static str],
    /// Torn under SC, and under x86-TSO.
    sc: bool,
    tso: bool,
    /// Weak: the scenario's barriers as they are.
    weak: bool,
    /// Weak: the sites whose cell (that site switched off alone) tears;
    /// `None`: every cell.
    weak_torn_without: Option<&'static [&'static str]>,
    weak_minimal: &'static [&'static [&'static str]],
    /// The SC and TSO cells.
    in_order: InOrder,
}

/// The SC and TSO cells of a row.
enum InOrder {
    /// The weak row's, but that `seq_rmb_begin` (and `pmd_rmb`) is never needed.
    LikeWeak,
    /// Exactly these cells tear.
    TornWithout(&'static [&'static str]),
    /// Exactly these cells tear, and these are the minimal sets: for a row
    /// torn under weak with every barrier on (no weak minimal set to
    /// filter) whose in-order answer is never torn.
    TornWithoutMinimal(&'static [&'static str], &'static [&'static [&'static str]]),
}

const ROWS: &[Row] = &[
    // Kernel barriers, IPI flush: never torn; under weak each of the four
    // is needed even with the flush (the zap's halves, the establish's
    // halves after the flush, the reader's reordered loads all tear first).
    Row {
        preset: "kernel",
        sites: SIX,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["zap_wmb1", "establish_wmb1", "reader_rmb1", "reader_rmb2"]),
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // The same without a flush: Jason's argument, all ordering.
    Row {
        preset: "different-low",
        sites: SIX,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["zap_wmb1", "establish_wmb1", "reader_rmb1", "reader_rmb2"]),
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // Torn under SC with every barrier on; the weak model with every
    // barrier on still has every SC trace, so no placement helps.
    Row {
        preset: "same-low-none",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // The IPI flush closes the same-low race; what is left is ordering,
    // exactly as in the kernel row (each tear there needs no reused low).
    Row {
        preset: "same-low-ipi",
        sites: SIX,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["zap_wmb1", "establish_wmb1", "reader_rmb1", "reader_rmb2"]),
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // Torn under SC: no placement helps.
    Row {
        preset: "same-low-paravirt",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // Torn under SC (Jann's interleaving is sequential): no placement helps.
    Row {
        preset: "jann-two-cycles",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // Torn under SC (the reused low half straddles the atomic zap).
    Row {
        preset: "atomic-zap-same-low",
        sites: NO_ZAP,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // Torn under SC: memory itself holds P0:Z between the clear's stores.
    Row {
        preset: "mips-sh",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // Torn under SC: memory itself holds P0:P1 between set_pte()'s stores.
    Row {
        preset: "overwrite",
        sites: NO_ZAP,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // Torn under SC: the zap's first store leaves a present high half.
    Row {
        preset: "present-high-x86-order",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // The mirror image of the kernel row with the present bit in high:
    // without z1 low is cleared first (Z:P0 present), without e1 high is
    // set first (Z:P1), without rmb1 P1:P0, without rmb2 P0:P1.
    Row {
        preset: "present-high-mirrored",
        sites: SIX,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["zap_wmb1", "establish_wmb1", "reader_rmb1", "reader_rmb2"]),
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // z1 is off already: torn under weak, so every cell (a subset of its
    // barriers) tears; the minimal set is the kernel's four.
    Row {
        preset: "weak-no-zap-wmb1",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // Jason's sketch without z2: never torn; switching e2 off too leaves
    // the kernel's four, still enough; the other four are needed.
    Row {
        preset: "weak-no-zap-wmb2",
        sites: SIX,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["zap_wmb1", "establish_wmb1", "reader_rmb1", "reader_rmb2"]),
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // e1 off already: torn, every cell tears.
    Row {
        preset: "weak-no-establish-wmb1",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // Jason's sketch without e2: as weak-no-zap-wmb2, the other way round.
    Row {
        preset: "weak-no-establish-wmb2",
        sites: SIX,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["zap_wmb1", "establish_wmb1", "reader_rmb1", "reader_rmb2"]),
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // rmb1 off already: torn, every cell tears.
    Row {
        preset: "weak-no-rmb1",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // rmb2 off already: torn, every cell tears.
    Row {
        preset: "weak-no-rmb2",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // Every site off: never torn under SC and TSO, torn under weak; the
    // same code as different-low, so the same minimal set.
    Row {
        preset: "tso-no-barriers",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // Marked accesses: the compiler transforms nothing whatever the
    // barriers, so under SC and TSO the barriers do nothing (never torn, no
    // barrier needed); the weak CPU needs the kernel's four.
    Row {
        preset: "tso-no-barriers-marked",
        sites: SIX,
        sc: false,
        tso: false,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::TornWithout(&[]),
    },
    // The same scenario as tso-no-barriers under another model: the same
    // matrix.
    Row {
        preset: "sc-compiler-no-barriers",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: KERNEL_FOUR,
        in_order: InOrder::LikeWeak,
    },
    // The walker reads one moment of memory: only the writer's order
    // matters. Without z1 memory holds P0.low with a zeroed high, without
    // e1 P1.low (= P0.low) with a zeroed high; with both, never a present mix.
    Row {
        preset: "walker-x86",
        sites: WALKER,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["zap_wmb1", "establish_wmb1"]),
        weak_minimal: &[&["zap_wmb1", "establish_wmb1"]],
        in_order: InOrder::LikeWeak,
    },
    // Torn under SC: the high-first clear leaves P0:Z in memory.
    Row {
        preset: "walker-mips-sh",
        sites: WALKER,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // GUP-fast's re-check reads the entry again after the full barrier of
    // grab. Without z1 or e1 memory itself holds P0.low (= P1.low) with a
    // zeroed high, which the re-check reads again and accepts. Without
    // rmb2, r0 = r2 = P0.low early and r1 = 0 later, and the re-check's
    // two plain loads (no barrier between) read high = 0 before P1's high
    // store and low = P1.low after it: accepted. rmb1 is not needed: a
    // torn loop result then has r2 = P1.low read after P1's high store
    // (e1, and r2 after r1), so the re-check, after grab, reads P1's high
    // and backs off.
    Row {
        preset: "gup-fast-same-low",
        sites: SIX,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["zap_wmb1", "establish_wmb1", "reader_rmb2"]),
        weak_minimal: &[&["zap_wmb1", "establish_wmb1", "reader_rmb2"]],
        in_order: InOrder::LikeWeak,
    },
    // Torn under SC: the re-check reads the half-written P0:Z again.
    Row {
        preset: "gup-fast-mips-sh",
        sites: SIX,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // See SEQ_MINIMAL: with the kernel's barriers, z1 and e1 are each
    // backed up by swb/swe and the other way round; srb and srr are not.
    Row {
        preset: "seqcount-fix",
        sites: SEQ,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["seq_rmb_begin", "seq_rmb_retry"]),
        weak_minimal: SEQ_MINIMAL,
        in_order: InOrder::LikeWeak,
    },
    Row {
        preset: "seqcount-fix-tso",
        sites: SEQ,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["seq_rmb_begin", "seq_rmb_retry"]),
        weak_minimal: SEQ_MINIMAL,
        in_order: InOrder::LikeWeak,
    },
    Row {
        preset: "seqcount-fix-weak",
        sites: SEQ,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["seq_rmb_begin", "seq_rmb_retry"]),
        weak_minimal: SEQ_MINIMAL,
        in_order: InOrder::LikeWeak,
    },
    // srb off already: torn under weak, every cell tears.
    Row {
        preset: "seqcount-fix-weak-no-rmb-begin",
        sites: SEQ,
        sc: false,
        tso: false,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: SEQ_MINIMAL,
        // In program order srb stops only the compiler, which the odd test
        // stops anyway: only srr's cell tears, as in seqcount-fix.
        in_order: InOrder::TornWithout(&["seq_rmb_retry"]),
    },
    // No re-check: torn with every barrier on, so in every cell, and no set
    // of sites suffices.
    Row {
        preset: "pmd-read-atomic-same-low",
        sites: PMD,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // Never torn with its barriers. Under weak: without e1 P1's low half may
    // reach memory before its high half (the reader pairs it with 0);
    // without pmd_rmb the high half's load may be performed before the low
    // half's (the `if` orders nothing). e2 trails the only store after it.
    // In program order pmd_rmb stops only the compiler, which the test stops
    // anyway: only e1's cell tears (the compiler swaps the plain stores).
    Row {
        preset: "pmd-read-atomic-populate",
        sites: POPULATE_PMD,
        sc: false,
        tso: false,
        weak: false,
        weak_torn_without: Some(&["establish_wmb1", "pmd_rmb"]),
        weak_minimal: &[&["establish_wmb1", "pmd_rmb"]],
        in_order: InOrder::TornWithout(&["establish_wmb1"]),
    },
    // Two loads, no re-check: torn in every cell; the reader has no site.
    Row {
        preset: "read-once64-same-low",
        sites: WALKER,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // The compiler (and a weak CPU) may load the high half first: torn in
    // every cell, no barrier site can stop it.
    Row {
        preset: "read-once64-populate",
        sites: POPULATE,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
    // Under weak torn with every barrier on (c2 may be performed before r2:
    // the || is a branch), so in every cell, and no set suffices. In
    // program order only the compiler moves accesses, within regions:
    // without z1 it stores the zap's high half first (P0's low with the
    // zapped high, before the bump: c = c2 = 0); without e1 P1's low half
    // first (P1's low with the zapped high, after the bump); without rmb1 it
    // loads the high half first (the zapped high, then P1's low twice,
    // after the bump); without rmb2 it loads r2 before r1 (P0's low twice
    // before the zap, then the zapped high and c2 before the bump); without
    // kvm_count_rmb it loads the count after the low half (P0's low before
    // the zap, the count and the rest after the bump). kvm_count_wmb is
    // redundant next to z1: with the bump before the zap's high store, a
    // reader that saw the bump reads a zeroed low half, not present. z2
    // and e2 are off in the preset and trail their operation.
    Row {
        preset: "kvm-spte-clear-counter",
        sites: KVM,
        sc: false,
        tso: false,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        // Each of the five is needed, and together (with kvm_count_wmb and
        // the trailing wmbs off) they suffice.
        in_order: InOrder::TornWithoutMinimal(KVM_IN_ORDER, &[KVM_IN_ORDER]),
    },
    // count stays 0: the lockless loop with the same low half, torn in
    // every cell under every model, as same-low-none.
    Row {
        preset: "kvm-spte-no-clear-counter",
        sites: KVM_NO_COUNTER,
        sc: true,
        tso: true,
        weak: true,
        weak_torn_without: ALL_TORN,
        weak_minimal: &[],
        in_order: InOrder::LikeWeak,
    },
];

/// The sequence-counter fix under weak (same low half, no flush). The
/// writer is a1 seq←1 [swb] a2 low←0 [z1] a3 high←0 [z2, swe] a4 seq←2
/// a5 seq←3 [swb] a6 high←P1.h [e1] a7 low←P1.l [e2, swe] a8 seq←4; the
/// reader's srb and srr keep r0, r1 between its two reads of an even,
/// unchanged seq, so it returns what memory held while seq was 0, 2 or 4,
/// and a tear (P0.low, which P1.low equals, with a zeroed high) needs:
/// a3 before a1 (seq 0) unless swb or z1; a2 after a4 (seq 2) unless z1,
/// z2 or swe; a7 before a5 (seq 2) unless swb or e1; a6 after a8 (seq 4)
/// unless e1, e2 or swe. The minimal ways to block all four, with srb
/// and srr:
const SEQ_MINIMAL: &[&[&str]] = &[
    &["zap_wmb1", "establish_wmb1", "seq_rmb_begin", "seq_rmb_retry"],
    &["seq_wmb_begin", "seq_wmb_end", "seq_rmb_begin", "seq_rmb_retry"],
    &["zap_wmb1", "establish_wmb2", "seq_wmb_begin", "seq_rmb_begin", "seq_rmb_retry"],
    &["zap_wmb2", "establish_wmb1", "seq_wmb_begin", "seq_rmb_begin", "seq_rmb_retry"],
    &["zap_wmb2", "establish_wmb2", "seq_wmb_begin", "seq_rmb_begin", "seq_rmb_retry"],
];

fn barriers(ids: &[&str]) -> Vec<Barrier> {
    ids.iter().map(|id| id.parse().expect(id)).collect()
}

fn torn(answer: Option<&pte_core::Answer>, what: &str) -> bool {
    let answer = answer.unwrap_or_else(|| panic!("{what}: no answer"));
    assert!(answer.torn != TornAnswer::Unknown, "{what}: incomplete");
    answer.torn.is_sometimes()
}

#[track_caller]
fn check_row(matrix: &BarrierMatrix, model: MemoryModel, expected: ModelExpectation<'_>) {
    let preset = expected.preset;
    let row = matrix.row(model);
    assert_eq!(row.model, model);
    assert_eq!(torn(row.as_is.as_ref(), preset), expected.as_is, "{preset} {model:?}: as is");
    for cell in &row.without {
        let want = expected.torn_without.is_none_or(|sites| sites.contains(&cell.barrier.id()));
        let what = format!("{preset} {model:?} without {}", cell.barrier.id());
        assert_eq!(torn(cell.answer.as_ref(), &what), want, "{what}");
    }
    let sets: Vec<Vec<Barrier>> = expected.minimal.iter().map(|set| barriers(set)).collect();
    assert_eq!(row.minimal_sets, MinimalSets::Decided(sets), "{preset} {model:?}: minimal sets");
}

struct ModelExpectation<'a> {
    preset: &'a str,
    as_is: bool,
    torn_without: Option<&'a [&'a str]>,
    minimal: &'a [&'a [&'a str]],
}

#[test]
fn every_preset_s_matrix() {
    for row in ROWS {
        let scenario = catalog::find(row.preset).expect(row.preset).scenario();
        let matrix = barrier_matrix(scenario, pte_core::DEFAULT_MAX_STATES).unwrap();
        assert!(matrix.is_finished(), "{}", row.preset);
        assert_eq!(matrix.sites, barriers(row.sites), "{}: sites", row.preset);
        for model in MemoryModel::ALL {
            let as_is = [row.sc, row.tso, row.weak][model.index()];
            // In program order a barrier stops only the compiler, which
            // cannot cross a check (see the module comment).
            let compiler_only = |site: &&str| {
                !model.rules().in_program_order || !["seq_rmb_begin", "pmd_rmb"].contains(site)
            };
            let torn_without: Option<Vec<&str>> = match row.in_order {
                InOrder::TornWithout(sites) | InOrder::TornWithoutMinimal(sites, _)
                    if model.rules().in_program_order =>
                {
                    Some(sites.to_vec())
                }
                _ => row
                    .weak_torn_without
                    .map(|sites| sites.iter().copied().filter(compiler_only).collect()),
            };
            let minimal: Vec<Vec<&str>> = row
                .weak_minimal
                .iter()
                .map(|set| set.iter().copied().filter(compiler_only).collect())
                .collect();
            let mut minimal: Vec<&[&str]> = minimal.iter().map(Vec::as_slice).collect();
            if let (InOrder::TornWithout([]), true) =
                (&row.in_order, model.rules().in_program_order)
            {
                // Nothing tears: no barrier is needed.
                minimal = vec![&[]];
            }
            if let (InOrder::TornWithoutMinimal(_, sets), true) =
                (&row.in_order, model.rules().in_program_order)
            {
                minimal = sets.to_vec();
            }
            let expected = ModelExpectation {
                preset: row.preset,
                as_is,
                torn_without: torn_without.as_deref(),
                minimal: &minimal,
            };
            check_row(&matrix, model, expected);
        }
    }
}

#[test]
fn the_table_covers_the_whole_catalog() {
    let listed: BTreeSet<&str> = ROWS.iter().map(|row| row.preset).collect();
    let catalog: BTreeSet<&str> = catalog::presets().iter().map(|p| p.id).collect();
    assert_eq!(listed, catalog);
}

/// Each minimal set suffices, and drops below sufficiency without any one
/// of its sites; each torn cell's witness replays to a torn read in that
/// cell's variant (implied cells included).
fn check_matrix_by_exploring(matrix: &BarrierMatrix) {
    assert_minimal_sets_explored(matrix);
    let base = &matrix.scenario;
    for row in &matrix.models {
        let cells = row.without.iter().map(|cell| {
            (Variant { model: row.model, barriers: base.barriers.with(cell.barrier, false) }, cell)
        });
        for (variant, cell) in cells {
            let Some(witness) = cell.answer.as_ref().and_then(|a| a.torn.witness()) else {
                continue;
            };
            let mut session = Session::compiled(variant.scenario(base), witness.form).unwrap();
            session.replay(&witness.steps).unwrap();
            assert!(session.last_read().unwrap().returned_torn(), "{:?}", cell.barrier);
        }
    }
}

#[test]
fn minimal_sets_of_the_weak_presets_are_sufficient_and_minimal() {
    for id in ["kernel", "gup-fast-same-low", "walker-x86", "seqcount-fix-weak", "same-low-none"] {
        let scenario = catalog::find(id).unwrap().scenario();
        check_matrix_by_exploring(&barrier_matrix(scenario, pte_core::DEFAULT_MAX_STATES).unwrap());
    }
}

#[test]
fn sites_the_code_does_not_contain_are_left_out() {
    // A writer with only an atomic zap and a walker: no site at all.
    let mut scenario = catalog::find("walker-x86").unwrap().scenario();
    scenario.writer = vec![pte_core::WriterOp::ZapAtomic];
    scenario.fit_values();
    let matrix = barrier_matrix(scenario, pte_core::DEFAULT_MAX_STATES).unwrap();
    assert!(matrix.sites.is_empty());
    for row in &matrix.models {
        assert!(row.without.is_empty());
        assert_eq!(row.minimal_sets, MinimalSets::Decided(vec![vec![]]), "no barrier needed");
    }
    assert!(matrix.never_needed().is_empty());
}

#[test]
fn trailing_wmbs_are_never_needed_in_the_kernel_protocol() {
    let matrix =
        barrier_matrix(catalog::find("kernel").unwrap().scenario(), pte_core::DEFAULT_MAX_STATES)
            .unwrap();
    assert_eq!(matrix.never_needed(), barriers(&["zap_wmb2", "establish_wmb2"]));
    // Where no placement helps, nothing is "never needed": the question has no answer.
    let torn =
        barrier_matrix(catalog::find("mips-sh").unwrap().scenario(), pte_core::DEFAULT_MAX_STATES)
            .unwrap();
    assert!(torn.never_needed().is_empty());
}

#[test]
fn a_state_limit_leaves_answers_open_but_never_wrong() {
    // Two cycles, two readers under the weak model: far more than 50 states.
    let scenario = Scenario {
        readers: 2,
        flush: pte_core::FlushMode::None,
        model: MemoryModel::Weak,
        ..Scenario::cycles(2)
    };
    let matrix = barrier_matrix(scenario, 50).unwrap();
    assert!(matrix.models.iter().any(|row| !row.as_is.as_ref().unwrap().complete), "capped");
    for row in &matrix.models {
        let as_is = row.as_is.as_ref().unwrap();
        // A capped search may still find a torn read (a real witness), but
        // never claims "never".
        assert!(as_is.torn != TornAnswer::Never, "{:?}", row.model);
        assert_ne!(row.minimal_sets, MinimalSets::Pending);
        if let MinimalSets::Decided(sets) = &row.minimal_sets {
            assert!(sets.is_empty(), "only 'no placement helps' can be decided from torn reads");
        }
    }
}
