//! The answer a reviewer wants first, at the top of the page next to the
//! verdict: can a read be torn in this scenario ("Torn read: Never" or
//! "Sometimes", as herd7 says), with the Explore all button (key `e`), its
//! progress and Cancel. The values found are listed further down.

use pte_core::Torn;
use yew::prelude::*;

use crate::components::explore::thousands;
use crate::state::{Exploration, BROWSER_MAX_STATES};

#[derive(Debug)]
pub struct AnswerProps {
    pub exploration: Exploration,
    pub on_run: Callback<()>,
    pub on_cancel: Callback<()>,
    /// Shows the list of values (an in-page move: the address is left alone).
    pub on_show_values: Callback<()>,
}

pub fn answer_box(props: &AnswerProps) -> Html {
    let on_run = props.on_run.reform(|_: MouseEvent| ());
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let on_show_values = props.on_show_values.reform(|event: MouseEvent| event.prevent_default());
    let running = matches!(props.exploration, Exploration::Running { .. });
    // A short sentence for screen readers; the table itself is not announced.
    let announcement = match &props.exploration {
        Exploration::Idle => String::new(),
        Exploration::Running { .. } => "Exploring all interleavings.".to_owned(),
        Exploration::Cancelled { .. } => "Exploration cancelled.".to_owned(),
        Exploration::Failed { message } => format!("The exploration failed: {message}."),
        Exploration::Finished { report, limit } => format!(
            "Exploration {}: torn read {}, {} distinct values.",
            if limit.is_some() { "stopped at its limit, incomplete" } else { "finished" },
            report.torn(),
            report.outcomes.len()
        ),
    };
    let status = match &props.exploration {
        Exploration::Idle => html! {
            <p class="answer" data-testid="explore-idle">
                { "Torn read: " }<strong>{ "not explored yet" }</strong>
                <span class="hint wide-only">{ " — Explore all visits every interleaving of this scenario." }</span>
            </p>
        },
        Exploration::Running { states, transitions, pending, .. } => html! {
            <p class="answer" data-testid="explore-progress">
                <span class="spinner" aria-hidden="true"></span>
                { format!(
                    "Exploring… {} states, {} transitions, {} still to expand.",
                    thousands(*states), thousands(*transitions), thousands(*pending)
                ) }
            </p>
        },
        Exploration::Cancelled { states, transitions } => html! {
            <p class="answer">
                { "Torn read: " }<strong>{ "not known" }</strong>
                { format!(" — cancelled after {} states and {} transitions.", thousands(*states), thousands(*transitions)) }
            </p>
        },
        Exploration::Failed { message } => html! {
            <p class="answer failed" data-testid="explore-failed">
                { "Torn read: " }<strong>{ "not known" }</strong>
                { format!(" — the exploration failed: {message}.") }
            </p>
        },
        Exploration::Finished { report, .. } => {
            let answer = report.torn().word();
            let torn = answer == Torn::Sometimes;
            // "Never" is a proof only when every state was visited.
            let word = match answer {
                Torn::Unknown => "none found before the limit (not a proof)".to_owned(),
                Torn::Never | Torn::Sometimes => answer.to_string(),
            };
            let id = answer.to_string();
            let values = report.outcomes.len();
            // Torn in a compiled form only (COMPILER.md): the compiler's doing.
            let compiler_only = pte_core::Answer::of(report).compiler_only();
            html! {
                <div data-testid="explore-result" data-torn={id}>
                    <p class={classes!("answer", torn.then_some("torn"))}>
                        <span aria-hidden="true">{ match answer { Torn::Sometimes => "✖ ", Torn::Unknown => "? ", Torn::Never => "✔ " } }</span>
                        { "Torn read: " }<strong>{ word }</strong>
                        { format!(
                            " — {} states, {} transitions{}.",
                            thousands(report.states),
                            thousands(report.transitions),
                            if report.complete { ", every interleaving checked" } else { "" }
                        ) }
                        if compiler_only {
                            <span data-testid="explore-compiler-only">
                                { " Only because of the compiler: the code as written never tears, a compiled form of it does." }
                            </span>
                        }
                    </p>
                    <p class="answer-more">
                        <a href="#values-title" onclick={on_show_values}>
                            { format!("{values} value{} a read can return, each with a shortest trace to replay ↓",
                                if values == 1 { "" } else { "s" }) }
                        </a>
                    </p>
                </div>
            }
        }
    };
    html! {
        <section class="answer-box" aria-labelledby="answer-title">
            <h2 id="answer-title">{ "Can a read be torn?" }</h2>
            { status }
            <div class="toolbar">
                <button type="button" class="primary" data-testid="explore-run" onclick={on_run}
                    disabled={running} aria-keyshortcuts="e">
                    { "Explore all" }<kbd aria-hidden="true">{ "e" }</kbd>
                </button>
                if running {
                    <button type="button" data-testid="explore-cancel" onclick={on_cancel}>{ "Cancel" }</button>
                }
                <span class="hint wide-only">{ format!("at most {} states, in the background", thousands(u64::from(BROWSER_MAX_STATES))) }</span>
            </div>
            <p class="visually-hidden" role="status" aria-live="polite">{ announcement }</p>
        </section>
    }
}
