//! The append-only audit log: every operator decision and administrative
//! change, each entry hash-chained to the one before.
//!
//! `hash = SHA-256(prev_hash \n seq \n at \n actor \n action \n subject \n detail)`
//! in lowercase hex; the first entry's `prev_hash` is 64 zeros. Editing an
//! entry breaks its hash; removing one breaks the next entry's link or the
//! sequence.
//!
//! Removing the newest entries would leave a shorter chain that still
//! links up, so the newest `seq` and `hash` are also kept outside the
//! database, in the head file `<database>.audit-head` ([`HeadFile`]),
//! rewritten atomically after each commit that appended entries. `verify`
//! checks the chain still reaches that entry. `audit verify` prints the
//! head, so it can also be copied to a log on another machine.
//!
//! NOTE: an attacker who can rewrite both the database and the head file
//! can still cut the chain unnoticed. Only a head copied elsewhere catches
//! that.
//! Entries carry ids and codes only, never personal data.

use std::io::Write;
use std::path::{Path, PathBuf};

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

/// The newest entry of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub seq: u64,
    pub hash: String,
}

/// Returns the newest entry's `seq` and `hash`, or `None` for an empty log.
pub(crate) fn head(conn: &Connection) -> Result<Option<AuditHead>, StoreError> {
    conn.prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .and_then(|mut statement| {
            statement
                .query_row([], |row| {
                    Ok(AuditHead {
                        seq: row.get::<_, i64>(0)? as u64,
                        hash: row.get(1)?,
                    })
                })
                .optional()
        })
        .map_err(backend)
}

/// The head file: one line `seq hash`, next to the database.
pub(crate) struct HeadFile {
    path: PathBuf,
}

impl HeadFile {
    /// Names the head file of the database at `database`.
    pub fn next_to(database: &Path) -> HeadFile {
        let mut name = database.as_os_str().to_owned();
        name.push(".audit-head");
        HeadFile {
            path: PathBuf::from(name),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the head file; `None` when there is none yet.
    pub fn read(&self) -> Result<Option<AuditHead>, StoreError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(StoreError::Backend(format!(
                    "cannot read the audit head file {}: {err}",
                    self.path.display()
                )))
            }
        };
        let parsed = text.trim().split_once(' ').and_then(|(seq, hash)| {
            let valid = hash.len() == 64 && hash.bytes().all(|byte| byte.is_ascii_hexdigit());
            Some(AuditHead {
                seq: seq.parse().ok()?,
                hash: hash.to_owned(),
            })
            .filter(|_| valid)
        });
        parsed.map(Some).ok_or_else(|| {
            StoreError::invalid(
                "audit.head_unreadable",
                format!(
                    "The audit head file {} is not `seq hash`; it was damaged or edited. \
                     Compare it with a head copied elsewhere.",
                    self.path.display()
                ),
            )
        })
    }

    /// Replaces the head file atomically: a temporary file is written and
    /// synced, then renamed over the old one.
    pub fn write(&self, head: &AuditHead) -> std::io::Result<()> {
        let mut temporary = self.path.as_os_str().to_owned();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        let mut file = std::fs::File::create(&temporary)?;
        writeln!(file, "{} {}", head.seq, head.hash)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &self.path)?;
        if let Some(folder) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            // The rename is durable once the folder entry is synced.
            std::fs::File::open(folder)?.sync_all()?;
        }
        Ok(())
    }
}

/// Walks the whole chain and reports the first broken entry; with `head`
/// (from the head file), also that the chain still reaches that entry.
pub(crate) fn verify(
    conn: &Connection,
    head: Option<&AuditHead>,
) -> Result<AuditReport, StoreError> {
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
        if let Some(head) = head.filter(|head| head.seq == seq as u64) {
            if head.hash != hash {
                return Ok(broken("hash differs from the one in the audit head file"));
            }
        }
        expected_seq += 1;
        expected_prev = hash;
    }
    let last = (expected_seq - 1) as u64;
    if let Some(head) = head.filter(|head| head.seq > last) {
        return Ok(AuditReport::Broken {
            seq: last + 1,
            reason: format!(
                "newest entries removed: the log ends at {last}, the audit head file names {}",
                head.seq
            ),
        });
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
