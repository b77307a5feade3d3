//! The `ptep_get_lockless()` protocol model: what a 32-bit CPU reading a
//! 64-bit page-table entry in two halves, without a lock, can return while a
//! writer zaps and re-establishes the entry.
//!
//! A [`Scenario`] describes one experiment; [`Program`] compiles it and owns
//! the one transition relation ([`Program::initial`], [`Program::candidates`],
//! [`Program::check`], [`Program::apply`]). A [`Session`] steps it by hand,
//! an [`Explorer`] visits every reachable state, and [`catalog`] names the
//! scenarios of the 2022 linux-mm discussion; [`tour`] walks through them
//! as lessons with goals the core checks.
//!
//! The crate is pure: no I/O, clocks, threads or randomness, so the same
//! code runs natively and in WebAssembly.

mod access;
pub mod catalog;
pub mod compiler;
mod edit;
pub mod execution;
mod explore;
pub mod grammar;
pub mod link;
pub mod listing;
pub mod litmus;
mod machine;
pub mod mail;
mod matrix;
mod model;
pub mod picture;
mod program;
mod reader;
pub mod readers;
mod reduction;
mod relaxation;
mod scenario;
mod session;
pub mod short_sort;
mod source_ref;
pub mod sources;
pub mod tour;
mod verdict;
mod warning;
mod words;
pub mod writer;

pub use edit::{Edit, ValueSlot};
pub use explore::{
    explore, Explorer, Outcome, Progress, Report, StateHasher, Torn, TornAnswer, TornWitness,
    DEFAULT_MAX_STATES,
};
pub use machine::{
    word_value, Blocked, CompletedRead, Phase, ReaderAction, ReaderState, State, Step,
    StepParseError,
};
pub use matrix::{
    barrier_matrix, Answer, BarrierMatrix, MatrixSearch, MinimalSets, ModelRow, SiteCell, Variant,
};
pub use model::ModelRules;
pub use program::{
    AccessKind, Order, Program, Register, Source, Tag, ValueName, Word, WriterAccess, INITIAL,
};
pub use reader::{Block, ReaderProgram};
pub use readers::{Effect, Item, OnFail, ReaderSpec, StepSpec, Test, MAX_REGISTERS};
pub use relaxation::{Relaxation, Unordered};
pub use scenario::{
    Arch, Barrier, BarrierOrigin, Barriers, FlushMode, MemoryModel, Pte, ReaderKind, Scenario,
    ScenarioError, Values, WriterOp, FORMAT_VERSION, MAX_READERS, MAX_WRITER_ACCESSES,
    MAX_WRITER_OPS, OLDEST_FORMAT_VERSION,
};
pub use session::{parse_steps, NarratedStep, ReplayError, Session, Trace, MAX_TRACE_STEPS};
pub use verdict::{Judged, ReadResult, Verdict};
pub use warning::Warning;
