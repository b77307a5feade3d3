//! KVM's split-spte code on a 32-bit host (`../shared/spec/FAMILY.md`,
//! `kvm_spte`): the writer option **clear counter** (`count_spte_clear()`:
//! after every zap's stores, `smp_wmb()` and `count ← count + 1`), its
//! place among the writer's accesses, its files and links; and the reader
//! kind `kvm_spte` (`__get_spte_lockless()`), with FAMILY.md's "Facts to
//! show" for it, one reader each.

use pte_core::{
    explore, link, AccessKind, Barrier, Edit, FlushMode, MemoryModel, Program, ReaderKind, Report,
    Scenario, ScenarioError, Torn, Verdict, Word, WriterOp,
};

/// The kernel's zap, flush, establish with the clear counter on.
fn with_clear_counter() -> Scenario {
    Scenario { clear_counter: true, ..Scenario::kernel() }
}

/// The writer's accesses as (word stored, barrier sites after it, on or
/// off: the trailing `smp_wmb()` of Jason's sketch is a site, off).
fn accesses(scenario: &Scenario) -> Vec<(Option<Word>, Vec<Barrier>)> {
    let program = Program::new(scenario.clone()).unwrap();
    program
        .accesses()
        .iter()
        .map(|access| {
            let word = match access.kind {
                AccessKind::Store(word) => Some(word),
                AccessKind::StoreBoth | AccessKind::Flush => None,
            };
            (word, access.wmbs_after().collect())
        })
        .collect()
}

#[test]
fn the_clear_counter_bumps_count_after_every_zap_and_nothing_else() {
    // native_pte_clear(): low, smp_wmb(), high; count_spte_clear():
    // smp_wmb(), count + 1. The flush and the establish are not clears.
    assert_eq!(
        accesses(&with_clear_counter()),
        [
            (Some(Word::Low), vec![Barrier::ZapWmb1]),
            (Some(Word::High), vec![Barrier::ZapWmb2, Barrier::KvmCountWmb]),
            (Some(Word::Count), vec![]),
            (None, vec![]),
            (Some(Word::High), vec![Barrier::EstablishWmb1]),
            (Some(Word::Low), vec![Barrier::EstablishWmb2]),
        ]
    );
    let program = Program::new(with_clear_counter()).unwrap();
    let bump = program.accesses()[2];
    assert_eq!(bump.stored(Word::Count), 1);
    assert_eq!(program.words().collect::<Vec<_>>(), [Word::Low, Word::High, Word::Count]);
    // A second zap stores 2.
    let two = Scenario { clear_counter: true, ..Scenario::cycles(2) };
    let program = Program::new(two).unwrap();
    let counts: Vec<u32> = program
        .accesses()
        .iter()
        .filter(|access| access.kind == AccessKind::Store(Word::Count))
        .map(|access| access.stored(Word::Count))
        .collect();
    assert_eq!(counts, [1, 2]);
    // The atomic zap is a clear too (KVM's slow path bumps the count as well).
    let mut atomic = with_clear_counter();
    atomic.writer[0] = WriterOp::ZapAtomic;
    assert_eq!(accesses(&atomic)[1], (Some(Word::Count), vec![]));
    assert_eq!(accesses(&atomic)[0], (None, vec![Barrier::KvmCountWmb]));
}

#[test]
fn with_the_sequence_counter_too_the_clear_counter_nests_inside_it() {
    // write_seqcount_begin(); native_pte_clear(); count_spte_clear();
    // write_seqcount_end(): each bump keeps the smp_wmb() before it.
    let both = Scenario { seqcount: true, ..with_clear_counter() };
    assert_eq!(
        accesses(&both)[..5],
        [
            (Some(Word::Seq), vec![Barrier::SeqWmbBegin]),
            (Some(Word::Low), vec![Barrier::ZapWmb1]),
            (Some(Word::High), vec![Barrier::ZapWmb2, Barrier::KvmCountWmb]),
            (Some(Word::Count), vec![Barrier::SeqWmbEnd]),
            (Some(Word::Seq), vec![]),
        ]
    );
    // zap: 2 stores, 2 seq bumps, 1 count bump; flush; establish: 2 + 2.
    assert_eq!(both.writer_access_count(), 5 + 1 + 4);
    assert_eq!(Program::new(both).unwrap().accesses().len(), 10);
}

#[test]
fn the_clear_counter_is_a_field_of_files_links_and_edits() {
    let scenario = with_clear_counter();
    let json = scenario.to_json();
    assert!(json.contains("\"clear_counter\": true"), "{json}");
    assert!(json.contains("\"kvm_count_wmb\": true"), "{json}");
    assert_eq!(Scenario::from_json(&json).unwrap(), scenario);
    // Off, the field is left out, so files without it keep their text.
    assert!(!Scenario::kernel().to_json().contains("clear_counter"));
    // A file of format 2 was not written with it.
    let old = json
        .replace("\"format\": 3", "\"format\": 2")
        .replace("\"compiler\": true", "\"compiler\": false");
    assert_eq!(
        Scenario::from_json(&old),
        Err(ScenarioError::NewerField { format: 2, field: "clear_counter" })
    );
    let query = link::encode(&scenario, &[]);
    assert!(query.contains("&clear=1&"), "{query}");
    assert_eq!(link::decode(&query).unwrap().scenario, scenario);
    assert!(!link::encode(&Scenario::kernel(), &[]).contains("clear="));
    let bad = query.replace("clear=1", "clear=2");
    assert!(link::decode(&bad).unwrap_err().to_string().contains("clear"), "{bad}");
    let mut edited = Scenario::kernel();
    edited.edit(Edit::ClearCounter(true)).unwrap();
    assert_eq!(edited, scenario);
    assert_eq!(Scenario::kernel().diff(&scenario), [Edit::ClearCounter(true)]);
    assert_eq!(Edit::ClearCounter(true).to_string(), "clear counter on");
}

fn returned(report: &Report) -> Vec<(pte_core::Pte, Verdict)> {
    let mut values: Vec<_> = report.outcomes.iter().map(|o| (o.value, o.verdict)).collect();
    values.sort();
    values.dedup();
    values
}

#[test]
fn a_reader_that_does_not_read_count_returns_what_it_returned_without_it() {
    // The lockless loop never reads count: the bump changes none of its
    // results, under every model, same low half, no flush.
    for model in MemoryModel::ALL {
        let mut scenario = Scenario { model, flush: FlushMode::None, ..Scenario::kernel() };
        scenario.set_same_low(true);
        let without = explore(scenario.clone()).unwrap();
        let with = explore(Scenario { clear_counter: true, ..scenario }).unwrap();
        assert!(without.complete && with.complete);
        assert_eq!(returned(&with), returned(&without), "{model:?}");
    }
}

/// One `kvm_spte` reader against zap → establish with the same low half, no
/// flush, the kernel's barriers, with or without the clear counter.
fn kvm(model: MemoryModel, compiler: bool, clear_counter: bool) -> Scenario {
    let mut scenario =
        Scenario { model, flush: FlushMode::None, compiler, clear_counter, ..Scenario::kernel() };
    scenario.set_same_low(true);
    scenario.set_reader_kind(0, ReaderKind::KvmSpte);
    scenario.validate().unwrap();
    scenario
}

fn torn(scenario: &Scenario) -> Torn {
    let report = explore(scenario.clone()).unwrap();
    assert!(report.complete);
    report.torn().word()
}

#[test]
fn kvm_spte_with_the_clear_counter_is_never_torn_under_sc_and_tso() {
    // The same low half hides the zap and re-establish from r2 = r0, but
    // the zap bumped count between c and c2.
    for model in [MemoryModel::Sc, MemoryModel::Tso] {
        for compiler in [false, true] {
            let scenario = kvm(model, compiler, true);
            assert_eq!(torn(&scenario), Torn::Never, "{model:?}, compiler {compiler}");
        }
    }
}

#[test]
fn kvm_spte_with_the_clear_counter_is_torn_under_the_weak_model() {
    // The || is a branch: c2 may be performed before r2 (after
    // reader_rmb2), so c2 can read the count from before the zap while r2
    // reads the re-established low half.
    let scenario = kvm(MemoryModel::Weak, true, true);
    let report = explore(scenario.clone()).unwrap();
    assert_eq!(report.torn().word(), Torn::Sometimes);
    let witness = report.outcomes.iter().find(|o| o.verdict == Verdict::Torn).unwrap();
    let order: Vec<String> = witness.witness.iter().map(|step| step.id()).collect();
    let c2 = order.iter().position(|id| id == "r1.c2").unwrap();
    let r2 = order.iter().position(|id| id == "r1.r2").unwrap();
    assert!(c2 < r2, "c2 performed before r2: {order:?}");
}

#[test]
fn under_tso_with_the_compiler_each_of_kvm_s_barriers_but_kvm_count_wmb_is_needed() {
    let base = kvm(MemoryModel::Tso, true, true);
    for site in [Barrier::KvmCountRmb, Barrier::ReaderRmb2, Barrier::ZapWmb1] {
        let scenario = Scenario { barriers: base.barriers.with(site, false), ..base.clone() };
        assert_eq!(torn(&scenario), Torn::Sometimes, "{} off", site.id());
    }
    // kvm_count_wmb is redundant next to the clear's own smp_wmb()
    // (zap_wmb1), as seq_wmb_begin is.
    let scenario =
        Scenario { barriers: base.barriers.with(Barrier::KvmCountWmb, false), ..base.clone() };
    assert_eq!(torn(&scenario), Torn::Never, "kvm_count_wmb off");
}

#[test]
fn without_the_clear_counter_kvm_spte_tears_as_the_lockless_loop_does() {
    // count stays 0: c2 = c always, and the reader is the plain loop.
    for model in MemoryModel::ALL {
        let scenario = kvm(model, true, false);
        let mut lockless = scenario.clone();
        lockless.set_reader_kind(0, ReaderKind::Lockless);
        let (kvm_report, lockless_report) =
            (explore(scenario).unwrap(), explore(lockless).unwrap());
        assert_eq!(kvm_report.torn().word(), Torn::Sometimes, "{model:?}");
        assert_eq!(returned(&kvm_report), returned(&lockless_report), "{model:?}");
    }
}

/// The process `P{n}` of an exported litmus test, up to its closing `}`.
fn process(text: &str, n: usize) -> String {
    let start = text.find(&format!("\nP{n}(")).expect("the process") + 1;
    let end = start + text[start..].find("\n}\n").expect("its end") + 3;
    text[start..end].to_owned()
}

#[test]
fn the_litmus_export_bumps_cnt_after_every_zap_and_reads_it_around_the_halves() {
    use pte_core::litmus;
    // Two cycles: cnt = 1 after the first zap, cnt = 2 after the second,
    // each after kvm_count_wmb; the compiler off marks every access.
    let scenario = Scenario {
        clear_counter: true,
        compiler: false,
        flush: FlushMode::None,
        ..Scenario::cycles(2)
    };
    let text = litmus::export(&scenario, "t").unwrap();
    assert!(text.contains("\tcnt=0; (* KVM's clear counter *)\n"), "{text}");
    let writer = process(&text, 0);
    assert!(writer.starts_with("P0(int *lo, int *hi, int *cnt)\n"), "{writer}");
    let bumps: Vec<&str> = writer.lines().filter(|line| line.contains("(*cnt")).collect();
    assert_eq!(
        bumps,
        [
            "\tWRITE_ONCE(*cnt, 1);\t// count_spte_clear(): cnt = cnt + 1",
            "\tWRITE_ONCE(*cnt, 2);\t// count_spte_clear(): cnt = cnt + 1",
        ]
    );
    for bump in bumps {
        assert!(writer.contains(&format!("\tsmp_wmb();\t// kvm_count_wmb\n{bump}\n")), "{writer}");
    }
    // A site switched off stays as a comment.
    let off = Scenario {
        barriers: scenario.barriers.with(Barrier::KvmCountWmb, false),
        ..scenario.clone()
    };
    let writer = process(&litmus::export(&off, "t").unwrap(), 0);
    assert!(writer.contains("\t// kvm_count_wmb off: no smp_wmb()\n\tWRITE_ONCE(*cnt, 1);"));
    // Lockless readers next to the counter do not read it.
    let reader = process(&text, 1);
    assert!(reader.starts_with("P1(int *lo, int *hi)\n"), "{reader}");
}

#[test]
fn the_litmus_kvm_reader_reads_the_count_again_only_when_the_low_half_matched() {
    use pte_core::litmus;
    let scenario = kvm(MemoryModel::Weak, true, true);
    let text = litmus::export(&scenario, "t").unwrap();
    assert_eq!(
        process(&text, 1),
        "P1(int *lo, int *hi, int *cnt)\n{\n\tint c;\n\tint r0;\n\tint r1;\n\tint r2;\n\tint c2;\n\n\
         \tc = *cnt;\n\tsmp_rmb();\t// kvm_count_rmb\n\tr0 = *lo;\n\tsmp_rmb();\t// reader_rmb1\n\
         \tr1 = *hi;\n\tsmp_rmb();\t// reader_rmb2\n\tr2 = *lo;\n\
         \t// spte_low != orig->spte_low || count != sp->clear_spte_count\n\
         \tif (r2 == r0) {\n\t\tc2 = *cnt;\n\t}\n}\n"
    );
    assert!(text.contains("(1:r0=1:r2 /\\ 1:c2=1:c /\\ (1:r0=4199) /\\"), "{text}");
    // The count is plain whatever the scenario marks, so with the compiler
    // on a test of marked halves still has plain accesses; with it off
    // every access is marked.
    let marked = Scenario { marked_writer: true, marked_reader: true, ..scenario.clone() };
    assert!(litmus::has_plain_accesses(&marked));
    let text = litmus::export(&marked, "t").unwrap();
    assert!(text.contains("\tc = *cnt;\n") && text.contains("\tr0 = READ_ONCE(*lo);\n"));
    assert!(text.contains("\t*cnt = 1;\t// count_spte_clear()"), "{text}");
    assert!(text.contains("the same scenario with the compiler off"), "{text}");
    let off = Scenario { compiler: false, ..scenario.clone() };
    assert!(!litmus::has_plain_accesses(&off));
    // The header says why one attempt is enough for this reader too.
    let header = text.replace("\n * ", " ");
    assert!(header.contains("One attempt of __get_spte_lockless() loses nothing either"));
    assert!(header.contains("the label retry: stands before count = sp->clear_spte_count"));
    // The Result: torn under the weak model with the clear counter (the
    // || lets c2 go before r2), and without it.
    for clear_counter in [true, false] {
        let scenario = kvm(MemoryModel::Sc, true, clear_counter);
        assert_eq!(litmus::expected_result(&scenario), litmus::Expected::Sometimes);
    }
    // The Result asks one kvm_spte reader under the weak model, the clear
    // counter kept.
    let questions = litmus::questions(&kvm(MemoryModel::Sc, true, true));
    assert_eq!(questions.len(), 1);
    assert_eq!(questions[0].reader_kind(0), ReaderKind::KvmSpte);
    assert!(questions[0].clear_counter);
}
