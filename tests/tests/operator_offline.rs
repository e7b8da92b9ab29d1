//! The console's background worker against a real `sync-server` process:
//! tickets appear by long-poll without a refresh, the offline banner shows
//! when the server is killed, decisions made meanwhile wait in the SQLite
//! outbox, and when the server is back each is delivered and stored once.
//!
//! The testing backend's event loop can exist once per process, so this
//! file holds a single test that walks through the whole story.

mod operator_support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use domain::request::RequestKind;
use domain::ticket::ServiceCategory;
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use operator::ui::AppAdapter;
use operator_support::{printed_lines, ConsoleFixture, Site, DEADLINE};
use slint::ComponentHandle;
use station::store::OutboxStatus;

/// Runs the event loop until `done` holds, for at most [`DEADLINE`].
fn wait_until(f: &ConsoleFixture, what: &str, done: impl Fn(&ConsoleFixture) -> bool) {
    let deadline = Instant::now() + DEADLINE;
    loop {
        slint::invoke_from_event_loop(|| {
            let _ = slint::quit_event_loop();
        })
        .expect("the event loop accepts work");
        slint::run_event_loop().expect("the event loop runs");
        if done(f) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn live_queue_offline_decisions_delivered_once() {
    operator_support::init_ui(true);
    let mut site = Site::new();
    site.add_operator("ivanova");
    let kiosk = site.kiosk();
    let confirmed = kiosk.request(RequestKind::ConfirmIdentity, None);
    let rejected = kiosk.request(RequestKind::ConfirmIdentity, None);
    kiosk.flush();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let f = site.console("console", 3, &printer.uri());
    f.log_in("ivanova", "3");
    let worker = operator::worker::start(&f.console);

    // The long-poll brings the queue, and a ticket issued later appears
    // without any refresh.
    wait_until(&f, "two tickets are listed", |f| {
        f.listed_numbers() == ["П-001", "П-002"]
    });
    kiosk.ticket(
        ServiceCategory::RestoreAccess,
        false,
        jiff::Timestamp::now(),
    );
    kiosk.flush();
    wait_until(&f, "the third ticket is listed", |f| {
        f.listed_numbers() == ["П-001", "П-002", "В-001"]
    });

    // The server dies: the banner shows and the queue stays.
    site.stop_server();
    wait_until(&f, "the offline banner shows", |f| {
        f.is_shown("WorkPage::offline-banner")
    });
    assert_eq!(
        f.text("WorkPage::offline-banner"),
        "Нет связи с сервером. Очередь показана на момент потери связи; ваши действия и решения сохраняются на пульте и будут отправлены, когда связь восстановится."
    );
    assert_eq!(f.listed_numbers(), ["П-001", "П-002", "В-001"]);

    // Offline: call and confirm the first, call and reject the second.
    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "П-001");
    f.click("RequestPanel::passport-checked");
    f.click("RequestPanel::confirm");
    assert_eq!(
        f.text("RequestPanel::decision-result"),
        "Нет связи: решение сохранено на пульте и будет отправлено, когда сервер ответит. Чек с кодом печатается только после этого, чек об отказе — сразу."
    );
    f.click("QueuePanel::start");
    f.click("QueuePanel::done");
    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "П-002");
    f.fill("RequestPanel::reject-comment", "Паспорт просрочен");
    f.click("RequestPanel::reject");
    let rejection = printer
        .wait_idle(Duration::from_secs(10))
        .expect("the rejection slip prints at once");
    assert!(printed_lines(&rejection)
        .0
        .iter()
        .any(|line| line.contains("Личность не подтверждена")));
    assert_eq!(
        f.console
            .window()
            .global::<AppAdapter>()
            .get_pending_events(),
        6
    );
    assert_eq!(f.text("WorkPage::header-pending"), "Не отправлено: 6");
    f.screenshot("offline");

    // The server is back: the worker sends the outbox in order, the code
    // slip prints then, and the banner clears.
    site.restart_server();
    wait_until(&f, "the queued decision is delivered", |f| {
        f.is_shown("WorkPage::delivered-banner")
    });
    wait_until(&f, "the offline banner clears", |f| {
        !f.is_shown("WorkPage::offline-banner")
    });
    assert_eq!(
        f.text("WorkPage::delivered-banner"),
        "Сохранённое решение по талону П-001 доставлено на сервер, чек напечатан."
    );
    let counts = f.link.store().outbox_counts().expect("counts");
    assert_eq!((counts.pending, counts.failed, counts.acked), (0, 0, 6));
    let deadline = Instant::now() + DEADLINE;
    let lines = loop {
        let (lines, _) = printed_lines(&printer.recorded());
        if lines
            .iter()
            .any(|line| line.trim() == "Код подтверждения личности")
        {
            break lines;
        }
        assert!(Instant::now() < deadline, "no code slip printed");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(
        lines
            .iter()
            .filter(|line| line.trim() == "Код подтверждения личности")
            .count(),
        1
    );
    f.screenshot("delivered");
    worker.stop();

    // Each event the console recorded is stored once on the server: an
    // observer console pulls every change from the start.
    let ours: Vec<uuid::Uuid> = f
        .link
        .store()
        .outbox_entries(OutboxStatus::Acked)
        .expect("entries")
        .iter()
        .map(|entry| entry.event_id)
        .collect();
    assert_eq!(ours.len(), 6);
    let (_, observer) = site.provision("operator", "observer");
    let client = station::client::SyncClient::new(&observer).expect("client");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let page = runtime
        .block_on(client.pull(0, 1000, 0))
        .expect("the observer pulls");
    assert!(!page.more);
    let mut stored: HashMap<uuid::Uuid, usize> = HashMap::new();
    for change in &page.changes {
        *stored.entry(change.event.id).or_default() += 1;
    }
    for id in &ours {
        assert_eq!(
            stored.get(id),
            Some(&1),
            "event {id} stored {:?} times",
            stored.get(id)
        );
    }
    let kinds: Vec<&str> = page
        .changes
        .iter()
        .filter(|change| ours.contains(&change.event.id))
        .map(|change| change.event.kind.name())
        .collect();
    assert_eq!(
        kinds,
        [
            "ticket_called",
            "decision_confirm",
            "ticket_started",
            "ticket_done",
            "ticket_called",
            "decision_reject"
        ]
    );
    let _ = (confirmed, rejected);
}
