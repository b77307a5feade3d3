//! Text shared by the subcommands' human output: the scenario in two lines,
//! verdict labels, a machine state, aligned tables and wrapped paragraphs.

use pte_core::sources::{self, SourceRef};
use pte_core::writer;
use pte_core::{
    catalog, word_value, AccessKind, Barrier, BarrierOrigin, Barriers, Phase, Program, Pte,
    ReaderKind, Register, Scenario, State, Step, Word,
};
use serde::Serialize;

use crate::scenario_args::warnings;

/// A step's line with the kernel function it stands for, if any:
/// "writer: low ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/…]".
pub fn step_line(text: &str, source: Option<&SourceRef>) -> String {
    match source {
        Some(source) => format!("{text}  [{}]", source.cite()),
        None => text.to_owned(),
    }
}

/// The line that says at which tag the step lines' sources are.
pub fn sources_line() -> String {
    format!(
        "kernel sources at {}: {}/{}/source",
        sources::KERNEL_TAG,
        sources::SOURCE_BROWSER,
        sources::KERNEL_TAG
    )
}

/// A source reference in JSON output.
#[derive(Serialize)]
pub struct SourceJson {
    pub function: &'static str,
    pub file: &'static str,
    pub tag: &'static str,
    pub url: String,
}

pub fn source_json(source: Option<&SourceRef>) -> Option<SourceJson> {
    source.map(|source| SourceJson {
        function: source.function,
        file: source.file,
        tag: source.tag,
        url: source.url(),
    })
}

/// The first line of a scenario block: where the scenario came from.
pub fn origin_line(origin: &str) -> String {
    format!("scenario: {origin}")
}

/// How to name a scenario: the preset it equals, else what it was built from.
pub fn origin(base: &str, scenario: &Scenario) -> String {
    match catalog::matching(scenario) {
        Some(preset) => format!("{} ({})", preset.id, preset.title),
        None => base.to_owned(),
    }
}

/// "model sc, x86 PAE (present bit 0), writer [zap, flush, establish],
/// flush ipi, 1 reader, all barriers on"
pub fn setup_line(scenario: &Scenario) -> String {
    let layout = match scenario.arch() {
        Some(arch) => format!("{} (present bit {})", arch.title(), scenario.present_bit),
        None => format!("present bit {}", scenario.present_bit),
    };
    let writer: Vec<&str> = scenario.writer.iter().map(|op| op.id()).collect();
    let mut readers = match scenario.readers {
        1 => "1 reader".to_owned(),
        n => format!("{n} readers"),
    };
    if !scenario.reader_kinds.is_empty() {
        let kinds: Vec<&str> =
            (0..scenario.readers).map(|reader| scenario.reader_kind(reader).id()).collect();
        readers.push_str(&format!(" ({})", kinds.join(", ")));
    }
    let options: String = writer::options_on(scenario)
        .map(|option| format!(" with the {}", option.title.to_lowercase()))
        .collect();
    format!(
        "model {}, {layout}, writer [{}]{options}, flush {}, {readers}, {}",
        scenario.model.id(),
        writer.join(", "),
        scenario.flush.id(),
        barriers_text(scenario)
    )
}

/// "the kernel's barriers …", "the kernel's barriers without reader_rmb1", "Jason's
/// sketch without zap_wmb2", "all barriers off".
pub fn barriers_text(scenario: &Scenario) -> String {
    let barriers = scenario.barriers;
    let off = |keep: &dyn Fn(BarrierOrigin) -> bool| -> Vec<&str> {
        Barrier::ALL
            .into_iter()
            .filter(|site| keep(site.source()) && !barriers.is_on(*site))
            .map(Barrier::id)
            .collect()
    };
    let sketch = |origin| origin == BarrierOrigin::JasonSketch;
    let (others_off, sketch_off) = (off(&|origin| !sketch(origin)), off(&sketch));
    let sketch_sites = Barrier::ALL.into_iter().filter(|site| sketch(site.source())).count();
    match barriers {
        Barriers::KERNEL => "the kernel's barriers (Jason's trailing wmbs off)".to_owned(),
        Barriers::ALL_ON => "all barriers on (Jason's sketch)".to_owned(),
        Barriers::ALL_OFF => "all barriers off".to_owned(),
        _ if sketch_off.len() == sketch_sites => {
            format!("the kernel's barriers without {}", others_off.join(", "))
        }
        _ if others_off.is_empty() => format!("Jason's sketch without {}", sketch_off.join(", ")),
        _ => format!("barriers off: {}", off(&|_| true).join(", ")),
    }
}

/// "values: P0 = 0x…, Z = 0x…, P1 = 0x… (same low half)"
pub fn values_line(scenario: &Scenario) -> String {
    let values = &scenario.values;
    let mut parts = vec![format!("P0 = {}", values.p0), format!("Z = {}", values.z)];
    parts.extend(values.p.iter().enumerate().map(|(index, p)| format!("P{} = {p}", index + 1)));
    let same = if scenario.same_low() { " (same low half)" } else { "" };
    format!("values: {}{same}", parts.join(", "))
}

/// The scenario block every subcommand prints first.
pub fn scenario_block(origin: &str, scenario: &Scenario) -> Vec<String> {
    let mut lines = vec![
        origin_line(origin),
        format!("  {}", setup_line(scenario)),
        format!("  {}", values_line(scenario)),
    ];
    lines.extend(warnings(scenario).into_iter().map(|warning| format!("  warning: {warning}")));
    lines
}

pub fn hex32(value: u32) -> String {
    format!("0x{value:08x}")
}

pub fn hex64(value: Pte) -> String {
    value.to_string()
}

/// Where a reader is, for a person: its kind's words.
pub fn phase_text(phase: Phase, kind: ReaderKind) -> &'static str {
    kind.spec().phase_words(phase)
}

/// The value of a word in memory and the write it came from:
/// "0x00001067 from P0 (initial)".
pub fn memory_text(program: &Program, state: &State, word: Word) -> String {
    format!(
        "{} from {}",
        hex32(program.memory_value(state, word)),
        program.source(state.memory_tag(word))
    )
}

/// TSO: the store buffer, oldest first: "low ← 0x00000000 (Z)".
pub fn store_buffer(program: &Program, state: &State) -> Vec<String> {
    program
        .buffered(state)
        .map(|index| {
            let access = &program.accesses()[index];
            match access.kind {
                AccessKind::Store(word) => format!(
                    "{} ← {} ({})",
                    word.name(),
                    hex32(access.stored(word)),
                    access.value_name
                ),
                AccessKind::StoreBoth => format!("low,high ← {}", access.value),
                AccessKind::Flush => "flush".to_owned(),
            }
        })
        .collect()
}

/// The writer's accesses performed and still to do, as step ids.
pub fn writer_progress(program: &Program, state: &State) -> (Vec<String>, Vec<String>) {
    let (mut done, mut to_do) = (Vec::new(), Vec::new());
    for index in 0..program.accesses().len() {
        let id = Step::Writer(index as u8).id();
        if state.writer_performed(index) {
            done.push(id);
        } else {
            to_do.push(id);
        }
    }
    (done, to_do)
}

/// A register's value, or "—" when it holds nothing in this iteration.
pub fn register_text(program: &Program, state: &State, reader: u8, register: Register) -> String {
    program
        .register_value(state, reader, register)
        .map_or_else(|| "—".to_owned(), |value| word_value(register.word(), value))
}

/// The whole machine state, one line per part.
pub fn state_lines(program: &Program, state: &State) -> Vec<String> {
    let counters: String = program
        .options()
        .map(|option| {
            let word = option.word;
            format!(", {} = {}", word.name(), program.memory_value(state, word))
        })
        .collect();
    let mut lines = vec![format!(
        "memory: low = {}, high = {}{counters}",
        memory_text(program, state, Word::Low),
        memory_text(program, state, Word::High)
    )];
    let (done, to_do) = writer_progress(program, state);
    // Under TSO a store is done when it enters the store buffer; say so.
    let done_word = if program.rules().store_buffer { "issued" } else { "done" };
    lines.push(if to_do.is_empty() && done.is_empty() {
        "writer: no accesses".to_owned()
    } else if to_do.is_empty() {
        format!("writer: every access {done_word}")
    } else if done.is_empty() {
        format!("writer: to do {}", to_do.join(", "))
    } else {
        format!("writer: {done_word} {}; to do {}", done.join(", "), to_do.join(", "))
    });
    if program.rules().store_buffer {
        let buffered = store_buffer(program, state);
        lines.push(if buffered.is_empty() {
            "store buffer: empty".to_owned()
        } else {
            format!("store buffer (oldest first): {}", buffered.join(", "))
        });
    }
    for reader in 0..program.readers() {
        let at = state.reader(reader);
        let kind = program.reader_kind(reader);
        let phase = program.phase(state, reader);
        let named =
            if kind == ReaderKind::default() { String::new() } else { format!(" ({})", kind.id()) };
        let mut line = format!("reader {}{named}: {}", reader + 1, phase_text(phase, kind));
        if phase != Phase::Start {
            let registers: Vec<String> = program
                .reader_program(reader)
                .registers
                .iter()
                .map(|&register| {
                    format!(
                        "{} = {}",
                        register.name(),
                        register_text(program, state, reader, register)
                    )
                })
                .collect();
            let retries = match at.retries {
                1 => "1 retry".to_owned(),
                n => format!("{n} retries"),
            };
            line.push_str(&format!("; {}; {retries}", registers.join(", ")));
        }
        lines.push(line);
    }
    lines
}

/// Lays out rows under a header, columns two spaces apart; columns whose
/// `right` flag is set are right-aligned. Trailing spaces are trimmed.
pub fn table(header: &[&str], right: &[bool], rows: &[Vec<String>]) -> Vec<String> {
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut text = String::new();
        for (column, cell) in cells.iter().enumerate() {
            if column > 0 {
                text.push_str("  ");
            }
            let pad = widths[column].saturating_sub(cell.chars().count());
            if right.get(column).copied().unwrap_or(false) {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            }
        }
        text.trim_end().to_owned()
    };
    let mut lines = vec![line(header.to_vec())];
    lines.extend(rows.iter().map(|row| line(row.iter().map(String::as_str).collect())));
    lines
}

/// Wraps a paragraph at `width` columns, each line starting with `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let length = indent.chars().count() + line.chars().count();
        if !line.is_empty() && length + 1 + word.chars().count() > width {
            lines.push(format!("{indent}{line}"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(format!("{indent}{line}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::{table, wrap};

    #[test]
    fn wrap_keeps_words_whole_and_indents() {
        let lines = wrap("one two three four five six seven", 16, "  ");
        expect![[r#"
            [
                "  one two three",
                "  four five six",
                "  seven",
            ]
        "#]]
        .assert_debug_eq(&lines);
        assert!(lines.iter().all(|line| line.chars().count() <= 16));
        // A word longer than the width gets a line of its own.
        assert_eq!(wrap("a verylongword b", 6, ""), ["a", "verylongword", "b"]);
        assert!(wrap("   ", 10, "  ").is_empty());
    }

    #[test]
    fn table_aligns_columns() {
        let rows = vec![
            vec!["0x1".to_owned(), "12".to_owned(), "0–2".to_owned()],
            vec!["0x1067".to_owned(), "3".to_owned(), "x".to_owned()],
        ];
        expect![[r#"
            value   count  retries
            0x1        12  0–2
            0x1067      3  x"#]]
        .assert_eq(&table(&["value", "count", "retries"], &[false, true, false], &rows).join("\n"));
    }
}
