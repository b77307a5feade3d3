//! Pictures of an [`Execution`], laid out deterministically and written as
//! text: an execution graph (one column per thread, events in program order,
//! rf/co/fr arrows, barriers as bars) and a timeline (one lane per thread,
//! one row per trace step, arrows from each write to the loads that read it),
//! both as SVG, plus the graph in graphviz's DOT.
//!
//! The SVG carries classes and data attributes, never inline styles: the
//! page styles it with its own stylesheet (its Content-Security-Policy
//! allows no inline styles); [`standalone`] adds a `<style>` element for a
//! downloaded file. Lines differ by dash pattern and label, not colour only.

use std::fmt::Write as _;

use crate::execution::{EdgeKind, Event, EventKind, Execution, Thread};
use crate::program::Word;
use crate::short_sort;

const BOX_WIDTH: i32 = 200;
const BOX_HEIGHT: i32 = 30;
const COLUMN: i32 = 300;
const ROW: i32 = 52;
const TOP: i32 = 40;
const LEFT: i32 = 40;

/// Which read the picture highlights, and how it was judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    /// The load events of the read's low and high halves.
    pub low_load: usize,
    pub high_load: usize,
    /// "torn", "allowed" or "backed-off": a class on the highlighted arrows.
    pub verdict: &'static str,
}

impl Highlight {
    /// The last read the execution completed, judged by `verdict`.
    pub fn last_read(execution: &Execution, verdict: &'static str) -> Option<Highlight> {
        execution.reads.last().map(|read| Highlight {
            low_load: read.low_load,
            high_load: read.high_load,
            verdict,
        })
    }

    /// Is `event` one of the highlighted read's two loads?
    pub fn covers(&self, event: usize) -> bool {
        self.low_load == event || self.high_load == event
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The columns: the writer (with the initial values on top, and TSO drains
/// after its own events), then each reader with events, by number.
fn columns(execution: &Execution) -> Vec<Thread> {
    let mut threads = vec![Thread::Writer];
    let mut readers: Vec<u8> = execution
        .events
        .iter()
        .filter_map(|event| match event.thread {
            Thread::Reader(reader) => Some(reader),
            _ => None,
        })
        .collect();
    short_sort::sort(&mut readers);
    readers.dedup();
    threads.extend(readers.into_iter().map(Thread::Reader));
    threads
}

fn column_title(thread: Thread) -> String {
    match thread {
        Thread::Init | Thread::Writer => "writer (initial values on top)".to_owned(),
        Thread::Reader(reader) => format!("reader {}", reader + 1),
    }
}

fn lane_of(columns: &[Thread], thread: Thread) -> usize {
    let thread = if thread == Thread::Init { Thread::Writer } else { thread };
    columns.iter().position(|c| *c == thread).unwrap_or(0)
}

/// Each event's box: (x, y) of its top-left corner.
fn graph_positions(execution: &Execution, columns: &[Thread]) -> Vec<(i32, i32)> {
    let mut rows = vec![0i32; columns.len()];
    let mut positions = vec![(0, 0); execution.events.len()];
    // Initial values first, then each thread in program order (po chains).
    let mut order: Vec<usize> =
        execution.events.iter().filter(|e| e.thread == Thread::Init).map(|e| e.id).collect();
    for thread in columns {
        let mut starts: Vec<usize> = execution
            .events
            .iter()
            .filter(|e| e.thread == *thread && e.kind != EventKind::Drain)
            .filter(|e| !execution.edges_of(EdgeKind::Po).any(|edge| edge.to == e.id))
            .map(|e| e.id)
            .collect();
        short_sort::sort(&mut starts);
        for start in starts {
            let mut at = Some(start);
            while let Some(id) = at {
                order.push(id);
                at = execution.edges_of(EdgeKind::Po).find(|edge| edge.from == id).map(|e| e.to);
            }
        }
    }
    // Drains (TSO) sit in the writer's column after its own events.
    order.extend(execution.events.iter().filter(|e| e.kind == EventKind::Drain).map(|e| e.id));
    for id in order {
        let lane = lane_of(columns, execution.events[id].thread);
        positions[id] = (LEFT + lane as i32 * COLUMN, TOP + 20 + rows[lane] * ROW);
        rows[lane] += 1;
    }
    positions
}

fn event_box(out: &mut String, event: &Event, (x, y): (i32, i32), extra: &str) {
    let word = event.word.map_or("", Word::name);
    let _ = write!(
        out,
        r#"<g class="event {kind}{extra}" data-event="{id}" data-thread="{thread}" data-kind="{kind}" data-word="{word}" data-label="{label}"><rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6"/><text x="{tx}" y="{ty}">{label}</text></g>"#,
        kind = event.kind.id(),
        id = event.id,
        thread = escape(&event.thread.name()),
        label = escape(&event.label),
        tx = x + 8,
        ty = y + 20,
    );
}

/// The execution graph as SVG.
pub fn graph_svg(execution: &Execution, highlight: Option<Highlight>) -> String {
    let columns = columns(execution);
    let positions = graph_positions(execution, &columns);
    let height = positions.iter().map(|(_, y)| *y).max().unwrap_or(TOP) + BOX_HEIGHT + 40;
    let width = LEFT + columns.len() as i32 * COLUMN + 40;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="execution-graph" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="graph-title"><title id="graph-title">Execution graph: events per thread in program order, with rf, co and fr arrows</title>"#
    );
    out.push_str(ARROW_MARKERS);
    for (lane, thread) in columns.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text class="lane-title" x="{}" y="{}">{}</text>"#,
            LEFT + lane as i32 * COLUMN,
            TOP,
            escape(&column_title(*thread))
        );
    }
    let highlighted = |to: usize| highlight.filter(|h| h.covers(to)).map(|h| h.verdict);
    for edge in &execution.edges {
        let (fx, fy) = positions[edge.from];
        let (tx, ty) = positions[edge.to];
        let extra = match (edge.kind, highlighted(edge.to)) {
            (EdgeKind::Rf, Some(verdict)) => format!(" highlight {verdict}"),
            _ => String::new(),
        };
        let path = match edge.kind {
            EdgeKind::Po => format!(
                "M{} {} L{} {}",
                fx + BOX_WIDTH / 2,
                fy + BOX_HEIGHT,
                tx + BOX_WIDTH / 2,
                ty - 2
            ),
            EdgeKind::Co => {
                // An arc on the left of the column.
                let bend = fx - 30;
                format!(
                    "M{} {} C{} {} {} {} {} {}",
                    fx,
                    fy + BOX_HEIGHT / 2,
                    bend,
                    fy + BOX_HEIGHT / 2,
                    bend,
                    ty + BOX_HEIGHT / 2,
                    tx - 2,
                    ty + BOX_HEIGHT / 2
                )
            }
            _ => {
                // rf, fr, drain: from the side facing the other box.
                let (sx, ex) = if tx >= fx { (fx + BOX_WIDTH, tx) } else { (fx, tx + BOX_WIDTH) };
                let (sy, ey) = (fy + BOX_HEIGHT / 2, ty + BOX_HEIGHT / 2);
                let mid = (sx + ex) / 2;
                let lift = if edge.kind == EdgeKind::Fr { 14 } else { -14 };
                format!("M{sx} {sy} C{mid} {} {mid} {} {ex} {ey}", sy + lift, ey + lift)
            }
        };
        let (lx, ly) = ((fx + tx) / 2 + BOX_WIDTH / 2, (fy + ty) / 2 + BOX_HEIGHT / 2);
        let _ = write!(
            out,
            r#"<g class="edge {kind}{extra}" data-edge="{kind}" data-from="{from}" data-to="{to}"><path d="{path}" marker-end="url(#arrow-{kind})"/><text class="edge-label" x="{lx}" y="{ly}">{kind}</text></g>"#,
            kind = edge.kind.id(),
            from = edge.from,
            to = edge.to,
        );
    }
    for mark in &execution.barriers {
        let (x, y) = positions[mark.after];
        let bar_y = y + BOX_HEIGHT + (ROW - BOX_HEIGHT) / 2;
        let _ = write!(
            out,
            r#"<g class="barrier" data-barrier="{id}"><line x1="{x1}" y1="{bar_y}" x2="{x2}" y2="{bar_y}"/><text x="{tx}" y="{ty}">{kind}</text></g>"#,
            id = mark.barrier.id(),
            x1 = x + 20,
            x2 = x + BOX_WIDTH - 20,
            tx = x + BOX_WIDTH - 16,
            ty = bar_y + 4,
            kind = mark.barrier.kind(),
        );
    }
    for event in &execution.events {
        let extra = match highlight {
            Some(h) if h.covers(event.id) => " read",
            _ => "",
        };
        event_box(&mut out, event, positions[event.id], extra);
    }
    out.push_str("</svg>");
    out
}

/// The timeline as SVG: rows are trace steps (time flows down), lanes are
/// threads; rf arrows go from the row where a write reached memory (its
/// drain under TSO) to the loads that read it. Each row carries
/// `data-step` (the number of steps taken after it) for the page to jump to.
pub fn timeline_svg(execution: &Execution, highlight: Option<Highlight>) -> String {
    let columns = columns(execution);
    let rows = execution.steps as i32;
    let height = TOP + 30 + rows.max(1) * 34 + 20;
    let width = LEFT + columns.len() as i32 * COLUMN + 40;
    let row_y = |step: usize| TOP + 30 + step as i32 * 34;
    let lane_x = |thread: Thread| LEFT + lane_of(&columns, thread) as i32 * COLUMN;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="timeline-title"><title id="timeline-title">Timeline: one row per step, one lane per thread, arrows from each write to the loads that read it</title>"#
    );
    out.push_str(ARROW_MARKERS);
    for thread in &columns {
        let _ = write!(
            out,
            r#"<text class="lane-title" x="{}" y="{}">{}</text>"#,
            lane_x(*thread),
            TOP,
            escape(&column_title(*thread))
        );
    }
    for step in 0..execution.steps {
        let y = row_y(step);
        let _ = write!(
            out,
            r#"<g class="row" data-step="{count}"><rect class="row-band" x="0" y="{top}" width="{width}" height="34"/><text class="row-number" x="6" y="{ty}">{count}</text></g>"#,
            count = step + 1,
            top = y - 22,
            ty = y,
        );
    }
    // Where each write reached memory: its drain under TSO, else itself.
    let landed = |write: usize| -> usize {
        execution
            .edges_of(EdgeKind::Drain)
            .find(|edge| edge.from == write)
            .map_or(write, |edge| edge.to)
    };
    for edge in execution.edges_of(EdgeKind::Rf) {
        let write = landed(edge.from);
        let (from, to) = (&execution.events[write], &execution.events[edge.to]);
        let (Some(to_step), from_y) = (to.step, from.step.map_or(TOP + 12, row_y)) else {
            continue;
        };
        let (sx, ex) = (lane_x(from.thread) + BOX_WIDTH, lane_x(to.thread));
        let (sx, ex) = if ex >= sx { (sx, ex) } else { (lane_x(from.thread), ex + BOX_WIDTH) };
        let ey = row_y(to_step) - 6;
        let extra = match highlight {
            Some(h) if h.covers(edge.to) => {
                format!(" highlight {}", h.verdict)
            }
            _ => String::new(),
        };
        let _ = write!(
            out,
            r#"<g class="edge rf{extra}" data-edge="rf" data-from="{from}" data-to="{to}"><path d="M{sx} {sy} L{ex} {ey}" marker-end="url(#arrow-rf)"/></g>"#,
            from = edge.from,
            to = edge.to,
            sy = from_y - 6,
        );
    }
    for event in &execution.events {
        let Some(step) = event.step else { continue };
        let x = lane_x(event.thread);
        let y = row_y(step) - 20;
        event_box(&mut out, event, (x, y), "");
    }
    out.push_str("</svg>");
    out
}

const ARROW_MARKERS: &str = r#"<defs><marker id="arrow-po" class="arrow po" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker><marker id="arrow-rf" class="arrow rf" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker><marker id="arrow-co" class="arrow co" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker><marker id="arrow-fr" class="arrow fr" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker><marker id="arrow-drain" class="arrow drain" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z"/></marker></defs>"#;

/// The styles a picture needs on its own (the page has them in its
/// stylesheet): dashes and labels tell the relations apart, colour helps.
pub const STYLE: &str = "svg{font-family:ui-monospace,monospace;font-size:12px;background:#fff}\
.event rect{fill:#f4f5f7;stroke:#1a1a1a}.event.load rect{fill:#e8f0fe}.event.read rect{stroke-width:3}\
.event text,.lane-title,.row-number{fill:#1a1a1a}.lane-title{font-weight:bold}\
.edge path{fill:none;stroke:#4a4a4a;stroke-width:1.5}.edge.rf path{stroke:#0b57d0}\
.edge.co path{stroke-dasharray:2 3}.edge.fr path{stroke-dasharray:6 4;stroke:#8a4b00}\
.edge.drain path{stroke-dasharray:1 2}.edge.highlight path{stroke-width:4}\
.edge.highlight.torn path{stroke:#b3261e}.edge.highlight.allowed path{stroke:#146c2e}\
.edge-label{fill:#4a4a4a;font-size:10px}.arrow path{fill:#4a4a4a}.barrier line{stroke:#1a1a1a;stroke-width:3}\
.barrier text{font-size:10px}.row-band{fill:transparent}";

/// A picture as a file of its own: the SVG with its `<style>` element.
pub fn standalone(svg: &str) -> String {
    let start = svg.find('>').map_or(0, |end| end + 1);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}<style>{STYLE}</style>{}\n",
        &svg[..start],
        &svg[start..]
    )
}

/// The execution graph in graphviz's DOT, for people who already draw
/// herd7's graphs with it.
pub fn dot(execution: &Execution) -> String {
    let mut out = String::from("digraph execution {\n  rankdir=TB;\n  node [shape=box];\n");
    let columns = columns(execution);
    for (lane, thread) in columns.iter().enumerate() {
        let _ =
            writeln!(out, "  subgraph cluster_{lane} {{\n    label=\"{}\";", column_title(*thread));
        for event in execution.events.iter().filter(|e| lane_of(&columns, e.thread) == lane) {
            let _ =
                writeln!(out, "    e{} [label=\"{}\"];", event.id, event.label.replace('"', "'"));
        }
        out.push_str("  }\n");
    }
    for edge in &execution.edges {
        let style = match edge.kind {
            EdgeKind::Po => "solid",
            EdgeKind::Rf => "bold",
            EdgeKind::Co => "dotted",
            EdgeKind::Fr | EdgeKind::Drain => "dashed",
        };
        let _ = writeln!(
            out,
            "  e{} -> e{} [label=\"{}\", style={style}];",
            edge.from,
            edge.to,
            edge.kind.id()
        );
    }
    out.push_str("}\n");
    out
}

/// The edges in words, the pictures' text alternative: "rf: init low =
/// 0x00001067 (P0) → reader 1: r0 ← low".
pub fn edge_sentences(execution: &Execution) -> Vec<String> {
    let name = |id: usize| {
        let event = &execution.events[id];
        format!("{} {}", event.thread.name(), event.label)
    };
    execution
        .edges
        .iter()
        .filter(|edge| edge.kind != EdgeKind::Po)
        .map(|edge| format!("{}: {} → {}", edge.kind.id(), name(edge.from), name(edge.to)))
        .collect()
}
