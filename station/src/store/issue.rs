//! Issuing tickets from leased number blocks, and committing a visitor's
//! request with its ticket before anything is printed.
//!
//! The server leases each kiosk blocks of numbers per category and day;
//! the kiosk issues the next number of its oldest block in the same
//! transaction that records the ticket and its outbox events, so a number
//! is never issued twice, even across a crash, and never without a record.
//! Asking the server for blocks is left to [`crate::sync`].

use domain::request::RequestKind;
use domain::sync::{
    ChipResult, EventEnvelope, EventKind, LeaseGrant, RequestSubmitted, TicketIssued, VisitorData,
};
use domain::ticket::{ServiceCategory, TicketNumber, SEQUENCE_MAX, SEQUENCE_MIN};
use jiff::civil::Date;
use jiff::Timestamp;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;

use super::device::parse_uuid;
use super::outbox::insert_event;
use super::{Store, StoreError};

/// What the visitor entered, already checked by the `domain` field rules.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequest {
    pub kind: RequestKind,
    pub visitor: VisitorData,
    pub chip: Option<ChipResult>,
    pub priority: bool,
}

/// A ticket committed to the store, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTicket {
    pub ticket_id: Uuid,
    pub number: TicketNumber,
    pub day: Date,
    pub lease_id: Uuid,
    /// The outbox id of the `ticket_issued` event.
    pub event_id: Uuid,
}

/// A request committed with its ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmittedRequest {
    pub request_id: Uuid,
    pub ticket: IssuedTicket,
    /// The outbox id of the `request_submitted` event.
    pub event_id: Uuid,
}

impl Store {
    /// Stores a block of numbers leased by the server. Storing the same
    /// lease twice (an answer replayed after a lost response) keeps the
    /// numbers already issued from it.
    pub fn add_lease(&self, lease: &LeaseGrant, at: Timestamp) -> Result<(), StoreError> {
        let sequence_range = SEQUENCE_MIN..=SEQUENCE_MAX;
        if lease.first > lease.last
            || !sequence_range.contains(&lease.first)
            || !sequence_range.contains(&lease.last)
        {
            return Err(StoreError::LeaseOutOfRange {
                category: lease.category.code().to_owned(),
                day: lease.day,
                first: lease.first,
                last: lease.last,
            });
        }
        self.lock().execute(
            "INSERT INTO leases (lease_id, category, day, first, last, next, granted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6)
             ON CONFLICT (lease_id) DO NOTHING",
            params![
                lease.lease_id.to_string(),
                lease.category.code(),
                lease.day.to_string(),
                lease.first,
                lease.last,
                at.to_string(),
            ],
        )?;
        tracing::info!(
            lease_id = %lease.lease_id,
            category = lease.category.code(),
            day = %lease.day,
            first = lease.first,
            last = lease.last,
            "stored ticket number lease"
        );
        Ok(())
    }

    /// Returns how many numbers are left for `category` on `day`.
    pub fn remaining_numbers(
        &self,
        category: ServiceCategory,
        day: Date,
    ) -> Result<u32, StoreError> {
        let remaining: i64 = self.lock().query_row(
            "SELECT COALESCE(SUM(last + 1 - next), 0) FROM leases
             WHERE category = ?1 AND day = ?2",
            params![category.code(), day.to_string()],
            |row| row.get(0),
        )?;
        Ok(remaining as u32)
    }

    /// Issues a plain queue ticket (no request) and records its event.
    ///
    /// # Errors
    ///
    /// [`StoreError::NoTicketNumbers`] when no leased number is left for
    /// `category` on `day`.
    pub fn issue_ticket(
        &self,
        category: ServiceCategory,
        priority: bool,
        at: Timestamp,
        day: Date,
    ) -> Result<IssuedTicket, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ticket = issue_in(&tx, category, priority, at, day)?;
        tx.commit()?;
        drop(conn);
        self.signal_issued();
        tracing::info!(ticket_id = %ticket.ticket_id, number = %ticket.number, "issued ticket");
        Ok(ticket)
    }

    /// Commits a visitor's request, its ticket and both outbox events
    /// (`ticket_issued`, then `request_submitted`) in one transaction.
    /// Print the ticket only after this returns `Ok`.
    ///
    /// # Errors
    ///
    /// [`StoreError::NoTicketNumbers`] when no leased number is left for
    /// the request's category on `day`; nothing is stored then.
    pub fn submit_request(
        &self,
        request: &NewRequest,
        at: Timestamp,
        day: Date,
    ) -> Result<SubmittedRequest, StoreError> {
        self.submit_request_as(Uuid::now_v7(), request, at, day)
    }

    /// Commits a request as [`Store::submit_request`] does, under the
    /// `request_id` the kiosk already used to confirm the visitor's
    /// contacts, so the server finds those confirmations.
    ///
    /// # Errors
    ///
    /// As [`Store::submit_request`].
    pub fn submit_request_as(
        &self,
        request_id: Uuid,
        request: &NewRequest,
        at: Timestamp,
        day: Date,
    ) -> Result<SubmittedRequest, StoreError> {
        let category = ServiceCategory::from(request.kind);
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ticket = issue_in(&tx, category, request.priority, at, day)?;

        let envelope = EventEnvelope {
            id: Uuid::now_v7(),
            occurred_at: at,
            kind: EventKind::RequestSubmitted(Box::new(RequestSubmitted {
                request_id,
                request_kind: request.kind,
                ticket_id: ticket.ticket_id,
                visitor: request.visitor.clone(),
                chip: request.chip.clone(),
            })),
        };
        let visitor = serde_json::to_string(&request.visitor).map_err(|_| StoreError::Corrupt {
            column: "requests.visitor",
        })?;
        let chip = request
            .chip
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|_| StoreError::Corrupt {
                column: "requests.chip",
            })?;
        tx.execute(
            "INSERT INTO requests (request_id, request_kind, ticket_id, event_id, visitor, chip, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                request_id.to_string(),
                request.kind.code(),
                ticket.ticket_id.to_string(),
                envelope.id.to_string(),
                visitor,
                chip,
                at.to_string(),
            ],
        )?;
        insert_event(&tx, &envelope, at)?;
        tx.commit()?;
        drop(conn);
        self.signal_issued();
        tracing::info!(
            request_id = %request_id,
            ticket_id = %ticket.ticket_id,
            number = %ticket.number,
            request_kind = request.kind.code(),
            "submitted request"
        );
        Ok(SubmittedRequest {
            request_id,
            ticket,
            event_id: envelope.id,
        })
    }

    /// Tells whether the local copy of a request still holds visitor data.
    pub fn request_has_personal_data(&self, request_id: Uuid) -> Result<bool, StoreError> {
        let held: Option<bool> = self
            .lock()
            .query_row(
                "SELECT visitor IS NOT NULL OR chip IS NOT NULL FROM requests WHERE request_id = ?1",
                [request_id.to_string()],
                |row| row.get(0),
            )
            .optional()?;
        Ok(held.unwrap_or(false))
    }

    fn signal_issued(&self) {
        self.outbox_signal.notify_one();
        self.lease_signal.notify_one();
    }
}

/// Takes the next number of the oldest open block, records the ticket and
/// its `ticket_issued` event, all inside `tx`.
fn issue_in(
    tx: &Transaction<'_>,
    category: ServiceCategory,
    priority: bool,
    at: Timestamp,
    day: Date,
) -> Result<IssuedTicket, StoreError> {
    let open = tx
        .query_row(
            "SELECT lease_id, next FROM leases
             WHERE category = ?1 AND day = ?2 AND next <= last
             ORDER BY first LIMIT 1",
            params![category.code(), day.to_string()],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, u32>(1)?)),
        )
        .optional()?;
    let Some((lease_id, sequence)) = open else {
        return Err(StoreError::NoTicketNumbers { category, day });
    };
    let lease_id = parse_uuid(&lease_id, "leases.lease_id")?;
    let sequence = u16::try_from(sequence).map_err(|_| StoreError::Corrupt {
        column: "leases.next",
    })?;
    let number = TicketNumber::new(category, sequence).map_err(|_| StoreError::Corrupt {
        column: "leases.next",
    })?;
    tx.execute(
        "UPDATE leases SET next = next + 1 WHERE lease_id = ?1",
        [lease_id.to_string()],
    )?;

    let ticket_id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO tickets (ticket_id, number, category, day, lease_id, priority, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            ticket_id.to_string(),
            number.to_string(),
            category.code(),
            day.to_string(),
            lease_id.to_string(),
            priority,
            at.to_string(),
        ],
    )?;
    let envelope = EventEnvelope {
        id: Uuid::now_v7(),
        occurred_at: at,
        kind: EventKind::TicketIssued(TicketIssued {
            ticket_id,
            number,
            lease_id,
            priority,
        }),
    };
    insert_event(tx, &envelope, at)?;
    Ok(IssuedTicket {
        ticket_id,
        number,
        day,
        lease_id,
        event_id: envelope.id,
    })
}
