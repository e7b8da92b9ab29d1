//! Bodies of the contact confirmation endpoints: a kiosk requests the server
//! to send a one-time code to the visitor's mobile phone or e-mail for a
//! registration request, then sends back what the visitor typed.
//!
//! | method and path            | body                 | response            |
//! |----------------------------|----------------------|---------------------|
//! | `POST /v1/contacts/code`   | [`ContactCodeRequest`] | [`ContactCodeSent`] |
//! | `POST /v1/contacts/resend` | [`ContactResend`]    | [`ContactCodeSent`] |
//! | `POST /v1/contacts/verify` | [`ContactVerify`]    | [`ContactVerified`] |
//!
//! The code rules (6 digits, 5 minutes, 3 wrong entries, a resend after
//! 60 seconds) are [`crate::one_time_code`]'s; limits on how often codes go
//! out and the delivery itself are the server's.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kind of contact a code confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// A Russian mobile number, sent by SMS.
    Phone,
    /// An e-mail address, sent by e-mail.
    Email,
}

impl ContactKind {
    /// Returns the stable name used on the wire, in the database and in metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Phone => "phone",
            ContactKind::Email => "email",
        }
    }
}

/// Body of `POST /v1/contacts/code`: send a code to `value` for the
/// registration request `request_id` (the id the kiosk later submits the
/// request under). Sending to a new value replaces the request's earlier
/// code for that kind of contact.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactCodeRequest {
    pub request_id: Uuid,
    pub contact: ContactKind,
    /// The phone (`+7XXXXXXXXXX` or as typed) or e-mail address; the server
    /// checks it with the `domain` field rules.
    pub value: String,
}

impl std::fmt::Debug for ContactCodeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactCodeRequest")
            .field("request_id", &self.request_id)
            .field("contact", &self.contact)
            .field("value", &"<redacted>")
            .finish()
    }
}

/// Body of `POST /v1/contacts/resend`: send a new code to the same
/// contact once [`ContactCodeSent::resend_at`] has passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactResend {
    pub request_id: Uuid,
    pub contact: ContactKind,
}

/// Response to a code that went out and that the gateway accepted. A
/// gateway failure is never this response: it is 502 `contact.not_delivered`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactCodeSent {
    pub request_id: Uuid,
    pub contact: ContactKind,
    /// The first instant the code is no longer accepted.
    pub expires_at: Timestamp,
    /// From this instant «Отправить код повторно» may be pressed.
    pub resend_at: Timestamp,
    /// Wrong entries the code survives.
    pub attempts_left: u8,
}

/// Body of `POST /v1/contacts/verify`: the code as the visitor typed it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactVerify {
    pub request_id: Uuid,
    pub contact: ContactKind,
    pub code: String,
}

impl std::fmt::Debug for ContactVerify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactVerify")
            .field("request_id", &self.request_id)
            .field("contact", &self.contact)
            .field("code", &"<redacted>")
            .finish()
    }
}

/// The contact is confirmed for this request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactVerified {
    pub request_id: Uuid,
    pub contact: ContactKind,
    pub verified_at: Timestamp,
}
