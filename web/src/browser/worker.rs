//! The page's web worker, as the browser offers it: a module worker started
//! from the script the page's loader names (`data-worker` on boot.js's
//! element, see `Trunk.toml`), told the app's own hashed files (that
//! element's `data-js` and `data-wasm`) so that it runs the same
//! WebAssembly, and spoken to in strings. boot.js starts it before the app
//! (so that it compiles while the page draws) and the app takes it over;
//! without that one, the app starts its own. Inert on native targets, and
//! absent where the page names no worker (the wasm-bindgen test page) or the
//! browser refuses one (an opaque origin).

use std::rc::Rc;

/// What the worker sent, or that it failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkerEvent {
    Message(String),
    /// The script did not load, threw or sent something else than text;
    /// the worker is of no more use (the page explores on its own, so
    /// there is no failure to report).
    Error,
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use std::rc::Rc;

    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    use super::WorkerEvent;

    pub struct PageWorker {
        worker: web_sys::Worker,
        _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
        _on_error: Closure<dyn FnMut(web_sys::Event)>,
    }

    impl Drop for PageWorker {
        fn drop(&mut self) {
            self.worker.set_onmessage(None);
            self.worker.set_onerror(None);
            self.worker.terminate();
        }
    }

    /// The worker script the page names, with the app's files in its query:
    /// `./worker-loader.js?js=web-….js&wasm=web-…_bg.wasm`.
    fn worker_url() -> Option<String> {
        let document = web_sys::window()?.document()?;
        let script = document.query_selector("script[data-worker]").ok()??;
        let attribute = |name: &str| script.get_attribute(name).filter(|value| !value.is_empty());
        let encode = |value: String| String::from(js_sys::encode_uri_component(&value));
        Some(format!(
            "{}?js={}&wasm={}",
            attribute("data-worker")?,
            encode(attribute("data-js")?),
            encode(attribute("data-wasm")?)
        ))
    }

    fn event_of_message(event: &web_sys::MessageEvent) -> WorkerEvent {
        match event.data().as_string() {
            Some(text) => WorkerEvent::Message(text),
            None => WorkerEvent::Error,
        }
    }

    /// The worker boot.js started before the app (`window.__pteWorker`),
    /// taken once, with what it sent meanwhile: its messages, and an error
    /// for anything else (an `error` event or a message that is not text).
    fn take_early_worker() -> Option<(web_sys::Worker, Vec<WorkerEvent>)> {
        let window = web_sys::window()?;
        let key = JsValue::from_str("__pteWorker");
        let started = js_sys::Reflect::get(&window, &key).ok()?;
        if started.is_undefined() || started.is_null() {
            return None;
        }
        let _ = js_sys::Reflect::delete_property(&window, &key);
        let field = |name: &str| js_sys::Reflect::get(&started, &JsValue::from_str(name)).ok();
        let worker = field("worker")?.dyn_into::<web_sys::Worker>().ok()?;
        let events = field("events")?.dyn_into::<js_sys::Array>().ok()?;
        let early = events
            .iter()
            .map(|event| match event.dyn_into::<web_sys::MessageEvent>() {
                Ok(message) => event_of_message(&message),
                Err(_) => WorkerEvent::Error,
            })
            .collect();
        Some((worker, early))
    }

    pub fn in_a_worker() -> bool {
        js_sys::global().dyn_into::<web_sys::Window>().is_err()
    }

    impl PageWorker {
        pub fn start(on_event: Rc<dyn Fn(WorkerEvent)>) -> Option<PageWorker> {
            let (worker, early) = match take_early_worker() {
                Some(started) => started,
                None => {
                    let url = worker_url()?;
                    // Throws in a frame with an opaque origin (sandboxed
                    // without allow-same-origin); the page then explores on
                    // its own.
                    let options = web_sys::WorkerOptions::new();
                    options.set_type(web_sys::WorkerType::Module);
                    (web_sys::Worker::new_with_options(&url, &options).ok()?, Vec::new())
                }
            };
            let on_message = {
                let on_event = on_event.clone();
                Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                    move |event: web_sys::MessageEvent| on_event(event_of_message(&event)),
                )
            };
            let on_error = {
                let on_event = on_event.clone();
                Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
                    // Keeps the browser from reporting it as the page's own error.
                    event.prevent_default();
                    on_event(WorkerEvent::Error)
                })
            };
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            if !early.is_empty() {
                // After the caller has stored the worker (a microtask later),
                // as if the events arrived now, in their order.
                wasm_bindgen_futures::spawn_local(async move {
                    for event in early {
                        on_event(event);
                    }
                });
            }
            Some(PageWorker { worker, _on_message: on_message, _on_error: on_error })
        }

        pub fn post(&self, text: &str) {
            // Posting a string to a live worker does not fail.
            let _ = self.worker.post_message(&JsValue::from_str(text));
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use std::rc::Rc;

    use super::WorkerEvent;

    pub struct PageWorker;

    pub fn in_a_worker() -> bool {
        false
    }

    impl PageWorker {
        pub fn start(_on_event: Rc<dyn Fn(WorkerEvent)>) -> Option<PageWorker> {
            None
        }

        pub fn post(&self, _text: &str) {}
    }
}

/// Is this code running in the page's web worker rather than in the page?
/// (The worker runs the same WebAssembly as the page.)
pub fn in_a_worker() -> bool {
    imp::in_a_worker()
}

/// The page's web worker; terminated when dropped.
pub struct PageWorker(imp::PageWorker);

impl std::fmt::Debug for PageWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageWorker")
    }
}

impl PageWorker {
    /// Starts the worker the page names; `None` when it names none or the
    /// browser refuses it (and always on native targets). `on_event` gets
    /// every message and error.
    pub fn start(on_event: Rc<dyn Fn(WorkerEvent)>) -> Option<PageWorker> {
        imp::PageWorker::start(on_event).map(PageWorker)
    }

    /// Sends one message.
    pub fn post(&self, text: &str) {
        self.0.post(text)
    }
}
