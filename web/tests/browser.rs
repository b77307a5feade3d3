//! Browser tests (wasm-bindgen-test in headless Chromium) for what only a
//! real page has: the address bar, mounting into the DOM, clicks, and the
//! explorations' timer loop where the page has no web worker.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use pte_core::{catalog, link, ReaderAction, Register, Scenario, Step, Torn};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web::browser;
use web::live::LiveAction;
use web::runner::{JobRequest, Runner};
use web::state::{Action, AppState};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn set_fragment(fragment: &str) {
    let window = gloo::utils::window();
    let location = window.location();
    let url = format!("{}{}#{fragment}", location.pathname().unwrap(), location.search().unwrap());
    window
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        .unwrap();
}

fn current_fragment() -> String {
    gloo::utils::window().location().hash().unwrap().trim_start_matches('#').to_owned()
}

/// Mounts the app into a fresh element of the page.
fn mount() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<web::App>::with_root(root.clone()).render();
    root
}

/// Waits (bounded) until `selector` matches inside `root`.
async fn find(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    for _ in 0..500 {
        yew::scheduler::flush().await;
        if let Some(element) = root.query_selector(selector).unwrap() {
            return element;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{selector} never appeared");
}

fn reader(action: ReaderAction) -> Step {
    Step::Reader { reader: 0, action }
}

#[wasm_bindgen_test]
fn a_permalink_is_read_from_the_real_location() {
    let scenario = catalog::find("mips-sh").unwrap().scenario();
    let steps = [reader(ReaderAction::IrqOff), reader(ReaderAction::Load(Register::R0))];
    let fragment = link::encode(&scenario, &steps);
    set_fragment(&fragment);

    let start = browser::start();
    assert_eq!(start.fragment, fragment);
    assert!(!start.embed);
    let state = AppState::from_start(&start);
    assert_eq!(state.session.scenario(), &scenario);
    assert_eq!(state.session.all_steps(), steps);
    assert_eq!(state.session.cursor(), 0, "a linked trace opens at its start");
}

#[wasm_bindgen_test]
async fn the_app_mounts_restores_the_link_and_keeps_the_address_in_step() {
    let steps = [Step::Writer(0), Step::Writer(1), reader(ReaderAction::IrqOff)];
    set_fragment(&link::encode(&Scenario::kernel(), &steps));
    let root = mount();
    find(&root, r#"[data-testid="app-ready"]"#).await;
    let length = find(&root, r#"[data-testid="trace-length"]"#).await;
    assert!(
        length.text_content().unwrap().starts_with("0 steps taken (3 more to redo)"),
        "{:?}",
        length.text_content()
    );
    // The player walks to the trace's end.
    let end = find(&root, r#"[data-testid="player-end"]"#).await;
    end.dyn_into::<web_sys::HtmlElement>().unwrap().click();
    find(&root, r#"[data-testid="player-position"]"#).await;
    for _ in 0..100 {
        yew::scheduler::flush().await;
        if length.text_content().unwrap().starts_with("3 steps taken") {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(length.text_content().unwrap().starts_with("3 steps taken"));

    // A click on the reader's next line takes the step and updates the address.
    let button = find(&root, r#"[data-testid="step-r1.r0"][aria-disabled="false"]"#).await;
    button.dyn_into::<web_sys::HtmlElement>().unwrap().click();
    find(&root, r#"[data-testid="reader-1-state"]"#).await;
    for _ in 0..100 {
        yew::scheduler::flush().await;
        if current_fragment().ends_with("t=w1,w2,r1.off,r1.r0") {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(current_fragment().ends_with("t=w1,w2,r1.off,r1.r0"), "{}", current_fragment());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_broken_link_in_the_address_shows_an_alert() {
    set_fragment("v=1&model=sc&writer=zap,nonsense");
    let root = mount();
    let alert = find(&root, r#"[data-testid="link-error"][role="alert"]"#).await;
    assert!(alert.text_content().unwrap().contains("This link could not be read"));
    // The broken link stays in the address bar for the person to fix.
    assert_eq!(current_fragment(), "v=1&model=sc&writer=zap,nonsense");
    root.remove();
}

fn explore_all(id: u32, scenario: Scenario) -> JobRequest {
    JobRequest { id, scenario, max_states: 1_000_000 }
}

#[wasm_bindgen_test]
async fn without_a_worker_the_page_explores_on_its_own_timers() {
    let actions = Rc::new(RefCell::new(Vec::new()));
    let on_action = {
        let actions = actions.clone();
        Callback::from(move |action| actions.borrow_mut().push(action))
    };
    // The test page names no worker script, so the runner explores in the page.
    let runner = Runner::new(on_action);
    assert!(!runner.uses_a_worker());
    runner.sync(&[explore_all(7, Scenario::kernel())]);
    assert!(actions.borrow().is_empty(), "the search runs on timers, not at once");
    let mut report = None;
    for _ in 0..2_000 {
        yew::platform::time::sleep(Duration::from_millis(5)).await;
        if let Some(Action::Live(LiveAction::Finished { request, report: found })) =
            actions.borrow().last()
        {
            assert_eq!(*request, 7);
            report = Some(found.clone());
            break;
        }
    }
    let report = report.expect("the exploration finished");
    assert!(report.complete);
    assert_eq!(report.torn().word(), Torn::Never);
    assert!(!report.outcomes.is_empty());
}

#[wasm_bindgen_test]
async fn a_job_no_longer_wanted_reports_nothing_more() {
    let actions = Rc::new(RefCell::new(Vec::<Action>::new()));
    let on_action = {
        let actions = actions.clone();
        Callback::from(move |action| actions.borrow_mut().push(action))
    };
    let runner = Runner::in_the_page(on_action);
    runner.sync(&[explore_all(1, Scenario::cycles(3))]);
    runner.sync(&[]);
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert!(actions.borrow().is_empty());
}

#[wasm_bindgen_test]
fn the_page_address_is_the_real_location_without_query_and_fragment() {
    set_fragment("v=1&t=w1");
    let location = gloo::utils::window().location();
    let address = browser::page_address();
    assert_eq!(address, format!("{}{}", location.origin().unwrap(), location.pathname().unwrap()));
    assert!(location.href().unwrap().starts_with(&address));
    assert!(!address.contains('#'), "{address}");
}

#[wasm_bindgen_test]
async fn an_in_page_anchor_never_replaces_the_permalink() {
    let fragment = link::encode(&Scenario::kernel(), &[Step::Writer(0)]);
    set_fragment(&fragment);
    let root = mount();
    find(&root, r#"[data-testid="app-ready"]"#).await;
    // What the "Skip to the threads" link would do without its click handler.
    gloo::utils::window().location().set_hash("threads-title").unwrap();
    for _ in 0..100 {
        yew::scheduler::flush().await;
        if current_fragment() == fragment {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(current_fragment(), fragment, "the permalink is put back");
    assert!(root.query_selector(r#"[data-testid="link-error"]"#).unwrap().is_none());
    let focused = gloo::utils::document().active_element().unwrap();
    assert_eq!(focused.id(), "threads-title");
    root.remove();
}
