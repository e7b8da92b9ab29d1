//! The queue: the live list of waiting tickets, the ticket at this window
//! and the actions on it.
//!
//! The call order is `domain::ticket::next_to_call`, and every action is
//! checked with the ticket state machine before it is recorded; the server
//! checks it again and wins on a conflict.

use std::rc::Rc;

use domain::sync::{EventKind, TicketCalled, TicketPostponed, TicketRedirected, TicketRef};
use domain::ticket::{
    next_to_call, QueueEntry, RedirectTarget, ServiceCategory, TicketAction, TicketState,
    WindowNumber,
};
use domain::Lang;
use jiff::SignedDuration;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use uuid::Uuid;

use crate::app::State;
use crate::backend::QueueSnapshot;
use crate::controllers::request;
use crate::delivery::{self, Sent};
use crate::ui::{AppWindow, CurrentStatus, QueueAdapter, QueueNotice, TicketRow};

/// Waiting longer than this is highlighted: the regulatory limit.
const WAIT_LIMIT: SignedDuration = SignedDuration::from_mins(15);

/// Connects the queue callbacks.
pub(crate) fn setup(window: &AppWindow, state: &Rc<State>) {
    let adapter = window.global::<QueueAdapter>();
    let services: Vec<SharedString> = ServiceCategory::ALL
        .into_iter()
        .map(|category| category.name(Lang::Ru).into())
        .collect();
    adapter.set_services(ModelRc::new(VecModel::from(services)));

    let on = |action: fn(&State)| {
        let weak = Rc::downgrade(state);
        move || {
            if let Some(state) = weak.upgrade() {
                action(&state);
            }
        }
    };
    adapter.on_call_next(on(call_next));
    adapter.on_recall(on(|state| act_on_current(state, TicketAction::Recall)));
    adapter.on_start(on(|state| {
        act_on_current(state, TicketAction::StartServing)
    }));
    adapter.on_no_show(on(|state| act_on_current(state, TicketAction::MarkNoShow)));
    adapter.on_done(on(|state| act_on_current(state, TicketAction::Finish)));

    let weak = Rc::downgrade(state);
    adapter.on_postpone(move |after| {
        if let Some(state) = weak.upgrade() {
            let after = u16::try_from(after.clamp(1, 999)).unwrap_or(1);
            act_on_current(&state, TicketAction::Postpone { after });
        }
    });
    let weak = Rc::downgrade(state);
    adapter.on_redirect_to_window(move |text| {
        if let Some(state) = weak.upgrade() {
            redirect_to_window(&state, &text);
        }
    });
    let weak = Rc::downgrade(state);
    adapter.on_redirect_to_service(move |index| {
        if let Some(state) = weak.upgrade() {
            let category = usize::try_from(index)
                .ok()
                .and_then(|index| ServiceCategory::ALL.get(index).copied());
            match category {
                Some(category) => act_on_current(
                    &state,
                    TicketAction::Redirect {
                        to: RedirectTarget::Service(category),
                    },
                ),
                None => notice(&state, QueueNotice::NotAllowed, ""),
            }
        }
    });
    let weak = Rc::downgrade(state);
    adapter.on_open_ticket(move |id| {
        if let Some(state) = weak.upgrade() {
            if let Ok(id) = Uuid::parse_str(&id) {
                open_ticket(&state, id);
            }
        }
    });
}

/// Replaces the queue with the server's and redraws it.
pub(crate) fn apply_snapshot(state: &State, snapshot: QueueSnapshot) {
    *state.queue.borrow_mut() = snapshot;
    render(state);
}

fn my_window(state: &State) -> Option<WindowNumber> {
    state
        .session
        .borrow()
        .as_ref()
        .map(|session| session.window)
}

/// Returns the ticket called to or served at this window.
pub(crate) fn current_ticket(state: &State) -> Option<(Uuid, QueueEntry)> {
    let window = my_window(state)?;
    state
        .queue
        .borrow()
        .tickets
        .iter()
        .find_map(|ticket| match ticket.entry.state {
            TicketState::Called { window: at, .. } | TicketState::Serving { window: at }
                if at == window =>
            {
                Some((ticket.id, ticket.entry))
            }
            _ => None,
        })
}

/// Returns the waiting tickets this window may call, in call order.
fn waiting_in_order(state: &State, window: WindowNumber) -> Vec<(Uuid, QueueEntry)> {
    let services = &state.deps.settings.services;
    let mut left: Vec<(Uuid, QueueEntry)> = state
        .queue
        .borrow()
        .tickets
        .iter()
        .map(|ticket| (ticket.id, ticket.entry))
        .filter(|(_, entry)| next_to_call(std::slice::from_ref(entry), window, services).is_some())
        .collect();

    // Repeated `next_to_call` keeps the list in exactly the order the
    // window calls, postponed tickets included.
    let mut ordered = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let entries: Vec<QueueEntry> = left.iter().map(|(_, entry)| *entry).collect();
        let Some(next) = next_to_call(&entries, window, services) else {
            break;
        };
        let position = entries
            .iter()
            .position(|entry| entry == next)
            .expect("next_to_call returns one of the entries");
        ordered.push(left.remove(position));
    }
    ordered
}

/// Redraws the list and the ticket at the window.
pub(crate) fn render(state: &State) {
    let ui = state.ui();
    let adapter = ui.global::<QueueAdapter>();
    let Some(window) = my_window(state) else {
        adapter.set_tickets(ModelRc::default());
        adapter.set_current_status(CurrentStatus::None);
        return;
    };

    let now = state.now();
    let rows: Vec<TicketRow> = waiting_in_order(state, window)
        .into_iter()
        .map(|(id, entry)| {
            let waited = now.duration_since(entry.issued_at);
            TicketRow {
                id: id.to_string().into(),
                number: entry.number.to_string().into(),
                service: entry.number.category().name(Lang::Ru).into(),
                waited_minutes: i32::try_from(waited.as_mins().max(0)).unwrap_or(i32::MAX),
                overdue: waited > WAIT_LIMIT,
                priority: entry.priority == domain::ticket::Priority::Preferential,
                postponed: matches!(entry.state, TicketState::Postponed { remaining } if remaining > 0),
            }
        })
        .collect();
    adapter.set_tickets(ModelRc::new(VecModel::from(rows)));

    match current_ticket(state) {
        Some((_, entry)) => {
            adapter.set_current_number(entry.number.to_string().into());
            adapter.set_current_service(entry.number.category().name(Lang::Ru).into());
            let (status, recalls) = match entry.state {
                TicketState::Called { recalls, .. } => (CurrentStatus::Called, recalls),
                _ => (CurrentStatus::Serving, 0),
            };
            adapter.set_current_status(status);
            adapter.set_current_recalls(i32::from(recalls));
        }
        None => adapter.set_current_status(CurrentStatus::None),
    }
}

fn notice(state: &State, notice: QueueNotice, detail: &str) {
    let ui = state.ui();
    let adapter = ui.global::<QueueAdapter>();
    adapter.set_notice(notice);
    adapter.set_notice_detail(detail.into());
}

/// Applies `action` to the local copy of ticket `id`, so the screen follows
/// at once, even offline. The server's next queue replaces it.
fn apply_locally(state: &State, id: Uuid, action: TicketAction) {
    let mut queue = state.queue.borrow_mut();
    for ticket in queue.tickets.iter_mut() {
        if ticket.id == id {
            if let Ok(next) = ticket.entry.state.apply(action) {
                ticket.entry.state = next;
            }
        } else if matches!(action, TicketAction::Call { .. }) {
            ticket.entry.state = ticket.entry.state.after_other_called();
        }
    }
}

/// Records the event for `action` on ticket `id` and shows the outcome.
/// Returns false when the server rejected it.
fn record(state: &State, id: Uuid, action: TicketAction) -> bool {
    let kind = match action {
        TicketAction::Call { window } => EventKind::TicketCalled(TicketCalled {
            ticket_id: id,
            window,
        }),
        TicketAction::Recall => EventKind::TicketRecalled(TicketRef { ticket_id: id }),
        TicketAction::StartServing => EventKind::TicketStarted(TicketRef { ticket_id: id }),
        TicketAction::Finish => EventKind::TicketDone(TicketRef { ticket_id: id }),
        TicketAction::MarkNoShow => EventKind::TicketNoShow(TicketRef { ticket_id: id }),
        TicketAction::Postpone { after } => EventKind::TicketPostponed(TicketPostponed {
            ticket_id: id,
            after,
        }),
        TicketAction::Redirect { to } => {
            EventKind::TicketRedirected(TicketRedirected { ticket_id: id, to })
        }
    };
    let sent = match delivery::send(state, kind) {
        Ok((event_id, sent)) => {
            tracing::info!(event_id = %event_id, action = %action.kind(), "ticket action");
            sent
        }
        Err(_) => {
            notice(state, QueueNotice::Refused, delivery::NOT_SAVED);
            render(state);
            return false;
        }
    };

    let recorded = match sent {
        Sent::Delivered(_) => {
            apply_locally(state, id, action);
            notice(state, QueueNotice::Sent, "");
            true
        }
        Sent::Queued => {
            apply_locally(state, id, action);
            notice(state, QueueNotice::QueuedOffline, "");
            true
        }
        Sent::Conflict { current_state } => {
            notice(
                state,
                QueueNotice::Refused,
                &ticket_state_label(&current_state),
            );
            false
        }
        Sent::Refused { message } => {
            notice(state, QueueNotice::Refused, &message);
            false
        }
    };
    render(state);
    recorded
}

/// Returns the Russian label of a ticket state code such as `done`.
fn ticket_state_label(code: &str) -> String {
    use serde::de::IntoDeserializer as _;
    use serde::Deserialize as _;
    let parsed: Result<domain::ticket::TicketStatus, serde::de::value::Error> =
        domain::ticket::TicketStatus::deserialize(code.into_deserializer());
    match parsed {
        Ok(status) => format!("талон уже в состоянии «{}»", status.label(Lang::Ru)),
        Err(_) => format!("талон уже в состоянии «{code}»"),
    }
}

fn call_next(state: &State) {
    let Some(window) = my_window(state) else {
        return;
    };
    if current_ticket(state).is_some() {
        notice(state, QueueNotice::NotAllowed, "");
        return;
    }
    let next = waiting_in_order(state, window).first().map(|(id, _)| *id);
    match next {
        Some(id) => {
            if record(state, id, TicketAction::Call { window }) {
                request::open_for_ticket(state, id);
            }
        }
        None => notice(state, QueueNotice::QueueEmpty, ""),
    }
}

fn act_on_current(state: &State, action: TicketAction) {
    if my_window(state).is_none() {
        return;
    }
    let Some((id, entry)) = current_ticket(state) else {
        notice(state, QueueNotice::NotAllowed, "");
        return;
    };
    if entry.state.apply(action).is_err() {
        notice(state, QueueNotice::NotAllowed, "");
        return;
    }
    let recorded = record(state, id, action);
    if recorded
        && matches!(
            action,
            TicketAction::MarkNoShow
                | TicketAction::Postpone { .. }
                | TicketAction::Redirect { .. }
        )
    {
        request::close_if_ticket(state, id);
    }
}

fn redirect_to_window(state: &State, text: &str) {
    let target = text
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|number| *number <= 999)
        .and_then(WindowNumber::new);
    match target {
        Some(target) if Some(target) != my_window(state) => act_on_current(
            state,
            TicketAction::Redirect {
                to: RedirectTarget::Window(target),
            },
        ),
        _ => notice(state, QueueNotice::BadWindow, ""),
    }
}

/// Opens the request of a ticket picked from the list or scanned; a waiting
/// ticket is called to this window first when the window is free.
pub(crate) fn open_ticket(state: &State, id: Uuid) {
    let Some(window) = my_window(state) else {
        return;
    };
    let waiting = state
        .queue
        .borrow()
        .tickets
        .iter()
        .find(|ticket| ticket.id == id)
        .map(|ticket| ticket.entry.state.is_waiting());
    if waiting == Some(true)
        && current_ticket(state).is_none()
        && !record(state, id, TicketAction::Call { window })
    {
        return;
    }
    request::open_for_ticket(state, id);
}
