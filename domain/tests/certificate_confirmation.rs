//! Everything a certificate must pass before it confirms an identity
//! (`check_for_confirmation`), and the proof of possession of its key
//! (`verify_possession`) over a challenge message as the server issues it.

// Helpers outside `#[test]` functions may unwrap like the tests themselves.
#![allow(clippy::unwrap_used)]

use domain::qualified_certificate::subject::oid;
use domain::qualified_certificate::testing::{days, CaKey, LeafKey, LeafSpec, TestCa, TestLeaf};
use domain::qualified_certificate::{
    check_for_confirmation, verify_possession, CertificateError, TrustDirectory,
};
use domain::sync::{SignatureChallenge, SignatureScheme};
use domain::Lang;
use jiff::Timestamp;
use uuid::Uuid;

fn now() -> Timestamp {
    "2026-12-05T09:00:00Z"
        .parse()
        .expect("a valid RFC 3339 instant")
}

/// Makes the test certification center and a directory that trusts it.
fn trusted() -> (TestCa, TrustDirectory) {
    let ca = TestCa::new(
        "confirm",
        CaKey::P256,
        now() - days(365),
        now() + days(3650),
    );
    let parts = ca.directory_parts(now());
    let trust =
        TrustDirectory::from_der(&parts.anchors, &parts.intermediates, &parts.crls).unwrap();
    (ca, trust)
}

fn challenge_message() -> Vec<u8> {
    SignatureChallenge {
        challenge_id: Uuid::parse_str("0193a1b2-0000-7000-8000-0000000000c1").unwrap(),
        attempt_id: Uuid::parse_str("0193a1b2-0000-7000-8000-0000000000a1").unwrap(),
        nonce: "5f".repeat(32),
        expires_at: now() + jiff::SignedDuration::from_mins(5),
    }
    .message()
}

fn confirm_error(leaf: &TestLeaf, trust: &TrustDirectory) -> CertificateError {
    check_for_confirmation(&leaf.der, trust, now()).unwrap_err()
}

#[test]
fn good_ec_certificate_confirms() {
    let (ca, trust) = trusted();
    let leaf = ca.issue(&LeafSpec::person(40, now()));
    let message = challenge_message();
    let (scheme, signature) = leaf.key.sign(&message);

    let (parsed, holder) = check_for_confirmation(&leaf.der, &trust, now()).unwrap();

    assert_eq!(holder.name.surname(), "Иванов");
    assert_eq!(holder.name.given_name(), "Иван");
    assert_eq!(holder.name.patronymic(), Some("Иванович"));
    assert_eq!(holder.snils.digits(), "11223344595");
    assert_eq!(holder.inn.unwrap().as_str(), "500123456750");
    assert_eq!(scheme, SignatureScheme::EcdsaSha256);
    assert_eq!(signature.len(), 64);
    assert_eq!(
        verify_possession(&parsed, scheme, &message, &signature),
        Ok(())
    );
}

#[test]
fn good_rsa_certificate_confirms() {
    let (ca, trust) = trusted();
    let leaf = ca.issue(&LeafSpec::person(41, now()).with_key(LeafKey::Rsa2048));
    let message = challenge_message();
    let (scheme, signature) = leaf.key.sign(&message);

    let (parsed, _) = check_for_confirmation(&leaf.der, &trust, now()).unwrap();

    assert_eq!(scheme, SignatureScheme::RsaPkcs1Sha256);
    assert_eq!(signature.len(), 256);
    assert_eq!(
        verify_possession(&parsed, scheme, &message, &signature),
        Ok(())
    );
}

#[test]
fn expired_certificate_rejected() {
    let (ca, trust) = trusted();
    let spec = LeafSpec::person(42, now()).valid(now() - days(400), now() - days(1));

    let err = confirm_error(&ca.issue(&spec), &trust);

    assert_eq!(err.code(), "certificate.expired");
}

#[test]
fn certificate_with_89_days_rejected() {
    let (ca, trust) = trusted();
    let spec = LeafSpec::person(43, now()).valid(now() - days(276), now() + days(89));

    let err = confirm_error(&ca.issue(&spec), &trust);

    assert_eq!(
        err,
        CertificateError::ExpiresSoon {
            not_after: now() + days(89),
            days_left: 89
        }
    );
    assert_eq!(err.code(), "certificate.expires_soon");
}

#[test]
fn weak_rsa_key_rejected() {
    let (ca, trust) = trusted();
    let leaf = ca.issue(&LeafSpec::person(44, now()).with_key(LeafKey::Rsa1024));

    let err = confirm_error(&leaf, &trust);

    assert_eq!(err, CertificateError::WeakRsaKey { modulus_bits: 1024 });
    assert_eq!(err.code(), "certificate.weak_rsa_key");
}

#[test]
fn untrusted_issuer_rejected() {
    let (_, trust) = trusted();
    let other = TestCa::new("stranger", CaKey::P256, now() - days(10), now() + days(900));
    let leaf = other.issue(&LeafSpec::person(45, now()));

    let err = confirm_error(&leaf, &trust);

    assert_eq!(err.code(), "certificate.untrusted_issuer");
}

#[test]
fn revoked_certificate_rejected() {
    let (ca, _) = trusted();
    let leaf = ca.issue(&LeafSpec::person(46, now()));
    let crls = [
        ca.root_crl(&[], now() - days(1), Some(now() + days(9))),
        ca.intermediate_crl(&[46], now() - days(1), Some(now() + days(9))),
    ];
    let trust = TrustDirectory::from_der(
        &[ca.root_der().to_vec()],
        &[ca.intermediate_der().to_vec()],
        &crls,
    )
    .unwrap();

    let err = confirm_error(&leaf, &trust);

    assert_eq!(err.code(), "certificate.revoked");
}

#[test]
fn older_inn_form_read_as_organisation() {
    let (ca, trust) = trusted();
    let spec = LeafSpec::person(47, now())
        .with_attribute(oid::INN, "007707083893")
        .with_attribute(oid::OGRN, "1027700132195");

    let (_, holder) = check_for_confirmation(&ca.issue(&spec).der, &trust, now()).unwrap();

    assert_eq!(holder.inn, None);
    assert_eq!(holder.organisation_inn.unwrap().as_str(), "7707083893");
    assert_eq!(holder.ogrn.unwrap().as_str(), "1027700132195");
}

#[test]
fn invalid_snils_rejected_after_chain() {
    let (ca, trust) = trusted();
    let spec = LeafSpec::person(48, now()).with_attribute(oid::SNILS, "11223344596");

    let err = confirm_error(&ca.issue(&spec), &trust);

    assert_eq!(err.code(), "certificate.snils_invalid");
}

#[test]
fn garbage_certificate_malformed() {
    let (_, trust) = trusted();

    let err = check_for_confirmation(b"\x30\x03\x02\x01\x00", &trust, now()).unwrap_err();

    assert_eq!(err.code(), "certificate.malformed");
}

#[test]
fn signature_over_other_message_rejected() {
    let (ca, trust) = trusted();
    let leaf = ca.issue(&LeafSpec::person(49, now()));
    let (parsed, _) = check_for_confirmation(&leaf.der, &trust, now()).unwrap();
    let (scheme, signature) = leaf.key.sign(b"okno identity challenge v1:other");

    let err = verify_possession(&parsed, scheme, &challenge_message(), &signature).unwrap_err();

    assert_eq!(err, CertificateError::BadSignature);
    assert_eq!(err.code(), "certificate.bad_signature");
    assert!(err
        .message(Lang::Ru)
        .starts_with("Подпись токена не совпала с сертификатом."));
}

#[test]
fn signature_by_other_key_rejected() {
    let (ca, trust) = trusted();
    let leaf = ca.issue(&LeafSpec::person(50, now()));
    let other = ca.issue(&LeafSpec::person(51, now()));
    let (parsed, _) = check_for_confirmation(&leaf.der, &trust, now()).unwrap();
    let message = challenge_message();
    let (scheme, signature) = other.key.sign(&message);

    let err = verify_possession(&parsed, scheme, &message, &signature).unwrap_err();

    assert_eq!(err, CertificateError::BadSignature);
}

#[test]
fn tampered_rsa_signature_rejected() {
    let (ca, trust) = trusted();
    let leaf = ca.issue(&LeafSpec::person(52, now()).with_key(LeafKey::Rsa2048));
    let (parsed, _) = check_for_confirmation(&leaf.der, &trust, now()).unwrap();
    let message = challenge_message();
    let (scheme, mut signature) = leaf.key.sign(&message);
    signature[100] ^= 0x40;

    let err = verify_possession(&parsed, scheme, &message, &signature).unwrap_err();

    assert_eq!(err, CertificateError::BadSignature);
}

#[test]
fn der_ecdsa_signature_rejected() {
    // The scheme's layout is PKCS#11's `r || s`, so a DER `Ecdsa-Sig-Value`
    // of the same signature must not pass.
    let (ca, trust) = trusted();
    let leaf = ca.issue(&LeafSpec::person(53, now()));
    let (parsed, _) = check_for_confirmation(&leaf.der, &trust, now()).unwrap();
    let message = challenge_message();
    let (scheme, fixed) = leaf.key.sign(&message);
    let der = p256::ecdsa::Signature::from_slice(&fixed)
        .unwrap()
        .to_der()
        .as_bytes()
        .to_vec();

    let err = verify_possession(&parsed, scheme, &message, &der).unwrap_err();

    assert_eq!(err, CertificateError::BadSignature);
}

#[test]
fn scheme_not_fitting_key_rejected() {
    let (ca, trust) = trusted();
    let rsa = ca.issue(&LeafSpec::person(54, now()).with_key(LeafKey::Rsa2048));
    let ec = ca.issue(&LeafSpec::person(55, now()));
    let (rsa_parsed, _) = check_for_confirmation(&rsa.der, &trust, now()).unwrap();
    let (ec_parsed, _) = check_for_confirmation(&ec.der, &trust, now()).unwrap();
    let message = challenge_message();
    let (_, rsa_signature) = rsa.key.sign(&message);
    let (_, ec_signature) = ec.key.sign(&message);

    let as_ecdsa = verify_possession(
        &rsa_parsed,
        SignatureScheme::EcdsaSha256,
        &message,
        &rsa_signature,
    );
    let as_gost = verify_possession(
        &ec_parsed,
        SignatureScheme::Gost2012_256,
        &message,
        &ec_signature,
    );
    let as_rsa = verify_possession(
        &ec_parsed,
        SignatureScheme::RsaPkcs1Sha256,
        &message,
        &ec_signature,
    );

    assert_eq!(
        as_ecdsa,
        Err(CertificateError::SchemeMismatch {
            scheme: SignatureScheme::EcdsaSha256
        })
    );
    assert_eq!(
        as_gost,
        Err(CertificateError::SchemeMismatch {
            scheme: SignatureScheme::Gost2012_256
        })
    );
    assert_eq!(
        as_rsa,
        Err(CertificateError::SchemeMismatch {
            scheme: SignatureScheme::RsaPkcs1Sha256
        })
    );
    assert_eq!(as_ecdsa.unwrap_err().code(), "certificate.scheme_mismatch");
}
