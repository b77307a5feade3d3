//! Native render tests of the compiler on the page (`COMPILER.md`, issue
//! 21): the editor's switch and marked accesses, the note on a link older
//! than the compiler, and what the compiler did in a witness's compiled
//! form, on the code, in the walk-through and in the verdict.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use pte_core::{catalog, explore, link, Outcome, Scenario, Session};
use web::browser::Start;
use web::components::answer::{answer_box, AnswerProps};
use web::components::explore::{explore as explore_view, ExploreProps};
use web::components::thread::{threads, ThreadsProps};
use web::components::verdict::{verdict_banner, VerdictProps};
use web::components::walk::{walk_bar, WalkProps};
use web::state::Exploration;
use web::{App, AppProps};
use yew::prelude::*;
use yew::LocalServerRenderer;

mod common;
use common::render_view;

async fn render_app(fragment: &str) -> String {
    let start = Start { fragment: fragment.to_owned(), embed: false, graph: false };
    LocalServerRenderer::<App>::with_props(AppProps { start: Some(start) })
        .hydratable(false)
        .render()
        .await
}

#[track_caller]
fn assert_contains(html: &str, needles: &[&str]) {
    for needle in needles {
        assert!(html.contains(needle), "the page lacks {needle:?}:\n{html}");
    }
}

/// A version-2 link (made before the compiler existed): x86-TSO, every
/// barrier off.
const OLDER_LINK: &str = "v=2&model=tso&bit=0&writer=zap,flush,establish&p0=100001067&z=0&\
     p=300002067&readers=1&flush=none&off=zap_wmb1,zap_wmb2,establish_wmb1,establish_wmb2,\
     reader_rmb1,reader_rmb2";

#[tokio::test]
async fn the_editor_has_the_compiler_switch_and_the_marked_accesses() {
    let html = render_app("").await;
    assert_contains(
        &html,
        &[
            r#"data-testid="compiler-settings""#,
            r#"role="switch""#,
            "WRITE_ONCE() stores",
            "READ_ONCE() loads",
        ],
    );
    // On for the kernel protocol; the accesses plain, as in v6.0.
    let switch = html.find(r#"id="compiler""#).unwrap();
    let tag = &html[html[..switch].rfind('<').unwrap()..];
    assert!(tag[..tag.find('>').unwrap()].contains("checked"), "{html}");
    assert!(!html.contains("compiler-older-link"));
}

#[tokio::test]
async fn a_link_older_than_the_compiler_says_the_compiler_is_not_modelled() {
    let html = render_app(OLDER_LINK).await;
    assert_contains(
        &html,
        &[r#"data-testid="compiler-older-link""#, "compiler not modelled (older link)"],
    );
    assert!(!html.contains(r#"role="alert""#), "no broken link:\n{html}");
    // The same scenario in a version-3 link with cc=0: a choice, no note.
    let decoded = link::decode(OLDER_LINK).unwrap();
    assert!(!decoded.scenario.compiler);
    let chosen = link::encode(&decoded.scenario, &[]);
    assert!(chosen.contains("cc=0"));
    let html = render_app(&chosen).await;
    assert!(!html.contains("compiler not modelled"), "{html}");
}

/// The first torn outcome of preset `id` under its own model, and the
/// session replaying it in its compiled form, shown after its last step.
fn torn_session(id: &str) -> (Outcome, Rc<Session>) {
    let scenario: Scenario = catalog::find(id).unwrap().scenario();
    let report = explore(scenario.clone()).unwrap();
    let outcome = report.outcomes.iter().find(|outcome| outcome.returned_torn()).unwrap().clone();
    let mut session = Session::compiled(scenario, outcome.form).unwrap();
    session.replay(&outcome.witness).unwrap();
    (outcome, Rc::new(session))
}

fn shown(session: &Rc<Session>, torn_only_by_the_compiler: bool) -> Html {
    html! {
        <>
            { walk_bar(&WalkProps {
                session: session.clone(),
                notice: None,
                end: None,
                lesson_done: None,
                on_jump: Callback::noop(),
                on_tour: Callback::noop(),
            }) }
            { verdict_banner(&VerdictProps { session: session.clone(), torn_only_by_the_compiler }) }
            { threads(&ThreadsProps {
                session: session.clone(),
                editable: true,
                next: None,
                on_step: Callback::noop(),
                on_toggle_barrier: Callback::noop(),
                on_edit: Callback::noop(),
            }) }
        </>
    }
}

#[tokio::test]
async fn a_compiled_witness_shows_what_the_compiler_did_and_that_the_cpu_did_not() {
    // x86-TSO with every barrier off tears only through the compiler; its
    // first witness is the compiler's moved load.
    let (outcome, session) = torn_session("tso-no-barriers");
    assert_ne!(outcome.form, 0);
    let changes = session.program().compiled_changes();
    assert!(!changes.is_empty());
    let html = {
        let session = session.clone();
        // The live answers say x86-TSO never tears the code as written.
        render_view(move || shown(&session, true)).await
    };
    let form = format!(r#"data-form="{}""#, outcome.form);
    for testid in ["compiled-listing", "walk-compiled", "verdict-compiler"] {
        assert_contains(&html, &[&format!(r#"data-testid="{testid}" {form}"#)]);
    }
    // Each sentence on the code, in the walk-through and in the verdict.
    for change in &changes {
        let escaped = change.replace('<', "&lt;").replace('>', "&gt;");
        assert_eq!(html.matches(&format!("<li>{escaped}</li>")).count(), 3, "{change}:\n{html}");
    }
    assert_contains(
        &html,
        &[
            "the compiler moved",
            "Possible under x86-TSO only because of the compiler: the code as written never \
             returns a torn value under x86-TSO, the code as compiled (form",
            "The CPU's steps above are on the way, not the cause:",
            &format!("The code as compiled (form {})", outcome.form),
        ],
    );

    // The code as written says nothing of a compiled form.
    let plain = Rc::new(Session::new(session.scenario().clone()).unwrap());
    let html = render_view(move || shown(&plain, false)).await;
    assert!(!html.contains("compiled"), "{html}");

    // Under SC the CPU reorders nothing: the compiler alone made it possible.
    let (outcome, session) = torn_session("sc-compiler-no-barriers");
    assert_ne!(outcome.form, 0);
    let html = render_view(move || shown(&session, true)).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="verdict-compiler""#,
            "Possible under sequential consistency only because of the compiler, not the CPU: \
             every step runs in order",
        ],
    );
    assert!(!html.contains(r#"data-testid="verdict-why""#), "no CPU relaxation:\n{html}");

    // Without the live answers' word, a CPU relaxation on the way is not
    // called the cause: the compiler's change is said beside it.
    let (_, session) = torn_session("tso-no-barriers");
    let html = render_view(move || shown(&session, false)).await;
    assert_contains(
        &html,
        &["And the compiler changed the code: the read runs in the code as compiled (form"],
    );
    assert!(!html.contains("only because of the compiler"), "{html}");
}

#[tokio::test]
async fn explore_all_says_when_only_the_compiler_tears_and_which_rows_run_compiled() {
    let scenario = catalog::find("tso-no-barriers").unwrap().scenario();
    let report = Rc::new(explore(scenario.clone()).unwrap());
    let compiled: Vec<usize> =
        report.outcomes.iter().map(|outcome| outcome.form).filter(|form| *form != 0).collect();
    assert!(!compiled.is_empty());
    let exploration = Exploration::Finished { report: report.clone(), limit: None };
    let props = AnswerProps {
        exploration: exploration.clone(),
        on_run: Callback::noop(),
        on_cancel: Callback::noop(),
        on_show_values: Callback::noop(),
    };
    let html = render_view(move || answer_box(&props)).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="explore-compiler-only""#,
            "Only because of the compiler: the code as written never tears",
        ],
    );
    let props = ExploreProps { exploration, replayed: None, on_replay: Callback::noop() };
    let html = render_view(move || explore_view(&props)).await;
    for form in &compiled {
        assert_contains(&html, &[&format!(", compiled form {form})")]);
    }
    assert_eq!(html.matches(", compiled form ").count(), 2 * compiled.len(), "{html}");

    // With READ_ONCE() and WRITE_ONCE() nothing tears, and nothing is compiled.
    let marked = Scenario { marked_reader: true, marked_writer: true, ..scenario };
    let exploration =
        Exploration::Finished { report: Rc::new(explore(marked).unwrap()), limit: None };
    let props = AnswerProps {
        exploration,
        on_run: Callback::noop(),
        on_cancel: Callback::noop(),
        on_show_values: Callback::noop(),
    };
    let html = render_view(move || answer_box(&props)).await;
    assert!(html.contains(r#"data-torn="Never""#), "{html}");
    assert!(!html.contains("compiler"), "{html}");
}
