//! The reader side of a sequence counter (`read_seqcount_begin()` /
//! `read_seqcount_retry()`), the fix the thread proposed: wait while `seq` is
//! odd, read both halves between two `smp_rmb()`, retry if `seq` changed.

use super::irq::{IRQ_OFF_STEP, IRQ_ON_STEP};
use super::lockless::PTEP_GET_LOCKLESS;
use super::{item, load, test, Effect, OnFail, ReaderAction, ReaderSpec, StepSpec, Test};
use crate::scenario::Barrier;
use crate::source_ref::{SourceRef, KERNEL_TAG};
use crate::words::Register;

/// The sequence counter's reader side, as the thread proposed to use it:
/// the start of a read section.
pub const READ_SEQCOUNT_BEGIN: SourceRef = SourceRef {
    function: "read_seqcount_begin",
    call: None,
    file: "include/linux/seqlock.h",
    tag: KERNEL_TAG,
    models: "the proposed fix, reader side: s = read_seqcount_begin() waits while seq is odd, \
             then smp_rmb(); never merged for ptep_get_lockless() (as of December 2025)",
    mainline: None,
};

/// The end of a read section.
pub const READ_SEQCOUNT_RETRY: SourceRef = SourceRef {
    function: "read_seqcount_retry",
    call: None,
    file: "include/linux/seqlock.h",
    tag: KERNEL_TAG,
    models: "the proposed fix, reader side: smp_rmb(), then seq read again and compared with \
             s; retry if it changed",
    mainline: None,
};

const LOOP: [StepSpec; 6] = [
    StepSpec::new(
        load(Register::S, None),
        "s = seq;",
        Some("read_seqcount_begin()"),
        Some(&READ_SEQCOUNT_BEGIN),
    ),
    // A branch: it waits for its load of `s` and orders no later load.
    StepSpec::new(
        item(
            ReaderAction::OddCheck,
            Effect::Test { test: Test::SeqEven, on_fail: OnFail::Retry, completes: false },
            Some(Barrier::SeqRmbBegin),
        ),
        "if (s & 1) goto retry;",
        Some("orders no later load"),
        Some(&READ_SEQCOUNT_BEGIN),
    ),
    StepSpec::new(load(Register::R0, None), "r0 = ptep->pte_low;", None, Some(&PTEP_GET_LOCKLESS)),
    StepSpec {
        item: load(Register::R1, Some(Barrier::SeqRmbRetry)),
        code: "r1 = ptep->pte_high;",
        comment: None,
        source: Some(&PTEP_GET_LOCKLESS),
        rmb_source: Some(&READ_SEQCOUNT_RETRY),
    },
    StepSpec::new(
        load(Register::S2, None),
        "s2 = seq;",
        Some("read_seqcount_retry()"),
        Some(&READ_SEQCOUNT_RETRY),
    ),
    StepSpec::new(
        test(ReaderAction::Check, Test::SeqUnchanged, OnFail::Retry, true),
        "if (s2 != s) goto retry;",
        None,
        Some(&READ_SEQCOUNT_RETRY),
    ),
];

pub static SPEC: ReaderSpec = ReaderSpec {
    id: "seqcount",
    label: "sequence counter (the fix)",
    title: "read_seqcount_begin(), read both halves, read_seqcount_retry(): the proposed fix",
    call: (
        "pte = ptep_get_seqcount(ptep); /* hypothetical */",
        "the proposed fix, never merged (as of December 2025): no kernel function has this name",
    ),
    blocks: &[&[IRQ_OFF_STEP], &LOOP, &[IRQ_ON_STEP]],
    registers: &[Register::S, Register::R0, Register::R1, Register::S2],
    returns: ("the PTE the reader saw", Some(&READ_SEQCOUNT_RETRY)),
    reading: "interrupts off, in the retry loop",
    finished: "done, interrupts on",
    one_access: false,
    in_order_loads_only: None,
};
