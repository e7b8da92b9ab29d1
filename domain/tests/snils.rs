//! СНИЛС parsing and checksum, with cases worked out by hand.
//!
//! The algorithm: multiply the first nine digits by 9..1 and add. A sum
//! below 100 is the checksum, and 100 or 101 give 00. A sum above 101 is
//! taken modulo 101 first. Numbers up to 001-001-998 are not checked.

use domain::snils::{parse_snils, snils_checksum, Snils, SnilsError};
use domain::{FieldError, FieldRule, Lang};
use proptest::prelude::*;

#[test]
fn valid_numbers_in_every_form() {
    let cases = [
        // 1·9 + 1·8 + 2·7 + 2·6 + 3·5 + 3·4 + 4·3 + 4·2 + 5·1
        //   = 9 + 8 + 14 + 12 + 15 + 12 + 12 + 8 + 5 = 95 < 100 → 95
        ("112-233-445 95", "112-233-445 95"),
        ("11223344595", "112-233-445 95"),
        ("112 233 445 95", "112-233-445 95"),
        ("  112-233-445-95 ", "112-233-445 95"),
        // 3·9 + 2·8 + 2·7 + 2·6 + 2·5 + 2·4 + 2·3 + 2·2 + 3·1
        //   = 27 + 16 + 14 + 12 + 10 + 8 + 6 + 4 + 3 = 100 → 00
        ("322-222-223 00", "322-222-223 00"),
        // the same with a last digit 4: 27 + 70 + 4 = 101 → 00
        ("322-222-224 00", "322-222-224 00"),
        // 1·9 + 2·8 + 3·7 + 4·6 + 5·5 + 6·4 + 7·3 + 8·2 + 9·1
        //   = 9 + 16 + 21 + 24 + 25 + 24 + 21 + 16 + 9 = 165 > 101
        //   → 165 mod 101 = 64
        ("123-456-789 64", "123-456-789 64"),
        // 3·9 + 5·8 + 5·7 + 4·6 + 5·5 + 5·4 + 5·3 + 5·2 + 5·1
        //   = 27 + 40 + 35 + 24 + 25 + 20 + 15 + 10 + 5 = 201 > 101
        //   → 201 mod 101 = 100 → 00
        ("355-455-555 00", "355-455-555 00"),
        // 9 · (9 + 8 + … + 1) = 9 · 45 = 405 → 405 mod 101 = 1 → 01
        ("999-999-999 01", "999-999-999 01"),
        // 0·9 + 0·8 + 1·7 + 0·6 + 0·5 + 1·4 + 9·3 + 9·2 + 9·1
        //   = 7 + 4 + 27 + 18 + 9 = 65, the first checked number
        ("001-001-999 65", "001-001-999 65"),
        // up to 001-001-998 the checksum is not checked: any last two digits
        ("001-001-998 00", "001-001-998 00"),
        ("001-001-998 42", "001-001-998 42"),
        ("000-000-001 99", "000-000-001 99"),
    ];
    for (typed, shown) in cases {
        let snils = parse_snils(typed).unwrap_or_else(|err| panic!("{typed:?} rejected: {err}"));
        assert_eq!(snils.to_string(), shown, "{typed:?}");
    }
}

#[test]
fn invalid_numbers_with_their_rule() {
    let cases = [
        ("", SnilsError::Required),
        ("   ", SnilsError::Required),
        ("112-233-445 9", SnilsError::Length { digits: 10 }),
        ("112-233-445 951", SnilsError::Length { digits: 12 }),
        ("112.233.445 95", SnilsError::Characters),
        ("112-233-445 9O", SnilsError::Characters),
        ("СНИЛС 11223344595", SnilsError::Characters),
        // 95 is the checksum; 96 and 59 are not
        ("112-233-445 96", SnilsError::Checksum),
        ("112-233-445 59", SnilsError::Checksum),
        // sum 100 gives 00, not 100 or 10
        ("322-222-223 10", SnilsError::Checksum),
        // sum 165 gives 64, not 165 mod 100 = 65
        ("123-456-789 65", SnilsError::Checksum),
        // sum 201 gives 00 after the modulo, not 100 or 99
        ("355-455-555 99", SnilsError::Checksum),
        // the first checked number: 65 is right, 00 is not
        ("001-001-999 00", SnilsError::Checksum),
    ];
    for (typed, expected) in cases {
        assert_eq!(parse_snils(typed), Err(expected.clone()), "{typed:?}");
    }
}

#[test]
fn checksum_of_hand_worked_sums() {
    assert_eq!(snils_checksum([1, 1, 2, 2, 3, 3, 4, 4, 5]), 95);
    assert_eq!(snils_checksum([3, 2, 2, 2, 2, 2, 2, 2, 3]), 0);
    assert_eq!(snils_checksum([3, 2, 2, 2, 2, 2, 2, 2, 4]), 0);
    assert_eq!(snils_checksum([1, 2, 3, 4, 5, 6, 7, 8, 9]), 64);
    assert_eq!(snils_checksum([3, 5, 5, 4, 5, 5, 5, 5, 5]), 0);
    assert_eq!(snils_checksum([9; 9]), 1);
    // 2·7 + 9·1 = 14 + 9 = 23
    assert_eq!(snils_checksum([0, 0, 2, 0, 0, 0, 0, 0, 9]), 23);
}

#[test]
fn single_digit_checksum_shown_with_zero() {
    // 1·8 = 8, typed and shown as 08
    let typed = parse_snils("010-000-000 08").expect("valid");
    assert_eq!(typed.checksum(), 8);
    assert_eq!(
        parse_snils("010-000-000 8"),
        Err(SnilsError::Length { digits: 10 })
    );
    let built = Snils::from_first_nine([0, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(built.to_string(), "010-000-000 08");
    assert_eq!(built.digits(), "01000000008");
}

#[test]
fn exemption_boundary() {
    assert!(parse_snils("001-001-998 00")
        .expect("exempt")
        .is_exempt_from_checksum());
    assert!(!parse_snils("001-001-999 65")
        .expect("valid")
        .is_exempt_from_checksum());
}

#[test]
fn messages_name_the_rule_in_russian() {
    let length = SnilsError::Length { digits: 9 };
    assert_eq!(length.code(), "snils.length");
    assert_eq!(
        length.message(Lang::Ru),
        "В СНИЛС должно быть 11 цифр, а введено цифр: 9. Сверьте номер с карточкой СНИЛС."
    );
    assert_eq!(SnilsError::Checksum.code(), "snils.checksum");
    assert_eq!(
        SnilsError::Checksum.message(Lang::Ru),
        "В номере СНИЛС ошибка: последние две цифры не сходятся с остальными. Сверьте каждую цифру с карточкой СНИЛС."
    );
    assert_eq!(
        SnilsError::Checksum.to_string(),
        "snils.checksum: The SNILS contains a mistake: its last two digits do not match the others. Compare each digit with the SNILS card."
    );
}

#[test]
fn errors_never_quote_the_number() {
    let typed = "112-233-445 96";
    let err = parse_snils(typed).expect_err("wrong checksum");
    let erased = FieldError::from(err.clone());
    for text in [err.to_string(), erased.message_ru, erased.message_en] {
        assert!(!text.contains("112"), "{text}");
        assert!(!text.contains("96"), "{text}");
    }
}

#[test]
fn serde_uses_the_display_form() {
    let snils = parse_snils("11223344595").expect("valid");
    let json = serde_json::to_string(&snils).expect("serialise");
    assert_eq!(json, "\"112-233-445 95\"");
    assert_eq!(
        serde_json::from_str::<Snils>(&json).expect("deserialise"),
        snils
    );
    let bad = serde_json::from_str::<Snils>("\"112-233-445 96\"").expect_err("wrong checksum");
    assert!(bad.to_string().starts_with("snils.checksum:"), "{bad}");
}

proptest! {
    #[test]
    fn computed_checksum_validates(first_nine in prop::array::uniform9(0u8..=9)) {
        let built = Snils::from_first_nine(first_nine);
        prop_assert_eq!(parse_snils(&built.digits()), Ok(built.clone()));
        prop_assert_eq!(parse_snils(&built.to_string()), Ok(built));
    }

    #[test]
    fn changed_check_digits_never_validate(
        first_nine in prop::array::uniform9(0u8..=9),
        wrong in 0u8..=99,
    ) {
        let snils = Snils::from_first_nine(first_nine);
        prop_assume!(!snils.is_exempt_from_checksum());
        prop_assume!(wrong != snils.checksum());
        let typed = format!("{}{wrong:02}", &snils.digits()[..9]);
        prop_assert_eq!(parse_snils(&typed), Err(SnilsError::Checksum));
    }

    #[test]
    fn formatted_value_reparses(first_nine in prop::array::uniform9(0u8..=9)) {
        let snils = Snils::from_first_nine(first_nine);
        let spaced = snils.to_string().replace('-', " ");
        prop_assert_eq!(parse_snils(&spaced), Ok(snils));
    }
}
