//! Russian mobile phone numbers: normalised to `+7XXXXXXXXXX` from the ways
//! people type them, and shown as `+7 912 345-67-89`.
//!
//! Whether the number receives SMS is learnt by sending a code, which the
//! one-time code rules and the SMS gateway handle.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};
use crate::text;

/// A Russian mobile number, stored as the 10 digits after `+7`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobilePhone {
    national: String,
}

/// Why a typed phone number was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum PhoneError {
    /// Nothing was entered.
    Required,
    /// Something other than digits, a leading `+`, spaces, hyphens and
    /// brackets was entered.
    Characters,
    /// The number has the wrong count of digits for a Russian number.
    Length { digits: usize },
    /// The number is outside Russia: a country code other than 7, or +7 6xx
    /// and +7 7xx, which are Kazakhstan's.
    NotRussian,
    /// A Russian landline number (area codes starting with 3, 4 or 8),
    /// which cannot receive SMS.
    Landline,
    /// A +7 number whose code starts with 0, 1, 2 or 5, which no Russian
    /// mobile operator uses.
    NotMobile,
}

/// Parses a Russian mobile number from the usual forms: `+7 (912) 345 67 89`,
/// `+79123456789`, `8 912 345-67-89`, `89123456789`, `7 912 345 67 89` and
/// the bare ten digits `9123456789`.
pub fn parse_mobile_phone(raw: &str) -> Result<MobilePhone, PhoneError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(PhoneError::Required);
    }
    let (has_plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
    {
        return Err(PhoneError::Characters);
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();

    let national = national_number(has_plus, &digits)?;
    match national.as_bytes()[0] {
        b'9' => Ok(MobilePhone {
            national: national.to_owned(),
        }),
        b'3' | b'4' | b'8' => Err(PhoneError::Landline),
        b'6' | b'7' => Err(PhoneError::NotRussian),
        _ => Err(PhoneError::NotMobile),
    }
}

/// Strips the country code or the domestic trunk prefix 8, leaving the ten
/// digits after +7.
fn national_number(has_plus: bool, digits: &str) -> Result<&str, PhoneError> {
    let length_error = PhoneError::Length {
        digits: digits.len(),
    };
    if has_plus {
        // A "+" promises a country code, so anything but 7 is abroad.
        return match digits.strip_prefix('7') {
            Some(national) if national.len() == 10 => Ok(national),
            Some(_) => Err(length_error),
            None if digits.is_empty() => Err(length_error),
            None => Err(PhoneError::NotRussian),
        };
    }
    match digits.len() {
        // Ten digits starting 89 or 79 are taken for the 11-digit form with
        // one digit missing, so the person hears about the length.
        // NOTE: this assumes no +7 area code starts with 89 or 79, which
        // held for the Russian and Kazakh plans known when this was written.
        10 if digits.starts_with("89") || digits.starts_with("79") => Err(length_error),
        10 => Ok(digits),
        11 if digits.starts_with('7') || digits.starts_with('8') => Ok(&digits[1..]),
        // 11 digits starting otherwise are a foreign number typed without
        // "+", such as 1 212 555 01 00.
        11 => Err(PhoneError::NotRussian),
        _ => Err(length_error),
    }
}

impl MobilePhone {
    /// Returns the number in international form, `+79123456789`.
    pub fn e164(&self) -> String {
        format!("+7{}", self.national)
    }

    /// Returns the ten digits after +7, `9123456789`.
    pub fn national(&self) -> &str {
        &self.national
    }
}

/// Shows the number as `+7 912 345-67-89`.
impl fmt::Display for MobilePhone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = &self.national;
        write!(f, "+7 {} {}-{}-{}", &n[0..3], &n[3..6], &n[6..8], &n[8..10])
    }
}

impl TryFrom<String> for MobilePhone {
    type Error = PhoneError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        parse_mobile_phone(&raw)
    }
}

/// Serialises to the international form `+79123456789`.
impl From<MobilePhone> for String {
    fn from(phone: MobilePhone) -> String {
        phone.e164()
    }
}

impl FieldRule for PhoneError {
    fn field(&self) -> Field {
        Field::Phone
    }

    fn code(&self) -> &'static str {
        match self {
            PhoneError::Required => "phone.required",
            PhoneError::Characters => "phone.characters",
            PhoneError::Length { .. } => "phone.length",
            PhoneError::NotRussian => "phone.not_russian",
            PhoneError::Landline => "phone.landline",
            PhoneError::NotMobile => "phone.not_mobile",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PhoneError::Required, Lang::Ru) => {
                "Введите номер мобильного телефона, например +7 912 345-67-89.".to_owned()
            }
            (PhoneError::Required, Lang::En) => {
                "Enter a mobile phone number, for example +7 912 345-67-89.".to_owned()
            }
            (PhoneError::Characters, Lang::Ru) => {
                "В номере телефона могут быть только цифры, + в начале, пробелы, дефисы и скобки. Уберите буквы и другие знаки."
                    .to_owned()
            }
            (PhoneError::Characters, Lang::En) => {
                "A phone number may contain only digits, a leading +, spaces, hyphens and brackets. Remove letters and other signs."
                    .to_owned()
            }
            (PhoneError::Length { digits }, Lang::Ru) => format!(
                "В мобильном номере 10 цифр после +7 (или 11 цифр, если начинать с 8), а {}. Городской номер без кода не подойдёт: введите мобильный полностью.",
                text::digits_entered(*digits, Lang::Ru)
            ),
            (PhoneError::Length { digits }, Lang::En) => format!(
                "A mobile number has 10 digits after +7 (or 11 digits starting with 8), but {}. A local landline number will not do: enter the full mobile number.",
                text::digits_entered(*digits, Lang::En)
            ),
            (PhoneError::NotRussian, Lang::Ru) => {
                "Это номер другой страны. Нужен номер российского мобильного оператора: +7 и 10 цифр, начиная с 9."
                    .to_owned()
            }
            (PhoneError::NotRussian, Lang::En) => {
                "This number belongs to another country. A Russian mobile number is needed: +7 and 10 digits starting with 9."
                    .to_owned()
            }
            (PhoneError::Landline, Lang::Ru) => {
                "Это городской (стационарный) номер, на него не придёт SMS. Введите номер мобильного телефона: после +7 он начинается с 9."
                    .to_owned()
            }
            (PhoneError::Landline, Lang::En) => {
                "This is a landline number, which cannot receive SMS. Enter a mobile number: after +7 it starts with 9."
                    .to_owned()
            }
            (PhoneError::NotMobile, Lang::Ru) => {
                "Такого мобильного номера нет: после +7 мобильный номер начинается с 9. Проверьте первые цифры."
                    .to_owned()
            }
            (PhoneError::NotMobile, Lang::En) => {
                "This is not a mobile number: after +7 a mobile number starts with 9. Check the first digits.".to_owned()
            }
        }
    }
}

text::display_via_rule!(PhoneError);
