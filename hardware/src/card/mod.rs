//! Card readers and chip documents.
//!
//! - [`atr`]: answer-to-reset parsing and the table of recognised cards.
//! - [`apdu`], [`status`]: command/response APDUs and ISO 7816 status words.
//! - [`transport`]: the [`Transport`] trait every card protocol runs over,
//!   with `61xx`/`6Cxx` handling and traffic counting.
//!
//! What a visitor or operator sees is left to the callers: errors here are
//! typed, and [`fault`](self) messages in Russian live next to them.

pub mod apdu;
pub mod atr;
pub mod hex;
pub mod status;
pub mod transport;

pub use apdu::{Command, Response};
pub use atr::{Atr, CardKind};
pub use status::{StatusError, StatusWord};
pub use transport::{exchange, Metered, Traffic, Transport, TransportError};
pub mod emrtd;
pub mod sim;
pub use emrtd::{read_document, ChipDocument, ReadError, ReadOptions, Session};
pub mod pcsc;
