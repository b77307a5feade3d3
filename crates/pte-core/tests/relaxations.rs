//! "Why was this step allowed?": the relaxations a walk through a trace
//! shows, for every model and every barrier site. They must agree with the
//! transition relation: a named barrier site, switched on, blocks the step;
//! sequential consistency has none; a store-buffer read really read a value
//! other than the buffered store's.

use std::collections::{BTreeSet, HashSet};

use expect_test::{expect, Expect};

use pte_core::{
    catalog, explore, Barrier, Barriers, Blocked, MemoryModel, Program, ReaderKind, Relaxation,
    Scenario, Session, State, Step, Unordered, WriterOp,
};

/// At most this many states are visited per scenario (every preset is far
/// smaller under SC and TSO; the weak model's larger ones are cut off).
const MAX_STATES: usize = 4_000;

/// Every reachable state of `scenario` (up to [`MAX_STATES`]), with each
/// enabled step and its relaxations, in depth-first order.
fn walk(scenario: &Scenario) -> Vec<(State, Step, Vec<Relaxation>)> {
    let program = Program::new(scenario.clone()).unwrap();
    let mut seen = HashSet::new();
    let mut stack = vec![program.initial()];
    let mut found = Vec::new();
    while let Some(state) = stack.pop() {
        if !seen.insert(state) || seen.len() > MAX_STATES {
            continue;
        }
        for step in program.enabled(&state) {
            found.push((state, step, program.relaxations(&state, step)));
            let (next, _) = program.apply(&state, step).unwrap();
            stack.push(next);
        }
    }
    found
}

fn with_model(scenario: Scenario, model: MemoryModel) -> Scenario {
    Scenario { model, ..scenario }
}

#[test]
fn sequential_consistency_never_relaxes_and_tso_only_buffers_stores() {
    for preset in catalog::presets() {
        for model in MemoryModel::ALL {
            let scenario = with_model(preset.scenario(), model);
            let program = Program::new(scenario.clone()).unwrap();
            for (state, step, relaxations) in walk(&scenario) {
                for relaxation in &relaxations {
                    assert_eq!(relaxation.step(), step);
                    // Each kind of relaxation only under a model whose rules allow it.
                    match relaxation {
                        Relaxation::StoreBuffered { word, store, read, .. } => {
                            assert!(model.rules().store_buffer, "{} under {model:?}", preset.id);
                            let buffered: Vec<usize> = program.buffered(&state).collect();
                            assert!(buffered.contains(&usize::from(*store)), "{relaxation:?}");
                            let access = program.accesses()[usize::from(*store)];
                            assert_ne!(access.stored(*word), *read, "{relaxation:?}");
                            assert_eq!(program.memory_value(&state, *word), *read);
                        }
                        Relaxation::Reordered { .. } => {
                            assert!(
                                !model.rules().in_program_order,
                                "{} under {model:?}",
                                preset.id
                            );
                        }
                    }
                }
            }
        }
    }
}

/// Under the weak model, every step performed while a program-earlier
/// access of its thread is pending is explained, and the explanation is what
/// `check` says: each barrier site named, switched on, blocks the step; with
/// no site named, switching every site on still leaves it enabled.
#[test]
fn weak_reorderings_are_exactly_what_the_barriers_allow() {
    let mut scenarios: Vec<Scenario> = catalog::presets()
        .iter()
        .map(|preset| with_model(preset.scenario(), MemoryModel::Weak))
        .collect();
    scenarios.extend(Barrier::ALL.into_iter().map(|site| site_scenario(site, Barriers::ALL_ON)));
    for scenario in scenarios {
        let program = Program::new(scenario.clone()).unwrap();
        for (state, step, relaxations) in walk(&scenario) {
            assert_eq!(relaxations.len(), pending_before(&program, &state, step), "{step:?}");
            let mut all_unnamed = !relaxations.is_empty();
            for relaxation in &relaxations {
                let Relaxation::Reordered { because, .. } = relaxation else {
                    panic!("only reorderings under the weak model: {relaxation:?}")
                };
                match because {
                    Unordered::BarriersOff(sites) => {
                        all_unnamed = false;
                        for site in sites {
                            assert!(!scenario.barriers.is_on(*site));
                            let mut on = scenario.clone();
                            on.barriers.set(*site, true);
                            let blocked = Program::new(on).unwrap().check(&state, step);
                            assert!(
                                matches!(blocked, Err(Blocked::WaitsFor { .. })),
                                "{} on should block {step:?}, got {blocked:?}",
                                site.id()
                            );
                        }
                    }
                    Unordered::NoBarrierBetween | Unordered::AfterBranch => {}
                }
            }
            if all_unnamed {
                let every_site = Scenario { barriers: Barriers::ALL_ON, ..scenario.clone() };
                let check = Program::new(every_site).unwrap().check(&state, step);
                assert_eq!(check, Ok(()), "{step:?}: {relaxations:?}");
            }
        }
    }
}

/// How many program-earlier accesses of the step's thread (its block, for a
/// reader) are not yet performed.
fn pending_before(program: &Program, state: &State, step: Step) -> usize {
    match step {
        Step::Drain => 0,
        Step::Writer(index) => {
            (0..usize::from(index)).filter(|i| !state.writer_performed(*i)).count()
        }
        Step::Reader { reader, action } => {
            let compiled = program.reader_program(reader);
            let (_, item) = compiled.locate(action).unwrap();
            (0..item).filter(|i| state.reader(reader).done & (1 << i) == 0).count()
        }
    }
}

/// A weak-model scenario in which `site` exists and lies between two
/// accesses of different words with no other site between them: switched
/// off, it lets the later access go first. `others` are the other sites.
fn site_scenario(site: Barrier, others: Barriers) -> Scenario {
    let mut scenario = Scenario {
        model: MemoryModel::Weak,
        flush: pte_core::FlushMode::None,
        ..Scenario::kernel()
    };
    scenario.writer = match site {
        // The zap's trailing wmb sits between its high store and an
        // establish that stores low first.
        Barrier::ZapWmb2 => vec![WriterOp::Zap, WriterOp::EstablishLowFirst],
        // The establish's trailing wmb, between its low store and a zap
        // that clears high first.
        Barrier::EstablishWmb2 => vec![WriterOp::Establish, WriterOp::ZapHighFirst],
        _ => vec![WriterOp::Zap, WriterOp::Flush, WriterOp::Establish],
    };
    scenario.fit_values();
    if matches!(
        site,
        Barrier::SeqWmbBegin | Barrier::SeqWmbEnd | Barrier::SeqRmbBegin | Barrier::SeqRmbRetry
    ) {
        scenario.seqcount = true;
        scenario.set_reader_kind(0, ReaderKind::Seqcount);
    }
    // pmd_read_atomic()'s rmb, between its load of low and its load of high.
    if site == Barrier::PmdRmb {
        scenario.set_reader_kind(0, ReaderKind::PmdReadAtomic);
    }
    // count_spte_clear()'s wmb, between the zap's high store and count + 1.
    if site == Barrier::KvmCountWmb {
        scenario.clear_counter = true;
    }
    // __get_spte_lockless()'s first rmb, between c ← count and r0 ← low.
    if site == Barrier::KvmCountRmb {
        scenario.clear_counter = true;
        scenario.set_reader_kind(0, ReaderKind::KvmSpte);
    }
    scenario.barriers = others.with(site, false);
    scenario.validate().unwrap();
    scenario
}

/// The first sentence (in depth-first order) that names `site`, in the
/// scenario of [`site_scenario`].
fn first_sentence_naming(site: Barrier, others: Barriers) -> Option<String> {
    let scenario = site_scenario(site, others);
    let program = Program::new(scenario.clone()).unwrap();
    walk(&scenario).into_iter().find_map(|(_, _, relaxations)| {
        relaxations
            .iter()
            .find(|relaxation| relaxation.barriers_off().contains(&site))
            .map(|relaxation| program.explain_relaxation(relaxation))
    })
}

#[test]
fn every_barrier_site_switched_off_explains_the_reordering_it_allows() {
    let mut lines = Vec::new();
    for site in Barrier::ALL {
        // With every other site on, the site alone is named; the sequence
        // counter's end wmb shares its gap with the zap's trailing wmb, so
        // it is named (with it) under the kernel's barriers.
        let sentence = first_sentence_naming(site, Barriers::ALL_ON)
            .or_else(|| first_sentence_naming(site, Barriers::KERNEL))
            .unwrap_or_else(|| panic!("no relaxation names {}", site.id()));
        lines.push(format!("{}: {sentence}", site.id()));
        // Switched on, the site is never named.
        let on = site_scenario(site, Barriers::ALL_ON.with(site, true));
        let on = Scenario { barriers: Barriers::ALL_ON, ..on };
        assert!(
            walk(&on).iter().all(|(_, _, rs)| rs.iter().all(|r| !r.barriers_off().contains(&site))),
            "{} on is never named",
            site.id()
        );
    }
    expect![[r#"
        zap_wmb1: writer: high ← 0x00000000 (Z) was performed before low ← 0x00000000 (Z): allowed because zap_wmb1 is off
        zap_wmb2: writer: low ← 0x00002067 (P1) was performed before high ← 0x00000000 (Z): allowed because zap_wmb2 is off
        establish_wmb1: writer: low ← 0x00002067 (P1) was performed before high ← 0x00000003 (P1): allowed because establish_wmb1 is off
        establish_wmb2: writer: high ← 0x00000000 (Z) was performed before low ← 0x00002067 (P1): allowed because establish_wmb2 is off
        reader_rmb1: reader 1: r1 ← high was performed before r0 ← low: allowed because reader_rmb1 is off
        reader_rmb2: reader 1: r2 ← low was performed before r1 ← high: allowed because reader_rmb2 is off
        seq_wmb_begin: writer: low ← 0x00000000 (Z) was performed before seq ← 1 (seq 1): allowed because seq_wmb_begin is off
        seq_wmb_end: writer: seq ← 2 (seq 2) was performed before high ← 0x00000000 (Z): allowed because zap_wmb2 and seq_wmb_end are off
        seq_rmb_begin: reader 1: r0 ← low was performed before s ← seq: allowed because seq_rmb_begin is off
        seq_rmb_retry: reader 1: s2 ← seq was performed before r0 ← low: allowed because seq_rmb_retry is off
        pmd_rmb: reader 1: r1 ← high was performed before r0 ← low: allowed because pmd_rmb is off
        kvm_count_wmb: writer: count ← 1 (count 1) was performed before high ← 0x00000000 (Z): allowed because zap_wmb2 and kvm_count_wmb are off
        kvm_count_rmb: reader 1: r0 ← low was performed before c ← count: allowed because kvm_count_rmb is off"#]]
    .assert_eq(&lines.join("\n"));
}

/// The steps of a trace, each with what a stricter model would not have
/// allowed; the last line is the relaxations the read rests on.
#[track_caller]
fn check_walk(scenario: Scenario, steps: &[Step], expect: Expect) {
    let mut session = Session::new(scenario).unwrap();
    session.replay(steps).unwrap();
    let program = session.program().clone();
    let mut lines = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        lines.push(format!(
            "{}. {}",
            index + 1,
            program.describe(session.state_after(index).unwrap(), *step)
        ));
        for relaxation in session.relaxations(index) {
            lines.push(format!("   why: {}", program.explain_relaxation(&relaxation)));
        }
    }
    let last = steps.len() - 1;
    let behind: BTreeSet<String> = session
        .relaxations_behind_read(last)
        .iter()
        .map(|(index, relaxation)| {
            format!("{}: {}", index + 1, program.explain_relaxation(relaxation))
        })
        .collect();
    lines.push(format!("read rests on: {behind:?}"));
    expect.assert_eq(&lines.join("\n"));
}

fn witness_to_torn(scenario: &Scenario) -> Vec<Step> {
    let report = explore(scenario.clone()).unwrap();
    let torn = report.outcomes.iter().find(|o| o.returned && o.verdict.is_torn());
    torn.expect("a torn read").witness.clone()
}

#[test]
fn the_weak_models_torn_witness_says_r1_went_before_r0() {
    let scenario = catalog::find("weak-no-rmb1").unwrap().scenario();
    let witness = witness_to_torn(&scenario);
    check_walk(
        scenario,
        &witness,
        expect![[r#"
            1. writer: low ← 0x00000000 (zap, op 1, Z)
            2. writer: high ← 0x00000000 (zap, op 1, Z)
            3. reader 1: irq_off
            4. reader 1: r1 ← high (= 0x00000000)
               why: reader 1: r1 ← high was performed before r0 ← low: allowed because reader_rmb1 is off
            5. writer: high ← 0x00000003 (establish, op 3, P1)
            6. writer: low ← 0x00002067 (establish, op 3, P1)
            7. reader 1: r0 ← low (= 0x00002067)
            8. reader 1: r2 ← low (= 0x00002067)
            9. reader 1: check r0 = r2 (0x00002067 = 0x00002067: return)
            read rests on: {"4: reader 1: r1 ← high was performed before r0 ← low: allowed because reader_rmb1 is off"}"#]],
    );
}

#[test]
fn under_tso_a_read_past_a_buffered_store_says_so() {
    let scenario = with_model(catalog::find("same-low-none").unwrap().scenario(), MemoryModel::Tso);
    let steps: Vec<Step> =
        ["w1", "r1.off", "r1.r0", "wd", "w2", "wd", "r1.r1", "w3", "w4", "r1.r2", "r1.chk"]
            .iter()
            .map(|id| Step::parse(id).unwrap())
            .collect();
    check_walk(
        scenario,
        &steps,
        expect![[r#"
            1. writer: low ← 0x00000000 into store buffer (zap, op 1, Z)
            2. reader 1: irq_off
            3. reader 1: r0 ← low (= 0x00001067)
               why: writer: low ← 0x00000000 (Z) was still in the store buffer when reader 1 read low: x86-TSO lets a store wait there, so the reader got 0x00001067 from memory (under sequential consistency it would read 0x00000000)
            4. writer: drain low ← 0x00000000 to memory
            5. writer: high ← 0x00000000 into store buffer (zap, op 1, Z)
            6. writer: drain high ← 0x00000000 to memory
            7. reader 1: r1 ← high (= 0x00000000)
            8. writer: high ← 0x00000003 into store buffer (establish, op 3, P1)
            9. writer: low ← 0x00001067 into store buffer (establish, op 3, P1)
            10. reader 1: r2 ← low (= 0x00000000)
               why: writer: low ← 0x00001067 (P1) was still in the store buffer when reader 1 read low: x86-TSO lets a store wait there, so the reader got 0x00000000 from memory (under sequential consistency it would read 0x00001067)
            11. reader 1: check r0 = r2 (0x00001067 ≠ 0x00000000: retry)
            read rests on: {}"#]],
    );
}

#[test]
fn a_retry_forgets_the_failed_attempts_reorderings() {
    // Reader 1 reads high early (rmb1 off), fails its check, and then reads
    // in order: the returned value rests on no reordering of the reader.
    let scenario = catalog::find("weak-no-rmb1").unwrap().scenario();
    let steps: Vec<Step> =
        ["r1.off", "r1.r1", "r1.r0", "w1", "r1.r2", "r1.chk", "r1.r0", "r1.r1", "r1.r2", "r1.chk"]
            .iter()
            .map(|id| Step::parse(id).unwrap())
            .collect();
    let mut session = Session::new(scenario).unwrap();
    session.replay(&steps).unwrap();
    assert_eq!(session.relaxations(1).len(), 1, "r1 before r0 in the first attempt");
    assert!(session.judged_reads()[9].is_some(), "the second check returns");
    assert_eq!(session.relaxations_behind_read(9), []);
    assert_eq!(session.relaxations_behind_read(8), [], "step 9 completed no read");
    assert_eq!(session.relaxations(99), [], "past the end of the run");
}

#[test]
fn the_walker_past_a_buffered_store_names_each_half() {
    let mut scenario =
        with_model(catalog::find("walker-x86").unwrap().scenario(), MemoryModel::Tso);
    scenario.readers = 1;
    let program = Program::new(scenario).unwrap();
    let mut state = program.initial();
    for step in [Step::Writer(0), Step::Writer(1)] {
        state = program.apply(&state, step).unwrap().0;
    }
    let load = Step::Reader { reader: 0, action: pte_core::ReaderAction::Load64 };
    let words: Vec<&str> = program
        .relaxations(&state, load)
        .iter()
        .map(|relaxation| match relaxation {
            Relaxation::StoreBuffered { word, .. } => word.name(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(words, ["low", "high"]);
}
