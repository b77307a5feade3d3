//! The scenario editor as a section that folds: open beside the threads on a
//! wide screen, folded to one line above them on a narrow one (so the
//! scenario picker is one tap from the top, and the verdict and the threads
//! follow at once), its summary naming the scenario either way.

use yew::prelude::*;

use crate::browser;

#[derive(Properties, PartialEq, Debug)]
pub struct EditorPanelProps {
    /// The scenario's name, with what was changed in it.
    pub title: AttrValue,
    pub children: Html,
}

#[component]
pub fn EditorPanel(props: &EditorPanelProps) -> Html {
    // Leaf-only visual state: whether the person folded it.
    let open = use_state(|| !browser::is_narrow());
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |event: Event| {
            use yew::TargetCast;
            let details: web_sys::Element = event.target_unchecked_into();
            open.set(details.has_attribute("open"));
        })
    };
    html! {
        <details class="editor" id="editor" open={*open} {ontoggle} data-testid="editor">
            <summary>
                <h2 id="controls-title">
                    { "Scenario" }
                    <span class="editor-scenario">{ ": " }{ props.title.clone() }</span>
                </h2>
                <span class="editor-hint" aria-hidden="true">{ if *open { "fold" } else { "edit" } }</span>
            </summary>
            { props.children.clone() }
        </details>
    }
}
