//! Helpers shared by Okno's cross-crate tests in `tests/tests/` and the
//! `okno-demo` binary.
//!
//! - [`deps`] walks the workspace's resolved dependency graph so a test can
//!   enforce the layering rules written in ARCHITECTURE.md.
//! - [`scenario`] drives the kiosk and console windows through the main job.
//! - [`escpos_read`] reads printed bytes back, apart from the encoder.
//! - [`server_process`] starts a real `sync-server` and runs its
//!   administration commands.

pub mod deps;
pub mod escpos_read;
pub mod scenario;
pub mod server_process;
