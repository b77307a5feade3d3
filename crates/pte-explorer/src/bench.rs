//! `bench`: how fast the explorer visits states, on every catalog preset
//! and on a scaled scenario (three cycles, three readers, no flush) under
//! each memory model. Timing lives here: the core has no clocks.

use std::io::Write;
use std::time::{Duration, Instant};

use pte_core::execution::Execution;
use pte_core::picture::{self, Highlight};
use pte_core::{catalog, Explorer, FlushMode, MemoryModel, Program, Progress, Scenario};

use crate::scenario_args::find_preset;
use crate::text::table;
use crate::{BenchArgs, CliError, Exit};

/// Small explorations repeat until this much time has passed, so that their
/// per-run time is not mostly timer noise.
const MIN_MEASURED: Duration = Duration::from_millis(50);

/// Transitions per slice between two looks at the clock.
const SLICE: u64 = 20_000;

/// The scaled scenario: writer cycles and readers.
const SCALED_CYCLES: usize = 3;
const SCALED_READERS: u8 = 3;

pub fn run(args: &BenchArgs, out: &mut dyn Write) -> Result<Exit, CliError> {
    let mut rows: Vec<(String, Scenario)> = Vec::new();
    if args.preset.is_empty() {
        rows.extend(
            catalog::presets().iter().map(|preset| (preset.id.to_owned(), preset.scenario())),
        );
        for model in MemoryModel::ALL {
            let scenario = Scenario {
                model,
                readers: SCALED_READERS,
                flush: FlushMode::None,
                ..Scenario::cycles(SCALED_CYCLES)
            };
            let name = format!("{SCALED_CYCLES} cycles, {SCALED_READERS} readers, flush none");
            rows.push((name, scenario));
        }
    } else {
        for id in &args.preset {
            rows.push((id.clone(), find_preset(id)?.scenario()));
        }
    }

    if cfg!(debug_assertions) {
        writeln!(out, "note: a debug build; `cargo run --release` explores many times faster")?;
    }
    writeln!(
        out,
        "limits per scenario: {} states, {} s; small scenarios repeat for at least {} ms",
        args.max_states,
        args.seconds,
        MIN_MEASURED.as_millis()
    )?;
    writeln!(out)?;

    let time_limit = Duration::from_secs_f64(args.seconds);
    let mut measured = Vec::with_capacity(rows.len());
    for (name, scenario) in &rows {
        let measurement = measure(scenario, args.max_states, time_limit)
            .map_err(|error| CliError::Input(format!("{name}: invalid scenario: {error}")))?;
        measured.push((name, scenario.model, measurement));
    }

    let first_rate = measured.first().map_or(0.0, |(_, _, m)| m.states_per_second());
    let table_rows: Vec<Vec<String>> = measured
        .iter()
        .map(|(name, model, m)| {
            let ratio = if first_rate > 0.0 { m.states_per_second() / first_rate } else { 0.0 };
            vec![
                (*name).clone(),
                model.id().to_owned(),
                m.states.to_string(),
                m.transitions.to_string(),
                m.runs.to_string(),
                duration_text(m.per_run()),
                rate_text(m.states_per_second()),
                format!("{ratio:.2}"),
                m.status.text().to_owned(),
            ]
        })
        .collect();
    let header = [
        "scenario",
        "model",
        "states",
        "transitions",
        "runs",
        "time/run",
        "states/s",
        "vs row 1",
        "status",
    ];
    let right = [false, false, true, true, true, true, true, true, false];
    for line in table(&header, &right, &table_rows) {
        writeln!(out, "{line}")?;
    }
    let total: Duration = measured.iter().map(|(_, _, m)| m.total).sum();
    writeln!(out)?;
    writeln!(out, "total measured time: {}", duration_text(total))?;
    if args.preset.is_empty() {
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
    let scenario = Scenario {
        readers: SCALED_READERS,
        flush: FlushMode::None,
        ..Scenario::cycles(SCALED_CYCLES)
    };
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

/// How a measured exploration ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Complete,
    StateLimit,
    TimeLimit,
}

impl Status {
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
    states: u64,
    transitions: u64,
    runs: u32,
    /// Time over all runs.
    total: Duration,
    status: Status,
}

impl Measurement {
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
fn measure(
    scenario: &Scenario,
    max_states: u32,
    time_limit: Duration,
) -> Result<Measurement, pte_core::ScenarioError> {
    let mut runs = 0;
    let mut total = Duration::ZERO;
    loop {
        let mut explorer = Explorer::new(scenario.clone())?.with_max_states(max_states);
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
                states: explorer.states(),
                transitions: explorer.transitions(),
                runs,
                total,
                status,
            });
        }
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
