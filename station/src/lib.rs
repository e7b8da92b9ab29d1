//! The core shared by both stations (the kiosk and the operator console):
//! the local SQLite [`store`] with its outbox, the device [`credentials`]
//! and [`provision`]ing, the signed HTTP [`client`] for the sync server, and
//! the background [`sync`] service that pushes the outbox and pulls changes.
//!
//! The Slint screens and the printer are left to the `kiosk` and `operator`
//! binaries: this crate depends on neither Slint nor axum, and reports to
//! the UI only through a plain callback.

pub mod cli;
pub mod client;
pub mod credentials;
pub mod provision;
pub mod store;
pub mod sync;

pub use credentials::Credentials;
pub use provision::{provision, provision_async, ProvisionError};
pub use store::{Store, StoreError};
pub use sync::{SyncConfig, SyncHandle, SyncStatus, SyncUpdate};
