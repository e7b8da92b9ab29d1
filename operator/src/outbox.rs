//! The console's seam to its outbox: events recorded at this window and not
//! yet acknowledged by the server, in the order they happened.
//!
//! The durable outbox is the station's SQLite store, reached through
//! [`crate::backend::station::StationLink`]; [`MemoryOutbox`] keeps events in
//! memory for the demo and the UI tests, so a crash loses its undelivered
//! events.

use std::sync::{Mutex, PoisonError};

use domain::sync::{EventEnvelope, EventKind};
use jiff::Timestamp;
use uuid::Uuid;

/// The event could not be saved; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot save the event in the local outbox: {cause}")]
pub struct OutboxError {
    /// The store's error, which carries no personal data.
    pub cause: String,
}

/// An undelivered event and the operator who recorded it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedEvent {
    pub envelope: EventEnvelope,
    /// The operator's login; `None` for an event recorded with no operator
    /// logged in or before the outbox kept logins.
    pub author: Option<String>,
}

/// Events waiting for delivery. Ids are the idempotency keys the server
/// deduplicates on, so delivering one twice stores it once.
pub trait Outbox: Send + Sync {
    /// Saves `kind`, caused by the operator logged in as `author`, as a new
    /// event with a fresh UUIDv7 id, durably before it returns, and gives
    /// back its envelope.
    fn record(
        &self,
        kind: EventKind,
        at: Timestamp,
        author: Option<&str>,
    ) -> Result<EventEnvelope, OutboxError>;
    /// Returns the undelivered events, oldest first.
    fn pending(&self) -> Vec<QueuedEvent>;
    /// Notes that the server answered for event `id`. An outbox whose
    /// backend records the answer itself (the station store) ignores it.
    fn mark_delivered(&self, id: Uuid);
}

/// An outbox in memory.
#[derive(Debug, Default)]
pub struct MemoryOutbox {
    events: Mutex<Vec<QueuedEvent>>,
}

impl Outbox for MemoryOutbox {
    fn record(
        &self,
        kind: EventKind,
        at: Timestamp,
        author: Option<&str>,
    ) -> Result<EventEnvelope, OutboxError> {
        let event = EventEnvelope {
            id: Uuid::now_v7(),
            occurred_at: at,
            kind,
        };
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(QueuedEvent {
                envelope: event.clone(),
                author: author.map(str::to_owned),
            });
        Ok(event)
    }

    fn pending(&self) -> Vec<QueuedEvent> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn mark_delivered(&self, id: Uuid) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|event| event.envelope.id != id);
    }
}
