//! The `pte-explorer` command line as a library: parse with [`Cli`], call
//! [`run`] with any writer, so tests read the output without spawning.
//!
//! Every subcommand writes its report to the writer it is given and returns
//! an [`Exit`] that says what it found; bad input is a [`CliError`] (exit
//! status 2). Only `main.rs` touches the process: standard output, standard
//! error and the exit status.

mod args;
mod bench;
mod check;
mod graph;
mod list;
mod litmus;
mod mail;
mod matrix;
mod narrate;
mod replay;
mod scenario_args;
mod text;

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;

pub use args::{
    BenchArgs, CheckArgs, Cli, Command, GraphArgs, GraphFormat, ListArgs, LitmusArgs, MailArgs,
    MatrixArgs, ReplayArgs, ScenarioSource, EXIT_CODES, MATRIX_EXIT_CODES,
};
pub use scenario_args::ScenarioFlags;

/// What a successful run found. Bad input is a [`CliError`] instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Exit status 0: no torn read (the exploration was complete), or a
    /// command that judges nothing (`list`, `bench`).
    Clean,
    /// Exit status 1: a torn read was found (or replayed).
    TornRead,
    /// Exit status 3: the state limit was reached before a torn read was
    /// found, so "no torn read" is not proven.
    Incomplete,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::TornRead => 1,
            Exit::Incomplete => 3,
        }
    }
}

/// The exit status for a [`CliError`] and for flags clap refuses.
pub const INPUT_ERROR_CODE: u8 = 2;

/// Why a command could not do its work: exit status 2, or 3 for a search
/// cut at its state limit ([`CliError::code`]).
#[derive(Debug)]
pub enum CliError {
    /// A file could not be read or written.
    File { action: &'static str, path: PathBuf, source: io::Error },
    /// A flag, a scenario, a trace or a preset name that is not valid; the
    /// message names the field and the value.
    Input(String),
    /// Writing the report failed (for example, a closed pipe).
    Output(io::Error),
    /// The search stopped at its state limit before it found what the
    /// command needs (exit status 3, as `check`'s incomplete answer).
    Incomplete(String),
}

impl CliError {
    /// The exit status: 3 for a search cut at its limit, else 2.
    pub fn code(&self) -> u8 {
        match self {
            CliError::Incomplete(_) => Exit::Incomplete.code(),
            _ => INPUT_ERROR_CODE,
        }
    }

    /// A scenario that does not validate; the core's error names the field.
    pub fn invalid_scenario(error: impl fmt::Display) -> Self {
        CliError::Input(format!("invalid scenario: {error}"))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::File { action, path, .. } => write!(f, "cannot {action} {}", path.display()),
            CliError::Input(message) | CliError::Incomplete(message) => f.write_str(message),
            CliError::Output(_) => f.write_str("cannot write the output"),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::File { source, .. } | CliError::Output(source) => Some(source),
            CliError::Input(_) | CliError::Incomplete(_) => None,
        }
    }
}

impl From<io::Error> for CliError {
    fn from(error: io::Error) -> Self {
        CliError::Output(error)
    }
}

/// Writes `value` as pretty-printed JSON and a newline.
fn write_json_value(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), CliError> {
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|error| CliError::Output(error.into()))?;
    writeln!(out)?;
    Ok(())
}

/// Runs one parsed command line, writing its report to `out`.
pub fn run(cli: &Cli, out: &mut dyn Write) -> Result<Exit, CliError> {
    match &cli.command {
        Command::Check(args) => check::run(args, out),
        Command::List(args) => list::run(args, out),
        Command::Replay(args) => replay::run(args, out),
        Command::Bench(args) => bench::run(args, out),
        Command::Litmus(args) => litmus::run(args, out),
        Command::Graph(args) => graph::run(args, out),
        Command::Matrix(args) => matrix::run(args, out),
        Command::Mail(args) => mail::run(args, out),
    }
}
