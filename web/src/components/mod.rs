//! The page's components; each draws one part of [`crate::state::AppState`]
//! and reports what the person does through callbacks.

pub mod answer;
pub mod controls;
pub mod editor;
pub mod explore;
pub mod player;
pub mod share;
pub mod state_view;
pub mod thread;
pub mod trace;
pub mod values;
pub mod verdict;
pub mod walk;

/// The value of the `<select>` an event came from.
pub(crate) fn select_value(event: &yew::Event) -> String {
    use yew::TargetCast;
    let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
    select.value()
}
