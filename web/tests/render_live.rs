//! Native render tests of the live answers: the strip near the verdict,
//! what a change did, under which models a read is possible, and the
//! barrier matrix panel, rendered from answers explored here.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use pte_core::{catalog, explore, Barrier, Scenario, Session};
use web::browser::Start;
use web::components::live::{live_strip, LiveStripProps};
use web::components::matrix::{matrix_panel, MatrixPanelProps};
use web::components::possible::{read_under_models, ReadUnderModelsProps};
use web::live::{JobProgress, Live, LiveAction};
use web::{App, AppProps};
use yew::{Callback, LocalServerRenderer};

mod common;
use common::render_view;

/// The live answers after following `scenarios` in turn, each explored.
fn answered(scenarios: &[Scenario]) -> Live {
    let mut live = Live::default();
    for scenario in scenarios {
        live.follow(scenario);
        while let Some((request, scenario)) = live.request() {
            let report = Rc::new(explore(scenario).unwrap());
            live.apply(LiveAction::Finished { request, report });
        }
    }
    live
}

fn preset(id: &str) -> Scenario {
    catalog::find(id).unwrap().scenario()
}

/// The matrix panel of the scenario `live` shows.
async fn render_matrix(live: &Live) -> String {
    let props = MatrixPanelProps {
        answers: live.current().cloned(),
        states: live.states(),
        on_live: Callback::noop(),
        on_load: Callback::noop(),
    };
    render_view(move || matrix_panel(&props)).await
}

/// The strip of the scenario `live` shows, with what the last change did.
async fn render_strip(live: &Live) -> String {
    let props = LiveStripProps {
        answers: live.current().cloned(),
        changes: live.changes().map(Rc::new),
        states: live.states(),
        on_live: Callback::noop(),
        on_load: Callback::noop(),
    };
    render_view(move || live_strip(&props)).await
}

#[track_caller]
fn assert_contains(html: &str, needles: &[&str]) {
    for needle in needles {
        assert!(html.contains(needle), "the HTML lacks {needle:?}:\n{html}");
    }
}

#[tokio::test]
async fn the_page_has_a_strip_near_the_verdict_and_a_matrix_panel() {
    let html = LocalServerRenderer::<App>::with_props(AppProps { start: Some(Start::default()) })
        .hydratable(false)
        .render()
        .await;
    let strip = html.find(r#"data-testid="live-strip""#).expect("a strip");
    let verdict = html.find(r#"data-testid="verdict""#).expect("a verdict");
    assert!(strip < verdict, "the strip comes right before the verdict");
    // Not explored yet in a rendering without effects.
    assert_contains(
        &html,
        &[r#"data-testid="live-sc" data-torn="pending""#, "SC: …", r#"data-testid="matrix""#],
    );
    assert!(!html.contains(" style="), "a style attribute:\n{html}");

    let embed = LocalServerRenderer::<App>::with_props(AppProps {
        start: Some(Start { fragment: String::new(), embed: true, graph: false }),
    })
    .hydratable(false)
    .render()
    .await;
    assert!(!embed.contains("live-strip") && !embed.contains(r#"data-testid="matrix""#));
}

#[tokio::test]
async fn the_strip_says_each_model_s_answer_and_what_the_change_did() {
    // With READ_ONCE() loads the compiler keeps the reader's order: only
    // the weak CPU tears without the first smp_rmb().
    let kernel = Scenario { marked_reader: true, ..preset("different-low") };
    let mut fewer = kernel.clone();
    fewer.barriers.set(Barrier::ReaderRmb1, false);
    let live = answered(&[kernel, fewer]);
    let html = render_strip(&live).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="live-sc" data-torn="never""#,
            "SC: never",
            "x86-TSO: never",
            r#"data-torn="sometimes""#,
            "SOMETIMES",
            "Torn read: SC never, x86-TSO never, weak sometimes.",
            r#"data-testid="what-changed" data-changes="2""#,
            "0x0000000000002067",
            "TORN",
            "under weak",
            r#"data-testid="change-replay""#,
        ],
    );
    assert!(html.contains("aria-label=\"weak: torn read sometimes. Replay the shortest torn trace"));
    assert!(!html.contains("compiler"), "no compiled form in these answers:\n{html}");
}

#[tokio::test]
async fn the_strip_says_when_only_the_compiler_makes_a_read_tear() {
    // Plain loads (v6.0's), the compiler on (COMPILER.md): without the
    // first smp_rmb() the compiler may load high before low, so SC and
    // x86-TSO tear too, through a compiled form only; weak by its CPU.
    let kernel = preset("different-low");
    let mut fewer = kernel.clone();
    fewer.barriers.set(Barrier::ReaderRmb1, false);
    let live = answered(&[kernel, fewer]);
    let html = render_strip(&live).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="live-sc" data-torn="sometimes" data-compiler-only="true""#,
            "aria-label=\"SC: torn read sometimes, only because of the compiler. Replay",
            "aria-label=\"x86-TSO: torn read sometimes, only because of the compiler. Replay",
            "aria-label=\"weak: torn read sometimes. Replay",
            "Torn read: SC sometimes (only because of the compiler), x86-TSO sometimes (only \
             because of the compiler), weak sometimes.",
            r#"data-testid="what-changed" data-changes="6""#,
            "under SC (low from P1, op 3, high from Z, op 1), only because of the compiler",
        ],
    );
    assert_eq!(html.matches(r#"data-compiler-only="true""#).count(), 2, "{html}");
    assert_eq!(html.matches("only because of the compiler").count(), 2 + 2 + 4, "{html}");
}

#[tokio::test]
async fn a_read_by_hand_is_placed_under_the_models_that_allow_it() {
    // With READ_ONCE() loads only the weak CPU returns the torn value.
    let scenario = Scenario { marked_reader: true, ..preset("weak-no-rmb1") };
    let live = answered(std::slice::from_ref(&scenario));
    let answers = live.current().cloned().unwrap();
    let witness = &answers.report(pte_core::MemoryModel::Weak).unwrap().outcomes;
    let torn = witness.iter().find(|outcome| outcome.verdict.is_torn()).unwrap();
    let mut session = Session::new(scenario).unwrap();
    session.replay(&torn.witness).unwrap();
    let props = ReadUnderModelsProps {
        answers: Some(answers),
        read: session.last_read().copied(),
        on_load: Callback::noop(),
    };
    let html = render_view(move || read_under_models(&props)).await;
    assert_contains(
        &html,
        &[
            "possible under weak only",
            r#"data-models="weak""#,
            r#"data-model="sc" data-possible="no""#,
            r#"data-model="weak" data-possible="yes""#,
            "Replay under weak",
        ],
    );
    assert!(!html.contains("compiler"));

    // Plain loads (the preset's): possible under every model, SC and
    // x86-TSO only because of the compiler.
    let scenario = preset("weak-no-rmb1");
    let live = answered(std::slice::from_ref(&scenario));
    let props = ReadUnderModelsProps {
        answers: live.current().cloned(),
        read: session.last_read().copied(),
        on_load: Callback::noop(),
    };
    let html = render_view(move || read_under_models(&props)).await;
    assert_contains(
        &html,
        &[
            "possible under every model",
            r#"data-models="sc,tso,weak""#,
            r#"data-model="sc" data-possible="yes""#,
        ],
    );
    assert_eq!(html.matches(", only because of the compiler").count(), 2, "{html}");
}

#[tokio::test]
async fn the_matrix_panel_shows_every_cell_and_the_minimal_sets_in_words() {
    let live = answered(&[preset("kernel")]);
    let html = render_matrix(&live).await;
    // 7 rows (as given and six sites) × 3 models, twelve of them torn
    // (each model without each of the kernel's four barriers). Under SC and
    // x86-TSO only because of the compiler (COMPILER.md): those eight
    // are marked cc, and the legend says what that means.
    assert_eq!(html.matches(r#"data-testid="matrix-cell""#).count(), 21, "{html}");
    assert_eq!(html.matches(r#"data-torn="sometimes""#).count(), 12, "{html}");
    assert_eq!(html.matches(r#"data-compiler-only="true""#).count(), 8, "{html}");
    assert_eq!(html.matches(">TORN cc</button>").count(), 8, "{html}");
    assert!(html.contains(
        "aria-label=\"x86-TSO, without reader_rmb1: torn only because of the compiler. Load it"
    ));
    assert_contains(
        &html,
        &[
            r#"data-finished="true""#,
            r#"data-testid="matrix-cc""#,
            "cc: torn only because of the compiler",
            "On x86 (x86-TSO) this barrier is there for the compiler",
            "needs zap_wmb1, establish_wmb1, reader_rmb1 and reader_rmb2; every other site can be off.",
            "zap_wmb2 and establish_wmb2 are never needed in this scenario, under any model.",
            "never needed</span>",
            "off already",
            "explorations",
        ],
    );
    // x86-TSO's line says the barriers are for the compiler, never that
    // none is needed; weak's CPU needs them by itself.
    assert!(!html.contains("no barrier is needed"), "{html}");
    let line = |model: &str| {
        let start = html.find(&format!(r#"<li data-model="{model}">"#)).unwrap();
        html[start..start + html[start..].find("</li>").unwrap()].to_owned()
    };
    for model in ["sc", "tso"] {
        assert!(line(model).contains("these barriers are there for the compiler"), "{html}");
    }
    assert!(!line("weak").contains("compiler"), "{html}");
    assert!(!html.contains(" style="));
}

#[tokio::test]
async fn the_matrix_panel_says_no_barrier_is_needed_only_for_what_it_models() {
    // READ_ONCE() and WRITE_ONCE(): the compiler may not reorder or merge,
    // and x86's CPU keeps the order, so no barrier is needed there.
    let marked = Scenario { marked_reader: true, marked_writer: true, ..preset("kernel") };
    let html = render_matrix(&answered(&[marked])).await;
    assert!(
        html.contains(
            r#"<li data-model="tso"><strong>x86-TSO: </strong>no barrier is needed.</li>"#
        ),
        "{html}"
    );
    assert!(!html.contains("compiler"), "{html}");
    // The compiler not modelled (an older link): the same words are the
    // CPU's answer only, and the panel says so.
    let older = Scenario { compiler: false, ..preset("kernel") };
    let html = render_matrix(&answered(&[older])).await;
    assert_contains(
        &html,
        &[
            "no barrier is needed. That is the CPU's answer only: the compiler is not modelled here",
            "The compiler is not modelled in this scenario",
        ],
    );
}

#[tokio::test]
async fn a_big_scenario_s_matrix_waits_for_a_click() {
    let mut live = Live::default();
    live.follow(&preset("kernel"));
    for _ in 0..3 {
        let (request, scenario) = live.request().unwrap();
        let mut report = explore(scenario).unwrap();
        report.states = web::live::AUTO_MATRIX_STATES + 1;
        live.apply(LiveAction::Finished { request, report: Rc::new(report) });
    }
    let html = render_matrix(&live).await;
    assert_contains(
        &html,
        &[r#"data-status="on-request""#, "Compute the matrix", "200,001 states"],
    );
}

#[tokio::test]
async fn the_strip_says_how_far_the_running_exploration_got() {
    let mut live = Live::default();
    live.follow(&preset("kernel"));
    let (request, _) = live.request().unwrap();
    let progress = JobProgress { states: 12_345, transitions: 30_000, pending: 77 };
    live.apply(LiveAction::Progress { request, progress });
    assert!(live.changes().is_none(), "nothing changed yet");
    let html = render_strip(&live).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="live-progress""#,
            "Exploring under SC… 12,345 states so far.",
            "live-cancel",
        ],
    );
}
