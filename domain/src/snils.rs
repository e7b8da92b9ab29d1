//! СНИЛС, the personal insurance account number: parsing from the ways people
//! type it, the checksum, and the `123-456-789 01` display form.
//!
//! Whether the number belongs to the person is the state registry's check,
//! not this module's.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};
use crate::text;

/// Numbers up to `001-001-998` were issued before the checksum existed, so
/// their last two digits are not checked.
pub const LAST_UNCHECKED_NUMBER: u32 = 1_001_998;

/// A СНИЛС with a valid checksum (or an exempt early number), stored as its
/// 11 digits and shown as `123-456-789 01`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Snils {
    digits: [u8; 11],
}

/// Why a typed СНИЛС was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum SnilsError {
    /// Nothing was entered.
    Required,
    /// Something other than digits, spaces and hyphens was entered.
    Characters,
    /// The number does not have 11 digits.
    Length { digits: usize },
    /// The last two digits do not match the checksum of the first nine.
    Checksum,
}

/// Computes the СНИЛС checksum of the first nine digits: each digit times
/// its weight 9, 8, …, 1, summed; a sum above 101 is taken modulo 101; then
/// 100 and 101 become 0 and anything below 100 is the checksum itself.
///
/// # Panics
///
/// Panics if a digit is above 9.
pub fn snils_checksum(first_nine: [u8; 9]) -> u8 {
    assert!(first_nine.iter().all(|d| *d <= 9), "СНИЛС digits are 0..=9");
    let mut sum: u32 = first_nine
        .iter()
        .zip((1..=9u32).rev())
        .map(|(digit, weight)| u32::from(*digit) * weight)
        .sum();
    if sum > 101 {
        sum %= 101;
    }
    match sum {
        100 | 101 => 0,
        below_100 => u8::try_from(below_100).expect("the sum is below 100 here"),
    }
}

/// Parses a СНИЛС as typed: 11 digits, with or without the spaces and
/// hyphens of `123-456-789 01` or `123 456 789 01`.
pub fn parse_snils(raw: &str) -> Result<Snils, SnilsError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(SnilsError::Required);
    }
    if !trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
    {
        return Err(SnilsError::Characters);
    }

    let typed: Vec<u8> = trimmed
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let digits: [u8; 11] = typed
        .as_slice()
        .try_into()
        .map_err(|_| SnilsError::Length {
            digits: typed.len(),
        })?;

    let snils = Snils { digits };
    if snils.number() > LAST_UNCHECKED_NUMBER
        && snils.checksum() != snils_checksum(snils.first_nine())
    {
        return Err(SnilsError::Checksum);
    }
    Ok(snils)
}

impl Snils {
    /// Builds a СНИЛС from its first nine digits and the checksum computed
    /// from them.
    ///
    /// # Panics
    ///
    /// Panics if a digit is above 9.
    pub fn from_first_nine(first_nine: [u8; 9]) -> Snils {
        let check = snils_checksum(first_nine);
        let mut digits = [0; 11];
        digits[..9].copy_from_slice(&first_nine);
        digits[9] = check / 10;
        digits[10] = check % 10;
        Snils { digits }
    }

    /// Returns the 11 digits without separators, such as `11223344595`.
    pub fn digits(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Returns the first nine digits, the number proper.
    pub fn first_nine(&self) -> [u8; 9] {
        let mut first = [0; 9];
        first.copy_from_slice(&self.digits[..9]);
        first
    }

    /// Returns the last two digits as a number from 0 to 99.
    pub fn checksum(&self) -> u8 {
        self.digits[9] * 10 + self.digits[10]
    }

    /// Returns true for an early number (up to `001-001-998`) whose checksum
    /// is not checked.
    pub fn is_exempt_from_checksum(&self) -> bool {
        self.number() <= LAST_UNCHECKED_NUMBER
    }

    fn number(&self) -> u32 {
        self.digits[..9]
            .iter()
            .fold(0, |acc, d| acc * 10 + u32::from(*d))
    }
}

impl fmt::Display for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{}-{}-{} {}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
    }
}

impl TryFrom<String> for Snils {
    type Error = SnilsError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        parse_snils(&raw)
    }
}

impl From<Snils> for String {
    fn from(snils: Snils) -> String {
        snils.to_string()
    }
}

impl FieldRule for SnilsError {
    fn field(&self) -> Field {
        Field::Snils
    }

    fn code(&self) -> &'static str {
        match self {
            SnilsError::Required => "snils.required",
            SnilsError::Characters => "snils.characters",
            SnilsError::Length { .. } => "snils.length",
            SnilsError::Checksum => "snils.checksum",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SnilsError::Required, Lang::Ru) => {
                "Введите СНИЛС: 11 цифр, как на карточке или в уведомлении СНИЛС.".to_owned()
            }
            (SnilsError::Required, Lang::En) => {
                "Enter the SNILS: 11 digits, as on the SNILS card or notice.".to_owned()
            }
            (SnilsError::Characters, Lang::Ru) => {
                "СНИЛС состоит только из цифр. Уберите буквы и другие знаки, дефисы и пробелы можно оставить."
                    .to_owned()
            }
            (SnilsError::Characters, Lang::En) => {
                "A SNILS contains only digits. Remove letters and other signs; hyphens and spaces may stay."
                    .to_owned()
            }
            (SnilsError::Length { digits }, Lang::Ru) => format!(
                "В СНИЛС должно быть 11 цифр, а {}. Сверьте номер с карточкой СНИЛС.",
                text::digits_entered(*digits, Lang::Ru)
            ),
            (SnilsError::Length { digits }, Lang::En) => format!(
                "A SNILS has 11 digits, but {}. Compare the number with the SNILS card.",
                text::digits_entered(*digits, Lang::En)
            ),
            (SnilsError::Checksum, Lang::Ru) => {
                "В номере СНИЛС ошибка: последние две цифры не сходятся с остальными. Сверьте каждую цифру с карточкой СНИЛС."
                    .to_owned()
            }
            (SnilsError::Checksum, Lang::En) => {
                "The SNILS contains a mistake: its last two digits do not match the others. Compare each digit with the SNILS card."
                    .to_owned()
            }
        }
    }
}

text::display_via_rule!(SnilsError);
