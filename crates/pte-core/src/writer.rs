//! The writer as specs: each operation kind (`WriterOp`) and each option
//! (the sequence counter, KVM's clear counter) with the stores it performs, its barrier sites,
//! its code as the listing shows it and the kernel functions it stands for.
//! [`WriterOp::spec`] is the one match on the operation; the compiled
//! accesses (`program.rs`), the listing and the source lookups read specs.

use crate::edit::Edit;
use crate::scenario::{Arch, Barrier, Scenario, WriterOp};
use crate::source_ref::{SourceRef, KERNEL_TAG};
use crate::words::Word;

/// What an operation stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stores {
    /// Two 32-bit stores of the PTE's halves, in this order.
    Halves([Word; 2]),
    /// One 64-bit atomic store of both halves.
    Both,
    /// Nothing: a TLB flush (whose kind is the scenario's flush mode).
    Flush,
}

/// Which value an operation writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writes {
    /// The not-present value Z.
    Zap,
    /// The next re-established value P1, P2, ….
    Establish,
    /// No value (a flush).
    Nothing,
}

/// One writer operation kind.
#[derive(Debug)]
pub struct WriterOpSpec {
    /// The name used in files, URLs and CLI flags.
    pub id: &'static str,
    /// A short name for menus: "zap, low first".
    pub label: &'static str,
    /// The kernel function this operation stands for.
    pub title: &'static str,
    pub stores: Stores,
    pub writes: Writes,
    /// The `smp_wmb()` sites after its first and second store.
    pub wmb_sites: &'static [Barrier],
    /// The call the listing shows for it, given the value's name ("P1");
    /// empty for a flush, whose one line is the call itself.
    pub call: fn(&str) -> String,
    /// What it does: "zap: low, then high"; for two halves the listing adds
    /// whether the present bit goes first or last, and `summary_note`.
    pub summary: &'static str,
    pub summary_note: Option<&'static str>,
    /// The kernel functions it stands for, the one of `arch` first.
    pub sources: fn(Option<Arch>) -> &'static [&'static SourceRef],
}

impl WriterOp {
    /// The operation's spec: the one place that matches on it.
    pub fn spec(self) -> &'static WriterOpSpec {
        match self {
            WriterOp::Zap => &ZAP,
            WriterOp::ZapHighFirst => &ZAP_HIGH_FIRST,
            WriterOp::ZapAtomic => &ZAP_ATOMIC,
            WriterOp::Establish => &ESTABLISH,
            WriterOp::EstablishLowFirst => &ESTABLISH_LOW_FIRST,
            WriterOp::Flush => &FLUSH,
        }
    }

    /// The name used in files, URLs and CLI flags.
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// A short name for menus: "zap, low first".
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// The kernel function this operation stands for.
    pub fn title(self) -> &'static str {
        self.spec().title
    }

    /// The `smp_wmb()` sites after this operation's first and second
    /// store, in order; none for the atomic zap and the flush.
    pub fn wmb_sites(self) -> &'static [Barrier] {
        self.spec().wmb_sites
    }

    pub fn is_zap(self) -> bool {
        self.spec().writes == Writes::Zap
    }

    pub fn is_establish(self) -> bool {
        self.spec().writes == Writes::Establish
    }

    pub fn is_flush(self) -> bool {
        self.spec().stores == Stores::Flush
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
             ptep_get_and_clear_full() when the mmu_gather is not fullmm, as for MADV_DONTNEED \
             (at exit, fullmm, x86 uses native_local_ptep_get_and_clear(): two stores, low \
             first)",
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
             CONFIG_CPU_MIPS32), between htw_stop() and htw_start()",
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
             establish; never merged (as of December 2025)",
    mainline: None,
};

/// Leaving a write section.
pub const WRITE_SEQCOUNT_END: SourceRef = SourceRef {
    function: "write_seqcount_end",
    call: None,
    file: "include/linux/seqlock.h",
    tag: KERNEL_TAG,
    models: "the proposed fix, writer side: smp_wmb(), seq + 1 (even again), after each zap \
             and establish; never merged (as of December 2025)",
    mainline: None,
};

/// KVM's clear counter on a 32-bit host: bumped after a clear.
pub const KVM_COUNT_SPTE_CLEAR: SourceRef = SourceRef {
    function: "count_spte_clear",
    call: None,
    file: "arch/x86/kvm/mmu/mmu.c",
    tag: KERNEL_TAG,
    models: "KVM's clear counter (32-bit hosts only): after a clear whose new value is not \
             present (__update_clear_spte_fast(): low, smp_wmb(), high), smp_wmb() and a plain \
             sp->clear_spte_count++; added by c2a2ac2b563c \"KVM: MMU: lockless walking shadow \
             page table\" (Xiao Guangrong, 2011)",
    mainline: None,
};

static ZAP_SOURCES: [&SourceRef; 1] = [&X86_PTE_CLEAR];
static ZAP_HIGH_FIRST_SOURCES: [&SourceRef; 2] = [&MIPS_PTE_CLEAR, &SH_PTE_CLEAR];
static ZAP_ATOMIC_SOURCES: [&SourceRef; 1] = [&X86_PTEP_GET_AND_CLEAR];
static ESTABLISH_X86: [&SourceRef; 3] = [&X86_SET_PTE, &MIPS_SET_PTE, &SH_SET_PTE];
static ESTABLISH_MIPS_SH: [&SourceRef; 3] = [&MIPS_SET_PTE, &SH_SET_PTE, &X86_SET_PTE];

/// Every kernel function the writer's operations and options stand for.
pub static SOURCES: &[&SourceRef] = &[
    &X86_PTE_CLEAR,
    &X86_PTEP_GET_AND_CLEAR,
    &X86_SET_PTE,
    &MIPS_PTE_CLEAR,
    &MIPS_SET_PTE,
    &SH_PTE_CLEAR,
    &SH_SET_PTE,
    &WRITE_SEQCOUNT_BEGIN,
    &WRITE_SEQCOUNT_END,
    &KVM_COUNT_SPTE_CLEAR,
];

const ZAP_SITES: &[Barrier] = &[Barrier::ZapWmb1, Barrier::ZapWmb2];
const ESTABLISH_SITES: &[Barrier] = &[Barrier::EstablishWmb1, Barrier::EstablishWmb2];

/// x86 PAE `native_pte_clear()`: `low ← Z.low; wmb; high ← Z.high`.
static ZAP: WriterOpSpec = WriterOpSpec {
    id: "zap",
    label: "zap, low first",
    title: "zap, low first (x86 native_pte_clear)",
    stores: Stores::Halves([Word::Low, Word::High]),
    writes: Writes::Zap,
    wmb_sites: ZAP_SITES,
    call: |_| "native_pte_clear(mm, addr, ptep)".to_owned(),
    summary: "zap: low, then high",
    summary_note: None,
    sources: |_| &ZAP_SOURCES,
};

/// MIPS and SH `pte_clear()`: an empty entry stored by `set_pte()`, high
/// first (MIPS may keep `_PAGE_GLOBAL`, between `htw_stop()`/`htw_start()`).
static ZAP_HIGH_FIRST: WriterOpSpec = WriterOpSpec {
    id: "zap_high_first",
    label: "zap, high first",
    title: "zap, high first (MIPS/SH pte_clear)",
    stores: Stores::Halves([Word::High, Word::Low]),
    writes: Writes::Zap,
    wmb_sites: ZAP_SITES,
    call: |_| "pte_clear(mm, addr, ptep)".to_owned(),
    summary: "zap: pte_clear(), an empty entry via set_pte(), high, then low",
    summary_note: Some("MIPS/SH"),
    sources: |_| &ZAP_HIGH_FIRST_SOURCES,
};

/// x86 PAE `native_ptep_get_and_clear()` on SMP: one atomic exchange.
static ZAP_ATOMIC: WriterOpSpec = WriterOpSpec {
    id: "zap_atomic",
    label: "zap, atomic",
    title: "zap, atomic 64-bit (x86 native_ptep_get_and_clear)",
    stores: Stores::Both,
    writes: Writes::Zap,
    wmb_sites: &[],
    call: |_| "native_ptep_get_and_clear(ptep)".to_owned(),
    summary: "zap: one atomic 64-bit exchange (SMP x86 PAE, since 2018)",
    summary_note: None,
    sources: |_| &ZAP_ATOMIC_SOURCES,
};

/// `set_pte()`: `high ← P.high; wmb; low ← P.low`.
static ESTABLISH: WriterOpSpec = WriterOpSpec {
    id: "establish",
    label: "establish, high first",
    title: "establish, high first (set_pte)",
    stores: Stores::Halves([Word::High, Word::Low]),
    writes: Writes::Establish,
    wmb_sites: ESTABLISH_SITES,
    call: |value| format!("set_pte(ptep, {value})"),
    summary: "install: high, then low",
    summary_note: None,
    sources: |arch| match arch {
        Some(Arch::MipsSh) => &ESTABLISH_MIPS_SH,
        _ => &ESTABLISH_X86,
    },
};

/// The mirror order, low first: in no kernel.
static ESTABLISH_LOW_FIRST: WriterOpSpec = WriterOpSpec {
    id: "establish_low_first",
    label: "establish, low first",
    title: "establish, low first (hypothetical mirror order)",
    stores: Stores::Halves([Word::Low, Word::High]),
    writes: Writes::Establish,
    wmb_sites: ESTABLISH_SITES,
    call: |value| format!("set_pte_mirrored(ptep, {value})"),
    summary: "install: low, then high",
    summary_note: Some("hypothetical mirror order, in no kernel"),
    sources: |_| &[],
};

/// A TLB flush; what it waits for is the scenario's flush mode, and so are
/// its sources (`sources::for_flush`).
static FLUSH: WriterOpSpec = WriterOpSpec {
    id: "flush",
    label: "TLB flush",
    title: "TLB flush",
    stores: Stores::Flush,
    writes: Writes::Nothing,
    wmb_sites: &[],
    call: |_| String::new(),
    summary: "TLB flush",
    summary_note: None,
    sources: |_| &[],
};

/// Every writer option, in the order their sections nest (the first
/// outermost).
pub static OPTIONS: &[&WriterOptionSpec] = &[&SEQCOUNT, &CLEAR_COUNTER];

impl WriterOptionSpec {
    /// The option whose counter `word` is, if any.
    pub fn of_word(word: Word) -> Option<&'static WriterOptionSpec> {
        OPTIONS.iter().copied().find(|option| option.word == word)
    }
}

/// One end of the section a writer option wraps around an operation.
#[derive(Debug)]
pub struct Wrap {
    /// The `smp_wmb()` site on the inner side of the counter's store.
    pub site: Barrier,
    /// The kernel call it is: "write_seqcount_begin()".
    pub call: &'static str,
    pub source: &'static SourceRef,
}

/// A writer option: a counter word the writer bumps around (or after) the
/// operations it wraps, with a barrier between the bump and the operation.
/// The word exists in a program only when the option is on; the views list
/// it from here (`Program::options`), never by name.
#[derive(Debug)]
pub struct WriterOptionSpec {
    /// The counter, a 32-bit word initially 0.
    pub word: Word,
    /// Is the option on in `scenario`?
    pub enabled: fn(&Scenario) -> bool,
    /// The edit that switches it on or off.
    pub edit: fn(bool) -> Edit,
    /// The editor's switch: its element id (also its test id), its label
    /// and the note under it.
    pub switch: (&'static str, &'static str, &'static str),
    /// "Sequence counter", before "`seq` = 2" in the state view.
    pub title: &'static str,
    /// What a value of the counter means: "even: no update in progress".
    pub meaning: fn(u32) -> &'static str,
    /// The bump before the operation's stores, then its `smp_wmb()`.
    pub begin: Option<Wrap>,
    /// The `smp_wmb()` after the operation's stores, then the bump.
    pub end: Option<Wrap>,
    /// What the listing's comment says the bumps are for.
    pub purpose: &'static str,
    /// Does the option wrap this operation?
    pub wraps: fn(WriterOp) -> bool,
}

/// The writer options on in `scenario`, in their order (the first outermost).
pub fn options_on(scenario: &Scenario) -> impl Iterator<Item = &'static WriterOptionSpec> + '_ {
    OPTIONS.iter().copied().filter(|option| (option.enabled)(scenario))
}

impl WriterOptionSpec {
    /// The wrap a store of `value` to the counter belongs to: with both
    /// ends, odd values begin a section and even ones end it.
    pub fn wrap_of(&self, value: u32) -> Option<&Wrap> {
        match (&self.begin, &self.end) {
            (Some(begin), Some(end)) => Some(if value % 2 == 1 { begin } else { end }),
            (begin, end) => begin.as_ref().or(end.as_ref()),
        }
    }
}

/// The sequence counter the thread proposed (`READERS.md`): every zap and
/// establish (not the flush) inside `write_seqcount_begin()` /
/// `write_seqcount_end()`.
pub static SEQCOUNT: WriterOptionSpec = WriterOptionSpec {
    word: Word::Seq,
    enabled: |scenario| scenario.seqcount,
    edit: Edit::Seqcount,
    switch: (
        "seqcount",
        "Sequence counter: the writer wraps each zap and establish in \
         write_seqcount_begin()/end()",
        "The writer side of the fix the thread proposed (never merged, as of December 2025). \
         Readers of kind “sequence counter” check it.",
    ),
    title: "Sequence counter",
    meaning: |value| {
        if value % 2 == 1 {
            "odd: a writer is inside its update"
        } else {
            "even: no update in progress"
        }
    },
    begin: Some(Wrap {
        site: Barrier::SeqWmbBegin,
        call: "write_seqcount_begin()",
        source: &WRITE_SEQCOUNT_BEGIN,
    }),
    end: Some(Wrap {
        site: Barrier::SeqWmbEnd,
        call: "write_seqcount_end()",
        source: &WRITE_SEQCOUNT_END,
    }),
    purpose: "the sequence-counter fix",
    wraps: |op| !op.is_flush(),
};

/// KVM's clear counter (`FAMILY.md`, `count_spte_clear()`): after every
/// zap's stores, `smp_wmb()` and `count ← count + 1`, so a reader that read
/// `count` before and after its halves sees a zap between them even when
/// the low half came back the same.
pub static CLEAR_COUNTER: WriterOptionSpec = WriterOptionSpec {
    word: Word::Count,
    enabled: |scenario| scenario.clear_counter,
    edit: Edit::ClearCounter,
    switch: (
        "clear-counter",
        "Clear counter: after each zap the writer runs KVM's count_spte_clear() (smp_wmb(), \
         count + 1)",
        "KVM's 32-bit hosts (arch/x86/kvm/mmu/mmu.c, since 2011): a reader that reads count \
         before and after the halves sees a zap even when the low half came back the same.",
    ),
    title: "Clear counter",
    meaning: |value| match value {
        0 => "no zap yet",
        _ => "zaps completed so far",
    },
    begin: None,
    end: Some(Wrap {
        site: Barrier::KvmCountWmb,
        call: "count_spte_clear()",
        source: &KVM_COUNT_SPTE_CLEAR,
    }),
    purpose: "KVM's clear counter",
    wraps: |op| op.is_zap(),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_spec_is_consistent() {
        for op in WriterOp::ALL {
            let spec = op.spec();
            assert_eq!(spec.id.parse::<WriterOp>().unwrap(), op);
            let stores = match spec.stores {
                Stores::Halves(words) => {
                    assert_ne!(words[0], words[1], "{}", spec.id);
                    assert!(words.iter().all(|word| word.is_pte_half()));
                    2
                }
                Stores::Both => 1,
                Stores::Flush => 0,
            };
            // A site follows a store; a single atomic store needs none.
            assert!(spec.wmb_sites.len() <= stores, "{}", spec.id);
            assert_eq!(op.is_flush(), spec.writes == Writes::Nothing, "{}", spec.id);
            for source in (spec.sources)(None) {
                assert!(SOURCES.contains(source), "{}", spec.id);
            }
        }
    }

    #[test]
    fn every_option_counts_in_a_word_of_its_own() {
        for option in OPTIONS {
            assert!(!option.word.is_pte_half());
            assert_eq!(WriterOptionSpec::of_word(option.word).map(|o| o.word), Some(option.word));
            for wrap in option.begin.iter().chain(&option.end) {
                assert!(SOURCES.contains(&wrap.source));
            }
        }
        let wraps = |value| SEQCOUNT.wrap_of(value).map(|wrap| wrap.call);
        assert_eq!(wraps(1), Some("write_seqcount_begin()"));
        assert_eq!(wraps(2), Some("write_seqcount_end()"));
        // The clear counter only bumps after a zap: every value is its end.
        let clear = |value| CLEAR_COUNTER.wrap_of(value).map(|wrap| wrap.call);
        assert_eq!(clear(1), Some("count_spte_clear()"));
        assert_eq!(clear(2), Some("count_spte_clear()"));
    }
}
