//! The Russian biometric passport (загранпаспорт) as the kiosk's chip step
//! requests it: its nine-digit number and its expiry date, which Basic
//! Access Control needs besides the date of birth.
//!
//! The rules check form and plausibility only; whether the chip accepts
//! the values is the card reader's business. Errors carry no typed value.

use jiff::civil::Date;
use jiff::ToSpan;

use crate::date::{parse_date, DateField, DateRule};
use crate::field::Lang;
use crate::mrz::{BacInput, MrzDate, MrzError};

/// Digits in a biometric passport's number (series of two and seven more).
pub const NUMBER_DIGITS: usize = 9;

/// The maximum validity of a biometric passport, in years.
pub const MAX_VALIDITY_YEARS: i16 = 10;

/// The rule a typed value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum TravelPassportError {
    #[error("the travel passport number is empty")]
    NumberRequired,
    #[error("the travel passport number has characters other than digits")]
    NumberNotDigits,
    #[error("the travel passport number does not have 9 digits")]
    NumberLength,
    #[error("the expiry date is empty")]
    ExpiryRequired,
    #[error("the expiry date is not in the form DD.MM.YYYY")]
    ExpiryFormat,
    #[error("the expiry date is not a date in the calendar")]
    ExpiryNotInCalendar,
    #[error("the passport has expired")]
    Expired,
    #[error("the expiry date is more than 10 years ahead")]
    ExpiryTooFar,
}

impl TravelPassportError {
    /// Returns the stable `<field>.<rule>` code.
    pub fn code(self) -> &'static str {
        match self {
            TravelPassportError::NumberRequired => "travel_passport_number.required",
            TravelPassportError::NumberNotDigits => "travel_passport_number.digits",
            TravelPassportError::NumberLength => "travel_passport_number.length",
            TravelPassportError::ExpiryRequired => "travel_passport_expiry.required",
            TravelPassportError::ExpiryFormat => "travel_passport_expiry.format",
            TravelPassportError::ExpiryNotInCalendar => "travel_passport_expiry.not_in_calendar",
            TravelPassportError::Expired => "travel_passport_expiry.expired",
            TravelPassportError::ExpiryTooFar => "travel_passport_expiry.too_far",
        }
    }

    /// Returns the message a visitor reads, saying what to do.
    pub fn message(self, lang: Lang) -> &'static str {
        use TravelPassportError as E;
        match (self, lang) {
            (E::NumberRequired, Lang::Ru) => "Введите номер загранпаспорта: 9 цифр.",
            (E::NumberRequired, Lang::En) => "Enter the travel passport number: 9 digits.",
            (E::NumberNotDigits, Lang::Ru) => {
                "В номере загранпаспорта только цифры, без пробелов и знака №."
            }
            (E::NumberNotDigits, Lang::En) => {
                "The travel passport number has digits only, with no spaces or № sign."
            }
            (E::NumberLength, Lang::Ru) => {
                "В номере загранпаспорта 9 цифр: 2 цифры серии и 7 цифр номера."
            }
            (E::NumberLength, Lang::En) => {
                "The travel passport number has 9 digits: 2 for the series and 7 for the number."
            }
            (E::ExpiryRequired, Lang::Ru) => "Введите срок действия загранпаспорта: ДД.ММ.ГГГГ.",
            (E::ExpiryRequired, Lang::En) => "Enter the travel passport's expiry date: DD.MM.YYYY.",
            (E::ExpiryFormat, Lang::Ru) => {
                "Введите срок действия как ДД.ММ.ГГГГ, например 01.02.2030."
            }
            (E::ExpiryFormat, Lang::En) => {
                "Enter the expiry date as DD.MM.YYYY, for example 01.02.2030."
            }
            (E::ExpiryNotInCalendar, Lang::Ru) => {
                "Такой даты нет в календаре. Проверьте день и месяц."
            }
            (E::ExpiryNotInCalendar, Lang::En) => {
                "There is no such date. Check the day and the month."
            }
            (E::Expired, Lang::Ru) => {
                "Срок действия загранпаспорта истёк. Проверьте дату или продолжите без чипа."
            }
            (E::Expired, Lang::En) => {
                "The travel passport has expired. Check the date or continue without the chip."
            }
            (E::ExpiryTooFar, Lang::Ru) => {
                "Загранпаспорт выдают не больше чем на 10 лет. Проверьте год."
            }
            (E::ExpiryTooFar, Lang::En) => {
                "A travel passport is valid for 10 years at most. Check the year."
            }
        }
    }
}

/// Checks a typed number: exactly nine digits (surrounding spaces ignored).
pub fn parse_number(raw: &str) -> Result<String, TravelPassportError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TravelPassportError::NumberRequired);
    }
    if !trimmed.chars().all(|c| c.is_ascii_digit()) {
        return Err(TravelPassportError::NumberNotDigits);
    }
    if trimmed.len() != NUMBER_DIGITS {
        return Err(TravelPassportError::NumberLength);
    }
    Ok(trimmed.to_owned())
}

/// Checks a typed expiry date (ДД.ММ.ГГГГ): a real date, not before
/// `today` and at most [`MAX_VALIDITY_YEARS`] years after it.
pub fn parse_expiry(raw: &str, today: Date) -> Result<Date, TravelPassportError> {
    let date = parse_date(raw, DateField::PassportIssueDate).map_err(|err| match err.rule {
        DateRule::Required => TravelPassportError::ExpiryRequired,
        DateRule::NotInCalendar => TravelPassportError::ExpiryNotInCalendar,
        _ => TravelPassportError::ExpiryFormat,
    })?;
    if date < today {
        return Err(TravelPassportError::Expired);
    }
    let latest = today
        .checked_add(i64::from(MAX_VALIDITY_YEARS).years())
        .unwrap_or(Date::MAX);
    if date > latest {
        return Err(TravelPassportError::ExpiryTooFar);
    }
    Ok(date)
}

/// Builds the Basic Access Control input from a checked number and the
/// two dates.
pub fn bac_input(number: &str, birth: Date, expiry: Date) -> Result<BacInput, MrzError> {
    BacInput::new(number, mrz_date(birth), mrz_date(expiry))
}

fn mrz_date(date: Date) -> MrzDate {
    let byte = |value: i16| u8::try_from(value).expect("a two-digit value fits in u8");
    MrzDate {
        yy: byte(date.year().rem_euclid(100)),
        month: byte(i16::from(date.month())),
        day: byte(i16::from(date.day())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 12, 5);

    #[test]
    fn number_rules() {
        assert_eq!(parse_number(" 751234567 ").as_deref(), Ok("751234567"));
        assert_eq!(parse_number(""), Err(TravelPassportError::NumberRequired));
        assert_eq!(
            parse_number("75 1234567"),
            Err(TravelPassportError::NumberNotDigits)
        );
        assert_eq!(
            parse_number("75123456"),
            Err(TravelPassportError::NumberLength)
        );
        assert_eq!(
            parse_number("7512345678"),
            Err(TravelPassportError::NumberLength)
        );
    }

    #[test]
    fn expiry_rules() {
        assert_eq!(parse_expiry("05.12.2026", TODAY), Ok(date(2026, 12, 5)));
        assert_eq!(parse_expiry("05.12.2036", TODAY), Ok(date(2036, 12, 5)));
        assert_eq!(
            parse_expiry("04.12.2026", TODAY),
            Err(TravelPassportError::Expired)
        );
        assert_eq!(
            parse_expiry("06.12.2036", TODAY),
            Err(TravelPassportError::ExpiryTooFar)
        );
        assert_eq!(
            parse_expiry("31.02.2030", TODAY),
            Err(TravelPassportError::ExpiryNotInCalendar)
        );
        assert_eq!(
            parse_expiry("01/02/2030", TODAY),
            Err(TravelPassportError::ExpiryFormat)
        );
        assert_eq!(
            parse_expiry("01.02.30", TODAY),
            Err(TravelPassportError::ExpiryFormat)
        );
        assert_eq!(
            parse_expiry(" ", TODAY),
            Err(TravelPassportError::ExpiryRequired)
        );
    }

    #[test]
    fn messages_and_codes() {
        assert_eq!(
            TravelPassportError::NumberLength.message(Lang::Ru),
            "В номере загранпаспорта 9 цифр: 2 цифры серии и 7 цифр номера."
        );
        assert_eq!(
            TravelPassportError::Expired.code(),
            "travel_passport_expiry.expired"
        );
    }

    #[test]
    fn builds_the_bac_seed() {
        let input = bac_input("751234567", date(1974, 8, 12), date(2030, 1, 1)).unwrap();
        assert_eq!(input.key_seed_text(), "751234567274081223001019");
    }
}
