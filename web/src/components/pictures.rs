//! Pictures of the run so far: the execution graph (events per thread with
//! po, rf, co, fr and barriers) or the timeline (one row per step), drawn by
//! `pte_core::picture` as SVG, with the edges in words for screen readers
//! and a Download of the picture as a file. Clicking a timeline row shows
//! the state after that step.

use std::rc::Rc;

use pte_core::execution::Execution;
use pte_core::picture::{self, Highlight};
use pte_core::Session;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::data_url;

#[derive(Properties, PartialEq, Debug)]
pub struct PicturesProps {
    pub session: Rc<Session>,
    /// Shows the state after this many steps (a timeline row).
    pub on_jump: Callback<usize>,
}

/// Which picture is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Graph,
    Timeline,
}

/// The class the highlighted arrows get: how the last completed read was
/// judged ([`pte_core::ReadResult::id`]; "allowed" before any read completes). The read
/// the last step completed, when it did, is the last completed read.
fn verdict_class(session: &Session) -> &'static str {
    session.completed_reads().last().map_or("allowed", |judged| judged.result().id())
}

/// The number of steps a click on the timeline asks for: the `data-step` of
/// the row it landed in.
fn clicked_step(event: &MouseEvent) -> Option<usize> {
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    let row = target.closest("[data-step]").ok()??;
    row.get_attribute("data-step")?.parse().ok()
}

#[component]
pub fn Pictures(props: &PicturesProps) -> Html {
    let view = use_state(|| View::Graph);
    let session = &props.session;
    let Ok(execution) = Execution::of(session.program(), session.trace()) else {
        return html! {};
    };
    let highlight = Highlight::last_read(&execution, verdict_class(session));
    let svg = match *view {
        View::Graph => picture::graph_svg(&execution, highlight),
        View::Timeline => picture::timeline_svg(&execution, highlight),
    };
    let file = match *view {
        View::Graph => "pte-execution-graph.svg",
        View::Timeline => "pte-timeline.svg",
    };
    let edges = picture::edge_sentences(&execution);
    let choose = |chosen: View| {
        let view = view.clone();
        Callback::from(move |_: Event| view.set(chosen))
    };
    let onclick = {
        let on_jump = props.on_jump.clone();
        let timeline = *view == View::Timeline;
        Callback::from(move |event: MouseEvent| {
            if let Some(step) = clicked_step(&event).filter(|_| timeline) {
                on_jump.emit(step);
            }
        })
    };
    html! {
        <section class="pictures" aria-labelledby="pictures-title" data-testid="pictures">
            <h2 id="pictures-title">{ "Execution" }</h2>
            <fieldset class="picture-choice">
                <legend class="visually-hidden">{ "Picture" }</legend>
                <input type="radio" name="picture" id="picture-graph" checked={*view == View::Graph}
                    onchange={choose(View::Graph)} data-testid="picture-graph" />
                <label for="picture-graph">{ "graph (po, rf, co, fr)" }</label>
                <input type="radio" name="picture" id="picture-timeline" checked={*view == View::Timeline}
                    onchange={choose(View::Timeline)} data-testid="picture-timeline" />
                <label for="picture-timeline">{ "timeline (click a row to go there)" }</label>
                <a href={data_url("image/svg+xml", &picture::standalone(&svg))} download={file} data-testid="download-picture">
                    { format!("Download {file}") }
                </a>
            </fieldset>
            <p class="hint">
                { "po: program order within a thread. rf: the write a load read. co: the order writes to one word reached memory. fr: from a load to the write that replaced what it read. Bars are enabled barriers; the read's two halves are drawn thick." }
            </p>
            <div class="picture-scroll" tabindex="0" role="region" aria-label="the picture; scrolls inside"
                data-testid="picture" {onclick}>
                { Html::from_html_unchecked(AttrValue::from(svg)) }
            </div>
            <details class="edges">
                <summary>{ format!("The picture's {} relations in words", edges.len()) }</summary>
                <ul>{ for edges.iter().map(|edge| html! { <li>{ edge }</li> }) }</ul>
            </details>
        </section>
    }
}
