//! The guided tour: the open lesson (its text and the messages it cites,
//! the goal, hints one at a time, Show me, and once the core says the goal
//! is met, what it taught and the next lesson) and the list of lessons,
//! each a link (`#lesson=N`) marked when done, with Reset progress.

use pte_core::tour::{self, Goal};
use yew::prelude::*;

use crate::tour::{Tour, TourAction};

#[derive(Debug)]
pub struct TourProps {
    pub tour: Tour,
    /// The compact view for an iframe: no exploring, no leaving the lesson.
    pub embed: bool,
    /// In the embed view, the open lesson in the full explorer.
    pub full_lesson: Option<AttrValue>,
    /// What differs from the open lesson's scenario when the scenario shown
    /// can no longer meet its goal ([`crate::state::AppState::lesson_scenario_changes`]).
    pub changed: Option<Vec<String>>,
    pub on_tour: Callback<TourAction>,
}

fn lesson_list(props: &TourProps) -> Html {
    let tour = &props.tour;
    let count = tour::lessons().len();
    let on_reset = props.on_tour.reform(|_: MouseEvent| TourAction::Reset);
    html! {
        // Keyed by the lesson open: choosing a lesson makes a new, folded
        // list even where the person had unfolded it (the browser's own
        // `open`, which the page's state does not follow).
        <details class="tour-list" key={tour.open.map_or(0, |open| open.number)} open={tour.list_open}
            data-testid="tour-list">
            <summary>
                { format!("Guided tour: memory ordering in {count} lessons") }
                <span class="tour-done" data-testid="tour-done">{ format!(" ({} done)", tour.done_count()) }</span>
            </summary>
            <ol class="lessons">
                { for tour::lessons().iter().enumerate().map(|(index, lesson)| {
                    let number = index + 1;
                    let current = tour.open.is_some_and(|open| open.number == number);
                    html! {
                        <li data-done={tour.is_done(number).to_string()}>
                            <a href={format!("#lesson={number}")} data-testid={format!("lesson-link-{number}")}
                                aria-current={current.then_some("step")}>{ lesson.title }</a>
                            if tour.is_done(number) {
                                <span class="lesson-done">{ " ✓" }<span class="visually-hidden">{ " done" }</span></span>
                            }
                        </li>
                    }
                }) }
            </ol>
            if !props.embed {
                <p class="tour-note">
                    { "Lessons done are remembered by this browser; every lesson opens at any time. " }
                    <button type="button" class="link-button" data-testid="tour-reset" onclick={on_reset}>
                        { "Reset progress" }
                    </button>
                </p>
            }
        </details>
    }
}

pub fn tour_panel(props: &TourProps) -> Html {
    let Some(open) = props.tour.open else {
        return html! { <section class="tour" aria-label="Guided tour">{ lesson_list(props) }</section> };
    };
    let lesson = open.lesson();
    let number = open.number;
    let count = tour::lessons().len();
    let hints = lesson.hints.len();
    let explores = matches!(lesson.goal, Goal::Explore { .. });
    let on_hint = props.on_tour.reform(|_: MouseEvent| TourAction::Hint);
    let on_show_me = props.on_tour.reform(|_: MouseEvent| TourAction::ShowMe);
    let on_close = props.on_tour.reform(|_: MouseEvent| TourAction::Close);
    let on_next = props.on_tour.reform(move |_: MouseEvent| TourAction::Open(number + 1));
    let next = tour::lesson(number + 1);
    html! {
        <section class="tour" aria-labelledby="tour-title">
            <div class="lesson" data-testid="lesson" data-lesson={number.to_string()}
                data-goal={if explores { "explore" } else { "read" }} data-met={open.met.to_string()}>
                <h2 id="tour-title" tabindex="-1">{ format!("Lesson {number} of {count}: {}", lesson.title) }</h2>
                <p class="lesson-text" data-testid="lesson-text">{ lesson.text }</p>
                <ul class="sources" aria-label="Messages this rests on">
                    { for lesson.messages.iter().map(|message| html! {
                        <li>
                            { format!("{}: ", message.author) }
                            <a href={message.url()} target="_blank" rel="noopener noreferrer">{ message.topic }</a>
                        </li>
                    }) }
                </ul>
                <p class="lesson-task" data-testid="lesson-task"><strong>{ "Your goal: " }</strong>{ lesson.task }</p>
                if let Some(changes) = &props.changed {
                    <p class="lesson-changed" role="status" data-testid="lesson-changed">
                        <span aria-hidden="true">{ "⚠ " }</span>
                        { format!("You changed the lesson's scenario ({}): its goal cannot be met in this one. ", changes.join(", ")) }
                        <button type="button" data-testid="lesson-restore"
                            onclick={props.on_tour.reform(|_: MouseEvent| TourAction::RestoreScenario)}>
                            { "Restore the lesson's scenario" }
                        </button>
                    </p>
                }
                if open.hints > 0 {
                    <ol class="hints" data-testid="lesson-hints">
                        { for lesson.hints[..open.hints].iter().map(|hint| html! { <li>{ *hint }</li> }) }
                    </ol>
                }
                <div class="lesson-actions">
                    <button type="button" data-testid="lesson-hint" onclick={on_hint} disabled={open.hints == hints}>
                        { format!("Hint ({} of {hints})", open.hints) }
                    </button>
                    if !(props.embed && explores) {
                        <button type="button" data-testid="lesson-show-me" onclick={on_show_me}>{ "Show me" }</button>
                    }
                    if let Some(full) = &props.full_lesson {
                        <a href={full} target="_blank" rel="noopener" data-testid="lesson-open-full">
                            { "Do it yourself in the full explorer" }<span class="visually-hidden">{ " (new tab)" }</span>
                        </a>
                    }
                    if !props.embed {
                        <button type="button" class="link-button" data-testid="lesson-close" onclick={on_close}>
                            { "Leave the tour" }
                        </button>
                    }
                </div>
                // On the full page the walk-through bar, where the student
                // is, announces the completion; the embed view has none.
                <div role={props.embed.then_some("status")} class="lesson-status">
                    if open.met {
                        <p class="lesson-complete" data-testid="lesson-complete">
                            <strong>{ "✔ Lesson complete. " }</strong>{ lesson.taught }
                        </p>
                        if let Some(next) = next {
                            <button type="button" data-testid="lesson-next" onclick={on_next}>
                                { format!("Next: lesson {}, {}", number + 1, next.title) }
                            </button>
                        } else {
                            <p>{ "That was the last lesson of the tour." }</p>
                        }
                    }
                </div>
            </div>
            { lesson_list(props) }
        </section>
    }
}
