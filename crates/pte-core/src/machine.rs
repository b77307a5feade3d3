//! The one transition relation: the initial state, the steps enabled in a
//! state (with the reason for each one that is not), and the state after a
//! step. The stepping session, trace replay, undo and the exhaustive
//! explorer are all built on [`Program::initial`], [`Program::candidates`],
//! [`Program::check`] and [`Program::apply`] alone.

use std::fmt;

use crate::program::{
    mask_below, AccessKind, Order, Program, Register, Source, Tag, Word, INITIAL,
};
use crate::reader::ReaderProgram;
use crate::readers::{Effect, OnFail, Test, MAX_REGISTERS};
pub use crate::readers::{Phase, ReaderAction};
use crate::scenario::{FlushMode, MemoryModel, Pte, ReaderKind, MAX_READERS};
use crate::short_sort;

/// One reader's position and registers. Registers hold tags (see [`Tag`])
/// in the slots of its kind ([`ReaderProgram::registers`]); a retry resets
/// the block's registers so equal states merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ReaderState {
    /// The block of its program the reader is in; the block count once
    /// finished.
    pub block: u8,
    /// Bit i set: item i of the current block has been performed in this
    /// attempt.
    pub done: u8,
    pub registers: [Tag; MAX_REGISTERS],
    /// How many times a test failed and its loop started again.
    pub retries: u8,
}

/// A whole machine state. Fixed size and `Copy`, so the explorer hashes and
/// stores it cheaply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    /// Bit i set: writer access i has been performed (under TSO: issued into
    /// the store buffer).
    pub(crate) writer_done: u64,
    /// TSO only: writer accesses below this index have left the store buffer.
    pub(crate) drained_to: u8,
    /// The tag of the write each word holds in memory: `[low, high, seq,
    /// count]`.
    pub(crate) memory: [Tag; Word::ALL.len()],
    pub(crate) readers: [ReaderState; MAX_READERS],
}

impl std::hash::Hash for State {
    /// Six words instead of a write per field: the explorer hashes every
    /// state it meets, so the hash is packed (every field still counts, as
    /// `Eq` needs).
    fn hash<H: std::hash::Hasher>(&self, hasher: &mut H) {
        hasher.write_u64(self.writer_done);
        let [low, high, seq, count] = self.memory;
        hasher.write_u64(u64::from_le_bytes([self.drained_to, low, high, seq, count, 0, 0, 0]));
        for reader in &self.readers {
            let [r0, r1, r2, r3, r4] = reader.registers;
            hasher.write_u64(u64::from_le_bytes([
                reader.block,
                reader.done,
                r0,
                r1,
                r2,
                r3,
                r4,
                reader.retries,
            ]));
        }
    }
}

impl State {
    pub fn reader(&self, reader: u8) -> &ReaderState {
        &self.readers[usize::from(reader)]
    }

    /// The tag memory holds for `word`.
    pub fn memory_tag(&self, word: Word) -> Tag {
        self.memory[word.index()]
    }

    /// Has writer access `index` been performed (or issued, under TSO)?
    pub fn writer_performed(&self, index: usize) -> bool {
        self.writer_done & (1 << index) != 0
    }
}

/// One thing a person (or the explorer) can choose to happen next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// The writer performs access `index` of [`Program::accesses`] (under
    /// TSO a store goes into the store buffer).
    Writer(u8),
    /// TSO: the oldest buffered store reaches memory.
    Drain,
    /// A reader (0-based) takes one step.
    Reader { reader: u8, action: ReaderAction },
}

impl Step {
    /// The thread taking the step: `None` for the writer, else the reader.
    pub fn reader(self) -> Option<u8> {
        match self {
            Step::Writer(_) | Step::Drain => None,
            Step::Reader { reader, .. } => Some(reader),
        }
    }

    /// The compact id used in trace files and permalinks: `w3` (writer
    /// access 3, 1-based), `wd` (drain), `r1.off`, `r1.r0`, `r1.chk`,
    /// `r1.on` (reader 1), and for other reader kinds `r1.q0`, `r1.grab`,
    /// `r1.rechk`, `r1.ld64`, `r1.s`, `r1.odd`, `r1.s2`.
    pub fn id(self) -> String {
        match self {
            Step::Writer(index) => format!("w{}", u32::from(index) + 1),
            Step::Drain => "wd".to_owned(),
            Step::Reader { reader, action } => {
                format!("r{}.{}", u32::from(reader) + 1, action.id())
            }
        }
    }

    /// Parses [`Step::id`]. Whether the step exists in a scenario is for
    /// [`Program::check`] to say.
    pub fn parse(text: &str) -> Result<Step, StepParseError> {
        let bad = || StepParseError { text: text.to_owned() };
        let number = |digits: &str| -> Result<u8, StepParseError> {
            let n = crate::grammar::decimal(digits).map_err(|_| bad())?;
            if n == 0 || n > 256 {
                return Err(bad());
            }
            Ok((n - 1) as u8)
        };
        if text == "wd" {
            return Ok(Step::Drain);
        }
        if let Some(digits) = text.strip_prefix('w') {
            return Ok(Step::Writer(number(digits)?));
        }
        let rest = text.strip_prefix('r').ok_or_else(bad)?;
        let (digits, action) = rest.split_once('.').ok_or_else(bad)?;
        let action =
            ReaderAction::ALL.into_iter().find(|known| known.id() == action).ok_or_else(bad)?;
        Ok(Step::Reader { reader: number(digits)?, action })
    }
}

/// A step id that is not of the documented form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepParseError {
    pub text: String,
}

impl fmt::Display for StepParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a step (expected w<N>, wd, or \
             r<N>.off|r0|r1|r2|chk|on|grab|q0|q1|rechk|ld64|s|odd|s2)",
            self.text
        )
    }
}

impl std::error::Error for StepParseError {}

/// Why a step is not enabled. Cheap to build (the explorer asks for every
/// candidate); [`Program::explain`] turns it into a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Blocked {
    /// No such reader or writer access in this scenario.
    NoSuchStep,
    /// The access or action has already happened.
    AlreadyDone,
    /// The step waits for an earlier step of the same thread.
    WaitsFor { earlier: Step, order: Order },
    /// An IPI flush cannot complete while this reader has interrupts off.
    FlushWaitsForReader { reader: u8 },
    /// TSO: a flush or locked store needs the store buffer drained first.
    StoreBufferNotEmpty,
    /// TSO: nothing to drain.
    StoreBufferEmpty,
    /// Drain exists only under a model with a store buffer
    /// ([`crate::ModelRules::store_buffer`]).
    NoStoreBuffer,
}

/// A read that completed: the value `(low, high) = (r0, r1)` the reader
/// read, and whether it returned it or backed off (GUP-fast's re-check saw
/// the entry change: it drops the reference and takes the slow path).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompletedRead {
    pub reader: u8,
    pub value: Pte,
    pub low_source: Source,
    pub high_source: Source,
    pub retries: u8,
    /// False when the reader backed off instead of returning `value`.
    pub returned: bool,
}

impl Program {
    /// The explorer's representative of a state's class. Two states with the
    /// same representative have the same futures up to renaming readers
    /// (identical programs), so the explorer stores one of them:
    /// - a register holds the first tag with its value (the check and the
    ///   result compare values; provenance is recomputed on the witness);
    /// - retries are forgotten (they are counted, never tested; the
    ///   witness's count is recomputed on the witness);
    /// - a returned read's registers are forgotten;
    /// - readers are sorted.
    pub(crate) fn canonical(&self, state: &State) -> State {
        let mut canonical = *state;
        for reader in 0..self.readers() {
            let at = &mut canonical.readers[usize::from(reader)];
            *at = self.reader_future(reader, at);
        }
        for group in self.reader_groups() {
            if group.len() < 2 {
                continue;
            }
            let mut members = [ReaderState::default(); MAX_READERS];
            for (slot, reader) in members.iter_mut().zip(group) {
                *slot = canonical.readers[usize::from(*reader)];
            }
            short_sort::sort(&mut members[..group.len()]);
            for (reader, member) in group.iter().zip(members) {
                canonical.readers[usize::from(*reader)] = member;
            }
        }
        canonical
    }

    /// `order[i]` is the reader of `state` at position `i` of
    /// [`Program::canonical`] (positions only move within a kind's group).
    pub(crate) fn canonical_order(&self, state: &State) -> [u8; MAX_READERS] {
        let mut order = [0, 1, 2, 3];
        for group in self.reader_groups() {
            let mut members = [0u8; MAX_READERS];
            members[..group.len()].copy_from_slice(group);
            short_sort::sort_by_key(&mut members[..group.len()], |reader| {
                self.reader_future(*reader, &state.readers[usize::from(*reader)])
            });
            for (position, reader) in group.iter().zip(members) {
                order[usize::from(*position)] = reader;
            }
        }
        order
    }

    fn reader_future(&self, reader: u8, at: &ReaderState) -> ReaderState {
        let program = self.reader_program(reader);
        if usize::from(at.block) > program.completes_in() {
            return ReaderState { block: at.block, done: at.done, ..ReaderState::default() };
        }
        let mut future = ReaderState { retries: 0, ..*at };
        for (slot, register) in program.registers.iter().enumerate() {
            let tag = &mut future.registers[slot];
            *tag = self.first_tag_with_value(register.word(), *tag);
        }
        future
    }

    /// Memory holds P0 (and `seq` 0); every thread is at its start.
    pub fn initial(&self) -> State {
        State {
            writer_done: 0,
            drained_to: 0,
            memory: [INITIAL; Word::ALL.len()],
            readers: [ReaderState::default(); MAX_READERS],
        }
    }

    /// The steps worth offering in `state`, enabled or not, in a stable
    /// order: the writer's, then each reader's. Under SC and TSO each thread
    /// offers its next instruction; under the weak model every access not
    /// yet performed (of the reader's current block). Filter with
    /// [`Program::check`].
    pub fn candidates(&self, state: &State, out: &mut Vec<Step>) {
        out.clear();
        let in_order = self.rules().in_program_order;
        let pending = self.all_accesses() & !state.writer_done;
        let mut remaining = pending;
        while remaining != 0 {
            let index = remaining.trailing_zeros();
            out.push(Step::Writer(index as u8));
            if in_order {
                break;
            }
            remaining &= remaining - 1;
        }
        if self.rules().store_buffer && self.buffered(state).next().is_some() {
            out.push(Step::Drain);
        }
        for reader in 0..self.readers() {
            let at = state.reader(reader);
            let Some(block) = self.reader_program(reader).blocks.get(usize::from(at.block)) else {
                continue;
            };
            for (index, item) in block.items.iter().enumerate() {
                if at.done & (1 << index) == 0 {
                    out.push(Step::Reader { reader, action: item.action });
                    if in_order {
                        break;
                    }
                }
            }
        }
    }

    /// The enabled steps in `state`, in the order of [`Program::candidates`].
    pub fn enabled(&self, state: &State) -> Vec<Step> {
        let mut steps = Vec::new();
        self.candidates(state, &mut steps);
        steps.retain(|step| self.check(state, *step).is_ok());
        steps
    }

    /// Is `step` enabled in `state`? If not, why not.
    pub fn check(&self, state: &State, step: Step) -> Result<(), Blocked> {
        match step {
            Step::Writer(index) => self.check_writer(state, usize::from(index)),
            Step::Drain => {
                if !self.rules().store_buffer {
                    Err(Blocked::NoStoreBuffer)
                } else if self.buffered(state).next().is_none() {
                    Err(Blocked::StoreBufferEmpty)
                } else {
                    Ok(())
                }
            }
            Step::Reader { reader, action } => self.check_reader(state, reader, action),
        }
    }

    fn check_writer(&self, state: &State, index: usize) -> Result<(), Blocked> {
        let access = self.accesses().get(index).ok_or(Blocked::NoSuchStep)?;
        if state.writer_performed(index) {
            return Err(Blocked::AlreadyDone);
        }
        let missing = self.writer_waits(index) & !state.writer_done;
        if missing != 0 {
            // Name the latest missing access: the one the person sees next to it.
            let earlier = 63 - missing.leading_zeros() as usize;
            let order = self.writer_order(earlier, index).unwrap_or(Order::ProgramOrder);
            return Err(Blocked::WaitsFor { earlier: Step::Writer(earlier as u8), order });
        }
        let locked = !matches!(access.kind, AccessKind::Store(_));
        if locked && self.rules().store_buffer && self.buffered(state).next().is_some() {
            return Err(Blocked::StoreBufferNotEmpty);
        }
        if access.kind == AccessKind::Flush && self.scenario().flush == FlushMode::Ipi {
            if let Some(reader) =
                (0..self.readers()).find(|reader| self.interrupts_off(state, *reader))
            {
                return Err(Blocked::FlushWaitsForReader { reader });
            }
        }
        Ok(())
    }

    fn check_reader(&self, state: &State, reader: u8, action: ReaderAction) -> Result<(), Blocked> {
        if reader >= self.readers() {
            return Err(Blocked::NoSuchStep);
        }
        let program = self.reader_program(reader);
        let (block, item) = program.locate(action).ok_or(Blocked::NoSuchStep)?;
        let at = state.reader(reader);
        let current = usize::from(at.block);
        let step = |action| Step::Reader { reader, action };
        if block < current || (block == current && at.done & (1 << item) != 0) {
            return Err(Blocked::AlreadyDone);
        }
        if block > current {
            // Waits for the end of the block the reader is in (its test, or
            // the single step it is at).
            let last = program.blocks[current].items.last().expect("blocks are not empty");
            return Err(Blocked::WaitsFor { earlier: step(last.action), order: Order::Full });
        }
        let items = &program.blocks[block].items;
        let missing = program.blocks[block].waits(item) & !at.done;
        if missing != 0 {
            let earlier = 7 - missing.leading_zeros() as usize;
            return Err(Blocked::WaitsFor {
                earlier: step(items[earlier].action),
                order: self
                    .reader_order(reader, block, earlier, item)
                    .unwrap_or(Order::ProgramOrder),
            });
        }
        Ok(())
    }

    /// The state after `step`, and the read it completed, if any.
    pub fn apply(
        &self,
        state: &State,
        step: Step,
    ) -> Result<(State, Option<CompletedRead>), Blocked> {
        self.check(state, step)?;
        Ok(self.apply_enabled(state, step))
    }

    /// [`Program::apply`] for a step already known to be enabled.
    pub(crate) fn apply_enabled(
        &self,
        state: &State,
        step: Step,
    ) -> (State, Option<CompletedRead>) {
        let mut next = *state;
        let mut completed = None;
        match step {
            Step::Writer(index) => {
                let index = usize::from(index);
                next.writer_done |= 1 << index;
                let access = &self.accesses()[index];
                let tag = index as Tag + 1;
                let buffered = self.rules().store_buffer;
                match access.kind {
                    AccessKind::Store(word) if !buffered => next.memory[word.index()] = tag,
                    AccessKind::Store(_) => {}
                    AccessKind::StoreBoth => {
                        next.memory[Word::Low.index()] = tag;
                        next.memory[Word::High.index()] = tag;
                    }
                    AccessKind::Flush => {}
                }
                if buffered && !matches!(access.kind, AccessKind::Store(_)) {
                    // A flush or locked store leaves the (empty) buffer behind it.
                    next.drained_to = index as u8 + 1;
                }
            }
            Step::Drain => {
                let index = self.buffered(state).next().expect("drain is enabled");
                if let AccessKind::Store(word) = self.accesses()[index].kind {
                    next.memory[word.index()] = index as Tag + 1;
                }
                next.drained_to = index as u8 + 1;
            }
            Step::Reader { reader, action } => {
                let program = self.reader_program(reader);
                let at = &mut next.readers[usize::from(reader)];
                let (block, item) = program.locate(action).expect("the step is enabled");
                let items = &program.blocks[block].items;
                let slot = |register| program.slot(register).expect("the kind has the register");
                let mut finished = true;
                match items[item].effect {
                    Effect::IrqOff | Effect::IrqOn | Effect::Grab => {}
                    Effect::Load(register) => {
                        at.registers[slot(register)] = state.memory[register.word().index()];
                    }
                    Effect::Merged { into, from } => {
                        at.registers[slot(into)] = at.registers[slot(from)];
                    }
                    Effect::Load64 => {
                        // One event: both halves at the same instant.
                        at.registers[slot(Register::R0)] = state.memory[Word::Low.index()];
                        at.registers[slot(Register::R1)] = state.memory[Word::High.index()];
                        completed = Some(self.completed(reader, program, at, true));
                    }
                    Effect::Test { test, on_fail, completes } => {
                        if self.passes(program, at, test) {
                            if completes {
                                completed = Some(self.completed(reader, program, at, true));
                            }
                        } else if on_fail == OnFail::BackOff {
                            completed = Some(self.completed(reader, program, at, false));
                        } else if on_fail == OnFail::ReturnNone {
                            // The read is complete: the rest of the block is
                            // never performed.
                            completed = Some(self.completed_none(reader, program, at));
                            at.done = program.blocks[block].full();
                        } else {
                            // goto retry: the block starts again from scratch.
                            finished = false;
                            at.retries = at.retries.saturating_add(1);
                            at.done = 0;
                            for other in items {
                                if let Effect::Load(register)
                                | Effect::Merged { into: register, .. } = other.effect
                                {
                                    at.registers[slot(register)] = INITIAL;
                                }
                            }
                        }
                    }
                }
                if finished {
                    at.done |= 1 << item;
                    // A block that completes the read with a load (no test
                    // after it) completes it when its last item is performed.
                    if completed.is_none()
                        && block == program.completes_in()
                        && at.done == program.blocks[block].full()
                    {
                        completed = Some(self.completed(reader, program, at, true));
                    }
                    if at.done == program.blocks[block].full() {
                        at.block += 1;
                        at.done = 0;
                    }
                }
            }
        }
        (next, completed)
    }

    /// The value of `register` in a reader's register file.
    fn held(&self, program: &ReaderProgram, at: &ReaderState, register: Register) -> u32 {
        let slot = program.slot(register).expect("the kind has the register");
        self.value(register.word(), at.registers[slot])
    }

    /// Does a test pass on these registers (compared by value)?
    fn passes(&self, program: &ReaderProgram, at: &ReaderState, test: Test) -> bool {
        let held = |register| self.held(program, at, register);
        match test {
            Test::LowUnchanged => held(Register::R0) == held(Register::R2),
            Test::SeqEven => held(Register::S) % 2 == 0,
            Test::SeqUnchanged => held(Register::S2) == held(Register::S),
            Test::StillTheSame => {
                held(Register::Q0) == held(Register::R0) && held(Register::Q1) == held(Register::R1)
            }
            Test::LowNotZero => held(Register::R0) != 0,
            Test::CountUnchanged => held(Register::C2) == held(Register::C),
        }
    }

    /// The none entry `(0, 0)` a reader returns on a zero low half: both
    /// halves decided by the load of the low half.
    fn completed_none(
        &self,
        reader: u8,
        program: &ReaderProgram,
        at: &ReaderState,
    ) -> CompletedRead {
        let low = at.registers[program.slot(Register::R0).expect("every kind has r0")];
        CompletedRead {
            reader,
            value: Pte::from_halves(0, 0),
            low_source: self.source(low),
            high_source: self.source(low),
            retries: at.retries,
            returned: true,
        }
    }

    /// The read a reader completes: `(r0, r1)` with provenance.
    fn completed(
        &self,
        reader: u8,
        program: &ReaderProgram,
        at: &ReaderState,
        returned: bool,
    ) -> CompletedRead {
        let tag = |register| at.registers[program.slot(register).expect("every kind has r0, r1")];
        let (low, high) = (tag(Register::R0), tag(Register::R1));
        CompletedRead {
            reader,
            value: Pte::from_halves(self.value(Word::High, high), self.value(Word::Low, low)),
            low_source: self.source(low),
            high_source: self.source(high),
            retries: at.retries,
            returned,
        }
    }

    /// TSO: the writer accesses in the store buffer, oldest first.
    pub fn buffered<'a>(&'a self, state: &'a State) -> impl Iterator<Item = usize> + 'a {
        let buffered = self.buffered_mask(state);
        (0..self.accesses().len()).filter(move |index| buffered & (1 << index) != 0)
    }

    /// The mask of writer accesses in the store buffer: issued but not yet
    /// drained to memory. Always 0 unless the model is x86-TSO.
    #[inline]
    pub(crate) fn buffered_mask(&self, state: &State) -> u64 {
        if self.rules().store_buffer {
            state.writer_done & !mask_below(usize::from(state.drained_to))
        } else {
            0
        }
    }

    /// Is every thread finished?
    pub fn is_final(&self, state: &State) -> bool {
        state.writer_done == self.all_accesses()
            && self.buffered(state).next().is_none()
            && (0..self.readers()).all(|reader| self.phase(state, reader) == Phase::Done)
    }

    /// The value a word holds in memory.
    pub fn memory_value(&self, state: &State, word: Word) -> u32 {
        self.value(word, state.memory_tag(word))
    }

    /// The whole entry memory holds (what the MMU's walker would load).
    pub fn memory_pte(&self, state: &State) -> Pte {
        Pte::from_halves(self.memory_value(state, Word::High), self.memory_value(state, Word::Low))
    }

    /// Where reader `reader` is in its program.
    pub fn phase(&self, state: &State, reader: u8) -> Phase {
        let program = self.reader_program(reader);
        let at = state.reader(reader);
        let block = usize::from(at.block);
        if block >= program.blocks.len() {
            Phase::Done
        } else if block > program.completes_in() {
            Phase::Returned
        } else if block == 0 && at.done == 0 {
            Phase::Start
        } else {
            Phase::Loop
        }
    }

    /// Is reader `reader` between `irq_off` and `irq_on` (holding off an
    /// IPI flush)?
    pub fn interrupts_off(&self, state: &State, reader: u8) -> bool {
        self.reader_program(reader).interrupts_off_at(usize::from(state.reader(reader).block))
    }

    /// The kind of reader `reader`.
    pub fn reader_kind(&self, reader: u8) -> ReaderKind {
        self.reader_program(reader).kind
    }

    /// Has `register` been loaded in the current attempt of its block (or in
    /// an earlier block, whose registers are kept)? A load that comes after
    /// a test that returned the none entry (`pmd_read_atomic()`'s zero low
    /// half) is not: the C code never reaches it, and a weak CPU that
    /// performed it early threw its value away (the read returned (0, 0)).
    pub fn is_loaded(&self, state: &State, reader: u8, register: Register) -> bool {
        let program = self.reader_program(reader);
        let at = state.reader(reader);
        let performed = |block: usize, item: usize| {
            block < usize::from(at.block)
                || (block == usize::from(at.block) && at.done & (1 << item) != 0)
        };
        let action = match program.locate(ReaderAction::Load(register)) {
            Some(_) => ReaderAction::Load(register),
            None => ReaderAction::Load64,
        };
        match program.locate(action) {
            Some((block, item)) if program.slot(register).is_some() => {
                let returned_none_before = || {
                    program.blocks[block].items[..item].iter().enumerate().any(|(test_at, test)| {
                        matches!(test.effect, Effect::Test { test, on_fail: OnFail::ReturnNone, .. }
                            if performed(block, test_at) && !self.passes(program, at, test))
                    })
                };
                performed(block, item) && !returned_none_before()
            }
            _ => false,
        }
    }

    /// The value a reader register holds, if loaded (see
    /// [`Program::is_loaded`]).
    pub fn register_value(&self, state: &State, reader: u8, register: Register) -> Option<u32> {
        self.is_loaded(state, reader, register)
            .then(|| self.held(self.reader_program(reader), state.reader(reader), register))
    }

    /// The write a loaded register's value came from.
    pub fn register_source(&self, state: &State, reader: u8, register: Register) -> Option<Source> {
        let program = self.reader_program(reader);
        let slot = program.slot(register)?;
        self.is_loaded(state, reader, register)
            .then(|| self.source(state.reader(reader).registers[slot]))
    }

    /// The step as a sentence, taken from `state`: "writer: low ← 0x00000000
    /// (zap, op 1)", "reader 1: r1 ← high (= 0x00000001)".
    pub fn describe(&self, state: &State, step: Step) -> String {
        match step {
            Step::Writer(index) => {
                let Some(access) = self.accesses().get(usize::from(index)) else {
                    return format!(
                        "writer: access {} (none in this scenario)",
                        u32::from(index) + 1
                    );
                };
                let op = self.scenario().writer[usize::from(access.op)];
                let origin = format!("{}, op {}", op.id(), access.op + 1);
                let into = if self.rules().store_buffer { " into store buffer" } else { "" };
                match access.kind {
                    AccessKind::Store(word) => format!(
                        "writer: {} ← {}{into} ({origin}, {})",
                        word.name(),
                        word_value(word, access.stored(word)),
                        access.value_name
                    ),
                    AccessKind::StoreBoth => {
                        format!("writer: low,high ← {} atomically ({origin})", access.value)
                    }
                    AccessKind::Flush => {
                        format!(
                            "writer: TLB flush ({}, op {})",
                            self.scenario().flush.id(),
                            access.op + 1
                        )
                    }
                }
            }
            Step::Drain => match self.buffered(state).next() {
                Some(index) => {
                    let access = &self.accesses()[index];
                    match access.kind {
                        AccessKind::Store(word) => format!(
                            "writer: drain {} ← {} to memory",
                            word.name(),
                            word_value(word, access.stored(word))
                        ),
                        _ => "writer: drain".to_owned(),
                    }
                }
                None => "writer: drain (store buffer empty)".to_owned(),
            },
            Step::Reader { reader, action } => self.describe_reader(state, reader, action),
        }
    }

    fn describe_reader(&self, state: &State, reader: u8, action: ReaderAction) -> String {
        let who = format!("reader {}", u32::from(reader) + 1);
        if reader >= self.readers() {
            return format!("{who}: (no such reader)");
        }
        let program = self.reader_program(reader);
        let Some((block, item)) = program.locate(action) else {
            return format!(
                "{who}: {} (not a step of a {} reader)",
                action.id(),
                program.kind.id()
            );
        };
        let at = state.reader(reader);
        let loaded = |register| self.is_loaded(state, reader, register);
        let held = |register| self.held(program, at, register);
        match program.blocks[block].items[item].effect {
            Effect::IrqOff => format!("{who}: irq_off"),
            Effect::IrqOn => format!("{who}: irq_on"),
            Effect::Grab => format!("{who}: grab the page reference (full barrier)"),
            Effect::Load(register) => format!(
                "{who}: {} ← {} (= {})",
                register.name(),
                register.word().name(),
                word_value(register.word(), self.memory_value(state, register.word()))
            ),
            Effect::Merged { into, from } => format!(
                "{who}: {} ← {} (merged by the compiler: no load, {} reuses {}'s {}; = {})",
                into.name(),
                from.name(),
                into.name(),
                from.name(),
                into.word().name(),
                word_value(into.word(), held(from))
            ),
            Effect::Load64 => {
                format!("{who}: r0,r1 ← low,high in one 64-bit load (= {})", self.memory_pte(state))
            }
            Effect::Test { test, on_fail, completes } => {
                let name = test_name(test);
                if !test.reads().iter().all(|register| loaded(*register)) {
                    return format!("{who}: {name}");
                }
                let pass = self.passes(program, at, test);
                let outcome = match (pass, completes, on_fail) {
                    (true, true, _) => "return",
                    (true, false, _) => "continue",
                    (false, _, OnFail::Retry) => "retry",
                    (false, _, OnFail::BackOff) => "back off",
                    (false, _, OnFail::ReturnNone) => "return (0, 0)",
                };
                let shown = match test {
                    Test::LowUnchanged => {
                        let (r0, r2) = (held(Register::R0), held(Register::R2));
                        let sign = if pass { "=" } else { "≠" };
                        format!("0x{r0:08x} {sign} 0x{r2:08x}")
                    }
                    Test::SeqEven => {
                        let s = held(Register::S);
                        if pass {
                            format!("{s} is even")
                        } else {
                            format!("{s} is odd")
                        }
                    }
                    Test::SeqUnchanged => {
                        let sign = if pass { "=" } else { "≠" };
                        format!("{} {sign} {}", held(Register::S2), held(Register::S))
                    }
                    Test::StillTheSame => {
                        let now = Pte::from_halves(held(Register::Q1), held(Register::Q0));
                        let read = Pte::from_halves(held(Register::R1), held(Register::R0));
                        let sign = if pass { "=" } else { "≠" };
                        format!("{now} {sign} {read}")
                    }
                    Test::LowNotZero => {
                        let r0 = held(Register::R0);
                        let sign = if pass { "≠" } else { "=" };
                        format!("0x{r0:08x} {sign} 0")
                    }
                    Test::CountUnchanged => {
                        let sign = if pass { "=" } else { "≠" };
                        format!("{} {sign} {}", held(Register::C2), held(Register::C))
                    }
                };
                format!("{who}: {name} ({shown}: {outcome})")
            }
        }
    }

    /// The step without state-dependent values: "reader 1: r0 ← low".
    pub fn name(&self, step: Step) -> String {
        match step {
            Step::Reader { reader, action: ReaderAction::Load(register) } => {
                format!(
                    "reader {}: {} ← {}",
                    u32::from(reader) + 1,
                    register.name(),
                    register.word().name()
                )
            }
            Step::Reader { reader, action }
                if reader < self.readers()
                    && matches!(
                        action,
                        ReaderAction::Check | ReaderAction::OddCheck | ReaderAction::Recheck
                    ) =>
            {
                let program = self.reader_program(reader);
                match program.locate(action).map(|(b, i)| program.blocks[b].items[i].effect) {
                    Some(Effect::Test { test, .. }) => {
                        format!("reader {}: {}", u32::from(reader) + 1, test_name(test))
                    }
                    _ => self.describe(&self.initial(), step),
                }
            }
            Step::Writer(index) => match self.accesses().get(usize::from(index)) {
                Some(access) => match access.kind {
                    AccessKind::Store(word) => format!(
                        "writer: {} ← {} ({})",
                        word.name(),
                        word_value(word, access.stored(word)),
                        access.value_name
                    ),
                    AccessKind::StoreBoth => format!("writer: low,high ← {}", access.value),
                    AccessKind::Flush => "writer: TLB flush".to_owned(),
                },
                None => format!("writer: access {}", u32::from(index) + 1),
            },
            other => self.describe(&self.initial(), other),
        }
    }

    /// Why a step is blocked, as a sentence: "waits for rmb: reader 1: r0 ←
    /// low not yet performed", "flush waits: reader 1 has interrupts off".
    pub fn explain(&self, blocked: Blocked) -> String {
        match blocked {
            Blocked::NoSuchStep => "no such step in this scenario".to_owned(),
            Blocked::AlreadyDone => "already done".to_owned(),
            Blocked::WaitsFor { earlier, order } => {
                let why = match order {
                    Order::ProgramOrder => "program order".to_owned(),
                    Order::SameWord => "same word".to_owned(),
                    Order::Barrier(barrier) => barrier.kind().to_owned(),
                    Order::Full => "full ordering".to_owned(),
                };
                format!("waits for {why}: {} not yet performed", self.name(earlier))
            }
            Blocked::FlushWaitsForReader { reader } => {
                format!("flush waits: reader {} has interrupts off", u32::from(reader) + 1)
            }
            Blocked::StoreBufferNotEmpty => {
                "waits for the store buffer to drain (flushes and locked stores need it empty)"
                    .to_owned()
            }
            Blocked::StoreBufferEmpty => "the store buffer is empty".to_owned(),
            Blocked::NoStoreBuffer => {
                let mut buffered = String::new();
                for model in MemoryModel::ALL.into_iter().filter(|model| model.rules().store_buffer)
                {
                    let and = if buffered.is_empty() { "" } else { " and " };
                    buffered = format!("{buffered}{and}{}", model.title());
                }
                format!("only {buffered} has a store buffer to drain")
            }
        }
    }
}

/// A word's value as a person reads it: the PTE halves in hex, the
/// counters (`seq`, `count`) in decimal.
pub fn word_value(word: Word, value: u32) -> String {
    match word {
        Word::Seq | Word::Count => value.to_string(),
        Word::Low | Word::High => format!("0x{value:08x}"),
    }
}

/// A test as its C reads: "check r0 = r2", "check s is even".
fn test_name(test: Test) -> &'static str {
    match test {
        Test::LowUnchanged => "check r0 = r2",
        Test::SeqEven => "check s is even",
        Test::SeqUnchanged => "check s2 = s",
        Test::StillTheSame => "re-check (q0, q1) = (r0, r1)",
        Test::LowNotZero => "check r0 ≠ 0",
        Test::CountUnchanged => "check c2 = c",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_stays_small() {
        // The explorer stores millions of these; see ARCHITECTURE.md.
        assert_eq!(std::mem::size_of::<State>(), 48);
        assert_eq!(std::mem::size_of::<Step>(), 2);
    }
}
