//! The command line end to end, without spawning: parse with clap, run into
//! a buffer, compare the output with snapshots (`UPDATE_EXPECT=1 cargo test
//! -p pte-explorer` rewrites them) or assert on the JSON.

use std::path::PathBuf;

use clap::CommandFactory;
use expect_test::{expect, Expect};
use pte_core::{parse_steps, Scenario, Session, Trace};
use pte_explorer::{Cli, EXIT_CODES};

mod common;

use common::{check_output, run, run_args};

#[track_caller]
fn check_error(command_line: &str, expect: Expect) {
    let ran = run(command_line);
    assert_eq!(ran.code, 2, "`{command_line}` should fail with status 2: {ran:?}");
    expect.assert_eq(ran.error.trim_end());
}

/// A path in the system's temporary folder that no other test (or run) uses.
fn temp_path(name: &str) -> PathBuf {
    let unique = format!("pte-explorer-test-{}-{name}", std::process::id());
    std::env::temp_dir().join(unique)
}

#[test]
fn command_line_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn help_documents_exit_codes() {
    let help = Cli::command().render_long_help().to_string();
    assert!(help.contains(EXIT_CODES), "{help}");
    let mut command = Cli::command();
    let check = command.find_subcommand_mut("check").expect("check exists");
    let help = check.render_long_help().to_string();
    assert!(help.contains("3  the state limit was reached"), "{help}");
    assert!(help.contains("--barrier-off <SITE>"), "{help}");
}

#[test]
fn check_kernel_never() {
    check_output(
        "check kernel",
        0,
        expect![[r#"
            scenario: kernel (The kernel protocol as written)
              model sc, x86 PAE (present bit 0), writer [zap, flush, establish], flush ipi, 1 reader, the kernel's barriers (Jason's trailing wmbs off)
              values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300002067

            torn read: Never

            value               verdict            occurrences  retries  low from          high from
            0x0000000000000000  not present                  4  0        Z (writer op 1)   Z (writer op 1)
            0x0000000100000000  not present                  2  0        Z (writer op 1)   P0 (initial)
            0x0000000100001067  pre-zap (P0)                 3  0        P0 (initial)      P0 (initial)
            0x0000000300000000  not present                  2  0        Z (writer op 1)   P1 (writer op 3)
            0x0000000300002067  re-established P1            1  0        P1 (writer op 3)  P1 (writer op 3)
            (retries, low from, high from: those of the shortest witness)

            63 states, 93 transitions
        "#]],
    );
}

#[test]
fn check_same_low_none_shows_the_torn_witness() {
    check_output(
        "check same-low-none",
        1,
        expect![[r#"
            scenario: same-low-none (Same low half, no flush)
              model sc, x86 PAE (present bit 0), writer [zap, flush, establish], flush none, 1 reader, the kernel's barriers (Jason's trailing wmbs off)
              values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300001067 (same low half)

            torn read: Sometimes

            value               verdict            occurrences  retries  low from          high from
            0x0000000000000000  not present                  3  0        Z (writer op 1)   Z (writer op 1)
            0x0000000000001067  TORN                         1  0        P0 (initial)      Z (writer op 1)
            0x0000000100000000  not present                  4  0        Z (writer op 1)   P0 (initial)
            0x0000000100001067  pre-zap (P0)                 5  0        P0 (initial)      P0 (initial)
            0x0000000300000000  not present                  2  0        Z (writer op 1)   P1 (writer op 3)
            0x0000000300001067  re-established P1            1  0        P1 (writer op 3)  P1 (writer op 3)
            (retries, low from, high from: those of the shortest witness)

            witness: 0x0000000000001067 is torn, reached in 9 steps (kernel sources at v6.0: https://elixir.bootlin.com/linux/v6.0/source)
               1. reader 1: irq_off  [local_irq_save() in lockless_pages_from_mm(), mm/gup.c]
               2. reader 1: r0 ← low (= 0x00001067)  [ptep_get_lockless(), include/linux/pgtable.h]
               3. writer: low ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
               4. writer: high ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
               5. reader 1: r1 ← high (= 0x00000000)  [ptep_get_lockless(), include/linux/pgtable.h]
               6. writer: high ← 0x00000003 (establish, op 3, P1)  [native_set_pte(), arch/x86/include/asm/pgtable-3level.h]
               7. writer: low ← 0x00001067 (establish, op 3, P1)  [native_set_pte(), arch/x86/include/asm/pgtable-3level.h]
               8. reader 1: r2 ← low (= 0x00001067)  [ptep_get_lockless(), include/linux/pgtable.h]
               9. reader 1: check r0 = r2 (0x00001067 = 0x00001067: return)  [ptep_get_lockless(), include/linux/pgtable.h]
                  → reader 1 returned 0x0000000000001067: TORN: a present PTE no writer ever wrote (low from P0 (initial), high from Z (writer op 1); no retry)

            76 states, 123 transitions
        "#]],
    );
}

#[test]
fn flags_change_a_preset() {
    // The kernel protocol, changed by flags into a catalog preset: named as such.
    let ran = run("check --model weak --barrier-off reader_rmb1 --flush none");
    assert_eq!(ran.code, 1, "{ran:?}");
    assert!(ran.stdout.starts_with("scenario: weak-no-rmb1 ("), "{}", ran.stdout);
    // A change that matches no preset says what it started from.
    let ran = run("check same-low-ipi --readers 2 --model tso");
    assert_eq!(ran.code, 0, "{ran:?}");
    assert!(ran.stdout.starts_with("scenario: same-low-ipi, changed by flags\n"), "{}", ran.stdout);
    assert!(ran.stdout.contains("model tso,"), "{}", ran.stdout);
    assert!(ran.stdout.contains(", 2 readers,"), "{}", ran.stdout);
    // --writer refits the values; --arch rewrites the orders after it.
    let ran = run("check --writer zap,establish,zap,establish --arch mips_sh --flush none --json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    assert_eq!(
        json["scenario"]["writer"],
        serde_json::json!(["zap_high_first", "establish", "zap_high_first", "establish"])
    );
    assert_eq!(json["scenario"]["values"]["p"].as_array().map(Vec::len), Some(2));
    // --no-barriers, then one site back on.
    let ran = run("check --model weak --no-barriers --barrier-on reader_rmb1 --json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    let barriers = &json["scenario"]["barriers"];
    assert_eq!(barriers["reader_rmb1"], true);
    assert_eq!(barriers["reader_rmb2"], false);
    assert_eq!(barriers["zap_wmb1"], false);
}

#[test]
fn check_json_witness_replays_to_the_torn_value() {
    let ran = run("check --json same-low-none");
    assert_eq!(ran.code, 1, "{ran:?}");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    assert_eq!(json["torn"], "sometimes");
    assert_eq!(json["complete"], true);
    assert!(json["states"].as_u64().is_some_and(|states| states > 0));
    assert!(json["transitions"].as_u64().is_some_and(|transitions| transitions > 0));
    let scenario = Scenario::from_json(&json["scenario"].to_string()).expect("a valid scenario");
    assert_eq!(scenario, pte_core::catalog::find("same-low-none").expect("preset").scenario());

    let results = json["results"].as_array().expect("results");
    let torn: Vec<&serde_json::Value> =
        results.iter().filter(|result| result["verdict"] == "torn").collect();
    assert!(!torn.is_empty(), "{results:?}");
    for result in torn {
        let ids: Vec<&str> = result["witness"]
            .as_array()
            .expect("witness")
            .iter()
            .map(|id| id.as_str().expect("a step id"))
            .collect();
        let steps = parse_steps(ids.iter().copied()).expect("step ids parse");
        let mut session = Session::new(scenario.clone()).expect("session");
        session.replay(&steps).expect("the witness replays");
        let read = session.last_read().expect("the witness ends with a completed read");
        assert_eq!(read.read.value.to_string(), result["value"].as_str().expect("value"));
        assert!(read.verdict.is_torn());
        assert_eq!(result["low"], format!("0x{:08x}", read.read.value.low()));
        assert_eq!(result["high"], format!("0x{:08x}", read.read.value.high()));
        assert_eq!(result["reestablished"], serde_json::Value::Null);
        assert_eq!(result["low_from"], read.read.low_source.to_string());
        assert_eq!(result["high_from"], read.read.high_source.to_string());
        assert_eq!(result["witness_text"].as_array().map(Vec::len), Some(steps.len()));
    }
    let reestablished =
        results.iter().find(|result| result["verdict"] == "reestablished").expect("P1 is read");
    assert_eq!(reestablished["reestablished"], 1);
}

#[test]
fn check_link_decodes_to_the_scenario() {
    let ran = run("check same-low-none --link --base-url https://example.org/pte/");
    let links: Vec<&str> =
        ran.stdout.lines().filter_map(|line| line.trim_start().strip_prefix("link: ")).collect();
    assert_eq!(links.len(), 2, "one witness link and the scenario link: {}", ran.stdout);
    let query = links[0].strip_prefix("https://example.org/pte/#").expect("the base URL");
    let link = pte_core::link::decode(query).expect("the link decodes");
    let mut session = Session::new(link.scenario).expect("session");
    session.replay(&link.steps).expect("the witness replays");
    assert!(session.last_read().is_some_and(|read| read.verdict.is_torn()));
}

#[test]
fn check_stops_at_the_state_limit() {
    let ran = run("check --cycles 2 --max-states 50");
    assert_eq!(ran.code, 3, "{ran:?}");
    assert!(ran.stdout.contains("torn read: none found, but the search is INCOMPLETE"), "{ran:?}");
    let ran = run("check --cycles 2 --max-states 50 --json");
    assert_eq!(ran.code, 3, "{ran:?}");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    assert_eq!(json["complete"], false);
    assert_eq!(json["states"], 50);
}

#[test]
fn bad_flags_name_the_field() {
    check_error(
        "check --model foo",
        expect![[r#"
            error: invalid value 'foo' for '--model <MODEL>': expected one of sc, tso, weak

            For more information, try '--help'."#]],
    );
    check_error(
        "check --readers 9",
        expect![[r#"
            error: invalid value '9' for '--readers <N>': 9 is out of range 1..=4

            For more information, try '--help'."#]],
    );
    check_error(
        "check --p0 0x12zz",
        expect![[r#"
            error: invalid value '0x12zz' for '--p0 <HEX>': "0x12zz" is not a 64-bit hex value such as 0x0000000100001067

            For more information, try '--help'."#]],
    );
    check_error(
        "check --barrier-off zap_wmb3",
        expect![[r#"
            error: invalid value 'zap_wmb3' for '--barrier-off <SITE>': expected one of zap_wmb1, zap_wmb2, establish_wmb1, establish_wmb2, reader_rmb1, reader_rmb2, seq_wmb_begin, seq_wmb_end, seq_rmb_begin, seq_rmb_retry, pmd_rmb, kvm_count_wmb, kvm_count_rmb

            For more information, try '--help'."#]],
    );
    check_error(
        "check --writer zap,teleport",
        expect![[r#"
            error: invalid value 'teleport' for '--writer <OPS>': expected one of zap, zap_high_first, zap_atomic, establish, establish_low_first, flush

            For more information, try '--help'."#]],
    );
    check_error(
        "check --present-bit 64",
        expect![[r#"
            error: invalid value '64' for '--present-bit <N>': 64 is out of range 0..=63

            For more information, try '--help'."#]],
    );
    check_error(
        "check nope",
        expect![[r#"unknown preset "nope"; `pte-explorer list` shows the catalog"#]],
    );
    check_error(
        "check --p 0x1,0x2",
        expect!["--p: 2 value(s) given, but the writer establishes 1 PTE(s)"],
    );
    check_error(
        "check --barrier-off zap_wmb1 --barrier-on zap_wmb1",
        expect!["--barrier-on and --barrier-off both name zap_wmb1"],
    );
}

#[test]
fn bad_files_name_the_file() {
    let missing = temp_path("missing.json");
    let ran = run_args(&["check", "--file", missing.to_str().expect("UTF-8 path")]);
    assert_eq!(ran.code, 2);
    assert!(ran.error.starts_with(&format!("cannot read {}: ", missing.display())), "{ran:?}");

    let bad = temp_path("bad.json");
    std::fs::write(&bad, "{\"format\": 1,\n  \"model\": \"sc\",\n  oops").expect("write");
    let ran = run_args(&["check", "--file", bad.to_str().expect("UTF-8 path")]);
    std::fs::remove_file(&bad).ok();
    assert_eq!(ran.code, 2);
    assert!(
        ran.error.starts_with(&format!("{}: invalid scenario JSON: ", bad.display())),
        "{ran:?}"
    );
    assert!(ran.error.contains("line 3 column"), "{ran:?}");

    let invalid = temp_path("invalid.json");
    let too_many = Scenario { readers: 9, ..Scenario::kernel() };
    std::fs::write(&invalid, serde_json::to_string(&too_many).expect("JSON")).expect("write");
    let ran = run_args(&["check", "--file", invalid.to_str().expect("UTF-8 path")]);
    std::fs::remove_file(&invalid).ok();
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.error,
        format!("{}: readers is 9, but must be between 1 and 4", invalid.display())
    );

    let file = temp_path("scenario.json");
    std::fs::write(&file, Scenario::kernel().to_json()).expect("write");
    let ran = run_args(&["check", "--file", file.to_str().expect("UTF-8 path"), "--readers", "2"]);
    std::fs::remove_file(&file).ok();
    assert_eq!(ran.code, 0, "{ran:?}");
    assert!(ran.stdout.contains(", 2 readers,"), "{}", ran.stdout);
}

#[test]
fn save_witness_round_trip() {
    let path = temp_path("witness.json");
    let path_text = path.to_str().expect("UTF-8 path");
    let ran = run_args(&["check", "same-low-none", "--save-witness", path_text]);
    assert_eq!(ran.code, 1, "{ran:?}");
    assert!(ran.stdout.contains(&format!("saved to {path_text}")), "{}", ran.stdout);
    let trace =
        Trace::from_json(&std::fs::read_to_string(&path).expect("the file")).expect("a trace");
    assert_eq!(trace.steps.len(), 9);

    let ran = run_args(&["replay", path_text]);
    std::fs::remove_file(&path).ok();
    assert_eq!(ran.code, 1, "a torn read was replayed: {ran:?}");
    let last_lines: Vec<&str> = ran.stdout.lines().rev().take(3).collect();
    assert_eq!(last_lines[0], "9 of 9 step(s) replayed; 1 read(s) completed, 1 torn");
    assert!(last_lines[2].contains("returned 0x0000000000001067: TORN"), "{last_lines:?}");

    // No torn read: nothing written.
    let ran = run_args(&["check", "kernel", "--save-witness", path_text]);
    assert_eq!(ran.code, 0);
    assert!(ran.stdout.contains(&format!("no torn read: nothing written to {path_text}")));
    assert!(!path.exists());
}

#[test]
fn replay_stops_at_a_step_that_is_not_enabled() {
    let path = temp_path("blocked.json");
    // A trace file and its scenario share one format (issue 25 item 7).
    let trace = Trace {
        format: pte_core::FORMAT_VERSION,
        scenario: Scenario::kernel(),
        form: 0,
        steps: ["r1.off", "r1.r0", "w1", "w2", "w3", "r1.r1"].map(str::to_owned).to_vec(),
    };
    std::fs::write(&path, trace.to_json()).expect("write");
    let ran = run_args(&["replay", path.to_str().expect("UTF-8 path")]);
    assert_eq!(ran.code, 2);
    expect!["step 5 (writer: TLB flush) is not enabled: flush waits: reader 1 has interrupts off"]
        .assert_eq(&ran.error);
    expect![[r#"
        scenario: kernel (The kernel protocol as written)
          model sc, x86 PAE (present bit 0), writer [zap, flush, establish], flush ipi, 1 reader, the kernel's barriers (Jason's trailing wmbs off)
          values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300002067
        kernel sources at v6.0: https://elixir.bootlin.com/linux/v6.0/source

        initial state
              memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
              writer: to do w1, w2, w3, w4, w5
              reader 1: not started
           1. reader 1: irq_off  [local_irq_save() in lockless_pages_from_mm(), mm/gup.c]
              memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
              writer: to do w1, w2, w3, w4, w5
              reader 1: interrupts off, in the retry loop; r0 = —, r1 = —, r2 = —; 0 retries
           2. reader 1: r0 ← low (= 0x00001067)  [ptep_get_lockless(), include/linux/pgtable.h]
              memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
              writer: to do w1, w2, w3, w4, w5
              reader 1: interrupts off, in the retry loop; r0 = 0x00001067, r1 = —, r2 = —; 0 retries
           3. writer: low ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
              memory: low = 0x00000000 from Z (writer op 1), high = 0x00000001 from P0 (initial)
              writer: done w1; to do w2, w3, w4, w5
              reader 1: interrupts off, in the retry loop; r0 = 0x00001067, r1 = —, r2 = —; 0 retries
           4. writer: high ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
              memory: low = 0x00000000 from Z (writer op 1), high = 0x00000000 from Z (writer op 1)
              writer: done w1, w2; to do w3, w4, w5
              reader 1: interrupts off, in the retry loop; r0 = 0x00001067, r1 = —, r2 = —; 0 retries

        4 of 6 step(s) replayed; 0 read(s) completed, 0 torn
    "#]].assert_eq(&ran.stdout);

    let ran = run_args(&["replay", path.to_str().expect("UTF-8 path"), "--json"]);
    std::fs::remove_file(&path).ok();
    assert_eq!(ran.code, 2);
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    assert_eq!(json["steps"].as_array().map(Vec::len), Some(4));
    assert_eq!(json["error"]["number"], 5);
    assert_eq!(json["error"]["id"], "w3");
    assert_eq!(json["steps"][3]["state"]["high"]["value"], "0x00000000");
}

#[test]
fn replay_steps_on_a_preset() {
    check_output(
        "replay --preset same-low-none --model tso --steps r1.off,w1,r1.r0,wd,r1.r1",
        0,
        expect![[r#"
            scenario: same-low-none, changed by flags
              model tso, x86 PAE (present bit 0), writer [zap, flush, establish], flush none, 1 reader, the kernel's barriers (Jason's trailing wmbs off)
              values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300001067 (same low half)
            kernel sources at v6.0: https://elixir.bootlin.com/linux/v6.0/source

            initial state
                  memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
                  writer: to do w1, w2, w3, w4
                  store buffer: empty
                  reader 1: not started
               1. reader 1: irq_off  [local_irq_save() in lockless_pages_from_mm(), mm/gup.c]
                  memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
                  writer: to do w1, w2, w3, w4
                  store buffer: empty
                  reader 1: interrupts off, in the retry loop; r0 = —, r1 = —, r2 = —; 0 retries
               2. writer: low ← 0x00000000 into store buffer (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
                  memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
                  writer: issued w1; to do w2, w3, w4
                  store buffer (oldest first): low ← 0x00000000 (Z)
                  reader 1: interrupts off, in the retry loop; r0 = —, r1 = —, r2 = —; 0 retries
               3. reader 1: r0 ← low (= 0x00001067)  [ptep_get_lockless(), include/linux/pgtable.h]
                  memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
                  writer: issued w1; to do w2, w3, w4
                  store buffer (oldest first): low ← 0x00000000 (Z)
                  reader 1: interrupts off, in the retry loop; r0 = 0x00001067, r1 = —, r2 = —; 0 retries
               4. writer: drain low ← 0x00000000 to memory  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
                  memory: low = 0x00000000 from Z (writer op 1), high = 0x00000001 from P0 (initial)
                  writer: issued w1; to do w2, w3, w4
                  store buffer: empty
                  reader 1: interrupts off, in the retry loop; r0 = 0x00001067, r1 = —, r2 = —; 0 retries
               5. reader 1: r1 ← high (= 0x00000001)  [ptep_get_lockless(), include/linux/pgtable.h]
                  memory: low = 0x00000000 from Z (writer op 1), high = 0x00000001 from P0 (initial)
                  writer: issued w1; to do w2, w3, w4
                  store buffer: empty
                  reader 1: interrupts off, in the retry loop; r0 = 0x00001067, r1 = 0x00000001, r2 = —; 0 retries

            5 of 5 step(s) replayed; 0 read(s) completed, 0 torn
        "#]],
    );
    check_error(
        "replay --preset kernel --steps r1.off,r9.r0",
        expect!["step 2 (reader 9: r0 ← low) is not enabled: no such step in this scenario"],
    );
    check_error(
        "replay --preset kernel --steps r1.off,x",
        expect![[
            r#"step 2: "x" is not a step (expected w<N>, wd, or r<N>.off|r0|r1|r2|chk|on|grab|q0|q1|rechk|ld64|s|odd|s2)"#
        ]],
    );
}

#[test]
fn list_the_catalog() {
    check_output(
        "list",
        0,
        expect![[r#"
            kernel — The kernel protocol as written
                model sc, flush ipi; torn read: Never (63 states)
                x86 PAE with the two-store clear: native_pte_clear() writes low (the present bit) =
                0, smp_wmb(), high = 0; the TLB flush sends IPIs and waits for readers;
                native_set_pte() writes high, smp_wmb(), low. Each has exactly one smp_wmb(),
                between the halves; the trailing ones of Jason Gunthorpe's sketch are off here. This
                two-store clear is what the comment above ptep_get_lockless() describes. (The
                MADV_DONTNEED zap of user PTEs, native_ptep_get_and_clear(), is instead one atomic
                64-bit exchange on SMP kernels: see "Atomic zap, same low half, no flush".) The
                reader is ptep_get_lockless(): low, rmb, high, rmb, low again, retry if low changed,
                inside GUP-fast's local_irq_save(). This is the case the comment argues for: no torn
                read.
                Jann Horn: https://lore.kernel.org/all/CAG48ez3h-mnp9ZFC10v+-BW_8NQvxbwBsMYJFP8JX31o0B17Pg@mail.gmail.com/

            different-low — Zap then establish, different low half, no flush
                model sc, flush none; torn read: Never (80 states)
                Jason Gunthorpe's argument: it is about memory ordering, not IPIs. Zap writes low
                (not present) then high; re-establish writes high then low; the reader reads low,
                high, low. With no flush at all between zap and re-establish, a read still returns
                the old PTE, the new one, or something not present, as long as the new PTE's low
                half differs from the old one's.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            same-low-none — Same low half, no flush
                model sc, flush none; torn read: Sometimes (76 states)
                The new PTE reuses the old low half (on x86 PAE: the same physical address modulo 4
                GiB with the same flags). The re-read of low cannot see that the PTE changed: read
                low of P0, the zap clears low and then high, read high (zero), P1 is established
                with the same low, the re-read of low matches. The reader returns P0's low with a
                zeroed high half: present, and written by no one. Jann Horn, against the comment's
                first assumption: MADV_DONTNEED racing with an anonymous page fault can re-install a
                PTE before the zap's TLB flush, because zap_pte_range() flushes before dropping the
                page-table lock only when force_flush is set; otherwise the flush comes later, from
                the mmu_gather, after the lock is dropped (tlb_finish_mmu() on x86). The zap here is
                native_pte_clear()'s two stores; on SMP x86 the MADV_DONTNEED zap is one atomic
                64-bit exchange instead, and the same tear with it is "Atomic zap, same low half, no
                flush".
                Jann Horn: https://lore.kernel.org/all/CAG48ez3h-mnp9ZFC10v+-BW_8NQvxbwBsMYJFP8JX31o0B17Pg@mail.gmail.com/

            same-low-ipi — Same low half, IPI flush
                model sc, flush ipi; torn read: Never (63 states)
                The comment's premise: a flush between zap and re-establish, sent as an IPI that the
                reader holds off by running with interrupts disabled (native flush_tlb_mm_range()
                waits for every CPU it interrupts). A reader that saw the old low half is still
                inside its interrupts-off section, so the re-establish cannot happen until it
                returns. No torn read, even with a reused low half.
                Jann Horn: https://lore.kernel.org/all/CAG48ez3h-mnp9ZFC10v+-BW_8NQvxbwBsMYJFP8JX31o0B17Pg@mail.gmail.com/

            same-low-paravirt — Same low half, paravirt flush
                model sc, flush paravirt; torn read: Sometimes (91 states)
                Jann Horn's rebuttal of the comment's second assumption, that TLB flushes involve
                IPIs: under a hypervisor the paravirtualized flush "can implement remote TLB flushes
                without IPIs". In a later reply he named Hyper-V and Xen, whose
                hyperv_flush_tlb_multi() and xen_flush_tlb_multi() flush by hypercall. KVM's
                kvm_flush_tlb_multi() (arch/x86/kernel/kvm.c) interrupts running vCPUs but skips a
                preempted one and has the host flush it when it next runs, which is exactly a vCPU
                descheduled in the middle of GUP-fast. John Hubbard agreed that both the old and the
                new comment are wrong for this reason. The flush no longer waits for the reader and
                the same-low-half tear comes back.
                Jann Horn: https://lore.kernel.org/all/CAG48ez3h-mnp9ZFC10v+-BW_8NQvxbwBsMYJFP8JX31o0B17Pg@mail.gmail.com/
                Jann Horn: https://lore.kernel.org/all/CAG48ez3VE+3dVdUMK+Pg_942gR+h_TCcSaFxGwCbNfh3W+mfOA@mail.gmail.com/
                John Hubbard: https://lore.kernel.org/all/2c800ed1-d17a-def4-39e1-09281ee78d05@nvidia.com/

            jann-two-cycles — Jann Horn's two-cycle counterexample
                model sc, flush none; torn read: Sometimes (224 states)
                Jann Horn's trace (its value corrected in a follow-up): the PTE maps
                0x0001000100010000; the reader reads its low half; it is zapped and
                0x0001000200020000 installed; the reader reads high (0x00010002); it is zapped again
                and 0x0001000300010000 installed; the re-read of low matches the first read, and the
                reader returns 0x0001000200010000, which no writer wrote. Here the addresses carry
                the flags 0x067 in their low bits, so the table shows that value as
                0x0001000200010067; there is no flush. The addresses are illustrative: bit 48 is
                beyond what 32-bit PAE Linux can map (its __PHYSICAL_MASK_SHIFT is 44). In his
                words, "…it's not possible to atomically read a 64-bit PTE with 32-bit reads when
                the PTE can completely change under you" (from mid-sentence). Jason Gunthorpe: "It
                does seem broken then".
                Jann Horn: https://lore.kernel.org/all/CAG48ez1Oz4tT-N2Y=Zs6jumu=zOp7SQRZ=V2c+b5bT9P4retJA@mail.gmail.com/
                Jann Horn: https://lore.kernel.org/all/CAG48ez2sutJOkHvaPzA8hNhYQrea_bUxbWq3pTO1qqJ1JKBb5Q@mail.gmail.com/
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7/JtbinFmNpQMM@nvidia.com/

            atomic-zap-same-low — Atomic zap, same low half, no flush
                model sc, flush none; torn read: Sometimes (58 states)
                On SMP x86 PAE kernels native_ptep_get_and_clear(), the MADV_DONTNEED zap path
                (zap_pte_range() → ptep_get_and_clear_full() when the mmu_gather is not fullmm, as
                for MADV_DONTNEED), clears the PTE with one atomic 64-bit exchange: since 2018
                (commit b2d7a075a1cc, "x86/pae: use 64 bit atomic xchg function in
                native_ptep_get_and_clear"); v6.2 only rewrote it as an explicit try_cmpxchg64()
                loop. (Non-SMP builds, and the fullmm zap at exit, clear low first.) That removes
                any tear inside the zap, but not the reuse of the low half: the reader can still
                read P0's low, the zeroed high, then the re-established low that matches. Still
                torn. Linus Torvalds: the race needs a page re-populated "exactly the same MOD-4GB",
                and a sequence counter would be cleaner.
                Jann Horn: https://lore.kernel.org/all/CAG48ez3h-mnp9ZFC10v+-BW_8NQvxbwBsMYJFP8JX31o0B17Pg@mail.gmail.com/
                Linus Torvalds: https://lore.kernel.org/all/CAHk-=wjoGnHVVp5pcb69C6HtnJ_avqQo_b5NK-X9bgoDDw_XbA@mail.gmail.com/

            mips-sh — MIPS / SH clear order (high first)
                model sc, flush ipi; torn read: Sometimes (60 states)
                MIPS32 with 64-bit physical addresses and SH with X2TLB keep the present bit in the
                low half (MIPS: _PAGE_PRESENT is bit 6 of pte_low without XPA, bit 24 with XPA; SH:
                the V bit, 0x100) but clear a PTE with pte_clear(), which stores the empty entry
                high half first (SH: set_pte(ptep, __pte(0)); MIPS stores __pte(0), or _PAGE_GLOBAL
                when the buddy entry is global, between htw_stop() and htw_start()). Read low
                (present), the clear zeroes high, read high, re-read low (not yet cleared): a
                present entry with a zero high half, even with an IPI flush and a different low
                half. Here memory itself held that value between the clear's two stores: a
                half-written entry. What high = 0 means differs: on MIPS without XPA the whole page
                frame number and the hardware valid bit are in pte_high, so it is frame 0, not
                valid; on SH pte_high holds permission and size bits, so it is the right page with
                no permissions. (From reading the arch headers; the thread did not discuss it. Jann
                Horn noted that MIPS and SH "don't define arch_cmpxchg_double()", so a double-word
                cmpxchg read is no fix there.)
                Jann Horn: https://lore.kernel.org/all/CAG48ez3h-mnp9ZFC10v+-BW_8NQvxbwBsMYJFP8JX31o0B17Pg@mail.gmail.com/

            overwrite — Overwrite a present entry without a zap
                model sc, flush none; torn read: Sometimes (30 states)
                set_pte() of P1 straight over the present P0. The high half changes first while the
                present bit in low stays set: low of P0, high of P1, low of P0 again passes the
                check, and memory itself held that value between set_pte()'s two stores. The
                protocol relies on every change from one present PTE to another going through a
                not-present zap.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            present-high-x86-order — Present bit in the high half, x86 orders
                model sc, flush none; torn read: Sometimes (80 states)
                Jason Gunthorpe: "I did not check that the present bit is properly placed in the
                right low/high". With the present bit in high (bit 32 here) but the x86 orders, the
                zap clears low first while high still says present: read the cleared low, read the
                old high, re-read low unchanged. A present value no writer wrote, which memory
                itself held between the zap's two stores.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            present-high-mirrored — Present bit in the high half, mirrored orders
                model sc, flush none; torn read: Never (76 states)
                For a present bit in high, the write orders must be the mirror of x86's: zap clears
                high (the present bit) first, establish sets low first and high last. The reader
                still reads low, high, low; with these orders every present result of one
                zap/establish cycle is a whole PTE again. That restores only the one-cycle
                guarantee: Jann Horn's two-cycle race does not depend on the write order. The
                mirrored establish is hypothetical: no kernel has it.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            weak-no-zap-wmb1 — Weak model, no flush, without the zap's wmb
                model weak, flush none, the kernel's barriers without zap_wmb1; torn read: Sometimes (105 states)
                On a weakly ordered CPU the zap's two stores may reach memory in either order
                without the smp_wmb() between them in native_pte_clear(). If high is zeroed before
                low loses its present bit, the reader can return P0's low with a zeroed high.
                Otherwise the kernel's barriers, no flush.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            weak-no-zap-wmb2 — Weak model, no flush: Jason's sketch without the zap's trailing wmb
                model weak, flush none, Jason's sketch without zap_wmb2; torn read: Never (80 states)
                Jason Gunthorpe's sketch ends the zap with a second smp_wmb(); native_pte_clear()
                has none. Switching it off in the sketch changes no result, which is why the kernel
                can leave it out: the store it would order against is the establish's high store
                (the same word) or the establish's low store, which the establish's own wmb already
                orders after it. No torn read.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            weak-no-establish-wmb1 — Weak model, no flush, without the establish's wmb
                model weak, flush none, the kernel's barriers without establish_wmb1; torn read: Sometimes (124 states)
                Without the smp_wmb() between native_set_pte()'s two stores, the new low half (with
                the present bit) may reach memory before the new high half. The reader can return
                P1's low with the zap's zero high: torn. Jason Gunthorpe says the TLB's own atomic
                64-bit load needs this barrier for the same reason. Otherwise the kernel's barriers,
                no flush.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            weak-no-establish-wmb2 — Weak model, no flush: Jason's sketch without the establish's trailing wmb
                model weak, flush none, Jason's sketch without establish_wmb2; torn read: Never (80 states)
                Jason Gunthorpe's sketch ends the establish with a second smp_wmb();
                native_set_pte() has none. In the sketch it orders nothing that follows the last
                establish in this writer, so switching it off changes no result, which is why the
                kernel can leave it out. No torn read.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            weak-no-rmb1 — Weak model, no flush, without the reader's first rmb
                model weak, flush none, the kernel's barriers without reader_rmb1; torn read: Sometimes (94 states)
                Without the smp_rmb() between the first read of low and the read of high, the read
                of high may be performed first: it sees P0's high, then the writer zaps and
                establishes P1, and both reads of low see P1's low. The check passes on a value no
                writer wrote. Otherwise the kernel's barriers, no flush.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            weak-no-rmb2 — Weak model, no flush, without the reader's second rmb
                model weak, flush none, the kernel's barriers without reader_rmb2; torn read: Sometimes (101 states)
                Without the smp_rmb() between the read of high and the re-read of low, the re-read
                may be performed before high is read: both reads of low see P0, then the writer zaps
                and establishes P1, then high is read. The check cannot see the change. Otherwise
                the kernel's barriers, no flush.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            tso-no-barriers — x86-TSO, no flush, every barrier removed
                model tso, flush none, all barriers off; torn read: Sometimes (3466 states)
                On x86 smp_wmb() and smp_rmb() are compiler barriers only: the CPU keeps stores in
                order with stores and loads in order with loads, so the barriers are there for the
                compiler. Without them, and with the plain accesses of v6.0, the compiler may swap
                the two stores of a zap or an establish, compile the read of high before the first
                read of low, or reuse the first read of low for the check, which then compares r0
                with itself. Torn, although the CPU reorders nothing.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/
                Linus Torvalds: https://lore.kernel.org/all/CAHk-=whVRHVJAOOc=+1eQMSuWSoRAp+yGkb3Kob2=7r05M+oXw@mail.gmail.com/

            tso-no-barriers-marked — x86-TSO, no flush, every barrier removed, READ_ONCE()/WRITE_ONCE()
                model tso, flush none, all barriers off; torn read: Never (190 states)
                The same without any barrier, but the writer's stores are WRITE_ONCE() (as since
                "x86/mm/pae: Use WRITE_ONCE()", merged for v6.2) and the reader's loads READ_ONCE().
                The compiler may neither reorder two marked accesses nor merge a marked load, and
                x86 keeps the order: never torn. Linus Torvalds, on the patch: "Two WRITE_ONCE()
                statements are inherently ordered for the compiler (due to volatile rules), and x86
                doesn't re-order writes."
                Peter Zijlstra: https://lore.kernel.org/all/20221022114425.038102604@infradead.org/
                Linus Torvalds: https://lore.kernel.org/all/CAHk-=whVRHVJAOOc=+1eQMSuWSoRAp+yGkb3Kob2=7r05M+oXw@mail.gmail.com/

            sc-compiler-no-barriers — Sequential consistency with the compiler, no flush, every barrier removed
                model sc, flush none, all barriers off; torn read: Sometimes (1428 states)
                A sequentially consistent CPU performs every access in program order, but the
                program it runs is the compiler's: without the barriers the compiler may reorder the
                plain accesses or merge the re-read of low into the first read. Even a sequentially
                consistent CPU does not save code the compiler may reorder: torn.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/
                Linus Torvalds: https://lore.kernel.org/all/CAHk-=whVRHVJAOOc=+1eQMSuWSoRAp+yGkb3Kob2=7r05M+oXw@mail.gmail.com/

            walker-x86 — TLB walker, x86 orders, same low half, no flush
                model sc, flush none; torn read: Never (10 states)
                Jason Gunthorpe's message has two observers, not one: he says the write orders exist
                "to make the TLB's atomic 64 bit load work properly, otherwise the TLB could read a
                present entry with a bogus other half!", and defines a non-torn ptep_get_lockless()
                read "the same as for the TLB". Here the reader is that walker: one
                single-copy-atomic 64-bit load, no interrupts disabled, no retry. With the x86
                orders (clear the present half first, set it last) it never sees a torn entry, even
                with a reused low half and no flush: it reads one moment of memory, and memory never
                holds a present mix. The same load is what a cmpxchg8b read would give; Jann Horn
                noted that MIPS and SH "don't define arch_cmpxchg_double()", so a double-word
                cmpxchg read is no fix there.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/
                Jann Horn: https://lore.kernel.org/all/CAG48ez3h-mnp9ZFC10v+-BW_8NQvxbwBsMYJFP8JX31o0B17Pg@mail.gmail.com/

            walker-mips-sh — Atomic 64-bit load, MIPS/SH clear order, no flush
                model sc, flush none; torn read: Sometimes (10 states)
                One atomic 64-bit load against the MIPS/SH clear, pte_clear(), which writes the high
                half first. Between the two stores memory itself holds P0's low half (present) with
                a zeroed high half, and even an atomic load can return exactly that: a half-written
                entry. This reader is x86's kind of walker. MIPS32 and SH refill the TLB in software
                with 32-bit loads: the MIPS handler built in arch/mips/mm/tlbex.c loads pte_high
                (and, with XPA, pte_low separately); SH's handle_tlbmiss() copies the entry with two
                32-bit loads. Under the weak model, with no flush and no trailing wmb in the clear,
                the establish's high store may also land before the clear's low store. (From reading
                the arch sources; the thread did not discuss it.)
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7316NubHtw2xCa@nvidia.com/

            gup-fast-same-low — GUP-fast's re-check, same low half, no flush
                model sc, flush none; torn read: Never (347 states)
                Jann Horn pointed out that GUP-fast re-checks the PTE after taking the page
                reference (pte_val(pte) != pte_val(*ptep) in gup_pte_range()); Linus Torvalds: "Bah.
                I should have known that". The reader here is that whole path: ptep_get_lockless(),
                grab the reference (a full barrier), read the entry again, back off if it changed.
                The same-low-half tear still happens inside the loop, but by then the entry already
                holds P1, so the re-check sees the change and GUP-fast backs off: it never returns
                the torn value, though it did take a reference on the page the torn entry points at.
                Jann Horn: https://lore.kernel.org/all/CAG48ez3KMuM2aLpc8SvGiqZvv1KFc7E2DBZ4CLzxQeFhrMN_-w@mail.gmail.com/
                Linus Torvalds: https://lore.kernel.org/all/CAHk-=whE3+pLUQrzK=f0_GKdYZrv=72ox2nQrPhc+jZCMLqVSw@mail.gmail.com/

            gup-fast-mips-sh — GUP-fast's re-check, MIPS/SH clear order, no flush
                model sc, flush none; torn read: Sometimes (339 states)
                The re-check does not save the MIPS/SH clear order: between the clear's two stores
                the entry itself holds P0's low half with a zeroed high half, so the loop can return
                that value and the re-check, reading the entry again while the writer is still
                between its stores, finds the same value and accepts it. GUP-fast returns a torn
                entry under every model.
                Jann Horn: https://lore.kernel.org/all/CAG48ez3KMuM2aLpc8SvGiqZvv1KFc7E2DBZ4CLzxQeFhrMN_-w@mail.gmail.com/

            pmd-read-atomic-same-low — pmd_read_atomic() (before v6.2), same low half, no flush
                model sc, flush none; torn read: Sometimes (24 states)
                x86 PAE's pmd_read_atomic() until v6.1: read the low half; if it is 0 return the
                none pmd, else smp_rmb() and read the high half. No retry and no interrupts off: its
                callers walk page tables under mmap_lock for read. Against a zap and re-establish it
                returns P0's low half with the zapped high half: torn under every model, with or
                without a reused low half, since nothing re-checks. Its own comment admits that with
                THP "the high and low part of the pmdval returned may not be consistent", arguing
                its main caller needs only the low half. Peter Zijlstra's "mm: Fix
                pmd_read_atomic()" (commit 024d232ae4fc, v6.2) replaced it with pmdp_get_lockless(),
                the lockless loop: "AFAICT there's no reason to do anything different than what we
                do for PTEs."
                Peter Zijlstra: https://lore.kernel.org/all/20221022114424.711181252@infradead.org/

            pmd-read-atomic-populate — pmd_read_atomic() on a not-present entry, populate only
                model sc, flush none; torn read: Never (11 states)
                The case pmd_read_atomic()'s comment has in mind: "Without THP if the mmap_lock is
                held for reading, the pmd can only transition from null to not null while
                pmd_read_atomic() runs." The entry holds 0 and one establish (high, smp_wmb(), low)
                installs P1; no zap. A non-zero low half is P1's, stored after P1's high half, and
                the smp_rmb() keeps the high half's load after it: never torn, under every model.
                Switch pmd_rmb off under the weak model to see the load of the high half performed
                first: the if statement orders nothing on a weak CPU.
                Peter Zijlstra: https://lore.kernel.org/all/20221022114424.711181252@infradead.org/

            read-once64-same-low — GUP-fast's READ_ONCE(*pmdp) (before v6.2), same low half, no flush
                model sc, flush none; torn read: Sometimes (59 states)
                GUP-fast's gup_pmd_range() read the pmd with pmd_t pmd = READ_ONCE(*pmdp) until
                v6.1, interrupts off. On i386 an 8-byte READ_ONCE() is two 32-bit loads with no
                barrier and no retry, in an order C does not fix. Against a zap and re-establish
                nothing makes the halves belong together: torn under every model. Peter Zijlstra's
                "mm/gup: Fix the lockless PMD access" (commit 1180e732c985, v6.2): "On architectures
                where the PTE/PMD is larger than the native word size (i386-PAE for example),
                READ_ONCE() can do the wrong thing. Use pmdp_get_lockless() just like we use
                ptep_get_lockless()."
                Peter Zijlstra: https://lore.kernel.org/all/20221022114424.906110403@infradead.org/

            read-once64-populate — READ_ONCE(*pmdp) on a not-present entry, populate only
                model sc, flush none; torn read: Sometimes (33 states)
                The populate case against GUP-fast's READ_ONCE(*pmdp): the entry holds 0 and one
                establish installs P1. Loaded low half first, as the code is written, x86 never
                tears here: a low half of P1 comes after P1's high half. But the two loads are
                halves of one volatile access, and the compiler may emit the high half's load first:
                then the old high half (0) with P1's low half is torn, even on a sequentially
                consistent CPU. Switch the compiler off to see x86 keep it whole; the weak model
                tears either way.
                Peter Zijlstra: https://lore.kernel.org/all/20221022114424.906110403@infradead.org/

            kvm-spte-clear-counter — KVM's __get_spte_lockless() with its clear counter, same low half, no flush
                model sc, flush none; torn read: Never (177 states)
                KVM's shadow MMU on a 32-bit x86 host reads an spte with __get_spte_lockless()
                (arch/x86/kvm/mmu/mmu.c): the lockless loop between two reads of
                sp->clear_spte_count, which count_spte_clear() bumps after every clear (smp_wmb(),
                then count + 1), interrupts off around the walk (walk_shadow_page_lockless_begin()).
                The clear counter came with commit c2a2ac2b563c, "KVM: MMU: lockless walking shadow
                page table" (Xiao Guangrong, 2011). With the same low half the re-read of the low
                half cannot see the zap and re-establish, but the count can: never torn under SC and
                x86-TSO, compiler or not. Under the weak model it tears: the test is `spte_low !=
                orig->spte_low || count != sp->clear_spte_count`, a branch, so the count may be read
                again before the low half. The code is built for 32-bit x86 only, where loads keep
                their order.
                Ben Gardon: https://lore.kernel.org/all/20221221222418.3307832-4-bgardon@google.com/
                Arnd Bergmann: https://lore.kernel.org/all/20241212125516.467123-6-arnd@kernel.org/

            kvm-spte-no-clear-counter — KVM's __get_spte_lockless() without the clear counter, same low half, no flush
                model sc, flush none; torn read: Sometimes (113 states)
                The same reader with the writer's count_spte_clear() taken away: count stays 0, both
                reads of it agree, and what is left is the lockless loop, which the same low half
                defeats: P0's low half with the zapped high half is returned, as ptep_get_lockless()
                returns it. The clear counter is what catches this ABA case (commit c2a2ac2b563c,
                2011); Paolo Bonzini wrote in 2024 that 32-bit hosts "cannot read/write a PTE
                atomically (i.e. without tearing)".
                Ben Gardon: https://lore.kernel.org/all/20221221222418.3307832-4-bgardon@google.com/
                Arnd Bergmann: https://lore.kernel.org/all/20241212125516.467123-6-arnd@kernel.org/

            seqcount-fix — Sequence-counter fix, same low half, no flush
                model sc, flush none; torn read: Never (487 states)
                Jason Gunthorpe suggested a seqlock and Linus Torvalds a sequence counter as the
                clean fix (never merged, as of December 2025). The writer wraps every zap and
                establish in write_seqcount_begin() (seq + 1, smp_wmb()) and write_seqcount_end()
                (smp_wmb(), seq + 1); the reader reads seq, waits while it is odd, smp_rmb(), reads
                both halves, smp_rmb(), reads seq again and retries if it changed. A read can only
                return a value memory held while seq was even and unchanged: P0, the cleared entry,
                or P1. Never torn, even with the reused low half.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7/JtbinFmNpQMM@nvidia.com/
                Linus Torvalds: https://lore.kernel.org/all/CAHk-=wjoGnHVVp5pcb69C6HtnJ_avqQo_b5NK-X9bgoDDw_XbA@mail.gmail.com/

            seqcount-fix-tso — Sequence-counter fix under x86-TSO
                model tso, flush none; torn read: Never (1740 states)
                The sequence-counter fix on x86, where the barriers are compiler barriers and seq's
                stores go through the store buffer with the PTE's: TSO keeps stores in order and
                loads in order, so the fix holds without any fence. Never torn.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7/JtbinFmNpQMM@nvidia.com/
                Linus Torvalds: https://lore.kernel.org/all/CAHk-=wjoGnHVVp5pcb69C6HtnJ_avqQo_b5NK-X9bgoDDw_XbA@mail.gmail.com/

            seqcount-fix-weak — Sequence-counter fix under the weak model
                model weak, flush none; torn read: Never (663 states)
                The sequence-counter fix on a weakly ordered CPU, every barrier of the fix on.
                seq_wmb_begin keeps the first seq store before the update, seq_wmb_end the update
                before the second; the reader's two smp_rmb() keep its reads of the halves between
                its two reads of seq. Never torn. Switch any barrier off to see which matter: both
                of the reader's do; the writer's begin wmb is redundant next to the clear's own
                smp_wmb(), but not without it.
                Jason Gunthorpe: https://lore.kernel.org/all/Yz7/JtbinFmNpQMM@nvidia.com/
                Linus Torvalds: https://lore.kernel.org/all/CAHk-=wjoGnHVVp5pcb69C6HtnJ_avqQo_b5NK-X9bgoDDw_XbA@mail.gmail.com/

            seqcount-fix-weak-no-rmb-begin — Sequence-counter fix, weak model, without read_seqcount_begin()'s rmb
                model weak, flush none, the kernel's barriers without seq_rmb_begin; torn read: Sometimes (887 states)
                Without the smp_rmb() after the first read of seq, the reads of the halves may be
                performed before it: both halves can be read long before seq is, so an even,
                unchanged seq no longer vouches for them. P0's low (equal to P1's) with the cleared
                high half passes: torn again.
                Linus Torvalds: https://lore.kernel.org/all/CAHk-=wjoGnHVVp5pcb69C6HtnJ_avqQo_b5NK-X9bgoDDw_XbA@mail.gmail.com/
        "#]],
    );
    let ran = run("list --json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    let presets = json.as_array().expect("an array");
    assert_eq!(presets.len(), pte_core::catalog::presets().len());
    assert_eq!(presets[0]["id"], "kernel");
    assert_eq!(presets[0]["torn"], "never");
    assert_eq!(presets[0]["flush"], "ipi");
}

#[test]
fn bench_smoke() {
    let ran = run("bench --preset kernel --preset overwrite --seconds 0.05");
    assert_eq!(ran.code, 0, "{ran:?}");
    let rows: Vec<&str> = ran.stdout.lines().filter(|line| line.ends_with("complete")).collect();
    assert_eq!(rows.len(), 2, "{}", ran.stdout);
    assert!(rows[0].starts_with("kernel "), "{rows:?}");
    assert!(rows[0].contains(" 1.00 "), "{rows:?}");
    // The forms column: the kernel's barriers leave the lockless reader one
    // compiled form.
    assert!(ran.stdout.lines().any(|line| line.contains(" forms ")), "{}", ran.stdout);
    let forms = rows[0].split_whitespace().nth(2);
    assert_eq!(forms, Some("1"), "{rows:?}");
}

#[test]
fn bench_counts_the_compiled_forms() {
    let ran =
        run("bench --preset tso-no-barriers --preset tso-no-barriers-marked --seconds 0.05 --json");
    assert_eq!(ran.code, 0, "{ran:?}");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    let forms: Vec<u64> =
        json["rows"].as_array().unwrap().iter().map(|row| row["forms"].as_u64().unwrap()).collect();
    // Plain accesses, no barrier: 2 orders of the zap's stores × 2 of the
    // establish's × 5 ways for the reader's three loads (as written, r1
    // above r0, r2 above r1, r2 merged with r0, and r2 merged with r0 and
    // r1 above r0); marked accesses: the code as written alone.
    assert_eq!(forms, [20, 1]);
    // --compiler-off measures the code as written, as before the compiler.
    let ran = run("bench --preset tso-no-barriers --seconds 0.05 --json --compiler-off");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    assert_eq!(json["rows"][0]["forms"], 1);
    assert_eq!(json["rows"][0]["states"], 190);
}

#[test]
fn reader_kinds_and_the_sequence_counter_by_flag() {
    check_error(
        "check --reader-kinds lockless,tlb",
        expect![[r#"
            error: invalid value 'tlb' for '--reader-kinds <KINDS>': expected one of lockless, gup_fast, atomic64, seqcount, pmd_read_atomic, read_once64, kvm_spte

            For more information, try '--help'."#]],
    );
    check_error(
        "check --readers 1 --reader-kinds lockless,gup_fast",
        expect!["--reader-kinds names 2 kinds, but there are 1 reader(s) (set --readers)"],
    );
    // Without --readers, one kind per reader sets the count.
    let ran = run("check --flush none --same-low --reader-kinds gup_fast,atomic64 --json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(json["scenario"]["readers"], 2);
    assert_eq!(json["scenario"]["reader_kinds"], serde_json::json!(["gup_fast", "atomic64"]));
    assert!(json["results"].as_array().unwrap().iter().any(|r| r["returned"] == false));
    // A seqcount reader without the writer side is allowed, and warned about.
    let ran = run("check --flush none --same-low --reader-kinds seqcount");
    assert_eq!(ran.code, 1, "unprotected: torn");
    assert!(ran.stdout.contains(
        "  warning: a seqcount reader runs without the sequence-counter writer (--seqcount)"
    ));
    let ran = run("check --flush none --same-low --reader-kinds seqcount --json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    assert!(json["warnings"][0].as_str().unwrap().contains("seq stays 0"));
    let ran = run("check --flush none --same-low --reader-kinds seqcount --seqcount --json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(json["torn"], "never");
    assert!(json.get("warnings").is_none());
}

#[test]
fn the_clear_counter_flag_turns_kvm_s_count_on() {
    // The lockless loop does not read count: the answer stays torn; the
    // scenario says the writer has the counter, and the file carries it.
    let ran = run("check --flush none --same-low --clear-counter");
    assert_eq!(ran.code, 1, "the lockless loop tears with the same low half");
    assert!(ran.stdout.contains("writer [zap, flush, establish] with the clear counter"));
    let ran = run("check --flush none --same-low --clear-counter --json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(json["scenario"]["clear_counter"], true);
    assert_eq!(json["scenario"]["barriers"]["kvm_count_wmb"], true);
    let ran =
        run("check --flush none --same-low --clear-counter --barrier-off kvm_count_wmb --json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(json["scenario"]["barriers"]["kvm_count_wmb"], false);
}

#[test]
fn check_gup_fast_backs_off_after_the_torn_read() {
    check_output(
        "check gup-fast-same-low",
        0,
        expect![[r#"
            scenario: gup-fast-same-low (GUP-fast's re-check, same low half, no flush)
              model sc, x86 PAE (present bit 0), writer [zap, flush, establish], flush none, 1 reader (gup_fast), the kernel's barriers (Jason's trailing wmbs off)
              values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300001067 (same low half)

            torn read: Never

            value               verdict                 occurrences  retries  low from          high from
            0x0000000000000000  not present                       6  0        Z (writer op 1)   Z (writer op 1)
            0x0000000100000000  not present                       8  0        Z (writer op 1)   P0 (initial)
            0x0000000100001067  pre-zap (P0)                     10  0        P0 (initial)      P0 (initial)
            0x0000000300000000  not present                       4  0        Z (writer op 1)   P1 (writer op 3)
            0x0000000300001067  re-established P1                 2  0        P1 (writer op 3)  P1 (writer op 3)
            0x0000000000000000  backed off                        7  0        Z (writer op 1)   Z (writer op 1)
            0x0000000000001067  backed off (torn read)            2  0        P0 (initial)      Z (writer op 1)
            0x0000000100000000  backed off                       14  0        Z (writer op 1)   P0 (initial)
            0x0000000100001067  backed off                       25  0        P0 (initial)      P0 (initial)
            0x0000000300000000  backed off                        2  0        Z (writer op 1)   P1 (writer op 3)
            (retries, low from, high from: those of the shortest witness)

            witness: 0x0000000000001067 was read torn, then backed off, reached in 13 steps (kernel sources at v6.0: https://elixir.bootlin.com/linux/v6.0/source)
               1. reader 1: irq_off  [local_irq_save() in lockless_pages_from_mm(), mm/gup.c]
               2. reader 1: r0 ← low (= 0x00001067)  [ptep_get_lockless(), include/linux/pgtable.h]
               3. writer: low ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
               4. writer: high ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
               5. reader 1: r1 ← high (= 0x00000000)  [ptep_get_lockless(), include/linux/pgtable.h]
               6. writer: high ← 0x00000003 (establish, op 3, P1)  [native_set_pte(), arch/x86/include/asm/pgtable-3level.h]
               7. writer: low ← 0x00001067 (establish, op 3, P1)  [native_set_pte(), arch/x86/include/asm/pgtable-3level.h]
               8. reader 1: r2 ← low (= 0x00001067)  [ptep_get_lockless(), include/linux/pgtable.h]
               9. reader 1: check r0 = r2 (0x00001067 = 0x00001067: continue)  [ptep_get_lockless(), include/linux/pgtable.h]
              10. reader 1: grab the page reference (full barrier)  [try_grab_folio() in gup_pte_range(), mm/gup.c]
              11. reader 1: q0 ← low (= 0x00001067)  [pte_val(pte) != pte_val(*ptep) in gup_pte_range(), mm/gup.c]
              12. reader 1: q1 ← high (= 0x00000003)  [pte_val(pte) != pte_val(*ptep) in gup_pte_range(), mm/gup.c]
              13. reader 1: re-check (q0, q1) = (r0, r1) (0x0000000300001067 ≠ 0x0000000000001067: back off)  [pte_val(pte) != pte_val(*ptep) in gup_pte_range(), mm/gup.c]
                  → reader 1 read 0x0000000000001067: backed off (falls back to the slow path), after a torn read: it took a reference on the page a torn entry points at (low from P0 (initial), high from Z (writer op 1); no retry)

            347 states, 554 transitions
        "#]],
    );
}

#[test]
fn check_the_walker_against_the_mips_sh_clear() {
    check_output(
        "check walker-mips-sh",
        1,
        expect![[r#"
        scenario: walker-mips-sh (Atomic 64-bit load, MIPS/SH clear order, no flush)
          model sc, MIPS32 / SH X2TLB (present bit 0), writer [zap_high_first, flush, establish], flush none, 1 reader (atomic64), the kernel's barriers (Jason's trailing wmbs off)
          values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300002067

        torn read: Sometimes

        value               verdict            occurrences  retries  low from          high from
        0x0000000000000000  not present                  1  0        Z (writer op 1)   Z (writer op 1)
        0x0000000000001067  TORN                         1  0        P0 (initial)      Z (writer op 1)
        0x0000000100001067  pre-zap (P0)                 1  0        P0 (initial)      P0 (initial)
        0x0000000300000000  not present                  1  0        Z (writer op 1)   P1 (writer op 3)
        0x0000000300002067  re-established P1            1  0        P1 (writer op 3)  P1 (writer op 3)
        (retries, low from, high from: those of the shortest witness)

        witness: 0x0000000000001067 is torn, reached in 2 steps (kernel sources at v6.0: https://elixir.bootlin.com/linux/v6.0/source)
           1. writer: high ← 0x00000000 (zap_high_first, op 1, Z)  [pte_clear(), arch/mips/include/asm/pgtable.h]
           2. reader 1: r0,r1 ← low,high in one 64-bit load (= 0x0000000000001067)
              → reader 1 returned 0x0000000000001067: TORN: a present PTE no writer ever wrote: a half-written entry memory held between two stores (low from P0 (initial), high from Z (writer op 1); no retry)

        10 states, 13 transitions
    "#]],
    );
}

#[test]
fn check_the_seqcount_fix_and_its_missing_rmb() {
    check_output(
        "check seqcount-fix-weak",
        0,
        expect![[r#"
            scenario: seqcount-fix-weak (Sequence-counter fix under the weak model)
              model weak, x86 PAE (present bit 0), writer [zap, flush, establish] with the sequence counter, flush none, 1 reader (seqcount), the kernel's barriers (Jason's trailing wmbs off)
              values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300001067 (same low half)

            torn read: Never

            value               verdict            occurrences  retries  low from          high from
            0x0000000000000000  not present                  5  0        Z (writer op 1)   Z (writer op 1)
            0x0000000100001067  pre-zap (P0)                 9  0        P0 (initial)      P0 (initial)
            0x0000000300001067  re-established P1            1  0        P1 (writer op 3)  P1 (writer op 3)
            (retries, low from, high from: those of the shortest witness)

            663 states, 1408 transitions
        "#]],
    );
    check_output(
        "check seqcount-fix-weak-no-rmb-begin",
        1,
        expect![[r#"
            scenario: seqcount-fix-weak-no-rmb-begin (Sequence-counter fix, weak model, without read_seqcount_begin()'s rmb)
              model weak, x86 PAE (present bit 0), writer [zap, flush, establish] with the sequence counter, flush none, 1 reader (seqcount), the kernel's barriers without seq_rmb_begin
              values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300001067 (same low half)

            torn read: Sometimes

            value               verdict            occurrences  retries  low from          high from
            0x0000000000000000  not present                  6  0        Z (writer op 1)   Z (writer op 1)
            0x0000000000001067  TORN                         6  0        P0 (initial)      Z (writer op 1)
            0x0000000100000000  not present                  6  0        Z (writer op 1)   P0 (initial)
            0x0000000100001067  pre-zap (P0)                15  0        P0 (initial)      P0 (initial)
            0x0000000300000000  not present                  1  0        Z (writer op 1)   P1 (writer op 3)
            0x0000000300001067  re-established P1            1  0        P1 (writer op 3)  P1 (writer op 3)
            (retries, low from, high from: those of the shortest witness)

            witness: 0x0000000000001067 is torn, reached in 11 steps (kernel sources at v6.0: https://elixir.bootlin.com/linux/v6.0/source)
               1. writer: seq ← 1 (zap, op 1, seq 1)  [write_seqcount_begin(), include/linux/seqlock.h]
               2. reader 1: irq_off  [local_irq_save() in lockless_pages_from_mm(), mm/gup.c]
               3. reader 1: r0 ← low (= 0x00001067)  [ptep_get_lockless(), include/linux/pgtable.h]
               4. writer: low ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
               5. writer: high ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
               6. writer: seq ← 2 (zap, op 1, seq 2)  [write_seqcount_end(), include/linux/seqlock.h]
               7. reader 1: s ← seq (= 2)  [read_seqcount_begin(), include/linux/seqlock.h]
               8. reader 1: check s is even (2 is even: continue)  [read_seqcount_begin(), include/linux/seqlock.h]
               9. reader 1: r1 ← high (= 0x00000000)  [ptep_get_lockless(), include/linux/pgtable.h]
              10. reader 1: s2 ← seq (= 2)  [read_seqcount_retry(), include/linux/seqlock.h]
              11. reader 1: check s2 = s (2 = 2: return)  [read_seqcount_retry(), include/linux/seqlock.h]
                  → reader 1 returned 0x0000000000001067: TORN: a present PTE no writer ever wrote (low from P0 (initial), high from Z (writer op 1); no retry)

            887 states, 1891 transitions
        "#]],
    );
}

#[test]
fn replay_a_gup_fast_back_off() {
    check_output(
        "replay --preset gup-fast-same-low --steps r1.off,r1.r0,w1,w2,r1.r1,w3,w4,r1.r2,r1.chk,r1.grab,r1.q0,r1.q1,r1.rechk",
        0,
        expect![[r#"
            scenario: gup-fast-same-low (GUP-fast's re-check, same low half, no flush)
              model sc, x86 PAE (present bit 0), writer [zap, flush, establish], flush none, 1 reader (gup_fast), the kernel's barriers (Jason's trailing wmbs off)
              values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300001067 (same low half)
            kernel sources at v6.0: https://elixir.bootlin.com/linux/v6.0/source

            initial state
                  memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
                  writer: to do w1, w2, w3, w4
                  reader 1 (gup_fast): not started
               1. reader 1: irq_off  [local_irq_save() in lockless_pages_from_mm(), mm/gup.c]
                  memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
                  writer: to do w1, w2, w3, w4
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = —, r1 = —, r2 = —, q0 = —, q1 = —; 0 retries
               2. reader 1: r0 ← low (= 0x00001067)  [ptep_get_lockless(), include/linux/pgtable.h]
                  memory: low = 0x00001067 from P0 (initial), high = 0x00000001 from P0 (initial)
                  writer: to do w1, w2, w3, w4
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = —, r2 = —, q0 = —, q1 = —; 0 retries
               3. writer: low ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
                  memory: low = 0x00000000 from Z (writer op 1), high = 0x00000001 from P0 (initial)
                  writer: done w1; to do w2, w3, w4
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = —, r2 = —, q0 = —, q1 = —; 0 retries
               4. writer: high ← 0x00000000 (zap, op 1, Z)  [native_pte_clear(), arch/x86/include/asm/pgtable-3level.h]
                  memory: low = 0x00000000 from Z (writer op 1), high = 0x00000000 from Z (writer op 1)
                  writer: done w1, w2; to do w3, w4
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = —, r2 = —, q0 = —, q1 = —; 0 retries
               5. reader 1: r1 ← high (= 0x00000000)  [ptep_get_lockless(), include/linux/pgtable.h]
                  memory: low = 0x00000000 from Z (writer op 1), high = 0x00000000 from Z (writer op 1)
                  writer: done w1, w2; to do w3, w4
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = 0x00000000, r2 = —, q0 = —, q1 = —; 0 retries
               6. writer: high ← 0x00000003 (establish, op 3, P1)  [native_set_pte(), arch/x86/include/asm/pgtable-3level.h]
                  memory: low = 0x00000000 from Z (writer op 1), high = 0x00000003 from P1 (writer op 3)
                  writer: done w1, w2, w3; to do w4
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = 0x00000000, r2 = —, q0 = —, q1 = —; 0 retries
               7. writer: low ← 0x00001067 (establish, op 3, P1)  [native_set_pte(), arch/x86/include/asm/pgtable-3level.h]
                  memory: low = 0x00001067 from P1 (writer op 3), high = 0x00000003 from P1 (writer op 3)
                  writer: every access done
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = 0x00000000, r2 = —, q0 = —, q1 = —; 0 retries
               8. reader 1: r2 ← low (= 0x00001067)  [ptep_get_lockless(), include/linux/pgtable.h]
                  memory: low = 0x00001067 from P1 (writer op 3), high = 0x00000003 from P1 (writer op 3)
                  writer: every access done
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = 0x00000000, r2 = 0x00001067, q0 = —, q1 = —; 0 retries
               9. reader 1: check r0 = r2 (0x00001067 = 0x00001067: continue)  [ptep_get_lockless(), include/linux/pgtable.h]
                  memory: low = 0x00001067 from P1 (writer op 3), high = 0x00000003 from P1 (writer op 3)
                  writer: every access done
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = 0x00000000, r2 = 0x00001067, q0 = —, q1 = —; 0 retries
              10. reader 1: grab the page reference (full barrier)  [try_grab_folio() in gup_pte_range(), mm/gup.c]
                  memory: low = 0x00001067 from P1 (writer op 3), high = 0x00000003 from P1 (writer op 3)
                  writer: every access done
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = 0x00000000, r2 = 0x00001067, q0 = —, q1 = —; 0 retries
              11. reader 1: q0 ← low (= 0x00001067)  [pte_val(pte) != pte_val(*ptep) in gup_pte_range(), mm/gup.c]
                  memory: low = 0x00001067 from P1 (writer op 3), high = 0x00000003 from P1 (writer op 3)
                  writer: every access done
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = 0x00000000, r2 = 0x00001067, q0 = 0x00001067, q1 = —; 0 retries
              12. reader 1: q1 ← high (= 0x00000003)  [pte_val(pte) != pte_val(*ptep) in gup_pte_range(), mm/gup.c]
                  memory: low = 0x00001067 from P1 (writer op 3), high = 0x00000003 from P1 (writer op 3)
                  writer: every access done
                  reader 1 (gup_fast): interrupts off, in GUP-fast; r0 = 0x00001067, r1 = 0x00000000, r2 = 0x00001067, q0 = 0x00001067, q1 = 0x00000003; 0 retries
              13. reader 1: re-check (q0, q1) = (r0, r1) (0x0000000300001067 ≠ 0x0000000000001067: back off)  [pte_val(pte) != pte_val(*ptep) in gup_pte_range(), mm/gup.c]
                  memory: low = 0x00001067 from P1 (writer op 3), high = 0x00000003 from P1 (writer op 3)
                  writer: every access done
                  reader 1 (gup_fast): read complete, interrupts still off; r0 = 0x00001067, r1 = 0x00000000, r2 = 0x00001067, q0 = 0x00001067, q1 = 0x00000003; 0 retries
                  → reader 1 read 0x0000000000001067: backed off (falls back to the slow path), after a torn read: it took a reference on the page a torn entry points at (low from P0 (initial), high from Z (writer op 1); no retry)

            13 of 13 step(s) replayed; 1 read(s) completed, 1 torn
        "#]],
    );
}

#[test]
fn litmus_refuses_what_it_cannot_write() {
    check_error(
        "litmus gup-fast-same-low",
        expect!["cannot export a litmus test: reader 1 is a gup_fast reader; the litmus export writes lockless (one attempt of ptep_get_lockless() each), pmd_read_atomic, read_once64 and kvm_spte (one attempt of __get_spte_lockless() each) readers only"],
    );
    check_error(
        "litmus kernel --seqcount",
        expect!["cannot export a litmus test: the sequence-counter writer is not exported: the litmus test has the two halves of the entry and KVM's clear counter only"],
    );
}

#[test]
fn matrix_of_the_kernel_protocol() {
    check_output(
        "matrix kernel",
        0,
        expect![[r#"
            scenario: kernel (The kernel protocol as written)
              model sc, x86 PAE (present bit 0), writer [zap, flush, establish], flush ipi, 1 reader, the kernel's barriers (Jason's trailing wmbs off)
              values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300002067

            can a read tear? with the barriers as given, and with each site switched off alone:
            model  as given  zap_wmb1  zap_wmb2*  establish_wmb1  establish_wmb2*  reader_rmb1  reader_rmb2
            sc     never     TORN(cc)  never      TORN(cc)        never            TORN(cc)     TORN(cc)
            tso    never     TORN(cc)  never      TORN(cc)        never            TORN(cc)     TORN(cc)
            weak   never     TORN      never      TORN            never            TORN         TORN
            (* off in the scenario already: the column repeats the scenario's answer)
            (cc: torn only because of the compiler: the code as written never tears there, so that barrier is there for the compiler)

            minimal sets of sites that, switched on alone, prevent a torn read:
              sc    {zap_wmb1, establish_wmb1, reader_rmb1, reader_rmb2}
              tso   {zap_wmb1, establish_wmb1, reader_rmb1, reader_rmb2}
              weak  {zap_wmb1, establish_wmb1, reader_rmb1, reader_rmb2}
            never needed in this scenario, under any model: zap_wmb2, establish_wmb2

            torn: the value a shortest witness returns, and its steps
              sc without zap_wmb1: 0x0000000000001067, 6 steps (compiled form 1): w1,r1.off,r1.r0,r1.r1,r1.r2,r1.chk
              sc without establish_wmb1: 0x0000000000002067, 9 steps (compiled form 1): w1,w2,w3,w4,r1.off,r1.r0,r1.r1,r1.r2,r1.chk
              sc without reader_rmb1: 0x0000000000002067, 10 steps (compiled form 1): w1,w2,w3,r1.off,r1.r1,w4,w5,r1.r0,r1.r2,r1.chk
              sc without reader_rmb2: 0x0000000000001067, 7 steps (compiled form 1): r1.off,r1.r0,r1.r2,w1,w2,r1.r1,r1.chk
              tso without zap_wmb1: 0x0000000000001067, 7 steps (compiled form 1): w1,wd,r1.off,r1.r0,r1.r1,r1.r2,r1.chk
              tso without establish_wmb1: 0x0000000000002067, 12 steps (compiled form 1): w1,w2,wd,wd,w3,w4,wd,r1.off,r1.r0,r1.r1,r1.r2,r1.chk
              tso without reader_rmb1: 0x0000000000002067, 14 steps (compiled form 1): w1,w2,wd,wd,w3,w4,w5,r1.off,r1.r1,wd,wd,r1.r0,r1.r2,r1.chk
              tso without reader_rmb2: 0x0000000000001067, 9 steps (compiled form 1): w1,w2,r1.off,r1.r0,r1.r2,wd,wd,r1.r1,r1.chk
              weak without zap_wmb1: 0x0000000000001067, 6 steps: w2,r1.off,r1.r0,r1.r1,r1.r2,r1.chk
              weak without establish_wmb1: 0x0000000000002067, 9 steps: w1,w2,w3,w5,r1.off,r1.r0,r1.r1,r1.r2,r1.chk
              weak without reader_rmb1: 0x0000000000002067, 10 steps: w1,w2,w3,r1.off,r1.r1,w4,w5,r1.r0,r1.r2,r1.chk
              weak without reader_rmb2: 0x0000000000001067, 7 steps: r1.off,r1.r0,r1.r2,w1,w2,r1.r1,r1.chk

            30 explorations, 7093 states; the other answers follow from them (fewer barriers never remove a result)
        "#]],
    );
}

#[test]
fn matrix_of_the_seqcount_fix_names_every_minimal_set() {
    check_output(
        "matrix seqcount-fix-weak-no-rmb-begin",
        1,
        expect![[r#"
            scenario: seqcount-fix-weak-no-rmb-begin (Sequence-counter fix, weak model, without read_seqcount_begin()'s rmb)
              model weak, x86 PAE (present bit 0), writer [zap, flush, establish] with the sequence counter, flush none, 1 reader (seqcount), the kernel's barriers without seq_rmb_begin
              values: P0 = 0x0000000100001067, Z = 0x0000000000000000, P1 = 0x0000000300001067 (same low half)

            can a read tear? with the barriers as given, and with each site switched off alone:
            model  as given  zap_wmb1  zap_wmb2*  establish_wmb1  establish_wmb2*  seq_wmb_begin  seq_wmb_end  seq_rmb_begin*  seq_rmb_retry
            sc     never     never     never      never           never            never          never        never           TORN(cc)
            tso    never     never     never      never           never            never          never        never           TORN(cc)
            weak   TORN      TORN      TORN       TORN            TORN             TORN           TORN         TORN            TORN
            (* off in the scenario already: the column repeats the scenario's answer)
            (cc: torn only because of the compiler: the code as written never tears there, so that barrier is there for the compiler)

            minimal sets of sites that, switched on alone, prevent a torn read:
              sc    {zap_wmb1, establish_wmb1, seq_rmb_retry}
                  or {seq_wmb_begin, seq_wmb_end, seq_rmb_retry}
                  or {zap_wmb1, establish_wmb2, seq_wmb_begin, seq_rmb_retry}
                  or {zap_wmb2, establish_wmb1, seq_wmb_begin, seq_rmb_retry}
                  or {zap_wmb2, establish_wmb2, seq_wmb_begin, seq_rmb_retry}
              tso   {zap_wmb1, establish_wmb1, seq_rmb_retry}
                  or {seq_wmb_begin, seq_wmb_end, seq_rmb_retry}
                  or {zap_wmb1, establish_wmb2, seq_wmb_begin, seq_rmb_retry}
                  or {zap_wmb2, establish_wmb1, seq_wmb_begin, seq_rmb_retry}
                  or {zap_wmb2, establish_wmb2, seq_wmb_begin, seq_rmb_retry}
              weak  {zap_wmb1, establish_wmb1, seq_rmb_begin, seq_rmb_retry}
                  or {seq_wmb_begin, seq_wmb_end, seq_rmb_begin, seq_rmb_retry}
                  or {zap_wmb1, establish_wmb2, seq_wmb_begin, seq_rmb_begin, seq_rmb_retry}
                  or {zap_wmb2, establish_wmb1, seq_wmb_begin, seq_rmb_begin, seq_rmb_retry}
                  or {zap_wmb2, establish_wmb2, seq_wmb_begin, seq_rmb_begin, seq_rmb_retry}

            torn: the value a shortest witness returns, and its steps
              sc without seq_rmb_retry: 0x0000000000001067, 10 steps (compiled form 1): r1.off,r1.s,r1.odd,r1.r0,r1.s2,w1,w2,w3,r1.r1,r1.chk
              tso without seq_rmb_retry: 0x0000000000001067, 13 steps (compiled form 1): w1,w2,w3,r1.off,r1.s,r1.odd,r1.r0,r1.s2,wd,wd,wd,r1.r1,r1.chk
              weak as given, without zap_wmb1, without establish_wmb1, without seq_wmb_begin, without seq_wmb_end, without seq_rmb_retry: 0x0000000000001067, 11 steps: w1,r1.off,r1.r0,w2,w3,w4,r1.s,r1.odd,r1.r1,r1.s2,r1.chk

            196 explorations, 5358026 states; the other answers follow from them (fewer barriers never remove a result)
        "#]],
    );
}

#[test]
fn matrix_json_of_the_walker() {
    check_output(
        "matrix walker-x86 --json",
        0,
        expect![[r#"
            {
              "scenario": {
                "format": 3,
                "model": "sc",
                "present_bit": 0,
                "writer": [
                  "zap",
                  "flush",
                  "establish"
                ],
                "values": {
                  "p0": "0x0000000100001067",
                  "z": "0x0000000000000000",
                  "p": [
                    "0x0000000300001067"
                  ]
                },
                "readers": 1,
                "flush": "none",
                "barriers": {
                  "zap_wmb1": true,
                  "zap_wmb2": false,
                  "establish_wmb1": true,
                  "establish_wmb2": false,
                  "reader_rmb1": true,
                  "reader_rmb2": true,
                  "seq_wmb_begin": true,
                  "seq_wmb_end": true,
                  "seq_rmb_begin": true,
                  "seq_rmb_retry": true,
                  "pmd_rmb": true,
                  "kvm_count_wmb": true,
                  "kvm_count_rmb": true
                },
                "reader_kinds": [
                  "atomic64"
                ],
                "compiler": true
              },
              "sites": [
                "zap_wmb1",
                "zap_wmb2",
                "establish_wmb1",
                "establish_wmb2"
              ],
              "models": [
                {
                  "model": "sc",
                  "torn": "never",
                  "complete": true,
                  "without": [
                    {
                      "barrier": "zap_wmb1",
                      "on_in_scenario": true,
                      "torn": "sometimes",
                      "complete": true,
                      "compiler_only": true,
                      "explored": true,
                      "value": "0x0000000000001067",
                      "witness": [
                        "w1",
                        "r1.ld64"
                      ],
                      "form": 1
                    },
                    {
                      "barrier": "zap_wmb2",
                      "on_in_scenario": false,
                      "torn": "never",
                      "complete": true,
                      "explored": true
                    },
                    {
                      "barrier": "establish_wmb1",
                      "on_in_scenario": true,
                      "torn": "sometimes",
                      "complete": true,
                      "compiler_only": true,
                      "explored": true,
                      "value": "0x0000000000001067",
                      "witness": [
                        "w1",
                        "w2",
                        "w3",
                        "r1.ld64"
                      ],
                      "form": 1
                    },
                    {
                      "barrier": "establish_wmb2",
                      "on_in_scenario": false,
                      "torn": "never",
                      "complete": true,
                      "explored": true
                    }
                  ],
                  "minimal_sets": [
                    [
                      "zap_wmb1",
                      "establish_wmb1"
                    ]
                  ]
                },
                {
                  "model": "tso",
                  "torn": "never",
                  "complete": true,
                  "without": [
                    {
                      "barrier": "zap_wmb1",
                      "on_in_scenario": true,
                      "torn": "sometimes",
                      "complete": true,
                      "compiler_only": true,
                      "explored": true,
                      "value": "0x0000000000001067",
                      "witness": [
                        "w1",
                        "wd",
                        "r1.ld64"
                      ],
                      "form": 1
                    },
                    {
                      "barrier": "zap_wmb2",
                      "on_in_scenario": false,
                      "torn": "never",
                      "complete": true,
                      "explored": true
                    },
                    {
                      "barrier": "establish_wmb1",
                      "on_in_scenario": true,
                      "torn": "sometimes",
                      "complete": true,
                      "compiler_only": true,
                      "explored": true,
                      "value": "0x0000000000001067",
                      "witness": [
                        "w1",
                        "w2",
                        "w3",
                        "wd",
                        "wd",
                        "wd",
                        "r1.ld64"
                      ],
                      "form": 1
                    },
                    {
                      "barrier": "establish_wmb2",
                      "on_in_scenario": false,
                      "torn": "never",
                      "complete": true,
                      "explored": true
                    }
                  ],
                  "minimal_sets": [
                    [
                      "zap_wmb1",
                      "establish_wmb1"
                    ]
                  ]
                },
                {
                  "model": "weak",
                  "torn": "never",
                  "complete": true,
                  "without": [
                    {
                      "barrier": "zap_wmb1",
                      "on_in_scenario": true,
                      "torn": "sometimes",
                      "complete": true,
                      "explored": true,
                      "value": "0x0000000000001067",
                      "witness": [
                        "w2",
                        "r1.ld64"
                      ],
                      "form": 0
                    },
                    {
                      "barrier": "zap_wmb2",
                      "on_in_scenario": false,
                      "torn": "never",
                      "complete": true,
                      "explored": true
                    },
                    {
                      "barrier": "establish_wmb1",
                      "on_in_scenario": true,
                      "torn": "sometimes",
                      "complete": true,
                      "explored": true,
                      "value": "0x0000000000001067",
                      "witness": [
                        "w1",
                        "w2",
                        "w4",
                        "r1.ld64"
                      ],
                      "form": 0
                    },
                    {
                      "barrier": "establish_wmb2",
                      "on_in_scenario": false,
                      "torn": "never",
                      "complete": true,
                      "explored": true
                    }
                  ],
                  "minimal_sets": [
                    [
                      "zap_wmb1",
                      "establish_wmb1"
                    ]
                  ]
                }
              ],
              "never_needed": [
                "zap_wmb2",
                "establish_wmb2"
              ],
              "max_states": 20000000,
              "explorations": 18,
              "states": 600
            }
        "#]],
    );
}

#[test]
fn matrix_json_witnesses_replay_to_torn_reads() {
    // The CPU's part alone (the compiler off); the compiler's is below.
    let ran = run("matrix weak-no-rmb2 --compiler off --json");
    assert_eq!(ran.code, 1, "torn under weak with the barriers as given: {ran:?}");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    let scenario: Scenario = serde_json::from_value(json["scenario"].clone()).unwrap();
    let models = json["models"].as_array().unwrap();
    assert_eq!(
        models.iter().map(|m| m["model"].as_str().unwrap()).collect::<Vec<_>>(),
        ["sc", "tso", "weak"]
    );
    assert_eq!(models[0]["torn"], "never");
    assert_eq!(models[2]["torn"], "sometimes");
    assert_eq!(models[0]["minimal_sets"], serde_json::json!([[]]));
    assert_eq!(
        models[2]["minimal_sets"],
        serde_json::json!([["zap_wmb1", "establish_wmb1", "reader_rmb1", "reader_rmb2"]])
    );
    let mut torn_cells = 0;
    for model in models {
        for cell in model["without"].as_array().unwrap() {
            let Some(witness) = cell["witness"].as_array() else {
                assert_eq!(cell["torn"], "never", "{cell}");
                continue;
            };
            torn_cells += 1;
            let mut variant = scenario.clone();
            variant.model = model["model"].as_str().unwrap().parse().unwrap();
            variant.barriers.set(cell["barrier"].as_str().unwrap().parse().unwrap(), false);
            let steps = parse_steps(witness.iter().map(|id| id.as_str().unwrap())).unwrap();
            let form = cell["form"].as_u64().expect("a torn cell names its compiled form");
            let mut session = Session::compiled(variant, form as usize).unwrap();
            session.replay(&steps).unwrap();
            let read = session.last_read().expect("the witness completes a read");
            assert!(read.returned_torn());
            assert_eq!(read.read.value.to_string(), cell["value"].as_str().unwrap());
        }
    }
    assert_eq!(torn_cells, 6, "every weak cell tears");

    // With the compiler, SC and x86-TSO tear too once a reader's rmb is off
    // (COMPILER.md): those cells need their barrier only because of the
    // compiler, and their witnesses replay in the compiled form they name.
    let ran = run("matrix weak-no-rmb2 --json");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    let scenario: Scenario = serde_json::from_value(json["scenario"].clone()).unwrap();
    assert!(scenario.compiler);
    for model in json["models"].as_array().unwrap() {
        assert_eq!(model["torn"], "sometimes", "{model}");
        for cell in model["without"].as_array().unwrap() {
            let Some(witness) = cell["witness"].as_array() else { continue };
            let mut variant = scenario.clone();
            variant.model = model["model"].as_str().unwrap().parse().unwrap();
            variant.barriers.set(cell["barrier"].as_str().unwrap().parse().unwrap(), false);
            let steps = parse_steps(witness.iter().map(|id| id.as_str().unwrap())).unwrap();
            let form = cell["form"].as_u64().unwrap() as usize;
            let mut session = Session::compiled(variant, form).unwrap();
            session.replay(&steps).unwrap();
            assert!(session.last_read().unwrap().returned_torn(), "{cell}");
        }
    }
}

#[test]
fn matrix_stops_at_the_state_limit() {
    let ran = run("matrix --cycles 2 --readers 2 --max-states 50");
    assert_eq!(ran.code, 3, "{ran:?}");
    assert!(ran.stdout.contains("sc     unknown"), "{}", ran.stdout);
    assert!(ran.stdout.contains("undecided: an exploration stopped at the limit of 50 states"));
    let ran = run("matrix --cycles 2 --readers 2 --max-states 50 --json");
    assert_eq!(ran.code, 3);
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    assert_eq!(json["models"][0]["complete"], false);
    assert_eq!(json["models"][0]["minimal_sets"], serde_json::Value::Null);
}

#[test]
fn matrix_refuses_bad_input() {
    check_error(
        "matrix no-such-preset",
        expect![[r#"unknown preset "no-such-preset"; `pte-explorer list` shows the catalog"#]],
    );
    check_error(
        "matrix kernel --file x.json",
        expect![[r#"
            error: the argument '[PRESET]' cannot be used with '--file <FILE>'

            Usage: pte-explorer matrix <PRESET>

            For more information, try '--help'."#]],
    );
    let mut command = Cli::command();
    let help = command.find_subcommand_mut("matrix").unwrap().render_long_help().to_string();
    assert!(help.contains(pte_explorer::MATRIX_EXIT_CODES), "{help}");
}

#[test]
fn bench_json_of_one_scaled_model() {
    let ran = run("bench --scaled sc --json --seconds 0.05 --max-states 2000");
    assert_eq!(ran.code, 0, "{ran:?}");
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["model"], "sc");
    assert_eq!(rows[0]["scenario"], "3 cycles, 3 readers, flush none");
    assert!(rows[0]["seconds_per_run"].as_f64().unwrap() > 0.0);
    assert_eq!(rows[0]["optimized"], serde_json::Value::Null, "a field of the whole run");
    assert_eq!(json["optimized"], !cfg!(debug_assertions));
}

#[test]
fn bench_saves_and_compares() {
    let saved = temp_path("bench-saved.json");
    let path = saved.to_str().expect("UTF-8 path");
    let ran = run_args(&["bench", "--preset", "kernel", "--seconds", "0.05", "--save", path]);
    assert_eq!(ran.code, 0, "{ran:?}");
    let text = std::fs::read_to_string(&saved).expect("bench --save wrote the file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(json["reduced"], true);
    assert!(json["rows"][0]["states_per_second"].as_f64().unwrap() > 0.0);

    // The kernel preset has one reader: the reduction changes nothing there.
    let args = ["bench", "--preset", "kernel", "--preset", "overwrite", "--seconds", "0.05"];
    let ran = run_args(&[&args[..], &["--unreduced", "--compare", path]].concat());
    assert_eq!(ran.code, 0, "{ran:?}");
    let kernel = ran.stdout.lines().find(|line| line.starts_with("kernel ")).unwrap();
    assert!(kernel.contains(" 1.00 "), "same states as saved: {kernel}");
    let overwrite = ran.stdout.lines().find(|line| line.starts_with("overwrite ")).unwrap();
    assert!(overwrite.ends_with("-  -  -") || overwrite.ends_with('-'), "not saved: {overwrite}");

    let ran = run_args(&[
        "bench",
        "--preset",
        "kernel",
        "--seconds",
        "0.05",
        "--json",
        "--compare",
        path,
    ]);
    let json: serde_json::Value = serde_json::from_str(&ran.stdout).expect("JSON output");
    assert_eq!(json["rows"][0]["vs_saved"]["states"], 1.0);
    std::fs::remove_file(&saved).ok();

    let ran = run_args(&["bench", "--preset", "kernel", "--compare", "/nonexistent/bench.json"]);
    assert_eq!(ran.code, 2, "{ran:?}");
}
