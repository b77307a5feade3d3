//! The verdict banner: what the last completed read returned and whether
//! that is allowed, in words and an icon (readable without colour), announced
//! to screen readers, and which steps of the run the memory model allowed
//! where a stricter one would not have.

use std::rc::Rc;

use pte_core::{Judged, Session, Verdict};
use yew::prelude::*;

#[derive(Debug)]
pub struct VerdictProps {
    pub session: Rc<Session>,
}

/// "Allowed: pre-zap (P0)", "TORN", … as the banner's headline.
pub fn headline(verdict: Verdict) -> String {
    match verdict {
        Verdict::NotPresent => "Allowed: not present".to_owned(),
        Verdict::PreZap => "Allowed: pre-zap (P0)".to_owned(),
        Verdict::Reestablished(n) => format!("Allowed: re-established P{n}"),
        Verdict::Torn => "TORN".to_owned(),
    }
}

/// What the headline means, in one sentence.
fn meaning(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::NotPresent => {
            "The present bit is clear, so the caller treats the entry as empty: any other bits are harmless."
        }
        Verdict::PreZap => "The reader saw the whole PTE from before the zap.",
        Verdict::Reestablished(_) => "The reader saw a whole PTE the writer installed.",
        Verdict::Torn => "A present PTE that no writer ever wrote: its halves come from different writes.",
    }
}

/// How a read result is shown: a torn value returned, a back-off (GUP-fast
/// read a value and gave it up), or an allowed value returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    Torn,
    BackedOff { after_torn: bool },
    Allowed,
}

impl Shown {
    pub fn of(verdict: Verdict, returned: bool) -> Shown {
        match (returned, verdict.is_torn()) {
            (false, after_torn) => Shown::BackedOff { after_torn },
            (true, true) => Shown::Torn,
            (true, false) => Shown::Allowed,
        }
    }

    /// `data-verdict` and class names: "torn", "backed-off", "allowed".
    pub fn id(self) -> &'static str {
        match self {
            Shown::Torn => "torn",
            Shown::BackedOff { .. } => "backed-off",
            Shown::Allowed => "allowed",
        }
    }

    /// ✖ for a torn value returned, ↩ for a back-off, ✔ for an allowed value.
    pub fn icon(self) -> &'static str {
        match self {
            Shown::Torn => "✖",
            Shown::BackedOff { .. } => "↩",
            Shown::Allowed => "✔",
        }
    }

    /// The headline: the verdict, or "Backed off (after a torn read)".
    pub fn headline(self, verdict: Verdict) -> String {
        match self {
            Shown::BackedOff { after_torn: true } => "Backed off after a TORN read".to_owned(),
            Shown::BackedOff { after_torn: false } => "Backed off".to_owned(),
            Shown::Torn | Shown::Allowed => headline(verdict),
        }
    }
}

fn icon(judged: &Judged) -> &'static str {
    Shown::of(judged.verdict, judged.read.returned).icon()
}

/// The banner for the latest completed read, and a list of the earlier ones.
pub fn verdict_banner(props: &VerdictProps) -> Html {
    let session = &props.session;
    let reads: Vec<Judged> = session.completed_reads().copied().collect();
    let just_now = session.last_read().is_some();
    let Some(latest) = reads.last().copied() else {
        return html! {
            <section class="verdict verdict-none" role="status" aria-live="polite"
                data-testid="verdict" data-verdict="none" aria-labelledby="verdict-title">
                <h2 id="verdict-title" class="visually-hidden">{ "Verdict" }</h2>
                <p class="verdict-headline">
                    <span class="icon" aria-hidden="true">{ "…" }</span>
                    { "No read has completed yet." }
                </p>
                <p class="verdict-detail verdict-hint">
                    { "Step a reader through " }<code>{ "if (r0 != r2) goto retry;" }</code>
                    { " to see what it returns and whether that is allowed." }
                </p>
            </section>
        };
    };
    let shown = Shown::of(latest.verdict, latest.read.returned);
    let kind = shown.id();
    let earlier = reads.len().saturating_sub(1);
    let program = session.program();
    let read_at =
        (0..session.cursor()).rev().find(|index| session.judged_reads()[*index].is_some());
    let behind = read_at.map(|index| session.relaxations_behind_read(index)).unwrap_or_default();
    let why = if !behind.is_empty() {
        html! {
            <div class="verdict-why" data-testid="verdict-why">
                <p><strong>{ format!("Why {} allowed it (sequential consistency would not):", session.scenario().model.title()) }</strong></p>
                <ul class="why-allowed">
                    { for behind.iter().map(|(index, relaxation)| html! {
                        <li>
                            <span aria-hidden="true">{ "↯ " }</span>
                            { format!("step {}: {}", index + 1, program.explain_relaxation(relaxation)) }
                        </li>
                    }) }
                </ul>
            </div>
        }
    } else if session.scenario().model.rules().relaxes_sequential_consistency() {
        html! {
            <p class="verdict-why" data-testid="verdict-why">
                { "Every step of this run is allowed under sequential consistency too." }
            </p>
        }
    } else {
        html! {}
    };
    html! {
        <section class={classes!("verdict", format!("verdict-{kind}"), just_now.then_some("fresh"))}
            role="status" aria-live="polite" data-testid="verdict" data-verdict={kind}
            aria-labelledby="verdict-title">
            <h2 id="verdict-title" class="visually-hidden">{ "Verdict" }</h2>
            <p class="verdict-headline">
                <span class="icon" aria-hidden="true">{ shown.icon() }</span>
                <strong data-testid="verdict-headline">{ shown.headline(latest.verdict) }</strong>
                <span class="verdict-value">
                    { format!(" — reader {} {} ", latest.read.reader + 1, if latest.read.returned { "returned" } else { "read" }) }
                    <code>{ latest.read.value.to_string() }</code>
                </span>
            </p>
            <p class="verdict-detail">
                if let Shown::BackedOff { after_torn } = shown {
                    { "GUP-fast's re-check saw the entry change: it drops the page reference and falls back to the slow path, so nothing is returned. " }
                    if after_torn {
                        { "But the value it read was torn: it took a reference on the page a torn entry points at. " }
                    }
                } else {
                    { meaning(latest.verdict) }{ " " }
                }
                if latest.half_written {
                    { "Memory itself held this value for a moment, between the two stores of one \
                       update: a half-written entry. " }
                }
                { format!(
                    "Low half from {}, high half from {}; {}.",
                    latest.read.low_source,
                    latest.read.high_source,
                    match latest.read.retries {
                        0 => "no retry".to_owned(),
                        1 => "after 1 retry".to_owned(),
                        n => format!("after {n} retries"),
                    }
                ) }
            </p>
            { why }
            if earlier > 0 {
                <details class="earlier-reads">
                    <summary>{ format!("{earlier} earlier read{} in this run", if earlier == 1 { "" } else { "s" }) }</summary>
                    <ul>
                        { for reads[..earlier].iter().map(|judged| html! {
                            <li>{ format!("{} {}", icon(judged), judged.summary()) }</li>
                        }) }
                    </ul>
                </details>
            }
        </section>
    }
}
