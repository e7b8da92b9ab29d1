//! Handles what the token and the server reported, on the UI thread.

use std::rc::Rc;

use domain::qualified_certificate::CertificateError;
use domain::Lang;
use hardware::token::{TokenError, TriesLeft};
use jiff::tz::TimeZone;
use slint::{ComponentHandle, ModelRc, VecModel};
use ui::{KioskWindow, PinTries, TokenAdapter, TokenCertificateView, TokenState};

use super::super::Context;
use crate::token::{CertificateChoice, ServerRefusal, TokenAnswer, TokenEvent};

/// The message on screen, kept so that a language switch shows it again
/// in the new language.
#[derive(Debug, Clone)]
pub(crate) enum Notice {
    /// The kiosk's own checks refused the certificate.
    Certificate(CertificateError),
    /// The server refused, with its code and Russian message.
    Server { code: String, message: String },
    /// The token or its module failed.
    Token(TokenError),
    /// The token contains no certificate.
    NoCertificates,
}

impl Notice {
    /// Returns the message the visitor reads in `lang`.
    fn text(&self, lang: Lang) -> String {
        match self {
            Notice::Certificate(err) => err.message(lang),
            Notice::Server { code, message } => server_message(code, message, lang),
            Notice::Token(err) => token_message(err, lang),
            Notice::NoCertificates => no_certificate_message(lang).to_owned(),
        }
    }
}

/// Shows `notice` in the session's language and keeps it for a language
/// switch.
pub(super) fn show_notice(window: &KioskWindow, context: &Rc<Context>, notice: Notice) {
    let lang = context.session.borrow().lang;
    window
        .global::<TokenAdapter>()
        .set_message(notice.text(lang).into());
    if let Some(step) = context.token.borrow_mut().as_mut() {
        step.notice = Some(notice);
    }
}

/// Shows the message and the confirmed account level again in the
/// session's language.
pub(crate) fn refresh(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<TokenAdapter>();
    let lang = context.session.borrow().lang;
    let token = context.token.borrow();
    let Some(step) = token.as_ref() else {
        return;
    };
    if let Some(level) = step.level {
        adapter.set_account_level(level.name(lang).into());
    }
    if adapter.get_message().is_empty() {
        return;
    }
    if let Some(notice) = &step.notice {
        adapter.set_message(notice.text(lang).into());
    }
}

/// Drains the inbox and applies each result of the current attempt.
pub(super) fn answer(window: &KioskWindow, context: &Rc<Context>) {
    loop {
        let next = context
            .token_inbox
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop_front();
        let Some(TokenAnswer { attempt, event }) = next else {
            return;
        };
        let current = context.token.borrow().as_ref().map(|step| step.attempt);
        if current != Some(attempt) {
            tracing::debug!(%attempt, "token result for an earlier attempt dropped");
            continue;
        }
        apply(window, context, event);
    }
}

fn apply(window: &KioskWindow, context: &Rc<Context>, event: TokenEvent) {
    let adapter = window.global::<TokenAdapter>();
    let lang = context.session.borrow().lang;
    if adapter.get_state() == TokenState::Confirmed {
        // Removing the token after the confirmation is what the visitor
        // is expected to do; the success screen stays.
        return;
    }
    match event {
        TokenEvent::Inserted(choices) => inserted(window, context, choices),
        TokenEvent::Removed => super::back_to_insert(window, context),
        TokenEvent::UnknownCard => {
            super::back_to_insert(window, context);
            adapter.set_state(TokenState::UnknownCard);
        }
        TokenEvent::Failed(err) => {
            show_notice(window, context, Notice::Token(err));
            adapter.set_state(TokenState::Failed);
        }
        TokenEvent::Challenge(challenge) => {
            if let Some(step) = context.token.borrow_mut().as_mut() {
                step.challenge = Some(challenge);
            }
            adapter.set_pin_count(0);
            adapter.set_wrong_pin(false);
            adapter.set_state(TokenState::Pin);
        }
        TokenEvent::SignFailed(err) => sign_failed(window, context, err),
        TokenEvent::Refused(refusal) => refused(window, context, refusal),
        TokenEvent::Confirmed(confirmed) => {
            super::stop_watching(context);
            let holder = [
                Some(confirmed.surname.as_str()),
                Some(confirmed.given_name.as_str()),
                confirmed.patronymic.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            if let Some(step) = context.token.borrow_mut().as_mut() {
                step.level = Some(confirmed.account_level);
            }
            adapter.set_holder(holder.into());
            adapter.set_account_level(confirmed.account_level.name(lang).into());
            adapter.set_state(TokenState::Confirmed);
            tracing::info!(attempt = %confirmed.attempt_id, level = confirmed.account_level.code(), "identity confirmed on the kiosk");
        }
    }
}

/// Shows the certificates of an inserted token: the list when there are
/// several, else straight on with the only one.
fn inserted(window: &KioskWindow, context: &Rc<Context>, choices: Vec<CertificateChoice>) {
    let adapter = window.global::<TokenAdapter>();
    if choices.is_empty() {
        show_notice(window, context, Notice::NoCertificates);
        adapter.set_state(TokenState::Failed);
        return;
    }
    let rows: Vec<TokenCertificateView> = choices
        .iter()
        .map(|choice| TokenCertificateView {
            holder: choice.holder.as_str().into(),
            issuer: choice.issuer.as_str().into(),
            valid_until: civil_date(choice.valid_until).into(),
        })
        .collect();
    let single = choices.len() == 1;
    if let Some(step) = context.token.borrow_mut().as_mut() {
        step.choices = choices;
        step.chosen = None;
        step.challenge = None;
    }
    adapter.set_certificates(ModelRc::new(VecModel::from(rows)));
    if single {
        super::choose(window, context, 0);
    } else {
        adapter.set_state(TokenState::Choosing);
    }
}

fn sign_failed(window: &KioskWindow, context: &Rc<Context>, err: TokenError) {
    let adapter = window.global::<TokenAdapter>();
    match err {
        TokenError::WrongPin { tries_left } => {
            adapter.set_tries(match tries_left {
                TriesLeft::NotReported => PinTries::NotReported,
                TriesLeft::Fewer => PinTries::Fewer,
                TriesLeft::One => PinTries::One,
            });
            adapter.set_wrong_pin(true);
            adapter.set_state(TokenState::Pin);
        }
        TokenError::PinLength { .. } => {
            show_notice(window, context, Notice::Token(err));
            adapter.set_state(TokenState::Pin);
        }
        TokenError::PinLocked => adapter.set_state(TokenState::Locked),
        TokenError::TokenAbsent { .. } => super::back_to_insert(window, context),
        other => {
            show_notice(window, context, Notice::Token(other));
            adapter.set_state(TokenState::Failed);
        }
    }
}

fn refused(window: &KioskWindow, context: &Rc<Context>, refusal: ServerRefusal) {
    let adapter = window.global::<TokenAdapter>();
    if let Some(step) = context.token.borrow_mut().as_mut() {
        step.challenge = None;
    }
    match refusal {
        ServerRefusal::Offline => adapter.set_state(TokenState::Offline),
        ServerRefusal::Certificate { code, message } => {
            show_notice(window, context, Notice::Server { code, message });
            adapter.set_state(TokenState::Refused);
        }
        ServerRefusal::Other { code, message } => {
            show_notice(window, context, Notice::Server { code, message });
            adapter.set_state(TokenState::Failed);
        }
    }
}

/// Returns the token failure's message in `lang`. The hardware layer's
/// messages are Russian only, so English gets one general sentence.
fn token_message(err: &TokenError, lang: Lang) -> String {
    match lang {
        Lang::Ru => err.message_ru(),
        Lang::En => "The token could not be used. Take it out, insert it again and retry, or take a ticket and confirm your identity with an operator.".to_owned(),
    }
}

/// Returns the server's Russian message, or a general one when the
/// server sent none. In English, a `certificate.*` code gets the rule's
/// English message from `CertificateError` when the code alone fixes it,
/// and any other refusal the general sentence.
fn server_message(code: &str, message: &str, lang: Lang) -> String {
    match lang {
        Lang::Ru if !message.is_empty() => message.to_owned(),
        Lang::Ru => "Сервер не подтвердил личность. Возьмите талон, и оператор подтвердит личность у окна.".to_owned(),
        Lang::En => CertificateError::message_for_code(code, Lang::En).unwrap_or_else(|| {
            "The server did not confirm your identity. Take a ticket and an operator will confirm it at the window.".to_owned()
        }),
    }
}

fn no_certificate_message(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "На токене нет сертификатов. Проверьте, что вставлен токен с квалифицированной электронной подписью, или подтвердите личность у оператора.",
        Lang::En => "The token holds no certificates. Check that it is the token with your qualified electronic signature, or confirm your identity with an operator.",
    }
}

/// Formats an instant as ДД.ММ.ГГГГ, the date in UTC as the certificate
/// stores it.
fn civil_date(instant: jiff::Timestamp) -> String {
    TimeZone::UTC
        .to_datetime(instant)
        .strftime("%d.%m.%Y")
        .to_string()
}
