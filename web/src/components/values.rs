//! Editable 64-bit values (P0, Z, P1..PN) in hex: a draft is checked as it
//! is typed; an invalid one shows an inline message and is not applied.

use pte_core::Pte;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct HexFieldProps {
    /// The element id of the input (labels and messages refer to it).
    pub id: AttrValue,
    pub label: AttrValue,
    /// A short note after the label ("initial, present").
    #[prop_or_default]
    pub note: AttrValue,
    pub value: Pte,
    #[prop_or(true)]
    pub editable: bool,
    pub on_change: Callback<Pte>,
}

/// One value: label, input and, while the draft is invalid, why.
#[component]
pub fn HexField(props: &HexFieldProps) -> Html {
    // The text being typed, while it differs from the applied value.
    let draft = use_state(|| None::<String>);
    {
        let draft = draft.clone();
        use_effect_with(props.value, move |_| draft.set(None));
    }
    let error =
        draft.as_ref().and_then(|text| text.parse::<Pte>().err()).map(|error| error.to_string());
    let text = draft.as_ref().cloned().unwrap_or_else(|| props.value.to_string());

    let oninput = {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            draft.set(Some(input.value()));
        })
    };
    let onchange = {
        let draft = draft.clone();
        let on_change = props.on_change.clone();
        let current = props.value;
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Ok(pte) = input.value().parse::<Pte>() {
                draft.set(None);
                if pte != current {
                    on_change.emit(pte);
                }
            }
        })
    };
    let error_id = format!("{}-error", props.id);
    html! {
        <div class={classes!("hex-field", error.is_some().then_some("invalid"))}>
            <label for={props.id.clone()}>
                { props.label.clone() }
                if !props.note.is_empty() { <span class="note">{ format!(" ({})", props.note) }</span> }
            </label>
            <input
                id={props.id.clone()}
                type="text"
                inputmode="text"
                spellcheck="false"
                autocomplete="off"
                value={text}
                readonly={!props.editable}
                aria-invalid={if error.is_some() { "true" } else { "false" }}
                aria-describedby={error.is_some().then(|| error_id.clone())}
                data-testid={format!("value-{}", props.id)}
                {oninput}
                {onchange}
            />
            if let Some(error) = error {
                <p class="field-error" id={error_id} role="alert">
                    <span aria-hidden="true">{ "⚠ " }</span>{ format!("{error}: not applied") }
                </p>
            }
        </div>
    }
}
