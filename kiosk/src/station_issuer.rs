//! The real [`TicketIssuer`]: commits the visitor's request and its ticket
//! number to the station store, then prints the ticket.
//!
//! Order matters. [`Store::submit_request`] commits the request (a
//! `request_submitted` event with the visitor's data) and the ticket
//! (`ticket_issued`, a number from the kiosk's leased block) in one SQLite
//! transaction. Only then does a byte go to the printer, so a crash or a
//! printer fault loses nothing. When the printer does not confirm the
//! job, the ticket is shown on screen with its QR code and a
//! `device_alert` event goes into the outbox for the technicians.
//!
//! Pushing the events and leasing new number blocks is the sync service's
//! work (`station::SyncHandle`); this module never talks to the server.

use std::sync::Arc;

use domain::clock::Clock;
use domain::date::{self, DateField};
use domain::sync::{DeviceAlert, EventKind, VisitorData};
use domain::ticket::ServiceCategory;
use domain::ticket_qr::{CenterCode, TicketQr, TicketQrKey};
use domain::{email, passport, passport_issuer, phone, snils, Field};
use hardware::printer::{PrintError, Printer, PrinterState, QueueTicket, Status};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use station::store::NewRequest;
use station::{Credentials, Store, StoreError};
use uuid::Uuid;

use crate::issue::{
    IssueError, IssuedTicket, TicketIssuer, VisitPurpose, VisitRequest, MINUTES_PER_TICKET,
};

/// Signs the QR payload printed on each ticket.
#[derive(Debug, Clone)]
pub struct TicketSigner {
    key: TicketQrKey,
    center: CenterCode,
}

impl TicketSigner {
    pub fn new(key: TicketQrKey, center: CenterCode) -> TicketSigner {
        TicketSigner { key, center }
    }

    /// Signs with the center's key and code from the credentials, the
    /// key every console of the center checks tickets with. `center`
    /// overrides the code printed in the payload (the kiosk's
    /// `center_code` setting); the signature does not depend on which.
    pub fn from_credentials(
        credentials: &Credentials,
        center: Option<CenterCode>,
    ) -> Result<TicketSigner, station::credentials::CredentialsError> {
        let ticket_key = credentials.ticket_key()?;
        Ok(TicketSigner {
            key: ticket_key.key,
            center: center.unwrap_or(ticket_key.center),
        })
    }

    /// Returns the signed payload for the ticket `ticket_id` issued `at`.
    pub fn payload(&self, ticket_id: Uuid, at: Timestamp) -> String {
        TicketQr {
            ticket_id,
            center: self.center.clone(),
            issued_at: at,
        }
        .encode(&self.key)
    }
}

/// Issues tickets from the station store and prints them.
pub struct StationIssuer {
    store: Arc<Store>,
    printer: Printer,
    signer: TicketSigner,
    center_name: String,
    time_zone: TimeZone,
    clock: Arc<dyn Clock>,
}

impl StationIssuer {
    /// `time_zone` is the center's: it decides the day a number belongs to
    /// and the time printed on the ticket.
    pub fn new(
        store: Arc<Store>,
        printer: Printer,
        signer: TicketSigner,
        center_name: String,
        time_zone: TimeZone,
        clock: Arc<dyn Clock>,
    ) -> StationIssuer {
        StationIssuer {
            store,
            printer,
            signer,
            center_name,
            time_zone,
            clock,
        }
    }

    pub fn printer(&self) -> &Printer {
        &self.printer
    }

    /// Waiting tickets of `category` the last pull knew about, other than
    /// `ticket_id`.
    fn people_ahead(&self, category: ServiceCategory, ticket_id: Uuid) -> u32 {
        match self.store.waiting_tickets() {
            Ok(tickets) => tickets
                .iter()
                .filter(|ticket| {
                    ticket.category == category.code() && ticket.ticket_id != ticket_id
                })
                .count() as u32,
            Err(err) => {
                tracing::warn!(cause = %err, "cannot count the queue; printing no one ahead");
                0
            }
        }
    }

    /// Records a device alert for a job that did not print.
    fn alert(&self, err: &PrintError, at: Timestamp) {
        let alert = DeviceAlert {
            code: alert_code(err).to_owned(),
            // The URI and the printer state; no personal data.
            detail: err.to_string(),
        };
        match self.store.record_event(EventKind::DeviceAlert(alert), at) {
            Ok(event_id) => {
                tracing::info!(%event_id, code = alert_code(err), "printer alert recorded")
            }
            Err(cause) => tracing::error!(cause = %cause, "printer alert not recorded"),
        }
    }
}

impl TicketIssuer for StationIssuer {
    fn issue(&self, request: VisitRequest) -> Result<IssuedTicket, IssueError> {
        let at = self.clock.now();
        let local = self.time_zone.to_datetime(at);
        let day = local.date();
        let category = request.purpose.category();

        let stored = match request.purpose.request_kind() {
            Some(kind) => {
                let new = NewRequest {
                    kind,
                    visitor: visitor_data(&request.values)?,
                    chip: request.chip.clone(),
                    priority: false,
                };
                let submitted = match request.request_id {
                    Some(request_id) => self.store.submit_request_as(request_id, &new, at, day),
                    None => self.store.submit_request(&new, at, day),
                };
                submitted.map(|submitted| submitted.ticket)
            }
            None => self.store.issue_ticket(category, false, at, day),
        };
        let ticket = stored.map_err(|err| match err {
            StoreError::NoTicketNumbers { category, .. } => IssueError::NoNumbers { category },
            other => IssueError::Store(other.to_string()),
        })?;

        let people_ahead = self.people_ahead(category, ticket.ticket_id);
        let wait_minutes = MINUTES_PER_TICKET * (people_ahead + 1);
        let qr_text = self.signer.payload(ticket.ticket_id, at);
        let service = match request.purpose {
            VisitPurpose::Ticket(service) => service.name_ru().to_owned(),
            _ => category.name(domain::Lang::Ru).to_owned(),
        };
        let document = QueueTicket {
            center_name: self.center_name.clone(),
            number: ticket.number.to_string(),
            service,
            issued_at: local,
            people_ahead,
            estimated_wait_minutes: wait_minutes,
            qr_payload: qr_text.clone(),
        };

        let printed = match document.to_job(self.printer.profile()) {
            Ok(job) => match self.printer.print(&job) {
                Ok(report) => {
                    if report.after == Status::Known(PrinterState::PaperNearEnd) {
                        let alert = DeviceAlert {
                            code: "printer.paper_near_end".to_owned(),
                            detail: format!(
                                "printer {} reports paper near end",
                                self.printer.uri()
                            ),
                        };
                        if let Err(cause) =
                            self.store.record_event(EventKind::DeviceAlert(alert), at)
                        {
                            tracing::error!(cause = %cause, "paper alert not recorded");
                        }
                    }
                    true
                }
                Err(err) => {
                    tracing::warn!(number = %ticket.number, cause = %err, "ticket not printed; shown on screen");
                    self.alert(&err, at);
                    false
                }
            },
            Err(err) => {
                tracing::error!(number = %ticket.number, cause = %err, "ticket does not fit the printer profile");
                false
            }
        };

        Ok(IssuedTicket {
            number: ticket.number.to_string(),
            qr_text,
            wait_minutes,
            printed,
        })
    }
}

/// Returns the stable alert code for a job that did not print.
pub fn alert_code(err: &PrintError) -> &'static str {
    match err.state() {
        None => "printer.unreachable",
        Some(state) => match state {
            PrinterState::Ready | PrinterState::PaperNearEnd => "printer.job_lost",
            PrinterState::PaperOut => "printer.paper_out",
            PrinterState::CoverOpen => "printer.cover_open",
            PrinterState::CutterError => "printer.cutter_error",
            PrinterState::UnrecoverableError => "printer.unrecoverable_error",
            PrinterState::RecoverableError => "printer.recoverable_error",
            PrinterState::Offline { .. } => "printer.offline",
            PrinterState::InvalidReply { .. } => "printer.invalid_reply",
            PrinterState::NoAnswer { .. } => "printer.no_answer",
        },
    }
}

/// Turns the values as the review screen formats them into the request's
/// visitor data, in the formats the server expects (ISO dates, `+7…`).
fn visitor_data(values: &[(Field, String)]) -> Result<VisitorData, IssueError> {
    let get = |field: Field| {
        values
            .iter()
            .find(|(key, _)| *key == field)
            .map(|(_, value)| value.as_str())
    };
    let required = |field: Field| {
        get(field)
            .filter(|value| !value.is_empty())
            .ok_or(IssueError::Invalid {
                field: field.code(),
            })
    };
    let invalid = |field: Field| IssueError::Invalid {
        field: field.code(),
    };

    let birth_date = date::parse_date(required(Field::BirthDate)?, DateField::BirthDate)
        .map_err(|_| invalid(Field::BirthDate))?;
    let passport_issue_date = date::parse_date(
        required(Field::PassportIssueDate)?,
        DateField::PassportIssueDate,
    )
    .map_err(|_| invalid(Field::PassportIssueDate))?;
    let passport_number = passport::parse_passport_number(required(Field::PassportNumber)?)
        .map_err(|_| invalid(Field::PassportNumber))?;
    let division_code = passport::parse_division_code(required(Field::DivisionCode)?)
        .map_err(|_| invalid(Field::DivisionCode))?;
    let snils = snils::parse_snils(required(Field::Snils)?).map_err(|_| invalid(Field::Snils))?;
    // NOTE: confirming an existing account may leave the phone empty, and
    // the event then carries an empty string; the server does not check it.
    let phone = match get(Field::Phone).filter(|value| !value.is_empty()) {
        Some(value) => phone::parse_mobile_phone(value)
            .map_err(|_| invalid(Field::Phone))?
            .e164(),
        None => String::new(),
    };
    let email = match get(Field::Email).filter(|value| !value.is_empty()) {
        Some(value) => Some(
            email::parse_email(value)
                .map_err(|_| invalid(Field::Email))?
                .to_string(),
        ),
        None => None,
    };

    Ok(VisitorData {
        surname: required(Field::Surname)?.to_owned(),
        given_name: required(Field::GivenName)?.to_owned(),
        patronymic: get(Field::Patronymic)
            .filter(|value| !value.is_empty())
            .map(str::to_owned),
        birth_date,
        passport_number: passport_number.to_string(),
        passport_issue_date,
        passport_issuer: passport_issuer::parse_passport_issuer(required(Field::PassportIssuer)?)
            .map_err(|_| invalid(Field::PassportIssuer))?,
        division_code: division_code.to_string(),
        snils: snils.to_string(),
        inn: None,
        phone,
        email,
    })
}
