//! E-mail addresses: accepted forms, each rejection rule, throw-away
//! domains, and the messages.

use domain::email::{parse_email, Email, EmailError, DISPOSABLE_DOMAINS};
use domain::{FieldRule, Lang};
use proptest::prelude::*;

#[test]
fn valid_addresses_normalise_the_domain() {
    let cases = [
        ("ivanov@mail.ru", "ivanov@mail.ru"),
        ("  Ivan.Petrov@Yandex.RU ", "Ivan.Petrov@yandex.ru"),
        ("a_b-c.d@sub.example.com", "a_b-c.d@sub.example.com"),
        ("user2024@gmail.com", "user2024@gmail.com"),
        ("ivanov@почта.рф", "ivanov@почта.рф"),
        ("ivanov@ПОЧТА.РФ", "ivanov@почта.рф"),
        (
            "ivanov@xn--80a1acny.xn--p1ai",
            "ivanov@xn--80a1acny.xn--p1ai",
        ),
        ("i@my-host.co.uk", "i@my-host.co.uk"),
    ];
    for (typed, expected) in cases {
        let email = parse_email(typed).unwrap_or_else(|err| panic!("{typed:?} rejected: {err}"));
        assert_eq!(email.as_str(), expected, "{typed:?}");
    }
    let email = parse_email("Ivan.Petrov@Yandex.RU").expect("valid");
    assert_eq!(email.local_part(), "Ivan.Petrov");
    assert_eq!(email.domain(), "yandex.ru");
}

#[test]
fn rejections_with_their_rule() {
    let long_local = format!("{}@mail.ru", "a".repeat(65));
    let long_address = format!(
        "{}@{}.ru",
        "a".repeat(64),
        vec!["b".repeat(60); 4].join(".")
    );
    let cases = [
        ("", EmailError::Required),
        ("ivan ov@mail.ru", EmailError::Space),
        ("ivanov@mail .ru", EmailError::Space),
        ("ivanov.mail.ru", EmailError::AtSign),
        ("ivanov@@mail.ru", EmailError::AtSign),
        ("ivan@ov@mail.ru", EmailError::AtSign),
        ("@mail.ru", EmailError::AtSign),
        ("ivanov@", EmailError::AtSign),
        ("иванов@mail.ru", EmailError::LocalCharacters),
        ("ivan+tag@mail.ru", EmailError::LocalCharacters),
        ("\"ivan\"@mail.ru", EmailError::LocalCharacters),
        (".ivanov@mail.ru", EmailError::LocalDots),
        ("ivanov.@mail.ru", EmailError::LocalDots),
        ("ivan..ov@mail.ru", EmailError::LocalDots),
        (long_local.as_str(), EmailError::LocalTooLong),
        (long_address.as_str(), EmailError::TooLong),
        ("ivanov@localhost", EmailError::Domain),
        ("ivanov@mail.r", EmailError::Domain),
        ("ivanov@mail.ru1", EmailError::Domain),
        ("ivanov@mail..ru", EmailError::Domain),
        ("ivanov@.mail.ru", EmailError::Domain),
        ("ivanov@mail.ru.", EmailError::Domain),
        ("ivanov@-mail.ru", EmailError::Domain),
        ("ivanov@mail-.ru", EmailError::Domain),
        ("ivanov@mail_box.ru", EmailError::Domain),
        ("ivanov@192.168.0.1", EmailError::Domain),
        ("ivanov@[127.0.0.1]", EmailError::Domain),
        ("ivanov@mailinator.com", EmailError::Disposable),
        ("ivanov@10minutemail.com", EmailError::Disposable),
        ("ivanov@guerrillamail.com", EmailError::Disposable),
        ("ivanov@temp-mail.org", EmailError::Disposable),
        ("ivanov@YopMail.com", EmailError::Disposable),
        ("ivanov@inbox.mailinator.com", EmailError::Disposable),
    ];
    for (typed, expected) in cases {
        assert_eq!(parse_email(typed), Err(expected.clone()), "{typed:?}");
    }
}

#[test]
fn lookalike_of_disposable_domain_passes() {
    // only the listed domain and its subdomains are refused
    let email = parse_email("ivanov@notmailinator.com").expect("not on the list");
    assert_eq!(email.domain(), "notmailinator.com");
}

#[test]
fn every_listed_domain_is_refused() {
    for domain in DISPOSABLE_DOMAINS {
        assert_eq!(
            parse_email(&format!("test@{domain}")),
            Err(EmailError::Disposable),
            "{domain}"
        );
    }
}

#[test]
fn length_limits_at_the_boundary() {
    let local_64 = format!("{}@mail.ru", "a".repeat(64));
    assert!(parse_email(&local_64).is_ok());
    // 64 + 1 + 189 = 254 characters, the domain being labels of 62, 61 and
    // 61 letters, 2 dots and ".ru": 62 + 61 + 61 + 2 + 3 = 189
    let domain_189 = format!(
        "{}.{}.{}.ru",
        "b".repeat(62),
        "b".repeat(61),
        "b".repeat(61)
    );
    let at_limit = format!("{}@{domain_189}", "a".repeat(64));
    assert_eq!(at_limit.len(), 64 + 1 + 189);
    assert_eq!(at_limit.len(), 254);
    assert!(parse_email(&at_limit).is_ok());
    let over_limit = format!("{}@b{domain_189}", "a".repeat(64));
    assert_eq!(parse_email(&over_limit), Err(EmailError::TooLong));
}

#[test]
fn messages_in_russian() {
    assert_eq!(EmailError::Disposable.code(), "email.disposable");
    assert_eq!(
        EmailError::Disposable.message(Lang::Ru),
        "Адреса временной почты не принимаются: они исчезают, и доступ к учётной записи будет потерян. Укажите постоянный адрес."
    );
    assert_eq!(EmailError::LocalCharacters.code(), "email.local_characters");
    assert_eq!(
        EmailError::LocalCharacters.message(Lang::Ru),
        "Часть адреса до @ может содержать только латинские буквы, цифры, точку, дефис и подчёркивание. Введите адрес латиницей."
    );
    assert_eq!(
        EmailError::Space.message(Lang::Ru),
        "В адресе почты не бывает пробелов. Уберите пробелы."
    );
}

#[test]
fn serde_round_trip() {
    let email = parse_email("Ivan@Mail.RU").expect("valid");
    let json = serde_json::to_string(&email).expect("serialise");
    assert_eq!(json, "\"Ivan@mail.ru\"");
    assert_eq!(
        serde_json::from_str::<Email>(&json).expect("deserialise"),
        email
    );
}

proptest! {
    #[test]
    fn formatted_address_reparses(
        local in "[A-Za-z0-9_-]{1,20}(\\.[A-Za-z0-9_-]{1,10}){0,2}",
        labels in prop::collection::vec("[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", 1..3),
        top in "[A-Za-z]{2,6}",
    ) {
        let typed = format!("{local}@{}.{top}", labels.join("."));
        let email = parse_email(&typed).expect("generated address follows the rules");
        prop_assert_eq!(parse_email(email.as_str()), Ok(email.clone()));
        prop_assert_eq!(email.domain(), email.domain().to_lowercase());
    }
}
