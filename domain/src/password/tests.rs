use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::field::FieldError;

use PasswordError::*;

#[test]
fn good_passwords_pass() {
    let cases = [
        "Tr0pic@lRain",
        "Kp7#mVx2!q",
        "Зелёный#Чай7",
        "Ёлка_2026_Снег",
        "9Lives&Counting",
        "x7!QKxzz",
    ];

    for password in cases {
        assert_eq!(strength_errors(password), [], "{password}");
        assert_eq!(validate(password, password), Ok(()), "{password}");
    }
}

#[test]
fn each_rule_alone() {
    let long = "Mx7#Rt2%".repeat(17);
    let cases: [(&str, &[PasswordError]); 13] = [
        ("Ab1#xyz", &[TooShort]),
        (&long, &[TooLong]),
        ("Mx7# Rt2%", &[Whitespace]),
        ("Mx7#\tRt2%", &[Whitespace]),
        ("mx7#rt2%q", &[NoUppercase]),
        ("MX7#RT2%Q", &[NoLowercase]),
        ("ЖЫ7#ЮЭ2%Щ", &[NoLowercase]),
        ("Mxq#Rtz%Q", &[NoDigit]),
        ("Mx7qRt2wQ", &[NoSpecial]),
        ("Password1!", &[Common]),
        ("P@ssw0rd!", &[Common]),
        ("Пароль123!", &[Common]),
        ("Gfhjkm#1", &[Common]),
    ];

    for (password, expected) in cases {
        assert_eq!(strength_errors(password), expected, "{password}");
    }
}

#[test]
fn runs_in_every_order() {
    let runs = [
        "1234", "4321", "6789", "0123", "7890", "0987", "abcd", "ABCD", "dcba", "wxyz", "абвг",
        "гвба", "ЭЮЯ", "деёж", "дежз", "ЁЖЗИ", "qwer", "REWQ", "tyui", "asdf", "hjkl", "zxcv",
        "bnm", "йцук", "КУЦЙ", "фыва", "олдж", "ячсм", "тьбю",
    ];

    for run in runs {
        let password = format!("Mx7#{run}Q!");
        let found = strength_errors(&password).contains(&Sequence);
        // "ЭЮЯ" and "bnm" are three characters, one short of a run.
        let expected = run.chars().count() >= RUN_LENGTH;
        assert_eq!(found, expected, "{password}");
    }
}

#[test]
fn near_runs_are_allowed() {
    let passwords = [
        "Mx7#1235Q!",
        "Mx7#abce!Q",
        "Mx7#qwrtQ!",
        "Mx7#абвдQ!",
        "Mx7#1133Q!",
        "Mx7#aaaaQ!",
        "Mx7#plokQ!",
        "Mx7#z1x2Q!",
    ];

    for password in passwords {
        assert!(!strength_errors(password).contains(&Sequence), "{password}");
    }
}

#[test]
fn short_password_lists_every_rule() {
    assert_eq!(
        strength_errors("qwerty"),
        [TooShort, NoUppercase, NoDigit, NoSpecial, Sequence, Common]
    );
    assert_eq!(
        strength_errors(""),
        [TooShort, NoUppercase, NoLowercase, NoDigit, NoSpecial]
    );
}

#[test]
fn repeat_must_match() {
    let err = validate("Tr0pic@lRain", "Tr0pic@lRaim").unwrap_err();

    assert_eq!(err.rules(), [Mismatch]);
    assert_eq!(
        validate("Tr0pic@lRain", "tr0pic@lrain")
            .unwrap_err()
            .rules(),
        [Mismatch]
    );
    assert_eq!(
        validate("qwerty", "qwerty").unwrap_err().rules(),
        [TooShort, NoUppercase, NoDigit, NoSpecial, Sequence, Common]
    );
    assert_eq!(
        validate("short", "other").unwrap_err().rules().last(),
        Some(&Mismatch)
    );
}

#[test]
fn common_list_is_lowercase_and_unique() {
    let mut seen = HashSet::new();

    for entry in common::entries() {
        assert_eq!(entry, entry.to_lowercase(), "{entry}");
        assert_eq!(entry, entry.trim(), "{entry}");
        assert!(seen.insert(entry), "{entry} is listed twice");
    }
    assert!(seen.len() > 300, "{} entries", seen.len());
}

#[test]
fn common_list_ignores_case() {
    for entry in common::entries() {
        assert!(common::is_common(entry), "{entry}");
        assert!(common::is_common(&entry.to_uppercase()), "{entry}");
    }
    assert!(common::is_common("ПаРоЛь"));
    assert!(common::is_common("!!Qwerty2026##"));
    assert!(!common::is_common("Tr0pic@lRain"));
    assert!(!common::is_common("Password-Lamp"));
}

#[test]
fn codes_and_fields() {
    let cases = [
        (TooShort, Field::Password, "password.too_short"),
        (TooLong, Field::Password, "password.too_long"),
        (Whitespace, Field::Password, "password.whitespace"),
        (NoUppercase, Field::Password, "password.no_uppercase"),
        (NoLowercase, Field::Password, "password.no_lowercase"),
        (NoDigit, Field::Password, "password.no_digit"),
        (NoSpecial, Field::Password, "password.no_special"),
        (Sequence, Field::Password, "password.sequence"),
        (Common, Field::Password, "password.common"),
        (Mismatch, Field::PasswordRepeat, "password_repeat.mismatch"),
    ];

    for (rule, field, code) in cases {
        assert_eq!(rule.field(), field);
        assert_eq!(rule.code(), code);
        assert!(code.starts_with(field.code()), "{code}");
    }
}

#[test]
fn messages_in_both_languages() {
    assert_eq!(
        TooShort.message(Lang::Ru),
        "Пароль слишком короткий. Нужно не меньше 8 символов."
    );
    assert_eq!(
        TooShort.message(Lang::En),
        "The password is too short. Use at least 8 characters."
    );
    assert_eq!(
        Sequence.message(Lang::Ru),
        "В пароле 4 или больше символов подряд по алфавиту или по клавиатуре, как 1234, abcd, \
         абвг, qwer или йцук. Замените их."
    );
    assert_eq!(
        Mismatch.message(Lang::Ru),
        "Пароли не совпадают. Введите пароль ещё раз."
    );

    let mut seen = HashSet::new();
    for rule in PasswordError::ALL {
        assert!(seen.insert(rule.message(Lang::Ru)), "{rule:?}");
        assert!(seen.insert(rule.message(Lang::En)), "{rule:?}");
    }
}

#[test]
fn field_error_from_rule() {
    let err = FieldError::from(NoSpecial);

    assert_eq!(err.field, Field::Password);
    assert_eq!(err.code, "password.no_special");
    assert_eq!(
        err.message_ru,
        "Добавьте в пароль специальный символ, например @, # или $."
    );
}

#[test]
fn errors_display_and_json() {
    let errors = validate("Password1!", "Password1?").unwrap_err();

    assert_eq!(
        errors.to_string(),
        "the password breaks 2 rule(s): password.common, password_repeat.mismatch"
    );
    assert_eq!(
        serde_json::to_string(&errors).unwrap(),
        r#"[{"rule":"common"},{"rule":"mismatch"}]"#
    );
}

proptest! {
    /// No text the errors produce contains the password.
    #[test]
    fn texts_never_contain_password(password in "[a-zA-Zа-яА-Я0-9@#$%!_ ]{8,20}") {
        let Err(errors) = validate(&password, "") else {
            unreachable!("an empty repeat always mismatches");
        };

        let mut texts = vec![errors.to_string()];
        for rule in errors.rules() {
            texts.push(rule.to_string());
            texts.push(rule.message(Lang::Ru));
            texts.push(rule.message(Lang::En));
        }
        for text in texts {
            prop_assert!(!text.contains(&password), "{text}");
        }
    }

    /// Putting a run of four alphabet characters into any password makes
    /// the sequence rule fire, whatever the case.
    #[test]
    fn inserted_run_is_found(
        prefix in "[A-Za-z0-9#]{0,6}",
        suffix in "[A-Za-z0-9#]{0,6}",
        start in 0usize..23,
        backwards in prop::bool::ANY,
        upper in prop::bool::ANY,
    ) {
        let mut run: String = "abcdefghijklmnopqrstuvwxyz"[start..start + 4].to_owned();
        if backwards {
            run = run.chars().rev().collect();
        }
        if upper {
            run = run.to_uppercase();
        }

        let password = format!("{prefix}{run}{suffix}");

        prop_assert!(strength_errors(&password).contains(&Sequence), "{password}");
    }

    /// Case never changes whether a password has a run or is common.
    #[test]
    fn case_does_not_matter(password in "[a-zа-я0-9#]{4,12}") {
        let lower = strength_errors(&password);
        let upper = strength_errors(&password.to_uppercase());

        prop_assert_eq!(lower.contains(&Sequence), upper.contains(&Sequence));
        prop_assert_eq!(lower.contains(&Common), upper.contains(&Common));
    }
}
