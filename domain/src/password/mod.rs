//! The password policy for a new portal password: length, character
//! classes, no runs of consecutive characters, not a common password, and
//! both entries equal.
//!
//! Every broken rule is its own [`PasswordError`] variant, and
//! [`validate`] returns all of them at once so the screen can list what to
//! fix. No error text contains the password. Hashing and storing the
//! password are the server's job.

mod common;
mod sequence;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};
use crate::text::display_via_rule;

pub use sequence::RUN_LENGTH;

/// Minimum password length, in characters.
pub const MIN_CHARS: usize = 8;

/// Maximum password length, in characters. It bounds the input the server
/// hashes.
pub const MAX_CHARS: usize = 128;

/// A password rule that an entered password breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum PasswordError {
    /// Fewer than [`MIN_CHARS`] characters.
    TooShort,
    /// More than [`MAX_CHARS`] characters.
    TooLong,
    /// A space, tab, line break or other control character.
    Whitespace,
    /// No upper-case letter, Latin or Cyrillic.
    NoUppercase,
    /// No lower-case letter, Latin or Cyrillic.
    NoLowercase,
    /// No digit 0–9.
    NoDigit,
    /// No character that is neither a letter, a digit nor a space.
    NoSpecial,
    /// [`RUN_LENGTH`] or more characters in alphabet or keyboard order.
    Sequence,
    /// A password from the bundled list of common passwords.
    Common,
    /// The repeated entry differs from the first.
    Mismatch,
}

display_via_rule!(PasswordError);

impl PasswordError {
    /// Every rule, in the order [`validate`] reports them.
    pub const ALL: [PasswordError; 10] = [
        PasswordError::TooShort,
        PasswordError::TooLong,
        PasswordError::Whitespace,
        PasswordError::NoUppercase,
        PasswordError::NoLowercase,
        PasswordError::NoDigit,
        PasswordError::NoSpecial,
        PasswordError::Sequence,
        PasswordError::Common,
        PasswordError::Mismatch,
    ];
}

impl FieldRule for PasswordError {
    fn field(&self) -> Field {
        match self {
            PasswordError::Mismatch => Field::PasswordRepeat,
            _ => Field::Password,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "password.too_short",
            PasswordError::TooLong => "password.too_long",
            PasswordError::Whitespace => "password.whitespace",
            PasswordError::NoUppercase => "password.no_uppercase",
            PasswordError::NoLowercase => "password.no_lowercase",
            PasswordError::NoDigit => "password.no_digit",
            PasswordError::NoSpecial => "password.no_special",
            PasswordError::Sequence => "password.sequence",
            PasswordError::Common => "password.common",
            PasswordError::Mismatch => "password_repeat.mismatch",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let text = match (self, lang) {
            (PasswordError::TooShort, Lang::Ru) => {
                return format!("Пароль слишком короткий. Нужно не меньше {MIN_CHARS} символов.")
            }
            (PasswordError::TooShort, Lang::En) => {
                return format!("The password is too short. Use at least {MIN_CHARS} characters.")
            }
            (PasswordError::TooLong, Lang::Ru) => {
                return format!("Пароль слишком длинный. Допустимо не больше {MAX_CHARS} символов.")
            }
            (PasswordError::TooLong, Lang::En) => {
                return format!("The password is too long. Use at most {MAX_CHARS} characters.")
            }
            (PasswordError::Whitespace, Lang::Ru) => "Уберите из пароля пробелы.",
            (PasswordError::Whitespace, Lang::En) => "Remove the spaces from the password.",
            (PasswordError::NoUppercase, Lang::Ru) => "Добавьте в пароль заглавную букву.",
            (PasswordError::NoUppercase, Lang::En) => "Add an upper-case letter to the password.",
            (PasswordError::NoLowercase, Lang::Ru) => "Добавьте в пароль строчную букву.",
            (PasswordError::NoLowercase, Lang::En) => "Add a lower-case letter to the password.",
            (PasswordError::NoDigit, Lang::Ru) => "Добавьте в пароль цифру.",
            (PasswordError::NoDigit, Lang::En) => "Add a digit to the password.",
            (PasswordError::NoSpecial, Lang::Ru) => {
                "Добавьте в пароль специальный символ, например @, # или $."
            }
            (PasswordError::NoSpecial, Lang::En) => {
                "Add a special character to the password, such as @, # or $."
            }
            (PasswordError::Sequence, Lang::Ru) => {
                return format!(
                    "В пароле {RUN_LENGTH} или больше символов подряд по алфавиту или по \
                     клавиатуре, как 1234, abcd, абвг, qwer или йцук. Замените их."
                )
            }
            (PasswordError::Sequence, Lang::En) => {
                return format!(
                    "The password has {RUN_LENGTH} or more characters in a row in alphabet or \
                     keyboard order, such as 1234, abcd, qwer. Change them."
                )
            }
            (PasswordError::Common, Lang::Ru) => {
                "Этот пароль слишком распространён, его легко подобрать. Придумайте другой."
            }
            (PasswordError::Common, Lang::En) => {
                "This password is too common and easy to guess. Choose another one."
            }
            (PasswordError::Mismatch, Lang::Ru) => "Пароли не совпадают. Введите пароль ещё раз.",
            (PasswordError::Mismatch, Lang::En) => {
                "The passwords do not match. Enter the password again."
            }
        };
        text.to_owned()
    }
}

/// Tells whether `c` counts as a special character: printable, and neither
/// a letter nor a digit (of any script).
fn is_special(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace() && !c.is_control()
}

/// Checks `password` against every rule except the repeat, and returns the
/// broken ones in the order of [`PasswordError::ALL`].
pub fn strength_errors(password: &str) -> Vec<PasswordError> {
    let mut errors = Vec::new();
    let chars = password.chars().count();

    if chars < MIN_CHARS {
        errors.push(PasswordError::TooShort);
    }
    if chars > MAX_CHARS {
        errors.push(PasswordError::TooLong);
    }
    if password
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        errors.push(PasswordError::Whitespace);
    }
    if !password.chars().any(char::is_uppercase) {
        errors.push(PasswordError::NoUppercase);
    }
    if !password.chars().any(char::is_lowercase) {
        errors.push(PasswordError::NoLowercase);
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        errors.push(PasswordError::NoDigit);
    }
    if !password.chars().any(is_special) {
        errors.push(PasswordError::NoSpecial);
    }
    if sequence::has_run(password) {
        errors.push(PasswordError::Sequence);
    }
    if common::is_common(password) {
        errors.push(PasswordError::Common);
    }
    errors
}

/// Checks a new password and its repeated entry.
///
/// # Errors
///
/// Every broken rule, in the order of [`PasswordError::ALL`]. The repeat
/// is compared exactly, so `Mismatch` comes with whatever rules the first
/// entry breaks.
pub fn validate(password: &str, repeat: &str) -> Result<(), PasswordErrors> {
    let mut errors = strength_errors(password);
    if password != repeat {
        errors.push(PasswordError::Mismatch);
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(PasswordErrors(errors))
    }
}

/// The rules a password breaks, at least one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PasswordErrors(pub Vec<PasswordError>);

impl PasswordErrors {
    /// Returns the broken rules.
    pub fn rules(&self) -> &[PasswordError] {
        &self.0
    }

    /// Tells whether `rule` is among the broken rules.
    pub fn contains(&self, rule: PasswordError) -> bool {
        self.0.contains(&rule)
    }
}

impl fmt::Display for PasswordErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<&str> = self.0.iter().map(FieldRule::code).collect();
        write!(
            f,
            "the password breaks {} rule(s): {}",
            codes.len(),
            codes.join(", ")
        )
    }
}

impl std::error::Error for PasswordErrors {}

#[cfg(test)]
mod tests;
