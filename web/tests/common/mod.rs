//! What the native render tests share.

use std::rc::Rc;

use yew::prelude::*;
use yew::LocalServerRenderer;

/// Renders one of the page's views to HTML. The views that keep no state
/// of their own are plain functions (`fn verdict_banner(&VerdictProps) ->
/// Html`), not components, so the test wraps the call in one.
pub async fn render_view(view: impl Fn() -> Html + 'static) -> String {
    LocalServerRenderer::<Rendered>::with_props(RenderedProps { view: Rc::new(view) })
        .hydratable(false)
        .render()
        .await
}

#[derive(Properties)]
struct RenderedProps {
    view: Rc<dyn Fn() -> Html>,
}

impl PartialEq for RenderedProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

#[component]
fn Rendered(props: &RenderedProps) -> Html {
    (props.view)()
}
