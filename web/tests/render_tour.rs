//! Native render tests of the guided tour: a lesson as the page shows it
//! (its text, the messages it cites, the goal, hints one at a time, the
//! completion and Next), the list of lessons with those done, a broken
//! lesson link, and one lesson in the embed view.
#![cfg(not(target_arch = "wasm32"))]

use pte_core::tour;
use web::browser::Start;
use web::components::tour::{tour_panel, TourProps};
use web::tour::{OpenLesson, Tour};
use web::{App, AppProps};
use yew::prelude::*;
use yew::LocalServerRenderer;

mod common;
use common::render_view;

async fn render_app(fragment: &str, embed: bool) -> String {
    let start = Start { fragment: fragment.to_owned(), embed, graph: false };
    LocalServerRenderer::<App>::with_props(AppProps { start: Some(start) })
        .hydratable(false)
        .render()
        .await
}

async fn render_tour(tour: Tour, embed: bool) -> String {
    let props =
        TourProps { tour, embed, full_lesson: None, changed: None, on_tour: Callback::noop() };
    render_view(move || tour_panel(&props)).await
}

#[tokio::test]
async fn a_lesson_shows_its_text_its_messages_and_its_goal() {
    let html = render_app("lesson=3", false).await;
    let lesson = tour::lesson(3).unwrap();
    assert!(html.contains("Lesson 3 of 11: The same low half, no flush"), "{html}");
    assert!(html.contains(lesson.text));
    assert!(html.contains(lesson.task));
    for message in lesson.messages {
        assert!(html.contains(&message.url()), "{}", message.message_id);
    }
    assert!(html.contains("Hint (0 of 2)"));
    assert!(html.contains(r#"data-testid="lesson-show-me""#));
    assert!(!html.contains(r#"data-testid="lesson-complete""#), "not complete at its start");
    // The lesson's scenario is loaded, named after its preset.
    assert!(html.contains("Same low half, no flush"));
}

#[tokio::test]
async fn hints_come_one_at_a_time_and_a_met_goal_says_what_it_taught() {
    let open = OpenLesson { number: 5, hints: 1, met: false };
    let html = render_tour(Tour { open: Some(open), ..Tour::default() }, false).await;
    let lesson = tour::lesson(5).unwrap();
    assert!(html.contains(lesson.hints[0]));
    assert!(!html.contains(lesson.hints[1]));
    assert!(html.contains("Hint (1 of 2)"));

    let met = OpenLesson { number: 5, hints: 0, met: true };
    let html = render_tour(Tour { open: Some(met), done: 1 << 4, list_open: false }, false).await;
    assert!(html.contains("✔ Lesson complete. "));
    assert!(html.contains(lesson.taught));
    let next = tour::lesson(6).unwrap();
    assert!(html.contains(&format!("Next: lesson 6, {}", next.title)));
    assert!(html.contains("(1 done)"));

    let last = OpenLesson { number: tour::lessons().len(), hints: 0, met: true };
    let html = render_tour(Tour { open: Some(last), ..Tour::default() }, false).await;
    assert!(html.contains("That was the last lesson of the tour."));
    assert!(!html.contains(r#"data-testid="lesson-next""#));
}

#[tokio::test]
async fn the_list_links_every_lesson_and_marks_those_done() {
    let html = render_tour(Tour { done: 0b101, ..Tour::default() }, false).await;
    for (index, lesson) in tour::lessons().iter().enumerate() {
        assert!(html.contains(&format!(r##"href="#lesson={}""##, index + 1)));
        assert!(html.contains(lesson.title));
    }
    assert_eq!(html.matches(r#"data-done="true""#).count(), 2);
    assert!(html.contains("(2 done)"));
    assert!(html.contains("Reset progress"));
}

#[tokio::test]
async fn a_broken_lesson_link_names_the_problem_above_the_unfolded_list() {
    let html = render_app("lesson=99", false).await;
    assert!(html.contains(r#"data-testid="link-error""#));
    assert!(html.contains("there is no such lesson; the tour has lessons 1 to 11"), "{html}");
    assert!(
        html.contains(r#"<details data-testid="tour-list" open="open""#),
        "the list is unfolded"
    );
    assert!(html.contains(r##"href="#lesson=11""##));
}

#[tokio::test]
async fn the_embed_view_shows_one_lesson_with_its_solution_to_play() {
    let html = render_app("lesson=3", true).await;
    assert!(html.contains("Lesson 3 of 11"));
    assert!(html.contains("step 0 of 9"), "the solution's trace, at its start");
    assert!(html.contains(r#"data-testid="lesson-open-full""#));
    assert!(!html.contains("Reset progress"), "the embed view keeps no progress");
    assert!(!html.contains(r#"data-testid="lesson-close""#));
    // An exploring lesson has no Show me there.
    let html = render_app("lesson=4", true).await;
    assert!(!html.contains(r#"data-testid="lesson-show-me""#));
    // Without a lesson, the embed view shows no tour.
    let plain = render_app("", true).await;
    assert!(!plain.contains(r#"class="tour""#));
}

#[tokio::test]
async fn a_changed_lesson_scenario_is_said_with_a_restore_button() {
    let open = OpenLesson { number: 3, hints: 0, met: false };
    let tour = Tour { open: Some(open), ..Tour::default() };
    let props = TourProps {
        tour,
        embed: false,
        full_lesson: None,
        changed: Some(vec!["model weak".to_owned()]),
        on_tour: Callback::noop(),
    };
    let html = render_view(move || tour_panel(&props)).await;
    assert!(
        html.contains("You changed the lesson's scenario (model weak): its goal cannot be met"),
        "{html}"
    );
    assert!(html.contains(r#"data-testid="lesson-restore""#));
    // On the full page the walk-through bar announces completion; the
    // lesson's own status is no live region there (it is in the embed view).
    let html = render_tour(Tour { open: Some(open), ..Tour::default() }, false).await;
    assert!(!html.contains(r#"data-testid="lesson-changed""#));
    assert!(!html.contains(r#"role="status" class="lesson-status""#), "{html}");
    let html = render_tour(Tour { open: Some(open), ..Tour::default() }, true).await;
    assert!(html.contains(r#"role="status" class="lesson-status""#), "{html}");
}

#[tokio::test]
async fn the_full_page_shows_a_changed_lesson_scenario() {
    // Lesson 3's scenario with the model changed, in the lesson's link.
    let mut scenario = tour::lesson(3).unwrap().scenario();
    scenario.model = pte_core::MemoryModel::Weak;
    let fragment = pte_core::link::encode_lesson(3, Some((&scenario, &[])));
    let html = render_app(&fragment, false).await;
    assert!(html.contains(r#"data-testid="lesson-changed""#), "{html}");
    assert!(html.contains("Restore the lesson"));
}
