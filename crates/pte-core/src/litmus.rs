//! The scenario as a C litmus test for herd7 and the Linux-kernel memory
//! model (LKMM, the kernel's `tools/memory-model/`), in the format of the
//! kernel's `tools/memory-model/litmus-tests/`.
//!
//! `P0` is the writer, `P1`..`PR` are the readers, each written as its kind
//! reads: one attempt of `ptep_get_lockless()` (the comment at the top of
//! every exported file says why one attempt is enough), `pmd_read_atomic()`
//! (its test of the low half as an `if`), a 64-bit `READ_ONCE()` (a
//! `READ_ONCE()` of each half, no barrier between) or one attempt of KVM's
//! `__get_spte_lockless()` (the clear counter `cnt` read around the halves,
//! its `||` as an `if` around the second read of `cnt`). KVM's clear counter
//! is a third variable `cnt` the writer bumps after each zap. The `exists`
//! clause asks for what the explorer calls torn for each reader's kind. With the compiler modelled, a plain access is written as plain
//! C and a marked one as `READ_ONCE()`/`WRITE_ONCE()` (`COMPILER.md`), so
//! herd7 flags the data races of plain accesses; with the compiler off
//! every access is marked, as before the compiler existed. herd7 cannot run the reader's retry loop, which the explorer can;
//! it can check the explorer's weak model on the rest
//! (`scripts/check-litmus.sh`).
//!
//! Pure: [`export`] returns the text, the front ends write it.

use std::fmt::{self, Write as _};

use crate::compiler;
use crate::explore::{Report, TornAnswer};
use crate::program::{AccessKind, Program, Word, WriterAccess};
use crate::scenario::{
    Barrier, FlushMode, MemoryModel, Pte, ReaderKind, Scenario, ScenarioError, WriterOp,
};

/// The command that runs an exported file against the kernel's model, from
/// the kernel's `tools/memory-model/` folder.
pub const HERD_COMMAND: &str = "herd7 -conf linux-kernel.cfg";

/// What to say about the IPI flush mode next to an export: herd7 answers
/// the paravirt question.
pub const IPI_NOTE: &str = "LKMM has no interrupts, so a flush that waits for readers with \
    interrupts off cannot be written: the IPI flush is exported as smp_mb() and herd7 answers \
    the paravirt question";

/// Why a scenario cannot be exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LitmusError {
    /// The scenario itself is invalid.
    Scenario(ScenarioError),
    /// Writer operation `op` (1-based) is an atomic 64-bit zap, which two
    /// `int` halves cannot express.
    AtomicZap { op: usize },
    /// A test name herd7 would not read as one word.
    BadName { name: String },
    /// Reader `reader` (1-based) is of a kind the export does not write
    /// ([`exported_kind`]).
    ReaderKind { reader: u8, kind: &'static str },
    /// The sequence-counter writer (a third word) is not exported.
    Seqcount,
}

impl fmt::Display for LitmusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LitmusError::Scenario(error) => write!(f, "invalid scenario: {error}"),
            LitmusError::AtomicZap { op } => write!(
                f,
                "writer op {op} is zap_atomic: one 64-bit atomic exchange cannot be written as \
                 stores to two 32-bit int halves, and a litmus test with two stores would check \
                 a different protocol"
            ),
            LitmusError::ReaderKind { reader, kind } => write!(
                f,
                "reader {reader} is a {kind} reader; the litmus export writes lockless (one \
                 attempt of ptep_get_lockless() each), pmd_read_atomic, read_once64 and kvm_spte \
                 (one attempt of __get_spte_lockless() each) readers only"
            ),
            LitmusError::Seqcount => write!(
                f,
                "the sequence-counter writer is not exported: the litmus test has the two halves \
                 of the entry and KVM's clear counter only"
            ),
            LitmusError::BadName { name } => write!(
                f,
                "test name {name:?} must be 1 to 64 letters, digits, '_', '-', '+' or '.', \
                 starting with a letter or digit"
            ),
        }
    }
}

impl std::error::Error for LitmusError {}

impl From<ScenarioError> for LitmusError {
    fn from(error: ScenarioError) -> Self {
        LitmusError::Scenario(error)
    }
}

/// Turns any text into a valid test name: characters herd7 would not read
/// as part of one word become `_`, and a name that does not start with a
/// letter or digit gets a `p` in front (an empty text becomes `pte`).
pub fn test_name(text: &str) -> String {
    if text.is_empty() {
        return "pte".to_owned();
    }
    let mut name: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "_-+.".contains(c) { c } else { '_' })
        .take(64)
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        name.insert(0, 'p');
        name.truncate(64);
    }
    name
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "_-+.".contains(c))
}

/// A 32-bit half as herd7 reads it: C litmus ints are signed 32-bit. A
/// decimal of 2^31 or more is refused (`Int32.of_string`) and a hex constant
/// does not parse in a process body, so every value is written as the
/// signed decimal with the same bits (0x80000000 is -2147483648).
pub fn int32(value: u32) -> i32 {
    value as i32
}

/// Does the export write readers of `kind`? The lockless loop (one
/// attempt), `pmd_read_atomic()`, the 64-bit `READ_ONCE()` and KVM's
/// `__get_spte_lockless()` (one attempt, with the clear counter `cnt`):
/// each is loads, `smp_rmb()` and at most a test of loaded values, which C
/// litmus tests have. GUP-fast's grab and re-check, the walker's 64-bit load
/// and the sequence counter's reader have no such form here.
pub fn exported_kind(kind: ReaderKind) -> bool {
    matches!(
        kind,
        ReaderKind::Lockless
            | ReaderKind::PmdReadAtomic
            | ReaderKind::ReadOnce64
            | ReaderKind::KvmSpte
    )
}

/// The scenario as a C litmus test named `name`.
pub fn export(scenario: &Scenario, name: &str) -> Result<String, LitmusError> {
    if !valid_name(name) {
        return Err(LitmusError::BadName { name: name.to_owned() });
    }
    if let Some(op) = scenario.writer.iter().position(|op| *op == WriterOp::ZapAtomic) {
        return Err(LitmusError::AtomicZap { op: op + 1 });
    }
    if let Some(reader) =
        (0..scenario.readers).find(|reader| !exported_kind(scenario.reader_kind(*reader)))
    {
        let kind = scenario.reader_kind(reader).id();
        return Err(LitmusError::ReaderKind { reader: reader + 1, kind });
    }
    if scenario.seqcount {
        return Err(LitmusError::Seqcount);
    }
    let program = Program::new(scenario.clone())?;
    let mut text = String::new();
    write_header(&mut text, &program, name);
    write_init(&mut text, &program);
    write_writer(&mut text, &program);
    for reader in 1..=scenario.readers {
        match scenario.reader_kind(reader - 1) {
            ReaderKind::PmdReadAtomic => write_pmd_read_atomic(&mut text, scenario, reader),
            ReaderKind::ReadOnce64 => write_read_once64(&mut text, reader),
            ReaderKind::KvmSpte => write_kvm_spte(&mut text, scenario, reader),
            _ => write_reader(&mut text, scenario, reader),
        }
    }
    write_exists(&mut text, &program);
    Ok(text)
}

fn write_header(text: &mut String, program: &Program, name: &str) {
    let scenario = program.scenario();
    let present = variable(present_word(scenario));
    let bit = scenario.present_bit % 32;
    let flush = match scenario.flush {
        FlushMode::None => {
            "none: the writer's flushes are left out, as the explorer skips them (no flush \
             before the re-establish)"
                .to_owned()
        }
        FlushMode::Paravirt => "paravirt: each flush is smp_mb(), a full ordering point of \
             the writer as in the explorer's weak model; it does not wait for readers"
            .to_owned(),
        FlushMode::Ipi => format!("ipi. {IPI_NOTE}"),
    };
    let kinds = kinds_present(scenario);
    let only_lockless = kinds == [ReaderKind::Lockless];
    // A scenario of lockless readers only keeps the words it was exported
    // with before the other kinds were.
    let (title, halves, of_the) = if only_lockless {
        (
            "ptep_get_lockless() on a 64-bit PTE read as two 32-bit halves",
            "pte_low and pte_high of one PTE",
            "the PTE",
        )
    } else if kinds == [ReaderKind::PmdReadAtomic] {
        (
            "pmd_read_atomic() on a 64-bit x86 PAE pmd read as two 32-bit halves",
            "pmd_low and pmd_high of one pmd",
            "the pmd",
        )
    } else if kinds == [ReaderKind::ReadOnce64] {
        (
            "READ_ONCE() of a 64-bit pmd on a 32-bit CPU, two 32-bit halves",
            "pmd_low and pmd_high of one pmd",
            "the pmd",
        )
    } else if kinds == [ReaderKind::KvmSpte] {
        (
            "KVM's __get_spte_lockless() on a 32-bit host, a 64-bit spte read as two 32-bit \
             halves",
            "spte_low and spte_high of one spte",
            "the spte",
        )
    } else {
        (
            "Readers of a 64-bit entry read as two 32-bit halves",
            "the low and high halves of one 64-bit entry (a PTE or a pmd)",
            "the entry",
        )
    };
    let mut lines = vec![
        format!("{title}: {name}."),
        String::new(),
        format!(
            "lo and hi are {halves}. P0 is the writer: each zap and establish is its two {}, \
             with smp_wmb() where a barrier site is on.",
            writer_stores(scenario)
        ),
    ];
    if has_count(scenario) {
        lines.push(String::new());
        lines.push(count_paragraph(program));
    }
    for kind in &kinds {
        lines.push(String::new());
        lines.push(readers_paragraph(scenario, *kind));
    }
    lines.extend([String::new(), accesses_paragraph(scenario), String::new()]);
    if kinds.contains(&ReaderKind::Lockless) {
        lines.push(
            "One attempt loses nothing for the question whether a torn value can pass the \
             check r0 = r2. A retry starts after the failed check, so the reads of a later \
             attempt are only more constrained by coherence than those of a first attempt \
             started at that moment: any value a later attempt can return, a first attempt can \
             return too."
                .to_owned(),
        );
        lines.push(String::new());
    }
    if kinds.contains(&ReaderKind::KvmSpte) {
        lines.push(
            "One attempt of __get_spte_lockless() loses nothing either, for the question \
             whether a torn value can pass its check r0 = r2 and c2 = c. Its goto retry goes \
             back above the read of the count (the label retry: stands before count = \
             sp->clear_spte_count), so every attempt reads c, r0, r1, r2 and c2 afresh and its \
             check compares that attempt's own loads. The loads of a later attempt are only \
             more constrained than those of a single attempt: by coherence with the earlier \
             attempts' loads of the same words and by its smp_rmb()s, which order those \
             earlier loads before its own; the failed check itself orders no load (a control \
             dependency). Leaving the earlier attempts out of an execution in which a later \
             attempt returns a value leaves one LKMM allows in which a single attempt returns \
             it, so any value a later attempt can return, a first attempt can return too."
                .to_owned(),
        );
        lines.push(String::new());
    }
    if only_lockless {
        lines.push(format!(
            "The exists clause asks for a torn read: some reader's check passes (r0 = r2), the \
             value (lo = r0, hi = r1) is present (bit {bit} of {present}, bit {} of the PTE) and \
             it is none of P0, P1 to PN.",
            scenario.present_bit
        ));
    } else {
        let mut paragraph = format!(
            "The exists clause asks for a torn read: some reader returns a value (lo = r0, hi = \
             r1) that is present (bit {bit} of {present}, bit {} of {of_the}) and none of P0, P1 \
             to PN.",
            scenario.present_bit
        );
        for kind in &kinds {
            paragraph.push(' ');
            paragraph.push_str(match kind {
                ReaderKind::PmdReadAtomic => {
                    "pmd_read_atomic() returns (r0, r1) only when r0 is not 0: a zero low half \
                     returns the none pmd, (0, 0), which is not present, never torn, so the \
                     clause asks r0 to be non-zero."
                }
                ReaderKind::ReadOnce64 => {
                    "READ_ONCE() returns (r0, r1) as loaded: it has no check."
                }
                ReaderKind::KvmSpte => {
                    "__get_spte_lockless() returns (r0, r1) only when its check passes: r0 = r2 \
                     and c2 = c (c2 is read only when r2 = r0)."
                }
                _ => "ptep_get_lockless() returns (r0, r1) only when its check passes (r0 = r2).",
            });
        }
        lines.push(paragraph);
    }
    lines.extend([
        String::new(),
        "Values are signed 32-bit decimals, as herd7 reads C litmus ints; each store shows its \
         hex value in a comment."
            .to_owned(),
        String::new(),
        format!("TLB flush: {flush}."),
        String::new(),
        format!(
            "Exported from the explorer's scenario (model {}); herd7 answers under LKMM, to be \
             compared with the explorer's weak model.",
            scenario.model.id()
        ),
        format!("Run from the kernel's tools/memory-model: {HERD_COMMAND} {name}.litmus"),
    ]);
    let _ = writeln!(text, "C {name}");
    text.push('\n');
    text.push_str("(*\n");
    // A paragraph the scenario has no words for (the compiler off) leaves
    // an empty line next to the blank that separates paragraphs: one blank
    // stays, so the text is the same as before that paragraph existed.
    let mut previous_blank = false;
    for line in lines {
        if line.is_empty() {
            if previous_blank {
                continue;
            }
            previous_blank = true;
            text.push_str(" *\n");
        } else {
            previous_blank = false;
        }
        for wrapped in wrap(&line, 72) {
            let _ = writeln!(text, " * {wrapped}");
        }
    }
    text.push_str(" *)\n\n");
}

/// The reader kinds of the scenario's readers, each once, in reader order.
fn kinds_present(scenario: &Scenario) -> Vec<ReaderKind> {
    distinct((0..scenario.readers).map(|reader| scenario.reader_kind(reader)))
}

/// The header's paragraph on the readers of `kind`: which processes, and
/// their code as the test writes it.
fn readers_paragraph(scenario: &Scenario, kind: ReaderKind) -> String {
    let of_kind: Vec<String> = (1..=scenario.readers)
        .filter(|reader| scenario.reader_kind(reader - 1) == kind)
        .map(|reader| format!("P{reader}"))
        .collect();
    let (who, each) = if of_kind.len() == usize::from(scenario.readers) {
        ("P1 to PR are readers".to_owned(), " each")
    } else if let [one] = of_kind.as_slice() {
        (format!("{one} is a reader"), "")
    } else {
        let (last, others) = of_kind.split_last().expect("two or more readers");
        (format!("{} and {last} are readers", others.join(", ")), " each")
    };
    match kind {
        ReaderKind::PmdReadAtomic => format!(
            "{who}, x86 PAE's pmd_read_atomic() (before v6.2){each}: r0 = lo; if r0 is not 0, \
             smp_rmb() (only where its site pmd_rmb is on) and r1 = hi; if r0 is 0 it returns \
             the none pmd, (0, 0), without reading hi. No retry. The if orders nothing: LKMM, as \
             the explorer's weak model, orders no load after a control dependency. Interrupts \
             stay on (its callers hold mmap_lock for read)."
        ),
        ReaderKind::ReadOnce64 => format!(
            "{who}, GUP-fast's 64-bit READ_ONCE() of the pmd in gup_pmd_range() on i386 (before \
             v6.2){each}: r0 = \
             lo and r1 = hi, the two 32-bit loads of one 64-bit READ_ONCE(), written as a \
             READ_ONCE() of each half with no barrier between: LKMM puts them in no order, as C \
             does not. No retry. GUP-fast reads with interrupts off, which the test leaves out: \
             LKMM has no interrupts, and in the explorer they matter only to an IPI flush, \
             which waits for them (TLB flush, below)."
        ),
        ReaderKind::KvmSpte => format!(
            "{who}, one attempt of KVM's __get_spte_lockless() on a 32-bit host{each}: c = cnt, \
             smp_rmb() (kvm_count_rmb), r0 = lo, smp_rmb() (reader_rmb1), r1 = hi, smp_rmb() \
             (reader_rmb2), r2 = lo, and c2 = cnt only if r2 = r0 (each smp_rmb() only where \
             its site is on). The kernel's test, spte.spte_low != orig->spte_low || count != \
             sp->clear_spte_count, is written as the branch it is: the count is read again only \
             when the low half matched, and LKMM, as the explorer's weak model, orders no load \
             after a control dependency, so c2 may be read before r2 (not before reader_rmb2). \
             The code is built for 32-bit x86 hosts only, whose loads keep their order. \
             Interrupts are off around KVM's lockless walk (walk_shadow_page_lockless_begin()), \
             which the test leaves out: LKMM has no interrupts, and in the explorer they matter \
             only to an IPI flush, which waits for them (TLB flush, below)."
        ),
        _ => format!(
            "{who}, one attempt of ptep_get_lockless(){each}: r0 = lo, smp_rmb(), r1 = hi, \
             smp_rmb(), r2 = lo (each smp_rmb() only where its site is on)."
        ),
    }
}

/// Does the test have KVM's clear counter `cnt`: the writer bumps it (the
/// clear counter is on) or a `kvm_spte` reader reads it.
fn has_count(scenario: &Scenario) -> bool {
    scenario.clear_counter || kinds_present(scenario).contains(&ReaderKind::KvmSpte)
}

/// Does the writer store to `cnt`: the clear counter on and a zap to count.
fn writes_count(scenario: &Scenario) -> bool {
    scenario.clear_counter && scenario.writer.iter().any(|op| op.is_zap())
}

/// Is an access of `cnt` in the test plain? With the compiler on, KVM's
/// `count_spte_clear()` bumps `sp->clear_spte_count` and
/// `__get_spte_lockless()` reads it plainly, whatever the scenario marks.
fn plain_count(scenario: &Scenario) -> bool {
    scenario.compiler
        && (writes_count(scenario) || kinds_present(scenario).contains(&ReaderKind::KvmSpte))
}

/// The header's paragraph on `cnt`, KVM's clear counter.
fn count_paragraph(program: &Program) -> String {
    let scenario = program.scenario();
    if !scenario.clear_counter {
        return "cnt is KVM's clear counter, sp->clear_spte_count, initially 0. The clear \
                counter is off: this writer never bumps it, so cnt stays 0 and only the low \
                half can make a reader's check fail."
            .to_owned();
    }
    let Some(bump) =
        program.accesses().iter().find(|access| access.kind == AccessKind::Store(Word::Count))
    else {
        return "cnt is KVM's clear counter, sp->clear_spte_count, initially 0. The writer has \
                no zap for count_spte_clear() to count, so cnt stays 0."
            .to_owned();
    };
    let how = if store_marked(scenario, bump) {
        "a WRITE_ONCE(), as every access with the compiler off"
    } else {
        "a plain C store, as clear_spte_count++ is"
    };
    format!(
        "cnt is KVM's clear counter, sp->clear_spte_count, initially 0. After each zap's \
         stores P0 runs count_spte_clear(): smp_wmb() (only where its site kvm_count_wmb is \
         on), then cnt = cnt + 1, written as the store of the value it makes ({how}): P0 is \
         the only writer of cnt, so its load of cnt would read its own last store."
    )
}

/// Is a writer store written `WRITE_ONCE()`? Every access is marked with
/// the compiler off (the code runs as written, as before the compiler was
/// modelled); with it on, as the compiler's own rule says.
fn store_marked(scenario: &Scenario, access: &WriterAccess) -> bool {
    !scenario.compiler || compiler::writer_marked(scenario, access)
}

/// Is a reader's load of `word` written `READ_ONCE()`? As [`store_marked`].
/// (A `read_once64` reader's halves are `READ_ONCE()` whatever this says:
/// [`reader_loads_marked`].)
fn load_marked(scenario: &Scenario, word: Word) -> bool {
    !scenario.compiler || compiler::load_marked(scenario, word)
}

/// Are a reader of `kind`'s loads of the halves written `READ_ONCE()`?
/// The halves of one 64-bit `READ_ONCE()` always are (the compiler's
/// rule, `kind.spec().one_access`); the other kinds' as [`load_marked`].
fn reader_loads_marked(scenario: &Scenario, kind: ReaderKind) -> bool {
    kind.spec().one_access || load_marked(scenario, Word::Low)
}

/// Does the exported test have a plain access? herd7 then flags a data
/// race ("Flag data-race") wherever one races with a store of the other
/// side, and LKMM makes no prediction for such a test.
pub fn has_plain_accesses(scenario: &Scenario) -> bool {
    scenario.compiler
        && (!scenario.marked_writer
            || plain_count(scenario)
            || kinds_present(scenario).into_iter().any(|kind| !reader_loads_marked(scenario, kind)))
}

/// The header's words for the writer's stores.
fn writer_stores(scenario: &Scenario) -> &'static str {
    match (scenario.compiler, scenario.marked_writer) {
        (false, _) => "WRITE_ONCE() stores",
        (true, true) => {
            "stores, WRITE_ONCE() as on x86 since v6.2 (\"x86/mm/pae: Use WRITE_ONCE()\")"
        }
        (true, false) => {
            "stores, plain C assignments as in v6.0 (native_set_pte() and native_pte_clear() on \
             x86)"
        }
    }
}

/// The header's paragraph on plain and marked accesses: empty with the
/// compiler off, where every access is marked as before the compiler was
/// modelled.
fn accesses_paragraph(scenario: &Scenario) -> String {
    if !scenario.compiler {
        return String::new();
    }
    let kinds = kinds_present(scenario);
    let loads = if kinds == [ReaderKind::Lockless] {
        if load_marked(scenario, Word::Low) {
            "The readers' loads are READ_ONCE().".to_owned()
        } else {
            "The readers' loads are plain C loads, r0 = *lo, as in v6.0's ptep_get_lockless()."
                .to_owned()
        }
    } else {
        let each: Vec<String> = kinds
            .iter()
            .map(|kind| match kind {
                ReaderKind::ReadOnce64 => "gup_pmd_range()'s are READ_ONCE(), marked whatever \
                    the scenario says: they are the halves of one READ_ONCE()"
                    .to_owned(),
                _ => {
                    let (function, version) = match kind {
                        ReaderKind::PmdReadAtomic => ("pmd_read_atomic()", "v6.0's "),
                        ReaderKind::KvmSpte => ("__get_spte_lockless()", "KVM's "),
                        _ => ("ptep_get_lockless()", "v6.0's "),
                    };
                    let how = if load_marked(scenario, Word::Low) {
                        "READ_ONCE()".to_owned()
                    } else {
                        format!("plain C loads, r0 = *lo, as in {version}{function}")
                    };
                    let count = if *kind == ReaderKind::KvmSpte {
                        " (its loads of cnt are plain C loads, c = *cnt, whatever the scenario \
                         marks: KVM reads sp->clear_spte_count plainly)"
                    } else {
                        ""
                    };
                    format!("{function}'s are {how}{count}")
                }
            })
            .collect();
        format!("The readers' loads: {}.", each.join("; "))
    };
    let race = if plain_count(scenario) {
        "A plain access that races makes herd7 print \"Flag data-race\", and for a test with a \
         data race LKMM \"makes no predictions about the program's outcome\" \
         (tools/memory-model/Documentation/explanation.txt): herd7's Observation then does not \
         judge the explorer. KVM's clear counter is plain whatever the scenario marks, so the \
         same scenario with the compiler off, where every access is marked, judges it. The \
         explorer's compiler only reorders and merges plain accesses between compiler \
         barriers, which its weak model's CPU already does, so the weak model's answer is the \
         same with the compiler on or off."
    } else if has_plain_accesses(scenario) && kinds.contains(&ReaderKind::ReadOnce64) {
        "A plain access that races makes herd7 print \"Flag data-race\", and for a test with a \
         data race LKMM \"makes no predictions about the program's outcome\" \
         (tools/memory-model/Documentation/explanation.txt): herd7's Observation then does not \
         judge the explorer, the same scenario with marked accesses on both sides does. The \
         explorer's compiler only reorders and merges plain accesses between compiler \
         barriers, and swaps the halves of one 64-bit READ_ONCE(), which its weak model's CPU \
         already does, so the weak model's answer is the same for plain and marked accesses."
    } else if has_plain_accesses(scenario) {
        "A plain access that races makes herd7 print \"Flag data-race\", and for a test with a \
         data race LKMM \"makes no predictions about the program's outcome\" \
         (tools/memory-model/Documentation/explanation.txt): herd7's Observation then does not \
         judge the explorer, the same scenario with marked accesses on both sides does. The \
         explorer's compiler only reorders and merges plain accesses between compiler \
         barriers, which its weak model's CPU already does, so the weak model's answer is the \
         same for plain and marked accesses."
    } else {
        "Every access is marked, so herd7 flags no data race."
    };
    format!(
        "The compiler is modelled: a plain access is written as plain C, a marked one as \
         READ_ONCE()/WRITE_ONCE(). {loads} {race}"
    )
}

/// A litmus test's `Result:` comment: what the explorer's weak model says
/// the `exists` clause gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expected {
    Never,
    Sometimes,
    /// The search reached its state limit without a torn read: no
    /// prediction (judgelitmus.sh accepts any answer for it).
    Maybe,
}

impl Expected {
    /// The comment's word: `Never`, `Sometimes`, `Maybe`.
    pub fn word(self) -> &'static str {
        match self {
            Expected::Never => "Never",
            Expected::Sometimes => "Sometimes",
            Expected::Maybe => "Maybe",
        }
    }

    /// The answer of a report of one of the test's questions ([`questions`]).
    pub fn of(report: &Report) -> Expected {
        match report.torn() {
            TornAnswer::Sometimes(_) => Expected::Sometimes,
            TornAnswer::Never => Expected::Never,
            TornAnswer::Unknown => Expected::Maybe,
        }
    }
}

/// The scenarios whose weak-model answers a test's `Result:` comment
/// joins, as `scripts/check-litmus.sh` always asked them: under the weak
/// model, one reader of each kind the scenario's readers have (the exists
/// clause asks whether some reader reads torn, and readers do not interact,
/// so one reader of a kind answers for all readers of that kind), an IPI
/// flush as paravirt (LKMM has no interrupts; see [`IPI_NOTE`]). A
/// scenario of one kind of reader has one question.
pub fn questions(scenario: &Scenario) -> Vec<Scenario> {
    kinds_present(scenario)
        .into_iter()
        .map(|kind| {
            let mut question = scenario.clone();
            question.model = MemoryModel::Weak;
            question.set_readers(1);
            question.set_reader_kind(0, kind);
            if question.flush == FlushMode::Ipi {
                question.flush = FlushMode::Paravirt;
            }
            question
        })
        .collect()
}

/// Which of the scenario's own answers, one per model with its readers as
/// they are, also answers [`questions`]: the questions' model, unless the
/// questions changed the flush (an IPI flush is asked as paravirt).
/// Readers do not interact, so a torn read by one of several readers is one
/// by a reader of its kind alone. A front end that already explored the
/// scenario under every model (the page's live answers) takes the comment
/// from there.
pub fn answered_by(scenario: &Scenario) -> Option<MemoryModel> {
    (scenario.flush != FlushMode::Ipi).then_some(MemoryModel::Weak)
}

/// Explores [`questions`] and joins their answers: Sometimes if one reader
/// kind tears, else Maybe if a search stopped at its limit, else Never. An
/// exploration: the CLI may call it; the page takes the answer from its
/// worker instead.
pub fn expected_result(scenario: &Scenario) -> Expected {
    let answers: Vec<Expected> = questions(scenario)
        .into_iter()
        .map(|question| {
            crate::explore(question).map_or(Expected::Maybe, |report| Expected::of(&report))
        })
        .collect();
    if answers.contains(&Expected::Sometimes) {
        Expected::Sometimes
    } else if answers.contains(&Expected::Maybe) {
        Expected::Maybe
    } else {
        Expected::Never
    }
}

/// [`export`] with the kernel's `(* Result: … *)` comment after the `C`
/// line (Documentation/litmus-tests/), which the kernel's
/// tools/memory-model/scripts/judgelitmus.sh (and scripts/check-litmus.sh
/// here) compare with herd7's Observation.
pub fn export_with_result(
    scenario: &Scenario,
    name: &str,
    expected: Expected,
) -> Result<String, LitmusError> {
    let text = export(scenario, name)?;
    let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let (blank, rest) = rest.split_once('\n').unwrap_or(("", rest));
    Ok(format!("{first}\n{blank}\n(* Result: {} *)\n{rest}", expected.word()))
}

fn write_init(text: &mut String, program: &Program) {
    let scenario = program.scenario();
    let p0 = scenario.values.p0;
    let _ = writeln!(text, "{{");
    let _ = writeln!(text, "\tlo={}; (* P0.low 0x{:08x} *)", int32(p0.low()), p0.low());
    let _ = writeln!(text, "\thi={}; (* P0.high 0x{:08x} *)", int32(p0.high()), p0.high());
    if has_count(program.scenario()) {
        let _ = writeln!(text, "\tcnt=0; (* KVM's clear counter *)");
    }
    let _ = writeln!(text, "}}\n");
}

fn write_writer(text: &mut String, program: &Program) {
    let scenario = program.scenario();
    let _ = writeln!(text, "P0({})\n{{", parameters(writes_count(scenario)));
    let mut accesses = program.accesses().iter().peekable();
    for (index, op) in scenario.writer.iter().enumerate() {
        let _ = writeln!(text, "\t// op {}: {}", index + 1, op.title());
        if *op == WriterOp::Flush && scenario.flush == FlushMode::None {
            let _ = writeln!(text, "\t// flush none: no flush before the re-establish");
            continue;
        }
        while let Some(access) = accesses.next_if(|access| usize::from(access.op) == index) {
            write_access(text, scenario, access);
        }
    }
    let _ = writeln!(text, "}}\n");
}

/// A process's parameters: the halves, and `cnt` where it uses it.
fn parameters(count: bool) -> &'static str {
    if count {
        "int *lo, int *hi, int *cnt"
    } else {
        "int *lo, int *hi"
    }
}

fn write_access(text: &mut String, scenario: &Scenario, access: &WriterAccess) {
    match access.kind {
        // KVM's count_spte_clear(): `sp->clear_spte_count++`, written as
        // the store of the value it makes (P0 is the only writer of cnt).
        AccessKind::Store(Word::Count) => {
            let value = access.stored(Word::Count);
            let statement = if store_marked(scenario, access) {
                format!("WRITE_ONCE(*cnt, {value});")
            } else {
                format!("*cnt = {value};")
            };
            let _ = writeln!(text, "\t{statement}\t// count_spte_clear(): cnt = cnt + 1");
        }
        AccessKind::Store(word) => {
            let value = access.stored(word);
            let (variable, value_int) = (variable(word), int32(value));
            let statement = if store_marked(scenario, access) {
                format!("WRITE_ONCE(*{variable}, {value_int});")
            } else {
                format!("*{variable} = {value_int};")
            };
            let _ = writeln!(
                text,
                "\t{statement}\t// {}.{} 0x{value:08x}",
                access.value_name,
                word.name()
            );
        }
        // `export` refuses the atomic zap before compiling the program.
        AccessKind::StoreBoth => unreachable!("atomic zaps are refused"),
        AccessKind::Flush => {
            let _ = writeln!(text, "\tsmp_mb();\t// TLB flush ({})", scenario.flush.id());
        }
    }
    // The operation's own site, then the clear counter's (kvm_count_wmb)
    // after its last store.
    for barrier in access.wmbs_after() {
        write_barrier(text, scenario, barrier, "smp_wmb()");
    }
}

/// `call` is `smp_wmb()` or `smp_rmb()`; a site switched off stays visible
/// as a comment.
fn write_barrier(text: &mut String, scenario: &Scenario, barrier: Barrier, call: &str) {
    write_barrier_at(text, scenario, barrier, call, "\t");
}

/// [`write_barrier`] at an indentation of its own (inside an `if`).
fn write_barrier_at(
    text: &mut String,
    scenario: &Scenario,
    barrier: Barrier,
    call: &str,
    indent: &str,
) {
    let origin =
        if barrier.in_kernel() { String::new() } else { format!(" ({})", barrier.origin()) };
    if scenario.barriers.is_on(barrier) {
        let _ = writeln!(text, "{indent}{call};\t// {}{origin}", barrier.id());
    } else {
        let _ = writeln!(text, "{indent}// {} off: no {call}{origin}", barrier.id());
    }
}

/// A reader's load of `word` into `register`, `READ_ONCE()` or plain.
fn write_load(text: &mut String, indent: &str, register: &str, word: Word, marked: bool) {
    let variable = variable(word);
    if marked {
        let _ = writeln!(text, "{indent}{register} = READ_ONCE(*{variable});");
    } else {
        let _ = writeln!(text, "{indent}{register} = *{variable};");
    }
}

fn write_reader(text: &mut String, scenario: &Scenario, reader: u8) {
    let _ = writeln!(text, "P{reader}(int *lo, int *hi)\n{{");
    text.push_str("\tint r0;\n\tint r1;\n\tint r2;\n\n");
    let load = |text: &mut String, register: &str, word: Word| {
        write_load(text, "\t", register, word, load_marked(scenario, word));
    };
    load(text, "r0", Word::Low);
    write_barrier(text, scenario, Barrier::ReaderRmb1, "smp_rmb()");
    load(text, "r1", Word::High);
    write_barrier(text, scenario, Barrier::ReaderRmb2, "smp_rmb()");
    load(text, "r2", Word::Low);
    text.push_str("}\n\n");
}

/// x86 PAE's `pmd_read_atomic()`: the low half; if it is not 0,
/// `smp_rmb()` (site `pmd_rmb`) and the high half. C's `if` is the kernel's
/// `if (ret)`: LKMM, as the explorer's weak model, orders no load after it.
fn write_pmd_read_atomic(text: &mut String, scenario: &Scenario, reader: u8) {
    let marked = load_marked(scenario, Word::Low);
    let _ = writeln!(text, "P{reader}(int *lo, int *hi)\n{{");
    text.push_str("\tint r0;\n\tint r1;\n\n");
    write_load(text, "\t", "r0", Word::Low, marked);
    text.push_str("\tif (r0 != 0) {\n");
    write_barrier_at(text, scenario, Barrier::PmdRmb, "smp_rmb()", "\t\t");
    write_load(text, "\t\t", "r1", Word::High, marked);
    text.push_str("\t}\n}\n\n");
}

/// One attempt of KVM's `__get_spte_lockless()`: the clear counter,
/// `smp_rmb()` (site `kvm_count_rmb`), the lockless loop's three loads and
/// its two `smp_rmb()`s, then the `||` as the branch it is: the count is
/// read again only when the low half matched. LKMM, as the explorer's weak
/// model, orders no load after the `if`, so `c2` may be read before `r2`.
fn write_kvm_spte(text: &mut String, scenario: &Scenario, reader: u8) {
    let halves = load_marked(scenario, Word::Low);
    let count = load_marked(scenario, Word::Count);
    let _ = writeln!(text, "P{reader}({})\n{{", parameters(true));
    text.push_str("\tint c;\n\tint r0;\n\tint r1;\n\tint r2;\n\tint c2;\n\n");
    write_load(text, "\t", "c", Word::Count, count);
    write_barrier(text, scenario, Barrier::KvmCountRmb, "smp_rmb()");
    write_load(text, "\t", "r0", Word::Low, halves);
    write_barrier(text, scenario, Barrier::ReaderRmb1, "smp_rmb()");
    write_load(text, "\t", "r1", Word::High, halves);
    write_barrier(text, scenario, Barrier::ReaderRmb2, "smp_rmb()");
    write_load(text, "\t", "r2", Word::Low, halves);
    text.push_str("\t// spte_low != orig->spte_low || count != sp->clear_spte_count\n");
    text.push_str("\tif (r2 == r0) {\n");
    write_load(text, "\t\t", "c2", Word::Count, count);
    text.push_str("\t}\n}\n\n");
}

/// GUP-fast's `READ_ONCE(*pmdp)` of a 64-bit pmd on i386: a `READ_ONCE()`
/// of each half, no barrier between (the halves of one volatile access;
/// marked whatever the scenario says). The interrupts-off section around
/// it has no LKMM meaning (the header says so).
fn write_read_once64(text: &mut String, reader: u8) {
    let _ = writeln!(text, "P{reader}(int *lo, int *hi)\n{{");
    text.push_str("\tint r0;\n\tint r1;\n\n");
    text.push_str("\t// gup_pmd_range()'s 64-bit READ_ONCE(): two 32-bit loads, no barrier\n");
    write_load(text, "\t", "r0", Word::Low, true);
    write_load(text, "\t", "r1", Word::High, true);
    text.push_str("}\n\n");
}

fn write_exists(text: &mut String, program: &Program) {
    let scenario = program.scenario();
    let present = present_word(scenario);
    let mask = 1u32 << (scenario.present_bit % 32);
    // Every value a load of the present half can return, in order of first
    // appearance: the initial value and each store to that half.
    let mut candidates = vec![half(scenario.values.p0, present)];
    for access in program.accesses() {
        if let AccessKind::Store(word) = access.kind {
            if word == present {
                candidates.push(access.stored(word));
            }
        }
    }
    let present_values = distinct(candidates.into_iter().filter(|value| value & mask != 0));
    let whole: Vec<Pte> =
        distinct(std::iter::once(scenario.values.p0).chain(scenario.values.p.iter().copied()));
    let register = match present {
        Word::High => "r1",
        Word::Low | Word::Seq | Word::Count => "r0",
    };
    let terms: Vec<String> = (1..=scenario.readers)
        .map(|reader| {
            // What the kind's own code asks before it returns (r0, r1):
            // the lockless loop's check; pmd_read_atomic()'s non-zero low
            // half (a zero one returns (0, 0), not present, never torn);
            // nothing for READ_ONCE().
            let mut conjuncts = match scenario.reader_kind(reader - 1) {
                ReaderKind::PmdReadAtomic => vec![format!("~{reader}:r0=0")],
                ReaderKind::ReadOnce64 => Vec::new(),
                ReaderKind::KvmSpte => {
                    vec![format!("{reader}:r0={reader}:r2"), format!("{reader}:c2={reader}:c")]
                }
                _ => vec![format!("{reader}:r0={reader}:r2")],
            };
            conjuncts.push(if present_values.is_empty() {
                "false".to_owned()
            } else {
                let atoms: Vec<String> = present_values
                    .iter()
                    .map(|value| format!("{reader}:{register}={}", int32(*value)))
                    .collect();
                format!("({})", atoms.join(" \\/ "))
            });
            conjuncts.extend(whole.iter().map(|pte| {
                format!("~({reader}:r0={} /\\ {reader}:r1={})", int32(pte.low()), int32(pte.high()))
            }));
            format!("({})", conjuncts.join(" /\\ "))
        })
        .collect();
    text.push_str("exists (\n");
    for (index, term) in terms.iter().enumerate() {
        let join = if index == 0 { "   " } else { "\\/ " };
        let _ = writeln!(text, "\t{join}{term}");
    }
    text.push_str(")\n");
}

/// The half of the PTE that holds the present bit.
fn present_word(scenario: &Scenario) -> Word {
    if scenario.present_bit < 32 {
        Word::Low
    } else {
        Word::High
    }
}

fn variable(word: Word) -> &'static str {
    match word {
        Word::Low => "lo",
        Word::High => "hi",
        Word::Seq => "seq",
        Word::Count => "cnt",
    }
}

fn half(pte: Pte, word: Word) -> u32 {
    match word {
        Word::Low => pte.low(),
        Word::High => pte.high(),
        Word::Seq | Word::Count => 0,
    }
}

/// The items in order of first appearance, each once.
fn distinct<T: PartialEq>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// Wraps a sentence at `width` columns.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_keep_their_bits_as_signed_ints() {
        assert_eq!(int32(0x0000_1067), 4199);
        assert_eq!(int32(0x7fff_ffff), i32::MAX);
        assert_eq!(int32(0x8000_0000), i32::MIN);
        assert_eq!(int32(0xffff_ffff), -1);
    }

    #[test]
    fn names_are_one_word() {
        assert_eq!(test_name("same-low-none"), "same-low-none");
        assert_eq!(test_name("my scenario.json"), "my_scenario.json");
        assert_eq!(test_name(""), "pte");
        assert_eq!(test_name("_x"), "p_x");
        assert!(valid_name(&test_name(&"x".repeat(100))));
        assert!(!valid_name("a b"));
        assert!(!valid_name("-a"));
    }
}
