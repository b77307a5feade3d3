//! The one transition relation: the initial state, the steps enabled in a
//! state (with the reason for each one that is not), and the state after a
//! step. The stepping session, trace replay, undo and the exhaustive
//! explorer are all built on [`Program::initial`], [`Program::candidates`],
//! [`Program::check`] and [`Program::apply`] alone.

use std::fmt;

use crate::program::{
    mask_below, AccessKind, Order, Program, Register, Source, Tag, Word, INITIAL,
};
use crate::scenario::{FlushMode, MemoryModel, Pte, MAX_READERS};

/// Where a reader is in `irq_off; retry: loads; check; irq_on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Phase {
    /// Has not disabled interrupts yet.
    #[default]
    Start,
    /// Interrupts off, inside the retry loop.
    Loop,
    /// The check passed: the read is complete, interrupts are still off.
    Returned,
    /// Interrupts back on; the reader is finished.
    Done,
}

/// One reader's registers and position. Registers hold tags (see
/// [`Tag`]); a register not yet loaded in this iteration holds its old tag
/// masked out by `loaded`, and is reset on retry so equal states merge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ReaderState {
    pub phase: Phase,
    /// Bit k set: register k has been loaded in this iteration.
    pub loaded: u8,
    pub registers: [Tag; 3],
    /// How many times the check failed and the loop started again.
    pub retries: u8,
}

impl ReaderState {
    pub fn is_loaded(&self, register: Register) -> bool {
        self.loaded & (1 << register.index()) != 0
    }

    /// Between `irq_off` and `irq_on`: an IPI cannot be taken.
    pub fn interrupts_off(&self) -> bool {
        matches!(self.phase, Phase::Loop | Phase::Returned)
    }
}

/// A whole machine state. Fixed size and `Copy`, so the explorer hashes and
/// stores it cheaply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct State {
    /// Bit i set: writer access i has been performed (under TSO: issued into
    /// the store buffer).
    pub(crate) writer_done: u64,
    /// TSO only: writer accesses below this index have left the store buffer.
    pub(crate) drained_to: u8,
    /// The tag of the write each word holds in memory: `[low, high]`.
    pub(crate) memory: [Tag; 2],
    pub(crate) readers: [ReaderState; MAX_READERS],
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReaderAction {
    IrqOff,
    Load(Register),
    Check,
    IrqOn,
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
    /// access 3, 1-based), `wd` (drain), `r1.off`, `r1.r0`, `r1.r1`, `r1.r2`,
    /// `r1.chk`, `r1.on` (reader 1).
    pub fn id(self) -> String {
        match self {
            Step::Writer(index) => format!("w{}", u32::from(index) + 1),
            Step::Drain => "wd".to_owned(),
            Step::Reader { reader, action } => {
                let action = match action {
                    ReaderAction::IrqOff => "off",
                    ReaderAction::Load(register) => register.name(),
                    ReaderAction::Check => "chk",
                    ReaderAction::IrqOn => "on",
                };
                format!("r{}.{action}", u32::from(reader) + 1)
            }
        }
    }

    /// Parses [`Step::id`]. Whether the step exists in a scenario is for
    /// [`Program::check`] to say.
    pub fn parse(text: &str) -> Result<Step, StepParseError> {
        let bad = || StepParseError { text: text.to_owned() };
        let number = |digits: &str| -> Result<u8, StepParseError> {
            let n: u32 = digits.parse().map_err(|_| bad())?;
            if n == 0 || n > 255 {
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
        let action = match action {
            "off" => ReaderAction::IrqOff,
            "r0" => ReaderAction::Load(Register::R0),
            "r1" => ReaderAction::Load(Register::R1),
            "r2" => ReaderAction::Load(Register::R2),
            "chk" => ReaderAction::Check,
            "on" => ReaderAction::IrqOn,
            _ => return Err(bad()),
        };
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
        write!(f, "{:?} is not a step (expected w<N>, wd, or r<N>.off|r0|r1|r2|chk|on)", self.text)
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
    /// Drain exists only under TSO.
    NotTso,
}

/// A read that completed: the check passed and the reader returns
/// `(low, high) = (r0, r1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompletedRead {
    pub reader: u8,
    pub value: Pte,
    pub low_source: Source,
    pub high_source: Source,
    pub retries: u8,
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
        let readers = &mut canonical.readers[..usize::from(self.readers())];
        for reader in readers.iter_mut() {
            *reader = self.reader_future(reader);
        }
        readers.sort_unstable();
        canonical
    }

    /// `order[i]` is the reader of `state` at position `i` of
    /// [`Program::canonical`].
    pub(crate) fn canonical_order(&self, state: &State) -> [u8; MAX_READERS] {
        let mut order = [0, 1, 2, 3];
        order[..usize::from(self.readers())]
            .sort_by_key(|reader| self.reader_future(&state.readers[usize::from(*reader)]));
        order
    }

    fn reader_future(&self, reader: &ReaderState) -> ReaderState {
        match reader.phase {
            Phase::Start | Phase::Loop => {
                let mut future = ReaderState { retries: 0, ..*reader };
                for register in Register::ALL {
                    let tag = &mut future.registers[register.index()];
                    *tag = self.first_tag_with_value(register.word(), *tag);
                }
                future
            }
            Phase::Returned | Phase::Done => {
                ReaderState { phase: reader.phase, ..ReaderState::default() }
            }
        }
    }

    /// Memory holds P0; every thread is at its start.
    pub fn initial(&self) -> State {
        State {
            writer_done: 0,
            drained_to: 0,
            memory: [INITIAL; 2],
            readers: [ReaderState::default(); MAX_READERS],
        }
    }

    /// The steps worth offering in `state`, enabled or not, in a stable
    /// order: the writer's, then each reader's. Under SC and TSO each thread
    /// offers its next instruction; under the weak model every access not
    /// yet performed. Filter with [`Program::check`].
    pub fn candidates(&self, state: &State, out: &mut Vec<Step>) {
        out.clear();
        let in_order = self.model() != MemoryModel::Weak;
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
        if self.model() == MemoryModel::Tso && self.buffered(state).next().is_some() {
            out.push(Step::Drain);
        }
        for reader in 0..self.readers() {
            let reader_state = state.reader(reader);
            let mut offer = |action| out.push(Step::Reader { reader, action });
            match reader_state.phase {
                Phase::Start => offer(ReaderAction::IrqOff),
                Phase::Loop => {
                    for register in Register::ALL {
                        if !reader_state.is_loaded(register) {
                            offer(ReaderAction::Load(register));
                            if in_order {
                                break;
                            }
                        }
                    }
                    if !in_order || reader_state.loaded == 0b111 {
                        offer(ReaderAction::Check);
                    }
                }
                Phase::Returned => offer(ReaderAction::IrqOn),
                Phase::Done => {}
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
                if self.model() != MemoryModel::Tso {
                    Err(Blocked::NotTso)
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
        if locked && self.model() == MemoryModel::Tso && self.buffered(state).next().is_some() {
            return Err(Blocked::StoreBufferNotEmpty);
        }
        if access.kind == AccessKind::Flush && self.scenario().flush == FlushMode::Ipi {
            if let Some(reader) =
                (0..self.readers()).find(|reader| state.reader(*reader).interrupts_off())
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
        let at = state.reader(reader);
        let step = |action| Step::Reader { reader, action };
        let waits = |action| Err(Blocked::WaitsFor { earlier: step(action), order: Order::Full });
        match (action, at.phase) {
            (ReaderAction::IrqOff, Phase::Start) => Ok(()),
            (ReaderAction::IrqOff, _) => Err(Blocked::AlreadyDone),
            (ReaderAction::Load(_) | ReaderAction::Check, Phase::Start) => {
                waits(ReaderAction::IrqOff)
            }
            (ReaderAction::Load(register), Phase::Loop) => {
                if at.is_loaded(register) {
                    return Err(Blocked::AlreadyDone);
                }
                let missing = self.reader_waits(register) & !at.loaded;
                match Register::ALL.into_iter().rev().find(|r| missing & (1 << r.index()) != 0) {
                    None => Ok(()),
                    Some(earlier) => Err(Blocked::WaitsFor {
                        earlier: step(ReaderAction::Load(earlier)),
                        order: self.reader_order(earlier, register).unwrap_or(Order::ProgramOrder),
                    }),
                }
            }
            (ReaderAction::Check, Phase::Loop) => {
                match Register::ALL.into_iter().find(|r| !at.is_loaded(*r)) {
                    None => Ok(()),
                    Some(register) => waits(ReaderAction::Load(register)),
                }
            }
            (ReaderAction::Load(_) | ReaderAction::Check, _) => Err(Blocked::AlreadyDone),
            (ReaderAction::IrqOn, Phase::Returned) => Ok(()),
            (ReaderAction::IrqOn, Phase::Done) => Err(Blocked::AlreadyDone),
            (ReaderAction::IrqOn, _) => waits(ReaderAction::Check),
        }
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
                let buffered = self.model() == MemoryModel::Tso;
                match access.kind {
                    AccessKind::Store(word) if !buffered => next.memory[word.index()] = tag,
                    AccessKind::Store(_) => {}
                    AccessKind::StoreBoth => next.memory = [tag, tag],
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
                let at = &mut next.readers[usize::from(reader)];
                match action {
                    ReaderAction::IrqOff => at.phase = Phase::Loop,
                    ReaderAction::Load(register) => {
                        at.registers[register.index()] = state.memory[register.word().index()];
                        at.loaded |= 1 << register.index();
                    }
                    ReaderAction::Check => {
                        let [r0, r1, r2] = at.registers;
                        if self.value(Word::Low, r0) == self.value(Word::Low, r2) {
                            at.phase = Phase::Returned;
                            completed = Some(CompletedRead {
                                reader,
                                value: Pte::from_halves(
                                    self.value(Word::High, r1),
                                    self.value(Word::Low, r0),
                                ),
                                low_source: self.source(r0),
                                high_source: self.source(r1),
                                retries: at.retries,
                            });
                        } else {
                            at.retries += 1;
                            at.loaded = 0;
                            at.registers = [INITIAL; 3];
                        }
                    }
                    ReaderAction::IrqOn => at.phase = Phase::Done,
                }
            }
        }
        (next, completed)
    }

    /// TSO: the writer accesses in the store buffer, oldest first.
    pub fn buffered<'a>(&'a self, state: &'a State) -> impl Iterator<Item = usize> + 'a {
        let issued = state.writer_done & !mask_below(usize::from(state.drained_to));
        let tso = self.model() == MemoryModel::Tso;
        (0..self.accesses().len()).filter(move |index| tso && issued & (1 << index) != 0)
    }

    /// Is every thread finished?
    pub fn is_final(&self, state: &State) -> bool {
        state.writer_done == self.all_accesses()
            && self.buffered(state).next().is_none()
            && (0..self.readers()).all(|reader| state.reader(reader).phase == Phase::Done)
    }

    /// The value a word holds in memory.
    pub fn memory_value(&self, state: &State, word: Word) -> u32 {
        self.value(word, state.memory_tag(word))
    }

    /// The whole entry memory holds (what the MMU's walker would load).
    pub fn memory_pte(&self, state: &State) -> Pte {
        Pte::from_halves(self.memory_value(state, Word::High), self.memory_value(state, Word::Low))
    }

    /// The value a reader register holds, if loaded in this iteration (or
    /// kept after the read returned).
    pub fn register_value(&self, state: &State, reader: u8, register: Register) -> Option<u32> {
        let at = state.reader(reader);
        let kept = matches!(at.phase, Phase::Returned | Phase::Done);
        (kept || at.is_loaded(register))
            .then(|| self.value(register.word(), at.registers[register.index()]))
    }

    /// The step as a sentence, taken from `state`: "writer: low ← 0x00000000
    /// (zap, op 1)", "reader 1: r1 ← high (= 0x00000001)".
    pub fn describe(&self, state: &State, step: Step) -> String {
        match step {
            Step::Writer(index) => {
                let Some(access) = self.accesses().get(usize::from(index)) else {
                    return format!("writer: access {} (none in this scenario)", index + 1);
                };
                let op = self.scenario().writer[usize::from(access.op)];
                let origin = format!("{}, op {}", op.id(), access.op + 1);
                let into = if self.model() == MemoryModel::Tso { " into store buffer" } else { "" };
                match access.kind {
                    AccessKind::Store(word) => format!(
                        "writer: {} ← 0x{:08x}{into} ({origin}, {})",
                        word.name(),
                        access.stored(word),
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
                            "writer: drain {} ← 0x{:08x} to memory",
                            word.name(),
                            access.stored(word)
                        ),
                        _ => "writer: drain".to_owned(),
                    }
                }
                None => "writer: drain (store buffer empty)".to_owned(),
            },
            Step::Reader { reader, action } => {
                let who = format!("reader {}", reader + 1);
                if reader >= self.readers() {
                    return format!("{who}: (no such reader)");
                }
                match action {
                    ReaderAction::IrqOff => format!("{who}: irq_off"),
                    ReaderAction::Load(register) => format!(
                        "{who}: {} ← {} (= 0x{:08x})",
                        register.name(),
                        register.word().name(),
                        self.memory_value(state, register.word())
                    ),
                    ReaderAction::Check => {
                        let at = state.reader(reader);
                        if at.loaded != 0b111 {
                            return format!("{who}: check r0 = r2");
                        }
                        let r0 = self.value(Word::Low, at.registers[0]);
                        let r2 = self.value(Word::Low, at.registers[2]);
                        if r0 == r2 {
                            format!("{who}: check r0 = r2 (0x{r0:08x} = 0x{r2:08x}: return)")
                        } else {
                            format!("{who}: check r0 = r2 (0x{r0:08x} ≠ 0x{r2:08x}: retry)")
                        }
                    }
                    ReaderAction::IrqOn => format!("{who}: irq_on"),
                }
            }
        }
    }

    /// The step without state-dependent values: "reader 1: r0 ← low".
    pub fn name(&self, step: Step) -> String {
        match step {
            Step::Reader { reader, action: ReaderAction::Load(register) } => {
                format!("reader {}: {} ← {}", reader + 1, register.name(), register.word().name())
            }
            Step::Reader { reader, action: ReaderAction::Check } => {
                format!("reader {}: check r0 = r2", reader + 1)
            }
            Step::Writer(index) => match self.accesses().get(usize::from(index)) {
                Some(access) => match access.kind {
                    AccessKind::Store(word) => format!(
                        "writer: {} ← 0x{:08x} ({})",
                        word.name(),
                        access.stored(word),
                        access.value_name
                    ),
                    AccessKind::StoreBoth => format!("writer: low,high ← {}", access.value),
                    AccessKind::Flush => "writer: TLB flush".to_owned(),
                },
                None => format!("writer: access {}", index + 1),
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
                format!("flush waits: reader {} has interrupts off", reader + 1)
            }
            Blocked::StoreBufferNotEmpty => {
                "waits for the store buffer to drain (flushes and locked stores need it empty)"
                    .to_owned()
            }
            Blocked::StoreBufferEmpty => "the store buffer is empty".to_owned(),
            Blocked::NotTso => "only x86-TSO has a store buffer to drain".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_stays_small() {
        // The explorer stores millions of these; see ARCHITECTURE.md.
        assert_eq!(std::mem::size_of::<State>(), 40);
        assert_eq!(std::mem::size_of::<Step>(), 2);
    }
}
