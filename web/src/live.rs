//! Live answers: after every scenario change the page explores the scenario
//! under its own model first, then under the other two of SC, x86-TSO and
//! weak, then, when it is small, its barrier matrix. This is the page's one
//! exploration pipeline: "Explore all" asks for no job of its own, it waits
//! for the answer under the scenario's model ([`Live::explore_first`]). The
//! answers of recent scenarios are kept, so undo brings them back without
//! exploring again, and what changed from the scenario shown before is
//! worked out from them.
//!
//! Pure state, held by the page's reducer (`state.rs`): the runner
//! (`runner.rs`) explores what [`Live::request`] names and reports back as
//! [`LiveAction`]s; [`Live::follow`] is told the scenario after every action.
//! This module knows neither of them.

use std::rc::Rc;

use pte_core::{
    Answer, BarrierMatrix, MatrixSearch, MemoryModel, Outcome, Pte, Report, Scenario,
    ScenarioError, Variant,
};

/// The cap on distinct states for an exploration in the browser (about
/// 100 MB at most).
pub const BROWSER_MAX_STATES: u32 = 1_000_000;
/// The cap on distinct states of each exploration ("Explore all"'s answer
/// is one of them).
pub const LIVE_MAX_STATES: u32 = BROWSER_MAX_STATES;
/// The matrix runs by itself after the three answers when none of their
/// explorations visited more states than this; beyond, it waits for a click.
pub const AUTO_MATRIX_STATES: u64 = 200_000;
/// How many scenarios' answers are kept.
pub const REMEMBERED: usize = 32;

/// Where the answers of one scenario stand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiveStatus {
    /// Exploring `variant` as request `request` (the states it visited so
    /// far are [`Live::states`], kept outside the answers).
    Exploring { request: u32, variant: Variant },
    /// The three answers are in; the scenario is big (or a limit was
    /// reached), so the matrix waits for the person to ask for it.
    MatrixOnRequest,
    /// The person stopped it.
    Cancelled,
    /// The runner could not explore; the message says why.
    Failed(String),
    /// The three answers and the whole matrix are known.
    Done,
}

/// Everything known about one scenario, under every model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answers {
    /// The scenario with its model set to SC: the answers do not depend on
    /// the scenario's own model.
    pub scenario: Scenario,
    pub search: MatrixSearch,
    /// The whole report of the scenario's barriers as given, per model in
    /// [`MemoryModel::ALL`] order.
    pub reports: Vec<Option<Rc<Report>>>,
    pub status: LiveStatus,
    /// The person asked for the matrix of a big scenario.
    matrix_wanted: bool,
    /// The model explored first: the scenario's own when it was first
    /// shown, or the one "Explore all" asked for since.
    first: MemoryModel,
}

/// How far a running exploration got (the runner's progress report).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobProgress {
    pub states: u64,
    pub transitions: u64,
    /// States found and not expanded yet.
    pub pending: u64,
}

/// The scenario whose answers stand for `scenario` (its model does not matter).
pub fn key(scenario: &Scenario) -> Scenario {
    Scenario { model: MemoryModel::default(), ..scenario.clone() }
}

impl Answers {
    /// The answers of `scenario`, to be explored under its own model first.
    fn new(scenario: &Scenario) -> Result<Answers, ScenarioError> {
        let first = scenario.model;
        let scenario = key(scenario);
        Ok(Answers {
            search: MatrixSearch::new(scenario.clone())?,
            scenario,
            reports: vec![None; MemoryModel::ALL.len()],
            status: LiveStatus::Done,
            matrix_wanted: false,
            first,
        })
    }

    /// The report of the scenario's barriers as given under `model`.
    pub fn report(&self, model: MemoryModel) -> Option<&Rc<Report>> {
        self.reports[model.index()].as_ref()
    }

    /// The answer of the scenario's barriers as given under `model`, as the
    /// matrix search stored it from that model's report.
    pub fn answer(&self, model: MemoryModel) -> Option<&Answer> {
        self.search.answer(self.search.as_is(model))
    }

    /// The matrix as far as it is known.
    pub fn matrix(&self) -> BarrierMatrix {
        self.search.matrix()
    }

    /// The scenario under `model` (what a replay of its answers loads).
    pub fn under(&self, model: MemoryModel) -> Scenario {
        Scenario { model, ..self.scenario.clone() }
    }

    /// Are the three answers in?
    pub fn answered(&self) -> bool {
        self.reports.iter().all(Option::is_some)
    }

    /// The most states any of the three explorations visited.
    pub fn largest(&self) -> u64 {
        self.reports.iter().flatten().map(|report| report.states).max().unwrap_or(0)
    }

    /// Is `model`'s answer (the scenario's barriers as given) being explored?
    pub fn exploring(&self, model: MemoryModel) -> bool {
        matches!(self.status, LiveStatus::Exploring { variant, .. } if variant == self.search.as_is(model))
    }

    /// The next variant to explore: the first model's, then the matrix
    /// search's order (the other models, then the barrier sites).
    fn next_variant(&mut self) -> Option<Variant> {
        let first = self.search.as_is(self.first);
        match self.report(self.first) {
            None => Some(first),
            Some(_) => self.search.next_variant(),
        }
    }

    /// Picks the next exploration, or settles where it stops.
    fn advance(&mut self, next_request: &mut u32) {
        self.status = match self.next_variant() {
            None => LiveStatus::Done,
            Some(_)
                if self.answered()
                    && !self.matrix_wanted
                    && (self.largest() > AUTO_MATRIX_STATES
                        || self.reports.iter().flatten().any(|report| !report.complete)) =>
            {
                LiveStatus::MatrixOnRequest
            }
            Some(variant) => {
                *next_request += 1;
                LiveStatus::Exploring { request: *next_request, variant }
            }
        };
    }

    fn record(&mut self, variant: Variant, report: Rc<Report>) {
        if let Some(model) =
            MemoryModel::ALL.into_iter().find(|model| self.search.as_is(*model) == variant)
        {
            self.reports[model.index()] = Some(report.clone());
        }
        self.search.record(variant, Answer::of(&report));
    }
}

/// What the runner and the person tell the live answers.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveAction {
    Progress {
        request: u32,
        progress: JobProgress,
    },
    Finished {
        request: u32,
        report: Rc<Report>,
    },
    Failed {
        request: u32,
        message: String,
    },
    /// Stop exploring the current scenario.
    Cancel,
    /// Go on after a cancel or a failure.
    Resume,
    /// Compute the matrix of a big scenario.
    ComputeMatrix,
}

/// The live answers of the scenario shown and of recent ones.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Live {
    /// Answers of recent scenarios, the one shown last.
    remembered: Vec<Rc<Answers>>,
    /// The key of the scenario shown, and of the one shown before it.
    shown: Option<Scenario>,
    before: Option<Scenario>,
    next_request: u32,
    /// The last progress report and its request. Kept out of the answers,
    /// so that a report copies none of them.
    progress: (u32, JobProgress),
}

impl Live {
    /// The answers of the scenario shown.
    pub fn current(&self) -> Option<&Rc<Answers>> {
        let shown = self.shown.as_ref()?;
        self.remembered.iter().rev().find(|answers| answers.scenario == *shown)
    }

    /// The answers of the scenario shown before the last change.
    pub fn previous(&self) -> Option<&Rc<Answers>> {
        let before = self.before.as_ref()?;
        self.remembered.iter().find(|answers| answers.scenario == *before)
    }

    /// The exploration wanted now: its request id and scenario.
    pub fn request(&self) -> Option<(u32, Scenario)> {
        let answers = self.current()?;
        match &answers.status {
            LiveStatus::Exploring { request, variant, .. } => {
                Some((*request, variant.scenario(&answers.scenario)))
            }
            _ => None,
        }
    }

    /// The states the exploration of the scenario shown visited so far (0
    /// before its first progress report).
    pub fn states(&self) -> u64 {
        self.progress().map_or(0, |progress| progress.states)
    }

    /// How far the exploration of the scenario shown got, once it reported.
    pub fn progress(&self) -> Option<JobProgress> {
        match self.exploring() {
            Some(request) if request == self.progress.0 => Some(self.progress.1),
            _ => None,
        }
    }

    /// "Explore all" wants the answer under `model` (the scenario's own):
    /// it is explored next, at once if another variant was being explored
    /// (its job is given up, and explored again later) or the exploring
    /// was stopped. Nothing changes when the answer is in or on its way.
    pub fn explore_first(&mut self, model: MemoryModel) {
        let mut next_request = self.next_request;
        if let Some(answers) = self.current_mut() {
            answers.first = model;
            if answers.report(model).is_none() && !answers.exploring(model) {
                answers.advance(&mut next_request);
            }
        }
        self.next_request = next_request;
    }

    /// Shows `scenario`'s answers: remembered ones at once (restarting an
    /// exploration a change interrupted), new ones from the first exploration.
    pub fn follow(&mut self, scenario: &Scenario) {
        let key = key(scenario);
        if self.shown.as_ref() == Some(&key) {
            return;
        }
        self.before = self.shown.replace(key.clone());
        let next_request = &mut self.next_request;
        match self.remembered.iter().position(|answers| answers.scenario == key) {
            Some(index) => {
                let mut answers = self.remembered.remove(index);
                if let LiveStatus::Exploring { variant, .. } = answers.status {
                    // Its job was cancelled when the page moved away.
                    *next_request += 1;
                    Rc::make_mut(&mut answers).status =
                        LiveStatus::Exploring { request: *next_request, variant };
                }
                self.remembered.push(answers);
            }
            None => {
                // The page only shows valid scenarios; an invalid one simply
                // gets no answers.
                let Ok(mut answers) = Answers::new(scenario) else { return };
                answers.advance(next_request);
                self.remembered.push(Rc::new(answers));
                if self.remembered.len() > REMEMBERED {
                    self.remembered.remove(0);
                }
            }
        }
    }

    fn current_mut(&mut self) -> Option<&mut Answers> {
        let shown = self.shown.as_ref()?;
        let answers =
            self.remembered.iter_mut().rev().find(|answers| answers.scenario == *shown)?;
        Some(Rc::make_mut(answers))
    }

    /// The request being explored for the scenario shown.
    fn exploring(&self) -> Option<u32> {
        match self.current()?.status {
            LiveStatus::Exploring { request, .. } => Some(request),
            _ => None,
        }
    }

    pub fn apply(&mut self, action: LiveAction) {
        let mut next_request = self.next_request;
        match action {
            LiveAction::Progress { request, progress } => {
                if self.exploring() == Some(request) {
                    self.progress = (request, progress);
                }
            }
            LiveAction::Finished { request, report } => {
                if self.exploring() == Some(request) {
                    if let Some(answers) = self.current_mut() {
                        if let LiveStatus::Exploring { variant, .. } = answers.status {
                            answers.record(variant, report);
                            answers.advance(&mut next_request);
                        }
                    }
                }
            }
            LiveAction::Failed { request, message } => {
                if self.exploring() == Some(request) {
                    if let Some(answers) = self.current_mut() {
                        answers.status = LiveStatus::Failed(message);
                    }
                }
            }
            LiveAction::Cancel => {
                if self.exploring().is_some() {
                    if let Some(answers) = self.current_mut() {
                        answers.status = LiveStatus::Cancelled;
                    }
                }
            }
            LiveAction::Resume => {
                if let Some(answers) = self.current_mut() {
                    if matches!(answers.status, LiveStatus::Cancelled | LiveStatus::Failed(_)) {
                        answers.status = LiveStatus::Done;
                        answers.advance(&mut next_request);
                    }
                }
            }
            LiveAction::ComputeMatrix => {
                if let Some(answers) = self.current_mut() {
                    answers.matrix_wanted = true;
                    if answers.status == LiveStatus::MatrixOnRequest {
                        answers.advance(&mut next_request);
                    }
                }
            }
        }
        self.next_request = next_request;
    }

    /// What the last scenario change did to the read results, model by
    /// model, once both scenarios' answers are complete under some model.
    pub fn changes(&self) -> Option<Changes> {
        let (before, now) = (self.previous()?, self.current()?);
        let mut changes = Changes { items: Vec::new(), compared: Vec::new() };
        for model in MemoryModel::ALL {
            let (Some(old), Some(new)) = (before.report(model), now.report(model)) else {
                continue;
            };
            if !old.complete || !new.complete {
                continue;
            }
            changes.compared.push(model);
            let key = |outcome: &Outcome| (outcome.value, outcome.returned);
            for (appeared, from, to, answers) in [(true, new, old, now), (false, old, new, before)]
            {
                for outcome in &from.outcomes {
                    if !to.outcomes.iter().any(|other| key(other) == key(outcome)) {
                        changes.items.push(Change {
                            model,
                            appeared,
                            outcome: outcome.clone(),
                            scenario: answers.under(model),
                        });
                    }
                }
            }
        }
        (!changes.compared.is_empty()).then_some(changes)
    }
}

/// One read result that a scenario change made possible or impossible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub model: MemoryModel,
    /// True: new with the change; false: gone.
    pub appeared: bool,
    pub outcome: Outcome,
    /// The scenario the outcome belongs to (the new one, or for a gone one
    /// the old one), under `model`: its witness replays there.
    pub scenario: Scenario,
}

/// What a scenario change did, for the models both sides answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changes {
    /// New ones first, then gone ones, each by model.
    pub items: Vec<Change>,
    pub compared: Vec<MemoryModel>,
}

/// Under `model`, can a read of the scenario return (or, with `returned`
/// false, back off from) `value`? `Some(outcome)` when it can, with its
/// shortest witness; `None` when it cannot, as far as the answer is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Possible {
    Yes(Outcome),
    No,
    /// Not explored yet, or the search stopped at its limit without it.
    Unknown,
}

/// Under each model (in [`MemoryModel::ALL`] order), whether `value` is a
/// possible result.
pub fn possible_under(
    answers: &Answers,
    value: Pte,
    returned: bool,
) -> Vec<(MemoryModel, Possible)> {
    MemoryModel::ALL
        .into_iter()
        .map(|model| {
            let possible = match answers.report(model) {
                None => Possible::Unknown,
                Some(report) => match report
                    .outcomes
                    .iter()
                    .find(|outcome| outcome.value == value && outcome.returned == returned)
                {
                    Some(outcome) => Possible::Yes(outcome.clone()),
                    None if report.complete => Possible::No,
                    None => Possible::Unknown,
                },
            };
            (model, possible)
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use pte_core::{catalog, explore, Barrier, Torn};

    use super::*;

    /// Explores what the live answers ask for, as the runner would, until
    /// they stop asking; returns how many explorations that took.
    fn run_requests(live: &mut Live) -> u32 {
        let mut explorations = 0;
        while let Some((request, scenario)) = live.request() {
            let report = Rc::new(explore(scenario).unwrap());
            live.apply(LiveAction::Finished { request, report });
            explorations += 1;
            assert!(explorations < 1000, "the requests never end");
        }
        explorations
    }

    fn preset(id: &str) -> Scenario {
        catalog::find(id).unwrap().scenario()
    }

    fn progress(states: u64) -> JobProgress {
        JobProgress { states, transitions: 2 * states, pending: 1 }
    }

    #[test]
    fn the_scenario_s_own_model_is_explored_first() {
        let mut live = Live::default();
        let tso = Scenario { model: MemoryModel::Tso, ..preset("different-low") };
        live.follow(&tso);
        let (request, first) = live.request().unwrap();
        assert_eq!(first, tso, "the page's own scenario, under its own model");
        assert!(live.current().unwrap().exploring(MemoryModel::Tso));
        live.apply(LiveAction::Finished { request, report: Rc::new(explore(first).unwrap()) });
        let (_, second) = live.request().unwrap();
        assert_eq!(second.model, MemoryModel::Sc, "then the others in their order");
        run_requests(&mut live);
        assert!(live.current().unwrap().answered());
    }

    #[test]
    fn explore_all_puts_its_model_first() {
        let mut live = Live::default();
        live.follow(&preset("kernel"));
        let (sc, _) = live.request().unwrap();
        // The model changed (same answers) and Explore all asks for weak's.
        live.explore_first(MemoryModel::Weak);
        let (request, scenario) = live.request().unwrap();
        assert_ne!(request, sc, "the SC job is given up for now");
        assert_eq!(scenario.model, MemoryModel::Weak);
        live.explore_first(MemoryModel::Weak);
        assert_eq!(live.request().unwrap().0, request, "asked again: the same job");
        live.apply(LiveAction::Finished { request, report: Rc::new(explore(scenario).unwrap()) });
        assert_eq!(live.request().unwrap().1.model, MemoryModel::Sc, "SC's is explored again");
        // A stopped exploration starts again for it.
        live.apply(LiveAction::Cancel);
        live.explore_first(MemoryModel::Tso);
        assert_eq!(live.request().unwrap().1.model, MemoryModel::Tso);
        run_requests(&mut live);
        live.explore_first(MemoryModel::Tso);
        assert_eq!(live.request(), None, "answered: nothing to explore");
    }

    #[test]
    fn a_new_scenario_is_explored_under_every_model_then_its_matrix() {
        let mut live = Live::default();
        live.follow(&preset("kernel"));
        let (_, first) = live.request().expect("the first exploration is asked for at once");
        assert_eq!(first.model, MemoryModel::Sc);
        run_requests(&mut live);
        let answers = live.current().unwrap();
        assert_eq!(answers.status, LiveStatus::Done);
        for model in MemoryModel::ALL {
            assert_eq!(answers.report(model).unwrap().torn().word(), Torn::Never);
            let stored = answers.answer(model).expect("the search stored the report's answer");
            assert_eq!(*stored, Answer::of(answers.report(model).unwrap()));
        }
        assert!(answers.matrix().is_finished());
        assert_eq!(
            answers.matrix().never_needed(),
            [Barrier::ZapWmb2, Barrier::EstablishWmb2],
            "the kernel's matrix, as the core's tests derive it"
        );
    }

    #[test]
    fn the_scenario_s_own_model_does_not_matter() {
        let mut live = Live::default();
        live.follow(&preset("weak-no-rmb1"));
        run_requests(&mut live);
        let before = live.clone();
        live.follow(&Scenario { model: MemoryModel::Sc, ..preset("weak-no-rmb1") });
        assert_eq!(live, before, "same answers, nothing explored, nothing changed");
    }

    #[test]
    fn what_changed_lists_new_and_gone_results_with_their_scenarios() {
        let mut live = Live::default();
        let kernel = Scenario { model: MemoryModel::Weak, ..preset("different-low") };
        live.follow(&kernel);
        run_requests(&mut live);
        assert_eq!(live.changes(), None, "nothing shown before");

        let mut fewer = kernel.clone();
        fewer.barriers.set(Barrier::ReaderRmb1, false);
        live.follow(&fewer);
        assert_eq!(live.changes(), None, "not answered yet");
        run_requests(&mut live);
        let changes = live.changes().unwrap();
        assert_eq!(changes.compared, MemoryModel::ALL);
        // The catalog's weak-no-rmb1 row: P1:P0 and P1:Z appear. With the
        // compiler on (COMPILER.md) they appear under every model: without
        // the smp_rmb() the compiler may load high before low, which no
        // CPU order undoes; under SC and x86-TSO only a compiled form
        // returns them, under weak the CPU does it by itself.
        let new: Vec<(MemoryModel, Pte, bool)> = changes
            .items
            .iter()
            .filter(|change| change.appeared)
            .map(|change| (change.model, change.outcome.value, change.outcome.form != 0))
            .collect();
        let (z, p0) = (Pte(0x2067), Pte(0x0000_0001_0000_2067));
        assert_eq!(
            new,
            [
                (MemoryModel::Sc, z, true),
                (MemoryModel::Sc, p0, true),
                (MemoryModel::Tso, z, true),
                (MemoryModel::Tso, p0, true),
                (MemoryModel::Weak, z, false),
                (MemoryModel::Weak, p0, false),
            ]
        );
        assert!(changes.items.iter().all(|change| change.appeared), "nothing gone");
        for change in &changes.items {
            assert!(change.outcome.verdict.is_torn());
            let under = Scenario { model: change.model, ..key(&fewer) };
            assert_eq!(change.scenario, under);
            // The witness replays in the compiled form it was found in.
            let mut session =
                pte_core::Session::compiled(change.scenario.clone(), change.outcome.form).unwrap();
            session.replay(&change.outcome.witness).unwrap();
            assert_eq!(session.last_read().unwrap().read.value, change.outcome.value);
        }

        // Back to the kernel's barriers: the answers come back at once, and
        // the same results are now gone.
        live.follow(&kernel);
        assert_eq!(live.request(), None, "nothing to explore again");
        let changes = live.changes().unwrap();
        assert_eq!(changes.items.len(), 6);
        assert!(changes.items.iter().all(|change| !change.appeared));
        assert!(changes.items.iter().all(|change| change.scenario.barriers == fewer.barriers));

        // With READ_ONCE() loads the compiler keeps the reader's order: the
        // change makes them possible under weak only, the CPU's doing.
        let marked = Scenario { marked_reader: true, ..kernel.clone() };
        live.follow(&marked);
        run_requests(&mut live);
        live.follow(&Scenario { marked_reader: true, ..fewer.clone() });
        run_requests(&mut live);
        let new: Vec<(MemoryModel, Pte, usize)> = live
            .changes()
            .unwrap()
            .items
            .iter()
            .map(|change| (change.model, change.outcome.value, change.outcome.form))
            .collect();
        assert_eq!(new, [(MemoryModel::Weak, z, 0), (MemoryModel::Weak, p0, 0)]);
    }

    #[test]
    fn a_change_while_exploring_is_picked_up_again_later() {
        let mut live = Live::default();
        live.follow(&preset("kernel"));
        let (first, _) = live.request().unwrap();
        live.follow(&preset("mips-sh"));
        let (second, scenario) = live.request().unwrap();
        assert_ne!(first, second);
        // A late result of the old request is ignored.
        let report = Rc::new(explore(scenario.clone()).unwrap());
        live.apply(LiveAction::Finished { request: first, report: report.clone() });
        assert!(live.current().unwrap().report(MemoryModel::Sc).is_none());
        // Undo goes back to the kernel: its exploration starts again.
        live.follow(&preset("kernel"));
        let (again, scenario) = live.request().unwrap();
        assert!(again > second);
        assert_eq!(scenario, preset("kernel"));
    }

    #[test]
    fn cancel_resume_and_failures() {
        let mut live = Live::default();
        live.follow(&preset("kernel"));
        let (request, _) = live.request().unwrap();
        assert_eq!(live.states(), 0, "no report yet");
        let answers = live.current().unwrap().clone();
        live.apply(LiveAction::Progress { request, progress: progress(40) });
        assert!(matches!(live.current().unwrap().status, LiveStatus::Exploring { .. }));
        assert_eq!(live.states(), 40);
        assert!(
            Rc::ptr_eq(live.current().unwrap(), &answers),
            "a progress report copies no answers"
        );
        live.apply(LiveAction::Progress { request: request + 7, progress: progress(50) });
        assert_eq!(live.states(), 40, "another request's report is ignored");
        live.apply(LiveAction::Cancel);
        assert_eq!(live.current().unwrap().status, LiveStatus::Cancelled);
        assert_eq!(live.request(), None);
        live.apply(LiveAction::Resume);
        let (resumed, _) = live.request().unwrap();
        assert_ne!(resumed, request);
        live.apply(LiveAction::Failed { request: resumed, message: "no worker".to_owned() });
        assert_eq!(live.current().unwrap().status, LiveStatus::Failed("no worker".to_owned()));
        live.apply(LiveAction::Resume);
        assert!(live.request().is_some());
    }

    #[test]
    fn a_big_scenario_waits_for_a_click_before_its_matrix() {
        let mut live = Live::default();
        live.follow(&preset("kernel"));
        // Pretend the first three explorations were big.
        for _ in 0..3 {
            let (request, scenario) = live.request().unwrap();
            let mut report = explore(scenario).unwrap();
            report.states = AUTO_MATRIX_STATES + 1;
            live.apply(LiveAction::Finished { request, report: Rc::new(report) });
        }
        assert_eq!(live.current().unwrap().status, LiveStatus::MatrixOnRequest);
        assert_eq!(live.request(), None);
        live.apply(LiveAction::ComputeMatrix);
        assert!(run_requests(&mut live) > 0);
        assert_eq!(live.current().unwrap().status, LiveStatus::Done);
    }

    #[test]
    fn a_read_is_placed_under_the_models_that_can_return_it() {
        let mut live = Live::default();
        live.follow(&preset("weak-no-rmb1"));
        let answers = live.current().unwrap().clone();
        let torn = Pte(0x0000_0001_0000_2067);
        assert!(possible_under(&answers, torn, true).iter().all(|(_, p)| *p == Possible::Unknown));
        run_requests(&mut live);
        let answers = live.current().unwrap();
        // With the compiler on (COMPILER.md), a missing smp_rmb() lets the
        // compiler load high before low: SC and x86-TSO return the torn
        // value through a compiled form only, weak through the CPU.
        let possible = possible_under(answers, torn, true);
        for (index, (model, compiled)) in
            [(MemoryModel::Sc, true), (MemoryModel::Tso, true), (MemoryModel::Weak, false)]
                .into_iter()
                .enumerate()
        {
            assert!(
                matches!(&possible[index], (under, Possible::Yes(outcome))
                    if *under == model && outcome.value == torn && (outcome.form != 0) == compiled),
                "{model:?}: {:?}",
                possible[index]
            );
        }
        // Backed off is another result than returned.
        assert!(possible_under(answers, torn, false).iter().all(|(_, p)| *p == Possible::No));

        // With READ_ONCE() loads only the weak CPU reorders them.
        live.follow(&Scenario { marked_reader: true, ..preset("weak-no-rmb1") });
        run_requests(&mut live);
        let possible = possible_under(live.current().unwrap(), torn, true);
        assert_eq!(possible[0], (MemoryModel::Sc, Possible::No));
        assert_eq!(possible[1], (MemoryModel::Tso, Possible::No));
        assert!(
            matches!(&possible[2], (MemoryModel::Weak, Possible::Yes(outcome)) if outcome.value == torn)
        );
    }

    #[test]
    fn old_answers_are_forgotten_beyond_the_limit() {
        let mut live = Live::default();
        for present_bit in 0..(REMEMBERED as u8 + 2) {
            live.follow(&Scenario { present_bit, ..Scenario::kernel() });
        }
        assert_eq!(live.remembered.len(), REMEMBERED);
        assert!(live.current().is_some() && live.previous().is_some());
    }

    #[test]
    fn an_invalid_scenario_gets_no_answers() {
        let mut live = Live::default();
        live.follow(&Scenario { readers: 0, ..Scenario::kernel() });
        assert!(live.current().is_none());
        assert_eq!(live.request(), None);
    }
}
