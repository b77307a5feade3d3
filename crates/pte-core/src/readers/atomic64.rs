//! One single-copy-atomic 64-bit load of both halves: the MMU's page-table
//! walker filling the TLB, or a `cmpxchg8b` read. No interrupts disabled, no
//! retry; hardware, so no kernel function is cited.

use super::{item, Effect, ReaderAction, ReaderSpec, StepSpec};
use crate::words::Register;

const LOAD64: StepSpec = StepSpec::new(
    item(ReaderAction::Load64, Effect::Load64, None),
    "r1:r0 = atomic_load64(ptep);",
    Some("hardware walk or cmpxchg8b: one single-copy-atomic 64-bit load"),
    None,
);

pub static SPEC: ReaderSpec = ReaderSpec {
    id: "atomic64",
    label: "TLB walker (atomic 64-bit)",
    title: "one atomic 64-bit load: the MMU's page-table walker or a cmpxchg8b read",
    // Not C's `*ptep`: i386 compiles that to two 32-bit loads.
    call: (
        "/* the MMU's page walk: one 64-bit load */",
        "the x86 MMU's walker, or a cmpxchg8b read: not C's *ptep, which i386 compiles to two \
         32-bit loads",
    ),
    blocks: &[&[LOAD64]],
    registers: &[Register::R0, Register::R1],
    returns: ("the PTE the reader saw", None),
    reading: "reading",
    finished: "done",
    one_access: false,
    in_order_loads_only: None,
};
