//! The live answers through the page's reducer and runner, natively: the
//! state asks for explorations ([`web::runner::requests`]), the worker's
//! engine answers them as the worker would (text messages included), and
//! the replies come back as actions ([`web::runner::action_for`]).
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use pte_core::{catalog, Barrier, Edit, MemoryModel, Pte, ReaderAction, Scenario, Step, Torn};
use pte_worker::engine::Jobs;
use pte_worker::protocol::{Reply, Request};
use web::browser::Start;
use web::live::LiveStatus;
use web::runner::{action_for, requests};
use web::state::{Action, AppState, Exploration};
use web::tour::TourAction;
use yew::Reducible;

fn reduce(state: Rc<AppState>, action: Action) -> Rc<AppState> {
    state.reduce(action)
}

/// Answers every exploration the state asks for, through the worker's
/// engine and its text messages, until it asks for none; returns the state
/// and how many explorations ran.
fn drive(mut state: Rc<AppState>) -> (Rc<AppState>, usize) {
    let mut explorations = 0;
    while let Some(job) = requests(&state).into_iter().next() {
        let mut jobs = Jobs::new();
        let request =
            Request::Explore { job: 1, scenario: job.scenario.clone(), max_states: job.max_states };
        assert!(jobs.handle(Request::from_text(&request.to_text()).unwrap(), 0.0).is_empty());
        let mut finished = None;
        while finished.is_none() {
            for reply in jobs.run_slice(1e9, &|| 0.0) {
                let reply = Reply::from_text(&reply.to_text()).unwrap();
                if matches!(reply, Reply::Done(_)) {
                    finished = Some(reply);
                }
            }
        }
        let action = action_for(&job, finished.unwrap()).expect("a finished job is an action");
        state = reduce(state, action);
        explorations += 1;
        assert!(explorations < 500, "the requests never end");
    }
    (state, explorations)
}

fn preset(id: &str) -> Scenario {
    catalog::find(id).unwrap().scenario()
}

#[test]
fn the_page_answers_every_model_and_the_matrix_after_a_barrier_switch() {
    let state = Rc::new(AppState::default());
    let first = requests(&state);
    assert_eq!(first.len(), 1, "the kernel protocol is explored at once: {first:?}");
    assert_eq!(first[0].scenario, Scenario::kernel(), "its own model first");
    let (state, explorations) = drive(state);
    assert!(explorations >= 3);
    let answers = state.live.current().unwrap();
    assert_eq!(answers.status, LiveStatus::Done);
    assert!(answers.matrix().is_finished());

    // Switching the first rmb off under the weak model: new torn values,
    // answered with no click.
    let state = reduce(state, Action::Edit(Edit::Model(MemoryModel::Weak)));
    assert!(requests(&state).is_empty(), "the model alone changes no answer");
    let state = reduce(state, Action::Edit(Edit::Flush(pte_core::FlushMode::None)));
    let (state, _) = drive(state);
    let state =
        reduce(state, Action::Edit(Edit::Barrier { barrier: Barrier::ReaderRmb1, on: false }));
    assert!(!requests(&state).is_empty(), "a barrier switch is explored by itself");
    let (state, _) = drive(state);
    let answers = state.live.current().unwrap();
    assert_eq!(answers.report(MemoryModel::Weak).unwrap().torn().word(), Torn::Sometimes);
    // With the compiler on (COMPILER.md), SC tears too: without the
    // smp_rmb() the compiler may load high before low. Only the compiler:
    // the code as written never tears under SC.
    assert_eq!(answers.report(MemoryModel::Sc).unwrap().torn().word(), Torn::Sometimes);
    assert!(answers.answer(MemoryModel::Sc).unwrap().compiler_only());
    assert!(!answers.answer(MemoryModel::Weak).unwrap().compiler_only());
    let changes = state.live.changes().unwrap();
    let new_torn: Vec<(MemoryModel, Pte)> = changes
        .items
        .iter()
        .filter(|change| change.appeared && change.outcome.verdict.is_torn())
        .map(|change| (change.model, change.outcome.value))
        .collect();
    let (z, p0) = (Pte(0x2067), Pte(0x0000_0001_0000_2067));
    assert_eq!(
        new_torn,
        MemoryModel::ALL
            .into_iter()
            .flat_map(|model| [(model, z), (model, p0)])
            .collect::<Vec<_>>()
    );

    // Replay of a change loads its scenario and trace, in the compiled form
    // of its witness (SC's: the compiler's); undo goes back.
    let change = changes.items.iter().find(|change| change.appeared).unwrap().clone();
    assert_eq!(change.model, MemoryModel::Sc);
    assert_ne!(change.outcome.form, 0);
    let state = reduce(
        state,
        Action::LoadVariant {
            scenario: change.scenario.clone(),
            form: change.outcome.form,
            steps: change.outcome.witness.clone(),
        },
    );
    assert_eq!(state.session.scenario(), &change.scenario);
    assert_eq!(state.session.program().form_index(), change.outcome.form);
    let form = format!("&form={}&", change.outcome.form);
    assert!(state.permalink().contains(&form), "{}", state.permalink());
    // Like every loaded trace, it opens at its start; its end is the read.
    assert_eq!(state.session.cursor(), 0);
    let length = state.session.all_steps().len();
    let state = reduce(state, Action::Jump(length));
    assert_eq!(state.session.last_read().unwrap().read.value, change.outcome.value);
    // (Undo steps back through the trace first; at its start it restores the session.)
    let state = reduce(reduce(state, Action::Jump(0)), Action::Undo);
    assert!(!state.session.scenario().barriers.is_on(Barrier::ReaderRmb1));
    assert_eq!(state.session.scenario().model, MemoryModel::Weak);
    assert_eq!(state.session.program().form_index(), 0, "the switch's session, as written");

    // Undo of the switch brings the old answers back without exploring.
    let state = reduce(state, Action::Undo);
    assert!(state.session.scenario().barriers.is_on(Barrier::ReaderRmb1));
    assert!(requests(&state).is_empty(), "nothing explored again");
    assert_eq!(
        state.live.current().unwrap().report(MemoryModel::Weak).unwrap().torn().word(),
        Torn::Never
    );
    let gone = state.live.changes().unwrap();
    assert!(gone.items.iter().all(|change| !change.appeared), "the torn values are gone again");
}

#[test]
fn explore_all_joins_the_live_job_of_the_scenario_s_model() {
    let tso = Scenario { model: MemoryModel::Tso, ..preset("different-low") };
    let start = Start { fragment: pte_core::link::encode(&tso, &[]), embed: false, graph: false };
    let state = Rc::new(AppState::from_start(&start));
    let live = requests(&state);
    let state = reduce(state, Action::StartExploration);
    let wanted = requests(&state);
    assert_eq!(wanted, live, "one job: the live answer under the page's own model");
    assert_eq!(wanted[0].scenario, tso);
    let report = pte_core::explore(tso.clone()).unwrap();
    let mut jobs = Jobs::new();
    jobs.handle(
        Request::Explore { job: 9, scenario: tso.clone(), max_states: wanted[0].max_states },
        0.0,
    );
    let reply = jobs.run_slice(1e9, &|| 0.0).pop().unwrap();
    let state = reduce(state, action_for(&wanted[0], reply).unwrap());
    let Exploration::Finished { report: found, limit: None } = &state.exploration else {
        panic!("{:?}", state.exploration)
    };
    assert_eq!(**found, report);
    assert_eq!(state.live.current().unwrap().report(MemoryModel::Tso), Some(found));
    assert_eq!(requests(&state)[0].scenario.model, MemoryModel::Sc, "then the other models");
}

#[test]
fn a_lesson_hides_the_live_answers_until_its_goal_is_met() {
    let plain =
        AppState::from_start(&Start { fragment: String::new(), embed: false, graph: false });
    assert!(!plain.answers_hidden());
    assert_eq!(requests(&plain).len(), 1, "outside the tour the live answers explore");

    let start = Start { fragment: "lesson=3".to_owned(), embed: false, graph: false };
    let mut state = AppState::from_start(&start);
    assert!(state.answers_hidden());
    assert_eq!(requests(&state).len(), 0, "a torn trace would be one click away");
    // Explore all still explores: the live job of its model, for it.
    state.apply(Action::StartExploration);
    assert_eq!(requests(&state).len(), 1);
    state.apply(Action::CancelExploration);
    assert_eq!(requests(&state).len(), 0);
    let reader = |action| Step::Reader { reader: 0, action };
    let load = |register| reader(ReaderAction::Load(register));
    use pte_core::Register::{R0, R1, R2};
    let tear = [
        reader(ReaderAction::IrqOff),
        load(R0),
        Step::Writer(0),
        Step::Writer(1),
        load(R1),
        Step::Writer(2),
        Step::Writer(3),
        load(R2),
        reader(ReaderAction::Check),
    ];
    for step in tear {
        state.apply(Action::Step(step));
    }
    assert!(state.tour.open.unwrap().met);
    assert!(!state.answers_hidden());
    assert_eq!(requests(&state).len(), 1, "the goal met, the answers come back");
    // Leaving the tour shows them too.
    let mut state = AppState::from_start(&start);
    state.apply(Action::Tour(TourAction::Close));
    assert!(!state.answers_hidden());
}

#[test]
fn the_embed_view_explores_nothing() {
    let start = Start {
        fragment: pte_core::link::encode(&preset("same-low-none"), &[]),
        embed: true,
        graph: false,
    };
    let state = Rc::new(AppState::from_start(&start));
    assert!(requests(&state).is_empty());
    assert!(state.live.current().is_none());
    let state = reduce(state, Action::Redo);
    assert!(requests(&state).is_empty());
}

#[test]
fn a_refused_job_is_reported_to_the_live_answers() {
    let state = Rc::new(AppState::default());
    let job = requests(&state).remove(0);
    let reply = Reply::Failed { job: 1, message: "readers is 0".to_owned() };
    let state = reduce(state, action_for(&job, reply).unwrap());
    assert_eq!(state.live.current().unwrap().status, LiveStatus::Failed("readers is 0".to_owned()));
    assert!(requests(&state).is_empty());
    let state = reduce(state, Action::Live(web::live::LiveAction::Resume));
    assert_eq!(requests(&state).len(), 1, "Try again asks once more");
}

#[test]
fn a_witness_that_does_not_replay_is_a_failure_not_a_panic() {
    let state = Rc::new(AppState::default());
    let job = requests(&state).remove(0);
    let bogus = pte_worker::protocol::Finished {
        job: 1,
        complete: true,
        limit: None,
        states: 1,
        transitions: 0,
        outcomes: vec![pte_worker::protocol::WireOutcome {
            form: 0,
            steps: vec!["w9".to_owned()],
            occurrences: 1,
        }],
    };
    let Some(Action::Live(web::live::LiveAction::Failed { message, .. })) =
        action_for(&job, Reply::Done(bogus))
    else {
        panic!("expected a failure")
    };
    assert!(message.contains("did not replay"), "{message}");
}

#[test]
fn a_failed_explore_all_says_why() {
    let state = reduce(Rc::new(AppState::default()), Action::StartExploration);
    let job = requests(&state).remove(0);
    let reply = Reply::Failed { job: 1, message: "readers is 0".to_owned() };
    let state = reduce(state, action_for(&job, reply).unwrap());
    assert_eq!(state.exploration, Exploration::Failed { message: "readers is 0".to_owned() });
    assert!(requests(&state).is_empty());
}
