//! The Russian internal passport's series and number, and the division code
//! (код подразделения) of the office that issued it.
//!
//! Issue dates are in `date`; whether the passport is valid or belongs to the
//! person is the registry's and the operator's check.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};
use crate::text;

/// A passport series (4 digits) and number (6 digits), shown as
/// `1234 567890`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PassportNumber {
    digits: String,
}

/// Why a typed passport series and number was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum PassportNumberError {
    /// Nothing was entered.
    Required,
    /// Something other than digits and spaces was entered.
    Characters,
    /// The series and number together do not have 10 digits.
    Length { digits: usize },
}

/// Parses a passport series and number: 10 digits, spaces anywhere, as in
/// `1234 567890`, `1234567890` or `12 34 567890`.
pub fn parse_passport_number(raw: &str) -> Result<PassportNumber, PassportNumberError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(PassportNumberError::Required);
    }
    if !trimmed.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        return Err(PassportNumberError::Characters);
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 10 {
        return Err(PassportNumberError::Length {
            digits: digits.len(),
        });
    }
    Ok(PassportNumber { digits })
}

impl PassportNumber {
    /// Returns the series, the first 4 digits.
    pub fn series(&self) -> &str {
        &self.digits[..4]
    }

    /// Returns the number, the last 6 digits.
    pub fn number(&self) -> &str {
        &self.digits[4..]
    }

    /// Returns all 10 digits without a space.
    pub fn digits(&self) -> &str {
        &self.digits
    }
}

impl fmt::Display for PassportNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.series(), self.number())
    }
}

impl TryFrom<String> for PassportNumber {
    type Error = PassportNumberError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        parse_passport_number(&raw)
    }
}

impl From<PassportNumber> for String {
    fn from(passport: PassportNumber) -> String {
        passport.to_string()
    }
}

impl FieldRule for PassportNumberError {
    fn field(&self) -> Field {
        Field::PassportNumber
    }

    fn code(&self) -> &'static str {
        match self {
            PassportNumberError::Required => "passport_number.required",
            PassportNumberError::Characters => "passport_number.characters",
            PassportNumberError::Length { .. } => "passport_number.length",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PassportNumberError::Required, Lang::Ru) => {
                "Введите серию и номер паспорта: 10 цифр, например 1234 567890.".to_owned()
            }
            (PassportNumberError::Required, Lang::En) => {
                "Enter the passport series and number: 10 digits, for example 1234 567890.".to_owned()
            }
            (PassportNumberError::Characters, Lang::Ru) => {
                "Серия и номер паспорта состоят только из цифр. Уберите буквы, знак № и другие знаки.".to_owned()
            }
            (PassportNumberError::Characters, Lang::En) => {
                "The passport series and number contain only digits. Remove letters, the № sign and other signs."
                    .to_owned()
            }
            (PassportNumberError::Length { digits }, Lang::Ru) => format!(
                "В серии и номере паспорта должно быть 10 цифр (4 цифры серии и 6 цифр номера), а {}. Сверьте с паспортом.",
                text::digits_entered(*digits, Lang::Ru)
            ),
            (PassportNumberError::Length { digits }, Lang::En) => format!(
                "The passport series and number have 10 digits (4 of the series, 6 of the number), but {}. Compare with the passport.",
                text::digits_entered(*digits, Lang::En)
            ),
        }
    }
}

text::display_via_rule!(PassportNumberError);

/// A division code (код подразделения) of the office that issued a
/// passport, shown as `123-456`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode {
    digits: String,
}

/// Why a typed division code was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum DivisionCodeError {
    /// Nothing was entered.
    Required,
    /// The text is not 3 digits, an optional hyphen and 3 digits.
    Format,
}

/// Parses a division code: `123-456` or `123456`.
pub fn parse_division_code(raw: &str) -> Result<DivisionCode, DivisionCodeError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(DivisionCodeError::Required);
    }
    let digits = match trimmed.split_once('-') {
        Some((first, second)) if is_digits(first, 3) && is_digits(second, 3) => {
            format!("{first}{second}")
        }
        None if is_digits(trimmed, 6) => trimmed.to_owned(),
        _ => return Err(DivisionCodeError::Format),
    };
    Ok(DivisionCode { digits })
}

fn is_digits(text: &str, count: usize) -> bool {
    text.len() == count && text.bytes().all(|b| b.is_ascii_digit())
}

impl DivisionCode {
    /// Returns the 6 digits without the hyphen.
    pub fn digits(&self) -> &str {
        &self.digits
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", &self.digits[..3], &self.digits[3..])
    }
}

impl TryFrom<String> for DivisionCode {
    type Error = DivisionCodeError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        parse_division_code(&raw)
    }
}

impl From<DivisionCode> for String {
    fn from(code: DivisionCode) -> String {
        code.to_string()
    }
}

impl FieldRule for DivisionCodeError {
    fn field(&self) -> Field {
        Field::DivisionCode
    }

    fn code(&self) -> &'static str {
        match self {
            DivisionCodeError::Required => "division_code.required",
            DivisionCodeError::Format => "division_code.format",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DivisionCodeError::Required, Lang::Ru) => {
                "Введите код подразделения из паспорта: 6 цифр, например 123-456.".to_owned()
            }
            (DivisionCodeError::Required, Lang::En) => {
                "Enter the division code from the passport: 6 digits, for example 123-456.".to_owned()
            }
            (DivisionCodeError::Format, Lang::Ru) => {
                "Код подразделения — это 6 цифр через дефис после третьей: 123-456 (можно без дефиса). Сверьте с паспортом."
                    .to_owned()
            }
            (DivisionCodeError::Format, Lang::En) => {
                "A division code is 6 digits with a hyphen after the third: 123-456 (the hyphen may be left out). Compare with the passport."
                    .to_owned()
            }
        }
    }
}

text::display_via_rule!(DivisionCodeError);
