//! Handling of the server's responses on the code step: a code sent or
//! not, a code accepted or rejected. Each response moves the step to its
//! next state or, once every contact is confirmed, out of data entry.

use std::rc::Rc;

use slint::ComponentHandle;
use station::client::contacts::{CodeOutcome, VerifyOutcome};
use ui::{ConfirmAdapter, ConfirmState, KioskWindow};

use super::{show_code, start, start_countdown};
use crate::contacts::ContactAnswer;
use crate::controllers::Context;

/// Handles every response that arrived since the last call.
pub(super) fn answer(window: &KioskWindow, context: &Rc<Context>) {
    loop {
        let next = context
            .contact_inbox
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop_front();
        let Some(next) = next else {
            return;
        };
        let (request_id, contact) = match &next {
            ContactAnswer::Code {
                request_id,
                contact,
                ..
            }
            | ContactAnswer::Verify {
                request_id,
                contact,
                ..
            } => (*request_id, *contact),
        };
        let current = {
            let session = context.session.borrow();
            session.request_id == Some(request_id)
                && session
                    .confirm
                    .as_ref()
                    .is_some_and(|step| step.contact == contact)
        };
        if !current {
            tracing::info!(contact = contact.as_str(), "late contact response ignored");
            continue;
        }
        match next {
            ContactAnswer::Code { outcome, .. } => code_answer(window, context, outcome),
            ContactAnswer::Verify { outcome, .. } => verify_answer(window, context, outcome),
        }
    }
}

fn code_answer(window: &KioskWindow, context: &Rc<Context>, outcome: CodeOutcome) {
    let adapter = window.global::<ConfirmAdapter>();
    match outcome {
        CodeOutcome::Sent(sent) => {
            let now = jiff::Timestamp::now();
            if let Some(step) = context.session.borrow_mut().confirm.as_mut() {
                step.sent = true;
                step.code.clear();
                step.seconds_left = seconds_until(sent.expires_at, now);
                step.resend_in = seconds_until(sent.resend_at, now);
            }
            adapter.set_attempts_left(i32::from(sent.attempts_left));
            adapter.set_wrong_code(false);
            adapter.set_state(ConfirmState::Entering);
            start_countdown(context);
        }
        CodeOutcome::NotDelivered => set_failed(window, context, ConfirmState::NotDelivered),
        CodeOutcome::Offline => set_failed(window, context, ConfirmState::Offline),
        CodeOutcome::RateLimited { retry_at, .. } => {
            let seconds = retry_at
                .map(|at| seconds_until(at, jiff::Timestamp::now()))
                .unwrap_or(60);
            adapter.set_retry_minutes(seconds.div_ceil(60).max(1) as i32);
            set_failed(window, context, ConfirmState::RateLimited);
        }
        CodeOutcome::ResendTooEarly { retry_at } => {
            // The kiosk's countdown ran ahead of the server's clock; the
            // earlier code still counts, so typing goes on.
            let seconds = retry_at
                .map(|at| seconds_until(at, jiff::Timestamp::now()))
                .unwrap_or(60);
            if let Some(step) = context.session.borrow_mut().confirm.as_mut() {
                step.resend_in = seconds;
            }
            adapter.set_state(ConfirmState::Entering);
            start_countdown(context);
        }
        CodeOutcome::Refused { code, .. } if code == "contact.already_verified" => {
            confirmed(window, context);
        }
        CodeOutcome::Refused { code, .. } if code == "contact.not_configured" => {
            // A server that sends no codes cannot require them either.
            tracing::warn!(
                "the sync server sends no codes for this contact; continuing without one"
            );
            confirmed(window, context);
        }
        CodeOutcome::Refused { code, message } => {
            tracing::warn!(code = %code, "contact code rejected");
            adapter.set_server_message(message.into());
            set_failed(window, context, ConfirmState::Refused);
        }
    }
    show_code(window, context);
}

fn verify_answer(window: &KioskWindow, context: &Rc<Context>, outcome: VerifyOutcome) {
    let adapter = window.global::<ConfirmAdapter>();
    if let Some(step) = context.session.borrow_mut().confirm.as_mut() {
        step.code.clear();
    }
    match outcome {
        VerifyOutcome::Verified(_) => {
            confirmed(window, context);
            return;
        }
        VerifyOutcome::WrongCode { attempts_left } if attempts_left > 0 => {
            adapter.set_attempts_left(i32::from(attempts_left));
            adapter.set_wrong_code(true);
            adapter.set_state(ConfirmState::Entering);
        }
        VerifyOutcome::WrongCode { .. } | VerifyOutcome::TooManyAttempts => {
            adapter.set_state(ConfirmState::Exhausted);
        }
        VerifyOutcome::Expired => adapter.set_state(ConfirmState::Expired),
        VerifyOutcome::Offline => set_failed(window, context, ConfirmState::Offline),
        VerifyOutcome::Refused { code, message } => {
            tracing::warn!(code = %code, "contact code check rejected");
            adapter.set_server_message(message.into());
            set_failed(window, context, ConfirmState::Refused);
        }
    }
    show_code(window, context);
}

/// Records the current contact as confirmed and moves to the next one.
fn confirmed(window: &KioskWindow, context: &Rc<Context>) {
    context.confirm_timer.stop();
    {
        let mut session = context.session.borrow_mut();
        if let Some(step) = session.confirm.take() {
            tracing::info!(contact = step.contact.as_str(), "contact confirmed");
            session.confirmed.push((step.contact, step.value));
        }
    }
    start(window, context);
}

/// Shows a state in which no code can be typed. The server has no usable
/// code then, so «Отправить код повторно» requests a first one at once.
fn set_failed(window: &KioskWindow, context: &Rc<Context>, state: ConfirmState) {
    context.confirm_timer.stop();
    if let Some(step) = context.session.borrow_mut().confirm.as_mut() {
        step.sent = false;
        step.resend_in = 0;
    }
    window.global::<ConfirmAdapter>().set_state(state);
}

/// Whole seconds from `now` to `at`, rounded up; 0 when `at` has passed.
fn seconds_until(at: jiff::Timestamp, now: jiff::Timestamp) -> u32 {
    let millis = at.duration_since(now).as_millis().max(0);
    u32::try_from((millis + 999) / 1000).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_until_rounds_up() {
        let now: jiff::Timestamp = "2026-12-05T10:00:00Z".parse().expect("timestamp");
        let at: jiff::Timestamp = "2026-12-05T10:04:59.200Z".parse().expect("timestamp");
        assert_eq!(seconds_until(at, now), 300);
    }

    #[test]
    fn seconds_until_past_is_zero() {
        let now: jiff::Timestamp = "2026-12-05T10:00:00Z".parse().expect("timestamp");
        let at: jiff::Timestamp = "2026-12-05T09:59:00Z".parse().expect("timestamp");
        assert_eq!(seconds_until(at, now), 0);
    }
}
