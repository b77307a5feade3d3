//! The root component: owns the reducer, runs the effects (address bar,
//! keyboard shortcuts, the explorations (in the web worker), the embed view's height
//! messages, keeping the walk-through in view) and lays out the page, full
//! or compact (`?embed=1`).

use std::cell::RefCell;
use std::rc::Rc;

use pte_core::{catalog, Barrier, Edit, Scenario, Step};
use yew::prelude::*;

use crate::browser::{self, Start};
use crate::components::answer::{answer_box, AnswerProps};
use crate::components::controls::Controls;
use crate::components::editor::EditorPanel;
use crate::components::explore::{explore, ExploreProps};
use crate::components::litmus::{expected_from_live, litmus, LitmusProps};
use crate::components::live::{live_strip, LiveStripProps};
use crate::components::matrix::MatrixPanel;
use crate::components::pictures::Pictures;
use crate::components::player::{player, PlayerProps};
use crate::components::possible::{read_under_models, ReadUnderModelsProps};
use crate::components::share::{mail_text, page_link, share, torn_witness, ShareProps};
use crate::components::state_view::{state_view, StateViewProps};
use crate::components::thread::{threads, ThreadsProps};
use crate::components::tour::{tour_panel, TourProps};
use crate::components::trace::{trace, TraceProps};
use crate::components::verdict::{verdict_banner, VerdictProps};
use crate::components::walk::{walk_bar, WalkProps};
use crate::runner;
use crate::state::{Action, AppState, Notice, TraceEnd, View};
use crate::tour::PROGRESS_KEY;

#[derive(Properties, PartialEq, Default, Debug)]
pub struct AppProps {
    /// How the page was opened; `None` reads the browser's address (tests
    /// pass one in).
    #[prop_or_default]
    pub start: Option<Start>,
}

/// What a key press asks for, if it is one of the page's shortcuts.
pub fn shortcut(key: &str, ctrl: bool, shift: bool, alt: bool) -> Option<Action> {
    if alt {
        return None;
    }
    match (key, ctrl, shift) {
        ("u" | "U", false, _) => Some(Action::Undo),
        ("r" | "R", false, _) => Some(Action::Redo),
        ("z" | "Z", true, false) => Some(Action::Undo),
        ("z" | "Z", true, true) | ("y" | "Y", true, _) => Some(Action::Redo),
        ("ArrowRight", false, false) => Some(Action::StepForward),
        ("ArrowLeft", false, false) => Some(Action::StepBack),
        ("e" | "E", false, false) => Some(Action::StartExploration),
        (digit, false, false) if digit.len() == 1 => {
            let number = digit.chars().next().and_then(|c| c.to_digit(10))?;
            (1..=9).contains(&number).then_some(Action::StepNumber(number as usize))
        }
        _ => None,
    }
}

/// Installs the document-wide shortcuts (not while typing in a field).
fn listen_for_shortcuts(dispatcher: UseReducerDispatcher<AppState>) -> gloo::events::EventListener {
    use wasm_bindgen::JsCast;
    let document = gloo::utils::document();
    // Not passive: a handled key's default action (Ctrl+Z in the page) is prevented.
    let options = gloo::events::EventListenerOptions::enable_prevent_default();
    gloo::events::EventListener::new_with_options(&document, "keydown", options, move |event| {
        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        let typing = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|element| {
                matches!(
                    element.tag_name().to_ascii_lowercase().as_str(),
                    "input" | "select" | "textarea"
                )
            });
        if typing || event.meta_key() {
            return;
        }
        let Some(action) =
            shortcut(&event.key(), event.ctrl_key(), event.shift_key(), event.alt_key())
        else {
            return;
        };
        event.prevent_default();
        // Holding a number key down must not run a burst of steps.
        if !(event.repeat() && matches!(action, Action::StepNumber(_) | Action::StartExploration)) {
            dispatcher.dispatch(action);
        }
    })
}

/// One line with the scenario's name (the full page's header has it),
/// values and settings.
fn summary(scenario: &Scenario, name: Option<String>) -> Html {
    let half = if scenario.present_bit < 32 { "low half" } else { "high half" };
    html! {
        <p class="summary">
            if let Some(name) = name {
                <span class="summary-name" data-testid="summary-name">
                    { "Scenario: " }<strong>{ name }</strong>{ ". " }
                </span>
            }
            <span class="summary-details">
                { "Initial PTE P0 = " }<code data-testid="initial-pte">{ scenario.values.p0.to_string() }</code>
                { "; " }
                <span data-testid="present-bit">{ format!("present bit: bit {} ({half})", scenario.present_bit) }</span>
                { format!("; {}; {} reader{}; TLB flush: {}.",
                    scenario.model.title(), scenario.readers, if scenario.readers == 1 { "" } else { "s" }, scenario.flush.id()) }
            </span>
        </p>
    }
}

fn header(state: &AppState) -> Html {
    html! {
        <header class="page-header">
            <h1>{ "ptep_get_lockless() interleaving explorer" }</h1>
            <p class="intro">
                { "A 32-bit kernel reads a 64-bit page-table entry in two halves, without a lock, while another CPU \
                   zaps it and installs a new one. Can the reader return a " }<strong>{ "torn" }</strong>
                { " entry: present, but a value no writer ever wrote? Run the threads one line at a time and see." }
            </p>
            <ol class="how-to">
                <li>{ "Pick a scenario from the 2022 linux-mm thread." }</li>
                <li>{ "Click a highlighted line (or press its number) to run it." }</li>
                <li>{ "When a reader passes its check, the verdict judges its value." }</li>
                <li>{ "“Explore all” (key e) checks every interleaving; Replay walks a trace step by step (→)." }</li>
            </ol>
            { summary(state.session.scenario(), Some(state.identity().title())) }
        </header>
    }
}

/// The embed view's header: the link to the full explorer first, the
/// scenario's name, and where the linked trace ends (so a reader knows what
/// to look for before playing it).
fn embed_header(state: &AppState, full_explorer: String) -> Html {
    let scenario = state.session.scenario();
    let title = catalog::matching(scenario).map_or("custom scenario", |preset| preset.title);
    let steps = state.session.all_steps().len();
    let (kind, end) = match state.trace_end() {
        TraceEnd::Torn(judged) => {
            let result = judged.result();
            ("torn", format!("{} {} {}", result.icon(), result.word(), judged.read.value))
        }
        // ↩ and what backing off means, or ✔ and the verdict.
        TraceEnd::Allowed(judged) => {
            ("allowed", format!("{} {}", judged.result().icon(), judged.verdict_text()))
        }
        TraceEnd::NoRead => ("none", "before any read completes".to_owned()),
    };
    html! {
        <header class="page-header compact">
            <p class="open-full">
                <a href={full_explorer} target="_blank" rel="noopener" data-testid="open-full">
                    { "Open in the full explorer" }<span aria-hidden="true">{ " ↗" }</span>
                    <span class="visually-hidden">{ " (new tab)" }</span>
                </a>
                <span class="hint">{ " to edit the scenario and explore every interleaving" }</span>
            </p>
            <h1>{ "ptep_get_lockless(): " }{ title }</h1>
            <p class={classes!("trace-end", format!("trace-end-{kind}"))} data-testid="trace-end" data-verdict={kind}>
                { format!("The linked trace ({steps} step{}) ends ", if steps == 1 { "" } else { "s" }) }
                <strong>{ end }</strong>
            </p>
            { summary(scenario, None) }
        </header>
    }
}

fn notice(state: &AppState, on_dismiss: Callback<MouseEvent>) -> Html {
    // A key's notice is shown in the walk-through bar, where the eye is.
    let Some(notice) = state.notice.as_ref().filter(|notice| notice.is_about_the_link()) else {
        return html! {};
    };
    let kind = match notice {
        Notice::BrokenLink(_) => "broken-link",
        _ => "replay-stopped",
    };
    html! {
        <div class="notice" role="alert" data-testid="link-error" data-kind={kind}>
            <p><span aria-hidden="true">{ "⚠ " }</span><strong>{ "Link problem: " }</strong>{ notice.message() }</p>
            <button type="button" onclick={on_dismiss}>{ "Dismiss" }</button>
        </div>
    }
}

fn shortcuts_help() -> Html {
    html! {
        <section class="shortcuts" aria-labelledby="shortcuts-title">
            <h2 id="shortcuts-title">{ "Keyboard" }</h2>
            <dl>
                <dt><kbd>{ "1" }</kbd>{ "–" }<kbd>{ "9" }</kbd></dt><dd>{ "run the line with that number (a number stays on its line while the line can run; one that runs nothing says why)" }</dd>
                <dt><kbd>{ "→" }</kbd>{ " / " }<kbd>{ "←" }</kbd></dt><dd>{ "step forward / back through the trace (a replayed trace, or the steps undone)" }</dd>
                <dt><kbd>{ "e" }</kbd></dt><dd>{ "Explore all" }</dd>
                <dt><kbd>{ "u" }</kbd>{ " or " }<kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "Z" }</kbd></dt><dd>{ "undo" }</dd>
                <dt><kbd>{ "r" }</kbd>{ " or " }<kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "Y" }</kbd>{ " / " }
                    <kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "Shift" }</kbd>{ "+" }<kbd>{ "Z" }</kbd></dt><dd>{ "redo" }</dd>
                <dt><kbd>{ "Tab" }</kbd></dt><dd>{ "move between steps and controls; Enter or Space runs a step" }</dd>
            </dl>
        </section>
    }
}

/// A callback, stable across renders, that dispatches the intent a child
/// component's event stands for.
#[hook]
fn use_intent<T: 'static>(
    dispatcher: &UseReducerDispatcher<AppState>,
    intent: fn(T) -> Action,
) -> Callback<T> {
    let dispatcher = dispatcher.clone();
    use_callback((), move |value: T, _| dispatcher.dispatch(intent(value)))
}

/// The explorer page.
#[component]
pub fn App(props: &AppProps) -> Html {
    let start = props.start.clone();
    let state = use_reducer(move || {
        AppState::from_start(&start.unwrap_or_else(browser::start))
            .with_progress(&browser::load_text(PROGRESS_KEY))
    });
    let dispatcher = state.dispatcher();
    let permalink = state.permalink();

    // The address bar follows the page, except that a broken link stays
    // there (with its message) until the person changes something.
    {
        let first = use_mut_ref(|| true);
        let keep_broken_link = matches!(state.notice, Some(Notice::BrokenLink(_)));
        use_effect_with(permalink.clone(), move |permalink| {
            let first_run = first.replace(false);
            if !(first_run && keep_broken_link) {
                browser::replace_fragment(permalink);
            }
        });
    }
    // A link pasted into the address bar of an open page.
    {
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            let listener = gloo::events::EventListener::new(
                &gloo::utils::window(),
                "hashchange",
                move |event| {
                    use wasm_bindgen::JsCast;
                    let fragment = browser::start().fragment;
                    // An in-page anchor is not a permalink: put the link back.
                    if browser::names_an_element(&fragment) {
                        if let Some(change) = event.dyn_ref::<web_sys::HashChangeEvent>() {
                            browser::restore_address(&change.old_url());
                        }
                        browser::focus_element(&fragment);
                        return;
                    }
                    dispatcher.dispatch(Action::LoadLink(fragment));
                },
            );
            move || drop(listener)
        });
    }
    {
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            let listener = listen_for_shortcuts(dispatcher);
            move || drop(listener)
        });
    }
    // The embed view tells the page around it how tall it is, whenever
    // that changes, so that the iframe can fit it.
    let view = state.view;
    use_effect_with(view, |view| {
        let reporter = match view {
            View::Embed { .. } => browser::report_height_to_parent(),
            View::Full => None,
        };
        move || {
            // Dropping the reporter disconnects its ResizeObserver.
            let _stopped = reporter;
        }
    });
    // The explorations the state wants ("Explore all", the live answers),
    // in the web worker; one no longer wanted is cancelled.
    {
        let dispatcher = dispatcher.clone();
        let on_action = use_callback((), move |action, _| dispatcher.dispatch(action));
        runner::use_runner(runner::requests(&state), on_action);
    }
    // The lessons done are kept in the browser (by the full page only).
    use_effect_with((view, state.tour.progress_text()), |(view, progress)| {
        if *view == View::Full {
            browser::save_text(PROGRESS_KEY, progress);
        }
    });
    // A lesson opened after the page started takes the focus to its title.
    {
        let first = use_mut_ref(|| true);
        use_effect_with(state.tour.open.map(|open| open.number), move |number| {
            if !first.replace(false) && number.is_some() {
                browser::focus_element("tour-title");
            }
        });
    }
    // A replay is walked from its start: bring the verdict, the answer and
    // the player to the top of the window, focus on Step forward.
    use_effect_with(state.replays, |replays| {
        if *replays > 0 {
            browser::scroll_to_top_of("status");
            browser::focus_without_scrolling("player-forward");
        }
    });
    // Keep the line of the step just taken in view below the walk-through
    // bar, unless the step was chosen in the trace or state below the threads.
    use_effect_with((state.session.cursor(), state.session.all_steps().len()), |_| {
        browser::reveal(".threads .just-ran", "walk", ".below");
    });
    // Keep keyboard focus among the step buttons when the clicked one goes away.
    let focus_thread = use_mut_ref(|| None::<AttrValue>);
    {
        let focus_thread = focus_thread.clone();
        use_effect_with(state.session.cursor(), move |_| {
            if let Some(thread) = focus_thread.borrow_mut().take() {
                browser::refocus_step(&thread);
            }
        });
    }

    let on_step = {
        let dispatcher = dispatcher.clone();
        let focus_thread: Rc<RefCell<Option<AttrValue>>> = focus_thread;
        use_callback((), move |(step, thread): (Step, AttrValue), _| {
            *focus_thread.borrow_mut() = Some(thread);
            dispatcher.dispatch(Action::Step(step));
        })
    };
    let on_toggle_barrier = use_intent(&dispatcher, |(barrier, on): (Barrier, bool)| {
        Action::Edit(Edit::Barrier { barrier, on })
    });
    let on_edit = use_intent(&dispatcher, |action: Action| action);
    let on_undo = use_intent(&dispatcher, |()| Action::Undo);
    let on_redo = use_intent(&dispatcher, |()| Action::Redo);
    let on_jump = use_intent(&dispatcher, Action::Jump);
    let on_run = use_intent(&dispatcher, |()| Action::StartExploration);
    let on_cancel = use_intent(&dispatcher, |()| Action::CancelExploration);
    let on_replay = use_intent(&dispatcher, Action::ReplayOutcome);
    let on_live = use_intent(&dispatcher, Action::Live);
    let on_load =
        use_intent(&dispatcher, |(scenario, form, steps): (Scenario, usize, Vec<Step>)| {
            Action::LoadVariant { scenario, form, steps }
        });
    let on_tour = use_intent(&dispatcher, Action::Tour);
    let on_copied = use_intent(&dispatcher, Action::Copied);
    let live = state.live.current().cloned();
    // In-page moves focus their target and leave the address (the permalink) alone.
    let on_show_values = use_callback((), |(), _| browser::focus_element("values-title"));
    let on_skip = use_callback((), |event: MouseEvent, _| {
        event.prevent_default();
        browser::focus_element("threads-title");
    });
    let on_dismiss = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::DismissNotice))
    };

    let session = state.session.clone();
    // The step the trace takes next: the embed view's linked trace, or the
    // rest of a replayed trace.
    let next_step = session.all_steps().get(session.cursor()).copied();
    // The dearest views (plain functions, so memoized here) are drawn again
    // only when what they show changes, not on every other render (an
    // exploration's start, progress and result: drawing the threads of 4
    // readers each time made Explore all's click-to-result 17% slower).
    // Their callbacks are stable (`use_callback` with no dependencies). The
    // trace list and the litmus panel are memoized the same way, below.
    let thread_columns = {
        let on_edit = on_edit.clone();
        use_memo((session.clone(), view, next_step), move |(session, view, next)| {
            threads(&ThreadsProps {
                session: session.clone(),
                editable: *view == View::Full,
                next: *next,
                on_step,
                on_toggle_barrier,
                on_edit,
            })
        })
    };
    let state_html = use_memo(session.clone(), |session| {
        state_view(&StateViewProps { session: session.clone() })
    });
    // Is the scenario torn under its model only because of the compiler?
    // The live answers know (the embed view has none: it says less).
    let torn_only_by_the_compiler = live
        .as_ref()
        .filter(|answers| answers.scenario == crate::live::key(session.scenario()))
        .and_then(|answers| answers.answer(session.scenario().model))
        .is_some_and(pte_core::Answer::compiler_only);
    let verdict =
        verdict_banner(&VerdictProps { session: session.clone(), torn_only_by_the_compiler });
    let trace_list = {
        let on_jump = on_jump.clone();
        let deps = (
            session.clone(),
            state.can_undo(),
            state.can_redo(),
            state.undo_restores_session(),
            view,
        );
        use_memo(deps, move |(session, can_undo, can_redo, undo_restores_session, view)| {
            trace(&TraceProps {
                session: session.clone(),
                can_undo: *can_undo,
                can_redo: *can_redo,
                undo_restores_session: *undo_restores_session,
                fixed: *view != View::Full,
                on_undo,
                on_redo,
                on_jump,
            })
        })
    };
    // The litmus export (the core builds the scenario's program) and its
    // Download link's percent-encoding, only when the scenario or a Copy changes.
    let litmus_panel = {
        let on_copied = on_copied.clone();
        let expected = expected_from_live(live.as_deref(), session.scenario());
        use_memo(
            (Rc::new(session.scenario().clone()), state.copied, view, expected),
            move |(scenario, copied, view, expected)| {
                // The embed view has no litmus panel.
                if *view != View::Full {
                    return Html::default();
                }
                litmus(&LitmusProps {
                    scenario: scenario.clone(),
                    expected: *expected,
                    copied: *copied,
                    on_copied,
                })
            },
        )
    };
    // "Copy for email": the text of the trace on screen, or of the torn
    // witness the live answers found, made again only when one changes
    // (the embed view has no Share section).
    let mail = {
        let witness = torn_witness(live.as_deref(), session.scenario());
        use_memo((session.clone(), witness, view), |(session, witness, view)| {
            if *view != View::Full {
                return None;
            }
            mail_text(
                session,
                witness.as_ref().map(|(form, steps)| (*form, steps.as_slice())),
                &browser::page_address(),
            )
            .map(AttrValue::from)
        })
    };
    // The values found, drawn again only when Explore all's state or the
    // row replayed changes: the live answers that arrive after its result
    // (the other models, the matrix) leave the list alone.
    let values_found = use_memo(
        (state.exploration.clone(), state.replayed_outcome()),
        move |(exploration, replayed)| {
            explore(&ExploreProps {
                exploration: exploration.clone(),
                replayed: *replayed,
                on_replay,
            })
        },
    );
    // A page that opens narrow (a phone) has the editor, folded to its one
    // line, above the workspace: the scenario picker is one tap from the
    // top instead of under every panel. A wide page keeps it beside the
    // workspace, after it in reading order.
    let editor_first = *use_memo((), |()| browser::is_narrow());
    let title = AttrValue::from(format!(
        "ptep_get_lockless() interleaving: {}",
        catalog::matching(session.scenario()).map_or("custom scenario", |preset| preset.title)
    ));

    let below = html! {
        <div class="below">
            { (*state_html).clone() }
            { (*trace_list).clone() }
        </div>
    };

    if let View::Embed { graph } = view {
        let next = session.step_text(session.cursor()).map(AttrValue::from);
        // The full page at the same address (folder included), without `?embed=1`.
        let full = page_link(&browser::page_address(), &permalink);
        // A lesson opens there at its start, for the student to do.
        let full_lesson = state.tour.open.map(|open| {
            AttrValue::from(page_link(&browser::page_address(), &format!("lesson={}", open.number)))
        });
        let shows_tour = state.tour.open.is_some() || state.tour.list_open;
        return html! {
            <div class="app embed" data-testid="app-ready">
                { embed_header(&state, full) }
                { notice(&state, on_dismiss) }
                if shows_tour {
                    { tour_panel(&TourProps { tour: state.tour, embed: true, full_lesson, changed: None, on_tour }) }
                }
                <main class="workspace">
                    { player(&PlayerProps {
                        cursor: session.cursor(),
                        total: session.all_steps().len(),
                        next,
                        show_keys: false,
                        on_jump: on_jump.clone(),
                    }) }
                    { verdict }
                    { (*thread_columns).clone() }
                    if graph {
                        <Pictures session={session.clone()} on_jump={on_jump} />
                    }
                    { below }
                </main>
            </div>
        };
    }

    let sidebar = html! {
        <aside class="sidebar" aria-label="Scenario settings">
            <EditorPanel title={AttrValue::from(state.identity().title())}>
                <Controls scenario={Rc::new(session.scenario().clone())} chosen_preset={state.chosen_preset}
                    compiler_from_older_link={state.compiler_from_older_link} on_edit={on_edit} />
            </EditorPanel>
        </aside>
    };
    let key_notice = state
        .notice
        .as_ref()
        .filter(|notice| !notice.is_about_the_link())
        .map(|notice| AttrValue::from(notice.message().to_owned()));
    // The verdict and the answer first, then the walk-through bar (it stays
    // at the top of the window), the threads, and the rest; the editor last
    // and beside the workspace when wide, first and folded when the page
    // opened narrow (`editor_first`).
    html! {
        <div class="app" data-testid="app-ready">
            <a class="skip-link" href="#threads-title" onclick={on_skip}>{ "Skip to the threads" }</a>
            { header(&state) }
            { notice(&state, on_dismiss) }
            { tour_panel(&TourProps {
                tour: state.tour,
                embed: false,
                full_lesson: None,
                changed: state.lesson_scenario_changes(),
                on_tour: on_tour.clone(),
            }) }
            <div class={classes!("layout", editor_first.then_some("editor-first"))}>
                if editor_first {
                    { sidebar.clone() }
                }
                <main class="workspace">
                    if state.answers_hidden() {
                        <p class="live-hidden" data-testid="live-hidden">
                            { "During the lesson the answers under every model and the barrier matrix are hidden: they would give it away. They come back when you reach its goal." }
                        </p>
                    } else {
                        { live_strip(&LiveStripProps {
                            answers: live.clone(),
                            changes: state.last_change().map(Rc::new),
                            states: state.live.states(),
                            on_live: on_live.clone(),
                            on_load: on_load.clone(),
                        }) }
                    }
                    <div class="status" id="status">
                        { verdict }
                        { answer_box(&AnswerProps {
                            exploration: state.exploration.clone(),
                            on_run,
                            on_cancel,
                            on_show_values,
                        }) }
                    </div>
                    if !state.answers_hidden() {
                        { read_under_models(&ReadUnderModelsProps {
                            answers: live.clone(),
                            read: session.completed_reads().last().copied(),
                            on_load: on_load.clone(),
                        }) }
                    }
                    { walk_bar(&WalkProps {
                        session: session.clone(),
                        notice: key_notice,
                        end: session.can_redo().then(|| state.trace_end()),
                        lesson_done: state.tour.open.filter(|open| open.met).map(|open| open.number),
                        on_jump: on_jump.clone(),
                        on_tour,
                    }) }
                    { (*thread_columns).clone() }
                    <Pictures session={session.clone()} on_jump={on_jump} />
                    { below }
                    { (*values_found).clone() }
                    if !state.answers_hidden() {
                        <MatrixPanel answers={live} states={state.live.states()} {on_live} {on_load} />
                    }
                    { share(&ShareProps {
                        permalink: AttrValue::from(permalink),
                        title,
                        mail: (*mail).clone(),
                        copied: state.copied,
                        on_copied,
                    }) }
                    { (*litmus_panel).clone() }
                    { shortcuts_help() }
                </main>
                if !editor_first {
                    { sidebar }
                }
            </div>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn shortcuts() {
        assert_eq!(shortcut("u", false, false, false), Some(Action::Undo));
        assert_eq!(shortcut("z", true, false, false), Some(Action::Undo));
        assert_eq!(shortcut("Z", true, true, false), Some(Action::Redo));
        assert_eq!(shortcut("y", true, false, false), Some(Action::Redo));
        assert_eq!(shortcut("r", false, false, false), Some(Action::Redo));
        assert_eq!(shortcut("r", true, false, false), None, "Ctrl+R reloads the page");
        assert_eq!(shortcut("3", false, false, false), Some(Action::StepNumber(3)));
        assert_eq!(shortcut("ArrowRight", false, false, false), Some(Action::StepForward));
        assert_eq!(shortcut("ArrowLeft", false, false, false), Some(Action::StepBack));
        assert_eq!(shortcut("ArrowLeft", false, true, false), None, "Shift+← selects text");
        assert_eq!(shortcut("e", false, false, false), Some(Action::StartExploration));
        assert_eq!(shortcut("0", false, false, false), None);
        assert_eq!(shortcut("1", false, false, true), None);
        assert_eq!(shortcut("Enter", false, false, false), None);
    }
}
