//! Chip passports and ID cards per ICAO Doc 9303.
//!
//! - [`crypto`]: 3DES, retail MAC and key derivation.
//! - [`bac`]: Basic Access Control, reader and chip sides.
//! - [`sm`]: secure messaging, reader and chip sides.
//! - [`tlv`]: BER-TLV for LDS files and secure messaging objects.
//! - [`reader`]: the read session (SELECT, BAC, READ BINARY) and
//!   [`read_document`].
//! - [`lds`]: EF.COM, DG1 and DG2; [`face`]: face image decoding.
//! - [`passive`]: passive authentication of the data against EF.SOD.
//! - [`error`]: read faults with their Russian messages.
//!
//! # Why not the `dmrtd` crate
//!
//! `dmrtd` 0.3.5 was evaluated before this was written. It passes the
//! ICAO 9303 Part 11 Appendix D worked example (key derivation, mutual
//! authentication and the three secure messaging exchanges), but it was not
//! adopted because:
//!
//! - it declares Rust 1.92 while this workspace declares 1.85;
//! - it reads files in fixed 0xDC-byte chunks, with no extended-length
//!   READ BINARY, so it cannot take the fewest APDUs a chip allows;
//! - it is reader-only, and the virtual chip needs the chip side of BAC and
//!   secure messaging anyway;
//! - its errors are strings (`SmError(String)`, `MrtdApiError::Response`),
//!   so "BAC refused", "data group absent" and "card removed" cannot be told
//!   apart without parsing text;
//! - it pulls a second generation of the RustCrypto crates (digest 0.11)
//!   next to the 0.10 generation `cms` and `x509-cert` 0.2 use, plus
//!   `chrono`, `num-bigint` and five elliptic curves, doubling the
//!   cryptography build on a 2-core machine.
//!
//! The Appendix D values are in the tests of [`crypto`], [`bac`] and [`sm`].

pub mod bac;
pub mod crypto;
pub mod error;
pub mod face;
pub mod lds;
pub mod passive;
pub mod reader;
pub mod sm;
pub mod tlv;

pub use error::ReadError;
pub use reader::{read_document, ChipDocument, ReadOptions, Session};
