//! Full names: normalised capitalisation and spacing, each rejection rule
//! per part, and the messages with their grammatical forms.

use domain::name::{
    parse_full_name, parse_given_name, parse_patronymic, parse_surname, FullName, NameError,
    NamePart, NameRule, MAX_PART_LENGTH,
};
use domain::{Field, FieldRule, Lang};
use proptest::prelude::*;

fn surname_error(rule: NameRule) -> NameError {
    NameError {
        part: NamePart::Surname,
        rule,
    }
}

#[test]
fn normalised_forms() {
    let cases = [
        ("иванов", "Иванов"),
        ("ИВАНОВ", "Иванов"),
        ("  иВаНоВ  ", "Иванов"),
        ("салтыков-щедрин", "Салтыков-Щедрин"),
        ("Салтыков - Щедрин", "Салтыков-Щедрин"),
        ("салтыков– щедрин", "Салтыков-Щедрин"),
        ("ёлкин", "Ёлкин"),
        ("ЁЛКИНА", "Ёлкина"),
        ("д'артаньян", "Д'Артаньян"),
        ("д’артаньян", "Д'Артаньян"),
        ("о'коннор", "О'Коннор"),
        ("дар'я", "Дар'я"),
        ("ван   дер   берг", "Ван Дер Берг"),
        ("эль-мурад", "Эль-Мурад"),
    ];
    for (typed, expected) in cases {
        assert_eq!(parse_surname(typed).as_deref(), Ok(expected), "{typed:?}");
    }
}

#[test]
fn given_name_with_hyphen_and_space() {
    assert_eq!(parse_given_name("анна-мария").as_deref(), Ok("Анна-Мария"));
    assert_eq!(parse_given_name("анна мария").as_deref(), Ok("Анна Мария"));
}

#[test]
fn turkic_particle_stays_lower_case() {
    assert_eq!(
        parse_patronymic("гасан оглы"),
        Ok(Some("Гасан оглы".to_owned()))
    );
    assert_eq!(
        parse_patronymic("ГАСАН КЫЗЫ"),
        Ok(Some("Гасан кызы".to_owned()))
    );
    // as the first word it is capitalised like any other
    assert_eq!(parse_surname("оглы").as_deref(), Ok("Оглы"));
}

#[test]
fn patronymic_is_optional() {
    assert_eq!(parse_patronymic(""), Ok(None));
    assert_eq!(parse_patronymic("   "), Ok(None));
    assert_eq!(
        parse_patronymic("иванович"),
        Ok(Some("Иванович".to_owned()))
    );
}

#[test]
fn rejections_with_their_rule() {
    let at_limit = "а".repeat(MAX_PART_LENGTH);
    let over_limit = "а".repeat(MAX_PART_LENGTH + 1);
    assert_eq!(
        parse_surname(&at_limit).map(|name| name.chars().count()),
        Ok(MAX_PART_LENGTH)
    );
    let cases = [
        ("", NameRule::Required),
        ("   ", NameRule::Required),
        ("Ivanov", NameRule::Latin),
        ("Ивaнов", NameRule::Latin),
        ("Иванов2", NameRule::Digits),
        ("Иванов_", NameRule::Characters),
        ("Иванов.", NameRule::Characters),
        ("Іванов", NameRule::Characters),
        ("-Иванов", NameRule::Edge),
        ("Иванов-", NameRule::Edge),
        ("'Иванов", NameRule::Edge),
        ("Иванов'", NameRule::Edge),
        ("-", NameRule::Edge),
        ("Салтыков--Щедрин", NameRule::DoubledSeparator),
        ("Салтыков - - Щедрин", NameRule::DoubledSeparator),
        ("Д''Артаньян", NameRule::DoubledSeparator),
        ("Д' Артаньян", NameRule::DoubledSeparator),
        ("Салтыков-'Щедрин", NameRule::DoubledSeparator),
        (over_limit.as_str(), NameRule::TooLong),
    ];
    for (typed, rule) in cases {
        assert_eq!(parse_surname(typed), Err(surname_error(rule)), "{typed:?}");
    }
}

#[test]
fn full_name_collects_every_error() {
    let errors = parse_full_name("Ivanov", "", "Иванович1").expect_err("three bad parts");
    let codes: Vec<&str> = errors.iter().map(|err| err.code()).collect();
    assert_eq!(
        codes,
        ["surname.latin", "given_name.required", "patronymic.digits"]
    );
}

#[test]
fn full_name_parts_and_display() {
    let name = parse_full_name(" петров ", "иван", "сергеевич").expect("valid");
    assert_eq!(name.surname(), "Петров");
    assert_eq!(name.given_name(), "Иван");
    assert_eq!(name.patronymic(), Some("Сергеевич"));
    assert_eq!(name.to_string(), "Петров Иван Сергеевич");
    let without = parse_full_name("Петрова", "Анна", "").expect("valid");
    assert_eq!(without.patronymic(), None);
    assert_eq!(without.to_string(), "Петрова Анна");
}

#[test]
fn serde_revalidates_on_read() {
    let name = parse_full_name("петров", "иван", "").expect("valid");
    let json = serde_json::to_string(&name).expect("serialise");
    assert_eq!(
        json,
        r#"{"surname":"Петров","given_name":"Иван","patronymic":null}"#
    );
    assert_eq!(
        serde_json::from_str::<FullName>(&json).expect("deserialise"),
        name
    );
    let tampered = r#"{"surname":"Petrov","given_name":"Иван","patronymic":null}"#;
    let err = serde_json::from_str::<FullName>(tampered).expect_err("Latin surname");
    assert!(err.to_string().starts_with("surname.latin:"), "{err}");
}

#[test]
fn codes_and_fields_per_part() {
    let given = NameError {
        part: NamePart::GivenName,
        rule: NameRule::Edge,
    };
    assert_eq!(given.code(), "given_name.edge");
    assert_eq!(given.field(), Field::GivenName);
    let patronymic = NameError {
        part: NamePart::Patronymic,
        rule: NameRule::TooLong,
    };
    assert_eq!(patronymic.code(), "patronymic.too_long");
    assert_eq!(patronymic.field(), Field::Patronymic);
}

#[test]
fn messages_in_russian() {
    assert_eq!(
        surname_error(NameRule::Latin).message(Lang::Ru),
        "В фамилии есть латинские буквы. Введите фамилию русскими буквами, как в паспорте."
    );
    let given_latin = NameError {
        part: NamePart::GivenName,
        rule: NameRule::Latin,
    };
    assert_eq!(
        given_latin.message(Lang::Ru),
        "В имени есть латинские буквы. Введите имя русскими буквами, как в паспорте."
    );
    assert_eq!(
        surname_error(NameRule::DoubledSeparator).message(Lang::Ru),
        "В фамилии два разделителя подряд (дефис, пробел или апостроф). Оставьте один."
    );
    let patronymic_edge = NameError {
        part: NamePart::Patronymic,
        rule: NameRule::Edge,
    };
    assert_eq!(
        patronymic_edge.message(Lang::Ru),
        "Отчество не может начинаться или заканчиваться дефисом или апострофом. Уберите лишний знак."
    );
    assert_eq!(
        surname_error(NameRule::TooLong).message(Lang::Ru),
        "Фамилия длиннее 60 знаков. Проверьте, не попал ли в поле лишний текст."
    );
    assert_eq!(
        surname_error(NameRule::Latin).message(Lang::En),
        "The surname contains Latin letters. Type it in Russian letters, as in the passport."
    );
}

#[test]
fn errors_never_quote_the_name() {
    let err = parse_surname("Иванов2").expect_err("digit");
    for text in [
        err.to_string(),
        err.message(Lang::Ru),
        err.message(Lang::En),
    ] {
        assert!(!text.contains("Иванов"), "{text}");
    }
}

proptest! {
    #[test]
    fn normalised_name_reparses_to_itself(
        words in prop::collection::vec("[а-яё]{1,10}(-[а-яё]{1,10})?", 1..3),
    ) {
        let typed = words.join(" ");
        let once = parse_surname(&typed).expect("generated name follows the rules");
        prop_assert_eq!(parse_surname(&once), Ok(once.clone()));
        prop_assert_eq!(parse_surname(&once.to_uppercase()), Ok(once));
    }
}
