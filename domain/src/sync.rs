//! The sync protocol between stations (kiosks, operator consoles) and the
//! sync server: the JSON bodies of every device endpoint, as serde types.
//!
//! This module only defines shapes. Sending, storing and checking state
//! transitions are left to the `station` crate and the server. Request
//! bodies reject unknown fields, so a typo in a client surfaces as a 422
//! instead of a silently dropped value. Response bodies accept unknown
//! fields, so the server can add one without breaking older stations.
//!
//! Endpoints (all under `/v1`, every device request signed as described in
//! [`auth`]):
//!
//! | method and path       | body              | response          |
//! |-----------------------|-------------------|-------------------|
//! | `POST /v1/enroll`     | [`EnrollRequest`] (unsigned) | [`EnrollGrant`] |
//! | `POST /v1/sync/push`  | [`PushBatch`]     | [`PushAck`]       |
//! | `POST /v1/sync/event` | [`EventEnvelope`] | [`EventAck`], or 409 with the current state |
//! | `GET /v1/sync/pull?cursor=N&limit=M&wait=S` | none | [`PullPage`] |
//! | `POST /v1/leases`     | [`LeaseRequest`]  | [`LeaseGrant`]    |
//! | `POST /v1/operators/login` | [`LoginRequest`] | [`LoginGrant`] |
//! | `POST /v1/operators/unlock`, `/lock` | [`OperatorTarget`] (session) | [`OperatorAccount`] |
//! | `POST /v1/devices/revoke` | [`DeviceTarget`] (session) | [`DeviceRevoked`] |
//! | `POST /v1/contacts/code` | [`ContactCodeRequest`] | [`ContactCodeSent`] |
//! | `POST /v1/contacts/resend` | [`ContactResend`] | [`ContactCodeSent`] |
//! | `POST /v1/contacts/verify` | [`ContactVerify`] | [`ContactVerified`] |
//! | `POST /v1/codes/redeem` | [`CodeRedeemRequest`] (bearer token) | [`CodeRedeemed`] |
//! | `GET /v1/trust?since=N` | none | [`TrustDirectoryPage`] |
//! | `POST /v1/signature/challenge` | [`SignatureChallengeRequest`] | [`SignatureChallenge`] |
//! | `POST /v1/signature/confirm` | [`SignatureConfirm`] | [`SignatureConfirmed`] |

mod admin;
pub mod auth;
mod codes;
mod contact;
mod event;
mod signature;

pub use event::{
    ChipResult, DecisionConfirm, DecisionReject, DeviceAlert, EventEnvelope, EventKind,
    RequestSubmitted, TicketCalled, TicketIssued, TicketPostponed, TicketRedirected, TicketRef,
    VisitorData,
};

pub use admin::{DeviceRevoked, DeviceTarget, OperatorAccount, OperatorTarget};
pub use codes::{CodeRedeemRequest, CodeRedeemed};
pub use contact::{
    ContactCodeRequest, ContactCodeSent, ContactKind, ContactResend, ContactVerified, ContactVerify,
};
pub use signature::{
    challenge_message, SignatureChallenge, SignatureChallengeRequest, SignatureConfirm,
    SignatureConfirmed, SignatureScheme, TrustDirectoryPage, TrustedCertificate,
    CHALLENGE_MESSAGE_PREFIX,
};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ticket::ServiceCategory;

/// The role a device is enrolled with; it limits which events it may push.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceRole {
    Kiosk,
    Operator,
}

impl DeviceRole {
    /// Returns the stable name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceRole::Kiosk => "kiosk",
            DeviceRole::Operator => "operator",
        }
    }

    /// Parses the stable name; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "kiosk" => Some(DeviceRole::Kiosk),
            "operator" => Some(DeviceRole::Operator),
            _ => None,
        }
    }
}

/// Permission level of an operator account: operators serve tickets and
/// decide requests, supervisors also unlock operator accounts of their
/// center, administrators also lock any account and revoke devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorRole {
    Operator,
    Supervisor,
    Administrator,
}

impl OperatorRole {
    /// Returns the stable name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            OperatorRole::Operator => "operator",
            OperatorRole::Supervisor => "supervisor",
            OperatorRole::Administrator => "administrator",
        }
    }

    /// Parses the stable name; `None` for anything else.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "operator" => Some(OperatorRole::Operator),
            "supervisor" => Some(OperatorRole::Supervisor),
            "administrator" => Some(OperatorRole::Administrator),
            _ => None,
        }
    }
}

/// Body of `POST /v1/enroll`: the one-time token printed by
/// `sync-server enroll-token` and a label for the device list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    pub token: String,
    pub label: String,
}

/// Response to enrollment. The secret is shown once; the station stores it
/// readable only by its own user and signs every later request with it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollGrant {
    pub device_id: Uuid,
    /// Hex-encoded 32-byte HMAC key.
    pub secret: String,
    pub center_id: Uuid,
    pub role: DeviceRole,
    /// The center's ticket QR key and code. Absent from servers older than
    /// the center-wide key; such a station asks `GET /v1/center/ticket-key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_qr: Option<TicketQrGrant>,
}

/// The key every kiosk of a center signs ticket QR payloads with and every
/// console of the center checks them with, and the center code the payload
/// carries. Body of `GET /v1/center/ticket-key`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketQrGrant {
    /// Such as `MFC-0193A5C2`; see `domain::ticket_qr::CenterCode`.
    pub center_code: String,
    /// Hex-encoded 32-byte key.
    pub key_hex: String,
}

impl std::fmt::Debug for TicketQrGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TicketQrGrant")
            .field("center_code", &self.center_code)
            .field("key_hex", &"<redacted>")
            .finish()
    }
}

impl std::fmt::Debug for EnrollGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrollGrant")
            .field("device_id", &self.device_id)
            .field("secret", &"<redacted>")
            .field("center_id", &self.center_id)
            .field("role", &self.role)
            .field("ticket_qr", &self.ticket_qr)
            .finish()
    }
}

/// Body of `POST /v1/sync/push`: events in the order the device produced
/// them. The server caps a batch at [`MAX_PUSH_EVENTS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushBatch {
    pub events: Vec<EventEnvelope>,
}

/// The largest batch a push may carry.
pub const MAX_PUSH_EVENTS: usize = 1000;

/// Response to a push: one acknowledgement per event, in the batch's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushAck {
    pub acks: Vec<EventAck>,
}

/// The server's outcome for one event.
///
/// N.B. No `deny_unknown_fields` here or on [`AckOutcome`]: serde cannot
/// combine it with `flatten`, and an ack that could not be parsed back
/// would leave a station unable to read any push response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventAck {
    pub id: Uuid,
    #[serde(flatten)]
    pub outcome: AckOutcome,
}

/// Outcome of one pushed event. A duplicate carries the same `seq` and
/// `issued` as the first acknowledgement, so a station that lost an answer
/// learns exactly what the first push did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AckOutcome {
    /// Stored now under server sequence `seq`.
    Applied {
        seq: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        issued: Option<IssuedCode>,
    },
    /// Already stored by an earlier push; nothing changed.
    Duplicate {
        seq: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        issued: Option<IssuedCode>,
    },
    /// Not stored. The station keeps the event marked failed for a technician;
    /// pushing it again gets the same answer unless the server state changed.
    Rejected {
        /// Stable error code, such as `transition.invalid`.
        code: String,
        /// Explanation for a person, in Russian.
        message: String,
        /// The state that made a transition invalid, when that was the cause.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        current_state: Option<String>,
    },
}

/// A confirmation code issued by an applied confirm decision, for the
/// console to print. Single use, valid until `expires_at`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    pub code: String,
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for IssuedCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCode")
            .field("code", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Answer to `GET /v1/sync/pull`: changes of the device's center with
/// `seq > cursor`, oldest first. Ask again with `cursor = next_cursor`;
/// `more` says a full page was cut short and the next one is ready now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    pub changes: Vec<Change>,
    pub next_cursor: u64,
    pub more: bool,
}

/// Maximum number of changes in one pull page.
pub const MAX_PULL_LIMIT: u32 = 1000;

/// Maximum long-poll wait of a pull, in seconds.
pub const MAX_PULL_WAIT_SECS: u32 = 60;

/// One stored event with the server sequence that orders it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    pub device_id: Uuid,
    pub event: EventEnvelope,
}

/// Body of `POST /v1/leases`: a kiosk requests a block of ticket numbers
/// in one service category for the center's current day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaseRequest {
    pub category: ServiceCategory,
    /// Numbers wanted; the server may grant fewer near the end of the day's range.
    pub count: u16,
}

/// A block of ticket numbers `first..=last` that only this kiosk issues
/// on `day` (the center's local date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseGrant {
    pub lease_id: Uuid,
    pub category: ServiceCategory,
    pub day: jiff::civil::Date,
    pub first: u16,
    pub last: u16,
}

/// Body of `POST /v1/operators/login`, sent by an operator console.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("login", &self.login)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// An operator session. The console sends the token in the
/// `x-okno-session` header with decision pushes.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginGrant {
    pub session: String,
    pub operator_id: Uuid,
    pub role: OperatorRole,
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for LoginGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginGrant")
            .field("session", &"<redacted>")
            .field("operator_id", &self.operator_id)
            .field("role", &self.role)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The JSON body of every 4xx and 5xx answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable code such as `auth.revoked`; clients branch on it.
    pub code: String,
    /// Explanation for a person, in Russian.
    pub message: String,
    /// Offending fields by JSON path, when the error is about input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldIssue>,
    /// The current state, for 409 answers about a transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_state: Option<String>,
    /// End of a lockout, for `login.locked`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<Timestamp>,
    /// When the same request may succeed, for refusals by a limit
    /// (`contact.rate_limited`, `contact.resend_too_early`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<Timestamp>,
    /// Wrong entries a one-time code still survives, for `one_time_code.wrong`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u8>,
}

/// One field named by an input error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldIssue {
    /// JSON path such as `events[3].kind.ticket_id`.
    pub field: String,
    pub message: String,
}

#[cfg(test)]
mod tests;
