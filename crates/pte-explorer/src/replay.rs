//! `replay`: take the steps of a trace file (or of `--steps` on a preset)
//! one at a time, printing each step and the machine state after it. The
//! first step that is not enabled ends the replay with an error that says
//! what it waits for.

use std::io::Write;

use pte_core::{parse_steps, Judged, Phase, Program, Register, Scenario, State, Trace, Word};
use serde::Serialize;

use crate::narrate::{narrate, Narration};
use crate::scenario_args::{base_scenario, read_file};
use crate::text::{
    hex32, hex64, origin, scenario_block, source_json, sources_line, state_lines, step_line,
    store_buffer, writer_progress, SourceJson,
};
use crate::{write_json_value, CliError, Exit, ReplayArgs};

pub fn run(args: &ReplayArgs, out: &mut dyn Write) -> Result<Exit, CliError> {
    let (mut scenario, form, ids, base) = match &args.file {
        Some(path) => {
            let text = read_file(path)?;
            let trace = Trace::from_json(&text)
                .map_err(|error| CliError::Input(format!("{}: {error}", path.display())))?;
            (trace.scenario, trace.form, trace.steps, path.display().to_string())
        }
        None => {
            let scenario = base_scenario(args.preset.as_deref(), None)?;
            let base = args.preset.clone().unwrap_or_else(|| "kernel".to_owned());
            (scenario, args.form.unwrap_or(0), args.steps.clone().unwrap_or_default(), base)
        }
    };
    let base = if args.scenario.is_empty() { base } else { format!("{base}, changed by flags") };
    args.scenario.apply(&mut scenario)?;
    let steps = parse_steps(ids.iter().map(String::as_str))
        .map_err(|error| CliError::Input(error.to_string()))?;
    let narration = narrate(scenario.clone(), form, &steps).map_err(CliError::invalid_scenario)?;

    if args.json {
        write_json(out, &scenario, &narration)?;
    } else {
        write_text(out, &origin(&base, &scenario), &scenario, &narration, steps.len())?;
    }
    if let Some(blocked) = &narration.not_enabled {
        return Err(CliError::Input(blocked.message()));
    }
    Ok(if narration.reads().any(|read| read.returned_torn()) {
        Exit::TornRead
    } else {
        Exit::Clean
    })
}

fn write_text(
    out: &mut dyn Write,
    origin: &str,
    scenario: &Scenario,
    narration: &Narration,
    total: usize,
) -> Result<(), CliError> {
    let program = narration.program();
    for line in scenario_block(origin, scenario) {
        writeln!(out, "{line}")?;
    }
    writeln!(out, "{}", sources_line())?;
    writeln!(out)?;
    writeln!(out, "initial state")?;
    for line in state_lines(program, &narration.initial()) {
        writeln!(out, "      {line}")?;
    }
    for (number, step) in narration.steps.iter().enumerate() {
        writeln!(out, "{:>4}. {}", number + 1, step_line(&step.text, step.source))?;
        for line in state_lines(program, &step.state) {
            writeln!(out, "      {line}")?;
        }
        if let Some(read) = &step.read {
            writeln!(out, "      → {}", read.summary())?;
        }
    }
    writeln!(out)?;
    let taken = narration.steps.len();
    let reads: Vec<&Judged> = narration.reads().collect();
    let torn = reads.iter().filter(|read| read.verdict.is_torn()).count();
    let finished = match narration.steps.last() {
        Some(step) if program.is_final(&step.state) => ", every thread finished",
        _ => "",
    };
    writeln!(
        out,
        "{taken} of {total} step(s) replayed{finished}; {} read(s) completed, {torn} torn",
        reads.len()
    )?;
    Ok(())
}

#[derive(Serialize)]
struct ReplayJson<'a> {
    scenario: &'a Scenario,
    initial: StateJson,
    steps: Vec<StepJson>,
    /// The first step that is not enabled, if one is not.
    error: Option<ErrorJson>,
    /// Every thread finished after the last step.
    finished: bool,
    /// A replayed read is torn.
    torn: bool,
}

#[derive(Serialize)]
struct ErrorJson {
    /// 1-based.
    number: usize,
    id: String,
    message: String,
}

#[derive(Serialize)]
struct StepJson {
    /// 1-based.
    number: usize,
    id: String,
    text: String,
    /// The kernel function the step stands for, if any.
    source: Option<SourceJson>,
    state: StateJson,
    read: Option<ReadJson>,
}

#[derive(Serialize)]
struct StateJson {
    low: WordJson,
    high: WordJson,
    /// The counter of each writer option that is on, named by its word:
    /// `seq` (the sequence counter), `count` (KVM's clear counter).
    #[serde(flatten)]
    counters: Counters,
    writer_done: Vec<String>,
    writer_to_do: Vec<String>,
    /// TSO only: the writer's store buffer, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    store_buffer: Option<Vec<String>>,
    readers: Vec<ReaderJson>,
}

#[derive(Serialize)]
struct CounterJson {
    value: u64,
    from: String,
}

/// The writer options' counters as fields of the state, in the options'
/// order.
struct Counters(Vec<(&'static str, CounterJson)>);

impl Serialize for Counters {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, counter) in &self.0 {
            map.serialize_entry(name, counter)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct WordJson {
    value: String,
    from: String,
}

#[derive(Serialize)]
struct ReaderJson {
    /// 1-based.
    reader: u8,
    /// The kind's id (`ReaderKind::id`).
    kind: &'static str,
    phase: &'static str,
    /// Hex, or null when the register holds nothing in this iteration (or
    /// the reader's kind has no such register).
    r0: Option<String>,
    r1: Option<String>,
    r2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    q0: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    q1: Option<String>,
    /// The sequence counter as the seqcount reader read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s2: Option<u64>,
    retries: u8,
}

#[derive(Serialize)]
struct ReadJson {
    reader: u8,
    value: String,
    verdict: &'static str,
    low_from: String,
    high_from: String,
    retries: u8,
    summary: String,
}

fn state_json(program: &Program, state: &State) -> StateJson {
    let word = |word: Word| WordJson {
        value: hex32(program.memory_value(state, word)),
        from: program.source(state.memory_tag(word)).to_string(),
    };
    let (writer_done, writer_to_do) = writer_progress(program, state);
    let register =
        |reader: u8, register: Register| program.register_value(state, reader, register).map(hex32);
    StateJson {
        low: word(Word::Low),
        high: word(Word::High),
        counters: Counters(
            program
                .options()
                .map(|option| {
                    let word = option.word;
                    let counter = CounterJson {
                        value: u64::from(program.memory_value(state, word)),
                        from: program.source(state.memory_tag(word)).to_string(),
                    };
                    (word.name(), counter)
                })
                .collect(),
        ),
        writer_done,
        writer_to_do,
        store_buffer: program.rules().store_buffer.then(|| store_buffer(program, state)),
        readers: (0..program.readers())
            .map(|reader| {
                let at = state.reader(reader);
                ReaderJson {
                    reader: reader + 1,
                    kind: program.reader_kind(reader).id(),
                    phase: match program.phase(state, reader) {
                        Phase::Start => "start",
                        Phase::Loop => "loop",
                        Phase::Returned => "returned",
                        Phase::Done => "done",
                    },
                    r0: register(reader, Register::R0),
                    r1: register(reader, Register::R1),
                    r2: register(reader, Register::R2),
                    q0: register(reader, Register::Q0),
                    q1: register(reader, Register::Q1),
                    s: program.register_value(state, reader, Register::S).map(u64::from),
                    s2: program.register_value(state, reader, Register::S2).map(u64::from),
                    retries: at.retries,
                }
            })
            .collect(),
    }
}

fn read_json(read: &Judged) -> ReadJson {
    ReadJson {
        reader: read.read.reader + 1,
        value: hex64(read.read.value),
        verdict: read.verdict.id(),
        low_from: read.read.low_source.to_string(),
        high_from: read.read.high_source.to_string(),
        retries: read.read.retries,
        summary: read.summary(),
    }
}

fn write_json(
    out: &mut dyn Write,
    scenario: &Scenario,
    narration: &Narration,
) -> Result<(), CliError> {
    let program = narration.program();
    let json = ReplayJson {
        scenario,
        initial: state_json(program, &narration.initial()),
        steps: narration
            .steps
            .iter()
            .enumerate()
            .map(|(index, step)| StepJson {
                number: index + 1,
                id: step.step.id(),
                text: step.text.clone(),
                source: source_json(step.source),
                state: state_json(program, &step.state),
                read: step.read.as_ref().map(read_json),
            })
            .collect(),
        error: narration.not_enabled.as_ref().map(|blocked| ErrorJson {
            number: blocked.index + 1,
            id: blocked.step.id(),
            message: blocked.message(),
        }),
        finished: narration.steps.last().is_some_and(|step| program.is_final(&step.state)),
        torn: narration.reads().any(|read| read.verdict.is_torn()),
    };
    write_json_value(out, &json)
}
