//! A stepping session: the state a person drives one step at a time, with
//! undo, redo, jump-to-step and replay of a trace. Built on the transition
//! relation alone.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::machine::{Blocked, State, Step, StepParseError};
use crate::program::Program;
use crate::scenario::{
    FormatAndSites, Scenario, ScenarioError, FORMAT_VERSION, OLDEST_FORMAT_VERSION,
};
use crate::sources::{self, SourceRef};
use crate::verdict::Judged;

/// At most this many steps in a trace; far more than any finite scenario
/// within the limits needs, and small enough to keep a permalink sane.
pub const MAX_TRACE_STEPS: usize = 4096;

/// A scenario and the steps taken from its initial state: the trace file
/// format (JSON) and what a permalink holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trace {
    pub format: u32,
    pub scenario: Scenario,
    /// The compiled form the steps run in ([`Program::compiled`]; 0, the
    /// program as written, is not written).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub form: usize,
    /// Step ids as [`Step::id`] writes them.
    pub steps: Vec<String>,
}

fn is_zero(form: &usize) -> bool {
    *form == 0
}

impl Trace {
    pub fn new(scenario: Scenario, steps: &[Step]) -> Trace {
        Trace::compiled(scenario, 0, steps)
    }

    /// A trace whose steps run in the scenario's compiled form `form`.
    pub fn compiled(scenario: Scenario, form: usize, steps: &[Step]) -> Trace {
        let steps = steps.iter().map(|s| s.id()).collect();
        Trace { format: FORMAT_VERSION, scenario, form, steps }
    }

    pub fn from_json(text: &str) -> Result<Trace, ReplayError> {
        let mut trace: Trace = serde_json::from_str(text)
            .map_err(|error| ReplayError::Scenario(ScenarioError::Json(error.to_string())))?;
        if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&trace.format) {
            return Err(ReplayError::Scenario(ScenarioError::UnsupportedFormat {
                found: trace.format,
            }));
        }
        // A trace file and its scenario are written together, in one format.
        if trace.scenario.format != trace.format {
            return Err(ReplayError::Scenario(ScenarioError::FormatMismatch {
                trace: trace.format,
                scenario: trace.scenario.format,
            }));
        }
        /// The scenario part of a trace file, for its barrier sites.
        #[derive(Deserialize)]
        struct ScenarioSites {
            scenario: FormatAndSites,
        }
        let sites = serde_json::from_str::<ScenarioSites>(text)
            .map_err(|error| ReplayError::Scenario(ScenarioError::Json(error.to_string())))?
            .scenario;
        // An older trace's steps keep their ids; its scenario is upgraded.
        trace.format = FORMAT_VERSION;
        trace.scenario.upgrade().map_err(ReplayError::Scenario)?;
        sites.check().map_err(ReplayError::Scenario)?;
        trace.scenario.validate().map_err(ReplayError::Scenario)?;
        let forms = Program::forms_of(&trace.scenario).map_err(ReplayError::Scenario)?;
        if trace.form >= forms {
            return Err(ReplayError::Scenario(ScenarioError::NoSuchItem {
                field: "compiled form",
                number: trace.form as u64,
                count: forms,
            }));
        }
        // A step id that does not parse is refused with the file, not later.
        trace.parsed_steps()?;
        Ok(trace)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a trace always serializes")
    }

    /// Parses every step id.
    pub fn parsed_steps(&self) -> Result<Vec<Step>, ReplayError> {
        parse_steps(self.steps.iter().map(String::as_str))
    }
}

/// Parses step ids, naming the first bad one.
pub fn parse_steps<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<Vec<Step>, ReplayError> {
    let mut steps = Vec::new();
    for (index, id) in ids.into_iter().enumerate() {
        if index >= MAX_TRACE_STEPS {
            return Err(ReplayError::TooLong { max: MAX_TRACE_STEPS });
        }
        steps.push(Step::parse(id).map_err(|error| ReplayError::Parse { index, error })?);
    }
    Ok(steps)
}

/// Why a step or a replay failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    Scenario(ScenarioError),
    /// Step `index` (0-based) is not a step id.
    Parse {
        index: usize,
        error: StepParseError,
    },
    /// Step `index` (0-based) is not enabled after the steps before it.
    NotEnabled {
        index: usize,
        step: String,
        reason: String,
    },
    TooLong {
        max: usize,
    },
    /// A witness's last step completes no read.
    CompletesNoRead {
        steps: usize,
    },
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Scenario(error) => write!(f, "{error}"),
            ReplayError::Parse { index, error } => write!(f, "step {}: {error}", index + 1),
            ReplayError::NotEnabled { index, step, reason } => {
                write!(f, "step {} ({step}) is not enabled: {reason}", index + 1)
            }
            ReplayError::TooLong { max } => write!(f, "a trace has at most {max} steps"),
            ReplayError::CompletesNoRead { steps } => {
                write!(f, "the witness's last step (step {steps}) completes no read")
            }
        }
    }
}

impl std::error::Error for ReplayError {}

/// One step of a run told as a person reads it: the sentence from the state
/// it was taken in (so a load shows the value it read), the kernel function
/// it stands for, the state after it and the read it completed. What the
/// CLI's witnesses and replays and the page's trace and walk-through show
/// ([`Session::narrate`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NarratedStep {
    pub step: Step,
    /// [`Program::describe`] from the state before the step.
    pub text: String,
    /// The kernel function the step stands for ([`sources::for_step`]).
    pub source: Option<&'static SourceRef>,
    /// The state after the step.
    pub state: State,
    /// The read this step completed, judged.
    pub read: Option<Judged>,
}

/// The state a person drives. `states[k]` is the state after `steps[..k]`;
/// `cursor` is the step count currently shown, so undo and redo move it and
/// a new step cuts the redo tail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    program: Program,
    steps: Vec<Step>,
    states: Vec<State>,
    /// The read each step completed, judged.
    reads: Vec<Option<Judged>>,
    cursor: usize,
}

impl Session {
    /// The scenario as written (its compiled form 0).
    pub fn new(scenario: Scenario) -> Result<Session, ScenarioError> {
        Ok(Session::from_program(Program::new(scenario)?))
    }

    /// The scenario in its compiled form `form` (a witness's
    /// [`crate::Outcome::form`]).
    pub fn compiled(scenario: Scenario, form: usize) -> Result<Session, ScenarioError> {
        Ok(Session::from_program(Program::compiled(scenario, form)?))
    }

    pub fn from_program(program: Program) -> Session {
        let initial = program.initial();
        Session { program, steps: Vec::new(), states: vec![initial], reads: Vec::new(), cursor: 0 }
    }

    pub fn program(&self) -> &Program {
        &self.program
    }

    pub fn scenario(&self) -> &Scenario {
        self.program.scenario()
    }

    /// The state currently shown.
    pub fn state(&self) -> &State {
        &self.states[self.cursor]
    }

    /// The state after the first `count` steps of the run (0 = the initial
    /// state), wherever the cursor is; `None` past the run's end.
    pub fn state_after(&self, count: usize) -> Option<&State> {
        self.states.get(count)
    }

    /// The steps up to the cursor.
    pub fn trace(&self) -> &[Step] {
        &self.steps[..self.cursor]
    }

    /// Every step taken, including those undone and not yet redone.
    pub fn all_steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The reads completed up to the cursor, in order.
    pub fn completed_reads(&self) -> impl Iterator<Item = &Judged> + '_ {
        self.reads[..self.cursor].iter().flatten()
    }

    /// For every step taken (including an undone tail), the read it
    /// completed, judged.
    pub fn judged_reads(&self) -> &[Option<Judged>] {
        &self.reads
    }

    /// Step `index` (0-based) of the whole run, an undone tail included,
    /// told from the state it was taken in; `None` past the run's end.
    pub fn narrate(&self, index: usize) -> Option<NarratedStep> {
        let step = *self.steps.get(index)?;
        let before = self.states.get(index)?;
        Some(NarratedStep {
            step,
            text: self.step_text(index)?,
            source: sources::for_step(&self.program, before, step).first().copied(),
            state: *self.states.get(index + 1)?,
            read: self.reads.get(index).copied().flatten(),
        })
    }

    /// The sentence of [`Session::narrate`] alone (what the page's trace
    /// list and walk-through show).
    pub fn step_text(&self, index: usize) -> Option<String> {
        Some(self.program.describe(self.states.get(index)?, *self.steps.get(index)?))
    }

    /// Every step of the run, an undone tail included, narrated.
    pub fn narration(&self) -> Vec<NarratedStep> {
        (0..self.steps.len()).map_while(|index| self.narrate(index)).collect()
    }

    /// The read the last step completed, if it completed one.
    pub fn last_read(&self) -> Option<&Judged> {
        self.cursor.checked_sub(1).and_then(|last| self.reads[last].as_ref())
    }

    /// The steps enabled now.
    pub fn enabled(&self) -> Vec<Step> {
        self.program.enabled(self.state())
    }

    /// Every step worth offering now with the reason it is blocked, if it is.
    pub fn options(&self) -> Vec<(Step, Result<(), Blocked>)> {
        let mut candidates = Vec::new();
        self.program.candidates(self.state(), &mut candidates);
        candidates.into_iter().map(|step| (step, self.program.check(self.state(), step))).collect()
    }

    /// Takes a step; cuts any redo tail.
    pub fn step(&mut self, step: Step) -> Result<Option<Judged>, Blocked> {
        let (next, read) = self.program.apply(self.state(), step)?;
        let judged = read.map(|read| {
            // The run so far is `states[..=cursor]`; the check changes no memory.
            let held = self.states[..=self.cursor]
                .iter()
                .any(|state| self.program.memory_pte(state) == read.value);
            Judged::new(self.scenario(), read, held)
        });
        self.steps.truncate(self.cursor);
        self.states.truncate(self.cursor + 1);
        self.reads.truncate(self.cursor);
        self.steps.push(step);
        self.states.push(next);
        self.reads.push(judged);
        self.cursor += 1;
        Ok(judged)
    }

    pub fn can_undo(&self) -> bool {
        self.cursor > 0
    }

    pub fn can_redo(&self) -> bool {
        self.cursor < self.steps.len()
    }

    pub fn undo(&mut self) -> bool {
        let moved = self.can_undo();
        if moved {
            self.cursor -= 1;
        }
        moved
    }

    pub fn redo(&mut self) -> bool {
        let moved = self.can_redo();
        if moved {
            self.cursor += 1;
        }
        moved
    }

    /// Moves the cursor to after `count` steps (0 = initial state).
    pub fn jump(&mut self, count: usize) -> bool {
        let valid = count <= self.steps.len();
        if valid {
            self.cursor = count;
        }
        valid
    }

    /// Replays `steps` from the current state, stopping with an error at the
    /// first step that is not enabled (the steps before it stay taken).
    pub fn replay(&mut self, steps: &[Step]) -> Result<(), ReplayError> {
        let start = self.cursor;
        for (offset, step) in steps.iter().enumerate() {
            let index = start + offset;
            if index >= MAX_TRACE_STEPS {
                return Err(ReplayError::TooLong { max: MAX_TRACE_STEPS });
            }
            if let Err(blocked) = self.step(*step) {
                return Err(ReplayError::NotEnabled {
                    index,
                    step: self.program.describe(self.state(), *step),
                    reason: self.program.explain(blocked),
                });
            }
        }
        Ok(())
    }

    /// The session as a trace (steps up to the cursor).
    pub fn to_trace(&self) -> Trace {
        Trace::compiled(self.scenario().clone(), self.program.form_index(), self.trace())
    }

    /// Builds a session from a trace file, replaying every step.
    pub fn from_trace(trace: &Trace) -> Result<Session, ReplayError> {
        let mut session =
            Session::compiled(trace.scenario.clone(), trace.form).map_err(ReplayError::Scenario)?;
        session.replay(&trace.parsed_steps()?)?;
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_told_from_the_state_it_was_taken_in_undone_or_not() {
        let mut session = Session::new(Scenario::kernel()).unwrap();
        let steps = parse_steps(["r1.off", "r1.r0", "w1", "r1.r1"]).unwrap();
        session.replay(&steps).unwrap();
        session.jump(2);
        // The load of low read P0's low half: w1 (low ← 0) came after it.
        let load = session.narrate(1).unwrap();
        assert_eq!(load.text, "reader 1: r0 ← low (= 0x00001067)");
        assert_eq!(load.source.map(|source| source.function), Some("ptep_get_lockless"));
        assert_eq!(load.state, *session.state_after(2).unwrap());
        // The undone tail is told too, each step from its own state.
        let narration = session.narration();
        assert_eq!(narration.len(), 4);
        assert_eq!(narration[2].text, "writer: low ← 0x00000000 (zap, op 1, Z)");
        assert_eq!(narration.iter().map(|told| told.step).collect::<Vec<_>>(), steps);
        assert!(session.narrate(4).is_none());
    }
}
