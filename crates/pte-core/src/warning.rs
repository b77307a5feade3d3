//! What a scenario allows but is worth saying before its results, as data:
//! the CLI prints each warning above its answers and the page shows it next
//! to the verdict, both in the words of [`Warning::text`].

use crate::scenario::{ReaderKind, Scenario};

/// Something allowed in a scenario but worth knowing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Warning {
    /// A seqcount reader runs while the writer has no sequence counter:
    /// `seq` stays 0, so the reader's checks always pass.
    SeqcountReaderWithoutWriter,
    /// A reader of a kind whose code is built only for CPUs that keep
    /// loads in order ([`crate::ReaderSpec::in_order_loads_only`]: KVM's
    /// split spte) runs under a model that lets loads out of order: what
    /// it returns there no host it is built for returns.
    BuiltForInOrderLoads(ReaderKind),
}

impl Warning {
    /// A stable name, for data attributes and tests.
    pub fn id(self) -> &'static str {
        match self {
            Warning::SeqcountReaderWithoutWriter => "seqcount-reader-without-writer",
            Warning::BuiltForInOrderLoads(_) => "built-for-in-order-loads",
        }
    }

    /// The scenario option that settles it, by its field name.
    pub fn option(self) -> &'static str {
        match self {
            Warning::SeqcountReaderWithoutWriter => "seqcount",
            Warning::BuiltForInOrderLoads(_) => "model",
        }
    }

    /// The warning in a sentence; `option_name` is how the front end names
    /// [`Warning::option`] (the CLI's flag, the page's switch).
    pub fn text(self, option_name: &str) -> String {
        match self {
            Warning::SeqcountReaderWithoutWriter => format!(
                "a seqcount reader runs without the sequence-counter writer ({option_name}): seq \
                 stays 0, so its checks always pass and it is as unprotected as a plain read"
            ),
            Warning::BuiltForInOrderLoads(kind) => format!(
                "a {} reader runs under a memory model that performs loads out of order \
                 ({option_name}): {}",
                kind.id(),
                kind.spec().in_order_loads_only.unwrap_or("its code assumes loads in order")
            ),
        }
    }
}

impl Scenario {
    /// What is allowed here but worth saying before the results.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        if self.has_seqcount_reader() && !self.seqcount {
            warnings.push(Warning::SeqcountReaderWithoutWriter);
        }
        if !self.model.rules().in_program_order {
            for reader in 0..self.readers {
                let kind = self.reader_kind(reader);
                let warning = Warning::BuiltForInOrderLoads(kind);
                if kind.spec().in_order_loads_only.is_some() && !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ReaderKind;

    #[test]
    fn a_seqcount_reader_warns_until_the_writer_has_the_counter() {
        let mut scenario = Scenario::kernel();
        assert_eq!(scenario.warnings(), []);
        scenario.set_reader_kind(0, ReaderKind::Seqcount);
        assert_eq!(scenario.warnings(), [Warning::SeqcountReaderWithoutWriter]);
        scenario.seqcount = true;
        assert_eq!(scenario.warnings(), []);
    }

    #[test]
    fn a_kvm_spte_reader_warns_under_the_weak_model_only() {
        let mut scenario = crate::catalog::find("kvm-spte-clear-counter").unwrap().scenario();
        assert_eq!(scenario.warnings(), []);
        scenario.model = crate::MemoryModel::Weak;
        let warning = Warning::BuiltForInOrderLoads(ReaderKind::KvmSpte);
        assert_eq!(scenario.warnings(), [warning]);
        expect_test::expect![[r#"a kvm_spte reader runs under a memory model that performs loads out of order (--model): KVM's split-spte code is built for 32-bit x86 hosts only, where loads keep their order"#]]
        .assert_eq(&warning.text("--model"));
        // Two such readers: one warning.
        scenario.readers = 2;
        scenario.set_reader_kind(1, ReaderKind::KvmSpte);
        assert_eq!(scenario.warnings(), [warning]);
        // A weak model warns of no other kind.
        scenario.set_reader_kind(0, ReaderKind::Lockless);
        scenario.set_reader_kind(1, ReaderKind::PmdReadAtomic);
        assert_eq!(scenario.warnings(), []);
    }
}
