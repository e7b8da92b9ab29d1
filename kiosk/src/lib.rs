//! The kiosk's visitor flow: the Slint window from the `ui` crate, a
//! controller per screen, and the seams the rest of Okno plugs into.
//!
//! - [`app`] builds the window and wires the controllers ([`init`]) apart
//!   from running the event loop ([`Kiosk::run`]), so tests drive the same
//!   window through Slint's testing backend.
//! - [`fields`] is the seam to the `domain` field rules.
//! - [`chip`] is the seam the card layer drives to read a passport chip;
//!   [`chip::PcscChipReader::new`]`(reader_name)` reads one on a real PC/SC
//!   reader (BAC, DG1, DG2, passive authentication) off the UI thread.
//! - [`issue`] is the seam that issues a ticket; [`station_issuer`]
//!   implements it over the station store and the printer, and
//!   [`issue::MemoryIssuer`] keeps requests in memory for UI tests.
//! - [`contacts`] is the seam that sends and checks the one-time codes
//!   confirming a registration's phone and e-mail; [`station_contacts`]
//!   implements it over the signed sync client, off the UI thread.
//! - [`token`] is the seam that reads signature tokens (КЭП) and sends
//!   the signed challenge to the server; [`station_token`] implements it
//!   over a PKCS#11 module and the signed sync client, off the UI thread.
//! - [`config`] reads `/etc/okno/kiosk.toml`; [`wiring`] builds a kiosk
//!   with its real parts from it ([`wiring::StationKiosk::open`]).
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
mod chip_pcsc;
pub mod config;
pub mod contacts;
mod controllers;
pub mod fields;
pub mod issue;
pub mod qr;
pub mod service;
pub mod service_pin;
mod session;
pub mod station_contacts;
pub mod station_issuer;
pub mod station_token;
pub mod token;
pub mod wiring;

pub use app::{init, init_with_contacts, init_with_steps, Kiosk, Services};
pub use controllers::{ANSWER_SECONDS, IDLE_AFTER, TICKET_SHOWN_SECONDS};
pub use wiring::{Options, StationKiosk};
