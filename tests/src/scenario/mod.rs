//! The main job as a script: a visitor registers at the kiosk and leaves
//! with a ticket, an operator calls it at the console, compares typed and
//! chip data, confirms, and a code slip comes out.
//!
//! The drivers work on windows that are already built and running on
//! Slint's testing backend, and touch elements by id as a person would.
//! The caller builds the windows and their services (the `okno-demo`
//! binary and `tests/tests/main_job.rs`). Every step returns a
//! typed result, so a caller can print a summary or assert on it.
//!
//! - [`visitor`]: the sample visitor and the values the screens should show.
//! - [`kiosk`]: [`KioskDriver`], the visitor's taps.
//! - [`console`]: [`ConsoleDriver`], the operator's clicks.
//! - [`signature`]: the signature leg, the kiosk's token step and the
//!   server's account.
//! - [`pump`]: turning the event loop until a condition is true.
//! - [`report`]: the steps' outcomes and the printed summary.
//!
//! Kiosk and console share one thread and one testing backend: Slint's
//! cross-thread event loop proxy is process-wide, so a second platform on
//! another thread would receive neither window's updates.

pub mod console;
pub mod job;
pub mod kiosk;
pub mod pump;
pub mod report;
pub mod signature;
pub mod visitor;

pub use console::ConsoleDriver;
pub use kiosk::KioskDriver;
pub use report::{Report, StepOutcome};
pub use visitor::Visitor;

/// Why a scripted step did not reach its end. Messages name elements,
/// steps and stable codes, never a visitor's values.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("no element `{id}` on the screen during {step}")]
    Missing { step: &'static str, id: String },
    #[error("timed out after {seconds} s waiting until {what}")]
    Timeout { what: String, seconds: u64 },
    #[error("{step}: expected {expected}, the screen shows {found}")]
    Unexpected {
        step: &'static str,
        expected: String,
        found: String,
    },
}
