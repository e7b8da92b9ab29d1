//! Applies one pushed event to the center's current state, using the
//! `domain` state machines for every transition.
//!
//! Contract with `sync::push_group`: a [`Rejection::Rule`] comes before the
//! event's first write, so a rejected event leaves nothing to undo. The
//! push checks this with SQLite's change count and falls back to a
//! savepoint per event when it does not hold.

use domain::account::AccountLevel;
use domain::confirmation_code::{self, ConfirmationCode};
use domain::request::{RequestAction, RequestKind, RequestState};
use domain::sync::{DeviceRole, EventEnvelope, EventKind, IssuedCode};
use domain::ticket::{TicketAction, TicketState};
use domain::Lang;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::codec::{parse_json, to_json};
use super::migrations::backend;
use crate::store::{Device, Session, StoreError};

/// Reason an event was not applied.
pub(crate) enum Rejection {
    /// The rules refused it; the device keeps it marked failed.
    Rule {
        code: String,
        message: String,
        current_state: Option<String>,
    },
    /// Storage failed; the whole push fails.
    Store(StoreError),
}

impl From<rusqlite::Error> for Rejection {
    fn from(err: rusqlite::Error) -> Self {
        Rejection::Store(backend(err))
    }
}

impl From<StoreError> for Rejection {
    fn from(err: StoreError) -> Self {
        Rejection::Store(err)
    }
}

fn rule(code: &str, message: impl Into<String>) -> Rejection {
    Rejection::Rule {
        code: code.to_owned(),
        message: message.into(),
        current_state: None,
    }
}

/// What a push is checked against besides the state machines.
pub(crate) struct Rules<'a> {
    /// The operator on whose behalf a console pushes.
    pub session: Option<&'a Session>,
    /// Registration requests need their phone (and e-mail, if given)
    /// confirmed by a contact code first.
    pub contacts_required: bool,
}

/// Applies `event` and returns the confirmation code it issued, if any.
pub(crate) fn apply_event(
    conn: &Connection,
    device: &Device,
    rules: &Rules<'_>,
    event: &EventEnvelope,
    now: Timestamp,
) -> Result<Option<IssuedCode>, Rejection> {
    let session = rules.session;
    check_role(device.role, &event.kind)?;
    match &event.kind {
        EventKind::RequestSubmitted(submitted) => {
            find_ticket(conn, device, submitted.ticket_id)?;
            if rules.contacts_required && submitted.request_kind == RequestKind::Register {
                check_contacts_confirmed(conn, submitted)?;
            }
            let taken: Option<String> = conn
                .query_row(
                    "SELECT id FROM requests WHERE id = ?1",
                    [submitted.request_id.to_string()],
                    |row| row.get(0),
                )
                .optional()?;
            if taken.is_some() {
                return Err(rule(
                    "request.exists",
                    "Заявление с этим идентификатором уже сохранено другим событием.",
                ));
            }
            conn.execute(
                "INSERT INTO requests (id, center_id, kind, ticket_id, state, visitor, chip, submitted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    submitted.request_id.to_string(),
                    device.center_id.to_string(),
                    submitted.request_kind.code(),
                    submitted.ticket_id.to_string(),
                    to_json(&RequestState::Waiting),
                    to_json(&submitted.visitor),
                    submitted.chip.as_ref().map(to_json),
                    now.to_string()
                ],
            )?;
            Ok(None)
        }
        EventKind::TicketIssued(issued) => {
            issue_ticket(conn, device, issued, now)?;
            Ok(None)
        }
        EventKind::TicketCalled(called) => {
            let ticket = called.ticket_id;
            change_ticket(
                conn,
                device,
                ticket,
                TicketAction::Call {
                    window: called.window,
                },
            )?;
            take_request_of_ticket(conn, ticket)?;
            Ok(None)
        }
        EventKind::TicketRecalled(r) => {
            ticket_action(conn, device, r.ticket_id, TicketAction::Recall)
        }
        EventKind::TicketStarted(r) => {
            ticket_action(conn, device, r.ticket_id, TicketAction::StartServing)
        }
        EventKind::TicketDone(r) => ticket_action(conn, device, r.ticket_id, TicketAction::Finish),
        EventKind::TicketNoShow(r) => {
            ticket_action(conn, device, r.ticket_id, TicketAction::MarkNoShow)
        }
        EventKind::TicketPostponed(p) => ticket_action(
            conn,
            device,
            p.ticket_id,
            TicketAction::Postpone { after: p.after },
        ),
        EventKind::TicketRedirected(r) => ticket_action(
            conn,
            device,
            r.ticket_id,
            TicketAction::Redirect { to: r.to },
        ),
        EventKind::DecisionConfirm(confirm) => {
            let session = require_session(device, session)?;
            decide(
                conn,
                device,
                session,
                confirm.request_id,
                RequestAction::Confirm,
                now,
            )
        }
        EventKind::DecisionReject(reject) => {
            let session = require_session(device, session)?;
            let action = RequestAction::Reject {
                reason: reject.reason.clone(),
            };
            decide(conn, device, session, reject.request_id, action, now)
        }
        // Logged once per push and alert code (see `sync::log_alerts`).
        EventKind::DeviceAlert(_) => Ok(None),
    }
}

/// Checks that the request's phone, and e-mail if given, were confirmed
/// with a contact code under this request id, for the same values.
fn check_contacts_confirmed(
    conn: &Connection,
    submitted: &domain::sync::RequestSubmitted,
) -> Result<(), Rejection> {
    let visitor = &submitted.visitor;
    let phone = domain::phone::parse_mobile_phone(&visitor.phone)
        .map(|phone| phone.e164())
        .ok();
    let email = visitor.email.as_deref().map(|email| {
        domain::email::parse_email(email)
            .map(|email| email.as_str().to_owned())
            .ok()
    });
    let mut needed = vec![("phone", phone, "номер телефона")];
    if let Some(email) = email {
        needed.push(("email", email, "адрес электронной почты"));
    }
    for (contact, value, name) in needed {
        let confirmed: Option<String> = conn
            .query_row(
                "SELECT value FROM contact_codes
                 WHERE request_id = ?1 AND contact = ?2 AND verified_at IS NOT NULL",
                params![submitted.request_id.to_string(), contact],
                |row| row.get(0),
            )
            .optional()?;
        if confirmed.is_none() || confirmed != value {
            return Err(rule(
                "request.contact_unconfirmed",
                format!(
                    "В заявлении на регистрацию {name} не подтверждён кодом. Подтвердите его \
                     на киоске и отправьте заявление снова."
                ),
            ));
        }
    }
    Ok(())
}

fn check_role(role: DeviceRole, kind: &EventKind) -> Result<(), Rejection> {
    let allowed = match kind {
        EventKind::RequestSubmitted(_) | EventKind::TicketIssued(_) => role == DeviceRole::Kiosk,
        EventKind::DeviceAlert(_) => true,
        _ => role == DeviceRole::Operator,
    };
    if allowed {
        Ok(())
    } else {
        Err(rule(
            "event.forbidden_for_role",
            format!(
                "Событие «{}» не может отправлять устройство с ролью «{}».",
                kind.name(),
                role.as_str()
            ),
        ))
    }
}

fn require_session<'a>(
    device: &Device,
    session: Option<&'a Session>,
) -> Result<&'a Session, Rejection> {
    match session {
        Some(session) if session.center_id == device.center_id => Ok(session),
        Some(_) => Err(rule(
            "session.wrong_center",
            "Оператор вошёл в другом центре. Войдите в систему на этом рабочем месте.",
        )),
        None => Err(rule(
            "session.required",
            "Решение по заявлению требует входа оператора. Войдите в систему и отправьте снова.",
        )),
    }
}

fn issue_ticket(
    conn: &Connection,
    device: &Device,
    issued: &domain::sync::TicketIssued,
    now: Timestamp,
) -> Result<(), Rejection> {
    let lease: Option<(String, String, u16, u16)> = conn
        .query_row(
            "SELECT device_id, category, first, last FROM leases WHERE id = ?1",
            [issued.lease_id.to_string()],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let Some((lease_device, category, first, last)) = lease else {
        return Err(rule(
            "ticket.lease_unknown",
            "Блок номеров, указанный в талоне, не найден. Запросите новый блок.",
        ));
    };
    let number = issued.number;
    let sequence = number.sequence();
    if lease_device != device.id.to_string()
        || category != number.category().code()
        || !(first..=last).contains(&sequence)
    {
        return Err(rule(
            "ticket.outside_lease",
            format!("Номер {number} не входит в блок номеров этого киоска. Запросите новый блок."),
        ));
    }
    let day: String = conn.query_row(
        "SELECT day FROM leases WHERE id = ?1",
        [issued.lease_id.to_string()],
        |row| row.get(0),
    )?;
    let inserted = conn.execute(
        "INSERT INTO tickets (id, center_id, day, number, priority, state, issued_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
        params![
            issued.ticket_id.to_string(),
            device.center_id.to_string(),
            day,
            number.to_string(),
            issued.priority,
            to_json(&TicketState::Issued),
            now.to_string()
        ],
    )?;
    if inserted == 0 {
        return Err(rule(
            "ticket.exists",
            format!("Талон {number} или талон с этим идентификатором уже выдан сегодня."),
        ));
    }
    Ok(())
}

fn find_ticket(
    conn: &Connection,
    device: &Device,
    ticket_id: Uuid,
) -> Result<TicketState, Rejection> {
    let state: Option<String> = conn
        .query_row(
            "SELECT state FROM tickets WHERE id = ?1 AND center_id = ?2",
            params![ticket_id.to_string(), device.center_id.to_string()],
            |row| row.get(0),
        )
        .optional()?;
    match state {
        Some(text) => Ok(parse_json(0, &text)?),
        None => Err(rule(
            "ticket.unknown",
            format!("Талон {ticket_id} не найден в этом центре. Сначала отправьте событие выдачи талона."),
        )),
    }
}

fn change_ticket(
    conn: &Connection,
    device: &Device,
    ticket_id: Uuid,
    action: TicketAction,
) -> Result<(), Rejection> {
    let current = find_ticket(conn, device, ticket_id)?;
    let next = current.apply(action).map_err(|err| Rejection::Rule {
        code: domain::ticket::TransitionError::CODE.to_owned(),
        message: err.message(Lang::Ru),
        current_state: Some(err.state.code().to_owned()),
    })?;
    conn.execute(
        "UPDATE tickets SET state = ?1 WHERE id = ?2",
        params![to_json(&next), ticket_id.to_string()],
    )?;
    Ok(())
}

fn ticket_action(
    conn: &Connection,
    device: &Device,
    ticket_id: Uuid,
    action: TicketAction,
) -> Result<Option<IssuedCode>, Rejection> {
    change_ticket(conn, device, ticket_id, action)?;
    Ok(None)
}

/// Moves a waiting request to "in progress" when its ticket is called, so
/// the operator who called it can decide it.
fn take_request_of_ticket(conn: &Connection, ticket_id: Uuid) -> Result<(), Rejection> {
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT id, state FROM requests WHERE ticket_id = ?1",
            [ticket_id.to_string()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((request_id, state)) = found else {
        return Ok(());
    };
    let state: RequestState = parse_json(1, &state)?;
    // A recall of an already taken request changes nothing.
    if let Ok(next) = state.apply(RequestAction::Take) {
        conn.execute(
            "UPDATE requests SET state = ?1 WHERE id = ?2",
            params![to_json(&next), request_id],
        )?;
    }
    Ok(())
}

fn decide(
    conn: &Connection,
    device: &Device,
    session: &Session,
    request_id: Uuid,
    action: RequestAction,
    now: Timestamp,
) -> Result<Option<IssuedCode>, Rejection> {
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT state, visitor FROM requests WHERE id = ?1 AND center_id = ?2",
            params![request_id.to_string(), device.center_id.to_string()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((state, visitor)) = found else {
        return Err(rule(
            "request.unknown",
            format!("Заявление {request_id} не найдено в этом центре."),
        ));
    };
    let state: RequestState = parse_json(0, &state)?;
    let confirming = matches!(action, RequestAction::Confirm);
    let audit_detail = match &action {
        RequestAction::Reject { reason } => reason.code().code().to_owned(),
        _ => String::new(),
    };
    let next = state.apply(action).map_err(|err| Rejection::Rule {
        code: domain::request::TransitionError::CODE.to_owned(),
        message: err.message(Lang::Ru),
        current_state: Some(err.state.code().to_owned()),
    })?;
    conn.execute(
        "UPDATE requests SET state = ?1, decided_by = ?2, decided_at = ?3 WHERE id = ?4",
        params![
            to_json(&next),
            session.operator_id.to_string(),
            now.to_string(),
            request_id.to_string()
        ],
    )?;

    let operator = session.operator_id.to_string();
    let subject = request_id.to_string();
    let action_name = if confirming {
        "request.confirm"
    } else {
        "request.reject"
    };
    audit::append(
        conn,
        &AuditEntry {
            actor: &operator,
            action: action_name,
            subject: &subject,
            detail: &audit_detail,
        },
        now,
    )?;
    if !confirming {
        return Ok(None);
    }

    let visitor: domain::sync::VisitorData = parse_json(1, &visitor)?;
    raise_account(conn, &visitor.snils, now)?;
    let code = ConfirmationCode::generate(&mut rand::rng());
    let expires_at = confirmation_code::expires_at(now);
    conn.execute(
        "INSERT INTO confirmation_codes (code_hash, request_id, expires_at) VALUES (?1, ?2, ?3)",
        params![
            crate::secrets::sha256_hex(code.as_str().as_bytes()),
            subject,
            expires_at.to_string()
        ],
    )?;
    Ok(Some(IssuedCode {
        code: code.as_str().to_owned(),
        expires_at,
    }))
}

/// Moves the visitor's portal account to «подтверждённая», creating it at
/// the standard level first when this center has not seen it.
pub(crate) fn raise_account(
    conn: &Connection,
    snils: &str,
    now: Timestamp,
) -> Result<(), Rejection> {
    let level: Option<String> = conn
        .query_row(
            "SELECT level FROM accounts WHERE snils = ?1",
            [snils],
            |row| row.get(0),
        )
        .optional()?;
    let current = match level {
        Some(code) => AccountLevel::ALL
            .into_iter()
            .find(|level| level.code() == code)
            .ok_or_else(|| {
                Rejection::Store(StoreError::Backend(format!(
                    "unknown account level {code:?}"
                )))
            })?,
        None => AccountLevel::Standard,
    };
    // An account confirmed earlier stays confirmed; the code is still issued.
    let next = current.raise_to(AccountLevel::Confirmed).unwrap_or(current);
    conn.execute(
        "INSERT INTO accounts (snils, level, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (snils) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at",
        params![snils, next.code(), now.to_string()],
    )?;
    Ok(())
}
