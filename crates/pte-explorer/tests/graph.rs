//! `graph`: a preset's torn witness as JSON, DOT and SVG (well-formed XML
//! whose highlighted rf arrows start at the writes the verdict names).

use clap::Parser;
use expect_test::expect;
use pte_explorer::Cli;

fn run(command_line: &str) -> (u8, String) {
    let cli =
        Cli::try_parse_from(std::iter::once("pte-explorer").chain(command_line.split_whitespace()))
            .expect("the command line parses");
    let mut out = Vec::new();
    match pte_explorer::run(&cli, &mut out) {
        Ok(exit) => (exit.code(), String::from_utf8(out).unwrap()),
        Err(error) => (pte_explorer::INPUT_ERROR_CODE, error.to_string()),
    }
}

/// Checks that every tag is closed in order and every attribute is quoted:
/// enough to say the SVG is well-formed XML without an XML crate.
fn assert_well_formed(xml: &str) {
    let body = xml.trim_start_matches(|c| c != '<');
    let body =
        body.strip_prefix("<?xml").map_or(body, |rest| &rest[rest.find("?>").unwrap() + 2..]);
    let mut stack: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>').expect("every tag ends");
        let tag = &rest[start + 1..end];
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.trim()), "</{name}> closes the wrong tag");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap().to_owned());
        }
        assert!(
            !rest[end + 1..].split('<').next().unwrap().contains('&')
                || rest[end + 1..].split('<').next().unwrap().contains("&amp;")
                || rest[end + 1..].split('<').next().unwrap().contains("&lt;")
                || rest[end + 1..].split('<').next().unwrap().contains("&gt;")
        );
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn json_lists_events_and_edges() {
    let (code, text) = run("graph same-low-none --format json");
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let events = json["events"].as_array().unwrap();
    let edges = json["edges"].as_array().unwrap();
    // Two initial values, four writer stores, five reader steps (the trace
    // ends at the check).
    assert_eq!(events.len(), 11);
    let kinds = |kind: &str| edges.iter().filter(|edge| edge["kind"] == kind).count();
    assert_eq!((kinds("po"), kinds("rf"), kinds("co"), kinds("fr")), (7, 3, 4, 2));
    expect![[r#"
        {
          "from": null,
          "id": 0,
          "kind": "init",
          "label": "low = 0x00001067 (P0)",
          "thread": "init",
          "value": 4199,
          "word": "low"
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&events[0]).unwrap());
}

#[test]
fn dot_is_for_graphviz() {
    let (code, text) = run("graph same-low-none --format dot");
    assert_eq!(code, 0);
    assert!(text.starts_with("digraph execution {"));
    // r0 (event 3) read P0's low half, r1 (6) the zap's high store (5).
    assert!(text.contains("e0 -> e3 [label=\"rf\", style=bold];"), "{text}");
    assert!(text.contains("e5 -> e6 [label=\"rf\", style=bold];"), "{text}");
    assert!(text.trim_end().ends_with('}'));
    expect![[r#"
        digraph execution {
          rankdir=TB;
          node [shape=box];
          subgraph cluster_0 {
            label="writer (initial values on top)";
            e0 [label="low = 0x00001067 (P0)"];
            e1 [label="high = 0x00000001 (P0)"];
            e4 [label="low ← 0x00000000 (Z)"];
            e5 [label="high ← 0x00000000 (Z)"];
            e7 [label="high ← 0x00000003 (P1)"];
            e8 [label="low ← 0x00001067 (P1)"];
          }
          subgraph cluster_1 {
            label="reader 1";
            e2 [label="irq_off"];
            e3 [label="r0 ← low"];
            e6 [label="r1 ← high"];
            e9 [label="r2 ← low"];
            e10 [label="check r0 = r2"];
          }
          e4 -> e5 [label="po", style=solid];
          e5 -> e7 [label="po", style=solid];
          e7 -> e8 [label="po", style=solid];
          e2 -> e3 [label="po", style=solid];
          e3 -> e6 [label="po", style=solid];
          e6 -> e9 [label="po", style=solid];
          e9 -> e10 [label="po", style=solid];
          e0 -> e3 [label="rf", style=bold];
          e5 -> e6 [label="rf", style=bold];
          e8 -> e9 [label="rf", style=bold];
          e0 -> e4 [label="co", style=dotted];
          e4 -> e8 [label="co", style=dotted];
          e1 -> e5 [label="co", style=dotted];
          e5 -> e7 [label="co", style=dotted];
          e3 -> e4 [label="fr", style=dashed];
          e6 -> e7 [label="fr", style=dashed];
        }
    "#]]
    .assert_eq(&text);
}

#[test]
fn the_svg_is_well_formed_and_highlights_the_torn_halves() {
    for args in
        ["graph same-low-none", "graph same-low-none --timeline", "graph mips-sh --model tso"]
    {
        let (code, svg) = run(args);
        assert_eq!(code, 0, "{args}");
        assert_well_formed(&svg);
        assert!(svg.contains("<style>"), "a downloaded picture carries its styles");
    }
    let (_, svg) = run("graph same-low-none");
    // The highlighted arrows start at P0's low half (event 0) and at the
    // zap's high store (event 5).
    let highlighted: Vec<&str> = svg
        .split("<g class=\"edge rf highlight torn\"")
        .skip(1)
        .map(|rest| rest.split("data-from=\"").nth(1).unwrap().split('"').next().unwrap())
        .collect();
    assert_eq!(highlighted, ["0", "5"]);
}

#[test]
fn nothing_to_draw_is_said_plainly() {
    let (code, text) = run("graph kernel");
    assert_eq!(code, 2);
    assert!(text.contains("no read of this scenario returns a torn value"), "{text}");
}
