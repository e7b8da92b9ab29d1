//! The kiosk's signature token step against real parts on loopback: a
//! SoftHSM2 token made by the test (`hardware::token::test_rig`) with a
//! certificate from `domain`'s test certification center, a `sync-server`
//! process whose trust directory contains that center, and the kiosk opened
//! by `StationKiosk::open` with `[token] module` set to SoftHSM2's module.
//!
//! SoftHSM2 has no reader and no ATR, so `[token] reader` is left out and
//! the kiosk notices the token through the module's slot list. A process
//! initialises a PKCS#11 module once, so the cases run in order in one
//! test: a wrong PIN, the confirmation checked on the server, a refused
//! certificate, and a kiosk without its server.

mod kiosk_support;

use std::sync::Arc;

use domain::clock::ManualClock;
use domain::qualified_certificate::subject::oid;
use domain::qualified_certificate::testing::days;
use hardware::token::test_rig::{self, KeyKind, Scenario, NUMERIC, PIN, PRINTABLE, UTF8};
use i_slint_backend_testing::ElementHandle;
use jiff::Timestamp;
use kiosk::StationKiosk;
use kiosk_support::token::{run_until_token_state, token_config, token_state};
use kiosk_support::*;
use slint::ComponentHandle;
use ui::{TokenAdapter, TokenState};

fn scenarios() -> Vec<Scenario> {
    vec![Scenario {
        label: "visitor",
        key: KeyKind::EcP256,
        subject: vec![
            ("2.5.4.6", PRINTABLE, "RU"),
            ("2.5.4.3", UTF8, "Иванова Мария Петровна"),
            (oid::SURNAME, UTF8, "Иванова"),
            (oid::GIVEN_NAME, UTF8, "Мария Петровна"),
            (oid::SNILS, NUMERIC, "11223344595"),
        ],
        valid_from: days(-30),
        valid_until: days(365),
    }]
}

/// Adds the rig's certification center and CRLs that revoke nothing to
/// the server's trust directory through its CLI.
fn trust_rig_center(site: &Site, prepared: &test_rig::PreparedTokens) {
    let now = prepared.started;
    let files = [
        ("root.der", prepared.ca.root_der().to_vec()),
        ("intermediate.der", prepared.ca.intermediate_der().to_vec()),
        (
            "root.crl",
            prepared
                .ca
                .root_crl(&[], now - days(1), Some(now + days(30))),
        ),
        (
            "intermediate.crl",
            prepared
                .ca
                .intermediate_crl(&[], now - days(1), Some(now + days(30))),
        ),
    ];
    for (name, bytes) in &files {
        std::fs::write(site.dir.path().join(name), bytes).expect("write a trust file");
    }
    let path = |name: &str| {
        site.dir
            .path()
            .join(name)
            .to_str()
            .expect("a UTF-8 path")
            .to_owned()
    };
    admin(
        &site.database,
        &["trust", "add", "--anchor", &path("root.der")],
    );
    admin(&site.database, &["trust", "add", &path("intermediate.der")]);
    admin(&site.database, &["trust", "add-crl", &path("root.crl")]);
    admin(
        &site.database,
        &["trust", "add-crl", &path("intermediate.crl")],
    );
}

/// Runs the event loop until a wrong PIN is reported on the PIN screen.
fn run_until_wrong_pin(kiosk: &StationKiosk) {
    run_until(kiosk, |window| {
        window.global::<TokenAdapter>().get_wrong_pin()
    });
    assert!(
        kiosk
            .kiosk()
            .window()
            .global::<TokenAdapter>()
            .get_wrong_pin(),
        "a wrong PIN is reported"
    );
}

/// Types `digits` on the token step's keypad and taps «Подтвердить».
fn enter_pin(kiosk: &StationKiosk, digits: &str) {
    for digit in digits.chars() {
        let key =
            ElementHandle::find_by_accessible_label(kiosk.kiosk().window(), &digit.to_string())
                .next()
                .unwrap_or_else(|| panic!("no key {digit} on the keypad"));
        tap_element(&key);
    }
    tap(kiosk, "TokenPage::submit");
}

fn cancel_session(kiosk: &StationKiosk) {
    kiosk
        .kiosk()
        .window()
        .global::<ui::SessionAdapter>()
        .invoke_cancel_session();
    settle();
}

fn open_token_step(kiosk: &StationKiosk) {
    tap(kiosk, "AttractPage::start");
    tap(kiosk, "ChoosePage::use-token");
    tap(kiosk, "ConsentPage::agree");
    tap(kiosk, "ConsentPage::accept");
}

#[test]
fn token_step_end_to_end() {
    let scratch = tempfile::tempdir().expect("tempdir");
    // Before any thread loads the module, which reads SOFTHSM2_CONF.
    let prepared = test_rig::prepare(scratch.path(), &scenarios());
    let site = Site::new();
    trust_rig_center(&site, &prepared);
    let server = Server::start(&site.database, "127.0.0.1:0");
    site.provision(&server);
    let config = token_config(&site, None);
    set_threaded_platform();
    let clock = Arc::new(ManualClock::new(Timestamp::now()));
    let kiosk = open_kiosk(&config, Arc::clone(&clock));
    let store = Arc::clone(kiosk.store());
    wait_until("the trust directory copy", || {
        store.trust_version().ok().flatten().is_some()
    });

    // A wrong PIN: the token rejects it and the step shows the tries left.
    open_token_step(&kiosk);
    run_until_token_state(&kiosk, TokenState::Pin);
    enter_pin(&kiosk, "9999");
    run_until_wrong_pin(&kiosk);
    assert_eq!(token_state(&kiosk), TokenState::Pin);
    assert_eq!(
        text(&kiosk, "TokenPage::status"),
        "Неверный PIN-код. Попыток осталось меньше, чем было: после нескольких ошибок подряд PIN-код заблокируется."
    );

    // The right PIN: the server confirms the account.
    enter_pin(&kiosk, PIN);
    run_until_token_state(&kiosk, TokenState::Confirmed);
    assert_eq!(text(&kiosk, "TokenPage::title"), "Личность подтверждена");
    assert_eq!(text(&kiosk, "TokenPage::holder"), "Иванова Мария Петровна");
    assert_eq!(
        text(&kiosk, "TokenPage::status"),
        "Уровень вашей учётной записи теперь «Подтверждённая»."
    );
    let shown = admin(
        &site.database,
        &["account", "show", "--snils", "11223344595"],
    );
    assert!(shown.starts_with("уровень: подтверждённая"), "{shown}");
    tap(&kiosk, "TokenPage::finish");
    assert_eq!(kiosk_support::all(&kiosk, "AttractPage::start").len(), 1);

    // A year and more later the certificate has expired, and the kiosk
    // refuses it before any PIN is typed.
    clock.advance(days(400));
    open_token_step(&kiosk);
    run_until_token_state(&kiosk, TokenState::Refused);
    assert_eq!(
        text(&kiosk, "TokenPage::title"),
        "Этот сертификат не подходит"
    );
    assert!(
        text(&kiosk, "TokenPage::status").starts_with("Срок действия сертификата"),
        "{}",
        text(&kiosk, "TokenPage::status")
    );
    assert!(kiosk_support::all(&kiosk, "TokenPage::operator-ticket").len() == 1);
    cancel_session(&kiosk);
    clock.set(Timestamp::now());

    // Without the server, the step reports that a connection is needed.
    server.kill();
    open_token_step(&kiosk);
    run_until_token_state(&kiosk, TokenState::Offline);
    assert_eq!(text(&kiosk, "TokenPage::title"), "Нужна связь с сервером");
    assert!(kiosk
        .kiosk()
        .window()
        .global::<TokenAdapter>()
        .get_message()
        .is_empty());
}
