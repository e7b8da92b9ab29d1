//! The append-only audit log: every operator decision and administrative
//! change, each entry hash-chained to the one before.
//!
//! `hash = SHA-256(prev_hash \n seq \n at \n actor \n action \n subject \n detail)`
//! in lowercase hex; the first entry's `prev_hash` is 64 zeros. Editing an
//! entry breaks its hash; removing one breaks the next entry's link or the
//! sequence.
//!
//! NOTE: removing the newest entries leaves a shorter chain that still
//! verifies. Catching that needs the head hash kept outside this database,
//! for example printed into an external log by `audit verify`.
//! Entries carry ids and codes only, never personal data.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::migrations::backend;
use crate::store::{AuditReport, StoreError};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry before it is chained.
pub(crate) struct AuditEntry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

/// Appends `entry` inside the caller's transaction.
pub(crate) fn append(
    conn: &Connection,
    entry: &AuditEntry<'_>,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(backend)?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = at.to_string();
    let hash = entry_hash(&prev_hash, seq, &at, entry);
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            seq,
            at,
            entry.actor,
            entry.action,
            entry.subject,
            entry.detail,
            prev_hash,
            hash
        ],
    )
    .map_err(backend)?;
    Ok(())
}

/// Walks the whole chain and reports the first broken entry.
pub(crate) fn verify(conn: &Connection) -> Result<AuditReport, StoreError> {
    let mut statement = conn
        .prepare(
            "SELECT seq, at, actor, action, subject, detail, prev_hash, hash
             FROM audit_log ORDER BY seq",
        )
        .map_err(backend)?;
    let mut rows = statement.query([]).map_err(backend)?;

    let mut expected_seq = 1_i64;
    let mut expected_prev = GENESIS.to_owned();
    while let Some(row) = rows.next().map_err(backend)? {
        let seq: i64 = row.get(0).map_err(backend)?;
        let at: String = row.get(1).map_err(backend)?;
        let actor: String = row.get(2).map_err(backend)?;
        let action: String = row.get(3).map_err(backend)?;
        let subject: String = row.get(4).map_err(backend)?;
        let detail: String = row.get(5).map_err(backend)?;
        let prev_hash: String = row.get(6).map_err(backend)?;
        let hash: String = row.get(7).map_err(backend)?;

        let broken = |reason: &str| AuditReport::Broken {
            seq: seq as u64,
            reason: reason.to_owned(),
        };
        if seq != expected_seq {
            return Ok(AuditReport::Broken {
                seq: expected_seq as u64,
                reason: format!("entry missing: the next stored entry is {seq}"),
            });
        }
        if prev_hash != expected_prev {
            return Ok(broken("link to the previous entry does not match its hash"));
        }
        let entry = AuditEntry {
            actor: &actor,
            action: &action,
            subject: &subject,
            detail: &detail,
        };
        if entry_hash(&prev_hash, seq, &at, &entry) != hash {
            return Ok(broken("content does not match the stored hash (edited)"));
        }
        expected_seq += 1;
        expected_prev = hash;
    }
    Ok(AuditReport::Intact {
        entries: (expected_seq - 1) as u64,
    })
}

fn entry_hash(prev_hash: &str, seq: i64, at: &str, entry: &AuditEntry<'_>) -> String {
    let text = format!(
        "{prev_hash}\n{seq}\n{at}\n{}\n{}\n{}\n{}",
        entry.actor, entry.action, entry.subject, entry.detail
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}
