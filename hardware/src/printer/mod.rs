//! Thermal printing over ESC/POS: documents laid out for a printer
//! profile, encoded byte by byte, sent over a link named by a URI, with
//! real-time status checked before and after each job.
//!
//! - `cp866`: text to CP866 with printable replacements.
//! - `escpos`: the command encoder ([`Job`]).
//! - `raster`: one-bit images and raster QR codes.
//! - `layout` and `documents`: what goes on the paper.
//! - `profile`: printer models, from TOML.
//! - `uri`, `transport`, `status`, `device`: reaching the printer and
//!   knowing whether a job printed.
//! - `virtual_printer`: renders jobs to PNG for previews and tests.
//! - `fake_network`: a fake network printer on 127.0.0.1 for tests.
//!
//! Signing a ticket's QR payload is `domain::ticket_qr`'s work; this module
//! prints whatever payload it is given.

pub mod cp866;
pub mod device;
pub mod documents;
pub mod escpos;
pub mod fake_network;
pub mod layout;
pub mod profile;
pub mod raster;
pub mod status;
pub mod transport;
pub mod uri;
pub mod virtual_printer;

pub use device::{PrintError, PrintReport, Printer, Status};
pub use documents::{ConfirmationSlip, QueueTicket, RejectionSlip, TestPage};
pub use escpos::Job;
pub use profile::Profile;
pub use status::PrinterState;
pub use uri::PrinterUri;
