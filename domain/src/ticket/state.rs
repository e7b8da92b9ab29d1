//! The states a queue ticket moves through, from the kiosk's printer to the
//! operator's window.
//!
//! ```text
//! Issued | Postponed | Redirected ──call──────────▶ Called { recalls: 0 }
//! Called ─────────────────────────recall─────────▶ Called { recalls + 1 }
//! Called ─────────────────────────start_serving──▶ Serving
//! Called ─────────────────────────mark_no_show───▶ NoShow
//! Serving ────────────────────────finish─────────▶ Done
//! Called | Serving ───────────────postpone───────▶ Postponed { remaining }
//! Called | Serving ───────────────redirect───────▶ Redirected { to }
//! ```
//!
//! Issued, Postponed and Redirected are the waiting states. Done and NoShow
//! are final. [`TicketState::apply`] returns the next state or a
//! [`TransitionError`] and never changes the state it is called on.

use std::fmt;
use std::num::NonZeroU16;

use serde::{Deserialize, Serialize};

use super::category::ServiceCategory;
use crate::field::Lang;

/// An operator's window in the center, numbered from 1 as the sign above it
/// reads («окно 3»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WindowNumber(NonZeroU16);

impl WindowNumber {
    /// Returns window `number`, or `None` for 0.
    pub fn new(number: u16) -> Option<WindowNumber> {
        NonZeroU16::new(number).map(WindowNumber)
    }

    /// Returns the number on the sign.
    pub fn get(self) -> u16 {
        self.0.get()
    }
}

impl fmt::Display for WindowNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The window or service an operator sends a visitor to.
///
/// Serialized as `{"window":5}` or `{"service":"other_services"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedirectTarget {
    /// A particular window. Only that window calls the ticket again.
    Window(WindowNumber),
    /// Another service's queue; any window serving it calls the ticket.
    Service(ServiceCategory),
}

/// The state of a queue ticket.
///
/// Serialized with a `state` tag, for example
/// `{"state":"called","window":3,"recalls":1}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TicketState {
    /// Printed at the kiosk and waiting in its category's queue.
    Issued,
    /// Shown on the hall display for a window; `recalls` counts how many
    /// times the operator repeated the call.
    Called { window: WindowNumber, recalls: u16 },
    /// The visitor is at the window.
    Serving { window: WindowNumber },
    /// The visit is over. Final.
    Done,
    /// The visitor did not come after the calls. Final.
    NoShow,
    /// Waiting again, for another window or another service's queue.
    Redirected { to: RedirectTarget },
    /// Waiting again, not to be called before `remaining` other tickets are
    /// called (the visitor stepped away to fetch a document).
    Postponed { remaining: u16 },
}

/// The name of a [`TicketState`] without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Issued,
    Called,
    Serving,
    Done,
    NoShow,
    Redirected,
    Postponed,
}

impl TicketStatus {
    /// Returns the stable snake_case name used in APIs and logs.
    pub fn code(self) -> &'static str {
        match self {
            TicketStatus::Issued => "issued",
            TicketStatus::Called => "called",
            TicketStatus::Serving => "serving",
            TicketStatus::Done => "done",
            TicketStatus::NoShow => "no_show",
            TicketStatus::Redirected => "redirected",
            TicketStatus::Postponed => "postponed",
        }
    }

    /// Returns the status as the operator reads it.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (TicketStatus::Issued, Lang::Ru) => "Ожидает вызова",
            (TicketStatus::Issued, Lang::En) => "Waiting",
            (TicketStatus::Called, Lang::Ru) => "Вызван",
            (TicketStatus::Called, Lang::En) => "Called",
            (TicketStatus::Serving, Lang::Ru) => "Обслуживается",
            (TicketStatus::Serving, Lang::En) => "Being served",
            (TicketStatus::Done, Lang::Ru) => "Обслужен",
            (TicketStatus::Done, Lang::En) => "Served",
            (TicketStatus::NoShow, Lang::Ru) => "Не явился",
            (TicketStatus::NoShow, Lang::En) => "Did not come",
            (TicketStatus::Redirected, Lang::Ru) => "Перенаправлен",
            (TicketStatus::Redirected, Lang::En) => "Redirected",
            (TicketStatus::Postponed, Lang::Ru) => "Отложен",
            (TicketStatus::Postponed, Lang::En) => "Postponed",
        }
    }

    /// Tells whether a ticket in this status waits to be called.
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            TicketStatus::Issued | TicketStatus::Redirected | TicketStatus::Postponed
        )
    }

    /// Tells whether no action can move a ticket out of this status.
    pub fn is_final(self) -> bool {
        matches!(self, TicketStatus::Done | TicketStatus::NoShow)
    }
}

impl fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Something an operator does to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TicketAction {
    /// Call a waiting ticket to a window.
    Call { window: WindowNumber },
    /// Repeat the call on the hall display; the ticket stays called.
    Recall,
    /// The visitor has come to the window.
    StartServing,
    /// The visit is over.
    Finish,
    /// The visitor did not come.
    MarkNoShow,
    /// Send the ticket back to the queue until `after` other tickets are
    /// called.
    Postpone { after: u16 },
    /// Send the ticket to another window or service's queue.
    Redirect { to: RedirectTarget },
}

/// The name of a [`TicketAction`] without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketActionKind {
    Call,
    Recall,
    StartServing,
    Finish,
    MarkNoShow,
    Postpone,
    Redirect,
}

impl TicketActionKind {
    /// Returns the stable snake_case name used in APIs and logs.
    pub fn code(self) -> &'static str {
        match self {
            TicketActionKind::Call => "call",
            TicketActionKind::Recall => "recall",
            TicketActionKind::StartServing => "start_serving",
            TicketActionKind::Finish => "finish",
            TicketActionKind::MarkNoShow => "mark_no_show",
            TicketActionKind::Postpone => "postpone",
            TicketActionKind::Redirect => "redirect",
        }
    }
}

impl fmt::Display for TicketActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TicketAction {
    /// Returns the action's name without its data.
    pub fn kind(self) -> TicketActionKind {
        match self {
            TicketAction::Call { .. } => TicketActionKind::Call,
            TicketAction::Recall => TicketActionKind::Recall,
            TicketAction::StartServing => TicketActionKind::StartServing,
            TicketAction::Finish => TicketActionKind::Finish,
            TicketAction::MarkNoShow => TicketActionKind::MarkNoShow,
            TicketAction::Postpone { .. } => TicketActionKind::Postpone,
            TicketAction::Redirect { .. } => TicketActionKind::Redirect,
        }
    }
}

/// An action that the ticket's current state does not allow.
///
/// The server returns it with 409 Conflict, because another window has
/// already moved the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("cannot {action} a ticket that is {state}; reload the queue")]
pub struct TransitionError {
    /// The state the ticket is in, which the action left unchanged.
    pub state: TicketStatus,
    /// The action that was attempted.
    pub action: TicketActionKind,
}

impl TransitionError {
    /// The stable code for this error in API responses.
    pub const CODE: &'static str = "ticket.invalid_transition";

    /// Returns the message an operator reads.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Ru => format!(
                "Действие невозможно: талон уже в статусе «{}». Обновите очередь.",
                self.state.label(Lang::Ru)
            ),
            Lang::En => format!(
                "The action is not possible: the ticket is already \"{}\". Refresh the queue.",
                self.state.label(Lang::En)
            ),
        }
    }
}

impl TicketState {
    /// Returns the state's name without its data.
    pub fn status(self) -> TicketStatus {
        match self {
            TicketState::Issued => TicketStatus::Issued,
            TicketState::Called { .. } => TicketStatus::Called,
            TicketState::Serving { .. } => TicketStatus::Serving,
            TicketState::Done => TicketStatus::Done,
            TicketState::NoShow => TicketStatus::NoShow,
            TicketState::Redirected { .. } => TicketStatus::Redirected,
            TicketState::Postponed { .. } => TicketStatus::Postponed,
        }
    }

    /// Tells whether the ticket waits to be called.
    pub fn is_waiting(self) -> bool {
        self.status().is_waiting()
    }

    /// Tells whether no action can move the ticket any more.
    pub fn is_final(self) -> bool {
        self.status().is_final()
    }

    /// Returns the state after `action`, or an error naming this state and
    /// the action when the move is not allowed.
    ///
    /// # Errors
    ///
    /// [`TransitionError`] for every move outside the diagram in the module
    /// documentation, in particular every action on Done or NoShow.
    pub fn apply(self, action: TicketAction) -> Result<TicketState, TransitionError> {
        use TicketAction as A;
        use TicketState as S;

        let next = match (self, action) {
            (S::Issued | S::Redirected { .. } | S::Postponed { .. }, A::Call { window }) => {
                S::Called { window, recalls: 0 }
            }
            (S::Called { window, recalls }, A::Recall) => S::Called {
                window,
                recalls: recalls.saturating_add(1),
            },
            (S::Called { window, .. }, A::StartServing) => S::Serving { window },
            (S::Serving { .. }, A::Finish) => S::Done,
            (S::Called { .. }, A::MarkNoShow) => S::NoShow,
            (S::Called { .. } | S::Serving { .. }, A::Postpone { after }) => {
                S::Postponed { remaining: after }
            }
            (S::Called { .. } | S::Serving { .. }, A::Redirect { to }) => S::Redirected { to },
            (state, action) => {
                return Err(TransitionError {
                    state: state.status(),
                    action: action.kind(),
                })
            }
        };
        Ok(next)
    }

    /// Returns the state after another ticket was called: a postponed ticket
    /// comes one call closer to being called again; every other state stays.
    pub fn after_other_called(self) -> TicketState {
        match self {
            TicketState::Postponed { remaining } => TicketState::Postponed {
                remaining: remaining.saturating_sub(1),
            },
            other => other,
        }
    }
}
