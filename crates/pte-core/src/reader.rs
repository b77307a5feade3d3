//! Reader kinds compiled into programs (`../shared/spec/READERS.md`).
//!
//! A reader's program is a list of *blocks*. Blocks run one after the other;
//! inside a block, under the weak model, an item may be performed before an
//! earlier one unless it waits for it (same word, an enabled `smp_rmb()`
//! between them, or the block's final test, which waits for everything in
//! its block). A failed test that retries starts its block again from
//! scratch. A kind is data: the transition relation only interprets items.

use crate::program::{Order, Register, Word};
use crate::scenario::{Barrier, Barriers, MemoryModel, ReaderKind, MAX_READERS};

/// A reader step's name: what trace files and permalinks write after `rN.`.
/// Which of them a reader has depends on its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReaderAction {
    /// `local_irq_save()`: from now on the reader holds off an IPI flush.
    IrqOff,
    /// One 32-bit load into a register.
    Load(Register),
    /// One single-copy-atomic 64-bit load of both halves into `r0`, `r1`.
    Load64,
    /// GUP-fast takes the page reference: a value-returning atomic, a full
    /// ordering point.
    Grab,
    /// The sequence counter's `if (s & 1) goto retry`.
    OddCheck,
    /// The loop's check (`r0 = r2`, or `s2 = s` for the sequence counter).
    Check,
    /// GUP-fast's re-check of the entry after taking the reference.
    Recheck,
    /// `local_irq_restore()`.
    IrqOn,
}

impl ReaderAction {
    /// The id after `rN.` in a step id.
    pub fn id(self) -> &'static str {
        match self {
            ReaderAction::IrqOff => "off",
            ReaderAction::Load(register) => register.name(),
            ReaderAction::Load64 => "ld64",
            ReaderAction::Grab => "grab",
            ReaderAction::OddCheck => "odd",
            ReaderAction::Check => "chk",
            ReaderAction::Recheck => "rechk",
            ReaderAction::IrqOn => "on",
        }
    }

    /// The action's position in [`ReaderAction::ALL`].
    fn index(self) -> usize {
        match self {
            ReaderAction::IrqOff => 0,
            ReaderAction::Load(Register::R0) => 1,
            ReaderAction::Load(Register::R1) => 2,
            ReaderAction::Load(Register::R2) => 3,
            ReaderAction::Load(Register::Q0) => 4,
            ReaderAction::Load(Register::Q1) => 5,
            ReaderAction::Load(Register::S) => 6,
            ReaderAction::Load(Register::S2) => 7,
            ReaderAction::Load64 => 8,
            ReaderAction::Grab => 9,
            ReaderAction::OddCheck => 10,
            ReaderAction::Check => 11,
            ReaderAction::Recheck => 12,
            ReaderAction::IrqOn => 13,
        }
    }

    /// Every action, for parsing ids.
    pub const ALL: [ReaderAction; 14] = [
        ReaderAction::IrqOff,
        ReaderAction::Load(Register::R0),
        ReaderAction::Load(Register::R1),
        ReaderAction::Load(Register::R2),
        ReaderAction::Load(Register::Q0),
        ReaderAction::Load(Register::Q1),
        ReaderAction::Load(Register::S),
        ReaderAction::Load(Register::S2),
        ReaderAction::Load64,
        ReaderAction::Grab,
        ReaderAction::OddCheck,
        ReaderAction::Check,
        ReaderAction::Recheck,
        ReaderAction::IrqOn,
    ];
}

/// What a test compares (by value, never by provenance).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Test {
    /// `r0 = r2`: low did not change while high was read.
    LowUnchanged,
    /// `s` is even: no writer was inside its write section.
    SeqEven,
    /// `s2 = s`: no writer section began or ended meanwhile.
    SeqUnchanged,
    /// `(q0, q1) = (r0, r1)`: the entry still holds the value read.
    StillTheSame,
}

/// What a failed test does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OnFail {
    /// Start the block again (`goto retry`).
    Retry,
    /// Give the read up: GUP-fast drops the reference and falls back to the
    /// slow path. The read completes as backed off.
    BackOff,
}

/// What an item does when it is performed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    IrqOff,
    IrqOn,
    Grab,
    Load(Register),
    /// Loads `r0 ← low`, `r1 ← high` at one instant and completes the read.
    Load64,
    /// Passes on to the next item, or fails. `completes`: passing completes
    /// the read, returning `(r0, r1)`.
    Test {
        test: Test,
        on_fail: OnFail,
        completes: bool,
    },
}

/// One step of a reader's program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Item {
    pub action: ReaderAction,
    pub effect: Effect,
    /// The `smp_rmb()` site right after this item, switched on or off.
    pub rmb_after: Option<Barrier>,
}

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
    locations: [Option<(u8, u8)>; 14],
    /// Per word (by [`Word`] index): the last block that loads it, if any.
    /// A reader past that block never reads the word again.
    last_load_block: [Option<u8>; 3],
}

const LOCKLESS_REGISTERS: &[Register] = &[Register::R0, Register::R1, Register::R2];
const GUP_REGISTERS: &[Register] =
    &[Register::R0, Register::R1, Register::R2, Register::Q0, Register::Q1];
const ATOMIC_REGISTERS: &[Register] = &[Register::R0, Register::R1];
const SEQ_REGISTERS: &[Register] = &[Register::S, Register::R0, Register::R1, Register::S2];

/// Most registers any kind has (the size of a reader's register file).
pub const MAX_REGISTERS: usize = 5;

fn item(action: ReaderAction, effect: Effect, rmb_after: Option<Barrier>) -> Item {
    Item { action, effect, rmb_after }
}

fn single(action: ReaderAction, effect: Effect) -> Vec<Item> {
    vec![item(action, effect, None)]
}

fn load(register: Register, rmb_after: Option<Barrier>) -> Item {
    item(ReaderAction::Load(register), Effect::Load(register), rmb_after)
}

fn test(action: ReaderAction, test: Test, on_fail: OnFail, completes: bool) -> Item {
    item(action, Effect::Test { test, on_fail, completes }, None)
}

/// `ptep_get_lockless()`'s loop; `completes` is false inside GUP-fast, where
/// the re-check completes the read.
fn lockless_loop(completes: bool) -> Vec<Item> {
    vec![
        load(Register::R0, Some(Barrier::ReaderRmb1)),
        load(Register::R1, Some(Barrier::ReaderRmb2)),
        load(Register::R2, None),
        test(ReaderAction::Check, Test::LowUnchanged, OnFail::Retry, completes),
    ]
}

impl ReaderProgram {
    pub fn new(kind: ReaderKind, model: MemoryModel, barriers: Barriers) -> ReaderProgram {
        use ReaderAction as A;
        let irq_off = || single(A::IrqOff, Effect::IrqOff);
        let irq_on = || single(A::IrqOn, Effect::IrqOn);
        let (items, registers): (Vec<Vec<Item>>, _) = match kind {
            ReaderKind::Lockless => {
                (vec![irq_off(), lockless_loop(true), irq_on()], LOCKLESS_REGISTERS)
            }
            ReaderKind::GupFast => (
                vec![
                    irq_off(),
                    lockless_loop(false),
                    single(A::Grab, Effect::Grab),
                    vec![
                        load(Register::Q0, None),
                        load(Register::Q1, None),
                        test(A::Recheck, Test::StillTheSame, OnFail::BackOff, true),
                    ],
                    irq_on(),
                ],
                GUP_REGISTERS,
            ),
            ReaderKind::Atomic64 => (vec![single(A::Load64, Effect::Load64)], ATOMIC_REGISTERS),
            ReaderKind::Seqcount => (
                vec![
                    irq_off(),
                    vec![
                        load(Register::S, None),
                        item(
                            A::OddCheck,
                            Effect::Test {
                                test: Test::SeqEven,
                                on_fail: OnFail::Retry,
                                completes: false,
                            },
                            Some(Barrier::SeqRmbBegin),
                        ),
                        load(Register::R0, None),
                        load(Register::R1, Some(Barrier::SeqRmbRetry)),
                        load(Register::S2, None),
                        test(A::Check, Test::SeqUnchanged, OnFail::Retry, true),
                    ],
                    irq_on(),
                ],
                SEQ_REGISTERS,
            ),
        };
        let blocks: Vec<Block> = items
            .into_iter()
            .map(|items| {
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
        let completes_in = blocks
            .iter()
            .position(|block| {
                block.items.iter().any(|i| {
                    matches!(i.effect, Effect::Load64 | Effect::Test { completes: true, .. })
                })
            })
            .expect("every kind completes a read") as u8;
        let mut locations = [None; 14];
        for (b, block) in blocks.iter().enumerate() {
            for (i, item) in block.items.iter().enumerate() {
                locations[item.action.index()] = Some((b as u8, i as u8));
            }
        }
        let mut last_load_block = [None; 3];
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
/// an enabled `smp_rmb()`. The sequence counter's odd test only waits for its
/// load of `s` (a branch orders no later load).
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
        Effect::Test { test: Test::SeqEven, .. } => {
            (a.effect == Effect::Load(Register::S)).then_some(Order::SameWord)
        }
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
    pub(crate) fn new(kinds: &[ReaderKind], model: MemoryModel, barriers: Barriers) -> Readers {
        let mut programs: Vec<ReaderProgram> = Vec::new();
        let mut of = [0u8; MAX_READERS];
        let mut groups: Vec<Vec<u8>> = Vec::new();
        for (reader, kind) in kinds.iter().enumerate() {
            let index = match programs.iter().position(|p| p.kind == *kind) {
                Some(index) => index,
                None => {
                    programs.push(ReaderProgram::new(*kind, model, barriers));
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
