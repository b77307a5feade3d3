//! `litmus`: the scenario as a C litmus test for herd7 and the Linux-kernel
//! memory model, printed or written to a file (`-o`).

use std::io::Write;

use pte_core::{catalog, litmus, FlushMode};

use crate::scenario_args::{scenario_and_base, write_file};
use crate::{CliError, Exit, LitmusArgs};

pub fn run(args: &LitmusArgs, out: &mut dyn Write) -> Result<Exit, CliError> {
    let (scenario, _) = scenario_and_base(&args.source, &args.scenario)?;
    let name = match &args.name {
        Some(name) => name.clone(),
        None => default_name(args, &scenario),
    };
    let expected = litmus::expected_result(&scenario);
    let text = litmus::export_with_result(&scenario, &name, expected)
        .map_err(|error| CliError::Input(format!("cannot export a litmus test: {error}")))?;
    match &args.output {
        None => out.write_all(text.as_bytes())?,
        Some(path) => {
            write_file(path, &text)?;
            let path = path.display();
            writeln!(out, "wrote {path} (test {name})")?;
            writeln!(
                out,
                "run it from the kernel's tools/memory-model: {} {path}",
                litmus::HERD_COMMAND
            )?;
            if scenario.flush == FlushMode::Ipi {
                writeln!(out, "note: {}", litmus::IPI_NOTE)?;
            }
        }
    }
    Ok(Exit::Clean)
}

/// `pte-<id>` for a scenario that is a catalog preset, the file's name for
/// a scenario file, else `pte-<base>-changed` or `pte-scenario`.
fn default_name(args: &LitmusArgs, scenario: &pte_core::Scenario) -> String {
    if let Some(preset) = catalog::matching(scenario) {
        return format!("pte-{}", preset.id);
    }
    match (&args.source.preset, &args.source.file) {
        (_, Some(path)) => litmus::test_name(
            &path.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default(),
        ),
        (Some(id), None) => litmus::test_name(&format!("pte-{id}-changed")),
        (None, None) => "pte-scenario".to_owned(),
    }
}
