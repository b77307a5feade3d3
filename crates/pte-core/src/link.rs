//! Permalinks: a scenario and a trace as a short, readable URL query
//! (`v=3&model=sc&bit=0&writer=zap,flush,establish&…&t=w1,r1.off`), so a
//! reviewer can paste one into a mail. Links of version 1 (before reader
//! kinds and the sequence counter) and of version 2 (before the compiler,
//! which they decode with switched off) still decode. The web app puts it after `#`; the
//! CLI prints it. Decoding never panics and names the bad parameter. A
//! lesson of the guided tour adds `lesson=N` in front (`lesson=3`, or
//! `lesson=3&v=2&…` with a scenario and trace).

use std::borrow::Cow;
use std::fmt;

use crate::grammar;
use crate::machine::Step;
use crate::scenario::{
    Barrier, Barriers, FlushMode, MemoryModel, Pte, ReaderKind, Scenario, ScenarioError, Values,
    WriterOp, FORMAT_VERSION, OLDEST_FORMAT_VERSION,
};
use crate::session::{parse_steps, ReplayError};

/// At most this many characters are decoded.
pub const MAX_LINK_LENGTH: usize = 16_384;

/// Encodes a scenario and the steps taken as a URL query (no leading `?`/`#`).
pub fn encode(scenario: &Scenario, steps: &[Step]) -> String {
    encode_compiled(scenario, 0, steps)
}

/// Encodes a scenario, the compiled form its steps run in
/// ([`crate::Program::compiled`]; `form=N`, written only when not 0) and the
/// steps.
pub fn encode_compiled(scenario: &Scenario, form: usize, steps: &[Step]) -> String {
    let join = |items: Vec<String>| items.join(",");
    let hex = |pte: Pte| format!("{:x}", pte.0);
    let mut parts = vec![
        format!("v={FORMAT_VERSION}"),
        format!("model={}", scenario.model.id()),
        format!("bit={}", scenario.present_bit),
        format!("writer={}", join(scenario.writer.iter().map(|op| op.id().to_owned()).collect())),
        format!("p0={}", hex(scenario.values.p0)),
        format!("z={}", hex(scenario.values.z)),
        format!("p={}", join(scenario.values.p.iter().map(|p| hex(*p)).collect())),
        format!("readers={}", scenario.readers),
        format!("flush={}", scenario.flush.id()),
    ];
    let off: Vec<String> = Barrier::ALL
        .into_iter()
        .filter(|b| !scenario.barriers.is_on(*b))
        .map(|b| b.id().to_owned())
        .collect();
    if !off.is_empty() {
        parts.push(format!("off={}", join(off)));
    }
    if !scenario.reader_kinds.is_empty() {
        parts.push(format!(
            "kinds={}",
            join(scenario.reader_kinds.iter().map(|kind| kind.id().to_owned()).collect())
        ));
    }
    if scenario.seqcount {
        parts.push("seq=1".to_owned());
    }
    if scenario.clear_counter {
        parts.push("clear=1".to_owned());
    }
    parts.push(format!("cc={}", u8::from(scenario.compiler)));
    let marked: Vec<String> =
        [("writer", scenario.marked_writer), ("reader", scenario.marked_reader)]
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(side, _)| side.to_owned())
            .collect();
    if !marked.is_empty() {
        parts.push(format!("marked={}", join(marked)));
    }
    if form != 0 {
        parts.push(format!("form={form}"));
    }
    if !steps.is_empty() {
        parts.push(format!("t={}", join(steps.iter().map(|s| s.id()).collect())));
    }
    parts.join("&")
}

/// A lesson's permalink (`lesson=3`), followed by the scenario and trace
/// when they are given (`lesson=3&v=2&…&t=…`).
pub fn encode_lesson(number: usize, shown: Option<(&Scenario, &[Step])>) -> String {
    match shown {
        Some((scenario, steps)) => format!("lesson={number}&{}", encode(scenario, steps)),
        None => format!("lesson={number}"),
    }
}

/// The lesson a link names, if it has a `lesson` parameter: its number
/// (1-based) among `count` lessons, or why it names none. Whether the rest
/// of the link holds a scenario is [`has_scenario`]'s question. A link
/// longer than [`MAX_LINK_LENGTH`] is not read: it names no lesson, and
/// [`decode`] says why.
pub fn lesson(query: &str, count: usize) -> Option<Result<usize, LinkError>> {
    let mut lessons = parameters(query).ok()?.filter(|(key, _)| *key == "lesson");
    let value = lessons.next()?.1;
    if lessons.next().is_some() {
        return Some(Err(LinkError::Invalid {
            parameter: "lesson".to_owned(),
            value: value.into_owned(),
            reason: "the parameter is given twice".to_owned(),
        }));
    }
    let number = match grammar::decimal_as::<usize>(&value) {
        Ok(number) => number,
        Err(error) => {
            return Some(Err(LinkError::Invalid {
                parameter: "lesson".to_owned(),
                value: value.into_owned(),
                reason: error.to_string(),
            }))
        }
    };
    Some(Some(number).filter(|number| (1..=count).contains(number)).ok_or_else(|| {
        LinkError::Invalid {
            parameter: "lesson".to_owned(),
            value: value.into_owned(),
            reason: format!("there is no such lesson; the tour has lessons 1 to {count}"),
        }
    }))
}

/// Does the link carry a scenario (a `v` parameter), beside a lesson? A
/// link longer than [`MAX_LINK_LENGTH`] is not read and carries none.
pub fn has_scenario(query: &str) -> bool {
    parameters(query).is_ok_and(|mut pairs| pairs.any(|(key, _)| key == "v"))
}

/// A query's parameters in order, as (key, value) pairs: a leading `?` or
/// `#` and surrounding white space are ignored, and so are empty parts; a
/// part without `=` has an empty value; `%2C` in a value is read as a
/// comma, since mail clients sometimes escape it. A query longer than
/// [`MAX_LINK_LENGTH`] is refused.
fn parameters(query: &str) -> Result<impl Iterator<Item = (&str, Cow<'_, str>)>, LinkError> {
    if query.len() > MAX_LINK_LENGTH {
        return Err(LinkError::TooLong { length: query.len() });
    }
    let query = query.trim().trim_start_matches(['#', '?']);
    Ok(query.split('&').filter(|part| !part.is_empty()).map(|part| {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let value = if value.contains('%') {
            Cow::Owned(value.replace("%2C", ",").replace("%2c", ","))
        } else {
            Cow::Borrowed(value)
        };
        (key, value)
    }))
}

/// What a permalink holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub scenario: Scenario,
    /// The compiled form the steps run in (0: the program as written).
    pub form: usize,
    pub steps: Vec<Step>,
}

/// Why a permalink could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    TooLong {
        length: usize,
    },
    /// A parameter the format requires is absent.
    Missing {
        parameter: &'static str,
    },
    /// A parameter's value is not of its form.
    Invalid {
        parameter: String,
        value: String,
        reason: String,
    },
    /// Written by a newer (or unknown) format version.
    UnsupportedVersion {
        found: String,
    },
    /// The scenario decoded but breaks a rule.
    Scenario(ScenarioError),
    /// The trace does not parse.
    Trace(ReplayError),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::TooLong { length } => {
                write!(
                    f,
                    "the link is {length} characters long; at most {MAX_LINK_LENGTH} are read"
                )
            }
            LinkError::Missing { parameter } => {
                write!(f, "the link has no {parameter:?} parameter")
            }
            LinkError::Invalid { parameter, value, reason } => {
                write!(f, "link parameter {parameter}={value:?}: {reason}")
            }
            LinkError::UnsupportedVersion { found } => write!(
                f,
                "the link has format version {found:?}; this version reads formats \
                 {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION}"
            ),
            LinkError::Scenario(error) => write!(f, "the link's scenario is invalid: {error}"),
            LinkError::Trace(error) => write!(f, "the link's trace is invalid: {error}"),
        }
    }
}

impl std::error::Error for LinkError {}

/// The parameters a link of each version may carry (`lesson` is the tour's).
const VERSION_1_PARAMETERS: [&str; 12] =
    ["lesson", "v", "model", "bit", "writer", "p0", "z", "p", "readers", "flush", "off", "t"];
/// Version 2 added the reader kinds and the sequence counter.
const VERSION_2_PARAMETERS: [&str; 2] = ["kinds", "seq"];
/// Version 3 added the compiler (`cc`, required), marked accesses, the
/// compiled form a trace runs in and KVM's clear counter (`clear`).
const VERSION_3_PARAMETERS: [&str; 4] = ["cc", "marked", "form", "clear"];

/// Decodes [`encode`]'s output. A leading `?` or `#` is ignored; `%2C` is
/// read as a comma, since mail clients sometimes escape it. Every number is
/// read by [`grammar`]. Nothing is dropped or chosen silently: a parameter
/// given twice, one the link's version does not have and one no version
/// has are refused by name.
pub fn decode(query: &str) -> Result<Link, LinkError> {
    let pairs: Vec<(&str, Cow<'_, str>)> = parameters(query)?.collect();
    let invalid = |parameter: &str, value: &str, reason: String| LinkError::Invalid {
        parameter: parameter.to_owned(),
        value: value.to_owned(),
        reason,
    };
    for (index, (key, value)) in pairs.iter().enumerate() {
        if pairs[..index].iter().any(|(earlier, _)| earlier == key) {
            return Err(invalid(key, value, "the parameter is given twice".to_owned()));
        }
    }
    let get = |parameter: &'static str| -> Result<&str, LinkError> {
        pairs
            .iter()
            .find(|(key, _)| *key == parameter)
            .map(|(_, value)| value.as_ref())
            .ok_or(LinkError::Missing { parameter })
    };
    let optional = |parameter: &str| -> &str {
        pairs.iter().find(|(key, _)| *key == parameter).map_or("", |(_, value)| value.as_ref())
    };
    let list = |text: &str| -> Vec<String> {
        text.split(',').filter(|item| !item.is_empty()).map(str::to_owned).collect()
    };
    let pte = |parameter: &'static str, text: &str| -> Result<Pte, LinkError> {
        grammar::hex(text).map(Pte).map_err(|error| invalid(parameter, text, error.to_string()))
    };
    let number = |parameter: &'static str| -> Result<u8, LinkError> {
        let text = get(parameter)?;
        grammar::decimal_as(text).map_err(|error| invalid(parameter, text, error.to_string()))
    };

    let version_text = get("v")?;
    let version = grammar::decimal_as::<u32>(version_text)
        .ok()
        .filter(|version| (OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(version))
        .ok_or_else(|| LinkError::UnsupportedVersion { found: version_text.to_owned() })?;
    if let Some((key, value)) = pairs.iter().find(|(key, _)| {
        !VERSION_1_PARAMETERS.contains(key)
            && !VERSION_2_PARAMETERS.contains(key)
            && !VERSION_3_PARAMETERS.contains(key)
    }) {
        return Err(invalid(key, value, "no link format has this parameter".to_owned()));
    }
    let model_text = get("model")?;
    let model: MemoryModel = model_text
        .parse()
        .map_err(|_| invalid("model", model_text, "expected sc, tso or weak".to_owned()))?;
    let flush_text = get("flush")?;
    let flush: FlushMode = flush_text
        .parse()
        .map_err(|_| invalid("flush", flush_text, "expected none, ipi or paravirt".to_owned()))?;
    let mut writer = Vec::new();
    for op in list(get("writer")?) {
        writer.push(
            op.parse::<WriterOp>()
                .map_err(|_| invalid("writer", &op, "unknown operation".to_owned()))?,
        );
    }
    let mut p = Vec::new();
    for value in list(optional("p")) {
        p.push(pte("p", &value)?);
    }
    let mut barriers = Barriers::ALL_ON;
    for name in list(optional("off")) {
        let barrier = name
            .parse::<Barrier>()
            .map_err(|_| invalid("off", &name, "unknown barrier site".to_owned()))?;
        barriers.set(barrier, false);
    }
    // Version 1 had lockless readers only and no sequence counter; a link
    // of version 1 that carries them was not written by that version, and
    // reading it as one would drop them.
    // Likewise the compiler and marked accesses before version 3.
    let newer = |key: &&str| {
        (version < 2 && VERSION_2_PARAMETERS.contains(key))
            || (version < 3 && VERSION_3_PARAMETERS.contains(key))
    };
    {
        if let Some((key, value)) = pairs.iter().find(|(key, _)| newer(key)) {
            return Err(invalid(
                key,
                value,
                format!("not part of link format {version}; write v={FORMAT_VERSION}"),
            ));
        }
    }
    let mut reader_kinds = Vec::new();
    let mut seqcount = false;
    if version >= 2 {
        for kind in list(optional("kinds")) {
            let parsed = kind.parse::<ReaderKind>().map_err(|_| {
                invalid(
                    "kinds",
                    &kind,
                    "expected lockless, gup_fast, atomic64, seqcount, pmd_read_atomic, \
                     read_once64 or kvm_spte"
                        .to_owned(),
                )
            })?;
            // A kind that came after the link's version was not written by it.
            if parsed.since_format() > version {
                return Err(invalid(
                    "kinds",
                    &kind,
                    format!("not part of link format {version}; write v={FORMAT_VERSION}"),
                ));
            }
            reader_kinds.push(parsed);
        }
        seqcount = match optional("seq") {
            "" | "0" => false,
            "1" => true,
            other => return Err(invalid("seq", other, "expected 0 or 1".to_owned())),
        };
    }
    // A link made before the compiler existed has it off, so it shows what
    // it showed then; a link of version 3 says which.
    let mut compiler = false;
    let (mut marked_writer, mut marked_reader) = (false, false);
    let mut clear_counter = false;
    if version >= 3 {
        clear_counter = match optional("clear") {
            "" | "0" => false,
            "1" => true,
            other => return Err(invalid("clear", other, "expected 0 or 1".to_owned())),
        };
        compiler = match get("cc")? {
            "0" => false,
            "1" => true,
            other => return Err(invalid("cc", other, "expected 0 or 1".to_owned())),
        };
        for side in list(optional("marked")) {
            let flag = match side.as_str() {
                "writer" => &mut marked_writer,
                "reader" => &mut marked_reader,
                _ => return Err(invalid("marked", &side, "expected writer or reader".to_owned())),
            };
            if *flag {
                return Err(invalid("marked", &side, "named twice".to_owned()));
            }
            *flag = true;
        }
    }
    let mut scenario = Scenario {
        format: FORMAT_VERSION,
        model,
        present_bit: number("bit")?,
        writer,
        values: Values { p0: pte("p0", get("p0")?)?, z: pte("z", get("z")?)?, p },
        readers: number("readers")?,
        flush,
        barriers,
        reader_kinds,
        seqcount,
        clear_counter,
        compiler,
        marked_writer,
        marked_reader,
    };
    scenario.normalize_reader_kinds();
    scenario.validate().map_err(LinkError::Scenario)?;
    let form = match optional("form") {
        "" => 0,
        text => {
            let form = grammar::decimal_as::<usize>(text)
                .map_err(|error| invalid("form", text, error.to_string()))?;
            let count = crate::Program::forms_of(&scenario).map_err(LinkError::Scenario)?;
            if form >= count {
                let forms = if count == 1 {
                    "only form 0 (as written)".to_owned()
                } else {
                    format!("forms 0 to {}", count - 1)
                };
                return Err(invalid("form", text, format!("this scenario has {forms}")));
            }
            form
        }
    };
    let trace = list(optional("t"));
    let steps = parse_steps(trace.iter().map(String::as_str)).map_err(LinkError::Trace)?;
    Ok(Link { scenario, form, steps })
}
