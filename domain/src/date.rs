//! Dates a person types as ДД.ММ.ГГГГ: the date of birth and the passport
//! issue date, with the calendar and plausibility rules each one obeys.
//!
//! "Today" is always a parameter, so the rules are pure and a test fixes
//! the day. Which day is today, and in which time zone, is the caller's
//! business (a station uses its center's local date).
//!
//! Day and month may be typed with one digit (`5.3.1980`), because people
//! do so and the meaning is unambiguous; the year must have four digits,
//! and dots are the only separator accepted.

use jiff::civil::Date;
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};

/// The oldest plausible age, in years: a birth date further back is taken
/// for a typing mistake in the year.
pub const MAX_AGE_YEARS: i16 = 125;

/// The age, in years, at which a Russian passport is first issued.
pub const PASSPORT_AGE_YEARS: i16 = 14;

/// Which date field a rule was checked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateField {
    BirthDate,
    PassportIssueDate,
}

impl DateField {
    /// Returns the field as the form names it.
    pub fn field(self) -> Field {
        match self {
            DateField::BirthDate => Field::BirthDate,
            DateField::PassportIssueDate => Field::PassportIssueDate,
        }
    }

    /// Returns the field's name in the accusative case («Введите дату
    /// рождения») or in English with an article.
    fn object(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DateField::BirthDate, Lang::Ru) => "дату рождения",
            (DateField::BirthDate, Lang::En) => "the date of birth",
            (DateField::PassportIssueDate, Lang::Ru) => "дату выдачи паспорта",
            (DateField::PassportIssueDate, Lang::En) => "the passport issue date",
        }
    }
}

/// The rule a typed date broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateRule {
    /// Nothing was entered.
    Required,
    /// Digits separated by something other than dots, such as `/` or `-`.
    Separator,
    /// The year does not have four digits.
    YearDigits,
    /// Anything else that is not ДД.ММ.ГГГГ: letters, missing parts, a day
    /// or month of three digits.
    Format,
    /// No such day in the calendar: 31.02, 29.02 of a non-leap year, month 13.
    NotInCalendar,
    /// A birth date today or later, or an issue date later than today.
    Future,
    /// A birth date more than [`MAX_AGE_YEARS`] years ago.
    TooOld,
    /// An issue date before the date of birth.
    BeforeBirth,
    /// An issue date before the 14th birthday.
    BeforePassportAge,
}

/// Why a typed date was rejected: the field and the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct DateError {
    pub date_field: DateField,
    pub rule: DateRule,
}

/// Parses a date typed as ДД.ММ.ГГГГ (day and month may have one digit)
/// into a real calendar date, checking the form only.
pub fn parse_date(raw: &str, date_field: DateField) -> Result<Date, DateError> {
    let fail = |rule| DateError { date_field, rule };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(fail(DateRule::Required));
    }
    if !trimmed.chars().all(|c| c.is_ascii_digit() || c == '.') {
        let only_digits_and_separators = trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '/' | '-' | ',' | ' ' | '\\'));
        return Err(fail(if only_digits_and_separators {
            DateRule::Separator
        } else {
            DateRule::Format
        }));
    }

    let parts: Vec<&str> = trimmed.split('.').collect();
    let [day, month, year] = parts.as_slice() else {
        return Err(fail(DateRule::Format));
    };
    if !(1..=2).contains(&day.len()) || !(1..=2).contains(&month.len()) {
        return Err(fail(DateRule::Format));
    }
    if year.len() != 4 {
        return Err(fail(DateRule::YearDigits));
    }

    let number = |text: &str| {
        text.parse::<i16>()
            .expect("at most four ASCII digits fit in i16")
    };
    let day = i8::try_from(number(day)).expect("two digits fit in i8");
    let month = i8::try_from(number(month)).expect("two digits fit in i8");
    Date::new(number(year), month, day).map_err(|_| fail(DateRule::NotInCalendar))
}

/// Parses a date of birth: a real date before `today` and no more than
/// [`MAX_AGE_YEARS`] years before it.
pub fn parse_birth_date(raw: &str, today: Date) -> Result<Date, DateError> {
    let fail = |rule| DateError {
        date_field: DateField::BirthDate,
        rule,
    };
    let birth = parse_date(raw, DateField::BirthDate)?;
    if birth >= today {
        return Err(fail(DateRule::Future));
    }
    if birth < years_before(today, MAX_AGE_YEARS) {
        return Err(fail(DateRule::TooOld));
    }
    Ok(birth)
}

/// Parses a passport issue date for a person born on `birth_date`: a real
/// date no later than `today`, not before the birth date and not before the
/// 14th birthday.
///
/// For a birth date of 29 February the 14th birthday in a non-leap year is
/// taken as 28 February, the last day of that month.
pub fn parse_passport_issue_date(
    raw: &str,
    birth_date: Date,
    today: Date,
) -> Result<Date, DateError> {
    let fail = |rule| DateError {
        date_field: DateField::PassportIssueDate,
        rule,
    };
    let issued = parse_date(raw, DateField::PassportIssueDate)?;
    if issued > today {
        return Err(fail(DateRule::Future));
    }
    if issued < birth_date {
        return Err(fail(DateRule::BeforeBirth));
    }
    let passport_age = birth_date
        .checked_add(PASSPORT_AGE_YEARS.years())
        .unwrap_or(Date::MAX);
    if issued < passport_age {
        return Err(fail(DateRule::BeforePassportAge));
    }
    Ok(issued)
}

/// Formats a date as ДД.ММ.ГГГГ, the form [`parse_date`] reads.
pub fn format_date(date: Date) -> String {
    format!("{:02}.{:02}.{:04}", date.day(), date.month(), date.year())
}

fn years_before(today: Date, years: i16) -> Date {
    today.checked_sub(years.years()).unwrap_or(Date::MIN)
}

impl FieldRule for DateError {
    fn field(&self) -> Field {
        self.date_field.field()
    }

    fn code(&self) -> &'static str {
        macro_rules! by_field {
            ($rule:literal) => {
                match self.date_field {
                    DateField::BirthDate => concat!("birth_date.", $rule),
                    DateField::PassportIssueDate => concat!("passport_issue_date.", $rule),
                }
            };
        }
        match self.rule {
            DateRule::Required => by_field!("required"),
            DateRule::Separator => by_field!("separator"),
            DateRule::YearDigits => by_field!("year_digits"),
            DateRule::Format => by_field!("format"),
            DateRule::NotInCalendar => by_field!("not_in_calendar"),
            DateRule::Future => by_field!("future"),
            DateRule::TooOld => by_field!("too_old"),
            DateRule::BeforeBirth => by_field!("before_birth"),
            DateRule::BeforePassportAge => by_field!("before_passport_age"),
        }
    }

    fn message(&self, lang: Lang) -> String {
        let object = self.date_field.object(lang);
        let passport = self.date_field == DateField::PassportIssueDate;
        match (self.rule, lang) {
            (DateRule::Required, Lang::Ru) => {
                format!("Введите {object} в виде ДД.ММ.ГГГГ, например 05.03.1980.")
            }
            (DateRule::Required, Lang::En) => {
                format!("Enter {object} as DD.MM.YYYY, for example 05.03.1980.")
            }
            (DateRule::Separator, Lang::Ru) => {
                "Разделяйте день, месяц и год точками: ДД.ММ.ГГГГ, например 05.03.1980.".to_owned()
            }
            (DateRule::Separator, Lang::En) => {
                "Separate the day, month and year with dots: DD.MM.YYYY, for example 05.03.1980.".to_owned()
            }
            (DateRule::YearDigits, Lang::Ru) => {
                "Введите год полностью, четырьмя цифрами: ДД.ММ.ГГГГ, например 05.03.1980.".to_owned()
            }
            (DateRule::YearDigits, Lang::En) => {
                "Enter the year in full, with four digits: DD.MM.YYYY, for example 05.03.1980.".to_owned()
            }
            (DateRule::Format, Lang::Ru) => format!(
                "Дата записана неверно. Введите {object} цифрами в виде ДД.ММ.ГГГГ, например 05.03.1980."
            ),
            (DateRule::Format, Lang::En) => format!(
                "The date is written incorrectly. Enter {object} in digits as DD.MM.YYYY, for example 05.03.1980."
            ),
            (DateRule::NotInCalendar, Lang::Ru) => {
                "Такой даты нет в календаре (например, 31.02 или 29.02 в невисокосный год). Проверьте день и месяц."
                    .to_owned()
            }
            (DateRule::NotInCalendar, Lang::En) => {
                "There is no such date in the calendar (such as 31.02, or 29.02 in a non-leap year). Check the day and month."
                    .to_owned()
            }
            (DateRule::Future, Lang::Ru) if passport => {
                "Дата выдачи паспорта не может быть позже сегодняшнего дня. Проверьте дату по паспорту.".to_owned()
            }
            (DateRule::Future, Lang::En) if passport => {
                "The passport issue date cannot be later than today. Check the date in the passport.".to_owned()
            }
            (DateRule::Future, Lang::Ru) => {
                "Дата рождения должна быть раньше сегодняшнего дня. Проверьте год.".to_owned()
            }
            (DateRule::Future, Lang::En) => {
                "The date of birth must be earlier than today. Check the year.".to_owned()
            }
            (DateRule::TooOld, Lang::Ru) => format!(
                "Дата рождения больше чем {MAX_AGE_YEARS} лет назад. Проверьте год."
            ),
            (DateRule::TooOld, Lang::En) => format!(
                "The date of birth is more than {MAX_AGE_YEARS} years ago. Check the year."
            ),
            (DateRule::BeforeBirth, Lang::Ru) => {
                "Дата выдачи паспорта раньше даты рождения. Проверьте обе даты по паспорту.".to_owned()
            }
            (DateRule::BeforeBirth, Lang::En) => {
                "The passport issue date is earlier than the date of birth. Check both dates in the passport."
                    .to_owned()
            }
            (DateRule::BeforePassportAge, Lang::Ru) => format!(
                "Паспорт выдают не раньше {PASSPORT_AGE_YEARS} лет, а дата выдачи раньше {PASSPORT_AGE_YEARS}-летия. Проверьте дату выдачи и дату рождения."
            ),
            (DateRule::BeforePassportAge, Lang::En) => format!(
                "A passport is issued at {PASSPORT_AGE_YEARS} at the earliest, but the issue date is before the {PASSPORT_AGE_YEARS}th birthday. Check the issue date and the date of birth."
            ),
        }
    }
}

crate::text::display_via_rule!(DateError);
