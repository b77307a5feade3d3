//! `mail`: a torn witness (or a saved trace) as plain text for an email
//! body, from `pte_core::mail`: the interleaving in the kernel's columns,
//! the outcome and why, at most 72 columns.

use std::io::Write;

use pte_core::{catalog, mail, Explorer, Scenario, Session, Step, TornAnswer, Trace};

use crate::scenario_args::{read_file, scenario_and_base};
use crate::{CliError, Exit, MailArgs};

pub fn run(args: &MailArgs, out: &mut dyn Write) -> Result<Exit, CliError> {
    let (scenario, form, base, steps, exit) = match &args.trace {
        Some(path) => {
            if !args.scenario.is_empty() {
                return Err(CliError::Input(
                    "--trace: the trace file holds its scenario; give no scenario flags".to_owned(),
                ));
            }
            let trace = Trace::from_json(&read_file(path)?)
                .map_err(|error| CliError::Input(format!("{}: {error}", path.display())))?;
            let steps = trace.parsed_steps().map_err(|error| CliError::Input(error.to_string()))?;
            let base = path.display().to_string();
            (trace.scenario, trace.form, base, steps, None)
        }
        None => {
            let (scenario, base) = scenario_and_base(&args.source, &args.scenario)?;
            let mut explorer = Explorer::new(scenario.clone())
                .map_err(CliError::invalid_scenario)?
                .with_max_states(args.max_states);
            explorer.run_to_end();
            let report = explorer.report();
            match report.outcomes.iter().find(|outcome| outcome.returned_torn()) {
                Some(torn) => {
                    (scenario, torn.form, base, torn.witness.clone(), Some(Exit::TornRead))
                }
                None => {
                    // As check's: no torn read is 0 from a complete search, 3 from
                    // one cut at the state limit.
                    let exit = match report.torn() {
                        TornAnswer::Never => Exit::Clean,
                        TornAnswer::Sometimes(_) | TornAnswer::Unknown => Exit::Incomplete,
                    };
                    let why = if report.complete {
                        "the exploration was complete".to_owned()
                    } else {
                        format!(
                            "but the search stopped at the limit of {} states (raise --max-states)",
                            args.max_states
                        )
                    };
                    writeln!(
                        out,
                        "no read of {base} returns a torn value ({why}): nothing to mail"
                    )?;
                    return Ok(exit);
                }
            }
        }
    };
    let text = text(&scenario, form, &base, &steps, args)?;
    out.write_all(text.as_bytes())?;
    Ok(match exit {
        Some(exit) => exit,
        None => replayed_exit(&scenario, form, &steps)?,
    })
}

/// A saved trace exits as `replay` does: 1 when its last read is torn.
fn replayed_exit(scenario: &Scenario, form: usize, steps: &[Step]) -> Result<Exit, CliError> {
    let mut session =
        Session::compiled(scenario.clone(), form).map_err(CliError::invalid_scenario)?;
    session.replay(steps).map_err(|error| CliError::Input(error.to_string()))?;
    let torn = session.completed_reads().last().is_some_and(|judged| judged.returned_torn());
    Ok(if torn { Exit::TornRead } else { Exit::Clean })
}

/// The text, named after the preset the scenario is (as the page names it),
/// else after where it came from.
fn text(
    scenario: &Scenario,
    form: usize,
    base: &str,
    steps: &[Step],
    args: &MailArgs,
) -> Result<String, CliError> {
    let name = catalog::matching(scenario).map_or(base, |preset| preset.id);
    let options = mail::Options {
        name,
        address: &args.base_url,
        style: args.style,
        charset: if args.utf8 { mail::Charset::Utf8 } else { mail::Charset::Ascii },
    };
    mail::text(scenario, form, steps, &options).map_err(|error| CliError::Input(error.to_string()))
}
