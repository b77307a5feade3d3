//! `check`: explore every reachable state of one scenario and answer "can a
//! torn read happen?", with a table of read results and, for each torn one,
//! its witness step by step.

use std::io::Write;

use pte_core::{link, Explorer, Outcome, Report, Scenario, Torn, TornAnswer, Trace, Verdict};
use serde::Serialize;

use crate::narrate::{narrate, Narration};
use crate::scenario_args::{scenario_and_base, warnings, write_file};
use crate::text::{
    hex32, hex64, origin, scenario_block, source_json, sources_line, step_line, table, SourceJson,
};
use crate::{write_json_value, CheckArgs, CliError, Exit};

pub fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<Exit, CliError> {
    let (scenario, base) = scenario_and_base(&args.source, &args.scenario)?;
    let origin = origin(&base, &scenario);

    let mut explorer = Explorer::new(scenario.clone())
        .map_err(CliError::invalid_scenario)?
        .with_max_states(args.max_states);
    explorer.run_to_end();
    let report = explorer.report();
    let results = report
        .outcomes
        .iter()
        .map(|outcome| Checked::new(&scenario, outcome))
        .collect::<Result<Vec<_>, _>>()?;

    let saved = match &args.save_witness {
        None => Saved::NotAsked,
        Some(path) => match results.iter().find(|result| result.outcome.returned_torn()) {
            None => Saved::NoTornRead { path: path.display().to_string() },
            Some(torn) => {
                let outcome = torn.outcome;
                let trace = Trace::compiled(scenario.clone(), outcome.form, &outcome.witness);
                write_file(path, &(trace.to_json() + "\n"))?;
                Saved::Written { path: path.display().to_string(), value: torn.outcome.value }
            }
        },
    };

    let links = args.link.then(|| Links::new(&args.base_url, &scenario, &results));
    let checked = CheckOutput {
        origin: &origin,
        scenario: &scenario,
        max_states: args.max_states,
        report: &report,
        results: &results,
        saved: &saved,
        links: links.as_ref(),
    };
    if args.json {
        checked.write_json(out)?;
    } else {
        checked.write_text(out)?;
    }
    Ok(exit(&report))
}

/// Exit 1 when a torn read was found, even by an incomplete search; 3 when
/// the search stopped early without finding one.
fn exit(report: &Report) -> Exit {
    match report.torn() {
        TornAnswer::Sometimes(_) => Exit::TornRead,
        TornAnswer::Never => Exit::Clean,
        TornAnswer::Unknown => Exit::Incomplete,
    }
}

/// One read result with its witness replayed.
struct Checked<'a> {
    outcome: &'a Outcome,
    narration: Narration,
}

impl<'a> Checked<'a> {
    fn new(scenario: &Scenario, outcome: &'a Outcome) -> Result<Checked<'a>, CliError> {
        let narration = narrate(scenario.clone(), outcome.form, &outcome.witness)
            .map_err(CliError::invalid_scenario)?;
        if let Some(blocked) = &narration.not_enabled {
            // The explorer and the session share one transition relation, so
            // this would be a bug in the core; say so rather than panic.
            return Err(CliError::Input(format!(
                "the witness for {} does not replay: {}",
                outcome.value,
                blocked.message()
            )));
        }
        Ok(Checked { outcome, narration })
    }
}

enum Saved {
    NotAsked,
    NoTornRead { path: String },
    Written { path: String, value: pte_core::Pte },
}

/// Permalinks into the web explorer: the scenario, and each result's witness.
struct Links {
    scenario: String,
    witnesses: Vec<String>,
}

impl Links {
    fn new(base_url: &str, scenario: &Scenario, results: &[Checked<'_>]) -> Links {
        let url = |form: usize, steps: &[pte_core::Step]| {
            format!("{base_url}#{}", link::encode_compiled(scenario, form, steps))
        };
        Links {
            scenario: url(0, &[]),
            witnesses: results
                .iter()
                .map(|result| url(result.outcome.form, &result.outcome.witness))
                .collect(),
        }
    }
}

/// Everything the report shows.
struct CheckOutput<'a> {
    origin: &'a str,
    scenario: &'a Scenario,
    max_states: u32,
    report: &'a Report,
    results: &'a [Checked<'a>],
    saved: &'a Saved,
    links: Option<&'a Links>,
}

impl CheckOutput<'_> {
    fn write_text(&self, out: &mut dyn Write) -> Result<(), CliError> {
        let CheckOutput { origin, scenario, max_states, report, results, saved, links } = *self;
        for line in scenario_block(origin, scenario) {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
        let limit = format!("the limit of {max_states} states");
        let answer = match (report.torn().word(), report.complete) {
            (Torn::Unknown, _) => {
                format!("none found, but the search is INCOMPLETE: it stopped at {limit}")
            }
            (answer, true) => answer.to_string(),
            (answer, false) => format!("{answer} (the search stopped at {limit})"),
        };
        writeln!(out, "torn read: {answer}")?;
        writeln!(out)?;

        let rows: Vec<Vec<String>> = results
            .iter()
            .map(|result| {
                let outcome = result.outcome;
                vec![
                    hex64(outcome.value),
                    outcome.result().label(outcome.verdict),
                    outcome.occurrences.to_string(),
                    outcome.read.retries.to_string(),
                    outcome.read.low_source.to_string(),
                    outcome.read.high_source.to_string(),
                ]
            })
            .collect();
        let header = ["value", "verdict", "occurrences", "retries", "low from", "high from"];
        for line in table(&header, &[false, false, true, false, false, false], &rows) {
            writeln!(out, "{line}")?;
        }
        writeln!(out, "(retries, low from, high from: those of the shortest witness)")?;

        for (index, result) in results.iter().enumerate() {
            if !result.outcome.verdict.is_torn() {
                continue;
            }
            writeln!(out)?;
            let what =
                if result.outcome.returned { "is torn" } else { "was read torn, then backed off" };
            writeln!(
                out,
                "witness: {} {what}, reached in {} steps ({})",
                result.outcome.value,
                result.narration.steps.len(),
                sources_line()
            )?;
            let changes = result.narration.program().compiled_changes();
            if !changes.is_empty() {
                writeln!(
                    out,
                    "      compiled form {} (only the compiler makes this read possible):",
                    result.outcome.form
                )?;
                for change in changes {
                    writeln!(out, "      - {change}")?;
                }
            }
            for (number, step) in result.narration.steps.iter().enumerate() {
                writeln!(out, "{:>4}. {}", number + 1, step_line(&step.text, step.source))?;
                if let Some(read) = &step.read {
                    writeln!(out, "      → {}", read.summary())?;
                }
            }
            if let Some(links) = links {
                writeln!(out, "      link: {}", links.witnesses[index])?;
            }
        }

        writeln!(out)?;
        writeln!(out, "{} states, {} transitions", report.states, report.transitions)?;
        match saved {
            Saved::NotAsked => {}
            Saved::NoTornRead { path } => writeln!(out, "no torn read: nothing written to {path}")?,
            Saved::Written { path, value } => writeln!(
                out,
                "witness of {value} saved to {path} (`pte-explorer replay {path}` replays it)"
            )?,
        }
        if let Some(links) = links {
            writeln!(out, "link: {}", links.scenario)?;
        }
        Ok(())
    }

    fn write_json(&self, out: &mut dyn Write) -> Result<(), CliError> {
        let CheckOutput { scenario, max_states, report, results, saved, links, .. } = *self;
        let results = results
            .iter()
            .enumerate()
            .map(|(index, result)| {
                let outcome = result.outcome;
                ResultJson {
                    value: hex64(outcome.value),
                    low: hex32(outcome.value.low()),
                    high: hex32(outcome.value.high()),
                    verdict: outcome.verdict.id(),
                    returned: outcome.returned,
                    reestablished: match outcome.verdict {
                        Verdict::Reestablished(n) => Some(n),
                        _ => None,
                    },
                    occurrences: outcome.occurrences,
                    retries: outcome.read.retries,
                    reader: outcome.read.reader + 1,
                    low_from: outcome.read.low_source.to_string(),
                    high_from: outcome.read.high_source.to_string(),
                    witness: outcome.witness.iter().map(|step| step.id()).collect(),
                    form: outcome.form,
                    compiled: result.narration.program().compiled_changes(),
                    witness_text: result
                        .narration
                        .steps
                        .iter()
                        .map(|step| step.text.clone())
                        .collect(),
                    witness_sources: result
                        .narration
                        .steps
                        .iter()
                        .map(|step| source_json(step.source))
                        .collect(),
                    link: links.map(|links| links.witnesses[index].clone()),
                }
            })
            .collect();
        let json = CheckJson {
            scenario,
            torn: report.torn().herd_id(),
            complete: report.complete,
            max_states,
            states: report.states,
            transitions: report.transitions,
            results,
            warnings: warnings(scenario),
            link: links.map(|links| links.scenario.clone()),
            saved_witness: match saved {
                Saved::Written { path, .. } => Some(path.clone()),
                Saved::NotAsked | Saved::NoTornRead { .. } => None,
            },
        };
        write_json_value(out, &json)
    }
}

#[derive(Serialize)]
struct CheckJson<'a> {
    scenario: &'a Scenario,
    /// "never" or "sometimes" (among the states explored).
    torn: &'static str,
    complete: bool,
    max_states: u32,
    states: u64,
    transitions: u64,
    results: Vec<ResultJson>,
    /// What is allowed but worth knowing (a seqcount reader without the
    /// sequence-counter writer).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<String>,
    /// The trace file written by --save-witness, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    saved_witness: Option<String>,
}

#[derive(Serialize)]
struct ResultJson {
    value: String,
    low: String,
    high: String,
    /// [`Verdict::id`]: not_present, pre_zap, reestablished, torn.
    verdict: &'static str,
    /// False: the reader read `value` and backed off instead of returning
    /// it (GUP-fast's re-check); "torn" then asks about returned values only.
    returned: bool,
    /// n of Pn for a re-established value.
    reestablished: Option<u8>,
    occurrences: u64,
    /// The witness's reader (1-based), its retries, and the writes its
    /// halves came from.
    reader: u8,
    retries: u8,
    low_from: String,
    high_from: String,
    /// Step ids, as in trace files.
    witness: Vec<String>,
    /// The compiled form the witness runs in (0: the code as written;
    /// `replay --form`), and what the compiler changed in it.
    form: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    compiled: Vec<String>,
    /// Each step described from the state it was taken in.
    witness_text: Vec<String>,
    /// The kernel function each step stands for (null for the mirrored
    /// establish, which no kernel has).
    witness_sources: Vec<Option<SourceJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<String>,
}
