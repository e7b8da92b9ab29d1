//! The pull cursor and the cached state of the center's queue, built from
//! the changes the server returns to a pull.
//!
//! A page of changes and the cursor that follows it are committed in one
//! transaction, so a crash never skips or replays a change. Visitor data
//! are cached only when the caller asks (the operator console, which shows
//! them for comparison) and erased when the request is decided.

use domain::request::RequestStatus;
use domain::sync::{ChipResult, EventKind, PullPage, VisitorData};
use domain::ticket::{RedirectTarget, TicketStatus};
use jiff::Timestamp;
use rusqlite::{params, OptionalExtension, Transaction};
use uuid::Uuid;

use super::device::{parse_timestamp, parse_uuid};
use super::{Store, StoreError};

/// A ticket of the center as last pulled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedTicket {
    pub ticket_id: Uuid,
    /// Printed form, such as `П-042`.
    pub number: String,
    /// Service category code.
    pub category: String,
    pub priority: bool,
    pub status: TicketStatus,
    pub window: Option<String>,
    /// When the kiosk issued it (the kiosk's clock).
    pub issued_at: Timestamp,
    /// The request waiting with this ticket, if any.
    pub request_id: Option<Uuid>,
    /// Other tickets still to be called before a postponed ticket returns
    /// to the queue; 0 in any other status.
    pub postponed_remaining: u16,
    /// Recalls since the ticket was last called.
    pub recalls: u16,
}

/// A request of the center as last pulled.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedRequest {
    pub request_id: Uuid,
    pub request_kind: String,
    pub ticket_id: Uuid,
    pub status: RequestStatus,
    /// `None` on a kiosk and once the request is decided.
    pub visitor: Option<VisitorData>,
    pub chip: Option<ChipResult>,
}

impl Store {
    /// Returns the cursor to pull after.
    pub fn pull_cursor(&self) -> Result<u64, StoreError> {
        let cursor: i64 = self.lock().query_row(
            "SELECT pull_cursor FROM sync_state WHERE singleton = 1",
            [],
            |row| row.get(0),
        )?;
        Ok(cursor as u64)
    }

    /// Applies a pulled page to the cache and moves the cursor to
    /// `page.next_cursor`, in one transaction. Returns the number of
    /// changes applied. `keep_personal_data` caches visitor data (the
    /// console); a kiosk passes `false`.
    pub fn apply_pull(
        &self,
        page: &PullPage,
        keep_personal_data: bool,
    ) -> Result<usize, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let cursor: i64 = tx.query_row(
            "SELECT pull_cursor FROM sync_state WHERE singleton = 1",
            [],
            |row| row.get(0),
        )?;
        let mut applied = 0;
        for change in &page.changes {
            // A page that overlaps what is already applied (a retried pull)
            // skips the changes it has seen.
            if change.seq as i64 <= cursor {
                continue;
            }
            apply_change(
                &tx,
                change.seq,
                &change.event.kind,
                change.event.occurred_at,
                keep_personal_data,
            )?;
            applied += 1;
        }
        let next = (page.next_cursor as i64).max(cursor);
        tx.execute(
            "UPDATE sync_state SET pull_cursor = ?1 WHERE singleton = 1",
            [next],
        )?;
        tx.commit()?;
        Ok(applied)
    }

    /// Returns the tickets waiting to be called, priority first, then oldest.
    pub fn waiting_tickets(&self) -> Result<Vec<CachedTicket>, StoreError> {
        self.tickets_where("t.status IN ('issued', 'postponed', 'redirected')")
    }

    /// Returns every cached ticket, in the order they were issued.
    pub fn cached_tickets(&self) -> Result<Vec<CachedTicket>, StoreError> {
        self.tickets_where("1 = 1")
    }

    /// Returns a cached request.
    pub fn cached_request(&self, request_id: Uuid) -> Result<Option<CachedRequest>, StoreError> {
        let row = self
            .lock()
            .query_row(
                "SELECT request_kind, ticket_id, status, visitor, chip
                 FROM cache_requests WHERE request_id = ?1",
                [request_id.to_string()],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, Option<String>>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((request_kind, ticket_id, status, visitor, chip)) = row else {
            return Ok(None);
        };
        Ok(Some(CachedRequest {
            request_id,
            request_kind,
            ticket_id: parse_uuid(&ticket_id, "cache_requests.ticket_id")?,
            status: parse_request_status(&status)?,
            visitor: visitor
                .map(|json| serde_json::from_str(&json))
                .transpose()
                .map_err(|_| StoreError::Corrupt {
                    column: "cache_requests.visitor",
                })?,
            chip: chip
                .map(|json| serde_json::from_str(&json))
                .transpose()
                .map_err(|_| StoreError::Corrupt {
                    column: "cache_requests.chip",
                })?,
        }))
    }

    fn tickets_where(&self, condition: &str) -> Result<Vec<CachedTicket>, StoreError> {
        let conn = self.lock();
        let mut statement = conn.prepare(&format!(
            "SELECT t.ticket_id, t.number, t.category, t.priority, t.status, t.window,
                    t.issued_at, r.request_id, t.postponed_remaining, t.recalls
             FROM cache_tickets t LEFT JOIN cache_requests r ON r.ticket_id = t.ticket_id
             WHERE {condition}
             ORDER BY t.priority DESC, t.issued_seq"
        ))?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, bool>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, Option<String>>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, Option<String>>(7)?,
                row.get::<_, u16>(8)?,
                row.get::<_, u16>(9)?,
            ))
        })?;
        let mut tickets = Vec::new();
        for row in rows {
            let (
                id,
                number,
                category,
                priority,
                status,
                window,
                issued_at,
                request_id,
                postponed_remaining,
                recalls,
            ) = row?;
            tickets.push(CachedTicket {
                ticket_id: parse_uuid(&id, "cache_tickets.ticket_id")?,
                number,
                category,
                priority,
                status: parse_ticket_status(&status)?,
                window,
                issued_at: parse_timestamp(&issued_at, "cache_tickets.issued_at")?,
                request_id: request_id
                    .map(|id| parse_uuid(&id, "cache_requests.request_id"))
                    .transpose()?,
                postponed_remaining,
                recalls,
            });
        }
        Ok(tickets)
    }
}

fn apply_change(
    tx: &Transaction<'_>,
    seq: u64,
    kind: &EventKind,
    occurred_at: Timestamp,
    keep_personal_data: bool,
) -> Result<(), StoreError> {
    let seq = seq as i64;
    match kind {
        EventKind::TicketIssued(issued) => {
            tx.execute(
                "INSERT INTO cache_tickets
                    (ticket_id, number, category, priority, status, issued_at, issued_seq, updated_seq)
                 VALUES (?1, ?2, ?3, ?4, 'issued', ?5, ?6, ?6)
                 ON CONFLICT (ticket_id) DO NOTHING",
                params![
                    issued.ticket_id.to_string(),
                    issued.number.to_string(),
                    issued.number.category().code(),
                    issued.priority,
                    occurred_at.to_string(),
                    seq,
                ],
            )?;
        }
        EventKind::RequestSubmitted(submitted) => {
            let (visitor, chip) = if keep_personal_data {
                let visitor =
                    serde_json::to_string(&submitted.visitor).map_err(|_| StoreError::Corrupt {
                        column: "cache_requests.visitor",
                    })?;
                let chip = submitted
                    .chip
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()
                    .map_err(|_| StoreError::Corrupt {
                        column: "cache_requests.chip",
                    })?;
                (Some(visitor), chip)
            } else {
                (None, None)
            };
            tx.execute(
                "INSERT INTO cache_requests
                    (request_id, request_kind, ticket_id, status, visitor, chip, updated_seq)
                 VALUES (?1, ?2, ?3, 'waiting', ?4, ?5, ?6)
                 ON CONFLICT (request_id) DO NOTHING",
                params![
                    submitted.request_id.to_string(),
                    submitted.request_kind.code(),
                    submitted.ticket_id.to_string(),
                    visitor,
                    chip,
                    seq,
                ],
            )?;
        }
        EventKind::TicketCalled(called) => {
            // As `domain::ticket::TicketState::after_other_called`: each
            // other postponed ticket comes one call closer to its return.
            tx.execute(
                "UPDATE cache_tickets SET postponed_remaining = MAX(postponed_remaining - 1, 0)
                 WHERE status = 'postponed' AND ticket_id != ?1",
                [called.ticket_id.to_string()],
            )?;
            tx.execute(
                "UPDATE cache_tickets SET postponed_remaining = 0, recalls = 0 WHERE ticket_id = ?1",
                [called.ticket_id.to_string()],
            )?;
            let window = called.window.to_string();
            set_ticket(
                tx,
                called.ticket_id,
                TicketStatus::Called,
                Some(&window),
                seq,
            )?;
        }
        EventKind::TicketRecalled(ticket) => {
            tx.execute(
                "UPDATE cache_tickets SET recalls = recalls + 1 WHERE ticket_id = ?1",
                [ticket.ticket_id.to_string()],
            )?;
            set_ticket(tx, ticket.ticket_id, TicketStatus::Called, None, seq)?;
        }
        EventKind::TicketStarted(ticket) => {
            set_ticket(tx, ticket.ticket_id, TicketStatus::Serving, None, seq)?;
            tx.execute(
                "UPDATE cache_requests SET status = 'in_progress', updated_seq = ?2
                 WHERE ticket_id = ?1 AND status = 'waiting'",
                params![ticket.ticket_id.to_string(), seq],
            )?;
        }
        EventKind::TicketDone(ticket) => {
            set_ticket(tx, ticket.ticket_id, TicketStatus::Done, None, seq)?;
        }
        EventKind::TicketNoShow(ticket) => {
            set_ticket(tx, ticket.ticket_id, TicketStatus::NoShow, None, seq)?;
        }
        EventKind::TicketPostponed(postponed) => {
            set_ticket(tx, postponed.ticket_id, TicketStatus::Postponed, None, seq)?;
            tx.execute(
                "UPDATE cache_tickets SET postponed_remaining = ?2 WHERE ticket_id = ?1",
                params![postponed.ticket_id.to_string(), postponed.after],
            )?;
        }
        EventKind::TicketRedirected(redirected) => match redirected.to {
            RedirectTarget::Window(window) => {
                let window = window.to_string();
                set_ticket(
                    tx,
                    redirected.ticket_id,
                    TicketStatus::Redirected,
                    Some(&window),
                    seq,
                )?;
            }
            RedirectTarget::Service(category) => {
                set_ticket(
                    tx,
                    redirected.ticket_id,
                    TicketStatus::Redirected,
                    None,
                    seq,
                )?;
                tx.execute(
                    "UPDATE cache_tickets SET category = ?2, window = NULL WHERE ticket_id = ?1",
                    params![redirected.ticket_id.to_string(), category.code()],
                )?;
            }
        },
        EventKind::DecisionConfirm(decision) => {
            decide(tx, decision.request_id, RequestStatus::Confirmed, seq)?;
        }
        EventKind::DecisionReject(decision) => {
            decide(tx, decision.request_id, RequestStatus::Rejected, seq)?;
        }
        EventKind::DeviceAlert(_) => {}
    }
    Ok(())
}

/// Moves a cached ticket to `status`; a `None` window keeps the one set.
fn set_ticket(
    tx: &Transaction<'_>,
    ticket_id: Uuid,
    status: TicketStatus,
    window: Option<&str>,
    seq: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE cache_tickets SET status = ?2, window = COALESCE(?3, window), updated_seq = ?4
         WHERE ticket_id = ?1",
        params![ticket_id.to_string(), status.code(), window, seq],
    )?;
    Ok(())
}

/// Records a decision and erases the cached visitor data it ends the need for.
fn decide(
    tx: &Transaction<'_>,
    request_id: Uuid,
    status: RequestStatus,
    seq: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE cache_requests SET status = ?2, visitor = NULL, chip = NULL, updated_seq = ?3
         WHERE request_id = ?1",
        params![request_id.to_string(), status.code(), seq],
    )?;
    Ok(())
}

fn parse_ticket_status(text: &str) -> Result<TicketStatus, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        StoreError::Corrupt {
            column: "cache_tickets.status",
        }
    })
}

fn parse_request_status(text: &str) -> Result<RequestStatus, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        StoreError::Corrupt {
            column: "cache_requests.status",
        }
    })
}
