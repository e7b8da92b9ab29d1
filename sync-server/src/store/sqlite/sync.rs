//! Push, pull and ticket-number leases.
//!
//! A push is one transaction. Each event runs inside its own savepoint, so
//! an event the rules reject is rolled back alone and the ones behind it
//! still apply.

use domain::sync::{
    AckOutcome, Change, DeviceRole, EventAck, EventEnvelope, IssuedCode, LeaseGrant, PullPage,
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
    pub now: Timestamp,
    /// Registration requests need confirmed contacts (see `apply`).
    pub contacts_required: bool,
    pub reply: std::sync::mpsc::Sender<Result<Vec<EventAck>, StoreError>>,
}

/// Applies every waiting push in one transaction and replies to each job.
///
/// Group commit: pushes that queued while the previous commit was syncing
/// to disk share one commit, so the disk sync cost is paid once per group
/// instead of once per push. Each push still commits whole or not at all.
pub(crate) fn push_group(conn: &mut Connection, jobs: Vec<PushJob>) {
    let mut results = Vec::with_capacity(jobs.len());
    let outcome = (|| {
        let mut tx = conn.transaction().map_err(backend)?;
        for job in &jobs {
            let mut acks = Vec::with_capacity(job.events.len());
            let text = JobText {
                center: job.device.center_id.to_string(),
                device: job.device.id.to_string(),
                now: job.now.to_string(),
            };
            for event in &job.events {
                let outcome = push_one(&mut tx, job, &text, event)?;
                acks.push(EventAck {
                    id: event.id,
                    outcome,
                });
            }
            results.push(acks);
        }
        tx.commit().map_err(backend)
    })();

    match outcome {
        Ok(()) => {
            for (job, acks) in jobs.into_iter().zip(results) {
                // A caller that gave up waiting dropped its receiver; its
                // events are stored and a retry gets `duplicate`.
                let _ = job.reply.send(Ok(acks));
            }
        }
        Err(err) => {
            let detail = err.to_string();
            for job in jobs {
                let _ = job.reply.send(Err(StoreError::Backend(detail.clone())));
            }
        }
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
) -> Result<AckOutcome, StoreError> {
    let (device, now) = (&job.device, job.now);
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

    // A savepoint per event, so a rejected event is rolled back alone. The
    // statements are prepared once: `Transaction::savepoint` parses its SQL
    // on every call.
    run(tx, "SAVEPOINT event")?;
    let rules = super::apply::Rules {
        session: job.session.as_ref(),
        contacts_required: job.contacts_required,
    };
    match apply_event(tx, device, &rules, event, now) {
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
                    to_json(event),
                    issued.as_ref().map(to_json),
                    text.now
                ])
            })
            .map_err(backend)?;
            let seq = tx.last_insert_rowid() as u64;
            run(tx, "RELEASE event")?;
            Ok(AckOutcome::Applied { seq, issued })
        }
        Err(Rejection::Rule {
            code,
            message,
            current_state,
        }) => {
            run(tx, "ROLLBACK TO event")?;
            run(tx, "RELEASE event")?;
            tracing::info!(event_id = %event.id, kind = event.kind.name(), code = %code, "event rejected");
            Ok(AckOutcome::Rejected {
                code,
                message,
                current_state,
            })
        }
        // The caller drops the transaction, which rolls back the whole group.
        Err(Rejection::Store(err)) => Err(err),
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
