//! The trace: every step taken, as a sentence, with undo, redo and
//! jump-to-step. Steps undone but not yet redone (the rest of a replayed
//! trace) stay listed, greyed. A step that a stricter memory model would not
//! have allowed says why it was allowed.

use std::rc::Rc;

use pte_core::{Judged, Session};
use yew::prelude::*;

#[derive(Debug)]
pub struct TraceProps {
    pub session: Rc<Session>,
    pub can_undo: bool,
    pub can_redo: bool,
    /// Undo would bring back the scenario (or run) before the last change.
    pub undo_restores_session: bool,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
    /// Shows the state after this many steps.
    pub on_jump: Callback<usize>,
    /// The embed view's fixed trace: the player above has the controls, so
    /// there is no undo/redo toolbar here.
    pub fixed: bool,
}

/// One line per step: what it did, read from the state before it, the read
/// it completed as the session judged it, and why it was allowed where a
/// stricter model would not have allowed it.
fn describe_steps(session: &Session) -> Vec<(String, Option<Judged>, Vec<String>)> {
    let program = session.program();
    let mut lines = Vec::with_capacity(session.all_steps().len());
    for (index, read) in session.judged_reads().iter().enumerate() {
        let Some(text) = session.step_text(index) else { break };
        let why = session.relaxations(index);
        let why = why.iter().map(|relaxation| program.explain_relaxation(relaxation)).collect();
        lines.push((text, *read, why));
    }
    lines
}

pub fn trace(props: &TraceProps) -> Html {
    let session = &props.session;
    let cursor = session.cursor();
    let lines = describe_steps(session);
    let entry = |count: usize, text: String, read: Option<Judged>, why: Vec<String>| {
        let on_jump = props.on_jump.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_jump.emit(count));
        let current = count == cursor;
        let undone = count > cursor;
        html! {
            <li key={count} class={classes!(current.then_some("current"), undone.then_some("undone"))}>
                <button type="button" class="trace-entry" data-testid="trace-entry"
                    aria-current={current.then_some("step")}
                    title={format!("show the state after {count} step{}", if count == 1 { "" } else { "s" })}
                    {onclick}>
                    <span class="count">{ format!("{count}.") }</span>
                    <span class="text">{ text }</span>
                    if let Some(judged) = read {
                        <span class={classes!("read", judged.returned_torn().then_some("torn"))}>
                            { format!(" {} {}", judged.result().icon(), judged.result().word()) }
                        </span>
                    }
                    if undone { <span class="visually-hidden">{ " (undone)" }</span> }
                </button>
                if !why.is_empty() {
                    <ul class="why-allowed" data-testid="trace-why">
                        { for why.into_iter().map(|sentence| html! {
                            <li><span aria-hidden="true">{ "↯ " }</span>{ sentence }</li>
                        }) }
                    </ul>
                }
            </li>
        }
    };
    let on_undo = props.on_undo.reform(|_: MouseEvent| ());
    let on_redo = props.on_redo.reform(|_: MouseEvent| ());
    let on_start = props.on_jump.reform(|_: MouseEvent| 0);
    html! {
        <section class="trace" aria-labelledby="trace-title" data-testid="trace">
            <h2 id="trace-title">{ "Trace" }</h2>
            if !props.fixed {
                <div class="toolbar" role="group" aria-label="Trace controls">
                    <button type="button" onclick={on_undo} disabled={!props.can_undo} data-testid="undo"
                        aria-keyshortcuts="u Control+Z">
                        { if props.undo_restores_session { "↶ Undo scenario change" } else { "↶ Undo" } }
                        <kbd>{ "u" }</kbd>
                    </button>
                    <button type="button" onclick={on_redo} disabled={!props.can_redo} data-testid="redo"
                        aria-keyshortcuts="r Control+Y Control+Shift+Z">
                        { "↷ Redo" }<kbd>{ "r" }</kbd>
                    </button>
                    <button type="button" onclick={on_start} disabled={cursor == 0} data-testid="restart">
                        { "⇤ Back to start" }
                    </button>
                    if lines.len() > cursor {
                        <span class="hint">{ "Walk the rest with Step forward at the top, or →." }</span>
                    }
                </div>
            }
            if props.fixed {
                <p class="hint">{ "The linked trace, step by step. Click a step to show the state after it." }</p>
            } else {
                <p class="hint" data-testid="trace-length">
                    { format!("{cursor} step{} taken", if cursor == 1 { "" } else { "s" }) }
                    { if lines.len() > cursor { format!(" ({} more to redo)", lines.len() - cursor) } else { String::new() } }
                    { ". Click a step to go back to it." }
                </p>
            }
            <ol class="trace-list">
                <li key="start" class={classes!((cursor == 0).then_some("current"))}>
                    <button type="button" class="trace-entry" aria-current={(cursor == 0).then_some("step")}
                        onclick={props.on_jump.reform(|_: MouseEvent| 0)}>
                        <span class="count">{ "0." }</span><span class="text">{ "initial state: memory holds P0" }</span>
                    </button>
                </li>
                { for lines.into_iter().enumerate().map(|(index, (text, read, why))| entry(index + 1, text, read, why)) }
            </ol>
        </section>
    }
}
