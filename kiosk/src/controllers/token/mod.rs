//! The «Подтвердить личность электронной подписью» step: the visitor
//! inserts a signature token, picks a certificate when there are several,
//! types its PIN on the masked keypad, and the server confirms the account
//! with the signed challenge.
//!
//! Token and server calls go through [`crate::token::SignatureTokens`] and
//! return at once; results arrive through `TokenAdapter.answer-arrived`
//! and are handled in [`answer`]. The PIN typed so far lives only in
//! [`TokenStep::pin`], whose buffer never grows, so zeroing it leaves no
//! copy behind. The screen gets only the count of digits.

use std::rc::Rc;

use domain::account::AccountLevel;
use domain::sync::SignatureChallenge;
use hardware::token::Pin;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use ui::{ChoiceAdapter, KioskWindow, Page, PinTries, TokenAdapter, TokenState};
use uuid::Uuid;

mod answer;

pub(crate) use answer::refresh;

use super::Context;
use crate::issue::{PlainService, VisitPurpose, VisitRequest};
use crate::token::{CertificateChoice, TokenReply};

/// The longest PIN the keypad takes, an estimate above the PIN lengths
/// tokens commonly accept. The buffer is allocated at this size once, so
/// typing never moves the PIN in memory.
const PIN_MAX: usize = 32;

/// The token step of one visitor: the attempt id the server binds the
/// challenge to, what the token reported and the PIN typed so far.
pub(crate) struct TokenStep {
    pub attempt: Uuid,
    pub choices: Vec<CertificateChoice>,
    pub chosen: Option<usize>,
    pub challenge: Option<SignatureChallenge>,
    pub pin: String,
    /// The message on screen, to show again after a language switch.
    pub notice: Option<answer::Notice>,
    /// The account level the server confirmed, for the success screen.
    pub level: Option<AccountLevel>,
}

impl TokenStep {
    fn new() -> TokenStep {
        TokenStep {
            attempt: Uuid::now_v7(),
            choices: Vec::new(),
            chosen: None,
            challenge: None,
            pin: String::with_capacity(PIN_MAX),
            notice: None,
            level: None,
        }
    }

    /// Zeroes the typed PIN; the buffer keeps its capacity.
    fn wipe_pin(&mut self) {
        let mut typed = std::mem::replace(&mut self.pin, String::with_capacity(PIN_MAX));
        // `Pin::take` zeroes the buffer it is given, and dropping the
        // `Pin` zeroes its own copy.
        drop(Pin::take(&mut typed));
    }
}

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let choice = window.global::<ChoiceAdapter>();
    choice.set_token_enabled(context.tokens.is_some());
    on(
        context,
        |callback| choice.on_use_token(callback),
        ask_consent,
    );

    let adapter = window.global::<TokenAdapter>();
    on(
        context,
        |callback| adapter.on_answer_arrived(callback),
        answer::answer,
    );
    on(context, |callback| adapter.on_erase(callback), erase);
    on(
        context,
        |callback| adapter.on_submit_pin(callback),
        submit_pin,
    );
    on(
        context,
        |callback| adapter.on_operator_ticket(callback),
        operator_ticket,
    );
    on(context, |callback| adapter.on_finish(callback), finish);

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

    let weak = Rc::downgrade(context);
    adapter.on_choose_certificate(move |index| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        if let Ok(index) = usize::try_from(index) {
            choose(&window, &context, index);
        }
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

fn reply(context: &Context) -> TokenReply {
    TokenReply::new(
        context.window.clone(),
        std::sync::Arc::clone(&context.token_inbox),
    )
}

/// Shows the consent page first, because the step reads the holder's
/// personal data from the certificate and the server stores them.
fn ask_consent(window: &KioskWindow, context: &Rc<Context>) {
    if context.tokens.is_none() {
        return;
    }
    tracing::info!("token step chosen; asking for consent");
    super::consent::show(window, context, true);
}

/// Opens «Вставьте токен в считыватель» with a new attempt and starts
/// watching for the token. Called once the visitor has given consent.
pub(super) fn start(window: &KioskWindow, context: &Rc<Context>) {
    let Some(tokens) = context.tokens.clone() else {
        return;
    };
    let step = TokenStep::new();
    let attempt = step.attempt;
    if let Some(mut old) = context.token.borrow_mut().replace(step) {
        old.wipe_pin();
        tokens.stop(old.attempt);
    }
    reset_screen(window);
    super::show_page(window, context, Page::Token);
    tracing::info!(%attempt, "token step opened");
    tokens.watch(attempt, reply(context));
}

/// Goes back to waiting for a token, as after its removal.
pub(super) fn back_to_insert(window: &KioskWindow, context: &Rc<Context>) {
    if let Some(step) = context.token.borrow_mut().as_mut() {
        step.wipe_pin();
        step.choices.clear();
        step.chosen = None;
        step.challenge = None;
        step.notice = None;
    }
    reset_screen(window);
}

/// Takes the certificate at `index`. A certificate the local checks reject
/// shows their reason; otherwise a challenge is requested from the server.
pub(super) fn choose(window: &KioskWindow, context: &Rc<Context>, index: usize) {
    let Some(tokens) = context.tokens.clone() else {
        return;
    };
    let adapter = window.global::<TokenAdapter>();
    let attempt = {
        let mut token = context.token.borrow_mut();
        let Some(step) = token.as_mut() else {
            return;
        };
        let Some(choice) = step.choices.get(index) else {
            return;
        };
        if let Err(err) = choice.check.clone() {
            drop(token);
            answer::show_notice(window, context, answer::Notice::Certificate(err));
            adapter.set_state(TokenState::Refused);
            return;
        }
        step.chosen = Some(index);
        step.attempt
    };
    adapter.set_state(TokenState::Preparing);
    tokens.challenge(attempt, index, reply(context));
}

fn type_digit(window: &KioskWindow, context: &Rc<Context>, text: &str) {
    let adapter = window.global::<TokenAdapter>();
    if adapter.get_state() != TokenState::Pin {
        return;
    }
    let count = {
        let mut token = context.token.borrow_mut();
        let Some(step) = token.as_mut() else {
            return;
        };
        for digit in text.chars().filter(char::is_ascii_digit) {
            if step.pin.len() < PIN_MAX {
                step.pin.push(digit);
            }
        }
        step.pin.len()
    };
    adapter.set_wrong_pin(false);
    adapter.set_message(SharedString::default());
    adapter.set_pin_count(count as i32);
}

fn erase(window: &KioskWindow, context: &Rc<Context>) {
    let count = {
        let mut token = context.token.borrow_mut();
        let Some(step) = token.as_mut() else {
            return;
        };
        if step.pin.pop().is_some() {
            // Overwrites the byte the digit left in the spare capacity.
            step.pin.push('0');
            step.pin.pop();
        }
        step.pin.len()
    };
    window.global::<TokenAdapter>().set_pin_count(count as i32);
}

/// Hands the PIN to the token with the challenge; the PIN leaves the step
/// and is zeroed once the token has it.
fn submit_pin(window: &KioskWindow, context: &Rc<Context>) {
    let Some(tokens) = context.tokens.clone() else {
        return;
    };
    let adapter = window.global::<TokenAdapter>();
    if adapter.get_state() != TokenState::Pin {
        return;
    }
    let (attempt, index, challenge, pin) = {
        let mut token = context.token.borrow_mut();
        let Some(step) = token.as_mut() else {
            return;
        };
        let (Some(index), Some(challenge)) = (step.chosen, step.challenge.clone()) else {
            return;
        };
        if step.pin.is_empty() {
            return;
        }
        let pin = Pin::take(&mut step.pin);
        step.pin = String::with_capacity(PIN_MAX);
        (step.attempt, index, challenge, pin)
    };
    adapter.set_pin_count(0);
    adapter.set_wrong_pin(false);
    adapter.set_message(SharedString::default());
    adapter.set_state(TokenState::Signing);
    tracing::info!(%attempt, "PIN submitted to the token");
    tokens.confirm(attempt, index, challenge, pin, reply(context));
}

/// Gives up on the signature here: a ticket to an operator, who confirms
/// the identity at the window.
fn operator_ticket(window: &KioskWindow, context: &Rc<Context>) {
    stop_watching(context);
    let request = VisitRequest {
        purpose: VisitPurpose::Ticket(PlainService::Other),
        values: Vec::new(),
        chip_read: false,
        chip: None,
        request_id: None,
    };
    if let Err(err) = super::ticket::issue(window, context, request) {
        tracing::error!(cause = %err, "operator ticket not issued from the token step");
        window.global::<TokenAdapter>().set_ticket_failed(true);
    }
}

fn finish(window: &KioskWindow, context: &Rc<Context>) {
    super::end_session(window, context);
}

/// Stops watching the token and drops its certificates.
pub(super) fn stop_watching(context: &Context) {
    let attempt = context.token.borrow().as_ref().map(|step| step.attempt);
    if let (Some(tokens), Some(attempt)) = (context.tokens.as_ref(), attempt) {
        tokens.stop(attempt);
    }
}

/// Shows «Вставьте токен в считыватель» with nothing typed.
fn reset_screen(window: &KioskWindow) {
    let adapter = window.global::<TokenAdapter>();
    adapter.set_certificates(ModelRc::new(VecModel::default()));
    adapter.set_message(SharedString::default());
    adapter.set_pin_count(0);
    adapter.set_wrong_pin(false);
    adapter.set_tries(PinTries::NotReported);
    adapter.set_holder(SharedString::default());
    adapter.set_account_level(SharedString::default());
    adapter.set_ticket_failed(false);
    adapter.set_state(TokenState::Waiting);
}

/// Ends the step for the next visitor: the watcher stops, the PIN is
/// zeroed and the screen is emptied.
pub(crate) fn wipe(window: &KioskWindow, context: &Rc<Context>) {
    stop_watching(context);
    if let Some(mut step) = context.token.borrow_mut().take() {
        step.wipe_pin();
    }
    context
        .token_inbox
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clear();
    reset_screen(window);
}
