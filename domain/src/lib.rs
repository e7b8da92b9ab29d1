//! Okno's domain rules: the fields a visitor enters, the states a request,
//! a ticket and an account move through, and the types the stations and the
//! sync server exchange.
//!
//! This crate does no I/O: no files, sockets, clocks or UI. Time comes in
//! as a value or through a clock trait, so every rule is testable
//! with a fixed instant. The dependency rule is enforced by a test in the
//! `tests` crate.

pub mod field;

pub use field::{Field, FieldError, FieldRule, Lang};
pub mod mrz;
