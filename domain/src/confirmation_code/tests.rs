use std::collections::HashSet;

use proptest::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::*;
use crate::field::FieldError;

fn instant(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn alphabet_has_no_look_alikes() {
    let alphabet: HashSet<char> = ALPHABET.iter().map(|&byte| char::from(byte)).collect();

    assert_eq!(alphabet.len(), 16);
    for excluded in [
        '0', 'O', 'Q', 'D', '1', 'I', 'L', 'J', '8', 'B', 'Y', 'U', 'V', 'S', 'Z',
    ] {
        assert!(!alphabet.contains(&excluded), "{excluded}");
    }
    for c in &alphabet {
        assert!(c.is_ascii_digit() || c.is_ascii_uppercase(), "{c}");
    }
}

#[test]
fn parse_accepts_typed_forms() {
    let cases = [
        ("AC3H7X", "AC3H7X"),
        ("ac3h7x", "AC3H7X"),
        ("AC3-H7X", "AC3H7X"),
        (" ac3 h7x ", "AC3H7X"),
        ("A-C-3-H-7-X", "AC3H7X"),
        ("АС3Н7Х", "AC3H7X"),
        ("ас3-н7х", "AC3H7X"),
        ("АСЗН7Х", "AC3H7X"),
        ("ac3\u{2013}h7x", "AC3H7X"),
        ("29KMPT", "29KMPT"),
        ("кмрте5", "KMPTE5"),
    ];

    for (input, canonical) in cases {
        assert_eq!(
            ConfirmationCode::parse(input).unwrap().as_str(),
            canonical,
            "{input:?}"
        );
    }
}

#[test]
fn parse_rejects_bad_input() {
    let cases = [
        ("", ConfirmationCodeError::Length { chars: 0 }),
        ("AC3H7", ConfirmationCodeError::Length { chars: 5 }),
        ("AC3H7XX", ConfirmationCodeError::Length { chars: 7 }),
        ("AC3_H7X", ConfirmationCodeError::Length { chars: 7 }),
        ("AC3H70", ConfirmationCodeError::Character),
        ("AC3H7O", ConfirmationCodeError::Character),
        ("AC1H7X", ConfirmationCodeError::Character),
        ("AC8H7X", ConfirmationCodeError::Character),
        ("ACBH7X", ConfirmationCodeError::Character),
        ("ACВH7X", ConfirmationCodeError::Character),
        ("ACУH7X", ConfirmationCodeError::Character),
        ("ACЖH7X", ConfirmationCodeError::Character),
        ("AC3H7Ⅹ", ConfirmationCodeError::Character),
    ];

    for (input, expected) in cases {
        assert_eq!(ConfirmationCode::parse(input), Err(expected), "{input:?}");
    }
}

#[test]
fn grouped_for_printing() {
    let code = ConfirmationCode::parse("ac3h7x").unwrap();

    assert_eq!(code.grouped(), "AC3-H7X");
    assert_eq!(ConfirmationCode::parse(&code.grouped()), Ok(code));
}

#[test]
fn debug_hides_code() {
    let code = ConfirmationCode::parse("AC3H7X").unwrap();

    assert_eq!(format!("{code:?}"), "ConfirmationCode(******)");
}

#[test]
fn validity_is_thirty_days() {
    let issued_at = instant("2026-12-04T10:00:00Z");

    assert_eq!(expires_at(issued_at), instant("2027-01-03T10:00:00Z"));
    assert!(!is_expired(issued_at, instant("2027-01-03T09:59:59Z")));
    assert!(is_expired(issued_at, instant("2027-01-03T10:00:00Z")));
    assert!(is_expired(issued_at, instant("2027-02-01T00:00:00Z")));
}

#[test]
fn error_codes_and_messages() {
    let length = FieldError::from(ConfirmationCodeError::Length { chars: 5 });
    let character = FieldError::from(ConfirmationCodeError::Character);

    assert_eq!(length.field, Field::ConfirmationCode);
    assert_eq!(length.code, "confirmation_code.length");
    assert_eq!(
        length.message_ru,
        "В коде 6 символов, а введено 5. Сверьте код с бланком."
    );
    assert_eq!(character.code, "confirmation_code.character");
    assert_eq!(
        character.message_ru,
        "В коде есть символ, которого не бывает в кодах. Код состоит из цифр 2–7 и 9 и букв \
         A C E H K M P T X. Сверьте код с бланком."
    );
}

#[test]
fn json_is_canonical_string() {
    let code = ConfirmationCode::parse("ac3-h7x").unwrap();

    assert_eq!(serde_json::to_string(&code).unwrap(), r#""AC3H7X""#);
    assert_eq!(
        serde_json::from_str::<ConfirmationCode>(r#""ас3-н7х""#).unwrap(),
        code
    );
    assert!(serde_json::from_str::<ConfirmationCode>(r#""AC0H7X""#).is_err());
}

#[test]
fn generated_characters_spread_evenly() {
    let mut rng = StdRng::seed_from_u64(11);
    let mut counts = [0u32; 16];

    for _ in 0..16_000 {
        for byte in ConfirmationCode::generate(&mut rng).as_str().bytes() {
            let index = ALPHABET.iter().position(|&c| c == byte).unwrap();
            counts[index] += 1;
        }
    }

    // 96 000 characters give 6 000 per character; ±300 is about 4
    // standard deviations of a fair generator.
    for (index, count) in counts.iter().enumerate() {
        assert!(
            (5_700..=6_300).contains(count),
            "{}: {count}",
            char::from(ALPHABET[index])
        );
    }
}

/// Replaces each Latin letter of a code with its Cyrillic twin and each 3
/// with З, as a person on a Russian keyboard layout would type it.
fn cyrillic_typing(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            'A' => 'а',
            'C' => 'с',
            'E' => 'е',
            'H' => 'н',
            'K' => 'к',
            'M' => 'м',
            'P' => 'р',
            'T' => 'т',
            'X' => 'х',
            '3' => 'З',
            other => other,
        })
        .collect()
}

proptest! {
    #[test]
    fn generated_code_parses_back(seed in any::<u64>()) {
        let mut rng = StdRng::seed_from_u64(seed);

        let code = ConfirmationCode::generate(&mut rng);

        prop_assert_eq!(code.as_str().len(), CODE_LENGTH);
        prop_assert!(code.as_str().bytes().all(|byte| ALPHABET.contains(&byte)));
        prop_assert_eq!(ConfirmationCode::parse(code.as_str()), Ok(code.clone()));
        prop_assert_eq!(ConfirmationCode::parse(&code.grouped()), Ok(code.clone()));
        prop_assert_eq!(ConfirmationCode::parse(&code.as_str().to_lowercase()), Ok(code.clone()));
        prop_assert_eq!(ConfirmationCode::parse(&cyrillic_typing(code.as_str())), Ok(code));
    }

    /// Any string of 6 characters outside the alphabet and its Cyrillic
    /// twins is rejected, never read as some other code.
    #[test]
    fn foreign_characters_rejected(text in "[01ILOQBDSUVYZЖЩЮЯ]{6}") {
        prop_assert_eq!(ConfirmationCode::parse(&text), Err(ConfirmationCodeError::Character));
    }
}
