//! Why a step was allowed where a stricter model would not have allowed it
//! at that point, for a walk through a trace:
//!
//! - under the weak model, an access performed before a program-earlier
//!   access of its thread that is still pending ("r1 ← high was performed
//!   before r0 ← low: allowed because reader_rmb1 is off");
//! - under x86-TSO, a load that read memory while the writer's store buffer
//!   still held a newer store to that word (sequential consistency would
//!   have shown the store).
//!
//! Both come from the transition relation's own rules: the ordering
//! predicates that explain blocked steps ([`Program::check`]'s
//! `Blocked::WaitsFor`), asked again with one barrier site switched on to
//! name the sites whose absence allowed the step, and the store buffer of
//! [`Program::buffered`]. Sequential consistency never has a relaxation.

use crate::machine::{State, Step};
use crate::program::{Order, Program, Word};
use crate::readers::Effect;
use crate::scenario::{Barrier, Barriers};
use crate::session::Session;

/// One thing a step did that a stricter memory model would not have allowed
/// in that state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Relaxation {
    /// Weak model: `step` was performed while `earlier`, before it in its
    /// thread's program (the same block, for a reader), was not yet.
    Reordered { step: Step, earlier: Step, because: Unordered },
    /// x86-TSO: a reader's load of `word` read `read` from memory while
    /// writer access `store` (a store to that word with another value) was
    /// still in the store buffer. Under sequential consistency the store
    /// would already have been visible.
    StoreBuffered { step: Step, word: Word, store: u8, read: u32 },
}

/// Why nothing ordered a reordered step after the earlier access.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Unordered {
    /// These barrier sites lie between the two accesses and are switched
    /// off; switching any one of them on would have ordered them.
    BarriersOff(Vec<Barrier>),
    /// The accesses touch different words and no barrier site lies between
    /// them (GUP-fast's re-check, the sequence counter's two halves).
    NoBarrierBetween,
    /// The earlier step is a test: a branch orders no later load, and an
    /// `smp_rmb()` orders loads with loads only.
    AfterBranch,
}

impl Relaxation {
    /// The step that was allowed.
    pub fn step(&self) -> Step {
        match self {
            Relaxation::Reordered { step, .. } | Relaxation::StoreBuffered { step, .. } => *step,
        }
    }

    /// The barrier sites whose absence allowed it (empty for a store-buffer
    /// read, or when no site could have ordered it).
    pub fn barriers_off(&self) -> &[Barrier] {
        match self {
            Relaxation::Reordered { because: Unordered::BarriersOff(sites), .. } => sites,
            _ => &[],
        }
    }
}

impl Program {
    /// What `step`, taken in `state`, does that a stricter model would not
    /// have allowed there. Empty when the step is not enabled, under
    /// sequential consistency, and for most steps of the other models.
    pub fn relaxations(&self, state: &State, step: Step) -> Vec<Relaxation> {
        if self.check(state, step).is_err() {
            return Vec::new();
        }
        let mut found = Vec::new();
        match step {
            Step::Drain => {}
            Step::Writer(index) => {
                let later = usize::from(index);
                for earlier in (0..later).filter(|earlier| !state.writer_performed(*earlier)) {
                    let because = self.unordered(
                        |barriers| self.writer_order_with(barriers, earlier, later),
                        false,
                    );
                    found.push(Relaxation::Reordered {
                        step,
                        earlier: Step::Writer(earlier as u8),
                        because,
                    });
                }
            }
            Step::Reader { reader, action } => {
                let program = self.reader_program(reader);
                let Some((block, item)) = program.locate(action) else { return found };
                let items = &program.blocks[block].items;
                let at = state.reader(reader);
                for earlier in (0..item).filter(|earlier| at.done & (1 << earlier) == 0) {
                    let after_test = matches!(items[earlier].effect, Effect::Test { .. });
                    let because = self.unordered(
                        |barriers| self.reader_order_with(barriers, reader, block, earlier, item),
                        after_test,
                    );
                    found.push(Relaxation::Reordered {
                        step,
                        earlier: Step::Reader { reader, action: items[earlier].action },
                        because,
                    });
                }
                let words: &[Word] = match items[item].effect {
                    Effect::Load(register) => match register.word() {
                        Word::Low => &[Word::Low],
                        Word::High => &[Word::High],
                        Word::Seq => &[Word::Seq],
                        Word::Count => &[Word::Count],
                    },
                    Effect::Load64 => &[Word::Low, Word::High],
                    _ => &[],
                };
                for word in words {
                    // The newest buffered store to the word is what sequential
                    // consistency would have shown.
                    let newest = self
                        .buffered(state)
                        .filter(|index| self.accesses()[*index].touches(*word))
                        .last();
                    let read = self.memory_value(state, *word);
                    if let Some(store) = newest {
                        if self.accesses()[store].stored(*word) != read {
                            found.push(Relaxation::StoreBuffered {
                                step,
                                word: *word,
                                store: store as u8,
                                read,
                            });
                        }
                    }
                }
            }
        }
        found
    }

    /// Why an enabled access was not ordered after a pending earlier one:
    /// the ordering predicate, asked again with each switched-off site
    /// switched on, names the sites that would have ordered them.
    fn unordered(
        &self,
        order_with: impl Fn(Barriers) -> Option<Order>,
        after_test: bool,
    ) -> Unordered {
        let barriers = self.scenario().barriers;
        let sites: Vec<Barrier> = Barrier::ALL
            .into_iter()
            .filter(|site| !barriers.is_on(*site))
            .filter(|site| order_with(barriers.with(*site, true)) == Some(Order::Barrier(*site)))
            .collect();
        if !sites.is_empty() {
            Unordered::BarriersOff(sites)
        } else if after_test {
            Unordered::AfterBranch
        } else {
            Unordered::NoBarrierBetween
        }
    }

    /// A relaxation as a sentence: "reader 1: r1 ← high was performed before
    /// r0 ← low: allowed because reader_rmb1 is off", "writer: low ←
    /// 0x00000000 (Z) was still in the store buffer when reader 1 read low
    /// (…)".
    pub fn explain_relaxation(&self, relaxation: &Relaxation) -> String {
        match relaxation {
            Relaxation::Reordered { step, earlier, because } => {
                let reason = match because {
                    Unordered::BarriersOff(sites) => {
                        let ids: Vec<&str> = sites.iter().map(|site| site.id()).collect();
                        let verb = if ids.len() == 1 { "is" } else { "are" };
                        format!("{} {verb} off", ids.join(" and "))
                    }
                    Unordered::NoBarrierBetween => {
                        "they touch different words and no barrier lies between them".to_owned()
                    }
                    Unordered::AfterBranch => {
                        "a branch orders no later load (smp_rmb() orders loads with loads only)"
                            .to_owned()
                    }
                };
                format!(
                    "{} was performed before {}: allowed because {reason}",
                    self.name(*step),
                    without_thread(&self.name(*earlier))
                )
            }
            Relaxation::StoreBuffered { step, word, store, read } => {
                let reader = step.reader().map_or(0, |reader| u32::from(reader) + 1);
                let access = &self.accesses()[usize::from(*store)];
                format!(
                    "{} was still in the store buffer when reader {reader} read {}: {} \
                     lets a store wait there, so the reader got {} from memory (under \
                     sequential consistency it would read {})",
                    self.name(Step::Writer(*store)),
                    word.name(),
                    self.model().title(),
                    crate::machine::word_value(*word, *read),
                    crate::machine::word_value(*word, access.stored(*word)),
                )
            }
        }
    }
}

/// "writer: low ← 0x0 (Z)" → "low ← 0x0 (Z)"; "reader 1: r0 ← low" → "r0 ← low".
fn without_thread(name: &str) -> &str {
    name.split_once(": ").map_or(name, |(_, rest)| rest)
}

impl Session {
    /// The relaxations of step `index` (0-based) of the run, the steps
    /// undone but not redone included; empty past its end.
    pub fn relaxations(&self, index: usize) -> Vec<Relaxation> {
        match (self.all_steps().get(index), self.state_after(index)) {
            (Some(step), Some(state)) => self.program().relaxations(state, *step),
            _ => Vec::new(),
        }
    }

    /// For the read step `index` (0-based) completed: the relaxations it rests
    /// on, each with the index of its step. These are the writer's, up to the
    /// read, and its reader's in the attempt that completed (a retry starts
    /// the reader's list again). Empty when step `index` completed no read.
    pub fn relaxations_behind_read(&self, index: usize) -> Vec<(usize, Relaxation)> {
        let Some(judged) = self.judged_reads().get(index).copied().flatten() else {
            return Vec::new();
        };
        let reader = judged.read.reader;
        let mut found: Vec<(usize, Relaxation)> = Vec::new();
        for (at, step) in self.all_steps()[..=index].iter().enumerate() {
            let (Some(before), Some(after)) = (self.state_after(at), self.state_after(at + 1))
            else {
                break;
            };
            match step.reader() {
                Some(other) if other != reader => continue,
                Some(_) if after.reader(reader).retries > before.reader(reader).retries => {
                    // A failed test starts the attempt again: what came before
                    // in this reader does not feed the value read.
                    found.retain(|(_, relaxation)| relaxation.step().reader() != Some(reader));
                    continue;
                }
                _ => {}
            }
            found.extend(self.program().relaxations(before, *step).into_iter().map(|r| (at, r)));
        }
        found
    }
}
