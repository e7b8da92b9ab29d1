//! The operator's slip that gives a visitor the reason their request was
//! rejected.

use jiff::civil::DateTime;

use crate::printer::documents::format_date_time;
use crate::printer::escpos::Job;
use crate::printer::layout::{Layout, Style};
use crate::printer::profile::Profile;

/// A rejection slip as the operator console prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectionSlip {
    pub center_name: String,
    /// Reason in plain Russian, as the operator console words it.
    pub reason: String,
    /// Next step for the visitor in plain Russian, if there is one.
    pub next_step: Option<String>,
    /// Local date and time of the decision.
    pub decided_at: DateTime,
    pub window: String,
    pub operator_number: String,
}

impl RejectionSlip {
    /// Lays the slip out for `profile`.
    pub fn to_job(&self, profile: &Profile) -> Job {
        let mut layout = Layout::new(profile);
        layout
            .paragraph(&self.center_name, Style::CENTER.bold())
            .rule()
            .paragraph("Личность не подтверждена", Style::CENTER.bold())
            .paragraph("Причина:", Style::NORMAL.bold())
            .paragraph(&self.reason, Style::NORMAL);
        if let Some(next_step) = &self.next_step {
            layout
                .paragraph("Что делать:", Style::NORMAL.bold())
                .paragraph(next_step, Style::NORMAL);
        }
        layout
            .rule()
            .paragraph(
                &format!("Окно {}, оператор {}", self.window, self.operator_number),
                Style::NORMAL,
            )
            .single_line(&format_date_time(self.decided_at), Style::NORMAL);
        layout.finish()
    }
}
