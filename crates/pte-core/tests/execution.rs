//! The execution of a trace, checked on every witness of every catalog
//! preset under every model: each load reads exactly one write of its value,
//! co orders each word's writes as memory saw them, fr = rf⁻¹;co, and a
//! completed read's halves come from the writes its provenance names.

use std::collections::BTreeSet;

use pte_core::execution::{EdgeKind, EventKind, Execution, Thread};
use pte_core::{catalog, explore, MemoryModel, Program, Scenario, Session, Source, Word};

fn check(scenario: &Scenario, form: usize, steps: &[pte_core::Step]) -> Execution {
    let program = Program::compiled(scenario.clone(), form).unwrap();
    let execution = Execution::of(&program, steps).unwrap();
    let mut session = Session::compiled(scenario.clone(), form).unwrap();
    session.replay(steps).unwrap();
    let state = session.state();

    // Each load has exactly one rf source, a write (or initial value) of the
    // same word and value.
    for load in execution.events.iter().filter(|e| e.kind == EventKind::Load) {
        let sources: Vec<_> =
            execution.edges_of(EdgeKind::Rf).filter(|e| e.to == load.id).collect();
        assert_eq!(sources.len(), 1, "{load:?}");
        let write = execution.event(sources[0].from);
        assert!(matches!(write.kind, EventKind::Write | EventKind::Init), "{write:?}");
        assert_eq!((write.word, write.value), (load.word, load.value), "{load:?} read {write:?}");
    }
    // co is a chain per word, starting at the initial value and ending at
    // what memory holds now.
    for word in [Word::Low, Word::High] {
        let chain: Vec<usize> = {
            let mut chain = vec![
                execution
                    .events
                    .iter()
                    .find(|e| e.kind == EventKind::Init && e.word == Some(word))
                    .unwrap()
                    .id,
            ];
            while let Some(next) =
                execution.edges_of(EdgeKind::Co).find(|edge| edge.from == *chain.last().unwrap())
            {
                chain.push(next.to);
            }
            chain
        };
        let in_co = execution
            .edges_of(EdgeKind::Co)
            .filter(|edge| execution.event(edge.from).word == Some(word))
            .count();
        assert_eq!(chain.len(), in_co + 1, "co on {word:?} is one chain");
        let last = execution.event(*chain.last().unwrap());
        assert_eq!(last.value, Some(program.memory_value(state, word)), "co ends at memory");
    }
    // fr = rf⁻¹;co.
    let rf: Vec<_> = execution.edges_of(EdgeKind::Rf).collect();
    let co: Vec<_> = execution.edges_of(EdgeKind::Co).collect();
    let composed: BTreeSet<(usize, usize)> = rf
        .iter()
        .flat_map(|r| co.iter().filter(move |c| c.from == r.from).map(move |c| (r.to, c.to)))
        .collect();
    let fr: BTreeSet<(usize, usize)> =
        execution.edges_of(EdgeKind::Fr).map(|e| (e.from, e.to)).collect();
    assert_eq!(fr, composed);
    // A read's halves come from the writes its provenance names.
    for read in &execution.reads {
        for (load, source) in
            [(read.low_load, read.read.low_source), (read.high_load, read.read.high_source)]
        {
            let write = execution.event(execution.rf_into(load).unwrap().from);
            match source {
                Source::Initial => assert_eq!(write.thread, Thread::Init),
                Source::Write { op, .. } => assert_eq!(write.op, Some(op)),
            }
        }
    }
    execution
}

#[test]
fn every_witness_of_the_catalog_has_a_consistent_execution() {
    for preset in catalog::presets() {
        for model in MemoryModel::ALL {
            let scenario = Scenario { model, ..preset.scenario() };
            for outcome in explore(scenario.clone()).unwrap().outcomes {
                let execution = check(&scenario, outcome.form, &outcome.witness);
                assert_eq!(execution.reads.last().unwrap().read, outcome.read, "{}", preset.id);
            }
        }
    }
}

#[test]
fn the_same_low_tear_reads_p0_low_and_the_zap_high() {
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let steps = pte_core::parse_steps([
        "r1.off", "r1.r0", "w1", "w2", "r1.r1", "w3", "w4", "r1.r2", "r1.chk",
    ])
    .unwrap();
    let execution = check(&scenario, 0, &steps);
    let read = execution.reads.last().unwrap();
    let low_write = execution.event(execution.rf_into(read.low_load).unwrap().from);
    let high_write = execution.event(execution.rf_into(read.high_load).unwrap().from);
    assert_eq!((low_write.kind, low_write.word), (EventKind::Init, Some(Word::Low)));
    assert_eq!(
        (high_write.thread, high_write.op, high_write.word),
        (Thread::Writer, Some(0), Some(Word::High))
    );
    // The re-read of low read P1's low store: fr from r0 reaches the zap's
    // low store, which the reader never saw.
    assert!(execution.edges_of(EdgeKind::Fr).any(|e| e.from == read.low_load));
    // Every enabled barrier is between two events of its thread.
    assert_eq!(execution.barriers.len(), 4, "zap_wmb1, establish_wmb1, both rmbs");
}
