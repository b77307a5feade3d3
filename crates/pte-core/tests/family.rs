//! The facts `../shared/spec/FAMILY.md` says the model must reproduce for
//! the kernel's other split-word readers, one named test each, with one
//! reader: `pmd_read_atomic()` (x86 PAE, before v6.2) and GUP-fast's
//! `READ_ONCE(*pmdp)` (`read_once64`, before v6.2), against the zap and
//! re-establish and against a single establish on a not-present entry.

use pte_core::{
    explore, Barrier, FlushMode, MemoryModel, Pte, ReaderKind, Register, Report, Scenario, Session,
    Step, Torn, Values, Verdict, WriterOp,
};

/// One reader of `kind` against zap → establish with a different low half,
/// no flush, the kernel's barriers.
fn zap_and_reestablish(kind: ReaderKind, model: MemoryModel, compiler: bool) -> Scenario {
    let mut scenario = Scenario { model, flush: FlushMode::None, compiler, ..Scenario::kernel() };
    scenario.set_same_low(false);
    scenario.set_reader_kind(0, kind);
    scenario
}

/// One reader of `kind` against a single establish of P1 on an entry that
/// holds 0 (not present): the populate case, no zap, no flush.
fn populate(kind: ReaderKind, model: MemoryModel, compiler: bool) -> Scenario {
    let kernel = Scenario::kernel();
    let mut scenario = Scenario {
        model,
        flush: FlushMode::None,
        compiler,
        writer: vec![WriterOp::Establish],
        values: Values { p0: Pte(0), z: kernel.values.z, p: vec![kernel.values.p[0]] },
        ..kernel
    };
    scenario.set_reader_kind(0, kind);
    scenario.validate().unwrap();
    scenario
}

fn explored(scenario: &Scenario) -> Report {
    let report = explore(scenario.clone()).unwrap();
    assert!(report.complete);
    report
}

/// The values the reader returned, sorted.
fn returned(report: &Report) -> Vec<(Pte, Verdict)> {
    let mut values: Vec<_> = report.outcomes.iter().map(|o| (o.value, o.verdict)).collect();
    values.sort();
    values.dedup();
    values
}

#[test]
fn pmd_read_atomic_tears_against_the_zap_and_reestablish_under_every_model() {
    // No re-check: P0's low half read before the zap, the high half after
    // the zap stored 0 there (or after the establish stored P1's).
    for model in MemoryModel::ALL {
        for compiler in [false, true] {
            let scenario = zap_and_reestablish(ReaderKind::PmdReadAtomic, model, compiler);
            let report = explored(&scenario);
            assert_eq!(report.torn().word(), Torn::Sometimes, "{model:?}, compiler {compiler}");
            let (p0, p1) = (scenario.values.p0, scenario.values.p[0]);
            let torn = Pte::from_halves(0, p0.low());
            let later_high = Pte::from_halves(p1.high(), p0.low());
            assert!(
                returned(&report).contains(&(torn, Verdict::Torn))
                    && returned(&report).contains(&(later_high, Verdict::Torn)),
                "{model:?}: {:?}",
                returned(&report)
            );
            // A zero low half returns the none pmd (0, 0), never P0's high
            // half with it.
            assert!(returned(&report).contains(&(Pte(0), Verdict::NotPresent)));
            assert!(
                !returned(&report).contains(&(Pte::from_halves(p0.high(), 0), Verdict::NotPresent))
            );
        }
    }
}

/// The steps named by their ids ("w1", "r1.r0").
fn take(session: &mut Session, ids: &[&str]) {
    for id in ids {
        session.step(Step::parse(id).unwrap()).unwrap();
    }
}

#[test]
fn pmd_read_atomic_that_returns_none_leaves_the_high_half_not_loaded() {
    // The zap clears the low half; the reader reads 0 and returns (0, 0)
    // without reaching `r1 = *(tmp + 1)`: the state shows r1 as never
    // loaded, as it shows r0 once loaded.
    for model in MemoryModel::ALL {
        let scenario = zap_and_reestablish(ReaderKind::PmdReadAtomic, model, false);
        let mut session = Session::new(scenario).unwrap();
        let drain: &[&str] = if model == MemoryModel::Tso { &["wd"] } else { &[] };
        take(&mut session, &["w1"]);
        take(&mut session, drain);
        take(&mut session, &["r1.r0", "r1.zero"]);
        let read = session.completed_reads().last().copied().unwrap();
        assert_eq!((read.read.value, read.verdict), (Pte(0), Verdict::NotPresent), "{model:?}");
        let (program, state) = (session.program(), session.state());
        assert_eq!(program.register_value(state, 0, Register::R0), Some(0), "{model:?}");
        assert_eq!(program.register_value(state, 0, Register::R1), None, "{model:?}");
        assert_eq!(program.register_source(state, 0, Register::R1), None, "{model:?}");
    }
    // A non-zero low half passes the test: r1 is loaded as usual.
    let mut session =
        Session::new(zap_and_reestablish(ReaderKind::PmdReadAtomic, MemoryModel::Sc, false))
            .unwrap();
    take(&mut session, &["r1.r0", "r1.zero", "r1.r1"]);
    let p0 = session.scenario().values.p0;
    let (program, state) = (session.program(), session.state());
    assert_eq!(program.register_value(state, 0, Register::R1), Some(p0.high()));
}

#[test]
fn read_once64_tears_against_the_zap_and_reestablish_under_every_model() {
    for model in MemoryModel::ALL {
        for compiler in [false, true] {
            let scenario = zap_and_reestablish(ReaderKind::ReadOnce64, model, compiler);
            let report = explored(&scenario);
            assert_eq!(report.torn().word(), Torn::Sometimes, "{model:?}, compiler {compiler}");
        }
    }
}

#[test]
fn pmd_read_atomic_never_tears_on_a_populate_only_writer_with_its_barrier() {
    for model in MemoryModel::ALL {
        for compiler in [false, true] {
            let scenario = populate(ReaderKind::PmdReadAtomic, model, compiler);
            assert!(scenario.barriers.is_on(Barrier::PmdRmb));
            let report = explored(&scenario);
            assert_eq!(report.torn().word(), Torn::Never, "{model:?}, compiler {compiler}");
            let p1 = scenario.values.p[0];
            assert_eq!(
                returned(&report),
                [(Pte(0), Verdict::NotPresent), (p1, Verdict::Reestablished(1))],
                "{model:?}, compiler {compiler}"
            );
        }
    }
}

#[test]
fn pmd_read_atomic_tears_on_a_populate_only_writer_without_its_barrier_on_a_weak_cpu() {
    // The `if` orders nothing on a weak CPU: without smp_rmb() the high
    // half may be loaded before the low half.
    let mut scenario = populate(ReaderKind::PmdReadAtomic, MemoryModel::Weak, false);
    scenario.barriers.set(Barrier::PmdRmb, false);
    assert_eq!(explored(&scenario).torn().word(), Torn::Sometimes);
    // Under x86-TSO loads keep their order, and the compiler cannot move a
    // load across the test.
    for compiler in [false, true] {
        let mut scenario = populate(ReaderKind::PmdReadAtomic, MemoryModel::Tso, compiler);
        scenario.barriers.set(Barrier::PmdRmb, false);
        assert_eq!(explored(&scenario).torn().word(), Torn::Never, "compiler {compiler}");
    }
}

#[test]
fn read_once64_on_a_populate_only_writer_tears_only_under_weak_or_the_compiler() {
    for model in [MemoryModel::Sc, MemoryModel::Tso] {
        let report = explored(&populate(ReaderKind::ReadOnce64, model, false));
        assert_eq!(report.torn().word(), Torn::Never, "{model:?}, compiler off");
        // The compiler may load the high half first: (0, P1.low).
        let scenario = populate(ReaderKind::ReadOnce64, model, true);
        let report = explored(&scenario);
        assert_eq!(report.torn().word(), Torn::Sometimes, "{model:?}, compiler on");
        let torn = Pte::from_halves(0, scenario.values.p[0].low());
        assert!(returned(&report).contains(&(torn, Verdict::Torn)));
    }
    for compiler in [false, true] {
        let report = explored(&populate(ReaderKind::ReadOnce64, MemoryModel::Weak, compiler));
        assert_eq!(report.torn().word(), Torn::Sometimes, "weak, compiler {compiler}");
    }
}

#[test]
fn read_once64_halves_swap_under_the_compiler_even_when_marked() {
    // Both halves are one READ_ONCE(): marking the reader changes nothing.
    let mut scenario = populate(ReaderKind::ReadOnce64, MemoryModel::Tso, true);
    scenario.marked_reader = true;
    assert_eq!(explored(&scenario).torn().word(), Torn::Sometimes);
}

#[test]
fn the_new_kinds_travel_in_links_and_files_of_the_current_format_only() {
    for kind in [ReaderKind::PmdReadAtomic, ReaderKind::ReadOnce64] {
        let mut scenario = zap_and_reestablish(kind, MemoryModel::Weak, true);
        scenario.barriers.set(Barrier::PmdRmb, false);
        // The current format keeps the kind and the site.
        let query = pte_core::link::encode(&scenario, &[]);
        assert!(query.contains(&format!("kinds={}", kind.id())), "{query}");
        assert!(query.contains("pmd_rmb"), "{query}");
        assert_eq!(pte_core::link::decode(&query).unwrap().scenario, scenario);
        assert_eq!(Scenario::from_json(&scenario.to_json()).unwrap(), scenario);
        // A link or file of format 2 had reader kinds, but not these.
        let version_2 = query.replace("v=3", "v=2").replace("&cc=1", "");
        let error = pte_core::link::decode(&version_2).unwrap_err().to_string();
        assert_eq!(
            error,
            format!("link parameter kinds=\"{}\": not part of link format 2; write v=3", kind.id())
        );
        let mut old = Scenario { compiler: false, ..scenario.clone() };
        old.format = 2;
        let error = Scenario::from_json(&old.to_json()).unwrap_err().to_string();
        assert!(error.contains("reader_kinds is not part of format 2"), "{error}");
    }
}
