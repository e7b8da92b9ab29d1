//! The signed payload in a queue ticket's QR code, so that a forged or
//! altered ticket is detected when an operator console scans it.
//!
//! The payload names the ticket, the center and the issue time, and carries
//! an HMAC-SHA256 tag truncated to 128 bits. It contains no personal data. Its
//! text form uses only characters of the QR alphanumeric set (`0-9 A-Z . :`),
//! so a QR code holds it in alphanumeric mode:
//!
//! ```text
//! OKNO1.<ticket id: 26 base32>.<center code>.<issued at: Unix seconds>.<tag: 26 base32>
//! ```
//!
//! The tag covers every character before the last `.`. Base32 is RFC 4648
//! without padding. This module only encodes and verifies: the key comes
//! from the caller (its storage and rotation belong to the stations), and
//! the current time comes in as a value.

use std::fmt;

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use sha2::Sha256;
use uuid::Uuid;

/// Payload format and version marker. A new layout gets a new prefix.
pub const PREFIX: &str = "OKNO1";

/// Length of the truncated HMAC-SHA256 tag in bytes (128 bits).
pub const TAG_LEN: usize = 16;

/// Minimum key length in bytes, equal to the HMAC-SHA256 output size.
pub const MIN_KEY_LEN: usize = 32;

/// Maximum center code length, in characters.
pub const MAX_CENTER_CODE_LEN: usize = 16;

/// How far in the future an issue time may lie before it is rejected, so
/// that stations whose clocks differ by a few minutes still agree.
pub const MAX_CLOCK_SKEW: SignedDuration = SignedDuration::from_secs(300);

/// The secret that signs and verifies ticket QR payloads. Its `Debug` output
/// never shows the bytes.
#[derive(Clone)]
pub struct TicketQrKey(Vec<u8>);

impl TicketQrKey {
    /// Wraps `bytes` as a key, rejecting keys shorter than [`MIN_KEY_LEN`].
    pub fn new(bytes: &[u8]) -> Result<Self, KeyTooShort> {
        if bytes.len() < MIN_KEY_LEN {
            return Err(KeyTooShort { len: bytes.len() });
        }
        Ok(Self(bytes.to_vec()))
    }

    fn tag(&self, signed_text: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0)
            .expect("HMAC-SHA256 accepts keys of any length");
        mac.update(signed_text.as_bytes());
        mac
    }
}

impl fmt::Debug for TicketQrKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TicketQrKey({} bytes)", self.0.len())
    }
}

/// A key shorter than [`MIN_KEY_LEN`] bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ticket QR key is {len} bytes long; expected at least {MIN_KEY_LEN} random bytes")]
pub struct KeyTooShort {
    pub len: usize,
}

/// A center code as it appears in the payload: 1 to 16 characters of
/// `A-Z`, `0-9` and `-`, for example `MFC-77-014`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CenterCode(String);

impl CenterCode {
    /// Checks `code` against the allowed characters and length.
    pub fn new(code: &str) -> Result<Self, InvalidCenterCode> {
        let allowed = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-';
        let len = code.chars().count();
        if len == 0 || len > MAX_CENTER_CODE_LEN || !code.chars().all(allowed) {
            return Err(InvalidCenterCode {
                code: code.to_owned(),
            });
        }
        Ok(Self(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CenterCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A center code with characters or a length the payload cannot carry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "center code {code:?} is invalid; expected 1 to {MAX_CENTER_CODE_LEN} characters of A-Z, 0-9 and '-'"
)]
pub struct InvalidCenterCode {
    pub code: String,
}

/// Ticket facts that a QR payload signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketQr {
    pub ticket_id: Uuid,
    pub center: CenterCode,
    /// Issue time. The payload keeps whole seconds, so encoding drops the
    /// fraction.
    pub issued_at: Timestamp,
}

/// Reason a scanned payload was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The text is not a ticket payload of this version. `reason` names the
    /// part that failed.
    #[error("ticket QR payload is malformed: {reason}")]
    Malformed { reason: &'static str },
    /// The payload is well formed but the tag does not match: it was altered
    /// or signed with another key.
    #[error("ticket QR signature does not match; the ticket was altered or issued elsewhere")]
    BadSignature,
    /// The ticket is older than the maximum age.
    #[error("ticket QR expired: issued {age_secs} s ago, accepted for {max_age_secs} s")]
    Expired { age_secs: i64, max_age_secs: i64 },
    /// The issue time lies further in the future than [`MAX_CLOCK_SKEW`].
    #[error("ticket QR issue time is {ahead_secs} s in the future; check the station clocks")]
    IssuedInFuture { ahead_secs: i64 },
}

impl TicketQr {
    /// Builds the signed text form that goes into the QR code. An issue time
    /// before 1970 is clamped to the Unix epoch.
    pub fn encode(&self, key: &TicketQrKey) -> String {
        let issued = self.issued_at.as_second().max(0);
        let signed_text = format!(
            "{PREFIX}.{}.{}.{issued}",
            BASE32_NOPAD.encode(self.ticket_id.as_bytes()),
            self.center
        );
        let tag = key.tag(&signed_text).finalize().into_bytes();
        format!("{signed_text}.{}", BASE32_NOPAD.encode(&tag[..TAG_LEN]))
    }

    /// Parses and checks `text`: its form, then its tag, then its age against
    /// `now`. A ticket issued up to `max_age` before `now` is accepted.
    pub fn verify(
        text: &str,
        key: &TicketQrKey,
        now: Timestamp,
        max_age: SignedDuration,
    ) -> Result<TicketQr, VerifyError> {
        let malformed = |reason| VerifyError::Malformed { reason };

        let (signed_text, tag_text) = text.rsplit_once('.').ok_or(malformed("no signature"))?;
        let mut parts = signed_text.split('.');
        let (Some(prefix), Some(id_text), Some(center_text), Some(issued_text), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(malformed("expected five '.'-separated parts"));
        };
        if prefix != PREFIX {
            return Err(malformed("unknown prefix or version"));
        }

        let id_bytes = BASE32_NOPAD
            .decode(id_text.as_bytes())
            .map_err(|_| malformed("ticket id is not base32"))?;
        let ticket_id =
            Uuid::from_slice(&id_bytes).map_err(|_| malformed("ticket id is not 16 bytes"))?;
        let center =
            CenterCode::new(center_text).map_err(|_| malformed("center code is invalid"))?;
        if issued_text.is_empty() || !issued_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed("issue time is not decimal seconds"));
        }
        let issued_secs: i64 = issued_text
            .parse()
            .map_err(|_| malformed("issue time is out of range"))?;
        let issued_at = Timestamp::from_second(issued_secs)
            .map_err(|_| malformed("issue time is out of range"))?;
        let tag = BASE32_NOPAD
            .decode(tag_text.as_bytes())
            .map_err(|_| malformed("signature is not base32"))?;
        if tag.len() != TAG_LEN {
            return Err(malformed("signature has the wrong length"));
        }

        key.tag(signed_text)
            .verify_truncated_left(&tag)
            .map_err(|_| VerifyError::BadSignature)?;

        let age = now.duration_since(issued_at);
        if age > max_age {
            return Err(VerifyError::Expired {
                age_secs: age.as_secs(),
                max_age_secs: max_age.as_secs(),
            });
        }
        if -age > MAX_CLOCK_SKEW {
            return Err(VerifyError::IssuedInFuture {
                ahead_secs: -age.as_secs(),
            });
        }

        Ok(TicketQr {
            ticket_id,
            center,
            issued_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8; 32] = b"0123456789abcdef0123456789abcdef";
    const HOUR: SignedDuration = SignedDuration::from_hours(1);

    fn key() -> TicketQrKey {
        TicketQrKey::new(KEY).unwrap()
    }

    fn sample() -> TicketQr {
        TicketQr {
            ticket_id: Uuid::from_u128(0x0193_8c2e_7a10_7000_8000_0000_0000_002a),
            center: CenterCode::new("MFC-77-014").unwrap(),
            issued_at: Timestamp::from_second(1_796_371_200).unwrap(),
        }
    }

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).unwrap()
    }

    #[test]
    fn encode_exact_text() {
        let text = sample().encode(&key());
        let (signed, tag) = text.rsplit_once('.').unwrap();
        assert_eq!(
            signed,
            "OKNO1.AGJYYLT2CBYABAAAAAAAAAAAFI.MFC-77-014.1796371200"
        );
        assert_eq!(tag.len(), 26);
        assert_eq!(text.len(), 81);
    }

    #[test]
    fn encode_uses_qr_alphanumeric_set() {
        let text = sample().encode(&key());
        let alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        assert!(text.chars().all(|c| alphanumeric.contains(c)), "{text}");
    }

    #[test]
    fn verify_round_trip() {
        let text = sample().encode(&key());
        let now = at(1_796_371_200 + 60);
        assert_eq!(TicketQr::verify(&text, &key(), now, HOUR), Ok(sample()));
    }

    #[test]
    fn verify_rejects_altered_center() {
        let text = sample().encode(&key()).replace("MFC-77-014", "MFC-77-015");
        let now = at(1_796_371_200);
        assert_eq!(
            TicketQr::verify(&text, &key(), now, HOUR),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn verify_rejects_altered_time() {
        let text = sample().encode(&key()).replace("1796371200", "1796371260");
        let now = at(1_796_371_200);
        assert_eq!(
            TicketQr::verify(&text, &key(), now, HOUR),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn verify_rejects_other_key() {
        let text = sample().encode(&key());
        let other = TicketQrKey::new(b"fedcba9876543210fedcba9876543210").unwrap();
        assert_eq!(
            TicketQr::verify(&text, &other, at(1_796_371_200), HOUR),
            Err(VerifyError::BadSignature)
        );
    }

    #[test]
    fn verify_rejects_expired() {
        let text = sample().encode(&key());
        let now = at(1_796_371_200 + 3601);
        assert_eq!(
            TicketQr::verify(&text, &key(), now, HOUR),
            Err(VerifyError::Expired {
                age_secs: 3601,
                max_age_secs: 3600
            })
        );
    }

    #[test]
    fn verify_accepts_exact_max_age() {
        let text = sample().encode(&key());
        let now = at(1_796_371_200 + 3600);
        assert!(TicketQr::verify(&text, &key(), now, HOUR).is_ok());
    }

    #[test]
    fn verify_rejects_future_issue() {
        let text = sample().encode(&key());
        let now = at(1_796_371_200 - 301);
        assert_eq!(
            TicketQr::verify(&text, &key(), now, HOUR),
            Err(VerifyError::IssuedInFuture { ahead_secs: 301 })
        );
        let within_skew = at(1_796_371_200 - 300);
        assert!(TicketQr::verify(&text, &key(), within_skew, HOUR).is_ok());
    }

    #[test]
    fn verify_rejects_malformed() {
        let good = sample().encode(&key());
        let now = at(1_796_371_200);
        let cases: [(String, &str); 7] = [
            ("".into(), "no signature"),
            ("hello".into(), "no signature"),
            (
                good.replacen("OKNO1", "OKNO2", 1),
                "unknown prefix or version",
            ),
            (
                good.replacen(".MFC-77-014", "", 1),
                "expected five '.'-separated parts",
            ),
            (
                good.replacen("AGJYYLT2", "agjyylt2", 1),
                "ticket id is not base32",
            ),
            (
                good.replacen("MFC-77-014", "mfc", 1),
                "center code is invalid",
            ),
            (
                good.replacen("1796371200", "-1", 1),
                "issue time is not decimal seconds",
            ),
        ];
        for (text, reason) in cases {
            assert_eq!(
                TicketQr::verify(&text, &key(), now, HOUR),
                Err(VerifyError::Malformed { reason }),
                "{text}"
            );
        }
        let short_tag = &good[..good.len() - 2];
        assert!(matches!(
            TicketQr::verify(short_tag, &key(), now, HOUR),
            Err(VerifyError::Malformed { .. })
        ));
    }

    #[test]
    fn key_rejects_short() {
        assert_eq!(
            TicketQrKey::new(b"short").unwrap_err(),
            KeyTooShort { len: 5 }
        );
        assert_eq!(format!("{:?}", key()), "TicketQrKey(32 bytes)");
    }

    #[test]
    fn center_code_rules() {
        assert!(CenterCode::new("MFC-1").is_ok());
        assert!(CenterCode::new("").is_err());
        assert!(CenterCode::new("МФЦ-1").is_err());
        assert!(CenterCode::new("ABCDEFGHIJKLMNOPQ").is_err());
    }
}
