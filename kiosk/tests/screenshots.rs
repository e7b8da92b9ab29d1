//! Renders every screen in Russian and English with the software renderer
//! to `target/screenshots/`, for a person to look at, and checks on each
//! that every touch control is at least 64 px square.

mod common;

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use common::{start, start_with_tokens, Harness, ScriptedTokens};
use domain::account::AccountLevel;
use domain::qualified_certificate::CertificateError;
use domain::sync::{SignatureChallenge, SignatureConfirmed};
use hardware::token::{TokenError, TriesLeft};
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
use kiosk::chip::ChipOutcome;
use kiosk::token::{CertificateChoice, ServerRefusal, TokenEvent};
use slint::ComponentHandle;
use uuid::Uuid;

/// The smallest touch target a visitor's finger hits reliably.
const MIN_TOUCH: f32 = 64.0;

fn output_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).expect("target/screenshots can be created");
    dir
}

/// Saves the window as `<lang>-<name>.png` and checks its touch targets.
fn capture(kiosk: &Harness, lang: &str, name: &str) {
    kiosk.settle();
    check_touch_targets(kiosk, name);

    let snapshot = kiosk
        .window()
        .window()
        .take_snapshot()
        .expect("the software renderer takes a snapshot");
    let path = output_dir().join(format!("{lang}-{name}.png"));
    let file = File::create(&path).expect("the screenshot file can be created");
    let mut encoder = png::Encoder::new(BufWriter::new(file), snapshot.width(), snapshot.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("the PNG header is written");
    writer
        .write_image_data(snapshot.as_bytes())
        .expect("the PNG data is written");
}

fn check_touch_targets(kiosk: &Harness, screen: &str) {
    let controls = kiosk
        .window()
        .root_element()
        .query_descendants()
        .match_predicate(|element: &ElementHandle| {
            matches!(
                element.accessible_role(),
                Some(AccessibleRole::Button | AccessibleRole::Checkbox | AccessibleRole::TextInput)
            )
        })
        .find_all();
    assert!(!controls.is_empty(), "{screen}: no touch controls found");
    for control in controls {
        let size = control.size();
        if size.width == 0.0 {
            continue; // hidden
        }
        let label = control.accessible_label().unwrap_or_default();
        assert!(
            size.width >= MIN_TOUCH && size.height >= MIN_TOUCH,
            "{screen}: control {label:?} is {}×{} px, below {MIN_TOUCH} px",
            size.width,
            size.height
        );
    }
}

fn render_all_screens(lang: &str) {
    let kiosk = start();
    kiosk.chip.outcome.set(Some(ChipOutcome::AccessDenied));
    if lang == "en" {
        kiosk.tap("TopBar::english");
    }
    capture(&kiosk, lang, "01-attract");
    kiosk.tap("AttractPage::start");
    capture(&kiosk, lang, "02-choose");
    kiosk.tap("ChoosePage::register");
    kiosk.tap("ConsentPage::agree");
    capture(&kiosk, lang, "03-consent");
    kiosk.tap("ConsentPage::accept");

    kiosk.select_field(0);
    kiosk.type_keys("иванова");
    kiosk.select_field(1);
    kiosk.type_keys("мария");
    capture(&kiosk, lang, "04-entry-name");
    kiosk.tap("EntryPage::next");
    kiosk.select_field(0);
    kiosk.type_keys("31.02.1958");
    capture(&kiosk, lang, "05-entry-birth-date-error");
    for _ in 0..10 {
        kiosk.erase();
    }
    kiosk.type_keys("07.03.1958");
    kiosk.tap("EntryPage::next");
    kiosk.fill_step(&["4510123456", "15.04.2003", "770-001", "отделом уфмс россии"]);
    kiosk.select_field(0);
    kiosk.type_keys("11223344596");
    capture(&kiosk, lang, "06-entry-snils-error");
    kiosk.erase();
    kiosk.type_keys("5");
    kiosk.tap("EntryPage::next");
    kiosk.select_field(0);
    kiosk.type_keys("+79123456789");
    kiosk.select_field(1);
    kiosk.type_keys("maria.ivanova@mail.ru");
    capture(&kiosk, lang, "07-entry-contacts");
    kiosk.tap("TopBar::large-text");
    capture(&kiosk, lang, "08-entry-contacts-large-text");
    kiosk.tap("TopBar::large-text");
    kiosk.tap("Keyboard::symbols-key");
    capture(&kiosk, lang, "09-keyboard-symbols");
    kiosk.tap("EntryPage::next");

    capture(&kiosk, lang, "10-chip");
    kiosk.fill_chip_access("751234567", "01.02.2030");
    kiosk.tap("ChipPage::read");
    capture(&kiosk, lang, "11-chip-failed");
    kiosk.tap("ChipPage::skip");
    capture(&kiosk, lang, "12-review");
    kiosk.tap("ReviewPage::confirm");
    capture(&kiosk, lang, "13-ticket");

    // The ticket screen counts down a second at a time, then wipes.
    for _ in 0..kiosk::TICKET_SHOWN_SECONDS {
        kiosk.advance(std::time::Duration::from_secs(1));
    }
    start_plain_ticket(&kiosk, lang);
}

/// Shows the category screen and the idle question on the same kiosk.
fn start_plain_ticket(kiosk: &Harness, lang: &str) {
    // The finished session switched the kiosk back to Russian.
    if lang == "en" {
        kiosk.tap("TopBar::english");
    }
    kiosk.tap("AttractPage::start");
    kiosk.tap("ChoosePage::ticket");
    capture(kiosk, lang, "14-categories");
    kiosk.advance(std::time::Duration::from_secs(60));
    capture(kiosk, lang, "15-idle");
}

fn certificate(holder: &str) -> CertificateChoice {
    CertificateChoice {
        holder: holder.to_owned(),
        issuer: "УЦ ФНС России".to_owned(),
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

/// Types `digits` on the token step's keypad, whose keys are labelled with
/// their digit.
fn type_pin(kiosk: &Harness, digits: &str) {
    for digit in digits.chars() {
        let key = ElementHandle::find_by_accessible_label(kiosk.window(), &digit.to_string())
            .next()
            .unwrap_or_else(|| panic!("no key {digit} on the keypad"));
        kiosk.tap_element(&key);
    }
}

/// Renders the signature token step's screens with a scripted token.
fn render_token_screens(lang: &str) {
    let tokens = std::rc::Rc::new(ScriptedTokens::default());
    let kiosk = start_with_tokens(Some(tokens.clone()));
    if lang == "en" {
        kiosk.tap("TopBar::english");
    }
    kiosk.tap("AttractPage::start");
    capture(&kiosk, lang, "20-choose-with-token");
    kiosk.tap("ChoosePage::use-token");
    kiosk.tap("ConsentPage::agree");
    capture(&kiosk, lang, "20-token-consent");
    kiosk.tap("ConsentPage::accept");
    capture(&kiosk, lang, "21-token-insert");
    tokens.report(&kiosk, TokenEvent::UnknownCard);
    capture(&kiosk, lang, "21-token-unknown-card");
    tokens.report(&kiosk, TokenEvent::Removed);
    tokens.report(
        &kiosk,
        TokenEvent::Inserted(vec![
            certificate("Иванова Мария Петровна"),
            certificate("Иванова Мария Петровна"),
        ]),
    );
    capture(&kiosk, lang, "22-token-certificates");
    let first = ElementHandle::find_by_element_type_name(kiosk.window(), "BigButton")
        .find(|button| {
            button
                .accessible_label()
                .is_some_and(|label| label.contains("УЦ ФНС России"))
        })
        .expect("a certificate button");
    kiosk.tap_element(&first);
    tokens.report(&kiosk, TokenEvent::Challenge(challenge()));
    type_pin(&kiosk, "1234");
    capture(&kiosk, lang, "23-token-pin");
    kiosk.tap("TokenPage::submit");
    capture(&kiosk, lang, "24-token-signing");
    tokens.report(
        &kiosk,
        TokenEvent::SignFailed(TokenError::WrongPin {
            tries_left: TriesLeft::One,
        }),
    );
    capture(&kiosk, lang, "25-token-wrong-pin");
    type_pin(&kiosk, "1234");
    kiosk.tap("TokenPage::submit");
    tokens.report(&kiosk, TokenEvent::SignFailed(TokenError::PinLocked));
    capture(&kiosk, lang, "26-token-locked");
    tokens.report(&kiosk, TokenEvent::Removed);
    let mut expired = certificate("Иванова Мария Петровна");
    expired.check = Err(CertificateError::Expired {
        not_after: "2026-11-01T00:00:00Z".parse().expect("timestamp"),
    });
    tokens.report(&kiosk, TokenEvent::Inserted(vec![expired]));
    capture(&kiosk, lang, "27-token-refused");
    tokens.report(&kiosk, TokenEvent::Removed);
    tokens.report(
        &kiosk,
        TokenEvent::Inserted(vec![certificate("Иванова Мария Петровна")]),
    );
    tokens.report(&kiosk, TokenEvent::Refused(ServerRefusal::Offline));
    capture(&kiosk, lang, "28-token-offline");
    tokens.report(&kiosk, TokenEvent::Removed);
    tokens.report(
        &kiosk,
        TokenEvent::Inserted(vec![certificate("Иванова Мария Петровна")]),
    );
    tokens.report(
        &kiosk,
        TokenEvent::Refused(ServerRefusal::Certificate {
            code: "certificate.untrusted_issuer".to_owned(),
            message: CertificateError::UntrustedIssuer.message(domain::Lang::Ru),
        }),
    );
    capture(&kiosk, lang, "28-token-server-refused");
    tokens.report(&kiosk, TokenEvent::Removed);
    tokens.report(
        &kiosk,
        TokenEvent::Inserted(vec![certificate("Иванова Мария Петровна")]),
    );
    tokens.report(&kiosk, TokenEvent::Challenge(challenge()));
    type_pin(&kiosk, "1234");
    kiosk.tap("TokenPage::submit");
    tokens.report(
        &kiosk,
        TokenEvent::Confirmed(SignatureConfirmed {
            attempt_id: Uuid::now_v7(),
            account_level: AccountLevel::Confirmed,
            surname: "Иванова".to_owned(),
            given_name: "Мария".to_owned(),
            patronymic: Some("Петровна".to_owned()),
            confirmed_at: "2026-12-04T09:01:00Z".parse().expect("timestamp"),
        }),
    );
    capture(&kiosk, lang, "29-token-confirmed");
}

#[test]
fn token_screens_in_russian() {
    render_token_screens("ru");
}

#[test]
fn token_screens_in_english() {
    render_token_screens("en");
}

#[test]
fn screens_in_russian() {
    render_all_screens("ru");
}

#[test]
fn screens_in_english() {
    render_all_screens("en");
}
