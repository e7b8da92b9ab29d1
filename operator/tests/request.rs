//! The request view and decisions: typed and chip data, confirm and reject
//! with their slips, conflicts, printer faults and ticket QR scans.

mod support;

use std::collections::HashMap;

use domain::request::RequestState;
use domain::ticket::{Priority, ServiceCategory, TicketState, WindowNumber};
use operator::printer::{CodeSlip, PrinterFault, Slip};
use operator::qr::QrError;
use operator::ui::{ChipStatus, FieldKey, RequestAdapter};
use slint::{ComponentHandle, Model};
use support::{fixture, fixture_with, Fixture, TableQr};

/// Logs in at window 3 and calls one ticket with a request of `kind`.
fn called(kind: &str) -> (Fixture, operator::backend::QueuedTicket) {
    let f = fixture();
    let category = if kind == "restore_access" {
        ServiceCategory::RestoreAccess
    } else {
        ServiceCategory::IdentityConfirmation
    };
    let ticket = f.add_ticket(category, 7, 5, Priority::Regular, Some(kind));
    f.log_in();
    f.sync_queue();
    f.click("QueuePanel::call-next");
    (f, ticket)
}

fn request_id(ticket: &operator::backend::QueuedTicket) -> uuid::Uuid {
    ticket
        .request
        .as_ref()
        .expect("the ticket has a request")
        .request_id
}

#[test]
fn typed_and_chip_data_side_by_side() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, _) = called("confirm_identity");

    let adapter = f.console.window().global::<RequestAdapter>();
    assert_eq!(adapter.get_chip_status(), ChipStatus::Passed);
    assert_eq!(
        f.text("RequestPanel::chip-status"),
        "Чип: данные подписаны государством, выдавшим паспорт, и не изменялись."
    );
    let fields: Vec<_> = adapter.get_fields().iter().collect();
    let surname = fields
        .iter()
        .find(|row| row.key == FieldKey::Surname)
        .expect("a surname row");
    assert_eq!(
        (
            surname.typed.as_str(),
            surname.chip.as_str(),
            surname.mismatch
        ),
        ("Иванов", "IVANOV", false)
    );
    let birth = fields
        .iter()
        .find(|row| row.key == FieldKey::BirthDate)
        .expect("a birth date row");
    assert_eq!(
        (birth.typed.as_str(), birth.chip.as_str()),
        ("17.05.1980", "17.05.1980")
    );
    let travel_number = fields
        .iter()
        .find(|row| row.key == FieldKey::TravelDocumentNumber)
        .expect("a travel passport number row");
    assert_eq!(
        (
            travel_number.typed.as_str(),
            travel_number.chip.as_str(),
            travel_number.mismatch
        ),
        ("751234567", "751234567", false)
    );
    let passport = fields
        .iter()
        .find(|row| row.key == FieldKey::DocumentNumber)
        .expect("an internal passport row");
    assert_eq!(
        (passport.typed.as_str(), passport.chip.as_str()),
        ("4510 123456", "")
    );
    let phone = fields
        .iter()
        .find(|row| row.key == FieldKey::Phone)
        .expect("a phone row");
    assert_eq!(phone.typed, "+7 916 123-45-67");
    assert_eq!(adapter.get_mismatches(), 0);
    assert!(!f.is_shown("RequestPanel::mismatch-summary"));

    let photo = adapter.get_photo().size();
    assert_eq!((photo.width, photo.height), (3, 4));
    assert!(f.is_shown("RequestPanel::photo"));
}

#[test]
fn differences_are_highlighted_field_by_field() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    let mut ticket = support::ticket(
        ServiceCategory::IdentityConfirmation,
        7,
        5,
        Priority::Regular,
        Some("confirm_identity"),
    );
    if let Some(request) = ticket.request.as_mut() {
        request.visitor.surname = "Иваненко".to_owned();
        request.visitor.birth_date = jiff::civil::date(1980, 5, 18);
    }
    f.backend.add_ticket(ticket);
    f.log_in();
    f.sync_queue();
    f.click("QueuePanel::call-next");

    let adapter = f.console.window().global::<RequestAdapter>();
    let mismatched: Vec<FieldKey> = adapter
        .get_fields()
        .iter()
        .filter(|row| row.mismatch)
        .map(|row| row.key)
        .collect();
    assert_eq!(mismatched, [FieldKey::Surname, FieldKey::BirthDate]);
    assert_eq!(
        f.text("RequestPanel::mismatch-summary"),
        "Расхождений между введёнными данными и чипом: 2. Они выделены красным."
    );
}

#[test]
fn failed_passive_auth_is_said_plainly() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    let mut ticket = support::ticket(
        ServiceCategory::IdentityConfirmation,
        7,
        5,
        Priority::Regular,
        Some("confirm_identity"),
    );
    if let Some(chip) = ticket
        .request
        .as_mut()
        .and_then(|request| request.chip.as_mut())
    {
        chip.passive_auth = "failed".to_owned();
    }
    f.backend.add_ticket(ticket);
    f.log_in();
    f.sync_queue();
    let rows = f.elements("QueuePanel::ticket-row");
    assert_eq!(rows.len(), 1);
    rows[0].invoke_accessible_default_action();

    assert_eq!(
        f.text("RequestPanel::chip-status"),
        "Чип: проверка подписи НЕ ПРОЙДЕНА. Данные чипа могут быть поддельными — проверьте бумажный паспорт особенно внимательно."
    );
}

#[test]
fn confirm_needs_passport_check_then_prints_code() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ticket) = called("confirm_identity");
    f.backend.next_code("7KQ2MX");

    assert_eq!(
        f.element("RequestPanel::confirm").accessible_enabled(),
        Some(false)
    );
    f.click("RequestPanel::passport-checked");
    assert_eq!(
        f.element("RequestPanel::confirm").accessible_enabled(),
        Some(true)
    );
    f.click("RequestPanel::confirm");

    assert_eq!(
        f.backend.request_state(request_id(&ticket)),
        Some(RequestState::Confirmed)
    );
    assert_eq!(
        f.printer.printed(),
        [Slip::Confirmation(CodeSlip {
            ticket: "П-007".to_owned(),
            window: 3,
            operator: support::LOGIN.to_owned(),
            code: "7KQ2MX".to_owned(),
            expires_at: jiff::civil::date(2026, 12, 7).at(12, 0, 0, 0),
        })]
    );
    assert_eq!(
        f.text("RequestPanel::decision-result"),
        "Личность подтверждена. Напечатан чек с кодом подтверждения; код действует до 07.12.2026 12:00."
    );
}

#[test]
fn restore_access_prints_recovery_code() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, _) = called("restore_access");
    f.backend.next_code("R8TW3P");

    f.click("RequestPanel::passport-checked");
    f.click("RequestPanel::confirm");

    assert_eq!(
        f.printer.printed(),
        [Slip::RecoveryCode(CodeSlip {
            ticket: "В-007".to_owned(),
            window: 3,
            operator: support::LOGIN.to_owned(),
            code: "R8TW3P".to_owned(),
            expires_at: jiff::civil::date(2026, 12, 7).at(12, 0, 0, 0),
        })]
    );
    assert_eq!(
        f.text("RequestPanel::decision-result"),
        "Восстановление доступа подтверждено. Напечатан чек с кодом восстановления; код действует до 07.12.2026 12:00."
    );
}

#[test]
fn reject_prints_reason_slip() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ticket) = called("confirm_identity");
    let reasons: Vec<String> = f
        .console
        .window()
        .global::<RequestAdapter>()
        .get_reject_reasons()
        .iter()
        .map(|reason| reason.to_string())
        .collect();
    let expected: Vec<String> = domain::request::RejectReasonCode::ALL
        .iter()
        .map(|code| code.text(domain::Lang::Ru).to_owned())
        .collect();
    assert_eq!(reasons, expected);

    // «Данные не совпадают с паспортом» is the third standard reason.
    f.console
        .window()
        .global::<RequestAdapter>()
        .set_reject_reason_index(2);
    f.fill(
        "RequestPanel::reject-comment",
        "Отчество в паспорте — Иванович-Оглы",
    );
    f.click("RequestPanel::reject");

    let Some(RequestState::Rejected { reason }) = f.backend.request_state(request_id(&ticket))
    else {
        panic!("the request is not rejected");
    };
    assert_eq!(
        reason.code(),
        domain::request::RejectReasonCode::DataMismatch
    );
    assert_eq!(
        f.printer.printed(),
        [Slip::Rejection {
            ticket: "П-007".to_owned(),
            window: 3,
            operator: support::LOGIN.to_owned(),
            reason: reason.text(domain::Lang::Ru),
            decided_at: jiff::civil::date(2026, 12, 4).at(12, 0, 0, 0),
        }]
    );
    assert!(reason.text(domain::Lang::Ru).contains("Иванович-Оглы"));
    assert_eq!(
        f.text("RequestPanel::decision-result"),
        "Заявка отклонена. Напечатан чек с причиной — передайте его посетителю."
    );
}

#[test]
fn other_reason_needs_comment() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ticket) = called("confirm_identity");

    f.console
        .window()
        .global::<RequestAdapter>()
        .set_reject_reason_index(5);
    f.click("RequestPanel::reject");

    assert_eq!(
        f.text("RequestPanel::decision-result"),
        "Напишите комментарий для посетителя: для «Другая причина» он обязателен."
    );
    assert_eq!(
        f.backend.request_state(request_id(&ticket)),
        Some(RequestState::InProgress)
    );
    assert!(f.printer.printed().is_empty());
}

#[test]
fn decision_from_other_window_is_not_overwritten() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ticket) = called("confirm_identity");
    f.backend.decide_elsewhere(request_id(&ticket), false);

    f.click("RequestPanel::passport-checked");
    f.click("RequestPanel::confirm");

    assert_eq!(
        f.text("RequestPanel::decision-result"),
        "По этой заявке уже принято решение в другом окне (сейчас: Отклонено). Ваше решение не сохранено, ничего не перезаписано."
    );
    assert!(matches!(
        f.backend.request_state(request_id(&ticket)),
        Some(RequestState::Rejected { .. })
    ));
    assert!(f.printer.printed().is_empty());
}

#[test]
fn printer_fault_explained_and_reprinted() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, _) = called("confirm_identity");
    f.printer.set_fault(Some(PrinterFault::PaperOut));

    f.click("RequestPanel::passport-checked");
    f.click("RequestPanel::confirm");

    assert_eq!(
        f.text("RequestPanel::printer-fault"),
        "В принтере закончилась бумага. Вставьте новый рулон, закройте крышку и нажмите «Напечатать ещё раз»."
    );
    assert!(f.printer.printed().is_empty());

    f.printer.set_fault(Some(PrinterFault::CoverOpen));
    f.click("RequestPanel::reprint");
    assert_eq!(
        f.text("RequestPanel::printer-fault"),
        "Открыта крышка принтера. Закройте её до щелчка и нажмите «Напечатать ещё раз»."
    );

    f.printer.set_fault(None);
    f.click("RequestPanel::reprint");
    assert!(!f.is_shown("RequestPanel::printer-fault"));
    assert!(!f.is_shown("RequestPanel::reprint"));
    assert_eq!(f.printer.printed().len(), 1);
    assert!(matches!(&f.printer.printed()[0], Slip::Confirmation(slip) if slip.code == "K4M7PX"));
}

/// Logs in at window 3 with one waiting ticket and a verifier with
/// verdicts for four scanned texts.
fn scanner() -> (Fixture, operator::backend::QueuedTicket) {
    let ticket = support::ticket(
        ServiceCategory::IdentityConfirmation,
        9,
        3,
        Priority::Regular,
        Some("confirm_identity"),
    );
    let table = HashMap::from([
        ("OKNO1.FORGED".to_owned(), Err(QrError::Forged)),
        ("OKNO1.EXPIRED".to_owned(), Err(QrError::Expired)),
        ("OKNO1.ELSEWHERE".to_owned(), Ok(uuid::Uuid::now_v7())),
        ("OKNO1.VALID".to_owned(), Ok(ticket.id)),
    ]);
    let f = fixture_with(TableQr(table));
    f.backend.add_ticket(ticket.clone());
    f.log_in();
    f.sync_queue();
    (f, ticket)
}

#[test]
fn scanning_valid_qr_opens_request() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ticket) = scanner();

    f.type_line("OKNO1.VALID");

    assert!(!f.is_shown("QueuePanel::scan-error"));
    assert_eq!(f.text("QueuePanel::current-number"), "П-009");
    assert_eq!(
        f.backend.ticket_state(ticket.id),
        Some(TicketState::Called {
            window: WindowNumber::new(3).expect("3"),
            recalls: 0
        })
    );
    assert!(f.is_shown("RequestPanel::confirm"));
}

#[test]
fn scanning_bad_qr_explains_why() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, _) = scanner();

    let cases = [
        ("OKNO1.FORGED", "Этот QR-код выдан не нашим центром или изменён. Не обслуживайте по нему: попросите у посетителя печатный талон и позовите старшего смены."),
        ("OKNO1.EXPIRED", "Срок действия талона истёк: он выдан в другой день. Попросите посетителя взять новый талон в терминале."),
        ("Привет", "Отсканированный код не является талоном электронной очереди. Отсканируйте QR-код, напечатанный на талоне."),
        ("OKNO1.ELSEWHERE", "Талон подлинный, но его нет в сегодняшней очереди. Попросите посетителя взять новый талон в терминале."),
    ];
    for (scanned, message) in cases {
        f.type_line(scanned);
        assert_eq!(
            f.text("QueuePanel::scan-error"),
            message,
            "scanned {scanned:?}"
        );
        assert_eq!(
            f.text("QueuePanel::current-number"),
            "Талон не вызван",
            "scanned {scanned:?}"
        );
    }
    assert!(f.backend.stored_events().is_empty());
}
