//! The operator's slip with the code that finishes identity confirmation on
//! the portal.

use jiff::civil::DateTime;

use crate::printer::documents::format_date_time;
use crate::printer::escpos::Job;
use crate::printer::layout::{Layout, Style};
use crate::printer::profile::Profile;

/// How to enter the code on the portal, one step per paragraph.
pub const PORTAL_STEPS: [&str; 3] = [
    "1. Войдите на сайт gosuslugi.ru или в приложение «Госуслуги».",
    "2. Откройте уведомление о подтверждении личности.",
    "3. Введите код до окончания срока действия.",
];

/// A confirmation code slip as the operator console prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationSlip {
    pub center_name: String,
    /// The confirmation code; it is personal data and never logged.
    pub code: String,
    /// Local date and time after which the code is no longer accepted.
    pub expires_at: DateTime,
    pub window: String,
    pub operator_number: String,
}

impl ConfirmationSlip {
    /// Lays the slip out for `profile`.
    pub fn to_job(&self, profile: &Profile) -> Job {
        let mut layout = Layout::new(profile);
        layout
            .paragraph(&self.center_name, Style::CENTER.bold())
            .rule()
            .paragraph("Код подтверждения личности", Style::CENTER)
            .fitted_line(&self.code, 3, Style::CENTER.bold())
            .paragraph(
                &format!("Действует до {}", format_date_time(self.expires_at)),
                Style::CENTER,
            )
            .paragraph(
                &format!("Окно {}, оператор {}", self.window, self.operator_number),
                Style::CENTER,
            )
            .rule()
            .paragraph("Как ввести код:", Style::NORMAL.bold());
        for step in PORTAL_STEPS {
            layout.paragraph(step, Style::NORMAL);
        }
        layout.paragraph("Никому не сообщайте этот код.", Style::NORMAL.bold());
        layout.finish()
    }
}
