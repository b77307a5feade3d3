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

use pte_core::{link, parse_steps, Explorer, Progress, ReplayError, Report, Scenario};

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

/// A message on one line, whatever it says.
fn one_line(message: &str) -> String {
    message.replace(['\n', '\r'], " ")
}

fn number<T: std::str::FromStr>(word: Option<&str>, what: &str) -> Result<T, String> {
    let word = word.ok_or_else(|| format!("no {what}"))?;
    word.parse().map_err(|_| format!("{what} {word:?} is not a number"))
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

    pub fn from_text(text: &str) -> Result<Request, BadRequest> {
        let bad = |job, message: String| BadRequest { job, message };
        let mut words = text.splitn(4, ' ');
        let kind = words.next().unwrap_or_default();
        let job: u32 = number(words.next(), "job").map_err(|message| bad(None, message))?;
        match kind {
            "cancel" => Ok(Request::Cancel { job }),
            "explore" => {
                let max_states = number(words.next(), "state limit")
                    .map_err(|message| bad(Some(job), message))?;
                let query = words.next().unwrap_or_default();
                let scenario = link::decode(query)
                    .map_err(|error| bad(Some(job), error.to_string()))?
                    .scenario;
                Ok(Request::Explore { job, scenario, max_states })
            }
            other => Err(bad(None, format!("{other:?} is not a request"))),
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
            Reply::Failed { job, message } => format!("failed {job} {}", one_line(message)),
            Reply::Refused { message } => format!("refused {}", one_line(message)),
        }
    }

    pub fn from_text(text: &str) -> Result<Reply, String> {
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        let (kind, rest) = header.split_once(' ').unwrap_or((header, ""));
        let mut words = rest.split(' ');
        match kind {
            "ready" => Ok(Reply::Ready { protocol: number(Some(rest), "protocol")? }),
            "progress" => Ok(Reply::Progress {
                job: number(words.next(), "job")?,
                states: number(words.next(), "states")?,
                transitions: number(words.next(), "transitions")?,
                pending: number(words.next(), "pending")?,
            }),
            "done" => {
                let job = number(words.next(), "job")?;
                let complete = number::<u64>(words.next(), "complete")? != 0;
                let limit = match words.next() {
                    Some("-") => None,
                    word => Some(number(word, "state limit")?),
                };
                let (states, transitions) =
                    (number(words.next(), "states")?, number(words.next(), "transitions")?);
                let outcomes = lines
                    .map(|line| {
                        let (occurrences, steps) = line.split_once(' ').unwrap_or((line, ""));
                        Ok(WireOutcome {
                            occurrences: number(Some(occurrences), "occurrences")?,
                            steps: steps
                                .split(',')
                                .filter(|id| !id.is_empty())
                                .map(str::to_owned)
                                .collect(),
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                Ok(Reply::Done(Finished { job, complete, limit, states, transitions, outcomes }))
            }
            "failed" => {
                let (job_text, message) = rest.split_once(' ').unwrap_or((rest, ""));
                Ok(Reply::Failed {
                    job: number(Some(job_text), "job")?,
                    message: message.to_owned(),
                })
            }
            "refused" => Ok(Reply::Refused { message: rest.to_owned() }),
            other => Err(format!("{other:?} is not a reply")),
        }
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
        let two_lines = Reply::Failed { job: 1, message: "a\nb".into() };
        assert_eq!(
            Reply::from_text(&two_lines.to_text()),
            Ok(Reply::Failed { job: 1, message: "a b".into() })
        );
        assert!(Reply::from_text("done x").is_err());
        for too_big in ["progress 4294967296 1 2 3", "done 4294967296 1 - 1 0"] {
            let message = Reply::from_text(too_big).unwrap_err();
            assert_eq!(message, "job \"4294967296\" is not a number");
        }
        assert!(Reply::from_text("{\"type\":\"ready\"}").is_err());
    }
}
