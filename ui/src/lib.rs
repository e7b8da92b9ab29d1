//! Okno's Slint screens and their Russian and English translations.
//!
//! The kiosk's window is [`KioskWindow`]; Rust talks to its pages only
//! through the exported globals (`AttractAdapter`, `EntryAdapter`, …), one
//! per screen, and the shared enums and structs in `kiosk/types.slint`.

// The Slint compiler writes this code; the workspace's lints on `unwrap()`
// and style are for hand-written code.
#[allow(clippy::all, clippy::todo, clippy::unwrap_used)]
mod generated {
    slint::include_modules!();
}

pub use generated::*;
