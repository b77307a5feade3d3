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
use crate::program::{AccessKind, Program, ValueName, Word};
use crate::scenario::{Arch, FlushMode, ReaderKind, WriterOp};

pub use crate::source_ref::{SourceRef, KERNEL_TAG, SOURCE_BROWSER};

const PGTABLE_3LEVEL: &str = "arch/x86/include/asm/pgtable-3level.h";
const MIPS_PGTABLE: &str = "arch/mips/include/asm/pgtable.h";
const SH_PGTABLE_32: &str = "arch/sh/include/asm/pgtable_32.h";

/// x86 PAE zap, low first.
pub const X86_PTE_CLEAR: SourceRef = SourceRef {
    function: "native_pte_clear",
    call: None,
    file: PGTABLE_3LEVEL,
    tag: KERNEL_TAG,
    models: "zap, low first: pte_low = 0, smp_wmb(), pte_high = 0",
    mainline: None,
};

/// x86 PAE atomic zap (SMP), the MADV_DONTNEED path.
pub const X86_PTEP_GET_AND_CLEAR: SourceRef = SourceRef {
    function: "native_ptep_get_and_clear",
    call: None,
    file: PGTABLE_3LEVEL,
    tag: KERNEL_TAG,
    models: "zap, atomic: on SMP one 64-bit atomic exchange, arch_atomic64_xchg(), since 2018 \
             (commit b2d7a075a1cc, \"x86/pae: use 64 bit atomic xchg function in \
             native_ptep_get_and_clear\"); zap_pte_range() reaches it through \
             ptep_get_and_clear_full()",
    mainline: Some(
        "v6.2 rewrote it as a try_cmpxchg64() loop (commit 7a9b8bdb6af3, \"x86/mm/pae: Don't \
         (ab)use atomic64\"): still one atomic 64-bit update",
    ),
};

/// x86 PAE establish, high first.
pub const X86_SET_PTE: SourceRef = SourceRef {
    function: "native_set_pte",
    call: None,
    file: PGTABLE_3LEVEL,
    tag: KERNEL_TAG,
    models: "establish, high first: pte_high, smp_wmb(), pte_low",
    mainline: None,
};

/// MIPS32 with 64-bit physical addresses: the clear.
pub const MIPS_PTE_CLEAR: SourceRef = SourceRef {
    function: "pte_clear",
    call: None,
    file: MIPS_PGTABLE,
    tag: KERNEL_TAG,
    models: "zap, high first: set_pte_at(mm, addr, ptep, null) with null = __pte(0) (or \
             _PAGE_GLOBAL), which calls set_pte() (CONFIG_PHYS_ADDR_T_64BIT && \
             CONFIG_CPU_MIPS32)",
    mainline: None,
};

/// MIPS32 with 64-bit physical addresses: the store.
pub const MIPS_SET_PTE: SourceRef = SourceRef {
    function: "set_pte",
    call: None,
    file: MIPS_PGTABLE,
    tag: KERNEL_TAG,
    models: "establish, high first: pte_high, smp_wmb(), pte_low (CONFIG_PHYS_ADDR_T_64BIT \
             && CONFIG_CPU_MIPS32)",
    mainline: None,
};

/// SH with X2TLB: the clear.
pub const SH_PTE_CLEAR: SourceRef = SourceRef {
    function: "pte_clear",
    call: None,
    file: SH_PGTABLE_32,
    tag: KERNEL_TAG,
    models: "zap, high first: set_pte_at(mm, addr, xp, __pte(0)), which is set_pte() \
             (CONFIG_X2TLB)",
    mainline: None,
};

/// SH with X2TLB: the store.
pub const SH_SET_PTE: SourceRef = SourceRef {
    function: "set_pte",
    call: None,
    file: SH_PGTABLE_32,
    tag: KERNEL_TAG,
    models: "establish, high first: pte_high, smp_wmb(), pte_low (CONFIG_X2TLB)",
    mainline: None,
};

/// The sequence counter's writer side: entering a write section.
pub const WRITE_SEQCOUNT_BEGIN: SourceRef = SourceRef {
    function: "write_seqcount_begin",
    call: None,
    file: "include/linux/seqlock.h",
    tag: KERNEL_TAG,
    models: "the proposed fix, writer side: seq + 1 (odd), smp_wmb(), before each zap and \
             establish; never merged",
    mainline: None,
};

/// Leaving a write section.
pub const WRITE_SEQCOUNT_END: SourceRef = SourceRef {
    function: "write_seqcount_end",
    call: None,
    file: "include/linux/seqlock.h",
    tag: KERNEL_TAG,
    models: "the proposed fix, writer side: smp_wmb(), seq + 1 (even again), after each zap \
             and establish; never merged",
    mainline: None,
};

/// The native x86 flush that interrupts the other CPUs and waits.
pub const NATIVE_FLUSH_TLB_MULTI: SourceRef = SourceRef {
    function: "native_flush_tlb_multi",
    call: None,
    file: "arch/x86/mm/tlb.c",
    tag: KERNEL_TAG,
    models: "flush ipi: an IPI to every CPU of the mm, waiting for each \
             (on_each_cpu_cond_mask() with wait = 1); a CPU with interrupts off holds it up",
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
             force_flush is set; otherwise the flush comes later, from tlb_finish_mmu(), and a \
             fault can re-establish the PTE first",
    mainline: None,
};

/// The writer's and the flushes' entries (the reader kinds' are in their
/// specs, `crate::readers`).
static WRITER_AND_FLUSHES: &[&SourceRef] = &[
    &X86_PTE_CLEAR,
    &X86_PTEP_GET_AND_CLEAR,
    &X86_SET_PTE,
    &MIPS_PTE_CLEAR,
    &MIPS_SET_PTE,
    &SH_PTE_CLEAR,
    &SH_SET_PTE,
    &WRITE_SEQCOUNT_BEGIN,
    &WRITE_SEQCOUNT_END,
    &NATIVE_FLUSH_TLB_MULTI,
    &FLUSH_TLB_MM_RANGE,
    &KVM_FLUSH_TLB_MULTI,
    &ZAP_PTE_RANGE,
];

/// Every entry of the table, each once: the writer's and the flushes', then
/// each reader kind's, from its spec.
pub fn all() -> Vec<&'static SourceRef> {
    let mut all: Vec<&'static SourceRef> = WRITER_AND_FLUSHES.to_vec();
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
static ZAP: [&SourceRef; 1] = [&X86_PTE_CLEAR];
static ZAP_HIGH_FIRST: [&SourceRef; 2] = [&MIPS_PTE_CLEAR, &SH_PTE_CLEAR];
static ZAP_ATOMIC: [&SourceRef; 1] = [&X86_PTEP_GET_AND_CLEAR];
static ESTABLISH_X86: [&SourceRef; 3] = [&X86_SET_PTE, &MIPS_SET_PTE, &SH_SET_PTE];
static ESTABLISH_MIPS_SH: [&SourceRef; 3] = [&MIPS_SET_PTE, &SH_SET_PTE, &X86_SET_PTE];
static FLUSH_NONE: [&SourceRef; 1] = [&ZAP_PTE_RANGE];
static FLUSH_IPI: [&SourceRef; 2] = [&NATIVE_FLUSH_TLB_MULTI, &FLUSH_TLB_MM_RANGE];
static FLUSH_PARAVIRT: [&SourceRef; 2] = [&KVM_FLUSH_TLB_MULTI, &FLUSH_TLB_MM_RANGE];
static SEQ_WRITE_BEGIN: [&SourceRef; 1] = [&WRITE_SEQCOUNT_BEGIN];
static SEQ_WRITE_END: [&SourceRef; 1] = [&WRITE_SEQCOUNT_END];

/// The kernel functions a writer operation stands for, the one of `arch`
/// first (x86 when the layout matches no arch preset). A flush depends on
/// the mode: see [`for_flush`]. The mirrored establish is in no kernel.
pub fn for_writer_op(op: WriterOp, arch: Option<Arch>) -> &'static [&'static SourceRef] {
    match op {
        WriterOp::Zap => &ZAP,
        WriterOp::ZapHighFirst => &ZAP_HIGH_FIRST,
        WriterOp::ZapAtomic => &ZAP_ATOMIC,
        WriterOp::Establish if arch == Some(Arch::MipsSh) => &ESTABLISH_MIPS_SH,
        WriterOp::Establish => &ESTABLISH_X86,
        WriterOp::EstablishLowFirst | WriterOp::Flush => &[],
    }
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
    match access {
        None => &[],
        Some(access) if access.kind == AccessKind::Flush => for_flush(scenario.flush),
        Some(access) if access.touches(Word::Seq) => match access.value_name {
            // Odd values enter a write section, even ones leave it.
            ValueName::Seq(n) if n % 2 == 1 => &SEQ_WRITE_BEGIN,
            _ => &SEQ_WRITE_END,
        },
        Some(access) => for_writer_op(scenario.writer[usize::from(access.op)], scenario.arch()),
    }
}
