//! The signature token step's screens, driven by taps through Slint's
//! testing backend. The token and the server are a scripted
//! `SignatureTokens` here, because a locked PIN and a token pulled out
//! mid-flow cannot be made with SoftHSM2, and every screen state is
//! reached here without a server.

mod common;

use std::rc::Rc;

use common::{start_with_tokens, Call, Harness, ScriptedTokens};
use domain::account::AccountLevel;
use domain::qualified_certificate::CertificateError;
use domain::sync::{SignatureChallenge, SignatureConfirmed};
use domain::Lang;
use hardware::token::{TokenError, TriesLeft};
use i_slint_backend_testing::ElementHandle;
use kiosk::issue::{PlainService, VisitPurpose};
use kiosk::token::{CertificateChoice, ServerRefusal, TokenEvent};
use slint::ComponentHandle;
use ui::SessionAdapter;
use uuid::Uuid;

fn good(holder: &str) -> CertificateChoice {
    CertificateChoice {
        holder: holder.to_owned(),
        issuer: "Okno Test CA".to_owned(),
        valid_until: "2027-11-30T09:00:00Z".parse().expect("timestamp"),
        check: Ok(()),
    }
}

fn challenge() -> SignatureChallenge {
    SignatureChallenge {
        challenge_id: Uuid::now_v7(),
        attempt_id: Uuid::now_v7(),
        nonce: "00".repeat(32),
        expires_at: "2026-12-04T09:05:00Z".parse().expect("timestamp"),
    }
}

/// Chooses the token step and gives consent, which opens «Вставьте токен».
fn open_step() -> (Harness, Rc<ScriptedTokens>) {
    let tokens = Rc::new(ScriptedTokens::default());
    let harness = start_with_tokens(Some(tokens.clone()));
    harness.tap("AttractPage::start");
    harness.tap("ChoosePage::use-token");
    harness.tap("ConsentPage::agree");
    harness.tap("ConsentPage::accept");
    (harness, tokens)
}

fn switch_to_english(harness: &Harness) {
    harness
        .window()
        .global::<SessionAdapter>()
        .invoke_switch_language("en".into());
    harness.settle();
}

/// Opens the step, inserts a token with one good certificate and lets
/// the server issue a challenge, which brings the PIN keypad.
fn at_pin() -> (Harness, Rc<ScriptedTokens>) {
    let (harness, tokens) = open_step();
    tokens.report(&harness, TokenEvent::Inserted(vec![good("Иванова Мария")]));
    tokens.report(&harness, TokenEvent::Challenge(challenge()));
    (harness, tokens)
}

/// Taps the keypad's digit keys, which are labelled with their digit.
fn type_pin(harness: &Harness, digits: &str) {
    assert!(harness.exists("TokenPage::keypad"), "the keypad shows");
    for digit in digits.chars() {
        let key = ElementHandle::find_by_accessible_label(harness.window(), &digit.to_string())
            .next()
            .unwrap_or_else(|| panic!("no key {digit} on the keypad"));
        harness.tap_element(&key);
    }
}

#[test]
fn choice_hides_token_without_reader() {
    let harness = common::start();
    harness.tap("AttractPage::start");

    assert!(!harness.exists("ChoosePage::use-token"));
}

#[test]
fn token_step_asks_consent_first() {
    let tokens = Rc::new(ScriptedTokens::default());
    let harness = start_with_tokens(Some(tokens.clone()));
    harness.tap("AttractPage::start");
    harness.tap("ChoosePage::use-token");

    assert!(
        harness.exists("ConsentPage::accept"),
        "the consent page shows"
    );
    assert!(!harness.exists("TokenPage::title"));
    assert!(tokens.calls().is_empty(), "no token is read before consent");
    assert!(harness
        .text("ConsentPage::body")
        .starts_with("Чтобы подтвердить личность электронной подписью, центр обслуживания считывает квалифицированный сертификат с вашего токена: ФИО, СНИЛС, ИНН"));

    harness.tap("ConsentPage::agree");
    harness.tap("ConsentPage::accept");

    assert_eq!(tokens.calls(), vec![Call::Watch]);
    assert!(harness.exists("TokenPage::title"));
}

#[test]
fn declined_consent_reads_no_token() {
    let tokens = Rc::new(ScriptedTokens::default());
    let harness = start_with_tokens(Some(tokens.clone()));
    harness.tap("AttractPage::start");
    harness.tap("ChoosePage::use-token");

    harness.tap("ConsentPage::decline");

    assert!(harness.exists("AttractPage::start"));
    assert!(
        tokens.calls().is_empty(),
        "no token is read without consent"
    );
}

#[test]
fn registration_consent_keeps_entry_text() {
    let tokens = Rc::new(ScriptedTokens::default());
    let harness = start_with_tokens(Some(tokens.clone()));
    harness.tap("AttractPage::start");
    harness.tap("ChoosePage::use-token");
    harness.tap("ConsentPage::decline");
    harness.tap("AttractPage::start");
    harness.tap("ChoosePage::register");

    assert!(harness
        .text("ConsentPage::body")
        .starts_with("Чтобы оформить заявку"));
    harness.tap("ConsentPage::agree");
    harness.tap("ConsentPage::accept");
    assert!(harness.exists("EntryPage::next"), "data entry follows");
    assert!(tokens.calls().is_empty());
}

#[test]
fn step_opens_on_insert_screen() {
    let (harness, tokens) = open_step();

    assert_eq!(tokens.calls(), vec![Call::Watch]);
    assert_eq!(
        harness.text("TokenPage::title"),
        "Подтверждение личности электронной подписью"
    );
    assert_eq!(
        harness.text("TokenPage::status"),
        "Вставьте токен в считыватель под экраном. Не извлекайте его до конца."
    );
}

#[test]
fn single_certificate_goes_to_pin() {
    let (harness, tokens) = at_pin();

    assert_eq!(tokens.calls(), vec![Call::Watch, Call::Challenge(0)]);
    assert_eq!(harness.text("TokenPage::title"), "Введите PIN-код");
    assert_eq!(
        harness.text("TokenPage::status"),
        "Введите PIN-код токена. Цифры на экране не показываются."
    );
}

#[test]
fn pin_shows_count_never_digits() {
    let (harness, tokens) = at_pin();

    type_pin(&harness, "123456");
    let dots = harness.find("TokenPage::pin-dots");

    assert_eq!(dots.accessible_value().unwrap_or_default(), "6");
    let shown: Vec<String> = harness
        .all("TokenPage::pin-dots")
        .iter()
        .map(|element| element.accessible_label().unwrap_or_default().to_string())
        .collect();
    assert_eq!(shown, vec!["PIN-код".to_owned()]);
    harness.tap("TokenPage::erase");
    assert_eq!(
        harness
            .find("TokenPage::pin-dots")
            .accessible_value()
            .unwrap_or_default(),
        "5"
    );
    harness.tap("TokenPage::submit");
    assert_eq!(
        tokens.calls(),
        vec![Call::Watch, Call::Challenge(0), Call::Confirm(0)]
    );
    assert_eq!(*tokens.pins_shown.borrow(), vec!["Pin(hidden)".to_owned()]);
    assert_eq!(
        harness.text("TokenPage::status"),
        "Подписываем на токене и отправляем на сервер…"
    );
}

#[test]
fn several_certificates_show_list() {
    let (harness, tokens) = open_step();
    tokens.report(
        &harness,
        TokenEvent::Inserted(vec![good("Иванова Мария"), good("Иванова Мария Петровна")]),
    );

    let buttons = harness.all("TokenPage::certificates");
    assert_eq!(buttons.len(), 1);
    let rows: Vec<String> = ElementHandle::find_by_element_type_name(harness.window(), "BigButton")
        .filter_map(|button| button.accessible_label())
        .map(|label| label.to_string())
        .filter(|label| label.contains("Okno Test CA"))
        .collect();
    assert_eq!(
        rows,
        vec![
            "Иванова Мария\nOkno Test CA\nДействует до 30.11.2027".to_owned(),
            "Иванова Мария Петровна\nOkno Test CA\nДействует до 30.11.2027".to_owned(),
        ]
    );

    let second = ElementHandle::find_by_accessible_label(harness.window(), &rows[1])
        .next()
        .expect("the second certificate");
    harness.tap_element(&second);

    assert_eq!(tokens.calls(), vec![Call::Watch, Call::Challenge(1)]);
}

#[test]
fn refused_certificate_shows_reason() {
    let (harness, tokens) = open_step();
    let expired = CertificateError::Expired {
        not_after: "2026-11-01T00:00:00Z".parse().expect("timestamp"),
    };
    let mut choice = good("Иванова Мария");
    choice.check = Err(expired.clone());

    tokens.report(&harness, TokenEvent::Inserted(vec![choice]));

    assert_eq!(tokens.calls(), vec![Call::Watch]);
    assert_eq!(
        harness.text("TokenPage::title"),
        "Этот сертификат не подходит"
    );
    assert_eq!(harness.text("TokenPage::status"), expired.message(Lang::Ru));
    harness.tap("TokenPage::operator-ticket");
    let issued = harness.issuer.requests();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].purpose, VisitPurpose::Ticket(PlainService::Other));
}

#[test]
fn wrong_pin_shows_tries_left() {
    let (harness, tokens) = at_pin();
    type_pin(&harness, "0000");
    harness.tap("TokenPage::submit");

    tokens.report(
        &harness,
        TokenEvent::SignFailed(TokenError::WrongPin {
            tries_left: TriesLeft::One,
        }),
    );

    assert_eq!(harness.text("TokenPage::title"), "Введите PIN-код");
    assert_eq!(
        harness.text("TokenPage::status"),
        "Неверный PIN-код. Осталась одна попытка: после следующей ошибки PIN-код заблокируется."
    );
    assert_eq!(
        harness
            .find("TokenPage::pin-dots")
            .accessible_value()
            .unwrap_or_default(),
        "0"
    );
}

#[test]
fn locked_pin_says_what_to_do() {
    let (harness, tokens) = at_pin();
    type_pin(&harness, "0000");
    harness.tap("TokenPage::submit");

    tokens.report(&harness, TokenEvent::SignFailed(TokenError::PinLocked));

    assert_eq!(harness.text("TokenPage::title"), "PIN-код заблокирован");
    assert!(harness
        .text("TokenPage::status")
        .contains("Разблокировать его PUK-кодом можно в удостоверяющем центре"));
    assert!(harness.exists("TokenPage::operator-ticket"));
}

#[test]
fn offline_offers_operator_ticket() {
    let (harness, tokens) = open_step();
    tokens.report(&harness, TokenEvent::Inserted(vec![good("Иванова Мария")]));

    tokens.report(&harness, TokenEvent::Refused(ServerRefusal::Offline));

    assert_eq!(harness.text("TokenPage::title"), "Нужна связь с сервером");
    harness.tap("TokenPage::operator-ticket");
    assert_eq!(harness.issuer.requests().len(), 1);
}

#[test]
fn server_rejection_shows_its_message() {
    let (harness, tokens) = at_pin();
    type_pin(&harness, "1234");
    harness.tap("TokenPage::submit");

    tokens.report(
        &harness,
        TokenEvent::Refused(ServerRefusal::Certificate {
            code: "certificate.revoked".to_owned(),
            message: "Сертификат отозван.".to_owned(),
        }),
    );

    assert_eq!(
        harness.text("TokenPage::title"),
        "Этот сертификат не подходит"
    );
    assert_eq!(harness.text("TokenPage::status"), "Сертификат отозван.");
}

#[test]
fn removal_returns_to_insert() {
    let (harness, tokens) = at_pin();
    type_pin(&harness, "12");

    tokens.report(&harness, TokenEvent::Removed);

    assert_eq!(
        harness.text("TokenPage::status"),
        "Вставьте токен в считыватель под экраном. Не извлекайте его до конца."
    );
    assert!(!harness.exists("TokenPage::pin-dots"));
}

#[test]
fn confirmation_shows_name_and_level() {
    let (harness, tokens) = at_pin();
    type_pin(&harness, "1234");
    harness.tap("TokenPage::submit");

    tokens.report(
        &harness,
        TokenEvent::Confirmed(SignatureConfirmed {
            attempt_id: Uuid::now_v7(),
            account_level: AccountLevel::Confirmed,
            surname: "Иванова".to_owned(),
            given_name: "Мария".to_owned(),
            patronymic: Some("Петровна".to_owned()),
            confirmed_at: "2026-12-04T09:01:00Z".parse().expect("timestamp"),
        }),
    );

    assert_eq!(harness.text("TokenPage::title"), "Личность подтверждена");
    assert_eq!(harness.text("TokenPage::holder"), "Иванова Мария Петровна");
    assert_eq!(
        harness.text("TokenPage::status"),
        "Уровень вашей учётной записи теперь «Подтверждённая»."
    );
    tokens.report(&harness, TokenEvent::Removed);
    assert_eq!(harness.text("TokenPage::title"), "Личность подтверждена");
    harness.tap("TokenPage::finish");
    assert!(harness.exists("AttractPage::start"));
}

#[test]
fn english_rewords_confirmed_level() {
    let (harness, tokens) = at_pin();
    type_pin(&harness, "1234");
    harness.tap("TokenPage::submit");
    tokens.report(
        &harness,
        TokenEvent::Confirmed(SignatureConfirmed {
            attempt_id: Uuid::now_v7(),
            account_level: AccountLevel::Confirmed,
            surname: "Иванова".to_owned(),
            given_name: "Мария".to_owned(),
            patronymic: None,
            confirmed_at: "2026-12-04T09:01:00Z".parse().expect("timestamp"),
        }),
    );

    switch_to_english(&harness);

    assert_eq!(
        harness.text("TokenPage::status"),
        format!(
            "Your account level is now «{}».",
            AccountLevel::Confirmed.name(Lang::En)
        )
    );
}

#[test]
fn cancel_stops_watching_token() {
    let (harness, tokens) = at_pin();
    type_pin(&harness, "12");

    harness
        .window()
        .global::<SessionAdapter>()
        .invoke_cancel_session();
    harness.settle();

    assert_eq!(tokens.calls().last(), Some(&Call::Stop));
    assert!(harness.exists("AttractPage::start"));
}

#[test]
fn unknown_card_asks_for_token() {
    let (harness, tokens) = open_step();

    tokens.report(&harness, TokenEvent::UnknownCard);

    assert_eq!(
        harness.text("TokenPage::status"),
        "Эта карта не токен электронной подписи. Извлеките её и вставьте токен с квалифицированной электронной подписью."
    );
    tokens.report(&harness, TokenEvent::Removed);
    assert_eq!(
        harness.text("TokenPage::status"),
        "Вставьте токен в считыватель под экраном. Не извлекайте его до конца."
    );
}

#[test]
fn english_local_refusal_uses_rule() {
    let (harness, tokens) = open_step();
    switch_to_english(&harness);
    let weak = CertificateError::WeakRsaKey { modulus_bits: 1024 };
    let mut choice = good("Иванова Мария");
    choice.check = Err(weak.clone());

    tokens.report(&harness, TokenEvent::Inserted(vec![choice]));

    assert_eq!(
        harness.text("TokenPage::title"),
        "This certificate cannot be used"
    );
    assert_eq!(harness.text("TokenPage::status"), weak.message(Lang::En));
}

#[test]
fn language_switch_rewords_refusal() {
    let (harness, tokens) = open_step();
    let expired = CertificateError::Expired {
        not_after: "2026-11-01T00:00:00Z".parse().expect("timestamp"),
    };
    let mut choice = good("Иванова Мария");
    choice.check = Err(expired.clone());
    tokens.report(&harness, TokenEvent::Inserted(vec![choice]));
    assert_eq!(harness.text("TokenPage::status"), expired.message(Lang::Ru));

    switch_to_english(&harness);

    assert_eq!(harness.text("TokenPage::status"), expired.message(Lang::En));
}

/// Brings the step to «Подписываем…» in English and reports `refusal`.
fn english_server_refusal(refusal: ServerRefusal) -> Harness {
    let (harness, tokens) = at_pin();
    switch_to_english(&harness);
    type_pin(&harness, "1234");
    harness.tap("TokenPage::submit");
    tokens.report(&harness, TokenEvent::Refused(refusal));
    harness
}

#[test]
fn english_server_refusal_uses_rule() {
    let harness = english_server_refusal(ServerRefusal::Certificate {
        code: "certificate.untrusted_issuer".to_owned(),
        message: "Сертификат выдан удостоверяющим центром, которого нет в списке аккредитованных."
            .to_owned(),
    });

    assert_eq!(
        harness.text("TokenPage::title"),
        "This certificate cannot be used"
    );
    assert_eq!(
        harness.text("TokenPage::status"),
        CertificateError::UntrustedIssuer.message(Lang::En)
    );
}

#[test]
fn english_server_refusal_needs_details() {
    // The server's code does not say whether the visitor's certificate or
    // its center's was revoked, and the two messages differ.
    let harness = english_server_refusal(ServerRefusal::Certificate {
        code: "certificate.revoked".to_owned(),
        message: "Сертификат отозван.".to_owned(),
    });

    assert_eq!(
        harness.text("TokenPage::status"),
        "The server did not confirm your identity. Take a ticket and an operator will confirm it at the window."
    );
}

#[test]
fn english_other_refusal_is_general() {
    let harness = english_server_refusal(ServerRefusal::Other {
        code: "signature.challenge_expired".to_owned(),
        message: "Время на подтверждение истекло.".to_owned(),
    });

    assert_eq!(
        harness.text("TokenPage::status"),
        "The server did not confirm your identity. Take a ticket and an operator will confirm it at the window."
    );
    assert!(harness.exists("TokenPage::operator-ticket"));
}

#[test]
fn english_shows_translated_step() {
    let (harness, _tokens) = open_step();

    switch_to_english(&harness);

    assert_eq!(
        harness.text("TokenPage::status"),
        "Insert the token into the reader below the screen. Keep it in until the end."
    );
}
