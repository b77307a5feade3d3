//! The fuzz target (issue 25): a seeded, bounded property test over every
//! parser at the boundary: permalinks (and lesson links), scenario files,
//! trace files and the worker's messages. Inputs are canonical encodings of
//! random valid values and of the catalog, mutated with the tokens hostile
//! input is made of (`+`, `0`, `0x`, `_`, spaces, `&`, repeated parameters,
//! `\r`, `\`, …). For every input: no panic; whatever is accepted encodes
//! to a canonical form that decodes to the same value and encodes to
//! itself; an accepted worker message is exactly its own encoding; an
//! accepted scenario steps, replays and explores (a little) without a panic.
//!
//! Each run takes a few seconds. Run it longer by hand with
//! `PTE_FUZZ_CASES=100000 cargo test --release -p pte-worker --test fuzz`,
//! and with another seed with `PTE_FUZZ_SEED=7`.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use pte_core::{
    catalog, link, Barrier, Barriers, Explorer, FlushMode, MemoryModel, Pte, ReaderAction,
    ReaderKind, Scenario, Session, Step, Trace, Values, WriterOp, FORMAT_VERSION, MAX_READERS,
};
use pte_worker::protocol::{Finished, Reply, Request, WireOutcome};

/// Cases per target when `PTE_FUZZ_CASES` is not set: a few seconds in all.
const DEFAULT_CASES: u32 = 300;

fn runner() -> TestRunner {
    let number = |name: &str, default: u64| {
        std::env::var(name).ok().map_or(default, |text| {
            text.parse().unwrap_or_else(|_| panic!("{name}={text:?} is not a number"))
        })
    };
    let cases = number("PTE_FUZZ_CASES", u64::from(DEFAULT_CASES)) as u32;
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&number("PTE_FUZZ_SEED", 25).to_le_bytes());
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed))
}

/// A valid scenario: any model, present bit, writer, values (Z not
/// present), readers and kinds, flush and barriers.
fn scenario() -> impl Strategy<Value = Scenario> {
    (
        (0..3usize, 0..64u8, prop::collection::vec(0..6usize, 0..7), any::<u64>(), any::<u64>()),
        (prop::collection::vec(any::<u64>(), 7), 1..=MAX_READERS as u8, 0..3usize),
        (
            any::<u16>(),
            prop::collection::vec(0..ReaderKind::ALL.len(), 0..=MAX_READERS),
            any::<bool>(),
        ),
    )
        .prop_map(
            |((model, bit, ops, p0, z), (ps, readers, flush), (barrier_bits, kinds, seqcount))| {
                let writer: Vec<WriterOp> = ops.into_iter().map(|op| WriterOp::ALL[op]).collect();
                let establishes = writer.iter().filter(|op| op.is_establish()).count();
                let mut scenario = Scenario {
                    format: FORMAT_VERSION,
                    model: MemoryModel::ALL[model],
                    present_bit: bit,
                    writer,
                    values: Values {
                        p0: Pte(p0),
                        z: Pte(z & !(1 << bit)),
                        p: ps.into_iter().take(establishes).map(Pte).collect(),
                    },
                    readers,
                    flush: FlushMode::ALL[flush],
                    barriers: Barrier::ALL.into_iter().enumerate().fold(
                        Barriers::ALL_ON,
                        |barriers, (index, site)| {
                            barriers.with(site, barrier_bits & (1 << index) != 0)
                        },
                    ),
                    reader_kinds: Vec::new(),
                    seqcount,
                    compiler: false,
                    marked_writer: false,
                    marked_reader: false,
                    // The last bit no barrier site uses.
                    clear_counter: barrier_bits & 0x8000 != 0,
                };
                for (reader, kind) in kinds.into_iter().take(usize::from(readers)).enumerate() {
                    scenario.set_reader_kind(reader as u8, ReaderKind::ALL[kind]);
                }
                scenario
            },
        )
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        any::<u8>().prop_map(Step::Writer),
        Just(Step::Drain),
        (any::<u8>(), 0..ReaderAction::ALL.len()).prop_map(|(reader, action)| Step::Reader {
            reader,
            action: ReaderAction::ALL[action]
        }),
    ]
}

/// The pieces hostile input is made of.
const TOKENS: [&str; 40] = [
    "+",
    "-",
    "0",
    "00",
    "1",
    "9",
    "0x",
    "0X",
    "_",
    " ",
    "\t",
    "&",
    "=",
    ",",
    "%2C",
    "#",
    "?",
    "\r",
    "\n",
    "\\",
    "\"",
    "{",
    "}",
    ":",
    "v=1&",
    "v=2&",
    "seq=1&",
    "seq=banana&",
    "kinds=seqcount&",
    "readers=4&",
    "lesson=3&",
    "t=w1&",
    "&off=zap_wmb1",
    "w",
    "r",
    ".",
    "\"zap_wmb1\": false,",
    "\"format\": 1,",
    "ffffffffffffffff",
    "é",
];

/// Edits to a text: (what, where, which token).
fn mutations() -> impl Strategy<Value = Vec<(u8, u16, u8)>> {
    prop::collection::vec((0..4u8, any::<u16>(), any::<u8>()), 0..4)
}

/// `text` with the edits applied: insert a token, delete a few
/// characters, repeat a piece, or replace a character by a token.
fn mutate(text: &str, edits: &[(u8, u16, u8)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(what, place, token) in edits {
        let at = if chars.is_empty() { 0 } else { usize::from(place) % (chars.len() + 1) };
        let token: Vec<char> = TOKENS[usize::from(token) % TOKENS.len()].chars().collect();
        match what {
            0 => drop(chars.splice(at..at, token)),
            1 => drop(chars.drain(at..(at + 3).min(chars.len()))),
            2 => {
                let piece: Vec<char> = chars[at..(at + 12).min(chars.len())].to_vec();
                chars.splice(at..at, piece);
            }
            _ => {
                let end = (at + 1).min(chars.len());
                chars.splice(at..end, token);
            }
        }
    }
    chars.into_iter().collect()
}

/// What an accepted scenario must survive: stepping, a replay, a little
/// exploration.
fn exercise(scenario: &Scenario, steps: &[Step]) {
    let mut session = Session::new(scenario.clone()).expect("an accepted scenario compiles");
    let _ = session.replay(steps);
    let mut explorer = Explorer::new(scenario.clone()).expect("it explores").with_max_states(200);
    explorer.run_to_end();
    let _ = explorer.report();
}

/// A permalink: accepted ⇒ its canonical form decodes to the same link and
/// encodes to itself.
fn check_link(query: &str) -> Result<(), TestCaseError> {
    let _ = link::lesson(query, pte_core::tour::lessons().len());
    let _ = link::has_scenario(query);
    if let Ok(decoded) = link::decode(query) {
        let canonical = link::encode(&decoded.scenario, &decoded.steps);
        let again = link::decode(&canonical);
        prop_assert_eq!(again.as_ref(), Ok(&decoded), "{:?} → {:?}", query, canonical);
        prop_assert_eq!(link::encode(&decoded.scenario, &decoded.steps), canonical);
        exercise(&decoded.scenario, &decoded.steps);
    }
    Ok(())
}

fn check_scenario_file(text: &str) -> Result<(), TestCaseError> {
    if let Ok(scenario) = Scenario::from_json(text) {
        let canonical = scenario.to_json();
        prop_assert_eq!(Scenario::from_json(&canonical), Ok(scenario.clone()), "{}", text);
        exercise(&scenario, &[]);
    }
    Ok(())
}

fn check_trace_file(text: &str) -> Result<(), TestCaseError> {
    if let Ok(trace) = Trace::from_json(text) {
        let canonical = trace.to_json();
        prop_assert_eq!(Trace::from_json(&canonical), Ok(trace.clone()), "{}", text);
        let steps = trace.parsed_steps().expect("an accepted trace's steps parse");
        exercise(&trace.scenario, &steps);
    }
    Ok(())
}

/// A worker message: accepted ⇒ it is exactly its own encoding.
fn check_messages(text: &str) -> Result<(), TestCaseError> {
    if let Ok(request) = Request::from_text(text) {
        prop_assert_eq!(request.to_text(), text);
    }
    if let Ok(reply) = Reply::from_text(text) {
        prop_assert_eq!(reply.to_text(), text);
    }
    Ok(())
}

#[test]
fn links_never_panic_and_accepted_ones_are_canonical() {
    let presets: Vec<Scenario> = catalog::presets().iter().map(|p| p.scenario()).collect();
    let strategy = (
        prop_oneof![scenario(), proptest::sample::select(presets)],
        prop::collection::vec(step(), 0..6),
        any::<bool>(),
        mutations(),
    );
    runner()
        .run(&strategy, |(scenario, steps, lesson, edits)| {
            let steps: Vec<Step> = steps;
            let encoded = link::encode(&scenario, &steps);
            let decoded = link::decode(&encoded).expect("an encoded link decodes");
            prop_assert_eq!(&decoded.scenario, &scenario);
            prop_assert_eq!(&decoded.steps, &steps);
            let text = if lesson { format!("lesson=2&{encoded}") } else { encoded };
            check_link(&mutate(&text, &edits))
        })
        .unwrap();
}

#[test]
fn scenario_files_never_panic_and_accepted_ones_round_trip() {
    let strategy = (scenario(), mutations());
    runner()
        .run(&strategy, |(scenario, edits)| {
            let text = scenario.to_json();
            prop_assert_eq!(Scenario::from_json(&text), Ok(scenario.clone()));
            check_scenario_file(&mutate(&text, &edits))
        })
        .unwrap();
}

#[test]
fn trace_files_never_panic_and_accepted_ones_round_trip() {
    let strategy = (scenario(), prop::collection::vec(step(), 0..6), mutations());
    runner()
        .run(&strategy, |(scenario, steps, edits)| {
            let trace = Trace::new(scenario, &steps);
            let text = trace.to_json();
            prop_assert_eq!(Trace::from_json(&text), Ok(trace.clone()));
            check_trace_file(&mutate(&text, &edits))
        })
        .unwrap();
}

#[test]
fn worker_messages_never_panic_and_accepted_ones_are_their_own_encoding() {
    let message = "[ -~\\r\\n\\\\é]{0,12}";
    let reply = prop_oneof![
        any::<u32>().prop_map(|protocol| Reply::Ready { protocol }),
        (any::<u32>(), any::<u64>(), any::<u64>(), any::<u64>()).prop_map(
            |(job, states, transitions, pending)| Reply::Progress {
                job,
                states,
                transitions,
                pending
            }
        ),
        (
            any::<u32>(),
            any::<bool>(),
            prop::option::of(1..=u32::MAX),
            any::<u64>(),
            any::<u64>(),
            prop::collection::vec((prop::collection::vec(step(), 0..4), any::<u64>()), 0..3),
        )
            .prop_map(|(job, complete, limit, states, transitions, outcomes)| {
                Reply::Done(Finished {
                    job,
                    complete,
                    limit,
                    states,
                    transitions,
                    outcomes: outcomes
                        .into_iter()
                        .map(|(steps, occurrences)| WireOutcome {
                            form: (occurrences % 7) as usize,
                            steps: steps.iter().map(|step| step.id()).collect(),
                            occurrences,
                        })
                        .collect(),
                })
            }),
        (any::<u32>(), message).prop_map(|(job, message)| Reply::Failed { job, message }),
        message.prop_map(|message| Reply::Refused { message }),
    ];
    let request = prop_oneof![
        (any::<u32>(), scenario(), 1..=u32::MAX)
            .prop_map(|(job, scenario, max_states)| Request::Explore { job, scenario, max_states }),
        any::<u32>().prop_map(|job| Request::Cancel { job }),
    ];
    runner()
        .run(&(request, reply, mutations(), mutations()), |(request, reply, edits, more)| {
            let text = request.to_text();
            prop_assert_eq!(Request::from_text(&text), Ok(request));
            check_messages(&mutate(&text, &edits))?;
            let text = reply.to_text();
            prop_assert_eq!(Reply::from_text(&text), Ok(reply));
            check_messages(&mutate(&text, &more))
        })
        .unwrap();
}
