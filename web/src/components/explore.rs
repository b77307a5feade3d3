//! Every value a read can return, found by "Explore all" (the answer and
//! the button are at the top of the page, [`super::answer`]): one row per
//! read result, torn ones first, each with a Replay button that loads its
//! shortest trace to walk through; the row being replayed is marked.

use pte_core::{short_sort, ReadResult, Report};
use yew::prelude::*;

use crate::components::state_view::short_source;
use crate::state::Exploration;

#[derive(Debug)]
pub struct ExploreProps {
    pub exploration: Exploration,
    /// The outcome whose shortest trace the stepper holds.
    pub replayed: Option<usize>,
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

/// The report's outcomes in the order shown: torn values returned first,
/// then back-offs after a torn read, then the rest, each group in the
/// report's order. Returns indexes into `report.outcomes`.
pub fn display_order(report: &Report) -> Vec<usize> {
    let mut order: Vec<usize> = (0..report.outcomes.len()).collect();
    short_sort::sort_by_key(&mut order, |index| {
        let outcome = &report.outcomes[*index];
        match outcome.result() {
            ReadResult::Torn => 0,
            ReadResult::BackedOff { after_torn: true } => 1,
            _ => 2,
        }
    });
    order
}

fn result_table(report: &Report, replayed: Option<usize>, on_replay: &Callback<usize>) -> Html {
    let rows = display_order(report).into_iter().map(|index| {
        let outcome = &report.outcomes[index];
        let on_replay = on_replay.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_replay.emit(index));
        let shown = outcome.result();
        let retries = outcome.read.retries.to_string();
        let current = replayed == Some(index);
        // The shortest trace runs in a compiled form (0: the code as written).
        let compiled = match outcome.form {
            0 => String::new(),
            form => format!(", compiled form {form}"),
        };
        html! {
            <tr key={index} data-testid="outcome-row" data-verdict={outcome.verdict.id()}
                data-returned={if outcome.returned { "true" } else { "false" }}
                data-replayed={if current { "true" } else { "false" }}
                aria-current={current.then_some("true")}
                class={classes!(shown.id(), current.then_some("replayed"))}>
                <td data-label="value"><code>{ outcome.value.to_string() }</code></td>
                <td data-label="verdict">
                    <span aria-hidden="true">{ format!("{} ", shown.icon()) }</span>
                    <strong>{ shown.headline(outcome.verdict) }</strong>
                </td>
                <td data-label="halves written by">{ format!("low: {}; high: {}", short_source(outcome.read.low_source), short_source(outcome.read.high_source)) }</td>
                <td data-label="times seen" class="number">{ thousands(outcome.occurrences) }</td>
                <td data-label="retries" class="number">{ retries }</td>
                <td data-label="shortest trace">
                    <button type="button" data-testid="replay" {onclick} data-form={outcome.form.to_string()}
                        aria-label={format!("Replay the shortest trace ({} steps{}) to {}", outcome.witness.len(), compiled, outcome.value)}>
                        { format!("Replay ({} steps{})", outcome.witness.len(), compiled) }
                    </button>
                    if current { <span class="replaying">{ " ◀ in the stepper" }</span> }
                </td>
            </tr>
        }
    });
    html! {
        <div class="table-scroll">
            <table class="outcomes">
                <caption>{ "Every value a read can return, torn ones first, with a shortest trace to it" }</caption>
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

pub fn explore(props: &ExploreProps) -> Html {
    let body = match &props.exploration {
        Exploration::Idle => html! {
            <p class="hint">{ "Explore all (at the top of the page, or the key e) visits every reachable state of this scenario and lists here every value a read can return." }</p>
        },
        Exploration::Running { .. } => {
            html! { <p class="hint">{ "Exploring: the values appear here when the search ends." }</p> }
        }
        Exploration::Cancelled { .. } => {
            html! { <p class="hint">{ "Cancelled: run Explore all again to list the values." }</p> }
        }
        Exploration::Failed { .. } => {
            html! { <p class="hint">{ "The exploration failed (the reason is at the top): no values to list." }</p> }
        }
        Exploration::Finished { report, limit } => html! {
            <>
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
                { result_table(report, props.replayed, &props.on_replay) }
                <p class="hint" data-testid="times-seen-note">
                    <strong>{ "times seen" }</strong>
                    { ": how many transitions of the explored state graph complete a read with this \
                       value (equivalent states merged), so it counts ways to reach a value, not how likely it is." }
                </p>
            </>
        },
    };
    html! {
        <section class="explore" aria-labelledby="values-title">
            <h2 id="values-title" tabindex="-1">{ "Every value a read can return" }</h2>
            { body }
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
