//! The command line, declared with clap's derive: every flag's doc comment
//! is its `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use pte_core::{mail, MemoryModel, DEFAULT_MAX_STATES};

use crate::scenario_args::{
    parse_mail_style, parse_max_states, parse_model, parse_readers, parse_seconds, ScenarioFlags,
};

/// The exit statuses, shown after `--help`.
pub const EXIT_CODES: &str = "\
Exit status:
  0  no torn read: the exploration was complete and every read is allowed
     (list and bench: success; replay: no replayed read is torn)
  1  a torn read was found (replay: a replayed read is torn)
  2  bad usage or input: an unknown flag value, preset or step, a file that
     cannot be read, an invalid scenario or trace, a step that is not enabled
  3  the state limit was reached without finding a torn read: the answer is
     incomplete (raise --max-states)";

/// The permalink base when `--base-url` is not given: `trunk serve`'s address.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080/";

/// Explores the ptep_get_lockless() protocol: can a 32-bit CPU that reads a
/// 64-bit page-table entry as two halves, without a lock, return a present
/// PTE that no writer ever wrote?
#[derive(Debug, Parser)]
#[command(name = "pte-explorer", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explore every reachable state of a scenario and say whether a torn read can happen
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// List the catalog: the scenarios of the 2022 linux-mm discussion
    List(ListArgs),
    /// Replay a trace step by step, showing the machine state after each step
    #[command(after_help = EXIT_CODES)]
    Replay(ReplayArgs),
    /// Measure exploration speed on every preset and on a scaled scenario
    Bench(BenchArgs),
    /// Print the scenario as a C litmus test for herd7 and the kernel's memory model
    Litmus(LitmusArgs),
    /// Draw a trace's execution (events with po, rf, co, fr) as SVG, DOT or JSON
    #[command(after_help = GRAPH_EXIT_CODES)]
    Graph(GraphArgs),
    /// Which barriers matter: every model against every barrier site switched
    /// off alone, and the minimal sets of sites that prevent a torn read
    #[command(after_help = MATRIX_EXIT_CODES)]
    Matrix(MatrixArgs),
    /// A torn witness (or a saved trace) as plain text for an email body:
    /// the interleaving in the kernel's columns, the outcome and why
    #[command(after_help = EXIT_CODES)]
    Mail(MailArgs),
}

/// The exit statuses of `graph`.
pub const GRAPH_EXIT_CODES: &str = "\
Exit status:
  0  the picture was drawn
  2  bad usage or input, or a preset none of whose reads is torn
  3  the state limit was reached without finding a torn read to draw
     (raise --max-states)";

/// The exit statuses of `matrix`.
pub const MATRIX_EXIT_CODES: &str = "\
Exit status:
  0  no torn read under any model with the barriers as given (every
     exploration complete)
  1  a torn read under some model with the barriers as given
  2  bad usage or input
  3  a state limit was reached before any torn read was found with the
     barriers as given: the answer is incomplete (raise --max-states)";

/// Where the scenario of `check`, `matrix` and `litmus` starts: a preset,
/// a scenario file, or (with neither) the kernel protocol.
#[derive(Debug, Args)]
pub struct ScenarioSource {
    /// A catalog preset id (see `pte-explorer list`); without one (and
    /// without --file) the scenario is the kernel protocol, changed by the flags
    #[arg(value_name = "PRESET", conflicts_with = "file")]
    pub preset: Option<String>,

    /// Read the scenario from a JSON scenario file instead of a preset
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// `matrix [PRESET | --file FILE] [scenario flags] [--json] [--max-states N]`
#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub source: ScenarioSource,

    /// Print the matrix as one JSON object instead of text
    #[arg(long)]
    pub json: bool,

    /// Stop each exploration after this many distinct states
    #[arg(long, value_name = "N", value_parser = parse_max_states)]
    #[arg(default_value_t = DEFAULT_MAX_STATES)]
    pub max_states: u32,

    #[command(flatten)]
    pub scenario: ScenarioFlags,
}

/// The picture formats of `graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// A self-contained SVG file
    Svg,
    /// graphviz's DOT
    Dot,
    /// {"events": […], "edges": […]}
    Json,
}

/// `graph [PRESET [scenario flags]] [--trace FILE] [--format svg|dot|json] [--timeline]
/// [-o FILE] [--max-states N]`
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// A catalog preset whose first torn witness is drawn (see `pte-explorer list`)
    #[arg(value_name = "PRESET", conflicts_with = "trace")]
    pub preset: Option<String>,

    /// Draw this trace file's execution instead (as `check --save-witness` writes)
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,

    /// The picture's format
    #[arg(long, value_enum, default_value_t = GraphFormat::Svg)]
    pub format: GraphFormat,

    /// With --format svg: draw the timeline (one row per step) instead of the graph
    #[arg(long)]
    pub timeline: bool,

    /// Write the picture to this file instead of printing it
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// With a preset: stop the search for a torn witness after this many
    /// distinct states (each costs about 130 bytes)
    #[arg(long, value_name = "N", value_parser = parse_max_states)]
    #[arg(default_value_t = DEFAULT_MAX_STATES)]
    pub max_states: u32,

    #[command(flatten)]
    pub scenario: ScenarioFlags,
}

/// `check [PRESET] [--file FILE] [scenario flags] [--json] [--link] …`
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub source: ScenarioSource,

    /// Print the result as one JSON object instead of text
    #[arg(long)]
    pub json: bool,

    /// Also print permalinks into the web explorer: the scenario, and each
    /// torn read's witness
    #[arg(long)]
    pub link: bool,

    /// The web explorer's address that --link appends `#<query>` to
    #[arg(long, value_name = "URL", default_value = DEFAULT_BASE_URL)]
    pub base_url: String,

    /// Stop after this many distinct states (each costs about 130 bytes)
    #[arg(long, value_name = "N", value_parser = parse_max_states)]
    #[arg(default_value_t = DEFAULT_MAX_STATES)]
    pub max_states: u32,

    /// Write the first torn read's witness as a trace file that `replay`
    /// reproduces (nothing is written when no read is torn)
    #[arg(long, value_name = "FILE")]
    pub save_witness: Option<PathBuf>,

    #[command(flatten)]
    pub scenario: ScenarioFlags,
}

/// `list [--json]`
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print the catalog as JSON (with each preset's scenario)
    #[arg(long)]
    pub json: bool,
}

/// `replay FILE [--json]` or `replay [PRESET flags] --steps …`
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A trace file: {"format":1,"scenario":{…},"steps":["w1","r1.off",…]}
    #[arg(value_name = "FILE", conflicts_with_all = ["preset", "steps"])]
    pub file: Option<PathBuf>,

    /// Replay on this catalog preset instead of a trace file (with --steps)
    #[arg(long, value_name = "ID")]
    pub preset: Option<String>,

    /// The steps to replay, comma-separated: w<N> (writer access N), wd
    /// (drain, TSO), r<N>.off|r0|r1|r2|chk|on (reader N)
    #[arg(long, value_name = "STEPS", value_delimiter = ',', required_unless_present = "file")]
    pub steps: Option<Vec<String>>,

    /// With --steps: the compiled form the steps run in, as `check` names a
    /// witness's (0, the default: the code as written)
    #[arg(long, value_name = "N", conflicts_with = "file", value_parser = parse_form)]
    pub form: Option<usize>,

    /// Print the replay as one JSON object instead of text
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub scenario: ScenarioFlags,
}

/// `bench [--seconds S] [--max-states N] [--preset ID…] [--scaled MODEL…]
/// [--scaled-readers N…] [--unreduced] [--compiler-off] [--save FILE] [--compare FILE]`
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Time limit for each scaled scenario; one that is not done by then is
    /// reported as capped
    #[arg(long, value_name = "S", default_value_t = 10.0, value_parser = parse_seconds)]
    pub seconds: f64,

    /// State limit for each exploration; one that reaches it is reported as capped
    #[arg(long, value_name = "N", value_parser = parse_max_states)]
    #[arg(default_value_t = DEFAULT_MAX_STATES)]
    pub max_states: u32,

    /// Measure only these presets (repeatable) and skip the scaled scenarios
    #[arg(long, value_name = "ID")]
    pub preset: Vec<String>,

    /// Measure the scaled scenario (3 cycles, flush none) under this model
    /// (repeatable: sc, tso, weak); with --preset, both
    #[arg(long, value_name = "MODEL", value_parser = parse_model)]
    pub scaled: Vec<MemoryModel>,

    /// The scaled scenario's readers (repeatable, 1..=4) [default: 3; without
    /// --preset and --scaled, 3 and 4]
    #[arg(long, value_name = "N", value_parser = parse_readers)]
    pub scaled_readers: Vec<u8>,

    /// Explore without the partial-order reduction (every enabled step in
    /// every state, as before it existed), to measure what it saves
    #[arg(long)]
    pub unreduced: bool,

    /// Run every scenario with the compiler off (as before the compiler was
    /// modelled); with --save and --compare, the compiler's cost
    #[arg(long)]
    pub compiler_off: bool,

    /// Also write the measurements as JSON to this file (for --compare)
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,

    /// Compare with measurements saved by --save: each row the saved run
    /// also measured gets this run's time, states and peak memory divided
    /// by the saved ones
    #[arg(long, value_name = "FILE")]
    pub compare: Option<PathBuf>,

    /// Print the measurements as one JSON object instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `litmus [PRESET | --file FILE] [scenario flags] [-o FILE] [--name NAME]`
#[derive(Debug, Args)]
pub struct LitmusArgs {
    #[command(flatten)]
    pub source: ScenarioSource,

    /// Write the test to this file instead of printing it
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The test's name (the `C <name>` line); by default pte-<preset id>
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    #[command(flatten)]
    pub scenario: ScenarioFlags,
}

/// `mail [PRESET | --file FILE] [scenario flags] [--trace FILE] [--style S] [--utf8] …`
#[derive(Debug, Args)]
pub struct MailArgs {
    #[command(flatten)]
    pub source: ScenarioSource,

    /// Mail this trace file (as `check --save-witness` writes) instead of
    /// the scenario's first torn witness
    #[arg(long, value_name = "FILE", conflicts_with_all = ["preset", "file"])]
    pub trace: Option<PathBuf>,

    /// The column layout: lockdep (its "Possible unsafe locking scenario")
    /// or barriers (Documentation/memory-barriers.txt)
    #[arg(long, value_name = "STYLE", value_parser = parse_mail_style, default_value = "lockdep")]
    pub style: mail::Style,

    /// Allow UTF-8 (arrows); without it the text is pure ASCII
    #[arg(long)]
    pub utf8: bool,

    /// The web explorer's address that the permalink appends `#<query>` to
    #[arg(long, value_name = "URL", default_value = DEFAULT_BASE_URL)]
    pub base_url: String,

    /// Stop the search for a witness after this many distinct states
    #[arg(long, value_name = "N", value_parser = parse_max_states)]
    #[arg(default_value_t = DEFAULT_MAX_STATES)]
    pub max_states: u32,

    #[command(flatten)]
    pub scenario: ScenarioFlags,
}

/// A compiled form's number, in the one grammar of numbers.
fn parse_form(text: &str) -> Result<usize, String> {
    pte_core::grammar::decimal_as::<usize>(text).map_err(|error| error.to_string())
}
