//! `ptep_get_lockless()` (`MODEL.md`): low, `smp_rmb()`, high, `smp_rmb()`,
//! low again, retry while low changed; inside GUP-fast's interrupts-off
//! section.

use super::irq::{IRQ_OFF_STEP, IRQ_ON_STEP};
use super::{load, test, OnFail, ReaderAction, ReaderSpec, StepSpec, Test};
use crate::scenario::Barrier;
use crate::source_ref::{SourceRef, KERNEL_TAG};
use crate::words::Register;

/// The reader's loop.
pub const PTEP_GET_LOCKLESS: SourceRef = SourceRef {
    function: "ptep_get_lockless",
    call: None,
    file: "include/linux/pgtable.h",
    tag: KERNEL_TAG,
    models: "the reader: pte_low, smp_rmb(), pte_high, smp_rmb(), retry while pte_low \
             changed (CONFIG_GUP_GET_PTE_LOW_HIGH, selected by X86_PAE, MIPS32 with \
             PHYS_ADDR_T_64BIT and SH X2TLB)",
    mainline: Some(
        "the config symbol is CONFIG_GUP_GET_PXX_LOW_HIGH since v6.2 (commit 6ca297d47846, \
         \"mm: Rename GUP_GET_PTE_LOW_HIGH\"); v6.2 also reworded the comment above the loop \
         (commit 93b3037a1482, \"mm: Update ptep_get_lockless()'s comment\"), keeping both of \
         its assumptions; the loop is unchanged",
    ),
};

/// `r0 = low; rmb; r1 = high; rmb; r2 = low`: the loads of the loop, which
/// GUP-fast runs too.
pub const LOADS: [StepSpec; 3] = [
    StepSpec::new(
        load(Register::R0, Some(Barrier::ReaderRmb1)),
        "r0 = ptep->pte_low;",
        None,
        Some(&PTEP_GET_LOCKLESS),
    ),
    StepSpec::new(
        load(Register::R1, Some(Barrier::ReaderRmb2)),
        "r1 = ptep->pte_high;",
        None,
        Some(&PTEP_GET_LOCKLESS),
    ),
    StepSpec::new(load(Register::R2, None), "r2 = ptep->pte_low;", None, Some(&PTEP_GET_LOCKLESS)),
];

/// The loop's test: retry while low changed.
pub const CHECK_CODE: &str = "if (unlikely(r0 != r2)) goto retry;";

const LOOP: [StepSpec; 4] = [
    LOADS[0],
    LOADS[1],
    LOADS[2],
    StepSpec::new(
        test(ReaderAction::Check, Test::LowUnchanged, OnFail::Retry, true),
        CHECK_CODE,
        None,
        Some(&PTEP_GET_LOCKLESS),
    ),
];

pub static SPEC: ReaderSpec = ReaderSpec {
    id: "lockless",
    label: "ptep_get_lockless()",
    title: "ptep_get_lockless(): low, rmb, high, rmb, low again, retry if low changed",
    call: ("pte = ptep_get_lockless(ptep);", "inside GUP-fast"),
    blocks: &[&[IRQ_OFF_STEP], &LOOP, &[IRQ_ON_STEP]],
    registers: &[Register::R0, Register::R1, Register::R2],
    returns: ("the PTE the reader saw", Some(&PTEP_GET_LOCKLESS)),
    reading: "interrupts off, in the retry loop",
    finished: "done, interrupts on",
    one_access: false,
    in_order_loads_only: None,
};
