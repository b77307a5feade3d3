//! The explorer's partial-order reduction: in some states one enabled step
//! can be taken alone, because every other order of the run reaches the
//! same read results.
//!
//! A step `t` of one thread may be explored alone (an *eager* step) when
//! 1. it is the only step its thread can take until it is taken (a reader
//!    with one enabled step: a reader's steps depend on its own state
//!    only), or every other step of its thread commutes with it (the
//!    writer's);
//! 2. it commutes with every step another thread can take before it, and
//!    none of those steps disables it; and
//! 3. a run of eager steps always ends (a state cannot be left only by
//!    eager steps forever).
//!
//! Then any run from the state either contains `t` (and moving `t` to the
//! front reaches the same state with the same completed reads on the way)
//! or does not (and the same run taken after `t` still completes the same
//! reads): the reads found from the state after `t` are all the reads found
//! from the state before it, plus `t`'s own. By induction on (the length of
//! a run to a read, the eager steps left), the reduced search finds every
//! read result (ARCHITECTURE.md, "State reduction", has the whole case
//! list).
//!
//! The eager steps:
//! - a reader's `irq_off`, when no TLB flush that waits for interrupts (flush
//!   mode IPI) is still to come: only such a flush observes it;
//! - a reader's `irq_on`, GUP-fast's grab and every test (the check, the
//!   sequence counter's odd check, GUP-fast's re-check): they touch only the
//!   reader's own state (an IPI flush cannot happen before `irq_on` anyway);
//! - a reader's load of a word no writer access will store to again (under
//!   x86-TSO: none pending and none buffered);
//! - under x86-TSO, the writer's issue of a plain store into its buffer:
//!   no reader sees the buffer, and a drain commutes with it;
//! - a writer store (or drain) to a word no reader will load again, and a
//!   flush no reader can hold off any more (paravirt always; IPI once every
//!   reader is past its `irq_off`).
//!
//! Loads of words still to be written are never eager, and a reader only
//! retries after a load, so a run of eager steps is finite: a reader's
//! non-load steps move it forward, a retry needs a load, eager loads of
//! settled words read the same value twice (so the check passes), and the
//! writer only moves forward.

use crate::machine::{State, Step};
use crate::program::{AccessKind, Program, Word};
use crate::readers::Effect;
use crate::scenario::FlushMode;

impl Program {
    /// The step of `enabled` (the enabled steps of `state`, in the order of
    /// [`Program::candidates`]) that the explorer may take alone, if any.
    pub(crate) fn eager_step(&self, state: &State, enabled: &[Step]) -> Option<Step> {
        enabled.iter().copied().find(|step| self.is_eager(state, enabled, *step))
    }

    fn is_eager(&self, state: &State, enabled: &[Step], step: Step) -> bool {
        match step {
            Step::Writer(index) => {
                let access = &self.accesses()[usize::from(index)];
                match access.kind {
                    AccessKind::Store(_) if self.rules().store_buffer => true,
                    AccessKind::Store(word) => self.unread_from_now(state, word),
                    AccessKind::StoreBoth => {
                        self.unread_from_now(state, Word::Low)
                            && self.unread_from_now(state, Word::High)
                    }
                    AccessKind::Flush => match self.scenario().flush {
                        FlushMode::Ipi => (0..self.readers()).all(|reader| {
                            !self
                                .reader_program(reader)
                                .may_disable_interrupts_at(usize::from(state.reader(reader).block))
                        }),
                        FlushMode::None | FlushMode::Paravirt => true,
                    },
                }
            }
            Step::Drain => {
                match self.buffered(state).next().map(|index| self.accesses()[index].kind) {
                    Some(AccessKind::Store(word)) => self.unread_from_now(state, word),
                    _ => false,
                }
            }
            Step::Reader { reader, action } => {
                let alone = enabled.iter().filter(|other| other.reader() == Some(reader)).count();
                if alone != 1 {
                    return false;
                }
                let program = self.reader_program(reader);
                let Some((block, item)) = program.locate(action) else { return false };
                match program.blocks[block].items[item].effect {
                    Effect::IrqOff => state.writer_done & self.ipi_flushes() == self.ipi_flushes(),
                    // A merged load copies a register: it touches no memory.
                    Effect::IrqOn | Effect::Grab | Effect::Test { .. } | Effect::Merged { .. } => {
                        true
                    }
                    Effect::Load(register) => self.settled(state, register.word()),
                    Effect::Load64 => {
                        self.settled(state, Word::Low) && self.settled(state, Word::High)
                    }
                }
            }
        }
    }

    /// Will memory's value of `word` never change again: no writer access
    /// to it is pending, and (under x86-TSO) none waits in the store buffer?
    fn settled(&self, state: &State, word: Word) -> bool {
        let pending = !state.writer_done | self.buffered_mask(state);
        self.stores_to(word) & pending == 0
    }

    /// Will no reader load `word` again (now or after a retry)?
    fn unread_from_now(&self, state: &State, word: Word) -> bool {
        (0..self.readers()).all(|reader| {
            !self.reader_program(reader).may_load_at(usize::from(state.reader(reader).block), word)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{MemoryModel, Scenario};

    fn eager(scenario: Scenario, steps: &[&str]) -> Option<String> {
        let program = Program::new(scenario).unwrap();
        let mut state = program.initial();
        for step in steps {
            state = program.apply(&state, Step::parse(step).unwrap()).unwrap().0;
        }
        program.eager_step(&state, &program.enabled(&state)).map(Step::id)
    }

    #[test]
    fn irq_off_waits_while_an_ipi_flush_is_to_come() {
        let ipi = Scenario { readers: 2, ..Scenario::kernel() };
        assert_eq!(eager(ipi.clone(), &[]), None, "an IPI flush observes irq_off");
        // Past the flush, nothing observes interrupts any more.
        assert_eq!(eager(ipi, &["w1", "w2", "w3"]).as_deref(), Some("r1.off"));
        let none = Scenario { readers: 2, flush: FlushMode::None, ..Scenario::kernel() };
        assert_eq!(eager(none, &[]).as_deref(), Some("r1.off"));
    }

    #[test]
    fn loads_wait_for_the_writer_and_tso_issues_do_not() {
        let sc = Scenario { readers: 2, flush: FlushMode::None, ..Scenario::kernel() };
        assert_eq!(eager(sc.clone(), &["r1.off", "r2.off"]), None, "low is still to be written");
        // Every store performed: the loads read settled words.
        let done = ["w1", "w2", "w3", "w4", "r1.off", "r2.off"];
        assert_eq!(eager(sc, &done).as_deref(), Some("r1.r0"));
        let tso = Scenario {
            model: MemoryModel::Tso,
            readers: 2,
            flush: FlushMode::None,
            ..Scenario::kernel()
        };
        assert_eq!(eager(tso.clone(), &["r1.off", "r2.off"]).as_deref(), Some("w1"));
        // Issued but not drained: low is not settled.
        let issued = ["r1.off", "r2.off", "w1", "w2", "w3", "w4"];
        assert_eq!(eager(tso, &issued), None);
    }

    #[test]
    fn checks_and_irq_on_are_local() {
        let sc = Scenario { readers: 2, flush: FlushMode::Ipi, ..Scenario::kernel() };
        let read = ["r1.off", "r1.r0", "r1.r1", "r1.r2"];
        assert_eq!(eager(sc.clone(), &read).as_deref(), Some("r1.chk"));
        let returned = ["r1.off", "r1.r0", "r1.r1", "r1.r2", "r1.chk"];
        assert_eq!(eager(sc, &returned).as_deref(), Some("r1.on"));
    }
}
