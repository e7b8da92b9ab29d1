//! The request view: opening a request (called, picked or scanned), the
//! typed and chip data side by side, and the decision with its slip.

use std::rc::Rc;

use domain::request::{
    RejectReason, RejectReasonCode, RejectReasonError, RequestKind, RequestStatus,
};
use domain::sync::{DecisionConfirm, DecisionReject, EventKind, IssuedCode};
use domain::Lang;
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};
use uuid::Uuid;

use crate::app::{AwaitedCode, OpenRequest, State};
use crate::backend::{Accepted, PushError};
use crate::chip;
use crate::controllers::queue;
use crate::delivery::{self, Sent};
use crate::printer::{CodeSlip, PrinterFault, Slip};
use crate::qr::QrError;
use crate::ui::{
    AppAdapter, AppWindow, ChipStatus, DecisionStatus, PrinterStatus, RequestAdapter, ScanStatus,
};

/// Connects the request view's callbacks.
pub(crate) fn setup(window: &AppWindow, state: &Rc<State>) {
    let adapter = window.global::<RequestAdapter>();
    let reasons: Vec<SharedString> = RejectReasonCode::ALL
        .into_iter()
        .map(|code| code.text(Lang::Ru).into())
        .collect();
    adapter.set_reject_reasons(ModelRc::new(VecModel::from(reasons)));

    let weak = Rc::downgrade(state);
    adapter.on_scan_ticket(move |text| {
        if let Some(state) = weak.upgrade() {
            scan(&state, &text);
        }
    });
    let weak = Rc::downgrade(state);
    adapter.on_confirm_request(move || {
        if let Some(state) = weak.upgrade() {
            confirm(&state);
        }
    });
    let weak = Rc::downgrade(state);
    adapter.on_reject_request(move |index, comment| {
        if let Some(state) = weak.upgrade() {
            reject(&state, index, &comment);
        }
    });
    let weak = Rc::downgrade(state);
    adapter.on_reprint(move || {
        if let Some(state) = weak.upgrade() {
            reprint(&state);
        }
    });
    let weak = Rc::downgrade(state);
    adapter.on_close_request(move || {
        if let Some(state) = weak.upgrade() {
            *state.open_request.borrow_mut() = None;
            render(&state);
            state.ui().invoke_focus_scanner();
        }
    });
}

fn scan(state: &State, text: &str) {
    let ui = state.ui();
    let adapter = ui.global::<RequestAdapter>();
    let status = match state.deps.qr.verify(text.trim(), state.now()) {
        Ok(ticket_id) => {
            let known = state
                .queue
                .borrow()
                .tickets
                .iter()
                .any(|ticket| ticket.id == ticket_id);
            if known {
                tracing::info!(ticket_id = %ticket_id, "ticket QR scanned");
                adapter.set_scan(ScanStatus::Idle);
                queue::open_ticket(state, ticket_id);
                return;
            }
            ScanStatus::UnknownTicket
        }
        Err(QrError::Malformed) => ScanStatus::Malformed,
        Err(QrError::Forged) => ScanStatus::Forged,
        Err(QrError::Expired) => ScanStatus::Expired,
        Err(QrError::IssuedInFuture) => ScanStatus::IssuedInFuture,
    };
    tracing::warn!(?status, "ticket QR scan rejected");
    adapter.set_scan(status);
}

/// Opens the request that ticket `id` waits with, if it has one.
pub(crate) fn open_for_ticket(state: &State, id: Uuid) {
    let opened = state
        .queue
        .borrow()
        .tickets
        .iter()
        .find(|ticket| ticket.id == id)
        .and_then(|ticket| {
            ticket.request.clone().map(|request| OpenRequest {
                ticket_id: id,
                ticket_number: ticket.entry.number.to_string(),
                request,
            })
        });
    *state.open_request.borrow_mut() = opened;

    let ui = state.ui();
    let adapter = ui.global::<RequestAdapter>();
    adapter.set_decision(DecisionStatus::None);
    adapter.set_decision_detail(SharedString::new());
    adapter.set_printer(PrinterStatus::Ok);
    *state.last_slip.borrow_mut() = None;
    render(state);
}

/// Closes the request view when it shows ticket `id`.
pub(crate) fn close_if_ticket(state: &State, id: Uuid) {
    let open = state
        .open_request
        .borrow()
        .as_ref()
        .is_some_and(|open| open.ticket_id == id);
    if open {
        *state.open_request.borrow_mut() = None;
        render(state);
    }
}

/// Fills the request view from the open request.
pub(crate) fn render(state: &State) {
    let ui = state.ui();
    let adapter = ui.global::<RequestAdapter>();
    let open = state.open_request.borrow();
    let Some(open) = open.as_ref() else {
        adapter.set_open(false);
        return;
    };
    let request = &open.request;
    let kind = request.request_kind;
    let view = chip::compare(
        &request.visitor,
        request.chip.as_ref(),
        state.deps.mrz.as_ref(),
    );

    adapter.set_ticket_number(open.ticket_number.clone().into());
    adapter.set_kind_name(kind.name(Lang::Ru).into());
    adapter.set_restore_access(kind == RequestKind::RestoreAccess);
    adapter.set_fields(ModelRc::new(VecModel::from(view.rows)));
    adapter.set_mismatches(view.mismatches);
    adapter.set_chip_status(view.status);
    adapter.set_has_photo(view.photo.is_some());
    adapter.set_photo(view.photo.unwrap_or_default());
    adapter.set_open(true);
    if view.status == ChipStatus::Failed {
        tracing::warn!(request_id = %request.request_id, "chip passive authentication failed");
    }
}

fn window_number(state: &State) -> u16 {
    state
        .session
        .borrow()
        .as_ref()
        .map_or(0, |session| session.window.get())
}

fn operator_login(state: &State) -> String {
    state
        .session
        .borrow()
        .as_ref()
        .map_or_else(String::new, |session| session.login.clone())
}

fn confirm(state: &State) {
    let Some((request_id, ticket_number, recovery)) =
        state.open_request.borrow().as_ref().map(|open| {
            (
                open.request.request_id,
                open.ticket_number.clone(),
                open.request.request_kind == RequestKind::RestoreAccess,
            )
        })
    else {
        return;
    };
    let ui = state.ui();
    let adapter = ui.global::<RequestAdapter>();
    let Ok((event_id, sent)) = delivery::send(
        state,
        EventKind::DecisionConfirm(DecisionConfirm { request_id }),
    ) else {
        adapter.set_decision_detail(delivery::NOT_SAVED.into());
        adapter.set_decision(DecisionStatus::Refused);
        return;
    };
    tracing::info!(event_id = %event_id, request_id = %request_id, "identity confirmed by the operator");
    match sent {
        Sent::Delivered(Accepted {
            issued: Some(issued),
        }) => {
            adapter.set_code_expires(state.local_time(issued.expires_at).into());
            adapter.set_decision(DecisionStatus::Confirmed);
            print(
                state,
                code_slip(
                    state,
                    &ticket_number,
                    window_number(state),
                    &operator_login(state),
                    recovery,
                    &issued,
                ),
            );
        }
        Sent::Delivered(Accepted { issued: None }) => {
            tracing::error!(request_id = %request_id, "server confirmed without issuing a code");
            adapter.set_decision_detail("сервер не выдал код подтверждения; повторите попытку или обратитесь к администратору".into());
            adapter.set_decision(DecisionStatus::Refused);
        }
        Sent::Queued => {
            state.awaited_codes.borrow_mut().insert(
                event_id,
                AwaitedCode {
                    ticket_number,
                    operator: operator_login(state),
                    window: window_number(state),
                    recovery,
                },
            );
            adapter.set_decision(DecisionStatus::QueuedOffline);
        }
        Sent::Conflict { current_state } => show_conflict(state, &current_state),
        Sent::Refused { message } => {
            adapter.set_decision_detail(message.into());
            adapter.set_decision(DecisionStatus::Refused);
        }
    }
}

fn code_slip(
    state: &State,
    ticket: &str,
    window: u16,
    operator: &str,
    recovery: bool,
    issued: &IssuedCode,
) -> Slip {
    let slip = CodeSlip {
        ticket: ticket.to_owned(),
        window,
        operator: operator.to_owned(),
        code: issued.code.clone(),
        expires_at: state.deps.settings.time_zone.to_datetime(issued.expires_at),
    };
    if recovery {
        Slip::RecoveryCode(slip)
    } else {
        Slip::Confirmation(slip)
    }
}

fn show_conflict(state: &State, current_state: &str) {
    use serde::de::IntoDeserializer as _;
    use serde::Deserialize as _;
    let parsed: Result<RequestStatus, serde::de::value::Error> =
        RequestStatus::deserialize(current_state.into_deserializer());
    let label = parsed.map_or_else(
        |_| current_state.to_owned(),
        |status| status.label(Lang::Ru).to_owned(),
    );
    let ui = state.ui();
    let adapter = ui.global::<RequestAdapter>();
    adapter.set_decision_detail(label.into());
    adapter.set_decision(DecisionStatus::Conflict);
}

fn reject(state: &State, index: i32, comment: &str) {
    let Some((request_id, ticket_number)) = state
        .open_request
        .borrow()
        .as_ref()
        .map(|open| (open.request.request_id, open.ticket_number.clone()))
    else {
        return;
    };
    let ui = state.ui();
    let adapter = ui.global::<RequestAdapter>();
    let Some(code) = usize::try_from(index)
        .ok()
        .and_then(|index| RejectReasonCode::ALL.get(index).copied())
    else {
        return;
    };
    let reason = match RejectReason::new(code, Some(comment)) {
        Ok(reason) => reason,
        Err(RejectReasonError::CommentMissing) => {
            adapter.set_decision(DecisionStatus::CommentRequired);
            return;
        }
        Err(error) => {
            adapter.set_decision_detail(error.message(Lang::Ru).into());
            adapter.set_decision(DecisionStatus::Refused);
            return;
        }
    };

    let sent = delivery::send(
        state,
        EventKind::DecisionReject(DecisionReject {
            request_id,
            reason: reason.clone(),
        }),
    );
    let Ok((event_id, sent)) = sent else {
        adapter.set_decision_detail(delivery::NOT_SAVED.into());
        adapter.set_decision(DecisionStatus::Refused);
        return;
    };
    tracing::info!(event_id = %event_id, request_id = %request_id, reason = code.code(), "request rejected by the operator");
    let slip = Slip::Rejection {
        ticket: ticket_number,
        window: window_number(state),
        operator: operator_login(state),
        reason: reason.text(Lang::Ru),
        decided_at: state.deps.settings.time_zone.to_datetime(state.now()),
    };
    match sent {
        Sent::Delivered(_) => {
            adapter.set_decision(DecisionStatus::Rejected);
            print(state, slip);
        }
        Sent::Queued => {
            // The reason needs nothing from the server, so the visitor gets
            // the slip now even though the decision waits for the link.
            adapter.set_decision(DecisionStatus::QueuedOffline);
            print(state, slip);
        }
        Sent::Conflict { current_state } => show_conflict(state, &current_state),
        Sent::Refused { message } => {
            adapter.set_decision_detail(message.into());
            adapter.set_decision(DecisionStatus::Refused);
        }
    }
}

/// Prints `slip`, keeping it for a reprint when the printer fails.
fn print(state: &State, slip: Slip) {
    let status = match state.deps.printer.print(&slip) {
        Ok(()) => PrinterStatus::Ok,
        Err(fault) => {
            tracing::warn!(cause = %fault, "slip not printed");
            match fault {
                PrinterFault::PaperOut => PrinterStatus::PaperOut,
                PrinterFault::CoverOpen => PrinterStatus::CoverOpen,
                PrinterFault::Offline => PrinterStatus::Offline,
                PrinterFault::Other(_) => PrinterStatus::Failed,
            }
        }
    };
    *state.last_slip.borrow_mut() = Some(slip);
    let ui = state.ui();
    ui.global::<RequestAdapter>().set_printer(status);
}

fn reprint(state: &State) {
    let slip = state.last_slip.borrow().clone();
    if let Some(slip) = slip {
        print(state, slip);
    }
}

/// Handles the server's reply to an event the worker delivered from the
/// outbox, and prints the code slip of a confirm decision that was queued.
pub(crate) fn delivered_later(state: &State, event_id: Uuid, result: Result<Accepted, PushError>) {
    let Some(awaited) = state.awaited_codes.borrow_mut().remove(&event_id) else {
        return;
    };
    let ui = state.ui();
    let app = ui.global::<AppAdapter>();
    app.set_delivered_ticket(awaited.ticket_number.clone().into());
    match result {
        Ok(Accepted {
            issued: Some(issued),
        }) => {
            app.set_delivered_conflict(false);
            let slip = code_slip(
                state,
                &awaited.ticket_number,
                awaited.window,
                &awaited.operator,
                awaited.recovery,
                &issued,
            );
            print(state, slip);
        }
        Ok(Accepted { issued: None }) | Err(_) => {
            tracing::warn!(event_id = %event_id, "queued confirm decision was not accepted");
            app.set_delivered_conflict(true);
        }
    }
}
