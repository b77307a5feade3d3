//! Replaying steps through a [`Session`] and keeping, for each one, the
//! sentence that describes it from the state it was taken in (so a load
//! shows the value it read), the state after it and the read it completed.
//! `check` narrates witnesses with it and `replay` narrates trace files.

use pte_core::sources::{self, SourceRef};
use pte_core::{Judged, Program, Scenario, ScenarioError, Session, State, Step};

/// One step as taken.
#[derive(Clone, Debug)]
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

/// The first step that could not be taken.
#[derive(Clone, Debug)]
pub struct NotEnabled {
    /// 0-based position in the list of steps.
    pub index: usize,
    pub step: Step,
    /// [`Program::name`]: the step without values, "reader 1: r2 ← low".
    pub name: String,
    /// [`Program::explain`]: why it is blocked.
    pub reason: String,
}

impl NotEnabled {
    /// "step 5 (reader 1: r2 ← low) is not enabled: waits for …"
    pub fn message(&self) -> String {
        format!("step {} ({}) is not enabled: {}", self.index + 1, self.name, self.reason)
    }
}

/// Steps replayed from the initial state, up to the first that is not enabled.
#[derive(Clone, Debug)]
pub struct Narration {
    pub session: Session,
    pub steps: Vec<NarratedStep>,
    pub not_enabled: Option<NotEnabled>,
}

impl Narration {
    pub fn program(&self) -> &Program {
        self.session.program()
    }

    pub fn initial(&self) -> State {
        self.program().initial()
    }

    /// The reads completed along the way, in order.
    pub fn reads(&self) -> impl Iterator<Item = &Judged> + '_ {
        self.steps.iter().filter_map(|step| step.read.as_ref())
    }
}

/// Replays `steps` on `scenario`, stopping at the first step that is not enabled.
pub fn narrate(scenario: Scenario, steps: &[Step]) -> Result<Narration, ScenarioError> {
    let mut session = Session::new(scenario)?;
    let mut narrated = Vec::with_capacity(steps.len());
    let mut not_enabled = None;
    for (index, &step) in steps.iter().enumerate() {
        let text = session.program().describe(session.state(), step);
        let source = sources::for_step(session.program(), session.state(), step).first().copied();
        match session.step(step) {
            Ok(read) => {
                narrated.push(NarratedStep { step, text, source, state: *session.state(), read })
            }
            Err(blocked) => {
                let program = session.program();
                not_enabled = Some(NotEnabled {
                    index,
                    step,
                    name: program.name(step),
                    reason: program.explain(blocked),
                });
                break;
            }
        }
    }
    Ok(Narration { session, steps: narrated, not_enabled })
}
