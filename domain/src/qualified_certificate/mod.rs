//! The rules a qualified electronic signature certificate (КЭП) must pass
//! before a visitor may confirm their identity with it, applied to values
//! already parsed out of the X.509 certificate.
//!
//! - [`subject`]: the holder's name, СНИЛС, ИНН, ОГРН/ОГРНИП and ИННЮЛ
//!   from the subject's attributes, each checked with its checksum.
//! - [`validity`]: valid now, and for at least [`MIN_DAYS_LEFT`] more days.
//! - [`key`]: the key algorithm policy (GOST R 34.10-2012, RSA of at least
//!   2048 bits, ECDSA on P-256 or stronger).
//! - [`error`]: the reason for each rejection, with Russian and English
//!   messages that say what the visitor can do next.
//! - [`x509`]: parsing a DER certificate into the values the rules check.
//! - [`trust`]: the trust directory, and the chain of a certificate to one
//!   of its anchors with revocation.
//! - [`possession`]: the token's signature over a challenge, verified with
//!   the certificate's key.
//! - [`check_for_confirmation`]: everything a certificate must pass before
//!   it confirms an identity.
//! - `testing` (feature `test-support`): a test certification center that
//!   issues certificates and CRLs.
//!
//! Reading the token is left to `hardware::token`, and fetching the trust
//! directory to the stations and the server: this module does no I/O.

pub mod error;
pub mod key;
pub mod possession;
pub mod subject;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod trust;
pub mod validity;
mod verify;
pub mod x509;

use jiff::Timestamp;

pub use error::CertificateError;
pub use key::{check_key_algorithm, EcCurve, KeyAlgorithm};
pub use possession::verify_possession;
pub use subject::{parse_holder, CertificateHolder, SubjectAttribute};
pub use trust::{verify_chain, TrustDirectory, TrustError};
pub use validity::{check_validity, MIN_DAYS_LEFT};
pub use x509::{parse_certificate, ParsedCertificate};

/// The parts of a certificate the rules look at, as the X.509 parser
/// returned them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFacts {
    /// The subject's attributes in certificate order.
    pub subject: Vec<SubjectAttribute>,
    /// Start of the validity period (`notBefore`).
    pub not_before: Timestamp,
    /// End of the validity period (`notAfter`).
    pub not_after: Timestamp,
    /// The algorithm and size of the subject's public key.
    pub key: KeyAlgorithm,
}

/// Checks a certificate for identity confirmation at `now` and returns its
/// holder's data.
///
/// The rules run in the order a visitor can act on them: validity, key
/// algorithm, then the subject. Only the first rejection is returned,
/// because the visitor needs one reason to act on.
pub fn check_certificate(
    facts: &CertificateFacts,
    now: Timestamp,
) -> Result<CertificateHolder, CertificateError> {
    check_validity(facts.not_before, facts.not_after, now)?;
    check_key_algorithm(&facts.key)?;
    parse_holder(&facts.subject)
}

/// Checks a DER certificate for identity confirmation at `now`: parses
/// it, applies the rules of [`check_certificate`], and verifies its chain
/// to `trust` with revocation. Returns the parsed certificate, for
/// [`verify_possession`], and the holder's data.
///
/// Validity and the key algorithm are checked first, because a visitor can
/// act on them. The chain is checked before the subject, so the subject
/// of an untrusted certificate is never read.
pub fn check_for_confirmation(
    der: &[u8],
    trust: &TrustDirectory,
    now: Timestamp,
) -> Result<(ParsedCertificate, CertificateHolder), CertificateError> {
    let parsed = parse_certificate(der)?;
    check_validity(parsed.facts.not_before, parsed.facts.not_after, now)?;
    check_key_algorithm(&parsed.facts.key)?;
    verify_chain(&parsed, trust, now)?;
    let holder = parse_holder(&parsed.facts.subject)?;
    Ok((parsed, holder))
}
