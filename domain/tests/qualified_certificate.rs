//! Qualified certificate rules on parsed values: the holder's data from the
//! subject, the validity window, the key algorithm policy, and the message
//! of each rejection.
//!
//! The СНИЛС 112-233-445 95, the ИНН 500123456750, the ИНН 7707083893, the
//! ОГРН 1027700132195 and the ОГРНИП 304500116000157 have matching check
//! digits, worked out in the `snils`, `inn` and `ogrn` tests.

use domain::qualified_certificate::subject::oid;
use domain::qualified_certificate::{
    check_certificate, check_key_algorithm, check_validity, parse_holder, CertificateError,
    CertificateFacts, EcCurve, KeyAlgorithm, SubjectAttribute,
};
use domain::Lang;
use jiff::{SignedDuration, Timestamp};

const NOW: &str = "2026-12-05T09:00:00Z";

fn instant(text: &str) -> Timestamp {
    text.parse().expect("a valid RFC 3339 instant")
}

fn days(count: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * count)
}

fn person_subject() -> Vec<SubjectAttribute> {
    vec![
        SubjectAttribute::new("2.5.4.6", "RU"),
        SubjectAttribute::new("2.5.4.3", "Иванов Иван Иванович"),
        SubjectAttribute::new(oid::SURNAME, "ИВАНОВ"),
        SubjectAttribute::new(oid::GIVEN_NAME, "ИВАН ИВАНОВИЧ"),
        SubjectAttribute::new(oid::SNILS, "11223344595"),
        SubjectAttribute::new(oid::INN, "500123456750"),
    ]
}

fn with(mut subject: Vec<SubjectAttribute>, oid: &str, value: &str) -> Vec<SubjectAttribute> {
    subject.push(SubjectAttribute::new(oid, value));
    subject
}

fn without(subject: Vec<SubjectAttribute>, oid: &str) -> Vec<SubjectAttribute> {
    subject.into_iter().filter(|a| a.oid != oid).collect()
}

#[test]
fn person_holder_from_subject() {
    let holder = parse_holder(&person_subject()).unwrap();

    assert_eq!(holder.name.surname(), "Иванов");
    assert_eq!(holder.name.given_name(), "Иван");
    assert_eq!(holder.name.patronymic(), Some("Иванович"));
    assert_eq!(holder.snils.digits(), "11223344595");
    assert_eq!(
        holder.inn.as_ref().map(|inn| inn.as_str()),
        Some("500123456750")
    );
    assert_eq!(holder.organisation_inn, None);
    assert_eq!(holder.ogrn, None);
    assert_eq!(holder.ogrnip, None);
}

#[test]
fn given_name_without_patronymic() {
    let subject = with(
        without(person_subject(), oid::GIVEN_NAME),
        oid::GIVEN_NAME,
        "Иван",
    );

    let holder = parse_holder(&subject).unwrap();

    assert_eq!(holder.name.given_name(), "Иван");
    assert_eq!(holder.name.patronymic(), None);
}

#[test]
fn organisation_employee_with_current_inn_attributes() {
    let subject = with(
        with(person_subject(), oid::ORGANISATION_INN, "7707083893"),
        oid::OGRN,
        "1027700132195",
    );

    let holder = parse_holder(&subject).unwrap();

    assert_eq!(
        holder.inn.as_ref().map(|inn| inn.as_str()),
        Some("500123456750")
    );
    assert_eq!(
        holder.organisation_inn.as_ref().map(|inn| inn.as_str()),
        Some("7707083893")
    );
    assert_eq!(
        holder.ogrn.as_ref().map(|ogrn| ogrn.as_str()),
        Some("1027700132195")
    );
}

#[test]
fn older_padded_inn_is_the_organisation_inn() {
    let subject = with(
        without(person_subject(), oid::INN),
        oid::INN,
        "007707083893",
    );

    let holder = parse_holder(&subject).unwrap();

    assert_eq!(holder.inn, None);
    assert_eq!(
        holder.organisation_inn.as_ref().map(|inn| inn.as_str()),
        Some("7707083893")
    );
}

#[test]
fn padded_inn_matching_organisation_inn() {
    let subject = with(
        with(
            without(person_subject(), oid::INN),
            oid::INN,
            "007707083893",
        ),
        oid::ORGANISATION_INN,
        "7707083893",
    );

    let holder = parse_holder(&subject).unwrap();

    assert_eq!(
        holder.organisation_inn.as_ref().map(|inn| inn.as_str()),
        Some("7707083893")
    );
}

#[test]
fn sole_proprietor_ogrnip() {
    let subject = with(person_subject(), oid::OGRNIP, "304500116000157");

    let holder = parse_holder(&subject).unwrap();

    assert_eq!(
        holder.ogrnip.as_ref().map(|ogrnip| ogrnip.as_str()),
        Some("304500116000157")
    );
}

#[test]
fn holder_inn_is_optional() {
    let holder = parse_holder(&without(person_subject(), oid::INN)).unwrap();

    assert_eq!(holder.inn, None);
}

#[test]
fn subject_rejections() {
    let cases: Vec<(&str, Vec<SubjectAttribute>, CertificateError)> = vec![
        (
            "no surname",
            without(person_subject(), oid::SURNAME),
            CertificateError::NameMissing,
        ),
        (
            "no given name",
            without(person_subject(), oid::GIVEN_NAME),
            CertificateError::NameMissing,
        ),
        (
            "Latin surname",
            with(
                without(person_subject(), oid::SURNAME),
                oid::SURNAME,
                "Ivanov",
            ),
            CertificateError::NameInvalid,
        ),
        (
            "no СНИЛС",
            without(person_subject(), oid::SNILS),
            CertificateError::SnilsMissing,
        ),
        (
            "СНИЛС checksum",
            with(
                without(person_subject(), oid::SNILS),
                oid::SNILS,
                "11223344596",
            ),
            CertificateError::SnilsInvalid,
        ),
        (
            "СНИЛС length",
            with(
                without(person_subject(), oid::SNILS),
                oid::SNILS,
                "1122334459",
            ),
            CertificateError::SnilsInvalid,
        ),
        (
            "ИНН checksum",
            with(
                without(person_subject(), oid::INN),
                oid::INN,
                "500123456751",
            ),
            CertificateError::InnInvalid,
        ),
        (
            "bare 10-digit ИНН",
            with(without(person_subject(), oid::INN), oid::INN, "7707083893"),
            CertificateError::InnInvalid,
        ),
        (
            "padded ИНН checksum",
            with(
                without(person_subject(), oid::INN),
                oid::INN,
                "007707083894",
            ),
            CertificateError::OrganisationInnInvalid,
        ),
        (
            "ИННЮЛ of 12 digits",
            with(person_subject(), oid::ORGANISATION_INN, "500123456750"),
            CertificateError::OrganisationInnInvalid,
        ),
        (
            "padded ИНН and ИННЮЛ differ",
            with(
                with(
                    without(person_subject(), oid::INN),
                    oid::INN,
                    "007707083893",
                ),
                oid::ORGANISATION_INN,
                "1234567894",
            ),
            CertificateError::OrganisationInnConflict,
        ),
        (
            "ОГРН checksum",
            with(person_subject(), oid::OGRN, "1027700132196"),
            CertificateError::OgrnInvalid,
        ),
        (
            "ОГРНИП in the ОГРН attribute",
            with(person_subject(), oid::OGRN, "304500116000157"),
            CertificateError::OgrnInvalid,
        ),
        (
            "ОГРНИП checksum",
            with(person_subject(), oid::OGRNIP, "304500116000158"),
            CertificateError::OgrnipInvalid,
        ),
        (
            "two different СНИЛС",
            with(person_subject(), oid::SNILS, "00000000001"),
            CertificateError::RepeatedAttribute { oid: oid::SNILS },
        ),
    ];

    for (case, subject, expected) in cases {
        assert_eq!(parse_holder(&subject), Err(expected), "case: {case}");
    }
}

#[test]
fn repeated_attribute_with_same_value_counts_once() {
    let subject = with(person_subject(), oid::SNILS, "11223344595");

    assert_eq!(
        parse_holder(&subject).unwrap().snils.digits(),
        "11223344595"
    );
}

#[test]
fn validity_window_and_ninety_days() {
    let now = instant(NOW);
    let not_before = now - days(30);

    assert_eq!(check_validity(not_before, now + days(365), now), Ok(()));
    assert_eq!(check_validity(not_before, now + days(90), now), Ok(()));
    assert_eq!(check_validity(now, now + days(90), now), Ok(()));

    let almost = now + days(90) - SignedDuration::from_secs(1);
    assert_eq!(
        check_validity(not_before, almost, now),
        Err(CertificateError::ExpiresSoon {
            not_after: almost,
            days_left: 89
        })
    );
    assert_eq!(
        check_validity(not_before, now + days(30), now),
        Err(CertificateError::ExpiresSoon {
            not_after: now + days(30),
            days_left: 30
        })
    );
    assert_eq!(
        check_validity(not_before, now, now),
        Err(CertificateError::ExpiresSoon {
            not_after: now,
            days_left: 0
        })
    );

    let expired = now - SignedDuration::from_secs(1);
    assert_eq!(
        check_validity(not_before, expired, now),
        Err(CertificateError::Expired { not_after: expired })
    );

    let tomorrow = now + days(1);
    assert_eq!(
        check_validity(tomorrow, now + days(400), now),
        Err(CertificateError::NotYetValid {
            not_before: tomorrow
        })
    );
}

#[test]
fn key_algorithm_policy() {
    let accepted = [
        KeyAlgorithm::Gost2012_256,
        KeyAlgorithm::Gost2012_512,
        KeyAlgorithm::Rsa { modulus_bits: 2048 },
        KeyAlgorithm::Rsa { modulus_bits: 4096 },
        KeyAlgorithm::Ec {
            curve: EcCurve::P256,
        },
        KeyAlgorithm::Ec {
            curve: EcCurve::P384,
        },
        KeyAlgorithm::Ec {
            curve: EcCurve::P521,
        },
    ];
    for key in accepted {
        assert_eq!(check_key_algorithm(&key), Ok(()), "key: {key:?}");
    }

    let rejected = [
        (
            KeyAlgorithm::Rsa { modulus_bits: 1024 },
            CertificateError::WeakRsaKey { modulus_bits: 1024 },
        ),
        (
            KeyAlgorithm::Rsa { modulus_bits: 2047 },
            CertificateError::WeakRsaKey { modulus_bits: 2047 },
        ),
        (
            KeyAlgorithm::Ec {
                curve: EcCurve::from_oid("1.2.840.10045.3.1.1"),
            },
            CertificateError::WeakCurve {
                curve: "P-192".to_owned(),
            },
        ),
        (
            KeyAlgorithm::Ec {
                curve: EcCurve::from_oid("1.3.132.0.33"),
            },
            CertificateError::WeakCurve {
                curve: "P-224".to_owned(),
            },
        ),
        (
            // brainpoolP256r1
            KeyAlgorithm::Ec {
                curve: EcCurve::from_oid("1.3.36.3.3.2.8.1.1.7"),
            },
            CertificateError::UnsupportedCurve {
                oid: "1.3.36.3.3.2.8.1.1.7".to_owned(),
            },
        ),
        (KeyAlgorithm::Gost2001, CertificateError::OutdatedGost),
        (
            // DSA
            KeyAlgorithm::Other {
                oid: "1.2.840.10040.4.1".to_owned(),
            },
            CertificateError::UnsupportedKeyAlgorithm {
                oid: "1.2.840.10040.4.1".to_owned(),
            },
        ),
    ];
    for (key, expected) in rejected {
        assert_eq!(check_key_algorithm(&key), Err(expected), "key: {key:?}");
    }
}

#[test]
fn check_certificate_applies_rules_in_order() {
    let now = instant(NOW);
    let good = CertificateFacts {
        subject: person_subject(),
        not_before: now - days(30),
        not_after: now + days(365),
        key: KeyAlgorithm::Rsa { modulus_bits: 2048 },
    };
    let holder = check_certificate(&good, now).unwrap();
    assert_eq!(holder.snils.digits(), "11223344595");

    // Expired and weak and without СНИЛС: validity is reported first.
    let bad = CertificateFacts {
        subject: without(person_subject(), oid::SNILS),
        not_after: now - days(1),
        key: KeyAlgorithm::Rsa { modulus_bits: 1024 },
        ..good.clone()
    };
    assert_eq!(
        check_certificate(&bad, now),
        Err(CertificateError::Expired {
            not_after: now - days(1)
        })
    );

    // Weak and without СНИЛС: the key is reported before the subject.
    let bad = CertificateFacts {
        not_after: now + days(365),
        ..bad
    };
    assert_eq!(
        check_certificate(&bad, now),
        Err(CertificateError::WeakRsaKey { modulus_bits: 1024 })
    );
}

#[test]
fn messages_say_what_to_do() {
    let now = instant(NOW);
    let soon = CertificateError::ExpiresSoon {
        not_after: now + days(30),
        days_left: 30,
    };
    assert_eq!(soon.code(), "certificate.expires_soon");
    assert_eq!(
        soon.message(Lang::Ru),
        "Сертификат скоро истекает, осталось дней: 30. Для подтверждения личности он должен \
         действовать ещё не меньше 90 дней. Получите новый сертификат в удостоверяющем центре \
         или подтвердите личность у оператора."
    );
    assert_eq!(
        soon.message(Lang::En),
        "The certificate expires soon: 30 days left. It must stay valid for at least 90 more \
         days to confirm your identity. Get a new certificate from a certification center, or \
         confirm your identity with an operator."
    );

    let weak = CertificateError::WeakRsaKey { modulus_bits: 1024 };
    assert_eq!(
        weak.message(Lang::Ru),
        "Ключ сертификата слишком короткий: длина ключа RSA в битах: 1024, а нужно не меньше \
         2048. Получите новый сертификат в удостоверяющем центре или подтвердите личность у \
         оператора."
    );
    assert_eq!(
        weak.to_string(),
        "certificate.weak_rsa_key: The certificate's key is too short: RSA with 1024 bits, but \
         at least 2048 are required. Get a new certificate from a certification center, or \
         confirm your identity with an operator."
    );

    assert_eq!(
        CertificateError::SnilsInvalid.message(Lang::Ru),
        "СНИЛС в сертификате записан с ошибкой: не 11 цифр или не сходится контрольное число. \
         Обратитесь в удостоверяющий центр, выдавший сертификат, или подтвердите личность у \
         оператора."
    );
}

#[test]
fn every_rejection_has_its_own_code_and_messages() {
    let now = instant(NOW);
    let all = [
        CertificateError::NotYetValid { not_before: now },
        CertificateError::Expired { not_after: now },
        CertificateError::ExpiresSoon {
            not_after: now,
            days_left: 1,
        },
        CertificateError::WeakRsaKey { modulus_bits: 1024 },
        CertificateError::WeakCurve {
            curve: "P-192".to_owned(),
        },
        CertificateError::UnsupportedCurve {
            oid: "1.3.36.3.3.2.8.1.1.7".to_owned(),
        },
        CertificateError::OutdatedGost,
        CertificateError::UnsupportedKeyAlgorithm {
            oid: "1.2.840.10040.4.1".to_owned(),
        },
        CertificateError::NameMissing,
        CertificateError::NameInvalid,
        CertificateError::SnilsMissing,
        CertificateError::SnilsInvalid,
        CertificateError::InnInvalid,
        CertificateError::OrganisationInnInvalid,
        CertificateError::OrganisationInnConflict,
        CertificateError::OgrnInvalid,
        CertificateError::OgrnipInvalid,
        CertificateError::RepeatedAttribute { oid: oid::SNILS },
        CertificateError::Malformed {
            detail: "unexpected end of input".to_owned(),
        },
        CertificateError::UntrustedIssuer,
        CertificateError::BadChainSignature { depth: 0 },
        CertificateError::UnsupportedSignatureAlgorithm {
            algorithm: "1.2.643.7.1.1.3.2".to_owned(),
        },
        CertificateError::IssuerNotValid {
            issuer: "CN=Okno Test CA".to_owned(),
            not_before: now,
            not_after: now,
        },
        CertificateError::Revoked {
            depth: 0,
            revoked_at: now,
        },
        CertificateError::RevocationUnknown {
            issuer: "CN=Okno Test CA".to_owned(),
            next_update: None,
        },
        CertificateError::BadSignature,
        CertificateError::SchemeMismatch {
            scheme: domain::sync::SignatureScheme::EcdsaSha256,
        },
    ];

    let mut codes: Vec<&str> = all.iter().map(CertificateError::code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len(), "codes repeat: {codes:?}");

    for error in &all {
        let ru = error.message(Lang::Ru);
        let en = error.message(Lang::En);
        assert!(
            ru.contains("оператор"),
            "{}: the Russian message offers no next step: {ru}",
            error.code()
        );
        assert!(
            en.contains("operator"),
            "{}: the English message offers no next step: {en}",
            error.code()
        );
        assert!(
            ru.chars().any(|c| ('а'..='я').contains(&c)),
            "{}: the Russian message is not in Russian: {ru}",
            error.code()
        );
    }
    assert_eq!(
        CertificateError::ExpiresSoon {
            not_after: now,
            days_left: 1
        }
        .message(Lang::En),
        "The certificate expires soon: 1 day left. It must stay valid for at least 90 more days \
         to confirm your identity. Get a new certificate from a certification center, or \
         confirm your identity with an operator."
    );
}
