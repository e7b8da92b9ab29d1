//! The kiosk's visitor flow: the Slint window from the `ui` crate, a
//! controller per screen, and the seams the rest of Okno plugs into.
//!
//! - [`app`] builds the window and wires the controllers ([`init`]) apart
//!   from running the event loop ([`Kiosk::run`]), so tests drive the same
//!   window through Slint's testing backend.
//! - [`fields`] is the seam to the `domain` field rules.
//! - [`chip`] is the seam the card layer drives to read a passport chip.
//! - [`issue`] is the seam the station store and printer implement to issue
//!   a ticket; [`issue::MemoryIssuer`] stands in until they exist.
//! - [`qr`] renders a ticket's QR text as an image.
//!
//! Time: the idle question and the ticket screen's return run on
//! `slint::Timer`s. Under the testing backend with mock time, tests move the
//! clock with `i_slint_backend_testing::mock_elapsed_time`.
//!
//! Personal data stay in the session (`session`) and the UI models; both
//! are wiped when a session ends, and no log line carries them.

pub mod app;
pub mod chip;
mod controllers;
pub mod fields;
pub mod issue;
pub mod qr;
mod session;

pub use app::{init, Kiosk, Services};
pub use controllers::{ANSWER_SECONDS, IDLE_AFTER, TICKET_SHOWN_SECONDS};
