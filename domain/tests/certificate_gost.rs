//! GOST R 34.10-2012 certificates through the whole check: chains of GOST
//! certification centers with 256- and 512-bit keys, GOST leaves, their
//! CRLs, and a token's proof of possession, all made by the `testing`
//! certification center with `gost::GostSigningKey`.

// Helpers outside `#[test]` functions may unwrap like the tests themselves.
#![allow(clippy::unwrap_used)]

use der::Decode;
use domain::qualified_certificate::testing::{days, CaKey, LeafKey, LeafSpec, TestCa, TestLeaf};
use domain::qualified_certificate::{
    check_for_confirmation, parse_certificate, verify_possession, CertificateError, KeyAlgorithm,
    TrustDirectory,
};
use domain::sync::{SignatureChallenge, SignatureScheme};
use jiff::Timestamp;
use uuid::Uuid;
use x509_cert::crl::CertificateList;

const GOST_256_SIGNATURE: &str = "1.2.643.7.1.1.3.2";
const GOST_512_SIGNATURE: &str = "1.2.643.7.1.1.3.3";

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

fn challenge_message() -> Vec<u8> {
    SignatureChallenge {
        challenge_id: Uuid::parse_str("0193a1b2-0000-7000-8000-0000000000c2").unwrap(),
        attempt_id: Uuid::parse_str("0193a1b2-0000-7000-8000-0000000000a2").unwrap(),
        nonce: "3c".repeat(32),
        expires_at: now() + jiff::SignedDuration::from_mins(5),
    }
    .message()
}

fn confirm_error(leaf: &TestLeaf, trust: &TrustDirectory) -> CertificateError {
    check_for_confirmation(&leaf.der, trust, now()).unwrap_err()
}

/// Returns the dotted `signatureAlgorithm` of a DER certificate.
fn signature_algorithm(der: &[u8]) -> String {
    parse_certificate(der)
        .unwrap()
        .certificate
        .signature_algorithm
        .oid
        .to_string()
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
fn gost_256_chain_confirms() {
    let ca = ca("gost256", CaKey::Gost2012_256);
    let leaf = ca.issue(&LeafSpec::person(60, now()).with_key(LeafKey::Gost2012_256));
    let message = challenge_message();
    let (scheme, signature) = leaf.key.sign(&message);

    let (parsed, holder) = check_for_confirmation(&leaf.der, &directory(&ca), now()).unwrap();

    assert_eq!(
        signature_algorithm(ca.intermediate_der()),
        GOST_256_SIGNATURE
    );
    assert_eq!(signature_algorithm(&leaf.der), GOST_256_SIGNATURE);
    assert_eq!(parsed.facts.key, KeyAlgorithm::Gost2012_256);
    assert_eq!(holder.name.surname(), "Иванов");
    assert_eq!(holder.snils.digits(), "11223344595");
    assert_eq!(scheme, SignatureScheme::Gost2012_256);
    assert_eq!(signature.len(), 64);
    assert_eq!(
        verify_possession(&parsed, scheme, &message, &signature),
        Ok(())
    );
}

#[test]
fn gost_512_chain_confirms() {
    let ca = ca("gost512", CaKey::Gost2012_512);
    let leaf = ca.issue(&LeafSpec::person(61, now()).with_key(LeafKey::Gost2012_512));
    let message = challenge_message();
    let (scheme, signature) = leaf.key.sign(&message);

    let (parsed, holder) = check_for_confirmation(&leaf.der, &directory(&ca), now()).unwrap();

    assert_eq!(
        signature_algorithm(ca.intermediate_der()),
        GOST_512_SIGNATURE
    );
    assert_eq!(signature_algorithm(&leaf.der), GOST_512_SIGNATURE);
    assert_eq!(parsed.facts.key, KeyAlgorithm::Gost2012_512);
    assert_eq!(holder.inn.unwrap().as_str(), "500123456750");
    assert_eq!(scheme, SignatureScheme::Gost2012_512);
    assert_eq!(signature.len(), 128);
    assert_eq!(
        verify_possession(&parsed, scheme, &message, &signature),
        Ok(())
    );
}

#[test]
fn gost_signature_over_other_message_rejected() {
    let ca = ca("gost-other", CaKey::Gost2012_256);
    let leaf = ca.issue(&LeafSpec::person(62, now()).with_key(LeafKey::Gost2012_512));
    let (parsed, _) = check_for_confirmation(&leaf.der, &directory(&ca), now()).unwrap();
    let (scheme, signature) = leaf.key.sign(b"okno identity challenge v1:other");

    let err = verify_possession(&parsed, scheme, &challenge_message(), &signature).unwrap_err();

    assert_eq!(err, CertificateError::BadSignature);
    assert_eq!(err.code(), "certificate.bad_signature");
}

#[test]
fn gost_signature_by_other_key_rejected() {
    let ca = ca("gost-key", CaKey::Gost2012_256);
    let spec = LeafSpec::person(63, now()).with_key(LeafKey::Gost2012_256);
    let leaf = ca.issue(&spec);
    let other = ca.issue(&spec);
    let (parsed, _) = check_for_confirmation(&leaf.der, &directory(&ca), now()).unwrap();
    let message = challenge_message();
    let (scheme, signature) = other.key.sign(&message);

    let err = verify_possession(&parsed, scheme, &message, &signature).unwrap_err();

    assert_eq!(err, CertificateError::BadSignature);
}

#[test]
fn revoked_gost_leaf_rejected() {
    let ca = ca("gost-revoked", CaKey::Gost2012_512);
    let leaf = ca.issue(&LeafSpec::person(64, now()).with_key(LeafKey::Gost2012_256));
    let crls = [
        ca.root_crl(&[], now() - days(1), Some(now() + days(9))),
        ca.intermediate_crl(&[64], now() - days(1), Some(now() + days(9))),
    ];
    let trust = TrustDirectory::from_der(
        &[ca.root_der().to_vec()],
        &[ca.intermediate_der().to_vec()],
        &crls,
    )
    .unwrap();

    let err = confirm_error(&leaf, &trust);

    let crl = CertificateList::from_der(&crls[1]).unwrap();
    assert_eq!(crl.signature_algorithm.oid.to_string(), GOST_512_SIGNATURE);
    assert_eq!(
        err,
        CertificateError::Revoked {
            depth: 0,
            revoked_at: now() - days(1)
        }
    );
    assert_eq!(err.code(), "certificate.revoked");
}

#[test]
fn tampered_gost_certificate_rejected() {
    let ca = ca("gost-tampered", CaKey::Gost2012_256);
    let leaf = ca.issue(&LeafSpec::person(65, now()).with_key(LeafKey::Gost2012_256));
    let trust = directory(&ca);
    let other_snils = replace_once(&leaf.der, b"11223344595", b"12345678964");
    let mut flipped_signature = leaf.der.clone();
    *flipped_signature.last_mut().unwrap() ^= 0x01;

    for der in [other_snils, flipped_signature] {
        let err = check_for_confirmation(&der, &trust, now()).unwrap_err();

        assert_eq!(err, CertificateError::BadChainSignature { depth: 0 });
        assert_eq!(err.code(), "certificate.bad_chain_signature");
    }
}

#[test]
fn signature_algorithm_of_other_size_rejected() {
    // The certification center's key signs correctly, so only the check of
    // the algorithm against the key size rejects these certificates.
    let ca_256 = ca("gost-oid-256", CaKey::Gost2012_256);
    let ca_512 = ca("gost-oid-512", CaKey::Gost2012_512);
    let spec = LeafSpec::person(66, now()).with_key(LeafKey::Gost2012_256);
    let own_oid = ca_256.issue_with_signature_algorithm(&spec, GOST_256_SIGNATURE);
    let oid_512_on_256 = ca_256.issue_with_signature_algorithm(&spec, GOST_512_SIGNATURE);
    let oid_256_on_512 = ca_512.issue_with_signature_algorithm(&spec, GOST_256_SIGNATURE);

    let accepted = check_for_confirmation(&own_oid.der, &directory(&ca_256), now());
    let err_512_on_256 = confirm_error(&oid_512_on_256, &directory(&ca_256));
    let err_256_on_512 = confirm_error(&oid_256_on_512, &directory(&ca_512));

    assert!(accepted.is_ok(), "{accepted:?}");
    assert_eq!(signature_algorithm(&oid_512_on_256.der), GOST_512_SIGNATURE);
    assert_eq!(
        err_512_on_256,
        CertificateError::BadChainSignature { depth: 0 }
    );
    assert_eq!(signature_algorithm(&oid_256_on_512.der), GOST_256_SIGNATURE);
    assert_eq!(
        err_256_on_512,
        CertificateError::BadChainSignature { depth: 0 }
    );
    assert_eq!(err_256_on_512.code(), "certificate.bad_chain_signature");
}

#[test]
fn gost_oid_on_ecdsa_key_rejected() {
    let ca = ca("gost-oid-p256", CaKey::P256);
    let leaf = ca.issue_with_signature_algorithm(&LeafSpec::person(67, now()), GOST_256_SIGNATURE);

    let err = confirm_error(&leaf, &directory(&ca));

    assert_eq!(err, CertificateError::BadChainSignature { depth: 0 });
}

#[test]
fn scheme_not_fitting_gost_key_rejected() {
    let ca = ca("gost-scheme", CaKey::Gost2012_256);
    let trust = directory(&ca);
    let leaf_256 = ca.issue(&LeafSpec::person(68, now()).with_key(LeafKey::Gost2012_256));
    let leaf_512 = ca.issue(&LeafSpec::person(69, now()).with_key(LeafKey::Gost2012_512));
    let leaf_p256 = ca.issue(&LeafSpec::person(70, now()));
    let (parsed_256, _) = check_for_confirmation(&leaf_256.der, &trust, now()).unwrap();
    let (parsed_512, _) = check_for_confirmation(&leaf_512.der, &trust, now()).unwrap();
    let (parsed_p256, _) = check_for_confirmation(&leaf_p256.der, &trust, now()).unwrap();
    let message = challenge_message();
    let (_, signature_256) = leaf_256.key.sign(&message);
    let (_, signature_512) = leaf_512.key.sign(&message);
    let (_, signature_p256) = leaf_p256.key.sign(&message);

    let cases = [
        (&parsed_256, SignatureScheme::Gost2012_512, &signature_256),
        (&parsed_512, SignatureScheme::Gost2012_256, &signature_512),
        (&parsed_256, SignatureScheme::EcdsaSha256, &signature_256),
        (&parsed_p256, SignatureScheme::Gost2012_256, &signature_p256),
    ];
    for (parsed, scheme, signature) in cases {
        let err = verify_possession(parsed, scheme, &message, signature).unwrap_err();

        assert_eq!(err, CertificateError::SchemeMismatch { scheme });
        assert_eq!(err.code(), "certificate.scheme_mismatch");
    }
}

#[test]
fn gost_leaf_under_p256_ca_confirms() {
    let ca = ca("mixed-p256", CaKey::P256);
    let leaf = ca.issue(&LeafSpec::person(71, now()).with_key(LeafKey::Gost2012_256));
    let message = challenge_message();
    let (scheme, signature) = leaf.key.sign(&message);

    let (parsed, _) = check_for_confirmation(&leaf.der, &directory(&ca), now()).unwrap();

    assert_eq!(signature_algorithm(&leaf.der), "1.2.840.10045.4.3.2");
    assert_eq!(parsed.facts.key, KeyAlgorithm::Gost2012_256);
    assert_eq!(
        verify_possession(&parsed, scheme, &message, &signature),
        Ok(())
    );
}

#[test]
fn p256_leaf_under_gost_ca_confirms() {
    let ca = ca("mixed-gost", CaKey::Gost2012_512);
    let leaf = ca.issue(&LeafSpec::person(72, now()));
    let message = challenge_message();
    let (scheme, signature) = leaf.key.sign(&message);

    let (parsed, _) = check_for_confirmation(&leaf.der, &directory(&ca), now()).unwrap();

    assert_eq!(signature_algorithm(&leaf.der), GOST_512_SIGNATURE);
    assert_eq!(scheme, SignatureScheme::EcdsaSha256);
    assert_eq!(
        verify_possession(&parsed, scheme, &message, &signature),
        Ok(())
    );
}
