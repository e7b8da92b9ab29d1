//! The documents Okno prints, each a function from its data and a printer
//! profile to a [`Job`](crate::printer::escpos::Job).
//!
//! - [`QueueTicket`]: the visitor's queue ticket with its signed QR code.
//! - [`ConfirmationSlip`]: the operator's slip with the confirmation code.
//! - [`RejectionSlip`]: the operator's slip giving the reason for a rejection.
//! - [`TestPage`]: the technicians' page that shows what a printer can do.
//!
//! The texts are Russian because visitors read them. Callers supply the
//! data, the QR payload included; signing it is the domain's work.

pub mod confirmation;
pub mod rejection;
pub mod test_page;
pub mod ticket;

pub use confirmation::ConfirmationSlip;
pub use rejection::RejectionSlip;
pub use test_page::TestPage;
pub use ticket::QueueTicket;

/// Formats a local date and time as printed on every slip: `04.12.2026 14:05`.
fn format_date_time(at: jiff::civil::DateTime) -> String {
    at.strftime("%d.%m.%Y %H:%M").to_string()
}
