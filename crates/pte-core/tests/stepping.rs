//! The stepping session, traces, scenario files and permalinks: what a
//! person sees when stepping by hand, and how bad input is refused.

use expect_test::{expect, Expect};

use pte_core::{
    catalog, link, Barrier, FlushMode, MemoryModel, Program, ReaderAction, Register, Scenario,
    Session, Step, Trace, Verdict,
};

fn reader(action: ReaderAction) -> Step {
    Step::Reader { reader: 0, action }
}

fn load(register: Register) -> Step {
    reader(ReaderAction::Load(register))
}

#[track_caller]
fn check_trace(scenario: Scenario, steps: &[&str], expect: Expect) {
    let mut session = Session::new(scenario).unwrap();
    let mut lines = Vec::new();
    for id in steps {
        let step = Step::parse(id).unwrap();
        let text = session.program().describe(session.state(), step);
        match session.step(step) {
            Ok(read) => {
                lines.push(text);
                if let Some(read) = read {
                    lines.push(format!("  => {}", read.summary()));
                }
            }
            Err(blocked) => lines.push(format!("{text}: {}", session.program().explain(blocked))),
        }
    }
    expect.assert_eq(&lines.join("\n"));
}

#[test]
fn same_low_half_tears_step_by_step() {
    check_trace(
        catalog::find("same-low-none").unwrap().scenario(),
        &["r1.off", "r1.r0", "w1", "w2", "r1.r1", "w3", "w4", "r1.r2", "r1.chk", "r1.on"],
        expect![[r#"
            reader 1: irq_off
            reader 1: r0 ← low (= 0x00001067)
            writer: low ← 0x00000000 (zap, op 1, Z)
            writer: high ← 0x00000000 (zap, op 1, Z)
            reader 1: r1 ← high (= 0x00000000)
            writer: high ← 0x00000003 (establish, op 3, P1)
            writer: low ← 0x00001067 (establish, op 3, P1)
            reader 1: r2 ← low (= 0x00001067)
            reader 1: check r0 = r2 (0x00001067 = 0x00001067: return)
              => reader 1 returned 0x0000000000001067: TORN: a present PTE no writer ever wrote (low from P0 (initial), high from Z (writer op 1); no retry)
            reader 1: irq_on"#]],
    );
}

#[test]
fn ipi_flush_waits_for_the_reader() {
    check_trace(
        catalog::find("same-low-ipi").unwrap().scenario(),
        &["r1.off", "r1.r0", "w1", "w2", "w3", "r1.r1", "r1.r2", "r1.chk", "r1.r0"],
        expect![[r#"
            reader 1: irq_off
            reader 1: r0 ← low (= 0x00001067)
            writer: low ← 0x00000000 (zap, op 1, Z)
            writer: high ← 0x00000000 (zap, op 1, Z)
            writer: TLB flush (ipi, op 2): flush waits: reader 1 has interrupts off
            reader 1: r1 ← high (= 0x00000000)
            reader 1: r2 ← low (= 0x00000000)
            reader 1: check r0 = r2 (0x00001067 ≠ 0x00000000: retry)
            reader 1: r0 ← low (= 0x00000000)"#]],
    );
}

#[test]
fn weak_model_offers_early_accesses_and_says_what_blocks_the_rest() {
    let scenario = catalog::find("weak-no-rmb1").unwrap().scenario();
    let mut session = Session::new(scenario).unwrap();
    session.step(reader(ReaderAction::IrqOff)).unwrap();
    let program = session.program().clone();
    let options: Vec<String> = session
        .options()
        .into_iter()
        .map(|(step, enabled)| match enabled {
            Ok(()) => format!("{} [{}]", program.name(step), step.id()),
            Err(blocked) => {
                format!("{} [{}]: {}", program.name(step), step.id(), program.explain(blocked))
            }
        })
        .collect();
    expect![[r#"
        writer: low ← 0x00000000 (Z) [w1]
        writer: high ← 0x00000000 (Z) [w2]: waits for wmb: writer: low ← 0x00000000 (Z) not yet performed
        writer: high ← 0x00000003 (P1) [w3]: waits for same word: writer: high ← 0x00000000 (Z) not yet performed
        writer: low ← 0x00002067 (P1) [w4]: waits for wmb: writer: high ← 0x00000003 (P1) not yet performed
        reader 1: r0 ← low [r1.r0]
        reader 1: r1 ← high [r1.r1]
        reader 1: r2 ← low [r1.r2]: waits for rmb: reader 1: r1 ← high not yet performed
        reader 1: check r0 = r2 [r1.chk]: waits for full ordering: reader 1: r2 ← low not yet performed"#]]
    .assert_eq(&options.join("\n"));
}

#[test]
fn tso_buffers_stores_until_drained() {
    let scenario = Scenario { model: MemoryModel::Tso, ..Scenario::kernel() };
    let mut session = Session::new(scenario).unwrap();
    session.step(Step::Writer(0)).unwrap();
    let program = session.program().clone();
    assert_eq!(program.buffered(session.state()).collect::<Vec<_>>(), vec![0]);
    // Memory still holds P0's low until the drain.
    assert_eq!(program.memory_value(session.state(), pte_core::Word::Low), 0x1067);
    session.step(Step::Writer(1)).unwrap();
    let flush = program.check(session.state(), Step::Writer(2)).unwrap_err();
    assert_eq!(
        program.explain(flush),
        "waits for the store buffer to drain (flushes and locked stores need it empty)"
    );
    assert_eq!(
        program.describe(session.state(), Step::Drain),
        "writer: drain low ← 0x00000000 to memory"
    );
    session.step(Step::Drain).unwrap();
    session.step(Step::Drain).unwrap();
    assert_eq!(program.memory_value(session.state(), pte_core::Word::Low), 0);
    session.step(Step::Writer(2)).unwrap();
}

#[test]
fn undo_redo_and_jump() {
    let mut session = Session::new(Scenario::kernel()).unwrap();
    for step in [reader(ReaderAction::IrqOff), load(Register::R0), load(Register::R1)] {
        session.step(step).unwrap();
    }
    assert!(session.undo());
    assert_eq!(session.trace().len(), 2);
    assert!(session.redo());
    assert!(!session.redo());
    assert!(session.jump(1));
    assert!(!session.jump(9));
    assert_eq!(session.all_steps().len(), 3);
    // A new step cuts the redo tail.
    session.step(Step::Writer(0)).unwrap();
    assert_eq!(session.all_steps().len(), 2);
    assert!(!session.can_redo());
}

#[test]
fn replay_stops_at_the_first_step_not_enabled() {
    let mut session = Session::new(Scenario::kernel()).unwrap();
    let steps: Vec<Step> = ["r1.off", "r1.r2"].iter().map(|id| Step::parse(id).unwrap()).collect();
    let error = session.replay(&steps).unwrap_err();
    expect![[r#"step 2 (reader 1: r2 ← low (= 0x00001067)) is not enabled: waits for program order: reader 1: r1 ← high not yet performed"#]]
        .assert_eq(&error.to_string());
    assert_eq!(session.trace().len(), 1, "the steps before the bad one stay taken");
}

#[test]
fn steps_that_do_not_exist_are_errors_not_panics() {
    let program = Program::new(Scenario::kernel()).unwrap();
    let state = program.initial();
    for id in ["w99", "r4.off", "wd"] {
        let step = Step::parse(id).unwrap();
        assert!(program.apply(&state, step).is_err(), "{id}");
        let _ = program.describe(&state, step);
    }
    for bad in ["", "w0", "x1", "r1.nope", "r0.off", "w1000"] {
        assert!(Step::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn trace_files_round_trip() {
    let mut session = Session::new(catalog::find("overwrite").unwrap().scenario()).unwrap();
    session.replay(&[reader(ReaderAction::IrqOff), load(Register::R0), Step::Writer(0)]).unwrap();
    let text = session.to_trace().to_json();
    let restored = Session::from_trace(&Trace::from_json(&text).unwrap()).unwrap();
    assert_eq!(restored.state(), session.state());
    assert_eq!(restored.trace(), session.trace());
}

#[test]
fn scenario_files_refuse_bad_input_by_name() {
    let error = |text: &str| Scenario::from_json(text).unwrap_err().to_string();
    let mut json: serde_json::Value = serde_json::from_str(&Scenario::kernel().to_json()).unwrap();
    json["readers"] = 9.into();
    expect!["readers is 9, but must be between 1 and 4"].assert_eq(&error(&json.to_string()));
    json["readers"] = 1.into();
    json["values"]["p0"] = "0xZZ".into();
    expect![[r#"invalid scenario JSON: values.p0: "0xZZ" is not a 64-bit hex value such as 0x0000000100001067 at line 1 column 399"#]]
        .assert_eq(&error(&json.to_string()));
    json["values"]["p0"] = "0x1".into();
    json["values"]["p"] = serde_json::json!([]);
    expect!["values.p has 0 value(s), but the writer establishes 1 PTE(s)"]
        .assert_eq(&error(&json.to_string()));
    json["format"] = 4.into();
    expect!["format 4 is not supported (this version reads formats 1 to 3)"]
        .assert_eq(&error(&json.to_string()));
    json["format"] = 1.into();
    json["reader_kinds"] = serde_json::json!(["gup_fast"]);
    expect!["reader_kinds is not part of format 1; write format 3"]
        .assert_eq(&error(&json.to_string()));
    json["format"] = 2.into();
    json["values"]["p"] = serde_json::json!(["0x0000000300002067"]);
    json["reader_kinds"] = serde_json::json!(["gup_fast", "atomic64"]);
    expect!["compiler is not part of format 2; write format 3"]
        .assert_eq(&error(&json.to_string()));
    // Format 2 had no compiler: off is what it meant.
    json["compiler"] = false.into();
    expect!["reader_kinds names 2 kind(s), but there are only 1 reader(s)"]
        .assert_eq(&error(&json.to_string()));
    json["reader_kinds"] = serde_json::json!(["tlb"]);
    expect!["invalid scenario JSON: unknown variant `tlb`, expected one of `lockless`, `gup_fast`, `atomic64`, `seqcount`, `pmd_read_atomic`, `read_once64`, `kvm_spte` at line 1 column 361"]
        .assert_eq(&error(&json.to_string()));
    expect!["invalid scenario JSON: EOF while parsing a value at line 1 column 0"]
        .assert_eq(&error(""));
}

#[test]
fn scenario_json_is_documented_shape() {
    expect![[r#"
        {
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
              "0x0000000300002067"
            ]
          },
          "readers": 1,
          "flush": "ipi",
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
          "compiler": true
        }"#]]
    .assert_eq(&Scenario::kernel().to_json());
}

#[test]
fn permalinks_round_trip_and_refuse_bad_links() {
    let mut scenario = catalog::find("jann-two-cycles").unwrap().scenario();
    scenario.barriers.set(Barrier::ReaderRmb2, false);
    scenario.flush = FlushMode::Paravirt;
    let steps = vec![reader(ReaderAction::IrqOff), Step::Writer(0), load(Register::R0)];
    let query = link::encode(&scenario, &steps);
    expect!["v=3&model=sc&bit=0&writer=zap,flush,establish,zap,flush,establish&p0=1000100010067&z=0&p=1000200020067,1000300010067&readers=1&flush=paravirt&off=zap_wmb2,establish_wmb2,reader_rmb2&cc=1&t=r1.off,w1,r1.r0"]
        .assert_eq(&query);
    let decoded = link::decode(&format!("#{query}")).unwrap();
    assert_eq!(decoded.scenario, scenario);
    assert_eq!(decoded.steps, steps);

    let error = |text: &str| link::decode(text).unwrap_err().to_string();
    expect![[r#"the link has no "v" parameter"#]].assert_eq(&error("#garbage"));
    expect![[r#"the link has format version "7"; this version reads formats 1 to 3"#]]
        .assert_eq(&error(&query.replace("v=3", "v=7")));
    expect![[r#"link parameter kinds="tlb": expected lockless, gup_fast, atomic64, seqcount, pmd_read_atomic, read_once64 or kvm_spte"#]]
        .assert_eq(&error(&format!("{query}&kinds=tlb")));
    expect!["the link's scenario is invalid: reader_kinds names 2 kind(s), but there are only 1 reader(s)"]
        .assert_eq(&error(&format!("{query}&kinds=gup_fast,atomic64")));
    expect![[r#"link parameter model="arm": expected sc, tso or weak"#]]
        .assert_eq(&error(&query.replace("model=sc", "model=arm")));
    expect![[r#"link parameter p0="xyz": expected an optional 0x and 1 to 16 hex digits (no sign, space or `_`)"#]]
        .assert_eq(&error(&query.replace("p0=1000100010067", "p0=xyz")));
    expect!["the link's scenario is invalid: readers is 0, but must be between 1 and 4"]
        .assert_eq(&error(&query.replace("readers=1", "readers=0")));
    expect![[r#"the link's trace is invalid: step 2: "bogus" is not a step (expected w<N>, wd, or r<N>.off|r0|r1|r2|chk|on|grab|q0|q1|rechk|ld64|s|odd|s2)"#]]
        .assert_eq(&error(&query.replace("t=r1.off,w1", "t=r1.off,bogus")));
    assert!(error(&"x".repeat(100_000)).contains("at most"));
}

#[test]
fn a_models_index_is_its_place_in_all() {
    for (index, model) in MemoryModel::ALL.into_iter().enumerate() {
        assert_eq!(model.index(), index, "{model:?}");
    }
}

#[test]
fn shortcuts_set_several_fields_at_once() {
    let mut scenario = Scenario::cycles(2);
    assert!(!scenario.same_low());
    scenario.set_same_low(true);
    assert!(scenario.same_low());
    scenario.set_same_low(false);
    assert!(!scenario.same_low());
    scenario.apply_arch(pte_core::Arch::MipsSh);
    assert_eq!(scenario.arch(), Some(pte_core::Arch::MipsSh));
    assert_eq!(scenario.writer[0], pte_core::WriterOp::ZapHighFirst);
    scenario.writer.push(pte_core::WriterOp::Establish);
    scenario.fit_values();
    assert_eq!(scenario.values.p.len(), 3);
    scenario.validate().unwrap();
    assert_eq!(Verdict::of(&scenario, scenario.values.p[2]), Verdict::Reestablished(3));
}

#[test]
fn the_readme_scenario_example_is_valid() {
    let readme = include_str!("../../../README.md");
    let start = readme.find("```json\n").expect("README has a JSON example") + "```json\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let scenario = Scenario::from_json(&readme[start..end]).unwrap();
    assert!(scenario.same_low());
    assert!(!scenario.barriers.is_on(Barrier::ReaderRmb2));
}

#[test]
fn a_report_is_rebuilt_only_from_witnesses_that_complete_a_read() {
    use pte_core::{ReplayError, Report, Step};
    let scenario = Scenario::kernel();
    // The writer's first store completes no read.
    let error = Report::from_witnesses(&scenario, true, 1, 1, &[(0, vec![Step::Writer(0)], 1)]);
    assert_eq!(error, Err(ReplayError::CompletesNoRead { steps: 1 }));
    assert!(error.unwrap_err().to_string().contains("completes no read"));
    // A step that is not enabled is named.
    let error = Report::from_witnesses(&scenario, true, 1, 1, &[(0, vec![Step::Writer(3)], 1)]);
    assert!(matches!(error, Err(ReplayError::NotEnabled { index: 0, .. })), "{error:?}");
}
