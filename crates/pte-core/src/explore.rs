//! The exhaustive explorer: breadth-first search over every reachable state,
//! in bounded slices that can be resumed, so a browser stays responsive.
//!
//! Breadth-first order makes the first trace that reaches a read result a
//! shortest one; that trace is the result's witness and replays in a
//! [`crate::Session`].

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::machine::{CompletedRead, State, Step};
use crate::program::Program;
use crate::scenario::{Pte, Scenario, ScenarioError};
use crate::session::{ReplayError, Session};
use crate::verdict::Verdict;

/// The default cap on distinct states; each costs about 130 bytes.
pub const DEFAULT_MAX_STATES: u32 = 20_000_000;

/// The herd-style answer to "can a torn read happen?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TornAnswer {
    Never,
    Sometimes,
}

impl std::fmt::Display for TornAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TornAnswer::Never => "Never",
            TornAnswer::Sometimes => "Sometimes",
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
    /// read returning `value`.
    pub witness: Vec<Step>,
    /// The read as the witness completes it: reader, where each half came
    /// from, and how many retries it took.
    pub read: CompletedRead,
    /// How many explored transitions complete a read with this value. The
    /// explorer stores one state per class of equivalent states (readers
    /// renamed, retries and returned registers forgotten), so
    /// this counts transitions between classes, not between raw states.
    pub occurrences: u64,
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
    /// nothing.)
    pub fn torn(&self) -> TornAnswer {
        if self.outcomes.iter().any(|outcome| outcome.returned && outcome.verdict.is_torn()) {
            TornAnswer::Sometimes
        } else {
            TornAnswer::Never
        }
    }
}

impl Report {
    /// Rebuilds a report from its witnesses alone, in the order given (as a
    /// web worker sends a report to the page): each witness is replayed
    /// through the transition relation, which gives back the value, whether
    /// it was returned, its verdict and its read. `occurrences` and the
    /// counts are taken as they are.
    pub fn from_witnesses(
        scenario: &Scenario,
        complete: bool,
        states: u64,
        transitions: u64,
        witnesses: &[(Vec<Step>, u64)],
    ) -> Result<Report, ReplayError> {
        let program = Program::new(scenario.clone()).map_err(ReplayError::Scenario)?;
        let outcomes = witnesses
            .iter()
            .map(|(witness, occurrences)| {
                let mut session = Session::from_program(program.clone());
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
                    occurrences: *occurrences,
                })
            })
            .collect::<Result<Vec<_>, ReplayError>>()?;
        Ok(Report { complete, states, transitions, outcomes })
    }
}

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
    scratch: Vec<Step>,
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
    pub fn new(scenario: Scenario) -> Result<Explorer, ScenarioError> {
        Ok(Explorer::from_program(Program::new(scenario)?))
    }

    pub fn from_program(program: Program) -> Explorer {
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
            scratch: Vec::new(),
        }
    }

    /// Caps the number of distinct states (memory); at least 1.
    pub fn with_max_states(mut self, max_states: u32) -> Explorer {
        self.max_states = max_states.max(1);
        self
    }

    pub fn program(&self) -> &Program {
        &self.program
    }

    pub fn states(&self) -> u64 {
        self.states.len() as u64
    }

    pub fn transitions(&self) -> u64 {
        self.transitions
    }

    /// States found but not yet expanded.
    pub fn pending(&self) -> u64 {
        (self.states.len() - self.frontier) as u64
    }

    /// Expands states until about `budget` transitions have been taken (at
    /// least one state is expanded), the search is done, or the cap is hit.
    pub fn run(&mut self, budget: u64) -> Progress {
        let stop_at = self.transitions.saturating_add(budget.max(1));
        while self.frontier < self.states.len() {
            if self.limit_reached {
                return Progress::LimitReached { max_states: self.max_states };
            }
            if self.transitions >= stop_at {
                return Progress::Running;
            }
            self.expand(self.frontier);
            self.frontier += 1;
        }
        if self.limit_reached {
            Progress::LimitReached { max_states: self.max_states }
        } else {
            Progress::Done
        }
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
        for &step in &steps {
            if self.program.check(&state, step).is_err() {
                continue;
            }
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
    fn witness(&self, mut id: u32, last: Step) -> (Vec<Step>, Option<CompletedRead>) {
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
    /// [`Progress::Done`]).
    pub fn report(&self) -> Report {
        let scenario = self.program.scenario();
        let outcomes = self
            .found
            .values()
            .map(|found| {
                let (witness, read) = self.witness(found.parent, found.step);
                Outcome {
                    value: found.read.value,
                    returned: found.read.returned,
                    verdict: Verdict::of(scenario, found.read.value),
                    witness,
                    read: read.unwrap_or(found.read),
                    occurrences: found.occurrences,
                }
            })
            .collect();
        Report {
            complete: self.frontier == self.states.len() && !self.limit_reached,
            states: self.states(),
            transitions: self.transitions,
            outcomes,
        }
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
