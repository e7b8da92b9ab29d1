//! The events stations push: one envelope with a client-made UUIDv7 id
//! and one kind per fact a kiosk or console records.
//!
//! Kinds carry identifiers and values only. Whether a kind may follow the
//! current state is decided by the `request` and `ticket` state machines on
//! the server, not here. Types holding personal data print `<redacted>` in
//! `Debug`, so a stray `{:?}` in a log line leaks nothing.

use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::request::{RejectReason, RequestKind};
use crate::ticket::{RedirectTarget, TicketNumber, WindowNumber};

/// One fact recorded by a station. The id is a UUIDv7 made by the station
/// when the fact happened; it is the idempotency key, so a retried push
/// stores nothing new.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventEnvelope {
    pub id: Uuid,
    /// The station's clock when the fact happened; the server orders by its
    /// own sequence, not by this.
    pub occurred_at: Timestamp,
    pub kind: EventKind,
}

/// The fact an event records. On the wire: `{"type": "ticket_called", "data": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum EventKind {
    /// A visitor finished the kiosk flow; the request waits for an operator.
    RequestSubmitted(Box<RequestSubmitted>),
    /// A kiosk printed (or showed) a ticket from its leased block.
    TicketIssued(TicketIssued),
    TicketCalled(TicketCalled),
    TicketRecalled(TicketRef),
    TicketStarted(TicketRef),
    TicketDone(TicketRef),
    TicketNoShow(TicketRef),
    TicketPostponed(TicketPostponed),
    TicketRedirected(TicketRedirected),
    /// The operator checked the paper passport and confirmed the identity.
    DecisionConfirm(DecisionConfirm),
    /// The operator rejected the request; a reason is required.
    DecisionReject(DecisionReject),
    /// A device fault a technician should see (printer out of paper, reader gone).
    DeviceAlert(DeviceAlert),
}

impl EventKind {
    /// Returns the stable wire name of the kind, safe for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::RequestSubmitted(_) => "request_submitted",
            EventKind::TicketIssued(_) => "ticket_issued",
            EventKind::TicketCalled(_) => "ticket_called",
            EventKind::TicketRecalled(_) => "ticket_recalled",
            EventKind::TicketStarted(_) => "ticket_started",
            EventKind::TicketDone(_) => "ticket_done",
            EventKind::TicketNoShow(_) => "ticket_no_show",
            EventKind::TicketPostponed(_) => "ticket_postponed",
            EventKind::TicketRedirected(_) => "ticket_redirected",
            EventKind::DecisionConfirm(_) => "decision_confirm",
            EventKind::DecisionReject(_) => "decision_reject",
            EventKind::DeviceAlert(_) => "device_alert",
        }
    }
}

/// A request for an operator: what the visitor typed, and the chip result
/// when the passport chip was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestSubmitted {
    pub request_id: Uuid,
    pub request_kind: RequestKind,
    /// The ticket the visitor waits with.
    pub ticket_id: Uuid,
    pub visitor: VisitorData,
    #[serde(default)]
    pub chip: Option<ChipResult>,
}

/// The visitor's data as typed and already checked by the `domain` field
/// rules on the kiosk. Formats: dates ISO 8601, passport number
/// `NNNN NNNNNN`, division code `NNN-NNN`, СНИЛС `NNN-NNN-NNN NN`,
/// phone `+7XXXXXXXXXX`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitorData {
    pub surname: String,
    pub given_name: String,
    #[serde(default)]
    pub patronymic: Option<String>,
    pub birth_date: Date,
    pub passport_number: String,
    pub passport_issue_date: Date,
    pub passport_issuer: String,
    pub division_code: String,
    pub snils: String,
    #[serde(default)]
    pub inn: Option<String>,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
}

impl std::fmt::Debug for VisitorData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VisitorData { <redacted> }")
    }
}

/// Result of reading the passport chip: DG1 (the MRZ data), the photo from DG2
/// and the passive-authentication verdict.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChipResult {
    /// The MRZ lines from DG1, exactly as read.
    pub mrz: String,
    /// `passed`, `failed` or `not_checked`.
    pub passive_auth: String,
    /// DG2 face image, base64, when it was read.
    #[serde(default)]
    pub photo_base64: Option<String>,
    /// The travel passport number the visitor typed for Basic Access
    /// Control, nine digits. The operator console compares it with the
    /// zone's document number. `None` from kiosks that did not send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed_document_number: Option<String>,
    /// The travel passport expiry date the visitor typed for Basic Access
    /// Control, compared with the zone's expiry date. `None` from kiosks
    /// that did not send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typed_expiry_date: Option<Date>,
}

impl std::fmt::Debug for ChipResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChipResult")
            .field("mrz", &"<redacted>")
            .field("passive_auth", &self.passive_auth)
            .field("photo", &self.photo_base64.as_ref().map(|_| "<redacted>"))
            .field(
                "typed_document_number",
                &self.typed_document_number.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "typed_expiry_date",
                &self.typed_expiry_date.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// A ticket from the kiosk's leased block. `number` is the printed form,
/// a category letter and three digits such as `П-042`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketIssued {
    pub ticket_id: Uuid,
    /// The number's letter names the service category.
    pub number: TicketNumber,
    pub lease_id: Uuid,
    /// Priority visitors (disabled, elderly) are called first.
    #[serde(default)]
    pub priority: bool,
}

/// An event about one ticket that carries nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketRef {
    pub ticket_id: Uuid,
}

/// A ticket called to a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketCalled {
    pub ticket_id: Uuid,
    pub window: WindowNumber,
}

/// A ticket put back into the queue behind `after` other tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketPostponed {
    pub ticket_id: Uuid,
    pub after: u16,
}

/// A ticket sent to another window or service category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketRedirected {
    pub ticket_id: Uuid,
    pub to: RedirectTarget,
}

/// The operator confirmed the request after checking the paper passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionConfirm {
    pub request_id: Uuid,
}

/// The operator rejected the request with a standard reason and, for
/// "other", the operator's comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionReject {
    pub request_id: Uuid,
    pub reason: RejectReason,
}

/// A device fault. `code` is stable (such as `printer.paper_out`); `detail`
/// is for a technician and must carry no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceAlert {
    pub code: String,
    pub detail: String,
}
