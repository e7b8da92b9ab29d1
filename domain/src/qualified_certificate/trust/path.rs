//! The chain check. A path must lead from the visitor's certificate
//! through the directory's intermediates to one of its anchors. Each
//! signature is verified with the issuer's key, each certificate must be
//! valid at the time of the check, and none may be revoked by its
//! issuer's CRL.
//!
//! An issuer is looked up by its subject name (DER bytes equal to the
//! certificate's issuer) and, when both carry one, by key identifier
//! (authorityKeyIdentifier against subjectKeyIdentifier). Among several
//! candidates, those valid now come first and the first whose signature
//! verifies is taken.
//!
//! NOTE: names are compared as DER bytes, not with RFC 5280's
//! case-insensitive string matching. Unknown critical extensions,
//! certificate policies and name constraints are not checked, and a delta
//! CRL is read like a complete one.

use jiff::Timestamp;

use super::{ChainCertificate, RevocationList, TrustDirectory};
use crate::qualified_certificate::error::CertificateError;
use crate::qualified_certificate::verify::{verify_signed_data, VerifyFailure};
use crate::qualified_certificate::x509::ParsedCertificate;

/// The maximum number of certificates in a path, the visitor's and the
/// anchor included. Russian qualified certificates usually chain through
/// one or two certification centers to the root of the Ministry of Digital
/// Development, so 6 leaves room and still stops long loops.
pub const MAX_PATH_CERTIFICATES: usize = 6;

/// Checks that `cert` chains to an anchor of `trust` at `now`, with no
/// certificate of the path revoked.
///
/// Every certificate of the path must be valid at `now`: the visitor's
/// (only the period here, the 90 days are [`super::super::check_validity`]'s),
/// the intermediates' and the anchor's. Each issuer's CRL must be in the
/// directory, signed by that issuer, and not past its `nextUpdate`.
pub fn verify_chain(
    cert: &ParsedCertificate,
    trust: &TrustDirectory,
    now: Timestamp,
) -> Result<(), CertificateError> {
    let leaf = ChainCertificate::from_decoded(&cert.der, cert.certificate.clone())
        .map_err(|detail| CertificateError::Malformed { detail })?;
    if now < leaf.not_before {
        return Err(CertificateError::NotYetValid {
            not_before: leaf.not_before,
        });
    }
    if now > leaf.not_after {
        return Err(CertificateError::Expired {
            not_after: leaf.not_after,
        });
    }

    let mut path: Vec<&ChainCertificate> = Vec::new();
    let mut current = &leaf;
    for depth in 0..MAX_PATH_CERTIFICATES - 1 {
        let (issuer, anchor) = find_issuer(trust, current, depth, &path, now)?;
        if !issuer.is_valid_at(now) {
            return Err(CertificateError::IssuerNotValid {
                issuer: issuer.subject.clone(),
                not_before: issuer.not_before,
                not_after: issuer.not_after,
            });
        }
        check_revocation(trust, current, issuer, depth, now)?;
        if anchor {
            return Ok(());
        }
        path.push(current);
        current = issuer;
    }
    Err(CertificateError::UntrustedIssuer)
}

/// Finds the certification center that signed `current`, the certificate
/// at `depth` in the path (0 is the visitor's), and returns it with
/// whether it is an anchor.
fn find_issuer<'a>(
    trust: &'a TrustDirectory,
    current: &ChainCertificate,
    depth: usize,
    path: &[&ChainCertificate],
    now: Timestamp,
) -> Result<(&'a ChainCertificate, bool), CertificateError> {
    let mut candidates: Vec<(&ChainCertificate, bool)> = trust
        .anchors
        .iter()
        .map(|anchor| (anchor, true))
        .chain(trust.intermediates.iter().map(|other| (other, false)))
        .filter(|(candidate, _)| may_issue(candidate, current, depth, path))
        .collect();
    if candidates.is_empty() {
        return Err(CertificateError::UntrustedIssuer);
    }
    // Stable, so anchors stay ahead of intermediates among equals.
    candidates.sort_by_key(|(candidate, _)| !candidate.is_valid_at(now));

    let signature_algorithm = &current.certificate.signature_algorithm;
    if *signature_algorithm != current.certificate.tbs_certificate.signature {
        // RFC 5280 section 4.1.1.2: the two algorithm fields must match.
        return Err(CertificateError::BadChainSignature { depth });
    }
    let signature = current.certificate.signature.raw_bytes();

    let mut failure = CertificateError::BadChainSignature { depth };
    for (candidate, anchor) in candidates {
        let key = &candidate
            .certificate
            .tbs_certificate
            .subject_public_key_info;
        match verify_signed_data(key, signature_algorithm, &current.tbs_der, signature) {
            Ok(()) => return Ok((candidate, anchor)),
            Err(VerifyFailure::Invalid | VerifyFailure::SchemeMismatch) => {}
            Err(VerifyFailure::Unsupported { algorithm }) => {
                failure = CertificateError::UnsupportedSignatureAlgorithm { algorithm };
            }
        }
    }
    Err(failure)
}

/// Returns whether `candidate` may have issued `current`: its subject is
/// `current`'s issuer, the key identifiers agree when both are present,
/// it is a certification center whose pathLenConstraint allows `depth`
/// intermediates below it, and it is not already on the path.
///
/// An anchor's own basicConstraints and keyUsage are applied as well, so
/// an anchor whose pathLenConstraint forbids CAs below it keeps them out.
fn may_issue(
    candidate: &ChainCertificate,
    current: &ChainCertificate,
    depth: usize,
    path: &[&ChainCertificate],
) -> bool {
    if candidate.subject_der != current.issuer_der {
        return false;
    }
    if let (Some(authority), Some(subject)) = (&current.authority_key_id, &candidate.subject_key_id)
    {
        if authority != subject {
            return false;
        }
    }
    if !candidate.is_certification_center() {
        return false;
    }
    let path_length_allowed = candidate
        .basic_constraints
        .as_ref()
        .and_then(|constraints| constraints.path_len_constraint)
        .is_none_or(|limit| depth <= usize::from(limit));
    let on_path = candidate.der == current.der || path.iter().any(|seen| seen.der == candidate.der);
    path_length_allowed && !on_path
}

/// Checks `current` against `issuer`'s CRL: the newest CRL of that issuer
/// with a valid signature must not be past its `nextUpdate` and must not
/// list `current`.
fn check_revocation(
    trust: &TrustDirectory,
    current: &ChainCertificate,
    issuer: &ChainCertificate,
    depth: usize,
    now: Timestamp,
) -> Result<(), CertificateError> {
    let newest = trust
        .crls
        .iter()
        .filter(|crl| is_signed_by(crl, issuer))
        .max_by_key(|crl| crl.this_update);
    let unknown = |next_update| CertificateError::RevocationUnknown {
        issuer: issuer.subject.clone(),
        next_update,
    };

    let Some(crl) = newest else {
        return Err(unknown(None));
    };
    // RFC 5280 section 5.1.2.5 requires nextUpdate, and without it there
    // is no telling whether the list is current.
    let Some(next_update) = crl.next_update else {
        return Err(unknown(None));
    };
    if now > next_update {
        return Err(unknown(Some(next_update)));
    }
    match crl.revoked_at(&current.certificate.tbs_certificate.serial_number) {
        Some(revoked_at) => Err(CertificateError::Revoked { depth, revoked_at }),
        None => Ok(()),
    }
}

/// Returns whether `crl` names `issuer` as its issuer and carries its
/// valid signature.
pub(crate) fn is_signed_by(crl: &RevocationList, issuer: &ChainCertificate) -> bool {
    if crl.issuer_der != issuer.subject_der || !issuer.may_sign_crls() {
        return false;
    }
    if let (Some(authority), Some(subject)) = (&crl.authority_key_id, &issuer.subject_key_id) {
        if authority != subject {
            return false;
        }
    }
    let list = &crl.list;
    if list.signature_algorithm != list.tbs_cert_list.signature {
        return false;
    }
    verify_signed_data(
        &issuer.certificate.tbs_certificate.subject_public_key_info,
        &list.signature_algorithm,
        &crl.tbs_der,
        list.signature.raw_bytes(),
    )
    .is_ok()
}
