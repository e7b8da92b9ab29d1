//! The console's picture of the center's queue, kept in memory and moved
//! by the changes the server returns to a pull, with the `domain` ticket
//! rules.
//!
//! A console that starts up rebuilds this picture from the station's pull
//! cache, which keeps each ticket's status, window, remaining postponed
//! calls and recalls, then follows every later change exactly.

use std::collections::HashMap;

use domain::request::RequestKind;
use domain::sync::{EventKind, RequestSubmitted};
use domain::ticket::{
    Priority, QueueEntry, RedirectTarget, ServiceCategory, TicketNumber, TicketState, TicketStatus,
    WindowNumber,
};
use jiff::Timestamp;
use station::store::{CachedTicket, Store, StoreError};
use uuid::Uuid;

use crate::backend::QueuedTicket;

/// Tickets in the order the server stored them, and requests whose ticket
/// has not arrived yet.
#[derive(Default)]
pub(crate) struct QueueModel {
    tickets: Vec<QueuedTicket>,
    unattached: HashMap<Uuid, Box<RequestSubmitted>>,
}

impl QueueModel {
    /// Rebuilds the picture from the station's pull cache.
    pub(crate) fn from_cache(store: &Store) -> Result<QueueModel, StoreError> {
        let mut model = QueueModel::default();
        for cached in store.cached_tickets()? {
            let Some(entry) = entry_from_cache(&cached) else {
                tracing::warn!(ticket_id = %cached.ticket_id, "cached ticket not understood; left out of the queue");
                continue;
            };
            let request = match cached.request_id {
                Some(request_id) => store.cached_request(request_id)?.and_then(|request| {
                    let kind = RequestKind::ALL
                        .into_iter()
                        .find(|kind| kind.code() == request.request_kind)?;
                    Some(Box::new(RequestSubmitted {
                        request_id,
                        request_kind: kind,
                        ticket_id: cached.ticket_id,
                        visitor: request.visitor?,
                        chip: request.chip,
                    }))
                }),
                None => None,
            };
            model.tickets.push(QueuedTicket {
                id: cached.ticket_id,
                entry,
                request,
            });
        }
        Ok(model)
    }

    /// Returns the tickets issued at or after `since`.
    pub(crate) fn tickets_since(&self, since: Timestamp) -> Vec<QueuedTicket> {
        self.tickets
            .iter()
            .filter(|ticket| ticket.entry.issued_at >= since)
            .cloned()
            .collect()
    }

    fn ticket(&mut self, id: Uuid) -> Option<&mut QueuedTicket> {
        self.tickets.iter_mut().find(|ticket| ticket.id == id)
    }

    /// Moves ticket `id` with `action`. The server already checked the
    /// move, so when this picture disagrees (rebuilt from the cache) the
    /// server's `fallback` state is taken as it is.
    fn act(&mut self, id: Uuid, action: domain::ticket::TicketAction, fallback: TicketState) {
        if let Some(ticket) = self.ticket(id) {
            ticket.entry.state = ticket.entry.state.apply(action).unwrap_or(fallback);
        }
    }

    /// Applies one stored event, as the server applied it.
    pub(crate) fn apply(&mut self, kind: &EventKind, occurred_at: Timestamp) {
        use domain::ticket::TicketAction as A;
        match kind {
            EventKind::TicketIssued(issued) => {
                if self.ticket(issued.ticket_id).is_some() {
                    return;
                }
                let request = self.unattached.remove(&issued.ticket_id);
                self.tickets.push(QueuedTicket {
                    id: issued.ticket_id,
                    entry: QueueEntry {
                        number: issued.number,
                        priority: if issued.priority {
                            Priority::Preferential
                        } else {
                            Priority::Regular
                        },
                        issued_at: occurred_at,
                        state: TicketState::Issued,
                    },
                    request,
                });
            }
            EventKind::RequestSubmitted(submitted) => match self.ticket(submitted.ticket_id) {
                Some(ticket) => ticket.request = Some(submitted.clone()),
                None => {
                    self.unattached
                        .insert(submitted.ticket_id, submitted.clone());
                }
            },
            EventKind::TicketCalled(called) => {
                for ticket in self.tickets.iter_mut().filter(|t| t.id != called.ticket_id) {
                    ticket.entry.state = ticket.entry.state.after_other_called();
                }
                let window = called.window;
                self.act(
                    called.ticket_id,
                    A::Call { window },
                    TicketState::Called { window, recalls: 0 },
                );
            }
            EventKind::TicketRecalled(ticket) => {
                if let Some(found) = self.ticket(ticket.ticket_id) {
                    if let Ok(next) = found.entry.state.apply(A::Recall) {
                        found.entry.state = next;
                    }
                }
            }
            EventKind::TicketStarted(ticket) => {
                if let Some(found) = self.ticket(ticket.ticket_id) {
                    let window = match found.entry.state {
                        TicketState::Called { window, .. } | TicketState::Serving { window } => {
                            Some(window)
                        }
                        _ => None,
                    };
                    if let Some(window) = window {
                        found.entry.state = TicketState::Serving { window };
                    }
                }
            }
            EventKind::TicketDone(ticket) => {
                self.act(ticket.ticket_id, A::Finish, TicketState::Done);
            }
            EventKind::TicketNoShow(ticket) => {
                self.act(ticket.ticket_id, A::MarkNoShow, TicketState::NoShow);
            }
            EventKind::TicketPostponed(postponed) => {
                let after = postponed.after;
                self.act(
                    postponed.ticket_id,
                    A::Postpone { after },
                    TicketState::Postponed { remaining: after },
                );
            }
            EventKind::TicketRedirected(redirected) => {
                let to = redirected.to;
                self.act(
                    redirected.ticket_id,
                    A::Redirect { to },
                    TicketState::Redirected { to },
                );
            }
            // A decided request's visitor data are no longer needed here;
            // the console that decided keeps its open copy until it closes.
            EventKind::DecisionConfirm(decision) => self.forget_request(decision.request_id),
            EventKind::DecisionReject(decision) => self.forget_request(decision.request_id),
            EventKind::DeviceAlert(_) => {}
        }
    }

    fn forget_request(&mut self, request_id: Uuid) {
        for ticket in &mut self.tickets {
            if ticket
                .request
                .as_ref()
                .is_some_and(|request| request.request_id == request_id)
            {
                ticket.request = None;
            }
        }
    }
}

/// Builds a queue entry from a cached ticket; `None` when a stored value
/// does not parse.
fn entry_from_cache(cached: &CachedTicket) -> Option<QueueEntry> {
    let number: TicketNumber = cached.number.parse().ok()?;
    let window = cached
        .window
        .as_deref()
        .and_then(|text| text.parse::<u16>().ok())
        .and_then(WindowNumber::new);
    let state = match cached.status {
        TicketStatus::Issued => TicketState::Issued,
        TicketStatus::Called => TicketState::Called {
            window: window?,
            recalls: cached.recalls,
        },
        TicketStatus::Serving => TicketState::Serving { window: window? },
        TicketStatus::Done => TicketState::Done,
        TicketStatus::NoShow => TicketState::NoShow,
        TicketStatus::Postponed => TicketState::Postponed {
            remaining: cached.postponed_remaining,
        },
        TicketStatus::Redirected => TicketState::Redirected {
            to: match window {
                Some(window) => RedirectTarget::Window(window),
                None => RedirectTarget::Service(
                    ServiceCategory::ALL
                        .into_iter()
                        .find(|category| category.code() == cached.category)?,
                ),
            },
        },
    };
    Some(QueueEntry {
        number,
        priority: if cached.priority {
            Priority::Preferential
        } else {
            Priority::Regular
        },
        issued_at: cached.issued_at,
        state,
    })
}
