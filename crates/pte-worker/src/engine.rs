//! The job engine: explorations in progress, advanced a slice at a time,
//! round robin, with progress at most every [`PROGRESS_MILLISECONDS`]. Pure:
//! the caller passes the clock, so it runs in the worker, on the page's own
//! timers, and in native tests alike.

use std::collections::VecDeque;

use pte_core::{Explorer, Progress};

use crate::protocol::{Finished, Reply, Request};

/// Transitions per call of [`Explorer::run`] between two looks at the clock.
pub const SLICE: u64 = 4_000;
/// How often a running job reports its progress.
pub const PROGRESS_MILLISECONDS: f64 = 100.0;

#[derive(Debug)]
struct Job {
    id: u32,
    explorer: Explorer,
    last_report: f64,
}

/// The jobs in progress, oldest first.
#[derive(Debug, Default)]
pub struct Jobs {
    running: VecDeque<Job>,
}

impl Jobs {
    pub fn new() -> Jobs {
        Jobs::default()
    }

    pub fn is_idle(&self) -> bool {
        self.running.is_empty()
    }

    /// Handles one request at time `now`; a refused scenario is reported
    /// at once.
    pub fn handle(&mut self, request: Request, now: f64) -> Vec<Reply> {
        match request {
            Request::Explore { job, scenario, max_states } => {
                self.running.retain(|running| running.id != job);
                match Explorer::new(scenario) {
                    Ok(explorer) => {
                        self.running.push_back(Job {
                            id: job,
                            explorer: explorer.with_max_states(max_states),
                            last_report: now,
                        });
                        Vec::new()
                    }
                    Err(error) => vec![Reply::Failed { job, message: error.to_string() }],
                }
            }
            Request::Cancel { job } => {
                self.running.retain(|running| running.id != job);
                Vec::new()
            }
        }
    }

    /// Runs the oldest job for about `budget` milliseconds of `clock`, then
    /// moves it to the back of the line; returns what there is to report.
    pub fn run_slice(&mut self, budget: f64, clock: &dyn Fn() -> f64) -> Vec<Reply> {
        let Some(mut job) = self.running.pop_front() else {
            return Vec::new();
        };
        let start = clock();
        let progress = loop {
            let progress = job.explorer.run(SLICE);
            if progress != Progress::Running || clock() - start >= budget {
                break progress;
            }
        };
        let now = clock();
        if progress == Progress::Running {
            let mut replies = Vec::new();
            if now - job.last_report >= PROGRESS_MILLISECONDS {
                job.last_report = now;
                replies.push(Reply::Progress {
                    job: job.id,
                    states: job.explorer.states(),
                    transitions: job.explorer.transitions(),
                    pending: job.explorer.pending(),
                });
            }
            self.running.push_back(job);
            replies
        } else {
            vec![Reply::Done(Finished::of(job.id, &job.explorer, progress))]
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use pte_core::{catalog, explore, Scenario, Torn};

    use super::*;

    /// A clock that moves on by `step` milliseconds each time it is read.
    fn ticking(step: f64) -> impl Fn() -> f64 {
        let now = Cell::new(0.0);
        move || {
            now.set(now.get() + step);
            now.get()
        }
    }

    fn finish(jobs: &mut Jobs, clock: &dyn Fn() -> f64) -> Vec<Reply> {
        let mut replies = Vec::new();
        for _ in 0..100_000 {
            if jobs.is_idle() {
                return replies;
            }
            replies.extend(jobs.run_slice(10.0, clock));
        }
        panic!("the jobs never finished");
    }

    #[test]
    fn a_job_reports_what_the_explorer_finds_and_the_page_rebuilds_it() {
        let scenario = catalog::find("same-low-none").unwrap().scenario();
        let mut jobs = Jobs::new();
        let request = Request::Explore { job: 3, scenario: scenario.clone(), max_states: 1000 };
        // Through the text the page sends.
        let request = Request::from_text(&request.to_text()).unwrap();
        assert!(jobs.handle(request, 0.0).is_empty());
        let replies = finish(&mut jobs, &ticking(1.0));
        let Some(Reply::Done(finished)) = replies.last() else { panic!("{replies:?}") };
        let finished = match Reply::from_text(&Reply::Done(finished.clone()).to_text()).unwrap() {
            Reply::Done(finished) => finished,
            other => panic!("{other:?}"),
        };
        assert_eq!(finished.job, 3);
        assert_eq!(finished.progress(), Progress::Done);
        let report = finished.report(&scenario).unwrap();
        assert_eq!(report, explore(scenario).unwrap());
        assert_eq!(report.torn().word(), Torn::Sometimes);
    }

    #[test]
    fn jobs_take_turns_and_report_progress() {
        let big = Scenario { readers: 3, flush: pte_core::FlushMode::None, ..Scenario::cycles(3) };
        let mut jobs = Jobs::new();
        jobs.handle(Request::Explore { job: 1, scenario: big.clone(), max_states: 1_000_000 }, 0.0);
        jobs.handle(Request::Explore { job: 2, scenario: Scenario::kernel(), max_states: 10 }, 0.0);
        // Each slice reads the clock a few times: 60 ms a read is past the
        // progress interval after two reads.
        let replies = finish(&mut jobs, &ticking(60.0));
        let done: Vec<u32> = replies
            .iter()
            .filter_map(|reply| match reply {
                Reply::Done(finished) => Some(finished.job),
                _ => None,
            })
            .collect();
        assert_eq!(done, [2, 1], "the small job finishes first though it came second");
        assert!(replies.iter().any(|reply| matches!(reply, Reply::Progress { job: 1, .. })));
        let limited = replies.iter().find_map(|reply| match reply {
            Reply::Done(finished) if finished.job == 2 => Some(finished),
            _ => None,
        });
        assert_eq!(limited.unwrap().progress(), Progress::LimitReached { max_states: 10 });
    }

    #[test]
    fn a_cancelled_job_reports_nothing_and_a_bad_scenario_fails() {
        let mut jobs = Jobs::new();
        jobs.handle(
            Request::Explore { job: 1, scenario: Scenario::cycles(3), max_states: 100 },
            0.0,
        );
        assert!(jobs.handle(Request::Cancel { job: 1 }, 0.0).is_empty());
        assert!(jobs.is_idle());
        assert!(jobs.run_slice(10.0, &ticking(1.0)).is_empty());

        let bad = Scenario { readers: 0, ..Scenario::kernel() };
        let replies = jobs.handle(Request::Explore { job: 2, scenario: bad, max_states: 10 }, 0.0);
        let [Reply::Failed { job: 2, message }] = &replies[..] else { panic!("{replies:?}") };
        assert!(message.contains("readers is 0"), "{message}");
    }
}
