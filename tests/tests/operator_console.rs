//! The operator console with every real part against a real `sync-server`
//! process on loopback: login and lockout, the call order, each queue
//! action, decisions with their printed slips, ticket QR scans, a decision
//! conflicting with another window's, and a printer fault with a reprint.
//!
//! Tickets come from a real kiosk station pushing through the same server.
//! Each console is built from its configuration by
//! `operator::setup::real_parts`; tests pull the queue the way the worker
//! does (`Backend::wait_queue`), so no event loop is needed here (the
//! worker's own story is in `operator_offline.rs`).

mod operator_support;

use std::time::Duration;

use domain::request::{RejectReasonCode, RequestKind};
use domain::sync::ChipResult;
use domain::ticket::{RedirectTarget, ServiceCategory, TicketState, WindowNumber};
use domain::ticket_qr::{CenterCode, TicketQr, TicketQrKey};
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use jiff::{SignedDuration, Timestamp};
use operator::backend::Backend;
use operator::ui::{ChipStatus, FieldKey, LoginAdapter, RequestAdapter};
use operator_support::{printed_lines, ConsoleFixture, Site, PASSWORD};
use slint::{ComponentHandle, Model};

fn window(number: u16) -> WindowNumber {
    WindowNumber::new(number).expect("a window number")
}

fn state_of(snapshot: &operator::backend::QueueSnapshot, id: uuid::Uuid) -> TicketState {
    ConsoleFixture::ticket(snapshot, id)
        .expect("the ticket is in the pulled queue")
        .entry
        .state
}

#[test]
fn login_refused_then_locked_out_with_end_time() {
    operator_support::init_ui(false);
    let site = Site::new();
    site.add_operator("ivanova");
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let f = site.console("console", 3, &printer.uri());

    f.try_log_in("ivanova", "не тот пароль", "3");
    assert_eq!(
        f.text("LoginPage::error"),
        "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock и попробуйте снова."
    );
    f.try_log_in("petrov", PASSWORD, "3");
    assert_eq!(
        f.text("LoginPage::error"),
        "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock и попробуйте снова."
    );

    // The server locks the account at the fifth failure, for 15 minutes.
    let before = Timestamp::now();
    for _ in 0..4 {
        f.try_log_in("ivanova", "не тот пароль", "3");
    }
    let after = Timestamp::now();
    let shown = f
        .console
        .window()
        .global::<LoginAdapter>()
        .get_locked_until()
        .to_string();
    let expected: Vec<String> = [before, after]
        .iter()
        .map(|instant| {
            jiff::tz::TimeZone::UTC
                .to_datetime(
                    instant
                        .checked_add(SignedDuration::from_mins(15))
                        .expect("in range"),
                )
                .strftime("%H:%M")
                .to_string()
        })
        .collect();
    assert!(expected.contains(&shown), "{shown} not in {expected:?}");
    let message = format!(
        "Слишком много неудачных попыток. Вход заблокирован до {shown}; если доступ нужен раньше, обратитесь к старшему смены."
    );
    assert_eq!(f.text("LoginPage::error"), message);

    // The right password does not open a locked account.
    f.try_log_in("ivanova", PASSWORD, "3");
    assert_eq!(f.text("LoginPage::error"), message);
    assert!(!f.is_shown("WorkPage::header-window"));
    f.screenshot("login-locked");
}

#[test]
fn call_next_takes_priority_then_oldest() {
    operator_support::init_ui(false);
    let site = Site::new();
    site.add_operator("ivanova");
    let kiosk = site.kiosk();
    let now = Timestamp::now();
    let minutes_ago = |minutes| {
        now.checked_sub(SignedDuration::from_mins(minutes))
            .expect("in range")
    };
    let oldest = kiosk.ticket(
        ServiceCategory::IdentityConfirmation,
        false,
        minutes_ago(20),
    );
    let younger = kiosk.ticket(ServiceCategory::RestoreAccess, false, minutes_ago(10));
    let preferential = kiosk.ticket(ServiceCategory::IdentityConfirmation, true, minutes_ago(5));
    // Other services are not called at this window.
    kiosk.ticket(ServiceCategory::OtherServices, false, minutes_ago(30));
    kiosk.flush();

    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let f = site.console("console", 3, &printer.uri());
    f.log_in("ivanova", "3");
    f.sync_until("four tickets", |queue| queue.tickets.len() == 4);
    assert_eq!(f.listed_numbers(), ["П-002", "П-001", "В-001"]);
    f.screenshot("queue");

    for (expected_number, id) in [
        ("П-002", preferential),
        ("П-001", oldest),
        ("В-001", younger),
    ] {
        f.click("QueuePanel::call-next");
        assert_eq!(f.text("QueuePanel::current-number"), expected_number);
        let queue = f.sync_until("the call on the server", |queue| {
            matches!(state_of(queue, id), TicketState::Called { .. })
        });
        assert_eq!(
            state_of(&queue, id),
            TicketState::Called {
                window: window(3),
                recalls: 0
            }
        );
        f.click("QueuePanel::start");
        f.click("QueuePanel::done");
        f.sync_until("the ticket done on the server", |queue| {
            state_of(queue, id) == TicketState::Done
        });
    }
    assert!(f.listed_numbers().is_empty());
    assert_eq!(f.link.store().outbox_counts().expect("counts").pending, 0);
    assert_eq!(f.link.store().outbox_counts().expect("counts").acked, 9);
}

#[test]
fn every_queue_action_reaches_the_server() {
    operator_support::init_ui(false);
    let site = Site::new();
    site.add_operator("ivanova");
    let kiosk = site.kiosk();
    let now = Timestamp::now();
    let ids: Vec<uuid::Uuid> = (0..4)
        .map(|index| {
            kiosk.ticket(
                ServiceCategory::IdentityConfirmation,
                false,
                now.checked_sub(SignedDuration::from_mins(10 - index))
                    .expect("in range"),
            )
        })
        .collect();
    kiosk.flush();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let f = site.console("console", 3, &printer.uri());
    f.log_in("ivanova", "3");
    f.sync_until("four tickets", |queue| queue.tickets.len() == 4);

    // Call, recall, start, done.
    f.click("QueuePanel::call-next");
    f.click("QueuePanel::recall");
    f.sync_until("the recall", |queue| {
        state_of(queue, ids[0])
            == TicketState::Called {
                window: window(3),
                recalls: 1,
            }
    });
    f.click("QueuePanel::start");
    f.sync_until("serving", |queue| {
        state_of(queue, ids[0]) == TicketState::Serving { window: window(3) }
    });
    f.click("QueuePanel::done");
    f.sync_until("done", |queue| state_of(queue, ids[0]) == TicketState::Done);

    // No-show.
    f.click("QueuePanel::call-next");
    f.click("QueuePanel::no-show");
    f.sync_until("no-show", |queue| {
        state_of(queue, ids[1]) == TicketState::NoShow
    });

    // Postpone behind two other calls (the spin box starts at 3).
    f.click("QueuePanel::call-next");
    f.element("QueuePanel::postpone-count")
        .invoke_accessible_decrement_action();
    f.click("QueuePanel::postpone");
    f.sync_until("postponed", |queue| {
        state_of(queue, ids[2]) == TicketState::Postponed { remaining: 2 }
    });

    // The postponed ticket waits, so the fourth is called next; redirect
    // it to window 7, which takes it out of this window's list.
    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "П-004");
    f.fill("QueuePanel::redirect-window-input", "7");
    f.click("QueuePanel::redirect-window");
    let queue = f.sync_until("redirected", |queue| {
        matches!(state_of(queue, ids[3]), TicketState::Redirected { .. })
    });
    assert_eq!(
        state_of(&queue, ids[3]),
        TicketState::Redirected {
            to: RedirectTarget::Window(window(7))
        }
    );
    // The call of П-004 counted the postponed ticket down by one.
    assert_eq!(
        state_of(&queue, ids[2]),
        TicketState::Postponed { remaining: 1 }
    );
    assert_eq!(f.listed_numbers(), ["П-003"]);
    let counts = f.link.store().outbox_counts().expect("counts");
    assert_eq!((counts.pending, counts.failed, counts.acked), (0, 0, 10));
}

#[test]
fn restarted_console_keeps_postponed_and_recalls() {
    operator_support::init_ui(false);
    let site = Site::new();
    site.add_operator("ivanova");
    let kiosk = site.kiosk();
    let now = Timestamp::now();
    let ids: Vec<uuid::Uuid> = (0..4)
        .map(|index| {
            kiosk.ticket(
                ServiceCategory::IdentityConfirmation,
                false,
                now.checked_sub(SignedDuration::from_mins(10 - index))
                    .expect("in range"),
            )
        })
        .collect();
    kiosk.flush();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let f = site.console("console", 3, &printer.uri());
    f.log_in("ivanova", "3");
    f.sync_until("four tickets", |queue| queue.tickets.len() == 4);

    // П-001 waits behind three calls (the spin box starts at 3), П-002 is
    // served, and П-003 is called and recalled once.
    f.click("QueuePanel::call-next");
    f.click("QueuePanel::postpone");
    f.sync_until("П-001 postponed", |queue| {
        state_of(queue, ids[0]) == TicketState::Postponed { remaining: 3 }
    });
    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "П-002");
    f.click("QueuePanel::start");
    f.click("QueuePanel::done");
    f.sync_until("П-002 done", |queue| {
        state_of(queue, ids[1]) == TicketState::Done
    });
    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "П-003");
    f.click("QueuePanel::recall");
    f.sync_until("the recall of П-003", |queue| {
        state_of(queue, ids[2])
            == TicketState::Called {
                window: window(3),
                recalls: 1,
            }
    });
    let data_dir = f.data_dir.clone();
    drop(f);

    // The console restarts on the same SQLite file and rebuilds the queue
    // from its cache before any pull.
    let f = site.console_in(
        &data_dir,
        3,
        &printer.uri(),
        vec![
            ServiceCategory::IdentityConfirmation,
            ServiceCategory::RestoreAccess,
        ],
    );
    let cached = f
        .link
        .wait_queue(None, Duration::from_secs(1))
        .expect("the cache is read");
    assert_eq!(
        state_of(&cached, ids[0]),
        TicketState::Postponed { remaining: 1 }
    );
    assert_eq!(
        state_of(&cached, ids[2]),
        TicketState::Called {
            window: window(3),
            recalls: 1
        }
    );
    assert_eq!(state_of(&cached, ids[1]), TicketState::Done);

    // П-001 still waits for one call, so П-004 comes before it.
    f.log_in("ivanova", "3");
    f.console.apply_queue(cached);
    assert_eq!(f.text("QueuePanel::current-number"), "П-003");
    f.click("QueuePanel::start");
    f.click("QueuePanel::done");
    f.sync_until("П-003 done", |queue| {
        state_of(queue, ids[2]) == TicketState::Done
    });
    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "П-004");
    let queue = f.sync_until("the call of П-004", |queue| {
        matches!(state_of(queue, ids[3]), TicketState::Called { .. })
    });
    assert_eq!(
        state_of(&queue, ids[0]),
        TicketState::Postponed { remaining: 0 }
    );
}

/// A valid TD3 zone of the visitor's foreign passport, with its check
/// digits computed by `domain::mrz`.
fn zone() -> String {
    use domain::mrz::check_digit;
    let digit = |field: &str| check_digit(field).expect("a digit").to_string();
    let number = "751234567";
    let birth = "740812";
    let expiry = "300101";
    let first = format!("{:<<44}", "P<RUSIVANOVA<<MARIIA<PETROVNA");
    let optional = "<<<<<<<<<<<<<<";
    let mut second = format!(
        "{number}{}RUS{birth}{}F{expiry}{}{optional}{}",
        digit(number),
        digit(birth),
        digit(expiry),
        digit(optional)
    );
    let composite = format!("{}{}{}", &second[0..10], &second[13..20], &second[21..43]);
    second.push_str(&digit(&composite));
    format!("{first}\n{second}")
}

/// The chip data a kiosk sends for [`zone`], with the travel passport
/// number and expiry date the visitor typed for the read.
fn chip_read(typed_number: &str, typed_expiry: jiff::civil::Date) -> ChipResult {
    ChipResult {
        mrz: zone(),
        passive_auth: "passed".to_owned(),
        photo_base64: None,
        typed_document_number: Some(typed_number.to_owned()),
        typed_expiry_date: Some(typed_expiry),
    }
}

/// A kiosk request with a chip read that agrees with the typed data,
/// called to window 3 of a new console.
fn called_request(
    site: &Site,
    kind: RequestKind,
    printer_uri: &str,
) -> (ConsoleFixture, station::store::SubmittedRequest) {
    let chip = chip_read("751234567", jiff::civil::date(2030, 1, 1));
    called_request_with_chip(site, kind, printer_uri, chip)
}

/// A kiosk request with `chip`, called to window 3 of a new console.
fn called_request_with_chip(
    site: &Site,
    kind: RequestKind,
    printer_uri: &str,
    chip: ChipResult,
) -> (ConsoleFixture, station::store::SubmittedRequest) {
    site.add_operator("ivanova");
    let kiosk = site.kiosk();
    let submitted = kiosk.request(kind, Some(chip));
    kiosk.flush();
    let f = site.console("console", 3, printer_uri);
    f.log_in("ivanova", "3");
    f.sync_until("the request", |queue| {
        ConsoleFixture::ticket(queue, submitted.ticket.ticket_id)
            .is_some_and(|ticket| ticket.request.is_some())
    });
    f.click("QueuePanel::call-next");
    (f, submitted)
}

/// Returns the code on a code slip: the line after the heading.
fn code_on_slip(lines: &[String], heading: &str) -> String {
    let at = lines
        .iter()
        .position(|line| line.trim() == heading)
        .unwrap_or_else(|| panic!("no {heading:?} on the slip: {lines:#?}"));
    lines[at + 1].trim().to_owned()
}

/// The 48-column rule of the generic 80 mm profile.
const RULE: &str = "------------------------------------------------";

/// Checks a confirmation code's form: six characters of capital Latin
/// letters and digits.
fn assert_code(code: &str) {
    assert_eq!(code.len(), 6, "{code}");
    assert!(
        code.bytes()
            .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit()),
        "{code}"
    );
}

/// Formats an instant as the slips do, in the center's zone (UTC here).
fn minute_text(instant: Timestamp) -> String {
    jiff::tz::TimeZone::UTC
        .to_datetime(instant)
        .strftime("%d.%m.%Y %H:%M")
        .to_string()
}

fn expires_text(f: &ConsoleFixture) -> String {
    f.console
        .window()
        .global::<RequestAdapter>()
        .get_code_expires()
        .to_string()
}

#[test]
fn confirm_prints_the_code_from_the_server() {
    operator_support::init_ui(false);
    let site = Site::new();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let (f, submitted) = called_request(&site, RequestKind::ConfirmIdentity, &printer.uri());

    // Typed and chip data side by side: the names match under ICAO 9303,
    // the chip's number and expiry match the travel passport values typed
    // for the read, and the internal passport is shown as typed only.
    let adapter = f.console.window().global::<RequestAdapter>();
    assert_eq!(adapter.get_chip_status(), ChipStatus::Passed);
    let rows = field_rows(&f);
    assert_eq!(
        row(&rows, FieldKey::Surname),
        ("Иванова".to_owned(), "IVANOVA".to_owned(), false)
    );
    assert_eq!(
        row(&rows, FieldKey::GivenNames),
        (
            "Мария Петровна".to_owned(),
            "MARIIA PETROVNA".to_owned(),
            false
        )
    );
    assert_eq!(
        row(&rows, FieldKey::BirthDate),
        ("12.08.1974".to_owned(), "12.08.1974".to_owned(), false)
    );
    assert_eq!(
        row(&rows, FieldKey::TravelDocumentNumber),
        ("751234567".to_owned(), "751234567".to_owned(), false)
    );
    assert_eq!(
        row(&rows, FieldKey::ExpiryDate),
        ("01.01.2030".to_owned(), "01.01.2030".to_owned(), false)
    );
    assert_eq!(
        row(&rows, FieldKey::DocumentNumber),
        ("4510 123456".to_owned(), String::new(), false)
    );
    assert_eq!(adapter.get_mismatches(), 0);
    assert!(!f.is_shown("RequestPanel::mismatch-summary"));
    f.screenshot("request");

    f.click("RequestPanel::passport-checked");
    f.click("RequestPanel::confirm");
    let expires = expires_text(&f);
    assert_eq!(
        f.text("RequestPanel::decision-result"),
        format!("Личность подтверждена. Напечатан чек с кодом подтверждения; код действует до {expires}.")
    );
    let bytes = printer
        .wait_idle(Duration::from_secs(10))
        .expect("the slip reached the printer");
    let (lines, cut) = printed_lines(&bytes);
    let code = code_on_slip(&lines, "Код подтверждения личности");
    assert_code(&code);
    assert_eq!(
        lines,
        [
            "МФЦ Тест",
            RULE,
            "Код подтверждения личности",
            &code,
            &format!("Действует до {expires}"),
            "Окно 3, оператор ivanova",
            RULE,
            "Как ввести код:",
            "1. Войдите на сайт gosuslugi.ru или в приложение",
            "\"Госуслуги\".",
            "2. Откройте уведомление о подтверждении",
            "личности.",
            "3. Введите код до окончания срока действия.",
            "Никому не сообщайте этот код.",
            "",
            "",
            "",
        ]
    );
    assert!(cut);

    let queue = f.sync_until("the decision on the server", |queue| {
        ConsoleFixture::ticket(queue, submitted.ticket.ticket_id)
            .is_some_and(|ticket| ticket.request.is_none())
    });
    assert!(ConsoleFixture::ticket(&queue, submitted.ticket.ticket_id).is_some());
    f.screenshot("confirmed");
}

/// The rows of the open request's typed-against-chip table.
fn field_rows(f: &ConsoleFixture) -> Vec<operator::ui::FieldRow> {
    f.console
        .window()
        .global::<RequestAdapter>()
        .get_fields()
        .iter()
        .collect()
}

/// Returns the typed value, the chip value and the mismatch flag of the
/// row for `key`.
fn row(rows: &[operator::ui::FieldRow], key: FieldKey) -> (String, String, bool) {
    rows.iter()
        .find(|row| row.key == key)
        .map(|row| (row.typed.to_string(), row.chip.to_string(), row.mismatch))
        .unwrap_or_else(|| panic!("no {key:?} row"))
}

#[test]
fn chip_number_other_than_typed_is_highlighted() {
    operator_support::init_ui(false);
    let site = Site::new();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    // The chip's zone carries 751234567 and 01.01.2030; the visitor typed
    // another number and expiry for the read.
    let chip = chip_read("751234568", jiff::civil::date(2030, 1, 2));
    let (f, _) =
        called_request_with_chip(&site, RequestKind::ConfirmIdentity, &printer.uri(), chip);

    let rows = field_rows(&f);
    assert_eq!(
        row(&rows, FieldKey::TravelDocumentNumber),
        ("751234568".to_owned(), "751234567".to_owned(), true)
    );
    assert_eq!(
        row(&rows, FieldKey::ExpiryDate),
        ("02.01.2030".to_owned(), "01.01.2030".to_owned(), true)
    );
    assert_eq!(
        row(&rows, FieldKey::Surname),
        ("Иванова".to_owned(), "IVANOVA".to_owned(), false)
    );
    assert_eq!(
        row(&rows, FieldKey::DocumentNumber),
        ("4510 123456".to_owned(), String::new(), false)
    );
    let mismatched: Vec<FieldKey> = rows
        .iter()
        .filter(|row| row.mismatch)
        .map(|row| row.key)
        .collect();
    assert_eq!(
        mismatched,
        [FieldKey::TravelDocumentNumber, FieldKey::ExpiryDate]
    );
    let adapter = f.console.window().global::<RequestAdapter>();
    assert_eq!(adapter.get_mismatches(), 2);
    assert_eq!(
        f.text("RequestPanel::mismatch-summary"),
        "Расхождений между введёнными данными и чипом: 2. Они выделены красным."
    );
    f.screenshot("request-chip-mismatch");
}

#[test]
fn reject_prints_the_reason() {
    operator_support::init_ui(false);
    let site = Site::new();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let (f, submitted) = called_request(&site, RequestKind::ConfirmIdentity, &printer.uri());

    let reasons = RejectReasonCode::ALL;
    let index = reasons
        .iter()
        .position(|code| *code == RejectReasonCode::DataMismatch)
        .expect("a standard reason");
    f.console
        .window()
        .global::<RequestAdapter>()
        .set_reject_reason_index(i32::try_from(index).expect("small"));
    f.fill(
        "RequestPanel::reject-comment",
        "Номер паспорта не совпадает",
    );
    let before = minute_text(Timestamp::now());
    f.click("RequestPanel::reject");
    let after = minute_text(Timestamp::now());
    assert_eq!(
        f.text("RequestPanel::decision-result"),
        "Заявка отклонена. Напечатан чек с причиной — передайте его посетителю."
    );
    let bytes = printer
        .wait_idle(Duration::from_secs(10))
        .expect("the slip reached the printer");
    let (lines, cut) = printed_lines(&bytes);
    let decided = lines.get(11).cloned().unwrap_or_default();
    assert!(decided == before || decided == after, "{decided}");
    assert_eq!(
        lines,
        [
            "МФЦ Тест",
            RULE,
            "Личность не подтверждена",
            "Причина:",
            "Введённые данные не совпадают с данными",
            "паспорта. Номер паспорта не совпадает",
            "Что делать:",
            "Исправьте данные или возьмите нужные документы и",
            "обратитесь в МФЦ снова.",
            RULE,
            "Окно 3, оператор ivanova",
            &decided,
            "",
            "",
            "",
        ]
    );
    assert!(cut);
    f.sync_until("the rejection on the server", |queue| {
        ConsoleFixture::ticket(queue, submitted.ticket.ticket_id)
            .is_some_and(|ticket| ticket.request.is_none())
    });
}

#[test]
fn restore_access_prints_a_recovery_code() {
    operator_support::init_ui(false);
    let site = Site::new();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let (f, _) = called_request(&site, RequestKind::RestoreAccess, &printer.uri());

    f.click("RequestPanel::passport-checked");
    f.click("RequestPanel::confirm");
    let expires = expires_text(&f);
    assert_eq!(
        f.text("RequestPanel::decision-result"),
        format!("Восстановление доступа подтверждено. Напечатан чек с кодом восстановления; код действует до {expires}.")
    );
    let bytes = printer
        .wait_idle(Duration::from_secs(10))
        .expect("the slip reached the printer");
    let (lines, cut) = printed_lines(&bytes);
    let code = code_on_slip(&lines, "Код восстановления доступа");
    assert_code(&code);
    assert_eq!(
        lines,
        [
            "МФЦ Тест",
            RULE,
            "Код восстановления доступа",
            &code,
            &format!("Действует до {expires}"),
            "Окно 3, оператор ivanova",
            RULE,
            "Как восстановить доступ:",
            "1. Откройте gosuslugi.ru и нажмите \"Не удаётся",
            "войти\".",
            "2. Выберите \"Восстановить по коду из МФЦ\".",
            "3. Введите код и задайте новый пароль до",
            "окончания срока действия.",
            "Никому не сообщайте этот код.",
            "",
            "",
            "",
        ]
    );
    assert!(cut);
}

#[test]
fn printer_fault_is_shown_and_the_slip_reprinted() {
    operator_support::init_ui(false);
    let site = Site::new();
    let empty = FakeNetworkPrinter::start(FakeMode::PaperOut).expect("fake printer");
    let (f, _) = called_request(&site, RequestKind::ConfirmIdentity, &empty.uri());

    f.click("RequestPanel::passport-checked");
    f.click("RequestPanel::confirm");
    assert_eq!(
        f.text("RequestPanel::printer-fault"),
        "В принтере закончилась бумага. Вставьте новый рулон, закройте крышку и нажмите «Напечатать ещё раз»."
    );
    // Only status queries reached the empty printer: no slip was sent.
    let queried = empty
        .wait_idle(Duration::from_secs(10))
        .expect("the console asked for the status");
    assert_eq!(printed_lines(&queried), (Vec::new(), false));
    f.screenshot("printer-fault");

    // The operator loads paper: the printer answers ready and the same slip
    // prints.
    let loaded = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    f.printer.switch_to(&loaded.uri());
    f.click("RequestPanel::reprint");
    assert!(!f.is_shown("RequestPanel::printer-fault"));
    let bytes = loaded
        .wait_idle(Duration::from_secs(10))
        .expect("the slip reached the printer");
    let (lines, cut) = printed_lines(&bytes);
    assert_code(&code_on_slip(&lines, "Код подтверждения личности"));
    assert_eq!(lines.len(), 17);
    assert!(cut);
}

fn payload(ticket_id: uuid::Uuid, issued_at: Timestamp, key: &TicketQrKey) -> String {
    TicketQr {
        ticket_id,
        center: CenterCode::new("MFC-TEST").expect("a center code"),
        issued_at,
    }
    .encode(key)
}

#[test]
fn scanned_tickets_are_checked() {
    operator_support::init_ui(false);
    let site = Site::new();
    site.add_operator("ivanova");
    let kiosk = site.kiosk();
    let ticket = kiosk.ticket(
        ServiceCategory::IdentityConfirmation,
        false,
        Timestamp::now(),
    );
    kiosk.flush();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let f = site.console("console", 3, &printer.uri());
    f.log_in("ivanova", "3");
    f.sync_until("the ticket", |queue| queue.tickets.len() == 1);
    let now = Timestamp::now();
    let key = || site.ticket_key();

    let other_key = TicketQrKey::new(&[7; 32]).expect("a 32-byte key");
    f.type_line(&payload(ticket, now, &other_key));
    assert_eq!(
        f.text("QueuePanel::scan-error"),
        "Этот QR-код выдан не нашим центром или изменён. Не обслуживайте по нему: попросите у посетителя печатный талон и позовите старшего смены."
    );
    let altered = payload(ticket, now, &key()).replacen("MFC-TEST", "MFC-TEST2", 1);
    f.type_line(&altered);
    assert_eq!(
        f.text("QueuePanel::scan-error"),
        "Этот QR-код выдан не нашим центром или изменён. Не обслуживайте по нему: попросите у посетителя печатный талон и позовите старшего смены."
    );
    let yesterday = now
        .checked_sub(SignedDuration::from_hours(24))
        .expect("in range");
    f.type_line(&payload(ticket, yesterday, &key()));
    assert_eq!(
        f.text("QueuePanel::scan-error"),
        "Срок действия талона истёк: он выдан в другой день. Попросите посетителя взять новый талон в терминале."
    );
    let ahead = now
        .checked_add(SignedDuration::from_hours(1))
        .expect("in range");
    f.type_line(&payload(ticket, ahead, &key()));
    assert_eq!(
        f.text("QueuePanel::scan-error"),
        "Время выдачи талона позже текущего: часы терминала или этой консоли идут неверно. Обслужите посетителя по номеру талона и сообщите технику."
    );
    f.screenshot("scan-forged");
    assert_eq!(f.link.store().outbox_counts().expect("counts").acked, 0);

    // The genuine ticket is called to this window.
    f.type_line(&payload(ticket, now, &key()));
    assert!(!f.is_shown("QueuePanel::scan-error"));
    assert_eq!(f.text("QueuePanel::current-number"), "П-001");
    let queue = f.sync_until("the call on the server", |queue| {
        matches!(state_of(queue, ticket), TicketState::Called { .. })
    });
    assert_eq!(
        state_of(&queue, ticket),
        TicketState::Called {
            window: window(3),
            recalls: 0
        }
    );
}

#[test]
fn decision_after_another_window_shows_the_conflict() {
    operator_support::init_ui(false);
    let site = Site::new();
    site.add_operator("ivanova");
    site.add_operator("petrova");
    let kiosk = site.kiosk();
    let submitted = kiosk.request(RequestKind::ConfirmIdentity, None);
    kiosk.flush();
    let first_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let second_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let first = site.console("first", 3, &first_printer.uri());
    let second = site.console("second", 4, &second_printer.uri());
    let ticket = submitted.ticket.ticket_id;
    let has_request = |queue: &operator::backend::QueueSnapshot| {
        ConsoleFixture::ticket(queue, ticket).is_some_and(|ticket| ticket.request.is_some())
    };

    first.log_in("ivanova", "3");
    first.sync_until("the request at window 3", has_request);
    first.click("QueuePanel::call-next");
    assert_eq!(first.text("QueuePanel::current-number"), "П-001");

    // Window 4 opens the same request by its ticket QR and confirms first.
    second.log_in("petrova", "4");
    second.sync_until("the call of window 3", |queue| {
        matches!(state_of(queue, ticket), TicketState::Called { .. })
    });
    second.type_line(&payload(ticket, Timestamp::now(), &site.ticket_key()));
    second.click("RequestPanel::passport-checked");
    second.click("RequestPanel::confirm");
    assert!(
        second
            .text("RequestPanel::decision-result")
            .starts_with("Личность подтверждена."),
        "{}",
        second.text("RequestPanel::decision-result")
    );

    // Window 3 decides too late: the server's 409 is shown, nothing printed.
    first.click("RequestPanel::passport-checked");
    first.click("RequestPanel::confirm");
    assert_eq!(
        first.text("RequestPanel::decision-result"),
        "По этой заявке уже принято решение в другом окне (сейчас: Подтверждено). Ваше решение не сохранено, ничего не перезаписано."
    );
    first.screenshot("conflict");
    let counts = first.link.store().outbox_counts().expect("counts");
    assert_eq!((counts.pending, counts.failed, counts.acked), (0, 1, 1));
    assert_eq!(first_printer.connections(), 0);
    assert!(second_printer
        .wait_idle(Duration::from_secs(10))
        .is_some_and(|bytes| !bytes.is_empty()));
}
