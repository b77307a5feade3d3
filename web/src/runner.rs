//! Explorations for the page, off its main thread: the live answers
//! ([`crate::live`]), one job per scenario and variant ("Explore all" waits
//! for the live answer under the scenario's model, so it adds no job of its
//! own). Each job goes to the page's web worker
//! (the `pte-worker` crate, which trunk builds next to the page); a page
//! without one (the wasm-bindgen test page, a worker that fails to start,
//! a cached worker of another build) runs the same engine
//! ([`pte_worker::engine::Jobs`]) on its own timers, a slice at a time. Either
//! way the page keeps answering clicks and keys, and the results come back
//! as [`Action`]s.
//!
//! [`use_runner`] is the effect: it is handed the jobs the state wants
//! ([`requests`]) after every render, starts the new ones and cancels the
//! ones no longer wanted.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use pte_core::Scenario;
use pte_worker::engine::Jobs;
use pte_worker::protocol::{Reply, Request, PROTOCOL};
use yew::prelude::*;

use crate::browser::now_milliseconds;
use crate::browser::worker::{PageWorker, WorkerEvent};
use crate::live::{JobProgress, LiveAction, LIVE_MAX_STATES};
use crate::state::{Action, AppState, Exploration, View};

/// How long one timer callback of the in-page fallback explores.
const TICK_MILLISECONDS: f64 = 12.0;
/// How long the page waits for its worker to say it is ready before it
/// explores on its own.
const READY_TIMEOUT_MILLISECONDS: u32 = 10_000;

/// One exploration the state wants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRequest {
    /// The live answers' request number.
    pub id: u32,
    pub scenario: Scenario,
    pub max_states: u32,
}

/// The explorations `state` wants now: the live answers' next one, if
/// any (none in the embed view).
pub fn requests(state: &AppState) -> Vec<JobRequest> {
    if state.view != View::Full {
        return Vec::new();
    }
    // During a lesson the live answers wait until its goal is met, unless
    // Explore all waits for one of them.
    let exploring_all = matches!(state.exploration, Exploration::Running { .. });
    let wanted = state.live.request().filter(|_| exploring_all || !state.answers_hidden());
    wanted
        .map(|(id, scenario)| JobRequest { id, scenario, max_states: LIVE_MAX_STATES })
        .into_iter()
        .collect()
}

/// The action a job's reply stands for, if any.
pub fn action_for(job: &JobRequest, reply: Reply) -> Option<Action> {
    let request = job.id;
    let action = match reply {
        Reply::Progress { states, transitions, pending, .. } => {
            LiveAction::Progress { request, progress: JobProgress { states, transitions, pending } }
        }
        Reply::Done(finished) => match finished.report(&job.scenario) {
            Ok(report) => LiveAction::Finished { request, report: Rc::new(report) },
            Err(error) => {
                LiveAction::Failed { request, message: format!("a result did not replay: {error}") }
            }
        },
        Reply::Failed { message, .. } => LiveAction::Failed { request, message },
        // Not about a job: the runner handles them before (`deliver`).
        Reply::Ready { .. } | Reply::Refused { .. } => return None,
    };
    Some(Action::Live(action))
}

enum Backend {
    /// The worker was created; requests wait for its `Ready`.
    Starting {
        worker: PageWorker,
        queue: Vec<Request>,
        _timeout: gloo::timers::callback::Timeout,
    },
    Worker(PageWorker),
    /// The same engine on the page's timers.
    Local {
        jobs: Jobs,
        scheduled: bool,
    },
}

struct Shared {
    on_action: Callback<Action>,
    /// The jobs sent and not finished, by the number they were sent under.
    running: RefCell<Vec<(u32, JobRequest)>>,
    next_job: Cell<u32>,
    backend: RefCell<Backend>,
}

/// Runs the page's explorations; stops them all (and the worker) when dropped.
pub struct Runner {
    shared: Rc<Shared>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let backend = match &*self.shared.backend.borrow() {
            Backend::Starting { .. } => "starting the worker",
            Backend::Worker(_) => "worker",
            Backend::Local { .. } => "in the page",
        };
        f.debug_struct("Runner")
            .field("backend", &backend)
            .field("running", &self.shared.running.borrow().len())
            .finish()
    }
}

impl Runner {
    /// A runner that uses the page's worker when there is one.
    pub fn new(on_action: Callback<Action>) -> Runner {
        let shared = Rc::new(Shared {
            on_action,
            running: RefCell::new(Vec::new()),
            next_job: Cell::new(0),
            backend: RefCell::new(Backend::Local { jobs: Jobs::new(), scheduled: false }),
        });
        let weak = Rc::downgrade(&shared);
        let on_event: Rc<dyn Fn(WorkerEvent)> = Rc::new(move |event| {
            if let Some(shared) = weak.upgrade() {
                on_worker_event(&shared, event);
            }
        });
        if let Some(worker) = PageWorker::start(on_event) {
            let weak = Rc::downgrade(&shared);
            let timeout =
                gloo::timers::callback::Timeout::new(READY_TIMEOUT_MILLISECONDS, move || {
                    if let Some(shared) = weak.upgrade() {
                        if matches!(*shared.backend.borrow(), Backend::Starting { .. }) {
                            explore_in_the_page(&shared);
                        }
                    }
                });
            *shared.backend.borrow_mut() =
                Backend::Starting { worker, queue: Vec::new(), _timeout: timeout };
        }
        Runner { shared }
    }

    /// A runner that explores on the page's own timers only.
    pub fn in_the_page(on_action: Callback<Action>) -> Runner {
        let runner = Runner::new(on_action);
        explore_in_the_page(&runner.shared);
        runner
    }

    /// Does it explore in a worker (or wait for one to start)?
    pub fn uses_a_worker(&self) -> bool {
        !matches!(*self.shared.backend.borrow(), Backend::Local { .. })
    }

    /// Starts the wanted jobs that are not running and cancels the running
    /// ones that are no longer wanted.
    pub fn sync(&self, wanted: &[JobRequest]) {
        let same = |a: &JobRequest, b: &JobRequest| a.id == b.id;
        let stale: Vec<u32> = self
            .shared
            .running
            .borrow()
            .iter()
            .filter(|(_, job)| !wanted.iter().any(|want| same(want, job)))
            .map(|(number, _)| *number)
            .collect();
        for job in stale {
            self.shared.running.borrow_mut().retain(|(number, _)| *number != job);
            send(&self.shared, Request::Cancel { job });
        }
        for want in wanted {
            if self.shared.running.borrow().iter().any(|(_, job)| same(want, job)) {
                continue;
            }
            let number = self.shared.next_job.get() + 1;
            self.shared.next_job.set(number);
            self.shared.running.borrow_mut().push((number, want.clone()));
            send(&self.shared, explore_request(number, want));
        }
    }
}

fn explore_request(number: u32, job: &JobRequest) -> Request {
    Request::Explore { job: number, scenario: job.scenario.clone(), max_states: job.max_states }
}

fn send(shared: &Rc<Shared>, request: Request) {
    let mut backend = shared.backend.borrow_mut();
    match &mut *backend {
        Backend::Starting { queue, .. } => queue.push(request),
        Backend::Worker(worker) => worker.post(&request.to_text()),
        Backend::Local { jobs, .. } => {
            let replies = jobs.handle(request, now_milliseconds());
            drop(backend);
            deliver(shared, replies);
            schedule(shared);
        }
    }
}

fn on_worker_event(shared: &Rc<Shared>, event: WorkerEvent) {
    let text = match event {
        WorkerEvent::Message(text) => text,
        WorkerEvent::Error => return explore_in_the_page(shared),
    };
    let Ok(reply) = Reply::from_text(&text) else { return explore_in_the_page(shared) };
    match reply {
        Reply::Ready { protocol } if protocol == PROTOCOL => {
            let mut backend = shared.backend.borrow_mut();
            if !matches!(*backend, Backend::Starting { .. }) {
                return;
            }
            let idle = Backend::Local { jobs: Jobs::new(), scheduled: false };
            if let Backend::Starting { worker, queue, .. } = std::mem::replace(&mut *backend, idle)
            {
                for request in queue {
                    worker.post(&request.to_text());
                }
                *backend = Backend::Worker(worker);
            }
        }
        // A cached worker of another build, or one that misunderstood us.
        Reply::Ready { .. } | Reply::Refused { .. } => explore_in_the_page(shared),
        reply => deliver(shared, vec![reply]),
    }
}

/// Gives up the worker and runs every job still running in the page.
fn explore_in_the_page(shared: &Rc<Shared>) {
    {
        let mut backend = shared.backend.borrow_mut();
        if matches!(*backend, Backend::Local { .. }) {
            return;
        }
        // Dropping the worker terminates it.
        *backend = Backend::Local { jobs: Jobs::new(), scheduled: false };
    }
    let running: Vec<(u32, JobRequest)> = shared.running.borrow().clone();
    for (number, job) in running {
        send(shared, explore_request(number, &job));
    }
}

/// Turns replies into actions; finished jobs leave the table.
fn deliver(shared: &Rc<Shared>, replies: Vec<Reply>) {
    for reply in replies {
        let number = match &reply {
            Reply::Progress { job, .. } | Reply::Failed { job, .. } => *job,
            Reply::Done(finished) => finished.job,
            Reply::Ready { .. } | Reply::Refused { .. } => continue,
        };
        let finished = !matches!(reply, Reply::Progress { .. });
        let job = {
            let mut running = shared.running.borrow_mut();
            let Some(index) = running.iter().position(|(known, _)| *known == number) else {
                // Cancelled meanwhile.
                continue;
            };
            if finished {
                running.remove(index).1
            } else {
                running[index].1.clone()
            }
        };
        if let Some(action) = action_for(&job, reply) {
            shared.on_action.emit(action);
        }
    }
}

/// The in-page fallback: one slice per timer callback.
fn schedule(shared: &Rc<Shared>) {
    {
        let mut backend = shared.backend.borrow_mut();
        let Backend::Local { jobs, scheduled } = &mut *backend else { return };
        if *scheduled || jobs.is_idle() {
            return;
        }
        *scheduled = true;
    }
    let weak: Weak<Shared> = Rc::downgrade(shared);
    // The timer frees its closure after it runs.
    gloo::timers::callback::Timeout::new(0, move || {
        let Some(shared) = weak.upgrade() else { return };
        let replies = {
            let mut backend = shared.backend.borrow_mut();
            let Backend::Local { jobs, scheduled } = &mut *backend else { return };
            *scheduled = false;
            jobs.run_slice(TICK_MILLISECONDS, &now_milliseconds)
        };
        deliver(&shared, replies);
        schedule(&shared);
    })
    .forget();
}

/// The effect that runs the jobs `wanted` (see [`requests`]): created with
/// the component, dropped (stopping everything) with it.
#[hook]
pub fn use_runner(wanted: Vec<JobRequest>, on_action: Callback<Action>) {
    let runner = use_mut_ref(|| None::<Runner>);
    {
        let runner = runner.clone();
        use_effect_with((), move |_| move || drop(runner.borrow_mut().take()));
    }
    use_effect_with(wanted, move |wanted| {
        let mut slot = runner.borrow_mut();
        // No runner until something is to be explored (the embed view never
        // explores; boot.js starts no worker there either).
        if slot.is_none() && wanted.is_empty() {
            return;
        }
        slot.get_or_insert_with(|| Runner::new(on_action)).sync(wanted);
    });
}
