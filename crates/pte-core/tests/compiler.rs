//! The compiler as part of the model (`../shared/spec/COMPILER.md`): its
//! "Facts to show", each checked by exploring, and its laws as property
//! tests (the compiler off ⊆ on; marked ⊆ plain; with the kernel's barriers
//! the compiler changes no result of any catalog preset under any model).

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::test_runner::Config;

use pte_core::execution::{EventKind, Execution};
use pte_core::{
    catalog, explore, parse_steps, Barrier, Barriers, Effect, Explorer, FlushMode, MemoryModel,
    Program, Pte, ReaderKind, Scenario, Session, Torn, Values, WriterOp,
};

/// A result: the value read, and whether it was returned (not backed off).
fn results(scenario: &Scenario) -> BTreeSet<(Pte, bool)> {
    let report = explore(scenario.clone()).unwrap();
    assert!(report.complete);
    report.outcomes.iter().map(|o| (o.value, o.returned)).collect()
}

fn torn(scenario: &Scenario) -> Torn {
    explore(scenario.clone()).unwrap().torn().word()
}

/// The facts' scenario: 1 reader, flush none, different low halves, the
/// compiler on, plain accesses, under `model` with `barriers`.
fn facts_scenario(model: MemoryModel, barriers: Barriers) -> Scenario {
    Scenario { model, barriers, flush: FlushMode::None, ..Scenario::kernel() }
}

/// A torn witness replays, in the compiled form it names, to a torn read.
fn assert_torn_witness_replays(scenario: &Scenario) {
    let answer = explore(scenario.clone()).unwrap().torn();
    let witness = answer.witness().expect("torn");
    let mut session = Session::compiled(scenario.clone(), witness.form).unwrap();
    session.replay(&witness.steps).unwrap();
    assert!(session.last_read().unwrap().returned_torn());
    assert_ne!(witness.form, 0, "the program as written never tears under x86-TSO here");
}

#[test]
fn new_scenarios_and_presets_have_the_compiler_on_and_plain_accesses() {
    assert!(Scenario::default().compiler);
    for preset in catalog::presets() {
        let scenario = preset.scenario();
        assert!(scenario.compiler, "{}", preset.id);
    }
}

#[test]
fn x86_tso_with_every_barrier_off_and_plain_accesses_tears() {
    // The compiler may reorder the writer's two plain stores of a zap or an
    // establish, or the reader's loads, or merge r2 into r0: the hardware's
    // order then keeps the compiler's.
    let scenario = facts_scenario(MemoryModel::Tso, Barriers::ALL_OFF);
    assert_eq!(torn(&scenario), Torn::Sometimes);
    assert_torn_witness_replays(&scenario);
    // The same with the compiler off: x86-TSO keeps the order as written.
    assert_eq!(torn(&Scenario { compiler: false, ..scenario }), Torn::Never);
}

#[test]
fn x86_tso_with_marked_accesses_never_tears() {
    // READ_ONCE()/WRITE_ONCE(): the compiler may neither reorder two marked
    // accesses nor merge a marked load, and x86-TSO keeps the order.
    let scenario = Scenario {
        marked_writer: true,
        marked_reader: true,
        ..facts_scenario(MemoryModel::Tso, Barriers::ALL_OFF)
    };
    assert_eq!(Program::forms_of(&scenario).unwrap(), 1);
    assert_eq!(torn(&scenario), Torn::Never);
}

#[test]
fn x86_tso_without_the_readers_rmbs_tears() {
    // The writer's barriers on: its stores stay in order; the reader's
    // plain loads may be reordered (high before the first low) or merged.
    let barriers =
        Barriers::KERNEL.with(Barrier::ReaderRmb1, false).with(Barrier::ReaderRmb2, false);
    let scenario = facts_scenario(MemoryModel::Tso, barriers);
    assert_eq!(torn(&scenario), Torn::Sometimes);
    assert_torn_witness_replays(&scenario);
}

#[test]
fn sc_with_the_compiler_and_no_barriers_tears() {
    // "Even a sequentially consistent CPU does not save code the compiler
    // may reorder."
    let scenario = facts_scenario(MemoryModel::Sc, Barriers::ALL_OFF);
    assert_eq!(torn(&scenario), Torn::Sometimes);
    assert_torn_witness_replays(&scenario);
}

#[test]
fn a_merged_check_compares_r0_with_itself() {
    // Only the reader's loads free (the writer's stores marked). The forms
    // of the lockless loop with both rmbs off: r0 r1 r2 as written, r0 r2
    // r1, r1 r0 r2 (r0 and r2 load the same word: never swapped), and r2
    // merged into r0 with r1 after or before r0.
    let barriers =
        Barriers::KERNEL.with(Barrier::ReaderRmb1, false).with(Barrier::ReaderRmb2, false);
    let scenario = Scenario { marked_writer: true, ..facts_scenario(MemoryModel::Sc, barriers) };
    assert_eq!(Program::forms_of(&scenario).unwrap(), 5);
    let merged = (0..5)
        .filter(|form| {
            let program = Program::compiled(scenario.clone(), *form).unwrap();
            program.reader_program(0).blocks.iter().any(|block| {
                block.items.iter().any(|item| matches!(item.effect, Effect::Merged { .. }))
            })
        })
        .count();
    assert_eq!(merged, 2);

    // In a merged form the check cannot fail: a write between r0 and the
    // merged r2 goes unseen, and the picture's r2 reads what r0 read.
    let form = (0..5)
        .find(|form| {
            let program = Program::compiled(scenario.clone(), *form).unwrap();
            program.compiled_changes()
                == ["r2 ← low merged with r0: the check compares r0 with itself"]
        })
        .expect("the form with r2 merged into r0 alone");
    // The merged r2 sits right after the load it reuses.
    let steps = parse_steps(["r1.off", "r1.r0", "r1.r2", "w1", "w2", "r1.r1", "r1.chk"]).unwrap();
    let mut session = Session::compiled(scenario.clone(), form).unwrap();
    session.replay(&steps).unwrap();
    let read = session.last_read().expect("the check passes");
    assert!(read.returned_torn(), "P0's low with the zap's high: {read:?}");
    let program = Program::compiled(scenario, form).unwrap();
    let execution = Execution::of(&program, &steps).unwrap();
    let loads: Vec<_> =
        execution.events.iter().filter(|event| event.kind == EventKind::Load).collect();
    assert_eq!(loads.len(), 3, "r0, r1 and the merged r2");
    let source = |load: usize| execution.rf_into(load).unwrap().from;
    let (r0, r2) = (loads[0].id, loads[1].id);
    assert_eq!(source(r2), source(r0), "the merged load reads from r0's write");
    assert!(loads[1].label.contains("merged"), "{}", loads[1].label);
}

#[test]
fn the_kernels_barriers_leave_one_compiled_form_for_the_lockless_reader() {
    let kernel = catalog::find("kernel").unwrap().scenario();
    assert_eq!(Program::forms_of(&kernel).unwrap(), 1);
    let three = Scenario { readers: 4, ..Scenario::cycles(3) };
    assert_eq!(Program::forms_of(&three).unwrap(), 1);
}

#[test]
fn every_preset_with_the_kernels_barriers_answers_the_same_with_the_compiler_on_and_off() {
    for preset in catalog::presets() {
        let scenario = preset.scenario();
        if scenario.barriers != Barriers::KERNEL {
            continue;
        }
        for model in MemoryModel::ALL {
            let on = Scenario { model, ..scenario.clone() };
            let off = Scenario { compiler: false, ..on.clone() };
            assert_eq!(results(&on), results(&off), "{} under {model:?}", preset.id);
        }
    }
}

#[test]
fn old_files_read_with_the_compiler_off_and_new_ones_keep_it() {
    let mut old = Scenario { compiler: false, ..Scenario::kernel() };
    old.format = 2;
    let text = old.to_json();
    assert!(!text.contains("compiler\": true"));
    let read = Scenario::from_json(&text.replace("\"compiler\": false,", "")).unwrap();
    assert!(!read.compiler, "a format-2 file has no compiler");
    let new = Scenario { marked_reader: true, ..Scenario::kernel() };
    assert_eq!(Scenario::from_json(&new.to_json()).unwrap(), new);
    // A format-2 file cannot ask for the compiler: it did not exist.
    let error = Scenario::from_json(&text.replace("\"compiler\": false", "\"compiler\": true"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("compiler is not part of format 2"), "{error}");
}

/// Small scenarios, the compiler on, plain accesses: 1 or 2 readers of any
/// kind, up to three writer operations.
fn scenarios() -> impl Strategy<Value = Scenario> {
    (
        prop::sample::select(MemoryModel::ALL.to_vec()),
        prop::collection::vec(prop::sample::select(WriterOp::ALL.to_vec()), 0..=3),
        1u8..=2,
        prop::sample::select(FlushMode::ALL.to_vec()),
        prop::collection::vec(any::<bool>(), Barrier::ALL.len()),
        any::<bool>(),
        prop::collection::vec(prop::sample::select(ReaderKind::ALL.to_vec()), 2),
        any::<bool>(),
    )
        .prop_map(|(model, writer, readers, flush, on, same_low, kinds, seqcount)| {
            let barriers = Barrier::ALL
                .into_iter()
                .zip(on)
                .fold(Barriers::ALL_ON, |barriers, (barrier, on)| barriers.with(barrier, on));
            let mut scenario = Scenario {
                model,
                writer,
                readers,
                flush,
                barriers,
                values: Values::distinct(0),
                ..Scenario::kernel()
            };
            if seqcount {
                scenario.writer.truncate(2);
                scenario.readers = 1;
                scenario.seqcount = true;
            }
            scenario.fit_values();
            scenario.set_same_low(same_low);
            for (reader, kind) in (0..scenario.readers).zip(kinds) {
                scenario.set_reader_kind(reader, kind);
            }
            scenario
        })
}

proptest! {
    #![proptest_config(Config { cases: 48, ..Config::default() })]

    /// The program as written is one of the compiled forms: the compiler
    /// only adds results.
    #[test]
    fn the_compiler_off_is_a_subset_of_on(scenario in scenarios()) {
        let on = results(&scenario);
        let off = results(&Scenario { compiler: false, ..scenario.clone() });
        prop_assert!(off.is_subset(&on), "{off:?} ⊄ {on:?}");
    }

    /// Marking an access only removes transformations: every compiled form
    /// with marked accesses is one with plain ones.
    #[test]
    fn marked_is_a_subset_of_plain(scenario in scenarios(), writer in any::<bool>(), reader in any::<bool>()) {
        let plain = results(&scenario);
        let marked = results(&Scenario { marked_writer: writer, marked_reader: reader, ..scenario.clone() });
        prop_assert!(marked.is_subset(&plain), "{marked:?} ⊄ {plain:?}");
    }

    /// Under the weak model the CPU already reorders and merges whatever the
    /// compiler may (`ModelRules::subsumes_compiler`), so the explorer
    /// searches the code as written alone: the union over every compiled
    /// form gives exactly its outcomes.
    #[test]
    fn the_weak_cpu_does_whatever_the_compiler_may(scenario in scenarios(), writer in any::<bool>(), reader in any::<bool>()) {
        let scenario = Scenario {
            model: MemoryModel::Weak,
            marked_writer: writer,
            marked_reader: reader,
            ..scenario
        };
        prop_assert_eq!(Program::forms_of(&scenario).unwrap(), 1);
        let mut union = BTreeSet::new();
        for program in Program::every_form(&scenario).unwrap() {
            let mut explorer = Explorer::from_program(program);
            explorer.run_to_end();
            let report = explorer.report();
            prop_assert!(report.complete);
            union.extend(report.outcomes.iter().map(|o| (o.value, o.returned)));
        }
        prop_assert_eq!(union, results(&scenario));
    }

    /// Every witness replays in the compiled form it names.
    #[test]
    fn every_witness_replays_in_its_compiled_form(scenario in scenarios()) {
        for outcome in explore(scenario.clone()).unwrap().outcomes {
            let mut session = Session::compiled(scenario.clone(), outcome.form).unwrap();
            session.replay(&outcome.witness).unwrap();
            prop_assert_eq!(session.last_read().unwrap().read.value, outcome.value);
        }
    }
}

#[test]
fn with_the_kernels_barriers_the_compiler_changes_no_preset_under_any_model_or_reader_kind() {
    // Every reader kind has a barrier between its loads of the two halves
    // (or loads them at once): with the kernel's barriers on, the compiler
    // adds no result.
    for preset in catalog::presets() {
        for kind in ReaderKind::ALL {
            for model in MemoryModel::ALL {
                let mut on = Scenario { model, barriers: Barriers::KERNEL, ..preset.scenario() };
                on.set_reader_kind(0, kind);
                if kind == ReaderKind::Seqcount {
                    on.seqcount = true;
                }
                if on.validate().is_err() {
                    continue;
                }
                let off = Scenario { compiler: false, ..on.clone() };
                assert_eq!(results(&on), results(&off), "{} {kind:?} {model:?}", preset.id);
            }
        }
    }
}
