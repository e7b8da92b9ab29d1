//! Proof of possession: the token's signature over the server's challenge,
//! verified with the public key of the certificate the visitor chose.
//!
//! The schemes and their signature layouts are those of
//! [`SignatureScheme`]: RSASSA-PKCS1-v1_5 with SHA-256, ECDSA with SHA-256
//! as `r || s`, and GOST R 34.10-2012 as `s || r` through
//! [`crate::gost`]. The certificate's chain and rules are checked
//! separately, by [`super::check_for_confirmation`].

use super::error::CertificateError;
use super::verify::{
    verify_ecdsa, verify_gost, verify_rsa_pkcs1, EcdsaLayout, GostAlgorithm, Hash, VerifyFailure,
};
use super::x509::ParsedCertificate;
use super::KeyAlgorithm;
use crate::gost::GostKeySize;
use crate::sync::SignatureScheme;

/// Verifies that `signature` over `message` was made with the private key
/// of `cert` under `scheme`.
///
/// Returns [`CertificateError::SchemeMismatch`] when `scheme` does not fit
/// the certificate's key type, [`CertificateError::BadSignature`] when the
/// signature does not verify, and
/// [`CertificateError::UnsupportedSignatureAlgorithm`] when this build
/// cannot verify the key, such as ECDSA on P-521.
pub fn verify_possession(
    cert: &ParsedCertificate,
    scheme: SignatureScheme,
    message: &[u8],
    signature: &[u8],
) -> Result<(), CertificateError> {
    let key = &cert.certificate.tbs_certificate.subject_public_key_info;
    let verified = match (scheme, &cert.facts.key) {
        (SignatureScheme::RsaPkcs1Sha256, KeyAlgorithm::Rsa { .. }) => {
            verify_rsa_pkcs1(key, Hash::Sha256, message, signature)
        }
        (SignatureScheme::EcdsaSha256, KeyAlgorithm::Ec { .. }) => {
            verify_ecdsa(key, Hash::Sha256, EcdsaLayout::Fixed, message, signature)
        }
        (SignatureScheme::Gost2012_256, KeyAlgorithm::Gost2012_256) => verify_gost(
            key,
            GostAlgorithm::Scheme(GostKeySize::Bits256),
            message,
            signature,
        ),
        (SignatureScheme::Gost2012_512, KeyAlgorithm::Gost2012_512) => verify_gost(
            key,
            GostAlgorithm::Scheme(GostKeySize::Bits512),
            message,
            signature,
        ),
        _ => return Err(CertificateError::SchemeMismatch { scheme }),
    };
    verified.map_err(|failure| match failure {
        VerifyFailure::Invalid => CertificateError::BadSignature,
        VerifyFailure::SchemeMismatch => CertificateError::SchemeMismatch { scheme },
        VerifyFailure::Unsupported { algorithm } => {
            CertificateError::UnsupportedSignatureAlgorithm { algorithm }
        }
    })
}
