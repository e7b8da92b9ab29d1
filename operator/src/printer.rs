//! The console's seam to the window's slip printer: which slip to print,
//! and the faults the operator can fix.
//!
//! [`EscPosPrinter`] prints through `hardware::printer`, which lays the
//! confirmation and rejection slips out and checks the printer's status
//! around each job; the recovery code slip is laid out here with the same
//! layout engine. [`RecordingPrinter`] keeps slips in memory for the demo
//! and the UI tests.

use std::sync::{Mutex, PoisonError};

use hardware::printer::layout::{Layout, Style};
use hardware::printer::{
    ConfirmationSlip, PrintError, Printer, PrinterState, PrinterUri, Profile, RejectionSlip,
};
use jiff::civil::DateTime;

/// A slip handed to the visitor at the window.
#[derive(Clone, PartialEq, Eq)]
pub enum Slip {
    /// The code that finishes identity confirmation (or registration) on
    /// the portal.
    Confirmation(CodeSlip),
    /// The code that restores access to the account.
    RecoveryCode(CodeSlip),
    /// Why the request was rejected, in the words the visitor reads.
    Rejection {
        ticket: String,
        window: u16,
        /// The operator's login, printed so the visitor can name who decided.
        operator: String,
        /// The standard reason and the operator's comment, in Russian.
        reason: String,
        /// When the operator decided, in the center's local time.
        decided_at: DateTime,
    },
}

/// What a code slip carries.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeSlip {
    pub ticket: String,
    pub window: u16,
    /// The operator's login.
    pub operator: String,
    pub code: String,
    /// End of validity in the center's local time.
    pub expires_at: DateTime,
}

impl std::fmt::Debug for Slip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            Slip::Confirmation(_) => "Confirmation",
            Slip::RecoveryCode(_) => "RecoveryCode",
            Slip::Rejection { .. } => "Rejection",
        };
        write!(f, "Slip::{kind} {{ <redacted> }}")
    }
}

/// A printer problem the operator can see and usually fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrinterFault {
    #[error("the printer is out of paper")]
    PaperOut,
    #[error("the printer cover is open")]
    CoverOpen,
    #[error("the printer does not answer")]
    Offline,
    /// Anything else; the detail is for the log and carries no personal data.
    #[error("printing failed: {0}")]
    Other(String),
}

/// Prints slips on the window's printer.
pub trait SlipPrinter: Send + Sync {
    fn print(&self, slip: &Slip) -> Result<(), PrinterFault>;
}

/// A printer that keeps slips in memory and fails on demand.
#[derive(Debug, Default)]
pub struct RecordingPrinter {
    printed: Mutex<Vec<Slip>>,
    fault: Mutex<Option<PrinterFault>>,
}

impl RecordingPrinter {
    /// Makes every print fail with `fault` until it is cleared with `None`.
    pub fn set_fault(&self, fault: Option<PrinterFault>) {
        *self.fault.lock().unwrap_or_else(PoisonError::into_inner) = fault;
    }

    /// Returns the slips printed so far.
    pub fn printed(&self) -> Vec<Slip> {
        self.printed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl SlipPrinter for RecordingPrinter {
    fn print(&self, slip: &Slip) -> Result<(), PrinterFault> {
        if let Some(fault) = self
            .fault
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        {
            return Err(fault);
        }
        self.printed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(slip.clone());
        Ok(())
    }
}

/// The window's ESC/POS slip printer.
#[derive(Debug, Clone)]
pub struct EscPosPrinter {
    printer: Printer,
    center_name: String,
}

/// The printer named in the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PrinterSetupError {
    #[error(transparent)]
    Uri(#[from] hardware::printer::uri::UriError),
    #[error(transparent)]
    Profile(#[from] hardware::printer::profile::ProfileError),
}

/// How to use a recovery code on the portal, one step per paragraph.
const RECOVERY_STEPS: [&str; 3] = [
    "1. Откройте gosuslugi.ru и нажмите «Не удаётся войти».",
    "2. Выберите «Восстановить по коду из МФЦ».",
    "3. Введите код и задайте новый пароль до окончания срока действия.",
];

impl EscPosPrinter {
    /// Builds the printer at `uri` with `profile` (a shipped profile name
    /// such as `generic-80`, or a profile file), heading slips with
    /// `center_name`.
    pub fn new(uri: &str, profile: &str, center_name: &str) -> Result<Self, PrinterSetupError> {
        let uri: PrinterUri = uri.parse()?;
        let profile = Profile::load(profile)?;
        Ok(EscPosPrinter {
            printer: Printer::new(uri, profile),
            center_name: center_name.to_owned(),
        })
    }

    /// Returns the ESC/POS bytes of `slip` as this printer gets them.
    pub fn encode(&self, slip: &Slip) -> Vec<u8> {
        self.job(slip).into_bytes()
    }

    fn job(&self, slip: &Slip) -> hardware::printer::Job {
        let profile = self.printer.profile();
        match slip {
            Slip::Confirmation(code) => ConfirmationSlip {
                center_name: self.center_name.clone(),
                code: code.code.clone(),
                expires_at: code.expires_at,
                window: code.window.to_string(),
                operator_number: code.operator.clone(),
            }
            .to_job(profile),
            Slip::RecoveryCode(code) => self.recovery_job(code),
            Slip::Rejection {
                window,
                operator,
                reason,
                decided_at,
                ..
            } => RejectionSlip {
                center_name: self.center_name.clone(),
                reason: reason.clone(),
                next_step: Some(
                    "Исправьте данные или возьмите нужные документы и обратитесь в МФЦ снова."
                        .to_owned(),
                ),
                decided_at: *decided_at,
                window: window.to_string(),
                operator_number: operator.clone(),
            }
            .to_job(profile),
        }
    }

    fn recovery_job(&self, code: &CodeSlip) -> hardware::printer::Job {
        let mut layout = Layout::new(self.printer.profile());
        layout
            .paragraph(&self.center_name, Style::CENTER.bold())
            .rule()
            .paragraph("Код восстановления доступа", Style::CENTER)
            .fitted_line(&code.code, 3, Style::CENTER.bold())
            .paragraph(
                &format!(
                    "Действует до {}",
                    code.expires_at.strftime("%d.%m.%Y %H:%M")
                ),
                Style::CENTER,
            )
            .paragraph(
                &format!("Окно {}, оператор {}", code.window, code.operator),
                Style::CENTER,
            )
            .rule()
            .paragraph("Как восстановить доступ:", Style::NORMAL.bold());
        for step in RECOVERY_STEPS {
            layout.paragraph(step, Style::NORMAL);
        }
        layout.paragraph("Никому не сообщайте этот код.", Style::NORMAL.bold());
        layout.finish()
    }
}

impl SlipPrinter for EscPosPrinter {
    fn print(&self, slip: &Slip) -> Result<(), PrinterFault> {
        match self.printer.print(&self.job(slip)) {
            Ok(report) => {
                tracing::info!(printer = %self.printer.uri(), bytes = report.bytes_sent, "slip printed");
                Ok(())
            }
            Err(error) => {
                tracing::warn!(printer = %self.printer.uri(), cause = %error, "slip not printed");
                Err(fault(&error))
            }
        }
    }
}

/// Sorts a print error into what the operator can fix.
fn fault(error: &PrintError) -> PrinterFault {
    match error.state() {
        Some(PrinterState::PaperOut) => PrinterFault::PaperOut,
        Some(PrinterState::CoverOpen) => PrinterFault::CoverOpen,
        Some(PrinterState::NoAnswer { .. }) | None => PrinterFault::Offline,
        Some(_) => PrinterFault::Other(error.message_ru()),
    }
}
