//! The console's seam to the ticket QR check: a USB scanner types the QR
//! text into the scan field, and the console asks a [`QrVerifier`] which
//! ticket it names.
//!
//! The signed payload and its verification belong to `domain::ticket_qr`;
//! until it is merged, the binary uses [`NoQrVerifier`] and tests bring
//! their own verifier.

use jiff::Timestamp;
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
}

/// Checks a scanned ticket QR text at instant `now` and returns the ticket id.
pub trait QrVerifier: Send + Sync {
    fn verify(&self, text: &str, now: Timestamp) -> Result<Uuid, QrError>;
}

/// A verifier for a console without the QR key: every scan is reported as
/// not an Okno ticket.
// TODO: replace with the `domain::ticket_qr` verifier and the station's key
// once the printer work is merged.
#[derive(Debug, Default)]
pub struct NoQrVerifier;

impl QrVerifier for NoQrVerifier {
    fn verify(&self, _text: &str, _now: Timestamp) -> Result<Uuid, QrError> {
        Err(QrError::Malformed)
    }
}
