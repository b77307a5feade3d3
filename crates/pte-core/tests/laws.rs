//! Laws the model must obey for any scenario, checked on random ones with
//! mixed reader kinds and the sequence counter on or off: witnesses replay,
//! random walks stay inside the explorer's results, the outcome sets nest
//! (SC ⊆ x86-TSO ⊆ weak), fewer barriers never remove a result (the law
//! the barrier matrix prunes its search with), the matrix's minimal
//! sets are sufficient and minimal, and neither of the explorer's
//! reductions (merging equivalent states, taking commuting steps alone)
//! loses a result or lengthens a witness.

use std::collections::BTreeSet;

mod common;
use common::{assert_minimal_sets_explored, tears_with};

use proptest::prelude::*;
use proptest::test_runner::Config;

use pte_core::{
    barrier_matrix, explore, Barrier, Barriers, Explorer, FlushMode, MemoryModel, MinimalSets,
    Outcome, Program, Pte, ReaderKind, Report, Scenario, Session, Values, WriterOp,
};

/// A result: the value read, and whether it was returned (not backed off).
type Result = (Pte, bool);

/// `scenario` with values that fit its writer, the same low half or not,
/// the sequence-counter writer or not, and its readers of these kinds.
fn with_readers(
    mut scenario: Scenario,
    same_low: bool,
    seqcount: bool,
    kinds: Vec<ReaderKind>,
) -> Scenario {
    scenario.fit_values();
    scenario.set_same_low(same_low);
    scenario.seqcount = seqcount;
    for (reader, kind) in (0..scenario.readers).zip(kinds) {
        scenario.set_reader_kind(reader, kind);
    }
    scenario
}

/// Small scenarios: up to four writer operations and two readers of any
/// kinds, so each exploration takes milliseconds.
fn scenarios() -> impl Strategy<Value = Scenario> {
    (
        prop::sample::select(MemoryModel::ALL.to_vec()),
        prop::sample::select(vec![0u8, 1, 31, 32, 63]),
        prop::collection::vec(prop::sample::select(WriterOp::ALL.to_vec()), 0..=4),
        1u8..=2,
        prop::sample::select(FlushMode::ALL.to_vec()),
        prop::collection::vec(any::<bool>(), Barrier::ALL.len()),
        any::<bool>(),
        prop::sample::select(vec![0u64, 0x0000_0001_0000_1067, 0x8000_0000_0000_0001]),
        prop::collection::vec(prop::sample::select(ReaderKind::ALL.to_vec()), 2),
        any::<bool>(),
    )
        .prop_map(
            |(model, present_bit, writer, readers, flush, on, same_low, p0, kinds, seqcount)| {
                let barriers = Barrier::ALL
                    .into_iter()
                    .zip(on)
                    .fold(Barriers::ALL_ON, |barriers, (barrier, on)| barriers.with(barrier, on));
                let mut scenario = Scenario {
                    model,
                    present_bit,
                    writer,
                    readers,
                    flush,
                    barriers,
                    values: Values { p0: Pte(p0), ..Values::distinct(0) },
                    ..Scenario::kernel()
                };
                // Looping kinds with a sequence-counter writer grow fast under
                // the weak model (two seqcount readers and four wrapped
                // operations reach millions of states): keep the unreduced
                // search small.
                let heavy = kinds
                    .iter()
                    .take(usize::from(readers))
                    .any(|kind| matches!(kind, ReaderKind::GupFast | ReaderKind::Seqcount));
                if seqcount {
                    scenario.writer.truncate(2);
                    scenario.readers = 1;
                } else if heavy {
                    scenario.writer.truncate(3);
                }
                with_readers(scenario, same_low, seqcount, kinds)
            },
        )
}

fn results(scenario: &Scenario) -> BTreeSet<Result> {
    let report = explore(scenario.clone()).unwrap();
    assert!(report.complete);
    report.outcomes.iter().map(|o| (o.value, o.returned)).collect()
}

proptest! {
    #![proptest_config(Config { cases: 64, ..Config::default() })]

    #[test]
    fn every_witness_replays_to_its_result(scenario in scenarios()) {
        let report = explore(scenario.clone()).unwrap();
        for outcome in &report.outcomes {
            let mut session = Session::compiled(scenario.clone(), outcome.form).unwrap();
            session.replay(&outcome.witness).unwrap();
            let read = session.last_read().expect("the witness ends with a completed read");
            prop_assert_eq!(read.read.value, outcome.value);
            prop_assert_eq!(read.read.returned, outcome.returned);
            prop_assert_eq!(read.verdict, outcome.verdict);
        }
        // The witnesses alone (what a web worker sends) give the report back.
        let witnesses: Vec<_> =
            report.outcomes.iter().map(|o| (o.form, o.witness.clone(), o.occurrences)).collect();
        let rebuilt = Report::from_witnesses(
            &scenario, report.complete, report.states, report.transitions, &witnesses,
        );
        prop_assert_eq!(rebuilt, Ok(report));
    }

    #[test]
    fn random_walks_stay_inside_the_explored_results(
        scenario in scenarios(),
        choices in prop::collection::vec(any::<u16>(), 0..200),
    ) {
        let explored = results(&scenario);
        let mut session = Session::new(scenario).unwrap();
        for choice in choices {
            let enabled = session.enabled();
            if enabled.is_empty() {
                prop_assert!(session.program().is_final(session.state()));
                break;
            }
            let step = enabled[usize::from(choice) % enabled.len()];
            if let Some(read) = session.step(step).unwrap() {
                let result = (read.read.value, read.read.returned);
                prop_assert!(explored.contains(&result), "{result:?} not explored");
            }
        }
    }

    #[test]
    fn outcome_sets_nest(scenario in scenarios()) {
        // MemoryModel::ALL runs from the strictest model to the weakest.
        let under: Vec<_> =
            MemoryModel::ALL.into_iter().map(|model| (model, results(&Scenario { model, ..scenario.clone() }))).collect();
        for pair in under.windows(2) {
            let ((stricter, fewer), (weaker, more)) = (&pair[0], &pair[1]);
            prop_assert!(fewer.is_subset(more), "{} {fewer:?} ⊄ {} {more:?}", stricter.short_name(), weaker.short_name());
        }
    }

    /// Switching barriers off only removes waits, so every trace (and so
    /// every read result) of the scenario stays possible: the outcome set
    /// with fewer barriers is a superset, and every witness replays there.
    #[test]
    fn fewer_barriers_never_remove_a_result(
        scenario in scenarios(),
        off in prop::collection::vec(any::<bool>(), Barrier::ALL.len()),
    ) {
        let fewer = Barrier::ALL.into_iter().zip(off).fold(scenario.barriers, |barriers, (barrier, off)| {
            if off { barriers.with(barrier, false) } else { barriers }
        });
        let fewer = Scenario { barriers: fewer, ..scenario.clone() };
        let (more_results, fewer_results) = (results(&scenario), results(&fewer));
        prop_assert!(more_results.is_subset(&fewer_results), "{more_results:?} ⊄ {fewer_results:?}");
        for outcome in explore(scenario.clone()).unwrap().outcomes {
            // Its compiled form is one of `fewer`'s too: regions only grow.
            let form = Program::compiled(scenario.clone(), outcome.form).unwrap().form().clone();
            let mut session = Session::from_program(Program::with_form(fewer.clone(), &form).unwrap());
            prop_assert!(session.replay(&outcome.witness).is_ok(), "{:?} replays with fewer barriers", outcome.witness);
        }
    }

    #[test]
    fn disabled_steps_are_refused_with_a_reason(
        scenario in scenarios(),
        choices in prop::collection::vec(any::<u16>(), 0..60),
    ) {
        let program = Program::new(scenario).unwrap();
        let mut state = program.initial();
        for choice in choices {
            let mut candidates = Vec::new();
            program.candidates(&state, &mut candidates);
            for step in &candidates {
                if let Err(blocked) = program.check(&state, *step) {
                    prop_assert!(program.apply(&state, *step).is_err());
                    prop_assert!(!program.explain(blocked).is_empty());
                }
            }
            let enabled = program.enabled(&state);
            if enabled.is_empty() {
                break;
            }
            state = program.apply(&state, enabled[usize::from(choice) % enabled.len()]).unwrap().0;
        }
    }
}

#[test]
fn every_run_terminates() {
    // The reader retries only when low changed, and the writer stores finitely
    // often, so the explored graph is finite and every maximal run ends in a
    // final state; a scaled scenario proves the explorer reaches the end.
    let scenario = Scenario { readers: 2, flush: FlushMode::None, ..Scenario::cycles(2) };
    for model in MemoryModel::ALL {
        let report = explore(Scenario { model, ..scenario.clone() }).unwrap();
        assert!(report.complete);
        assert!(report.states > 1000);
    }
}

/// Every read result of a plain search over concrete states, with none of
/// the explorer's merging of equivalent states.
fn unreduced_results(scenario: &Scenario) -> BTreeSet<Result> {
    // Every compiled form (COMPILER.md): the outcomes are their union.
    (0..Program::forms_of(scenario).unwrap())
        .flat_map(|form| form_results(Program::compiled(scenario.clone(), form).unwrap()))
        .collect()
}

/// Every result of one compiled program, by a plain walk of every state.
fn form_results(program: Program) -> BTreeSet<Result> {
    let mut seen = std::collections::HashSet::from([program.initial()]);
    let mut stack = vec![program.initial()];
    let mut found = BTreeSet::new();
    while let Some(state) = stack.pop() {
        for step in program.enabled(&state) {
            let (next, read) = program.apply(&state, step).unwrap();
            if let Some(read) = read {
                found.insert((read.value, read.returned));
            }
            if seen.insert(next) {
                stack.push(next);
            }
        }
    }
    found
}

proptest! {
    #![proptest_config(Config { cases: 48, ..Config::default() })]

    /// The explorer merges states that differ only in reader numbering,
    /// retry counts, provenance of equal register values, or registers of
    /// returned reads; that must not change what a read can return.
    #[test]
    fn merging_equivalent_states_keeps_every_result(scenario in scenarios()) {
        prop_assert_eq!(results(&scenario), unreduced_results(&scenario));
    }
}

/// Scenarios of up to two cycles (zap, flush, establish, each in any of its
/// forms, the flush sometimes left out) with one to three readers of mixed
/// kinds, under every model and flush mode, for comparing the reduced
/// search with the one that takes every step. Kept to what the unreduced
/// search does in well under a second in a debug build.
fn cycle_scenarios() -> impl Strategy<Value = Scenario> {
    let cycle = (
        prop::sample::select(vec![WriterOp::Zap, WriterOp::ZapHighFirst, WriterOp::ZapAtomic]),
        any::<bool>(),
        prop::sample::select(vec![WriterOp::Establish, WriterOp::EstablishLowFirst]),
    );
    (
        prop::sample::select(MemoryModel::ALL.to_vec()),
        prop::sample::select(FlushMode::ALL.to_vec()),
        prop::collection::vec(cycle, 0..=2),
        1u8..=3,
        prop::collection::vec(prop::sample::select(ReaderKind::ALL.to_vec()), 3),
        prop::collection::vec(any::<bool>(), Barrier::ALL.len()),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(model, flush, cycles, readers, kinds, on, same_low, seqcount, compiler)| {
                let barriers = Barrier::ALL
                    .into_iter()
                    .zip(on)
                    .fold(Barriers::ALL_ON, |barriers, (barrier, on)| barriers.with(barrier, on));
                let mut writer = Vec::new();
                for (zap, flush, establish) in &cycles {
                    writer.push(*zap);
                    if *flush {
                        writer.push(WriterOp::Flush);
                    }
                    writer.push(*establish);
                }
                let mut scenario =
                    Scenario { model, flush, writer, readers, barriers, ..Scenario::kernel() };
                // The unreduced search grows fast with looping kinds, the
                // sequence counter and three readers: keep it small.
                let looping = kinds
                    .iter()
                    .take(usize::from(readers))
                    .filter(|kind| matches!(kind, ReaderKind::GupFast | ReaderKind::Seqcount))
                    .count();
                if seqcount || (readers == 3 && looping > 0) || looping > 1 {
                    scenario.writer.truncate(3);
                }
                if seqcount && readers == 3 {
                    scenario.readers = 2;
                }
                // Each compiled form is searched on its own (both searches per
                // form), so a scenario with many forms multiplies the cost: the
                // compiler is on in half of them, with at most two readers and
                // one cycle, and the test skips those with more than a few forms.
                scenario.compiler = compiler;
                if compiler {
                    scenario.readers = scenario.readers.min(2);
                    scenario.writer.truncate(3);
                }
                with_readers(scenario, same_low, seqcount, kinds)
            },
        )
}

/// The most compiled forms a scenario of
/// `taking_commuting_steps_alone_keeps_every_result` may have.
const MOST_FORMS: usize = 8;

/// The most states the search without the partial-order reduction may
/// visit in `taking_commuting_steps_alone_keeps_every_result`: the few
/// random scenarios bigger than that (about one in ten) are skipped.
const FULL_SEARCH_CAP: u32 = 30_000;

/// Everything of an outcome but `occurrences`, which counts transitions of
/// the graph searched.
fn without_occurrences(outcomes: &[Outcome]) -> Vec<Outcome> {
    outcomes.iter().map(|outcome| Outcome { occurrences: 0, ..outcome.clone() }).collect()
}

proptest! {
    #![proptest_config(Config { cases: 96, ..Config::default() })]

    /// The partial-order reduction (steps that commute with everything the
    /// other threads can do are taken alone) finds the same results as the
    /// search that takes every step, with the same shortest witnesses, and
    /// never visits more states.
    #[test]
    fn taking_commuting_steps_alone_keeps_every_result(scenario in cycle_scenarios()) {
        prop_assume!(Program::forms_of(&scenario).unwrap() <= MOST_FORMS, "too many compiled forms for a test");
        let mut full = Explorer::new(scenario.clone())
            .unwrap()
            .without_partial_order_reduction()
            .with_max_states(FULL_SEARCH_CAP);
        full.run_to_end();
        let full = full.report();
        prop_assume!(full.complete, "the full search is too big for a test");
        let mut reduced = Explorer::new(scenario.clone()).unwrap();
        reduced.run_to_end();
        let reduced = reduced.report();
        prop_assert!(reduced.complete);
        prop_assert_eq!(without_occurrences(&reduced.outcomes), without_occurrences(&full.outcomes));
        prop_assert!(reduced.states <= full.states, "{} > {} states", reduced.states, full.states);
    }
}

#[test]
fn the_reduction_keeps_the_results_of_two_cycles_and_three_readers() {
    // Two cycles, three readers, under every model and flush mode (the
    // IPI flush is the one readers hold off).
    for flush in FlushMode::ALL {
        for model in MemoryModel::ALL {
            let scenario = Scenario { model, readers: 3, flush, ..Scenario::cycles(2) };
            let mut reduced = Explorer::new(scenario.clone()).unwrap();
            let mut full = Explorer::new(scenario).unwrap().without_partial_order_reduction();
            reduced.run_to_end();
            full.run_to_end();
            let (reduced, full) = (reduced.report(), full.report());
            assert_eq!(
                without_occurrences(&reduced.outcomes),
                without_occurrences(&full.outcomes),
                "{model:?}, flush {flush:?}"
            );
            assert!(reduced.states < full.states, "{} vs {}", reduced.states, full.states);
        }
    }
}

#[test]
fn equally_short_witnesses_of_two_kinds_are_chosen_as_without_the_reduction() {
    // A sequence-counter reader (reader 1) and a lockless one (reader 2)
    // both reach the torn 0x0000000000001067 in eight steps; the search
    // without the partial-order reduction meets the lockless one's first
    // (it starts with writer steps), and so must the witness searches.
    let mut scenario = Scenario {
        writer: vec![WriterOp::ZapAtomic, WriterOp::Flush, WriterOp::EstablishLowFirst],
        readers: 2,
        barriers: Barriers::ALL_OFF,
        ..Scenario::kernel()
    };
    scenario.fit_values();
    scenario.set_same_low(true);
    scenario.set_reader_kind(0, ReaderKind::Seqcount);
    let mut reduced = Explorer::new(scenario.clone()).unwrap();
    let mut full = Explorer::new(scenario).unwrap().without_partial_order_reduction();
    reduced.run_to_end();
    full.run_to_end();
    let (reduced, full) = (reduced.report(), full.report());
    let torn = |report: &Report| {
        let outcome = report.outcomes.iter().find(|o| o.value == Pte(0x1067)).unwrap().clone();
        (outcome.witness.len(), outcome.read.reader, outcome.witness)
    };
    assert_eq!(torn(&reduced), torn(&full));
    assert_eq!(torn(&reduced).1, 1, "the lockless reader's witness");
}

#[test]
fn mixed_kinds_are_renamed_only_within_their_kind() {
    // Readers of different kinds are never interchangeable: the explorer
    // sorts readers within a kind only, and every witness replays with the
    // kinds where the scenario put them. (That the reduction loses no result
    // with mixed kinds is `merging_equivalent_states_keeps_every_result`.)
    let kinds = [
        [ReaderKind::GupFast, ReaderKind::Lockless, ReaderKind::GupFast],
        [ReaderKind::Atomic64, ReaderKind::Seqcount, ReaderKind::Atomic64],
    ];
    for kinds in kinds {
        for model in MemoryModel::ALL {
            let mut scenario =
                Scenario { model, readers: 3, flush: FlushMode::None, ..Scenario::kernel() };
            scenario.set_same_low(true);
            scenario.seqcount = kinds.contains(&ReaderKind::Seqcount);
            for (reader, kind) in kinds.iter().enumerate() {
                scenario.set_reader_kind(reader as u8, *kind);
            }
            assert_witnesses_replay(&scenario, &format!("{kinds:?} under {model:?}"));
        }
    }
}

/// Explores `scenario` completely and replays every outcome's witness: it
/// completes, as its last read, exactly the read the outcome reports.
fn assert_witnesses_replay(scenario: &Scenario, what: &str) {
    let report = explore(scenario.clone()).unwrap();
    assert!(report.complete, "{what}");
    for outcome in &report.outcomes {
        let mut session = Session::compiled(scenario.clone(), outcome.form).unwrap();
        session.replay(&outcome.witness).unwrap();
        let read = session.last_read().expect("the witness completes a read");
        assert_eq!(read.read.value, outcome.value, "{what}");
        assert_eq!(read.read, outcome.read, "{what}");
    }
}

#[test]
fn witnesses_with_three_readers_replay_after_renaming() {
    // With several readers the explorer stores states with readers sorted;
    // each witness must still be a real trace of the unsorted machine.
    for preset in pte_core::catalog::presets() {
        for model in MemoryModel::ALL {
            let scenario = Scenario { model, readers: 3, ..preset.scenario() };
            assert_witnesses_replay(&scenario, &format!("{} under {model:?}", preset.id));
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 24, ..Config::default() })]

    /// Every minimal set the matrix names suffices and stops sufficing
    /// without any one of its sites; every cell agrees with an exploration
    /// of its variant, including the cells the law filled in.
    #[test]
    fn the_matrix_agrees_with_exploring_each_variant(scenario in scenarios()) {
        let matrix = barrier_matrix(scenario.clone(), pte_core::DEFAULT_MAX_STATES).unwrap();
        prop_assert!(matrix.is_finished());
        assert_minimal_sets_explored(&matrix);
        for row in &matrix.models {
            let MinimalSets::Decided(sets) = &row.minimal_sets else {
                panic!("{:?}: minimal sets not decided", row.model)
            };
            // Every set of sites that tears contains no minimal set; every
            // set that does not tear contains one.
            let all_on = tears_with(&scenario, &matrix.sites, &matrix.sites, row.model);
            prop_assert_eq!(all_on, sets.is_empty(), "all sites on tears exactly when no set suffices");
            for cell in &row.without {
                let variant = Scenario {
                    model: row.model,
                    barriers: scenario.barriers.with(cell.barrier, false),
                    ..scenario.clone()
                };
                let report = explore(variant.clone()).unwrap();
                let answer = cell.answer.as_ref().unwrap();
                prop_assert_eq!(answer.torn.word(), report.torn().word(), "{:?} without {:?}", row.model, cell.barrier);
                if let Some(witness) = answer.torn.witness() {
                    let mut session = Session::compiled(variant, witness.form).unwrap();
                    session.replay(&witness.steps).unwrap();
                    prop_assert!(session.last_read().unwrap().returned_torn());
                }
            }
        }
    }
}
