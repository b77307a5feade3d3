//! The kernel source table: every step the explorer offers names a kernel
//! function (except the mirrored establish, which no kernel has), and every
//! link names a file and the tag.

use pte_core::sources::{self, SourceRef, KERNEL_TAG};
use pte_core::{
    catalog, Arch, Barriers, FlushMode, MemoryModel, Program, ReaderAction, ReaderKind,
    ReaderProgram, Step, WriterOp,
};

#[test]
fn every_link_names_a_file_and_the_tag() {
    for source in sources::all() {
        assert_eq!(source.tag, KERNEL_TAG);
        assert_eq!(
            source.url(),
            format!("https://elixir.bootlin.com/linux/v6.0/source/{}", source.file)
        );
        assert!(source.file.ends_with(".h") || source.file.ends_with(".c"), "{source:?}");
        assert!(source.ident_url().ends_with(&format!("/v6.0/A/ident/{}", source.function)));
        assert!(
            source.function.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{source:?}"
        );
        assert!(!source.models.is_empty());
    }
    assert_eq!(
        sources::X86_PTE_CLEAR.cite(),
        "native_pte_clear(), arch/x86/include/asm/pgtable-3level.h"
    );
}

#[test]
fn every_lookup_answers_from_the_table() {
    let in_table =
        |found: &[&SourceRef]| found.iter().all(|source| sources::all().contains(source));
    for op in WriterOp::ALL {
        for arch in [None, Some(Arch::X86Pae), Some(Arch::MipsSh), Some(Arch::PresentHigh)] {
            assert!(in_table(sources::for_writer_op(op, arch)));
        }
    }
    for mode in FlushMode::ALL {
        assert!(!sources::for_flush(mode).is_empty());
        assert!(in_table(sources::for_flush(mode)));
    }
    // Every step of every reader kind names one function, but the TLB
    // walker, which is hardware.
    for kind in ReaderKind::ALL {
        let program = ReaderProgram::new(kind, MemoryModel::Sc, Barriers::KERNEL);
        for item in program.blocks.iter().flat_map(|block| &block.items) {
            let found = sources::for_reader(kind, item.action);
            let expected = if kind == ReaderKind::Atomic64 { 0 } else { 1 };
            assert_eq!(found.len(), expected, "{kind:?} {:?}", item.action);
            assert!(in_table(found));
        }
    }
}

#[test]
fn the_arch_decides_which_set_pte() {
    let first = |arch| sources::for_writer_op(WriterOp::Establish, arch)[0].file;
    assert_eq!(first(Some(Arch::X86Pae)), "arch/x86/include/asm/pgtable-3level.h");
    assert_eq!(first(Some(Arch::MipsSh)), "arch/mips/include/asm/pgtable.h");
    assert_eq!(first(None), "arch/x86/include/asm/pgtable-3level.h");
    let clears = sources::for_writer_op(WriterOp::ZapHighFirst, Some(Arch::MipsSh));
    let files: Vec<&str> = clears.iter().map(|source| source.file).collect();
    assert_eq!(files, ["arch/mips/include/asm/pgtable.h", "arch/sh/include/asm/pgtable_32.h"]);
    assert!(sources::for_writer_op(WriterOp::EstablishLowFirst, None).is_empty());
}

#[test]
fn every_step_of_the_catalog_names_its_source() {
    for preset in catalog::presets() {
        for model in pte_core::MemoryModel::ALL {
            let scenario = pte_core::Scenario { model, readers: 2, ..preset.scenario() };
            let program = Program::new(scenario.clone()).unwrap();
            let mut state = program.initial();
            // Walk one run, always taking the first enabled step.
            loop {
                let enabled = program.enabled(&state);
                let Some(&step) = enabled.first() else { break };
                let found = sources::for_step(&program, &state, step);
                // The writer access the step performs or drains.
                let access = match step {
                    Step::Writer(index) => Some(usize::from(index)),
                    Step::Drain => program.buffered(&state).next(),
                    Step::Reader { .. } => None,
                };
                let mirrored = access.is_some_and(|index| {
                    let op = program.accesses()[index].op;
                    scenario.writer[usize::from(op)] == WriterOp::EstablishLowFirst
                });
                // The walker is hardware: no kernel function.
                let walker = step
                    .reader()
                    .is_some_and(|reader| program.reader_kind(reader) == ReaderKind::Atomic64);
                assert_eq!(found.is_empty(), mirrored || walker, "{}: {step:?}", preset.id);
                if let Step::Reader { reader, action: ReaderAction::Load(register) } = step {
                    let expected = match (program.reader_kind(reader), register.name()) {
                        (ReaderKind::Seqcount, "s") => "read_seqcount_begin",
                        (ReaderKind::Seqcount, "s2") => "read_seqcount_retry",
                        (ReaderKind::GupFast, "q0" | "q1") => "gup_pte_range",
                        (ReaderKind::PmdReadAtomic, _) => "pmd_read_atomic",
                        (ReaderKind::ReadOnce64, _) => "gup_pmd_range",
                        (ReaderKind::KvmSpte, _) => "__get_spte_lockless",
                        _ => "ptep_get_lockless",
                    };
                    assert_eq!(found[0].function, expected);
                }
                state = program.apply(&state, step).unwrap().0;
            }
        }
    }
}

#[test]
fn a_drain_names_the_store_it_drains() {
    let scenario = pte_core::Scenario {
        model: pte_core::MemoryModel::Tso,
        ..catalog::find("same-low-none").unwrap().scenario()
    };
    let program = Program::new(scenario).unwrap();
    let state = program.apply(&program.initial(), Step::Writer(0)).unwrap().0;
    assert_eq!(sources::for_step(&program, &state, Step::Drain)[0].function, "native_pte_clear");
    assert!(sources::for_step(&program, &program.initial(), Step::Drain).is_empty());
    assert!(sources::for_step(&program, &state, Step::Writer(40)).is_empty());
}

#[test]
fn a_call_inside_a_function_is_named() {
    assert_eq!(
        pte_core::readers::irq::GUP_IRQ_SAVE.cite(),
        "local_irq_save() in lockless_pages_from_mm(), mm/gup.c"
    );
    assert_eq!(
        sources::for_reader(ReaderKind::Lockless, ReaderAction::IrqOn)[0].cite(),
        "local_irq_restore() in lockless_pages_from_mm(), mm/gup.c"
    );
}
