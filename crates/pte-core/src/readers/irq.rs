//! GUP-fast's interrupts-off section (`lockless_pages_from_mm()` in
//! `mm/gup.c`, v6.0): every reader kind that disables interrupts is modelled
//! inside it, so its two steps are shared by the kinds' specs from here, a
//! leaf, rather than from one kind's file. KVM's reader (`kvm_spte.rs`) is
//! the exception: its section is KVM's own walk.

use super::{StepSpec, IRQ_OFF, IRQ_ON};
use crate::source_ref::{SourceRef, KERNEL_TAG};

/// GUP-fast's interrupts-off section: entering it.
pub const GUP_IRQ_SAVE: SourceRef = SourceRef {
    function: "lockless_pages_from_mm",
    call: Some("local_irq_save()"),
    file: "mm/gup.c",
    tag: KERNEL_TAG,
    models: "irq_off: GUP-fast's local_irq_save() before the walk, which reads each PTE with \
             ptep_get_lockless() in gup_pte_range()",
    mainline: Some(
        "renamed gup_fast() (and gup_pte_range() gup_fast_pte_range()) in 2024 by \"mm/gup: \
         consistently name GUP-fast functions\"",
    ),
};

/// GUP-fast's interrupts-off section: leaving it.
pub const GUP_IRQ_RESTORE: SourceRef = SourceRef {
    function: "lockless_pages_from_mm",
    call: Some("local_irq_restore()"),
    file: "mm/gup.c",
    tag: KERNEL_TAG,
    models: "irq_on: GUP-fast's local_irq_restore() after the walk",
    mainline: GUP_IRQ_SAVE.mainline,
};

/// `local_irq_save()` around the walk: every kind that disables interrupts
/// is modelled inside GUP-fast's section.
pub const IRQ_OFF_STEP: StepSpec = StepSpec::new(
    IRQ_OFF,
    "local_irq_save(flags);",
    Some("GUP-fast, around the whole walk"),
    Some(&GUP_IRQ_SAVE),
);

/// `local_irq_restore()` after the walk.
pub const IRQ_ON_STEP: StepSpec =
    StepSpec::new(IRQ_ON, "local_irq_restore(flags);", None, Some(&GUP_IRQ_RESTORE));
