//! What the sync service reports to the UI: a status snapshot for the top
//! bar and the service mode, and the updates pushed through the callback.

use jiff::Timestamp;
use uuid::Uuid;

/// Whether the last exchange with the server got an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Link {
    /// No exchange finished yet since the service started.
    #[default]
    Unknown,
    Up,
    Down,
}

/// A snapshot of the sync state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncStatus {
    pub link: Link,
    /// The last time a push or pull got a good answer.
    pub last_sync_at: Option<Timestamp>,
    /// Events waiting to be pushed.
    pub outbox_pending: u64,
    /// Events the server rejected, kept for a technician.
    pub outbox_failed: u64,
    /// The stable code of the last error, such as `network` or `auth.revoked`.
    pub last_error: Option<String>,
    pub pull_cursor: u64,
}

/// What the sync service tells the UI. The callback runs on the sync
/// thread; a Slint UI forwards it with `invoke_from_event_loop`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncUpdate {
    /// The status changed.
    Status(SyncStatus),
    /// A pull changed the cached queue; reread it from the store.
    ChangesApplied { count: usize },
    /// The server issued a confirmation code for this decision event; read
    /// it with `Store::take_issued_code` and print it.
    CodeIssued { event_id: Uuid },
    /// The server rejected this event; it stays in the outbox as failed.
    EventRejected { event_id: Uuid, code: String },
    /// A new trust directory version was stored.
    TrustUpdated { version: u64 },
}
