//! The compiler as part of the model (`../shared/spec/COMPILER.md`): the
//! ways a compiler may compile the scenario's functions before the program
//! runs under the memory model.
//!
//! A *region* of a thread ends at every compiler barrier: an enabled
//! `smp_wmb()` / `smp_rmb()` site, `irq_off` / `irq_on`, the flush, GUP-fast's
//! `grab`, every test, and the boundary between two writer operations. Inside
//! a region, for two accesses A before B, the compiler may perform B before A
//! when they touch different words and at least one is plain (*reorder*), and
//! a plain load B of the word A loads may take A's value (*merge*). Nothing
//! else. Every call of one writer operation kind and every attempt of every
//! reader of one kind run the same compiled code, so a [`CompiledForm`] is
//! one choice per writer operation kind and one per reader kind, and the
//! outcomes of a scenario are the union over its forms (the explorer
//! explores each and unions them).
//!
//! A compiled program keeps its barrier sites where the source has them
//! (after the same position, not the same access): an enabled site ends a
//! region, so nothing moves across it; a disabled one is no boundary. A
//! merged load becomes [`Effect::Merged`], a copy of the earlier register;
//! where it sits in its region changes nothing (it touches no memory), so it
//! is placed right after the load it reuses.

use crate::access::{AccessKind, WriterAccess};
use crate::readers::{Effect, Item};
use crate::scenario::{Barriers, ReaderKind, Scenario, WriterOp};
use crate::words::Word;

/// One way of compiling a scenario's functions: for each writer operation
/// kind the order of its accesses, for each reader kind its blocks' items.
/// Form 0 of every scenario is the program as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CompiledForm {
    /// Per writer operation kind present: the order in which the
    /// operation's accesses (by their position in the operation as written)
    /// are performed.
    pub writer: Vec<(WriterOp, Vec<u8>)>,
    /// Per reader kind present: its blocks' items as compiled.
    pub readers: Vec<(ReaderKind, Vec<Vec<Item>>)>,
}

impl CompiledForm {
    /// The writer operation kind `op`'s order of its own accesses, if the
    /// compiler changed it.
    pub fn writer_order(&self, op: WriterOp) -> Option<&[u8]> {
        self.writer.iter().find(|(kind, _)| *kind == op).map(|(_, order)| order.as_slice())
    }

    /// Reader kind `kind`'s compiled blocks, if this form has them.
    pub fn reader_blocks(&self, kind: ReaderKind) -> Option<&[Vec<Item>]> {
        self.readers.iter().find(|(k, _)| *k == kind).map(|(_, blocks)| blocks.as_slice())
    }
}

/// Is a writer access marked? `WRITE_ONCE()` stores of the PTE when the
/// scenario says so; the atomic zap and the flush always; the counters'
/// bumps never (`do_raw_write_seqcount_begin()` increments `sequence`
/// plainly, KVM's `count_spte_clear()` `sp->clear_spte_count`).
/// The litmus export writes each store as this says.
pub(crate) fn writer_marked(scenario: &Scenario, access: &WriterAccess) -> bool {
    match access.kind {
        AccessKind::Store(Word::Seq | Word::Count) => false,
        AccessKind::Store(_) => scenario.marked_writer,
        AccessKind::StoreBoth | AccessKind::Flush => true,
    }
}

/// Is a reader's load marked? The PTE loads are `READ_ONCE()` when the
/// scenario says so; the sequence counter's loads always
/// (`read_seqcount_begin()` and `read_seqcount_retry()` read `sequence`
/// with `READ_ONCE()`); the halves of a kind whose code is one 64-bit
/// `READ_ONCE()` (`read_once64`) always; the walker's 64-bit load is
/// hardware.
fn reader_marked(scenario: &Scenario, kind: ReaderKind, item: &Item) -> bool {
    match item.effect {
        Effect::Load(register) => kind.spec().one_access || load_marked(scenario, register.word()),
        _ => true,
    }
}

/// May the compiler emit reader load `b` before load `a` (different words,
/// same region)? Unless both are marked; but the halves of one 64-bit
/// `READ_ONCE()` are one volatile access whose two 32-bit loads C puts in
/// no order, so they may swap although marked.
fn reader_may_swap(scenario: &Scenario, kind: ReaderKind, a: &Item, b: &Item) -> bool {
    kind.spec().one_access
        || !(reader_marked(scenario, kind, a) && reader_marked(scenario, kind, b))
}

/// Is a reader's load of `word` marked ([`reader_marked`]'s rule for
/// loads; the litmus export writes each load as this says). KVM's
/// `__get_spte_lockless()` reads `sp->clear_spte_count` plainly, whatever
/// the PTE loads are.
pub(crate) fn load_marked(scenario: &Scenario, word: Word) -> bool {
    match word {
        Word::Seq => true,
        Word::Count => false,
        Word::Low | Word::High => scenario.marked_reader,
    }
}

/// Every order of `0..count` that keeps `i` before `j` whenever
/// `keep(i, j)` (for `i < j`), the identity first.
fn orders(count: usize, keep: &dyn Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
    fn extend(
        count: usize,
        keep: &dyn Fn(usize, usize) -> bool,
        prefix: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if prefix.len() == count {
            out.push(prefix.clone());
            return;
        }
        for next in 0..count {
            if prefix.contains(&next) {
                continue;
            }
            // Everything `next` must follow is placed already.
            if (0..next).all(|earlier| !keep(earlier, next) || prefix.contains(&earlier)) {
                prefix.push(next);
                extend(count, keep, prefix, out);
                prefix.pop();
            }
        }
    }
    let mut out = Vec::new();
    extend(count, keep, &mut Vec::with_capacity(count), &mut out);
    out
}

/// The regions of a list of positions: split after each position `ends`
/// says ends one.
fn regions(count: usize, ends: &dyn Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for position in 0..count {
        if ends(position) || position + 1 == count {
            out.push(start..position + 1);
            start = position + 1;
        }
    }
    out
}

/// The orders a writer operation's accesses may be compiled to, the
/// identity first. `own`: the operation's accesses as written.
pub(crate) fn writer_op_orders(
    scenario: &Scenario,
    barriers: Barriers,
    own: &[WriterAccess],
) -> Vec<Vec<u8>> {
    let ends = |position: usize| {
        let access = &own[position];
        let next_is_flush = own.get(position + 1).is_some_and(|next| !next.is_store());
        !access.is_store() || next_is_flush || access.wmbs_after().any(|site| barriers.is_on(site))
    };
    let mut result: Vec<Vec<u8>> = vec![Vec::new()];
    for region in regions(own.len(), &ends) {
        let accesses = &own[region.clone()];
        let keep = |a: usize, b: usize| {
            accesses[a].shares_word(&accesses[b])
                || (writer_marked(scenario, &accesses[a]) && writer_marked(scenario, &accesses[b]))
        };
        let choices = orders(accesses.len(), &keep);
        result = result
            .iter()
            .flat_map(|prefix| {
                choices.iter().map(move |choice| {
                    let mut order = prefix.clone();
                    order.extend(choice.iter().map(|i| (region.start + i) as u8));
                    order
                })
            })
            .collect();
    }
    result
}

/// The ways a block of a reader kind may be compiled, as written first.
fn block_forms(
    scenario: &Scenario,
    kind: ReaderKind,
    barriers: Barriers,
    items: &[Item],
) -> Vec<Vec<Item>> {
    let is_load = |item: &Item| matches!(item.effect, Effect::Load(_));
    let ends = |position: usize| {
        let item = &items[position];
        !is_load(item)
            || items.get(position + 1).is_some_and(|next| !is_load(next))
            || item.rmb_after.is_some_and(|site| barriers.is_on(site))
    };
    let mut forms: Vec<Vec<Item>> = vec![Vec::new()];
    for region in regions(items.len(), &ends) {
        let region_items = &items[region.clone()];
        let word = |i: usize| match region_items[i].effect {
            Effect::Load(register) => Some(register.word()),
            _ => None,
        };
        // Merges: each plain load may reuse one earlier unmerged load of its
        // word in the region, or load; the choices as written first.
        let mut merges: Vec<Vec<Option<usize>>> = vec![Vec::new()];
        for (later, item) in region_items.iter().enumerate() {
            let mut options = vec![None];
            if word(later).is_some() && !reader_marked(scenario, kind, item) {
                options
                    .extend((0..later).filter(|&earlier| word(earlier) == word(later)).map(Some));
            }
            merges = merges
                .iter()
                .flat_map(|prefix| {
                    options.iter().filter_map(move |option| {
                        // A load that reuses a merged one reuses its source:
                        // the same form; keep the direct one only.
                        if option.is_some_and(|earlier| prefix[earlier].is_some()) {
                            return None;
                        }
                        let mut choice = prefix.clone();
                        choice.push(*option);
                        Some(choice)
                    })
                })
                .collect();
        }
        let mut region_forms: Vec<Vec<Item>> = Vec::new();
        for merge in &merges {
            let kept: Vec<usize> =
                (0..region_items.len()).filter(|&i| merge[i].is_none()).collect();
            let keep = |a: usize, b: usize| {
                let (a, b) = (kept[a], kept[b]);
                word(a).is_none()
                    || word(b).is_none()
                    || word(a) == word(b)
                    || !reader_may_swap(scenario, kind, &region_items[a], &region_items[b])
            };
            for order in orders(kept.len(), &keep) {
                let mut compiled = Vec::with_capacity(region_items.len());
                for &position in &order {
                    let source = kept[position];
                    compiled.push(region_items[source]);
                    for (later, reuses) in merge.iter().enumerate() {
                        if *reuses == Some(source) {
                            let Effect::Load(into) = region_items[later].effect else { continue };
                            let Effect::Load(from) = region_items[source].effect else { continue };
                            compiled.push(Item {
                                effect: Effect::Merged { into, from },
                                ..region_items[later]
                            });
                        }
                    }
                }
                // Barrier sites stay at their positions.
                for (slot, item) in compiled.iter_mut().enumerate() {
                    item.rmb_after = region_items[slot].rmb_after;
                }
                if !region_forms.contains(&compiled) {
                    region_forms.push(compiled);
                }
            }
        }
        forms = forms
            .iter()
            .flat_map(|prefix| {
                region_forms.iter().map(move |choice| {
                    let mut block = prefix.clone();
                    block.extend(choice.iter().copied());
                    block
                })
            })
            .collect();
    }
    forms
}

/// The ways reader kind `kind` may be compiled, as written first.
fn reader_forms(scenario: &Scenario, kind: ReaderKind) -> Vec<Vec<Vec<Item>>> {
    let mut forms: Vec<Vec<Vec<Item>>> = vec![Vec::new()];
    for block in kind.spec().blocks {
        let items: Vec<Item> = block.iter().map(|step| step.item).collect();
        let choices = block_forms(scenario, kind, scenario.barriers, &items);
        forms = forms
            .iter()
            .flat_map(|prefix| {
                choices.iter().map(move |choice| {
                    let mut blocks = prefix.clone();
                    blocks.push(choice.clone());
                    blocks
                })
            })
            .collect();
    }
    forms
}

/// The compiled forms the explorer searches, the program as written first:
/// that one alone with the compiler off, or under a model whose CPU already
/// does whatever the compiler may ([`crate::model::ModelRules::subsumes_compiler`]),
/// else [`every_compiled_form`].
pub fn compiled_forms(
    scenario: &Scenario,
    writer_ops: &[(WriterOp, Vec<WriterAccess>)],
) -> Vec<CompiledForm> {
    let mut forms = every_compiled_form(scenario, writer_ops);
    if scenario.model.rules().subsumes_compiler() {
        forms.truncate(1);
    }
    forms
}

/// Every compiled form of a scenario by the rules of `COMPILER.md`, the
/// program as written first; with the compiler off, that one alone.
pub fn every_compiled_form(
    scenario: &Scenario,
    writer_ops: &[(WriterOp, Vec<WriterAccess>)],
) -> Vec<CompiledForm> {
    let as_written = || CompiledForm {
        writer: writer_ops.iter().map(|(op, own)| (*op, (0..own.len() as u8).collect())).collect(),
        readers: reader_kinds(scenario)
            .into_iter()
            .map(|kind| {
                let blocks =
                    kind.spec().blocks.iter().map(|b| b.iter().map(|s| s.item).collect()).collect();
                (kind, blocks)
            })
            .collect(),
    };
    if !scenario.compiler {
        return vec![as_written()];
    }
    let mut forms = vec![CompiledForm { writer: Vec::new(), readers: Vec::new() }];
    for (op, own) in writer_ops {
        let choices = writer_op_orders(scenario, scenario.barriers, own);
        forms = forms
            .iter()
            .flat_map(|form| {
                choices.iter().map(move |order| {
                    let mut form = form.clone();
                    form.writer.push((*op, order.clone()));
                    form
                })
            })
            .collect();
    }
    for kind in reader_kinds(scenario) {
        let choices = reader_forms(scenario, kind);
        forms = forms
            .iter()
            .flat_map(|form| {
                choices.iter().map(move |blocks| {
                    let mut form = form.clone();
                    form.readers.push((kind, blocks.clone()));
                    form
                })
            })
            .collect();
    }
    forms
}

/// What the compiler did in `form`, one sentence per change, as a person
/// reads it on the code: "the compiler moved r1 ← high above r0 ← low
/// (plain loads, no barrier between)", "r2 ← low merged with r0: the check
/// compares r0 with itself". Empty for the program as written.
/// `writer_ops`: each writer operation kind's accesses as written.
pub fn describe(
    scenario: &Scenario,
    writer_ops: &[(WriterOp, Vec<WriterAccess>)],
    form: &CompiledForm,
) -> Vec<String> {
    let mut sentences = Vec::new();
    let plain_or_marked = |a: bool, b: bool, what: &str, marked: &str| match (a, b) {
        (false, false) => format!("plain {what}s"),
        _ => format!("a plain {what} and a {marked}"),
    };
    for (op, own) in writer_ops {
        let Some(order) = form.writer_order(*op) else { continue };
        let store = |access: &WriterAccess| match access.kind {
            AccessKind::Store(word) => format!("the store to {}", word.name()),
            AccessKind::StoreBoth => "the 64-bit store".to_owned(),
            AccessKind::Flush => "the flush".to_owned(),
        };
        for (slot, &later) in order.iter().enumerate() {
            for &earlier in &order[slot + 1..] {
                if earlier < later {
                    let (a, b) = (&own[usize::from(earlier)], &own[usize::from(later)]);
                    sentences.push(format!(
                        "the compiler moved {} above {} in every {} ({}, no barrier between)",
                        store(b),
                        store(a),
                        op.id(),
                        plain_or_marked(
                            writer_marked(scenario, a),
                            writer_marked(scenario, b),
                            "store",
                            "WRITE_ONCE()"
                        ),
                    ));
                }
            }
        }
    }
    let several_kinds = form.readers.len() > 1;
    for (kind, blocks) in &form.readers {
        let prefix = if several_kinds { format!("{}: ", kind.label()) } else { String::new() };
        for (compiled, written) in blocks.iter().zip(kind.spec().blocks) {
            let written: Vec<Item> = written.iter().map(|step| step.item).collect();
            let load = |register: crate::words::Register| {
                format!("{} ← {}", register.name(), register.word().name())
            };
            // Where each written load is performed (merged ones are not).
            let place =
                |register| compiled.iter().position(|item| item.effect == Effect::Load(register));
            for (i, a) in written.iter().enumerate() {
                let Effect::Load(first) = a.effect else { continue };
                for b in &written[i + 1..] {
                    let Effect::Load(second) = b.effect else { continue };
                    if let (Some(at_a), Some(at_b)) = (place(first), place(second)) {
                        if at_b < at_a {
                            sentences.push(format!(
                                "{prefix}the compiler moved {} above {} ({}, no barrier between)",
                                load(second),
                                load(first),
                                if kind.spec().one_access {
                                    "the two halves of one READ_ONCE()".to_owned()
                                } else {
                                    plain_or_marked(
                                        reader_marked(scenario, *kind, a),
                                        reader_marked(scenario, *kind, b),
                                        "load",
                                        "READ_ONCE()",
                                    )
                                },
                            ));
                        }
                    }
                }
            }
            for item in compiled {
                if let Effect::Merged { into, from } = item.effect {
                    sentences.push(format!(
                        "{prefix}{} merged with {}: the check compares {} with itself",
                        load(into),
                        from.name(),
                        from.name()
                    ));
                }
            }
        }
    }
    sentences
}

/// The reader kinds present, each once, in reader order.
fn reader_kinds(scenario: &Scenario) -> Vec<ReaderKind> {
    let mut kinds = Vec::new();
    for reader in 0..scenario.readers {
        let kind = scenario.reader_kind(reader);
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_keep_what_must_stay_and_start_as_written() {
        let all = orders(3, &|_, _| false);
        assert_eq!(all.len(), 6);
        assert_eq!(all[0], [0, 1, 2]);
        // 0 before 2 (the same word): three orders.
        let kept = orders(3, &|a, b| (a, b) == (0, 2));
        assert_eq!(kept, [vec![0, 1, 2], vec![0, 2, 1], vec![1, 0, 2]]);
    }
}
