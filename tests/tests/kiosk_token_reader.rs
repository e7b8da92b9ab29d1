//! The kiosk's signature token step with `[token] reader` set, on a real
//! PC/SC stack: pcscd with the vpcd driver and `okno-virtual-chip` in a
//! network namespace (`PcscRig`), the virtual card presenting a Rutoken
//! ECP 3.0 ATR with `--atr`. The PKCS#11 module is SoftHSM2 with a token
//! made by `hardware::token::test_rig`, because no Rutoken module can run
//! here. So the PC/SC monitor decides when a token is present, and the
//! module supplies the certificate. A `sync-server` process on loopback
//! issues the challenge.
//!
//! Needs root (for `ip netns`); the rig takes a lock so only one runs on
//! the machine at a time.

mod kiosk_support;

use std::sync::Arc;

use domain::clock::ManualClock;
use domain::qualified_certificate::subject::oid;
use domain::qualified_certificate::testing::days;
use hardware::card::sim::rig::{PcscRig, VPCD_READER};
use hardware::token::test_rig::{self, KeyKind, Scenario, NUMERIC, PRINTABLE, UTF8};
use jiff::Timestamp;
use kiosk::StationKiosk;
use kiosk_support::token::{run_until_token_state, token_config, token_state};
use kiosk_support::*;
use slint::{ComponentHandle, Model};
use ui::{TokenAdapter, TokenState};

/// The ATR of a Rutoken ECP 3.0, from the kiosk's table of token ATRs.
const RUTOKEN_ATR: &str = "3B 8C 80 01 50 5C 4B 71 A1 52 74 53 43 77 81 83 D9";

const INSERT_TOKEN: &str = "Вставьте токен в считыватель под экраном. Не извлекайте его до конца.";

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

/// Returns the holders of the certificates the step read from the token.
fn certificate_holders(kiosk: &StationKiosk) -> Vec<String> {
    kiosk
        .kiosk()
        .window()
        .global::<TokenAdapter>()
        .get_certificates()
        .iter()
        .map(|row| row.holder.to_string())
        .collect()
}

// One test in this file, because of `set_threaded_platform`.
#[test]
fn token_reader_follows_card() {
    let scratch = tempfile::tempdir().expect("tempdir");
    // Before any thread loads the module, which reads SOFTHSM2_CONF.
    test_rig::prepare(scratch.path(), &scenarios());
    set_threaded_platform();
    let mut rig = PcscRig::start().expect("the PC/SC rig starts");
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    site.provision(&server);
    let config = token_config(&site, Some(VPCD_READER));
    let kiosk = open_kiosk(&config, Arc::new(ManualClock::new(Timestamp::now())));

    tap(&kiosk, "AttractPage::start");
    tap(&kiosk, "ChoosePage::use-token");
    tap(&kiosk, "ConsentPage::agree");
    tap(&kiosk, "ConsentPage::accept");
    assert_eq!(token_state(&kiosk), TokenState::Waiting);
    assert_eq!(text(&kiosk, "TokenPage::status"), INSERT_TOKEN);

    // A card with a Rutoken ATR counts as the token: its certificate is
    // read and the server's challenge brings the PIN keypad.
    rig.insert_chip(chip_binary(), &["--atr", RUTOKEN_ATR])
        .expect("the virtual token starts");
    run_until_token_state(&kiosk, TokenState::Pin);
    assert_eq!(
        certificate_holders(&kiosk),
        vec!["Иванова Мария Петровна".to_owned()]
    );
    assert_eq!(text(&kiosk, "TokenPage::title"), "Введите PIN-код");

    // Pulling the token out returns to the insert step.
    rig.remove_chip();
    run_until_token_state(&kiosk, TokenState::Waiting);
    assert_eq!(text(&kiosk, "TokenPage::status"), INSERT_TOKEN);
    assert!(certificate_holders(&kiosk).is_empty());

    // The virtual chip's own ATR is a passport's, which is not a token.
    rig.insert_chip(chip_binary(), &[])
        .expect("the virtual chip starts");
    run_until_token_state(&kiosk, TokenState::UnknownCard);
    assert_eq!(
        text(&kiosk, "TokenPage::status"),
        "Эта карта не токен электронной подписи. Извлеките её и вставьте токен с квалифицированной электронной подписью."
    );
    assert!(certificate_holders(&kiosk).is_empty());

    rig.remove_chip();
    run_until_token_state(&kiosk, TokenState::Waiting);
    assert_eq!(text(&kiosk, "TokenPage::status"), INSERT_TOKEN);
}
