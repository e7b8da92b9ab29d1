//! The seam where a finished session becomes a queue ticket: the station
//! store commits the request and the printer prints the ticket. Both arrive
//! later; [`MemoryIssuer`] stands in for them.

use std::cell::RefCell;
use std::fmt;

use domain::Field;

/// The service a plain ticket queues for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceCategory {
    Passport,
    Property,
    Social,
    Other,
}

/// What the visitor came for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitPurpose {
    ConfirmIdentity,
    Register,
    RestoreAccess,
    Ticket(ServiceCategory),
}

/// A finished session as the station stores it.
///
/// `Debug` leaves the values out: they are personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct VisitRequest {
    pub purpose: VisitPurpose,
    /// Every field the visitor filled in, as the domain rule formats it.
    /// Optional fields left empty are absent.
    pub values: Vec<(Field, String)>,
    /// Whether the passport chip was read in this session.
    pub chip_read: bool,
}

impl fmt::Debug for VisitRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<Field> = self.values.iter().map(|(field, _)| *field).collect();
        f.debug_struct("VisitRequest")
            .field("purpose", &self.purpose)
            .field("fields", &fields)
            .field("chip_read", &self.chip_read)
            .finish()
    }
}

/// The ticket the visitor leaves with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTicket {
    /// The number called on the hall screen, such as `П-003`.
    pub number: String,
    /// The text encoded in the ticket's QR code; carries no personal data.
    pub qr_text: String,
    pub wait_minutes: u32,
    /// False when the request was stored but the printer failed, so the
    /// screen asks the visitor to note the number.
    pub printed: bool,
}

/// Why no ticket was issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("the request could not be stored: {0}")]
    Store(String),
}

/// Stores a request and prints its ticket.
pub trait TicketIssuer {
    /// Commits `request` durably, then prints the ticket.
    ///
    /// Runs on the UI thread, so an implementation that blocks for long
    /// freezes the screen.
    fn issue(&self, request: VisitRequest) -> Result<IssuedTicket, IssueError>;
}

/// Issues numbered tickets from memory and keeps every request, for tests
/// and for running the kiosk before the station store exists.
///
/// NOTE: a stand-in: nothing is stored durably and nothing is printed,
/// yet the tickets report `printed: true`.
#[derive(Debug, Default)]
pub struct MemoryIssuer {
    requests: RefCell<Vec<VisitRequest>>,
}

/// Minutes each ticket in the queue, this one included, adds to the
/// estimated wait; a guess until the station learns real service times.
const MINUTES_PER_TICKET: u32 = 5;

impl MemoryIssuer {
    /// Returns the requests issued so far, oldest first.
    pub fn requests(&self) -> Vec<VisitRequest> {
        self.requests.borrow().clone()
    }
}

impl TicketIssuer for MemoryIssuer {
    fn issue(&self, request: VisitRequest) -> Result<IssuedTicket, IssueError> {
        let mut requests = self.requests.borrow_mut();
        let prefix = queue_prefix(request.purpose);
        let ahead = requests
            .iter()
            .filter(|earlier| queue_prefix(earlier.purpose) == prefix)
            .count();
        let number = format!("{prefix}-{:03}", ahead + 1);
        requests.push(request);
        Ok(IssuedTicket {
            qr_text: format!("OKNO-TICKET:{number}"),
            number,
            wait_minutes: MINUTES_PER_TICKET * (ahead as u32 + 1),
            printed: true,
        })
    }
}

/// The letter before a ticket number, one per queue.
pub fn queue_prefix(purpose: VisitPurpose) -> char {
    match purpose {
        VisitPurpose::ConfirmIdentity => 'П',
        VisitPurpose::Register => 'Р',
        VisitPurpose::RestoreAccess => 'В',
        VisitPurpose::Ticket(ServiceCategory::Passport) => 'А',
        VisitPurpose::Ticket(ServiceCategory::Property) => 'Н',
        VisitPurpose::Ticket(ServiceCategory::Social) => 'С',
        VisitPurpose::Ticket(ServiceCategory::Other) => 'Д',
    }
}
