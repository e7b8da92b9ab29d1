//! Queue tickets: their numbers, the service categories they belong to, the
//! states a ticket moves through and which ticket a window calls next.
//!
//! - [`category`]: service categories and their prefix letters;
//! - [`number`]: ticket numbers such as `П-042`;
//! - [`state`]: windows, ticket states, actions and the transition function;
//! - [`queue`]: the "call next" order.
//!
//! Issuing numbers without gaps or repeats, storing tickets and driving the
//! hall display are the station's and the server's jobs.

pub mod category;
pub mod number;
pub mod queue;
pub mod state;

pub use category::ServiceCategory;
pub use number::{TicketNumber, TicketNumberError, SEQUENCE_MAX, SEQUENCE_MIN};
pub use queue::{next_to_call, Priority, QueueEntry};
pub use state::{
    RedirectTarget, TicketAction, TicketActionKind, TicketState, TicketStatus, TransitionError,
    WindowNumber,
};

#[cfg(test)]
mod tests;
