//! The identity confirmation code: 6 characters printed on the operator's
//! slip or sent in a Russian Post letter, which the person types to finish
//! confirming their identity.
//!
//! The alphabet leaves out characters a person may mistake for one another,
//! and its letters look the same in Latin and Cyrillic, so the code can be
//! typed on either keyboard layout. Recording that a code was used, and
//! rejecting it afterwards, is the server's job.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};
use crate::text::display_via_rule;

/// The number of characters in a code.
pub const CODE_LENGTH: usize = 6;

/// The characters a code is made of: the digits 2 3 4 5 6 7 9 and the
/// letters A C E H K M P T X.
///
/// Left out: 0 (reads as O), 1 (I, L), 8 (B, В), and every letter that has
/// no Cyrillic twin of the same shape or whose twin is a different letter
/// (B is В, Y is nearly У). 16 characters give 16⁶ ≈ 16.8 million codes.
pub const ALPHABET: &[u8; 16] = b"2345679ACEHKMPTX";

/// How long a code stays valid after it is issued: 30 days, so that a code
/// sent by post arrives in time.
// NOTE: 30 days is this product's choice, not a value from a regulation.
pub const VALIDITY: SignedDuration = SignedDuration::from_hours(30 * 24);

/// A code in canonical form: 6 characters of [`ALPHABET`].
///
/// `Debug` hides the characters, so a code logged by mistake reveals nothing.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ConfirmationCode(String);

impl ConfirmationCode {
    /// Generates a code with every combination equally likely.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> ConfirmationCode {
        // 16 characters are 4 bits each, so 24 random bits pick all six
        // with no bias.
        let bits = rng.next_u32();
        let code = (0..CODE_LENGTH)
            .map(|index| {
                let nibble = (bits >> (4 * index)) & 0xF;
                char::from(ALPHABET[nibble as usize])
            })
            .collect();
        ConfirmationCode(code)
    }

    /// Parses a code as a person types it: in any case, with spaces,
    /// hyphens or dashes anywhere, and with Cyrillic letters that look like the
    /// code's Latin ones (`ас3-н7х` reads as `AC3H7X`). The Cyrillic З,
    /// which looks like the digit 3, reads as 3.
    ///
    /// # Errors
    ///
    /// [`ConfirmationCodeError::Length`] unless 6 characters remain after
    /// removing spaces, hyphens and dashes, [`ConfirmationCodeError::Character`]
    /// when one of them is not in [`ALPHABET`].
    pub fn parse(input: &str) -> Result<ConfirmationCode, ConfirmationCodeError> {
        let chars: Vec<char> = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{2010}'..='\u{2015}'))
            .collect();
        if chars.len() != CODE_LENGTH {
            return Err(ConfirmationCodeError::Length { chars: chars.len() });
        }

        let mut code = String::with_capacity(CODE_LENGTH);
        for c in chars {
            let canonical = canonical_char(c).ok_or(ConfirmationCodeError::Character)?;
            code.push(canonical);
        }
        Ok(ConfirmationCode(code))
    }

    /// Returns the code in canonical form, such as `AC3H7X`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the code split in two for printing and reading aloud, such
    /// as `AC3-H7X`.
    pub fn grouped(&self) -> String {
        let (first, second) = self.0.split_at(CODE_LENGTH / 2);
        format!("{first}-{second}")
    }
}

/// Returns the alphabet character that a typed character stands for.
fn canonical_char(c: char) -> Option<char> {
    let upper = c.to_uppercase().next()?;
    let latin = match upper {
        'А' => 'A',
        'С' => 'C',
        'Е' => 'E',
        'Н' => 'H',
        'К' => 'K',
        'М' => 'M',
        'Р' => 'P',
        'Т' => 'T',
        'Х' => 'X',
        'З' => '3',
        other => other,
    };
    let in_alphabet = latin.is_ascii() && ALPHABET.contains(&(latin as u8));
    in_alphabet.then_some(latin)
}

/// Returns the first instant at which a code issued at `issued_at` is no
/// longer valid.
pub fn expires_at(issued_at: Timestamp) -> Timestamp {
    issued_at.checked_add(VALIDITY).unwrap_or(Timestamp::MAX)
}

/// Tells whether a code issued at `issued_at` has expired at `now`.
pub fn is_expired(issued_at: Timestamp, now: Timestamp) -> bool {
    now >= expires_at(issued_at)
}

impl fmt::Debug for ConfirmationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ConfirmationCode(******)")
    }
}

impl TryFrom<String> for ConfirmationCode {
    type Error = ConfirmationCodeError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        ConfirmationCode::parse(&text)
    }
}

impl From<ConfirmationCode> for String {
    fn from(code: ConfirmationCode) -> Self {
        code.0
    }
}

/// Typed text that is not a confirmation code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum ConfirmationCodeError {
    /// Not [`CODE_LENGTH`] characters once spaces, hyphens and dashes are
    /// removed; `chars` is how many there were.
    Length { chars: usize },
    /// A character outside [`ALPHABET`] and its Cyrillic twins.
    Character,
}

display_via_rule!(ConfirmationCodeError);

impl FieldRule for ConfirmationCodeError {
    fn field(&self) -> Field {
        Field::ConfirmationCode
    }

    fn code(&self) -> &'static str {
        match self {
            ConfirmationCodeError::Length { .. } => "confirmation_code.length",
            ConfirmationCodeError::Character => "confirmation_code.character",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ConfirmationCodeError::Length { chars }, Lang::Ru) => {
                format!("В коде {CODE_LENGTH} символов, а введено {chars}. Сверьте код с бланком.")
            }
            (ConfirmationCodeError::Length { chars }, Lang::En) => format!(
                "The code has {CODE_LENGTH} characters, but {chars} were entered. Check the \
                 code against the slip."
            ),
            (ConfirmationCodeError::Character, Lang::Ru) => {
                "В коде есть символ, которого не бывает в кодах. Код состоит из цифр 2–7 и 9 \
                 и букв A C E H K M P T X. Сверьте код с бланком."
                    .to_owned()
            }
            (ConfirmationCodeError::Character, Lang::En) => {
                "The code contains a character that codes never use. Codes are made of the \
                 digits 2–7 and 9 and the letters A C E H K M P T X. Check the code against \
                 the slip."
                    .to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests;
