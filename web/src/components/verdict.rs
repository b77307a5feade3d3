//! The verdict banner: what the last completed read returned and whether
//! that is allowed, in words and an icon (readable without colour), announced
//! to screen readers.

use std::rc::Rc;

use pte_core::{Judged, Session, Verdict};
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
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

fn icon(verdict: Verdict) -> &'static str {
    if verdict.is_torn() {
        "✖"
    } else {
        "✔"
    }
}

/// The banner for the latest completed read, and a list of the earlier ones.
#[component]
pub fn VerdictBanner(props: &VerdictProps) -> Html {
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
                <p class="verdict-detail">
                    { "Step a reader through " }<code>{ "if (r0 != r2) goto retry;" }</code>
                    { " to see what it returns and whether that is allowed." }
                </p>
            </section>
        };
    };
    let kind = if latest.verdict.is_torn() { "torn" } else { "allowed" };
    let earlier = reads.len().saturating_sub(1);
    html! {
        <section class={classes!("verdict", format!("verdict-{kind}"), just_now.then_some("fresh"))}
            role="status" aria-live="polite" data-testid="verdict" data-verdict={kind}
            aria-labelledby="verdict-title">
            <h2 id="verdict-title" class="visually-hidden">{ "Verdict" }</h2>
            <p class="verdict-headline">
                <span class="icon" aria-hidden="true">{ icon(latest.verdict) }</span>
                <strong data-testid="verdict-headline">{ headline(latest.verdict) }</strong>
                <span class="verdict-value">
                    { format!(" — reader {} returned ", latest.read.reader + 1) }
                    <code>{ latest.read.value.to_string() }</code>
                </span>
            </p>
            <p class="verdict-detail">
                { meaning(latest.verdict) }{ " " }
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
            if earlier > 0 {
                <details class="earlier-reads">
                    <summary>{ format!("{earlier} earlier read{} in this run", if earlier == 1 { "" } else { "s" }) }</summary>
                    <ul>
                        { for reads[..earlier].iter().map(|judged| html! {
                            <li>{ format!("{} {}", icon(judged.verdict), judged.summary()) }</li>
                        }) }
                    </ul>
                </details>
            }
        </section>
    }
}
