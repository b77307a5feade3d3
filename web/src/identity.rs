//! Which scenario of the discussion the page shows, and what was changed in
//! it: "The kernel protocol as written (changed: model weak)". A change
//! keeps the name and the explanation of the preset it started from, so it
//! stays clear which protocol is being looked at. Pure.

use pte_core::catalog::{self, Preset};
use pte_core::Scenario;

/// The preset a scenario is (or was changed from) and the changes.
#[derive(Clone, Debug)]
pub struct Identity {
    pub preset: &'static Preset,
    /// Each change in a few words ("model weak", "reader_rmb1 off"); empty
    /// when the scenario is exactly the preset.
    pub changes: Vec<String>,
}

impl PartialEq for Identity {
    fn eq(&self, other: &Identity) -> bool {
        self.preset.id == other.preset.id && self.changes == other.changes
    }
}

impl Identity {
    /// "Same low half, no flush" or "Same low half, no flush (changed:
    /// model weak, 2 readers)".
    pub fn title(&self) -> String {
        if self.changes.is_empty() {
            self.preset.title.to_owned()
        } else {
            format!("{} (changed: {})", self.preset.title, self.changes.join(", "))
        }
    }

    pub fn is_changed(&self) -> bool {
        !self.changes.is_empty()
    }
}

/// The scenario's identity: the preset it is exactly; else the preset the
/// person chose last (`chosen`, a preset id), with what differs; else the
/// preset it differs least from.
pub fn identify(scenario: &Scenario, chosen: Option<&str>) -> Identity {
    if let Some(preset) = catalog::matching(scenario) {
        return Identity { preset, changes: Vec::new() };
    }
    let from = |preset: &'static Preset| Identity {
        preset,
        changes: changes(&preset.scenario(), scenario),
    };
    if let Some(preset) = chosen.and_then(catalog::find) {
        return from(preset);
    }
    catalog::presets()
        .iter()
        .map(from)
        .min_by_key(|identity| identity.changes.len())
        .expect("the catalog is not empty")
}

/// What differs from `base` in `now`, in the order of the editor: the
/// core's edits from one to the other ([`Scenario::diff`]), in their words.
pub fn changes(base: &Scenario, now: &Scenario) -> Vec<String> {
    base.diff(now).iter().map(ToString::to_string).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use pte_core::{Barrier, MemoryModel, ReaderKind};

    use super::*;

    #[test]
    fn a_preset_is_named_as_it_is() {
        let identity = identify(&Scenario::kernel(), None);
        assert_eq!(identity.preset.id, "kernel");
        assert_eq!(identity.title(), "The kernel protocol as written");
        assert!(!identity.is_changed());
    }

    #[test]
    fn a_change_keeps_the_preset_name() {
        let weak = Scenario { model: MemoryModel::Weak, ..Scenario::kernel() };
        let identity = identify(&weak, Some("kernel"));
        assert_eq!(identity.title(), "The kernel protocol as written (changed: model weak)");
        // Without a chosen preset, the nearest one.
        assert_eq!(identify(&weak, None).preset.id, "kernel");
    }

    #[test]
    fn every_kind_of_change_is_named() {
        let base = catalog::find("same-low-none").unwrap().scenario();
        let mut now = base.clone();
        now.model = MemoryModel::Tso;
        now.set_readers(2);
        now.set_reader_kind(1, ReaderKind::GupFast);
        now.barriers.set(Barrier::ReaderRmb1, false);
        now.seqcount = true;
        now.values.p0 = pte_core::Pte(0x0000_0007_0000_1067);
        assert_eq!(
            changes(&base, &now),
            [
                "model tso",
                "2 readers",
                "reader 2 gup_fast",
                "sequence counter on",
                "reader_rmb1 off",
                "P0 0x0000000700001067"
            ]
        );
    }
}
