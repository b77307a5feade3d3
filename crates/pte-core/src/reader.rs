//! Reader kinds' specs (`crate::readers`) compiled into programs for one
//! scenario's model and barriers (`../shared/spec/READERS.md`).
//!
//! A reader's program is a list of *blocks*. Blocks run one after the other;
//! inside a block, under the weak model, an item may be performed before an
//! earlier one unless it waits for it (same word, an enabled `smp_rmb()`
//! between them, or the block's final test, which waits for everything in
//! its block). A failed test that retries starts its block again from
//! scratch. A kind is data: the transition relation only interprets items.

use crate::compiler::CompiledForm;
use crate::readers::{Effect, Item, OnFail, ReaderAction, ReaderSpec};
use crate::scenario::{Barriers, MemoryModel, ReaderKind, MAX_READERS};
use crate::words::{Order, Register, Word};

/// Items that run in one go, possibly reordered under the weak model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub items: Vec<Item>,
    /// `waits[i]`: the mask of earlier items of this block item `i` waits for.
    waits: Vec<u8>,
}

impl Block {
    /// The mask with one bit per item.
    #[inline]
    pub fn full(&self) -> u8 {
        ((1u16 << self.items.len()) - 1) as u8
    }

    #[inline]
    pub(crate) fn waits(&self, item: usize) -> u8 {
        self.waits[item]
    }

    /// Does the block end with a test (a loop that may retry)?
    pub fn is_loop(&self) -> bool {
        self.items.iter().any(|item| matches!(item.effect, Effect::Test { .. }))
    }
}

/// A reader kind, compiled for one scenario's model and barriers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReaderProgram {
    pub kind: ReaderKind,
    pub blocks: Vec<Block>,
    /// The registers this kind has, in slot order.
    pub registers: &'static [Register],
    /// The block of `IrqOff` and of `IrqOn`, when the kind disables interrupts.
    irq_blocks: Option<(u8, u8)>,
    /// The block whose last item completes the read.
    completes_in: u8,
    /// Where each action sits (by [`ReaderAction`] index): looked up for
    /// every candidate step, so a table rather than a search.
    locations: [Option<(u8, u8)>; ReaderAction::COUNT],
    /// Per word (by [`Word`] index): the last block that loads it, if any.
    /// A reader past that block never reads the word again.
    last_load_block: [Option<u8>; Word::ALL.len()],
}

impl ReaderProgram {
    pub fn new(kind: ReaderKind, model: MemoryModel, barriers: Barriers) -> ReaderProgram {
        let spec: &ReaderSpec = kind.spec();
        let blocks: Vec<Vec<Item>> =
            spec.blocks.iter().map(|block| block.iter().map(|step| step.item).collect()).collect();
        ReaderProgram::compiled(kind, &blocks, model, barriers)
    }

    /// The kind compiled as `compiled` says (`crate::compiler`): its
    /// blocks' items, reordered or merged by the compiler.
    pub fn compiled(
        kind: ReaderKind,
        compiled: &[Vec<Item>],
        model: MemoryModel,
        barriers: Barriers,
    ) -> ReaderProgram {
        use ReaderAction as A;
        let spec: &ReaderSpec = kind.spec();
        let registers = spec.registers;
        let items = compiled.iter().cloned();
        let blocks: Vec<Block> = items
            .map(|items: Vec<Item>| {
                let waits = (0..items.len())
                    .map(|later| {
                        (0..later)
                            .filter(|&earlier| {
                                order(&items, earlier, later, model, barriers).is_some()
                            })
                            .fold(0u8, |mask, earlier| mask | (1 << earlier))
                    })
                    .collect();
                Block { items, waits }
            })
            .collect();
        let block_of = |action: ReaderAction| {
            blocks.iter().position(|block| block.items.iter().any(|i| i.action == action))
        };
        let irq_blocks =
            block_of(A::IrqOff).zip(block_of(A::IrqOn)).map(|(off, on)| (off as u8, on as u8));
        // The block with the item that completes the read, or (a kind that
        // returns right after its last load: `read_once64`) the last block
        // that loads.
        let completing = blocks.iter().position(|block| {
            block.items.iter().any(|i| {
                matches!(
                    i.effect,
                    Effect::Load64
                        | Effect::Test { completes: true, .. }
                        | Effect::Test { on_fail: OnFail::ReturnNone, .. }
                )
            })
        });
        let last_load = blocks
            .iter()
            .rposition(|block| block.items.iter().any(|i| matches!(i.effect, Effect::Load(_))));
        let completes_in = completing.or(last_load).expect("every kind completes a read") as u8;
        let mut locations = [None; ReaderAction::COUNT];
        for (b, block) in blocks.iter().enumerate() {
            for (i, item) in block.items.iter().enumerate() {
                locations[item.action.index()] = Some((b as u8, i as u8));
            }
        }
        let mut last_load_block = [None; Word::ALL.len()];
        for (b, block) in blocks.iter().enumerate() {
            for item in &block.items {
                let words: &[Word] = match item.effect {
                    Effect::Load(register) => &[register.word()],
                    Effect::Load64 => &[Word::Low, Word::High],
                    _ => &[],
                };
                for word in words {
                    last_load_block[word.index()] = Some(b as u8);
                }
            }
        }
        ReaderProgram {
            kind,
            blocks,
            registers,
            irq_blocks,
            completes_in,
            locations,
            last_load_block,
        }
    }

    /// The slot of `register` in this kind's register file.
    #[inline]
    pub fn slot(&self, register: Register) -> Option<usize> {
        self.registers.iter().position(|r| *r == register)
    }

    /// Where `action` sits: (block, item).
    #[inline]
    pub fn locate(&self, action: ReaderAction) -> Option<(usize, usize)> {
        self.locations[action.index()].map(|(b, i)| (usize::from(b), usize::from(i)))
    }

    /// The block whose last item completes the read.
    #[inline]
    pub fn completes_in(&self) -> usize {
        usize::from(self.completes_in)
    }

    /// Is a reader at `block` between `irq_off` and `irq_on`?
    pub fn interrupts_off_at(&self, block: usize) -> bool {
        self.irq_blocks
            .is_some_and(|(off, on)| block > usize::from(off) && block <= usize::from(on))
    }

    /// Does this kind disable interrupts at all?
    pub fn disables_interrupts(&self) -> bool {
        self.irq_blocks.is_some()
    }

    /// Can a reader at `block` still disable interrupts (is it at or before
    /// its `irq_off`)?
    pub(crate) fn may_disable_interrupts_at(&self, block: usize) -> bool {
        self.irq_blocks.is_some_and(|(off, _)| block <= usize::from(off))
    }

    /// Can a reader at `block` still load `word` (now or after a retry)?
    #[inline]
    pub(crate) fn may_load_at(&self, block: usize, word: Word) -> bool {
        self.last_load_block[word.index()].is_some_and(|last| block <= usize::from(last))
    }

    /// Why item `later` of `block` waits for item `earlier` of it, if it does.
    pub fn order(
        &self,
        block: usize,
        earlier: usize,
        later: usize,
        model: MemoryModel,
        barriers: Barriers,
    ) -> Option<Order> {
        order(&self.blocks[block].items, earlier, later, model, barriers)
    }
}

/// Why `items[later]` waits for `items[earlier]` in one block. Under SC and
/// TSO in program order; under the weak model: a test waits for everything
/// before it in its block (it reads the registers); a load waits for an
/// earlier load of the same word, and for every earlier load or test behind
/// an enabled `smp_rmb()`. A test before the block's last item (the sequence
/// counter's odd test) is a branch: it only waits for the loads of the
/// registers it compares, and orders no later load.
fn order(
    items: &[Item],
    earlier: usize,
    later: usize,
    model: MemoryModel,
    barriers: Barriers,
) -> Option<Order> {
    if earlier >= later {
        return None;
    }
    if model.rules().in_program_order {
        return Some(Order::ProgramOrder);
    }
    let (a, b) = (&items[earlier], &items[later]);
    match b.effect {
        // A test in the middle of its block is a branch: it waits for the
        // loads it compares and nothing else.
        Effect::Test { test, .. } if later + 1 < items.len() => match a.effect {
            Effect::Load(register) | Effect::Merged { into: register, .. }
                if test.reads().contains(&register) =>
            {
                Some(Order::SameWord)
            }
            _ => None,
        },
        // A merged load copies the register it reuses: it waits for that
        // load, and nothing else waits for it but a test.
        Effect::Merged { from, .. } => match a.effect {
            Effect::Load(register) if register == from => Some(Order::SameWord),
            _ => None,
        },
        // The block's last test waits for everything in its block.
        Effect::Test { .. } => Some(Order::Full),
        Effect::Load(register) => {
            // An rmb orders loads with loads; a test before it is a branch.
            let Effect::Load(earlier_register) = a.effect else { return None };
            if earlier_register.word() == register.word() {
                return Some(Order::SameWord);
            }
            items[earlier..later]
                .iter()
                .rev()
                .filter_map(|item| item.rmb_after)
                .find(|barrier| barriers.is_on(*barrier))
                .map(Order::Barrier)
        }
        _ => Some(Order::Full),
    }
}

/// The compiled programs of a scenario's readers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Readers {
    /// One program per kind present, indexed by [`ReaderKind`] position.
    programs: Vec<ReaderProgram>,
    /// `of[reader]`: index into `programs`.
    of: [u8; MAX_READERS],
    /// Readers grouped by kind, each group in ascending order: the explorer
    /// only renames readers within a group.
    pub(crate) groups: Vec<Vec<u8>>,
}

impl Readers {
    pub(crate) fn new(
        kinds: &[ReaderKind],
        model: MemoryModel,
        barriers: Barriers,
        form: &CompiledForm,
    ) -> Readers {
        let mut programs: Vec<ReaderProgram> = Vec::new();
        let mut of = [0u8; MAX_READERS];
        let mut groups: Vec<Vec<u8>> = Vec::new();
        for (reader, kind) in kinds.iter().enumerate() {
            let index = match programs.iter().position(|p| p.kind == *kind) {
                Some(index) => index,
                None => {
                    let program = match form.reader_blocks(*kind) {
                        Some(blocks) => ReaderProgram::compiled(*kind, blocks, model, barriers),
                        None => ReaderProgram::new(*kind, model, barriers),
                    };
                    programs.push(program);
                    groups.push(Vec::new());
                    programs.len() - 1
                }
            };
            of[reader] = index as u8;
            groups[index].push(reader as u8);
        }
        Readers { programs, of, groups }
    }

    #[inline]
    pub(crate) fn program(&self, reader: u8) -> &ReaderProgram {
        &self.programs[usize::from(self.of[usize::from(reader)])]
    }
}
