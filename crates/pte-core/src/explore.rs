//! The exhaustive explorer: breadth-first search over every reachable state,
//! in bounded slices that can be resumed, so a browser stays responsive.
//!
//! With several readers the search is reduced twice: equivalent states are
//! merged ([`Program::canonical`]) and steps that commute with everything
//! another thread can do are taken alone (the partial-order reduction of
//! `reduction.rs`). Both keep every read result, but the second makes the
//! first trace that reaches a result longer than it need be. So each
//! result's witness comes from a second, small search: the writer with one
//! reader of the completing reader's kind, merged but not reduced. Its
//! breadth-first order makes the first trace that reaches a result a
//! shortest one, and a shortest trace of the whole scenario has no step of
//! any other reader (removing them keeps the trace enabled: another reader
//! only ever holds off an IPI flush). That trace is the result's witness
//! and replays in a [`crate::Session`]. With one reader the two searches are
//! one: the search is not reduced and is its own witness search.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::machine::{CompletedRead, State, Step};
use crate::program::Program;
use crate::scenario::{Pte, Scenario, ScenarioError};
use crate::session::{ReplayError, Session};
use crate::verdict::{ReadResult, Verdict};

/// The default cap on distinct states; each costs about 130 bytes.
pub const DEFAULT_MAX_STATES: u32 = 20_000_000;

/// The answer to "can a read return a torn value?" in one word: herd's
/// Never and Sometimes, and Unknown when a search stopped at its limit
/// without finding one. What a lesson's goal asks for; a [`TornAnswer`]
/// says it with its witness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Torn {
    Never,
    Sometimes,
    Unknown,
}

impl std::fmt::Display for Torn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Torn::Never => "Never",
            Torn::Sometimes => "Sometimes",
            Torn::Unknown => "Unknown",
        })
    }
}

/// A torn value a read returned, and a shortest trace that returns it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TornWitness {
    pub value: Pte,
    pub steps: Vec<Step>,
    /// The compiled form the steps run in ([`Program::compiled`]).
    pub form: usize,
}

/// The answer to "can a read return a torn value?" of one search, with the
/// witness when the answer is yes, so no answer holds a witness it denies.
/// Built by [`TornAnswer::of`] (a report's, [`Report::torn`]) or kept from
/// one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TornAnswer {
    /// The search was complete and no read returned a torn value.
    Never,
    /// A read returned a torn value (found even by a search that stopped
    /// early).
    Sometimes(TornWitness),
    /// The search stopped at its limit without finding one: a "never"
    /// there would prove nothing.
    Unknown,
}

impl TornAnswer {
    /// The answer a report gives: Sometimes with a shortest torn witness
    /// of the code as written if there is one, else of a compiled form
    /// (among equally short ones, the first by value), Never only from a
    /// complete search, Unknown otherwise. The one place that rule lives.
    pub fn of(report: &Report) -> TornAnswer {
        let shortest = report
            .outcomes
            .iter()
            .filter(|outcome| outcome.returned_torn())
            .min_by_key(|outcome| (outcome.form != 0, outcome.witness.len()));
        match shortest {
            Some(outcome) => TornAnswer::Sometimes(TornWitness {
                value: outcome.value,
                steps: outcome.witness.clone(),
                form: outcome.form,
            }),
            None if report.complete => TornAnswer::Never,
            None => TornAnswer::Unknown,
        }
    }

    /// The answer in one word.
    pub fn word(&self) -> Torn {
        match self {
            TornAnswer::Never => Torn::Never,
            TornAnswer::Sometimes(_) => Torn::Sometimes,
            TornAnswer::Unknown => Torn::Unknown,
        }
    }

    pub fn is_sometimes(&self) -> bool {
        matches!(self, TornAnswer::Sometimes(_))
    }

    /// The torn value and its trace, when a read returned one.
    pub fn witness(&self) -> Option<&TornWitness> {
        match self {
            TornAnswer::Sometimes(witness) => Some(witness),
            TornAnswer::Never | TornAnswer::Unknown => None,
        }
    }

    /// herd's word among the states explored, as JSON writes it:
    /// "sometimes", or "never" (also when the search stopped early; a
    /// `complete` field next to it says so). Display capitalizes it.
    pub fn herd_id(&self) -> &'static str {
        match self {
            TornAnswer::Sometimes(_) => "sometimes",
            TornAnswer::Never | TornAnswer::Unknown => "never",
        }
    }
}

/// herd's word among the states explored: "Sometimes" or "Never" (see
/// [`TornAnswer::herd_id`]; [`TornAnswer::word`] tells Never from Unknown).
impl std::fmt::Display for TornAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TornAnswer::Sometimes(_) => "Sometimes",
            TornAnswer::Never | TornAnswer::Unknown => "Never",
        })
    }
}

/// Where a run stands after a slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// More states wait to be expanded; call [`Explorer::run`] again.
    Running,
    /// Every reachable state has been expanded.
    Done,
    /// The state cap was reached; the results so far are incomplete.
    LimitReached { max_states: u32 },
}

/// One distinct read result: a value returned, or a value read and then
/// backed off from (GUP-fast's re-check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub value: Pte,
    /// False: the reader read `value` but backed off instead of returning it.
    pub returned: bool,
    pub verdict: Verdict,
    /// A shortest trace from the initial state whose last step completes a
    /// read returning `value` (after a capped search, possibly only a
    /// trace: see [`Explorer::report`]).
    pub witness: Vec<Step>,
    /// The read as the witness completes it: reader, where each half came
    /// from, and how many retries it took.
    pub read: CompletedRead,
    /// The compiled form of the scenario the witness runs in
    /// ([`Program::compiled`]; 0: as written). Replay it there.
    pub form: usize,
    /// How many explored transitions complete a read with this value. The
    /// explorer stores one state per class of equivalent states (readers
    /// renamed, retries and returned registers forgotten) and, with several
    /// readers, takes the steps that commute with all others alone, so this
    /// counts transitions of the reduced graph, not of all raw runs.
    pub occurrences: u64,
}

impl Outcome {
    /// How the result is shown: torn, backed off or allowed.
    pub fn result(&self) -> ReadResult {
        ReadResult::of(self.verdict, self.returned)
    }

    /// Did the reader return a torn value? (A back-off returns nothing.)
    pub fn returned_torn(&self) -> bool {
        self.result() == ReadResult::Torn
    }
}

/// What an exploration found so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub complete: bool,
    pub states: u64,
    pub transitions: u64,
    /// One per distinct (value, returned or backed off): returned values
    /// first, each group ordered by value.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// Can a torn value be *returned*? (A back-off after a torn read returns
    /// nothing.) [`TornAnswer::of`] this report.
    pub fn torn(&self) -> TornAnswer {
        TornAnswer::of(self)
    }
}

impl Report {
    /// Rebuilds a report from its witnesses alone, in the order given (as a
    /// web worker sends a report to the page): each witness is replayed
    /// through the transition relation of its compiled form, which gives back the value, whether
    /// it was returned, its verdict and its read. `occurrences` and the
    /// counts are taken as they are.
    pub fn from_witnesses(
        scenario: &Scenario,
        complete: bool,
        states: u64,
        transitions: u64,
        witnesses: &[(usize, Vec<Step>, u64)],
    ) -> Result<Report, ReplayError> {
        let outcomes = witnesses
            .iter()
            .map(|(form, witness, occurrences)| {
                let program =
                    Program::compiled(scenario.clone(), *form).map_err(ReplayError::Scenario)?;
                let mut session = Session::from_program(program);
                session.replay(witness)?;
                let judged = session
                    .last_read()
                    .ok_or(ReplayError::CompletesNoRead { steps: witness.len() })?;
                Ok(Outcome {
                    value: judged.read.value,
                    returned: judged.read.returned,
                    verdict: judged.verdict,
                    witness: witness.clone(),
                    read: judged.read,
                    form: *form,
                    occurrences: *occurrences,
                })
            })
            .collect::<Result<Vec<_>, ReplayError>>()?;
        Ok(Report { complete, states, transitions, outcomes })
    }
}

/// A trace and the read its last step completes in a run of it.
type Witness = (Vec<Step>, Option<CompletedRead>);

struct Found {
    /// The state before the completing step, and that step.
    parent: u32,
    step: Step,
    read: CompletedRead,
    occurrences: u64,
}

/// An exploration in progress. Create it, call [`Explorer::run`] until it
/// returns something other than [`Progress::Running`], read [`Explorer::report`].
pub struct Explorer {
    program: Program,
    index: HashMap<State, u32, BuildHasherDefault<StateHasher>>,
    states: Vec<State>,
    /// For every state but the initial one: the state it was first reached
    /// from, and the step.
    parents: Vec<(u32, Step)>,
    /// The next state (by index) to expand.
    frontier: usize,
    transitions: u64,
    /// Keyed by (backed off, value): returned values first, by value.
    found: BTreeMap<(bool, u64), Found>,
    max_states: u32,
    limit_reached: bool,
    /// With several readers, one search per reader kind for shortest
    /// witnesses; then, and only then, the search takes eager steps alone
    /// (the partial-order reduction).
    witness_searches: Vec<WitnessSearch>,
    scratch: Vec<Step>,
    /// With the compiler on: one search per other compiled form of the
    /// scenario (`crate::compiler`); the outcomes are the union of all.
    other_forms: Vec<Explorer>,
}

/// The writer and one reader of a kind, searched without the partial-order
/// reduction: its first trace to each result is a shortest one for the
/// whole scenario.
struct WitnessSearch {
    /// The scenario's first reader of the kind, which the search's reader 0
    /// stands for.
    reader: u8,
    /// The scenario's last reader of the kind.
    last_of_kind: u8,
    explorer: Explorer,
}

impl WitnessSearch {
    /// Where each step of one of this search's traces comes in the order in
    /// which the whole scenario's search without the partial-order
    /// reduction offers steps ([`Program::candidates`]): writer accesses,
    /// then the drain, then readers by their position in the stored state
    /// and items in program order. In a stored state the readers of a kind
    /// are sorted, readers at their start first, so the one reader that
    /// moves is the kind's first reader for its first step and its last
    /// reader after that. Breadth-first search meets the shortest traces to
    /// a result in this order, first the least.
    fn order(&self, steps: &[Step]) -> Vec<[u8; 4]> {
        let program = &self.explorer.program;
        let mut started = false;
        steps
            .iter()
            .map(|step| match *step {
                Step::Writer(index) => [0, index, 0, 0],
                Step::Drain => [1, 0, 0, 0],
                Step::Reader { reader, action } => {
                    let position = if started { self.last_of_kind } else { self.reader };
                    started = true;
                    let (block, item) =
                        program.reader_program(reader).locate(action).unwrap_or((0, 0));
                    [2, position, block as u8, item as u8]
                }
            })
            .collect()
    }
}

impl std::fmt::Debug for Explorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Explorer")
            .field("states", &self.states.len())
            .field("frontier", &self.frontier)
            .field("transitions", &self.transitions)
            .finish_non_exhaustive()
    }
}

impl Explorer {
    /// Explores every compiled form of the scenario (one with the compiler
    /// off or nothing to transform) and unions their outcomes.
    pub fn new(scenario: Scenario) -> Result<Explorer, ScenarioError> {
        let count = Program::forms_of(&scenario)?;
        let mut explorer = Explorer::from_program(Program::new(scenario.clone())?);
        for form in 1..count {
            explorer
                .other_forms
                .push(Explorer::from_program(Program::compiled(scenario.clone(), form)?));
        }
        Ok(explorer)
    }

    /// How many compiled forms this explorer searches.
    pub fn forms(&self) -> usize {
        1 + self.other_forms.len()
    }

    pub fn from_program(program: Program) -> Explorer {
        let witness_searches = if program.readers() > 1 {
            program
                .reader_groups()
                .iter()
                .map(|group| {
                    let (reader, last_of_kind) = (group[0], group[group.len() - 1]);
                    let mut alone = Scenario {
                        readers: 1,
                        reader_kinds: Vec::new(),
                        ..program.scenario().clone()
                    };
                    alone.set_reader_kind(0, program.reader_kind(reader));
                    let program = Program::with_form_of(alone, &program);
                    WitnessSearch { reader, last_of_kind, explorer: Explorer::unreduced(program) }
                })
                .collect()
        } else {
            Vec::new()
        };
        Explorer { witness_searches, ..Explorer::unreduced(program) }
    }

    /// A search that takes every enabled step (still merging equivalent
    /// states), with no witness searches of its own.
    fn unreduced(program: Program) -> Explorer {
        let initial = program.initial();
        let mut index = HashMap::default();
        index.insert(initial, 0);
        Explorer {
            program,
            index,
            states: vec![initial],
            parents: vec![(0, Step::Drain)],
            frontier: 0,
            transitions: 0,
            found: BTreeMap::new(),
            max_states: DEFAULT_MAX_STATES,
            limit_reached: false,
            witness_searches: Vec::new(),
            scratch: Vec::new(),
            other_forms: Vec::new(),
        }
    }

    /// Caps the number of distinct states (memory); at least 1. Each
    /// witness search has the same cap.
    pub fn with_max_states(mut self, max_states: u32) -> Explorer {
        self.max_states = max_states.max(1);
        for search in &mut self.witness_searches {
            search.explorer.max_states = self.max_states;
        }
        self.other_forms = std::mem::take(&mut self.other_forms)
            .into_iter()
            .map(|other| other.with_max_states(max_states))
            .collect();
        self
    }

    /// Expands every enabled step in every state: no partial-order
    /// reduction (readers are still renamed and equal states merged), and
    /// so no witness searches. For tests and measurements that compare the
    /// reduced search with the fuller one.
    pub fn without_partial_order_reduction(mut self) -> Explorer {
        self.witness_searches.clear();
        self.other_forms = std::mem::take(&mut self.other_forms)
            .into_iter()
            .map(Explorer::without_partial_order_reduction)
            .collect();
        self
    }

    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The states found, over every compiled form.
    pub fn states(&self) -> u64 {
        self.states.len() as u64 + self.other_forms.iter().map(Explorer::states).sum::<u64>()
    }

    pub fn transitions(&self) -> u64 {
        self.transitions + self.other_forms.iter().map(Explorer::transitions).sum::<u64>()
    }

    /// States found but not yet expanded (the witness searches' and the
    /// other forms' included).
    pub fn pending(&self) -> u64 {
        let own = (self.states.len() - self.frontier) as u64;
        own + self.witness_searches.iter().map(|search| search.explorer.pending()).sum::<u64>()
            + self.other_forms.iter().map(Explorer::pending).sum::<u64>()
    }

    /// Expands states until about `budget` transitions have been taken in
    /// all (at least one state is expanded), the search and then the
    /// witness searches are done, or the cap is hit. Each witness search
    /// gets what is left of the budget. The counts and the progress are the
    /// main search's; a witness search that reaches the cap stops there.
    pub fn run(&mut self, budget: u64) -> Progress {
        let mut left = budget.max(1);
        let progress = self.search(&mut left);
        if progress == Progress::Running {
            return progress;
        }
        for search in &mut self.witness_searches {
            if search.explorer.search(&mut left) == Progress::Running {
                return Progress::Running;
            }
        }
        let mut progress = progress;
        for other in &mut self.other_forms {
            let before = other.transitions();
            let form_progress = other.run(left);
            left = left.saturating_sub(other.transitions() - before).max(1);
            match form_progress {
                Progress::Running => return Progress::Running,
                Progress::LimitReached { .. } => progress = form_progress,
                Progress::Done => {}
            }
        }
        progress
    }

    /// [`Explorer::run`] for this search alone: expands states while some of
    /// the budget is `left` (none when it is 0), and takes off what it used.
    fn search(&mut self, left: &mut u64) -> Progress {
        let start = self.transitions;
        let stop_at = start.saturating_add(*left);
        let progress = loop {
            if self.limit_reached {
                break Progress::LimitReached { max_states: self.max_states };
            }
            if self.frontier == self.states.len() {
                break Progress::Done;
            }
            if self.transitions >= stop_at {
                break Progress::Running;
            }
            self.expand(self.frontier);
            self.frontier += 1;
        };
        *left = left.saturating_sub(self.transitions - start);
        progress
    }

    /// Runs to the end (or the cap).
    pub fn run_to_end(&mut self) -> Progress {
        loop {
            match self.run(u64::MAX) {
                Progress::Running => continue,
                done => return done,
            }
        }
    }

    fn expand(&mut self, at: usize) {
        let state = self.states[at];
        let mut steps = std::mem::take(&mut self.scratch);
        self.program.candidates(&state, &mut steps);
        steps.retain(|step| self.program.check(&state, *step).is_ok());
        // Reduced exactly when there are witness searches to find shortest
        // witnesses.
        if !self.witness_searches.is_empty() {
            if let Some(eager) = self.program.eager_step(&state, &steps) {
                steps.clear();
                steps.push(eager);
            }
        }
        for &step in &steps {
            let (next, read) = self.program.apply_enabled(&state, step);
            let next = self.program.canonical(&next);
            self.transitions += 1;
            if let Some(read) = read {
                self.record(at as u32, step, read);
            }
            if !self.index.contains_key(&next) {
                if self.states.len() >= self.max_states as usize {
                    self.limit_reached = true;
                    continue;
                }
                let id = self.states.len() as u32;
                self.index.insert(next, id);
                self.states.push(next);
                self.parents.push((at as u32, step));
            }
        }
        self.scratch = steps;
    }

    fn record(&mut self, parent: u32, step: Step, read: CompletedRead) {
        let entry = self.found.entry((!read.returned, read.value.0)).or_insert(Found {
            parent,
            step,
            read,
            occurrences: 0,
        });
        entry.occurrences += 1;
    }

    /// A shortest trace to stored state `id` followed by `last`, with its
    /// readers renamed from the stored (sorted) states' numbering to that of
    /// a real run, and the read the last step completes in that run.
    fn witness(&self, mut id: u32, last: Step) -> Witness {
        let mut stored = vec![last];
        while id != 0 {
            let (parent, step) = self.parents[id as usize];
            stored.push(step);
            id = parent;
        }
        stored.reverse();
        let mut state = self.program.initial();
        let mut steps = Vec::with_capacity(stored.len());
        let mut read = None;
        for step in stored {
            let step = match step {
                Step::Reader { reader, action } => {
                    let order = self.program.canonical_order(&state);
                    Step::Reader { reader: order[usize::from(reader)], action }
                }
                other => other,
            };
            // Every stored step is enabled in the renamed run; the laws tests
            // replay every witness to prove it.
            let Ok((next, completed)) = self.program.apply(&state, step) else { break };
            state = next;
            read = completed;
            steps.push(step);
        }
        (steps, read)
    }

    /// The results so far (complete once [`Explorer::run`] returned
    /// [`Progress::Done`]). Each witness is the witness search's shortest
    /// trace to the result; a result that search has not reached (it
    /// reached the cap, or is still running) gets the trace of the reduced
    /// search that found it, which replays but may not be shortest.
    pub fn report(&self) -> Report {
        let mut report = self.form_report();
        for other in &self.other_forms {
            let theirs = other.form_report();
            report.complete &= theirs.complete;
            report.states += theirs.states;
            report.transitions += theirs.transitions;
            for outcome in theirs.outcomes {
                let same = |mine: &Outcome| {
                    (mine.returned, mine.value) == (outcome.returned, outcome.value)
                };
                match report.outcomes.iter_mut().find(|mine| same(mine)) {
                    // The witness of the first form that has the value: a
                    // value the program as written returns keeps a witness
                    // as written, so a witness in another form is one the
                    // compiler alone made possible.
                    Some(mine) => mine.occurrences += outcome.occurrences,
                    None => report.outcomes.push(outcome),
                }
            }
        }
        // Returned values first, each group by value (as one search orders them).
        crate::short_sort::sort_by_key(&mut report.outcomes, |outcome| {
            (!outcome.returned, outcome.value.0)
        });
        report
    }

    /// This form's own results.
    fn form_report(&self) -> Report {
        let form = self.program.form_index();
        let scenario = self.program.scenario();
        let outcomes = self
            .found
            .iter()
            .map(|(key, found)| {
                let (witness, read) =
                    self.shortest(*key).unwrap_or_else(|| self.witness(found.parent, found.step));
                Outcome {
                    value: found.read.value,
                    returned: found.read.returned,
                    verdict: Verdict::of(scenario, found.read.value),
                    witness,
                    read: read.unwrap_or(found.read),
                    form,
                    occurrences: found.occurrences,
                }
            })
            .collect();
        Report {
            complete: self.frontier == self.states.len() && !self.limit_reached,
            states: self.states.len() as u64,
            transitions: self.transitions,
            outcomes,
        }
    }

    /// The shortest witness the witness searches found for a result, with
    /// their reader renamed to the scenario's, and the read it completes.
    /// Among equally short ones, the first in the order a search without the
    /// partial-order reduction would have met them (see
    /// [`WitnessSearch::order`]), so the witness is the one that search
    /// reports.
    ///
    /// The read is the witness search's own, with its reader renamed: the
    /// trace completes the same read in the whole scenario, since the
    /// writer's accesses and the reader's program do not depend on how many
    /// readers there are, and the other readers stay at their start, where
    /// they hold nothing off.
    fn shortest(&self, key: (bool, u64)) -> Option<Witness> {
        let mut best: Option<(Vec<[u8; 4]>, Witness)> = None;
        for search in &self.witness_searches {
            let Some(found) = search.explorer.found.get(&key) else { continue };
            let (steps, read) = search.explorer.witness(found.parent, found.step);
            let order = search.order(&steps);
            let better = best.as_ref().is_none_or(|(best_order, _)| {
                (order.len(), &order) < (best_order.len(), best_order)
            });
            if better {
                let renamed = steps
                    .into_iter()
                    .map(|step| match step {
                        Step::Reader { action, .. } => {
                            Step::Reader { reader: search.reader, action }
                        }
                        other => other,
                    })
                    .collect();
                let read = read.map(|read| CompletedRead { reader: search.reader, ..read });
                best = Some((order, (renamed, read)));
            }
        }
        best.map(|(_, witness)| witness)
    }
}

/// Explores a scenario to the end with the default cap.
pub fn explore(scenario: Scenario) -> Result<Report, ScenarioError> {
    let mut explorer = Explorer::new(scenario)?;
    explorer.run_to_end();
    Ok(explorer.report())
}

/// A small multiply-rotate hasher (the Fx hash): states are short
/// fixed-size byte strings, and no input is adversarial.
#[derive(Default, Clone, Copy, Debug)]
pub struct StateHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl StateHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for StateHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        for &byte in chunks.remainder() {
            self.add(u64::from(byte));
        }
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{MemoryModel, ReaderKind};

    /// Transitions taken by the search and its witness searches together.
    fn all_transitions(explorer: &Explorer) -> u64 {
        explorer.transitions
            + explorer
                .witness_searches
                .iter()
                .map(|search| search.explorer.transitions)
                .sum::<u64>()
    }

    #[test]
    fn one_run_takes_about_its_budget_witness_searches_included() {
        let mut scenario = Scenario::cycles(1);
        scenario.model = MemoryModel::Weak;
        scenario.readers = 3;
        scenario.set_reader_kind(1, ReaderKind::GupFast);
        scenario.set_reader_kind(2, ReaderKind::Seqcount);
        scenario.seqcount = true;
        let mut explorer = Explorer::new(scenario.clone()).unwrap();
        assert_eq!(explorer.witness_searches.len(), 3);
        // More than one state has steps: what a slice may take past its budget.
        let fan_out = 64;
        let budget = 100;
        let mut runs = 0;
        loop {
            let before = all_transitions(&explorer);
            let progress = explorer.run(budget);
            let taken = all_transitions(&explorer) - before;
            assert!(taken < budget + fan_out, "a run of budget {budget} took {taken}");
            runs += 1;
            if progress != Progress::Running {
                assert_eq!(progress, Progress::Done);
                break;
            }
        }
        // Sliced or not, the same report.
        assert!(runs > 3);
        let whole = explore(scenario).unwrap();
        assert_eq!(explorer.report(), whole);
    }
}
