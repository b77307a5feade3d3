//! The few browser APIs the app touches (location, history, clipboard,
//! clock, focus, the embed view's size, local storage for the tour's progress), behind functions that do nothing on
//! native targets so that components still render in the native tests.
//!
//! Only effects and event callbacks call the functions that change the page;
//! rendering may call [`start`] and [`page_address`], which only read it.

pub mod worker;

/// The `type` of the message the embed view posts to the page around it
/// whenever its content height changes:
/// `{"type": "pte-explorer:height", "height": N}` (N in CSS pixels).
pub const HEIGHT_MESSAGE_TYPE: &str = "pte-explorer:height";

/// What the page was opened with: the permalink in the fragment and whether
/// the query asked for the compact embed view (`?embed=1`), with the
/// execution graph (`&view=graph`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Start {
    /// The fragment without its `#` (empty when there is none).
    pub fragment: String,
    pub embed: bool,
    /// `view=graph`: the embed view shows the execution graph too.
    pub graph: bool,
}

/// The page's address without its query and fragment: `href` up to the
/// first `?` or `#`. Built from the whole address rather than from
/// `location.origin`, which is `"null"` in a sandboxed iframe.
pub fn address_without_query(href: &str) -> &str {
    href.find(['?', '#']).map_or(href, |end| &href[..end])
}

impl Start {
    /// Reads the start from a query (`?embed=1&view=graph`) and a fragment
    /// (`#v=1&…`).
    pub fn from_parts(query: &str, fragment: &str) -> Start {
        let mut start =
            Start { fragment: fragment.trim_start_matches('#').to_owned(), ..Start::default() };
        for pair in query.trim_start_matches('?').split('&') {
            match pair.split_once('=').unwrap_or((pair, "")) {
                ("embed", value) => start.embed |= value != "0" && value != "false",
                ("view", value) => start.graph |= value == "graph",
                _ => {}
            }
        }
        start
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use std::rc::Rc;

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    use super::Start;

    fn window() -> Option<web_sys::Window> {
        web_sys::window()
    }

    pub fn app_root() -> Option<web_sys::Element> {
        window()?.document()?.get_element_by_id(super::APP_ROOT_ID)
    }

    pub fn start() -> Start {
        let Some(location) = window().map(|window| window.location()) else {
            return Start::default();
        };
        Start::from_parts(
            &location.search().unwrap_or_default(),
            &location.hash().unwrap_or_default(),
        )
    }

    pub fn page_address() -> String {
        window()
            .and_then(|window| window.location().href().ok())
            .map(|href| super::address_without_query(&href).to_owned())
            .unwrap_or_default()
    }

    /// Keeps the page around an iframe told of the content height; see
    /// [`super::report_height_to_parent`].
    pub struct HeightReporter {
        observer: web_sys::ResizeObserver,
        _on_resize: Closure<dyn FnMut()>,
    }

    impl Drop for HeightReporter {
        fn drop(&mut self) {
            self.observer.disconnect();
        }
    }

    impl std::fmt::Debug for HeightReporter {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("HeightReporter")
        }
    }

    pub fn report_height_to_parent() -> Option<HeightReporter> {
        let window = window()?;
        let parent = window.parent().ok().flatten()?;
        if parent == window {
            // A page of its own, not inside a frame: nobody to tell.
            return None;
        }
        let root = window.document()?.document_element()?;
        let measured = root.clone();
        let mut last_height = None;
        let on_resize = Closure::<dyn FnMut()>::new(move || {
            // The root element's own height is the content's: unlike
            // scrollHeight it shrinks when the content does, however tall
            // the frame is.
            let height = measured.get_bounding_client_rect().height().ceil();
            if last_height == Some(height) {
                return;
            }
            last_height = Some(height);
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(
                &message,
                &JsValue::from_str("type"),
                &JsValue::from_str(super::HEIGHT_MESSAGE_TYPE),
            );
            let _ = js_sys::Reflect::set(
                &message,
                &JsValue::from_str("height"),
                &JsValue::from_f64(height),
            );
            // The height is no secret and the embedding page's origin is
            // unknown, hence "*".
            let _ = parent.post_message(&message, "*");
            request_resize();
        });
        let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
        observer.observe(&root);
        Some(HeightReporter { observer, _on_resize: on_resize })
    }

    /// Calls `window.requestResize()` where the browser has it (responsive
    /// embedded sizing: the page opts in with
    /// `<meta name="responsive-embedded-sizing">`, the host with the CSS
    /// `frame-sizing: content-height`).
    fn request_resize() {
        let Some(window) = window() else { return };
        let Ok(function) = js_sys::Reflect::get(&window, &JsValue::from_str("requestResize"))
        else {
            return;
        };
        if let Some(function) = function.dyn_ref::<js_sys::Function>() {
            // It throws when the host did not opt in; the message above
            // still does the job then.
            let _ = function.call0(&window);
        }
    }

    /// The browser's local storage; `None` where it is refused (a
    /// sandboxed iframe, storage switched off).
    fn storage() -> Option<web_sys::Storage> {
        window().and_then(|window| window.local_storage().ok().flatten())
    }

    pub fn load_text(key: &str) -> String {
        storage().and_then(|storage| storage.get_item(key).ok().flatten()).unwrap_or_default()
    }

    pub fn save_text(key: &str, text: &str) {
        let Some(storage) = storage() else { return };
        // A full or refused storage only loses the record, never the page.
        let _ =
            if text.is_empty() { storage.remove_item(key) } else { storage.set_item(key, text) };
    }

    pub fn replace_fragment(fragment: &str) {
        let Some(window) = window() else { return };
        let location = window.location();
        let current = location.hash().unwrap_or_default();
        if current.trim_start_matches('#') == fragment {
            return;
        }
        let url = format!(
            "{}{}#{fragment}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        if let Ok(history) = window.history() {
            // A failure leaves the old address; the page itself is still right.
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }

    pub fn now_milliseconds() -> f64 {
        window().and_then(|window| window.performance()).map_or(0.0, |p| p.now())
    }

    pub fn copy_text(text: String, done: Rc<dyn Fn(bool)>) {
        let Some(navigator) = window().map(|window| window.navigator()) else {
            done(false);
            return;
        };
        // navigator.clipboard is missing outside secure contexts.
        let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
            .map(|value| !value.is_undefined() && !value.is_null())
            .unwrap_or(false);
        if !has_clipboard {
            done(false);
            return;
        }
        let promise = navigator.clipboard().write_text(&text);
        wasm_bindgen_futures::spawn_local(async move {
            let copied = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            done(copied);
        });
    }

    /// When focus fell back to the page (the focused step button went away),
    /// moves it to the first enabled step of the same thread.
    pub fn refocus_step(thread_id: &str) {
        let Some(document) = window().and_then(|window| window.document()) else { return };
        let lost = match document.active_element() {
            None => true,
            Some(element) => element.tag_name().eq_ignore_ascii_case("body"),
        };
        if !lost {
            return;
        }
        let selector = format!("#{thread_id} button.step[aria-disabled=\"false\"]");
        if let Ok(Some(element)) = document.query_selector(&selector) {
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    }

    fn html_element(id: &str) -> Option<web_sys::HtmlElement> {
        let document = window()?.document()?;
        document.get_element_by_id(id)?.dyn_into::<web_sys::HtmlElement>().ok()
    }

    pub fn focus_element(id: &str) {
        if let Some(element) = html_element(id) {
            let _ = element.focus();
        }
    }

    pub fn focus_without_scrolling(id: &str) {
        if let Some(element) = html_element(id) {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = element.focus_with_options(&options);
        }
    }

    pub fn scroll_to_top_of(id: &str) {
        let (Some(window), Some(element)) = (window(), html_element(id)) else { return };
        let top = element.get_bounding_client_rect().top();
        window.scroll_by_with_x_and_y(0.0, top - 8.0);
    }

    pub fn reveal(selector: &str, cover_id: &str, unless_focus_in: &str) {
        let Some(window) = window() else { return };
        let Some(document) = window.document() else { return };
        let focus_there = document
            .active_element()
            .and_then(|focused| focused.closest(unless_focus_in).ok().flatten())
            .is_some();
        if focus_there {
            return;
        }
        let Ok(Some(element)) = document.query_selector(selector) else { return };
        let covered = document
            .get_element_by_id(cover_id)
            .map_or(0.0, |cover| cover.get_bounding_client_rect().bottom().max(0.0));
        let height = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
        let rect = element.get_bounding_client_rect();
        let (top, bottom) = (covered + 8.0, height - 8.0);
        if rect.top() < top {
            window.scroll_by_with_x_and_y(0.0, rect.top() - top);
        } else if rect.bottom() > bottom {
            // Down far enough to show it, never so far that it goes under the cover.
            let down = (rect.bottom() - bottom).min(rect.top() - top);
            window.scroll_by_with_x_and_y(0.0, down);
        }
    }

    pub fn is_narrow() -> bool {
        window()
            .and_then(|window| window.match_media(super::NARROW_MEDIA_QUERY).ok().flatten())
            .is_some_and(|query| query.matches())
    }

    pub fn names_an_element(fragment: &str) -> bool {
        !fragment.is_empty()
            && window()
                .and_then(|window| window.document())
                .and_then(|document| document.get_element_by_id(fragment))
                .is_some()
    }

    pub fn restore_address(url: &str) {
        let Some(window) = window() else { return };
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
        }
    }

    /// Selects the text of the input or text area with this id.
    pub fn select_text(id: &str) {
        let Some(document) = window().and_then(|window| window.document()) else { return };
        let Some(element) = document.get_element_by_id(id) else { return };
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            let _ = input.focus();
            input.select();
        } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            let _ = area.focus();
            area.select();
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use std::rc::Rc;

    use super::Start;

    pub fn start() -> Start {
        Start::default()
    }

    pub fn page_address() -> String {
        String::new()
    }

    #[derive(Debug)]
    pub struct HeightReporter;

    pub fn report_height_to_parent() -> Option<HeightReporter> {
        None
    }

    pub fn replace_fragment(_fragment: &str) {}

    pub fn load_text(_key: &str) -> String {
        String::new()
    }

    pub fn save_text(_key: &str, _text: &str) {}

    pub fn now_milliseconds() -> f64 {
        0.0
    }

    pub fn copy_text(_text: String, done: Rc<dyn Fn(bool)>) {
        done(false);
    }

    pub fn refocus_step(_thread_id: &str) {}

    pub fn select_text(_id: &str) {}

    pub fn focus_element(_id: &str) {}

    pub fn focus_without_scrolling(_id: &str) {}

    pub fn scroll_to_top_of(_id: &str) {}

    pub fn reveal(_selector: &str, _cover_id: &str, _unless_focus_in: &str) {}

    pub fn is_narrow() -> bool {
        false
    }

    pub fn names_an_element(_fragment: &str) -> bool {
        false
    }

    pub fn restore_address(_url: &str) {}
}

/// The page's query and fragment (on native targets: an empty start).
pub fn start() -> Start {
    imp::start()
}

/// The page's address without query and fragment, e.g.
/// `https://example.org/explorer/` (empty on native targets).
pub fn page_address() -> String {
    imp::page_address()
}

/// While it lives, tells the page around an iframe the content's height
/// whenever it changes (a [`HEIGHT_MESSAGE_TYPE`] message through
/// `postMessage`), starting at once. `None` when the page is not inside a
/// frame (and on native targets).
pub fn report_height_to_parent() -> Option<HeightReporter> {
    imp::report_height_to_parent()
}

pub use imp::HeightReporter;

/// The text the browser keeps under `key` (local storage), or "".
pub fn load_text(key: &str) -> String {
    imp::load_text(key)
}

/// Keeps `text` under `key` in the browser (an empty text removes it).
pub fn save_text(key: &str, text: &str) {
    imp::save_text(key, text)
}

/// Puts `fragment` after `#` in the address bar without a new history entry
/// and without a `hashchange` event.
pub fn replace_fragment(fragment: &str) {
    imp::replace_fragment(fragment)
}

/// A monotonic clock in milliseconds (`performance.now()`).
pub fn now_milliseconds() -> f64 {
    imp::now_milliseconds()
}

/// Copies `text` to the clipboard and calls `done` with whether it worked.
pub fn copy_text(text: String, done: std::rc::Rc<dyn Fn(bool)>) {
    imp::copy_text(text, done)
}

/// See the wasm implementation: keeps keyboard focus among the step buttons.
pub fn refocus_step(thread_id: &str) {
    imp::refocus_step(thread_id)
}

/// Focuses and selects the text of the field with this id.
pub fn select_text(id: &str) {
    imp::select_text(id)
}

/// The id of the element of `index.html` the app mounts in: it holds the
/// page's own title, introduction and loading line, which Yew removes when it
/// mounts. The app's stylesheet stays outside it, in the body.
pub const APP_ROOT_ID: &str = "explorer";

/// The element the app mounts in ([`APP_ROOT_ID`]), if the page has it.
#[cfg(target_arch = "wasm32")]
pub fn app_root() -> Option<web_sys::Element> {
    imp::app_root()
}

/// The layout's single-column width (as in `web/style.css`): the scenario
/// editor starts folded there.
pub const NARROW_MEDIA_QUERY: &str = "(max-width: 800px)";

/// Moves keyboard focus to the element with this id (a heading gets
/// `tabindex="-1"` for it), scrolling it into view. For in-page links: the
/// address is left alone, since its fragment is the permalink.
pub fn focus_element(id: &str) {
    imp::focus_element(id)
}

/// Focuses the element with this id where it is, without scrolling.
pub fn focus_without_scrolling(id: &str) {
    imp::focus_without_scrolling(id)
}

/// Scrolls the window so that the element with this id starts at its top.
pub fn scroll_to_top_of(id: &str) {
    imp::scroll_to_top_of(id)
}

/// Scrolls the window as little as needed for the first element matching
/// `selector` to be seen whole, below the element `cover_id` (a sticky bar
/// at the top); nothing when it already is, or when the keyboard focus is
/// inside an element matching `unless_focus_in` (the person is working
/// there: the page must not jump away from it).
pub fn reveal(selector: &str, cover_id: &str, unless_focus_in: &str) {
    imp::reveal(selector, cover_id, unless_focus_in)
}

/// Is the window as narrow as [`NARROW_MEDIA_QUERY`]? (False on native.)
pub fn is_narrow() -> bool {
    imp::is_narrow()
}

/// Is `fragment` the id of an element of the page: an in-page anchor that
/// a link set, not a permalink?
pub fn names_an_element(fragment: &str) -> bool {
    imp::names_an_element(fragment)
}

/// Puts `url` back in the address bar without a new history entry or a
/// `hashchange` (after an in-page anchor replaced the permalink).
pub fn restore_address(url: &str) {
    imp::restore_address(url)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::Start;

    #[test]
    fn the_page_address_keeps_the_folder_and_drops_query_and_fragment() {
        use super::address_without_query;
        assert_eq!(
            address_without_query("https://x.org/docs/pte/?embed=1#v=1&t=w1"),
            "https://x.org/docs/pte/"
        );
        assert_eq!(
            address_without_query("https://x.org/docs/pte/#v=1?x"),
            "https://x.org/docs/pte/"
        );
        assert_eq!(
            address_without_query("http://127.0.0.1:8080/index.html"),
            "http://127.0.0.1:8080/index.html"
        );
    }

    #[test]
    fn embed_is_read_from_the_query() {
        assert!(Start::from_parts("?embed=1", "").embed);
        assert!(Start::from_parts("?x=2&embed", "").embed);
        assert!(!Start::from_parts("?embed=0", "").embed);
        assert!(!Start::from_parts("", "#v=1").embed);
        assert!(Start::from_parts("?embed=1&view=graph", "").graph);
        assert!(!Start::from_parts("?embed=1&view=graphs", "").graph);
        assert!(!Start::from_parts("?embed=1", "").graph);
        assert_eq!(Start::from_parts("", "#v=1&t=w1").fragment, "v=1&t=w1");
    }
}
