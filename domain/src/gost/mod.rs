//! GOST R 34.10-2012 signature verification over Streebog (GOST R
//! 34.11-2012) digests, for certificates, CRLs and token signatures made
//! with Russian qualified keys. Pure computation: no I/O.
//!
//! - `curve`: the parameter sets by OID, with their domain parameters.
//! - `point`: point arithmetic on short Weierstrass curves.
//! - `signature`: RFC 7091 signing and verification on integers, and the
//!   `s || r` layout.
//! - `spki`: X.509 `SubjectPublicKeyInfo` decoding.
//! - `digest`: Streebog, and the digest-to-integer conversion.
//! - `key`: [`GostPublicKey`] and the test-only [`GostSigningKey`].
//!
//! Byte orders follow X.509 (RFC 9215) and PKCS#11. The public key is X
//! then Y, each little-endian. A signature is `s || r`, each big-endian.
//! The Streebog output is read as a little-endian integer. The published
//! example certificates in `domain/tests/gost.rs` verify under exactly
//! these orders.

mod curve;
mod digest;
mod error;
mod key;
mod point;
mod signature;
mod spki;

pub use curve::{GostCurve, GostKeySize};
pub use digest::streebog_digest;
pub use error::GostError;
pub use key::{GostPublicKey, GostSigningKey, SIGNATURE_ALGORITHM_256, SIGNATURE_ALGORITHM_512};
