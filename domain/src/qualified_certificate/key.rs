//! The key algorithm policy for qualified certificates: GOST R 34.10-2012
//! with a 256- or 512-bit key, RSA of at least 2048 bits, or ECDSA on the
//! NIST curves P-256, P-384 or P-521.

use serde::{Deserialize, Serialize};

use super::error::CertificateError;

/// The smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: u32 = 2048;

/// A subject public key's algorithm, as read from the certificate's
/// `subjectPublicKeyInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "algorithm", rename_all = "snake_case")]
pub enum KeyAlgorithm {
    /// GOST R 34.10-2012 with a 256-bit key (OID 1.2.643.7.1.1.1.1).
    Gost2012_256,
    /// GOST R 34.10-2012 with a 512-bit key (OID 1.2.643.7.1.1.1.2).
    Gost2012_512,
    /// GOST R 34.10-2001 (OID 1.2.643.2.2.19), no longer allowed for
    /// qualified signatures in Russia since 2019.
    Gost2001,
    /// RSA with the modulus length in bits.
    Rsa { modulus_bits: u32 },
    /// An elliptic-curve key (OID 1.2.840.10045.2.1) on the named curve.
    Ec { curve: EcCurve },
    /// Any other algorithm, by its dotted OID.
    Other { oid: String },
}

/// A named elliptic curve of an EC public key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "curve", rename_all = "snake_case")]
pub enum EcCurve {
    /// secp192r1 (1.2.840.10045.3.1.1).
    P192,
    /// secp224r1 (1.3.132.0.33).
    P224,
    /// secp256r1 (1.2.840.10045.3.1.7).
    P256,
    /// secp384r1 (1.3.132.0.34).
    P384,
    /// secp521r1 (1.3.132.0.35).
    P521,
    /// Any other curve, by its dotted OID.
    Other { oid: String },
}

impl EcCurve {
    /// Returns the curve named by a dotted OID.
    pub fn from_oid(oid: &str) -> EcCurve {
        match oid {
            "1.2.840.10045.3.1.1" => EcCurve::P192,
            "1.3.132.0.33" => EcCurve::P224,
            "1.2.840.10045.3.1.7" => EcCurve::P256,
            "1.3.132.0.34" => EcCurve::P384,
            "1.3.132.0.35" => EcCurve::P521,
            other => EcCurve::Other {
                oid: other.to_owned(),
            },
        }
    }

    /// Returns the curve's NIST name, such as `P-256`, or its OID.
    pub fn name(&self) -> &str {
        match self {
            EcCurve::P192 => "P-192",
            EcCurve::P224 => "P-224",
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
            EcCurve::P521 => "P-521",
            EcCurve::Other { oid } => oid,
        }
    }
}

/// Checks the key algorithm against the policy.
///
/// NOTE: brainpool and other non-NIST curves are rejected as unsupported
/// even where their strength matches P-256, because the policy names the
/// NIST curves only.
pub fn check_key_algorithm(key: &KeyAlgorithm) -> Result<(), CertificateError> {
    match key {
        KeyAlgorithm::Gost2012_256 | KeyAlgorithm::Gost2012_512 => Ok(()),
        KeyAlgorithm::Gost2001 => Err(CertificateError::OutdatedGost),
        KeyAlgorithm::Rsa { modulus_bits } if *modulus_bits >= MIN_RSA_BITS => Ok(()),
        KeyAlgorithm::Rsa { modulus_bits } => Err(CertificateError::WeakRsaKey {
            modulus_bits: *modulus_bits,
        }),
        KeyAlgorithm::Ec {
            curve: EcCurve::P256 | EcCurve::P384 | EcCurve::P521,
        } => Ok(()),
        KeyAlgorithm::Ec {
            curve: curve @ (EcCurve::P192 | EcCurve::P224),
        } => Err(CertificateError::WeakCurve {
            curve: curve.name().to_owned(),
        }),
        KeyAlgorithm::Ec {
            curve: EcCurve::Other { oid },
        } => Err(CertificateError::UnsupportedCurve { oid: oid.clone() }),
        KeyAlgorithm::Other { oid } => {
            Err(CertificateError::UnsupportedKeyAlgorithm { oid: oid.clone() })
        }
    }
}
