//! The «Введите код из SMS» step of a registration: after the contacts
//! step the server sends a one-time code to the phone, then to the e-mail
//! when one was given, and the visitor types each here. The request is
//! later submitted under the same request id, which is how the server
//! finds that its contacts were confirmed.
//!
//! Server calls go through [`crate::contacts::ContactConfirmer`] and
//! return at once; responses arrive through `ConfirmAdapter.answer-arrived`
//! and are handled in [`answer`]. The countdowns run on a `slint::Timer`.

use std::rc::Rc;
use std::time::Duration;

use domain::sync::ContactKind;
use slint::{ComponentHandle, ModelRc, SharedString, TimerMode, VecModel};
use ui::{ConfirmAdapter, ConfirmState, FieldKind, KioskWindow, Page, Purpose};

mod answer;

use super::Context;
use crate::contacts::ContactReply;
use crate::fields::domain_field;
use crate::issue::{PlainService, VisitPurpose, VisitRequest};
use crate::session::ConfirmStep;

/// Digits in a contact confirmation code.
const CODE_DIGITS: usize = 6;

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<ConfirmAdapter>();

    on(
        context,
        |callback| adapter.on_answer_arrived(callback),
        answer::answer,
    );
    on(context, |callback| adapter.on_submit(callback), submit);
    on(context, |callback| adapter.on_resend(callback), resend);
    on(context, |callback| adapter.on_erase(callback), erase);
    on(
        context,
        |callback| adapter.on_change_contact(callback),
        change_contact,
    );
    on(
        context,
        |callback| adapter.on_operator_ticket(callback),
        operator_ticket,
    );

    let weak = Rc::downgrade(context);
    adapter.on_type_digit(move |text| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        type_digit(&window, &context, &text);
    });
}

/// Connects a callback without arguments to `handler`, holding the
/// context weakly as every controller does.
fn on(
    context: &Rc<Context>,
    connect: impl FnOnce(Box<dyn Fn()>),
    handler: fn(&KioskWindow, &Rc<Context>),
) {
    let weak = Rc::downgrade(context);
    connect(Box::new(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        handler(&window, &context);
    }));
}

/// Opens the code step for the first contact not yet confirmed, or leaves
/// data entry when none is left or the visit needs no confirmation.
pub(crate) fn start(window: &KioskWindow, context: &Rc<Context>) {
    let purpose = context.session.borrow().purpose();
    let next = match (&context.contacts, purpose) {
        (Some(_), Purpose::Register) => next_unconfirmed(context),
        _ => None,
    };
    let Some((contact, value, shown)) = next else {
        context.confirm_timer.stop();
        context.session.borrow_mut().confirm = None;
        super::entry::finish(window, context);
        return;
    };

    let adapter = window.global::<ConfirmAdapter>();
    let same_step = context
        .session
        .borrow()
        .confirm
        .as_ref()
        .is_some_and(|step| step.contact == contact && step.value == value);
    if same_step {
        super::show_page(window, context, Page::Confirm);
        return;
    }

    {
        let mut session = context.session.borrow_mut();
        session.request_id.get_or_insert_with(uuid::Uuid::now_v7);
        session.confirm = Some(ConfirmStep {
            contact,
            value,
            code: String::new(),
            sent: false,
            seconds_left: 0,
            resend_in: 0,
        });
    }
    context.confirm_timer.stop();
    adapter.set_contact(match contact {
        ContactKind::Phone => ui::ContactKind::Phone,
        ContactKind::Email => ui::ContactKind::Email,
    });
    adapter.set_recipient(shown.into());
    adapter.set_ticket_failed(false);
    send(window, context, false);
    super::show_page(window, context, Page::Confirm);
}

/// Returns the first contact that needs a code: its kind, its value as
/// the server normalises it, and its value as the review screen shows it.
fn next_unconfirmed(context: &Context) -> Option<(ContactKind, String, String)> {
    let session = context.session.borrow();
    for (kind, contact) in [
        (FieldKind::Phone, ContactKind::Phone),
        (FieldKind::Email, ContactKind::Email),
    ] {
        let field = domain_field(kind);
        let Some(raw) = session.values.get(&field).filter(|raw| !raw.is_empty()) else {
            continue;
        };
        let normalised = match contact {
            ContactKind::Phone => domain::phone::parse_mobile_phone(raw)
                .map(|phone| phone.e164())
                .ok(),
            ContactKind::Email => domain::email::parse_email(raw)
                .map(|email| email.as_str().to_owned())
                .ok(),
        };
        let Some(value) = normalised else {
            // The contacts step lets no invalid value through, so only a
            // rule change mid-session gets here; the server judges it.
            tracing::warn!(
                contact = contact.as_str(),
                "contact does not parse; not confirmed"
            );
            continue;
        };
        if session
            .confirmed
            .iter()
            .any(|(kind, confirmed)| *kind == contact && *confirmed == value)
        {
            continue;
        }
        let shown = context
            .services
            .rules
            .check(field, raw, &session.values)
            .unwrap_or_else(|_| raw.clone());
        return Some((contact, value, shown));
    }
    None
}

/// Asks the server for a code: a resend of the earlier one when `resend`,
/// else a first code to the value.
fn send(window: &KioskWindow, context: &Rc<Context>, resend: bool) {
    let Some(confirmer) = context.contacts.clone() else {
        return;
    };
    let (request_id, contact, value) = {
        let mut session = context.session.borrow_mut();
        let request_id = session.request_id;
        let Some(step) = session.confirm.as_mut() else {
            return;
        };
        step.code.clear();
        (request_id, step.contact, step.value.clone())
    };
    let Some(request_id) = request_id else {
        return;
    };
    let adapter = window.global::<ConfirmAdapter>();
    adapter.set_state(ConfirmState::Sending);
    adapter.set_wrong_code(false);
    show_code(window, context);
    tracing::info!(contact = contact.as_str(), resend, "contact code requested");

    let reply = ContactReply::new(
        context.window.clone(),
        std::sync::Arc::clone(&context.contact_inbox),
    );
    let value = if resend { None } else { Some(value) };
    confirmer.send_code(request_id, contact, value, reply);
}

fn type_digit(window: &KioskWindow, context: &Rc<Context>, text: &str) {
    if window.global::<ConfirmAdapter>().get_state() != ConfirmState::Entering {
        return;
    }
    {
        let mut session = context.session.borrow_mut();
        let Some(step) = session.confirm.as_mut() else {
            return;
        };
        // The digit keypad also has `+`, `.` and `-`; a code has none.
        let digits = text.chars().filter(char::is_ascii_digit);
        for digit in digits {
            if step.code.len() < CODE_DIGITS {
                step.code.push(digit);
            }
        }
    }
    window.global::<ConfirmAdapter>().set_wrong_code(false);
    show_code(window, context);
}

fn erase(window: &KioskWindow, context: &Rc<Context>) {
    if let Some(step) = context.session.borrow_mut().confirm.as_mut() {
        step.code.pop();
    }
    show_code(window, context);
}

fn submit(window: &KioskWindow, context: &Rc<Context>) {
    let Some(confirmer) = context.contacts.clone() else {
        return;
    };
    let adapter = window.global::<ConfirmAdapter>();
    if adapter.get_state() != ConfirmState::Entering {
        return;
    }
    let session = context.session.borrow();
    let (Some(request_id), Some(step)) = (session.request_id, session.confirm.as_ref()) else {
        return;
    };
    if step.code.len() != CODE_DIGITS {
        return;
    }
    let (contact, code) = (step.contact, step.code.clone());
    drop(session);

    adapter.set_state(ConfirmState::Checking);
    let reply = ContactReply::new(
        context.window.clone(),
        std::sync::Arc::clone(&context.contact_inbox),
    );
    confirmer.verify(request_id, contact, code, reply);
}

fn resend(window: &KioskWindow, context: &Rc<Context>) {
    let state = window.global::<ConfirmAdapter>().get_state();
    // After a failed delivery or no response the server has no code for
    // this contact, so only a first code can follow.
    let has_code = context
        .session
        .borrow()
        .confirm
        .as_ref()
        .is_some_and(|step| step.sent);
    let resend = has_code
        && matches!(
            state,
            ConfirmState::Entering | ConfirmState::Expired | ConfirmState::Exhausted
        );
    send(window, context, resend);
}

fn change_contact(window: &KioskWindow, context: &Rc<Context>) {
    context.confirm_timer.stop();
    let contact = context
        .session
        .borrow_mut()
        .confirm
        .take()
        .map(|step| step.contact);
    let kind = match contact {
        Some(ContactKind::Email) => FieldKind::Email,
        _ => FieldKind::Phone,
    };
    super::entry::correct(window, context, kind);
}

/// Gives up on registering here: a ticket to an operator, who registers
/// the visitor at the window.
fn operator_ticket(window: &KioskWindow, context: &Rc<Context>) {
    context.confirm_timer.stop();
    let request = VisitRequest {
        purpose: VisitPurpose::Ticket(PlainService::Other),
        values: Vec::new(),
        chip_read: false,
        chip: None,
        request_id: None,
    };
    if let Err(err) = super::ticket::issue(window, context, request) {
        tracing::error!(cause = %err, "operator ticket not issued from the code step");
        window.global::<ConfirmAdapter>().set_ticket_failed(true);
    }
}

/// Counts the code's life and the resend wait down once a second.
fn start_countdown(context: &Rc<Context>) {
    let weak = Rc::downgrade(context);
    context
        .confirm_timer
        .start(TimerMode::Repeated, Duration::from_secs(1), move || {
            let Some(context) = weak.upgrade() else {
                return;
            };
            let Some(window) = context.window.upgrade() else {
                return;
            };
            tick(&window, &context);
        });
}

fn tick(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<ConfirmAdapter>();
    let expired = {
        let mut session = context.session.borrow_mut();
        let Some(step) = session.confirm.as_mut() else {
            context.confirm_timer.stop();
            return;
        };
        step.seconds_left = step.seconds_left.saturating_sub(1);
        step.resend_in = step.resend_in.saturating_sub(1);
        step.seconds_left == 0
    };
    if expired && adapter.get_state() == ConfirmState::Entering {
        tracing::info!("contact code expired on screen");
        adapter.set_state(ConfirmState::Expired);
    }
    show_code(window, context);
}

/// Sends the typed digits and both countdowns to the screen.
fn show_code(window: &KioskWindow, context: &Rc<Context>) {
    let session = context.session.borrow();
    let Some(step) = session.confirm.as_ref() else {
        return;
    };
    let cells: Vec<SharedString> = (0..CODE_DIGITS)
        .map(|index| {
            step.code
                .get(index..index + 1)
                .map(SharedString::from)
                .unwrap_or_default()
        })
        .collect();
    let adapter = window.global::<ConfirmAdapter>();
    adapter.set_cells(ModelRc::new(VecModel::from(cells)));
    adapter.set_typed_count(step.code.len() as i32);
    adapter.set_seconds_left(step.seconds_left as i32);
    adapter.set_resend_in(step.resend_in as i32);
}

/// Empties the step's screen for the next visitor.
pub(crate) fn wipe(window: &KioskWindow, context: &Rc<Context>) {
    context.confirm_timer.stop();
    context
        .contact_inbox
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clear();
    let adapter = window.global::<ConfirmAdapter>();
    adapter.set_cells(ModelRc::new(VecModel::from(vec![
        SharedString::default();
        CODE_DIGITS
    ])));
    adapter.set_typed_count(0);
    adapter.set_recipient(SharedString::default());
    adapter.set_server_message(SharedString::default());
    adapter.set_wrong_code(false);
    adapter.set_ticket_failed(false);
    adapter.set_state(ConfirmState::Sending);
}
