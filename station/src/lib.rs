//! The core shared by both stations (the kiosk and the operator console): the
//! local SQLite store, the outbox of events not yet acknowledged by the sync
//! server, and the HTTP sync client.
//!
//! TODO: the store, outbox and client land with the sync server protocol;
//! until then this crate only reserves its place in the workspace.
