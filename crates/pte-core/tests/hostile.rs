//! Hostile input at the core's boundaries (issue 25): every reproducer of
//! the issue refused with a message naming the field, and what stays
//! accepted still read the one way the grammar allows.

use expect_test::expect;
use pte_core::{link, ReaderKind, Scenario, Trace};

/// The kernel protocol's permalink.
fn kernel_link() -> String {
    link::encode(&Scenario::kernel(), &[])
}

fn link_error(query: &str) -> String {
    match link::decode(query) {
        Ok(decoded) => panic!("{query:?} was accepted as {:?}", decoded.scenario),
        Err(error) => error.to_string(),
    }
}

fn json_error(text: &str) -> String {
    match Scenario::from_json(text) {
        Ok(scenario) => panic!("{text} was accepted as {scenario:?}"),
        Err(error) => error.to_string(),
    }
}

/// The kernel scenario's file with `from` replaced by `to` (which must occur).
fn kernel_json_with(from: &str, to: &str) -> String {
    let json = Scenario::kernel().to_json();
    assert!(json.contains(from), "{from:?} is not in {json}");
    json.replacen(from, to, 1)
}

#[test]
fn a_present_z_is_refused_wherever_it_comes_from() {
    // Item 1: a zap that stores a present value would be judged torn.
    let present_z = kernel_link().replace("z=0", "z=1");
    expect!["the link's scenario is invalid: values.z is 0x0000000000000001, which has the present bit (bit 0) set; Z is the not-present value a zap stores"]
        .assert_eq(&link_error(&present_z));
    expect!["values.z is 0x0000000000000001, which has the present bit (bit 0) set; Z is the not-present value a zap stores"]
        .assert_eq(&json_error(&kernel_json_with(r#""z": "0x0000000000000000""#, r#""z": "0x1""#)));
    let mut scenario = Scenario::kernel();
    scenario.present_bit = 32;
    scenario.values.z = pte_core::Pte(1 << 32);
    assert!(scenario.validate().unwrap_err().to_string().starts_with("values.z is"));
    // Under another present bit the same Z is not present, and fine.
    scenario.values.z = pte_core::Pte(1);
    scenario.validate().unwrap();
    // A not-present P (a swap entry, say) is judged "not present", which it
    // is: no verdict is wrong, so it is accepted; so is a P equal to Z.
    let mut swap_entry = Scenario::kernel();
    swap_entry.values.p[0] = pte_core::Pte(0x0000_0005_0000_0002);
    swap_entry.validate().unwrap();
    swap_entry.values.p[0] = swap_entry.values.z;
    swap_entry.validate().unwrap();
}

#[test]
fn a_version_1_link_carries_no_version_2_field() {
    // Item 2: format 1 had no reader kinds and no sequence counter.
    let version_1 = kernel_link().replace("v=3", "v=1").replace("&cc=1", "");
    link::decode(&version_1).unwrap();
    expect![[r#"link parameter seq="1": not part of link format 1; write v=3"#]]
        .assert_eq(&link_error(&format!("{version_1}&seq=1&kinds=seqcount")));
    expect![[r#"link parameter kinds="seqcount": not part of link format 1; write v=3"#]]
        .assert_eq(&link_error(&format!("{version_1}&kinds=seqcount")));
    expect![[r#"link parameter seq="banana": not part of link format 1; write v=3"#]]
        .assert_eq(&link_error(&format!("{version_1}&seq=banana&kinds=nonsense")));
    // Version 2 reads them, and refuses garbage by name.
    let version_2 = kernel_link();
    expect![[
        r#"link parameter kinds="nonsense": expected lockless, gup_fast, atomic64 or seqcount"#
    ]]
    .assert_eq(&link_error(&format!("{version_2}&seq=banana&kinds=nonsense")));
    expect![[r#"link parameter seq="banana": expected 0 or 1"#]]
        .assert_eq(&link_error(&format!("{version_2}&seq=banana")));
    // A parameter no version has is not dropped either.
    expect![[r#"link parameter of="zap_wmb1": no link format has this parameter"#]]
        .assert_eq(&link_error(&format!("{version_2}&of=zap_wmb1")));
}

#[test]
fn duplicates_are_refused_by_name() {
    // Item 3.
    let link = kernel_link();
    expect![[r#"link parameter readers="4": the parameter is given twice"#]]
        .assert_eq(&link_error(&format!("{link}&readers=4")));
    expect![[r#"link parameter lesson="3": the parameter is given twice"#]]
        .assert_eq(&link::lesson("lesson=3&lesson=4", 9).unwrap().unwrap_err().to_string());
    expect![[r#"invalid scenario JSON: barriers: "zap_wmb1" is given twice at line 20 column 32"#]]
        .assert_eq(&json_error(&kernel_json_with(
            r#""zap_wmb1": true,"#,
            r#""zap_wmb1": true, "zap_wmb1": false,"#,
        )));
    expect!["invalid scenario JSON: duplicate field `readers` at line 17 column 25"].assert_eq(
        &json_error(&kernel_json_with(r#""readers": 1,"#, r#""readers": 1, "readers": 4,"#)),
    );
}

#[test]
fn numbers_hex_values_and_step_ids_have_one_spelling() {
    // Item 4: each of these was accepted and read as something else.
    let link = kernel_link();
    let p0 = format!("p0={:x}", Scenario::kernel().values.p0.0);
    for (from, to, parameter) in [
        (p0.as_str(), "p0=+1", "p0"),
        (p0.as_str(), "p0=0x+1", "p0"),
        (p0.as_str(), "p0=0x0x0x1", "p0"),
        (p0.as_str(), "p0=_1_2_", "p0"),
        (p0.as_str(), "p0=1 2", "p0"),
        ("bit=0", "bit=+5", "bit"),
        ("bit=0", "bit=00", "bit"),
        ("readers=1", "readers=+1", "readers"),
        ("readers=1", "readers=01", "readers"),
    ] {
        let error = link_error(&link.replace(from, to));
        assert!(error.starts_with(&format!("link parameter {parameter}=")), "{to}: {error}");
    }
    for version in ["v=+3", "v=0003", "v=3_"] {
        let error = link_error(&link.replace("v=3", version));
        assert!(error.starts_with("the link has format version"), "{version}: {error}");
    }
    for step in ["w+1", "w01", "r+1.off", "r001.r0", "r1 .off", "w0"] {
        let error = link_error(&format!("{link}&t={step}"));
        assert!(error.contains(&format!("{step:?} is not a step")), "{step}: {error}");
    }
    for lesson in ["+3", "03", "3_"] {
        let error = link::lesson(&format!("lesson={lesson}"), 9).unwrap().unwrap_err();
        assert!(error.to_string().starts_with("link parameter lesson="), "{error}");
    }
    // One optional 0x or 0X, in links and files alike.
    for spelling in ["p0=1", "p0=0x1", "p0=0X1", "p0=0000000000000001"] {
        let decoded = link::decode(&link.replace(&p0, spelling)).unwrap();
        assert_eq!(decoded.scenario.values.p0, pte_core::Pte(1), "{spelling}");
    }
    let p0_json = format!(r#""p0": "{}""#, Scenario::kernel().values.p0);
    for spelling in ["1", "0x1", "0X1", "0x0000000000000001"] {
        let text = kernel_json_with(&p0_json, &format!(r#""p0": "{spelling}""#));
        assert_eq!(Scenario::from_json(&text).unwrap().values.p0, pte_core::Pte(1), "{spelling}");
    }
    for spelling in ["0x+1", "+1", " 0x1", "0x1 ", "0x 1", "0x1_0", "0x0x1", ""] {
        let text = kernel_json_with(&p0_json, &format!(r#""p0": "{spelling}""#));
        assert!(json_error(&text).contains("is not a 64-bit hex value"), "{spelling:?}");
    }
}

#[test]
fn format_versions_line_up() {
    // Item 7: a format-1 trace wraps a format-1 scenario.
    let trace = Trace::new(Scenario::kernel(), &[]);
    let mixed = trace.to_json().replacen("\"format\": 3", "\"format\": 1", 1);
    expect!["the trace has format 1 but its scenario has format 3; a trace file and its scenario are written in one format"]
        .assert_eq(&Trace::from_json(&mixed).unwrap_err().to_string());
    // A format-1 file names only the six sites format 1 had.
    let old = include_str!("data/format1-scenario.json");
    Scenario::from_json(old).unwrap();
    let with_seq_site =
        old.replacen(r#""reader_rmb2": false"#, r#""reader_rmb2": false, "seq_wmb_end": false"#, 1);
    expect!["seq_wmb_end is not part of format 1; write format 3"]
        .assert_eq(&json_error(&with_seq_site));
    let old_trace = include_str!("data/format1-trace.json");
    Trace::from_json(old_trace).unwrap();
    let with_seq_site = old_trace.replacen(
        r#""reader_rmb2": true"#,
        r#""reader_rmb2": true, "seq_wmb_end": false"#,
        1,
    );
    expect!["seq_wmb_end is not part of format 1; write format 3"]
        .assert_eq(&Trace::from_json(&with_seq_site).unwrap_err().to_string());
    // The API refuses a kinds list the decoders would have shortened.
    let mut scenario = Scenario::kernel();
    scenario.readers = 2;
    scenario.reader_kinds = vec![ReaderKind::GupFast, ReaderKind::Lockless];
    expect!["reader_kinds ends with lockless, which every reader beyond the list is; leave it out (normalize_reader_kinds)"]
        .assert_eq(&scenario.validate().unwrap_err().to_string());
    scenario.normalize_reader_kinds();
    scenario.validate().unwrap();
}

#[test]
fn the_compiler_fields_are_read_one_way() {
    // Issue 21: `cc`, `marked` and `form` are refused by name when wrong.
    let link = kernel_link();
    expect![[r#"link parameter cc="yes": expected 0 or 1"#]]
        .assert_eq(&link_error(&link.replace("cc=1", "cc=yes")));
    expect![[r#"link parameter marked="both": expected writer or reader"#]]
        .assert_eq(&link_error(&format!("{link}&marked=both")));
    expect![[r#"link parameter marked="reader": named twice"#]]
        .assert_eq(&link_error(&format!("{link}&marked=reader,reader")));
    // The kernel's barriers leave the lockless reader one compiled form.
    expect![[r#"link parameter form="1": this scenario has only form 0 (as written)"#]]
        .assert_eq(&link_error(&format!("{link}&form=1")));
    expect![[r#"link parameter form="01": a decimal number has no leading zeros"#]]
        .assert_eq(&link_error(&format!("{link}&form=01")));
    let no_barriers = link.replace(
        "off=zap_wmb2,establish_wmb2",
        "off=zap_wmb1,zap_wmb2,establish_wmb1,establish_wmb2,reader_rmb1,reader_rmb2",
    );
    assert_eq!(link::decode(&format!("{no_barriers}&form=19")).unwrap().form, 19);
    expect![[r#"link parameter form="20": this scenario has forms 0 to 19"#]]
        .assert_eq(&link_error(&format!("{no_barriers}&form=20")));
    // A version 2 link has no compiler: it opens with it off, and refuses
    // the version 3 fields.
    let version_2 = link.replace("v=3", "v=2").replace("&cc=1", "");
    assert!(!link::decode(&version_2).unwrap().scenario.compiler);
    expect![[r#"link parameter form="0": not part of link format 2; write v=3"#]]
        .assert_eq(&link_error(&format!("{version_2}&form=0")));
    // A trace file's form must be one of its scenario's.
    let mut trace = Trace::new(Scenario::kernel(), &[]);
    trace.form = 3;
    expect!["compiled form 3 does not exist (there are 1)"]
        .assert_eq(&Trace::from_json(&trace.to_json()).unwrap_err().to_string());
}
