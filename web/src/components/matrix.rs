//! The barrier matrix panel: one row for the scenario's barriers as given
//! and one per barrier site of its code switched off alone, one column per
//! model (so it fits a narrow screen), each cell a button that loads that
//! variant into the stepper with its shortest torn trace; under it the
//! minimal sets of sites in words, and which sites are never needed.

use std::rc::Rc;

use pte_core::{
    Answer, Barrier, BarrierMatrix, MemoryModel, MinimalSets, ModelRow, Scenario, Step, Torn,
};
use yew::prelude::*;

use crate::components::explore::thousands;
use crate::live::{Answers, LiveAction, LiveStatus, LIVE_MAX_STATES};

#[derive(Properties, PartialEq, Debug)]
pub struct MatrixPanelProps {
    pub answers: Option<Rc<Answers>>,
    /// The states the running exploration visited so far ([`crate::live::Live::states`]).
    pub states: u64,
    pub on_live: Callback<LiveAction>,
    pub on_load: Callback<(Scenario, usize, Vec<Step>)>,
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "zap_wmb1, establish_wmb1 and reader_rmb2".
fn set_words(set: &[Barrier]) -> String {
    and_list(&set.iter().map(|site| site.id().to_owned()).collect::<Vec<_>>())
}

/// A model's minimal sets in words.
pub fn minimal_sets_words(sets: &MinimalSets) -> String {
    match sets {
        MinimalSets::Pending => "not known yet.".to_owned(),
        MinimalSets::Undecided => format!(
            "not decided: an exploration reached the limit of {} states.",
            thousands(u64::from(LIVE_MAX_STATES))
        ),
        MinimalSets::Decided(sets) if sets.is_empty() => {
            "no placement of barriers prevents a torn read.".to_owned()
        }
        MinimalSets::Decided(sets) if sets.len() == 1 && sets[0].is_empty() => {
            "no barrier is needed.".to_owned()
        }
        MinimalSets::Decided(sets) if sets.len() == 1 => {
            format!("needs {}; every other site can be off.", set_words(&sets[0]))
        }
        MinimalSets::Decided(sets) => {
            let sets: Vec<String> =
                sets.iter().map(|set| format!("{{{}}}", set_words(set))).collect();
            format!("needs one of these sets: {}.", sets.join("; or "))
        }
    }
}

/// Is every torn cell of `row` torn only because of the compiler (and one
/// at least)? Then the model's CPU keeps the order by itself and the
/// barriers it needs are there for the compiler (x86-TSO's smp_rmb() and
/// smp_wmb() are compiler barriers only).
fn torn_only_by_the_compiler(row: &ModelRow) -> bool {
    let mut torn = row
        .as_is
        .iter()
        .chain(row.without.iter().filter_map(|cell| cell.answer.as_ref()))
        .filter(|answer| answer.torn.word() == Torn::Sometimes)
        .peekable();
    torn.peek().is_some() && torn.all(Answer::compiler_only)
}

/// What a model's minimal sets owe to the compiler, after their words: that
/// the barriers it needs are for the compiler, or, with the compiler not
/// modelled, that "no barrier is needed" holds for the CPU only.
fn compiler_words(row: &ModelRow, sets: &MinimalSets, compiler: bool) -> &'static str {
    match sets {
        MinimalSets::Decided(sets) if sets.len() == 1 && sets[0].is_empty() && !compiler => {
            " That is the CPU's answer only: the compiler is not modelled here, and with it \
             the barriers are there for the compiler."
        }
        MinimalSets::Decided(sets) if !sets.is_empty() && torn_only_by_the_compiler(row) => {
            " The CPU keeps this order by itself: these barriers are there for the compiler."
        }
        _ => "",
    }
}

/// The legend of the cells marked cc, when there is one.
fn compiler_legend(matrix: &BarrierMatrix, compiler: bool) -> Option<&'static str> {
    let any = matrix.models.iter().any(|row| {
        row.as_is
            .iter()
            .chain(row.without.iter().filter_map(|cell| cell.answer.as_ref()))
            .any(Answer::compiler_only)
    });
    match (any, compiler) {
        (true, _) => Some(
            "cc: torn only because of the compiler: the code as written never tears there, one \
             of its compiled forms does. On x86 (x86-TSO) this barrier is there for the compiler: \
             smp_rmb() and smp_wmb() are compiler barriers only.",
        ),
        (false, false) => Some(
            "The compiler is not modelled in this scenario: the answers are the CPU's only, and \
             say nothing of what the compiler may do without a barrier.",
        ),
        (false, true) => None,
    }
}

/// One cell: the answer as a button that loads the variant.
fn cell(
    answers: &Answers,
    model: MemoryModel,
    site: Option<Barrier>,
    answer: Option<&Answer>,
    on_load: &Callback<(Scenario, usize, Vec<Step>)>,
) -> Html {
    let name = model.short_name();
    let what = match site {
        None => "the barriers as given".to_owned(),
        Some(site) => format!("without {}", site.id()),
    };
    let Some(answer) = answer else {
        return html! {
            <td data-testid="matrix-cell" data-model={model.id()} data-torn="pending">
                <span aria-hidden="true">{ "…" }</span><span class="visually-hidden">{ "not answered yet" }</span>
            </td>
        };
    };
    // Torn only in a compiled form: the code as written never tears there.
    let compiler_only = answer.compiler_only();
    let (word, kind) = match answer.torn.word() {
        Torn::Sometimes if compiler_only => ("TORN cc", "sometimes"),
        Torn::Sometimes => ("TORN", "sometimes"),
        Torn::Never => ("never", "never"),
        Torn::Unknown => ("?", "unknown"),
    };
    let mut scenario = answers.under(model);
    if let Some(site) = site {
        scenario.barriers.set(site, false);
    }
    let steps = answer.torn.witness().map(|witness| witness.steps.clone()).unwrap_or_default();
    let form = answer.torn.witness().map_or(0, |witness| witness.form);
    let label = match kind {
        "sometimes" => format!(
            "{name}, {what}: torn{}. Load it with its torn trace ({} steps)",
            if compiler_only { " only because of the compiler" } else { "" },
            steps.len()
        ),
        "never" => format!("{name}, {what}: never torn. Load it"),
        _ => format!("{name}, {what}: no torn read found before the limit. Load it"),
    };
    let implied = (!answer.explored)
        .then_some("Follows from another cell: fewer barriers never remove a behaviour");
    let on_load = on_load.clone();
    let onclick =
        Callback::from(move |_: MouseEvent| on_load.emit((scenario.clone(), form, steps.clone())));
    html! {
        <td class={classes!(kind)}>
            <button type="button" class={classes!("cell", kind, compiler_only.then_some("compiler-only"))} data-testid="matrix-cell"
                data-model={model.id()} data-site={site.map_or("as-given", Barrier::id)} data-torn={kind}
                data-compiler-only={compiler_only.then_some("true")}
                aria-label={label} title={implied} {onclick}>
                { word }
            </button>
        </td>
    }
}

fn table(
    answers: &Answers,
    matrix: &BarrierMatrix,
    on_load: &Callback<(Scenario, usize, Vec<Step>)>,
) -> Html {
    let never_needed = matrix.never_needed();
    let header = MemoryModel::ALL
        .into_iter()
        .map(|model| html! { <th scope="col">{ model.short_name() }</th> });
    let as_given = MemoryModel::ALL
        .into_iter()
        .map(|model| cell(answers, model, None, matrix.row(model).as_is.as_ref(), on_load));
    let rows = matrix.sites.iter().enumerate().map(|(index, site)| {
        let cells = MemoryModel::ALL.into_iter().map(|model| {
            let answer = matrix.row(model).without[index].answer.as_ref();
            cell(answers, model, Some(*site), answer, on_load)
        });
        let off = !matrix.scenario.barriers.is_on(*site);
        html! {
            <tr key={site.id()}>
                <th scope="row" title={site.title()}>
                    <code>{ site.id() }</code>
                    if off { <span class="badge">{ "off already" }</span> }
                    if never_needed.contains(site) { <span class="badge never-needed">{ "never needed" }</span> }
                </th>
                { for cells }
            </tr>
        }
    });
    html! {
        <div class="table-scroll">
            <table class="matrix-table">
                <caption>{ "Can a read tear? Rows: each site switched off alone" }</caption>
                <thead><tr><th scope="col">{ "barriers" }</th>{ for header }</tr></thead>
                <tbody>
                    <tr><th scope="row">{ "as given" }</th>{ for as_given }</tr>
                    { for rows }
                </tbody>
            </table>
        </div>
    }
}

pub fn matrix_panel(props: &MatrixPanelProps) -> Html {
    let Some(answers) = &props.answers else { return html! {} };
    let matrix = answers.matrix();
    let on_compute = props.on_live.reform(|_: MouseEvent| LiveAction::ComputeMatrix);
    let on_cancel = props.on_live.reform(|_: MouseEvent| LiveAction::Cancel);
    let on_resume = props.on_live.reform(|_: MouseEvent| LiveAction::Resume);
    let status = match &answers.status {
        LiveStatus::MatrixOnRequest => html! {
            <p class="matrix-status" data-testid="matrix-status" data-status="on-request">
                { format!(
                    "This scenario is big (up to {} states in one exploration), so the matrix waits for you: \
                     it may take dozens of explorations.",
                    thousands(answers.largest())
                ) }
                { " " }
                <button type="button" data-testid="matrix-compute" onclick={on_compute}>{ "Compute the matrix" }</button>
            </p>
        },
        LiveStatus::Exploring { variant, .. } if answers.answered() => html! {
            <p class="matrix-status" data-testid="matrix-status" data-status="exploring">
                <span class="spinner" aria-hidden="true"></span>
                { format!(
                    "Exploring variant {} under {}{}… ",
                    matrix.explorations + 1,
                    variant.model.short_name(),
                    if props.states > 0 { format!(", {} states so far", thousands(props.states)) } else { String::new() }
                ) }
                <button type="button" data-testid="matrix-cancel" onclick={on_cancel}>{ "Cancel" }</button>
            </p>
        },
        LiveStatus::Cancelled if answers.answered() => html! {
            <p class="matrix-status" data-testid="matrix-status" data-status="cancelled">
                { "Stopped. " }
                <button type="button" data-testid="matrix-resume" onclick={on_resume}>{ "Go on" }</button>
            </p>
        },
        LiveStatus::Done => html! {
            <p class="matrix-status hint" data-testid="matrix-status" data-status="done">
                { format!(
                    "{} explorations, {} states; the other cells follow from them (fewer barriers never remove a behaviour).",
                    matrix.explorations,
                    thousands(matrix.states)
                ) }
            </p>
        },
        _ => html! {},
    };
    let sets = matrix.models.iter().map(|row| {
        let name = html! { <strong>{ format!("{}: ", row.model.short_name()) }</strong> };
        match &row.minimal_sets {
            // Several ways: one set a line.
            MinimalSets::Decided(sets) if sets.len() > 1 => html! {
                <li data-model={row.model.id()}>
                    { name }{ "needs one of these sets:" }
                    <ul>{ for sets.iter().map(|set| html! { <li>{ set_words(set) }</li> }) }</ul>
                </li>
            },
            sets => html! {
                <li data-model={row.model.id()}>
                    { name }{ minimal_sets_words(sets) }{ compiler_words(row, sets, answers.scenario.compiler) }
                </li>
            },
        }
    });
    let never_needed = matrix.never_needed();
    let legend = compiler_legend(&matrix, answers.scenario.compiler);
    html! {
        <section class="matrix" aria-labelledby="matrix-title" data-testid="matrix"
            data-finished={if matrix.is_finished() { "true" } else { "false" }}>
            <h2 id="matrix-title">{ "Which barriers matter" }</h2>
            <p class="hint">
                { "Under each model: the scenario's barriers as given, and each barrier site of its code switched off \
                   alone. A cell loads that variant into the stepper, with its shortest torn trace." }
            </p>
            { status }
            if matrix.sites.is_empty() {
                <p>{ "The scenario's code has no barrier site." }</p>
            } else {
                { table(answers, &matrix, &props.on_load) }
            }
            if let Some(legend) = legend {
                <p class="hint matrix-cc" data-testid="matrix-cc">{ legend }</p>
            }
            <h3>{ "Smallest sets of sites that prevent a torn read" }</h3>
            <ul class="minimal-sets" data-testid="minimal-sets">{ for sets }</ul>
            if !never_needed.is_empty() {
                <p data-testid="never-needed">
                    { format!(
                        "{} {} never needed in this scenario, under any model.",
                        and_list(&never_needed.iter().map(|site| site.id().to_owned()).collect::<Vec<_>>()),
                        if never_needed.len() == 1 { "is" } else { "are" }
                    ) }
                </p>
            }
        </section>
    }
}

/// [`matrix_panel`] as a component: Yew draws it again only when its props change,
/// never for a step (the answers and the live progress stay the same).
#[component]
pub fn MatrixPanel(props: &MatrixPanelProps) -> Html {
    matrix_panel(props)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use pte_core::{Barrier, MinimalSets};

    use super::minimal_sets_words;

    #[test]
    fn minimal_sets_in_words() {
        assert_eq!(
            minimal_sets_words(&MinimalSets::Decided(vec![vec![]])),
            "no barrier is needed."
        );
        assert_eq!(
            minimal_sets_words(&MinimalSets::Decided(vec![])),
            "no placement of barriers prevents a torn read."
        );
        assert_eq!(
            minimal_sets_words(&MinimalSets::Decided(vec![vec![
                Barrier::ZapWmb1,
                Barrier::ReaderRmb2
            ]])),
            "needs zap_wmb1 and reader_rmb2; every other site can be off."
        );
        assert_eq!(
            minimal_sets_words(&MinimalSets::Decided(vec![
                vec![Barrier::ZapWmb1],
                vec![Barrier::SeqWmbBegin, Barrier::SeqWmbEnd, Barrier::SeqRmbBegin]
            ])),
            "needs one of these sets: {zap_wmb1}; or {seq_wmb_begin, seq_wmb_end and seq_rmb_begin}."
        );
        assert!(minimal_sets_words(&MinimalSets::Undecided).contains("1,000,000 states"));
    }
}
