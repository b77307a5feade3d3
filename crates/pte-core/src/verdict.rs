//! The verdict on one completed read (the seed's definition of "non-torn").

use std::fmt;

use crate::machine::CompletedRead;
use crate::scenario::{Pte, Scenario};

/// What a returned value means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// Allowed: the present bit is clear, so the halves may be anything.
    NotPresent,
    /// Allowed: the value the PTE held before the zap.
    PreZap,
    /// Allowed: the value an establish installed (P1..PN; the number).
    Reestablished(u8),
    /// Forbidden: a present value that no writer ever wrote as a PTE. (It
    /// may still have sat in memory for a moment between the two stores of
    /// one update: [`Judged::half_written`] says so.)
    Torn,
}

impl Verdict {
    /// Classifies a value under a scenario's present bit and values.
    pub fn of(scenario: &Scenario, value: Pte) -> Verdict {
        if !scenario.is_present(value) {
            Verdict::NotPresent
        } else if value == scenario.values.p0 {
            Verdict::PreZap
        } else if let Some(index) = scenario.values.p.iter().position(|p| *p == value) {
            Verdict::Reestablished(index as u8 + 1)
        } else {
            Verdict::Torn
        }
    }

    pub fn is_torn(self) -> bool {
        self == Verdict::Torn
    }

    /// A stable machine name: `not_present`, `pre_zap`, `reestablished`, `torn`.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::NotPresent => "not_present",
            Verdict::PreZap => "pre_zap",
            Verdict::Reestablished(_) => "reestablished",
            Verdict::Torn => "torn",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::NotPresent => write!(f, "allowed: not present"),
            Verdict::PreZap => write!(f, "allowed: pre-zap (P0)"),
            Verdict::Reestablished(n) => write!(f, "allowed: re-established P{n}"),
            Verdict::Torn => write!(f, "TORN: a present PTE no writer ever wrote"),
        }
    }
}

/// How a completed read is shown: a torn value returned, a back-off (the
/// reader read a value and gave it up: GUP-fast's re-check), or an allowed
/// value returned. The one place these three are told apart; the CLI and
/// the page take their words from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReadResult {
    Torn,
    BackedOff { after_torn: bool },
    Allowed,
}

impl ReadResult {
    /// A read of a value with `verdict`, returned or backed off from.
    pub fn of(verdict: Verdict, returned: bool) -> ReadResult {
        match (returned, verdict.is_torn()) {
            (false, after_torn) => ReadResult::BackedOff { after_torn },
            (true, true) => ReadResult::Torn,
            (true, false) => ReadResult::Allowed,
        }
    }

    /// A stable name for classes and data attributes: "torn",
    /// "backed-off", "allowed".
    pub fn id(self) -> &'static str {
        match self {
            ReadResult::Torn => "torn",
            ReadResult::BackedOff { .. } => "backed-off",
            ReadResult::Allowed => "allowed",
        }
    }

    /// ✖ for a torn value returned, ↩ for a back-off, ✔ for an allowed
    /// value (readable without colour).
    pub fn icon(self) -> &'static str {
        match self {
            ReadResult::Torn => "✖",
            ReadResult::BackedOff { .. } => "↩",
            ReadResult::Allowed => "✔",
        }
    }

    /// One word after the icon: "TORN", "backed off", "allowed".
    pub fn word(self) -> &'static str {
        match self {
            ReadResult::Torn => "TORN",
            ReadResult::BackedOff { .. } => "backed off",
            ReadResult::Allowed => "allowed",
        }
    }

    /// What the reader did with the value: "returned" or "read".
    pub fn verb(self) -> &'static str {
        match self {
            ReadResult::BackedOff { .. } => "read",
            ReadResult::Torn | ReadResult::Allowed => "returned",
        }
    }

    /// A headline: "Allowed: pre-zap (P0)", "TORN", "Backed off", "Backed
    /// off after a TORN read".
    pub fn headline(self, verdict: Verdict) -> String {
        match (self, verdict) {
            (ReadResult::BackedOff { after_torn: true }, _) => {
                "Backed off after a TORN read".to_owned()
            }
            (ReadResult::BackedOff { after_torn: false }, _) => "Backed off".to_owned(),
            (_, Verdict::NotPresent) => "Allowed: not present".to_owned(),
            (_, Verdict::PreZap) => "Allowed: pre-zap (P0)".to_owned(),
            (_, Verdict::Reestablished(n)) => format!("Allowed: re-established P{n}"),
            (_, Verdict::Torn) => "TORN".to_owned(),
        }
    }

    /// A short label for tables: "pre-zap (P0)", "re-established P1",
    /// "TORN", "backed off (torn read)", "backed off".
    pub fn label(self, verdict: Verdict) -> String {
        match (self, verdict) {
            (ReadResult::BackedOff { after_torn: true }, _) => "backed off (torn read)".to_owned(),
            (ReadResult::BackedOff { after_torn: false }, _) => "backed off".to_owned(),
            (_, Verdict::NotPresent) => "not present".to_owned(),
            (_, Verdict::PreZap) => "pre-zap (P0)".to_owned(),
            (_, Verdict::Reestablished(n)) => format!("re-established P{n}"),
            (_, Verdict::Torn) => "TORN".to_owned(),
        }
    }
}

/// A completed read with its verdict and where each half came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Judged {
    pub read: CompletedRead,
    pub verdict: Verdict,
    /// A torn value that memory itself held at some point of the run, between
    /// the two stores of one update (a MIPS/SH high-first clear leaves
    /// `(P0.low, 0)` there): a half-written entry rather than a mix of reads
    /// from different moments. Always false for an allowed value.
    pub half_written: bool,
}

impl Judged {
    /// Judges `read`; `memory_held` says whether memory held the returned
    /// value at some state of the run that produced it.
    pub fn new(scenario: &Scenario, read: CompletedRead, memory_held: bool) -> Judged {
        let verdict = Verdict::of(scenario, read.value);
        Judged { read, verdict, half_written: verdict.is_torn() && memory_held }
    }

    /// The verdict in words, with "a half-written entry" where memory itself
    /// held the torn value, and what a back-off means.
    pub fn verdict_text(&self) -> String {
        if let ReadResult::BackedOff { after_torn } = self.result() {
            let torn = if after_torn {
                ", after a torn read: it took a reference on the page a torn entry points at"
            } else {
                ""
            };
            return format!("backed off (falls back to the slow path){torn}");
        }
        if self.half_written {
            format!("{}: a half-written entry memory held between two stores", self.verdict)
        } else {
            self.verdict.to_string()
        }
    }

    /// How the read is shown: torn, backed off or allowed.
    pub fn result(&self) -> ReadResult {
        ReadResult::of(self.verdict, self.read.returned)
    }

    /// Did the reader return a torn value? (A back-off returns nothing.)
    pub fn returned_torn(&self) -> bool {
        self.result() == ReadResult::Torn
    }

    /// One line for a person: the value, the verdict, the provenance of each
    /// half and the retries.
    pub fn summary(&self) -> String {
        let read = &self.read;
        let retries = match read.retries {
            0 => "no retry".to_owned(),
            1 => "1 retry".to_owned(),
            n => format!("{n} retries"),
        };
        format!(
            "reader {} {} {}: {} (low from {}, high from {}; {retries})",
            read.reader + 1,
            self.result().verb(),
            read.value,
            self.verdict_text(),
            read.low_source,
            read.high_source,
        )
    }
}
