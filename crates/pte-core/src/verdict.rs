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
        if !self.read.returned {
            let torn = if self.verdict.is_torn() {
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

    /// Did the reader return a torn value? (A back-off returns nothing.)
    pub fn returned_torn(&self) -> bool {
        self.read.returned && self.verdict.is_torn()
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
        let did = if read.returned { "returned" } else { "read" };
        format!(
            "reader {} {did} {}: {} (low from {}, high from {}; {retries})",
            read.reader + 1,
            read.value,
            self.verdict_text(),
            read.low_source,
            read.high_source,
        )
    }
}
