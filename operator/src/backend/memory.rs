//! An in-process stand-in for the sync server, used by the UI tests and by
//! `operator run --demo` until the `station` sync client is merged.
//!
//! It applies ticket events with the `domain` ticket state machine and
//! decisions with the request state machine, so conflicts and refusals come
//! from the real rules. What it does not do: sign requests, persist
//! anything, or count failed logins (a test sets a lockout directly).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use domain::clock::Clock;
use domain::request::{RejectReason, RejectReasonCode, RequestAction, RequestState};
use domain::sync::{EventEnvelope, EventKind, IssuedCode, LoginGrant, OperatorRole};
use domain::ticket::{TicketAction, TicketState};
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::{Accepted, Backend, LoginError, PushError, QueueSnapshot, QueuedTicket, Unreachable};

/// How long an issued confirmation code stays valid in this stand-in.
const CODE_VALIDITY: SignedDuration = SignedDuration::from_hours(72);

struct Operator {
    password: String,
    locked_until: Option<Timestamp>,
}

#[derive(Default)]
struct State {
    online: bool,
    operators: HashMap<String, Operator>,
    queue: QueueSnapshot,
    requests: HashMap<Uuid, RequestState>,
    /// Outcome of every event id seen, so a repeated push returns the same.
    outcomes: HashMap<Uuid, Result<Accepted, PushError>>,
    /// Events stored, in push order. `push` returns the recorded outcome for
    /// a repeated id, so each id is stored at most once.
    stored: Vec<EventEnvelope>,
    /// Codes handed out by confirm decisions, first in first out.
    codes: VecDeque<String>,
}

/// The in-process sync server stand-in. Clone it to share.
#[derive(Clone)]
pub struct MemoryBackend {
    state: Arc<(Mutex<State>, Condvar)>,
    clock: Arc<dyn Clock>,
}

impl MemoryBackend {
    /// Creates an online server with no operators and an empty queue.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        let state = State {
            online: true,
            ..State::default()
        };
        MemoryBackend {
            state: Arc::new((Mutex::new(state), Condvar::new())),
            clock,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn changed(&self, state: &mut State) {
        state.queue.version += 1;
        self.state.1.notify_all();
    }

    /// Adds an operator account.
    pub fn add_operator(&self, login: &str, password: &str) {
        self.lock().operators.insert(
            login.to_owned(),
            Operator {
                password: password.to_owned(),
                locked_until: None,
            },
        );
    }

    /// Blocks an operator's login until `until`, as the server does after
    /// repeated failures.
    pub fn lock_out(&self, login: &str, until: Timestamp) {
        if let Some(operator) = self.lock().operators.get_mut(login) {
            operator.locked_until = Some(until);
        }
    }

    /// Makes the server unreachable or reachable again; waiting long-polls
    /// return at once.
    pub fn set_online(&self, online: bool) {
        let mut state = self.lock();
        state.online = online;
        self.state.1.notify_all();
    }

    /// Puts a ticket into the queue, with its request when it has one.
    pub fn add_ticket(&self, ticket: QueuedTicket) {
        let mut state = self.lock();
        if let Some(request) = &ticket.request {
            state
                .requests
                .insert(request.request_id, RequestState::Waiting);
        }
        state.queue.tickets.push(ticket);
        self.changed(&mut state);
    }

    /// Queues the code the next confirm decision issues.
    pub fn next_code(&self, code: &str) {
        self.lock().codes.push_back(code.to_owned());
    }

    /// Returns the events stored so far, each id once, in push order.
    pub fn stored_events(&self) -> Vec<EventEnvelope> {
        self.lock().stored.clone()
    }

    /// Returns the current state of a ticket.
    pub fn ticket_state(&self, ticket_id: Uuid) -> Option<TicketState> {
        let state = self.lock();
        state
            .queue
            .tickets
            .iter()
            .find(|ticket| ticket.id == ticket_id)
            .map(|ticket| ticket.entry.state)
    }

    /// Returns the current state of a request.
    pub fn request_state(&self, request_id: Uuid) -> Option<RequestState> {
        self.lock().requests.get(&request_id).cloned()
    }

    /// Records a decision made at another window, as a second console would.
    pub fn decide_elsewhere(&self, request_id: Uuid, confirmed: bool) {
        let mut state = self.lock();
        let decided = if confirmed {
            RequestState::Confirmed
        } else {
            RequestState::Rejected {
                reason: RejectReason::standard(RejectReasonCode::DataMismatch)
                    .expect("a standard reason other than `other` needs no comment"),
            }
        };
        state.requests.insert(request_id, decided);
    }

    fn apply(&self, state: &mut State, event: &EventEnvelope) -> Result<Accepted, PushError> {
        match &event.kind {
            EventKind::TicketCalled(called) => {
                let action = TicketAction::Call {
                    window: called.window,
                };
                move_ticket(state, called.ticket_id, action)?;
                count_down_postponed(state, called.ticket_id);
                take_request(state, called.ticket_id);
            }
            EventKind::TicketRecalled(ticket) => {
                move_ticket(state, ticket.ticket_id, TicketAction::Recall)?;
            }
            EventKind::TicketStarted(ticket) => {
                move_ticket(state, ticket.ticket_id, TicketAction::StartServing)?;
            }
            EventKind::TicketDone(ticket) => {
                move_ticket(state, ticket.ticket_id, TicketAction::Finish)?;
            }
            EventKind::TicketNoShow(ticket) => {
                move_ticket(state, ticket.ticket_id, TicketAction::MarkNoShow)?;
            }
            EventKind::TicketPostponed(postponed) => {
                let after = postponed.after;
                move_ticket(state, postponed.ticket_id, TicketAction::Postpone { after })?;
            }
            EventKind::TicketRedirected(redirected) => {
                let to = redirected.to;
                move_ticket(state, redirected.ticket_id, TicketAction::Redirect { to })?;
            }
            EventKind::DecisionConfirm(decision) => {
                decide(state, decision.request_id, RequestAction::Confirm)?;
                let code = state
                    .codes
                    .pop_front()
                    .unwrap_or_else(|| "K4M7PX".to_owned());
                let expires_at = self
                    .clock
                    .now()
                    .checked_add(CODE_VALIDITY)
                    .expect("72 hours from now fits a timestamp");
                return Ok(Accepted {
                    issued: Some(IssuedCode { code, expires_at }),
                });
            }
            EventKind::DecisionReject(decision) => {
                let reason = decision.reason.clone();
                decide(state, decision.request_id, RequestAction::Reject { reason })?;
            }
            EventKind::RequestSubmitted(_)
            | EventKind::TicketIssued(_)
            | EventKind::DeviceAlert(_) => {
                return Err(rejected("event.role"));
            }
        }
        Ok(Accepted { issued: None })
    }
}

fn rejected(code: &str) -> PushError {
    PushError::Rejected {
        code: code.to_owned(),
        message: "Сервер не принял событие: неверные данные.".to_owned(),
    }
}

fn move_ticket(state: &mut State, ticket_id: Uuid, action: TicketAction) -> Result<(), PushError> {
    let ticket = state
        .queue
        .tickets
        .iter_mut()
        .find(|ticket| ticket.id == ticket_id)
        .ok_or_else(|| rejected("ticket.unknown"))?;
    ticket.entry.state = ticket
        .entry
        .state
        .apply(action)
        .map_err(|error| PushError::Conflict {
            current_state: error.state.code().to_owned(),
        })?;
    Ok(())
}

fn count_down_postponed(state: &mut State, called: Uuid) {
    for ticket in state
        .queue
        .tickets
        .iter_mut()
        .filter(|ticket| ticket.id != called)
    {
        ticket.entry.state = ticket.entry.state.after_other_called();
    }
}

/// Moves a called ticket's request to «в обработке», as the server does
/// when a window calls the visitor.
fn take_request(state: &mut State, ticket_id: Uuid) {
    let request_id = state
        .queue
        .tickets
        .iter()
        .find(|ticket| ticket.id == ticket_id)
        .and_then(|ticket| ticket.request.as_ref())
        .map(|request| request.request_id);
    if let Some(request_id) = request_id {
        if let Some(request) = state.requests.get_mut(&request_id) {
            if let Ok(taken) = request.apply(RequestAction::Take) {
                *request = taken;
            }
        }
    }
}

fn decide(state: &mut State, request_id: Uuid, action: RequestAction) -> Result<(), PushError> {
    let request = state
        .requests
        .get_mut(&request_id)
        .ok_or_else(|| rejected("request.unknown"))?;
    *request = request.apply(action).map_err(|error| PushError::Conflict {
        current_state: error.state.code().to_owned(),
    })?;
    Ok(())
}

impl Backend for MemoryBackend {
    fn log_in(&self, login: &str, password: &str) -> Result<LoginGrant, LoginError> {
        let state = self.lock();
        if !state.online {
            return Err(LoginError::Unreachable);
        }
        let now = self.clock.now();
        let operator = state
            .operators
            .get(login)
            .ok_or(LoginError::WrongCredentials)?;
        if let Some(until) = operator.locked_until.filter(|until| *until > now) {
            return Err(LoginError::LockedOut { until });
        }
        if operator.password != password {
            return Err(LoginError::WrongCredentials);
        }
        Ok(LoginGrant {
            session: Uuid::now_v7().to_string(),
            operator_id: Uuid::now_v7(),
            role: OperatorRole::Operator,
            expires_at: now
                .checked_add(SignedDuration::from_hours(12))
                .expect("12 hours from now fits a timestamp"),
        })
    }

    fn wait_queue(&self, known: Option<u64>, wait: Duration) -> Result<QueueSnapshot, Unreachable> {
        let deadline = Instant::now() + wait;
        let mut state = self.lock();
        loop {
            if !state.online {
                return Err(Unreachable);
            }
            if known != Some(state.queue.version) {
                return Ok(state.queue.clone());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(state.queue.clone());
            }
            state = self
                .state
                .1
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn push(&self, _session: &str, event: &EventEnvelope) -> Result<Accepted, PushError> {
        let mut state = self.lock();
        if !state.online {
            return Err(PushError::Unreachable);
        }
        if let Some(outcome) = state.outcomes.get(&event.id) {
            return outcome.clone();
        }
        let outcome = self.apply(&mut state, event);
        if outcome.is_ok() {
            state.stored.push(event.clone());
            self.changed(&mut state);
        }
        state.outcomes.insert(event.id, outcome.clone());
        outcome
    }
}
