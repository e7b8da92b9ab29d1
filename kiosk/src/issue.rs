//! The seam where a finished session becomes a queue ticket. The station
//! implementation ([`crate::station_issuer::StationIssuer`]) commits the
//! request to the local store and prints; [`MemoryIssuer`] keeps requests
//! in memory for the UI tests.

use std::cell::RefCell;
use std::fmt;

use domain::request::RequestKind;
use domain::sync::ChipResult;
use domain::ticket::ServiceCategory;
use domain::Field;

/// The service a plain ticket is for, as the visitor chose it. All of them
/// queue in the center's [`ServiceCategory::OtherServices`]; the choice
/// goes on the printed ticket so the hall assistant can direct the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainService {
    Passport,
    Property,
    Social,
    Other,
}

impl PlainService {
    /// Returns the service line printed on the ticket.
    pub fn name_ru(self) -> &'static str {
        match self {
            PlainService::Passport => "Паспорт и регистрация",
            PlainService::Property => "Недвижимость и земля",
            PlainService::Social => "Пособия и социальная поддержка",
            PlainService::Other => "Другие услуги",
        }
    }
}

/// What the visitor came for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitPurpose {
    ConfirmIdentity,
    Register,
    RestoreAccess,
    Ticket(PlainService),
}

impl VisitPurpose {
    /// Returns the request an operator handles, or `None` for a plain
    /// ticket.
    pub fn request_kind(self) -> Option<RequestKind> {
        match self {
            VisitPurpose::ConfirmIdentity => Some(RequestKind::ConfirmIdentity),
            VisitPurpose::Register => Some(RequestKind::Register),
            VisitPurpose::RestoreAccess => Some(RequestKind::RestoreAccess),
            VisitPurpose::Ticket(_) => None,
        }
    }

    /// Returns the queue the ticket's number comes from.
    pub fn category(self) -> ServiceCategory {
        match self.request_kind() {
            Some(kind) => ServiceCategory::from(kind),
            None => ServiceCategory::OtherServices,
        }
    }
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
    /// What the chip gave, when a reader returned its data.
    pub chip: Option<ChipResult>,
    /// The id to submit the request under, when the visitor's contacts
    /// were confirmed by codes bound to it; `None` lets the store pick one.
    pub request_id: Option<uuid::Uuid>,
}

impl fmt::Debug for VisitRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<Field> = self.values.iter().map(|(field, _)| *field).collect();
        f.debug_struct("VisitRequest")
            .field("purpose", &self.purpose)
            .field("fields", &fields)
            .field("chip_read", &self.chip_read)
            .field("chip", &self.chip)
            .field("request_id", &self.request_id)
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

/// Why no ticket was issued. Nothing was stored in either case, and the
/// session keeps the visitor's values so they may try again.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// Every leased number of the category is used and no new block came
    /// from the server.
    #[error("no ticket numbers left in category {category}; the server is needed for a new block")]
    NoNumbers { category: ServiceCategory },
    /// The values could not be turned into the request the server expects
    /// (the rules changed mid-session). Names the field, never its value.
    #[error("the value of {field} does not parse as its rule expects")]
    Invalid { field: &'static str },
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
/// of the screens.
///
/// NOTE: a stand-in: nothing is stored durably and nothing is printed,
/// yet the tickets report `printed: true`.
#[derive(Debug, Default)]
pub struct MemoryIssuer {
    requests: RefCell<Vec<VisitRequest>>,
}

/// Minutes each ticket in the queue, this one included, adds to the
/// estimated wait; a guess until the station learns real service times.
pub const MINUTES_PER_TICKET: u32 = 5;

impl MemoryIssuer {
    /// Returns the requests issued so far, oldest first.
    pub fn requests(&self) -> Vec<VisitRequest> {
        self.requests.borrow().clone()
    }
}

impl TicketIssuer for MemoryIssuer {
    fn issue(&self, request: VisitRequest) -> Result<IssuedTicket, IssueError> {
        let mut requests = self.requests.borrow_mut();
        let category = request.purpose.category();
        let ahead = requests
            .iter()
            .filter(|earlier| earlier.purpose.category() == category)
            .count();
        let number = format!("{}-{:03}", category.prefix(), ahead + 1);
        requests.push(request);
        Ok(IssuedTicket {
            qr_text: format!("OKNO-TICKET:{number}"),
            number,
            wait_minutes: MINUTES_PER_TICKET * (ahead as u32 + 1),
            printed: true,
        })
    }
}
