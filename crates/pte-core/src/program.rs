//! The compiled form of a scenario: the writer's operations flattened into
//! the accesses a thread performs, and each reader kind compiled into a
//! program of blocks, with the ordering each access must wait for
//! precomputed as bit masks.
//!
//! Barriers are not accesses: they never appear as steps. They only decide
//! which earlier access a later one waits for (under the weak model), and
//! stay visible in the listing the front ends draw from [`Scenario::writer`].

pub use crate::access::{AccessKind, ValueName, WriterAccess};
use crate::compiler::{compiled_forms, CompiledForm};
use crate::model::ModelRules;
use crate::reader::{ReaderProgram, Readers};
use crate::scenario::{
    Barrier, Barriers, FlushMode, MemoryModel, Pte, ReaderKind, Scenario, ScenarioError, WriterOp,
};
pub use crate::words::{Order, Register, Word};
use crate::writer::{self, Stores, WriterOptionSpec, Writes};

/// A tag names the write a word's value came from: 0 is the initial P0,
/// `i + 1` is writer access `i`. Memory and registers hold tags, not values,
/// so a state stays small and every value keeps its provenance.
pub type Tag = u8;

/// The initial value's tag.
pub const INITIAL: Tag = 0;

/// A validated scenario, compiled for stepping and exploration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    scenario: Scenario,
    /// Which of the scenario's compiled forms this is (0: as written).
    form_index: usize,
    form: CompiledForm,
    /// How many compiled forms the scenario has.
    form_count: usize,
    accesses: Vec<WriterAccess>,
    /// For access `j`, the mask of earlier accesses it waits for.
    writer_waits: Vec<u64>,
    /// Each reader's compiled program.
    readers: Readers,
    /// Per word: for each tag, the first tag that stands for the same value.
    first_tag: [Vec<Tag>; Word::ALL.len()],
    /// Per word: the mask of writer accesses that store to it.
    stores_to: [u64; Word::ALL.len()],
    /// The mask of flushes that wait for readers' interrupts (flush mode IPI).
    ipi_flushes: u64,
}

impl Program {
    /// The scenario's program as written (its compiled form 0).
    pub fn new(scenario: Scenario) -> Result<Program, ScenarioError> {
        Program::compiled(scenario, 0)
    }

    /// How many ways the compiler may compile the scenario
    /// (`crate::compiler`): 1 with the compiler off.
    pub fn forms_of(scenario: &Scenario) -> Result<usize, ScenarioError> {
        scenario.validate()?;
        Ok(compiled_forms(scenario, &op_kinds(&flatten_ops(scenario))).len())
    }

    /// The scenario compiled in its form `form_index` (0: as written).
    pub fn compiled(scenario: Scenario, form_index: usize) -> Result<Program, ScenarioError> {
        scenario.validate()?;
        let ops = flatten_ops(&scenario);
        let forms = compiled_forms(&scenario, &op_kinds(&ops));
        let form_count = forms.len();
        let form = forms.into_iter().nth(form_index).ok_or(ScenarioError::NoSuchItem {
            field: "compiled form",
            number: form_index as u64,
            count: form_count,
        })?;
        Ok(Program::build(scenario, &ops, form, form_index, form_count))
    }

    /// The scenario compiled in `form`, which must be one of its compiled
    /// forms (a form of the same scenario with more barriers is one: its
    /// regions are finer).
    pub fn with_form(scenario: Scenario, form: &CompiledForm) -> Result<Program, ScenarioError> {
        scenario.validate()?;
        let ops = flatten_ops(&scenario);
        let forms = compiled_forms(&scenario, &op_kinds(&ops));
        let form_count = forms.len();
        let form_index = forms.iter().position(|candidate| candidate == form).ok_or(
            ScenarioError::UnknownName {
                field: "compiled form",
                value: "a form the compiler may not produce for this scenario".to_owned(),
            },
        )?;
        Ok(Program::build(scenario, &ops, form.clone(), form_index, form_count))
    }

    /// The scenario in every compiled form the rules allow, including those
    /// the explorer skips because the model's CPU subsumes them
    /// ([`crate::compiler::compiled_forms`]); for the law that says so.
    #[doc(hidden)]
    pub fn every_form(scenario: &Scenario) -> Result<Vec<Program>, ScenarioError> {
        scenario.validate()?;
        let ops = flatten_ops(scenario);
        let forms = crate::compiler::every_compiled_form(scenario, &op_kinds(&ops));
        let count = forms.len();
        Ok(forms
            .into_iter()
            .enumerate()
            .map(|(index, form)| Program::build(scenario.clone(), &ops, form, index, count))
            .collect())
    }

    /// A scenario with a subset of another's readers, compiled in the other's
    /// form (the explorer's one-reader witness searches).
    pub(crate) fn with_form_of(scenario: Scenario, other: &Program) -> Program {
        let ops = flatten_ops(&scenario);
        Program::build(scenario, &ops, other.form.clone(), other.form_index, other.form_count)
    }

    fn build(
        scenario: Scenario,
        ops: &[(WriterOp, Vec<WriterAccess>)],
        form: CompiledForm,
        form_index: usize,
        form_count: usize,
    ) -> Program {
        let accesses: Vec<WriterAccess> = ops
            .iter()
            .flat_map(|(op, own)| {
                let order = form.writer_order(*op).expect("every operation kind has an order");
                // The accesses move; the barrier sites stay where they are.
                order.iter().enumerate().map(|(slot, from)| WriterAccess {
                    wmb_after: own[slot].wmb_after,
                    seq_wmb_after: own[slot].seq_wmb_after,
                    ..own[usize::from(*from)]
                })
            })
            .collect();
        let writer_waits = writer_waits(&scenario, &accesses);
        let kinds: Vec<ReaderKind> =
            (0..scenario.readers).map(|reader| scenario.reader_kind(reader)).collect();
        let readers = Readers::new(&kinds, scenario.model, scenario.barriers, &form);
        let mask_of = |keep: &dyn Fn(&WriterAccess) -> bool| {
            accesses
                .iter()
                .enumerate()
                .filter(|(_, access)| keep(access))
                .fold(0u64, |mask, (index, _)| mask | (1 << index))
        };
        let stores_to = Word::ALL.map(|word| mask_of(&|access| access.touches(word)));
        let ipi = scenario.flush == FlushMode::Ipi;
        let ipi_flushes = mask_of(&|access| ipi && access.kind == AccessKind::Flush);
        let mut program = Program {
            scenario,
            form_index,
            form,
            form_count,
            accesses,
            writer_waits,
            readers,
            first_tag: std::array::from_fn(|_| Vec::new()),
            stores_to,
            ipi_flushes,
        };
        for word in Word::ALL {
            let tags = 0..=program.accesses.len() as Tag;
            program.first_tag[word.index()] = tags
                .clone()
                .map(|tag| {
                    let value = program.value(word, tag);
                    tags.clone().find(|first| program.value(word, *first) == value).unwrap_or(tag)
                })
                .collect();
        }
        program
    }

    /// The writer options on in this program, each with its counter word.
    pub fn options(&self) -> impl Iterator<Item = &'static WriterOptionSpec> + '_ {
        writer::options_on(&self.scenario)
    }

    /// The memory words this program shows: the PTE's two halves, then the
    /// counter of each writer option that is on.
    pub fn words(&self) -> impl Iterator<Item = Word> + '_ {
        [Word::Low, Word::High].into_iter().chain(self.options().map(|option| option.word))
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Which compiled form of its scenario this program is (0: as written).
    pub fn form_index(&self) -> usize {
        self.form_index
    }

    /// The compiled form this program runs.
    pub fn form(&self) -> &CompiledForm {
        &self.form
    }

    /// How many compiled forms the scenario has.
    pub fn form_count(&self) -> usize {
        self.form_count
    }

    /// What the compiler did in this program's form, one sentence per
    /// change ([`crate::compiler::describe`]); empty as written.
    pub fn compiled_changes(&self) -> Vec<String> {
        crate::compiler::describe(
            &self.scenario,
            &op_kinds(&flatten_ops(&self.scenario)),
            &self.form,
        )
    }

    pub fn model(&self) -> MemoryModel {
        self.scenario.model
    }

    /// What the scenario's memory model allows.
    pub fn rules(&self) -> ModelRules {
        self.scenario.model.rules()
    }

    pub fn accesses(&self) -> &[WriterAccess] {
        &self.accesses
    }

    pub fn readers(&self) -> u8 {
        self.scenario.readers
    }

    /// The mask of earlier writer accesses access `index` waits for.
    pub(crate) fn writer_waits(&self, index: usize) -> u64 {
        self.writer_waits[index]
    }

    /// Reader `reader`'s compiled program (shared by readers of its kind).
    #[inline]
    pub fn reader_program(&self, reader: u8) -> &ReaderProgram {
        self.readers.program(reader)
    }

    /// Readers grouped by kind: only readers of one group are interchangeable.
    pub(crate) fn reader_groups(&self) -> &[Vec<u8>] {
        &self.readers.groups
    }

    /// The barrier sites this program's code contains, switched on or off,
    /// in [`Barrier::ALL`] order: those after some writer access and those
    /// in some reader's program (the `seq_*` sites only with the sequence
    /// counter, the `reader_rmb*` sites only with a lockless or GUP-fast
    /// reader).
    pub fn barrier_sites(&self) -> Vec<Barrier> {
        let writer = self.accesses.iter().flat_map(WriterAccess::wmbs_after);
        let readers = (0..self.scenario.readers).flat_map(|reader| {
            self.reader_program(reader)
                .blocks
                .iter()
                .flat_map(|block| block.items.iter().filter_map(|item| item.rmb_after))
                .collect::<Vec<_>>()
        });
        let present: Vec<Barrier> = writer.chain(readers).collect();
        Barrier::ALL.into_iter().filter(|site| present.contains(site)).collect()
    }

    /// The mask of writer accesses that store to `word`.
    #[inline]
    pub(crate) fn stores_to(&self, word: Word) -> u64 {
        self.stores_to[word.index()]
    }

    /// The mask of flushes that wait for readers' interrupts.
    #[inline]
    pub(crate) fn ipi_flushes(&self) -> u64 {
        self.ipi_flushes
    }

    /// The mask with one bit per writer access.
    pub(crate) fn all_accesses(&self) -> u64 {
        mask_below(self.accesses.len())
    }

    /// The 32-bit value a tag stands for in `word`.
    pub fn value(&self, word: Word, tag: Tag) -> u32 {
        match tag {
            INITIAL => match word {
                Word::Low => self.scenario.values.p0.low(),
                Word::High => self.scenario.values.p0.high(),
                Word::Seq | Word::Count => 0,
            },
            tag => self.accesses[usize::from(tag - 1)].stored(word),
        }
    }

    /// The first tag that stands for the same value in `word` as `tag`.
    #[inline]
    pub(crate) fn first_tag_with_value(&self, word: Word, tag: Tag) -> Tag {
        self.first_tag[word.index()][usize::from(tag)]
    }

    /// Which write a tag stands for.
    pub fn source(&self, tag: Tag) -> Source {
        match tag {
            INITIAL => Source::Initial,
            tag => {
                let access = &self.accesses[usize::from(tag - 1)];
                Source::Write { op: access.op, value: access.value_name }
            }
        }
    }

    /// Why later access `later` waits for earlier access `earlier`, if it does.
    pub(crate) fn writer_order(&self, earlier: usize, later: usize) -> Option<Order> {
        self.writer_order_with(self.scenario.barriers, earlier, later)
    }

    /// [`Program::writer_order`] as if `barriers` were the switched-on sites:
    /// what a site switched on would have ordered.
    pub(crate) fn writer_order_with(
        &self,
        barriers: Barriers,
        earlier: usize,
        later: usize,
    ) -> Option<Order> {
        if self.rules().in_program_order {
            (earlier < later).then_some(Order::ProgramOrder)
        } else {
            weak_writer_order(barriers, &self.accesses, earlier, later)
        }
    }

    /// Why item `later` of reader `reader`'s block `block` waits for item
    /// `earlier`, if it does.
    pub(crate) fn reader_order(
        &self,
        reader: u8,
        block: usize,
        earlier: usize,
        later: usize,
    ) -> Option<Order> {
        self.reader_order_with(self.scenario.barriers, reader, block, earlier, later)
    }

    /// [`Program::reader_order`] as if `barriers` were the switched-on sites.
    pub(crate) fn reader_order_with(
        &self,
        barriers: Barriers,
        reader: u8,
        block: usize,
        earlier: usize,
        later: usize,
    ) -> Option<Order> {
        self.reader_program(reader).order(block, earlier, later, self.model(), barriers)
    }
}

/// Where the value of one half came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// The initial entry P0.
    Initial,
    /// Written by writer operation `op` (an index into [`Scenario::writer`]).
    Write { op: u8, value: ValueName },
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Initial => write!(f, "P0 (initial)"),
            Source::Write { op, value } => write!(f, "{value} (writer op {})", op + 1),
        }
    }
}

pub(crate) fn mask_below(count: usize) -> u64 {
    if count >= 64 {
        u64::MAX
    } else {
        (1u64 << count) - 1
    }
}

/// Under the weak model, why store or flush `later` waits for `earlier`
/// (earlier in program order), if it does: a flush is a full ordering
/// point, two stores to a common word stay in order, and otherwise the
/// latest enabled wmb between them orders them.
fn weak_writer_order(
    barriers: Barriers,
    accesses: &[WriterAccess],
    earlier: usize,
    later: usize,
) -> Option<Order> {
    let (a, b) = (&accesses[earlier], &accesses[later]);
    if !a.is_store() || !b.is_store() {
        return Some(Order::Full);
    }
    if a.shares_word(b) {
        return Some(Order::SameWord);
    }
    accesses[earlier..later]
        .iter()
        .rev()
        .flat_map(|access| access.wmbs_after().rev())
        .find(|barrier| barriers.is_on(*barrier))
        .map(Order::Barrier)
}

/// The first operation of each kind with its accesses as written: every
/// operation of a kind is compiled the same way.
fn op_kinds(ops: &[(WriterOp, Vec<WriterAccess>)]) -> Vec<(WriterOp, Vec<WriterAccess>)> {
    let mut kinds: Vec<(WriterOp, Vec<WriterAccess>)> = Vec::new();
    for (op, own) in ops {
        if !kinds.iter().any(|(kind, _)| kind == op) {
            kinds.push((*op, own.clone()));
        }
    }
    kinds
}

/// The writer's accesses as written, operation by operation.
fn flatten_ops(scenario: &Scenario) -> Vec<(WriterOp, Vec<WriterAccess>)> {
    let values = &scenario.values;
    let mut accesses: Vec<(WriterOp, Vec<WriterAccess>)> = Vec::new();
    let mut established = 0u8;
    // How many times each writer option has bumped its counter.
    let mut counters = vec![0u8; writer::OPTIONS.len()];
    for (op_index, op) in scenario.writer.iter().enumerate() {
        let op_index = op_index as u8;
        let access = |kind, value, value_name| WriterAccess {
            op: op_index,
            kind,
            value,
            value_name,
            wmb_after: None,
            seq_wmb_after: None,
        };
        let spec = op.spec();
        let (value, value_name) = match spec.writes {
            Writes::Zap => (values.z, ValueName::Z),
            Writes::Establish => {
                established += 1;
                (values.p[usize::from(established - 1)], ValueName::P(established))
            }
            Writes::Nothing => (Pte(0), ValueName::Z),
        };
        let mut own = Vec::with_capacity(2);
        match spec.stores {
            Stores::Halves(words) => {
                for word in words {
                    own.push(access(AccessKind::Store(word), value, value_name));
                }
            }
            Stores::Both => own.push(access(AccessKind::StoreBoth, value, value_name)),
            Stores::Flush if scenario.flush == FlushMode::None => {}
            Stores::Flush => own.push(access(AccessKind::Flush, value, value_name)),
        }
        for (access, site) in own.iter_mut().zip(spec.wmb_sites) {
            access.wmb_after = Some(*site);
        }
        // Each option on that wraps the operation: its begin bump and
        // barrier before the stores, its barrier and end bump after them
        // (write_seqcount_begin(): seq ← seq + 1; smp_wmb(); …the update…;
        // write_seqcount_end(): smp_wmb(); seq ← seq + 1).
        let mut before = Vec::new();
        let mut after = Vec::new();
        for (option, bumps) in writer::OPTIONS.iter().zip(&mut counters) {
            if !(option.enabled)(scenario) || !(option.wraps)(*op) {
                continue;
            }
            let counter = AccessKind::Store(option.word);
            if let Some(wrap) = &option.begin {
                *bumps += 1;
                let mut begin = access(counter, Pte(0), ValueName::Counter(option.word, *bumps));
                begin.wmb_after = Some(wrap.site);
                before.push(begin);
            }
            if let Some(wrap) = &option.end {
                *bumps += 1;
                let mut end = access(counter, Pte(0), ValueName::Counter(option.word, *bumps));
                // This option nests inside the ones before it: its barrier
                // follows the operation's last store, and the barrier an
                // outer option put there moves onto this option's bump,
                // before the outer bump (…; smp_wmb(); count++; smp_wmb();
                // seq++).
                if let Some(last) = own.last_mut() {
                    end.wmb_after = last.seq_wmb_after.replace(wrap.site);
                }
                after.insert(0, end);
            }
        }
        let mut all = before;
        all.extend(own);
        all.extend(after);
        accesses.push((*op, all));
    }
    accesses
}

fn writer_waits(scenario: &Scenario, accesses: &[WriterAccess]) -> Vec<u64> {
    if scenario.model.rules().in_program_order {
        return (0..accesses.len()).map(mask_below).collect();
    }
    (0..accesses.len())
        .map(|later| {
            (0..later)
                .filter(|&earlier| {
                    weak_writer_order(scenario.barriers, accesses, earlier, later).is_some()
                })
                .fold(0u64, |mask, earlier| mask | (1 << earlier))
        })
        .collect()
}
