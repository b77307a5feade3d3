//! `pte-explorer litmus`: the exported C litmus tests. Every catalog preset
//! is snapshotted as a file in `tests/litmus/` (`UPDATE_EXPECT=1 cargo test
//! -p pte-explorer` rewrites them, as it does the inline snapshots), so the
//! files can be handed to herd7 as they are; the special cases snapshot the
//! parts they are about; and a small parser checks that every file has the
//! sections herd7 requires.

use std::path::{Path, PathBuf};

use clap::Parser;
use expect_test::{expect, Expect};
use pte_core::{catalog, litmus, Scenario};
use pte_explorer::Cli;

/// Runs one command line; the exit status and the output, or the error.
fn run(command_line: &str) -> (u8, String) {
    let argv = std::iter::once("pte-explorer").chain(command_line.split_whitespace());
    let cli = Cli::try_parse_from(argv).expect("the command line parses");
    let mut out = Vec::new();
    match pte_explorer::run(&cli, &mut out) {
        Ok(exit) => (exit.code(), String::from_utf8(out).expect("UTF-8")),
        Err(error) => (pte_explorer::INPUT_ERROR_CODE, error.to_string()),
    }
}

/// The exported test for a command line that must succeed.
#[track_caller]
fn exported(command_line: &str) -> String {
    let (code, text) = run(command_line);
    assert_eq!(code, 0, "`{command_line}`: {text}");
    text
}

/// The lines of `text` from the first that starts with `start` to the
/// first after it that starts with `end` (inclusive).
fn section(text: &str, start: &str, end: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.iter().position(|line| line.starts_with(start)).expect("section start");
    let to = from + lines[from..].iter().position(|line| line.starts_with(end)).expect("end");
    lines[from..=to].join("\n") + "\n"
}

#[track_caller]
fn check_section(command_line: &str, start: &str, end: &str, expect: Expect) {
    let text = exported(command_line);
    check_sections_of(&text, herd_shape(&text));
    expect.assert_eq(&section(&text, start, end));
}

fn snapshot_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("litmus")
}

#[test]
fn every_preset_is_snapshotted() {
    let folder = snapshot_folder();
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut expected_files = Vec::new();
    let mut stale = Vec::new();
    for preset in catalog::presets() {
        let (code, text) = run(&format!("litmus {}", preset.id));
        if code != 0 {
            // Only the atomic zap, readers of a kind the export does not
            // write (GUP-fast's re-check, the walker's 64-bit load, the
            // sequence counter) and the sequence-counter writer are refused
            // (KVM's clear counter is exported);
            // tests check the messages.
            let scenario = preset.scenario();
            let refused = scenario.writer.contains(&pte_core::WriterOp::ZapAtomic)
                || scenario.reader_kinds.iter().any(|kind| !litmus::exported_kind(*kind))
                || scenario.seqcount;
            assert!(refused, "{text}");
            continue;
        }
        let file = folder.join(format!("{}.litmus", preset.id));
        expected_files.push(file.clone());
        if update {
            std::fs::create_dir_all(&folder).expect("create tests/litmus");
            std::fs::write(&file, &text).expect("write a snapshot");
            continue;
        }
        let snapshot = std::fs::read_to_string(&file).unwrap_or_default();
        if snapshot != text {
            stale.push(format!("{}:\n{text}", file.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "these snapshots differ (UPDATE_EXPECT=1 rewrites them):\n{}",
        stale.join("\n")
    );
    // No snapshot of a preset that no longer exists.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("tests/litmus")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    files.sort();
    expected_files.sort();
    assert_eq!(files, expected_files);
}

#[test]
fn every_export_has_the_sections_herd7_requires() {
    for preset in catalog::presets() {
        for readers in 1..=pte_core::MAX_READERS {
            let Ok(text) = litmus::export(
                &Scenario { readers: readers as u8, ..preset.scenario() },
                &format!("pte-{}", preset.id),
            ) else {
                continue;
            };
            let shape = herd_shape(&text);
            assert_eq!(shape.name, format!("pte-{}", preset.id));
            assert_eq!(shape.processes, readers + 1, "{text}");
            check_sections_of(&text, shape);
        }
    }
}

#[test]
fn atomic_zap_is_refused() {
    let (code, message) = run("litmus atomic-zap-same-low");
    assert_eq!(code, 2);
    expect!["cannot export a litmus test: writer op 1 is zap_atomic: one 64-bit atomic exchange cannot be written as stores to two 32-bit int halves, and a litmus test with two stores would check a different protocol"]
        .assert_eq(&message);
    let (code, message) = run("litmus kernel --name 9+bad/name");
    assert_eq!(code, 2);
    expect![[r#"cannot export a litmus test: test name "9+bad/name" must be 1 to 64 letters, digits, '_', '-', '+' or '.', starting with a letter or digit"#]]
        .assert_eq(&message);
}

#[test]
fn present_bit_in_the_high_half() {
    // The present candidates are the high halves with bit 32 - 32 = 0 set,
    // and r1 (hi) carries them.
    check_section(
        "litmus present-high-x86-order",
        "exists",
        ")",
        expect![[r#"
            exists (
            	   (1:r0=1:r2 /\ (1:r1=1 \/ 1:r1=3) /\ ~(1:r0=4199 /\ 1:r1=1) /\ ~(1:r0=8295 /\ 1:r1=3))
            )
        "#]],
    );
    // Bit 40 of the PTE is bit 8 of hi: no half written here has it, so no
    // read can be present and the clause is false.
    check_section(
        "litmus present-high-x86-order --present-bit 40",
        "exists",
        ")",
        expect![[r#"
            exists (
            	   (1:r0=1:r2 /\ false /\ ~(1:r0=4199 /\ 1:r1=1) /\ ~(1:r0=8295 /\ 1:r1=3))
            )
        "#]],
    );
}

#[test]
fn same_low_values() {
    // P1 reuses P0's low half: one present low value, two whole values to exclude.
    check_section(
        "litmus same-low-none",
        "exists",
        ")",
        expect![[r#"
            exists (
            	   (1:r0=1:r2 /\ (1:r0=4199) /\ ~(1:r0=4199 /\ 1:r1=1) /\ ~(1:r0=4199 /\ 1:r1=3))
            )
        "#]],
    );
}

#[test]
fn several_readers() {
    let text = exported("litmus same-low-paravirt --readers 3");
    assert_eq!(herd_shape(&text).processes, 4);
    expect![[r#"
        exists (
        	   (1:r0=1:r2 /\ (1:r0=4199) /\ ~(1:r0=4199 /\ 1:r1=1) /\ ~(1:r0=4199 /\ 1:r1=3))
        	\/ (2:r0=2:r2 /\ (2:r0=4199) /\ ~(2:r0=4199 /\ 2:r1=1) /\ ~(2:r0=4199 /\ 2:r1=3))
        	\/ (3:r0=3:r2 /\ (3:r0=4199) /\ ~(3:r0=4199 /\ 3:r1=1) /\ ~(3:r0=4199 /\ 3:r1=3))
        )
    "#]]
    .assert_eq(&section(&text, "exists", ")"));
    expect![[r#"
        P3(int *lo, int *hi)
        {
        	int r0;
        	int r1;
        	int r2;

        	r0 = *lo;
        	smp_rmb();	// reader_rmb1
        	r1 = *hi;
        	smp_rmb();	// reader_rmb2
        	r2 = *lo;
        }
    "#]]
    .assert_eq(&section(&text, "P3(", "}"));
}

#[test]
fn each_flush_mode() {
    let writer = |flush: &str| section(&exported(&format!("litmus --flush {flush}")), "P0(", "}");
    expect![[r#"
        P0(int *lo, int *hi)
        {
        	// op 1: zap, low first (x86 native_pte_clear)
        	*lo = 0;	// Z.low 0x00000000
        	smp_wmb();	// zap_wmb1
        	*hi = 0;	// Z.high 0x00000000
        	// zap_wmb2 off: no smp_wmb() (Jason's sketch, not in the kernel)
        	// op 2: TLB flush
        	// flush none: no flush before the re-establish
        	// op 3: establish, high first (set_pte)
        	*hi = 3;	// P1.high 0x00000003
        	smp_wmb();	// establish_wmb1
        	*lo = 8295;	// P1.low 0x00002067
        	// establish_wmb2 off: no smp_wmb() (Jason's sketch, not in the kernel)
        }
    "#]]
    .assert_eq(&writer("none"));
    let paravirt = writer("paravirt");
    assert!(paravirt.contains("\t// op 2: TLB flush\n\tsmp_mb();\t// TLB flush (paravirt)\n"));
    let ipi = writer("ipi");
    assert_eq!(ipi, paravirt.replace("(paravirt)", "(ipi)"), "ipi is written as paravirt");
    // The file says why, next to the export.
    let text = exported("litmus --flush ipi");
    let header = section(&text, "(*", " *)").replace("\n * ", " ");
    assert!(header.contains("TLB flush: ipi. LKMM has no interrupts"), "{header}");
    assert!(header.contains("herd7 answers the paravirt question"), "{header}");
    let (_, written) = run("litmus --flush paravirt -o /dev/null");
    assert!(!written.contains("note:"), "{written}");
}

#[test]
fn values_of_2_pow_31_and_more() {
    // NX (bit 63) in every present value, and a Z with bit 31 of lo: each
    // half is written as the signed int with its bits, the hex in a comment.
    let command = "litmus same-low-none --p0 0x8000000180001067 --z 0x80000000 \
                   --p 0xffffffff80001067";
    check_section(
        command,
        "{",
        "}",
        expect![[r#"
            {
            	lo=-2147479449; (* P0.low 0x80001067 *)
            	hi=-2147483647; (* P0.high 0x80000001 *)
            }
        "#]],
    );
    check_section(
        command,
        "P0(",
        "}",
        expect![[r#"
            P0(int *lo, int *hi)
            {
            	// op 1: zap, low first (x86 native_pte_clear)
            	*lo = -2147483648;	// Z.low 0x80000000
            	smp_wmb();	// zap_wmb1
            	*hi = 0;	// Z.high 0x00000000
            	// zap_wmb2 off: no smp_wmb() (Jason's sketch, not in the kernel)
            	// op 2: TLB flush
            	// flush none: no flush before the re-establish
            	// op 3: establish, high first (set_pte)
            	*hi = -1;	// P1.high 0xffffffff
            	smp_wmb();	// establish_wmb1
            	*lo = -2147479449;	// P1.low 0x80001067
            	// establish_wmb2 off: no smp_wmb() (Jason's sketch, not in the kernel)
            }
        "#]],
    );
    // Z's low half has bit 31, not the present bit 0: it is not a candidate.
    check_section(
        command,
        "exists",
        ")",
        expect![[r#"
            exists (
            	   (1:r0=1:r2 /\ (1:r0=-2147479449) /\ ~(1:r0=-2147479449 /\ 1:r1=-2147483647) /\ ~(1:r0=-2147479449 /\ 1:r1=-1))
            )
        "#]],
    );
    // With the present bit at 31 this Z would be present, which a zap never
    // stores: the scenario is refused (issue 25) before any export.
    let (code, said) = run(&format!("{command} --present-bit 31"));
    assert_eq!(code, pte_explorer::INPUT_ERROR_CODE);
    expect!["invalid scenario: values.z is 0x0000000080000000, which has the present bit (bit 31) set; Z is the not-present value a zap stores"]
        .assert_eq(&said);
}

#[test]
fn output_file_and_name() {
    let path = std::env::temp_dir().join(format!("pte-litmus-{}.litmus", std::process::id()));
    let path_text = path.to_str().expect("UTF-8 path");
    let (code, said) = run(&format!("litmus kernel -o {path_text}"));
    assert_eq!(code, 0, "{said}");
    let written = std::fs::read_to_string(&path).expect("the file");
    std::fs::remove_file(&path).ok();
    assert_eq!(written, exported("litmus kernel"));
    assert_eq!(
        said,
        format!(
            "wrote {path_text} (test pte-kernel)\n\
             run it from the kernel's tools/memory-model: herd7 -conf linux-kernel.cfg {path_text}\n\
             note: {}\n",
            litmus::IPI_NOTE
        )
    );
    // Names: the preset a scenario equals, else what it was built from.
    assert!(exported("litmus --model weak --flush none --barrier-off reader_rmb1")
        .starts_with("C pte-weak-no-rmb1\n"));
    assert!(exported("litmus kernel --readers 2").starts_with("C pte-kernel-changed\n"));
    assert!(exported("litmus --readers 2").starts_with("C pte-scenario\n"));
    assert!(exported("litmus --name MP+pte.1").starts_with("C MP+pte.1\n"));
}

/// What the structural parser found.
struct Shape {
    name: String,
    processes: usize,
}

/// Checks the sections herd7 requires, in order: `C <name>`, an init block
/// `{ … }`, processes `P0(…) { … }` … `PN(…) { … }` numbered from 0 without
/// gaps, each declaring only `int *` parameters, and one `exists (…)` with
/// balanced parentheses at the end. OCaml comments `(* … *)` may appear
/// outside the C bodies, `//` comments inside them.
fn herd_shape(text: &str) -> Shape {
    let (first, rest) = text.split_once('\n').expect("more than one line");
    let name = first.strip_prefix("C ").expect("the first line is `C <name>`").to_owned();
    assert!(!name.is_empty() && !name.contains(char::is_whitespace), "{first:?}");
    // OCaml comments are read outside the C bodies only: `READ_ONCE(*lo)`
    // has a `(*` that opens none.
    let (prelude, bodies) = rest.split_once("\nP0(").expect("a process P0");
    let prelude = strip_ocaml_comments(prelude);
    let prelude = prelude.trim();
    assert!(prelude.starts_with('{') && prelude.ends_with('}'), "an init block: {prelude}");
    for assignment in prelude[1..prelude.len() - 1].split(';').map(str::trim) {
        if assignment.is_empty() {
            continue;
        }
        let (variable, value) = assignment.split_once('=').expect("x=value");
        assert!(["lo", "hi", "cnt"].contains(&variable.trim()), "{assignment}");
        value.trim().parse::<i32>().expect("a 32-bit int");
    }
    let bodies = format!("P0({bodies}");
    let mut rest = bodies.as_str();
    let mut processes = 0;
    while let Some(after) = rest.strip_prefix(&format!("P{processes}(")) {
        let (parameters, body) = after.split_once(')').expect("a parameter list");
        for parameter in parameters.split(',') {
            assert!(parameter.trim().starts_with("int *"), "{parameter}");
        }
        let body = body.trim_start();
        assert!(body.starts_with('{'), "P{processes} has a body");
        let end = body.find("\n}\n").expect("the body ends with `}` on its own line");
        // `if (rN != 0) {` (pmd_read_atomic()'s test) or `if (r2 == r0) {`
        // (__get_spte_lockless()'s) opens a block, `}` closes it; every
        // other line is one statement.
        let mut blocks = 0;
        for line in body[1..end].lines() {
            let code = line.split("//").next().expect("a line").trim();
            if is_if_register_not_zero(code) || code == "if (r2 == r0) {" {
                blocks += 1;
                continue;
            }
            if code == "}" {
                blocks -= 1;
                assert!(blocks >= 0, "P{processes}: a `}}` closes no block");
                continue;
            }
            assert!(code.is_empty() || code.ends_with(';'), "P{processes}: {line:?}");
            assert!(!code.contains("0x"), "herd7 does not parse hex in a body: {line:?}");
            assert!(code.is_empty() || is_statement(code), "P{processes}: {line:?}");
        }
        assert_eq!(blocks, 0, "P{processes}: every block is closed");
        rest = body[end + 3..].trim_start();
        processes += 1;
    }
    assert!(processes >= 2, "a writer and at least one reader");
    let condition = strip_ocaml_comments(rest);
    let condition = condition.strip_prefix("exists").expect("an exists clause after the processes");
    let mut depth = 0i32;
    for c in condition.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        assert!(depth >= 0, "balanced parentheses: {condition}");
    }
    assert_eq!(depth, 0, "balanced parentheses: {condition}");
    assert!(condition.trim().starts_with('(') && condition.trim().ends_with(')'));
    Shape { name, processes }
}

/// `if (rN != 0) {`: a test of a register, in the form herd7's C parser
/// reads (the kernel's litmus tests write `if (r0)`).
fn is_if_register_not_zero(code: &str) -> bool {
    code.strip_prefix("if (r")
        .and_then(|rest| rest.strip_suffix(" != 0) {"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// One statement of a process body in a form the kernel's litmus tests use
/// and herd7's C parser reads: a register declaration, a barrier, a marked
/// access (`WRITE_ONCE(*lo, 1);`, `r0 = READ_ONCE(*lo);`) or a plain one
/// (`*lo = 1;`, `r0 = *lo;`, as the kernel's
/// `tools/memory-model/litmus-tests/dep+plain.litmus` writes `*z1 = a;`).
fn is_statement(code: &str) -> bool {
    let Some(code) = code.strip_suffix(';') else {
        return false;
    };
    let location = |text: &str| matches!(text, "*lo" | "*hi" | "*cnt");
    let register = |text: &str| {
        matches!(text, "c" | "c2")
            || text
                .strip_prefix('r')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let value = |text: &str| text.parse::<i32>().is_ok();
    if let Some(declared) = code.strip_prefix("int ") {
        return register(declared);
    }
    if ["smp_wmb()", "smp_rmb()", "smp_mb()"].contains(&code) {
        return true;
    }
    if let Some(arguments) = code.strip_prefix("WRITE_ONCE(").and_then(|a| a.strip_suffix(')')) {
        return arguments
            .split_once(", ")
            .is_some_and(|(target, stored)| location(target) && value(stored));
    }
    let Some((left, right)) = code.split_once(" = ") else {
        return false;
    };
    if location(left) {
        return value(right);
    }
    let loaded =
        right.strip_prefix("READ_ONCE(").and_then(|a| a.strip_suffix(')')).unwrap_or(right);
    register(left) && location(loaded)
}

/// The registers the exists clause names for a reader are exactly those
/// its process declares, in order from `r0`, at least `r0` and `r1` (the
/// value it returns), or KVM's `c`, `r0`, `r1`, `r2`, `c2`, and every
/// register the process loads is declared.
fn check_sections_of(text: &str, shape: Shape) {
    let condition = text.split("\nexists").nth(1).expect("exists");
    for reader in 1..shape.processes {
        let body = section(text, &format!("P{reader}("), "}");
        let declared: Vec<String> = body
            .lines()
            .filter_map(|line| line.trim().strip_prefix("int ")?.strip_suffix(';'))
            .map(str::to_owned)
            .collect();
        assert!(declared.len() >= 2, "{body}");
        let kvm = ["c", "r0", "r1", "r2", "c2"];
        let in_order: Vec<String> = if declared.first().is_some_and(|first| first == "c") {
            kvm.iter().map(|r| (*r).to_owned()).collect()
        } else {
            (0..declared.len()).map(|n| format!("r{n}")).collect()
        };
        assert_eq!(declared, in_order, "{body}");
        let declarations: String = declared.iter().map(|r| format!("\tint {r};\n")).collect();
        assert!(body.contains(&format!("{{\n{declarations}\n")), "declared first: {body}");
        for register in &declared {
            assert!(condition.contains(&format!("{reader}:{register}")), "{condition}");
        }
        let named = format!("{reader}:r{}", declared.iter().filter(|r| r.starts_with('r')).count());
        assert!(!condition.contains(&named), "{named} is not declared: {condition}");
        for line in body.lines() {
            let code = line.split("//").next().expect("a line").trim();
            if let Some((left, _)) = code.split_once(" = ") {
                assert!(declared.iter().any(|r| r == left), "{left} is not declared: {body}");
            }
        }
    }
    assert!(!condition.contains(&format!("{}:", shape.processes)), "no such process");
}

/// `text` without OCaml comments, which may nest.
fn strip_ocaml_comments(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('(', Some('*')) => {
                chars.next();
                depth += 1;
            }
            ('*', Some(')')) if depth > 0 => {
                chars.next();
                depth -= 1;
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    assert_eq!(depth, 0, "comments are closed");
    out
}

#[test]
fn the_parser_catches_what_herd7_would_refuse() {
    let good = exported("litmus kernel");
    let caught = |broken: String| {
        std::panic::catch_unwind(|| herd_shape(&broken)).is_err()
            || std::panic::catch_unwind(|| check_sections_of(&broken, herd_shape(&broken))).is_err()
    };
    assert!(!caught(good.clone()));
    assert!(caught(good.replacen("C pte-kernel", "pte-kernel", 1)));
    assert!(caught(good.replacen("P1(", "P2(", 1)));
    assert!(caught(good.replacen("*hi = 3;", "*hi = 0x3;", 1)));
    assert!(caught(good.replacen("r1 = *hi;", "r1 = hi;", 1)));
    assert!(caught(good.replacen("*lo = 0;", "*lo = 0", 1)));
    let marked = exported("litmus kernel --marked writer,reader");
    assert!(!caught(marked.clone()));
    assert!(caught(marked.replacen("WRITE_ONCE(*hi, 3);", "WRITE_ONCE(*hi, 0x3);", 1)));
    assert!(caught(marked.replacen("WRITE_ONCE(*hi, 3);", "WRITE_ONCE(hi, 3);", 1)));
    assert!(caught(marked.replacen("r1 = READ_ONCE(*hi);", "r1 = READ_ONCE(*hi;", 1)));
    assert!(caught(good.replacen("exists (", "exists ((", 1)));
    assert!(caught(good.replacen("\tint r2;\n", "", 1)));
    assert!(caught(good.replacen("lo=4199;", "lo=0x1067;", 1)));
    // pmd_read_atomic()'s if: a block left open, a test herd7's form does
    // not have, a register the clause names but the process never declared.
    let pmd = exported("litmus pmd-read-atomic-same-low");
    assert!(!caught(pmd.clone()));
    assert!(caught(pmd.replacen("\t}\n}\n", "}\n", 1)));
    assert!(caught(pmd.replacen("if (r0 != 0) {", "if r0 {", 1)));
    assert!(caught(pmd.replacen("\tint r1;\n", "", 1)));
    assert!(caught(pmd.replacen("~1:r0=0 /\\ ", "1:r0=1:r2 /\\ ", 1)));
}

#[test]
fn plain_accesses_are_plain_c_and_marked_ones_read_once_write_once() {
    // The kernel's protocol as in v6.0: plain stores and plain loads.
    let plain = exported("litmus kernel");
    assert!(litmus::has_plain_accesses(&catalog::find("kernel").unwrap().scenario()));
    assert!(plain.contains("\t*hi = 3;\t// P1.high 0x00000003\n"), "{plain}");
    assert!(plain.contains("\tr0 = *lo;\n\tsmp_rmb();\t// reader_rmb1\n\tr1 = *hi;\n"), "{plain}");
    assert!(!plain.contains("_ONCE(*"), "{plain}");
    // The writer's stores marked (as since v6.2), the readers' loads plain.
    let writer_marked = "litmus kernel --marked writer";
    check_section(
        writer_marked,
        "P0(",
        "}",
        expect![[r#"
            P0(int *lo, int *hi)
            {
            	// op 1: zap, low first (x86 native_pte_clear)
            	WRITE_ONCE(*lo, 0);	// Z.low 0x00000000
            	smp_wmb();	// zap_wmb1
            	WRITE_ONCE(*hi, 0);	// Z.high 0x00000000
            	// zap_wmb2 off: no smp_wmb() (Jason's sketch, not in the kernel)
            	// op 2: TLB flush
            	smp_mb();	// TLB flush (ipi)
            	// op 3: establish, high first (set_pte)
            	WRITE_ONCE(*hi, 3);	// P1.high 0x00000003
            	smp_wmb();	// establish_wmb1
            	WRITE_ONCE(*lo, 8295);	// P1.low 0x00002067
            	// establish_wmb2 off: no smp_wmb() (Jason's sketch, not in the kernel)
            }
        "#]],
    );
    check_section(
        writer_marked,
        "P1(",
        "}",
        expect![[r#"
            P1(int *lo, int *hi)
            {
            	int r0;
            	int r1;
            	int r2;

            	r0 = *lo;
            	smp_rmb();	// reader_rmb1
            	r1 = *hi;
            	smp_rmb();	// reader_rmb2
            	r2 = *lo;
            }
        "#]],
    );
    // The readers' loads marked, the writer's stores plain.
    let reader_marked = exported("litmus kernel --marked reader");
    assert!(reader_marked.contains("\t*lo = 0;\t// Z.low 0x00000000\n"), "{reader_marked}");
    assert!(reader_marked.contains("\tr2 = READ_ONCE(*lo);\n"), "{reader_marked}");
    assert!(!reader_marked.contains("WRITE_ONCE(*"), "{reader_marked}");
    // The header says which accesses are plain, why, and what herd7 does.
    let header = |command: &str| section(&exported(command), "(*", " *)").replace("\n * ", " ");
    expect![[r#"
        (* Result: Never *)
        (* ptep_get_lockless() on a 64-bit PTE read as two 32-bit halves: pte-kernel-changed.
         * lo and hi are pte_low and pte_high of one PTE. P0 is the writer: each zap and establish is its two stores, WRITE_ONCE() as on x86 since v6.2 ("x86/mm/pae: Use WRITE_ONCE()"), with smp_wmb() where a barrier site is on.
         * P1 to PR are readers, one attempt of ptep_get_lockless() each: r0 = lo, smp_rmb(), r1 = hi, smp_rmb(), r2 = lo (each smp_rmb() only where its site is on).
         * The compiler is modelled: a plain access is written as plain C, a marked one as READ_ONCE()/WRITE_ONCE(). The readers' loads are plain C loads, r0 = *lo, as in v6.0's ptep_get_lockless(). A plain access that races makes herd7 print "Flag data-race", and for a test with a data race LKMM "makes no predictions about the program's outcome" (tools/memory-model/Documentation/explanation.txt): herd7's Observation then does not judge the explorer, the same scenario with marked accesses on both sides does. The explorer's compiler only reorders and merges plain accesses between compiler barriers, which its weak model's CPU already does, so the weak model's answer is the same for plain and marked accesses.
         * One attempt loses nothing for the question whether a torn value can pass the check r0 = r2. A retry starts after the failed check, so the reads of a later attempt are only more constrained by coherence than those of a first attempt started at that moment: any value a later attempt can return, a first attempt can return too.
         * The exists clause asks for a torn read: some reader's check passes (r0 = r2), the value (lo = r0, hi = r1) is present (bit 0 of lo, bit 0 of the PTE) and it is none of P0, P1 to PN.
         * Values are signed 32-bit decimals, as herd7 reads C litmus ints; each store shows its hex value in a comment.
    "#]]
    .assert_eq(&header(writer_marked).lines().take(8).map(|l| format!("{l}\n")).collect::<String>());
    let both = header("litmus kernel --marked writer,reader");
    assert!(
        both.contains(
            "The readers' loads are READ_ONCE(). Every access is marked, so herd7 flags no data \
             race."
        ),
        "{both}"
    );
    let scenario = Scenario {
        marked_writer: true,
        marked_reader: true,
        ..catalog::find("kernel").unwrap().scenario()
    };
    assert!(!litmus::has_plain_accesses(&scenario));
}

#[test]
fn with_the_compiler_off_every_access_is_marked_as_before_the_compiler() {
    // The export of a scenario without the compiler is the export from
    // before the compiler was modelled: READ_ONCE()/WRITE_ONCE() everywhere,
    // no paragraph on plain accesses; its threads are those of the same
    // scenario with every access marked, but for KVM's clear counter, which
    // no marking reaches: its accesses stay plain with the compiler on.
    for preset in catalog::presets() {
        let off = Scenario { compiler: false, ..preset.scenario() };
        let marked = Scenario { marked_writer: true, marked_reader: true, ..preset.scenario() };
        let (Ok(off_text), Ok(marked_text)) =
            (litmus::export(&off, "pte-off"), litmus::export(&marked, "pte-off"))
        else {
            continue;
        };
        assert!(!litmus::has_plain_accesses(&off), "{}", preset.id);
        assert!(!off_text.contains("compiler is modelled"), "{off_text}");
        let threads = |text: &str| text.split_once("\n}\n\nP0(").expect("threads").1.to_owned();
        let count_marked = |text: String| {
            text.replace(" = *cnt;", " = READ_ONCE(*cnt);")
                .replace("\t*cnt = 1;", "\tWRITE_ONCE(*cnt, 1);")
        };
        assert_eq!(threads(&off_text), count_marked(threads(&marked_text)), "{}", preset.id);
        assert_eq!(
            litmus::has_plain_accesses(&marked),
            marked_text.contains("*cnt = ") || marked_text.contains(" = *cnt;"),
            "{}",
            preset.id
        );
        assert!(!threads(&off_text).contains(" = *"), "{off_text}");
    }
    check_section(
        "litmus kernel --compiler off",
        "(*",
        " *)",
        expect![[r#"
            (* Result: Never *)
            (*
             * ptep_get_lockless() on a 64-bit PTE read as two 32-bit halves:
             * pte-kernel-changed.
             *
             * lo and hi are pte_low and pte_high of one PTE. P0 is the writer: each
             * zap and establish is its two WRITE_ONCE() stores, with smp_wmb() where a
             * barrier site is on.
             *
             * P1 to PR are readers, one attempt of ptep_get_lockless() each: r0 = lo,
             * smp_rmb(), r1 = hi, smp_rmb(), r2 = lo (each smp_rmb() only where its
             * site is on).
             *
             * One attempt loses nothing for the question whether a torn value can pass
             * the check r0 = r2. A retry starts after the failed check, so the reads
             * of a later attempt are only more constrained by coherence than those of
             * a first attempt started at that moment: any value a later attempt can
             * return, a first attempt can return too.
             *
             * The exists clause asks for a torn read: some reader's check passes (r0 =
             * r2), the value (lo = r0, hi = r1) is present (bit 0 of lo, bit 0 of the
             * PTE) and it is none of P0, P1 to PN.
             *
             * Values are signed 32-bit decimals, as herd7 reads C litmus ints; each
             * store shows its hex value in a comment.
             *
             * TLB flush: ipi. LKMM has no interrupts, so a flush that waits for
             * readers with interrupts off cannot be written: the IPI flush is exported
             * as smp_mb() and herd7 answers the paravirt question.
             *
             * Exported from the explorer's scenario (model sc); herd7 answers under
             * LKMM, to be compared with the explorer's weak model.
             * Run from the kernel's tools/memory-model: herd7 -conf linux-kernel.cfg
             * pte-kernel-changed.litmus
             *)
        "#]],
    );
}

#[test]
fn pmd_read_atomic_tests_the_low_half_with_an_if() {
    // The kernel's `if (ret) { smp_rmb(); ret |= high; }`: the test is an
    // if around pmd_rmb and the load of hi; loads plain as in v6.0.
    check_section(
        "litmus pmd-read-atomic-same-low",
        "P1(",
        "}",
        expect![[r#"
            P1(int *lo, int *hi)
            {
            	int r0;
            	int r1;

            	r0 = *lo;
            	if (r0 != 0) {
            		smp_rmb();	// pmd_rmb
            		r1 = *hi;
            	}
            }
        "#]],
    );
    // A (0, 0) return is the none pmd, not present: the clause asks r0 to
    // be non-zero, then for a present value no one wrote.
    check_section(
        "litmus pmd-read-atomic-same-low",
        "exists",
        ")",
        expect![[r#"
            exists (
            	   (~1:r0=0 /\ (1:r0=4199) /\ ~(1:r0=4199 /\ 1:r1=1) /\ ~(1:r0=4199 /\ 1:r1=3))
            )
        "#]],
    );
    // The site switched off stays visible inside the if; marked loads.
    check_section(
        "litmus pmd-read-atomic-populate --barrier-off pmd_rmb --marked writer,reader",
        "P1(",
        "}",
        expect![[r#"
            P1(int *lo, int *hi)
            {
            	int r0;
            	int r1;

            	r0 = READ_ONCE(*lo);
            	if (r0 != 0) {
            		// pmd_rmb off: no smp_rmb()
            		r1 = READ_ONCE(*hi);
            	}
            }
        "#]],
    );
    // The present bit in the high half: r1 carries the candidates, and a
    // zero low half (r1 never read) still returns the none pmd.
    check_section(
        "litmus present-high-x86-order --reader-kinds pmd_read_atomic",
        "exists",
        ")",
        expect![[r#"
            exists (
            	   (~1:r0=0 /\ (1:r1=1 \/ 1:r1=3) /\ ~(1:r0=4199 /\ 1:r1=1) /\ ~(1:r0=8295 /\ 1:r1=3))
            )
        "#]],
    );
    let header =
        section(&exported("litmus pmd-read-atomic-same-low"), "(*", " *)").replace("\n * ", " ");
    assert!(header.contains("Interrupts stay on"), "{header}");
    assert!(header.contains("orders no load after a control dependency"), "{header}");
    assert!(header.contains("which is not present, never torn"), "{header}");
    assert!(!header.contains("One attempt loses nothing"), "{header}");
}

#[test]
fn read_once64_is_a_read_once_of_each_half_without_a_barrier() {
    // Marked whatever the scenario says (the halves of one READ_ONCE()),
    // no barrier, no check: the clause has no condition before the value.
    for command in ["litmus read-once64-same-low", "litmus read-once64-same-low --marked none"] {
        check_section(
            command,
            "P1(",
            "}",
            expect![[r#"
                P1(int *lo, int *hi)
                {
                	int r0;
                	int r1;

                	// gup_pmd_range()'s 64-bit READ_ONCE(): two 32-bit loads, no barrier
                	r0 = READ_ONCE(*lo);
                	r1 = READ_ONCE(*hi);
                }
            "#]],
        );
    }
    check_section(
        "litmus read-once64-populate",
        "exists",
        ")",
        expect![[r#"
            exists (
            	   ((1:r0=8295) /\ ~(1:r0=0 /\ 1:r1=0) /\ ~(1:r0=8295 /\ 1:r1=3))
            )
        "#]],
    );
    // With the writer's stores marked, no access is plain.
    let marked_writer = Scenario {
        marked_writer: true,
        ..catalog::find("read-once64-populate").unwrap().scenario()
    };
    assert!(!litmus::has_plain_accesses(&marked_writer));
    let text = litmus::export(&marked_writer, "t").unwrap();
    assert!(text.contains("Every access is marked"), "{text}");
    // Interrupts: LKMM has none, and the header says so.
    let header =
        section(&exported("litmus read-once64-same-low"), "(*", " *)").replace("\n * ", " ");
    assert!(header.contains("LKMM has no interrupts"), "{header}");
    assert!(header.contains("no barrier between: LKMM puts them in no order"), "{header}");
}

#[test]
fn readers_of_several_kinds_each_get_their_own_code_and_clause() {
    let command = "litmus same-low-none --readers 3 --reader-kinds read_once64,pmd_read_atomic";
    let text = exported(command);
    check_sections_of(&text, herd_shape(&text));
    expect![[r#"
        exists (
        	   ((1:r0=4199) /\ ~(1:r0=4199 /\ 1:r1=1) /\ ~(1:r0=4199 /\ 1:r1=3))
        	\/ (~2:r0=0 /\ (2:r0=4199) /\ ~(2:r0=4199 /\ 2:r1=1) /\ ~(2:r0=4199 /\ 2:r1=3))
        	\/ (3:r0=3:r2 /\ (3:r0=4199) /\ ~(3:r0=4199 /\ 3:r1=1) /\ ~(3:r0=4199 /\ 3:r1=3))
        )
    "#]]
    .assert_eq(&section(&text, "exists", ")"));
    let header = section(&text, "(*", " *)").replace("\n * ", " ");
    assert!(header.contains("P1 is a reader, GUP-fast's 64-bit READ_ONCE()"), "{header}");
    assert!(header.contains("P2 is a reader, x86 PAE's pmd_read_atomic()"), "{header}");
    assert!(header.contains("P3 is a reader, one attempt of ptep_get_lockless()"), "{header}");
    assert!(header.contains("One attempt loses nothing"), "{header}");
    // The Result joins one question per kind: the kernel's lockless reader
    // alone is never torn under the weak model (IPI asked as paravirt),
    // READ_ONCE() next to it is.
    let kernel = catalog::find("kernel").unwrap().scenario();
    assert_eq!(litmus::questions(&kernel).len(), 1);
    assert_eq!(litmus::expected_result(&kernel), litmus::Expected::Never);
    let mut mixed = Scenario { readers: 2, ..kernel };
    mixed.set_reader_kind(1, pte_core::ReaderKind::ReadOnce64);
    let questions = litmus::questions(&mixed);
    assert_eq!(questions.len(), 2);
    assert!(questions.iter().all(|question| question.readers == 1
        && question.model == pte_core::MemoryModel::Weak
        && question.flush == pte_core::FlushMode::Paravirt));
    assert_eq!(questions[1].reader_kind(0), pte_core::ReaderKind::ReadOnce64);
    assert_eq!(litmus::expected_result(&mixed), litmus::Expected::Sometimes);
    // Kinds the export does not write are refused by name.
    let (code, message) = run("litmus gup-fast-same-low");
    assert_eq!(code, 2);
    expect!["cannot export a litmus test: reader 1 is a gup_fast reader; the litmus export writes lockless (one attempt of ptep_get_lockless() each), pmd_read_atomic, read_once64 and kvm_spte (one attempt of __get_spte_lockless() each) readers only"]
        .assert_eq(&message);
}

#[test]
fn kvm_spte_reads_the_clear_counter_around_the_halves() {
    // Two readers: each asks r0 = r2 and c2 = c before the value.
    check_section(
        "litmus kvm-spte-clear-counter --readers 2 --reader-kinds kvm_spte,kvm_spte",
        "exists",
        ")",
        expect![[r#"
            exists (
            	   (1:r0=1:r2 /\ 1:c2=1:c /\ (1:r0=4199) /\ ~(1:r0=4199 /\ 1:r1=1) /\ ~(1:r0=4199 /\ 1:r1=3))
            	\/ (2:r0=2:r2 /\ 2:c2=2:c /\ (2:r0=4199) /\ ~(2:r0=4199 /\ 2:r1=1) /\ ~(2:r0=4199 /\ 2:r1=3))
            )
        "#]],
    );
    // The clear counter's barrier switched off stays visible; the reader's
    // kvm_count_rmb too.
    check_section(
        "litmus kvm-spte-clear-counter --barrier-off kvm_count_wmb,kvm_count_rmb",
        "P0(",
        "}",
        expect![[r#"
            P0(int *lo, int *hi, int *cnt)
            {
            	// op 1: zap, low first (x86 native_pte_clear)
            	*lo = 0;	// Z.low 0x00000000
            	smp_wmb();	// zap_wmb1
            	*hi = 0;	// Z.high 0x00000000
            	// zap_wmb2 off: no smp_wmb() (Jason's sketch, not in the kernel)
            	// kvm_count_wmb off: no smp_wmb()
            	*cnt = 1;	// count_spte_clear(): cnt = cnt + 1
            	// op 2: TLB flush
            	// flush none: no flush before the re-establish
            	// op 3: establish, high first (set_pte)
            	*hi = 3;	// P1.high 0x00000003
            	smp_wmb();	// establish_wmb1
            	*lo = 4199;	// P1.low 0x00001067
            	// establish_wmb2 off: no smp_wmb() (Jason's sketch, not in the kernel)
            }
        "#]],
    );
    let text = exported("litmus kvm-spte-clear-counter --barrier-off kvm_count_rmb");
    assert!(text.contains("\tc = *cnt;\n\t// kvm_count_rmb off: no smp_rmb()\n\tr0 = *lo;\n"));
    // Without the clear counter the writer has no cnt; the reader still
    // reads it (0 throughout).
    let text = exported("litmus kvm-spte-no-clear-counter");
    assert!(section(&text, "P0(", "}").starts_with("P0(int *lo, int *hi)\n"));
    assert!(text.contains("\tcnt=0; (* KVM's clear counter *)\n"));
    let header = section(&text, "(*", " *)").replace("\n * ", " ");
    assert!(header.contains("this writer never bumps it, so cnt stays 0"), "{header}");
    assert!(header.contains("built for 32-bit x86 hosts only"), "{header}");
    assert!(header.contains("c2 may be read before r2"), "{header}");
    // The parser catches a broken kvm reader.
    let kvm = exported("litmus kvm-spte-clear-counter");
    let caught = |broken: String| {
        std::panic::catch_unwind(|| check_sections_of(&broken, herd_shape(&broken))).is_err()
    };
    assert!(!caught(kvm.clone()));
    assert!(caught(kvm.replacen("\tint c2;\n", "", 1)));
    assert!(caught(kvm.replacen("if (r2 == r0) {", "if (r2 = r0) {", 1)));
    assert!(caught(kvm.replacen("cnt=0;", "count=0;", 1)));
}
