//! Stand-ins that carry a kiosk's ticket to a console inside one process.
//! The kiosk hands its request to [`BridgeIssuer`], which queues it in the
//! console's [`MemoryBackend`]. Printing is real: tickets and slips go
//! through `hardware::printer` to whatever printer URI the caller names.
//!
//! FIXME: nothing here reaches the sync server, so a run with these
//! stand-ins does not prove sync. Only the wrong-СНИЛС leg still uses them.
//! Move it to the real parts (`--kiosk-config`) and delete this module.

use std::cell::Cell;
use std::sync::Arc;

use domain::clock::Clock;
use domain::request::RequestKind;
use domain::sync::{RequestSubmitted, VisitorData};
use domain::ticket::{Priority, QueueEntry, ServiceCategory, TicketNumber, TicketState};
use domain::Field;
use hardware::printer::{Printer, QueueTicket};
use jiff::tz::TimeZone;
use kiosk::issue::{IssueError, IssuedTicket, TicketIssuer, VisitPurpose, VisitRequest};
use operator::backend::memory::MemoryBackend;
use operator::backend::QueuedTicket;
use operator::printer::{PrinterFault, Slip, SlipPrinter};
use uuid::Uuid;

/// Queues each kiosk request in a [`MemoryBackend`] and prints its ticket.
pub struct BridgeIssuer {
    backend: MemoryBackend,
    clock: Arc<dyn Clock>,
    zone: TimeZone,
    center_name: String,
    printer: Option<Printer>,
    issued: Cell<u16>,
}

impl BridgeIssuer {
    pub fn new(
        backend: MemoryBackend,
        clock: Arc<dyn Clock>,
        zone: TimeZone,
        center_name: String,
        printer: Option<Printer>,
    ) -> Self {
        BridgeIssuer {
            backend,
            clock,
            zone,
            center_name,
            printer,
            issued: Cell::new(0),
        }
    }

    /// Returns how many requests reached the queue.
    pub fn issued(&self) -> u16 {
        self.issued.get()
    }
}

fn category(purpose: VisitPurpose) -> (ServiceCategory, Option<RequestKind>) {
    match purpose {
        VisitPurpose::Register => (ServiceCategory::Registration, Some(RequestKind::Register)),
        VisitPurpose::ConfirmIdentity => (
            ServiceCategory::IdentityConfirmation,
            Some(RequestKind::ConfirmIdentity),
        ),
        VisitPurpose::RestoreAccess => (
            ServiceCategory::RestoreAccess,
            Some(RequestKind::RestoreAccess),
        ),
        VisitPurpose::Ticket(_) => (ServiceCategory::OtherServices, None),
    }
}

fn store_error(what: &str) -> IssueError {
    IssueError::Store(what.to_owned())
}

/// Builds the protocol's visitor record from the kiosk's formatted values.
fn visitor_data(request: &VisitRequest) -> Result<VisitorData, IssueError> {
    let value = |field: Field| {
        request
            .values
            .iter()
            .find(|(known, _)| *known == field)
            .map(|(_, value)| value.clone())
    };
    let required = |field: Field| {
        value(field).ok_or_else(|| store_error(&format!("the request lacks {field:?}")))
    };
    let date = |field: Field| -> Result<jiff::civil::Date, IssueError> {
        jiff::civil::Date::strptime("%d.%m.%Y", required(field)?)
            .map_err(|_| store_error(&format!("{field:?} is not ДД.ММ.ГГГГ")))
    };
    let division_code = required(Field::DivisionCode)?;
    let passport_issuer =
        value(Field::PassportIssuer).unwrap_or_else(|| format!("подразделение {division_code}"));
    Ok(VisitorData {
        surname: required(Field::Surname)?,
        given_name: required(Field::GivenName)?,
        patronymic: value(Field::Patronymic),
        birth_date: date(Field::BirthDate)?,
        passport_number: required(Field::PassportNumber)?,
        passport_issue_date: date(Field::PassportIssueDate)?,
        passport_issuer,
        division_code,
        snils: required(Field::Snils)?,
        inn: value(Field::Inn),
        phone: value(Field::Phone).unwrap_or_default(),
        email: value(Field::Email),
    })
}

impl TicketIssuer for BridgeIssuer {
    fn issue(&self, request: VisitRequest) -> Result<IssuedTicket, IssueError> {
        let (category, kind) = category(request.purpose);
        let sequence = self.issued.get() + 1;
        let number = TicketNumber::new(category, sequence)
            .map_err(|_| store_error("the day's ticket numbers are used up"))?;
        let ticket_id = Uuid::now_v7();
        let submitted = match kind {
            Some(request_kind) => Some(Box::new(RequestSubmitted {
                request_id: Uuid::now_v7(),
                request_kind,
                ticket_id,
                visitor: visitor_data(&request)?,
                chip: None,
            })),
            None => None,
        };
        let now = self.clock.now();
        self.backend.add_ticket(QueuedTicket {
            id: ticket_id,
            entry: QueueEntry {
                number,
                priority: Priority::Regular,
                issued_at: now,
                state: TicketState::Issued,
            },
            request: submitted,
        });
        self.issued.set(sequence);
        let number = number.to_string();
        let qr_text = format!("OKNO-TICKET:{ticket_id}");
        let printed = match &self.printer {
            None => false,
            Some(printer) => {
                let ticket = QueueTicket {
                    center_name: self.center_name.clone(),
                    number: number.clone(),
                    service: "Регистрация на Госуслугах".to_owned(),
                    issued_at: now.to_zoned_datetime(self.zone.clone()).datetime(),
                    people_ahead: 0,
                    estimated_wait_minutes: 5,
                    qr_payload: qr_text.clone(),
                };
                match ticket
                    .to_job(printer.profile())
                    .map_err(|err| err.to_string())
                    .and_then(|job| printer.print(&job).map_err(|err| err.to_string()))
                {
                    Ok(_) => true,
                    Err(cause) => {
                        tracing::error!(%cause, "ticket not printed");
                        false
                    }
                }
            }
        };
        Ok(IssuedTicket {
            number,
            qr_text,
            wait_minutes: 5,
            printed,
        })
    }
}

/// Passes slips on to another printer and keeps the code of each code
/// slip that printed, so a caller can read it back.
pub struct TeePrinter {
    pub inner: Arc<dyn SlipPrinter>,
    codes: std::sync::Mutex<Vec<String>>,
}

impl TeePrinter {
    pub fn new(inner: Arc<dyn SlipPrinter>) -> Self {
        TeePrinter {
            inner,
            codes: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Returns the codes of the code slips printed so far.
    pub fn codes(&self) -> Vec<String> {
        self.codes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl SlipPrinter for TeePrinter {
    fn print(&self, slip: &Slip) -> Result<(), PrinterFault> {
        self.inner.print(slip)?;
        if let Slip::Confirmation(code) | Slip::RecoveryCode(code) = slip {
            self.codes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(code.code.clone());
        }
        Ok(())
    }
}
