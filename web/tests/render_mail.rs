//! The page's plain-text exports beside Share: "Copy for email" (the text
//! of `pte-explorer mail` for the trace on screen or the live answers' torn
//! witness, previewed and copied) and the litmus panel's `(* Result: … *)`
//! comment (taken from the live answers, never explored on the page, equal
//! to what `pte-explorer litmus` writes whenever the page can answer the
//! test's question, and said to be pending otherwise).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use pte_core::{catalog, explore, link, litmus, mail, FlushMode, Session};
use pte_worker::engine::Jobs;
use pte_worker::protocol::{Reply, Request};
use web::browser::Start;
use web::components::litmus::{expected_from_live, litmus as litmus_panel, LitmusProps};
use web::components::share::{mail_text, share, torn_witness, ShareProps};
use web::runner::{action_for, requests};
use web::state::AppState;
use web::state::Copied;
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
    let shown = Rc::new(scenario.clone());
    let render = |expected| {
        let shown = shown.clone();
        common::render_view(move || {
            litmus_panel(&LitmusProps {
                scenario: shown.clone(),
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

const ADDRESS: &str = "https://example.org/pte/";

/// `pte-explorer mail same-low-none --base-url https://example.org/pte/`'s
/// text, from the core as the CLI makes it.
fn cli_mail(steps: &[pte_core::Step]) -> String {
    cli_mail_of("same-low-none", 0, steps)
}

/// `pte-explorer mail`'s text for preset `name`'s witness in compiled form `form`.
fn cli_mail_of(name: &str, form: usize, steps: &[pte_core::Step]) -> String {
    let scenario = catalog::find(name).unwrap().scenario();
    let options = mail::Options {
        name,
        address: ADDRESS,
        style: mail::Style::Lockdep,
        charset: mail::Charset::Ascii,
    };
    mail::text(&scenario, form, steps, &options).unwrap()
}

#[test]
fn copy_for_email_mails_the_trace_on_screen_or_else_the_live_witness() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let report = explore(scenario.clone()).unwrap();
    let witness =
        report.outcomes.iter().find(|outcome| outcome.returned_torn()).unwrap().witness.clone();

    // A replayed trace on screen, the cursor anywhere: its text.
    let mut replayed = Session::new(scenario.clone()).unwrap();
    replayed.replay(&witness).unwrap();
    replayed.jump(2);
    assert_eq!(mail_text(&replayed, None, ADDRESS), Some(cli_mail(&witness)));

    // No read on screen: the live answers' first torn witness, the CLI's.
    let start = Start::from_parts("", &link::encode(&scenario, &[]));
    let state = drive(Rc::new(AppState::from_start(&start)));
    let answers = state.live.current().cloned();
    let live_witness = torn_witness(answers.as_deref(), &scenario).expect("a torn witness");
    assert_eq!(
        live_witness,
        (0, witness.clone()),
        "the live report's first torn witness is the CLI's"
    );
    let fresh = Session::new(scenario.clone()).unwrap();
    assert_eq!(mail_text(&fresh, Some((0, &live_witness.1)), ADDRESS), Some(cli_mail(&witness)));
    // Neither: nothing to mail.
    assert_eq!(mail_text(&fresh, None, ADDRESS), None);
    assert_eq!(torn_witness(None, &scenario), None);
}

#[test]
fn copy_for_email_mails_a_compiled_witness_in_its_form() {
    // x86-TSO with every barrier off tears only through the compiler: the
    // mail names the compiled form, as the CLI's does.
    let scenario = catalog::find("tso-no-barriers").unwrap().scenario();
    let start = Start::from_parts("", &link::encode(&scenario, &[]));
    let state = drive(Rc::new(AppState::from_start(&start)));
    let answers = state.live.current().cloned();
    let (form, steps) = torn_witness(answers.as_deref(), &scenario).expect("a torn witness");
    assert_ne!(form, 0);
    let expected = cli_mail_of("tso-no-barriers", form, &steps);
    let fresh = Session::new(scenario.clone()).unwrap();
    assert_eq!(mail_text(&fresh, Some((form, &steps)), ADDRESS), Some(expected.clone()));
    // The same witness replayed on screen, in its form: the same text.
    let mut replayed = Session::compiled(scenario, form).unwrap();
    replayed.replay(&steps).unwrap();
    assert_eq!(mail_text(&replayed, None, ADDRESS), Some(expected.clone()));
    assert!(expected.contains(&format!("form={form}")), "{expected}");
}

#[tokio::test]
async fn share_previews_the_text_for_email_beside_its_copy_button() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let witness = explore(scenario)
        .unwrap()
        .outcomes
        .into_iter()
        .find(|o| o.returned_torn())
        .unwrap()
        .witness;
    let text = cli_mail(&witness);
    let render = |mail: Option<String>, copied: Option<Copied>| {
        common::render_view(move || {
            share(&ShareProps {
                permalink: "v=2".into(),
                title: "t".into(),
                mail: mail.clone().map(Into::into),
                copied,
                on_copied: Callback::noop(),
            })
        })
    };
    let html = render(Some(text.clone()), Some(Copied::Mail(true))).await;
    assert!(html.contains(r#"data-testid="mail-text""#), "{html}");
    assert!(html.contains(r#"class="mail-preview""#), "a monospace preview box");
    assert!(html.contains(">Copy for email</button>"), "{html}");
    let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    assert!(
        html.contains(&escaped.lines().nth(10).unwrap().to_owned()),
        "the preview holds the text"
    );
    assert!(html.contains("Copied the text for email to the clipboard."), "{html}");
    let none = render(None, None).await;
    assert!(none.contains(r#"data-testid="mail-none""#), "{none}");
    assert!(!none.contains("Copy for email</button>"));
}
