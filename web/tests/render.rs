//! Native render tests: the app and its components rendered to HTML with
//! `yew::LocalServerRenderer` (yew's `ssr` feature), checked for the content
//! a person must see.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use pte_core::{
    catalog, explore, link, MemoryModel, ReaderAction, ReaderKind, Register, Scenario, Session,
    Step,
};
use web::browser::Start;
use web::components::answer::{answer_box, AnswerProps};
use web::components::explore::{explore as explore_view, ExploreProps};
use web::components::pictures::{Pictures, PicturesProps};
use web::components::state_view::{state_view, StateViewProps};
use web::components::thread::{threads, ThreadsProps};
use web::components::trace::{trace, TraceProps};
use web::components::verdict::{verdict_banner, VerdictProps};
use web::components::walk::{walk_bar, WalkProps};
use web::state::Exploration;
use web::{App, AppProps};
use yew::prelude::*;
use yew::LocalServerRenderer;

mod common;
use common::render_view;

async fn render_app(start: Start) -> String {
    LocalServerRenderer::<App>::with_props(AppProps { start: Some(start) })
        .hydratable(false)
        .render()
        .await
}

fn link_start(scenario: &Scenario, steps: &[Step]) -> Start {
    Start { fragment: link::encode(scenario, steps), embed: false, graph: false }
}

/// The parts of the full page that show a state: the walk-through bar, the
/// verdict, the threads, the state and the trace.
fn walked(session: &Rc<Session>) -> Html {
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
            { verdict_banner(&VerdictProps { session: session.clone(), torn_only_by_the_compiler: false }) }
            { threads(&ThreadsProps {
                session: session.clone(),
                editable: true,
                next: session.all_steps().get(session.cursor()).copied(),
                on_step: Callback::noop(),
                on_toggle_barrier: Callback::noop(),
                on_edit: Callback::noop(),
            }) }
            { state_view(&StateViewProps { session: session.clone() }) }
            { trace(&TraceProps {
                session: session.clone(),
                can_undo: true,
                can_redo: false,
                undo_restores_session: false,
                on_undo: Callback::noop(),
                on_redo: Callback::noop(),
                on_jump: Callback::noop(),
                fixed: false,
            }) }
        </>
    }
}

/// The page's state after `steps`, shown after the first `shown` of them
/// (all of them when `None`), as the walk-through shows it.
async fn render_walked_to(scenario: &Scenario, steps: &[Step], shown: Option<usize>) -> String {
    let mut session = Session::new(scenario.clone()).unwrap();
    session.replay(steps).unwrap();
    session.jump(shown.unwrap_or(steps.len()));
    let session = Rc::new(session);
    render_view(move || walked(&session)).await
}

async fn render_walked(scenario: &Scenario, steps: &[Step]) -> String {
    render_walked_to(scenario, steps, None).await
}

fn parse(ids: &[&str]) -> Vec<Step> {
    ids.iter().map(|id| Step::parse(id).unwrap()).collect()
}

/// The same-low-half tear in same-low-none (flush none: w1, w2 zap low and
/// high, w3, w4 establish high and low).
const SAME_LOW_TEAR: [Step; 9] = [
    reader(ReaderAction::IrqOff),
    reader(ReaderAction::Load(Register::R0)),
    Step::Writer(0),
    Step::Writer(1),
    reader(ReaderAction::Load(Register::R1)),
    Step::Writer(2),
    Step::Writer(3),
    reader(ReaderAction::Load(Register::R2)),
    reader(ReaderAction::Check),
];

const fn reader(action: ReaderAction) -> Step {
    Step::Reader { reader: 0, action }
}

#[track_caller]
fn assert_contains(html: &str, needles: &[&str]) {
    for needle in needles {
        assert!(html.contains(needle), "the page lacks {needle:?}:\n{html}");
    }
}

#[tokio::test]
async fn the_default_page_shows_the_kernel_protocol_as_code() {
    let html = render_app(Start::default()).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="app-ready""#,
            r#"data-testid="initial-pte">0x0000000100001067<"#,
            "present bit: bit 0 (low half)",
            "native_pte_clear(mm, addr, ptep)",
            "ptep-&gt;pte_low = 0x00000000;",
            "set_pte(ptep, P1)",
            "r1 = ptep-&gt;pte_high;",
            "if (unlikely(r0 != r2)) goto retry;",
            "No read has completed yet.",
            "The kernel protocol as written",
            r#"data-testid="explore-run""#,
        ],
    );
    assert_eq!(html.matches("<code>smp_rmb();</code>").count(), 2, "one reader, two rmb sites");
    assert_eq!(
        html.matches("<code>smp_wmb();</code>").count(),
        4,
        "zap and establish, two wmb sites each"
    );
    // SC: the writer's first store and the reader's irq_off can run, nothing else.
    assert_contains(&html, &[r#"data-testid="step-w1""#, r#"data-testid="step-r1.off""#]);
    assert!(!html.contains(r#"data-testid="step-w2""#));
    assert_eq!(html.matches(r#"aria-disabled="false""#).count(), 2);
}

#[tokio::test]
async fn a_blocked_step_says_why() {
    // Under IPI flush, a reader inside its interrupts-off section blocks the flush.
    let scenario = Scenario::kernel();
    let steps = [Step::Writer(0), Step::Writer(1), reader(ReaderAction::IrqOff)];
    let html = render_walked(&scenario, &steps).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="step-w3""#,
            r#"aria-disabled="true""#,
            r#"aria-describedby="why-w3""#,
            "flush waits: reader 1 has interrupts off",
            // The blocked flush keeps number 1 and the reader's line number 2.
            r#"<li data-number="1" class="line offered blocked depth-1"><button type="button" data-testid="step-w3""#,
            r#"<li data-number="2" class="line offered depth-1"><button type="button" data-testid="step-r1.r0""#,
        ],
    );
}

#[tokio::test]
async fn the_weak_model_offers_every_access_and_tso_offers_a_drain() {
    let weak = Scenario { model: MemoryModel::Weak, ..Scenario::kernel() };
    let html = render_walked(&weak, &[reader(ReaderAction::IrqOff)]).await;
    for id in ["step-r1.r0", "step-r1.r1", "step-r1.r2", "step-w1", "step-w2"] {
        assert_contains(&html, &[&format!(r#"data-testid="{id}""#)]);
    }

    let tso = Scenario { model: MemoryModel::Tso, ..Scenario::kernel() };
    let html = render_walked(&tso, &[Step::Writer(0)]).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="step-wd""#,
            "drain the store buffer",
            "Writer's store buffer",
            "low ← 0x00000000 (Z, op 1)",
        ],
    );
}

#[tokio::test]
async fn a_torn_read_is_announced() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let steps = SAME_LOW_TEAR;
    let html = render_walked(&scenario, &steps).await;
    assert_contains(
        &html,
        &[
            r#"data-verdict="torn""#,
            r#"role="status""#,
            "TORN",
            "Low half from P0 (initial), high half from Z (writer op 1)",
            "9 steps taken",
            "A present PTE that no writer ever wrote",
        ],
    );
    assert!(!html.contains("half-written"), "memory never held P0.low with a zero high");
}

#[tokio::test]
async fn a_mid_clear_value_is_called_a_half_written_entry() {
    // MIPS/SH clear high first: after the first store memory holds
    // (P0.low, 0), and the reader can return exactly that.
    let scenario = catalog::find("mips-sh").unwrap().scenario();
    let steps = [
        Step::Writer(0),
        reader(ReaderAction::IrqOff),
        reader(ReaderAction::Load(Register::R0)),
        reader(ReaderAction::Load(Register::R1)),
        reader(ReaderAction::Load(Register::R2)),
        reader(ReaderAction::Check),
    ];
    let html = render_walked(&scenario, &steps).await;
    assert_contains(
        &html,
        &[
            r#"data-verdict="torn""#,
            "Memory itself held this value for a moment, between the two stores of one update: \
             a half-written entry.",
            "pte_clear(mm, addr, ptep)",
            "present bit last; MIPS/SH",
        ],
    );
}

#[tokio::test]
async fn the_kernel_page_marks_jasons_barriers_and_links_its_sources() {
    let html = render_app(Start::default()).await;
    // Two trailing wmbs, each marked and switched off as in the kernel.
    assert_eq!(html.matches("/* Jason's sketch, not in the kernel; removed */").count(), 2);
    assert_contains(
        &html,
        &[
            r#"href="https://lore.kernel.org/all/CAG48ez3h-mnp9ZFC10v+-BW_8NQvxbwBsMYJFP8JX31o0B17Pg@mail.gmail.com/""#,
            "local_irq_save(flags);",
            "tlb_finish_mmu(&amp;tlb);",
        ],
    );
}

#[tokio::test]
async fn a_broken_link_shows_an_alert_and_the_default_scenario() {
    let html =
        render_app(Start { fragment: "v=1&model=sc&bit=x".to_owned(), embed: false, graph: false })
            .await;
    assert_contains(
        &html,
        &[
            r#"role="alert""#,
            r#"data-testid="link-error""#,
            "This link could not be read",
            "native_pte_clear",
        ],
    );
}

#[tokio::test]
async fn the_embed_view_has_a_player_and_no_editor() {
    let steps = [Step::Writer(0), Step::Writer(1)];
    let start =
        Start { fragment: link::encode(&Scenario::kernel(), &steps), embed: true, graph: false };
    let html = render_app(start).await;
    assert_contains(
        &html,
        &["step 0 of 2", r#"data-testid="player-forward""#, "Open in the full explorer"],
    );
    assert!(!html.contains(r#"data-testid="preset-select""#), "no scenario editing");
    assert!(!html.contains(r#"data-testid="explore-run""#));
}

#[tokio::test]
async fn the_embed_view_shows_the_execution_graph_when_its_address_asks() {
    let fragment = link::encode(&Scenario::kernel(), &[Step::Writer(0), Step::Writer(1)]);
    let plain = render_app(Start { fragment: fragment.clone(), embed: true, graph: false }).await;
    assert!(!plain.contains(r#"data-testid="pictures""#), "no graph unless asked for");
    let graph = render_app(Start::from_parts("?embed=1&view=graph", &format!("#{fragment}"))).await;
    assert_contains(
        &graph,
        &[
            r#"data-testid="pictures""#,
            r#"data-testid="picture""#,
            "step 0 of 2",
            "Open in the full explorer",
        ],
    );
    assert!(!graph.contains(r#"data-testid="preset-select""#), "still the embed view");
}

#[tokio::test]
async fn the_embed_view_says_where_its_trace_ends_and_offers_one_set_of_controls() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let steps = SAME_LOW_TEAR;
    let html =
        render_app(Start { fragment: link::encode(&scenario, &steps), embed: true, graph: false })
            .await;
    assert_contains(
        &html,
        &[
            "The linked trace (9 steps) ends <strong>✖ TORN 0x0000000000001067</strong>",
            r#"data-verdict="torn""#,
            // The trace's first step is marked on its line, which is no button.
            r#"<li data-testid="line-r1.off" class="line next depth-0">"#,
        ],
    );
    let link_at = html.find(r#"data-testid="open-full""#).expect("a link to the full explorer");
    let player_at = html.find(r#"data-testid="player-start""#).expect("a player");
    assert!(link_at < player_at, "the link to the full explorer comes first");
    assert!(!html.contains(r#"class="step""#), "code lines are not steps to take");
    for control in ["undo", "redo", "restart"] {
        assert!(!html.contains(&format!(r#"data-testid="{control}""#)), "no {control} button");
    }

    let allowed = [
        reader(ReaderAction::IrqOff),
        reader(ReaderAction::Load(Register::R0)),
        reader(ReaderAction::Load(Register::R1)),
        reader(ReaderAction::Load(Register::R2)),
        reader(ReaderAction::Check),
    ];
    let html = render_app(Start {
        fragment: link::encode(&Scenario::kernel(), &allowed),
        embed: true,
        graph: false,
    })
    .await;
    assert_contains(
        &html,
        &["ends <strong>✔ allowed: pre-zap (P0)</strong>", r#"data-verdict="allowed""#],
    );
}

#[tokio::test]
async fn a_broken_link_in_the_embed_view_shows_an_alert_and_an_empty_player() {
    let html =
        render_app(Start { fragment: "v=1&model=arm".to_owned(), embed: true, graph: false }).await;
    assert_contains(
        &html,
        &[
            r#"role="alert""#,
            "This link could not be read",
            "The linked trace (0 steps) ends <strong>before any read completes</strong>",
            "step 0 of 0",
            "native_pte_clear",
        ],
    );
}

#[tokio::test]
async fn no_element_has_a_style_attribute_which_the_page_policy_would_refuse() {
    let tso = Scenario { model: MemoryModel::Tso, ..Scenario::kernel() };
    let pages = [
        Start::default(),
        link_start(&tso, &[Step::Writer(0), reader(ReaderAction::IrqOff)]),
        Start { fragment: link::encode(&tso, &[Step::Writer(0)]), embed: true, graph: false },
    ];
    for start in pages {
        let html = render_app(start).await;
        assert!(html.contains(r#"class="line "#), "the threads are rendered");
        assert!(!html.contains(" style="), "a style attribute:\n{html}");
    }
}

#[tokio::test]
async fn the_state_view_marks_the_present_bit_and_names_sources() {
    let mut session = Session::new(Scenario::kernel()).unwrap();
    session.step(Step::Writer(0)).unwrap();
    let props = StateViewProps { session: Rc::new(session) };
    let html = render_view(move || state_view(&props)).await;
    assert_contains(
        &html,
        &[
            r#"class="present-bit""#,
            "▲ present bit (bit 0) = 0",
            "Z (writer op 1)",
            "P0 (initial)",
            r#"data-testid="memory-pte">0x0000000100000000<"#,
            "not present",
        ],
    );
}

#[tokio::test]
async fn the_state_view_shows_the_sequence_counter_only_with_its_writer() {
    let mut scenario = Scenario::kernel();
    let plain = Session::new(scenario.clone()).unwrap();
    let props = StateViewProps { session: Rc::new(plain) };
    let html = render_view(move || state_view(&props)).await;
    assert!(!html.contains("memory-seq"), "{html}");
    scenario.seqcount = true;
    let mut session = Session::new(scenario).unwrap();
    session.step(Step::Writer(0)).unwrap();
    let props = StateViewProps { session: Rc::new(session) };
    let html = render_view(move || state_view(&props)).await;
    assert_contains(
        &html,
        &[
            r#"<p data-testid="memory-seq" class="seq-word">"#,
            r#">Sequence counter <code>seq</code> = <code data-testid="memory-seq-value">1</code> (odd: a writer is inside its update; written by seq 1 (writer op 1))</p>"#,
        ],
    );
}

#[tokio::test]
async fn the_verdict_banner_names_an_allowed_read() {
    let mut session = Session::new(Scenario::kernel()).unwrap();
    for step in [
        reader(ReaderAction::IrqOff),
        reader(ReaderAction::Load(Register::R0)),
        reader(ReaderAction::Load(Register::R1)),
        reader(ReaderAction::Load(Register::R2)),
        reader(ReaderAction::Check),
    ] {
        session.step(step).unwrap();
    }
    let props = VerdictProps { session: Rc::new(session), torn_only_by_the_compiler: false };
    let html = render_view(move || verdict_banner(&props)).await;
    assert_contains(
        &html,
        &["✔", "Allowed: pre-zap (P0)", "0x0000000100001067", r#"aria-live="polite""#],
    );
}

#[tokio::test]
async fn the_verdict_warns_of_a_seqcount_reader_without_the_writers_counter() {
    let mut scenario = Scenario::kernel();
    scenario.set_reader_kind(0, ReaderKind::Seqcount);
    let props = VerdictProps {
        session: Rc::new(Session::new(scenario.clone()).unwrap()),
        torn_only_by_the_compiler: false,
    };
    let html = render_view(move || verdict_banner(&props)).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="scenario-warnings""#,
            "⚠ Warning: a seqcount reader runs without the sequence-counter writer (the editor's \
             Sequence counter switch): seq stays 0, so its checks always pass and it is as \
             unprotected as a plain read.",
        ],
    );
    // With the writer's counter on, nothing to warn of.
    scenario.seqcount = true;
    let props = VerdictProps {
        session: Rc::new(Session::new(scenario).unwrap()),
        torn_only_by_the_compiler: false,
    };
    let html = render_view(move || verdict_banner(&props)).await;
    assert!(!html.contains("scenario-warnings"), "{html}");
}

#[tokio::test]
async fn a_linked_trace_opens_at_its_start_with_the_player() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let steps = parse(&["r1.off", "r1.r0", "w1", "w2", "r1.r1", "w3", "w4", "r1.r2", "r1.chk"]);
    let html = render_app(link_start(&scenario, &steps)).await;
    assert_contains(
        &html,
        &[
            "step 0 of 9",
            r#"data-testid="player-forward""#,
            "Next: reader 1: irq_off",
            "0 steps taken (9 more to redo)",
            // The trace's next line is marked on the code, and still a button.
            r#"<li data-number="2" class="line offered next-in-trace depth-0"><button"#,
            "runs next in the trace: ",
            "Verdict: no read has completed yet.",
        ],
    );
    // The verdict and the answer come before the walk-through bar, which
    // comes before the threads; the editor comes last (Tab order).
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    assert!(at(r#"data-testid="verdict""#) < at(r#"data-testid="explore-run""#));
    assert!(at(r#"data-testid="explore-run""#) < at(r#"data-testid="walk""#));
    assert!(at(r#"data-testid="walk""#) < at(r#"id="threads-title""#));
    assert!(at(r#"id="threads-title""#) < at(r#"data-testid="editor""#));
}

#[tokio::test]
async fn the_weak_reordering_is_explained_on_the_code_in_the_trace_and_in_the_verdict() {
    let scenario = catalog::find("weak-no-rmb1").unwrap().scenario();
    let steps = parse(&["w1", "w2", "r1.off", "r1.r1", "w3", "w4", "r1.r0", "r1.r2", "r1.chk"]);
    let sentence =
        "reader 1: r1 ← high was performed before r0 ← low: allowed because reader_rmb1 is off";
    let html = render_walked(&scenario, &steps).await;
    assert_contains(
        &html,
        &[
            r#"data-verdict="torn""#,
            // The code: each line that ran says which step ran it; r1 ran
            // before r0, and its line says why that was allowed.
            r#"data-testid="line-r1.r1" data-ran-at="4""#,
            r#"data-testid="line-r1.r0" data-ran-at="7""#,
            r#"data-testid="why-r1.r1""#,
            // The trace and the verdict.
            r#"data-testid="trace-why""#,
            r#"data-testid="verdict-why""#,
            "Why weak (ARMv8-like, multicopy-atomic) allowed it (sequential consistency would not):",
            &format!("step 4: {sentence}"),
        ],
    );
    // Three times: on the code line, in the trace and in the verdict.
    assert_eq!(html.matches(sentence).count(), 3, "{html}");

    // At step 4 itself, the walk-through bar says it too, with the state
    // the step led to in one line.
    let html = render_walked_to(&scenario, &steps, Some(4)).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="walk-why""#,
            "Step 4: ",
            sentence,
            "(high from Z (writer op 1), low from Z (writer op 1)); reader 1: r1=0x00000000",
        ],
    );
}

#[tokio::test]
async fn a_tso_read_past_the_store_buffer_says_so() {
    let scenario =
        Scenario { model: MemoryModel::Tso, ..catalog::find("same-low-none").unwrap().scenario() };
    let steps = parse(&["w1", "r1.off", "r1.r0"]);
    let html = render_walked(&scenario, &steps).await;
    assert_contains(
        &html,
        &[
            "writer: low ← 0x00000000 (Z) was still in the store buffer when reader 1 read low",
            r#"data-testid="line-w1" data-ran-at="1""#,
            r#"data-testid="why-r1.r0""#,
        ],
    );
}

#[tokio::test]
async fn sequential_consistency_explains_nothing_and_other_models_say_when_it_would_agree() {
    let steps = parse(&["r1.off", "r1.r0", "r1.r1", "r1.r2", "r1.chk"]);
    let html = render_walked(&Scenario::kernel(), &steps).await;
    assert!(!html.contains("why-allowed"), "{html}");
    assert!(!html.contains("verdict-why"));

    let weak = Scenario { model: MemoryModel::Weak, ..Scenario::kernel() };
    let html = render_walked(&weak, &steps).await;
    assert_contains(
        &html,
        &["Every step of this run is allowed under sequential consistency too."],
    );
}

#[tokio::test]
async fn explore_lists_torn_values_first_and_marks_the_replayed_row() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let report = explore(scenario).unwrap();
    let torn = report.outcomes.iter().position(|o| o.verdict.is_torn()).unwrap();
    assert!(torn > 0, "the report lists a torn value after an allowed one");
    let props = ExploreProps {
        exploration: Exploration::Finished { report: Rc::new(report), limit: None },
        replayed: Some(torn),
        on_replay: Callback::noop(),
    };
    let html = render_view(move || explore_view(&props)).await;
    let first_row = html.find(r#"data-testid="outcome-row""#).unwrap();
    assert!(
        html[first_row..].starts_with(r#"data-testid="outcome-row" data-verdict="torn""#),
        "{html}"
    );
    assert_contains(
        &html,
        &[
            r#"data-replayed="true" aria-current="true""#,
            "◀ in the stepper",
            "times seen",
            "counts ways to reach a value, not how likely it is",
            r#"data-label="shortest trace""#,
        ],
    );
    assert_eq!(html.matches(r#"data-replayed="true""#).count(), 1);
}

#[tokio::test]
async fn a_changed_preset_keeps_its_name_and_explanation_and_names_are_whole() {
    let weak = Scenario { model: MemoryModel::Weak, ..Scenario::kernel() };
    let html = render_app(link_start(&weak, &[])).await;
    let kernel = catalog::find("kernel").unwrap();
    assert_contains(
        &html,
        &[
            "The kernel protocol as written (changed: model weak)",
            r#"data-testid="scenario-changes" class="changed"> (changed: model weak)</span>"#,
            kernel.explanation,
            r#"data-testid="preset-reset""#,
        ],
    );
    // Every preset is a radio button whose label is its whole title.
    for preset in catalog::presets() {
        assert_contains(
            &html,
            &[&format!(r#"<label for="preset-{}">{}</label>"#, preset.id, preset.title)],
        );
    }
    // A changed scenario is none of the presets: no radio button is checked
    // (so choosing the kernel's again is a change); the page as it opens is.
    assert!(!html.contains(r#"<input value="kernel" checked type="radio" name="preset""#));
    let html = render_app(Start::default()).await;
    assert_contains(&html, &[r#"<input value="kernel" checked type="radio" name="preset""#]);
    assert!(!html.contains(r#"data-testid="scenario-changes""#));
}

#[tokio::test]
async fn the_presets_are_grouped_under_their_topics_in_menu_order() {
    let html = render_app(Start::default()).await;
    assert_contains(&html, &[&format!("{} scenarios in 6 groups", catalog::presets().len())]);
    // Each topic is a fieldset named by its legend, with its presets (in
    // menu order) between its legend and the next topic's.
    let legend_at = |topic: catalog::Topic| {
        let legend =
            format!(r#"<fieldset class="preset-group"><legend>{}</legend>"#, topic.title());
        html.find(&legend).unwrap_or_else(|| panic!("no group {legend}"))
    };
    let mut last_label = 0;
    for (index, topic) in catalog::Topic::ALL.into_iter().enumerate() {
        let start = legend_at(topic);
        let end = catalog::Topic::ALL.get(index + 1).map_or(html.len(), |&next| legend_at(next));
        for preset in catalog::presets().iter().filter(|preset| preset.topic == topic) {
            let label = format!(r#"<label for="preset-{}">"#, preset.id);
            let at = html.find(&label).unwrap_or_else(|| panic!("no {label}"));
            assert!(start < at && at < end, "{} is in the group {:?}", preset.id, topic);
            assert!(at > last_label, "{} keeps its menu order", preset.id);
            last_label = at;
        }
    }
}

#[tokio::test]
async fn every_kernel_code_line_links_its_source_and_the_litmus_test_is_shown() {
    let html = render_app(Start::default()).await;
    // Every line of the threads' code is an <li class="line …">; each one of
    // the kernel protocol names the kernel code it models, at v6.0.
    let items: Vec<&str> = html
        .split("<li ")
        .skip(1)
        .map(|item| &item[..item.find("</li>").unwrap_or(item.len())])
        .filter(|item| item.contains(r#"class="line "#))
        .collect();
    assert!(items.len() >= 14, "the writer's and the reader's lines: {}", items.len());
    for item in &items {
        assert!(
            item.contains(r#"data-testid="source-link""#),
            "a line without a source link: {item}"
        );
    }
    assert_contains(
        &html,
        &[
            r#"href="https://elixir.bootlin.com/linux/v6.0/source/arch/x86/include/asm/pgtable-3level.h""#,
            r#"href="https://elixir.bootlin.com/linux/v6.0/source/include/linux/pgtable.h""#,
            r#"href="https://elixir.bootlin.com/linux/v6.0/source/mm/gup.c""#,
        ],
    );
    let litmus = pte_core::litmus::export(&Scenario::kernel(), "pte-kernel").unwrap();
    assert!(html.contains("herd7 -conf linux-kernel.cfg pte-kernel.litmus"));
    let first_line = litmus.lines().next().unwrap();
    assert!(html.contains(first_line), "the panel holds the export: {first_line}");
}

#[tokio::test]
async fn the_execution_graph_highlights_where_the_torn_halves_came_from() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let steps = SAME_LOW_TEAR;
    // A linked trace opens at its start: the picture of its whole run is
    // the one after its last step.
    let mut session = Session::new(scenario).unwrap();
    session.replay(&steps).unwrap();
    let html = LocalServerRenderer::<Pictures>::with_props(PicturesProps {
        session: Rc::new(session),
        on_jump: Callback::noop(),
    })
    .hydratable(false)
    .render()
    .await;
    assert_contains(
        &html,
        &[r#"class="execution-graph""#, "The picture's", "rf: init low = 0x00001067 (P0)"],
    );
    // The torn read's halves: P0's low half (event 0) and the zap's high
    // store (event 5), drawn in the verdict's colour.
    let from = |marker: &str| -> Vec<String> {
        html.split(marker)
            .skip(1)
            .map(|rest| {
                rest.split("data-from=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
            })
            .collect()
    };
    assert_eq!(from(r#"<g class="edge rf highlight torn""#), ["0", "5"]);
    assert!(!html.contains(" style=\""), "no inline styles: the page's CSP refuses them");
}

#[test]
fn the_stylesheet_closes_every_block() {
    // An unclosed block (a merge once dropped one `}`) silently nests every
    // later rule in a media query: the pictures lost their styles.
    let css = include_str!("../style.css");
    let mut depth = 0i32;
    for (line, text) in css.lines().enumerate() {
        depth += text.matches('{').count() as i32 - text.matches('}').count() as i32;
        assert!(depth >= 0, "line {}: a `}}` closes nothing", line + 1);
    }
    assert_eq!(depth, 0, "a block is left open at the end of style.css");
}

#[tokio::test]
async fn a_failed_exploration_says_why_and_can_run_again() {
    let props = AnswerProps {
        exploration: Exploration::Failed { message: "readers is 0".to_owned() },
        on_run: Callback::noop(),
        on_cancel: Callback::noop(),
        on_show_values: Callback::noop(),
    };
    let html = render_view(move || answer_box(&props)).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="explore-failed""#,
            "the exploration failed: readers is 0.",
            r#"data-testid="explore-run""#,
        ],
    );
}

#[tokio::test]
async fn a_linked_torn_trace_says_where_it_ends_above_the_threads() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let html = render_app(link_start(&scenario, &SAME_LOW_TEAR)).await;
    // At step 0, the walk-through bar already names the trace's end.
    assert_contains(
        &html,
        &[
            "step 0 of 9",
            "This trace ends at step 9: ",
            "<strong>reader 1 returned 0x0000000000001067, ✖ TORN</strong>",
            r#"data-testid="walk-trace-end" data-verdict="torn""#,
        ],
    );
    let end = html.find(r#"data-testid="walk-trace-end""#).unwrap();
    let threads = html.find(r#"id="threads-title""#).expect("the threads' heading");
    assert!(end < threads, "the destination comes before the threads");
    // With no trace ahead of the cursor (no trace at all) there is no such line.
    let html = render_app(Start::default()).await;
    assert!(!html.contains(r#"data-testid="walk-trace-end""#));
}

#[tokio::test]
async fn a_completed_lesson_is_announced_in_the_walk_through_bar() {
    let session = Rc::new(Session::new(Scenario::kernel()).unwrap());
    let walk = |lesson_done| {
        let session = session.clone();
        move || {
            walk_bar(&WalkProps {
                session: session.clone(),
                notice: None,
                end: None,
                lesson_done,
                on_jump: Callback::noop(),
                on_tour: Callback::noop(),
            })
        }
    };
    let html = render_view(walk(Some(3))).await;
    let next = pte_core::tour::lesson(4).unwrap();
    assert_contains(
        &html,
        &[
            r#"role="status" data-testid="walk-lesson""#,
            "✔ Lesson 3 complete. ",
            &format!("Next: lesson 4, {}", next.title),
        ],
    );
    let last = pte_core::tour::lessons().len();
    let html = render_view(walk(Some(last))).await;
    assert_contains(&html, &["That was the last lesson of the tour."]);
    let html = render_view(walk(None)).await;
    assert!(!html.contains("complete."), "{html}");
}

#[tokio::test]
async fn a_changed_preset_s_explanation_is_folded_and_said_to_be_the_preset_s() {
    let weak = Scenario { model: MemoryModel::Weak, ..Scenario::kernel() };
    let html = render_app(link_start(&weak, &[])).await;
    assert_contains(
        &html,
        &[
            r#"data-testid="preset-explanation-changed""#,
            "Changed from the preset The kernel protocol as written: model weak. Its explanation, for the preset as it is:",
        ],
    );
    let folded = html.find(r#"data-testid="preset-explanation-changed""#).unwrap();
    let explanation = html.find(r#"data-testid="preset-explanation""#).unwrap();
    assert!(folded < explanation, "the explanation is inside the folded part");
    let html = render_app(Start::default()).await;
    assert!(!html.contains(r#"data-testid="preset-explanation-changed""#));
    assert_contains(&html, &[r#"data-testid="preset-explanation""#]);
}
