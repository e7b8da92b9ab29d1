//! The field rule contract, checked on every rule of the password policy,
//! the one-time code and the identity confirmation code: the code is
//! `<field>.<rule>` and unique, both messages are sentences in their
//! language, and `Display` is the code and the English message.

use std::collections::BTreeSet;

use domain::confirmation_code::ConfirmationCodeError;
use domain::one_time_code::OneTimeCodeError;
use domain::password::PasswordError;
use domain::{FieldError, FieldRule, Lang};

fn every_rule() -> Vec<FieldError> {
    let mut all: Vec<FieldError> = PasswordError::ALL
        .into_iter()
        .map(FieldError::from)
        .collect();
    all.extend([
        OneTimeCodeError::Format.into(),
        OneTimeCodeError::Wrong { attempts_left: 2 }.into(),
        OneTimeCodeError::Exhausted.into(),
        OneTimeCodeError::Expired.into(),
        OneTimeCodeError::AlreadyUsed.into(),
        ConfirmationCodeError::Length { chars: 5 }.into(),
        ConfirmationCodeError::Character.into(),
    ]);
    all
}

fn has_cyrillic(text: &str) -> bool {
    text.chars().any(|c| matches!(c, 'А'..='я' | 'Ё' | 'ё'))
}

#[test]
fn codes_are_field_dot_rule() {
    for err in every_rule() {
        let (field, rule) = err.code.split_once('.').expect("a dot in the code");

        assert_eq!(field, err.field.code(), "{}", err.code);
        assert!(!rule.is_empty(), "{}", err.code);
        assert!(
            rule.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{}",
            err.code
        );
    }
}

#[test]
fn codes_are_unique() {
    let all = every_rule();

    let codes: BTreeSet<&str> = all.iter().map(|err| err.code.as_str()).collect();

    assert_eq!(codes.len(), all.len());
}

#[test]
fn messages_are_sentences_in_their_language() {
    for err in every_rule() {
        let russian = err.message(Lang::Ru);
        let english = err.message(Lang::En);

        assert!(has_cyrillic(russian), "{}: {russian}", err.code);
        assert!(russian.ends_with('.'), "{}: {russian}", err.code);
        assert!(
            russian.chars().next().is_some_and(char::is_uppercase),
            "{}: {russian}",
            err.code
        );
        assert!(english.ends_with('.'), "{}: {english}", err.code);
        assert!(
            english.chars().next().is_some_and(char::is_uppercase),
            "{}: {english}",
            err.code
        );
        assert!(!has_cyrillic(english), "{}: {english}", err.code);
    }
}

#[test]
fn display_is_code_and_english_message() {
    assert_eq!(
        PasswordError::NoDigit.to_string(),
        "password.no_digit: Add a digit to the password."
    );
    assert_eq!(
        OneTimeCodeError::Wrong { attempts_left: 1 }.to_string(),
        "one_time_code.wrong: Wrong code. Attempts left: 1."
    );
    assert_eq!(
        ConfirmationCodeError::Length { chars: 7 }.to_string(),
        format!(
            "confirmation_code.length: {}",
            ConfirmationCodeError::Length { chars: 7 }.message(Lang::En)
        )
    );
}
