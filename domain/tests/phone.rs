//! Mobile phone numbers: every form people type, the landline, length and
//! foreign-number rejections, and the normalised and display forms.

use domain::phone::{parse_mobile_phone, MobilePhone, PhoneError};
use domain::{FieldRule, Lang};
use proptest::prelude::*;

#[test]
fn every_usual_form_normalises() {
    let forms = [
        "8 912 345-67-89",
        "+7 (912) 345 67 89",
        "89123456789",
        "+79123456789",
        "9123456789",
        "7 912 345 67 89",
        "79123456789",
        "8 (912) 345-67-89",
        "+7-912-345-67-89",
        "  +7 912 345-67-89  ",
        "912 345 67 89",
    ];
    for typed in forms {
        let phone =
            parse_mobile_phone(typed).unwrap_or_else(|err| panic!("{typed:?} rejected: {err}"));
        assert_eq!(phone.e164(), "+79123456789", "{typed:?}");
        assert_eq!(phone.national(), "9123456789", "{typed:?}");
        assert_eq!(phone.to_string(), "+7 912 345-67-89", "{typed:?}");
    }
}

#[test]
fn rejections_with_their_rule() {
    let cases = [
        ("", PhoneError::Required),
        ("   ", PhoneError::Required),
        // Moscow and St Petersburg landlines, and a toll-free number
        ("+7 495 123-45-67", PhoneError::Landline),
        ("8 (812) 123-45-67", PhoneError::Landline),
        ("4951234567", PhoneError::Landline),
        ("8 800 555-35-35", PhoneError::Landline),
        ("+7 343 123-45-67", PhoneError::Landline),
        // Ukraine, the United States, Belarus
        ("+380 50 123 4567", PhoneError::NotRussian),
        ("+1 212 555 0100", PhoneError::NotRussian),
        ("+375 29 123-45-67", PhoneError::NotRussian),
        // the US number typed without "+": 11 digits starting with 1
        ("1 212 555 0100", PhoneError::NotRussian),
        // Kazakhstan shares +7 and uses codes starting with 6 and 7
        ("+7 701 123-45-67", PhoneError::NotRussian),
        ("8 727 123-45-67", PhoneError::NotRussian),
        // no Russian codes start with 0, 1, 2 or 5
        ("+7 512 345-67-89", PhoneError::NotMobile),
        ("+7 012 345-67-89", PhoneError::NotMobile),
        // lengths: a local landline, one digit short, one too many
        ("345-67-89", PhoneError::Length { digits: 7 }),
        ("8 912 345-67-8", PhoneError::Length { digits: 10 }),
        ("+7 912 345-67-8", PhoneError::Length { digits: 10 }),
        ("+7 912 345-67-890", PhoneError::Length { digits: 12 }),
        ("8 8912 345-67-89", PhoneError::Length { digits: 12 }),
        ("+7 8 912 345-67-89", PhoneError::Length { digits: 12 }),
        ("+", PhoneError::Length { digits: 0 }),
        // letters, a "+" in the middle, dots
        ("+7 912 ABC-67-89", PhoneError::Characters),
        ("8 912 345+67-89", PhoneError::Characters),
        ("8.912.345.67.89", PhoneError::Characters),
        ("тел. 89123456789", PhoneError::Characters),
    ];
    for (typed, expected) in cases {
        assert_eq!(
            parse_mobile_phone(typed),
            Err(expected.clone()),
            "{typed:?}"
        );
    }
}

#[test]
fn messages_in_russian() {
    assert_eq!(PhoneError::Landline.code(), "phone.landline");
    assert_eq!(
        PhoneError::Landline.message(Lang::Ru),
        "Это городской (стационарный) номер, на него не придёт SMS. Введите номер мобильного телефона: после +7 он начинается с 9."
    );
    assert_eq!(PhoneError::NotRussian.code(), "phone.not_russian");
    assert_eq!(
        PhoneError::NotRussian.message(Lang::Ru),
        "Это номер другой страны. Нужен номер российского мобильного оператора: +7 и 10 цифр, начиная с 9."
    );
    let length = PhoneError::Length { digits: 7 };
    assert_eq!(length.code(), "phone.length");
    assert_eq!(
        length.message(Lang::Ru),
        "В мобильном номере 10 цифр после +7 (или 11 цифр, если начинать с 8), а введено цифр: 7. Городской номер без кода не подойдёт: введите мобильный полностью."
    );
}

#[test]
fn errors_never_quote_the_number() {
    let err = parse_mobile_phone("+7 495 123-45-67").expect_err("landline");
    for text in [
        err.to_string(),
        err.message(Lang::Ru),
        err.message(Lang::En),
    ] {
        assert!(!text.contains("495"), "{text}");
        assert!(!text.contains("123"), "{text}");
    }
}

#[test]
fn serde_uses_international_form() {
    let phone = parse_mobile_phone("8 912 345-67-89").expect("valid");
    let json = serde_json::to_string(&phone).expect("serialise");
    assert_eq!(json, "\"+79123456789\"");
    assert_eq!(
        serde_json::from_str::<MobilePhone>(&json).expect("deserialise"),
        phone
    );
}

proptest! {
    #[test]
    fn normalised_number_reparses_to_itself(rest in "9[0-9]{9}") {
        let phone = parse_mobile_phone(&format!("8{rest}")).expect("mobile number");
        let again = parse_mobile_phone(&phone.e164()).expect("normalised form");
        prop_assert_eq!(again.e164(), phone.e164());
        let shown = parse_mobile_phone(&phone.to_string()).expect("display form");
        prop_assert_eq!(shown, phone);
    }

    #[test]
    fn non_mobile_codes_never_pass(first in "[0-8]", rest in "[0-9]{9}") {
        let typed = format!("+7{first}{rest}");
        prop_assert!(parse_mobile_phone(&typed).is_err());
    }
}
