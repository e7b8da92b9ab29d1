//! Okno's domain rules: the fields a visitor enters, the states a request,
//! a ticket and an account move through, and the types the stations and the
//! sync server exchange.
//!
//! This crate does no I/O: no files, sockets, clocks or UI. Time comes in
//! as a value or through a clock trait, so every rule is testable
//! with a fixed instant. The dependency rule is enforced by a test in the
//! `tests` crate.

pub mod account;
pub mod clock;
pub mod confirmation_code;
pub mod date;
pub mod email;
pub mod field;
pub mod gost;
pub mod inn;
pub mod name;
pub mod ogrn;
pub mod one_time_code;
pub mod passport;
pub mod password;
pub mod phone;
pub mod qualified_certificate;
pub mod request;
pub mod snils;
pub mod sync;
mod text;
pub mod ticket;

pub mod ticket_qr;

pub use field::{Field, FieldError, FieldRule, Lang};
pub mod mrz;
pub mod passport_issuer;
pub mod travel_passport;
