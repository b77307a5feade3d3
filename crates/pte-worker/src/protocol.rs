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
//! <occurrences> <compiled form> <witness step ids, comma-separated>  (one line per outcome)
//! failed <job> <message>
//! refused <message>
//! ```
//!
//! Each side reads exactly what the other writes and refuses the rest: a
//! message is accepted only when writing it back gives the same text (so
//! no sign, leading zero, flag other than 0/1, word after the last field,
//! raw carriage return or scenario query other than `link::encode`'s gets
//! through), a state limit is at least 1 and a witness's step ids parse. A
//! message escapes `\`, line feeds and carriage returns (`\\`, `\n`,
//! `\r`), so it survives intact.

use pte_core::{link, parse_steps, Explorer, Progress, ReplayError, Report, Scenario};

/// The version of these messages. Page and worker run the same WebAssembly
/// file, so they always agree; the page still uses a worker only when its
/// [`Reply::Ready`] names this version.
pub const PROTOCOL: u32 = 2;

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
    /// The compiled form the witness runs in (`pte_core::Program::compiled`).
    pub form: usize,
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
                    form: outcome.form,
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
                let steps = parse_steps(outcome.steps.iter().map(String::as_str))?;
                Ok((outcome.form, steps, outcome.occurrences))
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

fn number<T: std::str::FromStr>(word: Option<&str>, what: &str) -> Result<T, String> {
    let word = word.ok_or_else(|| format!("no {what}"))?;
    word.parse().map_err(|_| format!("{what} {word:?} is not a number"))
}

/// The strictness of both parsers: a message is accepted only as `to_text`
/// writes it (so no sign, leading zero, flag other than 0/1, trailing word
/// or raw carriage return gets through), and never with a state limit of 0.
fn canonical<T>(kind: &str, text: &str, value: T, written: &str) -> Result<T, String> {
    if written != text {
        return Err(format!("{kind}: not as the protocol writes it (expected {written:?})"));
    }
    Ok(value)
}

fn state_limit(word: Option<&str>) -> Result<u32, String> {
    match number(word, "state limit")? {
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

    /// Reads [`Request::to_text`]'s output, and only that.
    pub fn from_text(text: &str) -> Result<Request, BadRequest> {
        let bad = |job, message: String| BadRequest { job, message };
        let mut words = text.splitn(4, ' ');
        let kind = words.next().unwrap_or_default();
        let job: u32 = number(words.next(), "job").map_err(|message| bad(None, message))?;
        let request = match kind {
            "cancel" => Request::Cancel { job },
            "explore" => {
                let max_states =
                    state_limit(words.next()).map_err(|message| bad(Some(job), message))?;
                let query = words.next().unwrap_or_default();
                let scenario = link::decode(query)
                    .map_err(|error| bad(Some(job), error.to_string()))?
                    .scenario;
                Request::Explore { job, scenario, max_states }
            }
            other => return Err(bad(None, format!("{other:?} is not a request"))),
        };
        let written = request.to_text();
        canonical(kind, text, request, &written).map_err(|message| bad(Some(job), message))
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
                        "\n{} {} {}",
                        outcome.occurrences,
                        outcome.form,
                        outcome.steps.join(",")
                    ));
                }
                text
            }
            Reply::Failed { job, message } => format!("failed {job} {}", escape(message)),
            Reply::Refused { message } => format!("refused {}", escape(message)),
        }
    }

    /// Reads [`Reply::to_text`]'s output, and only that; a witness's step
    /// ids must parse.
    pub fn from_text(text: &str) -> Result<Reply, String> {
        let mut lines = text.split('\n');
        let header = lines.next().unwrap_or_default();
        let (kind, rest) = header.split_once(' ').unwrap_or((header, ""));
        let mut words = rest.split(' ');
        let reply = match kind {
            "ready" => Reply::Ready { protocol: number(Some(rest), "protocol")? },
            "progress" => Reply::Progress {
                job: number(words.next(), "job")?,
                states: number(words.next(), "states")?,
                transitions: number(words.next(), "transitions")?,
                pending: number(words.next(), "pending")?,
            },
            "done" => {
                let job = number(words.next(), "job")?;
                let complete = number::<u8>(words.next(), "complete")? != 0;
                let limit = match words.next() {
                    Some("-") => None,
                    word => Some(state_limit(word)?),
                };
                let (states, transitions) =
                    (number(words.next(), "states")?, number(words.next(), "transitions")?);
                let outcomes = lines
                    .by_ref()
                    .map(|line| {
                        let mut parts = line.splitn(3, ' ');
                        let occurrences = parts.next();
                        let form = number(parts.next(), "compiled form")?;
                        let ids = parts.next().unwrap_or("");
                        let steps: Vec<String> = ids.split(',').map(str::to_owned).collect();
                        let steps = if ids.is_empty() { Vec::new() } else { steps };
                        parse_steps(steps.iter().map(String::as_str))
                            .map_err(|error| format!("outcome: {error}"))?;
                        Ok(WireOutcome {
                            occurrences: number(occurrences, "occurrences")?,
                            form,
                            steps,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                Reply::Done(Finished { job, complete, limit, states, transitions, outcomes })
            }
            "failed" => {
                let (job_text, message) = rest.split_once(' ').unwrap_or((rest, ""));
                Reply::Failed { job: number(Some(job_text), "job")?, message: unescape(message)? }
            }
            "refused" => Reply::Refused { message: unescape(rest)? },
            other => return Err(format!("{other:?} is not a reply")),
        };
        let written = reply.to_text();
        canonical(kind, text, reply, &written)
    }
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
                    WireOutcome {
                        form: 0,
                        steps: vec!["w1".into(), "r1.off".into()],
                        occurrences: 3,
                    },
                    WireOutcome { form: 2, steps: vec!["r1.ld64".into()], occurrences: 1 },
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
            assert_eq!(message, "job \"4294967296\" is not a number");
        }
        assert!(Reply::from_text("{\"type\":\"ready\"}").is_err());
    }

    #[test]
    fn lenient_messages_are_refused() {
        // Issue 25 item 6: each of these was read as something else.
        let kernel = link::encode(&Scenario::kernel(), &[]);
        let requests = [
            "cancel 4 junk words".to_owned(),
            "cancel +4".to_owned(),
            "cancel 04".to_owned(),
            "cancel 4\r".to_owned(),
            format!("explore 1 0 {kernel}"),
            format!("explore 1 10 {kernel}&t=w1"),
            format!("explore 1 10 {}", kernel.replace("p0=", "p0=0x")),
        ];
        let replies = [
            "done 1 7 - 1 1",
            "done 1 1 0 1 1",
            "done 1 1 - 1 1 extra",
            "done 1 1 - 1 1\n3",
            "done 1 1 - 1 1\n3 w01",
            "done 1 1 - 1 1\n3 w1,,w2",
            "ready 1 2",
            "progress 1 2 3 4 5",
            "ready 1\nready 1",
            "refused a\r",
            "refused a\\b",
            "refused",
            "failed 3",
        ];
        let mut table = String::new();
        for text in &requests {
            let refused = Request::from_text(text).unwrap_err().message;
            table.push_str(&format!("{text:?} | {refused}\n"));
        }
        for text in replies {
            let refused = Reply::from_text(text).unwrap_err();
            table.push_str(&format!("{text:?} | {refused}\n"));
        }
        expect_test::expect![[r#"
            "cancel 4 junk words" | cancel: not as the protocol writes it (expected "cancel 4")
            "cancel +4" | cancel: not as the protocol writes it (expected "cancel 4")
            "cancel 04" | cancel: not as the protocol writes it (expected "cancel 4")
            "cancel 4\r" | job "4\r" is not a number
            "explore 1 0 KERNEL" | state limit 0: a search keeps at least 1 state
            "explore 1 10 KERNEL&t=w1" | explore: not as the protocol writes it (expected "explore 1 10 KERNEL")
            "explore 1 10 v=3&model=sc&bit=0&writer=zap,flush,establish&p0=0x100001067&z=0&p=300002067&readers=1&flush=ipi&off=zap_wmb2,establish_wmb2&cc=1" | explore: not as the protocol writes it (expected "explore 1 10 KERNEL")
            "done 1 7 - 1 1" | done: not as the protocol writes it (expected "done 1 1 - 1 1")
            "done 1 1 0 1 1" | state limit 0: a search keeps at least 1 state
            "done 1 1 - 1 1 extra" | done: not as the protocol writes it (expected "done 1 1 - 1 1")
            "done 1 1 - 1 1\n3" | no compiled form
            "done 1 1 - 1 1\n3 w01" | compiled form "w01" is not a number
            "done 1 1 - 1 1\n3 w1,,w2" | compiled form "w1,,w2" is not a number
            "ready 1 2" | protocol "1 2" is not a number
            "progress 1 2 3 4 5" | progress: not as the protocol writes it (expected "progress 1 2 3 4")
            "ready 1\nready 1" | ready: not as the protocol writes it (expected "ready 1")
            "refused a\r" | refused: not as the protocol writes it (expected "refused a\\r")
            "refused a\\b" | message: \ is followed by 'b', not \, n or r
            "refused" | refused: not as the protocol writes it (expected "refused ")
            "failed 3" | failed: not as the protocol writes it (expected "failed 3 ")
        "#]].assert_eq(&table.replace(&kernel, "KERNEL"));
    }
}
