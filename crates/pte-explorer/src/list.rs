//! `list`: the catalog of presets, each with its explanation, its scenario
//! and what `check` answers for it.

use std::io::Write;

use pte_core::{catalog, explore, Barriers, Scenario, TornAnswer};
use serde::Serialize;

use crate::text::{barriers_text, wrap};
use crate::{write_json_value, CliError, Exit, ListArgs};

/// Explanations wrap at this many columns.
const WIDTH: usize = 88;

pub fn run(args: &ListArgs, out: &mut dyn Write) -> Result<Exit, CliError> {
    let entries = catalog::presets()
        .iter()
        .map(|preset| {
            let scenario = preset.scenario();
            // Every preset explores in well under a millisecond in a release build.
            let report = explore(scenario.clone()).map_err(|error| {
                CliError::Input(format!("preset {}: invalid scenario: {error}", preset.id))
            })?;
            Ok(Entry { preset, scenario, torn: report.torn(), states: report.states })
        })
        .collect::<Result<Vec<_>, CliError>>()?;
    if args.json { write_json(out, &entries) } else { write_text(out, &entries) }?;
    Ok(Exit::Clean)
}

struct Entry {
    preset: &'static catalog::Preset,
    scenario: Scenario,
    torn: TornAnswer,
    states: u64,
}

fn write_text(out: &mut dyn Write, entries: &[Entry]) -> Result<(), CliError> {
    for (index, entry) in entries.iter().enumerate() {
        if index > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{} — {}", entry.preset.id, entry.preset.title)?;
        let scenario = &entry.scenario;
        let barriers = if scenario.barriers == Barriers::KERNEL {
            String::new()
        } else {
            format!(", {}", barriers_text(scenario))
        };
        writeln!(
            out,
            "    model {}, flush {}{barriers}; torn read: {} ({} states)",
            scenario.model.id(),
            scenario.flush.id(),
            entry.torn,
            entry.states
        )?;
        for line in wrap(entry.preset.explanation, WIDTH, "    ") {
            writeln!(out, "{line}")?;
        }
        for message in entry.preset.messages {
            writeln!(out, "    {}: {}", message.author, message.url())?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct EntryJson<'a> {
    id: &'static str,
    title: &'static str,
    explanation: &'static str,
    messages: Vec<MessageJson>,
    model: &'static str,
    flush: &'static str,
    /// What `check` answers: "never" or "sometimes".
    torn: &'static str,
    scenario: &'a Scenario,
}

#[derive(Serialize)]
struct MessageJson {
    author: &'static str,
    topic: &'static str,
    message_id: &'static str,
    url: String,
}

fn write_json(out: &mut dyn Write, entries: &[Entry]) -> Result<(), CliError> {
    let json: Vec<EntryJson<'_>> = entries
        .iter()
        .map(|entry| EntryJson {
            id: entry.preset.id,
            title: entry.preset.title,
            explanation: entry.preset.explanation,
            messages: entry
                .preset
                .messages
                .iter()
                .map(|message| MessageJson {
                    author: message.author,
                    topic: message.topic,
                    message_id: message.message_id,
                    url: message.url(),
                })
                .collect(),
            model: entry.scenario.model.id(),
            flush: entry.scenario.flush.id(),
            torn: entry.torn.herd_id(),
            scenario: &entry.scenario,
        })
        .collect();
    write_json_value(out, &json)
}
