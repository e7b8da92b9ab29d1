//! The operator console: the Slint UI of a service window and the
//! controllers behind it.
//!
//! - [`app`]: builds the window and wires the controllers ([`Console::init`]),
//!   separately from running the event loop ([`Console::run`]);
//! - [`controllers`]: one module per screen, each with a `setup` function;
//! - [`backend`], [`printer`], [`qr`], [`chip`], [`outbox`]: the narrow seams
//!   to the sync server, the slip printer, the ticket QR check, the chip data
//!   interpretation and the local outbox, each with its real implementation
//!   and an in-memory one for the demo and the UI tests;
//! - [`setup`]: builds the real parts from the configuration;
//! - [`worker`]: the background thread that long-polls the queue and
//!   delivers queued events;
//! - [`config`] reads `/etc/okno/operator.toml`.
//!
//! Domain rules (call order, ticket and request transitions, reject reasons)
//! come from the `domain` crate; this crate only shows them and records the
//! operator's intents as sync events.

pub mod app;
pub mod backend;
pub mod chip;
pub mod config;
pub(crate) mod controllers;
mod delivery;
pub mod demo;
pub mod outbox;
pub mod printer;
pub mod qr;
pub mod session;
pub mod setup;
pub mod worker;

/// The Rust side of the Slint sources in `ui/operator/`.
// Generated code: it unwraps its own globals and has `todo!` arms for
// features this console does not use, which the workspace lints reject.
#[allow(clippy::all, clippy::unwrap_used, clippy::todo)]
pub mod ui {
    slint::include_modules!();
}

pub use app::{Console, Deps, Settings};
