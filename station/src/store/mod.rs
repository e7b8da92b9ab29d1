//! The station's local SQLite store: one file in WAL mode with
//! `synchronous=FULL`, so a committed transaction survives a power cut.
//!
//! It keeps the device's metadata, the outbox of events not yet
//! acknowledged by the server, the kiosk's requests and tickets, ticket
//! number leases, the pull cursor, the cached queue of the center and the
//! kiosk's copy of the trust directory for signature tokens. What
//! goes over the network is left to [`crate::sync`]; this module never
//! talks to the server.
//!
//! The store is shared between the UI thread and the sync thread behind
//! one mutex. Every operation is a short local transaction.

mod cache;
mod device;
mod error;
mod issue;
mod outbox;
mod schema;
mod trust;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Notify;

pub use cache::{CachedRequest, CachedTicket};
pub use device::DeviceInfo;
pub use error::StoreError;
pub use issue::{IssuedTicket, NewRequest, SubmittedRequest};
pub use outbox::{AckSummary, OutboxCounts, OutboxEntry, OutboxStatus, PendingEvent};
pub use schema::SCHEMA_VERSION;
pub use trust::{TrustCopy, TrustPageError};

/// How long a statement waits for a lock held by another connection to the
/// same file (a second process, such as a technician's tool).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The local store. Cheap to share as `Arc<Store>`.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// Woken after each commit that adds outbox events, so the push loop
    /// sends them without waiting for its next poll.
    outbox_signal: Arc<Notify>,
    /// Woken after each ticket issued, so the lease loop can top up.
    lease_signal: Arc<Notify>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if missing) the store at `path` and migrates it.
    ///
    /// # Errors
    ///
    /// [`StoreError::NewerSchema`] when the file was written by a newer
    /// station, [`StoreError::Sqlite`] when it cannot be opened.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::JournalMode { mode });
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        schema::migrate(&mut conn)?;
        tracing::debug!(path = %path.display(), "opened local store");
        Ok(Store {
            conn: Mutex::new(conn),
            path,
            outbox_signal: Arc::new(Notify::new()),
            lease_signal: Arc::new(Notify::new()),
        })
    }

    /// Returns the path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checkpoints the WAL into the main file and closes the connection.
    ///
    /// Dropping the store without calling this loses nothing: the WAL is
    /// replayed on the next open.
    pub fn close(self) -> Result<(), StoreError> {
        let conn = self
            .conn
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        conn.close().map_err(|(_, err)| StoreError::Sqlite(err))?;
        tracing::debug!(path = %self.path.display(), "closed local store");
        Ok(())
    }

    pub(crate) fn outbox_signal(&self) -> Arc<Notify> {
        Arc::clone(&self.outbox_signal)
    }

    pub(crate) fn lease_signal(&self) -> Arc<Notify> {
        Arc::clone(&self.lease_signal)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock happens between statements, and an
        // unfinished transaction rolls back when it is dropped, so the
        // connection behind a poisoned lock is still consistent.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests;
