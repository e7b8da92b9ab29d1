//! Versioned schema migrations. Migration `n` (1-based) brings the schema
//! from version `n - 1` to `n`; the version lives in `PRAGMA user_version`.
//! Append new migrations, never edit shipped ones.

use rusqlite::Connection;

use crate::store::StoreError;

const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r#"
    CREATE TABLE centers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        latitude REAL NOT NULL,
        longitude REAL NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE enroll_tokens (
        token_hash TEXT PRIMARY KEY,
        center_id TEXT NOT NULL REFERENCES centers(id),
        role TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        center_id TEXT NOT NULL REFERENCES centers(id),
        role TEXT NOT NULL,
        label TEXT NOT NULL,
        secret BLOB NOT NULL,
        enrolled_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id BLOB NOT NULL UNIQUE,
        center_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        issued TEXT,
        received_at TEXT NOT NULL
    );
    CREATE INDEX events_center_seq ON events(center_id, seq);
    CREATE TABLE ticket_counters (
        center_id TEXT NOT NULL,
        day TEXT NOT NULL,
        category TEXT NOT NULL,
        next_sequence INTEGER NOT NULL,
        PRIMARY KEY (center_id, day, category)
    );
    CREATE TABLE leases (
        id TEXT PRIMARY KEY,
        center_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        day TEXT NOT NULL,
        category TEXT NOT NULL,
        first INTEGER NOT NULL,
        last INTEGER NOT NULL,
        granted_at TEXT NOT NULL
    );
    CREATE TABLE tickets (
        id TEXT PRIMARY KEY,
        center_id TEXT NOT NULL,
        day TEXT NOT NULL,
        number TEXT NOT NULL,
        priority INTEGER NOT NULL,
        state TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        UNIQUE (center_id, day, number)
    );
    CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        center_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        ticket_id TEXT NOT NULL,
        state TEXT NOT NULL,
        visitor TEXT NOT NULL,
        chip TEXT,
        submitted_at TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT
    );
    CREATE INDEX requests_ticket ON requests(ticket_id);
    CREATE TABLE accounts (
        snils TEXT PRIMARY KEY,
        level TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE confirmation_codes (
        code_hash TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE TABLE operators (
        id TEXT PRIMARY KEY,
        center_id TEXT NOT NULL REFERENCES centers(id),
        login TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        operator_id TEXT NOT NULL REFERENCES operators(id),
        device_id TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    "#,
    // 2: clients of the citizen portal that redeem confirmation codes.
    r#"
    CREATE TABLE portal_clients (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    "#,
    // 3: finds the tickets issued from a lease, for the numbers-left gauge.
    r#"
    CREATE INDEX events_ticket_lease ON events(json_extract(body, '$.kind.data.lease_id'))
        WHERE kind = 'ticket_issued';
    "#,
    // 4: one-time codes confirming a registration request's phone or e-mail,
    // and the sends counted by the rate limits (keyed by hashes, not values).
    r#"
    CREATE TABLE contact_codes (
        request_id TEXT NOT NULL,
        contact TEXT NOT NULL,
        value TEXT NOT NULL,
        device_id TEXT NOT NULL,
        code_hash TEXT NOT NULL,
        state TEXT NOT NULL,
        verified_at TEXT,
        PRIMARY KEY (request_id, contact)
    );
    CREATE TABLE contact_sends (
        at INTEGER NOT NULL,
        key TEXT NOT NULL
    );
    CREATE INDEX contact_sends_key ON contact_sends(key, at);
    "#,
    // 5: each center's code and the key its kiosks sign ticket QR payloads
    // with and its consoles check them with. New centers get a key from the
    // operating system's random source (`admin::add_center`); existing ones
    // get SQLite's `randomblob`, a ChaCha20 generator seeded from the same
    // source. The code is `MFC-` and the last eight hex digits of the id:
    // random bits in a v7 UUID, where the first ones are a timestamp that
    // centers added within a minute share.
    r#"
    ALTER TABLE centers ADD COLUMN code TEXT;
    ALTER TABLE centers ADD COLUMN ticket_qr_key BLOB;
    UPDATE centers SET code = 'MFC-' || upper(substr(id, 29, 8)) WHERE code IS NULL;
    UPDATE centers SET ticket_qr_key = randomblob(32) WHERE ticket_qr_key IS NULL;
    "#,
    // 6: the trust directory (certificates of accredited certification
    // centers and their CRLs, with a version raised on every change), the
    // challenges a signature token signs, and the profile a signature
    // confirmation fills from the certificate.
    r#"
    CREATE TABLE trust_certificates (
        fingerprint TEXT PRIMARY KEY,
        anchor INTEGER NOT NULL,
        subject TEXT NOT NULL,
        serial TEXT NOT NULL,
        not_after TEXT NOT NULL,
        der BLOB NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE TABLE trust_crls (
        issuer TEXT PRIMARY KEY,
        this_update TEXT NOT NULL,
        next_update TEXT,
        der BLOB NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE TABLE trust_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
    );
    INSERT INTO trust_version (id, version) VALUES (1, 0);
    CREATE TABLE signature_challenges (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        attempt_id TEXT NOT NULL,
        nonce TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    );
    CREATE INDEX signature_challenges_device ON signature_challenges(device_id, issued_at);
    CREATE TABLE account_profiles (
        snils TEXT PRIMARY KEY,
        surname TEXT NOT NULL,
        given_name TEXT NOT NULL,
        patronymic TEXT,
        inn TEXT,
        method TEXT NOT NULL,
        certificate_issuer TEXT NOT NULL,
        certificate_serial TEXT NOT NULL,
        confirmed_at TEXT NOT NULL
    );
    "#,
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the schema up to [`SCHEMA_VERSION`] in one transaction, so a
/// failed migration leaves the database as it was.
///
/// # Errors
///
/// A database whose version is newer than this binary's is refused: an
/// older binary would write rows the newer schema does not expect.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: u32 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(backend)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::invalid(
            "schema.too_new",
            format!(
                "The database schema version is {found}, newer than {SCHEMA_VERSION} that this \
                 sync-server knows. Run a sync-server at least as new as the one that wrote it."
            ),
        ));
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }

    let tx = conn.transaction().map_err(backend)?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql).map_err(backend)?;
        tracing::info!(version = index + 1, "applied schema migration");
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(backend)?;
    tx.commit().map_err(backend)
}

pub(crate) fn backend(err: rusqlite::Error) -> StoreError {
    StoreError::Backend(err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_5_gives_existing_centers_a_code_and_a_key() {
        let mut conn = Connection::open_in_memory().expect("in-memory database");
        for sql in &MIGRATIONS[..4] {
            conn.execute_batch(sql).expect("migrations 1 to 4");
        }
        conn.pragma_update(None, "user_version", 4)
            .expect("version 4");
        for id in [
            "0193a5c2-7b10-7000-8000-0000c0ffee01",
            "0193a5c2-7b10-7000-8000-00000badf00d",
        ] {
            conn.execute(
                "INSERT INTO centers (id, name, address, time_zone, latitude, longitude, created_at)
                 VALUES (?1, 'МФЦ', 'Москва', 'Europe/Moscow', 55.7, 37.6, '2026-12-05T00:00:00Z')",
                [id],
            )
            .expect("center");
        }

        migrate(&mut conn).expect("migration 5");

        let rows: Vec<(String, Vec<u8>)> = conn
            .prepare("SELECT code, ticket_qr_key FROM centers ORDER BY id")
            .expect("select")
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        assert_eq!(rows[0].0, "MFC-0BADF00D");
        assert_eq!(rows[1].0, "MFC-C0FFEE01");
        assert_eq!(rows[0].1.len(), 32);
        assert_eq!(rows[1].1.len(), 32);
        assert_ne!(rows[0].1, rows[1].1);
    }

    #[test]
    fn migration_6_starts_an_empty_trust_directory() {
        let mut conn = Connection::open_in_memory().expect("in-memory database");
        for sql in &MIGRATIONS[..5] {
            conn.execute_batch(sql).expect("migrations 1 to 5");
        }
        conn.pragma_update(None, "user_version", 5)
            .expect("version 5");
        conn.execute(
            "INSERT INTO accounts (snils, level, updated_at)
             VALUES ('112-233-445 95', 'confirmed', '2026-12-05T00:00:00Z')",
            [],
        )
        .expect("account");

        migrate(&mut conn).expect("migration 6");

        let version: i64 = conn
            .query_row("SELECT version FROM trust_version", [], |row| row.get(0))
            .expect("version row");
        assert_eq!(version, 0);
        for table in [
            "trust_certificates",
            "trust_crls",
            "signature_challenges",
            "account_profiles",
        ] {
            let rows: i64 = conn
                .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                    row.get(0)
                })
                .expect("new table");
            assert_eq!(rows, 0, "{table}");
        }
        let accounts: i64 = conn
            .query_row("SELECT COUNT(*) FROM accounts", [], |row| row.get(0))
            .expect("accounts");
        assert_eq!(accounts, 1);
    }
}
