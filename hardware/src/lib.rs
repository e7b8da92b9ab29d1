//! Okno's hardware layer: thermal printers speaking ESC/POS and card readers
//! reached through PC/SC, each with a virtual device for development and
//! tests, and signature tokens reached through a PKCS#11 module.
//!
//! It knows nothing of Slint or HTTP: callers get typed events, documents
//! and errors, and decide what a visitor or operator sees.
pub mod printer;

pub mod card;

pub mod token;

// The card layer's RustCrypto generation (see the root Cargo.toml) under
// its usual names.
extern crate rand_core_0_6 as rand_core;
extern crate sha2_0_10 as sha2;
