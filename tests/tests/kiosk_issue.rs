//! The kiosk with its real parts: a provisioned data directory with a real
//! SQLite store, a real `sync-server` process on loopback, and a fake TCP
//! printer on 127.0.0.1 whose bytes are decoded here, apart from the
//! encoder. The visitor's side is driven by element id through Slint's
//! testing backend.

mod kiosk_support;

use std::sync::Arc;

use domain::clock::{Clock, ManualClock};
use domain::sync::EventKind;
use domain::ticket::ServiceCategory;
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use kiosk::station_issuer::TicketSigner;
use kiosk_support::*;
use slint::ComponentHandle;
use station::store::OutboxStatus;
use station::{Credentials, Store};

/// The clock of a test: now, to the second, so the printed time is known.
fn clock() -> Arc<ManualClock> {
    let now = Timestamp::from_second(Timestamp::now().as_second()).expect("now in range");
    Arc::new(ManualClock::new(now))
}

fn today() -> jiff::civil::Date {
    TimeZone::UTC.to_datetime(Timestamp::now()).date()
}

/// Waits until the kiosk holds leased numbers in every category.
fn wait_for_leases(store: &Store) {
    wait_until("ticket number leases", || {
        ServiceCategory::ALL
            .iter()
            .all(|category| store.remaining_numbers(*category, today()).unwrap_or(0) > 0)
    });
}

#[test]
fn registration_commits_prints_and_syncs() {
    set_platform();
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    site.provision(&server);
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let config = site.config(&printer.uri());
    let clock = clock();
    let kiosk = open_kiosk(&config, clock.clone());
    wait_for_leases(kiosk.store());

    register_maria(&kiosk);
    // No reader is configured, so the review follows the last step.
    tap(&kiosk, "ReviewPage::confirm");
    assert_eq!(text(&kiosk, "TicketPage::number"), "Р-001");
    let adapter = kiosk.kiosk().window().global::<ui::TicketAdapter>();
    assert!(adapter.get_printed());

    // The printer got exactly this ticket.
    let bytes = printer
        .wait_idle(DEADLINE)
        .expect("the printer connection closes");
    let printed = decode_escpos(&bytes);
    let issued = TimeZone::UTC
        .to_datetime(clock.now())
        .strftime("%d.%m.%Y %H:%M")
        .to_string();
    assert_eq!(
        printed.lines,
        vec![
            "МФЦ Тест".to_owned(),
            "-".repeat(48),
            "Ваш номер в очереди".to_owned(),
            "Р-001".to_owned(),
            "Регистрация на Госуслугах".to_owned(),
            issued,
            "-".repeat(48),
            "Перед вами никого нет".to_owned(),
            "Примерное ожидание: 5 мин.".to_owned(),
            "Ожидайте вызова номера на табло.".to_owned(),
            "Сохраните талон до конца приёма.".to_owned(),
        ]
    );
    assert_eq!(printed.cuts, 1);
    let credentials = Credentials::load(&site.data_dir).expect("credentials");
    let signer = TicketSigner::from_credentials(
        &credentials,
        Some(domain::ticket_qr::CenterCode::new("MFC-77-014").expect("center code")),
    )
    .expect("signer");
    assert_eq!(printed.qr_payloads.len(), 1);
    let payload = &printed.qr_payloads[0];
    assert!(payload.starts_with("OKNO1."), "{payload}");
    assert!(payload.contains(".MFC-77-014."), "{payload}");
    // The screen shows the same QR code.
    assert_eq!(decode_screen_qr(&adapter.get_qr()), *payload);

    // The request and its ticket reach the server, and the kiosk then
    // erases the visitor's data from its file.
    wait_until("the outbox to drain", || {
        kiosk.sync_status().outbox_pending == 0
    });
    let connection = rusqlite::Connection::open(kiosk.store().path()).expect("open the store file");
    let (request_kind, visitor_kept): (String, bool) = connection
        .query_row(
            "SELECT request_kind, visitor IS NOT NULL FROM requests",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("one request row");
    assert_eq!(request_kind, "register");
    assert!(!visitor_kept, "acknowledged visitor data must be purged");
    let (ticket_id, number): (String, String) = connection
        .query_row("SELECT ticket_id, number FROM tickets", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .expect("one ticket row");
    assert_eq!(number, "Р-001");
    let ticket_id: uuid::Uuid = ticket_id.parse().expect("ticket id");
    assert_eq!(*payload, signer.payload(ticket_id, clock.now()));
    let acked = kiosk
        .store()
        .outbox_entries(OutboxStatus::Acked)
        .expect("acked entries");
    let kinds: Vec<&str> = acked.iter().map(|entry| entry.kind.as_str()).collect();
    assert_eq!(kinds, ["ticket_issued", "request_submitted"]);
    drop(server);
}

#[test]
fn paper_out_shows_number_and_qr_and_raises_alert() {
    set_platform();
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    site.provision(&server);
    let printer = FakeNetworkPrinter::start(FakeMode::PaperOut).expect("fake printer");
    let config = site.config(&printer.uri());
    let kiosk = open_kiosk(&config, clock());
    wait_for_leases(kiosk.store());
    // Offline from here, so the alert stays in the outbox to be read.
    server.kill();

    tap(&kiosk, "AttractPage::start");
    tap(&kiosk, "ChoosePage::ticket");
    tap(&kiosk, "CategoriesPage::property-category");

    assert_eq!(text(&kiosk, "TicketPage::number"), "У-001");
    let adapter = kiosk.kiosk().window().global::<ui::TicketAdapter>();
    assert!(!adapter.get_printed());
    assert_eq!(
        text(&kiosk, "TicketPage::printed"),
        "Талон не удалось напечатать. Запомните или сфотографируйте номер и ожидайте его на табло в зале."
    );
    let on_screen = decode_screen_qr(&adapter.get_qr());
    assert!(on_screen.starts_with("OKNO1."), "{on_screen}");

    // Only status queries reached the printer: the job was not sent.
    let bytes = printer
        .wait_idle(DEADLINE)
        .expect("the printer connection closes");
    assert_eq!(
        bytes,
        [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]
    );

    let events = kiosk.store().pending_events(100).expect("pending events");
    let kinds: Vec<&str> = events
        .iter()
        .map(|event| event.envelope.kind.name())
        .collect();
    assert_eq!(kinds, ["ticket_issued", "device_alert"]);
    let EventKind::DeviceAlert(alert) = &events[1].envelope.kind else {
        unreachable!("checked above");
    };
    assert_eq!(alert.code, "printer.paper_out");
    assert_eq!(
        alert.detail,
        format!(
            "printer {} is not ready (paper out); the job was not sent",
            printer.uri()
        )
    );
    let EventKind::TicketIssued(issued) = &events[0].envelope.kind else {
        unreachable!("checked above");
    };
    assert_eq!(issued.number.to_string(), "У-001");
}

#[test]
fn offline_issuance_survives_restart_and_syncs_later() {
    set_platform();
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    let address = server.address;
    site.provision(&server);
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let config = site.config(&printer.uri());
    let clock = clock();
    let kiosk = open_kiosk(&config, clock.clone());
    wait_for_leases(kiosk.store());
    server.kill();

    // Two plain tickets and a registration while the server is down.
    let mut numbers = Vec::new();
    for category in [
        "CategoriesPage::passport-category",
        "CategoriesPage::social-category",
    ] {
        tap(&kiosk, "AttractPage::start");
        tap(&kiosk, "ChoosePage::ticket");
        tap(&kiosk, category);
        numbers.push(text(&kiosk, "TicketPage::number"));
        tap(&kiosk, "TicketPage::finish");
    }
    register_maria(&kiosk);
    tap(&kiosk, "ReviewPage::confirm");
    numbers.push(text(&kiosk, "TicketPage::number"));
    assert_eq!(numbers, ["У-001", "У-002", "Р-001"]);
    let pending: Vec<uuid::Uuid> = kiosk
        .store()
        .pending_events(100)
        .expect("pending")
        .iter()
        .map(|event| event.envelope.id)
        .collect();
    assert_eq!(pending.len(), 4);

    // The request carries the visitor's data in the server's formats.
    let events = kiosk.store().pending_events(100).expect("pending");
    let visitor = events
        .iter()
        .find_map(|event| match &event.envelope.kind {
            EventKind::RequestSubmitted(request) => Some(request.visitor.clone()),
            _ => None,
        })
        .expect("a request_submitted event");
    assert_eq!(visitor.surname, "Иванова");
    assert_eq!(visitor.patronymic.as_deref(), Some("Петровна"));
    assert_eq!(visitor.birth_date.to_string(), "1958-03-07");
    assert_eq!(visitor.passport_number, "4510 123456");
    assert_eq!(visitor.passport_issue_date.to_string(), "2003-04-15");
    assert_eq!(visitor.passport_issuer, "ОТДЕЛОМ УФМС РОССИИ");
    assert_eq!(visitor.division_code, "770-001");
    assert_eq!(visitor.snils, "112-233-445 95");
    assert_eq!(visitor.phone, "+79123456789");
    assert_eq!(visitor.email.as_deref(), Some("maria.ivanova@mail.ru"));

    // The kiosk stops (its window and sync service go) and starts again
    // with the same file: the outbox is intact.
    drop(kiosk);
    let kiosk = open_kiosk(&config, clock);
    let after: Vec<uuid::Uuid> = kiosk
        .store()
        .pending_events(100)
        .expect("pending")
        .iter()
        .map(|event| event.envelope.id)
        .collect();
    assert_eq!(after, pending);

    // The server comes back on the same address and takes every event.
    let server = Server::start(&site.database, &address.to_string());
    wait_until("the outbox to drain", || {
        let status = kiosk.sync_status();
        status.outbox_pending == 0 && status.outbox_failed == 0
    });
    let acked = kiosk
        .store()
        .outbox_entries(OutboxStatus::Acked)
        .expect("acked");
    assert_eq!(acked.len(), 4);
    // The next ticket after the sync takes the next number of the block.
    tap(&kiosk, "AttractPage::start");
    tap(&kiosk, "ChoosePage::ticket");
    tap(&kiosk, "CategoriesPage::other-category");
    assert_eq!(text(&kiosk, "TicketPage::number"), "У-003");
    drop(server);
}

#[test]
fn no_leased_numbers_offline_says_so_and_keeps_the_values() {
    set_platform();
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    site.provision(&server);
    // The server goes before the kiosk ever leased a number.
    server.kill();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let config = site.config(&printer.uri());
    let kiosk = open_kiosk(&config, clock());

    tap(&kiosk, "AttractPage::start");
    tap(&kiosk, "ChoosePage::ticket");
    tap(&kiosk, "CategoriesPage::social-category");
    assert_eq!(
        text(&kiosk, "CategoriesPage::no-numbers-error"),
        "Талоны закончились: у киоска нет связи с сервером. Попробуйте ещё раз через несколько минут или обратитесь к консультанту в зале."
    );
    tap(&kiosk, "TopBar::cancel-button");

    register_maria(&kiosk);
    tap(&kiosk, "ReviewPage::confirm");
    assert_eq!(
        text(&kiosk, "ReviewPage::issue-error"),
        "Талоны закончились: у киоска нет связи с сервером. Ваши данные сохранены на экране; попробуйте ещё раз через несколько минут или обратитесь к консультанту в зале."
    );
    // The visitor's values are still on the review screen to try again.
    let rows = kiosk
        .kiosk()
        .window()
        .global::<ui::ReviewAdapter>()
        .get_rows();
    assert_eq!(slint::Model::row_count(&rows), 11);
    assert_eq!(
        slint::Model::row_data(&rows, 0).map(|row| row.value.to_string()),
        Some("Иванова".to_owned())
    );

    // Nothing was stored and nothing printed.
    assert_eq!(kiosk.store().pending_events(100).expect("pending").len(), 0);
    assert_eq!(printer.connections(), 0);
}
