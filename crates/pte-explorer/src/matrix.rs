//! `matrix`: the barrier matrix of one scenario. Under SC, x86-TSO and the
//! weak model (whatever the scenario's own model), whether a read can tear
//! with the barriers as given and with each barrier site of the code
//! switched off alone, and the minimal sets of sites that prevent a torn
//! read.

use std::io::Write;

use pte_core::{
    Answer, Barrier, BarrierMatrix, MinimalSets, ModelRow, Scenario, Step, Torn, TornAnswer,
};
use serde::Serialize;

use crate::scenario_args::{scenario_and_base, warnings};
use crate::text::{hex64, origin, scenario_block, table};
use crate::{write_json_value, CliError, Exit, MatrixArgs};

pub fn run(args: &MatrixArgs, out: &mut dyn Write) -> Result<Exit, CliError> {
    let (scenario, base) = scenario_and_base(&args.source, &args.scenario)?;

    let matrix = pte_core::barrier_matrix(scenario.clone(), args.max_states)
        .map_err(CliError::invalid_scenario)?;
    if args.json {
        write_json(&matrix, args.max_states, out)?;
    } else {
        write_text(&origin(&base, &scenario), &matrix, args.max_states, out)?;
    }
    Ok(exit(&matrix))
}

/// 1 when the scenario's barriers tear under some model, 0 when they tear
/// under none (every answer complete), 3 when a limit left one open.
fn exit(matrix: &BarrierMatrix) -> Exit {
    let answers: Vec<&Answer> = matrix.models.iter().filter_map(|row| row.as_is.as_ref()).collect();
    if answers.iter().any(|answer| answer.torn.is_sometimes()) {
        Exit::TornRead
    } else if answers.len() == matrix.models.len()
        && answers.iter().all(|answer| answer.torn == TornAnswer::Never)
    {
        Exit::Clean
    } else {
        Exit::Incomplete
    }
}

/// A cell: "never", "TORN", or "unknown" when the limit stopped the search.
fn cell_text(answer: Option<&Answer>) -> &'static str {
    match answer.map(|answer| answer.torn.word()) {
        Some(Torn::Sometimes) if answer.is_some_and(Answer::compiler_only) => "TORN(cc)",
        Some(Torn::Sometimes) => "TORN",
        Some(Torn::Never) => "never",
        Some(Torn::Unknown) | None => "unknown",
    }
}

fn set_text(set: &[Barrier]) -> String {
    let ids: Vec<&str> = set.iter().map(|site| site.id()).collect();
    format!("{{{}}}", ids.join(", "))
}

/// The minimal sets in words, one set a line (the next ones start with
/// "or", indented to follow a five-character model column).
fn minimal_sets_text(sets: &MinimalSets, max_states: u32) -> String {
    match sets {
        MinimalSets::Pending => "not searched".to_owned(),
        MinimalSets::Undecided => {
            format!("undecided: an exploration stopped at the limit of {max_states} states")
        }
        MinimalSets::Decided(sets) if sets.is_empty() => {
            "none: no placement of barriers prevents a torn read".to_owned()
        }
        MinimalSets::Decided(sets) if sets.len() == 1 && sets[0].is_empty() => {
            "{}: no barrier is needed".to_owned()
        }
        MinimalSets::Decided(sets) => {
            let sets: Vec<String> = sets.iter().map(|set| set_text(set)).collect();
            sets.join("\n      or ")
        }
    }
}

fn write_text(
    origin: &str,
    matrix: &BarrierMatrix,
    max_states: u32,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    for line in scenario_block(origin, &matrix.scenario) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "can a read tear? with the barriers as given, and with each site switched off alone:"
    )?;
    let mut header = vec!["model".to_owned(), "as given".to_owned()];
    let mut off_already = false;
    for site in &matrix.sites {
        let on = matrix.scenario.barriers.is_on(*site);
        off_already |= !on;
        header.push(format!("{}{}", site.id(), if on { "" } else { "*" }));
    }
    let rows: Vec<Vec<String>> = matrix
        .models
        .iter()
        .map(|row| {
            let mut cells =
                vec![row.model.id().to_owned(), cell_text(row.as_is.as_ref()).to_owned()];
            cells.extend(row.without.iter().map(|cell| cell_text(cell.answer.as_ref()).to_owned()));
            cells
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let right = vec![false; header.len()];
    for line in table(&header, &right, &rows) {
        writeln!(out, "{line}")?;
    }
    if off_already {
        writeln!(out, "(* off in the scenario already: the column repeats the scenario's answer)")?;
    }
    if matrix.sites.is_empty() {
        writeln!(out, "(the scenario's code has no barrier site)")?;
    }
    let compiler_only = matrix.models.iter().any(|row| {
        row.as_is
            .iter()
            .chain(row.without.iter().filter_map(|cell| cell.answer.as_ref()))
            .any(Answer::compiler_only)
    });
    if compiler_only {
        writeln!(
            out,
            "(cc: torn only because of the compiler: the code as written never tears there, \
             so that barrier is there for the compiler)"
        )?;
    }

    writeln!(out)?;
    writeln!(out, "minimal sets of sites that, switched on alone, prevent a torn read:")?;
    for row in &matrix.models {
        writeln!(
            out,
            "  {:<5} {}",
            row.model.id(),
            minimal_sets_text(&row.minimal_sets, max_states)
        )?;
    }
    let never_needed = matrix.never_needed();
    if !never_needed.is_empty() {
        let ids: Vec<&str> = never_needed.iter().map(|site| site.id()).collect();
        writeln!(out, "never needed in this scenario, under any model: {}", ids.join(", "))?;
    }

    let groups: Vec<(String, &Answer)> = matrix.models.iter().flat_map(torn_groups).collect();
    if !groups.is_empty() {
        writeln!(out)?;
        writeln!(out, "torn: the value a shortest witness returns, and its steps")?;
        for (cells, answer) in groups {
            let Some(witness) = answer.torn.witness() else { continue };
            let steps = step_ids(&witness.steps);
            let form = match witness.form {
                0 => String::new(),
                form => format!(" (compiled form {form})"),
            };
            writeln!(
                out,
                "  {cells}: {}, {} steps{form}: {}",
                hex64(witness.value),
                steps.len(),
                steps.join(",")
            )?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} explorations, {} states; the other answers follow from them (fewer barriers never remove a result)",
        matrix.explorations, matrix.states
    )?;
    Ok(())
}

/// A row's torn cells, those with the same witness together (a cell the
/// law decided keeps the witness of the set it follows from):
/// ("weak as given, without zap_wmb1", answer).
fn torn_groups(row: &ModelRow) -> Vec<(String, &Answer)> {
    let as_is = row.as_is.iter().map(|answer| ("as given".to_owned(), answer));
    // A site already off repeats the row's own answer.
    let without = row.without.iter().filter(|cell| cell.on_in_scenario).filter_map(|cell| {
        cell.answer.as_ref().map(|answer| (format!("without {}", cell.barrier.id()), answer))
    });
    let mut groups: Vec<(Vec<String>, &Answer)> = Vec::new();
    for (label, answer) in as_is.chain(without) {
        if !answer.torn.is_sometimes() {
            continue;
        }
        match groups.iter_mut().find(|(_, known)| known.torn == answer.torn) {
            Some((labels, _)) => labels.push(label),
            None => groups.push((vec![label], answer)),
        }
    }
    groups
        .into_iter()
        .map(|(labels, answer)| (format!("{} {}", row.model.id(), labels.join(", ")), answer))
        .collect()
}

#[derive(Serialize)]
struct MatrixJson<'a> {
    scenario: &'a Scenario,
    /// The barrier sites the scenario's code contains, in column order.
    sites: Vec<&'static str>,
    models: Vec<ModelJson>,
    /// Sites in no minimal set of any model.
    never_needed: Vec<&'static str>,
    max_states: u32,
    explorations: u32,
    states: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct ModelJson {
    model: &'static str,
    /// With the scenario's barriers as given (no `explored`).
    #[serde(flatten)]
    as_is: AnswerJson,
    without: Vec<CellJson>,
    /// `null` when a state limit left them undecided.
    minimal_sets: Option<Vec<Vec<&'static str>>>,
}

#[derive(Serialize)]
struct CellJson {
    barrier: &'static str,
    /// False: the site is off in the scenario already.
    on_in_scenario: bool,
    #[serde(flatten)]
    answer: AnswerJson,
}

/// An [`Answer`]'s fields, as a model's row and a cell show them.
#[derive(Serialize)]
struct AnswerJson {
    torn: &'static str,
    complete: bool,
    /// Torn only because of the compiler (`Answer::compiler_only`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    compiler_only: bool,
    /// False: the answer follows from others without exploring (a cell's
    /// only; `None` for a model's answer as given).
    #[serde(skip_serializing_if = "Option::is_none")]
    explored: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    witness: Option<Vec<String>>,
    /// The compiled form the witness runs in (0: the code as written).
    #[serde(skip_serializing_if = "Option::is_none")]
    form: Option<usize>,
}

impl AnswerJson {
    /// `answer` with its `explored` flag when `with_explored`.
    fn of(answer: &Answer, with_explored: bool) -> AnswerJson {
        AnswerJson {
            torn: answer.torn.herd_id(),
            complete: answer.complete,
            compiler_only: answer.compiler_only(),
            explored: with_explored.then_some(answer.explored),
            value: answer.torn.witness().map(|witness| hex64(witness.value)),
            witness: answer.torn.witness().map(|witness| step_ids(&witness.steps)),
            form: answer.torn.witness().map(|witness| witness.form),
        }
    }
}

/// A witness's steps by their ids (`w1`, `r1.r0`, …).
fn step_ids(steps: &[Step]) -> Vec<String> {
    steps.iter().map(|step| step.id()).collect()
}

fn write_json(
    matrix: &BarrierMatrix,
    max_states: u32,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let ids = |sites: &[Barrier]| sites.iter().map(|site| site.id()).collect::<Vec<_>>();
    let models = matrix
        .models
        .iter()
        .map(|row| {
            // The search runs to the end, so every answer is there.
            let as_is = row.as_is.clone().unwrap_or(Answer {
                torn: TornAnswer::Unknown,
                complete: false,
                states: 0,
                explored: false,
            });
            ModelJson {
                model: row.model.id(),
                as_is: AnswerJson::of(&as_is, false),
                without: row
                    .without
                    .iter()
                    .filter_map(|cell| {
                        Some(CellJson {
                            barrier: cell.barrier.id(),
                            on_in_scenario: cell.on_in_scenario,
                            answer: AnswerJson::of(cell.answer.as_ref()?, true),
                        })
                    })
                    .collect(),
                minimal_sets: match &row.minimal_sets {
                    MinimalSets::Decided(sets) => Some(sets.iter().map(|set| ids(set)).collect()),
                    MinimalSets::Pending | MinimalSets::Undecided => None,
                },
            }
        })
        .collect();
    let json = MatrixJson {
        scenario: &matrix.scenario,
        sites: ids(&matrix.sites),
        models,
        never_needed: ids(&matrix.never_needed()),
        max_states,
        explorations: matrix.explorations,
        states: matrix.states,
        warnings: warnings(&matrix.scenario),
    };
    write_json_value(out, &json)
}
