//! The interleaving explorer's web front end: a Yew app that steps the
//! `ptep_get_lockless()` model by hand, explores every interleaving in the
//! background, and shares a state as a permalink or an embeddable view.
//!
//! [`App`] is the root component; [`state`] holds the one reducer; the
//! components in [`components`] draw it; [`browser`] wraps the few browser
//! APIs the effects use.
//!
//! The page's address is its state: the fragment holds
//! `pte_core::link::encode(scenario, trace)` and follows every step (through
//! `history.replaceState`, so the back button is not flooded), and a page
//! opened with a fragment replays it. `?embed=1` in the query (before the
//! `#`) asks for the compact view for an iframe: no scenario editing, the
//! fragment's trace loaded at step 0 with forward and back buttons and never
//! changed, and its content height posted to the page around it
//! ([`browser::HEIGHT_MESSAGE_TYPE`]). The query, not the fragment, carries
//! `embed` so that the fragment stays exactly a permalink. `#lesson=N` (with
//! a permalink after it once the student steps) opens a lesson of the
//! guided tour ([`tour`], the lessons being `pte_core::tour`'s).

pub mod app;
pub mod browser;
pub mod components;
pub mod identity;
pub mod live;
pub mod numbers;
pub mod runner;
pub mod state;
pub mod tour;

pub use app::{App, AppProps};
