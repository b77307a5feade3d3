//! `pte-explorer mail`: snapshots of the text, and the text parsed back for
//! every preset's torn witness under every model, in both layouts: every
//! line fits 72 columns in ASCII, every witness step appears exactly once in
//! its thread's column in the witness's order, and the outcome names the
//! value, reader and provenance `check --json` reports.

use expect_test::expect;
use pte_core::listing::{self, LineKind};
use pte_core::mail::{Style, WIDTH};
use pte_core::{catalog, link, parse_steps, MemoryModel, Program, Step};

mod common;

use common::{check_output, run};

const BASE: &str = "http://127.0.0.1:8080/";

/// One torn witness as `check --json` reports it.
struct Witness {
    steps: Vec<Step>,
    /// The compiled form the steps run in.
    form: usize,
    value: String,
    reader: u64,
    low_from: String,
    high_from: String,
}

/// The first returned torn read of `check --json` on this command line's
/// scenario, if any.
fn first_torn_witness(scenario_args: &str) -> Option<Witness> {
    let ran = run(&format!("check --json {scenario_args}"));
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("check --json");
    let results = json["results"].as_array().expect("results");
    let torn =
        results.iter().find(|result| result["verdict"] == "torn" && result["returned"] == true)?;
    let ids: Vec<&str> = torn["witness"]
        .as_array()
        .expect("witness")
        .iter()
        .map(|id| id.as_str().expect("id"))
        .collect();
    Some(Witness {
        steps: parse_steps(ids).expect("the witness parses"),
        form: torn["form"].as_u64().expect("form") as usize,
        value: torn["value"].as_str().expect("value").to_owned(),
        reader: torn["reader"].as_u64().expect("reader"),
        low_from: torn["low_from"].as_str().expect("low_from").to_owned(),
        high_from: torn["high_from"].as_str().expect("high_from").to_owned(),
    })
}

/// A thread by its place among the CPUs: 0 is the writer, n is reader n.
fn thread_of_step(step: Step) -> usize {
    step.reader().map_or(0, |reader| usize::from(reader) + 1)
}

/// The CPU's number in the label ("CPU0", "CPU 1") as a thread place.
fn thread_of_label(style: Style, label: &str) -> usize {
    let number: usize = label.trim_start_matches("CPU").trim().parse().expect("a CPU label");
    match style {
        Style::Lockdep => number,
        Style::Barriers => number - 1,
    }
}

/// The column of the text: where each column's lines start, the threads it
/// holds, and the rows below the header (thread place, text).
fn parse_columns(style: Style, text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let underline = match style {
        Style::Lockdep => '-',
        Style::Barriers => '=',
    };
    let header_at = lines
        .windows(2)
        .position(|pair| {
            pair[0].trim_start().starts_with("CPU")
                && !pair[1].trim().is_empty()
                && pair[1].trim().chars().all(|c| c == underline || c == ' ')
        })
        .expect("a header underlined");
    let header = lines[header_at];
    // (start, labels) per column, from the header's labels.
    let mut columns: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut at = 0;
    while let Some(found) = header[at..].find("CPU") {
        let start = at + found;
        let end = header[start..].find("  ").map_or(header.len(), |gap| start + gap);
        let labels =
            header[start..end].split('/').map(|label| thread_of_label(style, label)).collect();
        let events_start = match (style, columns.len()) {
            (Style::Lockdep, 0) => 2,
            _ => start,
        };
        columns.push((events_start, labels));
        at = end;
    }
    let mut rows = Vec::new();
    let mut body = lines[header_at + 2..].iter();
    if style == Style::Barriers {
        let initial = body.next().expect("the initial state");
        assert!(initial.trim_start().starts_with("{ "), "{initial}");
    }
    for line in body.take_while(|line| !line.is_empty()) {
        let indent = line.len() - line.trim_start().len();
        let (_, held) = columns
            .iter()
            .find(|(start, _)| *start == indent)
            .unwrap_or_else(|| panic!("{line:?} starts in no column ({columns:?})"));
        let content = line.trim_start();
        let (thread, content) = if held.len() > 1 {
            let (label, rest) =
                content.split_once(": ").expect("a shared column's line names its CPU");
            let thread = thread_of_label(style, label);
            assert!(held.contains(&thread), "{line:?} in a column that does not hold its CPU");
            (thread, rest)
        } else {
            (held[0], content)
        };
        rows.push((thread, content.to_owned()));
    }
    rows
}

/// The listing's code line of a step; a drain has none (no kernel code
/// drains a store buffer) and is a comment.
fn step_code(program: &Program, step: Step) -> String {
    let lines: Vec<listing::Line> = match step {
        Step::Reader { reader, .. } => listing::reader_lines(program, reader),
        Step::Drain => return "/* store buffer".to_owned(),
        Step::Writer(_) => {
            listing::writer_blocks(program).into_iter().flat_map(|block| block.lines).collect()
        }
    };
    lines.into_iter().find(|line| line.kind == LineKind::Step(step)).expect("a code line").code
}

/// The lines of a thread that are not steps: its barriers, labels, return.
fn other_lines(program: &Program, thread: usize) -> Vec<String> {
    let lines: Vec<listing::Line> = match thread {
        0 => listing::writer_blocks(program).into_iter().flat_map(|block| block.lines).collect(),
        reader => listing::reader_lines(program, (reader - 1) as u8),
    };
    lines
        .into_iter()
        .filter(|line| !matches!(line.kind, LineKind::Step(_)))
        .map(|line| line.code)
        .collect()
}

/// Parses the mail text back and checks it against the witness.
#[track_caller]
fn check_text(what: &str, style: Style, text: &str, witness: &Witness) {
    let lines: Vec<&str> = text.lines().collect();
    for (number, line) in lines.iter().enumerate() {
        assert!(line.is_ascii(), "{what}: line {} is not ASCII: {line:?}", number + 1);
        // The permalink is a URL alone on its line: the one line that may
        // pass the width, as a URL cannot be wrapped.
        if number != 1 {
            assert!(
                line.len() <= WIDTH,
                "{what}: line {} has {} columns: {line:?}",
                number + 1,
                line.len()
            );
        }
    }
    let query = lines[1].strip_prefix(&format!("{BASE}#")).expect("the permalink on line 2");
    let decoded = link::decode(query).expect("the permalink decodes");
    assert_eq!(decoded.steps, witness.steps, "{what}: the permalink's trace is the witness");
    assert_eq!(decoded.form, witness.form, "{what}: the permalink's compiled form");
    let program = Program::compiled(decoded.scenario, decoded.form).expect("the scenario");

    // Every step once, in its thread's column, in the witness's order; the
    // other rows are barriers, the retry label and the return.
    let rows = parse_columns(style, text);
    let mut next = 0;
    for (thread, content) in &rows {
        if let Some(step) = witness.steps.get(next) {
            if thread_of_step(*step) == *thread && content.starts_with(&step_code(&program, *step))
            {
                next += 1;
                continue;
            }
        }
        assert!(
            other_lines(&program, *thread).contains(content),
            "{what}: the row {content:?} of thread {thread} is neither the next witness step \
             ({:?}) nor a barrier, label or return\n{text}",
            witness.steps.get(next)
        );
    }
    assert_eq!(next, witness.steps.len(), "{what}: not every witness step has its line\n{text}");

    // The outcome names the reader, the torn value and where each half came from.
    let outcome_at =
        lines.iter().position(|line| line.starts_with("Outcome: ")).expect("an outcome");
    let cpu = match style {
        Style::Lockdep => format!("CPU{}", witness.reader),
        Style::Barriers => format!("CPU {}", witness.reader + 1),
    };
    assert_eq!(
        lines[outcome_at],
        format!("Outcome: {cpu} (reader {}) returned {}:", witness.reader, witness.value),
        "{what}"
    );
    let paragraph: Vec<&str> = lines[outcome_at + 1..]
        .iter()
        .take_while(|line| !line.is_empty())
        .map(|line| line.trim())
        .collect();
    let paragraph = paragraph.join(" ");
    assert!(paragraph.starts_with("TORN"), "{what}: {paragraph}");
    assert!(
        paragraph.contains(&format!(
            "low half came from {}, its high half from {};",
            witness.low_from, witness.high_from
        )),
        "{what}: {paragraph}"
    );
    assert!(text.contains("\nWhy "), "{what}: a Why section");
}

#[test]
fn every_torn_witness_reads_back_from_its_text() {
    let mut checked = 0;
    for preset in catalog::presets() {
        for model in MemoryModel::ALL {
            let scenario_args = format!("{} --model {}", preset.id, model.id());
            let Some(witness) = first_torn_witness(&scenario_args) else { continue };
            for style in Style::ALL {
                let ran = run(&format!("mail {scenario_args} --style {}", style.id()));
                assert_eq!(ran.code, 1, "{scenario_args}: {}", ran.error);
                check_text(
                    &format!("{scenario_args} ({})", style.id()),
                    style,
                    &ran.stdout,
                    &witness,
                );
                checked += 1;
            }
        }
    }
    // Every model has torn witnesses among the presets.
    assert!(checked >= 2 * 20, "only {checked} texts checked");
}

#[test]
fn a_trace_with_more_readers_than_columns_folds_and_says_so() {
    let saved = std::env::temp_dir().join(format!("pte-mail-{}-fold.json", std::process::id()));
    let ran = run(&format!("check same-low-none --readers 3 --save-witness {}", saved.display()));
    assert_eq!(ran.code, 1);
    let mut trace = pte_core::Trace::from_json(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    // Readers 2 and 3 start too, and finish their loads after reader 1's read.
    let mut steps: Vec<String> = ["r2.off", "r2.r0", "r3.off", "r3.r0"].map(str::to_owned).to_vec();
    steps.extend(trace.steps.iter().cloned());
    trace.steps = steps;
    std::fs::write(&saved, trace.to_json()).unwrap();
    let witness = Witness {
        steps: trace.parsed_steps().unwrap(),
        form: trace.form,
        value: "0x0000000000001067".to_owned(),
        reader: 1,
        low_from: "P0 (initial)".to_owned(),
        high_from: "Z (writer op 1)".to_owned(),
    };
    for style in Style::ALL {
        let ran = run(&format!("mail --trace {} --style {}", saved.display(), style.id()));
        assert_eq!(ran.code, 1, "{}", ran.error);
        assert!(ran.stdout.contains("do not fit side by side in 72 columns"), "{}", ran.stdout);
        check_text(&format!("three readers ({})", style.id()), style, &ran.stdout, &witness);
    }
    std::fs::remove_file(saved).ok();
}

#[test]
fn utf8_draws_arrows_and_ascii_does_not() {
    let ascii = run("mail same-low-none --model tso");
    let utf8 = run("mail same-low-none --model tso --utf8");
    assert!(ascii.stdout.is_ascii());
    assert!(!utf8.stdout.is_ascii());
    assert!(utf8.stdout.contains("\u{2192}fr"), "{}", utf8.stdout);
    // The C code keeps its own arrows.
    assert!(utf8.stdout.contains("ptep->pte_low"));
    assert_eq!(
        ascii
            .stdout
            .replace("->fr", "\u{2192}fr")
            .replace("->rf", "\u{2192}rf")
            .replace("buffer ->", "buffer \u{2192}"),
        utf8.stdout
    );
}

#[test]
fn no_torn_read_is_a_note_with_check_exit_status() {
    check_output(
        "mail kernel",
        0,
        expect![[r#"
            no read of kernel returns a torn value (the exploration was complete): nothing to mail
        "#]],
    );
    check_output(
        "mail same-low-paravirt --cycles 3 --readers 2 --max-states 50",
        3,
        expect![[r#"
            no read of same-low-paravirt, changed by flags returns a torn value (but the search stopped at the limit of 50 states (raise --max-states)): nothing to mail
        "#]],
    );
    let ran = run("mail --trace x.json --model weak");
    assert_eq!(ran.code, 2);
    assert_eq!(ran.error, "--trace: the trace file holds its scenario; give no scenario flags");
    let ran = run("mail same-low-none --style email");
    assert_eq!(ran.code, 2);
    assert!(ran.error.contains("expected one of lockdep, barriers"), "{}", ran.error);
}

#[test]
fn same_low_none_in_lockdep_columns() {
    check_output(
        "mail same-low-none",
        1,
        expect![[r#"
            pte-explorer: same-low-none, sequential consistency
            http://127.0.0.1:8080/#v=3&model=sc&bit=0&writer=zap,flush,establish&p0=100001067&z=0&p=300001067&readers=1&flush=none&off=zap_wmb2,establish_wmb2&cc=1&t=r1.off,r1.r0,w1,w2,r1.r1,w3,w4,r1.r2,r1.chk

             Initially { ptep->pte == 0x0000000100001067 }

             Possible torn read scenario:

                   CPU0                    CPU1
                   ----                    ----
                                           local_irq_save(flags);
                                           r0 = ptep->pte_low; /* 0x00001067 */
              ptep->pte_low = 0x00000000; /* Z */
              smp_wmb();
              ptep->pte_high = 0x00000000; /* Z */
                                           smp_rmb();
                                           r1 = ptep->pte_high; /* 0x00000000 */
              ptep->pte_high = 0x00000003; /* P1 */
              smp_wmb();
              ptep->pte_low = 0x00001067; /* P1 */
                                           smp_rmb();
                                           r2 = ptep->pte_low; /* 0x00001067 */
                                           if (unlikely(r0 != r2)) goto retry;
                                           return (r1 << 32) | r0;

             CPU0: the writer, zap, flush, establish
             CPU1: reader 1, pte = ptep_get_lockless(ptep);

             *** TORN READ ***

            Outcome: CPU1 (reader 1) returned 0x0000000000001067:
              TORN: a present PTE no writer ever wrote. Its low half came from P0
              (initial), its high half from Z (writer op 1); no retry.

            Why (each event executes before the next, in this run):

              A: CPU1 loads 0x00001067 (P0) from pte_low  executes before
              B: CPU0 stores 0x00000000 (Z) to pte_low    executes before
              C: CPU0 stores 0x00000000 (Z) to pte_high   executes before
              D: CPU1 loads 0x00000000 (Z) from pte_high  executes before
              E: CPU0 stores 0x00000003 (P1) to pte_high  executes before
              F: CPU0 stores 0x00001067 (P1) to pte_low   executes before
              G: CPU1 loads 0x00001067 (P1) from pte_low.

            A ->fr B: A read the value B overwrites.
            C ->rf D: D reads the value C stored.
            D ->fr E: D read the value E overwrites.
            F ->rf G: G reads the value F stored.
            r0 and r2 hold the same low half, 0x00001067, from different writes (P0
            and P1): the check r0 == r2 cannot see that the entry changed in
            between.
            So the low half comes from P0 (initial) and the high half from Z (writer
            op 1).
        "#]],
    );
}

#[test]
fn jann_two_cycles_in_memory_barriers_columns() {
    check_output(
        "mail jann-two-cycles --style barriers",
        1,
        expect![[r#"
            pte-explorer: jann-two-cycles, sequential consistency
            http://127.0.0.1:8080/#v=3&model=sc&bit=0&writer=zap,flush,establish,zap,flush,establish&p0=1000100010067&z=0&p=1000200020067,1000300010067&readers=1&flush=none&off=zap_wmb2,establish_wmb2&cc=1&t=r1.off,r1.r0,w1,w2,w3,w4,w5,w6,r1.r1,w7,w8,r1.r2,r1.chk

                    CPU 1                 CPU 2
                    ===============       ===============
                    { ptep->pte == 0x0001000100010067 }
                                          local_irq_save(flags);
                                          r0 = ptep->pte_low; /* 0x00010067 */
                    ptep->pte_low = 0x00000000; /* Z */
                    smp_wmb();
                    ptep->pte_high = 0x00000000; /* Z */
                    ptep->pte_high = 0x00010002; /* P1 */
                    smp_wmb();
                    ptep->pte_low = 0x00020067; /* P1 */
                    ptep->pte_low = 0x00000000; /* Z */
                    smp_wmb();
                    ptep->pte_high = 0x00000000; /* Z */
                                          smp_rmb();
                                          r1 = ptep->pte_high; /* 0x00000000 */
                    ptep->pte_high = 0x00010003; /* P2 */
                    smp_wmb();
                    ptep->pte_low = 0x00010067; /* P2 */
                                          smp_rmb();
                                          r2 = ptep->pte_low; /* 0x00010067 */
                                          if (unlikely(r0 != r2)) goto retry;
                                          return (r1 << 32) | r0;

             CPU 1: the writer, zap, flush, establish, zap, flush, establish
             CPU 2: reader 1, pte = ptep_get_lockless(ptep);

             *** TORN READ ***

            Outcome: CPU 2 (reader 1) returned 0x0000000000010067:
              TORN: a present PTE no writer ever wrote. Its low half came from P0
              (initial), its high half from Z (writer op 4); no retry.

            Why (each event executes before the next, in this run):

              A: CPU 2 loads 0x00010067 (P0) from pte_low  executes before
              B: CPU 1 stores 0x00000000 (Z) to pte_low    executes before
              C: CPU 1 stores 0x00000000 (Z) to pte_high   executes before
              D: CPU 1 stores 0x00010002 (P1) to pte_high  executes before
              E: CPU 1 stores 0x00020067 (P1) to pte_low   executes before
              F: CPU 1 stores 0x00000000 (Z) to pte_low    executes before
              G: CPU 1 stores 0x00000000 (Z) to pte_high   executes before
              H: CPU 2 loads 0x00000000 (Z) from pte_high  executes before
              I: CPU 1 stores 0x00010003 (P2) to pte_high  executes before
              J: CPU 1 stores 0x00010067 (P2) to pte_low   executes before
              K: CPU 2 loads 0x00010067 (P2) from pte_low.

            A ->fr B: A read the value B overwrites.
            G ->rf H: H reads the value G stored.
            H ->fr I: H read the value I overwrites.
            J ->rf K: K reads the value J stored.
            r0 and r2 hold the same low half, 0x00010067, from different writes (P0
            and P2): the check r0 == r2 cannot see that the entry changed in
            between.
            So the low half comes from P0 (initial) and the high half from Z (writer
            op 4).
        "#]],
    );
}

#[test]
fn weak_model_names_the_missing_barrier() {
    check_output(
        "mail weak-no-rmb1",
        1,
        expect![[r#"
            pte-explorer: weak-no-rmb1, weak (ARMv8-like, multicopy-atomic)
            http://127.0.0.1:8080/#v=3&model=weak&bit=0&writer=zap,flush,establish&p0=100001067&z=0&p=300002067&readers=1&flush=none&off=zap_wmb2,establish_wmb2,reader_rmb1&cc=1&t=w1,w2,r1.off,r1.r1,w3,w4,r1.r0,r1.r2,r1.chk

             Initially { ptep->pte == 0x0000000100001067 }

             Possible torn read scenario:

                   CPU0                    CPU1
                   ----                    ----
              ptep->pte_low = 0x00000000; /* Z */
              smp_wmb();
              ptep->pte_high = 0x00000000; /* Z */
                                           local_irq_save(flags);
                                           r1 = ptep->pte_high; /* 0x00000000 */
              ptep->pte_high = 0x00000003; /* P1 */
              smp_wmb();
              ptep->pte_low = 0x00002067; /* P1 */
                                           r0 = ptep->pte_low; /* 0x00002067 */
                                           smp_rmb();
                                           r2 = ptep->pte_low; /* 0x00002067 */
                                           if (unlikely(r0 != r2)) goto retry;
                                           return (r1 << 32) | r0;

             CPU0: the writer, zap, flush, establish
             CPU1: reader 1, pte = ptep_get_lockless(ptep);

             *** TORN READ ***

            Outcome: CPU1 (reader 1) returned 0x0000000000002067:
              TORN: a present PTE no writer ever wrote. Its low half came from P1
              (writer op 3), its high half from Z (writer op 1); no retry.

            Why (each event executes before the next, in this run):

              A: CPU0 stores 0x00000000 (Z) to pte_high   executes before
              B: CPU1 loads 0x00000000 (Z) from pte_high  executes before
              C: CPU0 stores 0x00000003 (P1) to pte_high  executes before
              D: CPU0 stores 0x00002067 (P1) to pte_low   executes before
              E: CPU1 loads 0x00002067 (P1) from pte_low  executes before
              F: CPU1 loads 0x00002067 (P1) from pte_low.

            A ->rf B: B reads the value A stored.
            B ->fr C: B read the value C overwrites.
            D ->rf E: E reads the value D stored.
            B executes before `r0 = ptep->pte_low;`, which comes first in CPU1's
            program, under the weak model: smp_rmb() (reader_rmb1) is switched off.
            So the low half comes from P1 (writer op 3) and the high half from Z
            (writer op 1).
        "#]],
    );
}

/// The README shows what a reader gets: its two texts are the CLI's.
#[test]
fn the_readme_shows_the_texts_the_cli_writes() {
    let readme = include_str!("../../../README.md");
    for command in ["mail same-low-none", "mail jann-two-cycles"] {
        let marker = format!("`pte-explorer {command}`:\n\n```text\n");
        let start = readme.find(&marker).unwrap_or_else(|| panic!("README shows `{command}`"))
            + marker.len();
        let end = start + readme[start..].find("```").expect("the block ends");
        assert_eq!(readme[start..end], run(command).stdout, "README's `{command}`");
    }
}
