//! The machine state: the two memory words in hex and bits (present bit
//! marked), the write each half came from, the TSO store buffer, and each
//! reader's registers and loop iteration.

use std::rc::Rc;

use pte_core::listing;
use pte_core::{word_value, AccessKind, Program, Pte, Register, Session, Source, Word};
use yew::prelude::*;

#[derive(Debug)]
pub struct StateViewProps {
    pub session: Rc<Session>,
}

/// "P0", "Z, op 1", "P1, op 3": where a value came from, briefly.
pub fn short_source(source: Source) -> String {
    match source {
        Source::Initial => "P0".to_owned(),
        Source::Write { op, value } => format!("{value}, op {}", op + 1),
    }
}

/// The 32 bits of one word, most significant first, in groups of four, with
/// the present bit marked by weight, underline and a caret (not colour only).
fn bits(value: u32, first_bit: u8, present_bit: u8) -> Html {
    let groups = (0..8).map(|group| {
        let cells = (0..4).map(|offset| {
            let position = 31 - (group * 4 + offset);
            let bit = (value >> position) & 1;
            if u32::from(first_bit) + position == u32::from(present_bit) {
                html! { <mark class="present-bit" title={format!("present bit (bit {present_bit})")}>{ bit }</mark> }
            } else {
                html! { <span>{ bit }</span> }
            }
        });
        html! { <span class="nibble">{ for cells }</span> }
    });
    html! { <span class="bits" aria-hidden="true">{ for groups }</span> }
}

fn memory_rows(program: &Program, session: &Session) -> Html {
    let state = session.state();
    let present_bit = program.scenario().present_bit;
    let row = |word: Word, first_bit: u8| {
        let tag = state.memory_tag(word);
        let value = program.memory_value(state, word);
        let has_present = (first_bit..first_bit + 32).contains(&present_bit);
        html! {
            <tbody data-testid={format!("memory-{}", word.name())}>
                <tr>
                    <th scope="row">{ word.name() }<span class="bit-range">{ format!("bits {}–{}", first_bit + 31, first_bit) }</span></th>
                    <td><code class="hex" data-testid={format!("memory-{}-hex", word.name())}>{ format!("0x{value:08x}") }</code></td>
                    <td data-testid={format!("memory-{}-source", word.name())}>{ program.source(tag).to_string() }</td>
                </tr>
                <tr>
                    <td colspan="3" class="bits-cell">
                        { bits(value, first_bit, present_bit) }
                        if has_present {
                            <span class="present-note">
                                { format!("▲ present bit (bit {present_bit}) = {}", (value >> (present_bit - first_bit)) & 1) }
                            </span>
                        }
                    </td>
                </tr>
            </tbody>
        }
    };
    let whole = Pte::from_halves(
        program.memory_value(state, Word::High),
        program.memory_value(state, Word::Low),
    );
    let present = program.scenario().is_present(whole);
    html! {
        <>
            <h3 id="memory-title">{ "Memory: the PTE as two 32-bit words" }</h3>
            <table class="memory" aria-labelledby="memory-title">
                <thead><tr>
                    <th scope="col">{ "word" }</th>
                    <th scope="col">{ "value" }</th>
                    <th scope="col">{ "written by" }</th>
                </tr></thead>
                { row(Word::High, 32) }
                { row(Word::Low, 0) }
            </table>
            <p class="whole">
                { "The PTE in memory is " }
                <code data-testid="memory-pte">{ whole.to_string() }</code>
                { format!(": present bit (bit {present_bit}) is {}, so it is ", u8::from(present)) }
                <strong>{ if present { "present" } else { "not present" } }</strong>{ "." }
            </p>
            { for program.options().map(|option| {
                let (word, counter) = (option.word, option);
                let value = program.memory_value(state, word);
                html! {
                    <p class={format!("{}-word", word.name())} data-testid={format!("memory-{}", word.name())}>
                        { format!("{} ", counter.title) }<code>{ word.name() }</code>{ " = " }
                        <code data-testid={format!("memory-{}-value", word.name())}>{ value }</code>
                        { format!(" ({}; written by {})", (counter.meaning)(value), program.source(state.memory_tag(word))) }
                    </p>
                }
            }) }
        </>
    }
}

fn store_buffer(program: &Program, session: &Session) -> Html {
    let state = session.state();
    let entries: Vec<Html> = program
        .buffered(state)
        .map(|index| {
            let access = &program.accesses()[index];
            let text = match access.kind {
                AccessKind::Store(word) => format!(
                    "{} ← 0x{:08x} ({}, op {})",
                    word.name(),
                    access.stored(word),
                    access.value_name,
                    access.op + 1
                ),
                _ => program.name(pte_core::Step::Writer(index as u8)),
            };
            html! { <li key={index}><code>{ text }</code></li> }
        })
        .collect();
    html! {
        <div class="store-buffer" data-testid="store-buffer">
            <h3>{ "Writer's store buffer (oldest first)" }</h3>
            if entries.is_empty() {
                <p>{ "empty: memory holds every store the writer has issued" }</p>
            } else {
                <ol>{ for entries }</ol>
            }
        </div>
    }
}

fn readers_table(program: &Program, session: &Session) -> Html {
    let state = session.state();
    // Only the registers some reader's kind has: r0, r1, r2 for the loop.
    let columns: Vec<Register> = listing::register_columns(program);
    let rows = (0..program.readers()).map(|reader| {
        let at = state.reader(reader);
        let phase = program.phase(state, reader).words();
        let kind = program.reader_kind(reader);
        // Every kind has r0 and r1 (the value returned); the others only
        // where the kind has them.
        let cells = columns.iter().map(|&register| {
            if program.reader_program(reader).slot(register).is_none() {
                return html! {
                    <td class="absent">
                        <span aria-hidden="true">{ "·" }</span>
                        <span class="visually-hidden">{ "no such register" }</span>
                    </td>
                };
            }
            match (
                program.register_value(state, reader, register),
                program.register_source(state, reader, register),
            ) {
                (Some(value), Some(source)) => html! {
                    <td><code>{ word_value(register.word(), value) }</code>
                        <span class="source">{ format!(" ({})", short_source(source)) }</span></td>
                },
                _ => html! { <td><span aria-hidden="true">{ "—" }</span><span class="visually-hidden">{ "not loaded" }</span></td> },
            }
        });
        html! {
            <tr key={reader} data-testid={format!("reader-{}-state", reader + 1)}>
                <th scope="row">{ format!("reader {}", reader + 1) }
                    <span class="phase">{ format!("{}, {phase}", kind.label()) }</span></th>
                { for cells }
                <td class="number">{ at.retries }</td>
            </tr>
        }
    });

    html! {
        <>
            <h3 id="registers-title">{ "Readers: registers and the write each value came from" }</h3>
            // Focusable: with several kinds the table can scroll sideways.
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="registers-title">
                <table class="registers" aria-labelledby="registers-title">
                    <thead><tr>
                        <th scope="col">{ "thread" }</th>
                        { for columns.iter().map(|register| html! {
                            <th scope="col">{ format!("{} ← {}", register.name(), register.word().name()) }</th>
                        }) }
                        <th scope="col">{ "retries" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </>
    }
}

/// Memory, store buffer and registers after the steps taken so far.
pub fn state_view(props: &StateViewProps) -> Html {
    let session = &props.session;
    let program = session.program();
    html! {
        <section class="state-view" aria-labelledby="state-title">
            <h2 id="state-title">{ format!("State after {} step{}", session.cursor(), if session.cursor() == 1 { "" } else { "s" }) }</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="memory-title">{ memory_rows(program, session) }</div>
            if program.rules().store_buffer {
                { store_buffer(program, session) }
            }
            { readers_table(program, session) }
        </section>
    }
}
