//! The visitor's queue ticket.

use jiff::civil::DateTime;

use crate::printer::documents::format_date_time;
use crate::printer::escpos::{Job, QrErrorCorrection};
use crate::printer::layout::{Layout, QrLayoutError, Style};
use crate::printer::profile::Profile;

/// First instruction line under the QR code.
pub const INSTRUCTION_WAIT: &str = "Ожидайте вызова номера на табло.";
/// Second instruction line under the QR code.
pub const INSTRUCTION_KEEP: &str = "Сохраните талон до конца приёма.";

/// A queue ticket as the kiosk prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueTicket {
    pub center_name: String,
    /// Ticket number as called on the display, such as `П-042`.
    pub number: String,
    pub service: String,
    /// Local date and time of issue at the center.
    pub issued_at: DateTime,
    pub people_ahead: u32,
    pub estimated_wait_minutes: u32,
    /// Signed QR payload, from `domain::ticket_qr`.
    pub qr_payload: String,
}

impl QueueTicket {
    /// Lays the ticket out for `profile`.
    pub fn to_job(&self, profile: &Profile) -> Result<Job, QrLayoutError> {
        let mut layout = Layout::new(profile);
        layout
            .paragraph(&self.center_name, Style::CENTER.bold())
            .rule()
            .single_line("Ваш номер в очереди", Style::CENTER)
            .fitted_line(&self.number, 3, Style::CENTER.bold())
            .paragraph(&self.service, Style::CENTER)
            .single_line(&format_date_time(self.issued_at), Style::CENTER)
            .rule()
            .paragraph(&people_ahead_text(self.people_ahead), Style::NORMAL)
            .paragraph(
                &format!("Примерное ожидание: {} мин.", self.estimated_wait_minutes),
                Style::NORMAL,
            );
        layout.qr(&self.qr_payload, QrErrorCorrection::M)?;
        layout
            .paragraph(INSTRUCTION_WAIT, Style::CENTER)
            .paragraph(INSTRUCTION_KEEP, Style::CENTER);
        Ok(layout.finish())
    }
}

fn people_ahead_text(people: u32) -> String {
    if people == 0 {
        "Перед вами никого нет".to_owned()
    } else {
        format!("Перед вами: {people} чел.")
    }
}
