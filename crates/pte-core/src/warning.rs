//! What a scenario allows but is worth saying before its results, as data:
//! the CLI prints each warning above its answers and the page shows it next
//! to the verdict, both in the words of [`Warning::text`].

use crate::scenario::Scenario;

/// Something allowed in a scenario but worth knowing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Warning {
    /// A seqcount reader runs while the writer has no sequence counter:
    /// `seq` stays 0, so the reader's checks always pass.
    SeqcountReaderWithoutWriter,
}

impl Warning {
    /// A stable name, for data attributes and tests.
    pub fn id(self) -> &'static str {
        match self {
            Warning::SeqcountReaderWithoutWriter => "seqcount-reader-without-writer",
        }
    }

    /// The scenario option that settles it, by its field name.
    pub fn option(self) -> &'static str {
        match self {
            Warning::SeqcountReaderWithoutWriter => "seqcount",
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
}
