//! GUP-fast (`mm/gup.c`, `gup_pte_range()` around v6.0): interrupts off,
//! the lockless read, a page reference (`grab`), a re-check of the entry as
//! two plain loads that backs off when it changed.

use super::irq::{IRQ_OFF_STEP, IRQ_ON_STEP};
use super::lockless::{CHECK_CODE, LOADS, PTEP_GET_LOCKLESS};
use super::{item, load, test, Effect, OnFail, ReaderAction, ReaderSpec, StepSpec, Test};
use crate::source_ref::{SourceRef, KERNEL_TAG};
use crate::words::Register;

/// GUP-fast takes the page reference.
pub const GUP_GRAB: SourceRef = SourceRef {
    function: "gup_pte_range",
    call: Some("try_grab_folio()"),
    file: "mm/gup.c",
    tag: KERNEL_TAG,
    models: "grab: the page reference GUP-fast takes on the page the PTE it read points at, \
             a value-returning atomic (a full ordering point)",
    mainline: Some(
        "try_grab_folio_fast() in gup_fast_pte_range() since 2024 (new names only). The \
         smp_mb__after_atomic() after a FOLL_PIN reference and before the re-check dates from \
         v6.1 (commit 088b8aa537c2, \"mm: fix PageAnonExclusive clearing racing with \
         concurrent RCU GUP-fast\")",
    ),
};

/// GUP-fast's re-check after taking the reference.
pub const GUP_RECHECK: SourceRef = SourceRef {
    function: "gup_pte_range",
    call: Some("pte_val(pte) != pte_val(*ptep)"),
    file: "mm/gup.c",
    tag: KERNEL_TAG,
    models: "re-check: the entry read again as two plain loads; if it changed, \
             gup_put_folio() drops the reference and GUP-fast falls back to the slow path",
    mainline: Some(
        "since v6.1 it also compares the pmd (commit 70cbc3cc78a9, \"mm: gup: fix the fast GUP \
         race against THP collapse\"); reads the entry with ptep_get(ptep) since v6.5 (commit \
         c33c794828f2, \"mm: ptep_get() conversion\"); gup_fast_pte_range() since 2024",
    ),
};

/// The lockless loop; the re-check, not the loop's test, completes the read.
const LOOP: [StepSpec; 4] = [
    LOADS[0],
    LOADS[1],
    LOADS[2],
    StepSpec::new(
        test(ReaderAction::Check, Test::LowUnchanged, OnFail::Retry, false),
        CHECK_CODE,
        Some("pte = (r1, r0)"),
        Some(&PTEP_GET_LOCKLESS),
    ),
];

const GRAB: StepSpec = StepSpec::new(
    item(ReaderAction::Grab, Effect::Grab, None),
    "folio = try_grab_folio(page, 1, flags);",
    Some("a full barrier"),
    Some(&GUP_GRAB),
);

/// `pte_val(*ptep)`: two plain loads with no barrier between, then the
/// comparison that backs off.
const RECHECK: [StepSpec; 3] = [
    StepSpec::new(
        load(Register::Q0, None),
        "q0 = ptep->pte_low;",
        Some("pte_val(*ptep), low half"),
        Some(&GUP_RECHECK),
    ),
    StepSpec::new(
        load(Register::Q1, None),
        "q1 = ptep->pte_high;",
        Some("no barrier between"),
        Some(&GUP_RECHECK),
    ),
    StepSpec::new(
        test(ReaderAction::Recheck, Test::StillTheSame, OnFail::BackOff, true),
        "if (pte_val(pte) != pte_val(q1:q0)) back off;",
        Some("gup_put_folio(), slow path"),
        Some(&GUP_RECHECK),
    ),
];

pub static SPEC: ReaderSpec = ReaderSpec {
    id: "gup_fast",
    label: "GUP-fast (with re-check)",
    title: "GUP-fast: ptep_get_lockless(), take a page reference, re-check the entry, back off \
            if it changed",
    call: ("gup_pte_range()", "GUP-fast: read, grab, re-check"),
    blocks: &[&[IRQ_OFF_STEP], &LOOP, &[GRAB], &RECHECK, &[IRQ_ON_STEP]],
    registers: &[Register::R0, Register::R1, Register::R2, Register::Q0, Register::Q1],
    returns: ("unless it backed off", Some(&GUP_RECHECK)),
    reading: "interrupts off, in GUP-fast",
    finished: "done, interrupts on",
    one_access: false,
    in_order_loads_only: None,
};
