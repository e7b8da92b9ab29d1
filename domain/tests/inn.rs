//! ИНН parsing and check digits, with cases worked out by hand.
//!
//! Each check digit is a weighted sum of the digits before it, modulo 11,
//! then modulo 10. Ten digits use weights 2 4 10 3 5 9 4 6 8. Twelve digits
//! use 7 2 4 10 3 5 9 4 6 8 for the 11th and 3 7 2 4 10 3 5 9 4 6 8 for the
//! 12th.

use domain::inn::{
    organisation_check_digit, parse_inn, parse_personal_inn, person_check_digits, Inn, InnError,
    InnKind,
};
use domain::{FieldRule, Lang};
use proptest::prelude::*;

#[test]
fn valid_numbers_of_both_kinds() {
    let cases = [
        // 7·2 + 7·4 + 0·10 + 7·3 + 0·5 + 8·9 + 3·4 + 8·6 + 9·8
        //   = 14 + 28 + 0 + 21 + 0 + 72 + 12 + 48 + 72 = 267
        //   267 mod 11 = 3 (11·24 = 264), 3 mod 10 = 3
        ("7707083893", InnKind::Organisation),
        // 1·2 + 2·4 + 3·10 + 4·3 + 5·5 + 6·9 + 7·4 + 8·6 + 9·8
        //   = 2 + 8 + 30 + 12 + 25 + 54 + 28 + 48 + 72 = 279
        //   279 mod 11 = 4 (11·25 = 275), 4 mod 10 = 4
        ("1234567894", InnKind::Organisation),
        // 8·2 + 7·4 + 2·10 + 0·3 + 0·5 + 7·9 + 0·4 + 3·6 + 1·8
        //   = 16 + 28 + 20 + 0 + 0 + 63 + 0 + 18 + 8 = 153
        //   153 mod 11 = 10 (11·13 = 143), 10 mod 10 = 0
        ("8720070310", InnKind::Organisation),
        // 11th: 1·7 + 2·2 + 3·4 + 4·10 + 5·3 + 6·5 + 7·9 + 8·4 + 9·6 + 0·8
        //   = 7 + 4 + 12 + 40 + 15 + 30 + 63 + 32 + 54 + 0 = 257
        //   257 mod 11 = 4 (11·23 = 253) → 4
        // 12th: 1·3 + 2·7 + 3·2 + 4·4 + 5·10 + 6·3 + 7·5 + 8·9 + 9·4 + 0·6 + 4·8
        //   = 3 + 14 + 6 + 16 + 50 + 18 + 35 + 72 + 36 + 0 + 32 = 282
        //   282 mod 11 = 7 (11·25 = 275) → 7
        ("123456789047", InnKind::Person),
        // 11th: 3·7 + 9·2 + 1·4 + 9·10 + 4·3 + 2·5 + 4·9 + 8·4 + 7·6 + 8·8
        //   = 21 + 18 + 4 + 90 + 12 + 10 + 36 + 32 + 42 + 64 = 329
        //   329 mod 11 = 10 (11·29 = 319), 10 mod 10 = 0
        // 12th: 3·3 + 9·7 + 1·2 + 9·4 + 4·10 + 2·3 + 4·5 + 8·9 + 7·4 + 8·6 + 0·8
        //   = 9 + 63 + 2 + 36 + 40 + 6 + 20 + 72 + 28 + 48 + 0 = 324
        //   324 mod 11 = 5 (11·29 = 319) → 5
        ("391942487805", InnKind::Person),
        ("  1234 5678 9047 ", InnKind::Person),
    ];
    for (typed, kind) in cases {
        let inn = parse_inn(typed).unwrap_or_else(|err| panic!("{typed:?} rejected: {err}"));
        assert_eq!(inn.kind(), kind, "{typed:?}");
        assert_eq!(inn.to_string(), typed.replace(' ', ""), "{typed:?}");
    }
}

#[test]
fn invalid_numbers_with_their_rule() {
    let cases = [
        ("", InnError::Required),
        ("7707083894", InnError::Checksum),
        ("8720070311", InnError::Checksum),
        // the 12th digit wrong
        ("123456789048", InnError::Checksum),
        // the 11th digit wrong, the 12th right for the true 11th
        ("123456789037", InnError::Checksum),
        ("391942487815", InnError::Checksum),
        ("770708389", InnError::Length { digits: 9 }),
        ("77070838931", InnError::Length { digits: 11 }),
        ("1234567890471", InnError::Length { digits: 13 }),
        ("7707-083893", InnError::Characters),
        ("ИНН 7707083893", InnError::Characters),
    ];
    for (typed, expected) in cases {
        assert_eq!(parse_inn(typed), Err(expected.clone()), "{typed:?}");
    }
}

#[test]
fn personal_form_requires_twelve_digits() {
    let person = parse_personal_inn("123456789047").expect("valid");
    assert_eq!(person.kind(), InnKind::Person);
    assert_eq!(
        parse_personal_inn("7707083893"),
        Err(InnError::OrganisationInsteadOfPerson)
    );
    assert_eq!(
        parse_personal_inn("12345678904"),
        Err(InnError::PersonalLength { digits: 11 })
    );
    assert_eq!(parse_personal_inn("123456789048"), Err(InnError::Checksum));
    assert_eq!(parse_personal_inn(" "), Err(InnError::Required));
}

#[test]
fn check_digit_functions() {
    assert_eq!(organisation_check_digit([7, 7, 0, 7, 0, 8, 3, 8, 9]), 3);
    assert_eq!(organisation_check_digit([8, 7, 2, 0, 0, 7, 0, 3, 1]), 0);
    assert_eq!(person_check_digits([1, 2, 3, 4, 5, 6, 7, 8, 9, 0]), [4, 7]);
    assert_eq!(person_check_digits([3, 9, 1, 9, 4, 2, 4, 8, 7, 8]), [0, 5]);
}

#[test]
fn messages_in_russian() {
    assert_eq!(
        InnError::OrganisationInsteadOfPerson.code(),
        "inn.organisation_number"
    );
    assert_eq!(
        InnError::OrganisationInsteadOfPerson.message(Lang::Ru),
        "Это ИНН организации, в нём 10 цифр. Введите свой личный ИНН из 12 цифр."
    );
    assert_eq!(InnError::Checksum.code(), "inn.checksum");
    assert_eq!(
        InnError::Checksum.message(Lang::Ru),
        "В ИНН ошибка: контрольные цифры в конце не сходятся с остальными. Сверьте каждую цифру с документом."
    );
    assert_eq!(
        InnError::Length { digits: 11 }.message(Lang::Ru),
        "В ИНН должно быть 12 цифр (у человека) или 10 цифр (у организации), а введено цифр: 11. Сверьте номер с документом."
    );
}

#[test]
fn serde_round_trip_keeps_the_kind() {
    let inn = parse_inn("7707083893").expect("valid");
    let json = serde_json::to_string(&inn).expect("serialise");
    assert_eq!(json, "\"7707083893\"");
    let back: Inn = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back.kind(), InnKind::Organisation);
    assert!(serde_json::from_str::<Inn>("\"7707083894\"").is_err());
}

fn digits_text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

proptest! {
    #[test]
    fn organisation_checksum_validates(first_nine in prop::array::uniform9(0u8..=9)) {
        let typed = format!("{}{}", digits_text(&first_nine), organisation_check_digit(first_nine));
        let inn = parse_inn(&typed).expect("computed check digit");
        prop_assert_eq!(inn.kind(), InnKind::Organisation);
        prop_assert_eq!(inn.as_str(), typed.as_str());
    }

    #[test]
    fn organisation_changed_digit_fails(first_nine in prop::array::uniform9(0u8..=9), shift in 1u8..=9) {
        let wrong = (organisation_check_digit(first_nine) + shift) % 10;
        let typed = format!("{}{wrong}", digits_text(&first_nine));
        prop_assert_eq!(parse_inn(&typed), Err(InnError::Checksum));
    }

    #[test]
    fn person_checksum_validates(first_ten in prop::array::uniform10(0u8..=9)) {
        let [eleventh, twelfth] = person_check_digits(first_ten);
        let typed = format!("{}{eleventh}{twelfth}", digits_text(&first_ten));
        let inn = parse_personal_inn(&typed).expect("computed check digits");
        prop_assert_eq!(inn.kind(), InnKind::Person);
        prop_assert_eq!(parse_inn(&inn.to_string()), Ok(inn));
    }

    #[test]
    fn person_changed_digit_fails(
        first_ten in prop::array::uniform10(0u8..=9),
        position in 0usize..2,
        shift in 1u8..=9,
    ) {
        let mut check = person_check_digits(first_ten);
        check[position] = (check[position] + shift) % 10;
        let typed = format!("{}{}{}", digits_text(&first_ten), check[0], check[1]);
        prop_assert_eq!(parse_inn(&typed), Err(InnError::Checksum));
    }
}
