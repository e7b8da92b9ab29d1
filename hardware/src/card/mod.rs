//! Card readers and chip documents.
//!
//! - [`atr`]: answer-to-reset parsing and the table of recognised cards,
//!   with the exact ATRs of signature tokens in `token_atrs`.
//! - [`apdu`], [`status`]: command/response APDUs and ISO 7816 status words.
//! - [`transport`]: the [`Transport`] trait every card protocol runs over,
//!   with `61xx`/`6Cxx` handling and traffic counting.
//! - [`pcsc`]: the reader/card monitor thread and the PC/SC transport.
//! - [`emrtd`]: chip passports and ID cards (ICAO 9303): BAC, secure
//!   messaging, LDS files, face images and passive authentication.
//! - [`sim`]: the virtual passport chip, its test issuer and the
//!   pcscd-in-a-namespace rig, for tests, benchmarks and the demo.
//!
//! What a visitor or operator sees is left to the callers. Errors here are
//! typed, and the ones a person meets carry a `message_ru` method with the
//! Russian text that says what to do.

pub mod apdu;
pub mod atr;
pub mod emrtd;
pub mod hex;
pub mod pcsc;
pub mod sim;
pub mod status;
mod token_atrs;
pub mod transport;

pub use apdu::{Command, Response};
pub use atr::{Atr, CardKind};
pub use emrtd::{read_document, ChipDocument, ReadError, ReadOptions, Session};
pub use status::{StatusError, StatusWord};
pub use transport::{exchange, Metered, Traffic, Transport, TransportError};
