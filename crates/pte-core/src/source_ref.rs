//! One kernel source reference (`SourceRef`: function, file, tag, what it
//! models, where mainline differs). A leaf: the reader kinds' spec files
//! and the writer's table in `sources.rs` both build them.

/// The tag every reference is at: the code of the October 2022 discussion.
pub const KERNEL_TAG: &str = "v6.0";

/// The public source browser the links point into.
pub const SOURCE_BROWSER: &str = "https://elixir.bootlin.com/linux";

/// One kernel function the explorer models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceRef {
    /// The C identifier, without parentheses: `native_pte_clear`.
    pub function: &'static str,
    /// The call inside the function that the step is, when the step is not
    /// the whole function: `local_irq_save()`.
    pub call: Option<&'static str>,
    /// The file, from the top of the kernel tree.
    pub file: &'static str,
    /// The tag the reference is at.
    pub tag: &'static str,
    /// What the explorer models with it, in a sentence.
    pub models: &'static str,
    /// Where mainline differs from the tag, if it does.
    pub mainline: Option<&'static str>,
}

impl SourceRef {
    /// The file at the tag in the source browser.
    pub fn url(&self) -> String {
        format!("{SOURCE_BROWSER}/{}/source/{}", self.tag, self.file)
    }

    /// The browser's search for the function's definition at the tag.
    pub fn ident_url(&self) -> String {
        format!("{SOURCE_BROWSER}/{}/A/ident/{}", self.tag, self.function)
    }

    /// "native_pte_clear(), arch/x86/include/asm/pgtable-3level.h", or with
    /// the call: "local_irq_save() in lockless_pages_from_mm(), mm/gup.c".
    pub fn cite(&self) -> String {
        match self.call {
            Some(call) => format!("{call} in {}(), {}", self.function, self.file),
            None => format!("{}(), {}", self.function, self.file),
        }
    }
}
