//! Ticket numbers as a visitor reads them on the slip and the hall display:
//! the category's prefix letter, a hyphen and three digits, such as `П-042`.
//!
//! Numbers run from 001 to 999 within a category. Keeping them unique per
//! center per day (a counter that restarts each morning) is the station's
//! and the server's job; [`TicketNumber::next`] only returns the number that follows.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::category::ServiceCategory;

/// The lowest sequence number of a ticket.
pub const SEQUENCE_MIN: u16 = 1;
/// The highest sequence number of a ticket.
pub const SEQUENCE_MAX: u16 = 999;

/// A ticket number: a service category and a sequence number 001–999.
///
/// Serialized as its display form, `"П-042"`. Ordered by category, then by
/// sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TicketNumber {
    category: ServiceCategory,
    sequence: u16,
}

impl TicketNumber {
    /// Creates a ticket number.
    ///
    /// # Errors
    ///
    /// [`TicketNumberError::SequenceOutOfRange`] when `sequence` is not in
    /// 1–999.
    pub fn new(category: ServiceCategory, sequence: u16) -> Result<Self, TicketNumberError> {
        if !(SEQUENCE_MIN..=SEQUENCE_MAX).contains(&sequence) {
            return Err(TicketNumberError::SequenceOutOfRange { sequence });
        }
        Ok(TicketNumber { category, sequence })
    }

    /// Returns the first number of a category's day, such as `П-001`.
    pub fn first(category: ServiceCategory) -> Self {
        TicketNumber {
            category,
            sequence: SEQUENCE_MIN,
        }
    }

    /// Returns the number after this one in the same category, or `None`
    /// after 999: the category has run out of numbers for the day.
    pub fn next(self) -> Option<Self> {
        TicketNumber::new(self.category, self.sequence + 1).ok()
    }

    /// Returns the service category.
    pub fn category(self) -> ServiceCategory {
        self.category
    }

    /// Returns the sequence number, 1–999.
    pub fn sequence(self) -> u16 {
        self.sequence
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}", self.category.prefix(), self.sequence)
    }
}

/// Returns the Cyrillic capital letter a typed letter stands for: Cyrillic
/// letters in either case, and the Latin letters that look the same as a
/// Cyrillic one (a barcode scanner or an English keyboard layout types `P`
/// for `Р` and `B` for `В`).
fn cyrillic_capital(letter: char) -> char {
    let upper = letter.to_uppercase().next().unwrap_or(letter);
    match upper {
        'A' => 'А',
        'B' => 'В',
        'C' => 'С',
        'E' => 'Е',
        'H' => 'Н',
        'K' => 'К',
        'M' => 'М',
        'O' => 'О',
        'P' => 'Р',
        'T' => 'Т',
        'X' => 'Х',
        'Y' => 'У',
        other => other,
    }
}

impl FromStr for TicketNumber {
    type Err = TicketNumberError;

    /// Parses `П-042` and the forms people and scanners type for it: lower
    /// case, no hyphen or a space instead (`п042`, `П 042`), and Latin
    /// look-alike letters (`P-042` for `Р-042`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let mut chars = text.chars();
        let letter = chars.next().ok_or(TicketNumberError::Empty)?;

        let prefix = cyrillic_capital(letter);
        let category = ServiceCategory::from_prefix(prefix)
            .ok_or(TicketNumberError::UnknownPrefix { prefix })?;

        let rest = chars.as_str();
        let digits = rest.strip_prefix(['-', ' ']).unwrap_or(rest);
        if digits.len() != 3 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(TicketNumberError::BadDigits);
        }

        let sequence: u16 = digits.parse().map_err(|_| TicketNumberError::BadDigits)?;
        TicketNumber::new(category, sequence)
    }
}

impl TryFrom<String> for TicketNumber {
    type Error = TicketNumberError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<TicketNumber> for String {
    fn from(number: TicketNumber) -> Self {
        number.to_string()
    }
}

/// Text that is not a ticket number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum TicketNumberError {
    #[error("the ticket number is empty; expected a letter and three digits such as П-042")]
    Empty,
    #[error(
        "the ticket number starts with {prefix:?}, which is no category's letter; expected one of П, Р, В, У"
    )]
    UnknownPrefix { prefix: char },
    #[error("the ticket number does not end in three digits; expected a form such as П-042")]
    BadDigits,
    #[error("the ticket sequence number {sequence} is out of range; expected 001 to 999")]
    SequenceOutOfRange { sequence: u16 },
}
