//! The guided tour: every lesson's goal is out of reach at its start and
//! reached by its stored solution through the transition relation, and
//! that solution is a shortest one (a breadth-first search over the
//! lesson's states for a read goal; the fewest sites for a barrier goal).

use std::collections::HashSet;

use pte_core::tour::{self, Change, Goal, Lesson, Solution, Wanted};
use pte_core::{
    catalog, explore, link, parse_steps, Barrier, Judged, Program, Scenario, Session, Torn,
};

/// The fewest steps from the lesson's start to a completed read `wanted`
/// accepts, by breadth-first search over the transition relation.
fn fewest_steps(scenario: &Scenario, wanted: Wanted) -> usize {
    let program = Program::new(scenario.clone()).unwrap();
    let mut seen = HashSet::new();
    let mut frontier = vec![program.initial()];
    for depth in 1.. {
        let mut next = Vec::new();
        for state in &frontier {
            for step in program.enabled(state) {
                let (after, read) = program.apply(state, step).unwrap();
                if read.is_some_and(|read| wanted.accepts(&Judged::new(scenario, read, false))) {
                    return depth;
                }
                if seen.insert(after) {
                    next.push(after);
                }
            }
        }
        assert!(!next.is_empty(), "no read reaches the goal");
        frontier = next;
    }
    unreachable!()
}

#[track_caller]
fn check_lesson(number: usize, lesson: &Lesson) {
    let start = lesson.scenario();
    let session = Session::new(start.clone()).unwrap();
    assert!(!lesson.met(&session, None), "lesson {number} is met at its start");

    match lesson.solution {
        Solution::Steps(ids) => {
            let Goal::Read(wanted) = lesson.goal else {
                panic!("lesson {number}: steps for {:?}", lesson.goal)
            };
            // Exploring the start does not meet a read goal either.
            let report = explore(start.clone()).unwrap();
            assert!(!lesson.met(&session, Some(&report)), "lesson {number}");
            let mut solved = session.clone();
            solved.replay(&parse_steps(ids.iter().copied()).unwrap()).unwrap();
            assert!(lesson.met(&solved, None), "lesson {number}: the solution misses the goal");
            assert_eq!(
                ids.len(),
                fewest_steps(&start, wanted),
                "lesson {number}: the solution is not a shortest one"
            );
            // Walked back to its start, the goal is not met yet.
            let mut walked = solved.clone();
            walked.jump(0);
            assert!(!lesson.met(&walked, None), "lesson {number}");
        }
        Solution::Explore { off } => {
            let Goal::Explore { change, answer } = lesson.goal else {
                panic!("lesson {number}: an exploration for {:?}", lesson.goal)
            };
            let solved = Session::new(lesson.solution_scenario()).unwrap();
            let report = explore(solved.scenario().clone()).unwrap();
            assert!(report.complete);
            assert_eq!(report.torn().word(), answer, "lesson {number}");
            assert!(lesson.met(&solved, Some(&report)), "lesson {number}: the solution misses");
            assert!(!lesson.met(&solved, None), "lesson {number}: met without exploring");
            let on: Vec<Barrier> =
                Barrier::ALL.into_iter().filter(|site| start.barriers.is_on(*site)).collect();
            match change {
                Change::Nothing | Change::ClearCounterOn => assert!(off.is_empty()),
                Change::OneBarrierOff => assert_eq!(off.len(), 1, "lesson {number}"),
                Change::EveryBarrierOff => {
                    let sites = Program::new(start.clone()).unwrap().barrier_sites();
                    let needed: Vec<Barrier> =
                        sites.into_iter().filter(|site| on.contains(site)).collect();
                    assert_eq!(off, needed, "lesson {number}: the sites on, and no more");
                }
            }
            if change != Change::Nothing {
                // The start's own exploration does not meet the goal.
                let start_report = explore(start.clone()).unwrap();
                assert!(!lesson.met(&session, Some(&start_report)), "lesson {number}");
                if answer == Torn::Sometimes {
                    assert_ne!(
                        start_report.torn().word(),
                        answer,
                        "lesson {number}: no change needed"
                    );
                }
            }
            if answer == Torn::Sometimes {
                // A torn witness of the changed scenario replays.
                let torn = report.outcomes.iter().find(|o| o.returned && o.verdict.is_torn());
                let torn = torn.unwrap();
                // In the compiled form the witness names.
                let mut replayed = Session::compiled(solved.scenario().clone(), torn.form).unwrap();
                replayed.replay(&torn.witness).unwrap();
                assert!(replayed.last_read().unwrap().returned_torn());
            }
        }
    }
}

#[test]
fn every_lesson_is_reachable_and_not_met_at_its_start() {
    assert!(tour::lessons().len() >= 8);
    for (index, lesson) in tour::lessons().iter().enumerate() {
        check_lesson(index + 1, lesson);
    }
}

#[test]
fn lessons_are_rows_of_one_table() {
    let mut ids = HashSet::new();
    for (index, lesson) in tour::lessons().iter().enumerate() {
        assert!(ids.insert(lesson.id), "duplicate id {}", lesson.id);
        assert!(catalog::find(lesson.preset()).is_some(), "{}", lesson.id);
        assert!(!lesson.messages.is_empty(), "{} cites no message", lesson.id);
        assert!(!lesson.hints.is_empty(), "{} has no hint", lesson.id);
        // Compact: a few sentences each (the text goes into the page's bundle).
        assert!(lesson.text.len() <= 520, "{}: {} characters", lesson.id, lesson.text.len());
        assert!(std::ptr::eq(tour::lesson(index + 1).unwrap(), lesson));
    }
    assert!(tour::lesson(0).is_none());
    assert!(tour::lesson(tour::lessons().len() + 1).is_none());
}

#[test]
fn a_read_goal_wants_the_lessons_scenario_as_it_is() {
    // The same tear in a changed scenario (two readers) does not count.
    let lesson = tour::lesson(3).unwrap();
    let Solution::Steps(ids) = lesson.solution else { panic!() };
    let mut changed = lesson.scenario();
    changed.readers = 2;
    let mut session = Session::new(changed).unwrap();
    session.replay(&parse_steps(ids.iter().copied()).unwrap()).unwrap();
    assert!(session.last_read().unwrap().returned_torn());
    assert!(!lesson.met(&session, None));
}

#[test]
fn a_barrier_goal_wants_exactly_its_change() {
    let weak = tour::lessons().iter().find(|lesson| lesson.id == "weak").unwrap();
    let start = weak.scenario();
    let off = |sites: &[Barrier]| {
        let mut scenario = start.clone();
        for site in sites {
            scenario.barriers.set(*site, false);
        }
        scenario
    };
    assert!(Change::OneBarrierOff.made(&start, &off(&[Barrier::ZapWmb1])));
    assert!(!Change::OneBarrierOff.made(&start, &start));
    assert!(!Change::OneBarrierOff.made(&start, &off(&[Barrier::ZapWmb1, Barrier::ReaderRmb1])));
    // Switching on a site that was off is no removal.
    let mut on = off(&[Barrier::ZapWmb1]);
    on.barriers.set(Barrier::ZapWmb2, true);
    assert!(!Change::OneBarrierOff.made(&start, &on));
    // Another change besides the barrier is not the lesson's.
    let mut flushed = off(&[Barrier::ZapWmb1]);
    flushed.flush = pte_core::FlushMode::Ipi;
    assert!(!Change::OneBarrierOff.made(&start, &flushed));
    // A torn exploration of the unchanged scenario under another model is not it either.
    let sc = Scenario { model: pte_core::MemoryModel::Sc, ..start.clone() };
    assert!(!Change::OneBarrierOff.made(&start, &sc));
}

#[test]
fn the_kvm_lesson_wants_the_clear_counter_and_nothing_else() {
    let kvm = tour::lessons().iter().find(|lesson| lesson.id == "kvm-clear-counter").unwrap();
    let start = kvm.scenario();
    // It starts torn under x86-TSO: KVM's loop without its counter.
    assert_eq!(start.model, pte_core::MemoryModel::Tso);
    assert_eq!(explore(start.clone()).unwrap().torn().word(), Torn::Sometimes);
    let counted = Scenario { clear_counter: true, ..start.clone() };
    assert!(Change::ClearCounterOn.made(&start, &counted));
    assert_eq!(kvm.solution_scenario(), counted);
    // Its scenario is the catalog's preset with the counter, under x86-TSO.
    let preset = catalog::find("kvm-spte-clear-counter").unwrap().scenario();
    assert_eq!(counted, Scenario { model: pte_core::MemoryModel::Tso, ..preset });
    assert!(!Change::ClearCounterOn.made(&start, &start));
    // Another change besides the counter is not the lesson's.
    let mut weak = counted.clone();
    weak.model = pte_core::MemoryModel::Weak;
    assert!(!Change::ClearCounterOn.made(&start, &weak));
    let mut unfenced = counted.clone();
    unfenced.barriers.set(Barrier::KvmCountRmb, false);
    assert!(!Change::ClearCounterOn.made(&start, &unfenced));
    // And the counter is no barrier change.
    assert!(!Change::OneBarrierOff.made(&start, &counted));
}

#[test]
fn what_the_barrier_lessons_teach_holds() {
    // "each of the kernel's four barriers is load-bearing": any one off tears
    // (the kernel's sites in the lesson's code; pmd_read_atomic()'s is not).
    let weak = tour::lessons().iter().find(|lesson| lesson.id == "weak").unwrap();
    let code = pte_core::Program::new(weak.scenario()).unwrap().barrier_sites();
    assert_eq!(code.iter().filter(|site| site.in_kernel()).count(), 4);
    for site in code.into_iter().filter(|site| site.in_kernel()) {
        let mut scenario = weak.scenario();
        scenario.barriers.set(site, false);
        assert_eq!(explore(scenario).unwrap().torn().word(), Torn::Sometimes, "{site:?}");
    }
    // x86-TSO: with every site off, torn by the compiler (the catalog's
    // tso-no-barriers).
    let tso = tour::lessons().iter().find(|lesson| lesson.id == "tso").unwrap();
    let preset = catalog::find("tso-no-barriers").unwrap().scenario();
    assert!(Change::EveryBarrierOff.made(&tso.scenario(), &preset));
    assert!(Change::EveryBarrierOff.made(&tso.scenario(), &tso.solution_scenario()));
}

#[test]
fn a_lesson_link_names_its_lesson_and_may_carry_a_trace() {
    let count = tour::lessons().len();
    assert_eq!(link::lesson("lesson=3", count), Some(Ok(3)));
    assert_eq!(link::lesson("#v=2&model=sc", count), None);
    let error = link::lesson("lesson=99", count).unwrap().unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "link parameter lesson=\"99\": there is no such lesson; the tour has lessons 1 to {count}"
        )
    );
    assert!(link::lesson("lesson=0", count).unwrap().is_err());
    assert!(link::lesson("lesson=three", count).unwrap().is_err());

    let scenario = tour::lesson(3).unwrap().scenario();
    let steps = parse_steps(["r1.off", "r1.r0"]).unwrap();
    let text = link::encode_lesson(3, Some((&scenario, &steps)));
    assert!(text.starts_with("lesson=3&v="));
    assert!(link::has_scenario(&text));
    assert!(!link::has_scenario(&link::encode_lesson(3, None)));
    let decoded = link::decode(&text).unwrap();
    assert_eq!((decoded.scenario, decoded.steps), (scenario, steps));
    assert_eq!(link::lesson(&text, count), Some(Ok(3)));

    // A link too long to read names no lesson and carries no scenario;
    // decoding it says why.
    let too_long = format!("lesson=3&{}", "x".repeat(link::MAX_LINK_LENGTH));
    assert_eq!(link::lesson(&too_long, count), None);
    assert!(!link::has_scenario(&format!("v=2&{too_long}")));
    assert!(link::decode(&too_long).unwrap_err().to_string().contains("at most"));
}
