//! An identity confirmation request and the states it moves through, from
//! the kiosk that creates it to the operator who confirms or rejects it.
//!
//! ```text
//! Waiting ──────────────take──────────▶ InProgress
//! InProgress ───────────release───────▶ Waiting
//! InProgress ───────────confirm───────▶ Confirmed
//! InProgress ───────────reject────────▶ Rejected { reason }
//! Waiting | InProgress ─cancel────────▶ Cancelled
//! Waiting | InProgress ─mark_no_show──▶ NoShow
//! ```
//!
//! [`RequestState::apply`] is the only way to move a request: it returns the
//! next state or a [`TransitionError`] naming the current state and the
//! action, and leaves the current state as it was. Storing the state, who
//! acted and when is the station's and the server's job.

mod reject;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::Lang;

pub use reject::{
    RejectReason, RejectReasonCode, RejectReasonError, RejectReasonParts, COMMENT_MAX_CHARS,
};

/// What the visitor came to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Confirm the identity of an existing standard account.
    ConfirmIdentity,
    /// Register a new account and confirm it in the same visit.
    Register,
    /// Restore access to an account whose password or phone is lost.
    RestoreAccess,
}

impl RequestKind {
    /// Every kind, in the order the kiosk's first screen shows them.
    pub const ALL: [RequestKind; 3] = [
        RequestKind::ConfirmIdentity,
        RequestKind::Register,
        RequestKind::RestoreAccess,
    ];

    /// Returns the stable snake_case name used in APIs and logs.
    pub fn code(self) -> &'static str {
        match self {
            RequestKind::ConfirmIdentity => "confirm_identity",
            RequestKind::Register => "register",
            RequestKind::RestoreAccess => "restore_access",
        }
    }

    /// Returns the name a visitor reads on the kiosk and the ticket.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RequestKind::ConfirmIdentity, Lang::Ru) => "Подтверждение личности",
            (RequestKind::ConfirmIdentity, Lang::En) => "Identity confirmation",
            (RequestKind::Register, Lang::Ru) => "Регистрация учётной записи",
            (RequestKind::Register, Lang::En) => "Account registration",
            (RequestKind::RestoreAccess, Lang::Ru) => "Восстановление доступа",
            (RequestKind::RestoreAccess, Lang::En) => "Access restoration",
        }
    }
}

impl fmt::Display for RequestKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The state of an identity confirmation request.
///
/// Serialized with a `state` tag, for example `{"state":"waiting"}` or
/// `{"state":"rejected","reason":{"code":"photo_mismatch"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RequestState {
    /// Created at the kiosk, waiting for an operator.
    Waiting,
    /// An operator has taken the request and is checking the passport.
    InProgress,
    /// The operator confirmed the identity. Final.
    Confirmed,
    /// The operator rejected the request for the given reason. Final.
    Rejected { reason: RejectReason },
    /// The visitor or an operator withdrew the request. Final.
    Cancelled,
    /// The visitor did not come when called. Final.
    NoShow,
}

/// The name of a [`RequestState`] without its data, for errors, filters and
/// labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Waiting,
    InProgress,
    Confirmed,
    Rejected,
    Cancelled,
    NoShow,
}

impl RequestStatus {
    /// Returns the stable snake_case name used in APIs and logs.
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Waiting => "waiting",
            RequestStatus::InProgress => "in_progress",
            RequestStatus::Confirmed => "confirmed",
            RequestStatus::Rejected => "rejected",
            RequestStatus::Cancelled => "cancelled",
            RequestStatus::NoShow => "no_show",
        }
    }

    /// Returns the status as the visitor and the operator read it.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RequestStatus::Waiting, Lang::Ru) => "Ожидает",
            (RequestStatus::Waiting, Lang::En) => "Waiting",
            (RequestStatus::InProgress, Lang::Ru) => "В обработке",
            (RequestStatus::InProgress, Lang::En) => "In progress",
            (RequestStatus::Confirmed, Lang::Ru) => "Подтверждено",
            (RequestStatus::Confirmed, Lang::En) => "Confirmed",
            (RequestStatus::Rejected, Lang::Ru) => "Отклонено",
            (RequestStatus::Rejected, Lang::En) => "Rejected",
            (RequestStatus::Cancelled, Lang::Ru) => "Отменено",
            (RequestStatus::Cancelled, Lang::En) => "Cancelled",
            (RequestStatus::NoShow, Lang::Ru) => "Заявитель не явился",
            (RequestStatus::NoShow, Lang::En) => "Visitor did not come",
        }
    }

    /// Tells whether no action can move a request out of this status.
    pub fn is_final(self) -> bool {
        !matches!(self, RequestStatus::Waiting | RequestStatus::InProgress)
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Something an operator, the visitor or the queue does to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum RequestAction {
    /// An operator starts checking the request: waiting → in progress.
    Take,
    /// The operator puts the request back in the queue unfinished (the
    /// visitor was redirected to another window): in progress → waiting.
    Release,
    /// The operator confirms the identity: in progress → confirmed.
    Confirm,
    /// The operator rejects the request: in progress → rejected.
    Reject { reason: RejectReason },
    /// The visitor or an operator withdraws the request before a decision.
    Cancel,
    /// The visitor did not come when their ticket was called.
    MarkNoShow,
}

/// The name of a [`RequestAction`] without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestActionKind {
    Take,
    Release,
    Confirm,
    Reject,
    Cancel,
    MarkNoShow,
}

impl RequestActionKind {
    /// Returns the stable snake_case name used in APIs and logs.
    pub fn code(self) -> &'static str {
        match self {
            RequestActionKind::Take => "take",
            RequestActionKind::Release => "release",
            RequestActionKind::Confirm => "confirm",
            RequestActionKind::Reject => "reject",
            RequestActionKind::Cancel => "cancel",
            RequestActionKind::MarkNoShow => "mark_no_show",
        }
    }
}

impl fmt::Display for RequestActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl RequestAction {
    /// Returns the action's name without its data.
    pub fn kind(&self) -> RequestActionKind {
        match self {
            RequestAction::Take => RequestActionKind::Take,
            RequestAction::Release => RequestActionKind::Release,
            RequestAction::Confirm => RequestActionKind::Confirm,
            RequestAction::Reject { .. } => RequestActionKind::Reject,
            RequestAction::Cancel => RequestActionKind::Cancel,
            RequestAction::MarkNoShow => RequestActionKind::MarkNoShow,
        }
    }
}

/// An action that the request's current state does not allow.
///
/// The server returns it with 409 Conflict, because the request exists but
/// another station or operator has already moved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("cannot {action} a request that is {state}; reload the request and check its status")]
pub struct TransitionError {
    /// The state the request is in, which the action left unchanged.
    pub state: RequestStatus,
    /// The action that was attempted.
    pub action: RequestActionKind,
}

impl TransitionError {
    /// The stable code for this error in API responses.
    pub const CODE: &'static str = "request.invalid_transition";

    /// Returns the message an operator reads.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => format!(
                "Действие невозможно: заявление уже в статусе «{}». Обновите список заявлений.",
                self.state.label(Lang::Ru)
            ),
            Lang::En => format!(
                "The action is not possible: the request is already \"{}\". Refresh the list \
                 of requests.",
                self.state.label(Lang::En)
            ),
        }
    }
}

impl RequestState {
    /// Returns the state's name without its data.
    pub fn status(&self) -> RequestStatus {
        match self {
            RequestState::Waiting => RequestStatus::Waiting,
            RequestState::InProgress => RequestStatus::InProgress,
            RequestState::Confirmed => RequestStatus::Confirmed,
            RequestState::Rejected { .. } => RequestStatus::Rejected,
            RequestState::Cancelled => RequestStatus::Cancelled,
            RequestState::NoShow => RequestStatus::NoShow,
        }
    }

    /// Tells whether no action can move the request any more.
    pub fn is_final(&self) -> bool {
        self.status().is_final()
    }

    /// Returns the state after `action`, or an error naming this state and
    /// the action when the move is not allowed.
    ///
    /// # Errors
    ///
    /// [`TransitionError`] for every move outside the diagram in the module
    /// documentation; in particular every action on a final state.
    pub fn apply(&self, action: RequestAction) -> Result<RequestState, TransitionError> {
        use RequestAction as A;
        use RequestState as S;

        let next = match (self, action) {
            (S::Waiting, A::Take) => S::InProgress,
            (S::InProgress, A::Release) => S::Waiting,
            (S::InProgress, A::Confirm) => S::Confirmed,
            (S::InProgress, A::Reject { reason }) => S::Rejected { reason },
            (S::Waiting | S::InProgress, A::Cancel) => S::Cancelled,
            (S::Waiting | S::InProgress, A::MarkNoShow) => S::NoShow,
            (state, action) => {
                return Err(TransitionError {
                    state: state.status(),
                    action: action.kind(),
                })
            }
        };
        Ok(next)
    }
}

#[cfg(test)]
mod tests;
