//! Okno's sync server: the central record that kiosks and operator consoles
//! sync with.
//!
//! - [`store`]: the storage interface and its SQLite implementation; no other
//!   crate sees the schema.
//! - [`routes`]: the HTTP API, built by [`routes::app`] so tests can drive it
//!   without a socket.
//! - [`auth`]: device request verification (HMAC and replay window).
//! - [`serve`]: listener, optional TLS and the shutdown path.
//! - [`cli`]: the `sync-server` command line (serve and administration).
//! - [`contacts`]: one-time codes confirming a visitor's phone and e-mail,
//!   with the SMTP and SMS gateways.
//! - [`trust`]: reading CA certificates and CRLs for the trust directory
//!   that signature confirmations are checked against.
//!
//! Rules about states, ticket numbers and passwords come from `domain`;
//! this crate stores and orders what those rules allow.

pub mod auth;
pub mod cli;
pub mod contacts;
pub mod error;
pub mod metrics;
pub mod roles;
pub mod routes;
pub mod secrets;
pub mod serve;
pub mod state;
pub mod store;
pub mod trust;

pub use routes::app;
pub use state::{AppState, Limits};
