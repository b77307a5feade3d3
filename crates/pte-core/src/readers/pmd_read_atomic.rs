//! x86 PAE's `pmd_read_atomic()` (`arch/x86/include/asm/pgtable-3level.h`,
//! v6.0 and v6.1): the low half; if it is 0, the none pmd without reading
//! the high half; else `smp_rmb()` and the high half. No retry, no
//! interrupts disabled (`../shared/spec/FAMILY.md`).

use super::{item, load, Effect, OnFail, ReaderAction, ReaderSpec, StepSpec, Test};
use crate::scenario::Barrier;
use crate::source_ref::{SourceRef, KERNEL_TAG};
use crate::words::Register;

/// The function, as it stood until v6.1.
pub const PMD_READ_ATOMIC: SourceRef = SourceRef {
    function: "pmd_read_atomic",
    call: None,
    file: "arch/x86/include/asm/pgtable-3level.h",
    tag: KERNEL_TAG,
    models: "the pmd read by page-table walkers under mmap_lock for read \
             (pmd_none_or_trans_huge_or_clear_bad() and others): the low half; if it is 0, \
             the none pmd; else smp_rmb() and the high half; no retry, no interrupts off. Its \
             comment says the halves \"may not be consistent if THP is enabled\" and that its \
             main caller only needs the low half",
    mainline: Some(
        "removed for v6.2: commit 024d232ae4fc, \"mm: Fix pmd_read_atomic()\" (\"AFAICT \
         there's no reason to do anything different than what we do for PTEs. Make it so\"), \
         deleted the x86 version and made the generic one pmdp_get_lockless(), the lockless \
         loop; commit dab6e717429e, \"mm: Rename pmd_read_atomic()\", removed the name",
    ),
};

/// `ret = *tmp; if (ret) { smp_rmb(); ret |= *(tmp + 1) << 32; }`.
const READ: [StepSpec; 3] = [
    StepSpec::new(
        load(Register::R0, None),
        "r0 = *tmp;",
        Some("u32 *tmp = (u32 *)pmdp: the low half"),
        Some(&PMD_READ_ATOMIC),
    ),
    StepSpec::new(
        item(
            ReaderAction::ZeroCheck,
            Effect::Test { test: Test::LowNotZero, on_fail: OnFail::ReturnNone, completes: false },
            Some(Barrier::PmdRmb),
        ),
        "if (!r0) return (pmd_t) { 0 };",
        Some("the high half is not read"),
        Some(&PMD_READ_ATOMIC),
    ),
    StepSpec::new(
        load(Register::R1, None),
        "r1 = *(tmp + 1);",
        Some("the high half; no retry"),
        Some(&PMD_READ_ATOMIC),
    ),
];

pub static SPEC: ReaderSpec = ReaderSpec {
    id: "pmd_read_atomic",
    label: "pmd_read_atomic() (before v6.2)",
    title: "x86 PAE pmd_read_atomic(): low; if 0 return none, else rmb and high; no retry \
            (removed in v6.2)",
    call: (
        "pmd = pmd_read_atomic(pmdp);",
        "a page-table walker under mmap_lock for read, interrupts on",
    ),
    blocks: &[&READ],
    registers: &[Register::R0, Register::R1],
    returns: ("the pmd the reader saw, or none", Some(&PMD_READ_ATOMIC)),
    reading: "reading",
    finished: "done",
    one_access: false,
    in_order_loads_only: None,
};
