//! Each visitor flow from the attract screen to the ticket, driven by taps
//! on the on-screen keyboard and buttons, with the domain's real rules.

mod common;

use std::time::Duration;

use common::start;
use domain::{snils::SnilsError, FieldRule};
use domain::{Field, Lang};
use kiosk::chip::ChipOutcome;
use kiosk::issue::{PlainService, VisitPurpose};

#[test]
fn registration_issues_ticket_with_formatted_values() {
    let kiosk = start();
    kiosk.begin("ChoosePage::register");

    assert_eq!(kiosk.text("EntryPage::step-label"), "Шаг 1 из 5");
    kiosk.fill_step(&["иванова", "мария", "петровна"]);
    assert_eq!(kiosk.text("EntryPage::step-label"), "Шаг 2 из 5");
    kiosk.fill_step(&["07.03.1958"]);
    kiosk.fill_step(&["4510123456", "15.04.2003", "770-001", "отделом уфмс россии"]);
    kiosk.fill_step(&["11223344595"]);
    kiosk.fill_step(&["+79123456789", "maria.ivanova@mail.ru"]);

    // The chip step comes next; the visitor skips it.
    assert!(kiosk.exists("ChipPage::skip"));
    kiosk.tap("ChipPage::skip");

    let shown: Vec<String> = kiosk
        .all("ReviewPage::value")
        .iter()
        .map(|row| row.accessible_label().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        shown,
        [
            "Иванова",
            "Мария",
            "Петровна",
            "07.03.1958",
            "4510 123456",
            "15.04.2003",
            "770-001",
            "ОТДЕЛОМ УФМС РОССИИ",
            "112-233-445 95",
            "+7 912 345-67-89",
            "maria.ivanova@mail.ru",
        ]
    );
    assert_eq!(
        kiosk.text("ReviewPage::chip-line"),
        "Чип паспорта: не читался"
    );

    kiosk.tap("ReviewPage::confirm");
    assert_eq!(kiosk.text("TicketPage::number"), "Р-001");
    assert_eq!(
        kiosk.text("TicketPage::wait"),
        "Примерное ожидание: около 5 мин"
    );

    let requests = kiosk.issuer.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].purpose, VisitPurpose::Register);
    assert!(!requests[0].chip_read);
    assert!(requests[0]
        .values
        .contains(&(Field::Snils, "112-233-445 95".to_owned())));
    assert!(requests[0]
        .values
        .contains(&(Field::Phone, "+7 912 345-67-89".to_owned())));
}

#[test]
fn confirmation_reads_chip_and_allows_no_phone() {
    let kiosk = start();
    kiosk.chip.outcome.set(Some(ChipOutcome::Read));
    kiosk.begin("ChoosePage::confirm-identity");
    kiosk.fill_step(&["петров-водкин", "кузьма", ""]);
    kiosk.fill_step(&["05.11.1978"]);
    kiosk.fill_step(&["4510123456", "20.11.2023", "770001", "отделением мвд"]);
    kiosk.fill_step(&["11223344595"]);

    // Phone and e-mail are both optional when confirming an identity.
    assert!(kiosk.fields().iter().all(|(_, value, _)| value.is_empty()));
    kiosk.tap("EntryPage::next");

    kiosk.fill_chip_access("751234567", "01.02.2030");
    kiosk.tap("ChipPage::read");
    assert_eq!(kiosk.chip.reads.get(), 1);
    let keys = kiosk.chip.last_keys.borrow().clone().expect("keys sent");
    assert_eq!(keys.document_number, "751234567");
    assert_eq!(keys.birth_date, "05.11.1978");
    assert_eq!(keys.expiry_date, "01.02.2030");
    assert_eq!(kiosk.text("ChipPage::status"), "Чип паспорта прочитан.");
    kiosk.tap("ChipPage::proceed");

    assert_eq!(
        kiosk.text("ReviewPage::chip-line"),
        "Чип паспорта: прочитан"
    );
    let shown: Vec<String> = kiosk
        .all("ReviewPage::value")
        .iter()
        .map(|row| row.accessible_label().unwrap_or_default().to_string())
        .collect();
    assert_eq!(shown[0], "Петров-Водкин");
    assert_eq!(shown[2], "не указано");
    assert_eq!(shown[6], "770-001");
    assert_eq!(shown[7], "ОТДЕЛЕНИЕМ МВД");
    assert_eq!(shown[9], "не указано");

    kiosk.tap("ReviewPage::confirm");
    assert_eq!(kiosk.text("TicketPage::number"), "П-001");
    let requests = kiosk.issuer.requests();
    assert_eq!(requests[0].purpose, VisitPurpose::ConfirmIdentity);
    assert!(requests[0].chip_read);
    assert!(!requests[0]
        .values
        .iter()
        .any(|(field, _)| *field == Field::Phone));
}

#[test]
fn chip_failure_shows_reason_and_allows_skip() {
    let kiosk = start();
    kiosk.chip.outcome.set(Some(ChipOutcome::NoDocument));
    kiosk.begin("ChoosePage::restore-access");
    kiosk.fill_valid_person();

    kiosk.fill_chip_access("751234567", "01.02.2030");
    kiosk.tap("ChipPage::read");
    assert_eq!(
        kiosk.text("ChipPage::status"),
        "Паспорт на считывателе не найден. Положите раскрытый паспорт ровно на считыватель и попробуйте ещё раз."
    );
    assert_eq!(kiosk.text("ChipPage::read"), "Попробовать ещё раз");
    kiosk.tap("ChipPage::skip");
    kiosk.tap("ReviewPage::confirm");
    assert_eq!(kiosk.text("TicketPage::number"), "В-001");
    assert_eq!(
        kiosk.issuer.requests()[0].purpose,
        VisitPurpose::RestoreAccess
    );
}

#[test]
fn restore_access_requires_phone() {
    let kiosk = start();
    kiosk.begin("ChoosePage::restore-access");
    kiosk.fill_step(&["иванова", "мария", "петровна"]);
    kiosk.fill_step(&["07.03.1958"]);
    kiosk.fill_step(&["4510123456", "15.04.2003", "770-001", "отделом уфмс россии"]);
    kiosk.fill_step(&["11223344595"]);

    let fields = kiosk.fields();
    assert_eq!(fields[0].0, "Мобильный телефон");
    assert_eq!(
        kiosk.find("EntryPage::next").accessible_enabled(),
        Some(false)
    );
    kiosk.tap("EntryPage::next");
    assert_eq!(kiosk.text("EntryPage::step-label"), "Шаг 5 из 5");
}

#[test]
fn plain_ticket_needs_no_personal_data() {
    let kiosk = start();
    kiosk.tap("AttractPage::start");
    kiosk.tap("ChoosePage::ticket");
    kiosk.tap("CategoriesPage::social-category");

    assert_eq!(kiosk.text("TicketPage::number"), "У-001");
    assert!(kiosk.find("TicketPage::qr").size().width >= 400.0);
    let requests = kiosk.issuer.requests();
    assert_eq!(
        requests[0].purpose,
        VisitPurpose::Ticket(PlainService::Social)
    );
    assert!(requests[0].values.is_empty());
}

#[test]
fn wrong_snils_shows_domain_message_in_russian() {
    let kiosk = start();
    kiosk.begin("ChoosePage::register");
    kiosk.fill_step(&["иванова", "мария", "петровна"]);
    kiosk.fill_step(&["07.03.1958"]);
    kiosk.fill_step(&["4510123456", "15.04.2003", "770-001", "отделом уфмс россии"]);

    kiosk.select_field(0);
    kiosk.type_keys("11223344596");
    let (label, value, message) = kiosk.fields().remove(0);
    assert_eq!(label, "СНИЛС");
    assert_eq!(value, "11223344596");
    assert_eq!(message, SnilsError::Checksum.message(Lang::Ru));
    assert!(message.starts_with("В номере СНИЛС ошибка"));
    assert_eq!(
        kiosk.find("EntryPage::next").accessible_enabled(),
        Some(false)
    );

    // Correcting the last digit clears the message and opens «Далее».
    kiosk.erase();
    kiosk.type_keys("5");
    assert_eq!(kiosk.fields()[0].2, "");
    assert_eq!(
        kiosk.find("EntryPage::next").accessible_enabled(),
        Some(true)
    );
}

#[test]
fn future_birth_date_and_latin_name_are_rejected() {
    let kiosk = start();
    kiosk.begin("ChoosePage::register");

    // Latin letters in a surname: the visitor switched the keyboard.
    kiosk.select_field(0);
    kiosk.tap("Keyboard::latin-key");
    kiosk.type_keys("ivanova");
    let message = kiosk.fields()[0].2.clone();
    let expected = domain::name::parse_surname("Ivanova").expect_err("Latin is rejected");
    assert_eq!(message, expected.message(Lang::Ru));
    assert!(!message.is_empty());

    for _ in 0.."ivanova".len() {
        kiosk.erase();
    }
    kiosk.tap("Keyboard::cyrillic-key");
    kiosk.type_keys("иванова");
    assert_eq!(kiosk.fields()[0].2, "");
    kiosk.select_field(1);
    kiosk.type_keys("мария");
    kiosk.tap("EntryPage::next");

    kiosk.select_field(0);
    kiosk.type_keys("01.01.2030");
    let today = jiff::civil::date(2026, 12, 4);
    let expected =
        domain::date::parse_birth_date("01.01.2030", today).expect_err("a future date is rejected");
    assert_eq!(kiosk.fields()[0].2, expected.message(Lang::Ru));
}

#[test]
fn issue_date_before_birth_is_rejected() {
    let kiosk = start();
    kiosk.begin("ChoosePage::register");
    kiosk.fill_step(&["иванова", "мария", ""]);
    kiosk.fill_step(&["07.03.1958"]);
    kiosk.select_field(1);
    kiosk.type_keys("01.01.1950");
    let today = jiff::civil::date(2026, 12, 4);
    let expected =
        domain::date::parse_passport_issue_date("01.01.1950", jiff::civil::date(1958, 3, 7), today)
            .expect_err("an issue date before birth is rejected");
    assert_eq!(kiosk.fields()[1].2, expected.message(Lang::Ru));
}

#[test]
fn review_edit_returns_to_review() {
    let kiosk = start();
    kiosk.begin("ChoosePage::register");
    kiosk.fill_valid_person();
    kiosk.tap("ChipPage::skip");

    // Row 10 is the phone, on the fifth step.
    let edit = kiosk.all("ReviewPage::edit");
    assert_eq!(edit.len(), 11);
    kiosk.tap_element(&edit[9]);
    assert_eq!(kiosk.text("EntryPage::step-label"), "Шаг 5 из 5");
    for _ in 0..2 {
        kiosk.erase();
    }
    kiosk.type_keys("00");
    kiosk.tap("EntryPage::next");

    let phone = kiosk.all("ReviewPage::value")[9]
        .accessible_label()
        .unwrap_or_default()
        .to_string();
    assert_eq!(phone, "+7 912 345-67-00");
}

#[test]
fn language_switch_translates_screens_and_messages() {
    let kiosk = start();
    assert_eq!(kiosk.text("AttractPage::start"), "Нажмите, чтобы начать");
    kiosk.tap("TopBar::english");
    assert_eq!(kiosk.text("AttractPage::start"), "Touch to start");

    kiosk.begin("ChoosePage::register");
    assert_eq!(kiosk.text("EntryPage::step-label"), "Step 1 of 5");
    kiosk.fill_step(&["иванова", "мария", ""]);
    kiosk.fill_step(&["07.03.1958"]);
    kiosk.fill_step(&["4510123456", "15.04.2003", "770-001", "отделом уфмс россии"]);
    kiosk.select_field(0);
    kiosk.type_keys("11223344596");
    assert_eq!(kiosk.fields()[0].0, "SNILS");
    assert_eq!(kiosk.fields()[0].2, SnilsError::Checksum.message(Lang::En));

    // Switching back re-renders the message already shown.
    kiosk.tap("TopBar::russian");
    assert_eq!(kiosk.fields()[0].0, "СНИЛС");
    assert_eq!(kiosk.fields()[0].2, SnilsError::Checksum.message(Lang::Ru));
}

#[test]
fn ticket_screen_returns_to_attract_and_wipes() {
    let kiosk = start();
    kiosk.tap("TopBar::english");
    kiosk.begin("ChoosePage::register");
    kiosk.fill_valid_person();
    kiosk.tap("ChipPage::skip");
    kiosk.tap("ReviewPage::confirm");
    assert_eq!(kiosk.text("TicketPage::finish"), "Done (20)");

    for _ in 0..19 {
        kiosk.advance(Duration::from_secs(1));
    }
    assert_eq!(kiosk.text("TicketPage::finish"), "Done (1)");
    kiosk.advance(Duration::from_secs(1));
    kiosk.settle();

    assert!(kiosk.exists("AttractPage::start"));
    assert_eq!(kiosk.text("AttractPage::start"), "Нажмите, чтобы начать");

    // The next visitor starts with empty fields.
    kiosk.begin("ChoosePage::register");
    assert!(kiosk.fields().iter().all(|(_, value, _)| value.is_empty()));
}
