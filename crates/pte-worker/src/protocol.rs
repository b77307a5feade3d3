//! The messages between the page and its worker, as short lines of text.
//!
//! The page already carries the permalink codec (`pte_core::link`) and the
//! step ids of trace files, so the messages are built from those alone: no
//! JSON library in either WebAssembly file.
//!
//! ```text
//! explore <job> <max states> <permalink query of the scenario>
//! cancel <job>
//! ready <protocol>
//! progress <job> <states> <transitions> <pending>
//! done <job> <complete 0|1> <state limit or -> <states> <transitions>
//! <occurrences> <witness step ids, comma-separated>      (one line per outcome)
//! failed <job> <message>
//! refused <message>
//! ```
//!
//! Each side reads exactly what the other writes and refuses the rest, by
//! field: numbers as `pte_core::grammar` reads them, flags `0` or `1`, a
//! state limit of at least 1, the scenario as `link::encode` writes it, no
//! words after the last field. A message escapes `\`, line feeds and
//! carriage returns (`\\`, `\n`, `\r`), so it survives intact; a raw
//! carriage return is refused.

use pte_core::{link, parse_steps, Explorer, Progress, ReplayError, Report, Scenario, Step};

/// The version of these messages. Page and worker run the same WebAssembly
/// file, so they always agree; the page still uses a worker only when its
/// [`Reply::Ready`] names this version.
pub const PROTOCOL: u32 = 1;

/// What the page asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Explore `scenario` to the end or to `max_states` distinct states.
    Explore { job: u32, scenario: Scenario, max_states: u32 },
    /// Stop job `job`; nothing more is reported for it.
    Cancel { job: u32 },
}

/// What the worker reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// The worker runs and speaks protocol `protocol`.
    Ready { protocol: u32 },
    /// Job `job` is still exploring.
    Progress { job: u32, states: u64, transitions: u64, pending: u64 },
    /// Job `job` finished (or reached its state limit).
    Done(Finished),
    /// Job `job` could not start: its scenario was refused.
    Failed { job: u32, message: String },
    /// A message that did not parse, or a worker that could not start.
    Refused { message: String },
}

/// A finished exploration: its counts and each outcome's witness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finished {
    pub job: u32,
    pub complete: bool,
    /// The state limit, when the search stopped at it.
    pub limit: Option<u32>,
    pub states: u64,
    pub transitions: u64,
    /// In the report's order: returned values first, each group by value.
    pub outcomes: Vec<WireOutcome>,
}

/// One outcome as its witness (step ids) and how often it was seen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireOutcome {
    pub steps: Vec<String>,
    pub occurrences: u64,
}

/// A request that did not parse; `job` when its number could be read (the
/// worker then reports the job as failed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRequest {
    pub job: Option<u32>,
    pub message: String,
}

impl Finished {
    /// What a finished explorer reports.
    pub fn of(job: u32, explorer: &Explorer, progress: Progress) -> Finished {
        let report = explorer.report();
        Finished {
            job,
            complete: report.complete,
            limit: match progress {
                Progress::LimitReached { max_states } => Some(max_states),
                Progress::Done | Progress::Running => None,
            },
            states: report.states,
            transitions: report.transitions,
            outcomes: report
                .outcomes
                .iter()
                .map(|outcome| WireOutcome {
                    steps: outcome.witness.iter().map(|step| step.id()).collect(),
                    occurrences: outcome.occurrences,
                })
                .collect(),
        }
    }

    /// The report, rebuilt by replaying each witness in `scenario` (the
    /// scenario the job explored).
    pub fn report(&self, scenario: &Scenario) -> Result<Report, ReplayError> {
        let witnesses = self
            .outcomes
            .iter()
            .map(|outcome| {
                Ok((parse_steps(outcome.steps.iter().map(String::as_str))?, outcome.occurrences))
            })
            .collect::<Result<Vec<_>, ReplayError>>()?;
        Report::from_witnesses(scenario, self.complete, self.states, self.transitions, &witnesses)
    }

    /// How the search ended, as [`Explorer::run`] says it.
    pub fn progress(&self) -> Progress {
        match self.limit {
            Some(max_states) => Progress::LimitReached { max_states },
            None => Progress::Done,
        }
    }
}

/// A message on one line, whatever it says: `\` is written `\\`, a line
/// feed `\n` and a carriage return `\r`, so [`unescape`] gives it back
/// exactly.
fn escape(message: &str) -> String {
    let mut text = String::with_capacity(message.len());
    for character in message.chars() {
        match character {
            '\\' => text.push_str("\\\\"),
            '\n' => text.push_str("\\n"),
            '\r' => text.push_str("\\r"),
            other => text.push(other),
        }
    }
    text
}

/// Reads [`escape`]'s output; any other use of `\` is refused, so a
/// message has one spelling.
fn unescape(text: &str) -> Result<String, String> {
    let mut message = String::with_capacity(text.len());
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        if character != '\\' {
            message.push(character);
            continue;
        }
        message.push(match characters.next() {
            Some('\\') => '\\',
            Some('n') => '\n',
            Some('r') => '\r',
            other => {
                let found = other.map_or("the end".to_owned(), |c| format!("{c:?}"));
                return Err(format!("message: \\ is followed by {found}, not \\, n or r"));
            }
        });
    }
    Ok(message)
}

/// A carriage return is never sent (messages escape it); one in a text
/// read is refused rather than dropped, as `str::lines` would.
fn no_carriage_return(text: &str) -> Result<(), String> {
    if text.contains('\r') {
        return Err("a message never holds a carriage return (\\r)".to_owned());
    }
    Ok(())
}

/// Reads a number of [`pte_core::grammar`]: no sign, no leading zeros.
fn number<T: TryFrom<u64>>(word: Option<&str>, what: &str) -> Result<T, String> {
    let word = word.ok_or_else(|| format!("no {what}"))?;
    pte_core::grammar::decimal_as(word).map_err(|error| format!("{what} {word:?}: {error}"))
}

/// Nothing may follow the last word of a message.
fn no_more_words<'a>(mut words: impl Iterator<Item = &'a str>, kind: &str) -> Result<(), String> {
    match words.next() {
        None => Ok(()),
        Some(word) => Err(format!("{kind}: unexpected {word:?} after the last field")),
    }
}

/// A state limit of at least 1: a search never stops at 0 states.
fn state_limit(word: Option<&str>) -> Result<u32, String> {
    match number::<u32>(word, "state limit")? {
        0 => Err("state limit 0: a search keeps at least 1 state".to_owned()),
        limit => Ok(limit),
    }
}

impl Request {
    pub fn to_text(&self) -> String {
        match self {
            Request::Explore { job, scenario, max_states } => {
                format!("explore {job} {max_states} {}", link::encode(scenario, &[]))
            }
            Request::Cancel { job } => format!("cancel {job}"),
        }
    }

    /// Reads [`Request::to_text`]'s output, and only that: the scenario's
    /// query in the form `link::encode` writes it, no trace, no words after
    /// the last field.
    pub fn from_text(text: &str) -> Result<Request, BadRequest> {
        let bad = |job, message: String| BadRequest { job, message };
        no_carriage_return(text).map_err(|message| bad(None, message))?;
        let mut words = text.splitn(4, ' ');
        let kind = words.next().unwrap_or_default();
        if kind != "cancel" && kind != "explore" {
            return Err(bad(None, format!("{kind:?} is not a request")));
        }
        let job: u32 = number(words.next(), "job").map_err(|message| bad(None, message))?;
        match kind {
            "cancel" => {
                no_more_words(words, "cancel").map_err(|message| bad(Some(job), message))?;
                Ok(Request::Cancel { job })
            }
            _ => {
                let max_states =
                    state_limit(words.next()).map_err(|message| bad(Some(job), message))?;
                let query = words.next().unwrap_or_default();
                let scenario = link::decode(query)
                    .map_err(|error| bad(Some(job), error.to_string()))?
                    .scenario;
                if link::encode(&scenario, &[]) != query {
                    return Err(bad(
                        Some(job),
                        "scenario: not the query link::encode writes for it".to_owned(),
                    ));
                }
                Ok(Request::Explore { job, scenario, max_states })
            }
        }
    }
}

impl Reply {
    pub fn to_text(&self) -> String {
        match self {
            Reply::Ready { protocol } => format!("ready {protocol}"),
            Reply::Progress { job, states, transitions, pending } => {
                format!("progress {job} {states} {transitions} {pending}")
            }
            Reply::Done(finished) => {
                let limit = finished.limit.map_or("-".to_owned(), |limit| limit.to_string());
                let mut text = format!(
                    "done {} {} {limit} {} {}",
                    finished.job,
                    u8::from(finished.complete),
                    finished.states,
                    finished.transitions
                );
                for outcome in &finished.outcomes {
                    text.push_str(&format!(
                        "\n{} {}",
                        outcome.occurrences,
                        outcome.steps.join(",")
                    ));
                }
                text
            }
            Reply::Failed { job, message } => format!("failed {job} {}", escape(message)),
            Reply::Refused { message } => format!("refused {}", escape(message)),
        }
    }

    /// Reads [`Reply::to_text`]'s output, and only that: every number of
    /// [`pte_core::grammar`], flags 0 or 1, a state limit of at least 1,
    /// step ids as [`Step::id`] writes them, no words after the last field.
    pub fn from_text(text: &str) -> Result<Reply, String> {
        no_carriage_return(text)?;
        let mut lines = text.split('\n');
        let header = lines.next().unwrap_or_default();
        let (kind, rest) = header.split_once(' ').unwrap_or((header, ""));
        let mut words = rest.split(' ');
        if kind != "done" {
            if let Some(line) = lines.next() {
                return Err(format!("{kind}: unexpected second line {line:?}"));
            }
        }
        match kind {
            "ready" => {
                let protocol = number(words.next(), "protocol")?;
                no_more_words(words, kind)?;
                Ok(Reply::Ready { protocol })
            }
            "progress" => {
                let progress = Reply::Progress {
                    job: number(words.next(), "job")?,
                    states: number(words.next(), "states")?,
                    transitions: number(words.next(), "transitions")?,
                    pending: number(words.next(), "pending")?,
                };
                no_more_words(words, kind)?;
                Ok(progress)
            }
            "done" => {
                let job = number(words.next(), "job")?;
                let complete = match words.next() {
                    Some("0") => false,
                    Some("1") => true,
                    other => return Err(format!("complete: expected 0 or 1, found {other:?}")),
                };
                let limit = match words.next() {
                    Some("-") => None,
                    word => Some(state_limit(word)?),
                };
                let (states, transitions) =
                    (number(words.next(), "states")?, number(words.next(), "transitions")?);
                no_more_words(words, kind)?;
                let outcomes = lines.map(outcome).collect::<Result<Vec<WireOutcome>, String>>()?;
                Ok(Reply::Done(Finished { job, complete, limit, states, transitions, outcomes }))
            }
            "failed" => {
                let (job_text, message) =
                    rest.split_once(' ').ok_or("failed: no space before the message")?;
                Ok(Reply::Failed {
                    job: number(Some(job_text), "job")?,
                    message: unescape(message)?,
                })
            }
            "refused" if header.contains(' ') => Ok(Reply::Refused { message: unescape(rest)? }),
            other => Err(format!("{other:?} is not a reply")),
        }
    }
}

/// One outcome line of `done`: `<occurrences> <step ids, comma-separated>`.
fn outcome(line: &str) -> Result<WireOutcome, String> {
    let (occurrences, ids) =
        line.split_once(' ').ok_or_else(|| format!("outcome {line:?}: no witness"))?;
    let steps = if ids.is_empty() { Vec::new() } else { ids.split(',').collect() };
    for id in &steps {
        let step = Step::parse(id).map_err(|error| format!("outcome: {error}"))?;
        if step.id() != *id {
            return Err(format!("outcome: {id:?} is written {:?}", step.id()));
        }
    }
    Ok(WireOutcome {
        occurrences: number(Some(occurrences), "occurrences")?,
        steps: steps.into_iter().map(str::to_owned).collect(),
    })
}

#[cfg(test)]
mod tests {
    use pte_core::{catalog, Scenario};

    use super::*;

    #[test]
    fn requests_round_trip_and_bad_ones_say_why() {
        for preset in catalog::presets() {
            let request = Request::Explore { job: 12, scenario: preset.scenario(), max_states: 99 };
            assert_eq!(Request::from_text(&request.to_text()), Ok(request));
        }
        assert_eq!(Request::from_text("cancel 4"), Ok(Request::Cancel { job: 4 }));
        let bad = Request::from_text("explore 5 10 v=2&model=arm").unwrap_err();
        assert_eq!(bad.job, Some(5));
        assert!(bad.message.contains("model"), "{}", bad.message);
        assert_eq!(Request::from_text("explode 1").unwrap_err().job, None);
        assert_eq!(Request::from_text("").unwrap_err().job, None);
        let invalid = Scenario { readers: 0, ..Scenario::kernel() };
        let text = Request::Explore { job: 7, scenario: invalid, max_states: 1 }.to_text();
        assert!(Request::from_text(&text).unwrap_err().message.contains("readers"));
    }

    #[test]
    fn replies_round_trip() {
        let replies = [
            Reply::Ready { protocol: PROTOCOL },
            Reply::Progress { job: 1, states: 2, transitions: 3, pending: 4 },
            Reply::Done(Finished {
                job: 9,
                complete: false,
                limit: Some(1000),
                states: 1000,
                transitions: 2345,
                outcomes: vec![
                    WireOutcome { steps: vec!["w1".into(), "r1.off".into()], occurrences: 3 },
                    WireOutcome { steps: vec!["r1.ld64".into()], occurrences: 1 },
                ],
            }),
            Reply::Done(Finished {
                job: 2,
                complete: true,
                limit: None,
                states: 1,
                transitions: 0,
                outcomes: Vec::new(),
            }),
            Reply::Failed { job: 3, message: "readers is 0, but must be between 1 and 4".into() },
            Reply::Refused { message: "the worker did not start".into() },
        ];
        for reply in replies {
            assert_eq!(Reply::from_text(&reply.to_text()), Ok(reply));
        }
        // Line breaks, carriage returns and backslashes in a message survive.
        for message in ["a\nb", "a\r\nb\r", "back\\slash \\n", "", " ", "\\"] {
            for reply in [
                Reply::Failed { job: 1, message: message.into() },
                Reply::Refused { message: message.into() },
            ] {
                let text = reply.to_text();
                assert!(!text.contains(['\n', '\r']), "{text:?}");
                assert_eq!(Reply::from_text(&text), Ok(reply));
            }
        }
        assert!(Reply::from_text("done x").is_err());
        for too_big in ["progress 4294967296 1 2 3", "done 4294967296 1 - 1 0"] {
            let message = Reply::from_text(too_big).unwrap_err();
            assert_eq!(message, "job \"4294967296\": the number is too large");
        }
        assert!(Reply::from_text("{\"type\":\"ready\"}").is_err());
    }

    #[test]
    fn lenient_messages_are_refused_naming_the_field() {
        // Issue 25 item 6: each of these was read as something else.
        let request = |text: &str| Request::from_text(text).unwrap_err().message;
        let reply = |text: &str| Reply::from_text(text).unwrap_err();
        let kernel = link::encode(&Scenario::kernel(), &[]);
        assert_eq!(
            request("cancel 4 junk words"),
            "cancel: unexpected \"junk\" after the last field"
        );
        assert_eq!(
            request("cancel +4"),
            "job \"+4\": expected decimal digits only (no sign, space or `_`)"
        );
        assert_eq!(request("cancel 04"), "job \"04\": a decimal number has no leading zeros");
        assert_eq!(request("cancel 4\r"), "a message never holds a carriage return (\\r)");
        assert_eq!(
            request(&format!("explore 1 0 {kernel}")),
            "state limit 0: a search keeps at least 1 state"
        );
        assert_eq!(
            request(&format!("explore 1 10 {kernel}&t=w1")),
            "scenario: not the query link::encode writes for it"
        );
        assert_eq!(
            request(&format!("explore 1 10 {}", kernel.replace("p0=", "p0=0x"))),
            "scenario: not the query link::encode writes for it"
        );
        assert_eq!(reply("done 1 7 - 1 1"), "complete: expected 0 or 1, found Some(\"7\")");
        assert_eq!(reply("done 1 1 0 1 1"), "state limit 0: a search keeps at least 1 state");
        assert_eq!(
            reply("done 1 1 - 1 1 extra"),
            "done: unexpected \"extra\" after the last field"
        );
        assert_eq!(reply("done 1 1 - 1 1\n3"), "outcome \"3\": no witness");
        assert!(reply("done 1 1 - 1 1\n3 w01").starts_with("outcome: \"w01\" is not a step"));
        assert!(reply("done 1 1 - 1 1\n3 w1,,w2").starts_with("outcome: \"\" is not a step"));
        assert_eq!(reply("ready 1 2"), "ready: unexpected \"2\" after the last field");
        assert_eq!(reply("progress 1 2 3 4 5"), "progress: unexpected \"5\" after the last field");
        assert_eq!(reply("ready 1\nready 1"), "ready: unexpected second line \"ready 1\"");
        assert_eq!(reply("refused a\r"), "a message never holds a carriage return (\\r)");
        assert_eq!(reply("refused a\\b"), "message: \\ is followed by 'b', not \\, n or r");
        assert_eq!(reply("refused"), "\"refused\" is not a reply");
        assert_eq!(reply("failed 3"), "failed: no space before the message");
    }
}
