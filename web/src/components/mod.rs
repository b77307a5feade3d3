//! The page's components; each draws one part of [`crate::state::AppState`]
//! and reports what the person does through callbacks.

pub mod answer;
pub mod controls;
pub mod editor;
pub mod explore;
pub mod litmus;
pub mod live;
pub mod matrix;
pub mod pictures;
pub mod player;
pub mod possible;
pub mod share;
pub mod state_view;
pub mod thread;
pub mod tour;
pub mod trace;
pub mod values;
pub mod verdict;
pub mod walk;

/// What the compiler did in the compiled form the session runs
/// (`Program::compiled_changes`), as a list under `title`; nothing for the
/// code as written. The code listing, the walk-through and the verdict show
/// it, each under its own `testid`.
pub(crate) fn compiled_changes(
    program: &pte_core::Program,
    title: &str,
    testid: &str,
) -> yew::Html {
    use yew::html;
    let changes = program.compiled_changes();
    if program.form_index() == 0 || changes.is_empty() {
        return html! {};
    }
    html! {
        <div class="compiled-changes" data-testid={testid.to_owned()} data-form={program.form_index().to_string()}>
            <p><strong>{ title.to_owned() }</strong></p>
            <ul>{ for changes.into_iter().map(|change| html! { <li>{ change }</li> }) }</ul>
        </div>
    }
}

/// The value of the `<select>` an event came from.
pub(crate) fn select_value(event: &yew::Event) -> String {
    use yew::TargetCast;
    let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
    select.value()
}

/// A `data:` address holding `text` of type `mime`, for a Download link.
pub(crate) fn data_url(mime: &str, text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = format!("data:{mime};charset=utf-8,");
    encoded.reserve(text.len() * 3 / 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            // Two hex digits, with no String of their own per byte.
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    encoded
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn a_data_url_escapes_all_but_the_unreserved_bytes() {
        assert_eq!(
            super::data_url("text/plain", "a-Z_0.~ %\n\u{e9}"),
            "data:text/plain;charset=utf-8,a-Z_0.~%20%25%0A%C3%A9"
        );
    }
}

/// A click handler that copies `text` to the clipboard; when that fails it
/// selects the field `field` for Ctrl+C instead. `done` hears whether it
/// worked.
pub(crate) fn copy_on_click(
    text: String,
    field: &'static str,
    done: std::rc::Rc<dyn Fn(bool)>,
) -> yew::Callback<yew::MouseEvent> {
    yew::Callback::from(move |_: yew::MouseEvent| {
        let done = done.clone();
        crate::browser::copy_text(
            text.clone(),
            std::rc::Rc::new(move |ok| {
                if !ok {
                    crate::browser::select_text(field);
                }
                done(ok);
            }),
        );
    })
}
