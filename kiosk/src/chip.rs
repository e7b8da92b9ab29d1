//! The seam the card layer drives to read a passport chip during a
//! session. The kiosk asks for a read with the document data already typed
//! and shows the outcome; the reading itself belongs to the `hardware`
//! crate.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use domain::sync::ChipResult;

use slint::ComponentHandle;
use ui::{ChipAdapter, ChipFailure, ChipState, KioskWindow};

pub use crate::chip_pcsc::{PcscChipReader, DEFAULT_CARD_WAIT};

/// The typed values a chip's access keys are derived from: the biometric
/// passport's number and expiry date from the chip step's form, the date
/// of birth from the entry steps.
///
/// `Debug` leaves the values out: they are personal data.
#[derive(Clone)]
pub struct ChipKeys {
    /// Biometric passport number as typed and checked, nine digits.
    pub document_number: String,
    /// Date of birth as typed, `ДД.ММ.ГГГГ`.
    pub birth_date: String,
    /// The biometric passport's expiry date as typed, `ДД.ММ.ГГГГ`.
    pub expiry_date: String,
}

impl ChipKeys {
    /// Returns the Basic Access Control input, or `None` when a value does
    /// not parse (the form checks them before a read starts).
    pub fn bac_input(&self) -> Option<domain::mrz::BacInput> {
        use domain::date::{parse_date, DateField};
        let birth = parse_date(&self.birth_date, DateField::BirthDate).ok()?;
        let expiry = parse_date(&self.expiry_date, DateField::PassportIssueDate).ok()?;
        domain::travel_passport::bac_input(&self.document_number, birth, expiry).ok()
    }
}

impl fmt::Debug for ChipKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChipKeys { .. }")
    }
}

/// How a read ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChipOutcome {
    Read,
    NoReader,
    NoDocument,
    AccessDenied,
    DataMismatch,
    Failed,
    /// The document left the reader during the read.
    CardRemoved,
    /// The reader disappeared or pcscd stopped.
    ReaderGone,
}

/// Reads a passport chip.
pub trait ChipReader {
    /// Starts a read and returns at once; the outcome goes to `reply`,
    /// from this thread or any other.
    fn read(&self, keys: ChipKeys, reply: ChipReply);

    /// Returns true when a reader is configured, so the chip step is offered.
    fn available(&self) -> bool {
        true
    }
}

/// The data of one read, handed from the reader's thread to the session.
pub(crate) type ChipSlot = Arc<Mutex<Option<ChipResult>>>;

/// The travel passport number and expiry date the visitor typed for a
/// read, checked by the `domain` rules. They go with the chip's data so
/// the operator can compare them with the zone the chip returned.
#[derive(Clone)]
pub(crate) struct TypedAccess {
    pub document_number: String,
    pub expiry_date: jiff::civil::Date,
}

/// The destination of a read's outcome: the kiosk window on its event loop,
/// and for a successful read, the session that stores the chip's data.
pub struct ChipReply {
    window: slint::Weak<KioskWindow>,
    slot: ChipSlot,
    typed: TypedAccess,
}

impl ChipReply {
    pub(crate) fn new(
        window: slint::Weak<KioskWindow>,
        slot: ChipSlot,
        typed: TypedAccess,
    ) -> Self {
        ChipReply {
            window,
            slot,
            typed,
        }
    }

    /// Reports a successful read whose data go with the request, together
    /// with the typed values the read was started with.
    pub fn send_read(self, mut result: ChipResult) {
        result.typed_document_number = Some(self.typed.document_number.clone());
        result.typed_expiry_date = Some(self.typed.expiry_date);
        *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
        self.send(ChipOutcome::Read);
    }

    /// Shows `outcome` on the chip screen and records it in the session.
    pub fn send(self, outcome: ChipOutcome) {
        let (state, failure) = match outcome {
            ChipOutcome::Read => (ChipState::Success, ChipFailure::None),
            ChipOutcome::NoReader => (ChipState::Failed, ChipFailure::NoReader),
            ChipOutcome::NoDocument => (ChipState::Failed, ChipFailure::NoDocument),
            ChipOutcome::AccessDenied => (ChipState::Failed, ChipFailure::AccessDenied),
            ChipOutcome::DataMismatch => (ChipState::Failed, ChipFailure::DataMismatch),
            ChipOutcome::Failed => (ChipState::Failed, ChipFailure::Other),
            ChipOutcome::CardRemoved => (ChipState::Failed, ChipFailure::CardRemoved),
            ChipOutcome::ReaderGone => (ChipState::Failed, ChipFailure::ReaderGone),
        };

        // `upgrade` succeeds only on the UI thread; from any other the
        // outcome travels through the event loop.
        if let Some(window) = self.window.upgrade() {
            window
                .global::<ChipAdapter>()
                .invoke_read_finished(state, failure);
            return;
        }
        let sent = self.window.upgrade_in_event_loop(move |window| {
            window
                .global::<ChipAdapter>()
                .invoke_read_finished(state, failure);
        });
        if let Err(err) = sent {
            tracing::warn!(cause = %err, "chip outcome dropped: the event loop has ended");
        }
    }
}

/// A kiosk with no card reader configured: every read reports no reader.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoReader;

impl ChipReader for NoReader {
    fn available(&self) -> bool {
        false
    }

    fn read(&self, _keys: ChipKeys, reply: ChipReply) {
        reply.send(ChipOutcome::NoReader);
    }
}
