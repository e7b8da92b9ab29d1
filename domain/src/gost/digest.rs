//! Streebog (GOST R 34.11-2012) digests and their reading as the integer
//! that GOST R 34.10-2012 signs.

use num_bigint::BigUint;
use streebog::{Digest, Streebog256, Streebog512};

use super::curve::GostKeySize;

/// Hashes `message` with the Streebog variant of the key size: Streebog-256
/// for 256-bit keys and Streebog-512 for 512-bit keys.
///
/// The bytes are in the order the `streebog` crate and the OpenSSL GOST
/// engine output them. RFC 6986 prints the same digests as numbers, so its
/// hexadecimal strings are these bytes reversed.
pub fn streebog_digest(size: GostKeySize, message: &[u8]) -> Vec<u8> {
    match size {
        GostKeySize::Bits256 => Streebog256::digest(message).to_vec(),
        GostKeySize::Bits512 => Streebog512::digest(message).to_vec(),
    }
}

/// Reads a digest as the integer alpha of RFC 7091 section 6.1, little-endian.
///
/// The byte order is the one X.509 implementations use. The example
/// certificates of draft-deremin-rfc4491-bis (published as RFC 9215)
/// verify under it and fail under the big-endian reading, as
/// `domain/tests/gost.rs` checks.
pub(crate) fn digest_to_integer(digest: &[u8]) -> BigUint {
    BigUint::from_bytes_le(digest)
}
