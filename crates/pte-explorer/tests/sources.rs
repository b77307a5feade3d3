//! The kernel functions the CLI names for each step of a witness (`check`)
//! and of a replay, in text and in JSON.

use clap::Parser;
use pte_explorer::Cli;

fn run_json(command_line: &str) -> serde_json::Value {
    let argv = std::iter::once("pte-explorer").chain(command_line.split_whitespace());
    let cli = Cli::try_parse_from(argv).expect("the command line parses");
    let mut out = Vec::new();
    pte_explorer::run(&cli, &mut out).expect("the command runs");
    serde_json::from_slice(&out).expect("JSON output")
}

/// The `function` of each source of a torn result's witness.
fn witness_functions(json: &serde_json::Value) -> Vec<String> {
    let torn = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|result| result["verdict"] == "torn")
        .expect("a torn result");
    let sources = torn["witness_sources"].as_array().expect("witness_sources");
    assert_eq!(sources.len(), torn["witness"].as_array().expect("witness").len());
    sources.iter().map(|source| source["function"].as_str().unwrap_or("none").to_owned()).collect()
}

#[test]
fn check_json_names_the_kernel_function_of_each_step() {
    let json = run_json("check same-low-none --json");
    assert_eq!(
        witness_functions(&json),
        [
            "lockless_pages_from_mm",
            "ptep_get_lockless",
            "native_pte_clear",
            "native_pte_clear",
            "ptep_get_lockless",
            "native_set_pte",
            "native_set_pte",
            "ptep_get_lockless",
            "ptep_get_lockless",
        ]
    );
    let first = &json["results"][1]["witness_sources"][2];
    assert_eq!(first["file"], "arch/x86/include/asm/pgtable-3level.h");
    assert_eq!(first["tag"], "v6.0");
    assert_eq!(
        first["url"],
        "https://elixir.bootlin.com/linux/v6.0/source/arch/x86/include/asm/pgtable-3level.h"
    );
}

#[test]
fn the_arch_and_the_flush_choose_the_function() {
    // MIPS/SH: the clear and the store are MIPS's (SH's are listed after it
    // in the core's table).
    let functions = witness_functions(&run_json("check mips-sh --json"));
    assert!(functions.contains(&"pte_clear".to_owned()), "{functions:?}");
    // A paravirt flush in a witness is KVM's.
    let functions =
        witness_functions(&run_json("check same-low-paravirt --json --model sc --readers 1"));
    assert!(functions.contains(&"kvm_flush_tlb_multi".to_owned()), "{functions:?}");
    // The mirrored establish is in no kernel: its steps have no source.
    let json = run_json("replay --preset kernel --writer establish_low_first --steps w1,w2 --json");
    let steps = json["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 2);
    assert!(steps.iter().all(|step| step["source"].is_null()), "{steps:?}");
}

#[test]
fn replay_json_names_the_kernel_function_of_each_step() {
    let json =
        run_json("replay --preset same-low-ipi --steps r1.off,r1.r0,r1.r1,r1.r2,r1.chk,r1.on,w1,w2,w3 --json");
    let sources: Vec<&str> = json["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| step["source"]["function"].as_str().expect("a source"))
        .collect();
    assert_eq!(
        sources,
        [
            "lockless_pages_from_mm",
            "ptep_get_lockless",
            "ptep_get_lockless",
            "ptep_get_lockless",
            "ptep_get_lockless",
            "lockless_pages_from_mm",
            "native_pte_clear",
            "native_pte_clear",
            "native_flush_tlb_multi",
        ]
    );
}
