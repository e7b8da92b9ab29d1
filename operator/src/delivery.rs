//! Sending the operator's events: each one goes into the outbox first, then
//! to the server when the link is up and nothing older waits. Whatever the
//! server does not acknowledge stays in the outbox for the worker.

use std::sync::PoisonError;

use domain::sync::{EventEnvelope, EventKind};
use uuid::Uuid;

use crate::app::State;
use crate::backend::{Accepted, PushError};

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

/// Wraps `kind` in an envelope with a fresh UUIDv7 and the console's clock.
pub(crate) fn envelope(state: &State, kind: EventKind) -> EventEnvelope {
    EventEnvelope {
        id: Uuid::now_v7(),
        occurred_at: state.now(),
        kind,
    }
}

/// Records `event` in the outbox and sends it unless older events wait.
pub(crate) fn send(state: &State, event: &EventEnvelope) -> Sent {
    let outbox = &state.deps.outbox;
    let delivery = state.delivery.clone();
    let guard = delivery.lock().unwrap_or_else(PoisonError::into_inner);
    outbox.enqueue(event);

    let older_waiting = outbox
        .pending()
        .iter()
        .any(|pending| pending.id != event.id);
    let token = state
        .token
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let (sent, reachable) = match token {
        Some(token) if !older_waiting => push(state, &token, event),
        _ => (Sent::Queued, state.online.get()),
    };
    drop(guard);

    state.set_online(reachable);
    sent
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
