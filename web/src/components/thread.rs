//! The threads as code: one column per thread, its program written like the
//! kernel source, each line that can run next a button with its number key
//! (in the embed view: the line the linked trace runs next marked instead),
//! each barrier site a switch in place. A line that ran shows the number of
//! the step that ran it, and what a stricter memory model would not have
//! allowed in that step.

use std::rc::Rc;

use pte_core::listing::{self, Line, LineKind};
use pte_core::{Barrier, Blocked, Program, ReaderKind, Session, Step};
use yew::prelude::*;

use super::select_value;
use crate::state::Action;

#[derive(Debug)]
pub struct ThreadsProps {
    pub session: Rc<Session>,
    /// False in the embed view, which plays the link's fixed trace: barrier
    /// switches are shown but fixed, and code lines are not steps to take.
    pub editable: bool,
    /// The step the trace takes next (the embed view's linked trace, or the
    /// rest of a replayed trace): its line is marked.
    pub next: Option<Step>,
    /// Takes a step; the string is the id of the thread's column, so focus
    /// can stay there when the button goes away.
    pub on_step: Callback<(Step, AttrValue)>,
    pub on_toggle_barrier: Callback<(Barrier, bool)>,
    /// Scenario edits made from a column (a reader's kind).
    pub on_edit: Callback<Action>,
}

/// What the page knows about one step line right now.
#[derive(Clone, PartialEq)]
enum LineState {
    /// A candidate: enabled or blocked, with its number (see
    /// [`crate::numbers`]); `next`: the trace being walked runs it next.
    Offered {
        number: Option<usize>,
        blocked: Option<String>,
        next: bool,
    },
    /// The embed view's mark: the linked trace runs this line next.
    Next,
    /// Ran in step `ran_at` (1-based), with what a stricter model would not
    /// have allowed there.
    Done {
        in_store_buffer: bool,
        ran_at: Option<usize>,
        why: Vec<String>,
    },
    Waiting,
}

struct View<'a> {
    session: &'a Session,
    options: Vec<(Step, Result<(), Blocked>)>,
    numbers: Vec<(Step, usize)>,
    props: &'a ThreadsProps,
}

impl View<'_> {
    fn program(&self) -> &Program {
        self.session.program()
    }

    fn line_state(&self, step: Step) -> LineState {
        if !self.props.editable && self.props.next == Some(step) {
            return LineState::Next;
        }
        let offered = self.options.iter().find(|(offered, _)| *offered == step);
        if let Some((_, check)) = offered.filter(|_| self.props.editable) {
            return LineState::Offered {
                number: self.numbers.iter().find(|(s, _)| *s == step).map(|(_, n)| *n),
                blocked: check.err().map(|blocked| self.program().explain(blocked)),
                next: self.props.next == Some(step),
            };
        }
        let state = self.session.state();
        if listing::is_done(self.program(), state, step) {
            let in_store_buffer = match step {
                Step::Writer(index) => {
                    self.program().buffered(state).any(|i| i == usize::from(index))
                }
                _ => false,
            };
            // The last step (0-based index into the trace) that ran the line.
            let ran = self.session.trace().iter().rposition(|taken| *taken == step);
            let why = ran.map_or_else(Vec::new, |index| {
                let relaxations = self.session.relaxations(index);
                relaxations.iter().map(|r| self.program().explain_relaxation(r)).collect()
            });
            LineState::Done { in_store_buffer, ran_at: ran.map(|index| index + 1), why }
        } else {
            LineState::Waiting
        }
    }

    fn render_line(&self, line: &Line, thread: &AttrValue) -> Html {
        // A class, not a style attribute: the page's Content-Security-Policy
        // allows no inline styles.
        let indent = depth_class(line.depth);
        let comment = line.comment.as_ref().filter(|c| !c.is_empty()).map(|comment| {
            html! { <span class="comment">{ format!("/* {comment} */") }</span> }
        });
        match line.kind {
            LineKind::Plain => html! {
                <li class={classes!("line", "plain", indent)}>
                    <span class="marker" aria-hidden="true"></span>
                    <code>{ &line.code }</code>{ comment }{ source_link(line) }
                </li>
            },
            LineKind::Barrier(barrier) => self.render_barrier(line, barrier, indent, thread),
            LineKind::Step(step) => self.render_step(line, step, indent, comment, thread),
        }
    }

    fn render_barrier(
        &self,
        line: &Line,
        barrier: Barrier,
        indent: &'static str,
        thread: &AttrValue,
    ) -> Html {
        let on = self.session.scenario().barriers.is_on(barrier);
        let on_toggle = self.props.on_toggle_barrier.clone();
        let onchange = Callback::from(move |_: Event| on_toggle.emit((barrier, !on)));
        let label = format!(
            "{} {} ({}){}",
            line.code,
            barrier.title(),
            barrier.origin(),
            if on { "" } else { ", switched off" }
        );
        // "Jason's sketch, not in the kernel" (the listing's comment) and
        // whether the site is switched off, in one C comment.
        let note = match (line.comment.as_deref(), on) {
            (Some(origin), true) => Some(origin.to_owned()),
            (Some(origin), false) => Some(format!("{origin}; removed")),
            (None, false) => Some("removed".to_owned()),
            (None, true) => None,
        };
        html! {
            <li class={classes!("line", "barrier", (!on).then_some("off"), (!barrier.in_kernel()).then_some("sketch"), indent)}
                title={format!("{} ({}): untick to remove this barrier site everywhere it is called", barrier.title(), barrier.origin())}>
                <label>
                    <span class="marker">
                        <input
                            type="checkbox"
                            checked={on}
                            disabled={!self.props.editable}
                            aria-label={label}
                            data-testid={format!("barrier-{}-{}", thread, barrier.id())}
                            {onchange}
                        />
                    </span>
                    <code>{ &line.code }</code>
                    if let Some(note) = note { <span class="comment">{ format!("/* {note} */") }</span> }
                </label>
                { source_link(line) }
            </li>
        }
    }

    fn render_step(
        &self,
        line: &Line,
        step: Step,
        indent: &'static str,
        comment: Option<Html>,
        thread: &AttrValue,
    ) -> Html {
        let id = step.id();
        // The line of the step just taken: the walk-through keeps it in view.
        let just_ran = self.session.trace().last() == Some(&step);
        let indent = classes!(indent, just_ran.then_some("just-ran"));
        match self.line_state(step) {
            LineState::Offered { number, blocked, next } => {
                let why_id = format!("why-{id}");
                let enabled = blocked.is_none();
                let title = match &blocked {
                    None => format!("run this line: {}", self.program().name(step)),
                    Some(reason) => format!("cannot run yet: {reason}"),
                };
                let onclick = enabled.then(|| {
                    let on_step = self.props.on_step.clone();
                    let thread = thread.clone();
                    Callback::from(move |_: MouseEvent| on_step.emit((step, thread.clone())))
                });
                html! {
                    <li class={classes!("line", "offered", (!enabled).then_some("blocked"), next.then_some("next-in-trace"), indent)}
                        data-number={number.map(|n| n.to_string())}>
                        <button
                            type="button"
                            class="step"
                            data-testid={format!("step-{id}")}
                            aria-disabled={if enabled { "false" } else { "true" }}
                            aria-describedby={(!enabled).then(|| why_id.clone())}
                            aria-keyshortcuts={number.filter(|n| *n <= 9).map(|n| n.to_string())}
                            {title}
                            {onclick}
                        >
                            <span class="marker">
                                <span aria-hidden="true">
                                    { match number {
                                        Some(number) if number <= 9 => html! { <kbd>{ number }</kbd> },
                                        _ if enabled => html! { "▶" },
                                        _ => html! { "‖" },
                                    } }
                                </span>
                                if next { <span class="visually-hidden">{ "runs next in the trace: " }</span> }
                            </span>
                            <code>{ &line.code }</code>{ comment }
                            if next { <span class="next-tag" aria-hidden="true">{ "◀ next in the trace" }</span> }
                        </button>
                        { source_link(line) }
                        if let Some(reason) = blocked {
                            <span class="why" id={why_id}>{ reason }</span>
                        }
                    </li>
                }
            }
            LineState::Next => html! {
                <li class={classes!("line", "next", indent)} data-testid={format!("line-{id}")}>
                    <span class="marker">
                        <span aria-hidden="true">{ "▶" }</span>
                        <span class="visually-hidden">{ "runs next in the trace: " }</span>
                    </span>
                    <code>{ &line.code }</code>{ comment }{ source_link(line) }
                </li>
            },
            LineState::Done { in_store_buffer, ran_at, why } => html! {
                <li class={classes!("line", "done", in_store_buffer.then_some("buffered"), (!why.is_empty()).then_some("relaxed"), indent)}
                    data-testid={format!("line-{id}")} data-ran-at={ran_at.map(|n| n.to_string())}>
                    <span class="marker">
                        <span aria-hidden="true" class="ran-at">
                            { match ran_at {
                                Some(count) => format!("{count}{}", if in_store_buffer { "⇢" } else { "" }),
                                None if in_store_buffer => "⇢".to_owned(),
                                None => "✓".to_owned(),
                            } }
                        </span>
                        <span class="visually-hidden">
                            { match (ran_at, in_store_buffer) {
                                (Some(count), true) => format!("step {count}, in the store buffer: "),
                                (Some(count), false) => format!("ran in step {count}: "),
                                (None, true) => "in the store buffer: ".to_owned(),
                                (None, false) => "done: ".to_owned(),
                            } }
                        </span>
                    </span>
                    <code>{ &line.code }</code>{ comment }{ source_link(line) }
                    if !why.is_empty() {
                        <span class="why-allowed" data-testid={format!("why-{id}")}>
                            { for why.iter().map(|sentence| html! {
                                <span class="sentence"><span aria-hidden="true">{ "↯ " }</span>{ sentence }</span>
                            }) }
                        </span>
                    }
                </li>
            },
            LineState::Waiting => html! {
                <li class={classes!("line", "waiting", indent)} data-testid={format!("line-{id}")}>
                    <span class="marker" aria-hidden="true"></span>
                    <code>{ &line.code }</code>{ comment }{ source_link(line) }
                </li>
            },
        }
    }

    fn writer_column(&self) -> Html {
        let thread = AttrValue::from("thread-writer");
        let blocks = listing::writer_blocks(self.program());
        let drain = self.options.iter().any(|(step, _)| *step == Step::Drain).then(|| {
            let oldest = self.program().describe(self.session.state(), Step::Drain);
            let line = Line {
                code: "drain the store buffer".to_owned(),
                comment: Some(oldest.trim_start_matches("writer: ").to_owned()),
                kind: LineKind::Step(Step::Drain),
                depth: 0,
                source: pte_core::sources::for_step(
                    self.program(),
                    self.session.state(),
                    Step::Drain,
                )
                .first()
                .copied(),
            };
            html! {
                <div class="drain">
                    <p class="hint">{ format!("{}: stores wait in the writer's store buffer until drained, oldest first.", self.program().model().title()) }</p>
                    <ol class="code">{ self.render_line(&line, &thread) }</ol>
                </div>
            }
        });
        let state = self.session.state();
        let finished = (0..self.program().accesses().len()).all(|i| state.writer_performed(i))
            && self.program().buffered(state).next().is_none();
        html! {
            <section class="thread writer" id={thread.clone()} aria-labelledby="thread-writer-title">
                <h3 id="thread-writer-title">{ "Writer" }<span class="thread-status">
                    { if finished { "finished" } else { "zaps and re-establishes the PTE" } }
                </span></h3>
                { for blocks.iter().map(|block| html! {
                    <div class="block" key={block.op}>
                        <p class="call">
                            <span class="op-tag">{ format!("op {}", block.op + 1) }</span>
                            if !block.call.is_empty() { <code>{ &block.call }</code> }
                            <span class="comment">{ format!("/* {} */", block.summary) }</span>
                            if let Some(source) = block.source {
                                <a class="source-link" href={source.url()} target="_blank" rel="noopener noreferrer"
                                    aria-label={format!("kernel source of op {}: {} at {}", block.op + 1, source.cite(), source.tag)}
                                    title={format!("{} at {}", source.cite(), source.tag)}>{ source.tag }</a>
                            }
                        </p>
                        <ol class="code">
                            { for block.lines.iter().map(|line| self.render_line(line, &thread)) }
                        </ol>
                    </div>
                }) }
                if blocks.is_empty() {
                    <p class="hint">{ "The writer has no operations: add some under Scenario." }</p>
                }
                { drain }
            </section>
        }
    }

    fn reader_column(&self, reader: u8) -> Html {
        let thread = AttrValue::from(format!("thread-reader-{}", reader + 1));
        let state = self.session.state();
        let at = state.reader(reader);
        let program = self.program();
        let kind = program.reader_kind(reader);
        let status = kind.spec().status(program.phase(state, reader), at.retries);
        let title_id = format!("{thread}-title");
        let select_id = format!("{thread}-kind");
        let (call, comment) = listing::reader_call(kind);
        let on_kind = self.props.on_edit.reform(move |event: Event| {
            let kind = select_value(&event).parse::<ReaderKind>().unwrap_or_default();
            Action::Edit(pte_core::Edit::ReaderKind { reader, kind })
        });
        html! {
            <section class="thread reader" id={thread.clone()} aria-labelledby={title_id.clone()}>
                <h3 id={title_id}>{ format!("Reader {}", reader + 1) }
                    <span class="thread-status">{ status }</span></h3>
                if self.props.editable {
                    <p class="reader-kind">
                        <label for={select_id.clone()}>{ "runs" }</label>
                        <select id={select_id} data-testid={format!("reader-{}-kind", reader + 1)}
                            onchange={on_kind} title={kind.title()}>
                            { for ReaderKind::ALL.into_iter().map(|k| html! {
                                <option value={k.id()} selected={k == kind} title={k.title()}>{ k.label() }</option>
                            }) }
                        </select>
                    </p>
                }
                <p class="call"><code>{ call }</code>
                    <span class="comment">{ format!("/* {comment} */") }</span></p>
                <ol class="code">
                    { for listing::reader_lines(program, reader).iter().map(|line| self.render_line(line, &thread)) }
                </ol>
            </section>
        }
    }
}

/// A small link to the kernel code a line models, at the tag the table
/// names (outside any button: links may not nest in buttons).
fn source_link(line: &Line) -> Html {
    match line.source {
        Some(source) => html! {
            <a class="source-link" href={source.url()} target="_blank" rel="noopener noreferrer"
                data-testid="source-link"
                aria-label={format!("kernel source: {} at {}", source.cite(), source.tag)}
                title={format!("{} at {}{}", source.cite(), source.tag,
                    source.mainline.map_or(String::new(), |note| format!("; mainline: {note}")))}>
                { source.tag }
            </a>
        },
        None => html! {},
    }
}

/// The class that indents a line by its nesting depth (`depth-0` to
/// `depth-3`; deeper lines stay at 3).
fn depth_class(depth: u8) -> &'static str {
    match depth {
        0 => "depth-0",
        1 => "depth-1",
        2 => "depth-2",
        _ => "depth-3",
    }
}

/// The writer's and every reader's column.
pub fn threads(props: &ThreadsProps) -> Html {
    let session = &props.session;
    let options = session.options();
    let numbers = crate::numbers::line_numbers(session.program(), session.trace());
    let view = View { session, options, numbers, props };
    let note = session.scenario().model.explanation();
    html! {
        <section class="threads-section" aria-labelledby="threads-title">
            <h2 id="threads-title" tabindex="-1">{ "Threads" }</h2>
            <p class="hint">
                if props.editable {
                    { "Click a highlighted line (or press its number key) to run it on that CPU; a line that ran shows the number of its step. " }
                } else {
                    { "▶ marks the line the trace runs next; step with the player above. " }
                }
                { note }
                // The model's note speaks of the CPU; with the compiler on,
                // a barrier also ends the compiler's region (COMPILER.md).
                if session.scenario().compiler {
                    { " With the compiler on, every barrier that is on is also a compiler barrier: no plain access moves across it." }
                }
            </p>
            { super::compiled_changes(
                session.program(),
                &format!(
                    "The code as compiled (form {}): the listing shows the order the compiler chose.",
                    session.program().form_index()
                ),
                "compiled-listing",
            ) }
            <div class="threads">
                { view.writer_column() }
                { for (0..session.scenario().readers).map(|reader| view.reader_column(reader)) }
            </div>
        </section>
    }
}
