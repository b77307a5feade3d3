//! The kernel facts the core's texts rest on (`../shared/spec/THREAD.md`),
//! one test per fact a source review corrected: which barrier sites the
//! kernel has, what a torn value is called when memory itself held it, and
//! that every message the catalog cites is a complete Message-ID.

use pte_core::{
    catalog, explore, Barrier, BarrierOrigin, Barriers, Judged, Pte, Scenario, Session, Verdict,
    WriterOp,
};

/// The judged read a witness completes, replayed through the stepper.
fn replayed(scenario: Scenario, value: Pte) -> Judged {
    let report = explore(scenario.clone()).unwrap();
    let outcome = report.outcomes.iter().find(|o| o.value == value).expect("value is reachable");
    let mut session = Session::new(scenario).unwrap();
    session.replay(&outcome.witness).unwrap();
    *session.last_read().expect("the witness ends with a completed read")
}

#[test]
fn the_kernel_has_one_wmb_per_operation_between_the_halves() {
    // native_pte_clear(), native_set_pte() and MIPS/SH set_pte() each have
    // exactly one smp_wmb(); the trailing ones are Jason Gunthorpe's sketch.
    let in_kernel: Vec<Barrier> = Barrier::ALL.into_iter().filter(|b| b.in_kernel()).collect();
    assert_eq!(
        in_kernel,
        [Barrier::ZapWmb1, Barrier::EstablishWmb1, Barrier::ReaderRmb1, Barrier::ReaderRmb2]
    );
    // The default set: every site but the sketch's trailing wmbs (the
    // sequence-counter fix's sites only matter when the fix is on).
    for barrier in Barrier::ALL {
        let sketch = barrier.source() == BarrierOrigin::JasonSketch;
        assert_eq!(Barriers::KERNEL.is_on(barrier), !sketch, "{barrier:?}");
    }
    assert_eq!(Barrier::ZapWmb2.origin(), "Jason's sketch, not in the kernel");
    let kernel = catalog::find("kernel").unwrap().scenario();
    assert_eq!(kernel.barriers, Barriers::KERNEL);
    assert_eq!(Scenario::default().barriers, Barriers::KERNEL);
}

#[test]
fn the_trailing_wmbs_change_no_answer_of_the_kernel_protocol() {
    // Why the kernel can leave them out: with the sketch's every barrier on,
    // every model returns the same values as with the kernel's.
    for model in pte_core::MemoryModel::ALL {
        let kernel = Scenario { model, ..Scenario::kernel() };
        let sketch = Scenario { barriers: Barriers::ALL_ON, ..kernel.clone() };
        let values = |scenario: Scenario| -> Vec<(Pte, Verdict)> {
            explore(scenario).unwrap().outcomes.iter().map(|o| (o.value, o.verdict)).collect()
        };
        assert_eq!(values(kernel), values(sketch), "{model:?}");
    }
}

#[test]
fn a_mid_clear_value_is_a_half_written_entry() {
    // MIPS/SH clear high first: (P0.low, 0) sits in memory between the two
    // stores, so "never in the PTE" would be false; the words say so.
    let scenario = catalog::find("mips-sh").unwrap().scenario();
    let torn = Pte::from_halves(0, scenario.values.p0.low());
    let judged = replayed(scenario, torn);
    assert_eq!(judged.verdict, Verdict::Torn);
    assert!(judged.half_written);
    assert_eq!(
        judged.verdict_text(),
        "TORN: a present PTE no writer ever wrote: a half-written entry memory held between two \
         stores"
    );
}

#[test]
fn a_value_memory_never_held_is_not_called_half_written() {
    // The same-low-half tear mixes reads from different moments: memory held
    // (P0.low, P0.high), (0, P0.high), (0, 0), (0, P1.high), P1, never
    // (P0.low, 0).
    let scenario = catalog::find("same-low-none").unwrap().scenario();
    let torn = Pte::from_halves(0, scenario.values.p0.low());
    let judged = replayed(scenario, torn);
    assert_eq!(judged.verdict, Verdict::Torn);
    assert!(!judged.half_written);
    assert_eq!(judged.verdict_text(), "TORN: a present PTE no writer ever wrote");
    assert!(!judged.summary().contains("never existed"));
}

#[test]
fn an_allowed_value_is_never_half_written() {
    let scenario = Scenario::kernel();
    let judged = replayed(scenario.clone(), scenario.values.p0);
    assert_eq!(judged.verdict, Verdict::PreZap);
    assert!(!judged.half_written);
}

#[test]
fn every_cited_message_id_is_complete_and_links_to_the_archive() {
    for preset in catalog::presets() {
        assert!(!preset.messages.is_empty(), "{} cites no message", preset.id);
        for message in preset.messages {
            let id = message.message_id;
            let (local, domain) = id.split_once('@').unwrap_or_else(|| panic!("{id} has no @"));
            assert!(!local.is_empty() && domain.contains('.'), "{id}");
            assert!(!id.contains('…') && !id.contains(' ') && !id.contains('<'), "{id}");
            assert_eq!(message.url(), format!("https://lore.kernel.org/all/{id}/"));
        }
        // Ids live in `messages`, never cut short inside the prose.
        assert!(!preset.explanation.contains("@nvidia.com"), "{}", preset.id);
        assert!(!preset.explanation.contains("CAG48ez"), "{}", preset.id);
    }
}

#[test]
fn no_text_claims_the_atomic_zap_is_new_in_v6_2() {
    // SMP native_ptep_get_and_clear() has been one atomic exchange since 2018
    // (commit b2d7a075a1cc); v6.2 only rewrote it as a try_cmpxchg64() loop.
    let atomic = catalog::find("atomic-zap-same-low").unwrap();
    assert!(atomic.scenario().writer.contains(&WriterOp::ZapAtomic));
    assert!(atomic.explanation.contains("since 2018 (commit b2d7a075a1cc"));
    for preset in catalog::presets() {
        assert!(!preset.explanation.contains("Since v6.2"), "{}", preset.id);
        assert!(!preset.explanation.contains("never existed"), "{}", preset.id);
    }
}
