//! ИНН, the taxpayer number: 10 digits for an organisation, 12 for a person,
//! each with check digits, parsed from what a person typed.
//!
//! Whether the number is registered, and to whom, is the tax service's
//! check, not this module's.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};
use crate::text;

const ORGANISATION_WEIGHTS: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const PERSON_FIRST_CHECK_WEIGHTS: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const PERSON_SECOND_CHECK_WEIGHTS: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/// Whose number an ИНН is, which its length decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InnKind {
    /// 10 digits, the last one a check digit.
    Organisation,
    /// 12 digits, the last two check digits.
    Person,
}

/// An ИНН whose check digits match, stored as its digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Inn {
    digits: String,
}

/// Why a typed ИНН was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum InnError {
    /// Nothing was entered where an ИНН is required.
    Required,
    /// Something other than digits and spaces was entered.
    Characters,
    /// The number has neither 10 nor 12 digits.
    Length { digits: usize },
    /// A person's ИНН was expected, and the number has 10 digits, an
    /// organisation's length.
    OrganisationInsteadOfPerson,
    /// A person's ИНН was expected, and the number has neither 10 nor 12
    /// digits.
    PersonalLength { digits: usize },
    /// The check digits do not match the other digits.
    Checksum,
}

/// Computes the check digit of an organisation's ИНН from its first nine
/// digits: the weighted sum with weights 2 4 10 3 5 9 4 6 8, modulo 11,
/// then modulo 10.
///
/// # Panics
///
/// Panics if a digit is above 9.
pub fn organisation_check_digit(first_nine: [u8; 9]) -> u8 {
    weighted_check_digit(&first_nine, &ORGANISATION_WEIGHTS)
}

/// Computes the two check digits of a person's ИНН from its first ten
/// digits: the 11th digit over the first ten with weights
/// 7 2 4 10 3 5 9 4 6 8, then the 12th over the first eleven with weights
/// 3 7 2 4 10 3 5 9 4 6 8; each sum modulo 11, then modulo 10.
///
/// # Panics
///
/// Panics if a digit is above 9.
pub fn person_check_digits(first_ten: [u8; 10]) -> [u8; 2] {
    let eleventh = weighted_check_digit(&first_ten, &PERSON_FIRST_CHECK_WEIGHTS);
    let mut first_eleven = [0; 11];
    first_eleven[..10].copy_from_slice(&first_ten);
    first_eleven[10] = eleventh;
    let twelfth = weighted_check_digit(&first_eleven, &PERSON_SECOND_CHECK_WEIGHTS);
    [eleventh, twelfth]
}

fn weighted_check_digit(digits: &[u8], weights: &[u32]) -> u8 {
    assert!(digits.iter().all(|d| *d <= 9), "ИНН digits are 0..=9");
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(digit, weight)| u32::from(*digit) * weight)
        .sum();
    u8::try_from(sum % 11 % 10).expect("a value modulo 10 fits in u8")
}

/// Parses an ИНН of either kind: 10 digits for an organisation or 12 for a
/// person, spaces allowed, check digits verified.
pub fn parse_inn(raw: &str) -> Result<Inn, InnError> {
    let digits = typed_digits(raw)?;
    match digits.len() {
        10 | 12 => check(digits),
        other => Err(InnError::Length { digits: other }),
    }
}

/// Parses a person's ИНН, the form on a visitor's own profile: exactly 12
/// digits with both check digits verified. An organisation's 10-digit number
/// gets its own error, because that is the usual mix-up.
pub fn parse_personal_inn(raw: &str) -> Result<Inn, InnError> {
    let digits = typed_digits(raw)?;
    match digits.len() {
        12 => check(digits),
        10 => Err(InnError::OrganisationInsteadOfPerson),
        other => Err(InnError::PersonalLength { digits: other }),
    }
}

fn typed_digits(raw: &str) -> Result<Vec<u8>, InnError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(InnError::Required);
    }
    if !trimmed.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        return Err(InnError::Characters);
    }
    Ok(trimmed
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect())
}

fn check(digits: Vec<u8>) -> Result<Inn, InnError> {
    let valid = match digits.as_slice() {
        [first_nine @ .., last] if digits.len() == 10 => {
            let first_nine: [u8; 9] = first_nine.try_into().expect("10 digits minus one");
            organisation_check_digit(first_nine) == *last
        }
        [first_ten @ .., eleventh, twelfth] if digits.len() == 12 => {
            let first_ten: [u8; 10] = first_ten.try_into().expect("12 digits minus two");
            person_check_digits(first_ten) == [*eleventh, *twelfth]
        }
        _ => unreachable!("callers pass 10 or 12 digits"),
    };
    if !valid {
        return Err(InnError::Checksum);
    }
    Ok(Inn {
        digits: digits.iter().map(|d| char::from(b'0' + d)).collect(),
    })
}

impl Inn {
    /// Returns whether this is an organisation's or a person's number.
    pub fn kind(&self) -> InnKind {
        if self.digits.len() == 12 {
            InnKind::Person
        } else {
            InnKind::Organisation
        }
    }

    /// Returns the digits, such as `7707083893`.
    pub fn as_str(&self) -> &str {
        &self.digits
    }
}

/// Shows the digits without separators, as tax documents print an ИНН.
impl fmt::Display for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

impl TryFrom<String> for Inn {
    type Error = InnError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        parse_inn(&raw)
    }
}

impl From<Inn> for String {
    fn from(inn: Inn) -> String {
        inn.digits
    }
}

impl FieldRule for InnError {
    fn field(&self) -> Field {
        Field::Inn
    }

    fn code(&self) -> &'static str {
        match self {
            InnError::Required => "inn.required",
            InnError::Characters => "inn.characters",
            InnError::Length { .. } => "inn.length",
            InnError::OrganisationInsteadOfPerson => "inn.organisation_number",
            InnError::PersonalLength { .. } => "inn.personal_length",
            InnError::Checksum => "inn.checksum",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (InnError::Required, Lang::Ru) => {
                "Введите ИНН: 12 цифр, как в свидетельстве или уведомлении о постановке на учёт.".to_owned()
            }
            (InnError::Required, Lang::En) => {
                "Enter the INN: 12 digits, as on the tax registration certificate or notice.".to_owned()
            }
            (InnError::Characters, Lang::Ru) => {
                "ИНН состоит только из цифр. Уберите буквы, дефисы и другие знаки.".to_owned()
            }
            (InnError::Characters, Lang::En) => {
                "An INN contains only digits. Remove letters, hyphens and other signs.".to_owned()
            }
            (InnError::Length { digits }, Lang::Ru) => format!(
                "В ИНН должно быть 12 цифр (у человека) или 10 цифр (у организации), а {}. Сверьте номер с документом.",
                text::digits_entered(*digits, Lang::Ru)
            ),
            (InnError::Length { digits }, Lang::En) => format!(
                "An INN has 12 digits (a person's) or 10 digits (an organisation's), but {}. Compare the number with the document.",
                text::digits_entered(*digits, Lang::En)
            ),
            (InnError::OrganisationInsteadOfPerson, Lang::Ru) => {
                "Это ИНН организации, в нём 10 цифр. Введите свой личный ИНН из 12 цифр.".to_owned()
            }
            (InnError::OrganisationInsteadOfPerson, Lang::En) => {
                "This is an organisation's INN of 10 digits. Enter your personal INN of 12 digits.".to_owned()
            }
            (InnError::PersonalLength { digits }, Lang::Ru) => format!(
                "В личном ИНН должно быть 12 цифр, а {}. Сверьте номер с документом.",
                text::digits_entered(*digits, Lang::Ru)
            ),
            (InnError::PersonalLength { digits }, Lang::En) => format!(
                "A personal INN has 12 digits, but {}. Compare the number with the document.",
                text::digits_entered(*digits, Lang::En)
            ),
            (InnError::Checksum, Lang::Ru) => {
                "В ИНН ошибка: контрольные цифры в конце не сходятся с остальными. Сверьте каждую цифру с документом."
                    .to_owned()
            }
            (InnError::Checksum, Lang::En) => {
                "The INN contains a mistake: its check digits at the end do not match the others. Compare each digit with the document."
                    .to_owned()
            }
        }
    }
}

text::display_via_rule!(InnError);
