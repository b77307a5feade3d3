//! The scenario as a C litmus test for herd7 and the Linux-kernel memory
//! model (`pte_core::litmus`), with the command that runs it, Copy and
//! Download. A scenario the export cannot write says why.

use std::rc::Rc;

use pte_core::{catalog, litmus, FlushMode, Scenario};
use yew::prelude::*;

use super::{copy_on_click, data_url};
use crate::live::{self, Answers};
use crate::state::Copied;

#[derive(Debug)]
pub struct LitmusProps {
    /// The scenario only: the test does not change with the steps taken.
    pub scenario: Rc<Scenario>,
    /// The `(* Result: … *)` comment's answer, from the live answers when
    /// they answer the test's question ([`expected_from_live`]); without
    /// it the test has no Result comment yet.
    pub expected: Option<litmus::Expected>,
    /// What the last Copy button did (this view says it for its own).
    pub copied: Option<Copied>,
    /// The clipboard's answer to this view's Copy button.
    pub on_copied: Callback<Copied>,
}

/// The test's name, as `pte-explorer litmus` names it: `pte-<preset>` for a
/// catalog preset, else `pte-scenario`.
pub fn test_name(scenario: &Scenario) -> String {
    match catalog::matching(scenario) {
        Some(preset) => format!("pte-{}", preset.id),
        None => "pte-scenario".to_owned(),
    }
}

/// The Result comment's answer from the live answers, without exploring
/// on the page: the weak model's report of the scenario shown answers the
/// test's questions ([`litmus::questions`]) when the flush is not IPI, as
/// readers do not interact; an IPI flush is asked as paravirt, which the
/// live answers do not ask.
pub fn expected_from_live(
    answers: Option<&Answers>,
    scenario: &Scenario,
) -> Option<litmus::Expected> {
    let answers = answers?;
    if answers.scenario != live::key(scenario) {
        return None;
    }
    answers.report(litmus::answered_by(scenario)?).map(|report| litmus::Expected::of(report))
}

pub fn litmus(props: &LitmusProps) -> Html {
    let scenario: &Scenario = &props.scenario;
    let name = test_name(scenario);
    let file = format!("{name}.litmus");
    let exported = match props.expected {
        Some(expected) => litmus::export_with_result(scenario, &name, expected),
        None => litmus::export(scenario, &name),
    };
    let pending = match (props.expected, litmus::answered_by(scenario)) {
        (Some(_), _) => None,
        (None, None) => Some(
            "No Result: comment here: the test asks the paravirt question, which the page's \
             answers do not; pte-explorer litmus writes it.",
        ),
        (None, Some(_)) => Some(
            "The Result: comment (the weak model's answer) is added when the live answers are in.",
        ),
    };
    let body = match exported {
        Ok(text) => {
            let on_copy = {
                let on_copied = props.on_copied.clone();
                copy_on_click(
                    text.clone(),
                    "litmus-text",
                    Rc::new(move |ok| on_copied.emit(Copied::Litmus(ok))),
                )
            };
            html! {
                <>
                    <p class="command">
                        { "From the kernel's " }<code>{ "tools/memory-model/" }</code>{ ": " }
                        <code data-testid="herd-command">{ format!("{} {file}", litmus::HERD_COMMAND) }</code>
                    </p>
                    if scenario.flush == FlushMode::Ipi {
                        <p class="note" data-testid="ipi-note">{ litmus::IPI_NOTE }</p>
                    }
                    if let Some(pending) = pending {
                        <p class="note" data-testid="litmus-result-pending">{ pending }</p>
                    }
                    <p class="note">
                        { "klitmus7, from the same herdtools7 suite, turns the file into a kernel module that runs the test on real hardware." }
                    </p>
                    <div class="toolbar">
                        <button type="button" onclick={on_copy} data-testid="copy-litmus">{ "Copy" }</button>
                        <a href={data_url("text/plain", &text)} download={file.clone()} data-testid="download-litmus">
                            { format!("Download {file}") }
                        </a>
                    </div>
                    if let Some(Copied::Litmus(ok)) = props.copied {
                        <p role="status" class={classes!("copy-status", (!ok).then_some("failed"))}>
                            { if ok { "Copied the litmus test to the clipboard." } else { "Could not copy automatically: the test is selected below; press Ctrl+C (⌘C on a Mac)." } }
                        </p>
                    }
                    <label for="litmus-text" class="visually-hidden">{ format!("Litmus test {name}") }</label>
                    <textarea id="litmus-text" data-testid="litmus-text" readonly=true rows="20"
                        spellcheck="false" value={text} />
                </>
            }
        }
        Err(error) => html! {
            <p class="note" data-testid="litmus-refused">
                { format!("This scenario has no litmus test: {error}.") }
            </p>
        },
    };
    html! {
        <section class="litmus" aria-labelledby="litmus-title">
            <details>
                <summary><h2 id="litmus-title">{ "Litmus test for herd7 and the kernel's memory model" }</h2></summary>
                <p class="hint">
                    { "The scenario as a C litmus test: the writer is P0, each reader one attempt of the loop, and " }
                    <code>{ "exists" }</code>
                    { " asks for a torn value passing the check. herd7 with the Linux-kernel memory model should answer as the explorer's weak model does." }
                </p>
                { body }
            </details>
        </section>
    }
}
