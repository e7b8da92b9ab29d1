//! The outbox: events recorded by this station and not yet acknowledged
//! by the server.
//!
//! An event is `pending` until the server answers for it. `applied` and
//! `duplicate` make it `acked`, and its envelope (which may carry personal
//! data) is erased at that moment. `rejected` makes it `failed`: it stays
//! with its envelope and the server's reason for a technician, and later
//! events go on without it.

use domain::sync::{AckOutcome, EventAck, EventEnvelope, EventKind, IssuedCode};
use jiff::Timestamp;
use rusqlite::{params, OptionalExtension, Transaction};
use uuid::Uuid;

use super::device::{parse_timestamp, parse_uuid};
use super::{Store, StoreError};

/// Where an outbox event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    Failed,
    Acked,
}

impl OutboxStatus {
    fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Acked => "acked",
        }
    }

    fn parse(text: &str) -> Result<Self, StoreError> {
        match text {
            "pending" => Ok(OutboxStatus::Pending),
            "failed" => Ok(OutboxStatus::Failed),
            "acked" => Ok(OutboxStatus::Acked),
            _ => Err(StoreError::Corrupt {
                column: "outbox.status",
            }),
        }
    }
}

/// An event waiting to be pushed, with its envelope.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingEvent {
    pub envelope: EventEnvelope,
    pub attempts: u32,
    /// The login of the operator who recorded it, on a console; `None` for
    /// a kiosk's events and for events recorded before logins were kept.
    pub author: Option<String>,
}

/// One outbox row as a technician sees it; the envelope is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub event_id: Uuid,
    /// The wire name of the kind, such as `ticket_issued`.
    pub kind: String,
    pub status: OutboxStatus,
    pub attempts: u32,
    pub last_error_code: Option<String>,
    /// The server's explanation of a rejection, in Russian.
    pub last_error_message: Option<String>,
    pub server_seq: Option<u64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Event counts by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    pub failed: u64,
    pub acked: u64,
}

/// What applying a push answer changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AckSummary {
    pub acked: usize,
    pub rejected: usize,
    /// Events whose acknowledgement carried a confirmation code to print;
    /// read it once with [`Store::take_issued_code`].
    pub codes_issued: Vec<Uuid>,
}

impl Store {
    /// Records one event in the outbox and returns its id (a fresh UUIDv7).
    pub fn record_event(&self, kind: EventKind, at: Timestamp) -> Result<Uuid, StoreError> {
        self.record_event_by(kind, at, None)
    }

    /// Records one event with the login of the operator who caused it
    /// (`None` for a kiosk) and returns its id (a fresh UUIDv7).
    pub fn record_event_by(
        &self,
        kind: EventKind,
        at: Timestamp,
        author: Option<&str>,
    ) -> Result<Uuid, StoreError> {
        let envelope = EventEnvelope {
            id: Uuid::now_v7(),
            occurred_at: at,
            kind,
        };
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        insert_event(&tx, &envelope, at)?;
        if let Some(author) = author {
            tx.execute(
                "UPDATE outbox SET author = ?2 WHERE event_id = ?1",
                params![envelope.id.to_string(), author],
            )?;
        }
        tx.commit()?;
        drop(conn);
        self.outbox_signal.notify_one();
        Ok(envelope.id)
    }

    /// Returns up to `limit` pending events, oldest first.
    pub fn pending_events(&self, limit: usize) -> Result<Vec<PendingEvent>, StoreError> {
        let conn = self.lock();
        let mut statement = conn.prepare_cached(
            "SELECT envelope, attempts, author FROM outbox
             WHERE status = 'pending' ORDER BY position LIMIT ?1",
        )?;
        let rows = statement.query_map([limit as i64], |row| {
            Ok((
                row.get::<_, Option<String>>(0)?,
                row.get::<_, u32>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut events = Vec::new();
        for row in rows {
            let (envelope, attempts, author) = row?;
            let envelope = envelope.ok_or(StoreError::Corrupt {
                column: "outbox.envelope",
            })?;
            let envelope: EventEnvelope =
                serde_json::from_str(&envelope).map_err(|_| StoreError::Corrupt {
                    column: "outbox.envelope",
                })?;
            events.push(PendingEvent {
                envelope,
                attempts,
                author,
            });
        }
        Ok(events)
    }

    /// Applies the server's answers in one transaction: acknowledged events
    /// are done and their personal data erased, rejected ones are kept as
    /// failed with the server's code and message. Answers for events that
    /// are not pending (a late answer to an earlier push) change nothing.
    pub fn apply_acks(&self, acks: &[EventAck], at: Timestamp) -> Result<AckSummary, StoreError> {
        let mut summary = AckSummary::default();
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let now = at.to_string();
        for ack in acks {
            let id = ack.id.to_string();
            match &ack.outcome {
                AckOutcome::Applied { seq, issued } | AckOutcome::Duplicate { seq, issued } => {
                    let changed = tx.execute(
                        "UPDATE outbox SET status = 'acked', envelope = NULL, server_seq = ?2,
                            attempts = attempts + 1, last_error_code = NULL,
                            last_error_message = NULL, updated_at = ?3,
                            issued_code = ?4, issued_code_expires_at = ?5
                         WHERE event_id = ?1 AND status = 'pending'",
                        params![
                            id,
                            *seq as i64,
                            now,
                            issued.as_ref().map(|code| code.code.clone()),
                            issued.as_ref().map(|code| code.expires_at.to_string()),
                        ],
                    )?;
                    if changed == 1 {
                        summary.acked += 1;
                        if issued.is_some() {
                            summary.codes_issued.push(ack.id);
                        }
                        purge_request(&tx, &id, &now)?;
                    }
                }
                AckOutcome::Rejected { code, message, .. } => {
                    let changed = tx.execute(
                        "UPDATE outbox SET status = 'failed', attempts = attempts + 1,
                            last_error_code = ?2, last_error_message = ?3, updated_at = ?4
                         WHERE event_id = ?1 AND status = 'pending'",
                        params![id, code, message, now],
                    )?;
                    if changed == 1 {
                        summary.rejected += 1;
                        tracing::warn!(event_id = %ack.id, code = %code, "server rejected an event; kept as failed");
                    }
                }
            }
        }
        tx.commit()?;
        Ok(summary)
    }

    /// Counts a push attempt that got no per-event answer (network error,
    /// 5xx), so a technician sees how often an event was tried and why.
    pub fn note_push_failure(
        &self,
        event_ids: &[Uuid],
        error_code: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let now = at.to_string();
        for id in event_ids {
            tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error_code = ?2, updated_at = ?3
                 WHERE event_id = ?1 AND status = 'pending'",
                params![id.to_string(), error_code, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks one pending event failed on the station's own judgement, for a
    /// batch the server refused as a whole (4xx) that narrowed to this event.
    pub fn fail_event(
        &self,
        event_id: Uuid,
        code: &str,
        message: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1,
                last_error_code = ?2, last_error_message = ?3, updated_at = ?4
             WHERE event_id = ?1 AND status = 'pending'",
            params![event_id.to_string(), code, message, at.to_string()],
        )?;
        Ok(())
    }

    /// Puts a failed event back in the queue, for a technician who fixed
    /// the cause on the server.
    pub fn retry_failed(&self, event_id: Uuid, at: Timestamp) -> Result<bool, StoreError> {
        let changed = self.lock().execute(
            "UPDATE outbox SET status = 'pending', updated_at = ?2
             WHERE event_id = ?1 AND status = 'failed'",
            params![event_id.to_string(), at.to_string()],
        )?;
        if changed == 1 {
            self.outbox_signal.notify_one();
        }
        Ok(changed == 1)
    }

    /// Returns the outbox counts by status.
    pub fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let conn = self.lock();
        let mut statement =
            conn.prepare_cached("SELECT status, COUNT(*) FROM outbox GROUP BY status")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?;
        let mut counts = OutboxCounts::default();
        for row in rows {
            let (status, count) = row?;
            let count = count as u64;
            match OutboxStatus::parse(&status)? {
                OutboxStatus::Pending => counts.pending = count,
                OutboxStatus::Failed => counts.failed = count,
                OutboxStatus::Acked => counts.acked = count,
            }
        }
        Ok(counts)
    }

    /// Returns every outbox row with `status`, oldest first, without envelopes.
    pub fn outbox_entries(&self, status: OutboxStatus) -> Result<Vec<OutboxEntry>, StoreError> {
        let conn = self.lock();
        let mut statement = conn.prepare_cached(
            "SELECT event_id, kind, status, attempts, last_error_code, last_error_message,
                    server_seq, created_at, updated_at
             FROM outbox WHERE status = ?1 ORDER BY position",
        )?;
        let rows = statement.query_map([status.as_str()], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, u32>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, Option<i64>>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, String>(8)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (id, kind, status, attempts, code, message, seq, created, updated) = row?;
            entries.push(OutboxEntry {
                event_id: parse_uuid(&id, "outbox.event_id")?,
                kind,
                status: OutboxStatus::parse(&status)?,
                attempts,
                last_error_code: code,
                last_error_message: message,
                server_seq: seq.map(|seq| seq as u64),
                created_at: parse_timestamp(&created, "outbox.created_at")?,
                updated_at: parse_timestamp(&updated, "outbox.updated_at")?,
            });
        }
        Ok(entries)
    }

    /// Returns the confirmation code the server issued for an acknowledged
    /// decision and erases it, so it is printed once and kept no longer.
    pub fn take_issued_code(&self, event_id: Uuid) -> Result<Option<IssuedCode>, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let row = tx
            .query_row(
                "SELECT issued_code, issued_code_expires_at FROM outbox
                 WHERE event_id = ?1 AND issued_code IS NOT NULL",
                [event_id.to_string()],
                |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
            )
            .optional()?;
        let Some((code, expires_at)) = row else {
            return Ok(None);
        };
        tx.execute(
            "UPDATE outbox SET issued_code = NULL, issued_code_expires_at = NULL
             WHERE event_id = ?1",
            [event_id.to_string()],
        )?;
        tx.commit()?;
        Ok(Some(IssuedCode {
            code,
            expires_at: parse_timestamp(&expires_at, "outbox.issued_code_expires_at")?,
        }))
    }
}

/// Inserts one pending event inside the caller's transaction.
pub(super) fn insert_event(
    tx: &Transaction<'_>,
    envelope: &EventEnvelope,
    at: Timestamp,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(envelope).map_err(|_| StoreError::Corrupt {
        column: "outbox.envelope",
    })?;
    let now = at.to_string();
    tx.execute(
        "INSERT INTO outbox (event_id, kind, envelope, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'pending', ?4, ?4)",
        params![envelope.id.to_string(), envelope.kind.name(), json, now],
    )?;
    Ok(())
}

/// Erases the visitor data of the request whose submission `event_id` was.
fn purge_request(tx: &Transaction<'_>, event_id: &str, now: &str) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE requests SET visitor = NULL, chip = NULL, purged_at = ?2
         WHERE event_id = ?1 AND purged_at IS NULL",
        params![event_id, now],
    )?;
    Ok(())
}
