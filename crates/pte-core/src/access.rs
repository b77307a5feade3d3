//! What the writer's accesses are, before any program is built: the value
//! an access stores and its name, and the kind of access. A leaf: the
//! program (`program.rs`) flattens the writer into these, and the compiler
//! (`compiler.rs`) reorders them, so neither imports the other for them.

use crate::scenario::{Barrier, Pte};
use crate::words::Word;

/// Which value a writer access stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValueName {
    /// The initial entry.
    P0,
    /// The not-present value a zap stores.
    Z,
    /// The n-th re-established entry, n ≥ 1.
    P(u8),
    /// A writer option's counter word (`seq`, `count`) at its n-th value,
    /// n ≥ 1: "seq 1", "count 2".
    Counter(Word, u8),
}

impl std::fmt::Display for ValueName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueName::P0 => write!(f, "P0"),
            ValueName::Z => write!(f, "Z"),
            ValueName::P(n) => write!(f, "P{n}"),
            ValueName::Counter(word, n) => write!(f, "{} {n}", word.name()),
        }
    }
}

/// What a writer access does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccessKind {
    /// A 32-bit store to one word.
    Store(Word),
    /// One 64-bit atomic store to both halves of the PTE (a locked instruction).
    StoreBoth,
    /// A TLB flush.
    Flush,
}

/// One access of the writer, in program order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WriterAccess {
    /// Index into [`Scenario::writer`] of the operation this comes from.
    pub op: u8,
    pub kind: AccessKind,
    /// The 64-bit value whose half (or whole) this access stores.
    pub value: Pte,
    pub value_name: ValueName,
    /// The `smp_wmb()` site that follows this store in its operation,
    /// whether switched on or off.
    pub wmb_after: Option<Barrier>,
    /// The innermost writer option's closing `smp_wmb()` (the sequence
    /// counter's `write_seqcount_end()`, the clear counter's
    /// `count_spte_clear()`), which follows the operation's last store
    /// (after `wmb_after`); an outer option's sits on the inner one's bump.
    pub seq_wmb_after: Option<Barrier>,
}

impl WriterAccess {
    /// The barrier sites right after this access, in program order.
    pub fn wmbs_after(&self) -> impl DoubleEndedIterator<Item = Barrier> {
        self.wmb_after.into_iter().chain(self.seq_wmb_after)
    }

    pub fn touches(&self, word: Word) -> bool {
        match self.kind {
            AccessKind::Store(stored) => stored == word,
            AccessKind::StoreBoth => word.is_pte_half(),
            AccessKind::Flush => false,
        }
    }

    /// Do both accesses store to a common word?
    pub fn shares_word(&self, other: &WriterAccess) -> bool {
        Word::ALL.into_iter().any(|word| self.touches(word) && other.touches(word))
    }

    pub fn is_store(&self) -> bool {
        !matches!(self.kind, AccessKind::Flush)
    }

    /// The 32-bit value this access stores to `word`.
    pub fn stored(&self, word: Word) -> u32 {
        match (word, self.value_name) {
            (Word::Low, _) => self.value.low(),
            (Word::High, _) => self.value.high(),
            (Word::Seq | Word::Count, ValueName::Counter(counter, n)) if counter == word => {
                u32::from(n)
            }
            (Word::Seq | Word::Count, _) => 0,
        }
    }
}
