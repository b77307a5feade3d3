//! The threads' programs as kernel-like source lines: which line is which
//! step, where each barrier site sits, and the kernel source each line
//! models. Pure text, so the page draws it, the CLI and a plain-text export
//! can quote a step's code line, and tests check it without rendering.

use crate::machine::{Blocked, State, Step};
use crate::program::{AccessKind, Program, Register, Word};
use crate::scenario::{Arch, Barrier, FlushMode, ReaderKind, WriterOp};
use crate::sources::{self, SourceRef};
use crate::writer::{self, Stores, WriterOptionSpec};

/// One line of a thread's listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The C statement, as the kernel would write it.
    pub code: String,
    /// A short comment after it (the value stored, what it stands for).
    pub comment: Option<String>,
    pub kind: LineKind,
    /// Nesting depth for indentation.
    pub depth: u8,
    /// The kernel code the line models (`pte_core::sources`); none for
    /// what no kernel has (the mirrored establish, the hardware walker).
    pub source: Option<&'static SourceRef>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Performing this line is this step.
    Step(Step),
    /// A barrier site the person can switch off and on.
    Barrier(Barrier),
    /// Text only (a label, a `return`, a skipped flush).
    Plain,
}

/// One writer operation: the function call and its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Index into the scenario's writer operations.
    pub op: usize,
    /// The function, e.g. `native_pte_clear(ptep)`; empty for a flush,
    /// whose one line is the call itself.
    pub call: String,
    /// What the operation does, e.g. `zap: low, then high (present bit first)`.
    pub summary: String,
    /// The kernel function the operation stands for, if any.
    pub source: Option<&'static SourceRef>,
    pub lines: Vec<Line>,
}

fn line(code: impl Into<String>, comment: Option<String>, kind: LineKind, depth: u8) -> Line {
    Line { code: code.into(), comment, kind, depth, source: None }
}

/// The source of an operation: its function, or its flush mode's.
fn op_source(program: &Program, op: WriterOp) -> Option<&'static SourceRef> {
    let scenario = program.scenario();
    if op.is_flush() {
        sources::for_flush(scenario.flush).first().copied()
    } else {
        sources::for_writer_op(op, scenario.arch()).first().copied()
    }
}

/// The source of a writer barrier site's line: a writer option's own
/// functions, or the operation that has the site (or would, for Jason's
/// sketch). A reader's sites are in its kind's spec.
fn barrier_source(
    barrier: Barrier,
    around: Option<&'static SourceRef>,
) -> Option<&'static SourceRef> {
    let wraps = writer::OPTIONS.iter().flat_map(|option| option.begin.iter().chain(&option.end));
    wraps.into_iter().find(|wrap| wrap.site == barrier).map(|wrap| wrap.source).or(around)
}

/// An `smp_wmb()` line for a barrier site, marked with where it comes from
/// when that is not the kernel.
fn wmb_line(barrier: Barrier) -> Line {
    let origin = (!barrier.in_kernel()).then(|| barrier.origin().to_owned());
    line(format!("{};", barrier.call()), origin, LineKind::Barrier(barrier), 1)
}

/// The writer's program, one block per operation.
pub fn writer_blocks(program: &Program) -> Vec<Block> {
    let scenario = program.scenario();
    let mut blocks: Vec<Block> = Vec::with_capacity(scenario.writer.len());
    let mut established = 0;
    // Which half holds the present bit decides whether a write order sets
    // it first or last; the summaries say so for the scenario at hand.
    let present = if scenario.present_bit < 32 { Word::Low } else { Word::High };
    let mips_sh = scenario.arch() == Some(Arch::MipsSh);
    let present_note = |first: Word| {
        if first == present {
            "present bit first"
        } else {
            "present bit last"
        }
    };
    for (op_index, op) in scenario.writer.iter().enumerate() {
        let value_name = if op.is_establish() {
            established += 1;
            format!("P{established}")
        } else {
            "Z".to_owned()
        };
        let spec = op.spec();
        let summary = match (spec.stores, spec.summary_note) {
            (Stores::Halves([first, _]), None) => {
                format!("{} ({})", spec.summary, present_note(first))
            }
            (Stores::Halves([first, _]), Some(note)) => {
                format!("{} ({}; {note})", spec.summary, present_note(first))
            }
            _ => spec.summary.to_owned(),
        };
        let call = (spec.call)(&value_name);
        let source = op_source(program, *op);
        blocks.push(Block { op: op_index, call, summary, source, lines: Vec::new() });
    }
    for (index, access) in program.accesses().iter().enumerate() {
        let op = usize::from(access.op);
        let block = &mut blocks[op];
        let step = LineKind::Step(Step::Writer(index as u8));
        match access.kind {
            AccessKind::Store(word) if WriterOptionSpec::of_word(word).is_some() => {
                // write_seqcount_begin() makes seq odd, write_seqcount_end() even.
                let option = WriterOptionSpec::of_word(word).expect("matched");
                let stored = access.stored(word);
                let call = option.wrap_of(stored).map_or("", |wrap| wrap.call);
                block.lines.push(line(
                    format!("{} = {stored};", word.name()),
                    Some(format!("{call}: {}", option.purpose)),
                    step,
                    1,
                ));
            }
            AccessKind::Store(word) => block.lines.push(line(
                format!("{} = 0x{:08x};", word.c_access(), access.stored(word)),
                Some(format!("{}.{}", access.value_name, word.name())),
                step,
                1,
            )),
            AccessKind::StoreBoth => block.lines.push(line(
                format!("ptep->pte = {};", access.value),
                Some(format!("{}, one 64-bit atomic exchange (cmpxchg8b)", access.value_name)),
                step,
                1,
            )),
            // The mmu_gather's deferred flush, issued after the page-table
            // lock is dropped: by tlb_finish_mmu() on x86 (which selects
            // MMU_GATHER_MERGE_VMAS), already by tlb_end_vma() on MIPS and SH.
            AccessKind::Flush if mips_sh => block.lines.push(line(
                "tlb_end_vma(&tlb, vma);",
                Some(match scenario.flush {
                    FlushMode::Ipi => "IPIs, waits for readers with interrupts off".to_owned(),
                    FlushMode::Paravirt => "paravirt flush: does not wait for readers".to_owned(),
                    FlushMode::None => String::new(),
                }),
                step,
                1,
            )),
            AccessKind::Flush => block.lines.push(line(
                "tlb_finish_mmu(&tlb);",
                Some(match scenario.flush {
                    FlushMode::Ipi => {
                        "flush_tlb_mm_range(): IPIs, waits for readers with interrupts off"
                            .to_owned()
                    }
                    FlushMode::Paravirt => {
                        "paravirt flush (hypercall, or KVM skipping a preempted vCPU): \
                         does not wait for readers"
                            .to_owned()
                    }
                    FlushMode::None => String::new(),
                }),
                step,
                1,
            )),
        }
        for barrier in access.wmbs_after() {
            block.lines.push(wmb_line(barrier));
        }
    }
    let initial = program.initial();
    for block in &mut blocks {
        for line in &mut block.lines {
            line.source = match line.kind {
                LineKind::Step(step) => {
                    sources::for_step(program, &initial, step).first().copied().or(block.source)
                }
                LineKind::Barrier(barrier) => barrier_source(barrier, block.source),
                LineKind::Plain => block.source,
            };
        }
        if scenario.writer[block.op].is_flush() && block.lines.is_empty() {
            block.lines.push(line(
                "/* no flush here */",
                Some("TLB flush mode: none (skipped)".to_owned()),
                LineKind::Plain,
                1,
            ));
            block.lines[0].source = block.source;
        }
    }
    blocks
}

/// What the reader column says it runs, above its code.
pub fn reader_call(kind: ReaderKind) -> (&'static str, &'static str) {
    kind.spec().call
}

/// A reader's program, as its kind's spec writes it: one line per step, a
/// `retry:` label before each loop, each `smp_rmb()` site in place.
pub fn reader_lines(program: &Program, reader: u8) -> Vec<Line> {
    let compiled = program.reader_program(reader);
    let spec = compiled.kind.spec();
    let mut lines = Vec::new();
    for (block, steps) in compiled.blocks.iter().zip(spec.blocks) {
        let depth = if block.is_loop() {
            // The loop is the function its first step stands for.
            let mut label = line("retry:", None, LineKind::Plain, 0);
            label.source = steps.first().and_then(|step| step.source);
            lines.push(label);
            1
        } else {
            0
        };
        for step in steps.iter() {
            let kind = LineKind::Step(Step::Reader { reader, action: step.item.action });
            let mut step_line = line(step.code, step.comment.map(str::to_owned), kind, depth);
            step_line.source = step.source;
            lines.push(step_line);
            if let Some(barrier) = step.item.rmb_after {
                let origin = (!barrier.in_kernel()).then(|| barrier.origin().to_owned());
                let mut barrier_line =
                    line(format!("{};", barrier.call()), origin, LineKind::Barrier(barrier), depth);
                barrier_line.source = step.rmb_source;
                lines.push(barrier_line);
            }
        }
    }
    let (comment, source) = spec.returns;
    let mut last = line("return (r1 << 32) | r0;", Some(comment.to_owned()), LineKind::Plain, 0);
    last.source = source;
    lines.push(last);
    lines
}

/// The register columns of a table of the readers' registers: every
/// register some reader has, each kind's in the order its code loads them
/// (`s` before the loop's, `s2` after them, GUP-fast's `q0`, `q1` after the
/// loop's). Kinds are merged in [`ReaderKind::ALL`] order: a register new
/// to the columns goes before the first one already there that follows it
/// in its kind's list, or last.
pub fn register_columns(program: &Program) -> Vec<Register> {
    let mut columns: Vec<Register> = Vec::new();
    for kind in ReaderKind::ALL {
        if !(0..program.readers()).any(|reader| program.reader_kind(reader) == kind) {
            continue;
        }
        let registers = kind.spec().registers;
        for (index, register) in registers.iter().enumerate() {
            if columns.contains(register) {
                continue;
            }
            let before = registers[index + 1..]
                .iter()
                .find_map(|later| columns.iter().position(|column| column == later));
            columns.insert(before.unwrap_or(columns.len()), *register);
        }
    }
    columns
}

/// Has this step's line already run in `state` (in the current iteration,
/// for a reader's loads)?
pub fn is_done(program: &Program, state: &State, step: Step) -> bool {
    match step {
        Step::Drain => program.buffered(state).next().is_none(),
        // The core says when a step has already happened.
        step => program.check(state, step) == Err(Blocked::AlreadyDone),
    }
}

#[cfg(test)]
mod tests {
    use crate::{catalog, ReaderAction, Scenario};

    use super::*;

    fn codes(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|line| line.code.as_str()).collect()
    }

    #[test]
    fn the_kernel_writer_reads_like_the_kernel() {
        let program = Program::new(Scenario::kernel()).unwrap();
        let blocks = writer_blocks(&program);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].call, "native_pte_clear(mm, addr, ptep)");
        assert_eq!(blocks[0].summary, "zap: low, then high (present bit first)");
        assert_eq!(blocks[2].summary, "install: high, then low (present bit last)");
        assert_eq!(
            codes(&blocks[0].lines),
            [
                "ptep->pte_low = 0x00000000;",
                "smp_wmb();",
                "ptep->pte_high = 0x00000000;",
                "smp_wmb();"
            ]
        );
        assert_eq!(blocks[0].lines[0].kind, LineKind::Step(Step::Writer(0)));
        assert_eq!(blocks[0].lines[1].kind, LineKind::Barrier(Barrier::ZapWmb1));
        assert_eq!(blocks[1].lines[0].kind, LineKind::Step(Step::Writer(2)));
        assert_eq!(blocks[2].call, "set_pte(ptep, P1)");
        assert_eq!(blocks[2].lines[0].code, "ptep->pte_high = 0x00000003;");
        assert_eq!(blocks[2].lines[3].kind, LineKind::Barrier(Barrier::EstablishWmb2));
        assert_eq!(blocks[1].lines[0].code, "tlb_finish_mmu(&tlb);");
    }

    #[test]
    fn only_the_trailing_wmbs_are_marked_as_jasons_sketch() {
        let program = Program::new(Scenario::kernel()).unwrap();
        let blocks = writer_blocks(&program);
        let marked: Vec<(Barrier, Option<&str>)> = blocks
            .iter()
            .flat_map(|block| &block.lines)
            .filter_map(|line| match line.kind {
                LineKind::Barrier(barrier) => Some((barrier, line.comment.as_deref())),
                _ => None,
            })
            .collect();
        let sketch = Some("Jason's sketch, not in the kernel");
        assert_eq!(
            marked,
            [
                (Barrier::ZapWmb1, None),
                (Barrier::ZapWmb2, sketch),
                (Barrier::EstablishWmb1, None),
                (Barrier::EstablishWmb2, sketch),
            ]
        );
    }

    #[test]
    fn the_summaries_follow_the_present_bit() {
        let summaries = |id: &str| {
            let program = Program::new(catalog::find(id).unwrap().scenario()).unwrap();
            writer_blocks(&program).into_iter().map(|block| block.summary).collect::<Vec<_>>()
        };
        // The x86 orders with the present bit in high: the zap clears it last.
        assert_eq!(
            summaries("present-high-x86-order"),
            [
                "zap: low, then high (present bit last)",
                "TLB flush",
                "install: high, then low (present bit first)"
            ]
        );
        let mirrored = summaries("present-high-mirrored");
        assert_eq!(
            mirrored[0],
            "zap: pte_clear(), an empty entry via set_pte(), high, then low (present bit first; \
             MIPS/SH)"
        );
        assert!(mirrored[2].contains("hypothetical"), "{}", mirrored[2]);
        assert_eq!(
            summaries("mips-sh")[0],
            "zap: pte_clear(), an empty entry via set_pte(), high, then low (present bit last; \
             MIPS/SH)"
        );
    }

    #[test]
    fn a_skipped_flush_and_an_atomic_zap_have_their_own_lines() {
        let program =
            Program::new(catalog::find("atomic-zap-same-low").unwrap().scenario()).unwrap();
        let blocks = writer_blocks(&program);
        assert_eq!(codes(&blocks[0].lines), ["ptep->pte = 0x0000000000000000;"]);
        assert_eq!(blocks[1].lines[0].kind, LineKind::Plain);
        assert_eq!(blocks[2].lines[0].kind, LineKind::Step(Step::Writer(1)));
    }

    #[test]
    fn the_reader_is_ptep_get_lockless() {
        let mut scenario = Scenario::kernel();
        scenario.readers = 2;
        let program = Program::new(scenario).unwrap();
        let lines = reader_lines(&program, 1);
        assert_eq!(lines.iter().filter(|l| l.code == "smp_rmb();").count(), 2);
        assert_eq!(lines[0].code, "local_irq_save(flags);");
        assert_eq!(lines[1].code, "retry:");
        assert_eq!(
            lines[2].kind,
            LineKind::Step(Step::Reader { reader: 1, action: ReaderAction::Load(Register::R0) })
        );
        assert_eq!(lines[8].code, "local_irq_restore(flags);");
    }

    #[test]
    fn each_reader_kind_reads_like_its_code() {
        let codes_of = |kind: ReaderKind| {
            let mut scenario = Scenario::kernel();
            scenario.set_reader_kind(0, kind);
            let program = Program::new(scenario).unwrap();
            reader_lines(&program, 0).into_iter().map(|line| line.code).collect::<Vec<_>>()
        };
        assert_eq!(
            codes_of(ReaderKind::Atomic64),
            ["r1:r0 = atomic_load64(ptep);", "return (r1 << 32) | r0;"]
        );
        let gup = codes_of(ReaderKind::GupFast);
        assert!(gup.contains(&"folio = try_grab_folio(page, 1, flags);".to_owned()));
        assert!(gup.iter().any(|code| code.contains("back off")));
        let seq = codes_of(ReaderKind::Seqcount);
        assert_eq!(
            seq[..9],
            [
                "local_irq_save(flags);",
                "retry:",
                "s = seq;",
                "if (s & 1) goto retry;",
                "smp_rmb();",
                "r0 = ptep->pte_low;",
                "r1 = ptep->pte_high;",
                "smp_rmb();",
                "s2 = seq;",
            ]
        );
    }

    #[test]
    fn the_sequence_counter_writer_wraps_each_update() {
        let mut scenario = Scenario::kernel();
        scenario.seqcount = true;
        let program = Program::new(scenario).unwrap();
        let blocks = writer_blocks(&program);
        assert_eq!(
            codes(&blocks[0].lines),
            [
                "seq = 1;",
                "smp_wmb();",
                "ptep->pte_low = 0x00000000;",
                "smp_wmb();",
                "ptep->pte_high = 0x00000000;",
                "smp_wmb();",
                "smp_wmb();",
                "seq = 2;"
            ]
        );
        assert_eq!(blocks[0].lines[1].kind, LineKind::Barrier(Barrier::SeqWmbBegin));
        assert_eq!(blocks[0].lines[6].kind, LineKind::Barrier(Barrier::SeqWmbEnd));
    }

    #[test]
    fn the_register_columns_follow_the_code_of_the_kinds_present() {
        let columns = |kinds: &[ReaderKind]| {
            let mut scenario = Scenario::kernel();
            scenario.readers = kinds.len() as u8;
            for (reader, kind) in kinds.iter().enumerate() {
                scenario.set_reader_kind(reader as u8, *kind);
            }
            let program = Program::new(scenario).unwrap();
            register_columns(&program).into_iter().map(Register::name).collect::<Vec<_>>()
        };
        use ReaderKind::{Atomic64, GupFast, Lockless, Seqcount};
        assert_eq!(columns(&[Lockless]), ["r0", "r1", "r2"]);
        assert_eq!(columns(&[Seqcount]), ["s", "r0", "r1", "s2"]);
        assert_eq!(columns(&[Atomic64, Seqcount]), ["s", "r0", "r1", "s2"]);
        assert_eq!(columns(&[Seqcount, Lockless]), ["s", "r0", "r1", "r2", "s2"]);
        assert_eq!(
            columns(&[Seqcount, GupFast, Atomic64, Lockless]),
            ["s", "r0", "r1", "r2", "q0", "q1", "s2"]
        );
    }
}
