//! The console's seam to the station outbox: events recorded at this window
//! and not yet acknowledged by the server, in the order they happened.
//!
//! The durable SQLite outbox belongs to the `station` crate. Until it is
//! merged, [`MemoryOutbox`] keeps events in memory, so a crash of the
//! console loses the undelivered ones.

use std::sync::{Mutex, PoisonError};

use domain::sync::EventEnvelope;
use uuid::Uuid;

/// Events waiting for delivery. Ids are the idempotency keys the server
/// deduplicates on, so delivering one twice stores it once.
pub trait Outbox: Send + Sync {
    fn enqueue(&self, event: &EventEnvelope);
    /// Returns the undelivered events, oldest first.
    fn pending(&self) -> Vec<EventEnvelope>;
    fn mark_delivered(&self, id: Uuid);
}

/// An outbox in memory.
#[derive(Debug, Default)]
pub struct MemoryOutbox {
    events: Mutex<Vec<EventEnvelope>>,
}

impl Outbox for MemoryOutbox {
    fn enqueue(&self, event: &EventEnvelope) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event.clone());
    }

    fn pending(&self) -> Vec<EventEnvelope> {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn mark_delivered(&self, id: Uuid) {
        self.events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|event| event.id != id);
    }
}
