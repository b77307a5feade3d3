//! The scenario editor: the scenario's name (its preset, with what was
//! changed) and the preset's explanation, the presets of the discussion
//! grouped by topic as a list of radio buttons whose names wrap rather than
//! being cut off, architecture, memory model, present bit, TLB flush mode,
//! readers, the compiler and plain or marked accesses, the writer's
//! operations and the values. Every edit starts a new run (undo restores).

use std::rc::Rc;

use pte_core::catalog::Topic;
use pte_core::writer::{self, WriterOptionSpec};
use pte_core::{
    catalog, Arch, Edit, FlushMode, MemoryModel, Scenario, ValueSlot, WriterOp, MAX_READERS,
    MAX_WRITER_OPS,
};
use yew::prelude::*;

use super::select_value;

use crate::components::values::HexField;
use crate::identity::identify;
use crate::state::Action;

#[derive(Properties, PartialEq, Debug)]
pub struct ControlsProps {
    /// The scenario only, not the session: a step leaves the editor as it
    /// is, so Yew skips drawing it again (its props compare equal).
    pub scenario: Rc<Scenario>,
    /// The preset the person chose last, whose name a changed scenario keeps.
    #[prop_or_default]
    pub chosen_preset: Option<&'static str>,
    /// The scenario came from a link made before the compiler was modelled
    /// ([`crate::state::AppState::compiler_from_older_link`]).
    #[prop_or_default]
    pub compiler_from_older_link: bool,
    /// Emits the scenario's changes: `Action::Edit`s and the preset chosen.
    pub on_edit: Callback<Action>,
}

/// The compiler switch (`COMPILER.md`) and whether the writer's stores and
/// the readers' loads are marked; with the compiler off because the link
/// is older than it, a note says so beside the switch.
fn compiler_editor(scenario: &Scenario, older_link: bool, on_edit: &Callback<Action>) -> Html {
    let (compiler, marked_writer, marked_reader) =
        (scenario.compiler, scenario.marked_writer, scenario.marked_reader);
    html! {
        <fieldset class="field compiler" data-testid="compiler-settings">
            <legend>{ "Compiler" }</legend>
            <div class="checkbox">
                <input type="checkbox" role="switch" id="compiler" checked={compiler} data-testid="compiler"
                    aria-describedby="compiler-note"
                    onchange={on_edit.reform(move |_: Event| Action::Edit(Edit::Compiler(!compiler)))} />
                <label for="compiler">{ "compiler: may reorder and merge plain accesses between compiler barriers" }</label>
                if older_link && !compiler {
                    <strong class="older-link" data-testid="compiler-older-link">{ " compiler not modelled (older link)" }</strong>
                }
                <p class="note" id="compiler-note">
                    { "Within a region (up to a barrier, a check or interrupts off) the compiler may move an access                        past another to a different word when one of them is plain, and reuse a plain load's earlier                        value of the same word; nothing else. On x86 smp_rmb() and smp_wmb() are compiler barriers only." }
                </p>
            </div>
            <div class="checkbox">
                <input type="checkbox" id="marked-writer" checked={marked_writer} data-testid="marked-writer"
                    onchange={on_edit.reform(move |_: Event| Action::Edit(Edit::MarkedWriter(!marked_writer)))} />
                <label for="marked-writer">{ "WRITE_ONCE() stores: the writer's PTE stores are marked (since v6.2), not plain (v6.0)" }</label>
            </div>
            <div class="checkbox">
                <input type="checkbox" id="marked-reader" checked={marked_reader} data-testid="marked-reader"
                    onchange={on_edit.reform(move |_: Event| Action::Edit(Edit::MarkedReader(!marked_reader)))} />
                <label for="marked-reader">{ "READ_ONCE() loads: the readers' PTE loads are marked, not plain (v6.0)" }</label>
            </div>
        </fieldset>
    }
}

fn op_options(selected: WriterOp) -> Html {
    html! {
        { for WriterOp::ALL.into_iter().map(|op| html! {
            <option value={op.id()} selected={op == selected} title={op.title()}>{ op.label() }</option>
        }) }
    }
}

/// The scenario's name and explanation, and the presets to choose from.
fn preset_menu(scenario: &Scenario, chosen: Option<&str>, on_edit: &Callback<Action>) -> Html {
    let matching = catalog::matching(scenario).map(|preset| preset.id);
    let identity = identify(scenario, chosen);
    let preset = identity.preset;
    let back = preset.id;
    html! {
        <div class="field preset">
            <p class="scenario-name" data-testid="scenario-name">
                <strong>{ preset.title }</strong>
                if identity.is_changed() {
                    <span class="changed" data-testid="scenario-changes">
                        { format!(" (changed: {})", identity.changes.join(", ")) }
                    </span>
                }
            </p>
            if identity.is_changed() {
                // The preset's explanation may contradict what the changed
                // scenario does: folded, and said to be the preset's.
                <details class="explanation-changed" data-testid="preset-explanation-changed">
                    <summary>
                        { format!("Changed from the preset {}: {}. Its explanation, for the preset as it is:", preset.title, identity.changes.join(", ")) }
                    </summary>
                    <p class="explanation" data-testid="preset-explanation">{ preset.explanation }</p>
                </details>
            } else {
                <p class="explanation" data-testid="preset-explanation">{ preset.explanation }</p>
            }
            if identity.is_changed() {
                <p class="note">
                    { "The explanation is the preset's, not of your changes. " }
                    <button type="button" class="link-button" data-testid="preset-reset"
                        onclick={on_edit.reform(move |_: MouseEvent| Action::ChoosePreset(back.to_owned()))}>
                        { "Back to the preset" }
                    </button>
                </p>
            }
            if !preset.messages.is_empty() {
                <ul class="sources" data-testid="preset-sources" aria-label="Messages this rests on">
                    { for preset.messages.iter().map(|message| html! {
                        <li>
                            { format!("{}: ", message.author) }
                            <a href={message.url()} target="_blank" rel="noopener noreferrer">
                                { message.topic }
                            </a>
                            <span class="message-id">{ format!(" <{}>", message.message_id) }</span>
                        </li>
                    }) }
                </ul>
            }
            // Grouped by the catalog's topics, each a fieldset of its own (a
            // screen reader names the group); one radio group (`name`) for
            // all, so the arrow keys go through every preset. The box
            // scrolls on a wide screen: its count and its fading edges say
            // there is more than what shows.
            <fieldset class="preset-list">
                <legend>{ "Scenario from the discussion" }</legend>
                <p class="preset-count">
                    { format!("{} scenarios in {} groups", catalog::presets().len(), Topic::ALL.len()) }
                    <span class="wide-only">{ "; the list scrolls" }</span>
                </p>
                <div class="preset-options">
                    { for Topic::ALL.iter().map(|&topic| html! {
                        <fieldset class="preset-group">
                            <legend>{ topic.title() }</legend>
                            { for catalog::presets().iter().filter(|preset| preset.topic == topic).map(|preset| {
                                let id = format!("preset-{}", preset.id);
                                let chosen = preset.id;
                                html! {
                                    <div class="radio">
                                        <input type="radio" name="preset" id={id.clone()} value={preset.id}
                                            checked={matching == Some(preset.id)} data-testid={id.clone()}
                                            onchange={on_edit.reform(move |_: Event| Action::ChoosePreset(chosen.to_owned()))} />
                                        <label for={id}>{ preset.title }</label>
                                    </div>
                                }
                            }) }
                        </fieldset>
                    }) }
                </div>
            </fieldset>
        </div>
    }
}

fn writer_editor(
    scenario: &Scenario,
    on_edit: &Callback<Action>,
    adding: &UseStateHandle<WriterOp>,
) -> Html {
    let count = scenario.writer.len();
    let mut established = 0;
    let items = scenario.writer.iter().enumerate().map(|(index, op)| {
        let number = index + 1;
        let value = if op.is_establish() {
            established += 1;
            format!(" P{established}")
        } else {
            String::new()
        };
        let skipped = op.is_flush() && scenario.flush == FlushMode::None;
        let onchange = on_edit.reform(move |event: Event| match select_value(&event).parse::<WriterOp>().ok() {
            Some(op) => Action::Edit(Edit::ReplaceOp { index, op }),
            None => Action::DismissNotice,
        });
        html! {
            <li key={index} class="op">
                <span class="op-number" aria-hidden="true">{ format!("{number}.") }</span>
                <select aria-label={format!("Writer operation {number}")} data-testid={format!("op-{number}")} {onchange}>
                    { op_options(*op) }
                </select>
                <span class="op-note">{ value }{ if skipped { " (skipped: flush mode none)" } else { "" } }</span>
                <span class="op-buttons">
                    <button type="button" class="icon-button" disabled={index == 0}
                        aria-label={format!("Move operation {number} up")} title="move up"
                        onclick={on_edit.reform(move |_: MouseEvent| Action::Edit(Edit::MoveOp { from: index, to: index.saturating_sub(1) }))}>{ "↑" }</button>
                    <button type="button" class="icon-button" disabled={index + 1 == count}
                        aria-label={format!("Move operation {number} down")} title="move down"
                        onclick={on_edit.reform(move |_: MouseEvent| Action::Edit(Edit::MoveOp { from: index, to: index + 1 }))}>{ "↓" }</button>
                    <button type="button" class="icon-button"
                        aria-label={format!("Remove operation {number}")} title="remove"
                        onclick={on_edit.reform(move |_: MouseEvent| Action::Edit(Edit::RemoveOp(index)))}>{ "✕" }</button>
                </span>
            </li>
        }
    });
    let on_pick = {
        let adding = adding.clone();
        Callback::from(move |event: Event| {
            if let Ok(op) = select_value(&event).parse::<WriterOp>() {
                adding.set(op);
            }
        })
    };
    let chosen = **adding;
    let on_add = on_edit.reform(move |_: MouseEvent| Action::Edit(Edit::AddOp(chosen)));
    html! {
        <fieldset class="writer-ops">
            <legend>{ "Writer operations, in order" }</legend>
            <ol>{ for items }</ol>
            if count == 0 { <p class="hint">{ "No operations: the writer does nothing." }</p> }
            <div class="add-op">
                <label for="add-op" class="visually-hidden">{ "Operation to add" }</label>
                <select id="add-op" onchange={on_pick}>{ op_options(chosen) }</select>
                <button type="button" onclick={on_add} disabled={count >= MAX_WRITER_OPS}>{ "Add" }</button>
            </div>
        </fieldset>
    }
}

/// A writer option's switch (the sequence counter, KVM's clear counter),
/// from its spec.
fn option_switch(
    option: &WriterOptionSpec,
    scenario: &Scenario,
    on_edit: &Callback<Action>,
) -> Html {
    let (id, label, note) = option.switch;
    let on = (option.enabled)(scenario);
    let edit = option.edit;
    html! {
        <div class="field checkbox">
            <input type="checkbox" {id} checked={on} data-testid={id}
                onchange={on_edit.reform(move |_: Event| Action::Edit(edit(!on)))} />
            <label for={id}>{ label }</label>
            <p class="note">{ note }</p>
        </div>
    }
}

fn values_editor(scenario: &Scenario, on_edit: &Callback<Action>) -> Html {
    let values = &scenario.values;
    let field = |slot: ValueSlot, id: String, label: String, note: &str, value| {
        html! {
            <HexField key={id.clone()} id={id.clone()} label={label} note={AttrValue::from(note.to_owned())} value={value}
                on_change={on_edit.reform(move |pte| Action::Edit(Edit::Value { slot, value: pte }))} />
        }
    };
    html! {
        <fieldset class="values">
            <legend>{ "Values (64-bit hex)" }</legend>
            { field(ValueSlot::P0, "p0".to_owned(), "P0".to_owned(), "initial, present", values.p0) }
            { field(ValueSlot::Z, "z".to_owned(), "Z".to_owned(), "a zap stores it", values.z) }
            { for values.p.iter().enumerate().map(|(index, p)| field(
                ValueSlot::P(index + 1),
                format!("p{}", index + 1),
                format!("P{}", index + 1),
                "re-established",
                *p,
            )) }
        </fieldset>
    }
}

#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let adding = use_state(|| WriterOp::Zap);
    let bit_error = use_state(|| None::<String>);
    let scenario: &Scenario = &props.scenario;
    let on_edit = &props.on_edit;

    let arch = scenario.arch();
    let on_arch = on_edit.reform(|event: Event| {
        let id = select_value(&event);
        match Arch::ALL.into_iter().find(|arch| arch.id() == id) {
            Some(arch) => Action::Edit(Edit::Arch(arch)),
            None => Action::DismissNotice,
        }
    });
    let on_flush = on_edit.reform(|event: Event| {
        let id = select_value(&event);
        Action::Edit(Edit::Flush(
            FlushMode::ALL.into_iter().find(|mode| mode.id() == id).unwrap_or(FlushMode::Ipi),
        ))
    });
    let on_readers = on_edit.reform(|event: Event| {
        Action::Edit(Edit::Readers(select_value(&event).parse().unwrap_or(1)))
    });
    let on_bit = {
        let on_edit = on_edit.clone();
        let bit_error = bit_error.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            match input.value().trim().parse::<u8>() {
                Ok(bit) if bit <= 63 => {
                    bit_error.set(None);
                    on_edit.emit(Action::Edit(Edit::PresentBit(bit)));
                }
                _ => bit_error.set(Some(format!(
                    "{:?} is not a bit number from 0 to 63: not applied",
                    input.value()
                ))),
            }
        })
    };
    let same_low = scenario.same_low();
    let on_same_low = on_edit.reform(move |_: Event| Action::Edit(Edit::SameLow(!same_low)));
    let half = if scenario.present_bit < 32 { "low half" } else { "high half" };

    html! {
        <section class="controls" aria-labelledby="controls-title">
            { preset_menu(scenario, props.chosen_preset, on_edit) }
            <div class="field">
                <label for="arch">{ "Architecture" }</label>
                <select id="arch" data-testid="arch-select" onchange={on_arch}>
                    if arch.is_none() {
                        <option value="" selected=true disabled=true>{ "custom layout" }</option>
                    }
                    { for Arch::ALL.into_iter().map(|a| html! {
                        <option value={a.id()} selected={arch == Some(a)}>{ a.title() }</option>
                    }) }
                </select>
            </div>
            <fieldset class="field model">
                <legend>{ "Memory model" }</legend>
                { for MemoryModel::ALL.into_iter().map(|model| {
                    let id = format!("model-{}", model.id());
                    html! {
                        <div class="radio">
                            <input type="radio" name="model" id={id.clone()} value={model.id()}
                                checked={scenario.model == model} data-testid={id.clone()}
                                onchange={on_edit.reform(move |_: Event| Action::Edit(Edit::Model(model)))} />
                            <label for={id}>{ model.title() }</label>
                        </div>
                    }
                }) }
            </fieldset>
            <div class="field inline">
                <label for="present-bit-input">{ "Present bit (0–63)" }</label>
                <input id="present-bit-input" type="number" min="0" max="63" step="1"
                    value={scenario.present_bit.to_string()} onchange={on_bit}
                    aria-invalid={if bit_error.is_some() { "true" } else { "false" }}
                    aria-describedby="present-bit-help" />
                <span id="present-bit-help" class="note">{ half }</span>
                if let Some(error) = (*bit_error).clone() {
                    <p class="field-error" role="alert"><span aria-hidden="true">{ "⚠ " }</span>{ error }</p>
                }
            </div>
            <div class="field">
                <label for="flush">{ "TLB flush" }</label>
                <select id="flush" data-testid="flush-select" onchange={on_flush}>
                    { for FlushMode::ALL.into_iter().map(|mode| html! {
                        <option value={mode.id()} selected={scenario.flush == mode} title={mode.title()}>{ mode.label() }</option>
                    }) }
                </select>
            </div>
            <div class="field inline">
                <label for="readers">{ "Readers" }</label>
                <select id="readers" data-testid="readers-select" onchange={on_readers}>
                    { for (1..=MAX_READERS as u8).map(|n| html! {
                        <option value={n.to_string()} selected={scenario.readers == n}>{ n }</option>
                    }) }
                </select>
            </div>
            { for writer::OPTIONS.iter().map(|option| option_switch(option, scenario, on_edit)) }
            { compiler_editor(scenario, props.compiler_from_older_link, on_edit) }
            <div class="field checkbox">
                <input type="checkbox" id="same-low" checked={same_low} data-testid="same-low"
                    disabled={scenario.values.p.is_empty()} onchange={on_same_low} />
                <label for="same-low">{ "Same low half: every Pn.low = P0.low" }</label>
                <p class="note">{ "The re-read of low cannot see that the PTE changed (x86 PAE: the same physical address modulo 4 GiB, same flags)." }</p>
            </div>
            { writer_editor(scenario, on_edit, &adding) }
            { values_editor(scenario, on_edit) }
        </section>
    }
}
