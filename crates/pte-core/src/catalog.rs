//! The catalog: the scenarios of the October 2022 linux-mm discussion as
//! named presets, each with a short explanation. The same list feeds the
//! tests, the CLI's `list` and the web app's menu.

use crate::scenario::{
    Arch, Barrier, Barriers, FlushMode, MemoryModel, Pte, ReaderKind, Scenario, WriterOp,
};

/// One named scenario.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Stable id for the CLI, files and permalinks (`kernel`, `same-low-none`).
    pub id: &'static str,
    pub title: &'static str,
    /// What the preset is about: the menus group the presets under it.
    pub topic: Topic,
    /// One paragraph: what the scenario shows and who argued it.
    pub explanation: &'static str,
    /// The messages the explanation rests on, each a link to the archive.
    pub messages: &'static [&'static Message],
    build: fn() -> Scenario,
}

impl Preset {
    pub fn scenario(&self) -> Scenario {
        (self.build)()
    }
}

/// What a preset is about. Each topic's presets are next to each other in
/// menu order, so a menu grouped by topic keeps that order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// The protocol as the kernel has it.
    Kernel,
    /// A zap and a re-establish racing the reader: the TLB flush's role
    /// (Jann Horn's reports, Jason Gunthorpe's answer).
    ZapAndEstablish,
    /// Other orders of the clear, and other layouts of the entry.
    ClearOrderAndLayout,
    /// Barriers taken away, under a weak model or x86-TSO.
    Barriers,
    /// Other readers: the TLB walker, GUP-fast's re-check, and the pmd's
    /// readers before v6.2 (`../shared/spec/FAMILY.md`: `pmd_read_atomic()`
    /// and GUP-fast's `READ_ONCE(*pmdp)`).
    OtherReaders,
    /// The sequence-counter fix the thread proposed.
    SequenceCounter,
}

impl Topic {
    /// Every topic, in menu order.
    pub const ALL: [Topic; 6] = [
        Topic::Kernel,
        Topic::ZapAndEstablish,
        Topic::ClearOrderAndLayout,
        Topic::Barriers,
        Topic::OtherReaders,
        Topic::SequenceCounter,
    ];

    /// The heading of the topic's group in a menu.
    pub fn title(self) -> &'static str {
        match self {
            Topic::Kernel => "The kernel as written",
            Topic::ZapAndEstablish => "Zap and re-establish: Jann Horn's races",
            Topic::ClearOrderAndLayout => "Other clear orders and entry layouts",
            Topic::Barriers => "Barriers removed",
            Topic::OtherReaders => "Other readers: TLB walker, GUP-fast, the pmd before v6.2, KVM",
            Topic::SequenceCounter => "The sequence-counter fix",
        }
    }
}

/// A message of the discussion, by its complete Message-ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
    pub author: &'static str,
    /// What the message says, in a few words.
    pub topic: &'static str,
    pub message_id: &'static str,
}

impl Message {
    /// The message in the kernel's public mail archive.
    pub fn url(&self) -> String {
        format!("https://lore.kernel.org/all/{}/", self.message_id)
    }
}

/// The messages of the October 2022 thread and its follow-ups that the
/// catalog cites (`../shared/spec/THREAD.md`).
pub mod messages {
    use super::Message;

    pub const JANN_REPORT: Message = Message {
        author: "Jann Horn",
        topic: "both assumptions of the comment are false on x86",
        message_id: "CAG48ez3h-mnp9ZFC10v+-BW_8NQvxbwBsMYJFP8JX31o0B17Pg@mail.gmail.com",
    };
    pub const JASON_ORDERING: Message = Message {
        author: "Jason Gunthorpe",
        topic: "the argument is about memory ordering, not IPIs",
        message_id: "Yz7316NubHtw2xCa@nvidia.com",
    };
    pub const JANN_TWO_CYCLES: Message = Message {
        author: "Jann Horn",
        topic: "a counterexample with two zap/install cycles",
        message_id: "CAG48ez1Oz4tT-N2Y=Zs6jumu=zOp7SQRZ=V2c+b5bT9P4retJA@mail.gmail.com",
    };
    pub const JANN_TWO_CYCLES_CORRECTION: Message = Message {
        author: "Jann Horn",
        topic: "the counterexample's value corrected",
        message_id: "CAG48ez2sutJOkHvaPzA8hNhYQrea_bUxbWq3pTO1qqJ1JKBb5Q@mail.gmail.com",
    };
    pub const JASON_BROKEN: Message = Message {
        author: "Jason Gunthorpe",
        topic: "\"It does seem broken then\"; a seqlock would fix it",
        message_id: "Yz7/JtbinFmNpQMM@nvidia.com",
    };
    pub const JOHN_HUBBARD: Message = Message {
        author: "John Hubbard",
        topic: "both comments are wrong because of hypervisor flushes without IPIs",
        message_id: "2c800ed1-d17a-def4-39e1-09281ee78d05@nvidia.com",
    };
    pub const LINUS_SEQCOUNT: Message = Message {
        author: "Linus Torvalds",
        topic: "a sequence counter would be cleaner; the page must match mod 4 GiB",
        message_id: "CAHk-=wjoGnHVVp5pcb69C6HtnJ_avqQo_b5NK-X9bgoDDw_XbA@mail.gmail.com",
    };
    pub const JANN_RECHECK: Message = Message {
        author: "Jann Horn",
        topic: "GUP-fast re-checks the PTE after taking the page reference",
        message_id: "CAG48ez3KMuM2aLpc8SvGiqZvv1KFc7E2DBZ4CLzxQeFhrMN_-w@mail.gmail.com",
    };
    pub const JANN_HYPERCALLS: Message = Message {
        author: "Jann Horn",
        topic: "Hyper-V and Xen flush by hypercall too; Linux may not flush between zap and \
                re-install",
        message_id: "CAG48ez3VE+3dVdUMK+Pg_942gR+h_TCcSaFxGwCbNfh3W+mfOA@mail.gmail.com",
    };
    pub const LINUS_BAH: Message = Message {
        author: "Linus Torvalds",
        topic: "\"Bah. I should have known that\"",
        message_id: "CAHk-=whE3+pLUQrzK=f0_GKdYZrv=72ox2nQrPhc+jZCMLqVSw@mail.gmail.com",
    };
    /// PATCH 09/13 of Peter Zijlstra's follow-up series, merged for v6.2.
    pub const PETER_WRITE_ONCE: Message = Message {
        author: "Peter Zijlstra",
        topic: "x86/mm/pae: Use WRITE_ONCE() in native_set_pte() and native_pte_clear()",
        message_id: "20221022114425.038102604@infradead.org",
    };
    /// PATCH 05/13 of the same series: commit 024d232ae4fc (v6.2).
    pub const PETER_FIX_PMD_READ_ATOMIC: Message = Message {
        author: "Peter Zijlstra",
        topic: "mm: Fix pmd_read_atomic() (commit 024d232ae4fc, v6.2): \"AFAICT there's no \
                reason to do anything different than what we do for PTEs\"",
        message_id: "20221022114424.711181252@infradead.org",
    };
    /// PATCH 07/13 of the same series: commit 1180e732c985 (v6.2).
    pub const PETER_FIX_GUP_PMD: Message = Message {
        author: "Peter Zijlstra",
        topic: "mm/gup: Fix the lockless PMD access (commit 1180e732c985, v6.2): on i386-PAE \
                \"READ_ONCE() can do the wrong thing\"",
        message_id: "20221022114424.906110403@infradead.org",
    };
    /// Ben Gardon's RFC that moved the shadow MMU out of mmu.c: its removed
    /// lines are `__get_spte_lockless()` and `count_spte_clear()` as they
    /// stood at the end of 2022.
    pub const BEN_GARDON_SHADOW_MMU: Message = Message {
        author: "Ben Gardon",
        topic: "KVM: x86/MMU: Move the Shadow MMU implementation to shadow_mmu.c (RFC 03/14, \
                December 2022), which carries __get_spte_lockless() and its clear counter, \
                introduced by commit c2a2ac2b563c (Xiao Guangrong, 2011)",
        message_id: "20221221222418.3307832-4-bgardon@google.com",
    };
    /// Arnd Bergmann's RFC to drop 32-bit KVM hosts, whose thread holds
    /// Paolo Bonzini's reply on why 32-bit hosts are hard for KVM.
    pub const ARND_DROP_32BIT_KVM: Message = Message {
        author: "Arnd Bergmann",
        topic: "x86: kvm: drop 32-bit host support (RFC, December 2024); Paolo Bonzini replied \
                that 32-bit hosts \"cannot read/write a PTE atomically (i.e. without tearing)\"",
        message_id: "20241212125516.467123-6-arnd@kernel.org",
    };
    pub const LINUS_COMPILER_BARRIER: Message = Message {
        author: "Linus Torvalds",
        topic: "the smp_wmb() \"was really only ever there as a compiler barrier\"",
        message_id: "CAHk-=whVRHVJAOOc=+1eQMSuWSoRAp+yGkb3Kob2=7r05M+oXw@mail.gmail.com",
    };
}

/// Every preset, in menu order.
pub fn presets() -> &'static [Preset] {
    PRESETS
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.id == id)
}

/// The preset whose scenario equals `scenario`, if any.
pub fn matching(scenario: &Scenario) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.scenario() == *scenario)
}

/// Jann Horn's physical addresses as x86 PAE PTEs with flags 0x067
/// (present, rw, user, accessed, dirty).
pub const JANN_P0: Pte = Pte(0x0001_0001_0001_0067);
pub const JANN_P1: Pte = Pte(0x0001_0002_0002_0067);
pub const JANN_P2: Pte = Pte(0x0001_0003_0001_0067);

fn kernel() -> Scenario {
    Scenario::kernel()
}

/// Jason Gunthorpe's argument is about memory ordering alone: no flush
/// between zap and re-establish.
fn different_low() -> Scenario {
    Scenario { flush: FlushMode::None, ..Scenario::kernel() }
}

fn same_low(flush: FlushMode) -> Scenario {
    let mut scenario = Scenario { flush, ..Scenario::kernel() };
    scenario.set_same_low(true);
    scenario
}

fn jann_two_cycles() -> Scenario {
    let mut scenario = Scenario { flush: FlushMode::None, ..Scenario::cycles(2) };
    scenario.values.p0 = JANN_P0;
    scenario.values.p = vec![JANN_P1, JANN_P2];
    scenario
}

fn atomic_zap_same_low() -> Scenario {
    let mut scenario = same_low(FlushMode::None);
    scenario.writer = vec![WriterOp::ZapAtomic, WriterOp::Flush, WriterOp::Establish];
    scenario
}

fn mips_sh() -> Scenario {
    let mut scenario = Scenario::kernel();
    scenario.apply_arch(Arch::MipsSh);
    scenario
}

fn overwrite() -> Scenario {
    let mut scenario = Scenario { flush: FlushMode::None, ..Scenario::kernel() };
    scenario.writer = vec![WriterOp::Establish];
    scenario
}

fn present_high_x86_order() -> Scenario {
    let mut scenario = Scenario { flush: FlushMode::None, ..Scenario::kernel() };
    scenario.apply_arch(Arch::PresentHigh);
    scenario
}

fn present_high_mirrored() -> Scenario {
    let mut scenario = present_high_x86_order();
    scenario.writer = vec![WriterOp::ZapHighFirst, WriterOp::Flush, WriterOp::EstablishLowFirst];
    scenario
}

/// Under the weak model, the kernel's barriers with one site switched off.
/// No flush, as in [`different_low`]: an IPI flush would hide what the
/// barrier is for (the titles say "no flush").
fn weak_without(barrier: Barrier) -> Scenario {
    Scenario {
        model: MemoryModel::Weak,
        barriers: Barriers::KERNEL.with(barrier, false),
        ..different_low()
    }
}

/// Under the weak model, Jason Gunthorpe's sketch (every site on) with one
/// of its trailing wmbs switched off: the kernel has neither of them.
fn weak_sketch_without(barrier: Barrier) -> Scenario {
    Scenario { barriers: Barriers::ALL_ON.with(barrier, false), ..weak_without(barrier) }
}

fn tso_no_barriers() -> Scenario {
    Scenario { model: MemoryModel::Tso, barriers: Barriers::ALL_OFF, ..different_low() }
}

/// The same with `WRITE_ONCE()` stores and `READ_ONCE()` loads (v6.2's
/// writer).
fn tso_no_barriers_marked() -> Scenario {
    Scenario { marked_writer: true, marked_reader: true, ..tso_no_barriers() }
}

fn sc_compiler_no_barriers() -> Scenario {
    Scenario { model: MemoryModel::Sc, ..tso_no_barriers() }
}

/// One reader of `kind`, no flush, in `arch`'s orders, the kernel's barriers.
fn one_reader(kind: ReaderKind, arch: Arch, same_low: bool) -> Scenario {
    let mut scenario = Scenario { flush: FlushMode::None, ..Scenario::kernel() };
    scenario.apply_arch(arch);
    scenario.set_same_low(same_low);
    scenario.set_reader_kind(0, kind);
    scenario
}

/// The sequence-counter fix: its reader and its writer, same low half.
fn seqcount_fix(model: MemoryModel) -> Scenario {
    let mut scenario = one_reader(ReaderKind::Seqcount, Arch::X86Pae, true);
    scenario.seqcount = true;
    scenario.model = model;
    scenario
}

/// The populate case `pmd_read_atomic()`'s authors had in mind: one
/// establish of P1 on an entry that holds 0 (not present), no zap, no
/// flush; one reader of `kind`.
fn populate(kind: ReaderKind) -> Scenario {
    let mut scenario = Scenario { flush: FlushMode::None, ..Scenario::kernel() };
    scenario.writer = vec![WriterOp::Establish];
    scenario.values.p0 = Pte(0);
    scenario.set_reader_kind(0, kind);
    scenario
}

use messages::{
    ARND_DROP_32BIT_KVM, BEN_GARDON_SHADOW_MMU, JANN_HYPERCALLS, JANN_RECHECK, JANN_REPORT,
    JANN_TWO_CYCLES, JANN_TWO_CYCLES_CORRECTION, JASON_BROKEN, JASON_ORDERING, JOHN_HUBBARD,
    LINUS_BAH, LINUS_COMPILER_BARRIER, LINUS_SEQCOUNT, PETER_FIX_GUP_PMD,
    PETER_FIX_PMD_READ_ATOMIC, PETER_WRITE_ONCE,
};

static PRESETS: &[Preset] = &[
    Preset {
        id: "kernel",
        title: "The kernel protocol as written",
        topic: Topic::Kernel,
        explanation:
            "x86 PAE with the two-store clear: native_pte_clear() writes low (the present \
            bit) = 0, smp_wmb(), high = 0; the TLB flush sends IPIs and waits for readers; \
            native_set_pte() writes high, smp_wmb(), low. Each has exactly one smp_wmb(), between \
            the halves; the trailing ones of Jason Gunthorpe's sketch are off here. This two-store \
            clear is what the comment above ptep_get_lockless() describes. (The MADV_DONTNEED zap \
            of user PTEs, native_ptep_get_and_clear(), is instead one atomic 64-bit exchange on \
            SMP kernels: see \"Atomic zap, same low half, no flush\".) The reader is ptep_get_lockless(): low, rmb, \
            high, rmb, low again, retry if low changed, inside GUP-fast's local_irq_save(). This \
            is the case the comment argues for: no torn read.",
        messages: &[&JANN_REPORT],
        build: kernel,
    },
    Preset {
        id: "different-low",
        title: "Zap then establish, different low half, no flush",
        topic: Topic::ZapAndEstablish,
        explanation: "Jason Gunthorpe's argument: it is about memory ordering, not IPIs. Zap \
            writes low (not present) then high; re-establish writes high then low; the reader \
            reads low, high, low. With no flush at all between zap and re-establish, a read still \
            returns the old PTE, the new one, or something not present, as long as the new PTE's \
            low half differs from the old one's.",
        messages: &[&JASON_ORDERING],
        build: different_low,
    },
    Preset {
        id: "same-low-none",
        title: "Same low half, no flush",
        topic: Topic::ZapAndEstablish,
        explanation: "The new PTE reuses the old low half (on x86 PAE: the same physical address \
            modulo 4 GiB with the same flags). The re-read of low cannot see that the PTE changed: \
            read low of P0, the zap clears low and then high, read high (zero), P1 is established \
            with the same low, the re-read of low matches. The reader returns P0's low with a \
            zeroed high half: present, and written by no one. Jann Horn, against the comment's \
            first assumption: MADV_DONTNEED racing with an anonymous page fault can re-install a \
            PTE before the zap's TLB flush, because zap_pte_range() flushes before dropping the \
            page-table lock only when force_flush is set; otherwise the flush comes later, from \
            the mmu_gather, after the lock is dropped (tlb_finish_mmu() on x86). The zap here is \
            native_pte_clear()'s two stores; on SMP x86 the MADV_DONTNEED zap is one atomic \
            64-bit exchange instead, and the same tear with it is \"Atomic zap, same low half, \
            no flush\".",
        messages: &[&JANN_REPORT],
        build: || same_low(FlushMode::None),
    },
    Preset {
        id: "same-low-ipi",
        title: "Same low half, IPI flush",
        topic: Topic::ZapAndEstablish,
        explanation: "The comment's premise: a flush between zap and re-establish, sent as an IPI \
            that the reader holds off by running with interrupts disabled (native \
            flush_tlb_mm_range() waits for every CPU it interrupts). A reader that saw the old low \
            half is still inside its interrupts-off section, so the re-establish cannot happen \
            until it returns. No torn read, even with a reused low half.",
        messages: &[&JANN_REPORT],
        build: || same_low(FlushMode::Ipi),
    },
    Preset {
        id: "same-low-paravirt",
        title: "Same low half, paravirt flush",
        topic: Topic::ZapAndEstablish,
        explanation: "Jann Horn's rebuttal of the comment's second assumption, that TLB flushes \
            involve IPIs: under a hypervisor the paravirtualized flush \"can implement remote TLB \
            flushes without IPIs\". In a later reply he named Hyper-V and Xen, whose \
            hyperv_flush_tlb_multi() and xen_flush_tlb_multi() flush by hypercall. KVM's \
            kvm_flush_tlb_multi() (arch/x86/kernel/kvm.c) interrupts running vCPUs but skips a \
            preempted one and has the host flush it when it next runs, which is exactly a vCPU \
            descheduled in the middle of GUP-fast. John Hubbard agreed that both the old and the \
            new comment are wrong for this reason. The flush no longer waits for the reader and \
            the same-low-half tear comes back.",
        messages: &[&JANN_REPORT, &JANN_HYPERCALLS, &JOHN_HUBBARD],
        build: || same_low(FlushMode::Paravirt),
    },
    Preset {
        id: "jann-two-cycles",
        title: "Jann Horn's two-cycle counterexample",
        topic: Topic::ZapAndEstablish,
        explanation: "Jann Horn's trace (its value corrected in a follow-up): the PTE maps \
            0x0001000100010000; the reader reads its low half; it is zapped and 0x0001000200020000 \
            installed; the reader reads high (0x00010002); it is zapped again and \
            0x0001000300010000 installed; the re-read of low matches the first read, and the \
            reader returns 0x0001000200010000, which no writer wrote. Here the addresses carry the \
            flags 0x067 in their low bits, so the table shows that value as 0x0001000200010067; \
            there is no flush. The addresses are illustrative: bit 48 is beyond what 32-bit PAE \
            Linux can map (its __PHYSICAL_MASK_SHIFT is 44). In his words, \"…it's not possible to \
            atomically read a 64-bit PTE with 32-bit reads when the PTE can completely change \
            under you\" (from mid-sentence). Jason Gunthorpe: \"It does seem broken then\".",
        messages: &[&JANN_TWO_CYCLES, &JANN_TWO_CYCLES_CORRECTION, &JASON_BROKEN],
        build: jann_two_cycles,
    },
    Preset {
        id: "atomic-zap-same-low",
        title: "Atomic zap, same low half, no flush",
        topic: Topic::ZapAndEstablish,
        explanation: "On SMP x86 PAE kernels native_ptep_get_and_clear(), the MADV_DONTNEED zap \
            path (zap_pte_range() → ptep_get_and_clear_full() when the mmu_gather is not fullmm, \
            as for MADV_DONTNEED), clears the PTE with one atomic \
            64-bit exchange: since 2018 (commit b2d7a075a1cc, \"x86/pae: use 64 bit atomic xchg \
            function in native_ptep_get_and_clear\"); v6.2 only rewrote it as an explicit \
            try_cmpxchg64() loop. (Non-SMP builds, and the fullmm zap at exit, clear low first.) That removes any tear inside \
            the zap, but not the reuse of the low half: the reader can still read P0's low, the \
            zeroed high, then the re-established low that matches. Still torn. Linus Torvalds: the \
            race needs a page re-populated \"exactly the same MOD-4GB\", and a sequence counter \
            would be cleaner.",
        messages: &[&JANN_REPORT, &LINUS_SEQCOUNT],
        build: atomic_zap_same_low,
    },
    Preset {
        id: "mips-sh",
        title: "MIPS / SH clear order (high first)",
        topic: Topic::ClearOrderAndLayout,
        explanation:
            "MIPS32 with 64-bit physical addresses and SH with X2TLB keep the present bit \
            in the low half (MIPS: _PAGE_PRESENT is bit 6 of pte_low without XPA, bit 24 with XPA; \
            SH: the V bit, 0x100) but clear a PTE with pte_clear(), which stores the empty entry \
            high half first (SH: set_pte(ptep, __pte(0)); MIPS stores __pte(0), or _PAGE_GLOBAL \
            when the buddy entry is global, between htw_stop() and htw_start()). Read low (present), the clear zeroes high, read high, re-read low \
            (not yet cleared): a present entry with a zero high half, even with an IPI flush and a \
            different low half. Here memory itself held that value between the clear's two stores: \
            a half-written entry. What high = 0 means differs: on MIPS without XPA the whole page \
            frame number and the hardware valid bit are in pte_high, so it is frame 0, not valid; \
            on SH pte_high holds permission and size bits, so it is the right page with no \
            permissions. (From reading the arch headers; the thread did not discuss it. Jann Horn \
            noted that MIPS and SH \"don't define arch_cmpxchg_double()\", so a double-word \
            cmpxchg read is no fix there.)",
        messages: &[&JANN_REPORT],
        build: mips_sh,
    },
    Preset {
        id: "overwrite",
        title: "Overwrite a present entry without a zap",
        topic: Topic::ClearOrderAndLayout,
        explanation: "set_pte() of P1 straight over the present P0. The high half changes first \
            while the present bit in low stays set: low of P0, high of P1, low of P0 again passes \
            the check, and memory itself held that value between set_pte()'s two stores. The \
            protocol relies on every change from one present PTE to another going through a \
            not-present zap.",
        messages: &[&JASON_ORDERING],
        build: overwrite,
    },
    Preset {
        id: "present-high-x86-order",
        title: "Present bit in the high half, x86 orders",
        topic: Topic::ClearOrderAndLayout,
        explanation: "Jason Gunthorpe: \"I did not check that the present bit is properly placed \
            in the right low/high\". With the present bit in high (bit 32 here) but the x86 \
            orders, the zap clears low first while high still says present: read the cleared low, \
            read the old high, re-read low unchanged. A present value no writer wrote, which \
            memory itself held between the zap's two stores.",
        messages: &[&JASON_ORDERING],
        build: present_high_x86_order,
    },
    Preset {
        id: "present-high-mirrored",
        title: "Present bit in the high half, mirrored orders",
        topic: Topic::ClearOrderAndLayout,
        explanation:
            "For a present bit in high, the write orders must be the mirror of x86's: zap \
            clears high (the present bit) first, establish sets low first and high last. The \
            reader still reads low, high, low; with these orders every present result of one \
            zap/establish cycle is a whole PTE again. That restores only the one-cycle guarantee: \
            Jann Horn's two-cycle race does not depend on the write order. The mirrored establish \
            is hypothetical: no kernel has it.",
        messages: &[&JASON_ORDERING],
        build: present_high_mirrored,
    },
    Preset {
        id: "weak-no-zap-wmb1",
        title: "Weak model, no flush, without the zap's wmb",
        topic: Topic::Barriers,
        explanation: "On a weakly ordered CPU the zap's two stores may reach memory in either \
            order without the smp_wmb() between them in native_pte_clear(). If high is zeroed \
            before low loses its present bit, the reader can return P0's low with a zeroed high. \
            Otherwise the kernel's barriers, no flush.",
        messages: &[&JASON_ORDERING],
        build: || weak_without(Barrier::ZapWmb1),
    },
    Preset {
        id: "weak-no-zap-wmb2",
        title: "Weak model, no flush: Jason's sketch without the zap's trailing wmb",
        topic: Topic::Barriers,
        explanation: "Jason Gunthorpe's sketch ends the zap with a second smp_wmb(); \
            native_pte_clear() has none. Switching it off in the sketch changes no result, which \
            is why the kernel can leave it out: the store it would order against is the \
            establish's high store (the same word) or the establish's low store, which the \
            establish's own wmb already orders after it. No torn read.",
        messages: &[&JASON_ORDERING],
        build: || weak_sketch_without(Barrier::ZapWmb2),
    },
    Preset {
        id: "weak-no-establish-wmb1",
        title: "Weak model, no flush, without the establish's wmb",
        topic: Topic::Barriers,
        explanation: "Without the smp_wmb() between native_set_pte()'s two stores, the new low \
            half (with the present bit) may reach memory before the new high half. The reader can \
            return P1's low with the zap's zero high: torn. Jason Gunthorpe says the TLB's own \
            atomic 64-bit load needs this barrier for the same reason. Otherwise the kernel's barriers, \
            no flush.",
        messages: &[&JASON_ORDERING],
        build: || weak_without(Barrier::EstablishWmb1),
    },
    Preset {
        id: "weak-no-establish-wmb2",
        title: "Weak model, no flush: Jason's sketch without the establish's trailing wmb",
        topic: Topic::Barriers,
        explanation: "Jason Gunthorpe's sketch ends the establish with a second smp_wmb(); \
            native_set_pte() has none. In the sketch it orders nothing that follows the last \
            establish in this writer, so switching it off changes no result, which is why the \
            kernel can leave it out. No torn read.",
        messages: &[&JASON_ORDERING],
        build: || weak_sketch_without(Barrier::EstablishWmb2),
    },
    Preset {
        id: "weak-no-rmb1",
        title: "Weak model, no flush, without the reader's first rmb",
        topic: Topic::Barriers,
        explanation: "Without the smp_rmb() between the first read of low and the read of high, \
            the read of high may be performed first: it sees P0's high, then the writer zaps and \
            establishes P1, and both reads of low see P1's low. The check passes on a value no \
            writer wrote. Otherwise the kernel's barriers, no flush.",
        messages: &[&JASON_ORDERING],
        build: || weak_without(Barrier::ReaderRmb1),
    },
    Preset {
        id: "weak-no-rmb2",
        title: "Weak model, no flush, without the reader's second rmb",
        topic: Topic::Barriers,
        explanation: "Without the smp_rmb() between the read of high and the re-read of low, the \
            re-read may be performed before high is read: both reads of low see P0, then the \
            writer zaps and establishes P1, then high is read. The check cannot see the change. \
            Otherwise the kernel's barriers, no flush.",
        messages: &[&JASON_ORDERING],
        build: || weak_without(Barrier::ReaderRmb2),
    },
    Preset {
        id: "tso-no-barriers",
        title: "x86-TSO, no flush, every barrier removed",
        topic: Topic::Barriers,
        explanation: "On x86 smp_wmb() and smp_rmb() are compiler barriers only: the CPU \
            keeps stores in order with stores and loads in order with loads, so the barriers are \
            there for the compiler. Without them, and with the plain accesses of v6.0, the \
            compiler may swap the two stores of a zap or an establish, compile the read of high \
            before the first read of low, or reuse the first read of low for the check, which \
            then compares r0 with itself. Torn, although the CPU reorders nothing.",
        messages: &[&JASON_ORDERING, &LINUS_COMPILER_BARRIER],
        build: tso_no_barriers,
    },
    Preset {
        id: "tso-no-barriers-marked",
        title: "x86-TSO, no flush, every barrier removed, READ_ONCE()/WRITE_ONCE()",
        topic: Topic::Barriers,
        explanation: "The same without any barrier, but the writer's stores are WRITE_ONCE() \
            (as since \"x86/mm/pae: Use WRITE_ONCE()\", merged for v6.2) and the reader's loads \
            READ_ONCE(). The compiler may neither reorder two marked accesses nor merge a marked \
            load, and x86 keeps the order: never torn. Linus Torvalds, on the patch: \"Two \
            WRITE_ONCE() statements are inherently ordered for the compiler (due to volatile \
            rules), and x86 doesn't re-order writes.\"",
        messages: &[&PETER_WRITE_ONCE, &LINUS_COMPILER_BARRIER],
        build: tso_no_barriers_marked,
    },
    Preset {
        id: "sc-compiler-no-barriers",
        title: "Sequential consistency with the compiler, no flush, every barrier removed",
        topic: Topic::Barriers,
        explanation: "A sequentially consistent CPU performs every access in program order, but \
            the program it runs is the compiler's: without the barriers the compiler may reorder \
            the plain accesses or merge the re-read of low into the first read. Even a \
            sequentially consistent CPU does not save code the compiler may reorder: torn.",
        messages: &[&JASON_ORDERING, &LINUS_COMPILER_BARRIER],
        build: sc_compiler_no_barriers,
    },
    Preset {
        id: "walker-x86",
        title: "TLB walker, x86 orders, same low half, no flush",
        topic: Topic::OtherReaders,
        explanation: "Jason Gunthorpe's message has two observers, not one: he says the write orders \
            exist \"to make the TLB's atomic 64 bit load work properly, otherwise the TLB could \
            read a present entry with a bogus other half!\", and defines a non-torn \
            ptep_get_lockless() read \"the same as for the TLB\". Here the reader is that walker: \
            one single-copy-atomic 64-bit load, no interrupts disabled, no retry. With the x86 \
            orders (clear the present half first, set it last) it never sees a torn entry, even \
            with a reused low half and no flush: it reads one moment of memory, and memory never \
            holds a present mix. The same load is what a cmpxchg8b read would give; Jann Horn \
            noted that MIPS and SH \"don't define arch_cmpxchg_double()\", so a double-word \
            cmpxchg read is no fix there.",
        messages: &[&JASON_ORDERING, &JANN_REPORT],
        build: || one_reader(ReaderKind::Atomic64, Arch::X86Pae, true),
    },
    Preset {
        id: "walker-mips-sh",
        title: "Atomic 64-bit load, MIPS/SH clear order, no flush",
        topic: Topic::OtherReaders,
        explanation: "One atomic 64-bit load against the MIPS/SH clear, pte_clear(), which \
            writes the high half first. Between the two stores memory itself holds P0's low half \
            (present) with a zeroed high half, and even an atomic load can return exactly that: \
            a half-written entry. This reader is x86's kind of walker. MIPS32 and SH refill the \
            TLB in software with 32-bit loads: the MIPS handler built in arch/mips/mm/tlbex.c \
            loads pte_high (and, with XPA, pte_low separately); SH's handle_tlbmiss() copies the \
            entry with two 32-bit loads. Under the weak model, with no flush and no trailing wmb \
            in the clear, the establish's high store may also land before the clear's low store. \
            (From reading the arch sources; the thread did not discuss it.)",
        messages: &[&JASON_ORDERING],
        build: || one_reader(ReaderKind::Atomic64, Arch::MipsSh, false),
    },
    Preset {
        id: "gup-fast-same-low",
        title: "GUP-fast's re-check, same low half, no flush",
        topic: Topic::OtherReaders,
        explanation: "Jann Horn pointed out that GUP-fast re-checks the PTE after taking the page \
            reference (pte_val(pte) != pte_val(*ptep) in gup_pte_range()); Linus Torvalds: \"Bah. \
            I should have known that\". The reader here is that whole path: ptep_get_lockless(), \
            grab the reference (a full barrier), read the entry again, back off if it changed. \
            The same-low-half tear still happens inside the loop, but by then the entry already \
            holds P1, so the re-check sees the change and GUP-fast backs off: it never returns \
            the torn value, though it did take a reference on the page the torn entry points at.",
        messages: &[&JANN_RECHECK, &LINUS_BAH],
        build: || one_reader(ReaderKind::GupFast, Arch::X86Pae, true),
    },
    Preset {
        id: "gup-fast-mips-sh",
        title: "GUP-fast's re-check, MIPS/SH clear order, no flush",
        topic: Topic::OtherReaders,
        explanation: "The re-check does not save the MIPS/SH clear order: between the clear's two \
            stores the entry itself holds P0's low half with a zeroed high half, so the loop can \
            return that value and the re-check, reading the entry again while the writer is \
            still between its stores, finds the same value and accepts it. GUP-fast returns a \
            torn entry under every model.",
        messages: &[&JANN_RECHECK],
        build: || one_reader(ReaderKind::GupFast, Arch::MipsSh, false),
    },
    Preset {
        id: "pmd-read-atomic-same-low",
        title: "pmd_read_atomic() (before v6.2), same low half, no flush",
        topic: Topic::OtherReaders,
        explanation: "x86 PAE's pmd_read_atomic() until v6.1: read the low half; if it is 0 \
            return the none pmd, else smp_rmb() and read the high half. No retry and no \
            interrupts off: its callers walk page tables under mmap_lock for read. Against a zap \
            and re-establish it returns P0's low half with the zapped high half: torn under \
            every model, with or without a reused low half, since nothing re-checks. Its own \
            comment admits that with THP \"the high and low part of the pmdval returned may not \
            be consistent\", arguing its main caller needs only the low half. Peter Zijlstra's \
            \"mm: Fix pmd_read_atomic()\" (commit 024d232ae4fc, v6.2) replaced it with \
            pmdp_get_lockless(), the lockless loop: \"AFAICT there's no reason to do anything \
            different than what we do for PTEs.\"",
        messages: &[&PETER_FIX_PMD_READ_ATOMIC],
        build: || one_reader(ReaderKind::PmdReadAtomic, Arch::X86Pae, true),
    },
    Preset {
        id: "pmd-read-atomic-populate",
        title: "pmd_read_atomic() on a not-present entry, populate only",
        topic: Topic::OtherReaders,
        explanation: "The case pmd_read_atomic()'s comment has in mind: \"Without THP if the \
            mmap_lock is held for reading, the pmd can only transition from null to not null \
            while pmd_read_atomic() runs.\" The entry holds 0 and one establish (high, \
            smp_wmb(), low) installs P1; no zap. A non-zero low half is P1's, stored after \
            P1's high half, and the smp_rmb() keeps the high half's load after it: never torn, \
            under every model. Switch pmd_rmb off under the weak model to see the load of the \
            high half performed first: the if statement orders nothing on a weak CPU.",
        messages: &[&PETER_FIX_PMD_READ_ATOMIC],
        build: || populate(ReaderKind::PmdReadAtomic),
    },
    Preset {
        id: "read-once64-same-low",
        title: "GUP-fast's READ_ONCE(*pmdp) (before v6.2), same low half, no flush",
        topic: Topic::OtherReaders,
        explanation: "GUP-fast's gup_pmd_range() read the pmd with pmd_t pmd = READ_ONCE(*pmdp) \
            until v6.1, interrupts off. On i386 an 8-byte READ_ONCE() is two 32-bit loads with \
            no barrier and no retry, in an order C does not fix. Against a zap and re-establish \
            nothing makes the halves belong together: torn under every model. Peter Zijlstra's \
            \"mm/gup: Fix the lockless PMD access\" (commit 1180e732c985, v6.2): \"On \
            architectures where the PTE/PMD is larger than the native word size (i386-PAE for \
            example), READ_ONCE() can do the wrong thing. Use pmdp_get_lockless() just like we \
            use ptep_get_lockless().\"",
        messages: &[&PETER_FIX_GUP_PMD],
        build: || one_reader(ReaderKind::ReadOnce64, Arch::X86Pae, true),
    },
    Preset {
        id: "read-once64-populate",
        title: "READ_ONCE(*pmdp) on a not-present entry, populate only",
        topic: Topic::OtherReaders,
        explanation: "The populate case against GUP-fast's READ_ONCE(*pmdp): the entry holds 0 \
            and one establish installs P1. Loaded low half first, as the code is written, x86 \
            never tears here: a low half of P1 comes after P1's high half. But the two loads \
            are halves of one volatile access, and the compiler may emit the high half's load \
            first: then the old high half (0) with P1's low half is torn, even on a \
            sequentially consistent CPU. Switch the compiler off to see x86 keep it whole; the \
            weak model tears either way.",
        messages: &[&PETER_FIX_GUP_PMD],
        build: || populate(ReaderKind::ReadOnce64),
    },
    Preset {
        id: "kvm-spte-clear-counter",
        title: "KVM's __get_spte_lockless() with its clear counter, same low half, no flush",
        topic: Topic::OtherReaders,
        explanation: "KVM's shadow MMU on a 32-bit x86 host reads an spte with \
            __get_spte_lockless() (arch/x86/kvm/mmu/mmu.c): the lockless loop between two reads \
            of sp->clear_spte_count, which count_spte_clear() bumps after every clear (smp_wmb(), \
            then count + 1), interrupts off around the walk \
            (walk_shadow_page_lockless_begin()). The clear counter came with commit \
            c2a2ac2b563c, \"KVM: MMU: lockless walking shadow page table\" (Xiao Guangrong, \
            2011). With the same low half the re-read of the low half cannot see the zap and \
            re-establish, but the count can: never torn under SC and x86-TSO, compiler or not. \
            Under the weak model it tears: the test is `spte_low != orig->spte_low || count != \
            sp->clear_spte_count`, a branch, so the count may be read again before the low \
            half. The code is built for 32-bit x86 only, where loads keep their order.",
        messages: &[&BEN_GARDON_SHADOW_MMU, &ARND_DROP_32BIT_KVM],
        build: || {
            let mut scenario = one_reader(ReaderKind::KvmSpte, Arch::X86Pae, true);
            scenario.clear_counter = true;
            scenario
        },
    },
    Preset {
        id: "kvm-spte-no-clear-counter",
        title: "KVM's __get_spte_lockless() without the clear counter, same low half, no flush",
        topic: Topic::OtherReaders,
        explanation: "The same reader with the writer's count_spte_clear() taken away: count \
            stays 0, both reads of it agree, and what is left is the lockless loop, which the \
            same low half defeats: P0's low half with the zapped high half is returned, as \
            ptep_get_lockless() returns it. The clear counter is what catches this ABA case \
            (commit c2a2ac2b563c, 2011); Paolo Bonzini wrote in 2024 that 32-bit hosts \
            \"cannot read/write a PTE atomically (i.e. without tearing)\".",
        messages: &[&BEN_GARDON_SHADOW_MMU, &ARND_DROP_32BIT_KVM],
        build: || one_reader(ReaderKind::KvmSpte, Arch::X86Pae, true),
    },
    Preset {
        id: "seqcount-fix",
        title: "Sequence-counter fix, same low half, no flush",
        topic: Topic::SequenceCounter,
        explanation:
            "Jason Gunthorpe suggested a seqlock and Linus Torvalds a sequence counter as \
            the clean fix (never merged, as of December 2025). The writer wraps every zap and establish in \
            write_seqcount_begin() (seq + 1, smp_wmb()) and write_seqcount_end() (smp_wmb(), \
            seq + 1); the reader reads seq, waits while it is odd, smp_rmb(), reads both halves, \
            smp_rmb(), reads seq again and retries if it changed. A read can only return a value \
            memory held while seq was even and unchanged: P0, the cleared entry, or P1. Never \
            torn, even with the reused low half.",
        messages: &[&JASON_BROKEN, &LINUS_SEQCOUNT],
        build: || seqcount_fix(MemoryModel::Sc),
    },
    Preset {
        id: "seqcount-fix-tso",
        title: "Sequence-counter fix under x86-TSO",
        topic: Topic::SequenceCounter,
        explanation: "The sequence-counter fix on x86, where the barriers are compiler barriers \
            and seq's stores go through the store buffer with the PTE's: TSO keeps stores in \
            order and loads in order, so the fix holds without any fence. Never torn.",
        messages: &[&JASON_BROKEN, &LINUS_SEQCOUNT],
        build: || seqcount_fix(MemoryModel::Tso),
    },
    Preset {
        id: "seqcount-fix-weak",
        title: "Sequence-counter fix under the weak model",
        topic: Topic::SequenceCounter,
        explanation: "The sequence-counter fix on a weakly ordered CPU, every barrier of the fix \
            on. seq_wmb_begin keeps the first seq store before the update, seq_wmb_end the update \
            before the second; the reader's two smp_rmb() keep its reads of the halves between \
            its two reads of seq. Never torn. Switch any barrier off to see which matter: both \
            of the reader's do; the writer's begin wmb is redundant next to the clear's own \
            smp_wmb(), but not without it.",
        messages: &[&JASON_BROKEN, &LINUS_SEQCOUNT],
        build: || seqcount_fix(MemoryModel::Weak),
    },
    Preset {
        id: "seqcount-fix-weak-no-rmb-begin",
        title: "Sequence-counter fix, weak model, without read_seqcount_begin()'s rmb",
        topic: Topic::SequenceCounter,
        explanation: "Without the smp_rmb() after the first read of seq, the reads of the halves \
            may be performed before it: both halves can be read long before seq is, so an even, \
            unchanged seq no longer vouches for them. P0's low (equal to P1's) with the cleared \
            high half passes: torn again.",
        messages: &[&LINUS_SEQCOUNT],
        build: || {
            let mut scenario = seqcount_fix(MemoryModel::Weak);
            scenario.barriers.set(Barrier::SeqRmbBegin, false);
            scenario
        },
    },
];
