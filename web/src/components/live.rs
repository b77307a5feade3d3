//! The live strip near the verdict: "SC: never · x86-TSO: never · weak:
//! SOMETIMES" for the scenario shown, answered after every change with no
//! click (progress and Cancel while a big one is explored), each torn entry
//! a button that loads its shortest torn trace; and the list of read
//! results the last change made possible or impossible, each with Replay.

use std::rc::Rc;

use pte_core::{MemoryModel, Scenario, Step, Torn, TornAnswer};
use yew::prelude::*;

use crate::components::explore::thousands;
use crate::components::state_view::short_source;
use crate::live::{Answers, Changes, LiveAction, LiveStatus};

#[derive(Debug)]
pub struct LiveStripProps {
    /// The answers of the scenario shown (none in the embed view).
    pub answers: Option<Rc<Answers>>,
    /// What the last scenario change did, once both sides are answered.
    pub changes: Option<Rc<Changes>>,
    /// The states the running exploration visited so far ([`crate::live::Live::states`]).
    pub states: u64,
    pub on_live: Callback<LiveAction>,
    /// Loads a scenario and replays steps in it.
    pub on_load: Callback<(Scenario, usize, Vec<Step>)>,
}

/// One model's entry: its answer in words, and the torn trace to load.
fn entry(
    answers: &Answers,
    model: MemoryModel,
    on_load: &Callback<(Scenario, usize, Vec<Step>)>,
) -> Html {
    let name = model.short_name();
    let testid = format!("live-{}", model.id());
    let Some(answer) = answers.answer(model) else {
        return html! {
            <span class="live-entry pending" data-testid={testid} data-torn="pending">
                { format!("{name}: …") }<span class="visually-hidden">{ " not answered yet" }</span>
            </span>
        };
    };
    match &answer.torn {
        TornAnswer::Sometimes(witness) => {
            // Torn only in a compiled form: the compiler, not the CPU.
            let compiler =
                if answer.compiler_only() { ", only because of the compiler" } else { "" };
            let (form, steps) = (witness.form, witness.steps.clone());
            let scenario = answers.under(model);
            let on_load = on_load.clone();
            let count = steps.len();
            let onclick = Callback::from(move |_: MouseEvent| {
                on_load.emit((scenario.clone(), form, steps.clone()))
            });
            html! {
                <button type="button" class="live-entry torn" data-testid={testid} data-torn="sometimes" {onclick}
                    data-compiler-only={answer.compiler_only().then_some("true")}
                    aria-label={format!("{name}: torn read sometimes{compiler}. Replay the shortest torn trace ({count} steps) under {name}")}>
                    { format!("{name}: ") }<strong>{ "SOMETIMES" }</strong>
                    if answer.compiler_only() {
                        <span class="cc" title="Only because of the compiler: the code as written never tears">{ " (compiler)" }</span>
                    }
                </button>
            }
        }
        TornAnswer::Never => html! {
            <span class="live-entry never" data-testid={testid} data-torn="never">
                { format!("{name}: never") }
            </span>
        },
        TornAnswer::Unknown => html! {
            <span class="live-entry unknown" data-testid={testid} data-torn="unknown"
                title="The search stopped at its state limit without finding a torn read: not a proof">
                { format!("{name}: none found (limit)") }
            </span>
        },
    }
}

fn changes_list(changes: &Changes, on_load: &Callback<(Scenario, usize, Vec<Step>)>) -> Html {
    let compared: Vec<&str> = changes.compared.iter().map(|model| model.short_name()).collect();
    if changes.items.is_empty() {
        return html! {
            <p class="no-change" data-testid="what-changed" data-changes="0">
                { format!("The last change left every read result as it was under {}.", compared.join(", ")) }
            </p>
        };
    }
    let items = changes.items.iter().enumerate().map(|(index, change)| {
        let outcome = &change.outcome;
        let shown = outcome.result();
        let name = change.model.short_name();
        let (word, kind) = if change.appeared { ("new", "new") } else { ("gone", "gone") };
        let where_ = if change.appeared { "" } else { " (in the scenario before)" };
        let load = (change.scenario.clone(), outcome.form, outcome.witness.clone());
        let on_load = on_load.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_load.emit(load.clone()));
        let steps = outcome.witness.len();
        let compiler = if outcome.form != 0 { ", only because of the compiler" } else { "" };
        html! {
            <li key={index} data-testid="change" data-change={kind} data-model={change.model.id()}
                data-verdict={shown.id()} class={classes!(kind, shown.id())}>
                <span class="change-text">
                    <strong>{ format!("{word}: ") }</strong>
                    <code>{ outcome.value.to_string() }</code>
                    { " " }<span aria-hidden="true">{ shown.icon() }</span>{ " " }
                    <strong class="change-verdict">{ shown.headline(outcome.verdict) }</strong>
                    { format!(
                        ", reader {}, under {name} (low from {}, high from {}){compiler}{where_}",
                        outcome.read.reader + 1,
                        short_source(outcome.read.low_source),
                        short_source(outcome.read.high_source),
                    ) }
                </span>
                <button type="button" data-testid="change-replay" {onclick}
                    aria-label={format!("Replay the shortest trace ({steps} steps) to {} under {name}{where_}", outcome.value)}>
                    { "Replay" }
                </button>
            </li>
        }
    });
    html! {
        <div class="what-changed" data-testid="what-changed" data-changes={changes.items.len().to_string()}>
            <h3>{ "What the last change did" }</h3>
            <ul>{ for items }</ul>
        </div>
    }
}

/// The strip, its progress and the list of changes.
pub fn live_strip(props: &LiveStripProps) -> Html {
    let Some(answers) = &props.answers else { return html! {} };
    let entries = MemoryModel::ALL.into_iter().enumerate().map(|(index, model)| {
        html! {
            <>
                if index > 0 { <span class="separator" aria-hidden="true">{ " · " }</span> }
                { entry(answers, model, &props.on_load) }
            </>
        }
    });
    // Said once all three are in, for screen readers.
    let announcement = if answers.answered() {
        let parts: Vec<String> = MemoryModel::ALL
            .into_iter()
            .filter_map(|model| {
                let answer = answers.answer(model)?;
                let word = match answer.torn.word() {
                    Torn::Sometimes if answer.compiler_only() => {
                        "sometimes (only because of the compiler)"
                    }
                    Torn::Sometimes => "sometimes",
                    Torn::Never => "never",
                    Torn::Unknown => "none found before the limit",
                };
                Some(format!("{} {word}", model.short_name()))
            })
            .collect();
        format!("Torn read: {}.", parts.join(", "))
    } else {
        String::new()
    };
    let on_cancel = props.on_live.reform(|_: MouseEvent| LiveAction::Cancel);
    let on_resume = props.on_live.reform(|_: MouseEvent| LiveAction::Resume);
    let status = match &answers.status {
        // Only once a progress report came: a small scenario is answered
        // before the first one, and nothing flickers.
        LiveStatus::Exploring { variant, .. } if props.states > 0 && !answers.answered() => {
            html! {
                <p class="live-progress" data-testid="live-progress">
                    <span class="spinner" aria-hidden="true"></span>
                    { format!("Exploring under {}… {} states so far. ", variant.model.short_name(), thousands(props.states)) }
                    <button type="button" data-testid="live-cancel" onclick={on_cancel}>{ "Cancel" }</button>
                </p>
            }
        }
        LiveStatus::Cancelled if !answers.answered() => html! {
            <p class="live-progress" data-testid="live-stopped">
                { "Stopped before every model was answered. " }
                <button type="button" data-testid="live-resume" onclick={on_resume}>{ "Go on" }</button>
            </p>
        },
        LiveStatus::Failed(message) => html! {
            <p class="live-progress failed" data-testid="live-failed">
                { format!("The exploration failed: {message}. ") }
                <button type="button" data-testid="live-resume" onclick={on_resume}>{ "Try again" }</button>
            </p>
        },
        _ => html! {},
    };
    html! {
        <section class="live" aria-labelledby="live-title" data-testid="live">
            <h2 id="live-title" class="visually-hidden">{ "Can a read tear under each memory model?" }</h2>
            <p class="live-strip" data-testid="live-strip">
                <span class="live-label">{ "Torn read? " }</span>
                { for entries }
            </p>
            <p class="visually-hidden" role="status" aria-live="polite">{ announcement }</p>
            { status }
            if let Some(changes) = &props.changes {
                { changes_list(changes, &props.on_load) }
            }
        </section>
    }
}
