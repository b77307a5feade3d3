//! `READ_ONCE()` of a 64-bit entry on a 32-bit CPU: GUP-fast's
//! `gup_pmd_range()` (`mm/gup.c`, v6.0 and v6.1) read the pmd with
//! `pmd_t pmd = READ_ONCE(*pmdp);` inside its interrupts-off section. On
//! i386 that is two 32-bit loads with no barrier and no retry, in an order
//! C does not fix (`../shared/spec/FAMILY.md`).

use super::irq::{IRQ_OFF_STEP, IRQ_ON_STEP};
use super::{load, ReaderSpec, StepSpec};
use crate::source_ref::{SourceRef, KERNEL_TAG};
use crate::words::Register;

/// GUP-fast's pmd read before v6.2.
pub const GUP_PMD_RANGE: SourceRef = SourceRef {
    function: "gup_pmd_range",
    call: Some("READ_ONCE(*pmdp)"),
    file: "mm/gup.c",
    tag: KERNEL_TAG,
    models: "pmd_t pmd = READ_ONCE(*pmdp): an 8-byte READ_ONCE(), which \
             include/asm-generic/rwonce.h allows on 32-bit (\"we rely on the access being split \
             into 2x32-bit accesses ... and a strong prevailing wind\"): two 32-bit loads, no \
             barrier, no retry, either half first",
    mainline: Some(
        "reads the pmd with pmdp_get_lockless(), the lockless loop, since v6.2 (commit \
         1180e732c985, \"mm/gup: Fix the lockless PMD access\"); gup_fast_pmd_range() since \
         2024",
    ),
};

/// The two halves of the one access.
const READ: [StepSpec; 2] = [
    StepSpec::new(
        load(Register::R0, None),
        "r0 = pmdp->pmd_low;",
        Some("READ_ONCE(*pmdp): one half"),
        Some(&GUP_PMD_RANGE),
    ),
    StepSpec::new(
        load(Register::R1, None),
        "r1 = pmdp->pmd_high;",
        Some("the other half: no barrier, no fixed order"),
        Some(&GUP_PMD_RANGE),
    ),
];

pub static SPEC: ReaderSpec = ReaderSpec {
    id: "read_once64",
    label: "READ_ONCE() of a pmd (before v6.2)",
    title: "GUP-fast's READ_ONCE(*pmdp) on i386: two 32-bit loads in no fixed order, no barrier, \
            no retry (fixed in v6.2)",
    call: ("pmd = READ_ONCE(*pmdp);", "gup_pmd_range(), inside GUP-fast"),
    blocks: &[&[IRQ_OFF_STEP], &READ, &[IRQ_ON_STEP]],
    registers: &[Register::R0, Register::R1],
    returns: ("the pmd the reader saw", Some(&GUP_PMD_RANGE)),
    reading: "interrupts off, in GUP-fast",
    finished: "done, interrupts on",
    one_access: true,
    in_order_loads_only: None,
};
