//! The app's domain state and the user intents that change it: one pure
//! reducer. Effects (the address bar, the clipboard, the explorations) live
//! in `app.rs` and `runner.rs` and only dispatch [`Action`]s.

use std::rc::Rc;

use pte_core::tour::Solution;
use pte_core::{catalog, link, Edit, Judged, Report, Scenario, Session, Step};
use yew::Reducible;

use crate::browser::Start;
pub use crate::live::BROWSER_MAX_STATES;
use crate::live::{Live, LiveAction, LiveStatus};
use crate::tour::{OpenLesson, Tour, TourAction};

/// At most this many earlier sessions are kept for undo.
pub const MAX_HISTORY: usize = 100;

/// Everything the page shows that is not leaf-only visual state.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The scenario and the steps taken in it.
    pub session: Rc<Session>,
    /// Sessions replaced by a scenario change, a replay or a loaded link,
    /// newest last: undo at the start of a run brings the last one back.
    pub past: Vec<Rc<Session>>,
    /// Sessions undone that way, newest last, for redo.
    pub future: Vec<Rc<Session>>,
    /// The full explorer or the compact embed view, for the page's life.
    pub view: View,
    /// A message the page shows until it is dismissed or made stale.
    pub notice: Option<Notice>,
    /// "Explore all": the live answer under the scenario's own model,
    /// waited for and kept.
    pub exploration: Exploration,
    /// The scenario under every model and its barrier matrix, answered
    /// after every change (not in the embed view); see [`crate::live`].
    /// Explore all's answer is one of them.
    pub live: Live,
    /// The preset the person chose last (its id): a changed scenario keeps
    /// its name ([`crate::identity`]).
    pub chosen_preset: Option<&'static str>,
    /// Counts the replays loaded, so that the page scrolls the walk-through
    /// into view after each one (an effect keyed on it).
    pub replays: u32,
    /// The guided tour: the lesson open and the lessons done.
    pub tour: Tour,
    /// What the last Copy button did, said beside it.
    pub copied: Option<Copied>,
    /// Was the last scenario change an edit of the same scenario (an
    /// `Action::Edit`, a variant loaded from the live answers, or the undo
    /// or redo of one)? Only then does "What the last change did" compare
    /// the two: a preset, a link or a lesson chosen is a new scenario, not
    /// a change.
    pub last_change_is_an_edit: bool,
    /// The scenario shown came from a link made before the compiler was
    /// modelled (version 1 or 2, which decode with the compiler off): the
    /// page says "compiler not modelled (older link)" beside the switch
    /// while the compiler stays off. A preset, a lesson, a newer link or
    /// the switch itself clears it.
    pub compiler_from_older_link: bool,
    /// The pairs of scenarios (before, after) an edit went between, newest
    /// last (at most [`MAX_HISTORY`]): an undo or redo between them is an
    /// edit too. Shared, so that a step copies none of it.
    edits: Rc<Vec<(Scenario, Scenario)>>,
}

/// How the page is shown. Chosen by the address when the page opens
/// (`?embed=1`, `&view=graph`) and never changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The explorer: the editor, the stepper, Explore all, the live
    /// answers, the tour; undo brings back earlier scenarios.
    Full,
    /// The compact view for an iframe: it plays the link's trace and never
    /// changes it; `graph` shows the execution graph too.
    Embed { graph: bool },
}

impl View {
    /// The view a page opened with `start` shows.
    pub fn of(start: &Start) -> View {
        if start.embed {
            View::Embed { graph: start.graph }
        } else {
            View::Full
        }
    }

    /// Does this view take `action` at all? The embed view only moves the
    /// cursor along its trace, reads links, opens lessons and answers the
    /// clipboard: no step of the person's own, no edit, no exploration.
    pub fn accepts(self, action: &Action) -> bool {
        match self {
            View::Full => true,
            View::Embed { .. } => matches!(
                action,
                Action::Undo
                    | Action::Redo
                    | Action::StepForward
                    | Action::StepBack
                    | Action::Jump(_)
                    | Action::LoadLink(_)
                    | Action::DismissNotice
                    | Action::Tour(_)
                    | Action::Copied(_)
            ),
        }
    }
}

/// What a Copy button copied, and whether the clipboard took it (if not,
/// the text is selected for the person to copy by hand).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Copied {
    /// The permalink (Share).
    Link(bool),
    /// The embed snippet (Share).
    Snippet(bool),
    /// The litmus test.
    Litmus(bool),
    /// The trace as plain text for an email (Share).
    Mail(bool),
}

/// Something that went wrong and the person should read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The permalink could not be read; the page shows the default scenario.
    BrokenLink(String),
    /// The permalink's scenario loaded but a step of its trace did not.
    ReplayStopped(String),
    /// A number key ran nothing: why (no line has that number, or its line
    /// is blocked, or it would cut the loaded trace). Cleared by the next
    /// intent.
    KeyRunsNothing(String),
    /// The core refused a change of the scenario (a present Z, say): why,
    /// so that a value typed into the editor is never dropped in silence.
    /// Cleared by the next intent.
    EditRefused(String),
}

impl Notice {
    pub fn message(&self) -> &str {
        match self {
            Notice::BrokenLink(message)
            | Notice::ReplayStopped(message)
            | Notice::KeyRunsNothing(message)
            | Notice::EditRefused(message) => message,
        }
    }

    /// Is it about the page's link (shown as an alert at the top)?
    pub fn is_about_the_link(&self) -> bool {
        matches!(self, Notice::BrokenLink(_) | Notice::ReplayStopped(_))
    }
}

/// Where a trace ends: what the reads completed in its final state return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceEnd {
    /// No reader completes a read.
    NoRead,
    /// Every completed read is allowed; this is the last one.
    Allowed(Judged),
    /// A completed read is torn; this is the first such read.
    Torn(Judged),
}

/// Where "Explore all" stands. It runs no job of its own: it waits for the
/// live answer under the scenario's model ([`Live::explore_first`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Exploration {
    Idle,
    Running {
        states: u64,
        transitions: u64,
        pending: u64,
    },
    Cancelled {
        states: u64,
        transitions: u64,
    },
    /// The runner could not explore; the message says why.
    Failed {
        message: String,
    },
    /// `limit` is the state cap when the search stopped at it.
    Finished {
        report: Rc<Report>,
        limit: Option<u32>,
    },
}

/// A user intent.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Take this step (ignored when it is not enabled).
    Step(Step),
    /// Take the step on the line numbered n (1-based; see
    /// [`crate::numbers`]); when it cannot run, say why in a notice.
    StepNumber(usize),
    Undo,
    Redo,
    /// Walk the trace: show the state after one step more (the redo tail
    /// is the rest of a replayed trace) or one less; never a scenario undo.
    StepForward,
    StepBack,
    /// Show the state after this many steps of the run.
    Jump(usize),
    ChoosePreset(String),
    /// A change to the scenario (the core checks it; a refused one changes
    /// nothing).
    Edit(Edit),
    /// Load a permalink (the fragment, without `#`).
    LoadLink(String),
    /// Replay the shortest trace to outcome `index` of the finished exploration.
    ReplayOutcome(usize),
    DismissNotice,
    /// Explore all: the answer under the scenario's model, explored first.
    StartExploration,
    /// Stop waiting for it (the live answers go on).
    CancelExploration,
    /// The live answers: a runner's report (Explore all's included), or
    /// the person's cancel, resume or request for the matrix.
    Live(LiveAction),
    /// Load this scenario, compiled in its form `form` (a witness's
    /// [`pte_core::Outcome::form`]; 0: the code as written), and replay
    /// these steps in it (a live answer's, a matrix cell's or a change's
    /// trace); undo brings the old one back.
    LoadVariant {
        scenario: Scenario,
        form: usize,
        steps: Vec<Step>,
    },
    /// The guided tour: open a lesson, a hint, Show me, close, reset.
    Tour(TourAction),
    /// The clipboard's answer to a Copy button.
    Copied(Copied),
}

impl Default for AppState {
    fn default() -> Self {
        let mut state = AppState::with_session(session_for(Scenario::kernel()), View::Full);
        state.follow_live();
        state
    }
}

impl AppState {
    /// The state showing `session`, before the live answers follow it.
    fn with_session(session: Session, view: View) -> AppState {
        AppState {
            session: Rc::new(session),
            past: Vec::new(),
            future: Vec::new(),
            view,
            notice: None,
            exploration: Exploration::Idle,
            live: Live::default(),
            chosen_preset: None,
            replays: 0,
            tour: Tour::default(),
            copied: None,
            last_change_is_an_edit: false,
            compiler_from_older_link: false,
            edits: Rc::default(),
        }
    }

    /// The same state with the lessons done that the browser kept (see
    /// [`Tour::progress_text`]).
    pub fn with_progress(mut self, progress: &str) -> AppState {
        self.tour.done = Tour::with_progress(progress).done;
        self
    }

    /// The live answers follow the scenario shown (in the full page only):
    /// once a state is built, and at the end of every [`AppState::apply`].
    fn follow_live(&mut self) {
        if self.view == View::Full {
            self.live.follow(self.session.scenario());
        }
    }

    /// Explore all follows the live answer under the scenario's model: its
    /// progress, its report, its failure or the person's stop.
    fn follow_exploration(&mut self) {
        let Exploration::Running { states, transitions, .. } = self.exploration else { return };
        let model = self.session.scenario().model;
        let Some(answers) = self.live.current() else { return };
        self.exploration = match (answers.report(model), &answers.status) {
            (Some(report), _) => Exploration::Finished {
                report: report.clone(),
                limit: (!report.complete).then_some(BROWSER_MAX_STATES),
            },
            (None, LiveStatus::Failed(message)) => Exploration::Failed { message: message.clone() },
            (None, LiveStatus::Cancelled) => Exploration::Cancelled { states, transitions },
            (None, _) => match self.live.progress().filter(|_| answers.exploring(model)) {
                Some(progress) => Exploration::Running {
                    states: progress.states,
                    transitions: progress.transitions,
                    pending: progress.pending,
                },
                None => return,
            },
        };
    }

    /// The state a page opened with `start` shows: the permalink's scenario
    /// and trace, or the kernel protocol (with a message if the link was bad).
    pub fn from_start(start: &Start) -> AppState {
        // The live answers follow only the scenario shown first: the
        // kernel protocol a link replaces is no change of the person's.
        let mut state = AppState::with_session(session_for(Scenario::kernel()), View::of(start));
        if !start.fragment.trim().is_empty() {
            state.load_link(&start.fragment, false);
        }
        state.follow_live();
        state
    }

    /// The permalink of what the page shows: the scenario and the whole
    /// trace, wherever the cursor is (a link opens at the trace's start, to
    /// walk through it; steps undone stay in it until a new step cuts them).
    /// With a lesson open it starts `lesson=N`, and is only that while the
    /// lesson's scenario is shown as written with no step taken. A trace
    /// that runs in a compiled form carries it (`form=N`).
    pub fn permalink(&self) -> String {
        let (scenario, steps) = (self.session.scenario(), self.session.all_steps());
        let form = self.session.program().form_index();
        let shown = link::encode_compiled(scenario, form, steps);
        match &self.tour.open {
            Some(open)
                if steps.is_empty() && form == 0 && *scenario == open.lesson().scenario() =>
            {
                link::encode_lesson(open.number, None)
            }
            Some(open) => format!("{}&{shown}", link::encode_lesson(open.number, None)),
            None => shown,
        }
    }

    /// The finished exploration's report (of the scenario shown), if any.
    pub fn finished_report(&self) -> Option<&Report> {
        match &self.exploration {
            Exploration::Finished { report, .. } => Some(report),
            _ => None,
        }
    }

    /// True while a lesson is open and its goal not met yet: the answers
    /// under every model and the barrier matrix would give the lesson away
    /// (a torn trace one click from the strip, "never" before the student
    /// tried), so the page neither shows nor explores them until then.
    pub fn answers_hidden(&self) -> bool {
        self.tour.open.is_some_and(|open| !open.met)
    }

    pub fn can_undo(&self) -> bool {
        self.session.can_undo() || !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        self.session.can_redo() || !self.future.is_empty()
    }

    /// True when undo would bring back an earlier scenario (or run).
    pub fn undo_restores_session(&self) -> bool {
        !self.session.can_undo() && !self.past.is_empty()
    }

    /// Where the whole trace (up to its last step, wherever the cursor is)
    /// ends, by the core's verdicts of the reads completed in its final state.
    pub fn trace_end(&self) -> TraceEnd {
        let mut end = Session::clone(&self.session);
        end.jump(end.all_steps().len());
        let reads: Vec<Judged> = end.completed_reads().copied().collect();
        match reads.iter().find(|judged| judged.returned_torn()) {
            Some(torn) => TraceEnd::Torn(*torn),
            None => reads.last().map_or(TraceEnd::NoRead, |last| TraceEnd::Allowed(*last)),
        }
    }

    /// The lines that can run next with their numbers (keys 1–9), lowest
    /// first; a number stays on its line while the line is offered.
    pub fn numbered_steps(&self) -> Vec<(Step, usize)> {
        crate::numbers::line_numbers(self.session.program(), self.session.trace())
    }

    /// The scenario's name: its preset, with what was changed.
    pub fn identity(&self) -> crate::identity::Identity {
        crate::identity::identify(self.session.scenario(), self.chosen_preset)
    }

    /// What the last scenario change did to the read results, when it was
    /// an edit of the same scenario ([`AppState::last_change_is_an_edit`]).
    pub fn last_change(&self) -> Option<crate::live::Changes> {
        self.last_change_is_an_edit.then(|| self.live.changes()).flatten()
    }

    /// With a lesson open: what differs from the lesson's scenario, when the
    /// scenario shown can no longer meet the lesson's goal (a lesson that
    /// asks for a barrier switched off accepts that change). `None` when it
    /// still fits.
    pub fn lesson_scenario_changes(&self) -> Option<Vec<String>> {
        let lesson = self.tour.open?.lesson();
        let (start, now) = (lesson.scenario(), self.session.scenario());
        let fits = match lesson.goal {
            pte_core::tour::Goal::Read(_) => *now == start,
            pte_core::tour::Goal::Explore { change, .. } => {
                *now == start || change.made(&start, now)
            }
        };
        (!fits).then(|| crate::identity::changes(&start, now))
    }

    /// The outcome of the finished exploration whose shortest trace the
    /// session holds, if any: the row being replayed.
    pub fn replayed_outcome(&self) -> Option<usize> {
        let Exploration::Finished { report, .. } = &self.exploration else { return None };
        let steps = self.session.all_steps();
        if steps.is_empty() {
            return None;
        }
        let form = self.session.program().form_index();
        report.outcomes.iter().position(|outcome| outcome.witness == steps && outcome.form == form)
    }

    fn session_mut(&mut self) -> &mut Session {
        Rc::make_mut(&mut self.session)
    }

    /// Replaces the session, keeping the old one for undo (in the full
    /// page: the embed view's undo only walks its trace), and forgets any
    /// exploration of the old scenario.
    fn replace_session(&mut self, session: Session) {
        let old = self.show_session(Rc::new(session));
        if self.view == View::Full {
            self.past.push(old);
            if self.past.len() > MAX_HISTORY {
                self.past.remove(0);
            }
            self.future.clear();
        }
    }

    /// Shows a session a link opened: undoably when the page showed one
    /// before (`keep_old`), else as the page's first.
    fn open_session(&mut self, session: Session, keep_old: bool) {
        if keep_old {
            self.replace_session(session);
        } else {
            self.session = Rc::new(session);
            self.reset_exploration();
        }
    }

    fn reset_exploration(&mut self) {
        self.exploration = Exploration::Idle;
    }

    /// Applies an edit to a copy of the scenario; a change starts a new run,
    /// in the compiled form shown when the new scenario still has it (the
    /// compiler may still produce it: [`pte_core::Program::with_form`]),
    /// else in the code as written.
    fn change_scenario(&mut self, edit: Edit) {
        let mut scenario = self.session.scenario().clone();
        // The core refuses an edit that does not fit: nothing changes, and
        // the page says why.
        if let Err(error) = scenario.edit(edit) {
            self.notice = Some(Notice::EditRefused(format!("That change was not made: {error}.")));
            return;
        }
        if scenario == *self.session.scenario() {
            return;
        }
        let program = self.session.program();
        if program.form_index() != 0 {
            if let Ok(program) = pte_core::Program::with_form(scenario.clone(), program.form()) {
                self.replace_session(Session::from_program(program));
                self.notice = None;
                return;
            }
        }
        self.load_scenario(scenario);
    }

    /// Shows `scenario` from its start, keeping the old session for undo.
    fn load_scenario(&mut self, scenario: Scenario) {
        if let Ok(session) = Session::new(scenario) {
            self.replace_session(session);
            self.notice = None;
        }
    }

    fn load_link(&mut self, fragment: &str, keep_old: bool) {
        match link::lesson(fragment, pte_core::tour::lessons().len()) {
            None => self.tour.open = None,
            Some(Ok(number)) if !link::has_scenario(fragment) => {
                return self.open_lesson(number, keep_old);
            }
            Some(Ok(number)) => self.tour.open = Some(OpenLesson::new(number)),
            Some(Err(error)) => {
                // Say so, and unfold the list of lessons to pick from.
                let shown = if keep_old { "the page is unchanged" } else { "pick one below" };
                self.notice = Some(Notice::BrokenLink(format!(
                    "This lesson link could not be read: {error}; {shown}."
                )));
                self.tour.list_open = true;
                return;
            }
        }
        match link::decode(fragment) {
            Ok(link) => {
                self.compiler_from_older_link =
                    !link.scenario.compiler && made_before_the_compiler(fragment);
                // The link's trace runs in the compiled form it names.
                let mut session = Session::compiled(link.scenario.clone(), link.form)
                    .unwrap_or_else(|_| session_for(link.scenario));
                let replayed = session.replay(&link.steps);
                // A linked trace opens at its start, to walk through.
                session.jump(0);
                self.open_session(session, keep_old);
                // Someone else's scenario: named after the preset it is nearest.
                self.chosen_preset = None;
                self.notice = replayed.err().map(|error| {
                    Notice::ReplayStopped(format!(
                        "The link's trace stops early: {error}. The steps before it are shown."
                    ))
                });
            }
            Err(error) => {
                // The page keeps what it showed: at start, the kernel protocol.
                let shown = if keep_old {
                    "the page is unchanged"
                } else {
                    "showing the kernel protocol instead"
                };
                self.notice = Some(Notice::BrokenLink(format!(
                    "This link could not be read: {error}; {shown}."
                )));
            }
        }
    }

    /// Opens lesson `number` at its start (in the embed view: with its
    /// solution's trace to play, when it has one).
    fn open_lesson(&mut self, number: usize, keep_old: bool) {
        let Some(lesson) = pte_core::tour::lesson(number) else { return };
        let mut session = session_for(lesson.scenario());
        if let (View::Embed { .. }, Solution::Steps(ids)) = (self.view, lesson.solution) {
            if let Ok(steps) = pte_core::parse_steps(ids.iter().copied()) {
                let _ = session.replay(&steps);
                session.jump(0);
            }
        }
        self.open_session(session, keep_old);
        // An earlier exploration of the same scenario is not the lesson's answer.
        self.reset_exploration();
        self.chosen_preset = Some(lesson.preset());
        self.notice = None;
        self.tour.apply(TourAction::Open(number));
    }

    /// Show me: the open lesson's stored solution through the stepper (its
    /// steps loaded at their start, to walk), or its change and an exploration.
    fn show_me(&mut self) {
        let Some(open) = self.tour.open else { return };
        let lesson = open.lesson();
        match lesson.solution {
            Solution::Steps(ids) => {
                let Ok(steps) = pte_core::parse_steps(ids.iter().copied()) else { return };
                let mut session = session_for(lesson.scenario());
                if session.replay(&steps).is_ok() {
                    session.jump(0);
                    self.replace_session(session);
                    self.replays += 1;
                    self.notice = None;
                }
            }
            Solution::Explore { .. } => {
                // The embed view has no results to show it in.
                if self.view != View::Full {
                    return;
                }
                let scenario = lesson.solution_scenario();
                if *self.session.scenario() != scenario {
                    self.replace_session(session_for(scenario));
                }
                self.notice = None;
                self.start_exploration();
            }
        }
    }

    /// Notes whether the change of scenario from `before` was an edit:
    /// `edit` says so for an edit, a preset, a link or a lesson; an undo,
    /// redo or Show me is one when it goes between the two scenarios of an
    /// edit.
    fn note_change(&mut self, before: &Scenario, edit: Option<bool>) {
        let now = self.session.scenario();
        self.last_change_is_an_edit = edit.unwrap_or_else(|| {
            self.edits
                .iter()
                .any(|(from, to)| (from == before && to == now) || (from == now && to == before))
        });
        if edit == Some(true) {
            let edits = Rc::make_mut(&mut self.edits);
            edits.push((before.clone(), now.clone()));
            if edits.len() > MAX_HISTORY {
                edits.remove(0);
            }
        }
    }

    /// Puts the open lesson's own scenario back (undoably), at its start.
    fn restore_lesson_scenario(&mut self) {
        let Some(open) = self.tour.open else { return };
        if self.view == View::Full && self.lesson_scenario_changes().is_some() {
            self.replace_session(session_for(open.lesson().scenario()));
            self.chosen_preset = Some(open.lesson().preset());
            self.notice = None;
        }
    }

    /// Explore all: waits for the live answer under the scenario's model,
    /// which the live answers explore first (or have already).
    fn start_exploration(&mut self) {
        if !matches!(self.exploration, Exploration::Running { .. }) {
            self.exploration = Exploration::Running { states: 1, transitions: 0, pending: 1 };
            self.follow_live();
            self.live.explore_first(self.session.scenario().model);
        }
    }

    /// Marks the open lesson done when the core says its goal is met.
    fn check_lesson(&mut self) {
        let Some(open) = self.tour.open else { return };
        if !open.met && open.lesson().met(&self.session, self.finished_report()) {
            self.tour.complete_open_lesson();
        }
    }

    fn step(&mut self, step: Step) {
        if self.session.program().check(self.session.state(), step).is_ok() {
            // Checked just above, so the step cannot be refused.
            let _ = self.session_mut().step(step);
            self.future.clear();
        }
    }

    /// Shows `session` instead of the current one, which it returns; a
    /// different scenario forgets the exploration.
    fn show_session(&mut self, session: Rc<Session>) -> Rc<Session> {
        let current = std::mem::replace(&mut self.session, session);
        if current.scenario() != self.session.scenario() {
            self.reset_exploration();
        }
        current
    }

    fn undo(&mut self) {
        if self.session.can_undo() {
            self.session_mut().undo();
        } else if let Some(previous) = self.past.pop() {
            let current = self.show_session(previous);
            self.future.push(current);
        }
    }

    fn redo(&mut self) {
        if self.session.can_redo() {
            self.session_mut().redo();
        } else if let Some(next) = self.future.pop() {
            let current = self.show_session(next);
            self.past.push(current);
        }
    }

    fn replay_outcome(&mut self, index: usize) {
        let Exploration::Finished { report, .. } = &self.exploration else { return };
        let Some(outcome) = report.outcomes.get(index) else { return };
        let (form, witness) = (outcome.form, outcome.witness.clone());
        // Same scenario, so the exploration's results stay; the witness
        // runs in the compiled form it was found in.
        let Ok(session) = Session::compiled(self.session.scenario().clone(), form) else { return };
        self.show_replay(session, &witness);
    }

    /// Loads `scenario` compiled in its form `form` with `steps` replayed,
    /// keeping the old session for undo. It is named after the preset the
    /// page showed, with what differs from that preset (not from the
    /// scenario shown before).
    fn load_variant(&mut self, scenario: Scenario, form: usize, steps: &[Step]) {
        let Ok(session) = Session::compiled(scenario, form) else { return };
        let preset = self.identity().preset.id;
        self.show_replay(session, steps);
        self.chosen_preset = Some(preset);
    }

    /// Shows `session` with `steps` replayed in it, keeping the old session
    /// for undo. Every loaded trace (a link, Replay, the live strip, a
    /// matrix cell, a change's Replay, Show me) opens at its start, to walk
    /// through, while the walk-through bar says where it ends
    /// ([`AppState::trace_end`]); it is counted in `replays`, so the page
    /// scrolls to it. A step that does not replay leaves the page as it
    /// was and says so.
    fn show_replay(&mut self, mut session: Session, steps: &[Step]) {
        match session.replay(steps) {
            Ok(()) => {
                session.jump(0);
                self.replays += 1;
                self.replace_session(session);
                self.notice = None;
            }
            Err(error) => {
                self.notice = Some(Notice::ReplayStopped(format!("The replay stopped: {error}")));
            }
        }
    }

    /// A number key: runs the line with that number, or says why not. With
    /// a loaded trace ahead of the cursor it never cuts the trace: the key
    /// of the trace's next step steps the trace, another key says what it
    /// would cut and what to press instead.
    fn step_number(&mut self, number: usize) {
        let numbered = self.numbered_steps();
        let program = self.session.program();
        let ahead = self.session.all_steps().get(self.session.cursor()).copied();
        let reason = match numbered.iter().find(|(_, on_line)| *on_line == number) {
            Some((step, _)) if ahead == Some(*step) => {
                self.session_mut().redo();
                return;
            }
            Some((step, _)) if ahead.is_some() => {
                let rest = self.session.all_steps().len() - self.session.cursor();
                let next = ahead.map(|next| program.name(next)).unwrap_or_default();
                let press = numbered
                    .iter()
                    .find(|(step, _)| Some(*step) == ahead)
                    .map_or("→".to_owned(), |(_, n)| format!("→ or {n}"));
                format!(
                    "{} is not the trace's next step ({next}); running it would cut the \
                     {rest} step{} left of the loaded trace. Press {press} to step the \
                     trace, or click the line to leave the trace",
                    program.name(*step),
                    if rest == 1 { "" } else { "s" },
                )
            }
            Some((step, _)) => match program.check(self.session.state(), *step) {
                Ok(()) => return self.step(*step),
                Err(blocked) => {
                    format!("{} cannot run yet: {}", program.name(*step), program.explain(blocked))
                }
            },
            None if numbered.is_empty() => "every thread has finished".to_owned(),
            None => {
                let numbers: Vec<String> = numbered.iter().map(|(_, n)| n.to_string()).collect();
                format!(
                    "no line that can run next has this number (the numbers now: {})",
                    numbers.join(", ")
                )
            }
        };
        self.notice = Some(Notice::KeyRunsNothing(format!("Key {number} runs nothing: {reason}.")));
    }

    /// The reducer's body: changes `self` in place.
    pub fn apply(&mut self, action: Action) {
        // The embed view plays the link's fixed trace: a step of the
        // person's own would cut it off after the cursor, an edit or an
        // exploration has no place there.
        if !self.view.accepts(&action) {
            return;
        }
        // A key's notice answers that key press only.
        // Reports of explorations and the clipboard's answers arrive at
        // any time: they leave a key's notice in place.
        let background = matches!(action, Action::Live(_) | Action::Copied(_));
        if !background
            && matches!(self.notice, Some(Notice::KeyRunsNothing(_) | Notice::EditRefused(_)))
        {
            self.notice = None;
        }
        let before = self.session.clone();
        let edit = match &action {
            Action::Edit(_) | Action::LoadVariant { .. } => Some(true),
            Action::ChoosePreset(_)
            | Action::LoadLink(_)
            | Action::Tour(TourAction::Open(_))
            | Action::Tour(TourAction::RestoreScenario) => Some(false),
            _ => None,
        };
        match action {
            Action::Step(step) => self.step(step),
            Action::StepNumber(number) => self.step_number(number),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::StepForward => {
                self.session_mut().redo();
            }
            Action::StepBack => {
                self.session_mut().undo();
            }
            Action::Jump(count) => {
                if count != self.session.cursor() && count <= self.session.all_steps().len() {
                    self.session_mut().jump(count);
                }
            }
            Action::ChoosePreset(id) => {
                self.compiler_from_older_link = false;
                if let Some(preset) = catalog::find(&id) {
                    if preset.scenario() != *self.session.scenario() {
                        self.load_scenario(preset.scenario());
                    }
                    self.chosen_preset = Some(preset.id);
                }
            }
            Action::Edit(edit) => {
                if matches!(edit, Edit::Compiler(_)) {
                    self.compiler_from_older_link = false;
                }
                self.change_scenario(edit)
            }
            Action::LoadLink(fragment) => {
                let fragment = fragment.trim_start_matches('#').to_owned();
                if fragment != self.permalink() {
                    self.load_link(&fragment, true);
                }
            }
            Action::ReplayOutcome(index) => self.replay_outcome(index),
            Action::DismissNotice => self.notice = None,
            Action::Copied(copied) => self.copied = Some(copied),
            Action::StartExploration => self.start_exploration(),
            Action::CancelExploration => {
                if let Exploration::Running { states, transitions, .. } = self.exploration {
                    self.exploration = Exploration::Cancelled { states, transitions };
                }
            }
            Action::Live(action) => self.live.apply(action),
            Action::LoadVariant { scenario, form, steps } => {
                self.load_variant(scenario, form, &steps)
            }
            Action::Tour(TourAction::Open(number)) => {
                self.compiler_from_older_link = false;
                self.open_lesson(number, true)
            }
            Action::Tour(TourAction::ShowMe) => self.show_me(),
            Action::Tour(TourAction::RestoreScenario) => self.restore_lesson_scenario(),
            Action::Tour(action) => self.tour.apply(action),
        }
        if before.scenario() != self.session.scenario() {
            self.note_change(before.scenario(), edit);
        }
        self.follow_live();
        self.follow_exploration();
        self.check_lesson();
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

/// Was this (decoded) link made before the compiler was modelled? A link of
/// version 3 always says `cc=`; one of version 1 or 2 never does.
fn made_before_the_compiler(fragment: &str) -> bool {
    !fragment.split('&').any(|pair| pair.split('=').next() == Some("cc"))
}

/// A session for a scenario the core built or validated.
fn session_for(scenario: Scenario) -> Session {
    Session::new(scenario)
        .unwrap_or_else(|_| Session::new(Scenario::kernel()).expect("the kernel scenario is valid"))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use pte_core::{
        Barrier, Barriers, FlushMode, MemoryModel, Pte, ReaderAction, ReaderKind, Register,
        ValueSlot, Verdict, WriterOp,
    };

    use super::*;

    fn reader(action: ReaderAction) -> Step {
        Step::Reader { reader: 0, action }
    }

    fn load(register: Register) -> Step {
        reader(ReaderAction::Load(register))
    }

    /// The same-low-none tear: interrupts off, P0's low, the zap, the zeroed
    /// high, P1's establish, low again (P1's, the same as P0's), the check.
    fn same_low_tear() -> [Step; 9] {
        [
            reader(ReaderAction::IrqOff),
            load(Register::R0),
            Step::Writer(0),
            Step::Writer(1),
            load(Register::R1),
            Step::Writer(2),
            Step::Writer(3),
            load(Register::R2),
            reader(ReaderAction::Check),
        ]
    }

    #[track_caller]
    fn run(state: &mut AppState, actions: impl IntoIterator<Item = Action>) {
        for action in actions {
            state.apply(action);
        }
    }

    #[test]
    fn stepping_the_kernel_protocol_ends_in_an_allowed_read() {
        let mut state = AppState::default();
        run(
            &mut state,
            [
                Action::Step(reader(ReaderAction::IrqOff)),
                Action::Step(load(Register::R0)),
                Action::Step(load(Register::R1)),
                Action::Step(load(Register::R2)),
                Action::Step(reader(ReaderAction::Check)),
            ],
        );
        let read = state.session.last_read().expect("the check completed a read");
        assert_eq!(read.verdict, Verdict::PreZap);
        assert_eq!(state.session.cursor(), 5);
    }

    #[test]
    fn the_live_answers_follow_the_scenario_after_every_apply() {
        let shown = |state: &AppState| state.live.current().map(|answers| answers.scenario.clone());
        let mut state = AppState::default();
        assert_eq!(shown(&state), Some(crate::live::key(&Scenario::kernel())));
        state.apply(Action::Edit(Edit::Barrier { barrier: Barrier::ReaderRmb1, on: false }));
        assert_eq!(shown(&state), Some(crate::live::key(state.session.scenario())));
        assert!(state.live.previous().is_some(), "the kernel protocol was shown before");

        // A page opened on a link follows its scenario only: the kernel
        // protocol it replaced was never shown.
        let other = catalog::find("mips-sh").unwrap().scenario();
        let start = Start { fragment: link::encode(&other, &[]), embed: false, graph: false };
        let state = AppState::from_start(&start);
        assert_eq!(shown(&state), Some(crate::live::key(&other)));
        assert_eq!(state.live.previous(), None);
        assert_eq!(state.live.request().map(|(request, _)| request), Some(1));

        // The embed view has no live answers, before or after an action.
        let mut state = AppState::from_start(&Start { embed: true, ..start });
        assert_eq!(state.live, Live::default());
        state.apply(Action::Redo);
        assert_eq!(state.live, Live::default());
    }

    #[test]
    fn a_step_that_is_not_enabled_changes_nothing() {
        let mut state = AppState::default();
        let before = state.clone();
        state.apply(Action::Step(load(Register::R0)));
        assert_eq!(state, before);
    }

    #[test]
    fn number_keys_run_the_numbered_line_or_say_why_not() {
        let mut state = AppState::default();
        assert_eq!(
            state.numbered_steps(),
            [(Step::Writer(0), 1), (reader(ReaderAction::IrqOff), 2)]
        );
        state.apply(Action::StepNumber(2));
        assert_eq!(state.session.trace(), [reader(ReaderAction::IrqOff)]);
        assert_eq!(state.notice, None);

        state.apply(Action::StepNumber(9));
        assert_eq!(state.session.cursor(), 1, "no line numbered 9: nothing runs");
        let Some(Notice::KeyRunsNothing(message)) = &state.notice else {
            panic!("expected a key notice, got {:?}", state.notice)
        };
        assert_eq!(
            message,
            "Key 9 runs nothing: no line that can run next has this number (the numbers now: 1, 2)."
        );
        assert!(!state.notice.as_ref().unwrap().is_about_the_link());
        // A live answer's progress arriving meanwhile leaves the notice.
        let progress = crate::live::JobProgress { states: 1, transitions: 1, pending: 1 };
        state.apply(Action::Live(LiveAction::Progress { request: 0, progress }));
        assert!(matches!(state.notice, Some(Notice::KeyRunsNothing(_))));

        // Background progress keeps the notice; the next intent clears it.
        state.apply(Action::Live(LiveAction::Progress { request: 1, progress }));
        assert!(state.notice.is_some());
        state.apply(Action::StepNumber(1));
        assert_eq!(state.notice, None);
        assert_eq!(state.session.trace(), [reader(ReaderAction::IrqOff), Step::Writer(0)]);
    }

    #[test]
    fn the_clipboard_s_answer_is_kept_until_the_next_copy_and_leaves_a_key_notice() {
        let mut state = AppState::default();
        assert_eq!(state.copied, None);
        state.apply(Action::StepNumber(9));
        state.apply(Action::Copied(Copied::Link(true)));
        assert_eq!(state.copied, Some(Copied::Link(true)));
        assert!(
            matches!(state.notice, Some(Notice::KeyRunsNothing(_))),
            "the answer arrives after the click, at any time: it is no intent"
        );
        state.apply(Action::Step(Step::Writer(0)));
        assert_eq!(state.copied, Some(Copied::Link(true)), "a step leaves it");
        state.apply(Action::Copied(Copied::Litmus(false)));
        assert_eq!(state.copied, Some(Copied::Litmus(false)), "one answer at a time");
    }

    #[test]
    fn a_number_on_a_blocked_line_says_why_and_the_other_numbers_stay() {
        // The reader has interrupts off, so the IPI flush (w3) cannot run.
        let mut state = AppState::default();
        run(&mut state, [Action::StepNumber(1), Action::StepNumber(1), Action::StepNumber(2)]);
        assert_eq!(
            state.session.trace(),
            [Step::Writer(0), Step::Writer(1), reader(ReaderAction::IrqOff)]
        );
        assert_eq!(
            state.numbered_steps(),
            [(Step::Writer(2), 1), (load(Register::R0), 2)],
            "the reader's line keeps number 2 while the flush blocks"
        );
        state.apply(Action::StepNumber(1));
        assert_eq!(state.session.cursor(), 3);
        assert_eq!(
            state.notice,
            Some(Notice::KeyRunsNothing(
                "Key 1 runs nothing: writer: TLB flush cannot run yet: flush waits: reader 1 \
                 has interrupts off."
                    .to_owned()
            ))
        );
        state.apply(Action::StepNumber(2));
        assert_eq!(state.session.trace().last(), Some(&load(Register::R0)));
    }

    #[test]
    fn when_every_thread_has_finished_a_number_says_so() {
        let mut state = AppState::default();
        for _ in 0..40 {
            let Some((_, number)) = state.numbered_steps().into_iter().find(|(step, _)| {
                state.session.program().check(state.session.state(), *step).is_ok()
            }) else {
                break;
            };
            state.apply(Action::StepNumber(number));
        }
        assert!(state.session.program().is_final(state.session.state()));
        state.apply(Action::StepNumber(1));
        assert_eq!(
            state.notice,
            Some(Notice::KeyRunsNothing(
                "Key 1 runs nothing: every thread has finished.".to_owned()
            ))
        );
    }

    #[test]
    fn undo_and_redo_move_through_the_steps() {
        let mut state = AppState::default();
        run(&mut state, [Action::Step(Step::Writer(0)), Action::Step(Step::Writer(1))]);
        state.apply(Action::Undo);
        assert_eq!(state.session.trace(), [Step::Writer(0)]);
        state.apply(Action::Redo);
        assert_eq!(state.session.trace(), [Step::Writer(0), Step::Writer(1)]);
        state.apply(Action::Jump(0));
        assert_eq!(state.session.cursor(), 0);
        assert!(state.session.can_redo());
        state.apply(Action::Step(reader(ReaderAction::IrqOff)));
        assert_eq!(state.session.all_steps(), [reader(ReaderAction::IrqOff)], "redo tail cut");
    }

    #[test]
    fn a_scenario_change_resets_the_run_and_undo_brings_it_back() {
        let mut state = AppState::default();
        run(
            &mut state,
            [Action::Step(Step::Writer(0)), Action::Edit(Edit::Model(MemoryModel::Tso))],
        );
        assert_eq!(state.session.scenario().model, MemoryModel::Tso);
        assert_eq!(state.session.cursor(), 0, "the run starts again");
        assert!(state.undo_restores_session());

        state.apply(Action::Undo);
        assert_eq!(state.session.scenario().model, MemoryModel::Sc);
        assert_eq!(state.session.trace(), [Step::Writer(0)], "the old run comes back too");

        state.apply(Action::Redo);
        assert_eq!(state.session.scenario().model, MemoryModel::Tso);
    }

    #[test]
    fn a_changed_preset_keeps_its_name() {
        let mut state = AppState::default();
        assert_eq!(state.identity().title(), "The kernel protocol as written");
        state.apply(Action::Edit(Edit::Model(MemoryModel::Weak)));
        assert_eq!(
            state.identity().title(),
            "The kernel protocol as written (changed: model weak)"
        );
        state.apply(Action::ChoosePreset("same-low-none".to_owned()));
        state.apply(Action::Edit(Edit::Readers(2)));
        state.apply(Action::Edit(Edit::Flush(FlushMode::Ipi)));
        assert_eq!(state.chosen_preset, Some("same-low-none"));
        assert_eq!(
            state.identity().title(),
            "Same low half, no flush (changed: flush ipi, 2 readers)",
            "the chosen preset, though same-low-ipi is as near"
        );
    }

    #[test]
    fn choosing_a_preset_loads_its_scenario() {
        let mut state = AppState::default();
        state.apply(Action::ChoosePreset("same-low-none".to_owned()));
        assert_eq!(state.session.scenario(), &catalog::find("same-low-none").unwrap().scenario());
        state.apply(Action::ChoosePreset("no-such-preset".to_owned()));
        assert_eq!(state.session.scenario(), &catalog::find("same-low-none").unwrap().scenario());
    }

    #[test]
    fn toggling_a_barrier_changes_only_that_site() {
        let mut state = AppState::default();
        state.apply(Action::Edit(Edit::Barrier { barrier: Barrier::ReaderRmb1, on: false }));
        // The default is the kernel's barriers; only the toggled site moves.
        let barriers = state.session.scenario().barriers;
        assert_eq!(barriers, Barriers::KERNEL.with(Barrier::ReaderRmb1, false));
        state.apply(Action::Edit(Edit::Barrier { barrier: Barrier::ReaderRmb1, on: true }));
        assert!(state.session.scenario().barriers.is_on(Barrier::ReaderRmb1));
    }

    #[test]
    fn reader_kinds_and_the_sequence_counter_are_scenario_edits() {
        let mut state = AppState::default();
        state.apply(Action::Edit(Edit::Readers(2)));
        state.apply(Action::Edit(Edit::ReaderKind { reader: 1, kind: ReaderKind::Atomic64 }));
        assert_eq!(state.session.scenario().reader_kind(1), ReaderKind::Atomic64);
        // A reader that does not exist is not edited.
        state.apply(Action::Edit(Edit::ReaderKind { reader: 3, kind: ReaderKind::GupFast }));
        assert_eq!(
            state.session.scenario().reader_kinds,
            [ReaderKind::Lockless, ReaderKind::Atomic64]
        );
        state.apply(Action::Edit(Edit::Seqcount(true)));
        assert!(state.session.scenario().seqcount);
        // Fewer readers drop the kinds of those that are gone.
        state.apply(Action::Edit(Edit::Readers(1)));
        assert!(state.session.scenario().reader_kinds.is_empty());
        state.apply(Action::Undo);
        assert_eq!(state.session.scenario().reader_kind(1), ReaderKind::Atomic64);
    }

    #[test]
    fn writer_edits_keep_one_value_per_establish() {
        let mut state = AppState::default();
        run(
            &mut state,
            [
                Action::Edit(Edit::AddOp(WriterOp::Zap)),
                Action::Edit(Edit::AddOp(WriterOp::Establish)),
                Action::Edit(Edit::MoveOp { from: 4, to: 3 }),
                Action::Edit(Edit::ReplaceOp { index: 0, op: WriterOp::ZapAtomic }),
            ],
        );
        let scenario = state.session.scenario();
        assert_eq!(
            scenario.writer,
            [
                WriterOp::ZapAtomic,
                WriterOp::Flush,
                WriterOp::Establish,
                WriterOp::Establish,
                WriterOp::Zap
            ]
        );
        assert_eq!(scenario.values.p.len(), 2);
        state.apply(Action::Edit(Edit::RemoveOp(2)));
        assert_eq!(state.session.scenario().values.p.len(), 1);
        state.apply(Action::Edit(Edit::MoveOp { from: 0, to: 1 }));
        assert_eq!(state.session.scenario().writer[1], WriterOp::ZapAtomic);
    }

    #[test]
    fn values_and_same_low_half() {
        let mut state = AppState::default();
        state.apply(Action::Edit(Edit::SameLow(true)));
        assert!(state.session.scenario().same_low());
        state.apply(Action::Edit(Edit::Value {
            slot: ValueSlot::P(1),
            value: Pte(0x0000_0005_0000_3067),
        }));
        assert_eq!(state.session.scenario().values.p, [Pte(0x0000_0005_0000_3067)]);
        assert!(!state.session.scenario().same_low());
        state.apply(Action::Edit(Edit::Value { slot: ValueSlot::P(2), value: Pte(1) }));
        assert_eq!(state.session.scenario().values.p.len(), 1, "no P2: nothing changes");
    }

    #[test]
    fn a_refused_value_says_why_and_the_next_intent_clears_it() {
        let mut state = AppState::default();
        let before = state.session.scenario().clone();
        // Z with the present bit (bit 0) set would make a false TORN.
        state.apply(Action::Edit(Edit::Value { slot: ValueSlot::Z, value: Pte(1) }));
        assert_eq!(state.session.scenario(), &before, "nothing changes");
        let Some(Notice::EditRefused(message)) = &state.notice else {
            panic!("a refused edit says why: {:?}", state.notice);
        };
        assert!(message.starts_with("That change was not made: values.z"), "{message}");
        assert!(!state.notice.as_ref().unwrap().is_about_the_link());
        state.apply(Action::Edit(Edit::SameLow(true)));
        assert!(state.notice.is_none(), "the next intent clears it");
        assert!(state.session.scenario().same_low());
    }

    #[test]
    fn out_of_range_settings_are_refused() {
        let mut state = AppState::default();
        let before = state.clone();
        run(
            &mut state,
            [
                Action::Edit(Edit::Readers(0)),
                Action::Edit(Edit::Readers(5)),
                Action::Edit(Edit::PresentBit(64)),
            ],
        );
        // Nothing changes but the notice that says why the last one was refused.
        let Some(Notice::EditRefused(message)) = state.notice.take() else {
            panic!("a refused edit says why");
        };
        assert!(message.contains("present_bit is 64"), "{message}");
        assert_eq!(state, before);
        state.apply(Action::Edit(Edit::Readers(3)));
        assert_eq!(state.session.scenario().readers, 3);
    }

    #[test]
    fn a_good_permalink_restores_scenario_and_trace() {
        let mut scenario = catalog::find("same-low-none").unwrap().scenario();
        scenario.readers = 2;
        let steps = [Step::Writer(0), reader(ReaderAction::IrqOff), load(Register::R0)];
        let start = Start { fragment: link::encode(&scenario, &steps), embed: false, graph: false };
        let mut state = AppState::from_start(&start);
        assert_eq!(state.session.scenario(), &scenario);
        assert_eq!(state.session.all_steps(), steps);
        assert_eq!(state.session.cursor(), 0, "a linked trace opens at its start");
        assert_eq!(state.notice, None);
        assert_eq!(state.permalink(), start.fragment, "the address keeps the whole trace");
        state.apply(Action::StepForward);
        assert_eq!(state.session.trace(), [Step::Writer(0)]);
        assert_eq!(state.permalink(), start.fragment);
    }

    #[test]
    fn a_broken_permalink_names_the_problem_and_falls_back_to_the_kernel_protocol() {
        let start = Start { fragment: "v=1&model=arm".to_owned(), embed: false, graph: false };
        let state = AppState::from_start(&start);
        assert_eq!(state.session.scenario(), &Scenario::kernel());
        let Some(Notice::BrokenLink(message)) = &state.notice else {
            panic!("expected a broken-link notice, got {:?}", state.notice)
        };
        assert!(message.contains("model=\"arm\""), "{message}");

        let old =
            AppState::from_start(&Start { fragment: "v=0".to_owned(), embed: false, graph: false });
        assert!(old.notice.unwrap().message().contains("format version \"0\""));
    }

    #[test]
    fn a_permalink_whose_trace_breaks_keeps_the_steps_before() {
        let scenario = Scenario::kernel();
        let fragment = format!("{}&t=w1,r1.r0", link::encode(&scenario, &[]));
        let state = AppState::from_start(&Start { fragment, embed: false, graph: false });
        assert_eq!(state.session.all_steps(), [Step::Writer(0)]);
        let Some(Notice::ReplayStopped(message)) = &state.notice else {
            panic!("expected a replay notice, got {:?}", state.notice)
        };
        assert!(message.contains("step 2"), "{message}");
    }

    #[test]
    fn loading_a_link_later_keeps_the_old_session_for_undo() {
        let mut state = AppState::default();
        let other = catalog::find("mips-sh").unwrap().scenario();
        state.apply(Action::LoadLink(format!("#{}", link::encode(&other, &[Step::Writer(0)]))));
        assert_eq!(state.session.scenario(), &other);
        state.apply(Action::Undo);
        state.apply(Action::Undo);
        assert_eq!(state.session.scenario(), &Scenario::kernel());
        state.apply(Action::LoadLink("garbage".to_owned()));
        assert_eq!(state.session.scenario(), &Scenario::kernel(), "a bad link changes nothing");
        assert!(matches!(state.notice, Some(Notice::BrokenLink(_))));
    }

    #[test]
    fn the_embed_view_plays_its_fixed_trace_from_the_start() {
        let steps = [Step::Writer(0), Step::Writer(1)];
        let fragment = link::encode(&Scenario::kernel(), &steps);
        let mut state =
            AppState::from_start(&Start { fragment: fragment.clone(), embed: true, graph: false });
        assert_eq!(state.session.cursor(), 0);
        assert_eq!(state.session.all_steps(), steps);
        assert_eq!(state.permalink(), fragment, "the link keeps the whole trace");
        state.apply(Action::Redo);
        assert_eq!(state.session.cursor(), 1);
        state.apply(Action::Edit(Edit::Model(MemoryModel::Weak)));
        assert_eq!(state.session.scenario().model, MemoryModel::Sc, "the scenario is fixed");
    }

    #[test]
    fn the_embed_view_takes_no_step_of_its_own() {
        let steps = [Step::Writer(0), Step::Writer(1), reader(ReaderAction::IrqOff)];
        let fragment = link::encode(&Scenario::kernel(), &steps);
        let mut state =
            AppState::from_start(&Start { fragment: fragment.clone(), embed: true, graph: false });
        // At step 0 the reader's irq_off is enabled but is not the trace's next step.
        assert!(state.session.enabled().contains(&reader(ReaderAction::IrqOff)));
        run(
            &mut state,
            [
                Action::Step(reader(ReaderAction::IrqOff)),
                Action::StepNumber(1),
                Action::StepNumber(2),
            ],
        );
        assert_eq!(state.session.cursor(), 0);
        assert_eq!(state.session.all_steps(), steps, "the linked trace is whole");
        assert_eq!(state.permalink(), fragment);
        assert_eq!(state.notice, None, "keys are silent in the embed view");
        // The player and the keys u, r, ← and → still move along it.
        run(&mut state, [Action::Jump(2), Action::Redo, Action::Undo, Action::Undo]);
        assert_eq!(state.session.cursor(), 1);
        run(&mut state, [Action::StepForward, Action::StepForward, Action::StepBack]);
        assert_eq!(state.session.cursor(), 2);
        assert_eq!(state.session.all_steps(), steps);
    }

    #[test]
    fn the_trace_end_is_judged_at_the_last_step_wherever_the_cursor_is() {
        let torn_steps = same_low_tear();
        let scenario = catalog::find("same-low-none").unwrap().scenario();
        let torn = AppState::from_start(&Start {
            fragment: link::encode(&scenario, &torn_steps),
            embed: true,
            graph: false,
        });
        assert_eq!(torn.session.cursor(), 0);
        let TraceEnd::Torn(judged) = torn.trace_end() else {
            panic!("expected a torn end, got {:?}", torn.trace_end())
        };
        assert_eq!(judged.read.value, Pte(0x0000_0000_0000_1067));

        let allowed_steps = [
            reader(ReaderAction::IrqOff),
            load(Register::R0),
            load(Register::R1),
            load(Register::R2),
            reader(ReaderAction::Check),
        ];
        let mut allowed = AppState::from_start(&Start {
            fragment: link::encode(&Scenario::kernel(), &allowed_steps),
            embed: false,
            graph: false,
        });
        allowed.apply(Action::Jump(1));
        let TraceEnd::Allowed(judged) = allowed.trace_end() else {
            panic!("expected an allowed end, got {:?}", allowed.trace_end())
        };
        assert_eq!(judged.verdict, Verdict::PreZap);

        let unfinished = AppState::from_start(&Start {
            fragment: link::encode(&Scenario::kernel(), &allowed_steps[..4]),
            embed: true,
            graph: false,
        });
        assert_eq!(unfinished.trace_end(), TraceEnd::NoRead);
    }

    /// Answers the live explorations Explore all waits for, as the runner
    /// would, until it has its result; returns how many that took.
    fn finish_exploration(state: &mut AppState) -> usize {
        assert!(matches!(state.exploration, Exploration::Running { .. }), "not running");
        let mut explorations = 0;
        while matches!(state.exploration, Exploration::Running { .. }) {
            let (request, scenario) = state.live.request().expect("Explore all waits for a job");
            let report = Rc::new(pte_core::explore(scenario).unwrap());
            state.apply(Action::Live(LiveAction::Finished { request, report }));
            explorations += 1;
        }
        explorations
    }

    #[test]
    fn every_lesson_is_completed_by_its_show_me() {
        let mut state = AppState::default();
        for number in 1..=pte_core::tour::lessons().len() {
            state.apply(Action::Tour(TourAction::Open(number)));
            let lesson = pte_core::tour::lesson(number).unwrap();
            assert_eq!(state.session.scenario(), &lesson.scenario());
            assert_eq!(state.permalink(), format!("lesson={number}"));
            assert!(!state.tour.open.unwrap().met, "lesson {number} met at its start");
            state.apply(Action::Tour(TourAction::ShowMe));
            match lesson.solution {
                Solution::Steps(ids) => {
                    assert_eq!(state.session.cursor(), 0, "walked from its start");
                    assert_eq!(state.session.all_steps().len(), ids.len());
                    assert!(!state.tour.open.unwrap().met);
                    for _ in ids {
                        state.apply(Action::StepForward);
                    }
                }
                Solution::Explore { .. } => {
                    finish_exploration(&mut state);
                }
            }
            assert!(state.tour.open.unwrap().met, "lesson {number} not met by Show me");
            assert!(state.tour.is_done(number));
        }
        assert_eq!(state.tour.done_count(), pte_core::tour::lessons().len());
    }

    #[test]
    fn a_lesson_is_completed_by_hand_and_its_link_keeps_the_trace() {
        let start = Start { fragment: "lesson=3".to_owned(), embed: false, graph: false };
        let mut state = AppState::from_start(&start).with_progress("reader-loop");
        assert_eq!(state.tour.open.map(|open| open.number), Some(3));
        assert!(state.tour.is_done(1));
        assert_eq!(state.permalink(), "lesson=3", "the lesson's start is just its number");
        // The tear but its check: the read has not completed.
        let torn: [Step; 8] = same_low_tear()[..8].try_into().unwrap();
        run(&mut state, torn.map(Action::Step));
        assert!(!state.tour.open.unwrap().met, "no read completed yet");
        let link = state.permalink();
        assert!(link.starts_with("lesson=3&v=3&"), "{link}");
        // The link opens the lesson with the trace at its start.
        let reopened =
            AppState::from_start(&Start { fragment: link.clone(), embed: false, graph: false });
        assert_eq!(reopened.tour.open.map(|open| open.number), Some(3));
        assert_eq!(reopened.session.all_steps(), torn);
        state.apply(Action::Step(reader(ReaderAction::Check)));
        assert!(state.tour.open.unwrap().met);
        assert_eq!(state.tour.progress_text(), "reader-loop,same-low-none");
        // Walking back does not take the completion away; reset does.
        state.apply(Action::StepBack);
        assert!(state.tour.open.unwrap().met);
        state.apply(Action::Tour(TourAction::Reset));
        assert_eq!(state.tour.done, 0);
        // Leaving the tour gives the plain permalink back.
        state.apply(Action::Tour(TourAction::Close));
        assert!(!state.permalink().starts_with("lesson="));
    }

    #[test]
    fn a_goal_needs_the_core_to_agree() {
        let mut state = AppState::default();
        // Lesson 4: proving never torn needs an exploration of its scenario.
        state.apply(Action::Tour(TourAction::Open(4)));
        state.apply(Action::Edit(Edit::Flush(FlushMode::None)));
        state.apply(Action::StartExploration);
        finish_exploration(&mut state);
        assert!(!state.tour.open.unwrap().met, "another scenario's answer");
        state.apply(Action::Undo);
        state.apply(Action::StartExploration);
        finish_exploration(&mut state);
        assert!(state.tour.open.unwrap().met);
        // Lesson 10: a switched-off barrier, then a torn answer.
        state.apply(Action::Tour(TourAction::Open(10)));
        state.apply(Action::StartExploration);
        finish_exploration(&mut state);
        assert!(!state.tour.open.unwrap().met, "no barrier switched off");
        state.apply(Action::Edit(Edit::Barrier { barrier: Barrier::EstablishWmb1, on: false }));
        assert!(!state.tour.open.unwrap().met, "not explored yet");
        state.apply(Action::StartExploration);
        finish_exploration(&mut state);
        assert!(state.tour.open.unwrap().met);
    }

    #[test]
    fn a_broken_lesson_link_says_so_and_unfolds_the_list() {
        let state = AppState::from_start(&Start {
            fragment: "lesson=99".to_owned(),
            embed: false,
            graph: false,
        });
        assert_eq!(state.session.scenario(), &Scenario::kernel());
        assert_eq!(state.tour.open, None);
        assert!(state.tour.list_open);
        let Some(Notice::BrokenLink(message)) = &state.notice else {
            panic!("expected a broken-link notice, got {:?}", state.notice)
        };
        assert!(message.contains("lesson=\"99\": there is no such lesson"), "{message}");
        assert!(message.contains("lessons 1 to 11"), "{message}");
    }

    #[test]
    fn the_embed_view_shows_one_lesson_with_its_solution_to_play() {
        let start = Start { fragment: "lesson=3".to_owned(), embed: true, graph: false };
        let mut state = AppState::from_start(&start);
        let Solution::Steps(ids) = pte_core::tour::lesson(3).unwrap().solution else { panic!() };
        assert_eq!(state.session.all_steps().len(), ids.len());
        assert_eq!(state.session.cursor(), 0);
        state.apply(Action::Jump(ids.len()));
        assert!(state.tour.open.unwrap().met, "played to its end");
        // An exploring lesson has no trace to play there.
        state.apply(Action::Tour(TourAction::Open(4)));
        assert!(state.session.all_steps().is_empty());
        state.apply(Action::Tour(TourAction::ShowMe));
        assert_eq!(state.exploration, Exploration::Idle, "the embed view never explores");
    }

    #[test]
    fn explore_all_is_the_live_answer_under_the_scenario_s_model() {
        let mut state = AppState::default();
        state.apply(Action::Edit(Edit::Model(MemoryModel::Tso)));
        let (first, _) = state.live.request().unwrap();
        state.apply(Action::StartExploration);
        let (request, scenario) = state.live.request().unwrap();
        assert_ne!(request, first, "the scenario's own model is explored first");
        assert_eq!(&scenario, state.session.scenario());
        // Its progress is Explore all's.
        let progress = crate::live::JobProgress { states: 10, transitions: 20, pending: 3 };
        state.apply(Action::Live(LiveAction::Progress { request, progress }));
        assert_eq!(
            state.exploration,
            Exploration::Running { states: 10, transitions: 20, pending: 3 }
        );
        state.apply(Action::CancelExploration);
        assert_eq!(state.exploration, Exploration::Cancelled { states: 10, transitions: 20 });
        assert_eq!(state.live.request().map(|(id, _)| id), Some(request), "the live job goes on");
        // Explore all again joins the same job, which answers both.
        state.apply(Action::StartExploration);
        assert_eq!(state.live.request().map(|(id, _)| id), Some(request));
        let report = Rc::new(pte_core::explore(scenario).unwrap());
        state.apply(Action::Live(LiveAction::Finished { request, report: report.clone() }));
        let Exploration::Finished { report: found, limit: None } = &state.exploration else {
            panic!("{:?}", state.exploration)
        };
        assert!(Rc::ptr_eq(found, &report));
        let live = state.live.current().unwrap().report(MemoryModel::Tso).unwrap();
        assert!(Rc::ptr_eq(live, &report), "one report for both");

        // Once the live answer is in, Explore all answers at once.
        state.apply(Action::Edit(Edit::Model(MemoryModel::Sc)));
        assert_eq!(state.exploration, Exploration::Idle, "another scenario: nothing explored");
        state.apply(Action::StartExploration);
        assert!(matches!(state.exploration, Exploration::Running { .. }), "SC is explored next");
        assert_eq!(finish_exploration(&mut state), 1);
        state.apply(Action::Edit(Edit::Model(MemoryModel::Tso)));
        state.apply(Action::StartExploration);
        assert!(matches!(state.exploration, Exploration::Finished { .. }), "no new job");
    }

    #[test]
    fn a_failed_or_stopped_live_job_ends_explore_all() {
        let mut state = AppState::default();
        state.apply(Action::StartExploration);
        let (request, _) = state.live.request().unwrap();
        state.apply(Action::Live(LiveAction::Failed { request, message: "no".to_owned() }));
        assert_eq!(state.exploration, Exploration::Failed { message: "no".to_owned() });
        // Explore all again tries again.
        state.apply(Action::StartExploration);
        assert!(matches!(state.exploration, Exploration::Running { .. }), "Explore all again");
        assert!(state.live.request().is_some());
        // The live strip's Cancel stops the one job, and so Explore all.
        state.apply(Action::Live(LiveAction::Cancel));
        assert!(matches!(state.exploration, Exploration::Cancelled { .. }));
    }

    #[test]
    fn replaying_an_outcome_loads_its_witness() {
        let mut state = AppState::default();
        state.apply(Action::ChoosePreset("same-low-none".to_owned()));
        state.apply(Action::StartExploration);
        finish_exploration(&mut state);
        let Exploration::Finished { report, .. } = state.exploration.clone() else { panic!() };
        let torn = report.outcomes.iter().position(|o| o.verdict.is_torn()).expect("a torn read");

        state.apply(Action::ReplayOutcome(torn));
        assert_eq!(state.session.all_steps(), report.outcomes[torn].witness);
        assert_eq!(state.session.cursor(), 0, "the replay starts at its first step");
        assert_eq!(state.replays, 1, "the page scrolls the walk-through into view");
        assert_eq!(state.replayed_outcome(), Some(torn));
        assert!(matches!(state.exploration, Exploration::Finished { .. }), "results kept");

        // Step forward one step at a time to the read; step back once.
        let length = state.session.all_steps().len();
        for _ in 0..length + 2 {
            state.apply(Action::StepForward);
        }
        assert_eq!(state.session.cursor(), length, "forward stops at the trace's end");
        assert_eq!(state.session.last_read().unwrap().verdict, Verdict::Torn);
        state.apply(Action::StepBack);
        assert_eq!(state.session.cursor(), length - 1);
        assert_eq!(state.replayed_outcome(), Some(torn), "still that row's trace");
        // Back at the start, step back does not undo the replay itself.
        state.apply(Action::Jump(0));
        state.apply(Action::StepBack);
        assert_eq!(state.session.all_steps(), report.outcomes[torn].witness);
        // A step of one's own cuts the rest of the trace: no row is replayed.
        state.apply(Action::Step(reader(ReaderAction::IrqOff)));
        assert_eq!(state.replayed_outcome(), None);

        state.apply(Action::Edit(Edit::Readers(2)));
        assert_eq!(state.exploration, Exploration::Idle, "a new scenario forgets the results");
    }

    #[test]
    fn a_compiled_witness_replays_in_its_form_and_its_link_keeps_the_form() {
        // x86-TSO with every barrier off tears only through a compiled form
        // (COMPILER.md): the CPU keeps the order, the compiler does not.
        let mut state = AppState::default();
        state.apply(Action::ChoosePreset("tso-no-barriers".to_owned()));
        state.apply(Action::StartExploration);
        finish_exploration(&mut state);
        let Exploration::Finished { report, .. } = state.exploration.clone() else { panic!() };
        let torn = report.outcomes.iter().position(|o| o.verdict.is_torn()).expect("a torn read");
        let outcome = &report.outcomes[torn];
        assert_ne!(outcome.form, 0, "the code as written never tears under x86-TSO");

        state.apply(Action::ReplayOutcome(torn));
        assert_eq!(state.session.program().form_index(), outcome.form);
        assert_eq!(state.replayed_outcome(), Some(torn));
        state.apply(Action::Jump(outcome.witness.len()));
        assert_eq!(state.session.last_read().unwrap().read.value, outcome.value);
        let permalink = state.permalink();
        assert!(permalink.contains(&format!("&form={}&", outcome.form)), "{permalink}");

        // The link opens in that form, with the same trace.
        let reopened = AppState::from_start(&Start {
            fragment: permalink.clone(),
            embed: false,
            graph: false,
        });
        assert_eq!(reopened.notice, None);
        assert_eq!(reopened.session.program().form_index(), outcome.form);
        assert_eq!(reopened.session.all_steps(), outcome.witness);
        assert_eq!(reopened.permalink(), permalink);

        // An edit the form survives keeps it (a new run, in the same
        // compiled code); one it does not survive goes back to the code as
        // written: with the compiler off there is no other form.
        state.apply(Action::Edit(Edit::Model(MemoryModel::Sc)));
        assert_eq!(state.session.program().form_index(), outcome.form);
        assert!(state.session.all_steps().is_empty());
        state.apply(Action::Edit(Edit::Compiler(false)));
        assert_eq!(state.session.program().form_index(), 0);
        assert!(!state.permalink().contains("form="));
        // Undo brings the compiled session back.
        state.apply(Action::Undo);
        assert_eq!(state.session.program().form_index(), outcome.form);
    }

    #[test]
    fn a_link_from_before_the_compiler_opens_with_it_off_and_says_so() {
        // A version-2 link: the compiler is off, as it was explored then.
        let older = "v=2&model=tso&bit=0&writer=zap,flush,establish&p0=100001067&z=0&\
                     p=300002067&readers=1&flush=none&off=zap_wmb2,establish_wmb2";
        let start = Start { fragment: older.to_owned(), embed: false, graph: false };
        let mut state = AppState::from_start(&start);
        assert_eq!(state.notice, None);
        assert!(!state.session.scenario().compiler);
        assert!(state.compiler_from_older_link);
        // An edit of something else keeps the note; the switch clears it.
        state.apply(Action::Edit(Edit::Readers(2)));
        assert!(state.compiler_from_older_link);
        state.apply(Action::Edit(Edit::Compiler(true)));
        assert!(state.session.scenario().compiler);
        assert!(!state.compiler_from_older_link);
        state.apply(Action::Edit(Edit::Compiler(false)));
        assert!(!state.compiler_from_older_link, "now a choice of the person's");
        // A version-3 link with cc=0 is a deliberate choice: no note.
        let chosen = link::encode(state.session.scenario(), &[]);
        assert!(chosen.contains("cc=0"), "{chosen}");
        state.apply(Action::LoadLink(older.to_owned()));
        assert!(state.compiler_from_older_link);
        state.apply(Action::LoadLink(chosen));
        assert!(!state.session.scenario().compiler);
        assert!(!state.compiler_from_older_link);
        state.apply(Action::LoadLink(older.to_owned()));
        state.apply(Action::ChoosePreset("kernel".to_owned()));
        assert!(!state.compiler_from_older_link);
    }

    #[test]
    fn the_compiler_and_marked_accesses_are_scenario_edits() {
        let mut state = AppState::default();
        assert!(state.session.scenario().compiler, "on for every preset");
        for edit in [Edit::MarkedWriter(true), Edit::MarkedReader(true), Edit::Compiler(false)] {
            state.apply(Action::Edit(edit));
        }
        let scenario = state.session.scenario();
        assert!(scenario.marked_writer && scenario.marked_reader && !scenario.compiler);
        assert!(state.permalink().contains("cc=0&marked=writer,reader"), "{}", state.permalink());
        assert!(state.last_change_is_an_edit);
        state.apply(Action::Undo);
        assert!(state.session.scenario().compiler);
    }

    /// Answers every live exploration the state asks for, as the runner would.
    fn answer_live(state: &mut AppState) {
        while let Some((request, scenario)) = state.live.request() {
            let report = Rc::new(pte_core::explore(scenario).unwrap());
            state.apply(Action::Live(LiveAction::Finished { request, report }));
        }
    }

    #[test]
    fn every_loaded_trace_opens_at_its_start_and_says_where_it_ends() {
        // A permalink, a Replay and a live answer's or matrix cell's variant:
        // one rule, the trace at its start with its end known from there.
        let scenario = catalog::find("same-low-none").unwrap().scenario();
        let steps = same_low_tear();
        let mut state = AppState::from_start(&Start {
            fragment: link::encode(&scenario, &steps),
            embed: false,
            graph: false,
        });
        assert_eq!(state.session.cursor(), 0);
        assert!(matches!(state.trace_end(), TraceEnd::Torn(_)));
        state.apply(Action::ChoosePreset("kernel".to_owned()));
        state.apply(Action::LoadVariant {
            scenario: scenario.clone(),
            form: 0,
            steps: steps.to_vec(),
        });
        assert_eq!(state.session.cursor(), 0, "a variant opens at its start too");
        assert_eq!(state.session.all_steps(), steps);
        assert_eq!(state.replays, 1, "and the page scrolls it into view");
        let TraceEnd::Torn(judged) = state.trace_end() else { panic!("{:?}", state.trace_end()) };
        assert_eq!(judged.read.value, Pte(0x0000_0000_0000_1067));
        // End is one jump away.
        state.apply(Action::Jump(steps.len()));
        assert!(state.session.last_read().unwrap().verdict.is_torn());
    }

    #[test]
    fn a_loaded_variant_is_named_by_what_differs_from_the_preset_shown() {
        // Opened from a link (no preset chosen), exactly same-low-none.
        let scenario = catalog::find("same-low-none").unwrap().scenario();
        let mut state = AppState::from_start(&Start {
            fragment: link::encode(&scenario, &[]),
            embed: false,
            graph: false,
        });
        assert_eq!(state.identity().preset.id, "same-low-none");
        // A matrix cell: that scenario under weak with reader_rmb1 off.
        let mut variant = Scenario { model: MemoryModel::Weak, ..scenario.clone() };
        variant.barriers.set(Barrier::ReaderRmb1, false);
        state.apply(Action::LoadVariant { scenario: variant.clone(), form: 0, steps: Vec::new() });
        let identity = state.identity();
        assert_eq!(identity.preset.id, "same-low-none", "not the nearest other preset");
        assert_eq!(identity.changes, crate::identity::changes(&scenario, &variant));
        assert_eq!(identity.changes, ["model weak", "reader_rmb1 off"]);
    }

    #[test]
    fn a_number_key_steps_a_loaded_trace_or_says_it_would_cut_it() {
        let steps = [Step::Writer(0), Step::Writer(1), reader(ReaderAction::IrqOff)];
        let mut state = AppState::from_start(&Start {
            fragment: link::encode(&Scenario::kernel(), &steps),
            embed: false,
            graph: false,
        });
        let number_of = |state: &AppState, step: Step| {
            state.numbered_steps().into_iter().find(|(on, _)| *on == step).unwrap().1
        };
        // The key of the trace's next step steps the trace.
        state.apply(Action::StepNumber(number_of(&state, Step::Writer(0))));
        assert_eq!(state.session.cursor(), 1);
        assert_eq!(state.session.all_steps(), steps, "the trace is whole");
        assert_eq!(state.notice, None);
        // Another line's key would cut the trace: it says so and runs nothing.
        let irq_off = number_of(&state, reader(ReaderAction::IrqOff));
        state.apply(Action::StepNumber(irq_off));
        assert_eq!(state.session.cursor(), 1);
        assert_eq!(state.session.all_steps(), steps);
        let Some(Notice::KeyRunsNothing(message)) = &state.notice else {
            panic!("expected a key notice, got {:?}", state.notice)
        };
        let next = number_of(&state, Step::Writer(1));
        assert!(message.contains("would cut the 2 steps left of the loaded trace"), "{message}");
        assert!(message.contains(&format!("Press → or {next} to step the trace")), "{message}");
        // At the trace's end the keys run lines again.
        run(&mut state, [Action::StepForward, Action::StepForward]);
        state.apply(Action::StepNumber(number_of(&state, load(Register::R0))));
        assert_eq!(state.session.all_steps().len(), 4);
        assert_eq!(state.notice, None);
    }

    #[test]
    fn only_an_edit_of_the_same_scenario_is_compared_with_the_one_before() {
        let mut state = AppState::default();
        answer_live(&mut state);
        state.apply(Action::ChoosePreset("same-low-none".to_owned()));
        answer_live(&mut state);
        assert!(state.live.changes().is_some(), "the live answers could compare them");
        assert_eq!(state.last_change(), None, "a new preset is not a change");
        state.apply(Action::Edit(Edit::Flush(FlushMode::Ipi)));
        answer_live(&mut state);
        assert!(state.last_change().is_some(), "an edit is");
        // Undo of the edit is an edit of the same preset; undo of the
        // preset choice is not.
        state.apply(Action::Undo);
        assert!(state.last_change().is_some());
        state.apply(Action::Undo);
        assert_eq!(state.session.scenario(), &Scenario::kernel());
        assert_eq!(state.last_change(), None);
        // A link is a new scenario too.
        let link = link::encode(&catalog::find("different-low").unwrap().scenario(), &[]);
        state.apply(Action::LoadLink(link));
        answer_live(&mut state);
        assert_eq!(state.last_change(), None);
    }

    #[test]
    fn a_changed_lesson_scenario_is_named_and_restored() {
        let mut state = AppState::default();
        state.apply(Action::Tour(TourAction::Open(3)));
        assert_eq!(state.lesson_scenario_changes(), None);
        state.apply(Action::Edit(Edit::Model(MemoryModel::Weak)));
        assert_eq!(state.lesson_scenario_changes(), Some(vec!["model weak".to_owned()]));
        state.apply(Action::Tour(TourAction::RestoreScenario));
        assert_eq!(state.session.scenario(), &pte_core::tour::lesson(3).unwrap().scenario());
        assert_eq!(state.lesson_scenario_changes(), None);
        assert_eq!(state.tour.open.map(|open| open.number), Some(3), "still in the lesson");
        state.apply(Action::Undo);
        assert_eq!(state.session.scenario().model, MemoryModel::Weak, "the restore is undoable");
        // Lesson 10 asks for one barrier off: that change fits, two do not.
        state.apply(Action::Tour(TourAction::Open(10)));
        state.apply(Action::Edit(Edit::Barrier { barrier: Barrier::EstablishWmb1, on: false }));
        assert_eq!(state.lesson_scenario_changes(), None);
        state.apply(Action::Edit(Edit::Barrier { barrier: Barrier::ZapWmb1, on: false }));
        assert_eq!(
            state.lesson_scenario_changes(),
            Some(vec!["zap_wmb1 off".to_owned(), "establish_wmb1 off".to_owned()])
        );
        // The embed view has no restore to do.
        let mut embed = AppState::from_start(&Start {
            fragment: "lesson=3".to_owned(),
            embed: true,
            graph: false,
        });
        embed.apply(Action::Tour(TourAction::RestoreScenario));
        assert_eq!(embed.session.scenario(), &pte_core::tour::lesson(3).unwrap().scenario());
    }
}
