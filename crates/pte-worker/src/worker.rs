//! The worker itself (wasm32 only): reads requests from the page, runs the
//! jobs a slice at a time and posts replies. Between two slices it yields
//! to its own event loop, so a cancel or a newer request is read at once.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent, MessagePort};

use crate::engine::Jobs;
use crate::protocol::{BadRequest, Reply, Request, PROTOCOL};

/// How long one slice explores before the worker reads its messages again.
const SLICE_MILLISECONDS: f64 = 25.0;

struct Worker {
    scope: DedicatedWorkerGlobalScope,
    jobs: RefCell<Jobs>,
    /// A message posted here runs the next slice as a task of its own (a
    /// timer would be delayed by 4 ms once nested).
    wake: MessagePort,
    slice_pending: Cell<bool>,
}

impl Worker {
    fn now(&self) -> f64 {
        self.scope.performance().map_or_else(js_sys::Date::now, |performance| performance.now())
    }

    fn post(&self, reply: &Reply) {
        // Posting a string to the page cannot fail.
        let _ = self.scope.post_message(&JsValue::from_str(&reply.to_text()));
    }

    fn schedule(&self) {
        if !self.slice_pending.get() && !self.jobs.borrow().is_idle() {
            self.slice_pending.set(true);
            let _ = self.wake.post_message(&JsValue::NULL);
        }
    }

    fn on_request(&self, event: &MessageEvent) {
        let text = event.data().as_string().unwrap_or_default();
        let replies = match Request::from_text(&text) {
            Ok(request) => self.jobs.borrow_mut().handle(request, self.now()),
            Err(BadRequest { job: Some(job), message }) => vec![Reply::Failed { job, message }],
            Err(BadRequest { job: None, message }) => vec![Reply::Refused { message }],
        };
        for reply in &replies {
            self.post(reply);
        }
        self.schedule();
    }

    fn on_slice(&self) {
        self.slice_pending.set(false);
        let replies = self.jobs.borrow_mut().run_slice(SLICE_MILLISECONDS, &|| self.now());
        for reply in &replies {
            self.post(reply);
        }
        self.schedule();
    }
}

/// Starts answering the page; called by the web app's `main` when it runs
/// in the page's worker.
pub fn run() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let Ok(channel) = MessageChannel::new() else {
        let refused =
            Reply::Refused { message: "the worker cannot create a MessageChannel".into() };
        let _ = scope.post_message(&JsValue::from_str(&refused.to_text()));
        return;
    };
    let worker = Rc::new(Worker {
        scope: scope.clone(),
        jobs: RefCell::new(Jobs::new()),
        wake: channel.port2(),
        slice_pending: Cell::new(false),
    });
    let on_slice = {
        let worker = worker.clone();
        Closure::<dyn FnMut()>::new(move || worker.on_slice())
    };
    channel.port1().set_onmessage(Some(on_slice.as_ref().unchecked_ref()));
    let on_request = {
        let worker = worker.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            worker.on_request(&event)
        })
    };
    scope.set_onmessage(Some(on_request.as_ref().unchecked_ref()));
    // Both live as long as the worker.
    on_slice.forget();
    on_request.forget();
    worker.post(&Reply::Ready { protocol: PROTOCOL });
}
