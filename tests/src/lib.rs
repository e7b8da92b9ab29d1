//! Helpers shared by Okno's cross-crate tests in `tests/tests/`.
//!
//! [`deps`] walks the workspace's resolved dependency graph so a test can
//! enforce the layering rules written in ARCHITECTURE.md.

pub mod deps;
