//! Signature tokens through PKCS#11 against SoftHSM2: listing tokens and
//! certificates, checking each certificate with the qualified certificate
//! rules, signing a challenge and verifying it independently with the
//! certificate's key and with `domain`'s proof of possession check, and the
//! PIN failures SoftHSM2 can produce.
//!
//! Every test uses its own token of the shared rig (see `softhsm/mod.rs`),
//! so tests may run in parallel. A locked PIN cannot be produced with
//! SoftHSM2, which never locks one; `token::sign`'s unit tests cover it.

// Helpers outside `#[test]` functions may unwrap like the tests themselves.
#![allow(clippy::unwrap_used)]

mod softhsm;

use der::{Encode, Tag};
use domain::qualified_certificate::subject::oid;
use domain::qualified_certificate::{
    check_certificate, check_for_confirmation, verify_possession, CertificateError, EcCurve,
    KeyAlgorithm,
};
use hardware::token::{
    Pin, SignatureScheme, TokenCertificate, TokenError, TokenSignature, TriesLeft,
};
use softhsm::{days, rig, KeyKind, Rig, Scenario, NUMERIC, PIN, UTF8};

const CHALLENGE: &[u8] = b"okno challenge 0193-8c2e";

fn person(extra: &[(&'static str, Tag, &'static str)]) -> Vec<(&'static str, Tag, &'static str)> {
    let mut subject = vec![
        ("2.5.4.6", Tag::PrintableString, "RU"),
        ("2.5.4.3", UTF8, "Иванов Иван Иванович"),
        (oid::SURNAME, UTF8, "Иванов"),
        (oid::GIVEN_NAME, UTF8, "Иван Иванович"),
        (oid::SNILS, NUMERIC, "11223344595"),
    ];
    subject.extend_from_slice(extra);
    subject
}

fn scenarios() -> Vec<Scenario> {
    let scenario = |label, key, subject, valid_from, valid_until| Scenario {
        label,
        key,
        subject,
        valid_from,
        valid_until,
    };
    let personal_inn = [(oid::INN, NUMERIC, "500123456750")];
    vec![
        scenario(
            "good-rsa",
            KeyKind::Rsa2048,
            person(&personal_inn),
            days(-30),
            days(365),
        ),
        scenario(
            "good-ec",
            KeyKind::EcP256,
            person(&[
                (oid::INN, NUMERIC, "500123456750"),
                (oid::OGRNIP, NUMERIC, "304500116000157"),
            ]),
            days(-30),
            days(365),
        ),
        scenario(
            "expired",
            KeyKind::EcP256,
            person(&personal_inn),
            days(-400),
            days(-1),
        ),
        scenario(
            "soon",
            KeyKind::EcP256,
            person(&personal_inn),
            days(-300),
            days(30),
        ),
        scenario(
            "weak-rsa",
            KeyKind::Rsa1024,
            person(&personal_inn),
            days(-30),
            days(365),
        ),
        scenario(
            "older-inn",
            KeyKind::EcP256,
            person(&[
                (oid::INN, NUMERIC, "007707083893"),
                (oid::OGRN, NUMERIC, "1027700132195"),
            ]),
            days(-30),
            days(365),
        ),
        scenario(
            "wrong-pin",
            KeyKind::EcP256,
            person(&personal_inn),
            days(-30),
            days(365),
        ),
        scenario(
            "short-pin",
            KeyKind::EcP256,
            person(&personal_inn),
            days(-30),
            days(365),
        ),
    ]
}

fn shared_rig() -> &'static Rig {
    rig(scenarios)
}

/// Returns the only certificate on the token labelled `label`.
fn certificate_on(label: &str) -> TokenCertificate {
    let rig = shared_rig();
    let tokens = rig.module.tokens().unwrap();
    let token = tokens
        .iter()
        .find(|token| token.label == label)
        .unwrap_or_else(|| panic!("no token labelled {label} among {tokens:?}"));
    let mut certificates = rig.module.certificates(token.slot_id).unwrap();
    assert_eq!(certificates.len(), 1, "certificates on {label}");
    certificates.remove(0)
}

fn pin(text: &str) -> Pin {
    let mut typed = text.to_owned();
    let pin = Pin::take(&mut typed);
    assert!(typed.is_empty(), "the typed PIN buffer was not cleared");
    pin
}

/// Verifies `signature` over `message` with the certificate's public key,
/// independently of the token.
fn verifies(certificate: &TokenCertificate, signature: &TokenSignature, message: &[u8]) -> bool {
    use signature::Verifier;
    let spki = certificate
        .certificate
        .certificate
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .unwrap();
    match signature.scheme {
        SignatureScheme::RsaPkcs1Sha256 => {
            use rsa::pkcs8::DecodePublicKey;
            let key = rsa::RsaPublicKey::from_public_key_der(&spki).unwrap();
            let verifier = rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(key);
            let parsed = rsa::pkcs1v15::Signature::try_from(signature.bytes.as_slice()).unwrap();
            verifier.verify(message, &parsed).is_ok()
        }
        SignatureScheme::EcdsaSha256 => {
            use p256::pkcs8::DecodePublicKey;
            let key = p256::ecdsa::VerifyingKey::from_public_key_der(&spki).unwrap();
            let parsed = p256::ecdsa::Signature::from_slice(&signature.bytes).unwrap();
            key.verify(message, &parsed).is_ok()
        }
        other => panic!(
            "SoftHSM2 made a {} signature, which it has no mechanism for",
            other.as_str()
        ),
    }
}

/// Checks the certificate for confirmation against the rig's trust
/// directory, then verifies `signature` with `domain`'s proof of
/// possession check.
fn possession_verified(
    certificate: &TokenCertificate,
    signature: &TokenSignature,
    message: &[u8],
) -> Result<(), CertificateError> {
    let rig = shared_rig();
    let (parsed, _) =
        check_for_confirmation(&certificate.certificate.der, &rig.trust(), rig.started)?;
    verify_possession(&parsed, signature.scheme, message, &signature.bytes)
}

#[test]
fn tokens_listed_with_pin_range() {
    let tokens = shared_rig().module.tokens().unwrap();

    let good = tokens
        .iter()
        .find(|token| token.label == "good-rsa")
        .unwrap();
    assert_eq!(good.manufacturer, "SoftHSM project");
    assert_eq!(good.model, "SoftHSM v2");
    assert_eq!(good.pin_length, (4, 255));
    assert!(!good.pin_flags.locked);
    assert_eq!(tokens.len(), scenarios().len());
}

#[test]
fn good_rsa_certificate_accepted() {
    let certificate = certificate_on("good-rsa");
    let facts = &certificate.certificate.facts;

    assert_eq!(certificate.id, vec![0x01]);
    assert_eq!(certificate.label, "certificate");
    assert_eq!(facts.key, KeyAlgorithm::Rsa { modulus_bits: 2048 });
    assert_eq!(
        certificate.certificate.issuer,
        "CN=Okno Test CA softhsm,O=Okno test certification center,C=RU"
    );

    let holder = check_certificate(facts, shared_rig().started).unwrap();
    assert_eq!(holder.name.surname(), "Иванов");
    assert_eq!(holder.name.given_name(), "Иван");
    assert_eq!(holder.name.patronymic(), Some("Иванович"));
    assert_eq!(holder.snils.digits(), "11223344595");
    assert_eq!(holder.inn.unwrap().as_str(), "500123456750");
}

#[test]
fn good_ec_certificate_with_ogrnip() {
    let certificate = certificate_on("good-ec");
    let facts = &certificate.certificate.facts;

    assert_eq!(
        facts.key,
        KeyAlgorithm::Ec {
            curve: EcCurve::P256
        }
    );
    let holder = check_certificate(facts, shared_rig().started).unwrap();
    assert_eq!(holder.ogrnip.unwrap().as_str(), "304500116000157");
}

#[test]
fn expired_certificate_rejected() {
    let certificate = certificate_on("expired");
    let facts = &certificate.certificate.facts;

    assert_eq!(
        check_certificate(facts, shared_rig().started),
        Err(CertificateError::Expired {
            not_after: facts.not_after
        })
    );
    assert_eq!(facts.not_after, shared_rig().started - days(1));
}

#[test]
fn certificate_with_thirty_days_rejected() {
    let certificate = certificate_on("soon");
    let facts = &certificate.certificate.facts;

    assert_eq!(
        check_certificate(facts, shared_rig().started),
        Err(CertificateError::ExpiresSoon {
            not_after: facts.not_after,
            days_left: 30
        })
    );
}

#[test]
fn weak_rsa_key_rejected() {
    let certificate = certificate_on("weak-rsa");

    assert_eq!(
        check_certificate(&certificate.certificate.facts, shared_rig().started),
        Err(CertificateError::WeakRsaKey { modulus_bits: 1024 })
    );
}

#[test]
fn older_inn_form_is_organisation_inn() {
    let certificate = certificate_on("older-inn");

    let holder = check_certificate(&certificate.certificate.facts, shared_rig().started).unwrap();
    assert_eq!(holder.inn, None);
    assert_eq!(holder.organisation_inn.unwrap().as_str(), "7707083893");
    assert_eq!(holder.ogrn.unwrap().as_str(), "1027700132195");
}

#[test]
fn rsa_signature_verifies() {
    let certificate = certificate_on("good-rsa");

    let signature = shared_rig()
        .module
        .sign_challenge(&certificate, pin(PIN), CHALLENGE)
        .unwrap();

    assert_eq!(signature.scheme, SignatureScheme::RsaPkcs1Sha256);
    assert_eq!(signature.bytes.len(), 256);
    assert!(verifies(&certificate, &signature, CHALLENGE));
    assert!(!verifies(&certificate, &signature, b"another challenge"));
    assert_eq!(
        possession_verified(&certificate, &signature, CHALLENGE),
        Ok(())
    );
    assert_eq!(
        possession_verified(&certificate, &signature, b"another challenge"),
        Err(CertificateError::BadSignature)
    );
}

#[test]
fn ecdsa_signature_verifies() {
    let certificate = certificate_on("good-ec");

    let signature = shared_rig()
        .module
        .sign_challenge(&certificate, pin(PIN), CHALLENGE)
        .unwrap();

    assert_eq!(signature.scheme, SignatureScheme::EcdsaSha256);
    assert_eq!(signature.bytes.len(), 64);
    assert!(verifies(&certificate, &signature, CHALLENGE));
    assert!(!verifies(&certificate, &signature, b"another challenge"));
    assert_eq!(
        possession_verified(&certificate, &signature, CHALLENGE),
        Ok(())
    );
    assert_eq!(
        possession_verified(&certificate, &signature, b"another challenge"),
        Err(CertificateError::BadSignature)
    );
}

#[test]
fn wrong_pin_reports_fewer_tries() {
    let rig = shared_rig();
    let certificate = certificate_on("wrong-pin");

    let first = rig
        .module
        .sign_challenge(&certificate, pin("0000"), CHALLENGE)
        .unwrap_err();
    assert_eq!(
        first,
        TokenError::WrongPin {
            tries_left: TriesLeft::Fewer
        }
    );
    assert!(
        first.message_ru().starts_with("Неверный PIN-код."),
        "{}",
        first.message_ru()
    );
    let flags = rig.module.token_in(certificate.slot_id).unwrap().pin_flags;
    assert!(flags.count_low);

    // The right PIN still works and clears the token's count-low flag.
    let signature = rig
        .module
        .sign_challenge(&certificate, pin(PIN), CHALLENGE)
        .unwrap();
    assert!(verifies(&certificate, &signature, CHALLENGE));
    let flags = rig.module.token_in(certificate.slot_id).unwrap().pin_flags;
    assert!(!flags.count_low);
}

#[test]
fn short_pin_rejected_without_a_try() {
    let rig = shared_rig();
    let certificate = certificate_on("short-pin");

    let err = rig
        .module
        .sign_challenge(&certificate, pin("12"), CHALLENGE)
        .unwrap_err();

    assert_eq!(
        err,
        TokenError::PinLength {
            chars: 2,
            min: 4,
            max: 255
        }
    );
    let flags = rig.module.token_in(certificate.slot_id).unwrap().pin_flags;
    assert!(!flags.count_low, "the token counted a try");
}

#[test]
fn pin_debug_hides_digits() {
    assert_eq!(format!("{:?}", pin("4711")), "Pin(hidden)");
}

#[test]
fn missing_module_reports_path() {
    let err =
        match hardware::token::TokenModule::open(std::path::Path::new("/nonexistent/libpkcs11.so"))
        {
            Ok(_) => panic!("a missing module loaded"),
            Err(err) => err,
        };

    match &err {
        TokenError::ModuleLoad { path, .. } => assert_eq!(path, "/nonexistent/libpkcs11.so"),
        other => panic!("expected ModuleLoad, got {other:?}"),
    }
    assert!(err.message_ru().contains("модуль PKCS#11 не загружен"));
}
