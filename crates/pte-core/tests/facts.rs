//! The kernel facts the core's texts rest on (`../shared/spec/THREAD.md`),
//! one test per fact a source review corrected: which barrier sites the
//! kernel has, what a torn value is called when memory itself held it, and
//! that every message the catalog cites is a complete Message-ID.

use pte_core::{
    catalog, explore, listing, readers, sources, tour, Barrier, BarrierOrigin, Barriers, FlushMode,
    Judged, MemoryModel, Program, Pte, ReaderKind, Scenario, Session, Verdict, WriterOp,
};

/// The README, which states the same facts for people who never run the
/// explorer.
const README: &str = include_str!("../../../README.md");
/// The page's first paint (its introduction, before the app arrives).
const INDEX_HTML: &str = include_str!("../../../index.html");

fn explanation(id: &str) -> &'static str {
    catalog::find(id).unwrap_or_else(|| panic!("no preset {id}")).explanation
}

fn lesson_text(id: &str) -> &'static str {
    tour::lessons().iter().find(|lesson| lesson.id == id).expect("a lesson").text
}

/// Every text a person reads about the kernel: the presets' explanations,
/// the lessons' texts, tasks, hints and what they taught, and every source
/// note.
fn shown_texts() -> Vec<(String, &'static str)> {
    let mut texts = Vec::new();
    for preset in catalog::presets() {
        texts.push((format!("preset {}", preset.id), preset.explanation));
    }
    for lesson in tour::lessons() {
        texts.push((format!("lesson {}", lesson.id), lesson.text));
        texts.push((format!("lesson {} task", lesson.id), lesson.task));
        texts.push((format!("lesson {} taught", lesson.id), lesson.taught));
        for hint in lesson.hints {
            texts.push((format!("lesson {} hint", lesson.id), *hint));
        }
    }
    for source in sources::all() {
        texts.push((format!("source {}", source.function), source.models));
        if let Some(mainline) = source.mainline {
            texts.push((format!("source {} mainline", source.function), mainline));
        }
    }
    texts
}

/// The judged read a witness completes, replayed through the stepper.
fn replayed(scenario: Scenario, value: Pte) -> Judged {
    let report = explore(scenario.clone()).unwrap();
    let outcome = report.outcomes.iter().find(|o| o.value == value).expect("value is reachable");
    let mut session = Session::compiled(scenario, outcome.form).unwrap();
    session.replay(&outcome.witness).unwrap();
    *session.last_read().expect("the witness ends with a completed read")
}

#[test]
fn the_kernel_has_one_wmb_per_operation_between_the_halves() {
    // native_pte_clear(), native_set_pte() and MIPS/SH set_pte() each have
    // exactly one smp_wmb(); the trailing ones are Jason Gunthorpe's sketch.
    // x86 PAE's pmd_read_atomic() had its one smp_rmb() (pmd_rmb) until
    // v6.1. KVM's count_spte_clear() has its smp_wmb() (kvm_count_wmb),
    // __get_spte_lockless() one after reading the count (kvm_count_rmb).
    let in_kernel: Vec<Barrier> = Barrier::ALL.into_iter().filter(|b| b.in_kernel()).collect();
    assert_eq!(
        in_kernel,
        [
            Barrier::ZapWmb1,
            Barrier::EstablishWmb1,
            Barrier::ReaderRmb1,
            Barrier::ReaderRmb2,
            Barrier::PmdRmb,
            Barrier::KvmCountWmb,
            Barrier::KvmCountRmb
        ]
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

#[test]
fn the_rename_of_the_config_symbol_is_the_mainline_commit() {
    // The dropped id was the first tip/x86/mm application (1 November 2022);
    // the branch was rebuilt for the v6.2 pull and mainline has 6ca297d47846.
    let mainline = readers::lockless::PTEP_GET_LOCKLESS.mainline.unwrap();
    assert!(mainline.contains("commit 6ca297d47846"), "{mainline}");
    let dropped = format!("8f28b{}", "415703e");
    assert!(!mainline.contains(&dropped));
    assert!(!README.contains(&dropped));
    for (place, text) in shown_texts() {
        assert!(!text.contains(&dropped), "{place}");
    }
}

#[test]
fn v6_2_reworded_the_comment_and_kept_both_assumptions() {
    let mainline = readers::lockless::PTEP_GET_LOCKLESS.mainline.unwrap();
    assert!(mainline.contains("commit 93b3037a1482"), "{mainline}");
    assert!(mainline.contains("keeping both of its assumptions"), "{mainline}");
    assert!(!mainline.contains("its comment are unchanged"), "{mainline}");
    assert!(README.contains("(commit 93b3037a1482)"));
}

#[test]
fn the_comment_forbids_only_a_switch_to_another_page() {
    // "it will not switch to a completely different present page without a
    // TLB flush": present again on the same page is allowed.
    let text = lesson_text("same-low-none");
    assert!(text.contains("pointing to another page"), "{text}");
    assert!(text.contains("a completely different present page"), "{text}");
}

#[test]
fn hyper_v_and_xen_come_from_jann_horns_later_reply_and_kvm_from_its_source() {
    const LATER_REPLY: &str = "CAG48ez3VE+3dVdUMK+Pg_942gR+h_TCcSaFxGwCbNfh3W+mfOA@mail.gmail.com";
    let preset = catalog::find("same-low-paravirt").unwrap();
    assert!(preset.messages.iter().any(|m| m.message_id == LATER_REPLY));
    assert!(preset.explanation.contains("later reply"));
    assert!(preset.explanation.contains("arch/x86/kernel/kvm.c"));
    let lesson = tour::lessons().iter().find(|l| l.id == "same-low-paravirt").unwrap();
    assert!(lesson.messages.iter().any(|m| m.message_id == LATER_REPLY));
    assert!(lesson.text.contains("later reply") && lesson.text.contains("arch/x86/kernel/kvm.c"));
    // The first report names neither hypervisor: no text credits them to it.
    for (place, text) in shown_texts() {
        assert!(!text.contains("Hyper-V and Xen flush by hypercall;"), "{place}");
    }
}

#[test]
fn the_deferred_flush_is_the_mmu_gathers_after_the_lock_is_dropped() {
    // x86 selects MMU_GATHER_MERGE_VMAS, so its tlb_end_vma() does not flush
    // and tlb_finish_mmu() does; MIPS and SH flush in tlb_end_vma().
    let zap = sources::for_flush(FlushMode::None)[0];
    assert_eq!(zap.function, "zap_pte_range");
    assert!(zap.models.contains("after the lock is dropped"), "{}", zap.models);
    assert!(zap.models.contains("tlb_end_vma"), "{}", zap.models);
    let same_low = explanation("same-low-none");
    assert!(same_low.contains("from the mmu_gather, after the lock is dropped"), "{same_low}");
    // The listing's flush line is the arch's: x86 and MIPS/SH.
    let flush_code = |id: &str| {
        let mut scenario = catalog::find(id).unwrap().scenario();
        scenario.flush = FlushMode::Ipi;
        let program = Program::new(scenario).unwrap();
        let blocks = listing::writer_blocks(&program);
        let flush = blocks.iter().find(|block| block.summary == "TLB flush").expect("a flush");
        flush.lines[0].code.clone()
    };
    assert_eq!(flush_code("kernel"), "tlb_finish_mmu(&tlb);");
    assert_eq!(flush_code("mips-sh"), "tlb_end_vma(&tlb, vma);");
}

#[test]
fn gup_fasts_barrier_and_pmd_check_date_from_v6_1() {
    let grab = readers::gup_fast::GUP_GRAB.mainline.unwrap();
    assert!(grab.contains("088b8aa537c2"), "{grab}");
    assert!(grab.contains("FOLL_PIN"), "{grab}");
    let recheck = readers::gup_fast::GUP_RECHECK.mainline.unwrap();
    assert!(recheck.contains("70cbc3cc78a9") && recheck.contains("c33c794828f2"), "{recheck}");
    assert!(!recheck.contains("ptep_get(ptep) in gup_fast_pte_range() since 2024"));
}

#[test]
fn the_native_flush_skips_lazy_tlb_cpus() {
    let ipi = sources::NATIVE_FLUSH_TLB_MULTI.models;
    assert!(ipi.contains("lazy TLB") && ipi.contains("tlb_is_not_lazy"), "{ipi}");
}

#[test]
fn the_atomic_clear_is_the_zap_of_a_gather_that_is_not_fullmm() {
    let clear = sources::X86_PTEP_GET_AND_CLEAR.models;
    assert!(clear.contains("not fullmm"), "{clear}");
    assert!(clear.contains("native_local_ptep_get_and_clear"), "{clear}");
    let atomic = explanation("atomic-zap-same-low");
    assert!(atomic.contains("when the mmu_gather is not fullmm"), "{atomic}");
    assert!(atomic.contains("the fullmm zap at exit, clear low first"), "{atomic}");
}

#[test]
fn the_mips_clear_is_pte_clear_not_literally_set_pte_of_zero() {
    assert!(!WriterOp::ZapHighFirst.title().contains("set_pte(ptep, 0)"));
    assert!(sources::MIPS_PTE_CLEAR.models.contains("htw_stop"));
    assert!(sources::MIPS_PTE_CLEAR.models.contains("_PAGE_GLOBAL"));
    // Exact for SH.
    assert!(sources::SH_PTE_CLEAR.models.contains("__pte(0)"));
    for (place, text) in shown_texts() {
        assert!(!text.contains("set_pte(ptep, 0)"), "{place}");
    }
    assert!(!README.contains("is `set_pte(ptep, 0)`"));
    let mips = explanation("mips-sh");
    assert!(mips.contains("htw_stop()") && mips.contains("SH: set_pte(ptep, __pte(0))"));
}

#[test]
fn only_x86_refills_the_tlb_with_one_atomic_load() {
    let walker = explanation("walker-mips-sh");
    assert!(!walker.starts_with("The walker's one atomic"), "{walker}");
    assert!(walker.contains("tlbex.c") && walker.contains("half-written"), "{walker}");
    assert!(!catalog::find("walker-mips-sh").unwrap().title.starts_with("TLB walker"));
}

#[test]
fn jann_horn_said_mips_and_sh_do_not_define_arch_cmpxchg_double() {
    let texts = [explanation("mips-sh"), explanation("walker-x86"), lesson_text("mips-sh")];
    for text in texts {
        assert!(text.contains("don't define arch_cmpxchg_double()"), "{text}");
    }
    for (place, text) in shown_texts() {
        assert!(!text.contains("have no double-word cmpxchg"), "{place}");
    }
}

#[test]
fn the_weak_model_is_armv8_like_and_one_writer_makes_multicopy_atomicity_moot() {
    assert_eq!(MemoryModel::Weak.title(), "weak (ARMv8-like, multicopy-atomic)");
    let why = MemoryModel::Weak.explanation();
    assert!(why.contains("POWER is not") && why.contains("one writer"), "{why}");
    assert!(README.contains("POWER is not multicopy-atomic"));
    for (place, text) in shown_texts() {
        assert!(!text.contains("ARM/POWER") && !text.contains("(ARM, POWER)"), "{place}");
    }
    assert!(!README.contains("ARM/POWER"));
}

#[test]
fn the_kernels_c_code_not_the_cpu_reads_the_halves() {
    assert!(!README.contains("CPU reads and writes it as two 32-bit halves"));
    assert!(README.contains("the kernel's C code reads and writes it as"));
    assert!(lesson_text("reader-loop").contains("the kernel's C code reads it as two 32-bit"));
    // The page's introduction (index.html, and the app's header, which the
    // phone spec keeps word for word the same).
    assert!(!INDEX_HTML.contains("A 32-bit CPU reads"));
    assert!(INDEX_HTML.contains("A 32-bit kernel reads a 64-bit page-table entry in two halves"));
}

#[test]
fn the_same_low_tear_of_madv_dontneed_points_to_the_atomic_zap() {
    let same_low = explanation("same-low-none");
    assert!(same_low.contains("atomic 64-bit exchange"), "{same_low}");
    let atomic = catalog::find("atomic-zap-same-low").unwrap();
    assert!(same_low.contains(&format!("\"{}\"", atomic.title)), "{same_low}");
}

#[test]
fn the_atomic_load_is_no_c_dereference_and_the_seqcount_read_is_hypothetical() {
    for kind in ReaderKind::ALL {
        let mut scenario = Scenario::kernel();
        scenario.set_reader_kind(0, kind);
        let program = Program::new(scenario).unwrap();
        for line in listing::reader_lines(&program, 0) {
            assert_ne!(line.code, "pte = *ptep;", "{kind:?}");
            assert_ne!(line.code, "r1:r0 = *ptep;", "{kind:?}");
        }
        assert_ne!(listing::reader_call(kind).0, "pte = *ptep;", "{kind:?}");
    }
    let (code, summary) = listing::reader_call(ReaderKind::Atomic64);
    assert!(code.starts_with("/*") && code.contains("page walk"), "{code}");
    assert!(summary.contains("two 32-bit loads"), "{summary}");
    let (code, summary) = listing::reader_call(ReaderKind::Seqcount);
    assert!(code.contains("ptep_get_seqcount") && code.contains("hypothetical"), "{code}");
    assert!(summary.contains("no kernel function has this name"), "{summary}");
}

#[test]
fn the_readmes_herd7_claims_are_those_of_herdtools7_7_57() {
    // herd/top_herd.ml prints the Observation line and then Time and Hash:
    // it does not end with it; the counts were not checked, so none is given.
    assert!(!README.contains("herd7 ends with"));
    assert!(README.contains("`Observation pte-same-low-none Sometimes …`"));
    // lib/symbConstant.ml: Int32.of_string; lib/CLexer.mll: no hex token.
    assert!(README.contains("Int32.of_string") && README.contains("-2147483648"));
    assert!(README.contains("lib/CLexer.mll"));
}

#[test]
fn never_merged_is_dated() {
    // The newest source read: a December 2025 patch whose context still has
    // the split-load ptep_get_lockless() and no sequence counter.
    let fix = explanation("seqcount-fix");
    assert!(fix.contains("never merged, as of December 2025"), "{fix}");
    for (place, text) in shown_texts() {
        if text.contains("never merged") {
            assert!(text.contains("as of December 2025"), "{place}");
        }
    }
    for barrier in Barrier::ALL.into_iter().filter(|b| b.source() == BarrierOrigin::SeqcountFix) {
        assert!(barrier.origin().contains("as of December 2025"), "{barrier:?}");
    }
    assert!(README.contains("never merged, as of December 2025"));
}

#[test]
fn shown_texts_say_who_said_it_and_name_presets_by_their_titles() {
    // "The seed" is the developers' word for Jason Gunthorpe's message; a
    // preset id is what URLs carry, its title what people see.
    for (place, text) in shown_texts() {
        assert!(!text.to_lowercase().contains("the seed"), "{place}");
        for preset in catalog::presets() {
            assert!(!text.contains(&format!("see {}", preset.id)), "{place}: {}", preset.id);
        }
    }
    let lesson = tour::lessons().iter().find(|l| l.id == "zap-races-read").unwrap();
    assert!(lesson.taught.contains("Jason Gunthorpe defines a non-torn read"), "{}", lesson.taught);
    assert!(explanation("kernel").contains("see \"Atomic zap, same low half, no flush\""));
}
