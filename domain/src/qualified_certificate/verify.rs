//! Signature verification with a certificate's public key, for the
//! signatures of certification centers on certificates and CRLs and for a
//! token's proof of possession.
//!
//! RSA (PKCS#1 v1.5) and ECDSA on P-256 and P-384 are verified with the
//! RustCrypto crates, and GOST R 34.10-2012 through [`crate::gost`]. ECDSA
//! on P-521 has no verifier here and is reported as unsupported.

use const_oid::ObjectIdentifier;
use der::Encode;
use ecdsa::signature::hazmat::PrehashVerifier;
use sha2_0_10::{Digest, Sha256, Sha384, Sha512};
use signature::Verifier;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::x509::{key_oid, named_curve};
use crate::gost::{GostKeySize, GostPublicKey};

/// Signature algorithms of certificates and CRLs (RFC 4055, RFC 5758,
/// RFC 9215).
mod signature_oid {
    use const_oid::ObjectIdentifier;

    pub const SHA256_WITH_RSA: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
    pub const SHA384_WITH_RSA: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
    pub const SHA512_WITH_RSA: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
    pub const ECDSA_WITH_SHA256: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
    pub const ECDSA_WITH_SHA384: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
    pub const ECDSA_WITH_SHA512: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
    pub const GOST_2012_256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.3.2");
    pub const GOST_2012_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.3.3");
}

const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// The reason a signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VerifyFailure {
    /// The signature does not verify, or the key does not fit the
    /// algorithm.
    Invalid,
    /// No verifier for this algorithm or key is built in, named by a
    /// dotted OID or a short description.
    Unsupported { algorithm: String },
    /// A proof-of-possession scheme names another GOST key size than the
    /// certificate's key has.
    SchemeMismatch,
}

/// The hash of an RSA or ECDSA signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// The byte layout of an ECDSA signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EcdsaLayout {
    /// A DER `Ecdsa-Sig-Value`, as in X.509.
    Der,
    /// `r || s`, each as long as the curve's order, as PKCS#11 returns it.
    Fixed,
}

/// Verifies `signature` over `data` made with `algorithm` (an X.509
/// signature algorithm identifier) by the holder of `key`.
pub(crate) fn verify_signed_data(
    key: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    data: &[u8],
    signature: &[u8],
) -> Result<(), VerifyFailure> {
    let oid = algorithm.oid;
    if oid == signature_oid::SHA256_WITH_RSA {
        verify_rsa_pkcs1(key, Hash::Sha256, data, signature)
    } else if oid == signature_oid::SHA384_WITH_RSA {
        verify_rsa_pkcs1(key, Hash::Sha384, data, signature)
    } else if oid == signature_oid::SHA512_WITH_RSA {
        verify_rsa_pkcs1(key, Hash::Sha512, data, signature)
    } else if oid == signature_oid::ECDSA_WITH_SHA256 {
        verify_ecdsa(key, Hash::Sha256, EcdsaLayout::Der, data, signature)
    } else if oid == signature_oid::ECDSA_WITH_SHA384 {
        verify_ecdsa(key, Hash::Sha384, EcdsaLayout::Der, data, signature)
    } else if oid == signature_oid::ECDSA_WITH_SHA512 {
        verify_ecdsa(key, Hash::Sha512, EcdsaLayout::Der, data, signature)
    } else if oid == signature_oid::GOST_2012_256 || oid == signature_oid::GOST_2012_512 {
        verify_gost(key, GostAlgorithm::X509(&oid), data, signature)
    } else {
        Err(VerifyFailure::Unsupported {
            algorithm: oid.to_string(),
        })
    }
}

/// Verifies an RSASSA-PKCS1-v1_5 signature.
pub(crate) fn verify_rsa_pkcs1(
    key: &SubjectPublicKeyInfoOwned,
    hash: Hash,
    data: &[u8],
    signature: &[u8],
) -> Result<(), VerifyFailure> {
    if key.algorithm.oid != key_oid::RSA_ENCRYPTION {
        return Err(VerifyFailure::Invalid);
    }
    let der = key.to_der().map_err(|_| VerifyFailure::Invalid)?;
    let key = <rsa::RsaPublicKey as rsa::pkcs8::DecodePublicKey>::from_public_key_der(&der)
        .map_err(|_| VerifyFailure::Invalid)?;
    let signature =
        rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| VerifyFailure::Invalid)?;
    let verified = match hash {
        Hash::Sha256 => rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key).verify(data, &signature),
        Hash::Sha384 => rsa::pkcs1v15::VerifyingKey::<Sha384>::new(key).verify(data, &signature),
        Hash::Sha512 => rsa::pkcs1v15::VerifyingKey::<Sha512>::new(key).verify(data, &signature),
    };
    verified.map_err(|_| VerifyFailure::Invalid)
}

/// Verifies an ECDSA signature over the `hash` of `data`, on the curve
/// named in `key`.
pub(crate) fn verify_ecdsa(
    key: &SubjectPublicKeyInfoOwned,
    hash: Hash,
    layout: EcdsaLayout,
    data: &[u8],
    signature: &[u8],
) -> Result<(), VerifyFailure> {
    if key.algorithm.oid != key_oid::EC_PUBLIC_KEY {
        return Err(VerifyFailure::Invalid);
    }
    let curve = named_curve(key).map_err(|_| VerifyFailure::Invalid)?;
    let point = key.subject_public_key.raw_bytes();
    let digest = hash.digest(data);

    if curve == P256 {
        let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .map_err(|_| VerifyFailure::Invalid)?;
        let signature = match layout {
            EcdsaLayout::Der => p256::ecdsa::Signature::from_der(signature),
            EcdsaLayout::Fixed => p256::ecdsa::Signature::from_slice(signature),
        }
        .map_err(|_| VerifyFailure::Invalid)?;
        key.verify_prehash(&digest, &signature)
            .map_err(|_| VerifyFailure::Invalid)
    } else if curve == P384 {
        let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .map_err(|_| VerifyFailure::Invalid)?;
        let signature = match layout {
            EcdsaLayout::Der => p384::ecdsa::Signature::from_der(signature),
            EcdsaLayout::Fixed => p384::ecdsa::Signature::from_slice(signature),
        }
        .map_err(|_| VerifyFailure::Invalid)?;
        key.verify_prehash(&digest, &signature)
            .map_err(|_| VerifyFailure::Invalid)
    } else {
        Err(VerifyFailure::Unsupported {
            algorithm: format!("ECDSA {curve}"),
        })
    }
}

/// The GOST signature kind a certificate or scheme names, which must fit
/// the key's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GostAlgorithm<'a> {
    /// The `signatureAlgorithm` of a certificate or CRL.
    X509(&'a ObjectIdentifier),
    /// The key size that a proof-of-possession scheme names.
    Scheme(GostKeySize),
}

/// Verifies a GOST R 34.10-2012 signature (`s || r`) over `data`.
///
/// A key that is not a GOST R 34.10-2012 key is [`VerifyFailure::Invalid`],
/// as an RSA key under an ECDSA algorithm is. An X.509 signature algorithm
/// of the other key size is [`VerifyFailure::Invalid`] too, and a scheme
/// of the other key size is [`VerifyFailure::SchemeMismatch`].
///
/// A GOST key that [`GostPublicKey::from_spki_der`] does not accept, such
/// as one on an unknown parameter set, is reported as unsupported. Its
/// error is not passed on, because the algorithm name ends up in the
/// visitor's message.
pub(crate) fn verify_gost(
    key: &SubjectPublicKeyInfoOwned,
    algorithm: GostAlgorithm<'_>,
    data: &[u8],
    signature: &[u8],
) -> Result<(), VerifyFailure> {
    let key_algorithm = key.algorithm.oid;
    if key_algorithm != key_oid::GOST_2012_256 && key_algorithm != key_oid::GOST_2012_512 {
        return Err(VerifyFailure::Invalid);
    }
    let der = key.to_der().map_err(|_| VerifyFailure::Invalid)?;
    let key = GostPublicKey::from_spki_der(&der).map_err(|_| VerifyFailure::Unsupported {
        algorithm: "GOST R 34.10-2012".to_owned(),
    })?;
    match algorithm {
        GostAlgorithm::X509(oid) => key
            .verify_x509_signature(&oid.to_string(), data, signature)
            .map_err(|_| VerifyFailure::Invalid),
        GostAlgorithm::Scheme(size) if size != key.key_size() => Err(VerifyFailure::SchemeMismatch),
        GostAlgorithm::Scheme(_) => key
            .verify(data, signature)
            .map_err(|_| VerifyFailure::Invalid),
    }
}
