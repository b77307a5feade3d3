//! Explorations off the page's main thread.
//!
//! The web app's WebAssembly runs twice: in the page, where it draws the
//! explorer, and in a web worker the page starts from the same files, where
//! its `main` calls [`worker::run`] instead. The page sends a
//! [`protocol::Request`] to the worker as a line of text and gets
//! [`protocol::Reply`]s back. The worker answers with an [`engine::Jobs`]
//! run a slice at a time; the page runs the same engine on its own timers
//! when it has no worker (a test page that names no worker script, a
//! browser that refuses one).
//!
//! Results cross the boundary as their witnesses (step ids, as in trace
//! files) and counts; the page rebuilds each outcome by replaying its
//! witness through the core's one transition relation
//! ([`pte_core::Report::from_witnesses`]).

pub mod engine;
pub mod protocol;
#[cfg(target_arch = "wasm32")]
pub mod worker;
