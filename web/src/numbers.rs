//! The numbers on the code lines that can run next (keys 1–9). A number
//! belongs to its line for as long as the line is offered: when a line of
//! another thread runs or blocks, no other number moves. The numbers freed
//! by lines that ran go to the lines newly offered, lowest first, in the
//! page's order. Pure: a function of the program and the steps taken, so
//! undo gives the numbers back as they were.

use pte_core::{short_sort, Program, Step};

/// The lines offered after `trace` (the core's candidates, enabled or
/// blocked) with their numbers, lowest number first.
pub fn line_numbers(program: &Program, trace: &[Step]) -> Vec<(Step, usize)> {
    let mut state = program.initial();
    let mut offered = Vec::new();
    program.candidates(&state, &mut offered);
    let mut numbered: Vec<(Step, usize)> =
        offered.iter().enumerate().map(|(index, step)| (*step, index + 1)).collect();
    for step in trace {
        let Ok((next, _)) = program.apply(&state, *step) else { break };
        state = next;
        program.candidates(&state, &mut offered);
        numbered.retain(|(kept, _)| offered.contains(kept));
        for step in &offered {
            if numbered.iter().all(|(known, _)| known != step) {
                let free = (1..)
                    .find(|number| numbered.iter().all(|(_, taken)| taken != number))
                    .expect("a free number");
                numbered.push((*step, free));
            }
        }
    }
    short_sort::sort_by_key(&mut numbered, |(_, number)| *number);
    numbered
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use pte_core::{catalog, MemoryModel, ReaderAction, Register, Scenario};

    use super::*;

    fn reader(action: ReaderAction) -> Step {
        Step::Reader { reader: 0, action }
    }

    #[test]
    fn under_sc_each_thread_keeps_its_number_as_it_moves_on() {
        let program = Program::new(Scenario::kernel()).unwrap();
        assert_eq!(
            line_numbers(&program, &[]),
            [(Step::Writer(0), 1), (reader(ReaderAction::IrqOff), 2)]
        );
        let trace = [Step::Writer(0), reader(ReaderAction::IrqOff), Step::Writer(1)];
        assert_eq!(
            line_numbers(&program, &trace),
            [(Step::Writer(2), 1), (reader(ReaderAction::Load(Register::R0)), 2)]
        );
    }

    #[test]
    fn a_blocked_flush_keeps_its_number_and_so_does_the_reader() {
        // The case: with the reader's interrupts off, the IPI flush
        // (w3) blocks; the reader's line must stay number 2.
        let program = Program::new(Scenario::kernel()).unwrap();
        let trace = [Step::Writer(0), Step::Writer(1), reader(ReaderAction::IrqOff)];
        let numbers = line_numbers(&program, &trace);
        assert_eq!(numbers, [(Step::Writer(2), 1), (reader(ReaderAction::Load(Register::R0)), 2)]);
        assert!(program.check(&program.initial(), Step::Writer(2)).is_err());
    }

    #[test]
    fn under_tso_the_drain_takes_a_free_number_without_moving_the_reader() {
        let scenario = Scenario { model: MemoryModel::Tso, ..Scenario::kernel() };
        let program = Program::new(scenario).unwrap();
        let numbers = line_numbers(&program, &[Step::Writer(0)]);
        assert_eq!(
            numbers,
            [(Step::Writer(1), 1), (reader(ReaderAction::IrqOff), 2), (Step::Drain, 3)]
        );
    }

    #[test]
    fn under_the_weak_model_a_performed_line_frees_its_number_for_new_lines() {
        let program = Program::new(catalog::find("weak-no-rmb1").unwrap().scenario()).unwrap();
        let start = line_numbers(&program, &[]);
        assert_eq!(start.len(), 5, "four writer accesses and irq_off: {start:?}");
        let after = line_numbers(&program, &[reader(ReaderAction::IrqOff)]);
        // The writer's numbers stay; irq_off's 5 goes to r0, the rest follow.
        assert_eq!(&after[..4], &start[..4]);
        assert_eq!(after[4], (reader(ReaderAction::Load(Register::R0)), 5));
        assert_eq!(after.len(), 8);
        // The zap's low store runs: its number 1 is free, the others stay.
        let after_w1 = line_numbers(&program, &[reader(ReaderAction::IrqOff), Step::Writer(0)]);
        assert_eq!(after_w1, after[1..]);
        // The loop's check runs last; irq_on, newly offered, takes number 1.
        let loop_done = [
            reader(ReaderAction::IrqOff),
            Step::Writer(0),
            reader(ReaderAction::Load(Register::R1)),
            reader(ReaderAction::Load(Register::R0)),
            reader(ReaderAction::Load(Register::R2)),
            reader(ReaderAction::Check),
        ];
        let numbers = line_numbers(&program, &loop_done);
        assert_eq!(numbers[0], (reader(ReaderAction::IrqOn), 1));
        assert_eq!(&numbers[1..], &start[1..4]);
    }
}
