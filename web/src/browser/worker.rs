//! The page's web worker, as the browser offers it: a module worker that
//! `web/boot.js` starts before the app, from the script its element names
//! (`data-worker`, see `Trunk.toml`) with the app's own hashed files in the
//! query (`data-js`, `data-wasm`), so that it runs the same WebAssembly and
//! compiles it while the page draws; the app takes it over and speaks to it
//! in strings. boot.js is the one place that starts it. Inert on native
//! targets, and absent where boot.js started none: the embed view, which
//! never explores; the wasm-bindgen test page, which has no boot.js; a
//! browser that refuses workers (an opaque origin). The page then explores
//! on its own.

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
            let (worker, early) = take_early_worker()?;
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
    /// Takes over the worker boot.js started; `None` when it started none
    /// (and always on native targets). `on_event` gets every message and
    /// error, those the worker sent before included.
    pub fn start(on_event: Rc<dyn Fn(WorkerEvent)>) -> Option<PageWorker> {
        imp::PageWorker::start(on_event).map(PageWorker)
    }

    /// Sends one message.
    pub fn post(&self, text: &str) {
        self.0.post(text)
    }
}
