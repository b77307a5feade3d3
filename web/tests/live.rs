//! The live answers through the page's reducer and runner, natively: the
//! state asks for explorations ([`web::runner::requests`]), the worker's
//! engine answers them as the worker would (text messages included), and
//! the replies come back as actions ([`web::runner::action_for`]).
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use pte_core::{catalog, Barrier, MemoryModel, Pte, Scenario, Torn};
use pte_worker::engine::Jobs;
use pte_worker::protocol::{Reply, Request};
use web::browser::Start;
use web::live::LiveStatus;
use web::runner::{action_for, requests, Purpose};
use web::state::{Action, AppState, Exploration};
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
    assert_eq!(first[0].purpose, Purpose::Live);
    let (state, explorations) = drive(state);
    assert!(explorations >= 3);
    let answers = state.live.current().unwrap();
    assert_eq!(answers.status, LiveStatus::Done);
    assert!(answers.matrix().is_finished());

    // Switching the first rmb off under the weak model: new torn values,
    // answered with no click.
    let state = reduce(state, Action::SetModel(MemoryModel::Weak));
    assert!(requests(&state).is_empty(), "the model alone changes no answer");
    let state = reduce(state, Action::SetFlush(pte_core::FlushMode::None));
    let (state, _) = drive(state);
    let state = reduce(state, Action::SetBarrier(Barrier::ReaderRmb1, false));
    assert!(!requests(&state).is_empty(), "a barrier switch is explored by itself");
    let (state, _) = drive(state);
    let answers = state.live.current().unwrap();
    assert_eq!(answers.report(MemoryModel::Weak).unwrap().torn().word(), Torn::Sometimes);
    assert_eq!(answers.report(MemoryModel::Sc).unwrap().torn().word(), Torn::Never);
    let changes = state.live.changes().unwrap();
    let new_torn: Vec<Pte> = changes
        .items
        .iter()
        .filter(|change| change.appeared && change.outcome.verdict.is_torn())
        .map(|change| change.outcome.value)
        .collect();
    assert_eq!(new_torn, [Pte(0x2067), Pte(0x0000_0001_0000_2067)]);

    // Replay of a change loads its scenario and trace; undo goes back.
    let change = changes.items.iter().find(|change| change.appeared).unwrap().clone();
    let state = reduce(
        state,
        Action::LoadVariant {
            scenario: change.scenario.clone(),
            steps: change.outcome.witness.clone(),
        },
    );
    assert_eq!(state.session.scenario(), &change.scenario);
    assert_eq!(state.session.last_read().unwrap().read.value, change.outcome.value);
    // (Undo steps back through the trace first; at its start it restores the session.)
    let state = reduce(reduce(state, Action::Jump(0)), Action::Undo);
    assert!(!state.session.scenario().barriers.is_on(Barrier::ReaderRmb1));
    assert_eq!(state.session.scenario().model, MemoryModel::Weak);

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
fn explore_all_and_the_live_answers_are_separate_jobs() {
    let state = reduce(Rc::new(AppState::default()), Action::StartExploration);
    let wanted = requests(&state);
    assert_eq!(
        wanted.iter().map(|job| job.purpose).collect::<Vec<_>>(),
        [Purpose::ExploreAll, Purpose::Live]
    );
    let explore = wanted[0].clone();
    let report = pte_core::explore(explore.scenario.clone()).unwrap();
    let mut jobs = Jobs::new();
    jobs.handle(
        Request::Explore {
            job: 9,
            scenario: explore.scenario.clone(),
            max_states: explore.max_states,
        },
        0.0,
    );
    let reply = jobs.run_slice(1e9, &|| 0.0).pop().unwrap();
    let state = reduce(state, action_for(&explore, reply).unwrap());
    let Exploration::Finished { report: found, limit: None } = &state.exploration else {
        panic!("{:?}", state.exploration)
    };
    assert_eq!(**found, report);
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
    let job = requests(&state).into_iter().find(|job| job.purpose == Purpose::ExploreAll).unwrap();
    let reply = Reply::Failed { job: 1, message: "readers is 0".to_owned() };
    let state = reduce(state, action_for(&job, reply).unwrap());
    assert_eq!(state.exploration, Exploration::Failed { message: "readers is 0".to_owned() });
    assert!(requests(&state).iter().all(|job| job.purpose != Purpose::ExploreAll));
}
