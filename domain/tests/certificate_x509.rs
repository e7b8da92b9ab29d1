//! Parsing DER certificates made by the `testing` certification center
//! into the values the qualified certificate rules check.

use domain::qualified_certificate::subject::oid;
use domain::qualified_certificate::testing::{CaKey, LeafKey, LeafSpec, TestCa};
use domain::qualified_certificate::{
    check_certificate, parse_certificate, CertificateError, EcCurve, KeyAlgorithm,
};
use jiff::Timestamp;

fn now() -> Timestamp {
    "2026-12-05T09:00:00Z"
        .parse()
        .expect("a valid RFC 3339 instant")
}

fn test_ca() -> TestCa {
    TestCa::new("x509", CaKey::P256, now() - days(365), now() + days(3650))
}

fn days(count: i64) -> jiff::SignedDuration {
    domain::qualified_certificate::testing::days(count)
}

#[test]
fn p256_leaf_parsed() {
    let leaf = test_ca().issue(&LeafSpec::person(0x1f05, now()));

    let parsed = parse_certificate(&leaf.der).unwrap();

    assert_eq!(parsed.der, leaf.der);
    assert_eq!(parsed.serial_hex, "1F05");
    assert_eq!(
        parsed.issuer,
        "CN=Okno Test CA x509,O=Okno test certification center,C=RU"
    );
    assert_eq!(parsed.facts.not_before, now() - days(30));
    assert_eq!(parsed.facts.not_after, now() + days(365));
    assert_eq!(
        parsed.facts.key,
        KeyAlgorithm::Ec {
            curve: EcCurve::P256
        }
    );
    let holder = check_certificate(&parsed.facts, now()).unwrap();
    assert_eq!(holder.name.surname(), "Иванов");
    assert_eq!(holder.name.given_name(), "Иван");
    assert_eq!(holder.name.patronymic(), Some("Иванович"));
    assert_eq!(holder.snils.digits(), "11223344595");
    assert_eq!(holder.inn.unwrap().as_str(), "500123456750");
}

#[test]
fn rsa_leaf_key_size_read() {
    let ca = test_ca();
    let strong = ca.issue(&LeafSpec::person(2, now()).with_key(LeafKey::Rsa2048));
    let weak = ca.issue(&LeafSpec::person(3, now()).with_key(LeafKey::Rsa1024));

    assert_eq!(
        parse_certificate(&strong.der).unwrap().facts.key,
        KeyAlgorithm::Rsa { modulus_bits: 2048 }
    );
    assert_eq!(
        parse_certificate(&weak.der).unwrap().facts.key,
        KeyAlgorithm::Rsa { modulus_bits: 1024 }
    );
}

#[test]
fn subject_attributes_in_certificate_order() {
    let spec = LeafSpec::person(4, now())
        .with_attribute(oid::OGRNIP, "304500116000157")
        .without_attribute(oid::INN);
    let leaf = test_ca().issue(&spec);

    let parsed = parse_certificate(&leaf.der).unwrap();

    let oids: Vec<&str> = parsed
        .facts
        .subject
        .iter()
        .map(|attribute| attribute.oid.as_str())
        .collect();
    assert_eq!(
        oids,
        [
            "2.5.4.6",
            "2.5.4.3",
            oid::SURNAME,
            oid::GIVEN_NAME,
            oid::SNILS,
            oid::OGRNIP
        ]
    );
    assert_eq!(parsed.facts.subject[5].value, "304500116000157");
}

#[test]
fn garbage_is_malformed() {
    let err = parse_certificate(b"not a certificate").unwrap_err();

    assert_eq!(err.code(), "certificate.malformed");
    assert!(matches!(err, CertificateError::Malformed { .. }));
}

#[test]
fn truncated_certificate_is_malformed() {
    let leaf = test_ca().issue(&LeafSpec::person(5, now()));

    let err = parse_certificate(&leaf.der[..leaf.der.len() - 10]).unwrap_err();

    assert_eq!(err.code(), "certificate.malformed");
}
