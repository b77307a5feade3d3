//! The facts `../shared/spec/READERS.md` says the model must reproduce, one
//! named test each: the TLB walker (`atomic64`), GUP-fast's re-check
//! (`gup_fast`) and the sequence-counter fix (`seqcount`), each with one
//! reader and no flush, under every memory model.

use pte_core::{
    explore, Arch, Barrier, Barriers, FlushMode, MemoryModel, Pte, ReaderKind, Report, Scenario,
    Session, Step, Torn, Trace, Verdict,
};

/// One reader of `kind`, no flush, x86 PAE orders unless `arch` says
/// otherwise.
fn one_reader(kind: ReaderKind, arch: Arch, same_low: bool, model: MemoryModel) -> Scenario {
    let mut scenario = Scenario { model, flush: FlushMode::None, ..Scenario::kernel() };
    scenario.apply_arch(arch);
    scenario.set_same_low(same_low);
    scenario.set_reader_kind(0, kind);
    scenario
}

fn explored(scenario: &Scenario) -> Report {
    let report = explore(scenario.clone()).unwrap();
    assert!(report.complete);
    report
}

/// Values read and then backed off from, with their verdicts.
fn backed_off(report: &Report) -> Vec<(Pte, Verdict)> {
    report.outcomes.iter().filter(|o| !o.returned).map(|o| (o.value, o.verdict)).collect()
}

#[test]
fn the_tlb_walker_never_tears_with_the_x86_orders() {
    for model in MemoryModel::ALL {
        for same_low in [false, true] {
            let report = explored(&one_reader(ReaderKind::Atomic64, Arch::X86Pae, same_low, model));
            assert_eq!(report.torn().word(), Torn::Never, "{model:?}, same low {same_low}");
        }
    }
}

#[test]
fn the_tlb_walker_tears_with_the_mips_sh_clear_order() {
    // The walker itself sees a present low half with a zeroed high half.
    for model in MemoryModel::ALL {
        let scenario = one_reader(ReaderKind::Atomic64, Arch::MipsSh, false, model);
        let report = explored(&scenario);
        let torn = Pte::from_halves(0, scenario.values.p0.low());
        assert_eq!(report.torn().word(), Torn::Sometimes, "{model:?}");
        assert!(report.outcomes.iter().any(|o| o.value == torn && o.verdict == Verdict::Torn));
    }
}

#[test]
fn gup_fast_never_returns_the_same_low_tear_but_backs_off_after_it() {
    for model in MemoryModel::ALL {
        let scenario = one_reader(ReaderKind::GupFast, Arch::X86Pae, true, model);
        let report = explored(&scenario);
        assert_eq!(report.torn().word(), Torn::Never, "{model:?}");
        let torn = Pte::from_halves(0, scenario.values.p0.low());
        assert!(
            backed_off(&report).contains(&(torn, Verdict::Torn)),
            "{model:?}: {:?}",
            backed_off(&report)
        );
    }
}

#[test]
fn gup_fast_returns_a_torn_value_with_the_mips_sh_clear_order() {
    // The entry itself holds (P0.low, 0) for a moment; the re-check can read
    // that same value and pass.
    for model in MemoryModel::ALL {
        let scenario = one_reader(ReaderKind::GupFast, Arch::MipsSh, false, model);
        let report = explored(&scenario);
        assert_eq!(report.torn().word(), Torn::Sometimes, "{model:?}");
        let torn = Pte::from_halves(0, scenario.values.p0.low());
        let outcome = report.outcomes.iter().find(|o| o.returned && o.value == torn).unwrap();
        let mut session = Session::new(scenario).unwrap();
        session.replay(&outcome.witness).unwrap();
        assert!(session.last_read().unwrap().half_written);
    }
}

fn seqcount_fix(model: MemoryModel, barriers: Barriers) -> Scenario {
    let mut scenario = one_reader(ReaderKind::Seqcount, Arch::X86Pae, true, model);
    scenario.seqcount = true;
    scenario.barriers = barriers;
    scenario
}

#[test]
fn the_seqcount_fix_never_tears_with_every_barrier_on() {
    for model in MemoryModel::ALL {
        for barriers in [Barriers::ALL_ON, Barriers::KERNEL] {
            let report = explored(&seqcount_fix(model, barriers));
            assert_eq!(report.torn().word(), Torn::Never, "{model:?} {barriers:?}");
        }
    }
}

#[test]
fn the_seqcount_readers_rmbs_are_both_needed_under_the_weak_model() {
    for site in [Barrier::SeqRmbBegin, Barrier::SeqRmbRetry] {
        let report = explored(&seqcount_fix(MemoryModel::Weak, Barriers::ALL_ON.with(site, false)));
        assert_eq!(report.torn().word(), Torn::Sometimes, "without {site:?}");
    }
}

#[test]
fn seq_wmb_begin_is_redundant_next_to_the_zaps_own_wmb() {
    let without = |sites: &[Barrier]| {
        let barriers = sites.iter().fold(Barriers::ALL_ON, |b, site| b.with(*site, false));
        explored(&seqcount_fix(MemoryModel::Weak, barriers)).torn().word()
    };
    assert_eq!(without(&[Barrier::SeqWmbBegin]), Torn::Never);
    assert_eq!(without(&[Barrier::ZapWmb1]), Torn::Never);
    assert_eq!(without(&[Barrier::SeqWmbBegin, Barrier::ZapWmb1]), Torn::Sometimes);
}

#[test]
fn a_seqcount_reader_without_the_writer_side_is_unprotected() {
    // seq stays 0: the reader's checks always pass, as the lockless loop's
    // would without its re-read of low.
    for model in MemoryModel::ALL {
        let scenario = one_reader(ReaderKind::Seqcount, Arch::X86Pae, true, model);
        assert!(!scenario.seqcount);
        assert_eq!(explored(&scenario).torn().word(), Torn::Sometimes, "{model:?}");
    }
}

#[test]
fn the_sequence_counter_writer_wraps_zaps_and_establishes_but_not_flushes() {
    let mut scenario = Scenario::kernel();
    scenario.seqcount = true;
    let program = pte_core::Program::new(scenario).unwrap();
    let names: Vec<String> =
        (0..program.accesses().len()).map(|i| program.name(Step::Writer(i as u8))).collect();
    assert_eq!(
        names,
        [
            "writer: seq ← 1 (seq 1)",
            "writer: low ← 0x00000000 (Z)",
            "writer: high ← 0x00000000 (Z)",
            "writer: seq ← 2 (seq 2)",
            "writer: TLB flush",
            "writer: seq ← 3 (seq 3)",
            "writer: high ← 0x00000003 (P1)",
            "writer: low ← 0x00002067 (P1)",
            "writer: seq ← 4 (seq 4)",
        ]
    );
}

#[test]
fn format_1_files_and_links_still_load() {
    // Saved before reader kinds existed (format 1).
    let scenario = Scenario::from_json(include_str!("data/format1-scenario.json")).unwrap();
    assert_eq!(scenario.reader_kind(0), ReaderKind::Lockless);
    assert!(!scenario.seqcount);
    assert!(scenario.same_low());
    let trace = Trace::from_json(include_str!("data/format1-trace.json")).unwrap();
    let session = Session::from_trace(&trace).unwrap();
    assert_eq!(session.last_read().unwrap().verdict, Verdict::Torn);
    let link = pte_core::link::decode(include_str!("data/format1-link.txt")).unwrap();
    assert_eq!(link.scenario, trace.scenario);
    assert_eq!(link.steps, trace.parsed_steps().unwrap());
}
