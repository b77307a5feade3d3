//! Reader kinds as specs (`../shared/spec/READERS.md`): each kind is one
//! file here holding its program (blocks of items and their barrier sites),
//! its code as the page shows it, the kernel source each line models, its
//! registers and its words. [`ReaderKind::spec`] is the one match on the
//! kind; everything else (the compiled [`crate::ReaderProgram`], the
//! listing, the source lookups, the front ends' words) reads the spec.
//!
//! The step vocabulary every kind draws from ([`ReaderAction`], [`Effect`],
//! [`Test`]) lives here too; the transition relation only interprets it.

pub mod atomic64;
pub mod gup_fast;
pub mod irq;
pub mod kvm_spte;
pub mod lockless;
pub mod pmd_read_atomic;
pub mod read_once64;
pub mod seqcount;

use crate::scenario::{Barrier, ReaderKind};
use crate::source_ref::SourceRef;
use crate::words::Register;

/// Where a reader is in its program (`Program::phase`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Phase {
    /// Has not taken its first step.
    #[default]
    Start,
    /// Reading: interrupts off (for the kinds that disable them), inside its
    /// loops.
    Loop,
    /// The read is complete (returned or backed off); interrupts are still off.
    Returned,
    /// The reader is finished.
    Done,
}

/// Most registers any kind has (the size of a reader's register file in
/// the machine's `State`; a spec test holds every kind to it).
pub const MAX_REGISTERS: usize = 5;

/// One reader kind: everything the core and the front ends know about it.
#[derive(Debug)]
pub struct ReaderSpec {
    /// The name used in files, URLs and CLI flags.
    pub id: &'static str,
    /// A short name for menus.
    pub label: &'static str,
    /// What it models, in a sentence.
    pub title: &'static str,
    /// What the reader column says it runs, above its code, and a comment.
    pub call: (&'static str, &'static str),
    /// The program: blocks run one after the other; each step with its line.
    pub blocks: &'static [&'static [StepSpec]],
    /// The registers this kind has, in slot order (at most
    /// [`MAX_REGISTERS`]).
    pub registers: &'static [Register],
    /// The comment on the listing's closing `return` line, and the kernel
    /// function it belongs to.
    pub returns: (&'static str, Option<&'static SourceRef>),
    /// Where the reader is while reading, for the CLI's state lines
    /// ("interrupts off, in the retry loop").
    pub reading: &'static str,
    /// What the CLI says once it is finished ("done, interrupts on").
    pub finished: &'static str,
    /// Its two loads are the halves of one C access (`READ_ONCE()` of the
    /// 64-bit entry): volatile, so marked, but C fixes no order between
    /// the halves, so the compiler may emit either first
    /// (`../shared/spec/COMPILER.md`).
    pub one_access: bool,
    /// The kind's code is built only for CPUs whose loads keep their
    /// order, in a sentence: the scenario warns when a model lets loads
    /// out of order ([`crate::Warning::BuiltForInOrderLoads`]).
    pub in_order_loads_only: Option<&'static str>,
}

/// One step of a kind's program and the line that shows it.
#[derive(Clone, Copy, Debug)]
pub struct StepSpec {
    pub item: Item,
    /// The C statement, as the kernel would write it.
    pub code: &'static str,
    /// A short comment after it.
    pub comment: Option<&'static str>,
    /// The kernel function the step stands for (none for hardware).
    pub source: Option<&'static SourceRef>,
    /// The kernel function of the `smp_rmb()` after it, if it has one.
    pub rmb_source: Option<&'static SourceRef>,
}

impl StepSpec {
    /// A step whose `smp_rmb()`, if any, belongs to the same function.
    pub const fn new(
        item: Item,
        code: &'static str,
        comment: Option<&'static str>,
        source: Option<&'static SourceRef>,
    ) -> StepSpec {
        StepSpec { item, code, comment, source, rmb_source: source }
    }
}

impl ReaderSpec {
    /// Every step of the program, in program order.
    pub fn steps(&self) -> impl Iterator<Item = &'static StepSpec> {
        self.blocks.iter().flat_map(|block| block.iter())
    }

    /// The step of `action`, if this kind has it.
    pub fn step(&self, action: ReaderAction) -> Option<&'static StepSpec> {
        self.steps().find(|step| step.item.action == action)
    }

    /// Every kernel function the kind cites, each once, in program order.
    pub fn sources(&self) -> Vec<&'static SourceRef> {
        let mut found: Vec<&'static SourceRef> = Vec::new();
        let cited = self.steps().flat_map(|step| [step.source, step.rmb_source]);
        for source in cited.chain([self.returns.1]).flatten() {
            if !found.contains(&source) {
                found.push(source);
            }
        }
        found
    }

    /// Does the program disable interrupts?
    pub fn disables_interrupts(&self) -> bool {
        self.steps().any(|step| step.item.effect == Effect::IrqOff)
    }

    /// Where a reader of this kind is, for the header of its column: with
    /// the interrupts for the kinds that disable them, and the attempt.
    pub fn status(&self, phase: Phase, retries: u8) -> String {
        match (phase, self.disables_interrupts()) {
            (Phase::Start, true) => "interrupts on, not started".to_owned(),
            (Phase::Start, false) => "not started".to_owned(),
            (Phase::Loop, true) => format!("interrupts off, attempt {}", u32::from(retries) + 1),
            (Phase::Loop, false) => "reading".to_owned(),
            (Phase::Returned, _) => "read complete, interrupts still off".to_owned(),
            (Phase::Done, _) => "finished".to_owned(),
        }
    }

    /// Where a reader of this kind is, for the CLI's state lines.
    pub fn phase_words(&self, phase: Phase) -> &'static str {
        match phase {
            Phase::Start => "not started",
            Phase::Loop => self.reading,
            Phase::Returned => "read complete, interrupts still off",
            Phase::Done => self.finished,
        }
    }
}

impl Phase {
    /// Where a reader is, in two words (the state view's registers table).
    pub fn words(self) -> &'static str {
        match self {
            Phase::Start => "not started",
            Phase::Loop => "reading",
            Phase::Returned => "read complete",
            Phase::Done => "finished",
        }
    }
}

impl ReaderKind {
    /// The kind's spec: the one place that matches on the kind.
    pub fn spec(self) -> &'static ReaderSpec {
        match self {
            ReaderKind::Lockless => &lockless::SPEC,
            ReaderKind::GupFast => &gup_fast::SPEC,
            ReaderKind::Atomic64 => &atomic64::SPEC,
            ReaderKind::Seqcount => &seqcount::SPEC,
            ReaderKind::PmdReadAtomic => &pmd_read_atomic::SPEC,
            ReaderKind::ReadOnce64 => &read_once64::SPEC,
            ReaderKind::KvmSpte => &kvm_spte::SPEC,
        }
    }

    /// The name used in files, URLs and CLI flags.
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// A short name for menus.
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    /// What it models, in a sentence.
    pub fn title(self) -> &'static str {
        self.spec().title
    }
}

/// An item: a step, what it does and the `smp_rmb()` site after it.
pub const fn item(action: ReaderAction, effect: Effect, rmb_after: Option<Barrier>) -> Item {
    Item { action, effect, rmb_after }
}

/// A 32-bit load into `register`, with the `smp_rmb()` site after it.
pub const fn load(register: Register, rmb_after: Option<Barrier>) -> Item {
    item(ReaderAction::Load(register), Effect::Load(register), rmb_after)
}

/// A test; `completes`: passing it completes the read.
pub const fn test(action: ReaderAction, test: Test, on_fail: OnFail, completes: bool) -> Item {
    item(action, Effect::Test { test, on_fail, completes }, None)
}

/// `local_irq_save()` and `local_irq_restore()`.
pub const IRQ_OFF: Item = item(ReaderAction::IrqOff, Effect::IrqOff, None);
pub const IRQ_ON: Item = item(ReaderAction::IrqOn, Effect::IrqOn, None);

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
    /// `pmd_read_atomic()`'s `if (ret)`: a zero low half returns the none
    /// entry without reading the high half.
    ZeroCheck,
    /// `local_irq_restore()`.
    IrqOn,
    /// KVM's `count != sp->clear_spte_count`: retry if a clear completed
    /// since `c` was read.
    CountCheck,
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
            ReaderAction::ZeroCheck => "zero",
            ReaderAction::IrqOn => "on",
            ReaderAction::CountCheck => "cnt",
        }
    }

    /// How many actions there are: one load per register, and the others.
    pub const COUNT: usize = Register::ALL.len() + 9;

    /// The action's position in [`ReaderAction::ALL`]: derived from the
    /// register's, so a new register or action needs no renumbering.
    pub(crate) const fn index(self) -> usize {
        const LOADS: usize = Register::ALL.len();
        match self {
            ReaderAction::IrqOff => 0,
            ReaderAction::Load(register) => 1 + register as usize,
            ReaderAction::Load64 => LOADS + 1,
            ReaderAction::Grab => LOADS + 2,
            ReaderAction::OddCheck => LOADS + 3,
            ReaderAction::Check => LOADS + 4,
            ReaderAction::Recheck => LOADS + 5,
            ReaderAction::IrqOn => LOADS + 6,
            ReaderAction::ZeroCheck => LOADS + 7,
            ReaderAction::CountCheck => LOADS + 8,
        }
    }

    /// Every action, in [`ReaderAction::index`] order, for parsing step ids.
    pub const ALL: [ReaderAction; ReaderAction::COUNT] = {
        let others = [
            ReaderAction::IrqOff,
            ReaderAction::Load64,
            ReaderAction::Grab,
            ReaderAction::OddCheck,
            ReaderAction::Check,
            ReaderAction::Recheck,
            ReaderAction::IrqOn,
            ReaderAction::ZeroCheck,
            ReaderAction::CountCheck,
        ];
        let mut all = [ReaderAction::IrqOff; ReaderAction::COUNT];
        let mut i = 0;
        while i < others.len() {
            all[others[i].index()] = others[i];
            i += 1;
        }
        let mut r = 0;
        while r < Register::ALL.len() {
            let load = ReaderAction::Load(Register::ALL[r]);
            all[load.index()] = load;
            r += 1;
        }
        all
    };
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
    /// `r0 ≠ 0`: the low half is not zero (`pmd_read_atomic()`'s `if (ret)`).
    LowNotZero,
    /// `c2 = c`: no clear completed between the two loads of `count`
    /// (KVM's `count != sp->clear_spte_count`).
    CountUnchanged,
}

impl Test {
    /// The registers the test compares. A test in the middle of a block is
    /// a branch: under the weak model it waits only for the loads of these
    /// and orders nothing after it.
    pub fn reads(self) -> &'static [Register] {
        match self {
            Test::LowUnchanged => &[Register::R0, Register::R2],
            Test::SeqEven => &[Register::S],
            Test::SeqUnchanged => &[Register::S, Register::S2],
            Test::StillTheSame => &[Register::R0, Register::R1, Register::Q0, Register::Q1],
            Test::LowNotZero => &[Register::R0],
            Test::CountUnchanged => &[Register::C, Register::C2],
        }
    }
}

/// What a failed test does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OnFail {
    /// Start the block again (`goto retry`).
    Retry,
    /// Give the read up: GUP-fast drops the reference and falls back to the
    /// slow path. The read completes as backed off.
    BackOff,
    /// Return the none entry `(0, 0)` without reading further
    /// (`pmd_read_atomic()` on a zero low half). The read completes,
    /// returned; its high half is the constant 0, which the low half's load
    /// decided.
    ReturnNone,
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
    /// A plain load the compiler merged with an earlier load of the same
    /// word (`crate::compiler`): `into` takes `from`'s value, no memory
    /// access.
    Merged {
        into: Register,
        from: Register,
    },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_sits_at_its_index_and_has_its_own_id() {
        for (index, action) in ReaderAction::ALL.into_iter().enumerate() {
            assert_eq!(action.index(), index, "{action:?}");
        }
        let mut ids: Vec<&str> = ReaderAction::ALL.iter().map(|action| action.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ReaderAction::COUNT);
    }

    #[test]
    fn every_spec_is_consistent_with_its_kind() {
        let mut ids = Vec::new();
        for kind in ReaderKind::ALL {
            let spec = kind.spec();
            assert_eq!(spec.id.parse::<ReaderKind>().unwrap(), kind);
            ids.push(spec.id);
            assert!(spec.registers.len() <= MAX_REGISTERS, "{}", spec.id);
            // Every register a step loads or a test compares is the kind's,
            // and an action appears once.
            let mut actions = Vec::new();
            for step in spec.steps() {
                let used: &[Register] = match step.item.effect {
                    Effect::Load(register) => &[register],
                    Effect::Load64 => &[Register::R0, Register::R1],
                    Effect::Test { test, .. } => test.reads(),
                    _ => &[],
                };
                for register in used {
                    assert!(spec.registers.contains(register), "{} {register:?}", spec.id);
                }
                assert!(!actions.contains(&step.item.action), "{} {:?}", spec.id, step.item);
                actions.push(step.item.action);
                assert!(!step.code.is_empty());
            }
            // Every kind returns (r0, r1).
            assert!(spec.registers.contains(&Register::R0));
            assert!(spec.registers.contains(&Register::R1));
        }
        ids.dedup();
        assert_eq!(ids.len(), ReaderKind::ALL.len());
    }
}
