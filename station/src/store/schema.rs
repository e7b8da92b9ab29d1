//! The local schema and its versioned migrations.
//!
//! `PRAGMA user_version` stores the number of migrations applied. Opening
//! applies the missing ones in one transaction, so a crash mid-upgrade
//! leaves the previous version intact, and rejects a database written by a
//! newer station, whose tables this code would misread.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// Each entry upgrades the schema by one version; append, never edit.
pub(super) const MIGRATIONS: &[&str] = &[
    // Version 1: the first schema.
    "
    CREATE TABLE device (
        singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
        device_id   TEXT NOT NULL,
        center_id   TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('kiosk', 'operator')),
        server_url  TEXT NOT NULL,
        label       TEXT NOT NULL,
        enrolled_at TEXT NOT NULL
    );

    -- Events in the order the station recorded them. `envelope` is the
    -- JSON pushed to the server; it is set to NULL once acknowledged so
    -- no personal data outlive the acknowledgement.
    CREATE TABLE outbox (
        position        INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id        TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL,
        envelope        TEXT,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'acked')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error_message TEXT,
        server_seq      INTEGER,
        issued_code     TEXT,
        issued_code_expires_at TEXT,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
    );
    CREATE INDEX outbox_status ON outbox (status, position);

    CREATE TABLE leases (
        lease_id   TEXT PRIMARY KEY,
        category   TEXT NOT NULL,
        day        TEXT NOT NULL,
        first      INTEGER NOT NULL,
        last       INTEGER NOT NULL,
        next       INTEGER NOT NULL,
        granted_at TEXT NOT NULL,
        CHECK (first <= last AND next >= first AND next <= last + 1)
    );
    CREATE INDEX leases_category_day ON leases (category, day, first);

    CREATE TABLE tickets (
        ticket_id TEXT PRIMARY KEY,
        number    TEXT NOT NULL,
        category  TEXT NOT NULL,
        day       TEXT NOT NULL,
        lease_id  TEXT NOT NULL REFERENCES leases (lease_id),
        priority  INTEGER NOT NULL,
        issued_at TEXT NOT NULL,
        UNIQUE (day, number)
    );

    -- Requests submitted on this kiosk. `visitor` and `chip` hold personal
    -- data until the server acknowledged the request_submitted event.
    CREATE TABLE requests (
        request_id   TEXT PRIMARY KEY,
        request_kind TEXT NOT NULL,
        ticket_id    TEXT NOT NULL REFERENCES tickets (ticket_id),
        event_id     TEXT NOT NULL UNIQUE,
        visitor      TEXT,
        chip         TEXT,
        created_at   TEXT NOT NULL,
        purged_at    TEXT
    );

    CREATE TABLE sync_state (
        singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
        pull_cursor INTEGER NOT NULL
    );
    INSERT INTO sync_state (singleton, pull_cursor) VALUES (1, 0);

    -- The center's queue as pulled from the server.
    CREATE TABLE cache_tickets (
        ticket_id   TEXT PRIMARY KEY,
        number      TEXT NOT NULL,
        category    TEXT NOT NULL,
        priority    INTEGER NOT NULL,
        status      TEXT NOT NULL,
        window      TEXT,
        issued_at   TEXT NOT NULL,
        issued_seq  INTEGER NOT NULL,
        updated_seq INTEGER NOT NULL
    );
    CREATE INDEX cache_tickets_status ON cache_tickets (status);

    -- Requests as pulled from the server. Only an operator console keeps
    -- `visitor` and `chip`, and only until the request is decided.
    CREATE TABLE cache_requests (
        request_id   TEXT PRIMARY KEY,
        request_kind TEXT NOT NULL,
        ticket_id    TEXT NOT NULL,
        status       TEXT NOT NULL,
        visitor      TEXT,
        chip         TEXT,
        updated_seq  INTEGER NOT NULL
    );
    CREATE INDEX cache_requests_ticket ON cache_requests (ticket_id);
    ",
    // Version 2: the operator who recorded an event on a console, so a
    // queued event is sent in that operator's session, not the next one's.
    // NULL on kiosks and for events recorded before this version.
    "
    ALTER TABLE outbox ADD COLUMN author TEXT;
    ",
    // Version 3: the calls a postponed ticket still waits for and the
    // recalls of a called ticket, so a restarted console keeps the queue
    // order. Rows cached before this version start at 0.
    "
    ALTER TABLE cache_tickets ADD COLUMN postponed_remaining INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE cache_tickets ADD COLUMN recalls INTEGER NOT NULL DEFAULT 0;
    ",
    // Version 4: the kiosk's copy of the trust directory (accredited
    // certification centers and their CRLs), so a signature token's
    // certificate is checked while the server is unreachable. The copy is
    // replaced whole; `trust_state` has no row until the first copy.
    "
    CREATE TABLE trust_state (
        singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
        version    INTEGER NOT NULL,
        fetched_at TEXT NOT NULL
    );
    CREATE TABLE trust_certificates (
        position INTEGER PRIMARY KEY,
        anchor   INTEGER NOT NULL CHECK (anchor IN (0, 1)),
        der      BLOB NOT NULL
    );
    CREATE TABLE trust_crls (
        position INTEGER PRIMARY KEY,
        der      BLOB NOT NULL
    );
    ",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the schema of `conn` up to [`SCHEMA_VERSION`].
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: u32 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(migration)?;
        tracing::info!(version = index + 1, "applied local schema migration");
    }
    // PRAGMA takes no bound parameters; the value is our own constant.
    tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    tx.commit()?;
    Ok(())
}
