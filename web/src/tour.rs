//! The guided tour as page state (pure, reduced inside
//! [`crate::state::AppState`]): which lesson of [`pte_core::tour`] is open,
//! how many of its hints are shown, whether its goal was met, and which
//! lessons are done. The lessons themselves and their goals are the core's;
//! the record of lessons done is kept in the browser by an effect in
//! `app.rs`, as the text [`Tour::progress_text`] writes.

use pte_core::tour::{self, Lesson};

/// The key under which the browser keeps the lessons done.
pub const PROGRESS_KEY: &str = "pte-explorer:tour";

/// The lesson open in the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenLesson {
    /// 1-based, as in `#lesson=3`.
    pub number: usize,
    /// How many hints are shown.
    pub hints: usize,
    /// The goal was met since the lesson was opened.
    pub met: bool,
}

impl OpenLesson {
    pub fn new(number: usize) -> OpenLesson {
        OpenLesson { number, hints: 0, met: false }
    }

    pub fn lesson(&self) -> &'static Lesson {
        tour::lesson(self.number).expect("an open lesson exists")
    }
}

/// Where the tour stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tour {
    /// Bit n - 1 set: lesson n is done.
    pub done: u32,
    pub open: Option<OpenLesson>,
    /// The list of lessons is unfolded (a link to a lesson that does not
    /// exist unfolds it).
    pub list_open: bool,
}

/// What the person does with the tour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TourAction {
    /// Opens lesson n (1-based) at its start.
    Open(usize),
    Close,
    /// Shows the next hint.
    Hint,
    /// Replays the lesson's stored solution through the stepper.
    ShowMe,
    /// Forgets every lesson done.
    Reset,
    /// Puts the open lesson's scenario back after the person changed it
    /// (the reducer loads it).
    RestoreScenario,
}

impl Tour {
    /// The tour with the lessons done that `text` (as the browser kept it) names.
    pub fn with_progress(text: &str) -> Tour {
        let done = text
            .split(',')
            .filter_map(|id| tour::lessons().iter().position(|lesson| lesson.id == id.trim()))
            .fold(0, |done, index| done | 1 << index);
        Tour { done, ..Tour::default() }
    }

    /// The lessons done as the browser keeps them: their ids, by commas, so
    /// that a later tour with lessons added or moved keeps them.
    pub fn progress_text(&self) -> String {
        let ids: Vec<&str> = tour::lessons()
            .iter()
            .enumerate()
            .filter(|(index, _)| self.is_done(index + 1))
            .map(|(_, lesson)| lesson.id)
            .collect();
        ids.join(",")
    }

    pub fn is_done(&self, number: usize) -> bool {
        number.checked_sub(1).is_some_and(|index| index < 32 && self.done & (1 << index) != 0)
    }

    pub fn done_count(&self) -> usize {
        self.done.count_ones() as usize
    }

    /// Marks the open lesson's goal met and the lesson done.
    pub fn complete_open_lesson(&mut self) {
        if let Some(open) = &mut self.open {
            open.met = true;
            self.done |= 1 << (open.number - 1);
        }
    }

    /// Applies what needs no session: hints, closing, forgetting.
    pub fn apply(&mut self, action: TourAction) {
        match action {
            TourAction::Open(number) => {
                if tour::lesson(number).is_some() {
                    self.open = Some(OpenLesson::new(number));
                    self.list_open = false;
                }
            }
            TourAction::Close => self.open = None,
            TourAction::Hint => {
                if let Some(open) = &mut self.open {
                    open.hints = (open.hints + 1).min(open.lesson().hints.len());
                }
            }
            TourAction::Reset => {
                self.done = 0;
                if let Some(open) = &mut self.open {
                    open.met = false;
                }
            }
            // The reducer replays the solution in the session.
            TourAction::ShowMe | TourAction::RestoreScenario => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_by_lesson_id() {
        let mut tour = Tour::default();
        tour.apply(TourAction::Open(3));
        tour.complete_open_lesson();
        tour.apply(TourAction::Open(1));
        tour.complete_open_lesson();
        assert_eq!(tour.progress_text(), "reader-loop,same-low-none");
        let kept = Tour::with_progress(&tour.progress_text());
        assert_eq!(kept.done, tour.done);
        assert!(kept.is_done(1) && kept.is_done(3) && !kept.is_done(2));
        assert_eq!(kept.done_count(), 2);
        // Unknown ids (a lesson since removed) and junk are skipped.
        assert_eq!(Tour::with_progress("gone, same-low-none ,,x").done, 1 << 2);
        tour.apply(TourAction::Reset);
        assert_eq!(tour.progress_text(), "");
        assert!(!tour.open.unwrap().met);
    }

    #[test]
    fn hints_come_one_at_a_time_up_to_the_last() {
        let mut tour = Tour::default();
        tour.apply(TourAction::Hint);
        assert_eq!(tour.open, None);
        tour.apply(TourAction::Open(2));
        let count = tour.open.unwrap().lesson().hints.len();
        for _ in 0..count + 2 {
            tour.apply(TourAction::Hint);
        }
        assert_eq!(tour.open.unwrap().hints, count);
        tour.apply(TourAction::Open(99));
        assert_eq!(tour.open.unwrap().number, 2, "no lesson 99");
    }
}
