//! The token PIN and the token's PIN flags.
//!
//! A [`Pin`] keeps its characters in a buffer that is zeroed when it is
//! dropped (through the `secrecy` crate that `cryptoki` logs in with), and
//! its `Debug` output hides them. PKCS#11 tokens do not report a count of
//! tries left; they report three flags (`CKF_USER_PIN_COUNT_LOW`,
//! `CKF_USER_PIN_FINAL_TRY`, `CKF_USER_PIN_LOCKED`), which [`TriesLeft`]
//! mirrors.

use std::fmt;

use cryptoki::types::AuthPin;
use zeroize::Zeroize;

/// A token PIN as the visitor typed it.
pub struct Pin(AuthPin);

impl Pin {
    /// Takes the typed PIN and zeroes the caller's buffer, so the only
    /// copy left is the one this value zeroes on drop.
    pub fn take(typed: &mut String) -> Pin {
        // A boxed `str` has no spare capacity, so the secret takes this
        // allocation as it is and no unzeroed copy is left behind.
        let secret = AuthPin::from(Box::<str>::from(typed.as_str()));
        typed.zeroize();
        Pin(secret)
    }

    pub(crate) fn secret(&self) -> &AuthPin {
        &self.0
    }

    pub(crate) fn char_count(&self) -> usize {
        use secrecy::ExposeSecret;
        self.0.expose_secret().chars().count()
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(hidden)")
    }
}

/// The user PIN flags from a token's `CK_TOKEN_INFO`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PinFlags {
    /// `CKF_USER_PIN_COUNT_LOW`: a wrong PIN was entered since the last
    /// successful login.
    pub count_low: bool,
    /// `CKF_USER_PIN_FINAL_TRY`: one more wrong PIN locks it.
    pub final_try: bool,
    /// `CKF_USER_PIN_LOCKED`: the PIN is locked.
    pub locked: bool,
}

impl PinFlags {
    /// Reads the flags from a token's information.
    pub fn from_token_info(info: &cryptoki::slot::TokenInfo) -> PinFlags {
        PinFlags {
            count_low: info.user_pin_count_low(),
            final_try: info.user_pin_final_try(),
            locked: info.user_pin_locked(),
        }
    }

    /// Returns what the flags say about the tries left before the PIN
    /// locks.
    pub fn tries_left(self) -> TriesLeft {
        if self.final_try {
            TriesLeft::One
        } else if self.count_low {
            TriesLeft::Fewer
        } else {
            TriesLeft::NotReported
        }
    }
}

/// The tries left before a token locks its PIN, as far as the token's
/// flags tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriesLeft {
    /// The token set no flag, so the count is unknown.
    NotReported,
    /// Fewer than the full count, because a wrong PIN was entered since
    /// the last successful login (`CKF_USER_PIN_COUNT_LOW`).
    Fewer,
    /// One: the next wrong PIN locks it (`CKF_USER_PIN_FINAL_TRY`).
    One,
}
