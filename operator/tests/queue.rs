//! The queue list and every action on the ticket at the window, through
//! the window's buttons; the stand-in server checks each event with the
//! domain ticket state machine.

mod support;

use domain::sync::EventKind;
use domain::ticket::{Priority, RedirectTarget, ServiceCategory, TicketState, WindowNumber};
use operator::ui::QueueAdapter;
use slint::{ComponentHandle, Model};
use support::{fixture, Fixture};

use ServiceCategory::{IdentityConfirmation, OtherServices, RestoreAccess};

fn window(number: u16) -> WindowNumber {
    WindowNumber::new(number).expect("a window number above zero")
}

fn listed_numbers(f: &Fixture) -> Vec<String> {
    f.elements("TicketListRow::row-number")
        .iter()
        .map(|row| row.accessible_label().unwrap_or_default().to_string())
        .collect()
}

/// A console logged in at window 3 with four waiting tickets.
fn hall() -> (Fixture, Vec<uuid::Uuid>) {
    let f = fixture();
    let ids = vec![
        f.add_ticket(
            IdentityConfirmation,
            1,
            30,
            Priority::Regular,
            Some("confirm_identity"),
        )
        .id,
        f.add_ticket(
            IdentityConfirmation,
            2,
            12,
            Priority::Preferential,
            Some("confirm_identity"),
        )
        .id,
        f.add_ticket(
            RestoreAccess,
            1,
            40,
            Priority::Regular,
            Some("restore_access"),
        )
        .id,
        f.add_ticket(OtherServices, 1, 50, Priority::Regular, None)
            .id,
    ];
    f.log_in();
    f.sync_queue();
    (f, ids)
}

#[test]
fn list_shows_window_services_in_call_order() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, _) = hall();

    // Preferential first, then the oldest; «Другие услуги» is not served here.
    assert_eq!(listed_numbers(&f), ["П-002", "В-001", "П-001"]);
    assert_eq!(f.text("QueuePanel::current-number"), "Талон не вызван");
}

#[test]
fn waiting_time_highlighted_past_fifteen_minutes() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    f.add_ticket(IdentityConfirmation, 1, 15, Priority::Regular, None);
    f.add_ticket(IdentityConfirmation, 2, 16, Priority::Regular, None);
    f.log_in();
    f.sync_queue();

    let rows = f.console.window().global::<QueueAdapter>().get_tickets();
    let rows: Vec<_> = rows.iter().collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].number, "П-002");
    assert_eq!(rows[0].waited_minutes, 16);
    assert!(rows[0].overdue);
    assert_eq!(rows[1].waited_minutes, 15);
    assert!(!rows[1].overdue, "exactly 15 minutes is within the limit");
    let labels: Vec<String> = f
        .elements("TicketListRow::row-waited-text")
        .iter()
        .map(|text| text.accessible_label().unwrap_or_default().to_string())
        .collect();
    assert_eq!(labels, ["16 мин", "15 мин"]);
}

#[test]
fn call_next_takes_priority_then_oldest() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();

    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "П-002");
    assert_eq!(
        f.backend.ticket_state(ids[1]),
        Some(TicketState::Called {
            window: window(3),
            recalls: 0
        })
    );
    assert_eq!(listed_numbers(&f), ["В-001", "П-001"]);

    f.click("QueuePanel::start");
    f.click("QueuePanel::done");
    f.click("QueuePanel::call-next");
    assert_eq!(f.text("QueuePanel::current-number"), "В-001");
}

#[test]
fn call_next_on_empty_queue_says_so() {
    i_slint_backend_testing::init_no_event_loop();
    let f = fixture();
    f.log_in();

    f.click("QueuePanel::call-next");

    assert_eq!(
        f.text("QueuePanel::queue-notice"),
        "По вашим услугам никто не ожидает."
    );
    assert!(f.backend.stored_events().is_empty());
}

#[test]
fn recall_keeps_ticket_called() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();
    f.click("QueuePanel::call-next");

    f.click("QueuePanel::recall");

    assert_eq!(
        f.backend.ticket_state(ids[1]),
        Some(TicketState::Called {
            window: window(3),
            recalls: 1
        })
    );
    assert_eq!(
        f.text("QueuePanel::current-status"),
        "Подтверждение личности · вызван, ожидаем посетителя"
    );
}

#[test]
fn start_and_done_finish_visit() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();
    f.click("QueuePanel::call-next");

    f.click("QueuePanel::start");
    assert_eq!(
        f.backend.ticket_state(ids[1]),
        Some(TicketState::Serving { window: window(3) })
    );
    assert_eq!(
        f.text("QueuePanel::current-status"),
        "Подтверждение личности · посетитель у окна"
    );

    f.click("QueuePanel::done");
    assert_eq!(f.backend.ticket_state(ids[1]), Some(TicketState::Done));
    assert_eq!(f.text("QueuePanel::current-number"), "Талон не вызван");
}

#[test]
fn no_show_ends_ticket_and_closes_request() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();
    f.click("QueuePanel::call-next");
    assert!(f.is_shown("RequestPanel::confirm"));

    f.click("QueuePanel::no-show");

    assert_eq!(f.backend.ticket_state(ids[1]), Some(TicketState::NoShow));
    assert!(
        !f.is_shown("RequestPanel::confirm"),
        "the request of a no-show stays open"
    );
}

#[test]
fn postpone_sends_back_after_chosen_count() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();
    f.click("QueuePanel::call-next");
    // The spin box starts at 3; one step down leaves 2.
    f.element("QueuePanel::postpone-count")
        .invoke_accessible_decrement_action();

    f.click("QueuePanel::postpone");

    assert_eq!(
        f.backend.ticket_state(ids[1]),
        Some(TicketState::Postponed { remaining: 2 })
    );
    let stored = f.backend.stored_events();
    let Some(EventKind::TicketPostponed(postponed)) = stored.last().map(|event| &event.kind) else {
        panic!("the last event is not a postponement");
    };
    assert_eq!(postponed.after, 2);
    assert_eq!(listed_numbers(&f), ["В-001", "П-001", "П-002"]);
}

#[test]
fn redirect_to_window() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();
    f.click("QueuePanel::call-next");

    f.fill("QueuePanel::redirect-window-input", "7");
    f.click("QueuePanel::redirect-window");

    assert_eq!(
        f.backend.ticket_state(ids[1]),
        Some(TicketState::Redirected {
            to: RedirectTarget::Window(window(7))
        })
    );
    assert_eq!(f.text("QueuePanel::current-number"), "Талон не вызван");
}

#[test]
fn redirect_to_own_window_is_refused() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();
    f.click("QueuePanel::call-next");

    f.fill("QueuePanel::redirect-window-input", "3");
    f.click("QueuePanel::redirect-window");

    assert_eq!(
        f.text("QueuePanel::queue-notice"),
        "Введите номер другого окна — от 1 до 999, кроме вашего."
    );
    assert_eq!(
        f.backend.ticket_state(ids[1]),
        Some(TicketState::Called {
            window: window(3),
            recalls: 0
        })
    );
}

#[test]
fn redirect_to_service() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();
    f.click("QueuePanel::call-next");

    // «Другие услуги» is the fourth service in the list.
    f.console
        .window()
        .global::<QueueAdapter>()
        .set_redirect_service_index(3);
    f.click("QueuePanel::redirect-service");

    assert_eq!(
        f.backend.ticket_state(ids[1]),
        Some(TicketState::Redirected {
            to: RedirectTarget::Service(OtherServices)
        })
    );
}

#[test]
fn picking_from_list_calls_that_ticket() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();

    let rows = f.elements("QueuePanel::ticket-row");
    assert_eq!(rows.len(), 3);
    rows[2].invoke_accessible_default_action();

    assert_eq!(f.text("QueuePanel::current-number"), "П-001");
    assert_eq!(
        f.backend.ticket_state(ids[0]),
        Some(TicketState::Called {
            window: window(3),
            recalls: 0
        })
    );
    assert!(f.is_shown("RequestPanel::confirm"));
}

#[test]
fn action_taken_elsewhere_is_shown() {
    i_slint_backend_testing::init_no_event_loop();
    let (f, ids) = hall();
    f.click("QueuePanel::call-next");
    // Another console finishes the same ticket behind this one's back.
    let other = operator::backend::Backend::log_in(&f.backend, support::LOGIN, support::PASSWORD)
        .expect("the operator logs in at a second console");
    for kind in [
        EventKind::TicketStarted(domain::sync::TicketRef { ticket_id: ids[1] }),
        EventKind::TicketDone(domain::sync::TicketRef { ticket_id: ids[1] }),
    ] {
        let event = domain::sync::EventEnvelope {
            id: uuid::Uuid::now_v7(),
            occurred_at: support::start(),
            kind,
        };
        operator::backend::Backend::push(&f.backend, &other.session, &event)
            .expect("the second console's event");
    }

    f.click("QueuePanel::start");

    assert_eq!(
        f.text("QueuePanel::queue-notice"),
        "Сервер отклонил действие: талон уже в состоянии «Обслужен»"
    );
}
