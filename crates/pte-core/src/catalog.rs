//! The catalog: the scenarios of the October 2022 linux-mm discussion as
//! named presets, each with a short explanation. The same list feeds the
//! tests, the CLI's `list` and the web app's menu.

use crate::scenario::{Arch, Barrier, Barriers, FlushMode, MemoryModel, Pte, Scenario, WriterOp};

/// One named scenario.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// Stable id for the CLI, files and permalinks (`kernel`, `same-low-none`).
    pub id: &'static str,
    pub title: &'static str,
    /// One paragraph: what the scenario shows and who argued it.
    pub explanation: &'static str,
    build: fn() -> Scenario,
}

impl Preset {
    pub fn scenario(&self) -> Scenario {
        (self.build)()
    }
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

fn weak_without(barrier: Barrier) -> Scenario {
    Scenario {
        model: MemoryModel::Weak,
        barriers: Barriers::ALL_ON.with(barrier, false),
        ..different_low()
    }
}

fn tso_no_barriers() -> Scenario {
    Scenario { model: MemoryModel::Tso, barriers: Barriers::ALL_OFF, ..different_low() }
}

static PRESETS: &[Preset] = &[
    Preset {
        id: "kernel",
        title: "The kernel protocol as written",
        explanation: "x86 PAE as in mainline: zap clears low (the present bit) then high, the TLB flush \
            waits for readers through its IPI, and the new PTE is set high first, then low. \
            The reader is ptep_get_lockless(): low, rmb, high, rmb, low again, retry if low changed, \
            all with interrupts off as GUP-fast runs. This is the case the comment above \
            ptep_get_lockless() argues for: no torn read.",
        build: kernel,
    },
    Preset {
        id: "different-low",
        title: "Zap then establish, different low half, no flush",
        explanation: "Jason Gunthorpe's argument (Yz7316NubHtw2xCa@nvidia.com): it is about memory \
            ordering, not IPIs. Zap writes low (not present) then high; re-establish writes high then \
            low; the reader reads low, high, low. With no flush at all between zap and re-establish, \
            a read still returns the old PTE, the new one, or something not present, as long as the \
            new PTE's low half differs from the old one's.",
        build: different_low,
    },
    Preset {
        id: "same-low-none",
        title: "Same low half, no flush",
        explanation: "The new PTE reuses the old low half (on x86 PAE: the same physical address \
            modulo 4 GiB with the same flags). The re-read of low cannot see that the PTE changed: \
            read low of P0, the zap clears high, read high (zero), P1 is established with the same \
            low, re-read low matches. The reader returns P0's low with a zeroed high half: present, \
            and never in the PTE. Jann Horn: MADV_DONTNEED racing with a fault can re-install a PTE \
            before zap_pte_range() has flushed.",
        build: || same_low(FlushMode::None),
    },
    Preset {
        id: "same-low-ipi",
        title: "Same low half, IPI flush",
        explanation: "The comment's premise: a flush between zap and re-establish, sent as an IPI \
            that the reader holds off by running with interrupts disabled. A reader that saw the old \
            low half is still inside its interrupts-off section, so the re-establish cannot happen \
            until it returns. No torn read, even with a reused low half.",
        build: || same_low(FlushMode::Ipi),
    },
    Preset {
        id: "same-low-paravirt",
        title: "Same low half, paravirt flush",
        explanation: "Jann Horn's first point: under a hypervisor, paravirtual remote TLB flushes \
            (KVM's among them) send no IPI, so disabling interrupts does not hold the flush off. \
            John Hubbard agreed both comments are wrong for this reason. The flush no longer waits \
            for the reader and the same-low-half tear comes back.",
        build: || same_low(FlushMode::Paravirt),
    },
    Preset {
        id: "jann-two-cycles",
        title: "Jann Horn's two-cycle counterexample",
        explanation: "Jann Horn's trace (CAG48ez1Oz4t…, value corrected in CAG48ez2sutJ…): the PTE \
            maps 0x0001000100010000; the reader reads its low half; it is zapped and \
            0x0001000200020000 installed; the reader reads high (0x00010002); it is zapped again and \
            0x0001000300010000 installed; the re-read of low matches the first read, and the reader \
            returns 0x0001000200010000, which was never in the PTE. Here as PTEs with flags 0x067 and \
            no flush. \"It's not possible to atomically read a 64-bit PTE with 32-bit reads when the \
            PTE can completely change under you.\"",
        build: jann_two_cycles,
    },
    Preset {
        id: "atomic-zap-same-low",
        title: "Atomic zap, same low half, no flush",
        explanation: "Since v6.2 the x86 PAE SMP MADV_DONTNEED path clears the PTE with one atomic \
            64-bit exchange (native_ptep_get_and_clear()). That removes any tear inside the zap, but \
            not the reuse of the low half: the reader can still read P0's low, the zeroed high, then \
            the re-established low that matches. Still torn.",
        build: atomic_zap_same_low,
    },
    Preset {
        id: "mips-sh",
        title: "MIPS / SH clear order (high first)",
        explanation: "MIPS32 with 64-bit physical addresses and SH with X2TLB keep the present bit \
            in the low half but clear a PTE with set_pte(ptep, 0), which writes the high half first. \
            Read low (present), the clear zeroes high, read high, re-read low (not yet cleared): a \
            present entry with a zero high half, even with an IPI flush and a different low half. \
            (From reading the arch headers; the thread did not discuss it. Jann noted MIPS and SH have \
            no double-word cmpxchg to fall back on.)",
        build: mips_sh,
    },
    Preset {
        id: "overwrite",
        title: "Overwrite a present entry without a zap",
        explanation: "set_pte() of P1 straight over the present P0. The high half changes first while \
            the present bit in low stays set: low of P0, high of P1, low of P0 again passes the check. \
            The protocol relies on every change from one present PTE to another going through a \
            not-present zap.",
        build: overwrite,
    },
    Preset {
        id: "present-high-x86-order",
        title: "Present bit in the high half, x86 orders",
        explanation: "Jason Gunthorpe: \"I did not check that the present bit is properly placed in \
            the right low/high\". With the present bit in high (bit 32 here) but the x86 orders, the \
            zap clears low first while high still says present: read the cleared low, read the old \
            high, re-read low unchanged — a present entry that never existed.",
        build: present_high_x86_order,
    },
    Preset {
        id: "present-high-mirrored",
        title: "Present bit in the high half, mirrored orders",
        explanation: "The fix for a present bit in high is the mirror of x86: zap clears high (the \
            present bit) first, establish sets low first and high last. The reader still reads low, \
            high, low; with these orders every present result is a whole PTE again.",
        build: present_high_mirrored,
    },
    Preset {
        id: "weak-no-zap-wmb1",
        title: "Weak model without the zap's first wmb",
        explanation: "On a weakly ordered CPU the zap's two stores may reach memory in either order \
            without the smp_wmb() between them. If high is zeroed before low loses its present bit, \
            the reader can return P0's low with a zeroed high.",
        build: || weak_without(Barrier::ZapWmb1),
    },
    Preset {
        id: "weak-no-zap-wmb2",
        title: "Weak model without the zap's second wmb",
        explanation: "The smp_wmb() after the zap's second store is redundant here: the store it \
            would order against is the establish's high store (the same word) or the establish's \
            low store, which the establish's own first wmb already orders. No torn read.",
        build: || weak_without(Barrier::ZapWmb2),
    },
    Preset {
        id: "weak-no-establish-wmb1",
        title: "Weak model without the establish's first wmb",
        explanation: "Without the smp_wmb() between set_pte()'s two stores, the new low half (with \
            the present bit) may reach memory before the new high half. The reader can return P1's \
            low with the zap's zero high: torn. The TLB's own 64-bit walk needs this barrier for the \
            same reason.",
        build: || weak_without(Barrier::EstablishWmb1),
    },
    Preset {
        id: "weak-no-establish-wmb2",
        title: "Weak model without the establish's second wmb",
        explanation: "The trailing smp_wmb() of the last establish orders nothing that follows in \
            this writer. No torn read.",
        build: || weak_without(Barrier::EstablishWmb2),
    },
    Preset {
        id: "weak-no-rmb1",
        title: "Weak model without the reader's first rmb",
        explanation: "Without the smp_rmb() between the first read of low and the read of high, the \
            read of high may be performed first: it sees P0's high, then the writer zaps and \
            establishes P1, and both reads of low see P1's low. The check passes on a PTE that was \
            never there.",
        build: || weak_without(Barrier::ReaderRmb1),
    },
    Preset {
        id: "weak-no-rmb2",
        title: "Weak model without the reader's second rmb",
        explanation: "Without the smp_rmb() between the read of high and the re-read of low, the \
            re-read may be performed before high is read: both reads of low see P0, then the writer \
            zaps and establishes P1, then high is read. The check cannot see the change.",
        build: || weak_without(Barrier::ReaderRmb2),
    },
    Preset {
        id: "tso-no-barriers",
        title: "x86-TSO with every barrier removed",
        explanation: "On x86 smp_wmb() and smp_rmb() are compiler barriers only: TSO already keeps \
            stores in order with stores and loads in order with loads. Removing every barrier site \
            changes nothing for this protocol under x86-TSO (the compiler is not modelled).",
        build: tso_no_barriers,
    },
];
