//! The litmus panel's `(* Result: … *)` comment: taken from the live
//! answers (never explored on the page), equal to what `pte-explorer
//! litmus` writes whenever the page can answer the test's question, and
//! said to be pending otherwise.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use pte_core::{catalog, link, litmus, FlushMode, Session};
use pte_worker::engine::Jobs;
use pte_worker::protocol::{Reply, Request};
use web::browser::Start;
use web::components::litmus::{expected_from_live, litmus as litmus_panel, LitmusProps};
use web::runner::{action_for, requests};
use web::state::AppState;
use yew::{Callback, Reducible};

/// Answers every exploration the state asks for through the worker's
/// engine, until it asks for none.
fn drive(mut state: Rc<AppState>) -> Rc<AppState> {
    let mut explorations = 0;
    while let Some(job) = requests(&state).into_iter().next() {
        let mut jobs = Jobs::new();
        let request =
            Request::Explore { job: 1, scenario: job.scenario.clone(), max_states: job.max_states };
        assert!(jobs.handle(request, 0.0).is_empty());
        let mut finished = None;
        while finished.is_none() {
            finished = jobs
                .run_slice(1e9, &|| 0.0)
                .into_iter()
                .find(|reply| matches!(reply, Reply::Done(_)));
        }
        state =
            state.reduce(action_for(&job, finished.unwrap()).expect("a finished job is an action"));
        explorations += 1;
        assert!(explorations < 500, "the requests never end");
    }
    state
}

#[test]
fn the_page_s_result_comment_is_the_cli_s_whenever_it_can_answer() {
    for preset in catalog::presets() {
        let scenario = preset.scenario();
        if litmus::export(&scenario, "t").is_err() {
            continue;
        }
        let start = Start::from_parts("", &link::encode(&scenario, &[]));
        let state = drive(Rc::new(AppState::from_start(&start)));
        let answers = state.live.current().cloned();
        let expected = expected_from_live(answers.as_deref(), &scenario);
        match scenario.flush {
            FlushMode::Ipi => {
                assert_eq!(expected, None, "{}: the page asks no paravirt question", preset.id)
            }
            _ => assert_eq!(expected, Some(litmus::expected_result(&scenario)), "{}", preset.id),
        }
    }
}

#[tokio::test]
async fn the_panel_writes_the_result_it_is_given_or_says_it_is_pending() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let session = Rc::new(Session::new(scenario.clone()).unwrap());
    let render = |expected| {
        let session = session.clone();
        common::render_view(move || {
            litmus_panel(&LitmusProps {
                session: session.clone(),
                expected,
                copied: None,
                on_copied: Callback::noop(),
            })
        })
    };
    let answered = render(Some(litmus::Expected::Sometimes)).await;
    let cli =
        litmus::export_with_result(&scenario, "pte-same-low-none", litmus::Expected::Sometimes)
            .unwrap();
    assert!(answered.contains("(* Result: Sometimes *)"), "{answered}");
    assert!(
        answered.contains(&cli.lines().nth(3).unwrap().replace('>', "&gt;")),
        "the export follows"
    );
    assert!(!answered.contains("litmus-result-pending"));
    let pending = render(None).await;
    assert!(!pending.contains("Result: Sometimes"));
    assert!(pending.contains(r#"data-testid="litmus-result-pending""#), "{pending}");
}
