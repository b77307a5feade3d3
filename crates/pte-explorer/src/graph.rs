//! `graph`: the execution of a trace as a picture — a trace file's, or a
//! preset's first torn witness — in SVG (the execution graph or, with
//! `--timeline`, the timeline), graphviz's DOT, or JSON.

use std::io::Write;

use pte_core::execution::Execution;
use pte_core::picture::{self, Highlight};
use pte_core::{Explorer, Program, Session, Trace};
use serde::Serialize;

use crate::scenario_args::{base_scenario, read_file, write_file};
use crate::{CliError, Exit, GraphArgs, GraphFormat};

pub fn run(args: &GraphArgs, out: &mut dyn Write) -> Result<Exit, CliError> {
    let (scenario, steps) = match (&args.trace, &args.preset) {
        (Some(path), _) => {
            let trace = Trace::from_json(&read_file(path)?)
                .map_err(|error| CliError::Input(format!("{}: {error}", path.display())))?;
            let steps = trace.parsed_steps().map_err(|error| CliError::Input(error.to_string()))?;
            (trace.scenario, steps)
        }
        (None, preset) => {
            let mut scenario = base_scenario(preset.as_deref(), None)?;
            args.scenario.apply(&mut scenario)?;
            let mut explorer = Explorer::new(scenario.clone())
                .map_err(CliError::invalid_scenario)?
                .with_max_states(args.max_states);
            explorer.run_to_end();
            let report = explorer.report();
            let torn = report.outcomes.iter().find(|o| o.returned_torn());
            if torn.is_none() && !report.complete {
                return Err(CliError::Incomplete(format!(
                    "the search stopped at the limit of {} states without finding a torn \
                     read to draw (raise --max-states)",
                    args.max_states
                )));
            }
            let Some(torn) = torn else {
                return Err(CliError::Input(
                    "no read of this scenario returns a torn value: nothing to draw \
                     (give a trace file with --trace)"
                        .to_owned(),
                ));
            };
            (scenario, torn.witness.clone())
        }
    };
    let program = Program::new(scenario.clone()).map_err(CliError::invalid_scenario)?;
    let execution =
        Execution::of(&program, &steps).map_err(|error| CliError::Input(error.to_string()))?;
    let mut session = Session::from_program(program);
    session.replay(&steps).map_err(|error| CliError::Input(error.to_string()))?;
    let verdict = session.last_read().map_or("allowed", |judged| judged.result().id());
    let highlight = Highlight::last_read(&execution, verdict);
    let text = match args.format {
        GraphFormat::Svg if args.timeline => {
            picture::standalone(&picture::timeline_svg(&execution, highlight))
        }
        GraphFormat::Svg => picture::standalone(&picture::graph_svg(&execution, highlight)),
        GraphFormat::Dot => picture::dot(&execution),
        GraphFormat::Json => {
            serde_json::to_string_pretty(&json(&execution))
                .expect("the execution always serializes")
                + "\n"
        }
    };
    match &args.output {
        None => out.write_all(text.as_bytes())?,
        Some(path) => {
            write_file(path, &text)?;
            writeln!(out, "wrote {}", path.display())?;
        }
    }
    Ok(Exit::Clean)
}

#[derive(Serialize)]
struct ExecutionJson {
    events: Vec<EventJson>,
    edges: Vec<EdgeJson>,
}

#[derive(Serialize)]
struct EventJson {
    id: usize,
    /// "init", "writer", "reader 1", …
    thread: String,
    /// init, write, drain, flush, load, other
    kind: &'static str,
    /// low, high or seq; null for a flush or a reader's other steps
    word: Option<&'static str>,
    value: Option<u32>,
    /// For a load: the id of the write it read
    from: Option<usize>,
    label: String,
}

#[derive(Serialize)]
struct EdgeJson {
    from: usize,
    to: usize,
    /// po, rf, co, fr or drain
    kind: &'static str,
}

fn json(execution: &Execution) -> ExecutionJson {
    ExecutionJson {
        events: execution
            .events
            .iter()
            .map(|event| EventJson {
                id: event.id,
                thread: event.thread.name(),
                kind: event.kind.id(),
                word: event.word.map(|word| word.name()),
                value: event.value,
                from: event.from,
                label: event.label.clone(),
            })
            .collect(),
        edges: execution
            .edges
            .iter()
            .map(|edge| EdgeJson { from: edge.from, to: edge.to, kind: edge.kind.id() })
            .collect(),
    }
}
