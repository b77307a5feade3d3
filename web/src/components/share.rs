//! Sharing: the permalink of what the page shows (scenario and trace), a
//! Copy button with a by-hand fallback, and an iframe snippet for the
//! compact embed view.

use std::rc::Rc;

use pte_core::{catalog, mail, Session, Step};
use yew::prelude::*;

use super::copy_on_click;
use crate::browser;
use crate::live::{self, Answers};
use crate::state::Copied;

#[derive(Debug)]
pub struct ShareProps {
    /// The permalink query (what goes after `#`).
    pub permalink: AttrValue,
    /// The iframe's accessible title.
    pub title: AttrValue,
    /// The trace on screen (or the scenario's torn witness) as plain text
    /// for an email body ([`mail_text`]); none when there is neither.
    pub mail: Option<AttrValue>,
    /// What the last Copy button did (this view says it for its own three).
    pub copied: Option<Copied>,
    /// The clipboard's answer to one of this view's Copy buttons.
    pub on_copied: Callback<Copied>,
}

/// The address of the full page for `permalink`.
pub fn page_link(address: &str, permalink: &str) -> String {
    format!("{address}#{permalink}")
}

/// The address of the embed view for `permalink`.
pub fn embed_link(address: &str, permalink: &str) -> String {
    format!("{address}?embed=1#{permalink}")
}

/// The iframe's height before the embed view says how tall it is, or when
/// the page around it drops the listener script: the iframe then scrolls.
pub const DEFAULT_EMBED_HEIGHT: u32 = 800;

/// Code for a page that embeds the compact view: the iframe, as wide as the
/// column it sits in, and a listener that applies the embed view's
/// [`browser::HEIGHT_MESSAGE_TYPE`] messages to that iframe only (matched by
/// `event.source`, so other frames on the page cannot resize it).
pub fn embed_snippet(address: &str, permalink: &str, title: &str) -> String {
    let escape = |text: &str| {
        text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
    };
    format!(
        r#"<iframe src="{src}" title="{title}" width="100%" height="{DEFAULT_EMBED_HEIGHT}" loading="lazy"></iframe>
<script>
  // Fits the iframe just above to the height its content reports.
  (function (frame) {{
    frame.style.boxSizing = "border-box";
    addEventListener("message", function (event) {{
      var data = event.data;
      if (event.source === frame.contentWindow && data && data.type === "{message}"
          && typeof data.height === "number" && data.height > 0) {{
        // The content's height plus the iframe's own borders.
        frame.style.height = Math.ceil(data.height) + frame.offsetHeight - frame.clientHeight + "px";
      }}
    }});
  }})(document.currentScript.previousElementSibling);
</script>"#,
        src = escape(&embed_link(address, permalink)),
        title = escape(title),
        message = browser::HEIGHT_MESSAGE_TYPE,
    )
}

/// The scenario's first torn witness under its own model, from the live
/// answers (the page explores nothing itself), with the compiled form it
/// runs in: what "Copy for email" mails when no read is on screen.
pub fn torn_witness(
    answers: Option<&Answers>,
    scenario: &pte_core::Scenario,
) -> Option<(usize, Vec<Step>)> {
    let answers = answers.filter(|answers| answers.scenario == live::key(scenario))?;
    let report = answers.report(scenario.model)?;
    report
        .outcomes
        .iter()
        .find(|outcome| outcome.returned_torn())
        .map(|outcome| (outcome.form, outcome.witness.clone()))
}

/// `pte-explorer mail`'s text for the trace on screen (in the compiled form
/// it runs in) when it completes a read, else for `witness` (a compiled
/// form and its steps); named, as the CLI names it, after the preset the
/// scenario is. The permalink in it is built from the page's `address`.
pub fn mail_text(
    session: &Session,
    witness: Option<(usize, &[Step])>,
    address: &str,
) -> Option<String> {
    let scenario = session.scenario();
    let on_screen = session.judged_reads().iter().any(Option::is_some);
    let (form, steps) =
        if on_screen { (session.program().form_index(), session.all_steps()) } else { witness? };
    let name = catalog::matching(scenario).map_or("custom scenario", |preset| preset.id);
    let options =
        mail::Options { name, address, style: mail::Style::Lockdep, charset: mail::Charset::Ascii };
    mail::text(scenario, form, steps, &options).ok()
}

pub fn share(props: &ShareProps) -> Html {
    let address = browser::page_address();
    let link = page_link(&address, &props.permalink);
    let snippet = embed_snippet(&address, &props.permalink, &props.title);

    let copy = |text: String, field: &'static str, wrap: fn(bool) -> Copied| {
        let on_copied = props.on_copied.clone();
        copy_on_click(text, field, Rc::new(move |ok| on_copied.emit(wrap(ok))))
    };
    let on_copy_link = copy(link.clone(), "permalink", Copied::Link);
    let on_copy_snippet = copy(snippet.clone(), "embed-snippet", Copied::Snippet);
    let on_copy_mail =
        props.mail.as_ref().map(|text| copy(text.to_string(), "mail-text", Copied::Mail));
    let message = |ok: bool, what: &str| {
        if ok {
            format!("Copied the {what} to the clipboard.")
        } else {
            format!(
                "Could not copy automatically: the {what} is selected in the field above; \
                 press Ctrl+C (⌘C on a Mac) to copy it."
            )
        }
    };
    html! {
        <section class="share" aria-labelledby="share-title">
            <h2 id="share-title">{ "Share" }</h2>
            <p class="hint">
                { "The address holds the scenario and the steps taken, so a reviewer who opens it sees this exact state. \
                   The embed view (" }<code>{ "?embed=1" }</code>{ ") is a compact page for an iframe: the same scenario, \
                   not editable, with the trace to play forward and back. The snippet is the iframe and a few lines of script \
                   that fit the iframe's height to its content; without the script it keeps a fixed height and scrolls." }
            </p>
            <div class="field">
                <label for="permalink">{ "Permalink" }</label>
                <div class="copy-row">
                    <input id="permalink" type="text" readonly=true value={link} data-testid="permalink" />
                    <button type="button" onclick={on_copy_link} data-testid="copy-link">{ "Copy link" }</button>
                </div>
                if let Some(Copied::Link(ok)) = props.copied {
                    <p role="status" class={classes!("copy-status", (!ok).then_some("failed"))}>{ message(ok, "link") }</p>
                }
            </div>
            <div class="field">
                <label for="embed-snippet">{ "Embed snippet" }</label>
                <div class="copy-row">
                    <textarea id="embed-snippet" readonly=true rows="8" value={snippet} data-testid="embed-snippet" />
                    <button type="button" onclick={on_copy_snippet} data-testid="copy-embed">{ "Copy embed snippet" }</button>
                </div>
                if let Some(Copied::Snippet(ok)) = props.copied {
                    <p role="status" class={classes!("copy-status", (!ok).then_some("failed"))}>{ message(ok, "embed snippet") }</p>
                }
            </div>
            <div class="field">
                <label for="mail-text">{ "For email" }</label>
                <p class="hint">
                    { "The trace on screen (or, with no read on screen, the scenario's torn witness) as plain text for a reply on the mailing list: " }
                    { "the CPUs as columns in lockdep's layout, the outcome and why, at most 72 columns, ASCII; the same text as " }
                    <code>{ "pte-explorer mail" }</code>{ "." }
                </p>
                if let (Some(text), Some(on_copy_mail)) = (props.mail.clone(), on_copy_mail) {
                    <div class="copy-row">
                        <textarea id="mail-text" class="mail-preview" readonly=true rows="24" cols="74" wrap="off"
                            spellcheck="false" value={text} data-testid="mail-text" />
                        <button type="button" onclick={on_copy_mail} data-testid="copy-mail">{ "Copy for email" }</button>
                    </div>
                } else {
                    <p class="note" data-testid="mail-none">
                        { "No read is on screen and the scenario has no torn witness (yet): take steps to a read, or wait for the answers." }
                    </p>
                }
                if let Some(Copied::Mail(ok)) = props.copied {
                    <p role="status" class={classes!("copy-status", (!ok).then_some("failed"))}>{ message(ok, "text for email") }</p>
                }
            </div>
        </section>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_escapes_the_link() {
        let snippet = embed_snippet("https://x.org/e/", "v=1&t=w1", "a \"b\"");
        assert!(
            snippet.starts_with(
                "<iframe src=\"https://x.org/e/?embed=1#v=1&amp;t=w1\" title=\"a &quot;b&quot;\" \
                 width=\"100%\" height=\"800\" loading=\"lazy\"></iframe>\n<script>"
            ),
            "{snippet}"
        );
        assert!(snippet.ends_with("</script>"), "{snippet}");
    }

    #[test]
    fn the_snippet_resizes_only_its_own_iframe_on_the_documented_message() {
        let snippet = embed_snippet("https://x.org/docs/pte/", "v=1", "t");
        assert!(snippet.contains("event.source === frame.contentWindow"), "{snippet}");
        assert!(snippet.contains(r#"data.type === "pte-explorer:height""#), "{snippet}");
        assert!(snippet.contains("document.currentScript.previousElementSibling"), "{snippet}");
        assert_eq!(snippet.matches("<script>").count(), 1);
    }

    #[test]
    fn links_keep_the_folder_of_the_page() {
        let address = "https://x.org/courses/mm/pte/";
        assert_eq!(page_link(address, "v=1"), "https://x.org/courses/mm/pte/#v=1");
        assert_eq!(embed_link(address, "v=1"), "https://x.org/courses/mm/pte/?embed=1#v=1");
    }
}
