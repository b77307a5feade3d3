//! Building a scenario from the command line: a catalog preset, a scenario
//! file or the kernel protocol as the base, then flags that override single
//! fields. Also the value parsers clap calls, whose messages name the value
//! and the range or the choices (clap adds the flag's name).

use std::path::Path;

use clap::Args;
use pte_core::{
    catalog, Arch, Barrier, Edit, FlushMode, MemoryModel, Pte, ReaderKind, Scenario, ValueSlot,
    WriterOp, MAX_READERS, MAX_WRITER_OPS,
};

use crate::{CliError, ScenarioSource};

/// Flags that change one field of the scenario. They fold into the core's
/// edits ([`Edit`]), applied in a fixed order: writer (--writer or
/// --cycles), arch, present bit, values, same or different low half,
/// flush, readers, reader kinds, sequence counter, compiler, marked
/// accesses, model, barriers.
#[derive(Clone, Debug, Default, Args)]
#[command(next_help_heading = "Scenario")]
pub struct ScenarioFlags {
    /// Memory model: sc (sequential consistency), tso (x86-TSO) or weak (ARMv8-like,
    /// multicopy-atomic)
    #[arg(long, value_name = "MODEL", value_parser = parse_model)]
    pub model: Option<MemoryModel>,

    /// Architecture layout: x86_pae, mips_sh or present_high; sets the present
    /// bit and rewrites the writer's zap and establish orders
    #[arg(long, value_name = "ARCH", value_parser = parse_arch)]
    pub arch: Option<Arch>,

    /// The present bit's position in the 64-bit PTE, 0..=63
    #[arg(long, value_name = "N", value_parser = parse_present_bit)]
    pub present_bit: Option<u8>,

    /// The writer's operations, comma-separated: zap, zap_high_first,
    /// zap_atomic, establish, establish_low_first, flush
    #[arg(long, value_name = "OPS", value_delimiter = ',', value_parser = parse_writer_op)]
    #[arg(conflicts_with = "cycles")]
    pub writer: Option<Vec<WriterOp>>,

    /// The writer repeats zap, flush, establish Pn this many times
    #[arg(long, value_name = "N", value_parser = parse_cycles)]
    pub cycles: Option<usize>,

    /// The initial PTE P0, as 0x and up to 16 hex digits
    #[arg(long, value_name = "HEX", value_parser = parse_pte)]
    pub p0: Option<Pte>,

    /// The not-present value Z a zap stores
    #[arg(long, value_name = "HEX", value_parser = parse_pte)]
    pub z: Option<Pte>,

    /// P1..PN, comma-separated: one value per establish operation
    #[arg(long, value_name = "HEX,...", value_delimiter = ',', value_parser = parse_pte)]
    pub p: Option<Vec<Pte>>,

    /// Every Pn reuses P0's low half (the case the re-read of low cannot see)
    #[arg(long, conflicts_with_all = ["different_low", "p"])]
    pub same_low: bool,

    /// Every Pn gets a low half of its own
    #[arg(long, conflicts_with = "p")]
    pub different_low: bool,

    /// TLB flush mode: none, ipi or paravirt
    #[arg(long, value_name = "MODE", value_parser = parse_flush)]
    pub flush: Option<FlushMode>,

    /// How many readers race with the writer, 1..=4
    #[arg(long, value_name = "N", value_parser = parse_readers)]
    pub readers: Option<u8>,

    /// Switch a barrier site off (repeatable or comma-separated): zap_wmb1,
    /// zap_wmb2, establish_wmb1, establish_wmb2, reader_rmb1, reader_rmb2,
    /// seq_wmb_begin, seq_wmb_end, seq_rmb_begin, seq_rmb_retry, pmd_rmb
    #[arg(long, value_name = "SITE", value_delimiter = ',', value_parser = parse_barrier)]
    pub barrier_off: Vec<Barrier>,

    /// Switch a barrier site on (after --no-barriers, or on a preset with it off)
    #[arg(long, value_name = "SITE", value_delimiter = ',', value_parser = parse_barrier)]
    pub barrier_on: Vec<Barrier>,

    /// Switch every barrier site off (then --barrier-on turns single sites on)
    #[arg(long)]
    pub no_barriers: bool,

    /// The readers' kinds, one per reader, comma-separated: lockless (the
    /// ptep_get_lockless() loop), gup_fast (with its re-check), atomic64 (the
    /// TLB walker's 64-bit load), seqcount (the sequence-counter reader),
    /// pmd_read_atomic (x86 PAE's, before v6.2), read_once64 (GUP-fast's
    /// READ_ONCE(*pmdp) on i386, before v6.2), kvm_spte (KVM's
    /// __get_spte_lockless() on a 32-bit host; with --clear-counter)
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = parse_reader_kind)]
    pub reader_kinds: Option<Vec<ReaderKind>>,

    /// Wrap every zap and establish in write_seqcount_begin()/end() on a
    /// third word, seq (the writer side of the sequence-counter fix)
    #[arg(long)]
    pub seqcount: bool,

    /// KVM's clear counter (count_spte_clear()): after every zap, smp_wmb()
    /// and count + 1 on a fourth word, count
    #[arg(long)]
    pub clear_counter: bool,

    /// The compiler (COMPILER.md): on, it may reorder and merge plain
    /// accesses between compiler barriers; off, programs run as written
    #[arg(long, value_name = "ON|OFF", value_parser = parse_on_off)]
    pub compiler: Option<bool>,

    /// Which side's PTE accesses are marked (comma-separated): writer
    /// (WRITE_ONCE()), reader (READ_ONCE()), or none; a side not named is plain
    #[arg(long, value_name = "SIDES", value_delimiter = ',', value_parser = parse_marked_side)]
    pub marked: Option<Vec<MarkedSide>>,
}

/// A side `--marked` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkedSide {
    Writer,
    Reader,
    None,
}

impl ScenarioFlags {
    /// True when no flag was given.
    pub fn is_empty(&self) -> bool {
        self.model.is_none()
            && self.arch.is_none()
            && self.present_bit.is_none()
            && self.writer.is_none()
            && self.cycles.is_none()
            && self.p0.is_none()
            && self.z.is_none()
            && self.p.is_none()
            && !self.same_low
            && !self.different_low
            && self.flush.is_none()
            && self.readers.is_none()
            && self.barrier_off.is_empty()
            && self.barrier_on.is_empty()
            && !self.no_barriers
            && self.reader_kinds.is_none()
            && !self.seqcount
            && !self.clear_counter
            && self.compiler.is_none()
            && self.marked.is_none()
    }

    /// Changes `scenario` by every flag given (the edits of
    /// [`ScenarioFlags::edits`]), then validates it.
    pub fn apply(&self, scenario: &mut Scenario) -> Result<(), CliError> {
        let edits = self.edits(scenario)?;
        scenario.apply_edits(edits).map_err(CliError::invalid_scenario)
    }

    /// The flags as a list of the core's edits of `base`, in the order the
    /// flags apply. A flag whose arguments do not fit the scenario (a
    /// value count, a number of kinds) is refused here, naming the flag.
    pub fn edits(&self, base: &Scenario) -> Result<Vec<Edit>, CliError> {
        if let Some(both) = self.barrier_on.iter().find(|site| self.barrier_off.contains(site)) {
            return Err(CliError::Input(format!(
                "--barrier-on and --barrier-off both name {}",
                both.id()
            )));
        }
        let mut edits = Vec::new();
        if let Some(writer) = &self.writer {
            if writer.len() > MAX_WRITER_OPS {
                return Err(CliError::Input(format!(
                    "--writer: {} operations is more than the limit of {MAX_WRITER_OPS}",
                    writer.len()
                )));
            }
            edits.push(Edit::Writer(writer.clone()));
        }
        if let Some(cycles) = self.cycles {
            edits.push(Edit::Writer(Scenario::cycles(cycles).writer));
        }
        if let Some(arch) = self.arch {
            edits.push(Edit::Arch(arch));
        }
        if let Some(bit) = self.present_bit {
            edits.push(Edit::PresentBit(bit));
        }
        if let Some(p0) = self.p0 {
            edits.push(Edit::Value { slot: ValueSlot::P0, value: p0 });
        }
        if let Some(z) = self.z {
            edits.push(Edit::Value { slot: ValueSlot::Z, value: z });
        }
        if let Some(p) = &self.p {
            // A new writer (an arch keeps the count) decides how many there are.
            let establishes = match edits.iter().rev().find_map(|edit| match edit {
                Edit::Writer(ops) => Some(ops),
                _ => None,
            }) {
                Some(ops) => ops.iter().filter(|op| op.is_establish()).count(),
                None => base.establish_count(),
            };
            if p.len() != establishes {
                return Err(CliError::Input(format!(
                    "--p: {} value(s) given, but the writer establishes {establishes} PTE(s)",
                    p.len()
                )));
            }
            edits.extend(p.iter().enumerate().map(|(index, value)| Edit::Value {
                slot: ValueSlot::P(index + 1),
                value: *value,
            }));
        }
        if self.same_low || self.different_low {
            edits.push(Edit::SameLow(self.same_low));
        }
        if let Some(flush) = self.flush {
            edits.push(Edit::Flush(flush));
        }
        let mut readers = base.readers;
        if let Some(count) = self.readers {
            readers = count;
            edits.push(Edit::Readers(count));
        }
        if let Some(kinds) = &self.reader_kinds {
            if self.readers.is_none() && kinds.len() > usize::from(readers) {
                // One kind per reader: the kinds say how many there are.
                readers = kinds.len().min(MAX_READERS) as u8;
                edits.push(Edit::Readers(readers));
            }
            if kinds.len() > usize::from(readers) {
                return Err(CliError::Input(format!(
                    "--reader-kinds names {} kinds, but there are {readers} reader(s) (set --readers)",
                    kinds.len(),
                )));
            }
            // Readers beyond the list run the lockless reader.
            edits.extend((0..readers).map(|reader| Edit::ReaderKind {
                reader,
                kind: kinds.get(usize::from(reader)).copied().unwrap_or_default(),
            }));
        }
        if self.seqcount {
            edits.push(Edit::Seqcount(true));
        }
        if self.clear_counter {
            edits.push(Edit::ClearCounter(true));
        }
        if let Some(on) = self.compiler {
            edits.push(Edit::Compiler(on));
        }
        if let Some(sides) = &self.marked {
            if sides.contains(&MarkedSide::None) && sides.len() > 1 {
                return Err(CliError::Input(
                    "--marked: none cannot be given with writer or reader".to_owned(),
                ));
            }
            edits.push(Edit::MarkedWriter(sides.contains(&MarkedSide::Writer)));
            edits.push(Edit::MarkedReader(sides.contains(&MarkedSide::Reader)));
        }
        if let Some(model) = self.model {
            edits.push(Edit::Model(model));
        }
        if self.no_barriers {
            edits.extend(Barrier::ALL.map(|barrier| Edit::Barrier { barrier, on: false }));
        }
        edits.extend(self.barrier_off.iter().map(|&barrier| Edit::Barrier { barrier, on: false }));
        edits.extend(self.barrier_on.iter().map(|&barrier| Edit::Barrier { barrier, on: true }));
        Ok(edits)
    }
}

/// The base scenario: a preset by id, a scenario file, or the kernel protocol.
pub fn base_scenario(preset: Option<&str>, file: Option<&Path>) -> Result<Scenario, CliError> {
    match (preset, file) {
        (_, Some(path)) => {
            let text = read_file(path)?;
            Scenario::from_json(&text)
                .map_err(|error| CliError::Input(format!("{}: {error}", path.display())))
        }
        (Some(id), None) => Ok(find_preset(id)?.scenario()),
        (None, None) => Ok(Scenario::kernel()),
    }
}

/// The scenario a command works on (a preset, a file or the kernel
/// protocol, changed by the flags) and the name of where it came from:
/// "same-low-none", "kernel, changed by flags", a file's path.
pub fn scenario_and_base(
    source: &ScenarioSource,
    flags: &ScenarioFlags,
) -> Result<(Scenario, String), CliError> {
    let (preset, file) = (source.preset.as_deref(), source.file.as_deref());
    let mut scenario = base_scenario(preset, file)?;
    flags.apply(&mut scenario)?;
    let base = match (preset, file) {
        (_, Some(path)) => path.display().to_string(),
        (Some(id), None) if flags.is_empty() => id.to_owned(),
        (Some(id), None) => format!("{id}, changed by flags"),
        (None, None) if flags.is_empty() => "kernel".to_owned(),
        (None, None) => "kernel, changed by flags".to_owned(),
    };
    Ok((scenario, base))
}

/// The catalog preset with this id, or an error that says where to look.
pub fn find_preset(id: &str) -> Result<&'static catalog::Preset, CliError> {
    catalog::find(id).ok_or_else(|| {
        CliError::Input(format!("unknown preset {id:?}; `pte-explorer list` shows the catalog"))
    })
}

/// Reads a whole text file; the error names the file.
pub fn read_file(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::File {
        action: "read",
        path: path.to_owned(),
        source,
    })
}

/// Writes a whole text file; the error names the file.
pub fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|source| CliError::File {
        action: "write",
        path: path.to_owned(),
        source,
    })
}

fn choice<T: Copy>(text: &str, all: &[T], id: fn(T) -> &'static str) -> Result<T, String> {
    all.iter().copied().find(|item| id(*item) == text).ok_or_else(|| {
        let ids: Vec<&str> = all.iter().map(|item| id(*item)).collect();
        format!("expected one of {}", ids.join(", "))
    })
}

fn number_in<T>(text: &str, min: u64, max: u64) -> Result<T, String>
where
    T: TryFrom<u64>,
{
    let value = pte_core::grammar::decimal(text).map_err(|error| format!("{text:?}: {error}"))?;
    if value < min || value > max {
        return Err(format!("{value} is out of range {min}..={max}"));
    }
    T::try_from(value).map_err(|_| format!("{value} is out of range {min}..={max}"))
}

pub(crate) fn parse_model(text: &str) -> Result<MemoryModel, String> {
    choice(text, &MemoryModel::ALL, MemoryModel::id)
}

pub(crate) fn parse_arch(text: &str) -> Result<Arch, String> {
    choice(text, &Arch::ALL, Arch::id)
}

pub(crate) fn parse_on_off(text: &str) -> Result<bool, String> {
    match text {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("{text:?} is not on or off")),
    }
}

pub(crate) fn parse_marked_side(text: &str) -> Result<MarkedSide, String> {
    match text {
        "writer" => Ok(MarkedSide::Writer),
        "reader" => Ok(MarkedSide::Reader),
        "none" => Ok(MarkedSide::None),
        _ => Err(format!("{text:?} is not writer, reader or none")),
    }
}

pub(crate) fn parse_flush(text: &str) -> Result<FlushMode, String> {
    choice(text, &FlushMode::ALL, FlushMode::id)
}

pub(crate) fn parse_writer_op(text: &str) -> Result<WriterOp, String> {
    choice(text, &WriterOp::ALL, WriterOp::id)
}

pub(crate) fn parse_reader_kind(text: &str) -> Result<ReaderKind, String> {
    choice(text, &ReaderKind::ALL, ReaderKind::id)
}

/// The core's warnings ([`Scenario::warnings`]) in the CLI's words, the
/// option that settles each named by its flag.
pub fn warnings(scenario: &Scenario) -> Vec<String> {
    scenario
        .warnings()
        .into_iter()
        .map(|warning| warning.text(&format!("--{}", warning.option())))
        .collect()
}

pub(crate) fn parse_mail_style(text: &str) -> Result<pte_core::mail::Style, String> {
    choice(text, &pte_core::mail::Style::ALL, pte_core::mail::Style::id)
}

pub(crate) fn parse_barrier(text: &str) -> Result<Barrier, String> {
    choice(text, &Barrier::ALL, Barrier::id)
}

pub(crate) fn parse_pte(text: &str) -> Result<Pte, String> {
    text.parse::<Pte>().map_err(|error| error.to_string())
}

pub(crate) fn parse_present_bit(text: &str) -> Result<u8, String> {
    number_in(text, 0, 63)
}

pub(crate) fn parse_readers(text: &str) -> Result<u8, String> {
    number_in(text, 1, MAX_READERS as u64)
}

pub(crate) fn parse_cycles(text: &str) -> Result<usize, String> {
    number_in(text, 0, (MAX_WRITER_OPS / 3) as u64)
}

pub(crate) fn parse_max_states(text: &str) -> Result<u32, String> {
    number_in(text, 1, u64::from(u32::MAX))
}

/// Seconds as `N` or `N.DIGITS`, `N` of [`pte_core::grammar`] (no sign,
/// exponent, space or leading zero).
pub(crate) fn parse_seconds(text: &str) -> Result<f64, String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    if let Err(error) = pte_core::grammar::decimal(whole) {
        return Err(format!("{text:?}: {error}"));
    }
    if fraction.is_empty() || !fraction.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(format!("{text:?} is not a number of seconds"));
    }
    match text.parse::<f64>() {
        Ok(seconds) if seconds.is_finite() && seconds > 0.0 && seconds <= 3600.0 => Ok(seconds),
        Ok(_) => Err(format!("{text} is out of range (0, 3600]")),
        Err(_) => Err(format!("{text:?} is not a number of seconds")),
    }
}
