//! Where the kernel code the explorer models lives: functions and files at a
//! fixed tag, looked up by writer operation, flush mode, reader action or
//! step, so the CLI and the page name the same lines. The writer's and the
//! flushes' entries are here; each reader kind's are in its spec
//! (`crate::readers`), and [`all`] gathers every one.
//!
//! Every entry was checked against stored kernel sources and the patches
//! that changed them (the tip-bot mails of the v6.2 changes, the GUP-fast
//! renaming series), not written from memory. Links go to the whole file at
//! [`KERNEL_TAG`] plus an identifier search at that tag: no copy of the files
//! at exactly that tag could be read, so no line number is given.

use crate::machine::{ReaderAction, State, Step};
use crate::program::{AccessKind, Program};
use crate::scenario::{Arch, FlushMode, ReaderKind, WriterOp};
use crate::writer;

pub use crate::source_ref::{SourceRef, KERNEL_TAG, SOURCE_BROWSER};

pub use crate::writer::{
    MIPS_PTE_CLEAR, MIPS_SET_PTE, SH_PTE_CLEAR, SH_SET_PTE, WRITE_SEQCOUNT_BEGIN,
    WRITE_SEQCOUNT_END, X86_PTEP_GET_AND_CLEAR, X86_PTE_CLEAR, X86_SET_PTE,
};

/// The native x86 flush that interrupts the other CPUs and waits.
pub const NATIVE_FLUSH_TLB_MULTI: SourceRef = SourceRef {
    function: "native_flush_tlb_multi",
    call: None,
    file: "arch/x86/mm/tlb.c",
    tag: KERNEL_TAG,
    models: "flush ipi: an IPI to each CPU of the mm that is not in lazy TLB mode (to every \
             one when page tables are freed), waiting for each \
             (on_each_cpu_cond_mask(tlb_is_not_lazy, ...) with wait = 1). A CPU running \
             GUP-fast on this mm is not lazy, so with interrupts off it holds the flush up",
    mainline: None,
};

/// Its caller for a user address range.
pub const FLUSH_TLB_MM_RANGE: SourceRef = SourceRef {
    function: "flush_tlb_mm_range",
    call: None,
    file: "arch/x86/mm/tlb.c",
    tag: KERNEL_TAG,
    models: "the x86 flush of a user range, which calls flush_tlb_multi(): \
             native_flush_tlb_multi() on bare metal, a paravirt version under a hypervisor",
    mainline: None,
};

/// KVM's paravirt flush.
pub const KVM_FLUSH_TLB_MULTI: SourceRef = SourceRef {
    function: "kvm_flush_tlb_multi",
    call: None,
    file: "arch/x86/kernel/kvm.c",
    tag: KERNEL_TAG,
    models: "flush paravirt: a preempted vCPU is not interrupted; KVM_VCPU_FLUSH_TLB asks the \
             host to flush it when it next runs, so the flush does not wait for a reader \
             descheduled in GUP-fast",
    mainline: None,
};

/// The zap that does not flush before the re-establish.
pub const ZAP_PTE_RANGE: SourceRef = SourceRef {
    function: "zap_pte_range",
    call: None,
    file: "mm/memory.c",
    tag: KERNEL_TAG,
    models: "flush none: MADV_DONTNEED flushes before dropping the page-table lock only when \
             force_flush is set; otherwise the mmu_gather flushes after the lock is dropped (on \
             x86 from tlb_finish_mmu(); MIPS and SH already flush in tlb_end_vma()), and a \
             fault can re-establish the PTE first",
    mainline: None,
};

/// The flushes' entries (the writer's are in its specs, `crate::writer`,
/// and the reader kinds' in theirs, `crate::readers`).
static FLUSHES: &[&SourceRef] =
    &[&NATIVE_FLUSH_TLB_MULTI, &FLUSH_TLB_MM_RANGE, &KVM_FLUSH_TLB_MULTI, &ZAP_PTE_RANGE];

/// Every entry of the table, each once: the writer's, the flushes', then
/// each reader kind's, from its spec.
pub fn all() -> Vec<&'static SourceRef> {
    let mut all: Vec<&'static SourceRef> = writer::SOURCES.to_vec();
    all.extend(FLUSHES);
    for kind in ReaderKind::ALL {
        for source in kind.spec().sources() {
            if !all.contains(&source) {
                all.push(source);
            }
        }
    }
    all
}

// The lookups' answers, most specific first.
static FLUSH_NONE: [&SourceRef; 1] = [&ZAP_PTE_RANGE];
static FLUSH_IPI: [&SourceRef; 2] = [&NATIVE_FLUSH_TLB_MULTI, &FLUSH_TLB_MM_RANGE];
static FLUSH_PARAVIRT: [&SourceRef; 2] = [&KVM_FLUSH_TLB_MULTI, &FLUSH_TLB_MM_RANGE];

/// The kernel functions a writer operation stands for, the one of `arch`
/// first (x86 when the layout matches no arch preset), from the
/// operation's spec. A flush depends on the mode: see [`for_flush`]. The
/// mirrored establish is in no kernel.
pub fn for_writer_op(op: WriterOp, arch: Option<Arch>) -> &'static [&'static SourceRef] {
    (op.spec().sources)(arch)
}

/// What a TLB flush in this mode stands for.
pub fn for_flush(mode: FlushMode) -> &'static [&'static SourceRef] {
    match mode {
        FlushMode::None => &FLUSH_NONE,
        FlushMode::Ipi => &FLUSH_IPI,
        FlushMode::Paravirt => &FLUSH_PARAVIRT,
    }
}

/// What a step of a reader of `kind` stands for, from the kind's spec.
/// Empty for the TLB walker, which is hardware (or a `cmpxchg8b` read no
/// kernel has for PTEs), and for an action the kind does not have.
pub fn for_reader(kind: ReaderKind, action: ReaderAction) -> &'static [&'static SourceRef] {
    kind.spec().step(action).map_or(&[], |step| step.source.as_slice())
}

/// What a step taken in `state` stands for, most specific first: a store
/// is its operation's function, a TSO drain that of the store it drains,
/// a flush its mode's. Empty for a step that is not in the scenario or
/// that no kernel has (the mirrored establish).
pub fn for_step(program: &Program, state: &State, step: Step) -> &'static [&'static SourceRef] {
    let scenario = program.scenario();
    let access = match step {
        Step::Reader { reader, action } if reader < program.readers() => {
            return for_reader(program.reader_kind(reader), action)
        }
        Step::Reader { .. } => return &[],
        Step::Writer(index) => program.accesses().get(usize::from(index)),
        Step::Drain => program.buffered(state).next().map(|index| &program.accesses()[index]),
    };
    let Some(access) = access else { return &[] };
    if access.kind == AccessKind::Flush {
        return for_flush(scenario.flush);
    }
    match access.kind {
        // A writer option's counter store: the end of the section it is.
        AccessKind::Store(word) => match writer::WriterOptionSpec::of_word(word) {
            Some(option) => option
                .wrap_of(access.stored(word))
                .map_or(&[], |wrap| std::slice::from_ref(&wrap.source)),
            None => for_writer_op(scenario.writer[usize::from(access.op)], scenario.arch()),
        },
        _ => for_writer_op(scenario.writer[usize::from(access.op)], scenario.arch()),
    }
}
