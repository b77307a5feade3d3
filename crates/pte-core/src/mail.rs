//! A trace as plain text for an email body, in the kernel's own
//! conventions, so a reviewer can paste the race into a reply:
//!
//! - a header line (scenario, memory model) and the permalink;
//! - the interleaving in columns, one CPU a column (the writer first), one
//!   event a line, so that the vertical order is the interleaving: the
//!   `lockdep` layout is `print_circular_lock_scenario()`'s in
//!   `kernel/locking/lockdep.c` (`CPU0`/`CPU1` headers at columns 7 and 31
//!   underlined with `----`, the left column's lines at column 2, the right
//!   column's at 31), the `barriers` layout is
//!   `Documentation/memory-barriers.txt`'s (`CPU 1`/`CPU 2` at columns 8
//!   and 30 underlined with `=`, the initial state in `{ }` under the
//!   header);
//! - the outcome (which reader returned what, its verdict, where each half
//!   came from);
//! - "Why": the events that matter as a chain in the style of
//!   `tools/memory-model/Documentation/explanation.txt` ("A: … executes
//!   before / B: …"), with the reads-from and from-reads links and, where
//!   the memory model let a step go early, the barrier switched off that
//!   allowed it (`relaxation.rs`).
//!
//! Every line is at most [`WIDTH`] columns except the permalink, a URL alone
//! on its line (a URL cannot be wrapped). When the columns do not fit side
//! by side, the layout folds them and says how; a line is never wrapped.
//! The code of each step is `pte_core::listing`'s, never a copy. Pure text:
//! the CLI prints it, the page copies it.

use crate::execution::{EdgeKind, Execution, Thread};
use crate::link;
use crate::listing::{self, LineKind};
use crate::machine::{word_value, Step};
use crate::program::{AccessKind, Program, Register, Source, Word};
use crate::readers::Effect;
use crate::relaxation::{Relaxation, Unordered};
use crate::scenario::{Barrier, Pte, Scenario};
use crate::session::{ReplayError, Session};
use crate::short_sort;
use crate::verdict::Judged;
use crate::writer;

/// The mailing-list width: no line but the permalink is longer.
pub const WIDTH: usize = 72;

/// The column layout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Style {
    /// lockdep's "Possible unsafe locking scenario".
    #[default]
    Lockdep,
    /// `Documentation/memory-barriers.txt`'s CPU columns.
    Barriers,
}

impl Style {
    pub const ALL: [Style; 2] = [Style::Lockdep, Style::Barriers];

    /// The name on the command line and in the page.
    pub fn id(self) -> &'static str {
        match self {
            Style::Lockdep => "lockdep",
            Style::Barriers => "barriers",
        }
    }

    /// Where column `index`'s lines start when nothing forces them left:
    /// lockdep prints its right column at 31, memory-barriers.txt at two
    /// tabs and six spaces (30). Columns the conventions do not have follow
    /// at the same step.
    fn column_start(self, index: usize) -> usize {
        match self {
            Style::Lockdep => 2 + 29 * index,
            Style::Barriers => 8 + 22 * index,
        }
    }

    /// Where column `index`'s header sits (lockdep indents its first
    /// header past its lines).
    fn header_start(self, index: usize, start: usize) -> usize {
        match (self, index) {
            (Style::Lockdep, 0) => 7,
            _ => start,
        }
    }

    /// The CPU's name in this convention: lockdep counts from 0,
    /// memory-barriers.txt from 1. The writer is the first CPU.
    pub fn cpu(self, thread: Thread) -> String {
        let index = match thread {
            Thread::Init | Thread::Writer => 0,
            Thread::Reader(reader) => u32::from(reader) + 1,
        };
        match self {
            Style::Lockdep => format!("CPU{index}"),
            Style::Barriers => format!("CPU {}", index + 1),
        }
    }

    fn underline(self, label: &str) -> String {
        match self {
            Style::Lockdep => "-".repeat(label.len()),
            Style::Barriers => "=".repeat(15),
        }
    }
}

/// Which characters the text may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Charset {
    /// Pure ASCII: what every mail client and `git send-email` take.
    #[default]
    Ascii,
    /// Arrows as `→` (in comments and relations; the C code keeps `->`).
    Utf8,
}

impl Charset {
    fn arrow(self) -> &'static str {
        match self {
            Charset::Ascii => "->",
            Charset::Utf8 => "\u{2192}",
        }
    }
}

/// What the caller says about the text beyond the scenario and trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options<'a> {
    /// The scenario's name: a preset id, "kernel, changed by flags", ….
    pub name: &'a str,
    /// The page's address; the permalink is `{address}#{query}`.
    pub address: &'a str,
    pub style: Style,
    pub charset: Charset,
}

/// One line of the interleaving: a thread's event (a step, an enabled
/// barrier, the retry or the return).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    thread: Thread,
    text: String,
}

/// The email body for `steps` taken in `scenario` compiled in its form
/// `form` (0: as written; [`crate::Program::compiled`]). The steps must
/// replay; the error says which does not.
pub fn text(
    scenario: &Scenario,
    form: usize,
    steps: &[Step],
    options: &Options<'_>,
) -> Result<String, ReplayError> {
    let mut session = Session::compiled(scenario.clone(), form).map_err(ReplayError::Scenario)?;
    session.replay(steps)?;
    let program = session.program();
    let execution = Execution::of(program, steps)?;
    let style = options.style;
    let mut out: Vec<String> = Vec::new();

    out.push(header_line(options.name, scenario));
    out.push(format!("{}#{}", options.address, link::encode_compiled(scenario, form, steps)));
    out.push(String::new());

    let rows = interleaving(&session, options.charset);
    let threads = threads_of(&rows);
    let initial = initial_state(scenario);
    let layout = Layout::of(style, &threads, &rows);
    if let Some(note) = &layout.note {
        out.extend(fill(note, 0));
        out.push(String::new());
    }
    match style {
        Style::Lockdep => {
            out.push(format!(" Initially {initial}"));
            out.push(String::new());
            out.push(" Possible torn read scenario:".to_owned());
            out.push(String::new());
            out.extend(layout.header(style));
        }
        Style::Barriers => {
            out.extend(layout.header(style));
            out.push(format!("{}{initial}", " ".repeat(style.column_start(0))));
        }
    }
    for row in &rows {
        out.push(layout.line(style, row));
    }
    out.push(String::new());
    out.extend(legend(program, &threads, style));
    let changes = program.compiled_changes();
    if !changes.is_empty() {
        out.push(String::new());
        out.extend(fill("Compiled: the code above runs as the compiler may emit it:", 0));
        for change in &changes {
            let change = match options.charset {
                Charset::Ascii => change.replace('\u{2190}', "<-"),
                Charset::Utf8 => change.clone(),
            };
            out.extend(fill(&format!("- {change}"), 2));
        }
    }

    let completed = session
        .judged_reads()
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, judged)| judged.map(|judged| (index, judged)));
    match completed {
        None => {
            out.push(String::new());
            out.extend(fill("Outcome: no read completes in this trace.", 0));
        }
        Some((index, judged)) => {
            if judged.returned_torn() {
                out.push(String::new());
                out.push(" *** TORN READ ***".to_owned());
            }
            out.push(String::new());
            out.extend(outcome(&judged, style));
            out.push(String::new());
            out.extend(why(&session, &execution, index, &judged, options));
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    Ok(text)
}

/// "pte-explorer: same-low-none, sequential consistency", cut from the
/// front of the name when it would pass the width.
fn header_line(name: &str, scenario: &Scenario) -> String {
    // The settings the scenario runs under, in order. The compiler setting
    // (../shared/spec/COMPILER.md) joins this list, after the model, once
    // the scenario has one.
    let settings = [scenario.model.title()];
    let tail = format!(", {}", settings.join(", "));
    let prefix = "pte-explorer: ";
    let room = WIDTH.saturating_sub(prefix.len() + tail.len());
    let name = if name.len() <= room {
        name.to_owned()
    } else {
        let keep = room.saturating_sub(3);
        let cut = name.len() - keep;
        let cut = (cut..name.len()).find(|at| name.is_char_boundary(*at)).unwrap_or(name.len());
        format!("...{}", &name[cut..])
    };
    format!("{prefix}{name}{tail}")
}

/// `{ ptep->pte == 0x0000000100001067 }`, with the counter of each writer
/// option that is on (`seq`, `count`).
fn initial_state(scenario: &Scenario) -> String {
    let counters: String = writer::options_on(scenario)
        .map(|option| format!(", {} == 0", option.word.name()))
        .collect();
    format!("{{ ptep->pte == {}{counters} }}", scenario.values.p0)
}

/// The threads that have a line, the writer first.
fn threads_of(rows: &[Row]) -> Vec<Thread> {
    let mut threads = vec![Thread::Writer];
    for row in rows {
        add_once(&mut threads, row.thread);
    }
    short_sort::sort(&mut threads);
    threads
}

/// Each step's line, the enabled barriers before the first step they order,
/// a `retry:` after a failed test and the `return` after a returned read.
fn interleaving(session: &Session, charset: Charset) -> Vec<Row> {
    let program = session.program();
    let scenario = program.scenario();
    let steps = session.all_steps();
    let writer_blocks = listing::writer_blocks(program);
    let writer_code = |step: Step| {
        writer_blocks
            .iter()
            .flat_map(|block| &block.lines)
            .find(|line| line.kind == LineKind::Step(step))
            .map(|line| line.code.clone())
    };
    let reader_listings: Vec<Vec<listing::Line>> =
        (0..program.readers()).map(|reader| listing::reader_lines(program, reader)).collect();
    let barrier_code = |thread: Thread, barrier: Barrier| match thread {
        Thread::Reader(reader) => reader_listings[usize::from(reader)]
            .iter()
            .find(|line| line.kind == LineKind::Barrier(barrier))
            .map(|line| line.code.clone()),
        _ => writer_blocks
            .iter()
            .flat_map(|block| &block.lines)
            .find(|line| line.kind == LineKind::Barrier(barrier))
            .map(|line| line.code.clone()),
    };

    let mut rows = Vec::new();
    // Enabled barrier sites already shown: the writer's by access index,
    // each reader's by (block, item) in its current attempt.
    // Short lists rather than sets: each set type would put a copy of the
    // B-tree's code into the page's WebAssembly (see short_sort).
    let mut writer_shown: Vec<(usize, Barrier)> = Vec::new();
    let mut reader_shown: Vec<Vec<(usize, usize)>> =
        vec![Vec::new(); usize::from(program.readers())];
    for (index, step) in steps.iter().enumerate() {
        let (Some(before), Some(after)) =
            (session.state_after(index), session.state_after(index + 1))
        else {
            break;
        };
        match *step {
            Step::Writer(access_index) => {
                let later = usize::from(access_index);
                for (earlier, access) in program.accesses().iter().enumerate().take(later) {
                    for barrier in access.wmbs_after() {
                        if scenario.barriers.is_on(barrier)
                            && add_once(&mut writer_shown, (earlier, barrier))
                        {
                            if let Some(code) = barrier_code(Thread::Writer, barrier) {
                                rows.push(Row { thread: Thread::Writer, text: code });
                            }
                        }
                    }
                }
                let access = program.accesses()[later];
                let code = writer_code(*step).unwrap_or_else(|| program.name(*step));
                let text = match access.kind {
                    AccessKind::Store(Word::Seq | Word::Count) | AccessKind::Flush => code,
                    AccessKind::Store(_) | AccessKind::StoreBoth => {
                        format!("{code} /* {} */", access.value_name)
                    }
                };
                rows.push(Row { thread: Thread::Writer, text });
            }
            Step::Drain => {
                let text = match program.buffered(before).next() {
                    Some(drained) => {
                        let access = program.accesses()[drained];
                        let word = Word::ALL.into_iter().find(|word| access.touches(*word));
                        match word {
                            Some(word) => format!(
                                "/* store buffer {} {} = {} */",
                                charset.arrow(),
                                word.c_field(),
                                word_value(word, access.stored(word))
                            ),
                            None => "/* store buffer drains */".to_owned(),
                        }
                    }
                    None => "/* store buffer drains */".to_owned(),
                };
                rows.push(Row { thread: Thread::Writer, text });
            }
            Step::Reader { reader, action } => {
                let thread = Thread::Reader(reader);
                let compiled = program.reader_program(reader);
                let listing = &reader_listings[usize::from(reader)];
                let Some((block, item)) = compiled.locate(action) else { continue };
                let shown = &mut reader_shown[usize::from(reader)];
                for (earlier_block, block_items) in
                    compiled.blocks.iter().enumerate().take(block + 1)
                {
                    let end = if earlier_block == block { item } else { block_items.items.len() };
                    for (earlier_item, earlier) in block_items.items.iter().enumerate().take(end) {
                        let Some(barrier) = earlier.rmb_after else { continue };
                        if scenario.barriers.is_on(barrier)
                            && add_once(shown, (earlier_block, earlier_item))
                        {
                            if let Some(code) = barrier_code(thread, barrier) {
                                rows.push(Row { thread, text: code });
                            }
                        }
                    }
                }
                let code = listing
                    .iter()
                    .find(|line| line.kind == LineKind::Step(*step))
                    .map(|line| line.code.clone())
                    .unwrap_or_else(|| program.name(*step));
                let at = after.reader(reader);
                let loaded = |register: Register| {
                    let slot = compiled.slot(register)?;
                    Some(program.value(register.word(), at.registers[slot]))
                };
                let text = match compiled.blocks[block].items[item].effect {
                    Effect::Load(register) => match loaded(register) {
                        Some(value) => {
                            format!("{code} /* {} */", word_value(register.word(), value))
                        }
                        None => code,
                    },
                    Effect::Load64 => match (loaded(Register::R0), loaded(Register::R1)) {
                        (Some(low), Some(high)) => {
                            format!("{code} /* {} */", Pte::from_halves(high, low))
                        }
                        _ => code,
                    },
                    Effect::Merged { from, .. } => {
                        format!("{code} /* compiled: reuses {} */", from.name())
                    }
                    _ => code,
                };
                rows.push(Row { thread, text });
                if after.reader(reader).retries > before.reader(reader).retries {
                    // The loop starts again: its barriers are shown again.
                    shown.retain(|(shown_block, _)| *shown_block != block);
                    if let Some(label) = retry_label(listing) {
                        rows.push(Row { thread, text: label });
                    }
                }
                if let Some(judged) = session.judged_reads().get(index).copied().flatten() {
                    if judged.read.returned {
                        if let Some(last) = listing.last() {
                            rows.push(Row { thread, text: last.code.clone() });
                        }
                    }
                }
            }
        }
    }
    rows
}

/// The loop's label (`retry:`): the listing's text line before a loop's
/// first step.
fn retry_label(listing: &[listing::Line]) -> Option<String> {
    listing
        .windows(2)
        .find(|pair| pair[0].kind == LineKind::Plain && matches!(pair[1].kind, LineKind::Step(_)))
        .map(|pair| pair[0].code.clone())
}

/// Where each thread's lines go.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Layout {
    /// Per column: where its lines start and the threads it holds.
    columns: Vec<(usize, Vec<Thread>)>,
    /// How the columns were folded, when they were.
    note: Option<String>,
}

/// Columns must start at least this far apart to read as columns.
const MIN_COLUMN_STEP: usize = 8;

impl Layout {
    /// Side by side when every column's widest line fits from its start
    /// (moved left of the convention's place if need be); otherwise the
    /// threads that do not fit share the last column, each of their lines
    /// led by its CPU; at worst one column with every line led by its CPU.
    fn of(style: Style, threads: &[Thread], rows: &[Row]) -> Layout {
        let width_of = |thread: Thread, tagged: bool| {
            let tag = if tagged { style.cpu(thread).len() + 2 } else { 0 };
            rows.iter()
                .filter(|row| row.thread == thread)
                .map(|row| row.text.len() + tag)
                .max()
                .unwrap_or(0)
                .max(style.cpu(thread).len())
        };
        for visible in (2..=threads.len()).rev() {
            let mut columns: Vec<(usize, Vec<Thread>)> = Vec::new();
            let mut fits = true;
            for index in 0..visible {
                let held: Vec<Thread> = if index + 1 == visible {
                    threads[index..].to_vec()
                } else {
                    vec![threads[index]]
                };
                let tagged = held.len() > 1;
                let width = held.iter().map(|thread| width_of(*thread, tagged)).max().unwrap_or(0);
                let wanted = style.column_start(index);
                let start =
                    if index == 0 { wanted } else { wanted.min(WIDTH.saturating_sub(width)) };
                let previous = columns.last().map(|(start, _)| *start);
                if start + width > WIDTH
                    || previous.is_some_and(|previous| start < previous + MIN_COLUMN_STEP)
                {
                    fits = false;
                    break;
                }
                columns.push((start, held));
            }
            if fits {
                let note = (visible < threads.len()).then(|| {
                    let shared: Vec<String> =
                        threads[visible - 1..].iter().map(|thread| style.cpu(*thread)).collect();
                    format!(
                        "({} CPUs do not fit side by side in {WIDTH} columns: {} share the \
                         last column, each of their lines led by its CPU.)",
                        threads.len(),
                        and_list(&shared)
                    )
                });
                return Layout { columns, note };
            }
        }
        let columns = vec![(style.column_start(0), threads.to_vec())];
        let note = (threads.len() > 1).then(|| {
            format!(
                "(The columns do not fit side by side in {WIDTH} columns: they are folded into \
                 one, each line led by its CPU.)"
            )
        });
        Layout { columns, note }
    }

    fn column_of(&self, thread: Thread) -> &(usize, Vec<Thread>) {
        self.columns.iter().find(|(_, held)| held.contains(&thread)).unwrap_or(&self.columns[0])
    }

    /// The header and its underline.
    fn header(&self, style: Style) -> Vec<String> {
        let mut labels = String::new();
        let mut rules = String::new();
        for (index, (start, held)) in self.columns.iter().enumerate() {
            let at = style.header_start(index, *start);
            let names: Vec<String> = held.iter().map(|thread| style.cpu(*thread)).collect();
            let label = names.join("/");
            pad_to(&mut labels, at);
            labels.push_str(&label);
            pad_to(&mut rules, at);
            rules.push_str(&style.underline(&label));
        }
        vec![labels, rules]
    }

    fn line(&self, style: Style, row: &Row) -> String {
        let (start, held) = self.column_of(row.thread);
        let tag =
            if held.len() > 1 { format!("{}: ", style.cpu(row.thread)) } else { String::new() };
        format!("{}{tag}{}", " ".repeat(*start), row.text)
    }
}

/// Pushes `item` unless the list holds it; says whether it did.
fn add_once<T: PartialEq>(list: &mut Vec<T>, item: T) -> bool {
    let new = !list.contains(&item);
    if new {
        list.push(item);
    }
    new
}

/// "A", "A and B", "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn pad_to(text: &mut String, column: usize) {
    while text.len() < column {
        text.push(' ');
    }
    if text.len() > column {
        text.push(' ');
    }
}

/// Which CPU runs what.
fn legend(program: &Program, threads: &[Thread], style: Style) -> Vec<String> {
    threads
        .iter()
        .map(|thread| match thread {
            Thread::Reader(reader) => {
                let kind = program.reader_program(*reader).kind;
                let (call, _) = listing::reader_call(kind);
                format!(" {}: reader {}, {call}", style.cpu(*thread), reader + 1)
            }
            _ => {
                let ops: Vec<&str> = program.scenario().writer.iter().map(|op| op.id()).collect();
                let line = format!(" {}: the writer, {}", style.cpu(*thread), ops.join(", "));
                if line.len() <= WIDTH {
                    line
                } else {
                    format!(" {}: the writer, {} operations", style.cpu(*thread), ops.len())
                }
            }
        })
        .collect()
}

/// "Outcome: CPU1 (reader 1) returned 0x…: TORN: …", filled to the width.
fn outcome(judged: &Judged, style: Style) -> Vec<String> {
    let read = &judged.read;
    let cpu = style.cpu(Thread::Reader(read.reader));
    let did = judged.result().verb();
    let retries = match read.retries {
        0 => "no retry".to_owned(),
        1 => "1 retry".to_owned(),
        n => format!("{n} retries"),
    };
    let mut lines =
        vec![format!("Outcome: {cpu} (reader {}) {did} {}:", read.reader + 1, read.value)];
    lines.extend(fill(
        &format!(
            "{}. Its low half came from {}, its high half from {}; {retries}.",
            judged.verdict_text(),
            read.low_source,
            read.high_source
        ),
        2,
    ));
    lines
}

/// The chain of the events the read rests on, in the order they executed,
/// and why each link holds.
fn why(
    session: &Session,
    execution: &Execution,
    completing: usize,
    judged: &Judged,
    options: &Options<'_>,
) -> Vec<String> {
    let program = session.program();
    let style = options.style;
    let arrow = options.charset.arrow();
    let steps = session.all_steps();
    let reader = judged.read.reader;
    let final_retries =
        session.state_after(completing).map_or(0, |state| state.reader(reader).retries);
    // The loads of the attempt that completed.
    let loads: Vec<usize> = (0..=completing)
        .filter(|index| {
            let step = steps[*index];
            step.reader() == Some(reader)
                && session
                    .state_after(*index)
                    .is_some_and(|state| state.reader(reader).retries == final_retries)
                && is_load(program, step)
        })
        .collect();
    let (Some(&first), Some(&last)) = (loads.first(), loads.last()) else {
        return Vec::new();
    };
    // The writes those loads read, and every store between the first load
    // and the last.
    let mut chain: Vec<usize> = loads.clone();
    for load in &loads {
        for event in execution.events.iter().filter(|event| event.step == Some(*load)) {
            let Some(write) = event.from else { continue };
            // Under x86-TSO a load reads a store when it drains to memory.
            let drained = execution
                .edges_of(EdgeKind::Drain)
                .find(|edge| edge.from == write)
                .map_or(write, |edge| edge.to);
            if let Some(source) = execution.event(drained).step {
                add_once(&mut chain, source);
            }
        }
    }
    for (index, step) in steps.iter().enumerate().take(last).skip(first) {
        match step {
            Step::Writer(access) if program.accesses()[usize::from(*access)].is_store() => {
                add_once(&mut chain, index);
            }
            Step::Drain => {
                add_once(&mut chain, index);
            }
            _ => {}
        }
    }
    short_sort::sort(&mut chain);
    let chain = chain;
    let letter = |position: usize| -> String {
        let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        if position < letters.len() {
            (letters[position] as char).to_string()
        } else {
            format!(
                "{}{}",
                letters[position / letters.len() - 1] as char,
                letters[position % letters.len()] as char
            )
        }
    };
    let letter_of = |index: usize| chain.iter().position(|at| *at == index).map(letter);

    let mut lines = vec!["Why (each event executes before the next, in this run):".to_owned()];
    lines.push(String::new());
    let sentences: Vec<String> = chain
        .iter()
        .enumerate()
        .map(|(position, index)| {
            format!("  {}: {}", letter(position), event_sentence(session, *index, style))
        })
        .collect();
    // "executes before" in one column after the longest event, or on a
    // line of its own (at the widest column that fits) after an event too
    // long to share its line.
    let link_words = "executes before";
    let pad =
        (sentences.iter().map(String::len).max().unwrap_or(0) + 2).min(WIDTH - link_words.len());
    for (position, sentence) in sentences.iter().enumerate() {
        if position + 1 == sentences.len() {
            lines.push(format!("{sentence}."));
        } else if sentence.len() + 2 <= pad {
            lines.push(format!("{sentence:<pad$}{link_words}"));
        } else {
            lines.push(sentence.clone());
            lines.push(format!("{}{link_words}", " ".repeat(pad)));
        }
    }

    // The links the values force: reads-from and from-reads.
    let mut reasons: Vec<String> = Vec::new();
    for pair in chain.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let (Some(from_letter), Some(to_letter)) = (letter_of(from), letter_of(to)) else {
            continue;
        };
        // A drain stands for the store it drains (rf, co and fr name the
        // store's event).
        let events_of = |step: usize| -> Vec<usize> {
            let own = execution.events.iter().filter(|event| event.step == Some(step));
            own.flat_map(|event| {
                let drained = execution
                    .edges_of(EdgeKind::Drain)
                    .filter(move |edge| edge.to == event.id)
                    .map(|edge| edge.from);
                std::iter::once(event.id).chain(drained)
            })
            .collect()
        };
        let (from_events, to_events) = (events_of(from), events_of(to));
        let edge = |kind: EdgeKind| {
            execution
                .edges_of(kind)
                .any(|edge| from_events.contains(&edge.from) && to_events.contains(&edge.to))
        };
        if edge(EdgeKind::Rf) {
            reasons.push(format!(
                "{from_letter} {arrow}rf {to_letter}: {to_letter} reads the value {from_letter} stored."
            ));
        } else if edge(EdgeKind::Fr) {
            reasons.push(format!(
                "{from_letter} {arrow}fr {to_letter}: {from_letter} read the value {to_letter} overwrites."
            ));
        }
    }
    // What the memory model let go early, and the barrier that was off.
    for (index, relaxation) in session.relaxations_behind_read(completing) {
        let Some(step_letter) = letter_of(index).or_else(|| Some(format!("step {}", index + 1)))
        else {
            continue;
        };
        reasons.push(relaxation_sentence(program, &relaxation, &step_letter, style));
    }
    if !program.compiled_changes().is_empty() {
        reasons.push(
            "The compiler, not the CPU, made this read possible: the code as written never \
             returns it under this model, the code as compiled (see Compiled) does."
                .to_owned(),
        );
    }
    reasons.extend(same_value_sentence(program, session, completing, judged));
    reasons.push(format!(
        "So the low half comes from {} and the high half from {}.",
        judged.read.low_source, judged.read.high_source
    ));
    lines.push(String::new());
    for reason in reasons {
        lines.extend(fill(&reason, 0));
    }
    lines
}

fn is_load(program: &Program, step: Step) -> bool {
    let Step::Reader { reader, action } = step else { return false };
    let compiled = program.reader_program(reader);
    compiled.locate(action).is_some_and(|(block, item)| {
        matches!(compiled.blocks[block].items[item].effect, Effect::Load(_) | Effect::Load64)
    })
}

/// "CPU1 loads 0x00001067 (P0) from pte_low", "CPU0 stores 0x00000000 (Z)
/// to pte_low".
fn event_sentence(session: &Session, index: usize, style: Style) -> String {
    let program = session.program();
    let step = session.all_steps()[index];
    let after = session.state_after(index + 1).copied().unwrap_or_else(|| program.initial());
    match step {
        Step::Writer(access_index) => {
            let access = program.accesses()[usize::from(access_index)];
            let cpu = style.cpu(Thread::Writer);
            match access.kind {
                AccessKind::Store(word @ (Word::Seq | Word::Count)) => {
                    format!(
                        "{cpu} stores {} to {}",
                        word_value(word, access.stored(word)),
                        word.c_field()
                    )
                }
                AccessKind::Store(word) => format!(
                    "{cpu} stores {} ({}) to {}",
                    word_value(word, access.stored(word)),
                    access.value_name,
                    word.c_field()
                ),
                AccessKind::StoreBoth => {
                    format!("{cpu} stores {} to both halves at once", access.value_name)
                }
                AccessKind::Flush => format!("{cpu} flushes the TLB"),
            }
        }
        Step::Drain => {
            let cpu = style.cpu(Thread::Writer);
            let before = session.state_after(index).copied().unwrap_or_else(|| program.initial());
            let drained = program.buffered(&before).next().map(|at| program.accesses()[at]);
            match drained.and_then(|access| {
                Word::ALL.into_iter().find(|word| access.touches(*word)).map(|word| (access, word))
            }) {
                Some((access, word)) => format!(
                    "{cpu} drains {} ({}) to {}",
                    word_value(word, access.stored(word)),
                    access.value_name,
                    word.c_field()
                ),
                None => format!("{cpu} drains its store buffer"),
            }
        }
        Step::Reader { reader, action } => {
            let cpu = style.cpu(Thread::Reader(reader));
            let compiled = program.reader_program(reader);
            let at = after.reader(reader);
            let tag_of =
                |register: Register| compiled.slot(register).map(|slot| at.registers[slot]);
            match compiled
                .locate(action)
                .map(|(block, item)| compiled.blocks[block].items[item].effect)
            {
                Some(Effect::Load(register)) => match tag_of(register) {
                    Some(tag) => {
                        let word = register.word();
                        let name = match word {
                            Word::Seq | Word::Count => String::new(),
                            _ => format!(" ({})", value_name(program.source(tag))),
                        };
                        format!(
                            "{cpu} loads {}{name} from {}",
                            word_value(word, program.value(word, tag)),
                            word.c_field()
                        )
                    }
                    None => format!("{cpu} loads {}", register.word().c_field()),
                },
                Some(Effect::Load64) => match (tag_of(Register::R0), tag_of(Register::R1)) {
                    (Some(low), Some(high)) => format!(
                        "{cpu} loads both halves at once ({}.low, {}.high)",
                        value_name(program.source(low)),
                        value_name(program.source(high))
                    ),
                    _ => format!("{cpu} loads both halves at once"),
                },
                _ => program.name(step),
            }
        }
    }
}

/// A relaxation in the reviewer's words, naming the barrier that was off.
fn relaxation_sentence(
    program: &Program,
    relaxation: &Relaxation,
    step_letter: &str,
    style: Style,
) -> String {
    match relaxation {
        Relaxation::Reordered { step, earlier, because } => {
            let cpu = style.cpu(match step.reader() {
                Some(reader) => Thread::Reader(reader),
                None => Thread::Writer,
            });
            let earlier_code = code_of(program, *earlier);
            let reason = match because {
                Unordered::BarriersOff(sites) => {
                    let named: Vec<String> = sites
                        .iter()
                        .map(|site| format!("{} ({})", site.call(), site.id()))
                        .collect();
                    let verb = if named.len() == 1 { "is" } else { "are" };
                    format!("{} {verb} switched off", named.join(" and "))
                }
                Unordered::NoBarrierBetween => "no barrier lies between them".to_owned(),
                Unordered::AfterBranch => {
                    "a branch orders no later load (smp_rmb() orders loads with loads only)"
                        .to_owned()
                }
            };
            format!(
                "{step_letter} executes before `{earlier_code}`, which comes first in {cpu}'s \
                 program, under the {} model: {reason}.",
                program.model().id()
            )
        }
        Relaxation::StoreBuffered { step, word, store, read } => {
            let cpu = style.cpu(match step.reader() {
                Some(reader) => Thread::Reader(reader),
                None => Thread::Writer,
            });
            let access = program.accesses()[usize::from(*store)];
            format!(
                "{step_letter}: {cpu} read {} from {} while the writer's store of {} was still in \
                 its store buffer ({}); under sequential consistency it would read {}.",
                word_value(*word, *read),
                word.c_field(),
                access.value_name,
                program.model().title(),
                word_value(*word, access.stored(*word)),
            )
        }
    }
}

/// The C of a step, from the listing.
fn code_of(program: &Program, step: Step) -> String {
    let lines: Vec<listing::Line> = match step {
        Step::Reader { reader, .. } => listing::reader_lines(program, reader),
        _ => listing::writer_blocks(program).into_iter().flat_map(|block| block.lines).collect(),
    };
    lines
        .into_iter()
        .find(|line| line.kind == LineKind::Step(step))
        .map_or_else(|| program.name(step), |line| line.code)
}

/// "P0", "Z", "P2": the name of the value a write stored.
fn value_name(source: Source) -> String {
    match source {
        Source::Initial => "P0".to_owned(),
        Source::Write { value, .. } => value.to_string(),
    }
}

/// When the re-read of low saw the same value from a different write (P0
/// and Pn share their low half), the check could not see the change.
fn same_value_sentence(
    program: &Program,
    session: &Session,
    completing: usize,
    judged: &Judged,
) -> Option<String> {
    let reader = judged.read.reader;
    let compiled = program.reader_program(reader);
    let state = session.state_after(completing + 1)?;
    let at = state.reader(reader);
    let r0 = at.registers[compiled.slot(Register::R0)?];
    let r2 = at.registers[compiled.slot(Register::R2)?];
    let (first, second) = (program.source(r0), program.source(r2));
    (first != second && program.value(Word::Low, r0) == program.value(Word::Low, r2)).then(|| {
        format!(
            "r0 and r2 hold the same low half, {}, from different writes ({} and {}): the \
             check r0 == r2 cannot see that the entry changed in between.",
            word_value(Word::Low, program.value(Word::Low, r0)),
            value_name(first),
            value_name(second)
        )
    })
}

/// Fills `text` to the width, every line indented by `indent`.
fn fill(text: &str, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = " ".repeat(indent);
    for word in text.split_whitespace() {
        let empty = line.trim().is_empty();
        if !empty && line.len() + 1 + word.len() > WIDTH {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
        }
        if !line.trim().is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}
