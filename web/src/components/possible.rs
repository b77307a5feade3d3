//! Under which models the read a person completed by hand could happen:
//! its value looked up in the three outcome sets of the live answers
//! ("possible under weak only"), with the provenance each model's shortest
//! trace gives it and a Replay under each model that has one.

use std::rc::Rc;

use pte_core::{Judged, MemoryModel, Scenario, Step};
use yew::prelude::*;

use crate::components::state_view::short_source;
use crate::live::{possible_under, Answers, Possible};

#[derive(Debug)]
pub struct ReadUnderModelsProps {
    pub answers: Option<Rc<Answers>>,
    /// The latest read completed in the run shown.
    pub read: Option<Judged>,
    pub on_load: Callback<(Scenario, usize, Vec<Step>)>,
}

/// "every model", "weak only", "x86-TSO and weak", "no model".
pub fn models_phrase(models: &[MemoryModel]) -> String {
    match models {
        [] => "no model".to_owned(),
        [one] => format!("{} only", one.short_name()),
        _ if models.len() == MemoryModel::ALL.len() => "every model".to_owned(),
        [first, second] => format!("{} and {}", first.short_name(), second.short_name()),
        _ => models.iter().map(|model| model.short_name()).collect::<Vec<_>>().join(", "),
    }
}

pub fn read_under_models(props: &ReadUnderModelsProps) -> Html {
    let (Some(answers), Some(read)) = (&props.answers, props.read) else { return html! {} };
    let value = read.read.value;
    let possible = possible_under(answers, value, read.read.returned);
    let yes: Vec<MemoryModel> = possible
        .iter()
        .filter(|(_, possible)| matches!(possible, Possible::Yes(_)))
        .map(|(model, _)| *model)
        .collect();
    let unknown = possible.iter().any(|(_, possible)| *possible == Possible::Unknown);
    let phrase = format!(
        "possible under {}{}",
        models_phrase(&yes),
        if unknown { " so far (not every model is answered)" } else { "" }
    );
    let did = if read.read.returned { "returned" } else { "read, then backed off from," };
    let items = possible.into_iter().map(|(model, possible)| {
        let name = model.short_name();
        match possible {
            Possible::Yes(outcome) => {
                let steps = outcome.witness.len();
                let load = (answers.under(model), outcome.form, outcome.witness.clone());
                // Only a compiled form returns it: the code as written never does.
                let compiler = (outcome.form != 0).then_some(", only because of the compiler");
                let on_load = props.on_load.clone();
                let onclick = Callback::from(move |_: MouseEvent| on_load.emit(load.clone()));
                html! {
                    <li data-model={model.id()} data-possible="yes">
                        <strong>{ format!("{name}: yes") }</strong>
                        { format!(
                            " — shortest trace {steps} steps (low from {}, high from {}){} ",
                            short_source(outcome.read.low_source),
                            short_source(outcome.read.high_source),
                            compiler.unwrap_or_default()
                        ) }
                        <button type="button" data-testid="possible-replay" {onclick}
                            aria-label={format!("Replay the shortest trace ({steps} steps) to {value} under {name}")}>
                            { format!("Replay under {name}") }
                        </button>
                    </li>
                }
            }
            Possible::No => html! {
                <li data-model={model.id()} data-possible="no"><strong>{ format!("{name}: no") }</strong>
                    { " — no interleaving returns it" }</li>
            },
            Possible::Unknown => html! {
                <li data-model={model.id()} data-possible="unknown">{ format!("{name}: not answered yet") }</li>
            },
        }
    });
    html! {
        <section class="possible" data-testid="possible-under" aria-labelledby="possible-title"
            data-models={yes.iter().map(|model| model.id()).collect::<Vec<_>>().join(",")}>
            <h2 id="possible-title" class="visually-hidden">{ "Under which memory models this read can happen" }</h2>
            <p>
                { format!("Reader {} {did} ", read.read.reader + 1) }<code>{ value.to_string() }</code>
                { format!(
                    " (low from {}, high from {}): ",
                    short_source(read.read.low_source),
                    short_source(read.read.high_source)
                ) }
                <strong data-testid="possible-phrase">{ phrase }</strong>{ "." }
            </p>
            <ul class="possible-models">{ for items }</ul>
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use pte_core::MemoryModel::{Sc, Tso, Weak};

    use super::models_phrase;

    #[test]
    fn the_models_in_words() {
        assert_eq!(models_phrase(&[Weak]), "weak only");
        assert_eq!(models_phrase(&[Tso, Weak]), "x86-TSO and weak");
        assert_eq!(models_phrase(&[Sc, Tso, Weak]), "every model");
        assert_eq!(models_phrase(&[]), "no model");
    }
}
