//! Where the kernel code the explorer models lives: one table of functions
//! and files at a fixed tag, looked up by writer operation, flush mode,
//! reader action or step, so the CLI and the page name the same lines.
//!
//! Every entry was checked against stored kernel sources and the patches
//! that changed them (the tip-bot mails of the v6.2 changes, the GUP-fast
//! renaming series), not written from memory. Links go to the whole file at
//! [`KERNEL_TAG`] plus an identifier search at that tag: no copy of the files
//! at exactly that tag could be read, so no line number is given.

use crate::machine::{ReaderAction, State, Step};
use crate::program::{AccessKind, Program, Register, ValueName, Word};
use crate::scenario::{Arch, FlushMode, ReaderKind, WriterOp};

/// The tag every reference is at: the code of the October 2022 discussion.
pub const KERNEL_TAG: &str = "v6.0";

/// The public source browser the links point into.
pub const SOURCE_BROWSER: &str = "https://elixir.bootlin.com/linux";

/// One kernel function the explorer models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceRef {
    /// The C identifier, without parentheses: `native_pte_clear`.
    pub function: &'static str,
    /// The call inside the function that the step is, when the step is not
    /// the whole function: `local_irq_save()`.
    pub call: Option<&'static str>,
    /// The file, from the top of the kernel tree.
    pub file: &'static str,
    /// The tag the reference is at.
    pub tag: &'static str,
    /// What the explorer models with it, in a sentence.
    pub models: &'static str,
    /// Where mainline differs from the tag, if it does.
    pub mainline: Option<&'static str>,
}

impl SourceRef {
    /// The file at the tag in the source browser.
    pub fn url(&self) -> String {
        format!("{SOURCE_BROWSER}/{}/source/{}", self.tag, self.file)
    }

    /// The browser's search for the function's definition at the tag.
    pub fn ident_url(&self) -> String {
        format!("{SOURCE_BROWSER}/{}/A/ident/{}", self.tag, self.function)
    }

    /// "native_pte_clear(), arch/x86/include/asm/pgtable-3level.h", or with
    /// the call: "local_irq_save() in lockless_pages_from_mm(), mm/gup.c".
    pub fn cite(&self) -> String {
        match self.call {
            Some(call) => format!("{call} in {}(), {}", self.function, self.file),
            None => format!("{}(), {}", self.function, self.file),
        }
    }
}

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
        "the config symbol is CONFIG_GUP_GET_PXX_LOW_HIGH since v6.2 (commit 8f28b415703e, \
         \"mm: Rename GUP_GET_PTE_LOW_HIGH\"); the loop and its comment are unchanged",
    ),
};

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

/// GUP-fast takes the page reference.
pub const GUP_GRAB: SourceRef = SourceRef {
    function: "gup_pte_range",
    call: Some("try_grab_folio()"),
    file: "mm/gup.c",
    tag: KERNEL_TAG,
    models: "grab: the page reference GUP-fast takes on the page the PTE it read points at, \
             a value-returning atomic (a full ordering point)",
    mainline: Some(
        "try_grab_folio_fast() in gup_fast_pte_range() since 2024, with an explicit \
         smp_mb__after_atomic() before the re-check",
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
    mainline: Some("reads the entry with ptep_get(ptep) in gup_fast_pte_range() since 2024"),
};

/// The sequence counter's reader side, as the thread proposed to use it:
/// the start of a read section.
pub const READ_SEQCOUNT_BEGIN: SourceRef = SourceRef {
    function: "read_seqcount_begin",
    call: None,
    file: "include/linux/seqlock.h",
    tag: KERNEL_TAG,
    models: "the proposed fix, reader side: s = read_seqcount_begin() waits while seq is odd, \
             then smp_rmb(); never merged for ptep_get_lockless()",
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

/// Every entry of the table, writer first, then the reader, then the flushes.
pub static ALL: &[&SourceRef] = &[
    &X86_PTE_CLEAR,
    &X86_PTEP_GET_AND_CLEAR,
    &X86_SET_PTE,
    &MIPS_PTE_CLEAR,
    &MIPS_SET_PTE,
    &SH_PTE_CLEAR,
    &SH_SET_PTE,
    &PTEP_GET_LOCKLESS,
    &GUP_IRQ_SAVE,
    &GUP_IRQ_RESTORE,
    &GUP_GRAB,
    &GUP_RECHECK,
    &READ_SEQCOUNT_BEGIN,
    &READ_SEQCOUNT_RETRY,
    &WRITE_SEQCOUNT_BEGIN,
    &WRITE_SEQCOUNT_END,
    &NATIVE_FLUSH_TLB_MULTI,
    &FLUSH_TLB_MM_RANGE,
    &KVM_FLUSH_TLB_MULTI,
    &ZAP_PTE_RANGE,
];

// The lookups' answers, most specific first.
static ZAP: [&SourceRef; 1] = [&X86_PTE_CLEAR];
static ZAP_HIGH_FIRST: [&SourceRef; 2] = [&MIPS_PTE_CLEAR, &SH_PTE_CLEAR];
static ZAP_ATOMIC: [&SourceRef; 1] = [&X86_PTEP_GET_AND_CLEAR];
static ESTABLISH_X86: [&SourceRef; 3] = [&X86_SET_PTE, &MIPS_SET_PTE, &SH_SET_PTE];
static ESTABLISH_MIPS_SH: [&SourceRef; 3] = [&MIPS_SET_PTE, &SH_SET_PTE, &X86_SET_PTE];
static FLUSH_NONE: [&SourceRef; 1] = [&ZAP_PTE_RANGE];
static FLUSH_IPI: [&SourceRef; 2] = [&NATIVE_FLUSH_TLB_MULTI, &FLUSH_TLB_MM_RANGE];
static FLUSH_PARAVIRT: [&SourceRef; 2] = [&KVM_FLUSH_TLB_MULTI, &FLUSH_TLB_MM_RANGE];
static IRQ_OFF: [&SourceRef; 1] = [&GUP_IRQ_SAVE];
static READ: [&SourceRef; 1] = [&PTEP_GET_LOCKLESS];
static IRQ_ON: [&SourceRef; 1] = [&GUP_IRQ_RESTORE];
static GRAB: [&SourceRef; 1] = [&GUP_GRAB];
static RECHECK: [&SourceRef; 1] = [&GUP_RECHECK];
static SEQ_BEGIN: [&SourceRef; 1] = [&READ_SEQCOUNT_BEGIN];
static SEQ_RETRY: [&SourceRef; 1] = [&READ_SEQCOUNT_RETRY];
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

/// What a step of a reader of `kind` stands for. Empty for the TLB walker,
/// which is hardware (or a `cmpxchg8b` read no kernel has for PTEs).
pub fn for_reader(kind: ReaderKind, action: ReaderAction) -> &'static [&'static SourceRef] {
    match (kind, action) {
        (ReaderKind::Atomic64, _) => &[],
        (_, ReaderAction::IrqOff) => &IRQ_OFF,
        (_, ReaderAction::IrqOn) => &IRQ_ON,
        (ReaderKind::Seqcount, ReaderAction::Load(Register::S) | ReaderAction::OddCheck) => {
            &SEQ_BEGIN
        }
        (ReaderKind::Seqcount, ReaderAction::Load(Register::S2) | ReaderAction::Check) => {
            &SEQ_RETRY
        }
        (_, ReaderAction::Grab) => &GRAB,
        (_, ReaderAction::Load(Register::Q0 | Register::Q1)) => &RECHECK,
        (_, ReaderAction::Recheck) => &RECHECK,
        _ => &READ,
    }
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
