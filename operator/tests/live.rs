//! The background worker with a running event loop: queue updates pushed
//! without a refresh, the offline banner, and decisions queued offline and
//! delivered once when the link returns.
//!
//! The testing backend's event loop can exist once per process, so this
//! file contains a single test that walks through the whole story.

mod support;

use std::time::{Duration, Instant};

use domain::request::RequestState;
use domain::sync::EventKind;
use domain::ticket::{Priority, ServiceCategory};
use operator::printer::Slip;
use operator::ui::AppAdapter;
use slint::ComponentHandle;
use support::{fixture, Fixture};

/// Runs the event loop until `done` holds, failing after five seconds.
fn wait_until(f: &Fixture, what: &str, done: impl Fn(&Fixture) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
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
        std::thread::yield_now();
    }
}

fn listed_numbers(f: &Fixture) -> Vec<String> {
    f.elements("TicketListRow::row-number")
        .iter()
        .map(|row| row.accessible_label().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn worker_live_queue_and_offline_delivery() {
    i_slint_backend_testing::init_integration_test_with_mock_time();
    let f = fixture();
    f.add_ticket(
        ServiceCategory::IdentityConfirmation,
        1,
        10,
        Priority::Regular,
        Some("confirm_identity"),
    );
    f.log_in();
    let worker = operator::worker::start(&f.console);

    // The first long-poll brings the queue; a ticket issued later appears
    // without any refresh.
    wait_until(&f, "the first ticket is listed", |f| {
        listed_numbers(f) == ["П-001"]
    });
    let second = f.add_ticket(
        ServiceCategory::IdentityConfirmation,
        2,
        2,
        Priority::Regular,
        Some("confirm_identity"),
    );
    wait_until(&f, "the second ticket is listed", |f| {
        listed_numbers(f) == ["П-001", "П-002"]
    });

    // The link drops: the banner shows and the queue stays.
    f.backend.set_online(false);
    wait_until(&f, "the offline banner shows", |f| {
        f.is_shown("WorkPage::offline-banner")
    });
    assert_eq!(
        f.text("WorkPage::offline-banner"),
        "Нет связи с сервером. Очередь показана на момент потери связи; ваши действия и решения сохраняются на пульте и будут отправлены, когда связь восстановится."
    );
    assert_eq!(listed_numbers(&f), ["П-001", "П-002"]);

    // Calling and confirming offline: both wait in the outbox.
    f.backend.next_code("Q5ZR8N");
    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "П-001");
    f.click("RequestPanel::passport-checked");
    f.click("RequestPanel::confirm");
    assert_eq!(
        f.text("RequestPanel::decision-result"),
        "Нет связи: решение сохранено на пульте и будет отправлено, когда сервер ответит. Чек с кодом печатается только после этого, чек об отказе — сразу."
    );
    assert_eq!(
        f.console
            .window()
            .global::<AppAdapter>()
            .get_pending_events(),
        2
    );
    assert_eq!(f.text("WorkPage::header-pending"), "Не отправлено: 2");
    assert!(f.printer.printed().is_empty());

    // The link returns: the worker delivers both, in order, and the code
    // slip is printed then.
    f.backend.set_online(true);
    wait_until(&f, "the queued decision is delivered", |f| {
        f.is_shown("WorkPage::delivered-banner")
    });
    wait_until(&f, "the banner clears", |f| {
        !f.is_shown("WorkPage::offline-banner")
    });
    assert_eq!(
        f.text("WorkPage::delivered-banner"),
        "Сохранённое решение по талону П-001 доставлено на сервер, чек напечатан."
    );
    let kinds: Vec<&str> = f
        .backend
        .stored_events()
        .iter()
        .map(|event| event.kind.name())
        .collect();
    assert_eq!(kinds, ["ticket_called", "decision_confirm"]);
    assert!(f.outbox_is_empty());
    let printed = f.printer.printed();
    assert_eq!(printed.len(), 1);
    let Slip::Confirmation(slip) = &printed[0] else {
        panic!("the printed slip is not a confirmation");
    };
    assert_eq!(slip.code, "Q5ZR8N");
    assert_eq!(slip.ticket, "П-001");

    // Later rounds send nothing again.
    let third = f.add_ticket(
        ServiceCategory::IdentityConfirmation,
        3,
        1,
        Priority::Regular,
        None,
    );
    wait_until(&f, "the third ticket is listed", |f| {
        listed_numbers(f) == ["П-002", "П-003"]
    });
    let decisions = f
        .backend
        .stored_events()
        .iter()
        .filter(|event| matches!(event.kind, EventKind::DecisionConfirm(_)))
        .count();
    assert_eq!(decisions, 1);
    let request = f
        .backend
        .stored_events()
        .iter()
        .find_map(|event| match &event.kind {
            EventKind::DecisionConfirm(decision) => Some(decision.request_id),
            _ => None,
        })
        .expect("a confirm decision");
    assert_eq!(
        f.backend.request_state(request),
        Some(RequestState::Confirmed)
    );
    assert_ne!(second.id, third.id);

    worker.stop();
}
