//! The scenario: the serializable, versioned description of one experiment.
//!
//! A scenario says which memory model runs, where the present bit sits, what
//! the writer does, which values it writes, how many readers race with it,
//! how a TLB flush behaves and which barrier sites are switched on. It is the
//! only domain type that is serialized (JSON, with a format version), so it is
//! the boundary between the core, the CLI's scenario files and the web app's
//! permalinks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::model::MemoryModel;

/// The version written into every scenario and trace file. Version 2 added
/// reader kinds and the sequence-counter writer; version 3 the compiler
/// (`../shared/spec/COMPILER.md`) and plain or marked accesses. A file of
/// an older version reads with the compiler off, as it was explored then.
pub const FORMAT_VERSION: u32 = 3;
/// The oldest version this build still reads (files and links of version 1
/// have lockless readers only and no sequence counter).
pub const OLDEST_FORMAT_VERSION: u32 = 1;
/// At most this many readers race with the writer.
pub const MAX_READERS: usize = 4;
/// At most this many writer operations (each expands to at most two steps,
/// four with the sequence counter).
pub const MAX_WRITER_OPS: usize = 24;
/// At most this many writer accesses after expansion (one bit each in a state).
pub const MAX_WRITER_ACCESSES: usize = 64;

/// How a TLB flush between zap and re-establish behaves (MODEL.md "TLB flush modes").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlushMode {
    /// No flush happens between zap and re-establish: the writer's flush
    /// operations are skipped (MADV_DONTNEED racing with a fault).
    None,
    /// The flush completes only when no reader has interrupts off.
    Ipi,
    /// The flush completes without waiting for readers (a hypervisor's remote
    /// flush that sends no IPI).
    Paravirt,
}

impl FlushMode {
    pub const ALL: [FlushMode; 3] = [FlushMode::None, FlushMode::Ipi, FlushMode::Paravirt];

    pub fn id(self) -> &'static str {
        match self {
            FlushMode::None => "none",
            FlushMode::Ipi => "ipi",
            FlushMode::Paravirt => "paravirt",
        }
    }

    /// A short name for menus.
    pub fn label(self) -> &'static str {
        match self {
            FlushMode::None => "none",
            FlushMode::Ipi => "IPI",
            FlushMode::Paravirt => "paravirt (no IPI)",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FlushMode::None => "none (no flush before re-establish)",
            FlushMode::Ipi => "IPI (waits for readers with interrupts off)",
            FlushMode::Paravirt => "paravirt (does not wait for readers)",
        }
    }
}

/// What a reader runs (`../shared/spec/READERS.md`). A kind is data: the
/// core compiles each into a program of blocks.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ReaderKind {
    /// `ptep_get_lockless()` inside GUP-fast's interrupts-off section.
    #[default]
    Lockless,
    /// GUP-fast: the lockless read, then a page reference (`grab`), then a
    /// re-check of the entry that backs off when it changed.
    GupFast,
    /// One single-copy-atomic 64-bit load: the MMU's page-table walker, or a
    /// `cmpxchg8b` read. No interrupts disabled, no retry.
    Atomic64,
    /// The reader side of a sequence counter (`read_seqcount_begin()` /
    /// `read_seqcount_retry()`), the fix the thread proposed.
    Seqcount,
    /// x86 PAE's `pmd_read_atomic()` before v6.2: low; if 0 return none,
    /// else `smp_rmb()` and high. No retry, no interrupts disabled.
    PmdReadAtomic,
    /// `READ_ONCE()` of a 64-bit entry on a 32-bit CPU (GUP-fast's pmd
    /// before v6.2): two 32-bit loads in no fixed order, interrupts off.
    ReadOnce64,
    /// KVM's `__get_spte_lockless()` on a 32-bit host: the lockless loop
    /// between two loads of the clear counter, interrupts off.
    KvmSpte,
}

impl ReaderKind {
    pub const ALL: [ReaderKind; 7] = [
        ReaderKind::Lockless,
        ReaderKind::GupFast,
        ReaderKind::Atomic64,
        ReaderKind::Seqcount,
        ReaderKind::PmdReadAtomic,
        ReaderKind::ReadOnce64,
        ReaderKind::KvmSpte,
    ];

    /// The first scenario format (and link version) that has the kind: a
    /// file or link of an older one naming it was not written by that
    /// version and is refused.
    pub fn since_format(self) -> u32 {
        match self {
            ReaderKind::Lockless => 1,
            ReaderKind::GupFast | ReaderKind::Atomic64 | ReaderKind::Seqcount => 2,
            ReaderKind::PmdReadAtomic | ReaderKind::ReadOnce64 | ReaderKind::KvmSpte => 3,
        }
    }
    // `id`, `label`, `title` and `spec`: `crate::readers`, the kind's spec.
}

impl FromStr for ReaderKind {
    type Err = ScenarioError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ReaderKind::ALL.into_iter().find(|kind| kind.id() == text).ok_or_else(|| {
            ScenarioError::UnknownName { field: "reader_kinds", value: text.to_owned() }
        })
    }
}

/// One operation of the writer; each expands to stores and barriers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriterOp {
    /// x86 PAE `native_pte_clear()`: `low ← Z.low; wmb; high ← Z.high`
    /// (and the trailing `wmb` of Jason Gunthorpe's sketch).
    Zap,
    /// MIPS and SH `pte_clear()`, an empty entry stored by `set_pte()`:
    /// `high ← Z.high; wmb; low ← Z.low` (and the sketch's trailing `wmb`).
    ZapHighFirst,
    /// x86 PAE SMP `native_ptep_get_and_clear()`: one 64-bit atomic
    /// exchange (since 2018).
    ZapAtomic,
    /// `set_pte()`: `high ← Pn.high; wmb; low ← Pn.low` (and the sketch's
    /// trailing `wmb`).
    Establish,
    /// The mirror order, in no kernel: `low ← Pn.low; wmb; high ← Pn.high`
    /// (and the sketch's trailing `wmb`).
    EstablishLowFirst,
    /// A TLB flush; what it waits for is the scenario's [`FlushMode`].
    Flush,
}

impl WriterOp {
    pub const ALL: [WriterOp; 6] = [
        WriterOp::Zap,
        WriterOp::ZapHighFirst,
        WriterOp::ZapAtomic,
        WriterOp::Establish,
        WriterOp::EstablishLowFirst,
        WriterOp::Flush,
    ];

    // `id`, `label`, `title`, `wmb_sites`, `is_zap`, `is_establish` and
    // `spec`: `crate::writer`, the operation's spec.
}

impl FromStr for WriterOp {
    type Err = ScenarioError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        WriterOp::ALL
            .into_iter()
            .find(|op| op.id() == text)
            .ok_or_else(|| ScenarioError::UnknownName { field: "writer", value: text.to_owned() })
    }
}

impl FromStr for MemoryModel {
    type Err = ScenarioError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        MemoryModel::ALL
            .into_iter()
            .find(|model| model.id() == text)
            .ok_or_else(|| ScenarioError::UnknownName { field: "model", value: text.to_owned() })
    }
}

impl FromStr for FlushMode {
    type Err = ScenarioError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        FlushMode::ALL
            .into_iter()
            .find(|mode| mode.id() == text)
            .ok_or_else(|| ScenarioError::UnknownName { field: "flush", value: text.to_owned() })
    }
}

/// One barrier site in the code. A site is switched for every call of its
/// function, as editing the kernel source would.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Barrier {
    /// The `smp_wmb()` between a zap's two stores (in the kernel).
    ZapWmb1,
    /// The `smp_wmb()` after a zap's second store (Jason Gunthorpe's
    /// sketch in the seed; not in the kernel).
    ZapWmb2,
    /// The `smp_wmb()` between an establish's two stores (in the kernel).
    EstablishWmb1,
    /// The `smp_wmb()` after an establish's second store (Jason
    /// Gunthorpe's sketch; not in the kernel).
    EstablishWmb2,
    /// The reader's `smp_rmb()` between `r0 ← low` and `r1 ← high`.
    ReaderRmb1,
    /// The reader's `smp_rmb()` between `r1 ← high` and `r2 ← low`.
    ReaderRmb2,
    /// Sequence-counter writer: the `smp_wmb()` after `seq ← seq + 1` in
    /// `write_seqcount_begin()`.
    SeqWmbBegin,
    /// Sequence-counter writer: the `smp_wmb()` before `seq ← seq + 1` in
    /// `write_seqcount_end()`.
    SeqWmbEnd,
    /// Sequence-counter reader: the `smp_rmb()` in `read_seqcount_begin()`,
    /// after the load of `seq`.
    SeqRmbBegin,
    /// Sequence-counter reader: the `smp_rmb()` in `read_seqcount_retry()`,
    /// before the second load of `seq`.
    SeqRmbRetry,
    /// `pmd_read_atomic()`'s `smp_rmb()` between `r0 ← low` (found non-zero)
    /// and `r1 ← high` (x86 PAE, before v6.2).
    PmdRmb,
    /// KVM's clear counter, writer side: the `smp_wmb()` in
    /// `count_spte_clear()`, after a clear's stores and before
    /// `count ← count + 1`.
    KvmCountWmb,
    /// KVM's clear counter, reader side: the `smp_rmb()` in
    /// `__get_spte_lockless()` between `c ← count` and `r0 ← low`.
    KvmCountRmb,
}

/// Where a barrier site comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BarrierOrigin {
    /// In the kernel's code.
    Kernel,
    /// Only in Jason Gunthorpe's sketch in the seed.
    JasonSketch,
    /// In the sequence-counter fix the thread proposed (never merged).
    SeqcountFix,
}

impl Barrier {
    pub const ALL: [Barrier; 13] = [
        Barrier::ZapWmb1,
        Barrier::ZapWmb2,
        Barrier::EstablishWmb1,
        Barrier::EstablishWmb2,
        Barrier::ReaderRmb1,
        Barrier::ReaderRmb2,
        Barrier::SeqWmbBegin,
        Barrier::SeqWmbEnd,
        Barrier::SeqRmbBegin,
        Barrier::SeqRmbRetry,
        Barrier::PmdRmb,
        Barrier::KvmCountWmb,
        Barrier::KvmCountRmb,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Barrier::ZapWmb1 => "zap_wmb1",
            Barrier::ZapWmb2 => "zap_wmb2",
            Barrier::EstablishWmb1 => "establish_wmb1",
            Barrier::EstablishWmb2 => "establish_wmb2",
            Barrier::ReaderRmb1 => "reader_rmb1",
            Barrier::ReaderRmb2 => "reader_rmb2",
            Barrier::SeqWmbBegin => "seq_wmb_begin",
            Barrier::SeqWmbEnd => "seq_wmb_end",
            Barrier::SeqRmbBegin => "seq_rmb_begin",
            Barrier::SeqRmbRetry => "seq_rmb_retry",
            Barrier::PmdRmb => "pmd_rmb",
            Barrier::KvmCountWmb => "kvm_count_wmb",
            Barrier::KvmCountRmb => "kvm_count_rmb",
        }
    }

    /// `wmb` or `rmb`: the site's call without `smp_` and `()`.
    pub fn kind(self) -> &'static str {
        self.call().trim_start_matches("smp_").trim_end_matches("()")
    }

    /// The site's call as the kernel writes it: `smp_rmb()` or `smp_wmb()`;
    /// the listing and the mail text take it from here.
    pub fn call(self) -> &'static str {
        match self {
            Barrier::ReaderRmb1
            | Barrier::ReaderRmb2
            | Barrier::SeqRmbBegin
            | Barrier::SeqRmbRetry
            | Barrier::PmdRmb
            | Barrier::KvmCountRmb => "smp_rmb()",
            _ => "smp_wmb()",
        }
    }

    /// Where the site is, for a person.
    pub fn title(self) -> &'static str {
        match self {
            Barrier::ZapWmb1 => "zap: wmb between the two stores",
            Barrier::ZapWmb2 => "zap: wmb after the second store",
            Barrier::EstablishWmb1 => "establish: wmb between the two stores",
            Barrier::EstablishWmb2 => "establish: wmb after the second store",
            Barrier::ReaderRmb1 => "reader: rmb between r0 ← low and r1 ← high",
            Barrier::ReaderRmb2 => "reader: rmb between r1 ← high and r2 ← low",
            Barrier::SeqWmbBegin => "seqcount writer: wmb after seq ← seq + 1, before the update",
            Barrier::SeqWmbEnd => "seqcount writer: wmb after the update, before seq ← seq + 1",
            Barrier::SeqRmbBegin => "seqcount reader: rmb between s ← seq and the halves",
            Barrier::SeqRmbRetry => "seqcount reader: rmb between the halves and s2 ← seq",
            Barrier::PmdRmb => "pmd_read_atomic: rmb between r0 ← low (not 0) and r1 ← high",
            Barrier::KvmCountWmb => "KVM clear counter: wmb after a zap, before count ← count + 1",
            Barrier::KvmCountRmb => "kvm_spte: rmb between c ← count and r0 ← low",
        }
    }

    /// Where the site comes from. `native_pte_clear()`, `native_set_pte()`
    /// and MIPS/SH `set_pte()` each have exactly one `smp_wmb()`, between the
    /// halves; the trailing ones are only in Jason Gunthorpe's sketch in the
    /// seed. Both of the reader's `smp_rmb()` are in `ptep_get_lockless()`.
    /// The `seq_*` sites belong to the sequence-counter fix.
    pub fn source(self) -> BarrierOrigin {
        match self {
            Barrier::ZapWmb2 | Barrier::EstablishWmb2 => BarrierOrigin::JasonSketch,
            Barrier::SeqWmbBegin
            | Barrier::SeqWmbEnd
            | Barrier::SeqRmbBegin
            | Barrier::SeqRmbRetry => BarrierOrigin::SeqcountFix,
            _ => BarrierOrigin::Kernel,
        }
    }

    /// Is this site in the kernel's code?
    pub fn in_kernel(self) -> bool {
        self.source() == BarrierOrigin::Kernel
    }

    /// Where the site comes from, for a person.
    pub fn origin(self) -> &'static str {
        match self.source() {
            BarrierOrigin::Kernel => "in the kernel",
            BarrierOrigin::JasonSketch => "Jason's sketch, not in the kernel",
            BarrierOrigin::SeqcountFix => {
                "the sequence-counter fix, never merged (as of December 2025)"
            }
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl FromStr for Barrier {
    type Err = ScenarioError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Barrier::ALL
            .into_iter()
            .find(|barrier| barrier.id() == text)
            .ok_or_else(|| ScenarioError::UnknownName { field: "barriers", value: text.to_owned() })
    }
}

/// Which barrier sites are switched on. Serialized as an object with one
/// boolean per site; a missing site is on, so old files stay valid.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Barriers(u16);

impl Barriers {
    /// Every site on: Jason Gunthorpe's sketch in the seed (and every site of
    /// the sequence-counter fix).
    pub const ALL_ON: Barriers = Barriers((1 << Barrier::ALL.len()) - 1);
    pub const ALL_OFF: Barriers = Barriers(0);
    /// The kernel's sites and the sequence-counter fix's: only the trailing
    /// `smp_wmb()` of each writer operation, Jason's sketch, is off.
    pub const KERNEL: Barriers = Barriers(
        Barriers::ALL_ON.0
            & !(1 << Barrier::ZapWmb2 as u16)
            & !(1 << Barrier::EstablishWmb2 as u16),
    );

    pub fn is_on(self, barrier: Barrier) -> bool {
        self.0 & barrier.bit() != 0
    }

    pub fn set(&mut self, barrier: Barrier, on: bool) {
        if on {
            self.0 |= barrier.bit();
        } else {
            self.0 &= !barrier.bit();
        }
    }

    #[must_use]
    pub fn with(mut self, barrier: Barrier, on: bool) -> Barriers {
        self.set(barrier, on);
        self
    }
}

impl Default for Barriers {
    fn default() -> Self {
        Barriers::ALL_ON
    }
}

impl fmt::Debug for Barriers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let off: Vec<&str> =
            Barrier::ALL.into_iter().filter(|b| !self.is_on(*b)).map(Barrier::id).collect();
        write!(f, "Barriers(off: {off:?})")
    }
}

impl Serialize for Barriers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(Barrier::ALL.len()))?;
        for barrier in Barrier::ALL {
            map.serialize_entry(barrier.id(), &self.is_on(barrier))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Barriers {
    /// Reads the object entry by entry: a site named twice is refused
    /// (a map would keep one of the two silently), and so is a name that
    /// is not a site.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SitesVisitor;
        impl<'de> serde::de::Visitor<'de> for SitesVisitor {
            type Value = Barriers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with one boolean per barrier site")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut entries: A,
            ) -> Result<Barriers, A::Error> {
                let mut barriers = Barriers::ALL_ON;
                let mut seen = Barriers::ALL_OFF;
                while let Some(name) = entries.next_key::<String>()? {
                    let barrier = name.parse::<Barrier>().map_err(serde::de::Error::custom)?;
                    if seen.is_on(barrier) {
                        return Err(serde::de::Error::custom(format!(
                            "barriers: {name:?} is given twice"
                        )));
                    }
                    seen.set(barrier, true);
                    barriers.set(barrier, entries.next_value::<bool>()?);
                }
                Ok(barriers)
            }
        }
        deserializer.deserialize_map(SitesVisitor)
    }
}

/// The barrier sites a scenario file names, read apart from the scenario
/// so that a format-1 file naming a site format 1 did not have is refused.
#[derive(Deserialize)]
pub(crate) struct FormatAndSites {
    format: u32,
    #[serde(default)]
    barriers: SiteNames,
}

#[derive(Default)]
struct SiteNames(Vec<String>);

impl<'de> Deserialize<'de> for SiteNames {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = serde_json::Map::deserialize(deserializer)?;
        Ok(SiteNames(map.into_iter().map(|(name, _)| name).collect()))
    }
}

impl FormatAndSites {
    /// Refuses a site of the sequence-counter fix in a file of a format
    /// before it (format 1 had the six sites of the lockless protocol).
    /// `pmd_rmb` (added in format 3) is not refused: it only acts in a
    /// `pmd_read_atomic` reader, a kind the older formats refuse
    /// ([`ReaderKind::since_format`]), so naming it changes no result.
    pub(crate) fn check(&self) -> Result<(), ScenarioError> {
        if self.format >= 2 {
            return Ok(());
        }
        for name in &self.barriers.0 {
            if let Ok(barrier) = name.parse::<Barrier>() {
                if barrier.source() == BarrierOrigin::SeqcountFix {
                    return Err(ScenarioError::NewerField {
                        format: self.format,
                        field: barrier.id(),
                    });
                }
            }
        }
        Ok(())
    }
}

/// A 64-bit page-table entry; `low` is bits 0–31, `high` bits 32–63.
/// Serialized as a hex string such as `"0x0000000100001067"`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Pte(pub u64);

impl Pte {
    pub fn from_halves(high: u32, low: u32) -> Pte {
        Pte((u64::from(high) << 32) | u64::from(low))
    }

    pub fn low(self) -> u32 {
        self.0 as u32
    }

    pub fn high(self) -> u32 {
        (self.0 >> 32) as u32
    }

    pub fn with_low(self, low: u32) -> Pte {
        Pte::from_halves(self.high(), low)
    }

    pub fn with_high(self, high: u32) -> Pte {
        Pte::from_halves(high, self.low())
    }

    pub fn bit(self, bit: u8) -> bool {
        bit < 64 && (self.0 >> bit) & 1 == 1
    }
}

impl fmt::Debug for Pte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for Pte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:016x}", self.0)
    }
}

impl FromStr for Pte {
    type Err = ScenarioError;
    /// Reads a hex value of [`crate::grammar::hex`]: an optional `0x` or
    /// `0X` and 1 to 16 hex digits, nothing else (no sign, space or `_`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        crate::grammar::hex(text)
            .map(Pte)
            .map_err(|_| ScenarioError::BadHex { value: text.to_owned() })
    }
}

impl Serialize for Pte {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Pte {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The values the writer stores: the initial entry P0, the not-present
/// value Z, and P1..PN, one per establish operation in writer order.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Values {
    #[serde(deserialize_with = "p0_field")]
    pub p0: Pte,
    #[serde(deserialize_with = "z_field")]
    pub z: Pte,
    /// P1..PN: the k-th establish operation installs `p[k - 1]`.
    #[serde(deserialize_with = "p_field")]
    pub p: Vec<Pte>,
}

/// Reads one hex value of a file; a bad one is refused naming its field.
fn hex_field<'de, D: Deserializer<'de>>(deserializer: D, field: &str) -> Result<Pte, D::Error> {
    let text = String::deserialize(deserializer)?;
    text.parse().map_err(|error| serde::de::Error::custom(format!("{field}: {error}")))
}

fn p0_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Pte, D::Error> {
    hex_field(deserializer, "values.p0")
}

fn z_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Pte, D::Error> {
    hex_field(deserializer, "values.z")
}

fn p_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Pte>, D::Error> {
    let texts = Vec::<String>::deserialize(deserializer)?;
    texts
        .iter()
        .enumerate()
        .map(|(index, text)| {
            text.parse()
                .map_err(|error| serde::de::Error::custom(format!("values.p[{index}]: {error}")))
        })
        .collect()
}

impl Values {
    /// Distinct present values for P1..PN: each maps a different page, with
    /// x86 flags 0x067 in the low half and an odd high half, so the present
    /// bit is set whether it sits at bit 0 or bit 32.
    pub fn distinct(count: usize) -> Values {
        Values { p0: default_p(0), z: Pte(0), p: (1..=count).map(default_p).collect() }
    }
}

fn default_p(n: usize) -> Pte {
    let n = n as u32;
    Pte::from_halves(2 * n + 1, ((n + 1) << 12) | 0x067)
}

/// A whole-architecture layout, applied to a scenario at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    /// x86 PAE: present bit 0 in low; clear low first; set high first.
    X86Pae,
    /// MIPS32 with 64-bit physical addresses, SH with X2TLB: present bit in
    /// low; clear high first (`pte_clear()`); set high first.
    MipsSh,
    /// A hypothetical layout with the present bit (bit 32) in the high half,
    /// still with the x86 orders.
    PresentHigh,
}

impl Arch {
    pub const ALL: [Arch; 3] = [Arch::X86Pae, Arch::MipsSh, Arch::PresentHigh];

    pub fn id(self) -> &'static str {
        match self {
            Arch::X86Pae => "x86_pae",
            Arch::MipsSh => "mips_sh",
            Arch::PresentHigh => "present_high",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Arch::X86Pae => "x86 PAE",
            Arch::MipsSh => "MIPS32 / SH X2TLB",
            Arch::PresentHigh => "present bit in high (hypothetical)",
        }
    }

    pub fn present_bit(self) -> u8 {
        match self {
            Arch::X86Pae | Arch::MipsSh => 0,
            Arch::PresentHigh => 32,
        }
    }

    pub fn zap(self) -> WriterOp {
        match self {
            Arch::X86Pae | Arch::PresentHigh => WriterOp::Zap,
            Arch::MipsSh => WriterOp::ZapHighFirst,
        }
    }

    pub fn establish(self) -> WriterOp {
        WriterOp::Establish
    }
}

impl FromStr for Arch {
    type Err = ScenarioError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Arch::ALL
            .into_iter()
            .find(|arch| arch.id() == text)
            .ok_or_else(|| ScenarioError::UnknownName { field: "arch", value: text.to_owned() })
    }
}

/// One experiment. Build one with [`Scenario::kernel`] or a catalog preset,
/// change fields, then [`Scenario::validate`] it (the core's entry points do).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Always [`FORMAT_VERSION`] when written.
    pub format: u32,
    pub model: MemoryModel,
    /// The present bit's position in the 64-bit entry, 0..=63.
    pub present_bit: u8,
    pub writer: Vec<WriterOp>,
    pub values: Values,
    /// How many readers race with the writer, 1..=[`MAX_READERS`].
    pub readers: u8,
    pub flush: FlushMode,
    #[serde(default)]
    pub barriers: Barriers,
    /// The kinds of the first readers; readers beyond the list are
    /// [`ReaderKind::Lockless`]. Kept without trailing `lockless` entries
    /// (see [`Scenario::set_reader_kind`]) so equal scenarios compare equal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reader_kinds: Vec<ReaderKind>,
    /// The sequence-counter writer: every zap and establish is wrapped in
    /// `write_seqcount_begin()` / `write_seqcount_end()` on a third word `seq`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub seqcount: bool,
    /// KVM's clear counter (`count_spte_clear()`): after every zap's
    /// stores, `smp_wmb()` and `count ← count + 1` on a fourth word `count`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub clear_counter: bool,
    /// The compiler (`COMPILER.md`): on, it may reorder and merge plain
    /// accesses inside a region before the program runs under the memory
    /// model; off, programs run exactly as written. Absent (every file and
    /// link made before it existed) means off, so they keep their meaning;
    /// presets and new scenarios have it on.
    #[serde(default)]
    pub compiler: bool,
    /// The writer's PTE stores are `WRITE_ONCE()` (as since v6.2) rather
    /// than plain C (as in v6.0).
    #[serde(default, skip_serializing_if = "is_false")]
    pub marked_writer: bool,
    /// The readers' PTE loads are `READ_ONCE()` rather than plain C (as in
    /// v6.0's `ptep_get_lockless()`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub marked_reader: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario::kernel()
    }
}

impl Scenario {
    /// The kernel's protocol: x86 PAE, one reader, zap, flush (IPI),
    /// establish P1 with a different low half, the kernel's barriers
    /// ([`Barriers::KERNEL`]).
    pub fn kernel() -> Scenario {
        Scenario::cycles(1)
    }

    /// `cycles` repetitions of zap, flush, establish Pn, with the kernel's
    /// barriers.
    pub fn cycles(cycles: usize) -> Scenario {
        let mut writer = Vec::with_capacity(3 * cycles);
        for _ in 0..cycles {
            writer.extend([WriterOp::Zap, WriterOp::Flush, WriterOp::Establish]);
        }
        Scenario {
            format: FORMAT_VERSION,
            model: MemoryModel::default(),
            present_bit: 0,
            writer,
            values: Values::distinct(cycles),
            readers: 1,
            flush: FlushMode::Ipi,
            barriers: Barriers::KERNEL,
            reader_kinds: Vec::new(),
            seqcount: false,
            clear_counter: false,
            compiler: true,
            marked_writer: false,
            marked_reader: false,
        }
    }

    /// Sets the present bit and the zap and establish orders of `arch`.
    pub fn apply_arch(&mut self, arch: Arch) {
        self.present_bit = arch.present_bit();
        for op in &mut self.writer {
            if op.is_zap() && *op != WriterOp::ZapAtomic {
                *op = arch.zap();
            } else if op.is_establish() {
                *op = arch.establish();
            }
        }
    }

    /// The arch preset this scenario matches, if any.
    pub fn arch(&self) -> Option<Arch> {
        Arch::ALL.into_iter().find(|arch| {
            self.present_bit == arch.present_bit()
                && self.writer.iter().all(|op| {
                    (!op.is_zap() || *op == WriterOp::ZapAtomic || *op == arch.zap())
                        && (!op.is_establish() || *op == arch.establish())
                })
        })
    }

    /// How many establish operations the writer has (N of P1..PN).
    pub fn establish_count(&self) -> usize {
        self.writer.iter().filter(|op| op.is_establish()).count()
    }

    /// True when every Pn shares P0's low half (and there is at least one).
    pub fn same_low(&self) -> bool {
        !self.values.p.is_empty() && self.values.p.iter().all(|p| p.low() == self.values.p0.low())
    }

    /// The "same low half" shortcut: on, every Pn.low = P0.low; off, every
    /// Pn gets a low half of its own again.
    pub fn set_same_low(&mut self, same: bool) {
        let p0_low = self.values.p0.low();
        for (index, p) in self.values.p.iter_mut().enumerate() {
            let low = if same {
                p0_low
            } else {
                let mut low = default_p(index + 1).low();
                while low == p0_low {
                    low = low.wrapping_add(0x1000);
                }
                low
            };
            *p = p.with_low(low);
        }
    }

    /// Keeps one value per establish operation: appends fresh distinct values
    /// or drops the last ones. Editors call this after changing `writer`.
    pub fn fit_values(&mut self) {
        let wanted = self.establish_count();
        let same = self.same_low();
        while self.values.p.len() < wanted {
            let next = default_p(self.values.p.len() + 1);
            let next = if same { next.with_low(self.values.p0.low()) } else { next };
            self.values.p.push(next);
        }
        self.values.p.truncate(wanted);
    }

    /// The kind of reader `reader` (0-based).
    pub fn reader_kind(&self, reader: u8) -> ReaderKind {
        self.reader_kinds.get(usize::from(reader)).copied().unwrap_or_default()
    }

    /// Sets one reader's kind, keeping `reader_kinds` without trailing
    /// `lockless` entries.
    pub fn set_reader_kind(&mut self, reader: u8, kind: ReaderKind) {
        let index = usize::from(reader);
        if self.reader_kinds.len() <= index {
            self.reader_kinds.resize(index + 1, ReaderKind::Lockless);
        }
        self.reader_kinds[index] = kind;
        self.normalize_reader_kinds();
    }

    /// Drops trailing `lockless` entries (they say nothing the default does
    /// not), so equal scenarios compare equal.
    pub fn normalize_reader_kinds(&mut self) {
        while self.reader_kinds.last() == Some(&ReaderKind::Lockless) {
            self.reader_kinds.pop();
        }
    }

    /// Sets the number of readers; the kinds of readers that no longer exist
    /// are dropped.
    pub fn set_readers(&mut self, readers: u8) {
        self.readers = readers;
        self.reader_kinds.truncate(usize::from(readers));
        self.normalize_reader_kinds();
    }

    /// Does any reader run the sequence-counter reader?
    pub fn has_seqcount_reader(&self) -> bool {
        (0..self.readers).any(|reader| self.reader_kind(reader) == ReaderKind::Seqcount)
    }

    /// How many accesses the writer's operations expand to.
    pub fn writer_access_count(&self) -> usize {
        self.writer
            .iter()
            .map(|op| {
                let own = match op {
                    WriterOp::ZapAtomic => 1,
                    WriterOp::Flush if self.flush == FlushMode::None => 0,
                    WriterOp::Flush => 1,
                    _ => 2,
                };
                let wrapped = self.seqcount && *op != WriterOp::Flush;
                let counted = self.clear_counter && op.is_zap();
                own + if wrapped { 2 } else { 0 } + usize::from(counted)
            })
            .sum()
    }

    /// Is `pte` present under this scenario's layout?
    pub fn is_present(&self, pte: Pte) -> bool {
        pte.bit(self.present_bit)
    }

    /// Checks every limit and every cross-field rule.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.format != FORMAT_VERSION {
            return Err(ScenarioError::UnsupportedFormat { found: self.format });
        }
        if self.present_bit > 63 {
            return Err(ScenarioError::OutOfRange {
                field: "present_bit",
                value: u64::from(self.present_bit),
                min: 0,
                max: 63,
            });
        }
        if self.readers == 0 || usize::from(self.readers) > MAX_READERS {
            return Err(ScenarioError::OutOfRange {
                field: "readers",
                value: u64::from(self.readers),
                min: 1,
                max: MAX_READERS as u64,
            });
        }
        if self.writer.len() > MAX_WRITER_OPS {
            return Err(ScenarioError::OutOfRange {
                field: "writer",
                value: self.writer.len() as u64,
                min: 0,
                max: MAX_WRITER_OPS as u64,
            });
        }
        let establishes = self.establish_count();
        if self.values.p.len() != establishes {
            return Err(ScenarioError::ValueCount { establishes, values: self.values.p.len() });
        }
        if self.reader_kinds.len() > usize::from(self.readers) {
            return Err(ScenarioError::ReaderKindCount {
                kinds: self.reader_kinds.len(),
                readers: self.readers,
            });
        }
        let accesses = self.writer_access_count();
        if accesses > MAX_WRITER_ACCESSES {
            return Err(ScenarioError::TooManyAccesses { accesses });
        }
        // A present Z would be judged as a value no one wrote: a false torn
        // read. P0 and P1..PN may be not present (a swap entry is a
        // not-present PTE with data in both halves); their reads are then
        // judged "not present", which is what they are.
        if self.is_present(self.values.z) {
            return Err(ScenarioError::PresentZ {
                z: self.values.z,
                present_bit: self.present_bit,
            });
        }
        if self.reader_kinds.last() == Some(&ReaderKind::Lockless) {
            return Err(ScenarioError::TrailingLockless);
        }
        Ok(())
    }

    /// Parses and validates a scenario file; a file of an older format is
    /// read as that format meant it and comes back in the current one.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let mut scenario: Scenario =
            serde_json::from_str(text).map_err(|error| ScenarioError::Json(error.to_string()))?;
        // The text parsed as a scenario, so it parses as this part of one.
        let sites = serde_json::from_str::<FormatAndSites>(text)
            .map_err(|error| ScenarioError::Json(error.to_string()))?;
        scenario.upgrade()?;
        sites.check()?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Brings a scenario read from a file of format
    /// [`OLDEST_FORMAT_VERSION`]..=[`FORMAT_VERSION`] to the current format.
    pub(crate) fn upgrade(&mut self) -> Result<(), ScenarioError> {
        if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&self.format) {
            return Err(ScenarioError::UnsupportedFormat { found: self.format });
        }
        if self.format < 2 && (!self.reader_kinds.is_empty() || self.seqcount) {
            return Err(ScenarioError::NewerField {
                format: self.format,
                field: if self.seqcount { "seqcount" } else { "reader_kinds" },
            });
        }
        // A kind a format did not have (pmd_read_atomic, read_once64 and
        // kvm_spte came with format 3) in a file of that format.
        if self.reader_kinds.iter().any(|kind| kind.since_format() > self.format) {
            return Err(ScenarioError::NewerField { format: self.format, field: "reader_kinds" });
        }
        if self.format < 3 {
            let newer = [
                ("clear_counter", self.clear_counter),
                ("compiler", self.compiler),
                ("marked_writer", self.marked_writer),
                ("marked_reader", self.marked_reader),
            ];
            if let Some((field, _)) = newer.into_iter().find(|(_, on)| *on) {
                return Err(ScenarioError::NewerField { format: self.format, field });
            }
        }
        self.format = FORMAT_VERSION;
        self.normalize_reader_kinds();
        Ok(())
    }

    /// The scenario file, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario always serializes")
    }
}

/// Why a scenario (or a file holding one) was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    /// The file's `format` is not one this build reads.
    UnsupportedFormat { found: u32 },
    /// A number outside its documented range.
    OutOfRange { field: &'static str, value: u64, min: u64, max: u64 },
    /// An edit names a reader, a writer operation or a value (by its
    /// 1-based number) that the scenario does not have.
    NoSuchItem { field: &'static str, number: u64, count: usize },
    /// `values.p` must hold exactly one value per establish operation.
    ValueCount { establishes: usize, values: usize },
    /// A name that is not one of the field's choices.
    UnknownName { field: &'static str, value: String },
    /// A PTE value that is not an optional `0x` and 1 to 16 hex digits.
    BadHex { value: String },
    /// The JSON itself did not parse; the message names line and column.
    Json(String),
    /// `reader_kinds` names more kinds than there are readers.
    ReaderKindCount { kinds: usize, readers: u8 },
    /// The writer's operations expand to more accesses than a state holds.
    TooManyAccesses { accesses: usize },
    /// A file of an older format uses a field that format did not have.
    NewerField { format: u32, field: &'static str },
    /// Z, the value a zap stores, has the present bit set.
    PresentZ { z: Pte, present_bit: u8 },
    /// A trace file's format differs from its scenario's.
    FormatMismatch { trace: u32, scenario: u32 },
    /// `reader_kinds` ends with `lockless`, which the readers beyond the
    /// list are anyway ([`Scenario::normalize_reader_kinds`] drops it).
    TrailingLockless,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::UnsupportedFormat { found } => write!(
                f,
                "format {found} is not supported (this version reads formats \
                 {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION})"
            ),
            ScenarioError::OutOfRange { field, value, min, max } => {
                write!(f, "{field} is {value}, but must be between {min} and {max}")
            }
            ScenarioError::NoSuchItem { field, number, count } => {
                write!(f, "{field} {number} does not exist (there are {count})")
            }
            ScenarioError::ValueCount { establishes, values } => write!(
                f,
                "values.p has {values} value(s), but the writer establishes {establishes} PTE(s)"
            ),
            ScenarioError::UnknownName { field, value } => {
                write!(f, "{field}: unknown name {value:?}")
            }
            ScenarioError::BadHex { value } => {
                write!(f, "{value:?} is not a 64-bit hex value such as 0x0000000100001067")
            }
            ScenarioError::Json(message) => write!(f, "invalid scenario JSON: {message}"),
            ScenarioError::ReaderKindCount { kinds, readers } => write!(
                f,
                "reader_kinds names {kinds} kind(s), but there are only {readers} reader(s)"
            ),
            ScenarioError::TooManyAccesses { accesses } => write!(
                f,
                "writer expands to {accesses} accesses, more than the limit of \
                 {MAX_WRITER_ACCESSES} (the sequence counter adds two per zap or establish)"
            ),
            ScenarioError::NewerField { format, field } => {
                write!(f, "{field} is not part of format {format}; write format {FORMAT_VERSION}")
            }
            ScenarioError::PresentZ { z, present_bit } => write!(
                f,
                "values.z is {z}, which has the present bit (bit {present_bit}) set; Z is the \
                 not-present value a zap stores"
            ),
            ScenarioError::FormatMismatch { trace, scenario } => write!(
                f,
                "the trace has format {trace} but its scenario has format {scenario}; a trace \
                 file and its scenario are written in one format"
            ),
            ScenarioError::TrailingLockless => write!(
                f,
                "reader_kinds ends with lockless, which every reader beyond the list is; \
                 leave it out (normalize_reader_kinds)"
            ),
        }
    }
}

impl std::error::Error for ScenarioError {}
