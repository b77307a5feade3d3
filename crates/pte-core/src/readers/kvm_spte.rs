//! KVM's `__get_spte_lockless()` on a 32-bit host (`arch/x86/kvm/mmu/mmu.c`,
//! the `union split_spte` code under `#else` of `CONFIG_X86_64`): the
//! lockless loop between two loads of the clear counter, which the writer
//! bumps after every clear (`count_spte_clear()`), so a zap and
//! re-establish between the two reads of the low half is seen even when the
//! low half came back the same (`../shared/spec/FAMILY.md`). Every load is
//! plain C, the counter's included. Interrupts are off around the whole
//! shadow-page walk (`walk_shadow_page_lockless_begin()`).

use super::{item, load, test, Effect, OnFail, ReaderAction, ReaderSpec, StepSpec, Test};
use super::{IRQ_OFF, IRQ_ON};
use crate::scenario::Barrier;
use crate::source_ref::{SourceRef, KERNEL_TAG};
use crate::words::Register;

/// The reader, as it stood from 2011 at least to December 2024.
pub const GET_SPTE_LOCKLESS: SourceRef = SourceRef {
    function: "__get_spte_lockless",
    call: None,
    file: "arch/x86/kvm/mmu/mmu.c",
    tag: KERNEL_TAG,
    models: "KVM's read of a shadow PTE on a 32-bit host (mmu_spte_get_lockless()): count = \
             sp->clear_spte_count, smp_rmb(), spte_low, smp_rmb(), spte_high, smp_rmb(), then \
             retry if spte_low changed || count != sp->clear_spte_count; every load plain. \
             The clear counter came with c2a2ac2b563c \"KVM: MMU: lockless walking shadow page \
             table\" (Xiao Guangrong, 2011)",
    mainline: Some(
        "still in mmu.c for 32-bit hosts when Arnd Bergmann proposed dropping them (RFC, \
         December 2024); the x86-64 build reads the spte with one READ_ONCE()",
    ),
};

/// Interrupts off around the shadow MMU's lockless walk.
pub const KVM_WALK_BEGIN: SourceRef = SourceRef {
    function: "walk_shadow_page_lockless_begin",
    call: Some("local_irq_disable()"),
    file: "arch/x86/kvm/mmu/mmu.c",
    tag: KERNEL_TAG,
    models: "irq_off: \"Prevent page table teardown by making any free-er wait during \
             kvm_flush_remote_tlbs() IPI to all active vcpus\" (the shadow MMU, which a \
             32-bit host always uses; since c142786c6291, Avi Kivity, 2012)",
    mainline: Some("the TDP MMU (64-bit hosts only) takes rcu_read_lock() here instead"),
};

/// Interrupts on again after the walk.
pub const KVM_WALK_END: SourceRef = SourceRef {
    function: "walk_shadow_page_lockless_end",
    call: Some("local_irq_enable()"),
    file: "arch/x86/kvm/mmu/mmu.c",
    tag: KERNEL_TAG,
    models: "irq_on: local_irq_enable() after the shadow MMU's lockless walk",
    mainline: KVM_WALK_BEGIN.mainline,
};

const IRQ_OFF_STEP: StepSpec = StepSpec::new(
    IRQ_OFF,
    "local_irq_disable();",
    Some("walk_shadow_page_lockless_begin(), around the whole walk"),
    Some(&KVM_WALK_BEGIN),
);

const IRQ_ON_STEP: StepSpec = StepSpec::new(
    IRQ_ON,
    "local_irq_enable();",
    Some("walk_shadow_page_lockless_end()"),
    Some(&KVM_WALK_END),
);

/// `retry: count = …; smp_rmb(); low; smp_rmb(); high; smp_rmb();
/// if (low changed || count changed) goto retry;`.
const LOOP: [StepSpec; 7] = [
    StepSpec::new(
        load(Register::C, Some(Barrier::KvmCountRmb)),
        "c = sp->clear_spte_count;",
        Some("count"),
        Some(&GET_SPTE_LOCKLESS),
    ),
    StepSpec::new(
        load(Register::R0, Some(Barrier::ReaderRmb1)),
        "r0 = orig->spte_low;",
        None,
        Some(&GET_SPTE_LOCKLESS),
    ),
    StepSpec::new(
        load(Register::R1, Some(Barrier::ReaderRmb2)),
        "r1 = orig->spte_high;",
        None,
        Some(&GET_SPTE_LOCKLESS),
    ),
    StepSpec::new(
        load(Register::R2, None),
        "r2 = orig->spte_low;",
        Some("spte.spte_low != orig->spte_low"),
        Some(&GET_SPTE_LOCKLESS),
    ),
    // The `||`: a branch that waits for its two loads and orders no later
    // load, so on a weak CPU the count's re-read may go before r2's.
    StepSpec::new(
        item(
            ReaderAction::Check,
            Effect::Test { test: Test::LowUnchanged, on_fail: OnFail::Retry, completes: false },
            None,
        ),
        "if (r2 != r0) goto retry;",
        Some("the ||: orders no later load"),
        Some(&GET_SPTE_LOCKLESS),
    ),
    StepSpec::new(
        load(Register::C2, None),
        "c2 = sp->clear_spte_count;",
        Some("read only when the low half matched"),
        Some(&GET_SPTE_LOCKLESS),
    ),
    StepSpec::new(
        test(ReaderAction::CountCheck, Test::CountUnchanged, OnFail::Retry, true),
        "if (c2 != c) goto retry;",
        None,
        Some(&GET_SPTE_LOCKLESS),
    ),
];

pub static SPEC: ReaderSpec = ReaderSpec {
    id: "kvm_spte",
    label: "KVM __get_spte_lockless()",
    title: "KVM's __get_spte_lockless() on a 32-bit host: the lockless loop between two reads \
            of the clear counter, retry if either changed",
    call: (
        "spte = __get_spte_lockless(sptep);",
        "KVM's shadow MMU on a 32-bit x86 host, whose loads keep their order",
    ),
    blocks: &[&[IRQ_OFF_STEP], &LOOP, &[IRQ_ON_STEP]],
    registers: &[Register::C, Register::R0, Register::R1, Register::R2, Register::C2],
    returns: ("the spte the reader saw", Some(&GET_SPTE_LOCKLESS)),
    reading: "interrupts off, in the retry loop",
    finished: "done, interrupts on",
    one_access: false,
    in_order_loads_only: Some(
        "KVM's split-spte code is built for 32-bit x86 hosts only, where loads keep their order",
    ),
};
