//! The guided tour: lessons on memory ordering along the October 2022
//! thread, each a scenario of the catalog, a short text citing the message
//! it comes from, and a [`Goal`] that the core checks against a session and
//! an exploration's report (never against words on a page). Adding a lesson
//! is adding a row to [`lessons`] (and its test in `tests/tour.rs`).

use crate::catalog::{self, messages, Message};
use crate::explore::{Report, Torn};
use crate::program::Program;
use crate::scenario::{Barrier, MemoryModel, Pte, Scenario};
use crate::session::Session;
use crate::verdict::{Judged, Verdict};

/// One lesson of the tour.
#[derive(Clone, Copy, Debug)]
pub struct Lesson {
    /// Stable id, kept in the browser's record of lessons done.
    pub id: &'static str,
    pub title: &'static str,
    /// A few sentences from the thread; `messages` are the ones they cite.
    pub text: &'static str,
    pub messages: &'static [&'static Message],
    /// What to do, in one sentence.
    pub task: &'static str,
    pub goal: Goal,
    /// Shown one at a time.
    pub hints: &'static [&'static str],
    /// A shortest way to the goal, which "Show me" replays.
    pub solution: Solution,
    /// What the lesson taught, in one sentence.
    pub taught: &'static str,
    /// The catalog preset the lesson starts from ...
    preset: &'static str,
    /// ... under this model, when not the preset's own.
    model: Option<MemoryModel>,
}

/// What a lesson asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// A reader completes a read of this kind, by hand, in the lesson's
    /// scenario as it is.
    Read(Wanted),
    /// The lesson's scenario changed as `change` says, and "Explore all"
    /// answers `answer` for it ([`Report::torn`]: a Never only from a
    /// complete exploration).
    Explore { change: Change, answer: Torn },
}

/// Which completed read a [`Goal::Read`] wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// A value returned after at least one retry of the loop.
    AfterRetry,
    /// A returned value whose present bit is clear.
    NotPresent,
    /// A torn value returned.
    Torn,
    /// This torn value returned.
    TornValue(Pte),
}

/// The scenario change a [`Goal::Explore`] asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// None: the lesson's scenario as it is.
    Nothing,
    /// Exactly one barrier site that is on switched off, nothing else.
    OneBarrierOff,
    /// Every barrier site of the code switched off, nothing else.
    EveryBarrierOff,
    /// The writer's clear counter (KVM's `count_spte_clear()`) switched
    /// on, nothing else.
    ClearCounterOn,
}

/// A stored way to reach a lesson's goal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Solution {
    /// Take these steps (ids, as in trace files) from the lesson's start.
    Steps(&'static [&'static str]),
    /// Switch these barrier sites off, then explore.
    Explore { off: &'static [Barrier] },
}

impl Wanted {
    pub fn accepts(self, judged: &Judged) -> bool {
        let read = &judged.read;
        match self {
            Wanted::AfterRetry => read.returned && read.retries > 0,
            Wanted::NotPresent => read.returned && judged.verdict == Verdict::NotPresent,
            Wanted::Torn => judged.returned_torn(),
            Wanted::TornValue(value) => judged.returned_torn() && read.value == value,
        }
    }
}

impl Change {
    /// Does `now` differ from `start` exactly as this change says?
    pub fn made(self, start: &Scenario, now: &Scenario) -> bool {
        // The barrier changes leave everything else as it was.
        let barriers_only = || Scenario { barriers: start.barriers, ..now.clone() } == *start;
        match self {
            Change::Nothing => now == start,
            Change::OneBarrierOff => {
                let switched_off = Barrier::ALL
                    .into_iter()
                    .filter(|site| start.barriers.is_on(*site) && !now.barriers.is_on(*site))
                    .count();
                let switched_on = Barrier::ALL
                    .into_iter()
                    .any(|site| !start.barriers.is_on(site) && now.barriers.is_on(site));
                barriers_only() && switched_off == 1 && !switched_on
            }
            Change::EveryBarrierOff => {
                barriers_only()
                    && Program::new(now.clone()).is_ok_and(|program| {
                        program.barrier_sites().into_iter().all(|site| !now.barriers.is_on(site))
                    })
            }
            Change::ClearCounterOn => {
                !start.clear_counter && *now == Scenario { clear_counter: true, ..start.clone() }
            }
        }
    }

    /// Makes the change's scenario option in `scenario` (a barrier change
    /// is made by the solution's sites instead).
    pub fn switch_on(self, scenario: &mut Scenario) {
        match self {
            Change::Nothing | Change::OneBarrierOff | Change::EveryBarrierOff => {}
            Change::ClearCounterOn => scenario.clear_counter = true,
        }
    }
}

impl Goal {
    /// Is the goal met? `start` is the lesson's scenario; `report`, when
    /// given, is "Explore all"'s finished report of `session`'s scenario.
    pub fn met(self, start: &Scenario, session: &Session, report: Option<&Report>) -> bool {
        match self {
            Goal::Read(wanted) => {
                session.scenario() == start
                    && session.completed_reads().any(|judged| wanted.accepts(judged))
            }
            // The report first: the change may compile a program.
            Goal::Explore { change, answer } => {
                report.is_some_and(|report| report.torn().word() == answer)
                    && change.made(start, session.scenario())
            }
        }
    }
}

impl Lesson {
    /// The scenario the lesson starts from.
    pub fn scenario(&self) -> Scenario {
        let preset = catalog::find(self.preset).expect("every lesson names a preset");
        let mut scenario = preset.scenario();
        if let Some(model) = self.model {
            scenario.model = model;
        }
        scenario
    }

    /// The preset the lesson starts from (its id).
    pub fn preset(&self) -> &'static str {
        self.preset
    }

    pub fn met(&self, session: &Session, report: Option<&Report>) -> bool {
        self.goal.met(&self.scenario(), session, report)
    }

    /// The scenario of the stored solution: the lesson's, with its barrier
    /// sites switched off or the option its change asks for switched on.
    pub fn solution_scenario(&self) -> Scenario {
        let mut scenario = self.scenario();
        if let Solution::Explore { off } = self.solution {
            for site in off {
                scenario.barriers.set(*site, false);
            }
        }
        if let Goal::Explore { change, .. } = self.goal {
            change.switch_on(&mut scenario);
        }
        scenario
    }
}

/// Every lesson, in order; lesson n (1-based) is `lessons()[n - 1]`.
pub fn lessons() -> &'static [Lesson] {
    LESSONS
}

/// The lesson numbered `number` (1-based).
pub fn lesson(number: usize) -> Option<&'static Lesson> {
    number.checked_sub(1).and_then(|index| LESSONS.get(index))
}

use messages::{
    ARND_DROP_32BIT_KVM, BEN_GARDON_SHADOW_MMU, JANN_HYPERCALLS, JANN_REPORT, JANN_TWO_CYCLES,
    JANN_TWO_CYCLES_CORRECTION, JASON_BROKEN, JASON_ORDERING, JOHN_HUBBARD, LINUS_COMPILER_BARRIER,
    PETER_WRITE_ONCE,
};

static LESSONS: &[Lesson] = &[
    Lesson {
        id: "reader-loop",
        title: "The reader's loop",
        text: "On 32-bit x86 with PAE a page-table entry is 64 bits, but the kernel's C code \
            reads it as two 32-bit halves. ptep_get_lockless() reads low, smp_rmb(), high, smp_rmb(), low again, and retries \
            while low changed; GUP-fast calls it with interrupts disabled. Jason Gunthorpe: the \
            reader reads low, high, low, while a zap writes low (not present) then high.",
        messages: &[&JASON_ORDERING],
        task: "Make reader 1 retry: let the writer change low between the reader's two reads of \
            low, then let the reader finish.",
        goal: Goal::Read(Wanted::AfterRetry),
        hints: &[
            "Run the reader's irq_off and r0 ← low first.",
            "Run the writer's low ← 0 before the reader re-reads low.",
            "The check sees r0 ≠ r2 and starts the loop again: run it to the end.",
        ],
        solution: Solution::Steps(&[
            "r1.off", "r1.r0", "w1", "r1.r1", "r1.r2", "r1.chk", "r1.r0", "r1.r1", "r1.r2",
            "r1.chk",
        ]),
        taught: "The re-read of low catches a change of the low half between the two reads, \
            and the loop starts again.",
        preset: "kernel",
        model: None,
    },
    Lesson {
        id: "zap-races-read",
        title: "A zap racing a read",
        text: "Jason Gunthorpe's argument is about memory ordering, not IPIs: zap writes low (not \
            present) then high, re-establish writes high then low. A read may return the old \
            PTE, the new one, or anything not present. Here there is no TLB flush at all.",
        messages: &[&JASON_ORDERING],
        task: "Make reader 1 return a value that is not present.",
        goal: Goal::Read(Wanted::NotPresent),
        hints: &[
            "The present bit is bit 0 of the low half; the zap's first store clears it.",
            "Let the writer's low ← 0 run before the reader's first read of low.",
        ],
        solution: Solution::Steps(&["r1.off", "w1", "r1.r0", "r1.r1", "r1.r2", "r1.chk"]),
        taught: "A not-present value is allowed whatever its halves hold: Jason Gunthorpe \
            defines a non-torn read as one the TLB would accept, and a not-present entry maps \
            nothing.",
        preset: "different-low",
        model: None,
    },
    Lesson {
        id: "same-low-none",
        title: "The same low half, no flush",
        text: "Jann Horn: the comment above ptep_get_lockless() assumes a present PTE cannot \
            become non-present and then present again pointing to another page (\"a completely \
            different present page\") without a TLB flush in between. But MADV_DONTNEED racing with an anonymous page fault can re-install a PTE before the \
            zap's flush: \
            zap_pte_range() flushes before dropping the page-table lock only when force_flush \
            is set. Here P1 has P0's low half (on x86 PAE: the same physical address modulo \
            4 GiB, same flags).",
        messages: &[&JANN_REPORT],
        task: "Make reader 1 return a torn value: present, but written by no one.",
        goal: Goal::Read(Wanted::Torn),
        hints: &[
            "Read low before the zap, and high after it.",
            "Establish P1 before the reader re-reads low: its low half is P0's.",
        ],
        solution: Solution::Steps(&[
            "r1.off", "r1.r0", "w1", "w2", "r1.r1", "w3", "w4", "r1.r2", "r1.chk",
        ]),
        taught: "The re-read only sees a change of low: a new PTE with the same low half passes \
            the check with a stale high half.",
        preset: "same-low-none",
        model: None,
    },
    Lesson {
        id: "same-low-ipi",
        title: "The IPI flush held off by interrupts",
        text: "The comment's other assumption: TLB flushes involve IPIs, and GUP-fast runs with \
            interrupts disabled. The native flush (flush_tlb_mm_range()) waits for every CPU it \
            interrupts, so it cannot finish while the reader is inside its loop. Same low half \
            as before, now with that flush between zap and re-establish.",
        messages: &[&JANN_REPORT],
        task: "Try to tear this one. When you give up, press Explore all: the explorer visits \
            every interleaving and proves that no read tears.",
        goal: Goal::Explore { change: Change::Nothing, answer: Torn::Never },
        hints: &[
            "The flush stays blocked while reader 1 has interrupts off.",
            "So a reader that read P0's low returns before P1 is established. Press Explore all.",
        ],
        solution: Solution::Explore { off: &[] },
        taught: "An IPI flush that waits for the reader prevents the same-low tear, and an \
            exhaustive search, not a lucky schedule, proves it.",
        preset: "same-low-ipi",
        model: None,
    },
    Lesson {
        id: "same-low-paravirt",
        title: "Paravirt flushes",
        text: "Jann Horn, against the IPI assumption: under a hypervisor a remote flush need not \
            interrupt the reader's CPU. In a later reply he named Hyper-V and Xen, which flush by \
            hypercall. KVM's kvm_flush_tlb_multi() (arch/x86/kernel/kvm.c) skips a preempted \
            vCPU and has the host flush it when it next runs: exactly a vCPU descheduled in the \
            middle of GUP-fast. John Hubbard agreed the comment is wrong for this reason.",
        messages: &[&JANN_REPORT, &JANN_HYPERCALLS, &JOHN_HUBBARD],
        task: "Make reader 1 return a torn value, although the writer flushes.",
        goal: Goal::Read(Wanted::Torn),
        hints: &[
            "The flush no longer waits: run it while reader 1 has interrupts off.",
            "Then play the same-low tear of lesson 3.",
        ],
        solution: Solution::Steps(&[
            "r1.off", "r1.r0", "w1", "w2", "r1.r1", "w3", "w4", "w5", "r1.r2", "r1.chk",
        ]),
        taught: "A flush that does not wait for the reader protects nothing: the interrupts-off \
            wait held the writer off, not the flush itself.",
        preset: "same-low-paravirt",
        model: None,
    },
    Lesson {
        id: "jann-two-cycles",
        title: "Jann Horn's two cycles",
        text: "Jann Horn's counterexample (value corrected in a follow-up): the PTE maps \
            0x0001000100010000; the reader reads low; it is zapped and 0x0001000200020000 \
            installed; the reader reads high; it is zapped again and 0x0001000300010000 \
            installed; the re-read of low matches. The reader returns 0x0001000200010000, never \
            in the PTE. Here the values carry the flags 0x067; no flush. Jason Gunthorpe: \"It \
            does seem broken then\".",
        messages: &[&JANN_TWO_CYCLES, &JANN_TWO_CYCLES_CORRECTION, &JASON_BROKEN],
        task: "Make reader 1 return Jann's value, 0x0001000200010067.",
        goal: Goal::Read(Wanted::TornValue(Pte(0x0001_0002_0001_0067))),
        hints: &[
            "Read P0's low, then let the writer zap and establish P1.",
            "Read P1's high, then let the second cycle finish before the re-read of low.",
        ],
        solution: Solution::Steps(&[
            "r1.off", "r1.r0", "w1", "w2", "w3", "w4", "r1.r1", "w5", "w6", "w7", "w8", "r1.r2",
            "r1.chk",
        ]),
        taught: "Two cycles defeat the check even when each new low half differs from the one \
            before: low can change and change back.",
        preset: "jann-two-cycles",
        model: None,
    },
    Lesson {
        id: "mips-sh",
        title: "MIPS and SH clear high first",
        text: "MIPS32 with 64-bit physical addresses and SH with X2TLB keep the present bit in \
            the low half, but clear a PTE with pte_clear(), which stores an empty entry high half \
            first (MIPS may keep _PAGE_GLOBAL). (From the arch headers; the thread did not \
            discuss it. Jann Horn noted that MIPS and SH \"don't define \
            arch_cmpxchg_double()\".) The flush is an IPI and P1's low half differs.",
        messages: &[&JANN_REPORT],
        task: "Make reader 1 return a torn value, with the IPI flush and a different low half.",
        goal: Goal::Read(Wanted::Torn),
        hints: &[
            "Read low while P0 is still present.",
            "Let the clear zero high, read it, and re-read low before the clear reaches low.",
        ],
        solution: Solution::Steps(&["r1.off", "r1.r0", "w1", "r1.r1", "r1.r2", "r1.chk"]),
        taught: "Clearing the other half before the present bit leaves a present, half-written \
            entry in memory: neither the IPI flush nor a different low half helps.",
        preset: "mips-sh",
        model: None,
    },
    Lesson {
        id: "present-high",
        title: "The present bit in the high half",
        text: "Jason Gunthorpe: \"I did not check that the present bit is properly placed in the \
            right low/high\". x86 clears low first and sets it last because its present bit is \
            bit 0 of low. Here the present bit is bit 32, in the high half, and the writer keeps \
            the x86 orders; no flush.",
        messages: &[&JASON_ORDERING],
        task: "Make reader 1 return a torn value.",
        goal: Goal::Read(Wanted::Torn),
        hints: &[
            "The zap clears low first, but the entry stays present until high is cleared.",
            "Read low after the zap's first store and high before its second.",
        ],
        solution: Solution::Steps(&["r1.off", "w1", "r1.r0", "r1.r1", "r1.r2", "r1.chk"]),
        taught: "The write orders are right for one place of the present bit only: clear its \
            half first, set it last.",
        preset: "present-high-x86-order",
        model: None,
    },
    Lesson {
        id: "tso",
        title: "x86-TSO: the barriers are for the compiler",
        text: "Under x86-TSO the CPU keeps stores in order with stores and loads with loads. On \
            x86 smp_wmb() and smp_rmb() are compiler barriers only: they are there for the \
            compiler, which may reorder plain accesses or reuse a value it loaded. When Peter \
            Zijlstra made native_set_pte() use WRITE_ONCE() (October 2022), Linus Torvalds \
            replied that its smp_wmb() \"was really only ever there as a compiler barrier\". \
            Here: x86-TSO, the kernel's barriers, no flush, the plain accesses of v6.0.",
        messages: &[&JASON_ORDERING, &LINUS_COMPILER_BARRIER, &PETER_WRITE_ONCE],
        task: "Switch every barrier off, then press Explore all: show that a read can tear \
            although the CPU keeps the order.",
        goal: Goal::Explore { change: Change::EveryBarrierOff, answer: Torn::Sometimes },
        hints: &[
            "Each smp_wmb() and smp_rmb() line has a switch.",
            "Switch off the four that are on, then press Explore all.",
        ],
        solution: Solution::Explore {
            off: &[
                Barrier::ZapWmb1,
                Barrier::EstablishWmb1,
                Barrier::ReaderRmb1,
                Barrier::ReaderRmb2,
            ],
        },
        taught: "On x86 the CPU keeps the order and the compiler does not: the barriers, or \
            READ_ONCE() and WRITE_ONCE(), keep the compiler honest.",
        preset: "different-low",
        model: Some(MemoryModel::Tso),
    },
    Lesson {
        id: "weak",
        title: "The weak model, one barrier at a time",
        text: "On a weakly ordered CPU such as ARMv8 a thread may perform its accesses out of \
            program order unless a barrier orders them (POWER reorders as much, and with one \
            writer and readers that only read it behaves the same here). The kernel has one smp_wmb() between the \
            two stores of each update and one smp_rmb() after each of the reader's first two \
            loads; the trailing wmbs of Jason Gunthorpe's sketch are not in the kernel.",
        messages: &[&JASON_ORDERING],
        task: "Find a barrier whose removal lets a read tear: switch one off, then press \
            Explore all.",
        goal: Goal::Explore { change: Change::OneBarrierOff, answer: Torn::Sometimes },
        hints: &[
            "Only the four sites that are on can matter.",
            "Any one of them will do; try the reader's first smp_rmb().",
        ],
        solution: Solution::Explore { off: &[Barrier::ReaderRmb1] },
        taught: "Under a weak model each of the kernel's four barriers is load-bearing: without \
            any one of them a read can tear.",
        preset: "different-low",
        model: Some(MemoryModel::Weak),
    },
    Lesson {
        id: "kvm-clear-counter",
        title: "How KVM caught the same low half",
        text: "KVM met the same low half in July 2011 (Linux 3.1). On a 32-bit host its shadow MMU reads an spte \
            with __get_spte_lockless(): the same low, high, low loop, interrupts off. Xiao \
            Guangrong's \"KVM: MMU: lockless walking shadow page table\" (commit c2a2ac2b563c) \
            added a clear counter: the writer bumps sp->clear_spte_count after every clear, and \
            the reader retries if it changed. Here the writer does not bump it: x86-TSO, same \
            low half, no flush.",
        messages: &[&BEN_GARDON_SHADOW_MMU, &ARND_DROP_32BIT_KVM],
        task: "Switch the writer's clear counter on, then press Explore all: show that no read \
            tears.",
        goal: Goal::Explore { change: Change::ClearCounterOn, answer: Torn::Never },
        hints: &[
            "Without the counter this is lesson 3's tear: the re-read of low cannot see a zap \
             and re-establish that keep the low half.",
            "Tick the editor's Clear counter, then press Explore all.",
        ],
        solution: Solution::Explore { off: &[] },
        taught: "A count the writer bumps on every clear sees what the low half cannot: a zap \
            between the reader's two reads. On x86, whose loads keep their order, that closes \
            the same-low hole.",
        preset: "kvm-spte-no-clear-counter",
        model: Some(MemoryModel::Tso),
    },
];
