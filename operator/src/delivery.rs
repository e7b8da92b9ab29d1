//! Sending the operator's events: each one goes into the outbox first with
//! the operator's login, then to the server in that operator's session
//! when the link is up and nothing older waits. Whatever the server does
//! not acknowledge stays in the outbox for the worker.

use std::sync::PoisonError;

use domain::sync::{EventEnvelope, EventKind};
use uuid::Uuid;

use crate::app::State;
use crate::backend::{Accepted, PushError};
use crate::outbox::OutboxError;

/// What happened to an event the operator caused.
#[derive(Debug)]
pub(crate) enum Sent {
    /// The server stored it.
    Delivered(Accepted),
    /// Saved in the outbox; the worker sends it when the server answers.
    Queued,
    /// Another window got there first; `current_state` is the stable code.
    Conflict { current_state: String },
    /// The server refused it; `message` is its Russian explanation.
    Refused { message: String },
}

/// What the operator reads when the console cannot save an event.
pub(crate) const NOT_SAVED: &str =
    "действие не сохранено: консоль не может записать его на диск; повторите, а если не поможет, вызовите техника";

/// Records `kind` in the outbox at the console's clock, as an event of the
/// operator at the window, and sends it unless older events that can be
/// sent now wait. Returns the event's id with the outcome, or the outbox
/// error when nothing was saved (and so nothing sent).
///
/// Older events of an operator whose session is gone (after a console
/// restart, or an expired session) wait for that operator's next login
/// and do not hold up this one.
pub(crate) fn send(state: &State, kind: EventKind) -> Result<(Uuid, Sent), OutboxError> {
    let outbox = &state.deps.outbox;
    let delivery = state.delivery.clone();
    let guard = delivery.lock().unwrap_or_else(PoisonError::into_inner);
    let current = state
        .tokens
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .current();
    let author = current.as_ref().map(|(login, _)| login.as_str());
    let event = match outbox.record(kind, state.now(), author) {
        Ok(event) => event,
        Err(error) => {
            tracing::error!(cause = %error, "event not saved");
            return Err(error);
        }
    };
    let event = &event;

    let now = state.now();
    let older_waiting = {
        let tokens = state.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        outbox.pending().iter().any(|pending| {
            pending.envelope.id != event.id
                && tokens.token_for(pending.author.as_deref(), now).is_some()
        })
    };
    let (sent, reachable) = match current {
        Some((_, token)) if !older_waiting => push(state, &token, event),
        _ => (Sent::Queued, state.online.get()),
    };
    drop(guard);

    state.set_online(reachable);
    Ok((event.id, sent))
}

/// Pushes one event; the flag tells whether the server answered.
fn push(state: &State, token: &str, event: &EventEnvelope) -> (Sent, bool) {
    let kind = event.kind.name();
    match state.deps.backend.push(token, event) {
        Ok(accepted) => {
            state.deps.outbox.mark_delivered(event.id);
            tracing::info!(event_id = %event.id, kind, "event delivered");
            (Sent::Delivered(accepted), true)
        }
        Err(PushError::Unreachable) => {
            tracing::warn!(event_id = %event.id, kind, "sync server unreachable; event kept in the outbox");
            (Sent::Queued, false)
        }
        Err(PushError::Conflict { current_state }) => {
            state.deps.outbox.mark_delivered(event.id);
            tracing::warn!(event_id = %event.id, kind, current_state, "event conflicts with the server state");
            (Sent::Conflict { current_state }, true)
        }
        Err(PushError::Rejected { code, message }) => {
            state.deps.outbox.mark_delivered(event.id);
            tracing::error!(event_id = %event.id, kind, code, "server rejected the event");
            (Sent::Refused { message }, true)
        }
    }
}
