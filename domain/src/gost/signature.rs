//! Signature generation and verification on integers, as RFC 7091
//! sections 6.1 and 6.2 state them, and the `s || r` byte layout that
//! X.509 and PKCS#11 use for GOST signatures.

use num_bigint::BigUint;

use super::curve::GostKeySize;
use super::error::GostError;
use super::point::{AffinePoint, WeierstrassCurve};

/// Checks a signature (r, s) over the digest integer `alpha` (RFC 7091,
/// section 6.2).
pub(crate) fn verify(
    curve: &WeierstrassCurve,
    public_key: &AffinePoint,
    alpha: &BigUint,
    r: &BigUint,
    s: &BigUint,
) -> Result<(), GostError> {
    let q = &curve.q;
    if *r == BigUint::ZERO || *s == BigUint::ZERO || r >= q || s >= q {
        return Err(GostError::SignatureOutOfRange);
    }

    let e = reduce_digest(alpha, q);
    let v = e.modpow(&(q - 2u8), q);
    let z1 = (s * &v) % q;
    let z2 = (q - (r * &v) % q) % q;

    let point = curve
        .multiply_add(&z1, &curve.base, &z2, public_key)
        .ok_or(GostError::BadSignature)?;
    if point.x % q == *r {
        Ok(())
    } else {
        Err(GostError::BadSignature)
    }
}

/// Signs the digest integer `alpha` with private key `d` and nonce `k`
/// (RFC 7091, section 6.1), returning (r, s).
pub(crate) fn sign(
    curve: &WeierstrassCurve,
    d: &BigUint,
    alpha: &BigUint,
    k: &BigUint,
) -> Result<(BigUint, BigUint), GostError> {
    let q = &curve.q;
    if *k == BigUint::ZERO || k >= q {
        return Err(GostError::InvalidSigningInput {
            reason: "nonce k is outside 1..q-1",
        });
    }

    let e = reduce_digest(alpha, q);
    let point = curve
        .multiply(&curve.base, k)
        .ok_or(GostError::InvalidSigningInput {
            reason: "nonce k is a multiple of q",
        })?;
    let r = point.x % q;
    if r == BigUint::ZERO {
        return Err(GostError::InvalidSigningInput {
            reason: "nonce k gives r = 0, pick another k",
        });
    }
    let s = (&r * d + k * &e) % q;
    if s == BigUint::ZERO {
        return Err(GostError::InvalidSigningInput {
            reason: "nonce k gives s = 0, pick another k",
        });
    }
    Ok((r, s))
}

/// Computes e = alpha mod q, replaced by 1 when it is 0 (RFC 7091, step 2
/// of sections 6.1 and 6.2).
fn reduce_digest(alpha: &BigUint, q: &BigUint) -> BigUint {
    let e = alpha % q;
    if e == BigUint::ZERO {
        BigUint::from(1u8)
    } else {
        e
    }
}

/// Splits `s || r` (each big-endian and of the key size's length) into
/// (r, s).
pub(crate) fn decode_signature(
    size: GostKeySize,
    signature: &[u8],
) -> Result<(BigUint, BigUint), GostError> {
    let expected = size.signature_len();
    if signature.len() != expected {
        return Err(GostError::SignatureLength {
            expected,
            actual: signature.len(),
        });
    }
    let (s, r) = signature.split_at(size.coordinate_len());
    Ok((BigUint::from_bytes_be(r), BigUint::from_bytes_be(s)))
}

/// Lays (r, s) out as `s || r`, each left-padded to the key size's length.
pub(crate) fn encode_signature(size: GostKeySize, r: &BigUint, s: &BigUint) -> Vec<u8> {
    let mut signature = to_fixed_be(s, size.coordinate_len());
    signature.extend(to_fixed_be(r, size.coordinate_len()));
    signature
}

/// Writes a value below 2^(8·len) as exactly `len` big-endian bytes.
pub(crate) fn to_fixed_be(value: &BigUint, len: usize) -> Vec<u8> {
    let bytes = value.to_bytes_be();
    let mut fixed = vec![0u8; len.saturating_sub(bytes.len())];
    fixed.extend(bytes);
    fixed
}
