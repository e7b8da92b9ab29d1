//! The console's seam to the window's slip printer: which slip to print,
//! and the faults the operator can fix.
//!
//! Laying a slip out in ESC/POS and talking to the printer belong to
//! `hardware::printer`; until it is merged, [`RecordingPrinter`] keeps the
//! slips in memory so tests can read them.

use std::sync::{Mutex, PoisonError};

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
        /// The standard reason and the operator's comment, in Russian.
        reason: String,
    },
}

/// What a code slip carries.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeSlip {
    pub ticket: String,
    pub window: u16,
    pub code: String,
    /// End of validity in the center's local time, `ДД.ММ.ГГГГ ЧЧ:ММ`.
    pub expires: String,
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
