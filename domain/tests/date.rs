//! Dates typed as ДД.ММ.ГГГГ: the form, the calendar, and the birth and
//! passport issue date rules, with "today" fixed at 4 December 2026.

use domain::date::{
    format_date, parse_birth_date, parse_date, parse_passport_issue_date, DateError, DateField,
    DateRule,
};
use domain::{Field, FieldRule, Lang};
use jiff::civil::{date, Date};
use proptest::prelude::*;

const TODAY: Date = date(2026, 12, 4);

fn birth_error(rule: DateRule) -> DateError {
    DateError {
        date_field: DateField::BirthDate,
        rule,
    }
}

fn issue_error(rule: DateRule) -> DateError {
    DateError {
        date_field: DateField::PassportIssueDate,
        rule,
    }
}

#[test]
fn valid_calendar_dates() {
    let cases = [
        ("05.03.1980", date(1980, 3, 5)),
        ("5.3.1980", date(1980, 3, 5)),
        ("05.3.1980", date(1980, 3, 5)),
        (" 31.12.1999 ", date(1999, 12, 31)),
        ("01.01.2000", date(2000, 1, 1)),
        // leap days: 2024 and 2000 are leap years
        ("29.02.2024", date(2024, 2, 29)),
        ("29.02.2000", date(2000, 2, 29)),
        ("31.01.2021", date(2021, 1, 31)),
        ("30.04.2021", date(2021, 4, 30)),
    ];
    for (typed, expected) in cases {
        assert_eq!(
            parse_date(typed, DateField::BirthDate),
            Ok(expected),
            "{typed:?}"
        );
    }
}

#[test]
fn form_and_calendar_errors() {
    let cases = [
        ("", DateRule::Required),
        ("  ", DateRule::Required),
        // not in the calendar: 2023 is not a leap year, nor is 1900
        ("29.02.2023", DateRule::NotInCalendar),
        ("29.02.1900", DateRule::NotInCalendar),
        ("31.02.2020", DateRule::NotInCalendar),
        ("30.02.2024", DateRule::NotInCalendar),
        ("31.04.2021", DateRule::NotInCalendar),
        ("32.01.2021", DateRule::NotInCalendar),
        ("00.01.2021", DateRule::NotInCalendar),
        ("01.00.2021", DateRule::NotInCalendar),
        ("01.13.2021", DateRule::NotInCalendar),
        // separators other than dots
        ("05/03/1980", DateRule::Separator),
        ("05-03-1980", DateRule::Separator),
        ("05 03 1980", DateRule::Separator),
        ("05,03,1980", DateRule::Separator),
        ("1980-03-05", DateRule::Separator),
        // the year's digits
        ("05.03.80", DateRule::YearDigits),
        ("05.03.980", DateRule::YearDigits),
        ("05.03.19800", DateRule::YearDigits),
        // anything else
        ("05031980", DateRule::Format),
        ("05.03", DateRule::Format),
        ("05.03.1980.", DateRule::Format),
        ("005.03.1980", DateRule::Format),
        ("05..1980", DateRule::Format),
        ("5 марта 1980", DateRule::Format),
        ("сегодня", DateRule::Format),
    ];
    for (typed, rule) in cases {
        assert_eq!(
            parse_date(typed, DateField::BirthDate),
            Err(birth_error(rule)),
            "{typed:?}"
        );
    }
}

#[test]
fn birth_date_rules() {
    // yesterday is the latest birth date
    assert_eq!(parse_birth_date("03.12.2026", TODAY), Ok(date(2026, 12, 3)));
    assert_eq!(
        parse_birth_date("04.12.2026", TODAY),
        Err(birth_error(DateRule::Future))
    );
    assert_eq!(
        parse_birth_date("05.12.2026", TODAY),
        Err(birth_error(DateRule::Future))
    );
    assert_eq!(
        parse_birth_date("01.01.2030", TODAY),
        Err(birth_error(DateRule::Future))
    );
    // exactly 125 years ago is the earliest
    assert_eq!(parse_birth_date("04.12.1901", TODAY), Ok(date(1901, 12, 4)));
    assert_eq!(
        parse_birth_date("03.12.1901", TODAY),
        Err(birth_error(DateRule::TooOld))
    );
    assert_eq!(
        parse_birth_date("01.01.0001", TODAY),
        Err(birth_error(DateRule::TooOld))
    );
    // the form rules come first
    assert_eq!(
        parse_birth_date("31.02.1980", TODAY),
        Err(birth_error(DateRule::NotInCalendar))
    );
}

#[test]
fn issue_date_rules() {
    let birth = date(1990, 5, 15);
    // the 14th birthday itself and today are both allowed
    assert_eq!(
        parse_passport_issue_date("15.05.2004", birth, TODAY),
        Ok(date(2004, 5, 15))
    );
    assert_eq!(
        parse_passport_issue_date("04.12.2026", birth, TODAY),
        Ok(TODAY)
    );
    assert_eq!(
        parse_passport_issue_date("14.05.2004", birth, TODAY),
        Err(issue_error(DateRule::BeforePassportAge))
    );
    assert_eq!(
        parse_passport_issue_date("15.05.2000", birth, TODAY),
        Err(issue_error(DateRule::BeforePassportAge))
    );
    assert_eq!(
        parse_passport_issue_date("14.05.1990", birth, TODAY),
        Err(issue_error(DateRule::BeforeBirth))
    );
    assert_eq!(
        parse_passport_issue_date("05.12.2026", birth, TODAY),
        Err(issue_error(DateRule::Future))
    );
    assert_eq!(
        parse_passport_issue_date("15.05.04", birth, TODAY),
        Err(issue_error(DateRule::YearDigits))
    );
}

#[test]
fn issue_date_after_leap_day_birth() {
    // born 29.02.2000: 2014 has no 29 February, so the 14th birthday is
    // taken as 28.02.2014
    let birth = date(2000, 2, 29);
    assert_eq!(
        parse_passport_issue_date("28.02.2014", birth, TODAY),
        Ok(date(2014, 2, 28))
    );
    assert_eq!(
        parse_passport_issue_date("27.02.2014", birth, TODAY),
        Err(issue_error(DateRule::BeforePassportAge))
    );
}

#[test]
fn issue_date_for_someone_under_fourteen() {
    // born 10.01.2020, so no issue date up to today can be valid
    let birth = date(2020, 1, 10);
    assert_eq!(
        parse_passport_issue_date("04.12.2026", birth, TODAY),
        Err(issue_error(DateRule::BeforePassportAge))
    );
}

#[test]
fn codes_carry_the_field() {
    assert_eq!(birth_error(DateRule::Future).code(), "birth_date.future");
    assert_eq!(birth_error(DateRule::Future).field(), Field::BirthDate);
    assert_eq!(
        issue_error(DateRule::Future).code(),
        "passport_issue_date.future"
    );
    assert_eq!(
        issue_error(DateRule::Future).field(),
        Field::PassportIssueDate
    );
    assert_eq!(
        issue_error(DateRule::BeforePassportAge).code(),
        "passport_issue_date.before_passport_age"
    );
}

#[test]
fn messages_in_russian() {
    assert_eq!(
        birth_error(DateRule::Required).message(Lang::Ru),
        "Введите дату рождения в виде ДД.ММ.ГГГГ, например 05.03.1980."
    );
    assert_eq!(
        issue_error(DateRule::Required).message(Lang::Ru),
        "Введите дату выдачи паспорта в виде ДД.ММ.ГГГГ, например 05.03.1980."
    );
    assert_eq!(
        birth_error(DateRule::Separator).message(Lang::Ru),
        "Разделяйте день, месяц и год точками: ДД.ММ.ГГГГ, например 05.03.1980."
    );
    assert_eq!(
        birth_error(DateRule::NotInCalendar).message(Lang::Ru),
        "Такой даты нет в календаре (например, 31.02 или 29.02 в невисокосный год). Проверьте день и месяц."
    );
    assert_eq!(
        birth_error(DateRule::TooOld).message(Lang::Ru),
        "Дата рождения больше чем 125 лет назад. Проверьте год."
    );
    assert_eq!(
        issue_error(DateRule::BeforePassportAge).message(Lang::Ru),
        "Паспорт выдают не раньше 14 лет, а дата выдачи раньше 14-летия. Проверьте дату выдачи и дату рождения."
    );
    assert_eq!(
        issue_error(DateRule::Future).message(Lang::Ru),
        "Дата выдачи паспорта не может быть позже сегодняшнего дня. Проверьте дату по паспорту."
    );
}

#[test]
fn errors_never_quote_the_date() {
    let err = parse_birth_date("31.02.1980", TODAY).expect_err("no such date");
    for text in [
        err.to_string(),
        err.message(Lang::Ru),
        err.message(Lang::En),
    ] {
        assert!(!text.contains("1980"), "{text}");
    }
}

#[test]
fn format_date_pads_day_and_month() {
    assert_eq!(format_date(date(1980, 3, 5)), "05.03.1980");
    assert_eq!(format_date(date(2000, 12, 31)), "31.12.2000");
}

proptest! {
    #[test]
    fn formatted_date_reparses(year in 1000i16..=9999, month in 1i8..=12, day in 1i8..=31) {
        prop_assume!(Date::new(year, month, day).is_ok());
        let original = date(year, month, day);
        prop_assert_eq!(parse_date(&format_date(original), DateField::PassportIssueDate), Ok(original));
    }
}
