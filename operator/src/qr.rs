//! The console's seam to the ticket QR check: a USB scanner types the QR
//! text into the scan field, and the console asks a [`QrVerifier`] which
//! ticket it names.
//!
//! The signed payload and its verification belong to `domain::ticket_qr`;
//! [`SignedQrVerifier`] applies them with the center's key and adds the
//! console's own rule that a ticket serves on the day it was issued.
//! [`NoQrVerifier`] stands in when no key is configured.

use std::path::{Path, PathBuf};

use domain::ticket_qr::{TicketQr, TicketQrKey, VerifyError};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

/// Why a scanned text does not name a ticket to serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// Not an Okno ticket payload at all.
    #[error("the text is not a ticket QR payload")]
    Malformed,
    /// The signature does not match: forged, altered or from another center.
    #[error("the ticket QR signature does not match")]
    Forged,
    /// Genuine, but issued on another day.
    #[error("the ticket QR has expired")]
    Expired,
    /// Genuine, but issued later than now: a kiosk's or this console's
    /// clock is wrong.
    #[error("the ticket QR was issued in the future")]
    IssuedInFuture,
}

/// Checks a scanned ticket QR text at instant `now` and returns the ticket id.
pub trait QrVerifier: Send + Sync {
    fn verify(&self, text: &str, now: Timestamp) -> Result<Uuid, QrError>;
}

/// A verifier for a console without the QR key: every scan is reported as
/// not an Okno ticket.
#[derive(Debug, Default)]
pub struct NoQrVerifier;

impl QrVerifier for NoQrVerifier {
    fn verify(&self, _text: &str, _now: Timestamp) -> Result<Uuid, QrError> {
        Err(QrError::Malformed)
    }
}

/// Checks ticket QR payloads with the center's key.
#[derive(Debug, Clone)]
pub struct SignedQrVerifier {
    key: TicketQrKey,
    time_zone: TimeZone,
}

/// The ticket QR key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum QrKeyError {
    #[error("cannot read the ticket QR key file {path}: {source}; check `ticket_qr_key_file` in the configuration")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the ticket QR key file {path} does not hold a key of at least {} bytes in hex; copy the center's key into it", domain::ticket_qr::MIN_KEY_LEN)]
    Invalid { path: PathBuf },
}

impl SignedQrVerifier {
    /// Builds a verifier for tickets of a center in `time_zone`.
    pub fn new(key: TicketQrKey, time_zone: TimeZone) -> Self {
        SignedQrVerifier { key, time_zone }
    }

    /// Reads the key from a file holding it in hex (surrounding whitespace
    /// ignored).
    pub fn from_key_file(path: &Path, time_zone: TimeZone) -> Result<Self, QrKeyError> {
        let text = std::fs::read_to_string(path).map_err(|source| QrKeyError::Read {
            path: path.to_owned(),
            source,
        })?;
        let invalid = || QrKeyError::Invalid {
            path: path.to_owned(),
        };
        let bytes = hex::decode(text.trim()).map_err(|_| invalid())?;
        let key = TicketQrKey::new(&bytes).map_err(|_| invalid())?;
        Ok(SignedQrVerifier::new(key, time_zone))
    }
}

impl QrVerifier for SignedQrVerifier {
    fn verify(&self, text: &str, now: Timestamp) -> Result<Uuid, QrError> {
        // A day and a bit: the same-day rule below is the real limit.
        let max_age = SignedDuration::from_hours(25);
        let ticket = TicketQr::verify(text, &self.key, now, max_age).map_err(|error| {
            tracing::info!(cause = %error, "ticket QR refused");
            match error {
                VerifyError::Malformed { .. } => QrError::Malformed,
                VerifyError::BadSignature => QrError::Forged,
                VerifyError::Expired { .. } => QrError::Expired,
                VerifyError::IssuedInFuture { .. } => QrError::IssuedInFuture,
            }
        })?;
        let issued_day = self.time_zone.to_datetime(ticket.issued_at).date();
        let today = self.time_zone.to_datetime(now).date();
        if issued_day < today {
            return Err(QrError::Expired);
        }
        Ok(ticket.ticket_id)
    }
}
