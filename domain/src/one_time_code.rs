//! One-time codes sent by SMS or e-mail to confirm a phone number or an
//! e-mail address: 6 digits, valid 5 minutes, 3 wrong attempts, a resend
//! after 60 seconds.
//!
//! The code comes from a random generator the caller passes in, so the
//! domain reads no OS randomness. [`OneTimeCodeState`] keeps the issue
//! instant and the attempt count, but not the code: the caller compares the
//! entered code with whatever it stored (the server stores a hash), and
//! persists the state between attempts.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};
use crate::text::display_via_rule;

/// The number of digits in a code.
pub const CODE_LENGTH: usize = 6;

/// The limits a code is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeCodePolicy {
    /// How long a code stays valid after it is issued.
    pub validity: SignedDuration,
    /// How many wrong entries a code survives; the last one uses it up.
    pub max_attempts: u8,
    /// How long after issuing a code a new one may be sent.
    pub resend_after: SignedDuration,
}

impl Default for OneTimeCodePolicy {
    /// Returns the portal's limits: valid 5 minutes, 3 attempts, resend
    /// after 60 seconds.
    fn default() -> Self {
        OneTimeCodePolicy {
            validity: SignedDuration::from_mins(5),
            max_attempts: 3,
            resend_after: SignedDuration::from_secs(60),
        }
    }
}

/// A code of exactly [`CODE_LENGTH`] ASCII digits.
///
/// `Debug` hides the digits, so a code logged by mistake reveals nothing.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OneTimeCode(String);

impl OneTimeCode {
    /// Generates a code with every value from `000000` to `999999` equally
    /// likely.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> OneTimeCode {
        const VALUES: u32 = 1_000_000;
        // The largest multiple of VALUES that fits in u32: drawing below it
        // and taking the remainder gives each code the same chance.
        const ZONE: u32 = u32::MAX - u32::MAX % VALUES;

        let value = loop {
            let draw = rng.next_u32();
            if draw < ZONE {
                break draw % VALUES;
            }
        };
        OneTimeCode(format!("{value:06}"))
    }

    /// Parses a code as a person types it: spaces and hyphens between the
    /// digits are ignored (`123 456`, `123-456`).
    ///
    /// # Errors
    ///
    /// [`OneTimeCodeError::Format`] unless exactly 6 digits remain.
    pub fn parse(input: &str) -> Result<OneTimeCode, OneTimeCodeError> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();

        if digits.len() != CODE_LENGTH || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(OneTimeCodeError::Format);
        }
        Ok(OneTimeCode(digits))
    }

    /// Returns the digits, to send to the person or to hash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeCode(******)")
    }
}

impl TryFrom<String> for OneTimeCode {
    type Error = OneTimeCodeError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        OneTimeCode::parse(&text)
    }
}

impl From<OneTimeCode> for String {
    fn from(code: OneTimeCode) -> Self {
        code.0
    }
}

/// A reason an entered code is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum OneTimeCodeError {
    /// The entry is not [`CODE_LENGTH`] digits.
    Format,
    /// The code is wrong, and `attempts_left` more entries are allowed.
    Wrong { attempts_left: u8 },
    /// The last allowed attempt was wrong, so a new code is needed.
    Exhausted,
    /// The code is past its validity.
    Expired,
    /// The code was already accepted once.
    AlreadyUsed,
}

display_via_rule!(OneTimeCodeError);

impl FieldRule for OneTimeCodeError {
    fn field(&self) -> Field {
        Field::OneTimeCode
    }

    fn code(&self) -> &'static str {
        match self {
            OneTimeCodeError::Format => "one_time_code.format",
            OneTimeCodeError::Wrong { .. } => "one_time_code.wrong",
            OneTimeCodeError::Exhausted => "one_time_code.exhausted",
            OneTimeCodeError::Expired => "one_time_code.expired",
            OneTimeCodeError::AlreadyUsed => "one_time_code.used",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (OneTimeCodeError::Format, Lang::Ru) => {
                format!("Введите код из {CODE_LENGTH} цифр, который пришёл в сообщении.")
            }
            (OneTimeCodeError::Format, Lang::En) => {
                format!("Enter the {CODE_LENGTH}-digit code from the message.")
            }
            (OneTimeCodeError::Wrong { attempts_left }, Lang::Ru) => {
                format!("Неверный код. Осталось попыток: {attempts_left}.")
            }
            (OneTimeCodeError::Wrong { attempts_left }, Lang::En) => {
                format!("Wrong code. Attempts left: {attempts_left}.")
            }
            (OneTimeCodeError::Exhausted, Lang::Ru) => {
                "Код введён неверно слишком много раз. Запросите новый код.".to_owned()
            }
            (OneTimeCodeError::Exhausted, Lang::En) => {
                "The code was entered wrong too many times. Request a new code.".to_owned()
            }
            (OneTimeCodeError::Expired, Lang::Ru) => {
                "Срок действия кода истёк. Запросите новый код.".to_owned()
            }
            (OneTimeCodeError::Expired, Lang::En) => {
                "The code has expired. Request a new code.".to_owned()
            }
            (OneTimeCodeError::AlreadyUsed, Lang::Ru) => {
                "Этот код уже использован. Запросите новый код.".to_owned()
            }
            (OneTimeCodeError::AlreadyUsed, Lang::En) => {
                "This code has already been used. Request a new code.".to_owned()
            }
        }
    }
}

/// Whether a new code may be sent yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "resend", rename_all = "snake_case")]
pub enum ResendStatus {
    /// «Отправить код повторно» is active.
    Available,
    /// The button stays inactive until `available_at`.
    NotBefore { available_at: Timestamp },
}

impl ResendStatus {
    /// Returns the whole seconds left until a resend, rounded up, for the
    /// countdown on the button; 0 when it is available.
    pub fn seconds_left(self, now: Timestamp) -> i64 {
        match self {
            ResendStatus::Available => 0,
            ResendStatus::NotBefore { available_at } => {
                let left = available_at.duration_since(now);
                let seconds = left.as_secs() + i64::from(left.subsec_nanos() > 0);
                seconds.max(0)
            }
        }
    }
}

/// Returns `instant + duration`, clamped to the range of [`Timestamp`].
fn add_saturating(instant: Timestamp, duration: SignedDuration) -> Timestamp {
    instant
        .checked_add(duration)
        .unwrap_or(if duration.is_negative() {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
}

/// The record of one issued code: when it was issued, how many wrong
/// entries it has had and whether it was used. The code itself is not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeCodeState {
    issued_at: Timestamp,
    wrong_attempts: u8,
    used: bool,
    policy: OneTimeCodePolicy,
}

impl OneTimeCodeState {
    /// Starts the state of a code issued at `now`.
    pub fn issue(now: Timestamp, policy: OneTimeCodePolicy) -> OneTimeCodeState {
        OneTimeCodeState {
            issued_at: now,
            wrong_attempts: 0,
            used: false,
            policy,
        }
    }

    /// Returns the instant the code was issued.
    pub fn issued_at(&self) -> Timestamp {
        self.issued_at
    }

    /// Returns the first instant at which the code is no longer valid.
    pub fn expires_at(&self) -> Timestamp {
        add_saturating(self.issued_at, self.policy.validity)
    }

    /// Returns the number of wrong entries so far.
    pub fn wrong_attempts(&self) -> u8 {
        self.wrong_attempts
    }

    /// Returns how many wrong entries the code still survives.
    pub fn attempts_left(&self) -> u8 {
        self.policy.max_attempts.saturating_sub(self.wrong_attempts)
    }

    /// Tells whether the code was already accepted once.
    pub fn is_used(&self) -> bool {
        self.used
    }

    /// Returns the limits this code is checked against.
    pub fn policy(&self) -> OneTimeCodePolicy {
        self.policy
    }

    /// Checks an entered code at `now`. `matches` compares the parsed code
    /// with what the caller stored, and is called only for a well-formed
    /// entry of a code that is still usable.
    ///
    /// A wrong entry counts as an attempt; a malformed one does not, because
    /// the screen rejects it before it is sent. An accepted code is marked
    /// used.
    ///
    /// # Errors
    ///
    /// Checked in this order:
    /// - [`OneTimeCodeError::AlreadyUsed`], [`OneTimeCodeError::Exhausted`]
    ///   or [`OneTimeCodeError::Expired`] when the code can no longer be
    ///   accepted;
    /// - [`OneTimeCodeError::Format`] for an entry that is not 6 digits;
    /// - [`OneTimeCodeError::Wrong`] for a wrong code with attempts left, and
    ///   `Exhausted` when the wrong entry was the last attempt.
    pub fn verify(
        &mut self,
        now: Timestamp,
        entered: &str,
        matches: impl FnOnce(&OneTimeCode) -> bool,
    ) -> Result<(), OneTimeCodeError> {
        if self.used {
            return Err(OneTimeCodeError::AlreadyUsed);
        }
        if self.attempts_left() == 0 {
            return Err(OneTimeCodeError::Exhausted);
        }
        if now >= self.expires_at() {
            return Err(OneTimeCodeError::Expired);
        }

        let code = OneTimeCode::parse(entered)?;
        if matches(&code) {
            self.used = true;
            return Ok(());
        }

        self.wrong_attempts = self.wrong_attempts.saturating_add(1);
        match self.attempts_left() {
            0 => Err(OneTimeCodeError::Exhausted),
            attempts_left => Err(OneTimeCodeError::Wrong { attempts_left }),
        }
    }

    /// Tells whether a new code may be sent at `now`, and if not, from when.
    pub fn can_resend(&self, now: Timestamp) -> ResendStatus {
        let available_at = add_saturating(self.issued_at, self.policy.resend_after);
        if now >= available_at {
            ResendStatus::Available
        } else {
            ResendStatus::NotBefore { available_at }
        }
    }
}

#[cfg(test)]
mod tests;
