//! GOST R 34.10-2012 public keys, which verify signatures, and signing
//! keys with a caller-chosen nonce for tests and test certificates.

use std::fmt;

use num_bigint::BigUint;

use super::curve::{GostCurve, GostKeySize};
use super::digest::{digest_to_integer, streebog_digest};
use super::error::GostError;
use super::point::AffinePoint;
use super::signature;
use super::spki;

/// The X.509 signature algorithm id-tc26-signwithdigest-gost3410-12-256:
/// GOST R 34.10-2012 with a 256-bit key over Streebog-256.
pub const SIGNATURE_ALGORITHM_256: &str = "1.2.643.7.1.1.3.2";

/// The X.509 signature algorithm id-tc26-signwithdigest-gost3410-12-512:
/// GOST R 34.10-2012 with a 512-bit key over Streebog-512.
pub const SIGNATURE_ALGORITHM_512: &str = "1.2.643.7.1.1.3.3";

/// A GOST R 34.10-2012 public key: a point of the curve's subgroup of
/// prime order `q`.
#[derive(Clone, PartialEq, Eq)]
pub struct GostPublicKey {
    curve: GostCurve,
    point: AffinePoint,
}

impl GostPublicKey {
    /// Decodes a DER `SubjectPublicKeyInfo` whose algorithm is GOST R
    /// 34.10-2012 (256 or 512 bits), and checks that the point lies in the
    /// curve's subgroup of order `q`.
    ///
    /// Keys on the RFC 7091 test curves are rejected with
    /// [`GostError::TestCurve`].
    pub fn from_spki_der(spki_der: &[u8]) -> Result<Self, GostError> {
        let (curve, point) = spki::decode(spki_der)?;
        Self::from_point(curve, point)
    }

    /// Builds a key from big-endian affine coordinates, as the RFC 7091
    /// examples print them. Test curves are accepted here.
    pub fn from_coordinates(curve: GostCurve, x: &[u8], y: &[u8]) -> Result<Self, GostError> {
        let point = AffinePoint {
            x: BigUint::from_bytes_be(x),
            y: BigUint::from_bytes_be(y),
        };
        Self::from_point(curve, point)
    }

    fn from_point(curve: GostCurve, point: AffinePoint) -> Result<Self, GostError> {
        let parameters = curve.parameters();
        let in_subgroup =
            parameters.contains(&point) && parameters.multiply(&point, &parameters.q).is_none();
        if !in_subgroup {
            return Err(GostError::InvalidPoint {
                curve_oid: curve.oid().to_owned(),
            });
        }
        Ok(GostPublicKey { curve, point })
    }

    /// Encodes the key as a DER `SubjectPublicKeyInfo`, under the curve's
    /// main OID (so a CryptoPro XchA key comes back as CryptoPro A).
    pub fn to_spki_der(&self) -> Vec<u8> {
        spki::encode(self.curve, &self.point)
    }

    /// Returns the key's parameter set.
    pub fn curve(&self) -> GostCurve {
        self.curve
    }

    /// Returns the key's size, which fixes the Streebog variant and the
    /// signature length.
    pub fn key_size(&self) -> GostKeySize {
        self.curve.key_size()
    }

    /// Verifies `signature` (`s || r`, big-endian, as X.509 and PKCS#11
    /// lay it out) over `message`, hashed with the Streebog variant that
    /// matches the key size.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), GostError> {
        let digest = streebog_digest(self.key_size(), message);
        self.verify_digest(&digest, signature)
    }

    /// Verifies the signature of an X.509 certificate or CRL made with this
    /// key. `algorithm_oid` is the outer `signatureAlgorithm`,
    /// `signed_der` the DER of the to-be-signed part, and `signature` the
    /// content of the `signatureValue` BIT STRING, which is `s || r`
    /// itself with no DER wrapper.
    pub fn verify_x509_signature(
        &self,
        algorithm_oid: &str,
        signed_der: &[u8],
        signature: &[u8],
    ) -> Result<(), GostError> {
        let (expected, key_bits) = match self.key_size() {
            GostKeySize::Bits256 => (SIGNATURE_ALGORITHM_256, 256),
            GostKeySize::Bits512 => (SIGNATURE_ALGORITHM_512, 512),
        };
        if algorithm_oid != expected {
            return Err(GostError::SignatureAlgorithmMismatch {
                oid: algorithm_oid.to_owned(),
                key_bits,
            });
        }
        self.verify(signed_der, signature)
    }

    /// Verifies `signature` over a Streebog `digest` computed by the
    /// caller, in the byte order [`streebog_digest`] returns.
    pub fn verify_digest(&self, digest: &[u8], signature: &[u8]) -> Result<(), GostError> {
        check_digest_len(self.key_size(), digest)?;
        let (r, s) = signature::decode_signature(self.key_size(), signature)?;
        signature::verify(
            self.curve.parameters(),
            &self.point,
            &digest_to_integer(digest),
            &r,
            &s,
        )
    }
}

impl fmt::Debug for GostPublicKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("GostPublicKey")
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

/// A GOST R 34.10-2012 private key that signs with a nonce `k` the caller
/// gives.
///
/// This reproduces the RFC 7091 examples and signs test certificates. It
/// is not for production keys: the arithmetic is not constant time, the
/// key is not wiped from memory, and a repeated or predictable `k` reveals
/// the private key. Real keys stay on the token, which signs by itself.
#[derive(Clone)]
pub struct GostSigningKey {
    curve: GostCurve,
    d: BigUint,
}

impl GostSigningKey {
    /// Takes the private key `d` as a big-endian integer in 1..q-1.
    pub fn from_be_bytes(curve: GostCurve, d: &[u8]) -> Result<Self, GostError> {
        let d = BigUint::from_bytes_be(d);
        if d == BigUint::ZERO || d >= curve.parameters().q {
            return Err(GostError::InvalidSigningInput {
                reason: "private key d is outside 1..q-1",
            });
        }
        Ok(GostSigningKey { curve, d })
    }

    /// Computes the public key d·P.
    pub fn public_key(&self) -> GostPublicKey {
        let parameters = self.curve.parameters();
        let point = parameters
            .multiply(&parameters.base, &self.d)
            .expect("d in 1..q-1 times a point of order q is never the point at infinity");
        GostPublicKey {
            curve: self.curve,
            point,
        }
    }

    /// Signs a Streebog `digest` with the big-endian nonce `k`, returning
    /// `s || r`. The same `k` must never sign two different digests.
    pub fn sign_digest_with_k(&self, digest: &[u8], k: &[u8]) -> Result<Vec<u8>, GostError> {
        let size = self.curve.key_size();
        check_digest_len(size, digest)?;
        let (r, s) = signature::sign(
            self.curve.parameters(),
            &self.d,
            &digest_to_integer(digest),
            &BigUint::from_bytes_be(k),
        )?;
        Ok(signature::encode_signature(size, &r, &s))
    }
}

impl fmt::Debug for GostSigningKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("GostSigningKey")
            .field("curve", &self.curve)
            .finish_non_exhaustive()
    }
}

fn check_digest_len(size: GostKeySize, digest: &[u8]) -> Result<(), GostError> {
    let expected = size.coordinate_len();
    if digest.len() != expected {
        return Err(GostError::DigestLength {
            expected,
            actual: digest.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finds a curve point outside the subgroup of order `q`, which exists
    /// on the cofactor-4 curves. Both primes are 3 mod 4, so a square root
    /// is a single exponentiation.
    fn point_outside_subgroup(curve: GostCurve) -> AffinePoint {
        let parameters = curve.parameters();
        let p = &parameters.p;
        let root_exponent = (p + 1u8) >> 2;
        for x in 1u32..1000 {
            let x = BigUint::from(x);
            let right = (&x * &x * &x + &parameters.a * &x + &parameters.b) % p;
            let y = right.modpow(&root_exponent, p);
            let point = AffinePoint { x, y };
            if parameters.contains(&point) && parameters.multiply(&point, &parameters.q).is_some() {
                return point;
            }
        }
        panic!("no point outside the subgroup among the first 1000 x values of {curve:?}");
    }

    #[test]
    fn point_outside_subgroup_rejected() {
        for curve in [GostCurve::Tc26Gost256A, GostCurve::Tc26Gost512C] {
            let point = point_outside_subgroup(curve);
            assert!(curve.parameters().contains(&point), "{curve:?}");
            assert_eq!(
                GostPublicKey::from_point(curve, point),
                Err(GostError::InvalidPoint {
                    curve_oid: curve.oid().to_owned()
                })
            );
        }
    }
}
