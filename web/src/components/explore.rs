//! "Explore all": every interleaving of the scenario, searched in slices in
//! the background, then the herd-style answer and one row per read result,
//! each with a Replay button that loads its shortest trace.

use pte_core::{Report, TornAnswer};
use yew::prelude::*;

use crate::components::state_view::short_source;
use crate::components::verdict::Shown;
use crate::state::{Exploration, BROWSER_MAX_STATES};

#[derive(Properties, PartialEq, Debug)]
pub struct ExploreProps {
    pub exploration: Exploration,
    pub on_run: Callback<()>,
    pub on_cancel: Callback<()>,
    /// Replays the shortest trace of outcome `index`.
    pub on_replay: Callback<usize>,
}

/// 1234567 as "1,234,567".
pub fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn result_table(report: &Report, on_replay: &Callback<usize>) -> Html {
    let rows = report.outcomes.iter().enumerate().map(|(index, outcome)| {
        let on_replay = on_replay.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_replay.emit(index));
        let shown = Shown::of(outcome.verdict, outcome.returned);
        let retries = outcome.read.retries.to_string();
        html! {
            <tr key={index} data-testid="outcome-row" data-verdict={outcome.verdict.id()}
                data-returned={if outcome.returned { "true" } else { "false" }}
                class={classes!(shown.id())}>
                <td><code>{ outcome.value.to_string() }</code></td>
                <td>
                    <span aria-hidden="true">{ format!("{} ", shown.icon()) }</span>
                    <strong>{ shown.headline(outcome.verdict) }</strong>
                </td>
                <td>{ format!("low: {}; high: {}", short_source(outcome.read.low_source), short_source(outcome.read.high_source)) }</td>
                <td class="number">{ thousands(outcome.occurrences) }</td>
                <td class="number">{ retries }</td>
                <td>
                    <button type="button" data-testid="replay" {onclick}
                        aria-label={format!("Replay the shortest trace ({} steps) to {}", outcome.witness.len(), outcome.value)}>
                        { format!("Replay ({} steps)", outcome.witness.len()) }
                    </button>
                </td>
            </tr>
        }
    });
    html! {
        <div class="table-scroll">
            <table class="outcomes">
                <caption>{ "Every value a read can return, with a shortest trace to it" }</caption>
                <thead><tr>
                    <th scope="col">{ "value returned" }</th>
                    <th scope="col">{ "verdict" }</th>
                    <th scope="col">{ "halves written by" }</th>
                    <th scope="col">{ "times seen" }</th>
                    <th scope="col">{ "retries (in that trace)" }</th>
                    <th scope="col">{ "shortest trace" }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn Explore(props: &ExploreProps) -> Html {
    let on_run = props.on_run.reform(|_: MouseEvent| ());
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    let running = matches!(props.exploration, Exploration::Running { .. });
    // A short sentence for screen readers; the table itself is not announced.
    let announcement = match &props.exploration {
        Exploration::Idle => String::new(),
        Exploration::Running { .. } => "Exploring all interleavings.".to_owned(),
        Exploration::Cancelled { .. } => "Exploration cancelled.".to_owned(),
        Exploration::Finished { report, limit } => format!(
            "Exploration {}: torn read {}, {} distinct values.",
            if limit.is_some() { "stopped at its limit, incomplete" } else { "finished" },
            report.torn(),
            report.outcomes.len()
        ),
    };
    let status = match &props.exploration {
        Exploration::Idle => html! {
            <p>{ "Visit every reachable state of this scenario and list every value a read can return." }</p>
        },
        Exploration::Running { states, transitions, pending, .. } => html! {
            <p data-testid="explore-progress">
                <span class="spinner" aria-hidden="true"></span>
                { format!(
                    "Exploring… {} states, {} transitions, {} states still to expand.",
                    thousands(*states), thousands(*transitions), thousands(*pending)
                ) }
            </p>
        },
        Exploration::Cancelled { states, transitions } => html! {
            <p>{ format!("Cancelled after {} states and {} transitions.", thousands(*states), thousands(*transitions)) }</p>
        },
        Exploration::Finished { report, limit } => {
            let answer = report.torn();
            let torn = answer == TornAnswer::Sometimes;
            // "Never" is a proof only when every state was visited.
            let (word, id) = match (torn, limit.is_some()) {
                (true, _) => ("Sometimes".to_owned(), "Sometimes"),
                (false, false) => ("Never".to_owned(), "Never"),
                (false, true) => {
                    ("none found before the limit (not a proof)".to_owned(), "Unknown")
                }
            };
            html! {
                <div data-testid="explore-result" data-torn={id}>
                    <p class={classes!("answer", torn.then_some("torn"))}>
                        <span aria-hidden="true">{ if torn { "✖ " } else if limit.is_some() { "? " } else { "✔ " } }</span>
                        { "Torn read: " }<strong>{ word }</strong>
                        { format!(
                            " — {} states, {} transitions{}.",
                            thousands(report.states),
                            thousands(report.transitions),
                            if report.complete { ", every interleaving checked" } else { "" }
                        ) }
                    </p>
                    if let Some(limit) = limit {
                        <p class="limit" data-testid="explore-limit">
                            <strong>{ "Incomplete: " }</strong>
                            { format!(
                                "the search stopped at its limit of {} states, so the list below may \
                                 miss some values (each value listed is really reachable).",
                                thousands(u64::from(*limit))
                            ) }
                        </p>
                    }
                    { result_table(report, &props.on_replay) }
                </div>
            }
        }
    };
    html! {
        <section class="explore" aria-labelledby="explore-title">
            <h2 id="explore-title">{ "Explore all interleavings" }</h2>
            <div class="toolbar">
                <button type="button" class="primary" data-testid="explore-run" onclick={on_run} disabled={running}>
                    { "Explore all" }
                </button>
                if running {
                    <button type="button" data-testid="explore-cancel" onclick={on_cancel}>{ "Cancel" }</button>
                }
                <span class="hint">{ format!("(at most {} states, in the background)", thousands(u64::from(BROWSER_MAX_STATES))) }</span>
            </div>
            <p class="visually-hidden" role="status" aria-live="polite">{ announcement }</p>
            { status }
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn thousands_separates_groups() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000), "1,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
