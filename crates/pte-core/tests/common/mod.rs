//! Checks that more than one test file needs (each file in `tests/` is a
//! crate of its own, so they share them through `mod common;`).

use pte_core::{explore, Barrier, BarrierMatrix, MemoryModel, MinimalSets, Scenario};

/// Explores `base` under `model` with exactly `on` among `sites` switched on.
pub fn tears_with(base: &Scenario, sites: &[Barrier], on: &[Barrier], model: MemoryModel) -> bool {
    let mut scenario = Scenario { model, ..base.clone() };
    for site in sites {
        scenario.barriers.set(*site, on.contains(site));
    }
    let report = explore(scenario).unwrap();
    assert!(report.complete);
    report.torn().is_sometimes()
}

/// Each decided minimal set of `matrix` suffices (with exactly its sites on,
/// no read tears) and is minimal (without any one of its sites, a read
/// tears), checked by exploring.
pub fn assert_minimal_sets_explored(matrix: &BarrierMatrix) {
    let base = &matrix.scenario;
    for row in &matrix.models {
        let MinimalSets::Decided(sets) = &row.minimal_sets else { continue };
        for set in sets {
            assert!(!tears_with(base, &matrix.sites, set, row.model), "{set:?} suffices");
            for site in set {
                let fewer: Vec<Barrier> = set.iter().copied().filter(|s| s != site).collect();
                assert!(tears_with(base, &matrix.sites, &fewer, row.model), "{set:?} is minimal");
            }
        }
    }
}
