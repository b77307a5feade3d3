//! Runs "Explore all" in the browser: the core's resumable explorer, a slice
//! at a time on timer callbacks, so the page keeps answering clicks and keys
//! while it searches. Progress and the result come back as [`Action`]s.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use pte_core::{Explorer, Progress, Scenario};
use yew::Callback;

use crate::browser;
use crate::state::{Action, BROWSER_MAX_STATES};

/// Transitions per call of [`Explorer::run`]; a few milliseconds of work.
const SLICE: u64 = 4_000;
/// How long one timer callback keeps searching before it yields.
const TICK_MILLISECONDS: f64 = 12.0;
/// How often progress is reported (each report re-renders the page).
const REPORT_MILLISECONDS: f64 = 100.0;

/// Stops a run when dropped or cancelled.
#[derive(Debug)]
pub struct RunHandle {
    cancelled: Rc<Cell<bool>>,
}

impl RunHandle {
    pub fn cancel(&self) {
        self.cancelled.set(true);
    }
}

impl Drop for RunHandle {
    fn drop(&mut self) {
        self.cancel();
    }
}

struct Job {
    explorer: RefCell<Explorer>,
    run: u32,
    on_action: Callback<Action>,
    cancelled: Rc<Cell<bool>>,
    last_report: Cell<f64>,
}

/// Starts exploring `scenario` as run `run`; reports through `on_action`.
/// An invalid scenario finishes at once with an empty report.
pub fn start(scenario: Scenario, run: u32, on_action: Callback<Action>) -> RunHandle {
    let cancelled = Rc::new(Cell::new(false));
    match Explorer::new(scenario) {
        Ok(explorer) => {
            let job = Rc::new(Job {
                explorer: RefCell::new(explorer.with_max_states(BROWSER_MAX_STATES)),
                run,
                on_action,
                cancelled: cancelled.clone(),
                last_report: Cell::new(browser::now_milliseconds()),
            });
            schedule(job);
        }
        Err(_) => on_action.emit(Action::CancelExploration),
    }
    RunHandle { cancelled }
}

fn schedule(job: Rc<Job>) {
    // The timer frees its closure after it runs; cancelling is the flag.
    gloo::timers::callback::Timeout::new(0, move || tick(job)).forget();
}

fn tick(job: Rc<Job>) {
    if job.cancelled.get() {
        return;
    }
    let started = browser::now_milliseconds();
    let progress = {
        let mut explorer = job.explorer.borrow_mut();
        loop {
            let progress = explorer.run(SLICE);
            if progress != Progress::Running
                || browser::now_milliseconds() - started >= TICK_MILLISECONDS
            {
                break progress;
            }
        }
    };
    let explorer = job.explorer.borrow();
    match progress {
        Progress::Running => {
            let now = browser::now_milliseconds();
            if now - job.last_report.get() >= REPORT_MILLISECONDS {
                job.last_report.set(now);
                job.on_action.emit(Action::ExplorationProgress {
                    run: job.run,
                    states: explorer.states(),
                    transitions: explorer.transitions(),
                    pending: explorer.pending(),
                });
            }
            drop(explorer);
            schedule(job);
        }
        finished => job.on_action.emit(Action::ExplorationFinished {
            run: job.run,
            report: Rc::new(explorer.report()),
            progress: finished,
        }),
    }
}
