//! The outcome of each scripted step, and the short summary printed at the
//! end of a demo run. Details name numbers, states and files, never a
//! visitor's values (the ticket number and the slip's code are the
//! exception the person running the demo asked to see).

use std::fmt;

/// How one step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    Done(String),
    /// Not run, with the reason (a missing part, for example).
    Skipped(String),
    Failed(String),
}

/// Every step in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub steps: Vec<(String, StepOutcome)>,
}

impl Report {
    pub fn done(&mut self, step: &str, detail: impl Into<String>) {
        self.steps
            .push((step.to_owned(), StepOutcome::Done(detail.into())));
    }

    pub fn skipped(&mut self, step: &str, reason: impl Into<String>) {
        self.steps
            .push((step.to_owned(), StepOutcome::Skipped(reason.into())));
    }

    pub fn failed(&mut self, step: &str, error: impl fmt::Display) {
        self.steps
            .push((step.to_owned(), StepOutcome::Failed(error.to_string())));
    }

    /// True when no step failed or was skipped.
    pub fn all_done(&self) -> bool {
        self.steps
            .iter()
            .all(|(_, outcome)| matches!(outcome, StepOutcome::Done(_)))
    }

    /// True when no step failed; skipped steps are reported, not failures.
    pub fn no_failures(&self) -> bool {
        !self
            .steps
            .iter()
            .any(|(_, outcome)| matches!(outcome, StepOutcome::Failed(_)))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (step, outcome) in &self.steps {
            let (mark, detail) = match outcome {
                StepOutcome::Done(detail) => ("ok  ", detail),
                StepOutcome::Skipped(reason) => ("skip", reason),
                StepOutcome::Failed(error) => ("FAIL", error),
            };
            writeln!(f, "  [{mark}] {step}: {detail}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_with_skipped_step_is_incomplete() {
        let mut report = Report::default();
        report.done("kiosk", "ticket Р-001");
        assert!(report.all_done());
        report.skipped("chip", "no reader");
        assert!(!report.all_done());
        assert_eq!(
            report.to_string(),
            "  [ok  ] kiosk: ticket Р-001\n  [skip] chip: no reader\n"
        );
    }
}
