//! The console's seam to the sync server: operator login, the queue
//! long-poll and event pushes.
//!
//! [`station::StationLink`] is the real one, over the `station` crate's
//! HTTP client and SQLite store; [`memory::MemoryBackend`] stands in for the
//! server in the demo and the UI tests. Errors here are already sorted into
//! what the operator can act on: wrong credentials, a lockout, no
//! connection, a conflict with another window.

pub mod memory;
pub mod station;

use std::time::Duration;

use domain::sync::{EventEnvelope, IssuedCode, LoginGrant, RequestSubmitted};
use domain::ticket::QueueEntry;
use jiff::Timestamp;
use uuid::Uuid;

/// A ticket of the center's current day as the server last reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedTicket {
    pub id: Uuid,
    pub entry: QueueEntry,
    /// The identity request the visitor waits with, when the ticket has one.
    pub request: Option<Box<RequestSubmitted>>,
}

/// The day's tickets at one version of the server's queue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueSnapshot {
    /// Grows with every change; a long-poll returns once it differs.
    pub version: u64,
    pub tickets: Vec<QueuedTicket>,
}

/// Why a login failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("wrong login or password")]
    WrongCredentials,
    #[error("login blocked until {until}")]
    LockedOut { until: Timestamp },
    #[error("the sync server does not answer")]
    Unreachable,
    /// The server refused for another reason (account disabled, console not
    /// allowed); `message` is its Russian explanation.
    #[error("login refused")]
    Refused { message: String },
}

/// The sync server did not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the sync server does not answer")]
pub struct Unreachable;

/// The server stored the event (now or by an earlier push of the same id).
#[derive(Debug, Clone, PartialEq)]
pub struct Accepted {
    /// The code a confirm decision issued.
    pub issued: Option<IssuedCode>,
}

/// Why a push was not stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// The server answered 409: another console already moved the ticket or
    /// decided the request. `current_state` is the state's stable code.
    #[error("conflict: the state is already {current_state}")]
    Conflict { current_state: String },
    /// The server refused the event for another reason; `message` is its
    /// Russian explanation.
    #[error("rejected with {code}")]
    Rejected { code: String, message: String },
    #[error("the sync server does not answer")]
    Unreachable,
}

/// What the console needs from the sync server.
pub trait Backend: Send + Sync {
    /// Checks an operator's credentials and opens a session.
    fn log_in(&self, login: &str, password: &str) -> Result<LoginGrant, LoginError>;

    /// Returns the queue once its version differs from `known`, or after
    /// `wait` with the unchanged queue.
    fn wait_queue(&self, known: Option<u64>, wait: Duration) -> Result<QueueSnapshot, Unreachable>;

    /// Sends one event with the operator's session token.
    fn push(&self, session: &str, event: &EventEnvelope) -> Result<Accepted, PushError>;
}
