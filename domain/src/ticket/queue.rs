//! Which waiting ticket a window calls next.
//!
//! Pure ordering over a slice of tickets: the station or server loads the
//! waiting tickets, calls [`next_to_call`], then applies
//! [`TicketAction::Call`](super::TicketAction::Call) and counts the call down
//! on postponed tickets with
//! [`TicketState::after_other_called`](super::TicketState::after_other_called).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::category::ServiceCategory;
use super::number::TicketNumber;
use super::state::{RedirectTarget, TicketState, WindowNumber};

/// Whether a ticket is served ahead of the regular queue.
///
/// Ordered so that `Preferential > Regular`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    #[default]
    Regular,
    /// «Льготная очередь»: visitors the center serves first (people with
    /// disabilities, parents with small children and others its rules name).
    Preferential,
}

/// A ticket with the data the call order depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub number: TicketNumber,
    pub priority: Priority,
    /// When the kiosk printed the ticket. A redirected or postponed ticket
    /// keeps its original instant, so it does not lose its place in line.
    pub issued_at: Timestamp,
    pub state: TicketState,
}

/// Tells whether `window`, serving `categories`, may call `entry` in the
/// regular order, ignoring postponed tickets' remaining count.
fn is_for_window(entry: &QueueEntry, window: WindowNumber, categories: &[ServiceCategory]) -> bool {
    match entry.state {
        TicketState::Issued | TicketState::Postponed { .. } => {
            categories.contains(&entry.number.category())
        }
        TicketState::Redirected {
            to: RedirectTarget::Window(target),
        } => target == window,
        TicketState::Redirected {
            to: RedirectTarget::Service(category),
        } => categories.contains(&category),
        TicketState::Called { .. }
        | TicketState::Serving { .. }
        | TicketState::Done
        | TicketState::NoShow => false,
    }
}

/// Sort key: preferential first, then the oldest, then the lower number so
/// that the order is total.
fn order_key(entry: &QueueEntry) -> (std::cmp::Reverse<Priority>, Timestamp, TicketNumber) {
    (
        std::cmp::Reverse(entry.priority),
        entry.issued_at,
        entry.number,
    )
}

/// Picks the ticket that `window`, serving `categories`, calls next.
///
/// A ticket is a candidate when it waits in one of `categories` (a ticket
/// redirected to a service counts in that service's queue), or was
/// redirected to `window` itself. Among candidates, preferential tickets come
/// first, then the oldest by [`QueueEntry::issued_at`]. Postponed tickets
/// that still have others to wait for are skipped. When only such
/// tickets remain, the one with the fewest calls left to wait is called, so
/// an empty hall never stalls the window.
///
/// Tickets in other states (called, serving, final) are ignored, so the
/// caller may pass the whole day's list.
pub fn next_to_call<'a>(
    entries: &'a [QueueEntry],
    window: WindowNumber,
    categories: &[ServiceCategory],
) -> Option<&'a QueueEntry> {
    let candidates = entries
        .iter()
        .filter(|entry| is_for_window(entry, window, categories));

    let ready = candidates
        .clone()
        .filter(
            |entry| !matches!(entry.state, TicketState::Postponed { remaining } if remaining > 0),
        )
        .min_by_key(|entry| order_key(entry));
    if ready.is_some() {
        return ready;
    }

    candidates.min_by_key(|entry| {
        let remaining = match entry.state {
            TicketState::Postponed { remaining } => remaining,
            _ => 0,
        };
        (remaining, order_key(entry))
    })
}
