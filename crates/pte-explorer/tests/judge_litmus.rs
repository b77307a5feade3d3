//! The `(* Result: … *)` comment of the litmus export and
//! `scripts/judge-litmus.sh`, which judges herd7's output against it as the
//! kernel's `tools/memory-model/scripts/judgelitmus.sh` does. herd7 is not
//! needed: the outputs below are written by hand in herd7's format (its
//! `Observation <test> <Never|Sometimes|Always> <positive> <negative>`
//! line and its `Flag data-race` line, printed after the witnesses'
//! counts as `herd/top_herd.ml` of herdtools7 7.57 does, are all the
//! judging reads).

use std::path::{Path, PathBuf};
use std::process::Command;

use pte_core::{catalog, litmus, FlushMode};
mod common;

/// The exit status and what was printed: the output, or the error.
fn run(command_line: &str) -> (u8, String) {
    let ran = common::run(command_line);
    (ran.code, if ran.error.is_empty() { ran.stdout } else { ran.error })
}

/// A herd7 run's output for a test, as herd7 prints it.
fn herd7_output(test: &str, observation: &str) -> String {
    herd7_output_flagged(test, observation, "")
}

/// The same with herd7's flag lines (`Flag data-race\n`), which it prints
/// between the witnesses' counts and the condition.
fn herd7_output_flagged(test: &str, observation: &str, flags: &str) -> String {
    format!(
        "Test {test} Allowed\nStates 4\n1:r0=4199; 1:r1=0; 1:r2=4199;\nOk\nWitnesses\n\
         Positive: 1 Negative: 3\n{flags}Condition exists (1:r0=1:r2)\n\
         Observation {test} {observation}\nTime {test} 0.02\nHash=0123456789abcdef\n\n"
    )
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the judging script on a test and an output; its exit status and line.
fn judge(litmus_text: &str, output: &str, name: &str) -> (i32, String) {
    let folder = std::env::temp_dir().join(format!("pte-judge-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let (test, out) = (folder.join("test.litmus"), folder.join("test.litmus.out"));
    std::fs::write(&test, litmus_text).unwrap();
    std::fs::write(&out, output).unwrap();
    let ran = Command::new("bash")
        .arg(repository().join("scripts/judge-litmus.sh"))
        .arg(&test)
        .arg(&out)
        .output()
        .expect("bash runs");
    std::fs::remove_dir_all(&folder).ok();
    (ran.status.code().unwrap_or(-1), String::from_utf8_lossy(&ran.stdout).trim().to_owned())
}

fn exported(preset: &str) -> String {
    let (code, text) = run(&format!("litmus {preset}"));
    assert_eq!(code, 0, "{text}");
    text
}

#[test]
fn the_result_comment_is_the_weak_model_answer_for_one_reader() {
    for preset in catalog::presets() {
        let (code, text) = run(&format!("litmus {}", preset.id));
        if code != 0 {
            continue; // refused (an atomic zap, another reader kind, the seqcount writer)
        }
        let flush = match preset.scenario().flush {
            FlushMode::Ipi => " --flush paravirt",
            _ => "",
        };
        let (checked, _) = run(&format!("check {} --model weak --readers 1{flush}", preset.id));
        let answer = match checked {
            0 => "Never",
            1 => "Sometimes",
            other => panic!("{}: check exited {other}", preset.id),
        };
        let result = text.lines().nth(2).expect("a third line");
        assert_eq!(result, format!("(* Result: {answer} *)"), "{}", preset.id);
        assert_eq!(litmus::expected_result(&preset.scenario()).word(), answer, "{}", preset.id);
        // Plain or marked, compiler on or off: the same weak-model answer
        // (under the weak model the CPU already does whatever the compiler
        // may), so a plain test and its marked twin carry the same comment.
        for accesses in ["--marked writer,reader", "--marked writer", "--compiler off"] {
            let (code, other) = run(&format!("litmus {} {accesses}", preset.id));
            assert_eq!(code, 0, "{other}");
            assert_eq!(other.lines().nth(2), Some(result), "{} {accesses}", preset.id);
        }
    }
}

#[test]
fn herd7_agreeing_with_the_result_passes() {
    let text = exported("same-low-none");
    assert_eq!(
        judge(&text, &herd7_output("pte-same-low-none", "Sometimes 1 3"), "sometimes"),
        (0, "agree: Result Sometimes, herd7 Sometimes".to_owned())
    );
    let text = exported("kernel");
    assert_eq!(
        judge(&text, &herd7_output("pte-kernel", "Never 0 4"), "never"),
        (0, "agree: Result Never, herd7 Never".to_owned())
    );
}

#[test]
fn herd7_disagreeing_with_the_result_fails() {
    let text = exported("kernel");
    assert_eq!(
        judge(&text, &herd7_output("pte-kernel", "Sometimes 1 3"), "kernel-sometimes"),
        (1, "DISAGREE: Result Never, herd7 Sometimes (non-Never verification)".to_owned())
    );
    // As judgelitmus.sh: Sometimes is not Always.
    let text = exported("same-low-none");
    assert_eq!(
        judge(&text, &herd7_output("pte-same-low-none", "Always 4 0"), "always"),
        (1, "DISAGREE: Result Sometimes, herd7 Always (non-Sometimes verification)".to_owned())
    );
}

#[test]
fn no_observation_or_no_result_is_an_error() {
    let text = exported("kernel");
    let (code, line) =
        judge(&text, "Warning: File \"x.litmus\": Unknown macro foo (User error)\n", "error");
    assert_eq!(code, 255);
    assert!(line.starts_with("error: herd7 gave no Observation for "), "{line}");
    assert!(line.ends_with("test.litmus (Result: Never)"), "{line}");
    let without: String = text
        .lines()
        .filter(|line| !line.contains("Result:"))
        .map(|line| format!("{line}\n"))
        .collect();
    let (code, line) = judge(&without, &herd7_output("pte-kernel", "Never 0 4"), "no-result");
    assert_eq!(code, 255);
    assert!(line.ends_with("has no Result: comment"), "{line}");
    let maybe = text.replace("(* Result: Never *)", "(* Result: Maybe *)");
    assert_eq!(judge(&maybe, &herd7_output("pte-kernel", "Sometimes 1 3"), "maybe").0, 0);
}

#[test]
fn a_data_race_flagged_by_herd7_is_reported_and_forgives_the_answer() {
    // The kernel's protocol with v6.0's plain accesses: LKMM flags the data
    // race and makes no prediction; herd7's Sometimes is forgiven, as the
    // kernel's judgelitmus.sh forgives it.
    let text = exported("kernel");
    assert!(text.contains("\tr0 = *lo;\n"), "{text}");
    let flag = "Flag data-race\n";
    assert_eq!(
        judge(&text, &herd7_output_flagged("pte-kernel", "Sometimes 1 3", flag), "race-forgiven"),
        (
            0,
            "forgiven: Result Never, herd7 Sometimes, data race flagged by herd7 (LKMM makes no \
             prediction for a test with a data race)"
                .to_owned()
        )
    );
    // A racy test whose answer holds the Result agrees, with the flag said.
    assert_eq!(
        judge(&text, &herd7_output_flagged("pte-kernel", "Never 0 4", flag), "race-agree"),
        (0, "agree: Result Never, herd7 Never, data race flagged by herd7".to_owned())
    );
    // herd7 -v prints the flagged executions after the flag's name.
    assert_eq!(
        judge(
            &text,
            &herd7_output_flagged("pte-kernel", "Sometimes 1 3", "Flag data-race: 1,3 \n"),
            "race-verbose"
        )
        .1
        .split(':')
        .next(),
        Some("forgiven")
    );
    // Another flag is no data race: the disagreement stands.
    assert_eq!(
        judge(
            &text,
            &herd7_output_flagged("pte-kernel", "Sometimes 1 3", "Flag mixed-accesses\n"),
            "other-flag"
        ),
        (1, "DISAGREE: Result Never, herd7 Sometimes (non-Never verification)".to_owned())
    );
    // The same test with every access marked has no plain access for herd7
    // to flag; without the flag a wrong answer is a disagreement.
    let (code, marked) = run("litmus kernel --marked writer,reader");
    assert_eq!(code, 0, "{marked}");
    assert!(marked.contains("\tr0 = READ_ONCE(*lo);\n"), "{marked}");
    assert_eq!(
        judge(&marked, &herd7_output("pte-kernel", "Sometimes 1 3"), "marked-sometimes").0,
        1
    );
}
