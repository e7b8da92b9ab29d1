//! The chip step's access form: the biometric passport's number and
//! expiry date typed on the keypad, checked by the `domain` rules on the
//! spot, before any read starts. Driven by element id through Slint's
//! testing backend with a scripted reader.

mod common;

use common::start;
use kiosk::chip::ChipOutcome;

/// Goes to the chip step with a valid person (born 07.03.1958).
fn at_chip_step() -> common::Harness {
    let kiosk = start();
    kiosk.chip.outcome.set(Some(ChipOutcome::Read));
    kiosk.begin("ChoosePage::restore-access");
    kiosk.fill_valid_person();
    assert!(kiosk.exists("ChipPage::read"));
    kiosk
}

fn messages(kiosk: &common::Harness) -> (String, String) {
    let fields = kiosk.chip_fields();
    (fields[0].2.clone(), fields[1].2.clone())
}

#[test]
fn empty_form_names_both_values_and_reads_nothing() {
    let kiosk = at_chip_step();
    let fields = kiosk.chip_fields();
    assert_eq!(fields[0].0, "Номер загранпаспорта");
    assert_eq!(fields[1].0, "Срок действия");

    kiosk.tap("ChipPage::read");
    assert_eq!(
        messages(&kiosk),
        (
            "Введите номер загранпаспорта: 9 цифр.".to_owned(),
            "Введите срок действия загранпаспорта: ДД.ММ.ГГГГ.".to_owned()
        )
    );
    assert_eq!(kiosk.chip.reads.get(), 0);
}

#[test]
fn short_number_is_refused_on_read() {
    let kiosk = at_chip_step();
    kiosk.fill_chip_access("7512345", "01.02.2030");
    // A partial number shows no message while it is typed.
    assert_eq!(messages(&kiosk).0, "");
    kiosk.tap("ChipPage::read");
    assert_eq!(
        messages(&kiosk),
        (
            "В номере загранпаспорта 9 цифр: 2 цифры серии и 7 цифр номера.".to_owned(),
            String::new()
        )
    );
    assert_eq!(kiosk.chip.reads.get(), 0);
}

#[test]
fn number_stops_at_nine_digits() {
    let kiosk = at_chip_step();
    kiosk.fill_chip_access("7512345678", "");
    assert_eq!(kiosk.chip_fields()[0].1, "751234567");
}

#[test]
fn expired_date_is_shown_when_complete() {
    let kiosk = at_chip_step();
    // Today is 04.12.2026 in the tests.
    kiosk.fill_chip_access("751234567", "03.12.2026");
    assert_eq!(
        messages(&kiosk).1,
        "Срок действия загранпаспорта истёк. Проверьте дату или продолжите без чипа."
    );
    kiosk.tap("ChipPage::read");
    assert_eq!(kiosk.chip.reads.get(), 0);
}

#[test]
fn impossible_and_far_dates_get_their_own_messages() {
    let kiosk = at_chip_step();
    kiosk.fill_chip_access("751234567", "31.02.2030");
    assert_eq!(
        messages(&kiosk).1,
        "Такой даты нет в календаре. Проверьте день и месяц."
    );
    kiosk.fill_chip_access("751234567", "05.12.2036");
    assert_eq!(
        messages(&kiosk).1,
        "Загранпаспорт выдают не больше чем на 10 лет. Проверьте год."
    );
    kiosk.fill_chip_access("751234567", "01-02-2030");
    kiosk.tap("ChipPage::read");
    assert_eq!(
        messages(&kiosk).1,
        "Введите срок действия как ДД.ММ.ГГГГ, например 01.02.2030."
    );
}

#[test]
fn valid_form_reads_with_typed_birth_date() {
    let kiosk = at_chip_step();
    kiosk.fill_chip_access("751234567", "04.12.2026");
    assert_eq!(messages(&kiosk), (String::new(), String::new()));
    kiosk.tap("ChipPage::read");
    assert_eq!(kiosk.chip.reads.get(), 1);
    let keys = kiosk.chip.last_keys.borrow().clone().expect("keys sent");
    assert_eq!(
        (
            keys.document_number.as_str(),
            keys.birth_date.as_str(),
            keys.expiry_date.as_str()
        ),
        ("751234567", "07.03.1958", "04.12.2026")
    );
    assert_eq!(
        keys.bac_input().expect("the keys parse").key_seed_text(),
        "751234567258030772612041"
    );
    assert_eq!(kiosk.text("ChipPage::status"), "Чип паспорта прочитан.");
}

#[test]
fn skip_leaves_the_chip_unread() {
    let kiosk = at_chip_step();
    kiosk.fill_chip_access("12", "");
    kiosk.tap("ChipPage::skip");
    kiosk.tap("ReviewPage::confirm");
    assert_eq!(kiosk.chip.reads.get(), 0);
    assert!(!kiosk.issuer.requests()[0].chip_read);
}

#[test]
fn card_removed_and_reader_gone_have_their_reasons() {
    let kiosk = at_chip_step();
    kiosk.chip.outcome.set(Some(ChipOutcome::CardRemoved));
    kiosk.fill_chip_access("751234567", "01.02.2030");
    kiosk.tap("ChipPage::read");
    assert_eq!(
        kiosk.text("ChipPage::status"),
        "Паспорт убрали со считывателя во время чтения. Положите его обратно и попробуйте ещё раз."
    );
    kiosk.chip.outcome.set(Some(ChipOutcome::ReaderGone));
    kiosk.tap("ChipPage::read");
    assert_eq!(
        kiosk.text("ChipPage::status"),
        "Считыватель перестал отвечать. Попробуйте ещё раз; если не получится, продолжите без чипа."
    );
    kiosk.chip.outcome.set(Some(ChipOutcome::AccessDenied));
    kiosk.tap("ChipPage::read");
    assert_eq!(
        kiosk.text("ChipPage::status"),
        "Чип не принял данные паспорта. Проверьте номер загранпаспорта, срок действия и дату рождения или продолжите без чипа."
    );
}

#[test]
fn english_visitor_reads_english_messages() {
    let kiosk = at_chip_step();
    kiosk.tap("TopBar::english");
    kiosk.fill_chip_access("75123", "");
    kiosk.tap("ChipPage::read");
    assert_eq!(
        messages(&kiosk),
        (
            "The travel passport number has 9 digits: 2 for the series and 7 for the number."
                .to_owned(),
            "Enter the travel passport's expiry date: DD.MM.YYYY.".to_owned()
        )
    );
    assert_eq!(kiosk.chip_fields()[0].0, "Travel passport number");
}
