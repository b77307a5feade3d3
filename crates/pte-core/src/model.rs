//! The memory models as one table: each model's words (its id, title, short
//! name and explanation) and its rules (what it allows), in one exhaustive
//! `match`.
//!
//! The machine, the reduction, the CLI and the page ask a model's
//! [`ModelRules`] ("does it have a store buffer?"), never which model it is,
//! so a new model is one new row here and the compiler names nothing else to
//! change.

use serde::{Deserialize, Serialize};

/// How the machine orders memory accesses (MODEL.md "Memory models").
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum MemoryModel {
    /// One instruction at a time in program order; memory updated at once.
    /// The model of a new scenario ([`crate::Scenario::kernel`]).
    #[default]
    Sc,
    /// x86-TSO: a FIFO store buffer per thread, drained by steps of its own.
    Tso,
    /// ARMv8-like, multicopy-atomic (a store reaches every other thread at
    /// once): accesses may be performed out of program order unless
    /// something orders them. POWER is not multicopy-atomic, which changes
    /// no result here: there is one writer and the readers never write.
    Weak,
}

/// What a memory model allows: the questions the transition relation, the
/// reduction and the front ends ask about it. Only [`MemoryModel::rules`]
/// builds one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModelRules {
    /// Each thread performs its accesses one at a time in program order, so
    /// it offers only its next step. When false, a thread may perform a
    /// later access early unless something orders the two (the same word,
    /// an enabled barrier between them, a full ordering point: MODEL.md).
    pub in_program_order: bool,
    /// The writer's plain stores enter a FIFO store buffer when issued and
    /// reach memory by drain steps of their own; a locked access (a flush or
    /// an atomic store) waits for an empty buffer. Readers never see the
    /// buffer (they only load).
    pub store_buffer: bool,
}

impl ModelRules {
    /// Can a step be allowed that sequential consistency would not allow
    /// at that point (a relaxation, [`crate::Relaxation`])?
    pub fn relaxes_sequential_consistency(self) -> bool {
        !self.in_program_order || self.store_buffer
    }

    /// Does the CPU already do whatever the compiler may (`crate::compiler`)?
    /// A compiler region holds accesses of one thread with no enabled
    /// barrier, test or other ordering point between them; a CPU that
    /// performs accesses out of program order may perform any two of them
    /// to different words in either order (the compiler's reorder), and a
    /// load right after an earlier load of its word, which then reads the
    /// same value (the compiler's merge). Its compiled forms then add no
    /// outcome to the code as written (the law is tested in
    /// `tests/compiler.rs`), so the explorer searches that one.
    pub fn subsumes_compiler(self) -> bool {
        !self.in_program_order
    }
}

/// One row of the table: a model's words and rules.
struct ModelRow {
    index: usize,
    id: &'static str,
    title: &'static str,
    short_name: &'static str,
    explanation: &'static str,
    rules: ModelRules,
}

impl MemoryModel {
    pub const ALL: [MemoryModel; 3] = [MemoryModel::Sc, MemoryModel::Tso, MemoryModel::Weak];

    /// The table: the one place a model's variant is matched.
    fn row(self) -> &'static ModelRow {
        match self {
            MemoryModel::Sc => &ModelRow {
                index: 0,
                id: "sc",
                title: "sequential consistency",
                short_name: "SC",
                explanation: "Sequential consistency: each thread runs its next line, in order. A barrier orders nothing more for the CPU here; it still keeps the compiler from moving plain accesses across it.",
                rules: ModelRules { in_program_order: true, store_buffer: false },
            },
            MemoryModel::Tso => &ModelRow {
                index: 1,
                id: "tso",
                title: "x86-TSO",
                short_name: "x86-TSO",
                explanation: "x86-TSO: lines run in order; the writer's stores go to its store buffer first. smp_wmb()/smp_rmb() are compiler barriers on x86: the CPU keeps the order, the barriers keep the compiler from changing it.",
                rules: ModelRules { in_program_order: true, store_buffer: true },
            },
            MemoryModel::Weak => &ModelRow {
                index: 2,
                id: "weak",
                title: "weak (ARMv8-like, multicopy-atomic)",
                short_name: "weak",
                explanation: "Weak model: a thread may perform a later access early unless a barrier, the same word, or a full ordering point (irq, flush, check) holds it back. Every such access is offered. Multicopy-atomic, as ARMv8: a store reaches every other thread at once. POWER is not, which changes no result here: there is one writer and the readers only read, so no two threads can disagree on the order of two writers' stores.",
                rules: ModelRules { in_program_order: false, store_buffer: false },
            },
        }
    }

    /// What the model allows.
    pub fn rules(self) -> ModelRules {
        self.row().rules
    }

    /// The model's position in [`MemoryModel::ALL`], for tables with one
    /// entry per model.
    pub fn index(self) -> usize {
        self.row().index
    }

    /// The short name used in files, URLs and CLI flags.
    pub fn id(self) -> &'static str {
        self.row().id
    }

    /// The name a person reads.
    pub fn title(self) -> &'static str {
        self.row().title
    }

    /// The name in tight places: "SC", "x86-TSO", "weak" (the page's live
    /// strip, its barrier matrix, "possible under").
    pub fn short_name(self) -> &'static str {
        self.row().short_name
    }

    /// What the model lets a thread do, in the words of the page's threads
    /// ("each thread runs its next line, in order").
    pub fn explanation(self) -> &'static str {
        self.row().explanation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_sits_at_its_index_with_its_own_words() {
        for (position, model) in MemoryModel::ALL.into_iter().enumerate() {
            assert_eq!(model.index(), position, "{model:?}");
            assert_eq!(model.id().parse::<MemoryModel>(), Ok(model));
        }
        let distinct = |words: fn(MemoryModel) -> &'static str| {
            let all: std::collections::BTreeSet<&str> =
                MemoryModel::ALL.into_iter().map(words).collect();
            all.len() == MemoryModel::ALL.len()
        };
        assert!(distinct(MemoryModel::id));
        assert!(distinct(MemoryModel::title));
        assert!(distinct(MemoryModel::short_name));
        assert!(distinct(MemoryModel::explanation));
    }

    #[test]
    fn only_sequential_consistency_relaxes_nothing() {
        let relaxing: Vec<&str> = MemoryModel::ALL
            .into_iter()
            .filter(|model| model.rules().relaxes_sequential_consistency())
            .map(MemoryModel::id)
            .collect();
        assert_eq!(relaxing, ["tso", "weak"]);
    }
}
