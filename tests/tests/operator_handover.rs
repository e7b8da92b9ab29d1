//! A shift change with decisions still in the console's outbox, against a
//! real `sync-server` process. An operator confirms while the server is
//! down and logs out, and the next operator logs in once it is back. The
//! server must record each decision under the operator who made it.
//!
//! The testing backend's event loop can exist once per process, so this
//! file holds a single test.

mod operator_support;

use std::time::{Duration, Instant};

use domain::request::RequestKind;
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use operator_support::{printed_lines, ConsoleFixture, Site, DEADLINE};

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

/// Returns the login the server recorded as the decider of `request_id`,
/// read from the server's own SQLite file.
fn decided_by(site: &Site, request_id: uuid::Uuid) -> Option<String> {
    let db = rusqlite::Connection::open(&site.database).expect("open the server database");
    db.query_row(
        "SELECT o.login FROM requests r JOIN operators o ON o.id = r.decided_by
         WHERE r.id = ?1",
        [request_id.to_string()],
        |row| row.get(0),
    )
    .ok()
}

#[test]
fn queued_decision_keeps_its_operator_after_logout() {
    operator_support::init_ui(true);
    let mut site = Site::new();
    site.add_operator("ivanova");
    site.add_operator("petrova");
    let kiosk = site.kiosk();
    let first = kiosk.request(RequestKind::ConfirmIdentity, None);
    let second = kiosk.request(RequestKind::ConfirmIdentity, None);
    kiosk.flush();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let f = site.console("console", 3, &printer.uri());
    f.log_in("ivanova", "3");
    let worker = operator::worker::start(&f.console);
    wait_until(&f, "two tickets are listed", |f| {
        f.listed_numbers() == ["П-001", "П-002"]
    });

    // The server goes down; ivanova confirms the first request, which
    // waits in the outbox, and ends her shift.
    site.stop_server();
    wait_until(&f, "the offline banner shows", |f| {
        f.is_shown("WorkPage::offline-banner")
    });
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
    f.click("WorkPage::logout");
    assert_eq!(f.text("LoginPage::error"), "Вы вышли из системы.");
    assert_eq!(f.link.store().outbox_counts().expect("counts").pending, 4);

    // The server is back: ivanova's four events go out in her session
    // while no operator is logged in, and her code slip prints.
    site.restart_server();
    wait_until(&f, "ivanova's events are delivered", |f| {
        f.link.store().outbox_counts().expect("counts").pending == 0
    });
    assert_eq!(
        decided_by(&site, first.request_id).as_deref(),
        Some("ivanova")
    );
    let deadline = Instant::now() + DEADLINE;
    let lines = loop {
        let (lines, _) = printed_lines(&printer.recorded());
        if lines
            .iter()
            .any(|line| line.trim() == "Окно 3, оператор ivanova")
        {
            break lines;
        }
        assert!(
            Instant::now() < deadline,
            "no code slip for ivanova printed"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(lines
        .iter()
        .any(|line| line.trim() == "Код подтверждения личности"));

    // petrova takes the window and decides the second request herself.
    f.log_in("petrova", "3");
    wait_until(&f, "the second ticket is listed", |f| {
        f.listed_numbers() == ["П-002"]
    });
    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "П-002");
    f.click("RequestPanel::passport-checked");
    f.click("RequestPanel::confirm");
    assert!(
        f.text("RequestPanel::decision-result")
            .starts_with("Личность подтверждена."),
        "{}",
        f.text("RequestPanel::decision-result")
    );
    assert_eq!(
        decided_by(&site, second.request_id).as_deref(),
        Some("petrova")
    );
    assert_eq!(
        decided_by(&site, first.request_id).as_deref(),
        Some("ivanova")
    );
    let counts = f.link.store().outbox_counts().expect("counts");
    assert_eq!((counts.pending, counts.failed, counts.acked), (0, 0, 6));
    f.screenshot("handover");
    worker.stop();
}
