//! The execution of a trace as data, for pictures: events (the initial
//! values, the writer's stores and flushes, a TSO store's drain, each
//! reader's steps attempt by attempt) and the relations between them — `po`
//! (program order within a thread), `rf` (the write each load read), `co`
//! (the order in which writes to a word reached memory) and `fr` (from a
//! load to the write that replaced the one it read) — plus the enabled
//! barriers between events. Everything comes from replaying the trace
//! through the one transition relation; nothing is rebuilt by hand.

use std::collections::BTreeMap;

use crate::machine::{CompletedRead, ReaderAction, State, Step};
use crate::program::{AccessKind, Program, Register, Tag, Word, INITIAL};
use crate::readers::{Effect, OnFail};
use crate::scenario::Barrier;
use crate::session::ReplayError;
use crate::short_sort;

/// The thread an event belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Thread {
    /// The initial values (P0, seq 0), written before any thread runs.
    Init,
    Writer,
    /// A reader, 0-based.
    Reader(u8),
}

impl Thread {
    /// "init", "writer", "reader 1".
    pub fn name(self) -> String {
        match self {
            Thread::Init => "init".to_owned(),
            Thread::Writer => "writer".to_owned(),
            Thread::Reader(reader) => format!("reader {}", reader + 1),
        }
    }
}

/// What an event is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A word's initial value.
    Init,
    /// A write to one word (an atomic 64-bit store is one write per half).
    Write,
    /// TSO: a buffered store reaching memory.
    Drain,
    Flush,
    /// A load of one word (the walker's 64-bit load is one load per half).
    Load,
    /// A reader step that is not a load: irq_off/irq_on, grab, a test.
    Other,
}

impl EventKind {
    pub fn id(self) -> &'static str {
        match self {
            EventKind::Init => "init",
            EventKind::Write => "write",
            EventKind::Drain => "drain",
            EventKind::Flush => "flush",
            EventKind::Load => "load",
            EventKind::Other => "other",
        }
    }
}

/// One event of the execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: usize,
    pub thread: Thread,
    pub kind: EventKind,
    /// The word written or read.
    pub word: Option<Word>,
    /// The value written or read.
    pub value: Option<u32>,
    /// For a load: the write (or initial value) it read.
    pub from: Option<usize>,
    /// The trace step (0-based) that made the event; `None` for initial values.
    pub step: Option<usize>,
    /// For the writer's events: the operation (index into the scenario's
    /// writer) they belong to.
    pub op: Option<u8>,
    /// A short label: "low ← 0x00000000 (Z)", "r1 ← high", "check r0 = r2".
    pub label: String,
}

/// A relation between two events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// Program order within a thread.
    Po,
    /// The write a load read.
    Rf,
    /// The next write to the same word in memory.
    Co,
    /// From a load to the write that replaced the one it read.
    Fr,
    /// TSO: a store and its drain.
    Drain,
}

impl EdgeKind {
    pub fn id(self) -> &'static str {
        match self {
            EdgeKind::Po => "po",
            EdgeKind::Rf => "rf",
            EdgeKind::Co => "co",
            EdgeKind::Fr => "fr",
            EdgeKind::Drain => "drain",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
}

/// An enabled barrier site in one thread's program order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BarrierMark {
    pub barrier: Barrier,
    /// The thread's event just before the site.
    pub after: usize,
}

/// A read the trace completed, with the loads its halves came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadSources {
    pub read: CompletedRead,
    /// The load events of `r0` (low half) and `r1` (high half).
    pub low_load: usize,
    pub high_load: usize,
}

/// A trace's execution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    pub events: Vec<Event>,
    pub edges: Vec<Edge>,
    pub barriers: Vec<BarrierMark>,
    pub reads: Vec<ReadSources>,
    /// How many trace steps it covers.
    pub steps: usize,
}

/// Where an event sits in its thread's program order: block, attempt, item
/// (and the half, for the two events of a 64-bit access).
type PoKey = (usize, usize, usize, usize);

impl Execution {
    /// Replays `steps` from the initial state and collects the execution.
    pub fn of(program: &Program, steps: &[Step]) -> Result<Execution, ReplayError> {
        let mut builder = Builder::new(program);
        let mut state = program.initial();
        for (index, step) in steps.iter().enumerate() {
            let (next, read) =
                program.apply(&state, *step).map_err(|blocked| ReplayError::NotEnabled {
                    index,
                    step: program.describe(&state, *step),
                    reason: program.explain(blocked),
                })?;
            builder.step(index, *step, &state, &next, read);
            state = next;
        }
        Ok(builder.finish(steps.len()))
    }

    pub fn event(&self, id: usize) -> &Event {
        &self.events[id]
    }

    /// The edges of one kind.
    pub fn edges_of(&self, kind: EdgeKind) -> impl Iterator<Item = &Edge> + '_ {
        self.edges.iter().filter(move |edge| edge.kind == kind)
    }

    /// The rf edge into a load.
    pub fn rf_into(&self, load: usize) -> Option<&Edge> {
        self.edges_of(EdgeKind::Rf).find(|edge| edge.to == load)
    }
}

struct Builder<'a> {
    program: &'a Program,
    events: Vec<Event>,
    /// Per thread: events with their program-order keys.
    po: BTreeMap<Thread, Vec<(PoKey, usize)>>,
    /// The event of each tag, per word.
    writes: [BTreeMap<Tag, usize>; Word::ALL.len()],
    /// Per word: writes in the order they reached memory.
    co: [Vec<usize>; Word::ALL.len()],
    /// TSO: the store event of each buffered access.
    drains: Vec<Edge>,
    /// Enabled barrier sites: (thread, po key of the event before, site).
    marks: Vec<(Thread, PoKey, Barrier)>,
    /// Per reader: the latest load event of each register.
    loads: BTreeMap<(u8, Register), usize>,
    reads: Vec<ReadSources>,
}

impl<'a> Builder<'a> {
    fn new(program: &'a Program) -> Builder<'a> {
        let mut builder = Builder {
            program,
            events: Vec::new(),
            po: BTreeMap::new(),
            writes: Default::default(),
            co: Default::default(),
            drains: Vec::new(),
            marks: Vec::new(),
            loads: BTreeMap::new(),
            reads: Vec::new(),
        };
        // The words the program shows, and a counter a reader loads while
        // the writer option that bumps it is off (it holds its initial 0).
        let mut words: Vec<Word> = program.words().collect();
        let loaded = (0..program.readers())
            .flat_map(|reader| program.reader_kind(reader).spec().registers)
            .map(|register| register.word());
        for word in loaded {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        for word in words {
            let value = program.value(word, INITIAL);
            let label = if word.is_pte_half() {
                format!("{} = 0x{value:08x} (P0)", word.name())
            } else {
                format!("{} = {value} (initial)", word.name())
            };
            let id =
                builder.push(Thread::Init, EventKind::Init, Some(word), Some(value), None, label);
            builder.writes[word.index()].insert(INITIAL, id);
            builder.co[word.index()].push(id);
        }
        builder
    }

    fn push(
        &mut self,
        thread: Thread,
        kind: EventKind,
        word: Option<Word>,
        value: Option<u32>,
        step: Option<usize>,
        label: String,
    ) -> usize {
        let id = self.events.len();
        self.events.push(Event {
            id,
            thread,
            kind,
            word,
            value,
            from: None,
            step,
            op: None,
            label,
        });
        id
    }

    fn step(
        &mut self,
        index: usize,
        step: Step,
        before: &State,
        after: &State,
        read: Option<CompletedRead>,
    ) {
        let program = self.program;
        match step {
            Step::Writer(access_index) => {
                let access_index = usize::from(access_index);
                let access = program.accesses()[access_index];
                let tag = access_index as Tag + 1;
                let name = program.name(step);
                let label = name.trim_start_matches("writer: ").to_owned();
                let key = (access_index, 0, 0, 0);
                match access.kind {
                    AccessKind::Flush => {
                        let id = self.push(
                            Thread::Writer,
                            EventKind::Flush,
                            None,
                            None,
                            Some(index),
                            label,
                        );
                        self.events[id].op = Some(access.op);
                        self.po_push(Thread::Writer, key, id);
                    }
                    _ => {
                        for (half, word) in
                            Word::ALL.into_iter().filter(|w| access.touches(*w)).enumerate()
                        {
                            let id = self.push(
                                Thread::Writer,
                                EventKind::Write,
                                Some(word),
                                Some(access.stored(word)),
                                Some(index),
                                label.clone(),
                            );
                            self.events[id].op = Some(access.op);
                            self.writes[word.index()].insert(tag, id);
                            self.po_push(Thread::Writer, (access_index, 0, 0, half), id);
                        }
                    }
                }
                for barrier in access.wmbs_after() {
                    if program.scenario().barriers.is_on(barrier) {
                        self.marks.push((Thread::Writer, (access_index, 0, 0, 9), barrier));
                    }
                }
            }
            Step::Drain => {
                if let Some(drained) = program.buffered(before).next() {
                    let access = program.accesses()[drained];
                    if let AccessKind::Store(word) = access.kind {
                        let store = self.writes[word.index()][&(drained as Tag + 1)];
                        let label = format!(
                            "drain {} ← {}",
                            word.name(),
                            crate::machine::word_value(word, access.stored(word))
                        );
                        let id = self.push(
                            Thread::Writer,
                            EventKind::Drain,
                            Some(word),
                            Some(access.stored(word)),
                            Some(index),
                            label,
                        );
                        self.drains.push(Edge { from: store, to: id, kind: EdgeKind::Drain });
                    }
                }
            }
            Step::Reader { reader, action } => {
                let compiled = program.reader_program(reader);
                let Some((block, item)) = compiled.locate(action) else { return };
                let attempt = usize::from(before.reader(reader).retries);
                let thread = Thread::Reader(reader);
                let label = program.name(step);
                let label =
                    label.split_once(": ").map_or(label.clone(), |(_, rest)| rest.to_owned());
                let effect = compiled.blocks[block].items[item].effect;
                let at = after.reader(reader);
                let loaded = |builder: &mut Builder<'_>, register: Register, half: usize| {
                    let slot = compiled.slot(register).expect("the kind has the register");
                    let tag = at.registers[slot];
                    let word = register.word();
                    let value = program.value(word, tag);
                    let label = match (action, effect) {
                        (ReaderAction::Load64, _) => {
                            format!("{} ← {} (64-bit load)", register.name(), word.name())
                        }
                        (_, Effect::Merged { from, .. }) => format!(
                            "{} ← {} (merged with {}: no load)",
                            register.name(),
                            word.name(),
                            from.name()
                        ),
                        _ => label.clone(),
                    };
                    let id = builder.push(
                        thread,
                        EventKind::Load,
                        Some(word),
                        Some(value),
                        Some(index),
                        label,
                    );
                    builder.events[id].from = builder.writes[word.index()].get(&tag).copied();
                    builder.po_push(thread, (block, attempt, item, half), id);
                    builder.loads.insert((reader, register), id);
                    id
                };
                match effect {
                    // A load the compiler merged with an earlier one of its
                    // word reads what that one read: the same write.
                    Effect::Load(register) | Effect::Merged { into: register, .. } => {
                        loaded(self, register, 0);
                    }
                    Effect::Load64 => {
                        loaded(self, Register::R0, 0);
                        loaded(self, Register::R1, 1);
                    }
                    _ => {
                        let id =
                            self.push(thread, EventKind::Other, None, None, Some(index), label);
                        self.po_push(thread, (block, attempt, item, 0), id);
                    }
                }
                if let Some(barrier) = compiled.blocks[block].items[item].rmb_after {
                    if program.scenario().barriers.is_on(barrier) {
                        self.marks.push((thread, (block, attempt, item, 9), barrier));
                    }
                }
                if let Some(read) = read {
                    let low_load = self.loads[&(reader, Register::R0)];
                    // `pmd_read_atomic()`'s none return: its test failed
                    // (passing it leaves a non-zero low half), and the
                    // high half it returns is decided by the low half's load.
                    let returned_none = read.value.low() == 0
                        && matches!(effect, Effect::Test { on_fail: OnFail::ReturnNone, .. });
                    let high_load =
                        if returned_none { low_load } else { self.loads[&(reader, Register::R1)] };
                    self.reads.push(ReadSources { read, low_load, high_load });
                }
            }
        }
        // co: the writes that reached memory with this step.
        for word in Word::ALL {
            let (old, new) = (before.memory_tag(word), after.memory_tag(word));
            if old != new {
                if let Some(id) = self.writes[word.index()].get(&new) {
                    self.co[word.index()].push(*id);
                }
            }
        }
    }

    fn po_push(&mut self, thread: Thread, key: PoKey, id: usize) {
        self.po.entry(thread).or_default().push((key, id));
    }

    fn finish(mut self, steps: usize) -> Execution {
        let mut edges = Vec::new();
        let mut barriers = Vec::new();
        for (thread, events) in &mut self.po {
            short_sort::sort_by_key(events, |(key, _)| *key);
            for pair in events.windows(2) {
                edges.push(Edge { from: pair[0].1, to: pair[1].1, kind: EdgeKind::Po });
            }
            for (mark_thread, key, barrier) in &self.marks {
                if mark_thread != thread {
                    continue;
                }
                // The event just before the site.
                let Some(position) = events.iter().rposition(|(event_key, _)| event_key < key)
                else {
                    continue;
                };
                barriers.push(BarrierMark { barrier: *barrier, after: events[position].1 });
            }
        }
        for event in &self.events {
            if let Some(write) = event.from {
                edges.push(Edge { from: write, to: event.id, kind: EdgeKind::Rf });
            }
        }
        for chain in &self.co {
            for pair in chain.windows(2) {
                edges.push(Edge { from: pair[0], to: pair[1], kind: EdgeKind::Co });
            }
        }
        // fr = rf⁻¹;co: from each load to the co-successor of what it read.
        // Inserted one by one: collecting into a map sorts with the standard
        // sort, a copy of which the page's WebAssembly would carry for this
        // alone (see short_sort).
        let mut successor = BTreeMap::new();
        for edge in edges.iter().filter(|edge| edge.kind == EdgeKind::Co) {
            successor.insert(edge.from, edge.to);
        }
        let fr: Vec<Edge> = edges
            .iter()
            .filter(|edge| edge.kind == EdgeKind::Rf)
            .filter_map(|rf| {
                successor.get(&rf.from).map(|next| Edge {
                    from: rf.to,
                    to: *next,
                    kind: EdgeKind::Fr,
                })
            })
            .collect();
        edges.extend(fr);
        edges.append(&mut self.drains);
        Execution { events: self.events, edges, barriers, reads: self.reads, steps }
    }
}
