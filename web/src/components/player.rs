//! The trace player: step through the trace forward and back (the embed
//! view's fixed trace, and on the full page the rest of a replayed trace).

use yew::prelude::*;

#[derive(Debug)]
pub struct PlayerProps {
    /// Steps shown (the cursor) and steps in the trace.
    pub cursor: usize,
    pub total: usize,
    /// The description of the next step, if there is one.
    pub next: Option<AttrValue>,
    /// Show the keys (← →) on the buttons (the full page; the embed view
    /// keeps its buttons bare).
    pub show_keys: bool,
    pub on_jump: Callback<usize>,
}

pub fn player(props: &PlayerProps) -> Html {
    let (cursor, total) = (props.cursor, props.total);
    let jump = |to: usize| props.on_jump.reform(move |_: MouseEvent| to);
    html! {
        <section class="player" aria-label="Play the trace">
            <div class="toolbar" role="group" aria-label="Trace player">
                <button type="button" onclick={jump(0)} disabled={cursor == 0} data-testid="player-start">
                    { "⇤ Start" }
                </button>
                <button type="button" onclick={jump(cursor.saturating_sub(1))} disabled={cursor == 0}
                    data-testid="player-back" aria-keyshortcuts="ArrowLeft">
                    { "◀ Step back" }
                    if props.show_keys { <kbd aria-hidden="true">{ "←" }</kbd> }
                </button>
                <button type="button" class="primary" id="player-forward" onclick={jump(cursor + 1)}
                    disabled={cursor >= total} data-testid="player-forward" aria-keyshortcuts="ArrowRight">
                    { "Step forward ▶" }
                    if props.show_keys { <kbd aria-hidden="true">{ "→" }</kbd> }
                </button>
                <button type="button" onclick={jump(total)} disabled={cursor >= total} data-testid="player-end">
                    { "End ⇥" }
                </button>
                <span class="player-position" role="status" data-testid="player-position">
                    { format!("step {cursor} of {total}") }
                </span>
            </div>
            if let Some(next) = &props.next {
                <p class="hint player-next">{ "Next: " }{ next.clone() }</p>
            }
        </section>
    }
}
