//! Push, pull and ticket-number leases.
//!
//! A push is one transaction, and an event the rules reject changes
//! nothing, so the ones behind it still apply. The rules in `apply` reject
//! an event before its first write, so no savepoint is needed to undo it.
//! If a rejection ever comes after a write, the group is rolled back and
//! applied again with a savepoint per event (see [`push_group`]).

use domain::sync::{
    AckOutcome, Change, DeviceRole, EventAck, EventEnvelope, EventKind, IssuedCode, LeaseGrant,
    PullPage,
};
use domain::ticket::{ServiceCategory, SEQUENCE_MAX, SEQUENCE_MIN};
use jiff::civil::Date;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::apply::{apply_event, Rejection};
use super::codec::{parse_json, parse_uuid, to_json};
use super::migrations::backend;
use crate::store::{Session, StoreError};

/// One push waiting for the next group commit.
pub(crate) struct PushJob {
    pub device: crate::store::Device,
    pub session: Option<Session>,
    pub events: Vec<EventEnvelope>,
    /// Each event encoded as stored, made by the pushing thread so that the
    /// writer does not spend its time on JSON.
    pub bodies: Vec<String>,
    pub now: Timestamp,
    /// Registration requests need confirmed contacts (see `apply`).
    pub contacts_required: bool,
    pub reply: std::sync::mpsc::Sender<Result<Vec<EventAck>, StoreError>>,
}

impl PushJob {
    /// Encodes `events` for storage and builds the job.
    pub fn new(
        device: crate::store::Device,
        session: Option<Session>,
        events: Vec<EventEnvelope>,
        now: Timestamp,
        contacts_required: bool,
        reply: std::sync::mpsc::Sender<Result<Vec<EventAck>, StoreError>>,
    ) -> PushJob {
        let bodies = events.iter().map(to_json).collect();
        PushJob {
            device,
            session,
            events,
            bodies,
            now,
            contacts_required,
            reply,
        }
    }
}

/// Undo strategy for the writes of a rejected event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Undo {
    /// No savepoints: the rules reject before writing, which is checked.
    NothingToUndo,
    /// A savepoint per event, rolled back when the event is rejected.
    SavepointPerEvent,
}

/// The reason a group was not committed.
enum GroupError {
    Store(StoreError),
    /// A rule rejected the event after it changed rows. Without a savepoint
    /// those changes cannot be undone alone.
    WroteBeforeRejecting {
        event_id: Uuid,
        code: String,
    },
}

impl From<StoreError> for GroupError {
    fn from(err: StoreError) -> Self {
        GroupError::Store(err)
    }
}

/// Applies one event's effects. Outside tests this is [`apply_event`].
type ApplyFn =
    dyn Fn(&Connection, &PushJob, &EventEnvelope) -> Result<Option<IssuedCode>, Rejection>;

fn apply_with_rules(
    conn: &Connection,
    job: &PushJob,
    event: &EventEnvelope,
) -> Result<Option<IssuedCode>, Rejection> {
    let rules = super::apply::Rules {
        session: job.session.as_ref(),
        contacts_required: job.contacts_required,
    };
    apply_event(conn, &job.device, &rules, event, job.now)
}

/// Applies every waiting push in one transaction and replies to each job.
///
/// Group commit: pushes that queued while the previous commit was syncing
/// to disk share one commit, so the disk sync cost is paid once per group
/// instead of once per push. Each push still commits whole or not at all.
pub(crate) fn push_group(conn: &mut Connection, jobs: Vec<PushJob>) {
    push_group_with(conn, jobs, &apply_with_rules);
}

fn push_group_with(conn: &mut Connection, jobs: Vec<PushJob>, apply: &ApplyFn) {
    let mut outcome = apply_group(conn, &jobs, apply, Undo::NothingToUndo);
    if let Err(GroupError::WroteBeforeRejecting { event_id, code }) = &outcome {
        // A bug in `apply`, not in the input: the transaction is rolled
        // back and the group applied again in the slower, always correct way.
        tracing::error!(
            %event_id,
            code = %code,
            "a rule rejected an event after it wrote; applying the push group again with a savepoint per event"
        );
        outcome = apply_group(conn, &jobs, apply, Undo::SavepointPerEvent);
    }

    match outcome {
        Ok(results) => {
            for (job, acks) in jobs.into_iter().zip(results) {
                log_alerts(&job, &acks);
                // A caller that gave up waiting dropped its receiver; its
                // events are stored and a retry gets `duplicate`.
                let _ = job.reply.send(Ok(acks));
            }
        }
        Err(err) => {
            let detail = match err {
                GroupError::Store(err) => err.to_string(),
                GroupError::WroteBeforeRejecting { event_id, .. } => {
                    format!("event {event_id} was rejected after it wrote, even with savepoints")
                }
            };
            for job in jobs {
                let _ = job.reply.send(Err(StoreError::Backend(detail.clone())));
            }
        }
    }
}

/// Applies and commits `jobs` in one transaction and returns each job's acks.
fn apply_group(
    conn: &mut Connection,
    jobs: &[PushJob],
    apply: &ApplyFn,
    undo: Undo,
) -> Result<Vec<Vec<EventAck>>, GroupError> {
    let mut results = Vec::with_capacity(jobs.len());
    let mut tx = conn.transaction().map_err(backend)?;
    for job in jobs {
        let mut acks = Vec::with_capacity(job.events.len());
        let text = JobText {
            center: job.device.center_id.to_string(),
            device: job.device.id.to_string(),
            now: job.now.to_string(),
        };
        for (event, body) in job.events.iter().zip(&job.bodies) {
            let outcome = push_one(&mut tx, job, &text, event, body, apply, undo)?;
            acks.push(EventAck {
                id: event.id,
                outcome,
            });
        }
        results.push(acks);
    }
    tx.commit().map_err(backend)?;
    Ok(results)
}

/// Logs the device alerts a push applied, one line per alert code with
/// its count, so a device repeating an alert cannot flood the log.
fn log_alerts(job: &PushJob, acks: &[EventAck]) {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (event, ack) in job.events.iter().zip(acks) {
        let EventKind::DeviceAlert(alert) = &event.kind else {
            continue;
        };
        if !matches!(ack.outcome, AckOutcome::Applied { .. }) {
            continue;
        }
        match counts.iter_mut().find(|(code, _)| *code == alert.code) {
            Some((_, count)) => *count += 1,
            None => counts.push((&alert.code, 1)),
        }
    }
    for (code, count) in counts {
        tracing::warn!(device_id = %job.device.id, alert = %code, count, "device alert");
    }
}

/// The job's columns as stored, formatted once per push instead of once
/// per event.
struct JobText {
    center: String,
    device: String,
    now: String,
}

/// Runs a cached statement that returns no rows, such as `SAVEPOINT event`.
fn run(conn: &Connection, sql: &str) -> Result<(), StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut statement| statement.execute([]))
        .map(drop)
        .map_err(backend)
}

fn push_one(
    tx: &mut rusqlite::Transaction<'_>,
    job: &PushJob,
    text: &JobText,
    event: &EventEnvelope,
    body: &str,
    apply: &ApplyFn,
    undo: Undo,
) -> Result<AckOutcome, GroupError> {
    let id_bytes = event.id.as_bytes().as_slice();
    // Statements on this path are cached: preparing them again for every
    // event cost more than running them.
    let earlier: Option<(i64, Option<String>)> = tx
        .prepare_cached("SELECT seq, issued FROM events WHERE id = ?1")
        .and_then(|mut statement| {
            statement
                .query_row([id_bytes], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
        })
        .map_err(backend)?;
    if let Some((seq, issued)) = earlier {
        let issued = issued
            .map(|text| parse_json::<IssuedCode>(1, &text))
            .transpose()
            .map_err(backend)?;
        return Ok(AckOutcome::Duplicate {
            seq: seq as u64,
            issued,
        });
    }

    // Under callgrind a savepoint per event cost about 8,000 instructions,
    // half as much as the insert, because SQLite copies each page the
    // event touches into its sub-journal.
    if undo == Undo::SavepointPerEvent {
        run(tx, "SAVEPOINT event")?;
    }
    let changes_before = tx.total_changes();
    match apply(tx, job, event) {
        Ok(issued) => {
            tx.prepare_cached(
                "INSERT INTO events (id, center_id, device_id, kind, body, issued, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    id_bytes,
                    text.center,
                    text.device,
                    event.kind.name(),
                    body,
                    issued.as_ref().map(to_json),
                    text.now
                ])
            })
            .map_err(backend)?;
            let seq = tx.last_insert_rowid() as u64;
            if undo == Undo::SavepointPerEvent {
                run(tx, "RELEASE event")?;
            }
            Ok(AckOutcome::Applied { seq, issued })
        }
        Err(Rejection::Rule {
            code,
            message,
            current_state,
        }) => {
            match undo {
                Undo::SavepointPerEvent => {
                    run(tx, "ROLLBACK TO event")?;
                    run(tx, "RELEASE event")?;
                }
                Undo::NothingToUndo if tx.total_changes() != changes_before => {
                    return Err(GroupError::WroteBeforeRejecting {
                        event_id: event.id,
                        code,
                    });
                }
                Undo::NothingToUndo => {}
            }
            tracing::info!(event_id = %event.id, kind = event.kind.name(), code = %code, "event rejected");
            Ok(AckOutcome::Rejected {
                code,
                message,
                current_state,
            })
        }
        // The caller drops the transaction, which rolls back the whole group.
        Err(Rejection::Store(err)) => Err(err.into()),
    }
}

pub(crate) fn pull(
    conn: &Connection,
    center_id: Uuid,
    cursor: u64,
    limit: u32,
    with_visitor_data: bool,
) -> Result<PullPage, StoreError> {
    // The kind filter is a bound parameter: '' excludes nothing.
    let excluded_kind = if with_visitor_data {
        ""
    } else {
        "request_submitted"
    };
    let mut statement = conn
        .prepare_cached(
            "SELECT seq, device_id, body FROM events
             WHERE center_id = ?1 AND seq > ?2 AND kind != ?4
             ORDER BY seq LIMIT ?3",
        )
        .map_err(backend)?;
    let rows = statement
        .query_map(
            params![
                center_id.to_string(),
                i64::try_from(cursor).unwrap_or(i64::MAX),
                limit + 1,
                excluded_kind
            ],
            |row| {
                let body: String = row.get(2)?;
                Ok(Change {
                    seq: row.get::<_, i64>(0)? as u64,
                    device_id: parse_uuid(1, row.get(1)?)?,
                    event: parse_json(2, &body)?,
                })
            },
        )
        .map_err(backend)?;
    let mut changes = rows.collect::<Result<Vec<_>, _>>().map_err(backend)?;
    let more = changes.len() > limit as usize;
    changes.truncate(limit as usize);
    let next_cursor = changes.last().map_or(cursor, |change| change.seq);
    Ok(PullPage {
        changes,
        next_cursor,
        more,
    })
}

pub(crate) fn grant_lease(
    conn: &mut Connection,
    device: &crate::store::Device,
    category: ServiceCategory,
    count: u16,
    day: Date,
    now: Timestamp,
) -> Result<LeaseGrant, StoreError> {
    if device.role != DeviceRole::Kiosk {
        return Err(StoreError::invalid(
            "lease.kiosk_only",
            "Блоки номеров талонов выдаются только киоскам.",
        ));
    }
    let tx = conn.transaction().map_err(backend)?;
    let center = device.center_id.to_string();
    let day_text = day.to_string();
    let next: Option<u16> = tx
        .query_row(
            "SELECT next_sequence FROM ticket_counters WHERE center_id = ?1 AND day = ?2 AND category = ?3",
            params![center, day_text, category.code()],
            |row| row.get(0),
        )
        .optional()
        .map_err(backend)?;
    let first = next.unwrap_or(SEQUENCE_MIN);
    if first > SEQUENCE_MAX {
        return Err(StoreError::Conflict {
            code: "lease.exhausted".to_owned(),
            message: format!(
                "Номера талонов категории «{}» на {day} закончились (выдано {SEQUENCE_MAX}). \
                 Новые номера будут доступны завтра.",
                category.name(domain::Lang::Ru)
            ),
            current_state: None,
        });
    }
    let last = first.saturating_add(count.max(1) - 1).min(SEQUENCE_MAX);
    tx.execute(
        "INSERT INTO ticket_counters (center_id, day, category, next_sequence) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (center_id, day, category) DO UPDATE SET next_sequence = excluded.next_sequence",
        params![center, day_text, category.code(), u32::from(last) + 1],
    )
    .map_err(backend)?;
    let grant = LeaseGrant {
        lease_id: Uuid::now_v7(),
        category,
        day,
        first,
        last,
    };
    tx.execute(
        "INSERT INTO leases (id, center_id, device_id, day, category, first, last, granted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            grant.lease_id.to_string(),
            center,
            device.id.to_string(),
            day_text,
            category.code(),
            first,
            last,
            now.to_string()
        ],
    )
    .map_err(backend)?;
    tx.commit().map_err(backend)?;
    Ok(grant)
}

pub(crate) fn lease_stock(conn: &Connection) -> Result<Vec<crate::store::LeaseStock>, StoreError> {
    // The tickets of a lease are found through the partial expression index
    // `events_ticket_lease`, so the WHERE clause repeats it exactly.
    let mut statement = conn
        .prepare_cached(
            "SELECT l.device_id, l.center_id, l.category, l.day,
                    SUM(l.last - l.first + 1),
                    SUM((SELECT COUNT(*) FROM events e
                         WHERE e.kind = 'ticket_issued'
                           AND json_extract(e.body, '$.kind.data.lease_id') = l.id))
             FROM leases l JOIN devices d ON d.id = l.device_id AND d.revoked_at IS NULL
             WHERE l.day = (SELECT MAX(m.day) FROM leases m
                            WHERE m.device_id = l.device_id AND m.category = l.category)
             GROUP BY l.device_id, l.category
             ORDER BY l.device_id, l.category",
        )
        .map_err(backend)?;
    let rows = statement
        .query_map([], |row| {
            let day: String = row.get(3)?;
            Ok(crate::store::LeaseStock {
                device_id: parse_uuid(0, row.get(0)?)?,
                center_id: parse_uuid(1, row.get(1)?)?,
                category: row.get(2)?,
                day: day
                    .parse()
                    .map_err(|_| super::codec::bad_value(3, "lease day"))?,
                granted: row.get(4)?,
                issued: row.get(5)?,
            })
        })
        .map_err(backend)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(backend)
}

#[cfg(test)]
#[path = "sync_tests.rs"]
mod tests;
