//! Passport series and number, and the division code: the forms people
//! type, the display forms, and the messages.

use domain::passport::{
    parse_division_code, parse_passport_number, DivisionCode, DivisionCodeError, PassportNumber,
    PassportNumberError,
};
use domain::{FieldRule, Lang};
use proptest::prelude::*;

#[test]
fn passport_number_forms() {
    for typed in [
        "1234 567890",
        "1234567890",
        "12 34 567890",
        " 1234  567890 ",
    ] {
        let passport =
            parse_passport_number(typed).unwrap_or_else(|err| panic!("{typed:?} rejected: {err}"));
        assert_eq!(passport.to_string(), "1234 567890", "{typed:?}");
        assert_eq!(passport.series(), "1234", "{typed:?}");
        assert_eq!(passport.number(), "567890", "{typed:?}");
        assert_eq!(passport.digits(), "1234567890", "{typed:?}");
    }
}

#[test]
fn passport_number_errors() {
    let cases = [
        ("", PassportNumberError::Required),
        ("1234 56789", PassportNumberError::Length { digits: 9 }),
        ("1234 5678901", PassportNumberError::Length { digits: 11 }),
        ("1234-567890", PassportNumberError::Characters),
        ("1234 №567890", PassportNumberError::Characters),
        ("12З4 567890", PassportNumberError::Characters),
    ];
    for (typed, expected) in cases {
        assert_eq!(
            parse_passport_number(typed),
            Err(expected.clone()),
            "{typed:?}"
        );
    }
}

#[test]
fn passport_number_messages() {
    let length = PassportNumberError::Length { digits: 9 };
    assert_eq!(length.code(), "passport_number.length");
    assert_eq!(
        length.message(Lang::Ru),
        "В серии и номере паспорта должно быть 10 цифр (4 цифры серии и 6 цифр номера), а введено цифр: 9. Сверьте с паспортом."
    );
    assert_eq!(
        length.message(Lang::En),
        "The passport series and number have 10 digits (4 of the series, 6 of the number), but 9 digits were entered. Compare with the passport."
    );
}

#[test]
fn division_code_forms() {
    for typed in ["123-456", "123456", " 123-456 "] {
        let code =
            parse_division_code(typed).unwrap_or_else(|err| panic!("{typed:?} rejected: {err}"));
        assert_eq!(code.to_string(), "123-456", "{typed:?}");
        assert_eq!(code.digits(), "123456", "{typed:?}");
    }
}

#[test]
fn division_code_errors() {
    let cases = [
        ("", DivisionCodeError::Required),
        ("12-3456", DivisionCodeError::Format),
        ("123-45", DivisionCodeError::Format),
        ("1234567", DivisionCodeError::Format),
        ("123 456", DivisionCodeError::Format),
        ("123--456", DivisionCodeError::Format),
        ("123-456-", DivisionCodeError::Format),
        ("абв-где", DivisionCodeError::Format),
    ];
    for (typed, expected) in cases {
        assert_eq!(
            parse_division_code(typed),
            Err(expected.clone()),
            "{typed:?}"
        );
    }
    assert_eq!(DivisionCodeError::Format.code(), "division_code.format");
    assert_eq!(
        DivisionCodeError::Format.message(Lang::Ru),
        "Код подразделения — это 6 цифр через дефис после третьей: 123-456 (можно без дефиса). Сверьте с паспортом."
    );
}

#[test]
fn serde_uses_display_forms() {
    let passport = parse_passport_number("1234567890").expect("valid");
    assert_eq!(
        serde_json::to_string(&passport).expect("serialise"),
        "\"1234 567890\""
    );
    let code = parse_division_code("123456").expect("valid");
    assert_eq!(
        serde_json::to_string(&code).expect("serialise"),
        "\"123-456\""
    );
    assert_eq!(
        serde_json::from_str::<DivisionCode>("\"123-456\"").expect("deserialise"),
        code
    );
}

proptest! {
    #[test]
    fn formatted_passport_reparses(digits in "[0-9]{10}") {
        let passport = parse_passport_number(&digits).expect("10 digits");
        let again: PassportNumber = parse_passport_number(&passport.to_string()).expect("display form");
        prop_assert_eq!(again, passport);
    }

    #[test]
    fn formatted_division_code_reparses(digits in "[0-9]{6}") {
        let code = parse_division_code(&digits).expect("6 digits");
        prop_assert_eq!(parse_division_code(&code.to_string()), Ok(code));
    }
}
