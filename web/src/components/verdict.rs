//! The verdict banner: what the last completed read returned and whether
//! that is allowed, in words and an icon (readable without colour), announced
//! to screen readers, and which steps of the run the memory model allowed
//! where a stricter one would not have; and the scenario's warnings (the
//! core's [`pte_core::Warning`]s), which qualify every verdict.

use std::rc::Rc;

use pte_core::{Judged, ReadResult, Scenario, Session, Verdict};
use yew::prelude::*;

#[derive(Debug)]
pub struct VerdictProps {
    pub session: Rc<Session>,
    /// The live answers say the code as written never tears under the
    /// scenario's model, one of its compiled forms does
    /// (`Answer::compiler_only`): a torn read then owes itself to the
    /// compiler, whatever the CPU's steps on the way.
    pub torn_only_by_the_compiler: bool,
}

/// What the headline means, in one sentence.
fn meaning(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::NotPresent => {
            "The present bit is clear, so the caller treats the entry as empty: any other bits are harmless."
        }
        Verdict::PreZap => "The reader saw the whole PTE from before the zap.",
        Verdict::Reestablished(_) => "The reader saw a whole PTE the writer installed.",
        Verdict::Torn => "A present PTE that no writer ever wrote: its halves come from different writes.",
    }
}

/// How the editor names the scenario option a warning points to.
fn option_label(option: &str) -> &'static str {
    match option {
        "seqcount" => "the editor's Sequence counter switch",
        "model" => "the editor's Memory model",
        _ => "a setting in the editor",
    }
}

/// The scenario's warnings in one paragraph; nothing when it has none.
/// One plain element: every element and attribute costs the page's bundle.
fn scenario_warnings(scenario: &Scenario) -> Html {
    let text: String = scenario
        .warnings()
        .into_iter()
        .map(|warning| format!("⚠ Warning: {}. ", warning.text(option_label(warning.option()))))
        .collect();
    if text.is_empty() {
        return html! {};
    }
    html! { <p class="scenario-warnings" data-testid="scenario-warnings">{ text }</p> }
}

fn icon(judged: &Judged) -> &'static str {
    judged.result().icon()
}

/// The banner for the latest completed read, and a list of the earlier ones.
pub fn verdict_banner(props: &VerdictProps) -> Html {
    let session = &props.session;
    let reads: Vec<Judged> = session.completed_reads().copied().collect();
    let just_now = session.last_read().is_some();
    let Some(latest) = reads.last().copied() else {
        return html! {
            <section class="verdict verdict-none" role="status" aria-live="polite"
                data-testid="verdict" data-verdict="none" aria-labelledby="verdict-title">
                <h2 id="verdict-title" class="visually-hidden">{ "Verdict" }</h2>
                <p class="verdict-headline">
                    <span class="icon" aria-hidden="true">{ "…" }</span>
                    { "No read has completed yet." }
                </p>
                <p class="verdict-detail verdict-hint">
                    { "Step a reader through " }<code>{ "if (r0 != r2) goto retry;" }</code>
                    { " to see what it returns and whether that is allowed." }
                </p>
                { scenario_warnings(session.scenario()) }
            </section>
        };
    };
    let shown = latest.result();
    let kind = shown.id();
    let earlier = reads.len().saturating_sub(1);
    let program = session.program();
    let read_at =
        (0..session.cursor()).rev().find(|index| session.judged_reads()[*index].is_some());
    let behind = read_at.map(|index| session.relaxations_behind_read(index)).unwrap_or_default();
    // The compiled form the run uses (0: the code as written). Its changes
    // are the compiler's part of "why", beside the CPU's relaxations.
    let compiled = program.form_index() != 0;
    let compiler_why = super::compiled_changes(
        program,
        &match (behind.is_empty(), latest.verdict.is_torn()) {
            (false, true) if props.torn_only_by_the_compiler => format!(
                "Possible under {} only because of the compiler: the code as written never \
                 returns a torn value under {}, the code as compiled (form {}) does. The \
                 CPU's steps above are on the way, not the cause:",
                session.scenario().model.title(),
                session.scenario().model.title(),
                program.form_index()
            ),
            (true, true) => format!(
                "Possible under {} only because of the compiler, not the CPU: every step runs \
                 in order, in the code as compiled (form {}):",
                session.scenario().model.title(),
                program.form_index()
            ),
            (false, true) => format!(
                "And the compiler changed the code: the read runs in the code as compiled \
                 (form {}), not as written:",
                program.form_index()
            ),
            (_, false) => {
                format!("This run uses the code as compiled (form {}):", program.form_index())
            }
        },
        "verdict-compiler",
    );
    let why = if !behind.is_empty() {
        html! {
            <div class="verdict-why" data-testid="verdict-why">
                <p><strong>{ format!("Why {} allowed it (sequential consistency would not):", session.scenario().model.title()) }</strong></p>
                <ul class="why-allowed">
                    { for behind.iter().map(|(index, relaxation)| html! {
                        <li>
                            <span aria-hidden="true">{ "↯ " }</span>
                            { format!("step {}: {}", index + 1, program.explain_relaxation(relaxation)) }
                        </li>
                    }) }
                </ul>
            </div>
        }
    } else if compiled {
        html! {}
    } else if session.scenario().model.rules().relaxes_sequential_consistency() {
        html! {
            <p class="verdict-why" data-testid="verdict-why">
                { "Every step of this run is allowed under sequential consistency too." }
            </p>
        }
    } else {
        html! {}
    };
    html! {
        <section class={classes!("verdict", format!("verdict-{kind}"), just_now.then_some("fresh"))}
            role="status" aria-live="polite" data-testid="verdict" data-verdict={kind}
            aria-labelledby="verdict-title">
            <h2 id="verdict-title" class="visually-hidden">{ "Verdict" }</h2>
            <p class="verdict-headline">
                <span class="icon" aria-hidden="true">{ shown.icon() }</span>
                <strong data-testid="verdict-headline">{ shown.headline(latest.verdict) }</strong>
                <span class="verdict-value">
                    { format!(" — reader {} {} ", latest.read.reader + 1, shown.verb()) }
                    <code>{ latest.read.value.to_string() }</code>
                </span>
            </p>
            <p class="verdict-detail">
                if let ReadResult::BackedOff { after_torn } = shown {
                    { "GUP-fast's re-check saw the entry change: it drops the page reference and falls back to the slow path, so nothing is returned. " }
                    if after_torn {
                        { "But the value it read was torn: it took a reference on the page a torn entry points at. " }
                    }
                } else {
                    { meaning(latest.verdict) }{ " " }
                }
                if latest.half_written {
                    { "Memory itself held this value for a moment, between the two stores of one \
                       update: a half-written entry. " }
                }
                { format!(
                    "Low half from {}, high half from {}; {}.",
                    latest.read.low_source,
                    latest.read.high_source,
                    match latest.read.retries {
                        0 => "no retry".to_owned(),
                        1 => "after 1 retry".to_owned(),
                        n => format!("after {n} retries"),
                    }
                ) }
            </p>
            { why }
            { compiler_why }
            { scenario_warnings(session.scenario()) }
            if earlier > 0 {
                <details class="earlier-reads">
                    <summary>{ format!("{earlier} earlier read{} in this run", if earlier == 1 { "" } else { "s" }) }</summary>
                    <ul>
                        { for reads[..earlier].iter().map(|judged| html! {
                            <li>{ format!("{} {}", icon(judged), judged.summary()) }</li>
                        }) }
                    </ul>
                </details>
            }
        </section>
    }
}
