//! The machine's vocabulary below programs: the 32-bit memory words, the
//! readers' registers and why one access waits for another. A leaf module:
//! both the writer's compiled accesses (`program.rs`) and the readers'
//! programs (`reader.rs`) name them, so neither has to import the other.

use crate::scenario::Barrier;

/// One 32-bit word of memory: the PTE's two halves, the sequence
/// counter `seq` (written only by the sequence-counter writer) and KVM's
/// clear counter `count` (written only by the clear-counter writer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Word {
    Low,
    High,
    Seq,
    Count,
}

impl Word {
    pub const ALL: [Word; 4] = [Word::Low, Word::High, Word::Seq, Word::Count];

    pub fn name(self) -> &'static str {
        match self {
            Word::Low => "low",
            Word::High => "high",
            Word::Seq => "seq",
            Word::Count => "count",
        }
    }

    /// How the kernel's C code names the word: a member of the entry
    /// (`ptep->pte_low`, `ptep->pte_high`), the sequence counter `seq` or
    /// the clear counter `count` (KVM's `sp->clear_spte_count`). The
    /// listing and the mail text write it from here.
    pub fn c_access(self) -> &'static str {
        match self {
            Word::Low => "ptep->pte_low",
            Word::High => "ptep->pte_high",
            Word::Seq => "seq",
            Word::Count => "count",
        }
    }

    /// The word's C member without the pointer: `pte_low`, `pte_high`, `seq`.
    pub fn c_field(self) -> &'static str {
        self.c_access().trim_start_matches("ptep->")
    }

    /// The word's slot in a state's memory (its place in [`Word::ALL`]).
    #[inline]
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Is the word one of the PTE's two halves (not a counter a writer
    /// option brings, the writer's `OPTIONS`)?
    pub fn is_pte_half(self) -> bool {
        matches!(self, Word::Low | Word::High)
    }
}

/// Why a later access must wait for an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Order {
    /// Sequential consistency and TSO issue in program order.
    ProgramOrder,
    /// Two accesses to the same word are never reordered.
    SameWord,
    /// An enabled barrier lies between them.
    Barrier(Barrier),
    /// A flush, an atomic, `irq_off`/`irq_on` or the loop's check.
    Full,
}

/// A reader register. Which ones a reader has depends on its kind:
/// `r0 ← low; r1 ← high; r2 ← low` (the lockless loop), `q0 ← low;
/// q1 ← high` (GUP-fast's re-check), `s ← seq; s2 ← seq` (the sequence
/// counter), `c ← count; c2 ← count` (KVM's clear counter). A returned
/// value is always `(r0, r1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Register {
    R0,
    R1,
    R2,
    Q0,
    Q1,
    S,
    S2,
    C,
    C2,
}

impl Register {
    pub const ALL: [Register; 9] = [
        Register::R0,
        Register::R1,
        Register::R2,
        Register::Q0,
        Register::Q1,
        Register::S,
        Register::S2,
        Register::C,
        Register::C2,
    ];

    /// The word the register is loaded from.
    pub fn word(self) -> Word {
        match self {
            Register::R1 | Register::Q1 => Word::High,
            Register::R0 | Register::R2 | Register::Q0 => Word::Low,
            Register::S | Register::S2 => Word::Seq,
            Register::C | Register::C2 => Word::Count,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Register::R0 => "r0",
            Register::R1 => "r1",
            Register::R2 => "r2",
            Register::Q0 => "q0",
            Register::Q1 => "q1",
            Register::S => "s",
            Register::S2 => "s2",
            Register::C => "c",
            Register::C2 => "c2",
        }
    }
}
