//! Hostile command lines (issue 25), run through the real binary: each
//! reproducer of the issue and its neighbours, with the exit status and the
//! first line of standard error, in one table.

use std::path::PathBuf;
use std::process::Command;

use expect_test::expect;
use pte_core::{Scenario, Trace};

/// A file in the temporary folder, unique to this test run.
fn temp_file(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("pte-hostile-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("the temporary file is written");
    path
}

/// `code | first line of stderr` for one command line (arguments split at
/// spaces; `{name}` stands for the temporary file of that name).
fn row(command_line: &str, files: &[(&str, PathBuf)]) -> String {
    let args: Vec<String> = command_line
        .split(' ')
        .map(|word| {
            files.iter().fold(word.to_owned(), |word, (name, path)| {
                word.replace(&format!("{{{name}}}"), path.to_str().expect("UTF-8 path"))
            })
        })
        .collect();
    let output = Command::new(env!("CARGO_BIN_EXE_pte-explorer"))
        .args(&args)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr.lines().next().unwrap_or("").replace(&std::process::id().to_string(), "ID");
    format!("{} | {command_line} | {first}", output.status.code().unwrap_or(-1))
}

#[test]
fn hostile_command_lines_exit_2_naming_the_field() {
    let kernel = Scenario::kernel().to_json();
    let barriers_twice =
        kernel.replacen(r#""zap_wmb1": true,"#, r#""zap_wmb1": true, "zap_wmb1": false,"#, 1);
    let present_z = kernel.replacen(r#""z": "0x0000000000000000""#, r#""z": "0x1""#, 1);
    let spaced_hex = kernel.replacen(r#""z": "0x0000000000000000""#, r#""z": "0x 0""#, 1);
    let plus_hex = kernel.replacen(r#""z": "0x0000000000000000""#, r#""z": "0x+0""#, 1);
    let format_1_seq = include_str!("../../pte-core/tests/data/format1-scenario.json").replacen(
        r#""reader_rmb2": false"#,
        r#""reader_rmb2": false, "seq_wmb_end": true"#,
        1,
    );
    let mixed_trace =
        Trace::new(Scenario::kernel(), &[]).to_json().replacen("\"format\": 2", "\"format\": 1", 1);
    let files = [
        ("barriers-twice", temp_file("barriers-twice.json", &barriers_twice)),
        ("present-z", temp_file("present-z.json", &present_z)),
        ("spaced-hex", temp_file("spaced-hex.json", &spaced_hex)),
        ("plus-hex", temp_file("plus-hex.json", &plus_hex)),
        ("format-1-seq", temp_file("format-1-seq.json", &format_1_seq)),
        ("mixed-trace", temp_file("mixed-trace.json", &mixed_trace)),
    ];
    let table: Vec<String> = [
        // Item 1: a present Z, from flags and from a file.
        "check kernel --writer zap_atomic,flush,establish --z 0x1",
        "check --file {present-z}",
        "check kernel --present-bit 32 --z 0x100000000",
        // Item 3: a barrier site twice in a file, a flag twice.
        "check --file {barriers-twice}",
        "check kernel --readers 1 --readers 4",
        // Item 4: one grammar for flags and files.
        "check kernel --p0 0x+1",
        "check kernel --p0 +1",
        "check kernel --p0 0x0x1",
        "check kernel --p0 _1_2_",
        "check kernel --present-bit +5",
        "check kernel --readers +1",
        "check kernel --readers 01",
        "check kernel --cycles 02",
        "check kernel --max-states +5",
        "bench --scaled-readers +1",
        "bench --scaled-readers 01",
        "bench --seconds +1",
        "bench --seconds 1e1",
        "bench --seconds 01.5",
        "check --file {spaced-hex}",
        "check --file {plus-hex}",
        "replay --preset kernel --steps w+1",
        "replay --preset kernel --steps w01",
        "replay --preset kernel --steps r001.r0",
        "replay --preset kernel --steps r+1.off",
        // Item 5: every exploring command takes --max-states.
        "graph kernel --readers 4 --cycles 8 --model weak --flush none --no-barriers --max-states 0",
        "graph kernel --readers 4 --cycles 8 --max-states 1000",
        "matrix kernel --max-states 0",
        // Item 7: formats line up.
        "check --file {format-1-seq}",
        "replay {mixed-trace}",
    ]
    .iter()
    .map(|command_line| row(command_line, &files))
    .collect();
    for (_, path) in &files {
        std::fs::remove_file(path).ok();
    }
    let tmp = std::env::temp_dir().display().to_string();
    expect![[r#"
        2 | check kernel --writer zap_atomic,flush,establish --z 0x1 | error: invalid scenario: values.z is 0x0000000000000001, which has the present bit (bit 0) set; Z is the not-present value a zap stores
        2 | check --file {present-z} | error: TMP/pte-hostile-ID-present-z.json: values.z is 0x0000000000000001, which has the present bit (bit 0) set; Z is the not-present value a zap stores
        2 | check kernel --present-bit 32 --z 0x100000000 | error: invalid scenario: values.z is 0x0000000100000000, which has the present bit (bit 32) set; Z is the not-present value a zap stores
        2 | check --file {barriers-twice} | error: TMP/pte-hostile-ID-barriers-twice.json: invalid scenario JSON: barriers: "zap_wmb1" is given twice at line 20 column 32
        2 | check kernel --readers 1 --readers 4 | error: the argument '--readers <N>' cannot be used multiple times
        2 | check kernel --p0 0x+1 | error: invalid value '0x+1' for '--p0 <HEX>': "0x+1" is not a 64-bit hex value such as 0x0000000100001067
        2 | check kernel --p0 +1 | error: invalid value '+1' for '--p0 <HEX>': "+1" is not a 64-bit hex value such as 0x0000000100001067
        2 | check kernel --p0 0x0x1 | error: invalid value '0x0x1' for '--p0 <HEX>': "0x0x1" is not a 64-bit hex value such as 0x0000000100001067
        2 | check kernel --p0 _1_2_ | error: invalid value '_1_2_' for '--p0 <HEX>': "_1_2_" is not a 64-bit hex value such as 0x0000000100001067
        2 | check kernel --present-bit +5 | error: invalid value '+5' for '--present-bit <N>': "+5": expected decimal digits only (no sign, space or `_`)
        2 | check kernel --readers +1 | error: invalid value '+1' for '--readers <N>': "+1": expected decimal digits only (no sign, space or `_`)
        2 | check kernel --readers 01 | error: invalid value '01' for '--readers <N>': "01": a decimal number has no leading zeros
        2 | check kernel --cycles 02 | error: invalid value '02' for '--cycles <N>': "02": a decimal number has no leading zeros
        2 | check kernel --max-states +5 | error: invalid value '+5' for '--max-states <N>': "+5": expected decimal digits only (no sign, space or `_`)
        2 | bench --scaled-readers +1 | error: invalid value '+1' for '--scaled-readers <N>': "+1": expected decimal digits only (no sign, space or `_`)
        2 | bench --scaled-readers 01 | error: invalid value '01' for '--scaled-readers <N>': "01": a decimal number has no leading zeros
        2 | bench --seconds +1 | error: invalid value '+1' for '--seconds <S>': "+1": expected decimal digits only (no sign, space or `_`)
        2 | bench --seconds 1e1 | error: invalid value '1e1' for '--seconds <S>': "1e1": expected decimal digits only (no sign, space or `_`)
        2 | bench --seconds 01.5 | error: invalid value '01.5' for '--seconds <S>': "01.5": a decimal number has no leading zeros
        2 | check --file {spaced-hex} | error: TMP/pte-hostile-ID-spaced-hex.json: invalid scenario JSON: values.z: "0x 0" is not a 64-bit hex value such as 0x0000000100001067 at line 12 column 15
        2 | check --file {plus-hex} | error: TMP/pte-hostile-ID-plus-hex.json: invalid scenario JSON: values.z: "0x+0" is not a 64-bit hex value such as 0x0000000100001067 at line 12 column 15
        2 | replay --preset kernel --steps w+1 | error: step 1: "w+1" is not a step (expected w<N>, wd, or r<N>.off|r0|r1|r2|chk|on|grab|q0|q1|rechk|ld64|s|odd|s2)
        2 | replay --preset kernel --steps w01 | error: step 1: "w01" is not a step (expected w<N>, wd, or r<N>.off|r0|r1|r2|chk|on|grab|q0|q1|rechk|ld64|s|odd|s2)
        2 | replay --preset kernel --steps r001.r0 | error: step 1: "r001.r0" is not a step (expected w<N>, wd, or r<N>.off|r0|r1|r2|chk|on|grab|q0|q1|rechk|ld64|s|odd|s2)
        2 | replay --preset kernel --steps r+1.off | error: step 1: "r+1.off" is not a step (expected w<N>, wd, or r<N>.off|r0|r1|r2|chk|on|grab|q0|q1|rechk|ld64|s|odd|s2)
        2 | graph kernel --readers 4 --cycles 8 --model weak --flush none --no-barriers --max-states 0 | error: invalid value '0' for '--max-states <N>': 0 is out of range 1..=4294967295
        3 | graph kernel --readers 4 --cycles 8 --max-states 1000 | error: the search stopped at the limit of 1000 states without finding a torn read to draw (raise --max-states)
        2 | matrix kernel --max-states 0 | error: invalid value '0' for '--max-states <N>': 0 is out of range 1..=4294967295
        2 | check --file {format-1-seq} | error: TMP/pte-hostile-ID-format-1-seq.json: seq_wmb_end is not part of format 1; write format 3
        0 | replay {mixed-trace} | 
    "#]].assert_eq(&(table.join("\n").replace(&tmp, "TMP") + "\n"));
}

#[test]
fn what_the_grammar_allows_still_runs() {
    // One optional 0x or 0X on a hex value, and plain decimal numbers.
    for command_line in [
        "check kernel --p0 0X0000000100001067",
        "check kernel --p0 100001067 --z 0",
        "check kernel --readers 2 --present-bit 0 --max-states 1000000",
        "bench --preset kernel --seconds 0.5 --max-states 10000",
        "replay --preset kernel --steps r1.off,r1.r0,w1",
    ] {
        let line = row(command_line, &[]);
        assert!(line.starts_with("0 | "), "{line}");
    }
}
