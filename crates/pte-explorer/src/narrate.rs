//! Replaying steps through a [`Session`] up to the first that is not
//! enabled, each told by the core ([`Session::narration`]): `check`
//! narrates witnesses with it and `replay` narrates trace files.

use pte_core::{Judged, NarratedStep, Program, Scenario, ScenarioError, Session, State, Step};

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
/// `form`: the compiled form the steps run in (0: as written).
pub fn narrate(
    scenario: Scenario,
    form: usize,
    steps: &[Step],
) -> Result<Narration, ScenarioError> {
    let mut session = Session::compiled(scenario, form)?;
    let mut not_enabled = None;
    for (index, &step) in steps.iter().enumerate() {
        if let Err(blocked) = session.step(step) {
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
    let steps = session.narration();
    Ok(Narration { session, steps, not_enabled })
}
