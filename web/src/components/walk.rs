//! The walk-through bar of the full page, kept at the top of the window
//! while the threads scroll under it: the trace player (Start, Step back,
//! Step forward, End, and the ← → keys), the step just taken with what a
//! stricter memory model would not have allowed in it, the stepped-to state
//! and the verdict so far in a line each, and why a number key ran nothing.

use std::rc::Rc;

use pte_core::{Register, Session, Word};
use yew::prelude::*;

use crate::components::player::{player, PlayerProps};
use crate::state::TraceEnd;
use crate::tour::TourAction;

/// Where the loaded trace goes, said from its first step on (a trace opens
/// at its start): "This trace ends at step 9: reader 1 returns
/// 0x0000000000001067, ✖ TORN". Nothing once the cursor is at its end.
fn trace_end_line(end: Option<TraceEnd>, total: usize, cursor: usize) -> Html {
    let Some(end) = end.filter(|_| cursor < total) else { return html! {} };
    let (kind, text) = match end {
        TraceEnd::NoRead => ("none", "no read completes".to_owned()),
        TraceEnd::Torn(judged) | TraceEnd::Allowed(judged) => {
            let shown = judged.result();
            (
                shown.id(),
                format!(
                    "reader {} {} {}, {} {}",
                    judged.read.reader + 1,
                    shown.verb(),
                    judged.read.value,
                    shown.icon(),
                    shown.headline(judged.verdict)
                ),
            )
        }
    };
    html! {
        <p class={classes!("walk-trace-end", kind)} data-testid="walk-trace-end" data-verdict={kind}>
            { format!("This trace ends at step {total}: ") }<strong>{ text }</strong>
            { " (End ⇥ shows it)." }
        </p>
    }
}

/// The open lesson's completion, announced in the bar the student works
/// under (and to screen readers), with the next lesson one click away.
fn lesson_line(done: Option<usize>, on_tour: &Callback<TourAction>) -> Html {
    let Some(number) = done else { return html! {} };
    let next = pte_core::tour::lesson(number + 1);
    html! {
        <>
            <strong>{ format!("✔ Lesson {number} complete. ") }</strong>
            if let Some(next) = next {
                <button type="button" data-testid="walk-lesson-next"
                    onclick={on_tour.reform(move |_: MouseEvent| TourAction::Open(number + 1))}>
                    { format!("Next: lesson {}, {}", number + 1, next.title) }
                </button>
            } else {
                { "That was the last lesson of the tour." }
            }
        </>
    }
}

/// The state in one line: the entry in memory with where each half came
/// from, the store buffer's size, and each reader's loaded registers.
fn state_line(session: &Session) -> Html {
    let program = session.program();
    let state = session.state();
    let source = |word| program.source(state.memory_tag(word));
    let buffered = program.buffered(state).count();
    let readers = (0..program.readers()).filter_map(|reader| {
        let loaded: Vec<String> = program
            .reader_program(reader)
            .registers
            .iter()
            .copied()
            .filter_map(|register: Register| {
                let value = program.register_value(state, reader, register)?;
                Some(format!(
                    "{}={}",
                    register.name(),
                    pte_core::word_value(register.word(), value)
                ))
            })
            .collect();
        (!loaded.is_empty()).then(|| format!("; reader {}: {}", reader + 1, loaded.join(" ")))
    });
    html! {
        <p class="walk-state" data-testid="walk-state">
            { "Memory: " }<code>{ program.memory_pte(state).to_string() }</code>
            { format!(" (high from {}, low from {})", source(Word::High), source(Word::Low)) }
            if buffered > 0 {
                { format!("; {buffered} store{} in the store buffer", if buffered == 1 { "" } else { "s" }) }
            }
            { for readers }
        </p>
    }
}

#[derive(Debug)]
pub struct WalkProps {
    pub session: Rc<Session>,
    /// Why the number key just pressed ran nothing.
    pub notice: Option<AttrValue>,
    /// Where the whole trace ends ([`crate::state::AppState::trace_end`]),
    /// while steps of it are ahead of the cursor.
    pub end: Option<TraceEnd>,
    /// The open lesson, when its goal was met.
    pub lesson_done: Option<usize>,
    /// Shows the state after this many steps.
    pub on_jump: Callback<usize>,
    pub on_tour: Callback<TourAction>,
}

pub fn walk_bar(props: &WalkProps) -> Html {
    let session = &props.session;
    let program = session.program();
    let cursor = session.cursor();
    let steps = session.all_steps();
    let next = session.step_text(cursor).map(AttrValue::from);
    let current = cursor
        .checked_sub(1)
        .and_then(|index| Some((index + 1, session.step_text(index)?, session.relaxations(index))));
    let verdict = match session.completed_reads().last() {
        None => html! {
            <p class="walk-verdict" data-testid="walk-verdict" data-verdict="none">
                <span aria-hidden="true">{ "… " }</span>{ "Verdict: no read has completed yet." }
            </p>
        },
        Some(judged) => {
            let shown = judged.result();
            html! {
                <p class={classes!("walk-verdict", shown.id())} data-testid="walk-verdict" data-verdict={shown.id()}>
                    <span aria-hidden="true">{ format!("{} ", shown.icon()) }</span>
                    { "Verdict: " }<strong>{ shown.headline(judged.verdict) }</strong>
                    { format!(" — reader {} {} ", judged.read.reader + 1, shown.verb()) }
                    <code>{ judged.read.value.to_string() }</code>
                </p>
            }
        }
    };
    html! {
        <section class="walk" id="walk" aria-labelledby="walk-title" data-testid="walk">
            <h2 id="walk-title" class="visually-hidden">{ "Walk through the trace" }</h2>
            // No trace yet: nothing to play.
            if !steps.is_empty() {
                { player(&PlayerProps { cursor, total: steps.len(), next, show_keys: true, on_jump: props.on_jump.clone() }) }
                { trace_end_line(props.end, steps.len(), cursor) }
            }
            <div class="walk-now">
                { match current {
                    None => html! {
                        <p class="walk-step" data-testid="walk-step">
                            { "Initial state: memory holds P0. Click a highlighted line (or press its number) to take a step." }
                        </p>
                    },
                    Some((count, text, relaxations)) => html! {
                        <>
                            <p class="walk-step" data-testid="walk-step">
                                <strong>{ format!("Step {count}: ") }</strong>{ text }
                            </p>
                            if !relaxations.is_empty() {
                                <ul class="why-allowed" data-testid="walk-why" aria-label="Why the memory model allowed this step">
                                    { for relaxations.iter().map(|relaxation| html! {
                                        <li><span aria-hidden="true">{ "↯ " }</span>{ program.explain_relaxation(relaxation) }</li>
                                    }) }
                                </ul>
                            }
                        </>
                    },
                } }
                { super::compiled_changes(
                    program,
                    &format!("Compiled form {}: the compiler, not the CPU, changed this code:", program.form_index()),
                    "walk-compiled",
                ) }
                { state_line(session) }
                { verdict }
            </div>
            <p class="walk-lesson" role="status" data-testid="walk-lesson">
                { lesson_line(props.lesson_done, &props.on_tour) }
            </p>
            <p class="key-notice" role="status" data-testid="key-notice">
                if let Some(notice) = &props.notice {
                    <span aria-hidden="true">{ "⚠ " }</span>{ notice.clone() }
                }
            </p>
        </section>
    }
}
