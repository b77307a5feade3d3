//! The barrier matrix: for one scenario and under each memory model (SC,
//! x86-TSO, weak, whatever the scenario's own model), whether a read can
//! return a torn value with the scenario's barriers as they are, with each
//! barrier site of its code switched off alone, and the minimal sets of
//! sites that suffice.
//!
//! [`MatrixSearch`] only plans: it names the next [`Variant`] (a model and a
//! set of barriers) whose answer it needs and takes the [`Answer`] back, so
//! whoever explores (the CLI in its own thread, the web page in a worker)
//! drives it. [`barrier_matrix`] drives it with a local [`Explorer`].
//!
//! The search for minimal sufficient sets rests on one law, checked by a
//! property test: switching a barrier off never removes a behaviour (a
//! barrier only makes a later access wait), so with fewer barriers the set
//! of read results only grows. Hence a superset of a sufficient set is
//! sufficient and a subset of an insufficient set is insufficient, and the
//! search explores a set only when neither follows from what it knows.

use std::collections::HashMap;

use crate::explore::{Explorer, Report, TornAnswer};
use crate::program::Program;
use crate::scenario::{Barrier, Barriers, MemoryModel, Scenario, ScenarioError};
use crate::short_sort;

/// One scenario the matrix needs an answer for: the base scenario under
/// `model` with exactly `barriers` switched on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Variant {
    pub model: MemoryModel,
    pub barriers: Barriers,
}

impl Variant {
    /// The base scenario with this variant's model and barriers.
    pub fn scenario(self, base: &Scenario) -> Scenario {
        Scenario { model: self.model, barriers: self.barriers, ..base.clone() }
    }
}

/// Whether one variant can return a torn value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// With a shortest trace that returns a torn value, when one was found
    /// (for an implied answer, the witness of the variant it follows from).
    pub torn: TornAnswer,
    /// Every reachable state was explored (always, for a Never).
    pub complete: bool,
    pub states: u64,
    /// False when the answer follows from other answers by the law that
    /// fewer barriers never remove a behaviour ([`MatrixSearch`]).
    pub explored: bool,
}

impl Answer {
    /// Torn only because of the compiler: the code as written never
    /// returns a torn value, one of its compiled forms does. A report's
    /// torn witness is one of the code as written whenever there is one
    /// ([`TornAnswer::of`]), and an answer with a compiled witness is never
    /// implied from another variant, so this is exact for a complete search.
    pub fn compiler_only(&self) -> bool {
        self.torn.witness().is_some_and(|witness| witness.form != 0)
    }

    /// The answer an exploration's report gives (a shortest torn witness;
    /// among equally short ones, the first by value).
    pub fn of(report: &Report) -> Answer {
        Answer {
            torn: report.torn(),
            complete: report.complete,
            states: report.states,
            explored: true,
        }
    }
}

/// One cell of a model's row: the scenario with one site switched off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteCell {
    pub barrier: Barrier,
    /// False when the scenario already has the site off: the cell is then
    /// the scenario's own answer.
    pub on_in_scenario: bool,
    /// `None` until explored.
    pub answer: Option<Answer>,
}

/// What is known of a model's minimal sufficient sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MinimalSets {
    /// Not searched yet (or not finished).
    Pending,
    /// An exploration the search needed stopped at its state limit without
    /// an answer.
    Undecided,
    /// Every inclusion-minimal set of the code's sites that, switched on
    /// alone, lets no read tear; by size, then in [`Barrier::ALL`] order.
    /// `[[]]`: no barrier is needed; `[]`: no placement prevents a torn read.
    Decided(Vec<Vec<Barrier>>),
}

/// One memory model's row of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelRow {
    pub model: MemoryModel,
    /// The scenario's barriers as they are; `None` until explored.
    pub as_is: Option<Answer>,
    /// One cell per site of [`BarrierMatrix::sites`], in that order.
    pub without: Vec<SiteCell>,
    pub minimal_sets: MinimalSets,
}

impl ModelRow {
    /// Sites that are in no minimal set: with the minimal sets decided and
    /// at least one of them, never needed under this model.
    pub fn never_needed(&self, sites: &[Barrier]) -> Option<Vec<Barrier>> {
        let MinimalSets::Decided(sets) = &self.minimal_sets else { return None };
        if sets.is_empty() {
            return None;
        }
        Some(
            sites
                .iter()
                .copied()
                .filter(|site| sets.iter().all(|set| !set.contains(site)))
                .collect(),
        )
    }
}

/// The matrix of one scenario, complete or as far as it got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BarrierMatrix {
    pub scenario: Scenario,
    /// The barrier sites the scenario's code contains ([`Program::barrier_sites`]).
    pub sites: Vec<Barrier>,
    /// One row per model, in [`MemoryModel::ALL`] order.
    pub models: Vec<ModelRow>,
    /// Explorations run so far and the states they visited.
    pub explorations: u32,
    pub states: u64,
}

impl BarrierMatrix {
    pub fn row(&self, model: MemoryModel) -> &ModelRow {
        &self.models[model.index()]
    }

    /// Every cell and every row's minimal sets are known.
    pub fn is_finished(&self) -> bool {
        self.models.iter().all(|row| {
            row.as_is.is_some()
                && row.without.iter().all(|cell| cell.answer.is_some())
                && row.minimal_sets != MinimalSets::Pending
        })
    }

    /// Sites needed under no model: in no minimal set of any row (every
    /// row's sets decided, and some row with at least one set).
    pub fn never_needed(&self) -> Vec<Barrier> {
        let decided =
            self.models.iter().all(|row| matches!(row.minimal_sets, MinimalSets::Decided(_)));
        if !decided {
            return Vec::new();
        }
        let rows: Vec<Vec<Barrier>> =
            self.models.iter().filter_map(|row| row.never_needed(&self.sites)).collect();
        if rows.is_empty() {
            return Vec::new();
        }
        self.sites
            .iter()
            .copied()
            .filter(|site| rows.iter().all(|row| row.contains(site)))
            .collect()
    }
}

/// Where one model's search for minimal sets stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subsets {
    /// Walking every subset by size; `cursor` indexes [`MatrixSearch::order`].
    Walking {
        cursor: usize,
    },
    Finished,
    Undecided,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct ModelSearch {
    model: MemoryModel,
    subsets: Subsets,
    /// Masks over the sites (bit i = `sites[i]` on) known to suffice
    /// (proven never torn), or not (torn).
    sufficient: Vec<u16>,
    insufficient: Vec<u16>,
    minimal: Vec<u16>,
}

impl ModelSearch {
    /// What the law decides for `mask` without exploring it: torn (with the
    /// mask of a torn superset), or never (a sufficient subset is known).
    fn implied(&self, mask: u16) -> Option<Implied> {
        if let Some(&known) = self.insufficient.iter().find(|&&known| includes(known, mask)) {
            return Some(Implied::Torn { superset: known });
        }
        self.sufficient.iter().find(|&&known| includes(mask, known)).map(|_| Implied::Never)
    }
}

#[derive(Clone, Copy, Debug)]
enum Implied {
    Torn { superset: u16 },
    Never,
}

/// The planner behind [`BarrierMatrix`]: call [`MatrixSearch::next_variant`],
/// explore the variant, hand the [`Answer`] to [`MatrixSearch::record`], and
/// repeat until `next_variant` says `None`.
///
/// The order is fixed: first the scenario's barriers under SC, x86-TSO and
/// weak (the answers a front end shows first); then, model by model, no
/// barrier at all, every site, the scenario's barriers with each site
/// switched off, every site but one, and the other subsets by size. Any of
/// them that the law decides from what is known is filled in without
/// exploring: a torn answer with the witness of the superset that tore
/// (every trace with more barriers is a trace with fewer), a "never" from
/// a subset that never tears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixSearch {
    scenario: Scenario,
    sites: Vec<Barrier>,
    /// Every mask over the sites, by size, then in site order.
    order: Vec<u16>,
    answers: HashMap<Variant, Answer>,
    models: Vec<ModelSearch>,
    explorations: u32,
    states: u64,
}

impl MatrixSearch {
    pub fn new(scenario: Scenario) -> Result<MatrixSearch, ScenarioError> {
        let sites = Program::new(scenario.clone())?.barrier_sites();
        // By size, then lexicographically by the sites each mask holds.
        let mut keyed: Vec<(u32, Vec<u32>, u16)> = (0..1u16 << sites.len())
            .map(|mask| {
                let members = (0..sites.len() as u32).filter(|bit| mask & (1 << bit) != 0);
                (mask.count_ones(), members.collect(), mask)
            })
            .collect();
        short_sort::sort(&mut keyed);
        let order: Vec<u16> = keyed.into_iter().map(|(_, _, mask)| mask).collect();
        let models = MemoryModel::ALL
            .into_iter()
            .map(|model| ModelSearch {
                model,
                subsets: Subsets::Walking { cursor: 0 },
                sufficient: Vec::new(),
                insufficient: Vec::new(),
                minimal: Vec::new(),
            })
            .collect();
        Ok(MatrixSearch {
            scenario,
            sites,
            order,
            answers: HashMap::new(),
            models,
            explorations: 0,
            states: 0,
        })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The answer known for `variant`, if any.
    pub fn answer(&self, variant: Variant) -> Option<&Answer> {
        self.answers.get(&variant)
    }

    /// The scenario's own barriers under `model`.
    pub fn as_is(&self, model: MemoryModel) -> Variant {
        Variant { model, barriers: self.scenario.barriers }
    }

    /// The scenario's barriers under `model` with `barrier` switched off.
    pub fn without(&self, model: MemoryModel, barrier: Barrier) -> Variant {
        Variant { model, barriers: self.scenario.barriers.with(barrier, false) }
    }

    /// Exactly the sites of `mask` on (sites the code does not contain keep
    /// the scenario's setting; they change nothing).
    fn subset(&self, model: MemoryModel, mask: u16) -> Variant {
        let barriers =
            self.sites.iter().enumerate().fold(self.scenario.barriers, |barriers, (bit, site)| {
                barriers.with(*site, mask & (1 << bit) != 0)
            });
        Variant { model, barriers }
    }

    fn mask_of(&self, barriers: Barriers) -> u16 {
        self.sites
            .iter()
            .enumerate()
            .filter(|(_, site)| barriers.is_on(**site))
            .fold(0, |mask, (bit, _)| mask | (1 << bit))
    }

    fn full_mask(&self) -> u16 {
        ((1u32 << self.sites.len()) - 1) as u16
    }

    fn search(&self, model: MemoryModel) -> &ModelSearch {
        &self.models[model.index()]
    }

    /// The answer the law gives for `variant` from what is known, if any.
    fn implied_answer(&self, variant: Variant) -> Option<Answer> {
        let mask = self.mask_of(variant.barriers);
        if self.subset(variant.model, mask) != variant {
            return None;
        }
        match self.search(variant.model).implied(mask)? {
            Implied::Torn { superset } => {
                let tore = self.subset(variant.model, superset);
                let known = self.answers.get(&tore)?;
                let mut torn = known.torn.clone();
                // A compiled witness says the code as written of the other
                // variant never tears; with fewer barriers it may, so this
                // variant is explored to tell the compiler's part (below).
                if torn.witness().is_some_and(|witness| witness.form != 0) {
                    return None;
                }
                // The witness's compiled form is one of this variant's too
                // (fewer barriers: coarser regions); its number here.
                if let TornAnswer::Sometimes(witness) = &mut torn {
                    let form = Program::compiled(tore.scenario(&self.scenario), witness.form)
                        .ok()?
                        .form()
                        .clone();
                    witness.form = Program::with_form(variant.scenario(&self.scenario), &form)
                        .ok()?
                        .form_index();
                }
                Some(Answer { torn, states: 0, explored: false, ..known.clone() })
            }
            Implied::Never => {
                Some(Answer { torn: TornAnswer::Never, complete: true, states: 0, explored: false })
            }
        }
    }

    /// `Some(variant)` when it still needs exploring; fills in an answer the
    /// law implies instead.
    fn needs(&mut self, variant: Variant) -> Option<Variant> {
        if self.answers.contains_key(&variant) {
            return None;
        }
        match self.implied_answer(variant) {
            Some(answer) => {
                self.remember(variant, answer);
                None
            }
            None => Some(variant),
        }
    }

    /// The next variant whose answer the matrix needs, or `None` when it is
    /// finished. Calling it again without recording an answer names the
    /// same variant.
    pub fn next_variant(&mut self) -> Option<Variant> {
        for model in MemoryModel::ALL {
            let variant = self.as_is(model);
            if !self.answers.contains_key(&variant) {
                return Some(variant);
            }
        }
        let full = self.full_mask();
        for model in MemoryModel::ALL {
            let mut wanted = vec![self.subset(model, 0), self.subset(model, full)];
            wanted.extend(self.sites.iter().map(|site| self.without(model, *site)));
            wanted.extend((0..self.sites.len()).map(|bit| self.subset(model, full & !(1 << bit))));
            for variant in wanted {
                if let Some(variant) = self.needs(variant) {
                    return Some(variant);
                }
            }
            if let Some(variant) = self.walk(model.index()) {
                return Some(variant);
            }
        }
        None
    }

    /// Walks model `index`'s subsets by size up to the next one that must
    /// be explored; a subset is minimal when it suffices and every smaller
    /// one (all passed already) does not.
    fn walk(&mut self, index: usize) -> Option<Variant> {
        let model = self.models[index].model;
        loop {
            let Subsets::Walking { cursor } = self.models[index].subsets else { return None };
            let Some(&mask) = self.order.get(cursor) else {
                self.models[index].subsets = Subsets::Finished;
                return None;
            };
            let search = &self.models[index];
            if search.minimal.iter().any(|&minimal| includes(mask, minimal)) {
                // A superset of a minimal set.
                self.models[index].subsets = Subsets::Walking { cursor: cursor + 1 };
                continue;
            }
            match search.implied(mask) {
                Some(Implied::Torn { .. }) => {}
                Some(Implied::Never) => self.models[index].minimal.push(mask),
                None => {
                    let variant = self.subset(model, mask);
                    if self.answers.contains_key(&variant) {
                        // Explored, but the state limit left it open.
                        self.models[index].subsets = Subsets::Undecided;
                        return None;
                    }
                    return Some(variant);
                }
            }
            self.models[index].subsets = Subsets::Walking { cursor: cursor + 1 };
        }
    }

    /// Records the answer an exploration of `variant` gave (normally the
    /// variant [`MatrixSearch::next_variant`] named).
    pub fn record(&mut self, variant: Variant, answer: Answer) {
        self.explorations += 1;
        self.states += answer.states;
        self.remember(variant, Answer { explored: true, ..answer });
    }

    fn remember(&mut self, variant: Variant, answer: Answer) {
        let mask = self.mask_of(variant.barriers);
        // Only variants that agree with the scenario outside the code's
        // sites say something about subsets of the sites.
        if self.subset(variant.model, mask) == variant {
            let search = &mut self.models[variant.model.index()];
            match answer.torn {
                TornAnswer::Sometimes(_) => search.insufficient.push(mask),
                TornAnswer::Never => search.sufficient.push(mask),
                TornAnswer::Unknown => {}
            }
        }
        self.answers.insert(variant, answer);
    }

    /// The matrix as far as it is known.
    pub fn matrix(&self) -> BarrierMatrix {
        let models = self
            .models
            .iter()
            .map(|search| {
                let model = search.model;
                let without = self
                    .sites
                    .iter()
                    .map(|&barrier| SiteCell {
                        barrier,
                        on_in_scenario: self.scenario.barriers.is_on(barrier),
                        answer: self.answers.get(&self.without(model, barrier)).cloned(),
                    })
                    .collect();
                let minimal_sets = match search.subsets {
                    Subsets::Walking { .. } => MinimalSets::Pending,
                    Subsets::Undecided => MinimalSets::Undecided,
                    Subsets::Finished => MinimalSets::Decided(
                        search
                            .minimal
                            .iter()
                            .map(|&mask| {
                                self.sites
                                    .iter()
                                    .enumerate()
                                    .filter(|(bit, _)| mask & (1 << bit) != 0)
                                    .map(|(_, site)| *site)
                                    .collect()
                            })
                            .collect(),
                    ),
                };
                ModelRow {
                    model,
                    as_is: self.answers.get(&self.as_is(model)).cloned(),
                    without,
                    minimal_sets,
                }
            })
            .collect();
        BarrierMatrix {
            scenario: self.scenario.clone(),
            sites: self.sites.clone(),
            models,
            explorations: self.explorations,
            states: self.states,
        }
    }
}

/// Does the set of sites `set` include every site of `part`?
fn includes(set: u16, part: u16) -> bool {
    set & part == part
}

/// Explores one variant to the end or to `max_states`.
pub(crate) fn explore_variant(
    base: &Scenario,
    variant: Variant,
    max_states: u32,
) -> Result<Report, ScenarioError> {
    let mut explorer = Explorer::new(variant.scenario(base))?.with_max_states(max_states);
    explorer.run_to_end();
    Ok(explorer.report())
}

/// The whole matrix of `scenario`, each exploration capped at `max_states`.
pub fn barrier_matrix(scenario: Scenario, max_states: u32) -> Result<BarrierMatrix, ScenarioError> {
    let mut search = MatrixSearch::new(scenario)?;
    while let Some(variant) = search.next_variant() {
        let report = explore_variant(search.scenario(), variant, max_states)?;
        search.record(variant, Answer::of(&report));
    }
    Ok(search.matrix())
}
