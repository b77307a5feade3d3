//! `bench`: how fast the explorer visits states, on every catalog preset
//! and on a scaled scenario (three cycles, three or four readers, no flush)
//! under each memory model, or on the ones asked for (`--preset`,
//! `--scaled`, `--scaled-readers`), as a table or as JSON (`scripts/test.sh`
//! compares the browser's time with it). `--save` keeps a run's figures and
//! `--compare` divides a later run's by them, so a regression shows.
//! Timing and memory live here: the core has no clocks.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use pte_core::execution::Execution;
use pte_core::picture::{self, Highlight};
use pte_core::{catalog, Explorer, FlushMode, MemoryModel, Program, Progress, Scenario};

use serde::{Deserialize, Serialize};

use crate::scenario_args::{find_preset, read_file, write_file};
use crate::text::table;
use crate::{write_json_value, BenchArgs, CliError, Exit};

/// Small explorations repeat until this much time has passed, so that their
/// per-run time is not mostly timer noise.
const MIN_MEASURED: Duration = Duration::from_millis(50);

/// Transitions per slice between two looks at the clock.
const SLICE: u64 = 20_000;

/// The scaled scenario's writer cycles, and its readers by default.
const SCALED_CYCLES: usize = 3;
const SCALED_READERS: u8 = 3;
/// The scaled scenarios measured when no row is asked for.
const EVERY_SCALED_READERS: [u8; 2] = [3, 4];

pub fn run(args: &BenchArgs, out: &mut dyn Write) -> Result<Exit, CliError> {
    let mut rows: Vec<(String, Scenario)> = Vec::new();
    let everything = args.preset.is_empty() && args.scaled.is_empty();
    if everything {
        rows.extend(
            catalog::presets().iter().map(|preset| (preset.id.to_owned(), preset.scenario())),
        );
    }
    for id in &args.preset {
        rows.push((id.clone(), find_preset(id)?.scenario()));
    }
    let scaled = if everything { MemoryModel::ALL.to_vec() } else { args.scaled.clone() };
    let readers = match (&args.scaled_readers[..], everything) {
        ([], true) => EVERY_SCALED_READERS.to_vec(),
        ([], false) => vec![SCALED_READERS],
        (asked, _) => asked.to_vec(),
    };
    for readers in readers {
        for model in &scaled {
            rows.push((scaled_name(readers), scaled_scenario(*model, readers)));
        }
    }
    if args.compiler_off {
        for (_, scenario) in &mut rows {
            scenario.compiler = false;
        }
    }
    let saved = args.compare.as_deref().map(read_saved).transpose()?;

    let time_limit = Duration::from_secs_f64(args.seconds);
    let mut measured = Vec::with_capacity(rows.len());
    for (name, scenario) in &rows {
        let measurement = measure(scenario, args.max_states, time_limit, !args.unreduced)
            .map_err(|error| CliError::Input(format!("{name}: invalid scenario: {error}")))?;
        let before = saved.as_ref().and_then(|saved| saved.get(&(name.clone(), scenario.model)));
        let compared = before.map(|before| measurement.compared_with(before));
        measured.push((name, scenario.model, measurement, compared));
    }
    let json = BenchJson {
        optimized: !cfg!(debug_assertions),
        reduced: !args.unreduced,
        rows: measured
            .iter()
            .map(|(name, model, m, compared)| RowJson {
                scenario: name,
                model: model.id(),
                forms: m.forms,
                states: m.states,
                transitions: m.transitions,
                runs: m.runs,
                seconds_per_run: m.per_run().as_secs_f64(),
                states_per_second: m.states_per_second(),
                peak_rss_bytes: m.peak_rss_bytes,
                status: m.status.id(),
                vs_saved: *compared,
            })
            .collect(),
    };
    if let Some(path) = &args.save {
        let mut file = Vec::new();
        write_json_value(&mut file, &json)?;
        // serde_json writes UTF-8, so nothing is replaced.
        write_file(path, &String::from_utf8_lossy(&file))?;
    }
    if args.json {
        write_json_value(out, &json)?;
        return Ok(Exit::Clean);
    }

    if cfg!(debug_assertions) {
        writeln!(out, "note: a debug build; `cargo run --release` explores many times faster")?;
    }
    if args.unreduced {
        writeln!(out, "without the partial-order reduction (--unreduced)")?;
    }
    writeln!(
        out,
        "limits per scenario: {} states, {} s; small scenarios repeat for at least {} ms",
        args.max_states,
        args.seconds,
        MIN_MEASURED.as_millis()
    )?;
    writeln!(out)?;

    let first_rate = measured.first().map_or(0.0, |(_, _, m, _)| m.states_per_second());
    let table_rows: Vec<Vec<String>> = measured
        .iter()
        .map(|(name, model, m, compared)| {
            let ratio = if first_rate > 0.0 { m.states_per_second() / first_rate } else { 0.0 };
            let mut row = vec![
                (*name).clone(),
                model.id().to_owned(),
                m.forms.to_string(),
                m.states.to_string(),
                m.transitions.to_string(),
                m.runs.to_string(),
                duration_text(m.per_run()),
                rate_text(m.states_per_second()),
                m.peak_rss_bytes.map_or_else(|| "-".to_owned(), bytes_text),
                format!("{ratio:.2}"),
                m.status.text().to_owned(),
            ];
            if saved.is_some() {
                let ratio = |value: Option<f64>| value.map_or_else(|| "-".to_owned(), ratio_text);
                row.extend(match compared {
                    Some(compared) => [
                        ratio(Some(compared.seconds_per_run)),
                        ratio(Some(compared.states)),
                        ratio(compared.peak_rss_bytes),
                    ],
                    None => ["-".to_owned(), "-".to_owned(), "-".to_owned()],
                });
            }
            row
        })
        .collect();
    let mut header = vec![
        "scenario",
        "model",
        "forms",
        "states",
        "transitions",
        "runs",
        "time/run",
        "states/s",
        "peak RSS",
        "vs row 1",
        "status",
    ];
    let mut right = vec![false, false, true, true, true, true, true, true, true, true, false];
    if saved.is_some() {
        header.extend(["time ×", "states ×", "RSS ×"]);
        right.extend([true, true, true]);
    }
    for line in table(&header, &right, &table_rows) {
        writeln!(out, "{line}")?;
    }
    let total: Duration = measured.iter().map(|(_, _, m, _)| m.total).sum();
    writeln!(out)?;
    writeln!(out, "total measured time: {}", duration_text(total))?;
    writeln!(out, "peak RSS: the process's peak resident memory while the row ran (Linux only)")?;
    if let Some(path) = &args.compare {
        writeln!(
            out,
            "×: this run divided by {} (below 1: faster, fewer states, less memory)",
            path.display()
        )?;
    }
    if everything {
        writeln!(out)?;
        pictures(out)?;
    }
    Ok(Exit::Clean)
}

/// The steps of the pictures benchmark.
const PICTURE_STEPS: usize = 40;

/// How long redrawing the page's pictures takes after a step: the execution
/// of a 40-step trace (three cycles, three readers, each step the first one
/// enabled) and both its SVG pictures, against one frame at 60 Hz.
fn pictures(out: &mut dyn Write) -> Result<(), CliError> {
    let scenario = scaled_scenario(MemoryModel::default(), SCALED_READERS);
    let program = Program::new(scenario).expect("the scaled scenario is valid");
    let mut state = program.initial();
    let mut steps = Vec::with_capacity(PICTURE_STEPS);
    while steps.len() < PICTURE_STEPS {
        // Round-robin over the enabled steps, so every thread moves.
        let enabled = program.enabled(&state);
        let Some(step) = enabled.get(steps.len() % enabled.len().max(1)).copied() else { break };
        state = program.apply(&state, step).expect("an enabled step applies").0;
        steps.push(step);
    }
    let mut runs = 0u32;
    let started = Instant::now();
    let mut bytes = 0;
    while started.elapsed() < MIN_MEASURED || runs == 0 {
        let execution = Execution::of(&program, &steps).expect("the steps replay");
        let highlight = Highlight::last_read(&execution, "allowed");
        bytes = picture::graph_svg(&execution, highlight).len()
            + picture::timeline_svg(&execution, highlight).len();
        runs += 1;
    }
    let per_run = started.elapsed() / runs;
    let frame = Duration::from_secs_f64(1.0 / 60.0);
    writeln!(
        out,
        "pictures of a {}-step trace (execution, graph and timeline, {bytes} bytes of SVG): {} per redraw, {:.3} of a 60 Hz frame",
        steps.len(),
        duration_text(per_run),
        per_run.as_secs_f64() / frame.as_secs_f64()
    )?;
    Ok(())
}

/// The scaled scenario: three cycles, `readers` readers, no flush, under
/// `model`.
pub fn scaled_scenario(model: MemoryModel, readers: u8) -> Scenario {
    Scenario { model, readers, flush: FlushMode::None, ..Scenario::cycles(SCALED_CYCLES) }
}

fn scaled_name(readers: u8) -> String {
    format!("{SCALED_CYCLES} cycles, {readers} readers, flush none")
}

#[derive(Serialize)]
struct BenchJson<'a> {
    /// False for a debug build, whose times say little.
    optimized: bool,
    /// False with `--unreduced`.
    reduced: bool,
    rows: Vec<RowJson<'a>>,
}

#[derive(Serialize)]
struct RowJson<'a> {
    scenario: &'a str,
    model: &'static str,
    /// The compiled forms searched (`crate::compiler`; 1 with the compiler off).
    forms: usize,
    states: u64,
    transitions: u64,
    runs: u32,
    seconds_per_run: f64,
    states_per_second: f64,
    /// The process's peak resident memory while the row ran; null where
    /// it cannot be read (not Linux).
    peak_rss_bytes: Option<u64>,
    /// complete, state_limit or time_limit.
    status: &'static str,
    /// With `--compare`, for a row the saved run has: this run divided by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    vs_saved: Option<Compared>,
}

/// A row as `--save` wrote it (only what `--compare` reads).
#[derive(Deserialize)]
struct SavedRow {
    scenario: String,
    model: String,
    states: u64,
    seconds_per_run: f64,
    #[serde(default)]
    peak_rss_bytes: Option<u64>,
}

#[derive(Deserialize)]
struct SavedBench {
    rows: Vec<SavedRow>,
}

/// This run's figures divided by the saved run's.
#[derive(Clone, Copy, Debug, Serialize)]
struct Compared {
    seconds_per_run: f64,
    states: f64,
    peak_rss_bytes: Option<f64>,
}

/// The rows of a file `--save` wrote, by scenario name and model.
fn read_saved(path: &Path) -> Result<BTreeMap<(String, MemoryModel), SavedRow>, CliError> {
    let text = read_file(path)?;
    let saved: SavedBench = serde_json::from_str(&text).map_err(|error| {
        CliError::Input(format!("{}: not a file bench --save wrote: {error}", path.display()))
    })?;
    Ok(saved
        .rows
        .into_iter()
        .filter_map(|row| {
            let model: MemoryModel = row.model.parse().ok()?;
            Some(((row.scenario.clone(), model), row))
        })
        .collect())
}

/// How a measured exploration ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Complete,
    StateLimit,
    TimeLimit,
}

impl Status {
    fn id(self) -> &'static str {
        match self {
            Status::Complete => "complete",
            Status::StateLimit => "state_limit",
            Status::TimeLimit => "time_limit",
        }
    }

    fn text(self) -> &'static str {
        match self {
            Status::Complete => "complete",
            Status::StateLimit => "capped (state limit)",
            Status::TimeLimit => "capped (time limit)",
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Measurement {
    /// The compiled forms the explorer searched (1 with the compiler off).
    forms: usize,
    states: u64,
    transitions: u64,
    runs: u32,
    /// Time over all runs.
    total: Duration,
    status: Status,
    peak_rss_bytes: Option<u64>,
}

impl Measurement {
    fn compared_with(&self, saved: &SavedRow) -> Compared {
        let divide = |now: f64, before: f64| if before > 0.0 { now / before } else { f64::NAN };
        Compared {
            seconds_per_run: divide(self.per_run().as_secs_f64(), saved.seconds_per_run),
            states: divide(self.states as f64, saved.states as f64),
            peak_rss_bytes: self
                .peak_rss_bytes
                .zip(saved.peak_rss_bytes)
                .map(|(now, before)| divide(now as f64, before as f64)),
        }
    }

    fn per_run(&self) -> Duration {
        self.total / self.runs.max(1)
    }

    fn states_per_second(&self) -> f64 {
        let seconds = self.per_run().as_secs_f64();
        if seconds > 0.0 {
            self.states as f64 / seconds
        } else {
            0.0
        }
    }
}

/// Explores `scenario` from scratch until done, the state limit or the time
/// limit; repeats short explorations until [`MIN_MEASURED`] has passed.
/// `reduced`: with the partial-order reduction (the explorer's default).
fn measure(
    scenario: &Scenario,
    max_states: u32,
    time_limit: Duration,
    reduced: bool,
) -> Result<Measurement, pte_core::ScenarioError> {
    let mut runs = 0;
    let mut total = Duration::ZERO;
    reset_peak_rss();
    loop {
        let mut explorer = Explorer::new(scenario.clone())?.with_max_states(max_states);
        if !reduced {
            explorer = explorer.without_partial_order_reduction();
        }
        let start = Instant::now();
        let status = loop {
            match explorer.run(SLICE) {
                Progress::Running if start.elapsed() >= time_limit => break Status::TimeLimit,
                Progress::Running => continue,
                Progress::Done => break Status::Complete,
                Progress::LimitReached { .. } => break Status::StateLimit,
            }
        };
        total += start.elapsed();
        runs += 1;
        if status != Status::Complete || total >= MIN_MEASURED {
            return Ok(Measurement {
                forms: explorer.forms(),
                states: explorer.states(),
                transitions: explorer.transitions(),
                runs,
                total,
                status,
                peak_rss_bytes: peak_rss_bytes(),
            });
        }
    }
}

/// Starts the process's peak resident memory afresh (Linux: writing 5 to
/// `/proc/self/clear_refs`); elsewhere nothing is measured.
fn reset_peak_rss() {
    // A failure only leaves the peak of earlier rows in; the row then shows
    // the larger of the two.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory since [`reset_peak_rss`] (Linux's
/// `VmHWM`), in bytes.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|line| line.strip_prefix("VmHWM:"))?;
    let kilobytes: u64 = line.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kilobytes * 1024)
}

fn bytes_text(bytes: u64) -> String {
    let megabytes = bytes as f64 / (1024.0 * 1024.0);
    if megabytes >= 1024.0 {
        format!("{:.2} GB", megabytes / 1024.0)
    } else {
        format!("{megabytes:.1} MB")
    }
}

fn ratio_text(ratio: f64) -> String {
    if ratio.is_nan() {
        "-".to_owned()
    } else if ratio < 0.1 {
        format!("{ratio:.3}")
    } else {
        format!("{ratio:.2}")
    }
}

fn duration_text(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.2} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

fn rate_text(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.2} M", per_second / 1e6)
    } else if per_second >= 1e3 {
        format!("{:.1} k", per_second / 1e3)
    } else {
        format!("{per_second:.0}")
    }
}
