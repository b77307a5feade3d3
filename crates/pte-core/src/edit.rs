//! Scenario edits as values: every change a person (the page's editor) or a
//! command line (the CLI's scenario flags) can make to a [`Scenario`] is one
//! [`Edit`]. [`Scenario::edit`] applies one, [`Scenario::apply_edits`] a
//! list, both validated and never a panic; [`Scenario::diff`] says which
//! edits turn one scenario into another, and an edit's `Display` is the few
//! words "changed: …" shows ("model weak", "reader_rmb1 off").

use std::fmt;

use crate::scenario::{
    Arch, Barrier, FlushMode, MemoryModel, Pte, ReaderKind, Scenario, ScenarioError, WriterOp,
    MAX_READERS,
};

/// Which value of [`crate::Values`] an edit changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueSlot {
    /// The initial entry P0.
    P0,
    /// The not-present value a zap stores.
    Z,
    /// P1..PN: the 1-based number of the establish operation.
    P(usize),
}

impl fmt::Display for ValueSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueSlot::P0 => write!(f, "P0"),
            ValueSlot::Z => write!(f, "Z"),
            ValueSlot::P(number) => write!(f, "P{number}"),
        }
    }
}

/// One change to a scenario. Indices are 0-based (readers, writer
/// operations); a [`ValueSlot::P`] is 1-based, as the values are named.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Edit {
    /// A whole architecture's layout ([`Scenario::apply_arch`]).
    Arch(Arch),
    Model(MemoryModel),
    /// The present bit's position, 0..=63.
    PresentBit(u8),
    Flush(FlushMode),
    /// How many readers, 1..=[`MAX_READERS`]; the kinds of readers that no
    /// longer exist are dropped.
    Readers(u8),
    /// Reader `reader` (0-based, an existing one) runs `kind`.
    ReaderKind {
        reader: u8,
        kind: ReaderKind,
    },
    /// The "same low half" shortcut ([`Scenario::set_same_low`]).
    SameLow(bool),
    /// One barrier site on or off.
    Barrier {
        barrier: Barrier,
        on: bool,
    },
    /// The writer side of the sequence-counter fix, on or off.
    Seqcount(bool),
    /// KVM's clear counter (`count_spte_clear()` after every zap), on or off.
    ClearCounter(bool),
    /// The compiler (`COMPILER.md`) on or off.
    Compiler(bool),
    /// The writer's PTE stores `WRITE_ONCE()` (marked) or plain.
    MarkedWriter(bool),
    /// The readers' PTE loads `READ_ONCE()` (marked) or plain.
    MarkedReader(bool),
    /// Appends an operation to the writer.
    AddOp(WriterOp),
    /// Removes writer operation `index`.
    RemoveOp(usize),
    /// Moves writer operation `from` to position `to` (the others keep
    /// their order).
    MoveOp {
        from: usize,
        to: usize,
    },
    /// Writer operation `index` becomes `op`.
    ReplaceOp {
        index: usize,
        op: WriterOp,
    },
    /// The writer's whole list of operations.
    Writer(Vec<WriterOp>),
    /// One value.
    Value {
        slot: ValueSlot,
        value: Pte,
    },
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

impl fmt::Display for Edit {
    /// The few words that name the change, as "changed: …" lists them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edit::Arch(arch) => write!(f, "arch {}", arch.id()),
            Edit::Model(model) => write!(f, "model {}", model.id()),
            Edit::PresentBit(bit) => write!(f, "present bit {bit}"),
            Edit::Flush(flush) => write!(f, "flush {}", flush.id()),
            Edit::Readers(readers) => {
                write!(f, "{readers} reader{}", if *readers == 1 { "" } else { "s" })
            }
            Edit::ReaderKind { reader, kind } => {
                write!(f, "reader {} {}", u16::from(*reader) + 1, kind.id())
            }
            Edit::SameLow(same) => write!(f, "same low half {}", on_off(*same)),
            Edit::Barrier { barrier, on } => write!(f, "{} {}", barrier.id(), on_off(*on)),
            Edit::Seqcount(on) => write!(f, "sequence counter {}", on_off(*on)),
            Edit::ClearCounter(on) => write!(f, "clear counter {}", on_off(*on)),
            Edit::Compiler(on) => write!(f, "compiler {}", on_off(*on)),
            Edit::MarkedWriter(marked) => {
                write!(f, "writer stores {}", if *marked { "WRITE_ONCE()" } else { "plain" })
            }
            Edit::MarkedReader(marked) => {
                write!(f, "reader loads {}", if *marked { "READ_ONCE()" } else { "plain" })
            }
            Edit::AddOp(op) => write!(f, "writer + {}", op.id()),
            Edit::RemoveOp(index) => write!(f, "writer operation {} removed", index + 1),
            Edit::MoveOp { from, to } => {
                write!(f, "writer operation {} moved to {}", from + 1, to + 1)
            }
            Edit::ReplaceOp { index, op } => {
                write!(f, "writer operation {} {}", index + 1, op.id())
            }
            Edit::Writer(ops) if ops.is_empty() => write!(f, "writer empty"),
            Edit::Writer(ops) => {
                let ids: Vec<&str> = ops.iter().map(|op| op.id()).collect();
                write!(f, "writer {}", ids.join(", "))
            }
            Edit::Value { slot, value } => write!(f, "{slot} {value}"),
        }
    }
}

/// A 0-based index into a list of `count` items, or the error naming it.
fn index_in(field: &'static str, index: usize, count: usize) -> Result<usize, ScenarioError> {
    if index < count {
        Ok(index)
    } else {
        Err(ScenarioError::NoSuchItem { field, number: index as u64 + 1, count })
    }
}

impl Scenario {
    /// Applies one edit; the scenario is changed only when the result is
    /// valid ([`Scenario::validate`]).
    pub fn edit(&mut self, edit: Edit) -> Result<(), ScenarioError> {
        self.apply_edits([edit])
    }

    /// Applies edits in order, then validates the result; on an error the
    /// scenario is left as it was. Each edit checks its own arguments (a
    /// reader, an operation or a value that exists; a number in its range);
    /// the rules between fields (one value per establish, the accesses a
    /// state holds) are checked once, on the result, so the order of a
    /// list's edits never makes a valid result fail halfway.
    pub fn apply_edits(
        &mut self,
        edits: impl IntoIterator<Item = Edit>,
    ) -> Result<(), ScenarioError> {
        let mut changed = self.clone();
        for edit in edits {
            changed.apply_edit(edit)?;
        }
        changed.validate()?;
        *self = changed;
        Ok(())
    }

    fn apply_edit(&mut self, edit: Edit) -> Result<(), ScenarioError> {
        match edit {
            Edit::Arch(arch) => self.apply_arch(arch),
            Edit::Model(model) => self.model = model,
            Edit::PresentBit(bit) => {
                if bit > 63 {
                    return Err(ScenarioError::OutOfRange {
                        field: "present_bit",
                        value: u64::from(bit),
                        min: 0,
                        max: 63,
                    });
                }
                self.present_bit = bit;
            }
            Edit::Flush(flush) => self.flush = flush,
            Edit::Readers(readers) => {
                if readers == 0 || usize::from(readers) > MAX_READERS {
                    return Err(ScenarioError::OutOfRange {
                        field: "readers",
                        value: u64::from(readers),
                        min: 1,
                        max: MAX_READERS as u64,
                    });
                }
                self.set_readers(readers);
            }
            Edit::ReaderKind { reader, kind } => {
                index_in("reader", usize::from(reader), usize::from(self.readers))?;
                self.set_reader_kind(reader, kind);
            }
            Edit::SameLow(same) => self.set_same_low(same),
            Edit::Barrier { barrier, on } => self.barriers.set(barrier, on),
            Edit::Seqcount(on) => self.seqcount = on,
            Edit::ClearCounter(on) => self.clear_counter = on,
            Edit::Compiler(on) => self.compiler = on,
            Edit::MarkedWriter(marked) => self.marked_writer = marked,
            Edit::MarkedReader(marked) => self.marked_reader = marked,
            Edit::AddOp(op) => {
                self.writer.push(op);
                self.fit_values();
            }
            Edit::RemoveOp(index) => {
                self.writer.remove(index_in("writer", index, self.writer.len())?);
                self.fit_values();
            }
            Edit::MoveOp { from, to } => {
                let from = index_in("writer", from, self.writer.len())?;
                let to = index_in("writer", to, self.writer.len())?;
                let op = self.writer.remove(from);
                self.writer.insert(to, op);
                self.fit_values();
            }
            Edit::ReplaceOp { index, op } => {
                let index = index_in("writer", index, self.writer.len())?;
                self.writer[index] = op;
                self.fit_values();
            }
            Edit::Writer(ops) => {
                self.writer = ops;
                self.fit_values();
            }
            Edit::Value { slot, value } => match slot {
                ValueSlot::P0 => self.values.p0 = value,
                ValueSlot::Z => self.values.z = value,
                ValueSlot::P(number) => {
                    let count = self.values.p.len();
                    let index = number.checked_sub(1).filter(|index| *index < count).ok_or(
                        ScenarioError::NoSuchItem {
                            field: "values.p",
                            number: number as u64,
                            count,
                        },
                    )?;
                    self.values.p[index] = value;
                }
            },
        }
        Ok(())
    }

    /// The edits that turn `self` into `other`, in the editor's order:
    /// model, present bit, flush, readers, reader kinds, sequence counter,
    /// compiler, marked accesses, barriers, the writer's operations, the values. For valid scenarios,
    /// applying them to `self` gives `other`.
    pub fn diff(&self, other: &Scenario) -> Vec<Edit> {
        let mut edits = Vec::new();
        if self.model != other.model {
            edits.push(Edit::Model(other.model));
        }
        if self.present_bit != other.present_bit {
            edits.push(Edit::PresentBit(other.present_bit));
        }
        if self.flush != other.flush {
            edits.push(Edit::Flush(other.flush));
        }
        if self.readers != other.readers {
            edits.push(Edit::Readers(other.readers));
        }
        for reader in 0..other.readers {
            let kind = other.reader_kind(reader);
            // A reader that is new with the change starts as lockless.
            let before =
                if reader < self.readers { self.reader_kind(reader) } else { ReaderKind::Lockless };
            if before != kind {
                edits.push(Edit::ReaderKind { reader, kind });
            }
        }
        if self.seqcount != other.seqcount {
            edits.push(Edit::Seqcount(other.seqcount));
        }
        if self.clear_counter != other.clear_counter {
            edits.push(Edit::ClearCounter(other.clear_counter));
        }
        if self.compiler != other.compiler {
            edits.push(Edit::Compiler(other.compiler));
        }
        if self.marked_writer != other.marked_writer {
            edits.push(Edit::MarkedWriter(other.marked_writer));
        }
        if self.marked_reader != other.marked_reader {
            edits.push(Edit::MarkedReader(other.marked_reader));
        }
        for barrier in Barrier::ALL {
            let on = other.barriers.is_on(barrier);
            if self.barriers.is_on(barrier) != on {
                edits.push(Edit::Barrier { barrier, on });
            }
        }
        if self.writer != other.writer {
            edits.push(Edit::Writer(other.writer.clone()));
        }
        let values = [
            (ValueSlot::P0, self.values.p0, other.values.p0),
            (ValueSlot::Z, self.values.z, other.values.z),
        ];
        for (slot, before, after) in values {
            if before != after {
                edits.push(Edit::Value { slot, value: after });
            }
        }
        // A new writer keeps the values of the establishes it kept (see
        // `fit_values`): only those that differ, or are new, are edits.
        for (index, value) in other.values.p.iter().enumerate() {
            if self.values.p.get(index) != Some(value) {
                edits.push(Edit::Value { slot: ValueSlot::P(index + 1), value: *value });
            }
        }
        edits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;
    use crate::scenario::{Barriers, MAX_WRITER_OPS};

    #[test]
    fn an_edit_changes_what_it_names_and_validates() {
        let mut scenario = Scenario::kernel();
        scenario.edit(Edit::Model(MemoryModel::Weak)).unwrap();
        assert_eq!(scenario.model, MemoryModel::Weak);
        scenario.edit(Edit::Readers(2)).unwrap();
        scenario.edit(Edit::ReaderKind { reader: 1, kind: ReaderKind::GupFast }).unwrap();
        assert_eq!(scenario.reader_kinds, [ReaderKind::Lockless, ReaderKind::GupFast]);
        scenario.edit(Edit::Readers(1)).unwrap();
        assert!(scenario.reader_kinds.is_empty(), "the kinds of readers gone are dropped");
        scenario.edit(Edit::AddOp(WriterOp::Establish)).unwrap();
        assert_eq!(scenario.values.p.len(), 2, "one value per establish");
        scenario.edit(Edit::MoveOp { from: 3, to: 0 }).unwrap();
        assert_eq!(scenario.writer[0], WriterOp::Establish);
        scenario.edit(Edit::ReplaceOp { index: 0, op: WriterOp::ZapAtomic }).unwrap();
        assert_eq!(scenario.values.p.len(), 1);
        scenario.edit(Edit::RemoveOp(0)).unwrap();
        assert_eq!(scenario.writer, [WriterOp::Zap, WriterOp::Flush, WriterOp::Establish]);
        scenario.edit(Edit::Value { slot: ValueSlot::P(1), value: Pte(0x1067) }).unwrap();
        assert_eq!(scenario.values.p, [Pte(0x1067)]);
        scenario.edit(Edit::Barrier { barrier: Barrier::ReaderRmb1, on: false }).unwrap();
        assert!(!scenario.barriers.is_on(Barrier::ReaderRmb1));
        scenario.edit(Edit::Arch(Arch::MipsSh)).unwrap();
        assert_eq!(scenario.writer[0], WriterOp::ZapHighFirst);
    }

    #[test]
    fn a_refused_edit_names_the_field_and_changes_nothing() {
        let kernel = Scenario::kernel();
        let refused = [
            (Edit::Readers(0), "readers is 0, but must be between 1 and 4"),
            (Edit::Readers(5), "readers is 5, but must be between 1 and 4"),
            (Edit::PresentBit(64), "present_bit is 64, but must be between 0 and 63"),
            (
                Edit::ReaderKind { reader: 1, kind: ReaderKind::Atomic64 },
                "reader 2 does not exist (there are 1)",
            ),
            (Edit::RemoveOp(3), "writer 4 does not exist (there are 3)"),
            (Edit::MoveOp { from: 2, to: 3 }, "writer 4 does not exist (there are 3)"),
            (
                Edit::ReplaceOp { index: 9, op: WriterOp::Flush },
                "writer 10 does not exist (there are 3)",
            ),
            (
                Edit::Value { slot: ValueSlot::P(2), value: Pte(1) },
                "values.p 2 does not exist (there are 1)",
            ),
            (
                Edit::Value { slot: ValueSlot::P(0), value: Pte(1) },
                "values.p 0 does not exist (there are 1)",
            ),
            (
                Edit::Writer(vec![WriterOp::Flush; MAX_WRITER_OPS + 1]),
                "writer is 25, but must be between 0 and 24",
            ),
        ];
        for (edit, message) in refused {
            let mut scenario = kernel.clone();
            let error = scenario.edit(edit.clone()).expect_err(&edit.to_string());
            assert_eq!(error.to_string(), message, "{edit:?}");
            assert_eq!(scenario, kernel, "{edit:?} changed the scenario");
        }
        // Too many accesses for a state: refused as a whole.
        let mut scenario = Scenario::cycles(8);
        let error = scenario.apply_edits([Edit::Seqcount(true)]).unwrap_err();
        assert!(matches!(error, ScenarioError::TooManyAccesses { .. }), "{error}");
        assert!(!scenario.seqcount);
    }

    #[test]
    fn a_list_is_validated_once_at_its_end() {
        // Eight cycles with the sequence counter hold only without flushes.
        let mut scenario = Scenario::cycles(2);
        scenario.seqcount = true;
        let edits = [Edit::Writer(Scenario::cycles(8).writer), Edit::Flush(FlushMode::None)];
        scenario.apply_edits(edits).unwrap();
        assert_eq!(scenario.writer.len(), 24);
        assert_eq!(scenario.values.p.len(), 8);
    }

    #[test]
    fn the_words_of_each_edit() {
        let words = [
            (Edit::Arch(Arch::MipsSh), "arch mips_sh"),
            (Edit::Model(MemoryModel::Tso), "model tso"),
            (Edit::PresentBit(32), "present bit 32"),
            (Edit::Flush(FlushMode::Paravirt), "flush paravirt"),
            (Edit::Readers(1), "1 reader"),
            (Edit::Readers(3), "3 readers"),
            (Edit::ReaderKind { reader: 1, kind: ReaderKind::GupFast }, "reader 2 gup_fast"),
            (Edit::SameLow(true), "same low half on"),
            (Edit::Barrier { barrier: Barrier::ZapWmb1, on: false }, "zap_wmb1 off"),
            (Edit::Seqcount(true), "sequence counter on"),
            (Edit::ClearCounter(true), "clear counter on"),
            (Edit::AddOp(WriterOp::Flush), "writer + flush"),
            (Edit::RemoveOp(0), "writer operation 1 removed"),
            (Edit::MoveOp { from: 0, to: 1 }, "writer operation 1 moved to 2"),
            (Edit::ReplaceOp { index: 2, op: WriterOp::Zap }, "writer operation 3 zap"),
            (Edit::Writer(Vec::new()), "writer empty"),
            (Edit::Writer(vec![WriterOp::Zap, WriterOp::Flush]), "writer zap, flush"),
            (Edit::Value { slot: ValueSlot::P(2), value: Pte(0x1067) }, "P2 0x0000000000001067"),
        ];
        for (edit, text) in words {
            assert_eq!(edit.to_string(), text);
        }
    }

    /// Scenarios that differ from the catalog's in every field an edit
    /// reaches.
    fn variations() -> Vec<Scenario> {
        let mut all: Vec<Scenario> =
            catalog::presets().iter().map(|preset| preset.scenario()).collect();
        let mut changed = Scenario::cycles(2);
        changed
            .apply_edits([
                Edit::Model(MemoryModel::Weak),
                Edit::Readers(3),
                Edit::ReaderKind { reader: 2, kind: ReaderKind::Seqcount },
                Edit::Seqcount(true),
                Edit::ClearCounter(true),
                Edit::Arch(Arch::PresentHigh),
                Edit::Flush(FlushMode::Paravirt),
                Edit::Value { slot: ValueSlot::Z, value: Pte(0x8000_0000) },
            ])
            .unwrap();
        changed.barriers = Barriers::ALL_OFF;
        all.push(changed);
        let mut empty = Scenario::kernel();
        empty.edit(Edit::Writer(Vec::new())).unwrap();
        all.push(empty);
        all
    }

    #[test]
    fn the_diff_turns_one_scenario_into_the_other() {
        let all = variations();
        for from in &all {
            for to in &all {
                let mut turned = from.clone();
                turned.apply_edits(from.diff(to)).unwrap();
                assert_eq!(&turned, to);
                assert_eq!(from.diff(to).is_empty(), from == to);
            }
        }
    }

    #[test]
    fn the_diff_is_in_the_editor_s_order() {
        let base = catalog::find("same-low-none").unwrap().scenario();
        let mut now = base.clone();
        now.apply_edits([
            Edit::Value { slot: ValueSlot::P0, value: Pte(0x0000_0007_0000_1067) },
            Edit::Barrier { barrier: Barrier::ReaderRmb1, on: false },
            Edit::Seqcount(true),
            Edit::ReaderKind { reader: 0, kind: ReaderKind::Lockless },
            Edit::Readers(2),
            Edit::ReaderKind { reader: 1, kind: ReaderKind::GupFast },
            Edit::Model(MemoryModel::Tso),
        ])
        .unwrap();
        let words: Vec<String> = base.diff(&now).iter().map(Edit::to_string).collect();
        assert_eq!(
            words,
            [
                "model tso",
                "2 readers",
                "reader 2 gup_fast",
                "sequence counter on",
                "reader_rmb1 off",
                "P0 0x0000000700001067"
            ]
        );
    }
}
