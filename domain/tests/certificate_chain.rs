//! The chain of a certificate to the trust directory: signatures of the
//! certification centers, validity of every certificate on the path, and
//! revocation by CRL. Certificates and CRLs come from the `testing`
//! certification center, so each test builds exactly the case it checks.

// Helpers outside `#[test]` functions may unwrap like the tests themselves.
#![allow(clippy::unwrap_used)]

use domain::qualified_certificate::testing::{
    days, CaKey, LeafKey, LeafSpec, TestCa, INTERMEDIATE_SERIAL,
};
use domain::qualified_certificate::trust::TrustItem;
use domain::qualified_certificate::{
    parse_certificate, verify_chain, CertificateError, TrustDirectory, TrustError,
};
use domain::Lang;
use jiff::Timestamp;

fn now() -> Timestamp {
    "2026-12-05T09:00:00Z"
        .parse()
        .expect("a valid RFC 3339 instant")
}

fn ca(label: &str, key: CaKey) -> TestCa {
    TestCa::new(label, key, now() - days(365), now() + days(3650))
}

/// Builds a directory with `ca`'s root, intermediate and fresh empty CRLs.
fn directory(ca: &TestCa) -> TrustDirectory {
    let parts = ca.directory_parts(now());
    TrustDirectory::from_der(&parts.anchors, &parts.intermediates, &parts.crls).unwrap()
}

/// Builds a directory with `ca`'s certificates and the given CRLs only.
fn directory_with_crls(ca: &TestCa, crls: &[Vec<u8>]) -> TrustDirectory {
    TrustDirectory::from_der(
        &[ca.root_der().to_vec()],
        &[ca.intermediate_der().to_vec()],
        crls,
    )
    .unwrap()
}

fn fresh_root_crl(ca: &TestCa) -> Vec<u8> {
    ca.root_crl(&[], now() - days(1), Some(now() + days(30)))
}

fn check(der: &[u8], trust: &TrustDirectory) -> Result<(), CertificateError> {
    verify_chain(&parse_certificate(der).unwrap(), trust, now())
}

/// Replaces the only occurrence of `from` in `der` with `to`, of the same
/// length, so the DER stays well-formed.
fn replace_once(der: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let positions: Vec<usize> = der
        .windows(from.len())
        .enumerate()
        .filter(|(_, window)| *window == from)
        .map(|(position, _)| position)
        .collect();
    assert_eq!(positions.len(), 1, "occurrences of {from:02x?}");
    let mut changed = der.to_vec();
    changed[positions[0]..positions[0] + to.len()].copy_from_slice(to);
    changed
}

#[test]
fn p256_chain_accepted() {
    let ca = ca("p256", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(10, now()));

    assert_eq!(check(&leaf.der, &directory(&ca)), Ok(()));
}

#[test]
fn p384_chain_accepted() {
    let ca = ca("p384", CaKey::P384);
    let leaf = ca.issue(&LeafSpec::person(11, now()).with_key(LeafKey::Rsa2048));

    assert_eq!(check(&leaf.der, &directory(&ca)), Ok(()));
}

#[test]
fn rsa_chain_accepted() {
    let ca = ca("rsa", CaKey::Rsa2048);
    let leaf = ca.issue(&LeafSpec::person(12, now()));

    assert_eq!(check(&leaf.der, &directory(&ca)), Ok(()));
}

#[test]
fn chain_from_page_accepted() {
    let ca = ca("page", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(13, now()));
    let page = ca.trust_page(now(), 7);

    let trust = TrustDirectory::from_page(&page).unwrap();

    assert_eq!(trust.counts(), (1, 1, 2));
    assert_eq!(check(&leaf.der, &trust), Ok(()));
}

#[test]
fn expired_leaf_rejected() {
    let ca = ca("expired", CaKey::P256);
    let spec = LeafSpec::person(14, now()).valid(now() - days(400), now() - days(1));
    let leaf = ca.issue(&spec);

    let err = check(&leaf.der, &directory(&ca)).unwrap_err();

    assert_eq!(err.code(), "certificate.expired");
    assert_eq!(
        err,
        CertificateError::Expired {
            not_after: now() - days(1)
        }
    );
}

#[test]
fn leaf_not_yet_valid_rejected() {
    let ca = ca("future", CaKey::P256);
    let spec = LeafSpec::person(15, now()).valid(now() + days(1), now() + days(400));
    let leaf = ca.issue(&spec);

    let err = check(&leaf.der, &directory(&ca)).unwrap_err();

    assert_eq!(err.code(), "certificate.not_yet_valid");
}

#[test]
fn unknown_ca_untrusted() {
    let trusted = ca("trusted", CaKey::P256);
    let other = ca("other", CaKey::P256);
    let leaf = other.issue(&LeafSpec::person(16, now()));

    let err = check(&leaf.der, &directory(&trusted)).unwrap_err();

    assert_eq!(err, CertificateError::UntrustedIssuer);
    assert_eq!(err.code(), "certificate.untrusted_issuer");
    assert!(err
        .message(Lang::Ru)
        .starts_with("Сертификат выдан удостоверяющим центром, которого нет в списке"));
}

#[test]
fn impostor_with_same_names_untrusted() {
    // Same label, so the same names, but other keys: the key identifiers
    // differ and no directory certificate may have issued the leaf.
    let trusted = ca("twin", CaKey::P256);
    let impostor = ca("twin", CaKey::P256);
    let leaf = impostor.issue(&LeafSpec::person(17, now()));

    let err = check(&leaf.der, &directory(&trusted)).unwrap_err();

    assert_eq!(err.code(), "certificate.untrusted_issuer");
}

#[test]
fn intermediate_without_anchor_untrusted() {
    let ca = ca("no-root", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(18, now()));
    let parts = ca.directory_parts(now());
    let trust = TrustDirectory::from_der(&[], &parts.intermediates, &parts.crls).unwrap();

    let err = check(&leaf.der, &trust).unwrap_err();

    assert_eq!(err.code(), "certificate.untrusted_issuer");
}

#[test]
fn leaf_issued_by_anchor_accepted() {
    let ca = ca("direct", CaKey::P256);
    let leaf = ca.issue_from_root(&LeafSpec::person(31, now()));

    assert_eq!(check(&leaf.der, &directory(&ca)), Ok(()));
}

#[test]
fn leaf_revoked_by_anchor_crl() {
    let ca = ca("direct-revoked", CaKey::P256);
    let leaf = ca.issue_from_root(&LeafSpec::person(32, now()));
    let crls = [ca.root_crl(&[32], now() - days(1), Some(now() + days(9)))];

    let err = check(&leaf.der, &directory_with_crls(&ca, &crls)).unwrap_err();

    assert_eq!(
        err,
        CertificateError::Revoked {
            depth: 0,
            revoked_at: now() - days(1)
        }
    );
}

#[test]
fn path_length_constraint_enforced() {
    // The intermediate carries pathLenConstraint 0, so the CA it certified
    // may not issue leaves on a path to the root.
    let ca = ca("parent", CaKey::P256);
    let sub = ca.subordinate("child", CaKey::P256, now() - days(30), now() + days(900));
    let leaf = sub.issue(&LeafSpec::person(33, now()));
    let (this_update, next_update) = (now() - days(1), Some(now() + days(9)));
    let trust = TrustDirectory::from_der(
        &[ca.root_der().to_vec()],
        &[
            ca.intermediate_der().to_vec(),
            sub.intermediate_der().to_vec(),
        ],
        &[
            ca.root_crl(&[], this_update, next_update),
            ca.intermediate_crl(&[], this_update, next_update),
            sub.intermediate_crl(&[], this_update, next_update),
        ],
    )
    .unwrap();

    let err = check(&leaf.der, &trust).unwrap_err();

    assert_eq!(err, CertificateError::UntrustedIssuer);
}

#[test]
fn anchor_path_length_constraint_enforced() {
    // The parent's intermediate, with pathLenConstraint 0, is the anchor
    // here. Its constraint still forbids the CA it certified.
    let ca = ca("parent-anchor", CaKey::P256);
    let sub = ca.subordinate("leafy", CaKey::P256, now() - days(30), now() + days(900));
    let leaf = sub.issue(&LeafSpec::person(34, now()));
    let (this_update, next_update) = (now() - days(1), Some(now() + days(9)));
    let trust = TrustDirectory::from_der(
        &[sub.root_der().to_vec()],
        &[sub.intermediate_der().to_vec()],
        &[
            sub.root_crl(&[], this_update, next_update),
            sub.intermediate_crl(&[], this_update, next_update),
        ],
    )
    .unwrap();

    let err = check(&leaf.der, &trust).unwrap_err();

    assert_eq!(err, CertificateError::UntrustedIssuer);
}

#[test]
fn tampered_signature_rejected() {
    let ca = ca("tampered", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(19, now()));
    // The certificate ends with the signature's DER INTEGER `s`; flipping
    // its last bit keeps the DER well-formed.
    let mut tampered = leaf.der.clone();
    *tampered.last_mut().unwrap() ^= 0x01;

    let err = check(&tampered, &directory(&ca)).unwrap_err();

    assert_eq!(err, CertificateError::BadChainSignature { depth: 0 });
    assert_eq!(err.code(), "certificate.bad_chain_signature");
}

#[test]
fn tampered_subject_rejected() {
    let ca = ca("snils", CaKey::Rsa2048);
    let leaf = ca.issue(&LeafSpec::person(20, now()));
    let tampered = replace_once(&leaf.der, b"11223344595", b"11223344596");

    let err = check(&tampered, &directory(&ca)).unwrap_err();

    assert_eq!(err, CertificateError::BadChainSignature { depth: 0 });
}

#[test]
fn unverifiable_algorithm_reported() {
    let ca = ca("sha224", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(21, now()));
    // ecdsa-with-SHA256 (1.2.840.10045.4.3.2) becomes ecdsa-with-SHA224
    // (1.2.840.10045.4.3.1), which has no verifier here, in the body and
    // the outer field alike. Both encode in 8 bytes.
    let ecdsa_sha256 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    let ecdsa_sha224 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x01];
    let body_changed = {
        let first = leaf
            .der
            .windows(ecdsa_sha256.len())
            .position(|window| window == ecdsa_sha256)
            .unwrap();
        let mut der = leaf.der.clone();
        der[first..first + ecdsa_sha224.len()].copy_from_slice(&ecdsa_sha224);
        der
    };
    let both_changed = replace_once(&body_changed, &ecdsa_sha256, &ecdsa_sha224);

    let err = check(&both_changed, &directory(&ca)).unwrap_err();

    assert_eq!(
        err,
        CertificateError::UnsupportedSignatureAlgorithm {
            algorithm: "1.2.840.10045.4.3.1".to_owned()
        }
    );
    assert_eq!(err.code(), "certificate.unsupported_signature_algorithm");
    let mismatched = check(&body_changed, &directory(&ca)).unwrap_err();
    assert_eq!(mismatched, CertificateError::BadChainSignature { depth: 0 });
}

#[test]
fn revoked_leaf_rejected() {
    let ca = ca("revoked", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(22, now()));
    let revoked_at = now() - days(2);
    let crls = [
        fresh_root_crl(&ca),
        ca.intermediate_crl(&[21, 22, 23], revoked_at, Some(now() + days(5))),
    ];

    let err = check(&leaf.der, &directory_with_crls(&ca, &crls)).unwrap_err();

    assert_eq!(
        err,
        CertificateError::Revoked {
            depth: 0,
            revoked_at
        }
    );
    assert_eq!(err.code(), "certificate.revoked");
    assert!(err.message(Lang::Ru).starts_with("Сертификат отозван"));
}

#[test]
fn revoked_intermediate_rejected() {
    let ca = ca("revoked-ca", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(24, now()));
    let crls = [
        ca.root_crl(
            &[INTERMEDIATE_SERIAL],
            now() - days(3),
            Some(now() + days(5)),
        ),
        ca.intermediate_crl(&[], now() - days(1), Some(now() + days(5))),
    ];

    let err = check(&leaf.der, &directory_with_crls(&ca, &crls)).unwrap_err();

    assert_eq!(
        err,
        CertificateError::Revoked {
            depth: 1,
            revoked_at: now() - days(3)
        }
    );
    assert!(err
        .message(Lang::Ru)
        .starts_with("Сертификат удостоверяющего центра, который выдал ваш сертификат, отозван"));
}

#[test]
fn newest_crl_decides() {
    let ca = ca("newest", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(25, now()));
    let older_clean = ca.intermediate_crl(&[], now() - days(10), Some(now() + days(20)));
    let newer_listing = ca.intermediate_crl(&[25], now() - days(1), Some(now() + days(20)));
    let crls = [fresh_root_crl(&ca), older_clean, newer_listing];

    let err = check(&leaf.der, &directory_with_crls(&ca, &crls)).unwrap_err();

    assert_eq!(err.code(), "certificate.revoked");
}

#[test]
fn expired_crl_makes_status_unknown() {
    let ca = ca("stale", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(26, now()));
    let next_update = now() - days(1);
    let crls = [
        fresh_root_crl(&ca),
        ca.intermediate_crl(&[], now() - days(8), Some(next_update)),
    ];

    let err = check(&leaf.der, &directory_with_crls(&ca, &crls)).unwrap_err();

    assert_eq!(
        err,
        CertificateError::RevocationUnknown {
            issuer: "CN=Okno Test CA stale,O=Okno test certification center,C=RU".to_owned(),
            next_update: Some(next_update)
        }
    );
    assert_eq!(err.code(), "certificate.revocation_unknown");
}

#[test]
fn missing_crl_makes_status_unknown() {
    let ca = ca("no-crl", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(27, now()));

    let err = check(&leaf.der, &directory_with_crls(&ca, &[fresh_root_crl(&ca)])).unwrap_err();

    assert_eq!(
        err,
        CertificateError::RevocationUnknown {
            issuer: "CN=Okno Test CA no-crl,O=Okno test certification center,C=RU".to_owned(),
            next_update: None
        }
    );
}

#[test]
fn crl_without_next_update_makes_status_unknown() {
    let ca = ca("open-crl", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(28, now()));
    let crls = [
        fresh_root_crl(&ca),
        ca.intermediate_crl(&[], now() - days(1), None),
    ];

    let err = check(&leaf.der, &directory_with_crls(&ca, &crls)).unwrap_err();

    assert_eq!(err.code(), "certificate.revocation_unknown");
}

#[test]
fn crl_signed_by_impostor_ignored() {
    let center = ca("forged-crl", CaKey::P256);
    let impostor = ca("forged-crl", CaKey::P256);
    let leaf = center.issue(&LeafSpec::person(29, now()));
    let crls = [
        fresh_root_crl(&center),
        impostor.intermediate_crl(&[], now() - days(1), Some(now() + days(30))),
    ];

    let err = check(&leaf.der, &directory_with_crls(&center, &crls)).unwrap_err();

    assert_eq!(
        err,
        CertificateError::RevocationUnknown {
            issuer: "CN=Okno Test CA forged-crl,O=Okno test certification center,C=RU".to_owned(),
            next_update: None
        }
    );
}

#[test]
fn expired_intermediate_rejected() {
    let ca = TestCa::new("old-ca", CaKey::P256, now() - days(3650), now() - days(10));
    let leaf = ca.issue(&LeafSpec::person(30, now()));

    let err = check(&leaf.der, &directory(&ca)).unwrap_err();

    assert_eq!(
        err,
        CertificateError::IssuerNotValid {
            issuer: "CN=Okno Test CA old-ca,O=Okno test certification center,C=RU".to_owned(),
            not_before: now() - days(3650),
            not_after: now() - days(10),
        }
    );
    assert_eq!(err.code(), "certificate.issuer_not_valid");
}

#[test]
fn bad_base64_in_page_rejected() {
    let ca = ca("base64", CaKey::P256);
    let mut page = ca.trust_page(now(), 1);
    page.crls[1] = "not base64!".to_owned();

    let err = TrustDirectory::from_page(&page).unwrap_err();

    assert!(
        matches!(
            err,
            TrustError::Base64 {
                item: TrustItem::Crl,
                index: 1,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn malformed_directory_item_rejected() {
    let ca = ca("garbage", CaKey::P256);

    let err = TrustDirectory::from_der(&[ca.root_der().to_vec()], &[b"garbage".to_vec()], &[])
        .unwrap_err();

    assert!(
        matches!(
            err,
            TrustError::Malformed {
                item: TrustItem::Intermediate,
                index: 0,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err
        .to_string()
        .starts_with("trust directory intermediate certificate #0 is malformed"));
}

#[test]
fn directory_shareable_across_threads() {
    // The server and the stations keep one directory behind a lock and
    // check certificates from several threads.
    fn assert_send_sync<T: Send + Sync>() {}

    assert_send_sync::<TrustDirectory>();
}
