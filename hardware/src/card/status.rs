//! ISO 7816-4 status words (SW1 SW2) and the named errors they map to.
//!
//! A status word that means "more data" (`61xx`) or "wrong Le" (`6Cxx`) is
//! handled by the transport's exchange, not here; this file only names what
//! each word means, keeping the raw value of words it does not know.

use std::fmt;

/// The two trailing bytes of every response APDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusWord(pub u16);

impl StatusWord {
    /// `90 00`: normal processing.
    pub const SUCCESS: StatusWord = StatusWord(0x9000);

    /// Builds a status word from SW1 and SW2.
    pub fn new(sw1: u8, sw2: u8) -> Self {
        StatusWord(u16::from_be_bytes([sw1, sw2]))
    }

    pub fn sw1(self) -> u8 {
        self.0.to_be_bytes()[0]
    }

    pub fn sw2(self) -> u8 {
        self.0.to_be_bytes()[1]
    }

    pub fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }

    /// Returns true for `9000` and for `61xx` (success, more data waiting).
    pub fn is_success(self) -> bool {
        self.0 == 0x9000 || self.sw1() == 0x61
    }

    /// Maps the word to `Ok` for success or a named error otherwise.
    pub fn check(self) -> Result<(), StatusError> {
        if self.is_success() {
            return Ok(());
        }
        Err(StatusError::from(self))
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X}", self.0)
    }
}

/// A status word other than success, named after ISO 7816-4
/// and ICAO 9303 Part 11 where the passport chip gives it a meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    /// `6282`: end of file reached before Le bytes were read.
    #[error("end of file reached before the requested length (6282)")]
    EndOfFile,
    /// `6300`: authentication failed (BAC's EXTERNAL AUTHENTICATE answers this to a wrong key).
    #[error("authentication failed (6300)")]
    AuthenticationFailed,
    /// `63Cx`: verification failed, x tries left.
    #[error("verification failed, {retries_left} tries left ({:04X})", 0x63C0 | *retries_left as u16)]
    VerificationFailed { retries_left: u8 },
    /// `6581`: memory failure.
    #[error("memory failure on the card (6581)")]
    MemoryFailure,
    /// `6700`: wrong length (Lc or Le).
    #[error("wrong length (6700)")]
    WrongLength,
    /// `6882`: secure messaging not supported.
    #[error("secure messaging not supported (6882)")]
    SecureMessagingNotSupported,
    /// `6982`: security status not satisfied (for a passport: access control not done).
    #[error("security status not satisfied (6982)")]
    SecurityStatusNotSatisfied,
    /// `6983`: authentication method blocked.
    #[error("authentication method blocked (6983)")]
    AuthenticationBlocked,
    /// `6985`: conditions of use not satisfied.
    #[error("conditions of use not satisfied (6985)")]
    ConditionsNotSatisfied,
    /// `6986`: command not allowed (no current EF).
    #[error("command not allowed, no file selected (6986)")]
    NoCurrentFile,
    /// `6987`: expected secure messaging data objects missing.
    #[error("secure messaging data objects missing (6987)")]
    SecureMessagingObjectsMissing,
    /// `6988`: secure messaging data objects incorrect (a wrong MAC, for instance).
    #[error("secure messaging data objects incorrect (6988)")]
    SecureMessagingObjectsIncorrect,
    /// `6A80`: incorrect parameters in the command data field.
    #[error("incorrect data field (6A80)")]
    IncorrectData,
    /// `6A81`: function not supported.
    #[error("function not supported (6A81)")]
    FunctionNotSupported,
    /// `6A82`: file or application not found.
    #[error("file or application not found (6A82)")]
    FileNotFound,
    /// `6A86`: incorrect P1 P2.
    #[error("incorrect P1 P2 (6A86)")]
    IncorrectP1P2,
    /// `6A88`: referenced data not found.
    #[error("referenced data not found (6A88)")]
    ReferencedDataNotFound,
    /// `6B00`: wrong parameters P1 P2 (offset outside the file, for READ BINARY).
    #[error("wrong parameters P1 P2, offset outside the file (6B00)")]
    WrongP1P2,
    /// `6Cxx`: wrong Le, the card says xx bytes are available.
    #[error("wrong Le, {available} bytes available ({:04X})", 0x6C00 | *available as u16)]
    WrongLe { available: u8 },
    /// `6D00`: instruction not supported.
    #[error("instruction not supported (6D00)")]
    InstructionNotSupported,
    /// `6E00`: class not supported.
    #[error("class not supported (6E00)")]
    ClassNotSupported,
    /// `6F00`: no precise diagnosis.
    #[error("card error without precise diagnosis (6F00)")]
    NoPreciseDiagnosis,
    /// Any other word, kept as sent.
    #[error("card returned status {0}")]
    Other(StatusWord),
}

impl StatusError {
    /// Returns the status word this error stands for.
    pub fn status_word(self) -> StatusWord {
        let raw = match self {
            StatusError::EndOfFile => 0x6282,
            StatusError::AuthenticationFailed => 0x6300,
            StatusError::VerificationFailed { retries_left } => {
                0x63C0 | u16::from(retries_left & 0x0F)
            }
            StatusError::MemoryFailure => 0x6581,
            StatusError::WrongLength => 0x6700,
            StatusError::SecureMessagingNotSupported => 0x6882,
            StatusError::SecurityStatusNotSatisfied => 0x6982,
            StatusError::AuthenticationBlocked => 0x6983,
            StatusError::ConditionsNotSatisfied => 0x6985,
            StatusError::NoCurrentFile => 0x6986,
            StatusError::SecureMessagingObjectsMissing => 0x6987,
            StatusError::SecureMessagingObjectsIncorrect => 0x6988,
            StatusError::IncorrectData => 0x6A80,
            StatusError::FunctionNotSupported => 0x6A81,
            StatusError::FileNotFound => 0x6A82,
            StatusError::IncorrectP1P2 => 0x6A86,
            StatusError::ReferencedDataNotFound => 0x6A88,
            StatusError::WrongP1P2 => 0x6B00,
            StatusError::WrongLe { available } => 0x6C00 | u16::from(available),
            StatusError::InstructionNotSupported => 0x6D00,
            StatusError::ClassNotSupported => 0x6E00,
            StatusError::NoPreciseDiagnosis => 0x6F00,
            StatusError::Other(word) => return word,
        };
        StatusWord(raw)
    }
}

impl From<StatusWord> for StatusError {
    fn from(word: StatusWord) -> Self {
        match (word.sw1(), word.sw2()) {
            (0x62, 0x82) => StatusError::EndOfFile,
            (0x63, 0x00) => StatusError::AuthenticationFailed,
            (0x63, sw2) if sw2 & 0xF0 == 0xC0 => StatusError::VerificationFailed {
                retries_left: sw2 & 0x0F,
            },
            (0x65, 0x81) => StatusError::MemoryFailure,
            (0x67, 0x00) => StatusError::WrongLength,
            (0x68, 0x82) => StatusError::SecureMessagingNotSupported,
            (0x69, 0x82) => StatusError::SecurityStatusNotSatisfied,
            (0x69, 0x83) => StatusError::AuthenticationBlocked,
            (0x69, 0x85) => StatusError::ConditionsNotSatisfied,
            (0x69, 0x86) => StatusError::NoCurrentFile,
            (0x69, 0x87) => StatusError::SecureMessagingObjectsMissing,
            (0x69, 0x88) => StatusError::SecureMessagingObjectsIncorrect,
            (0x6A, 0x80) => StatusError::IncorrectData,
            (0x6A, 0x81) => StatusError::FunctionNotSupported,
            (0x6A, 0x82) => StatusError::FileNotFound,
            (0x6A, 0x86) => StatusError::IncorrectP1P2,
            (0x6A, 0x88) => StatusError::ReferencedDataNotFound,
            (0x6B, 0x00) => StatusError::WrongP1P2,
            (0x6C, available) => StatusError::WrongLe { available },
            (0x6D, 0x00) => StatusError::InstructionNotSupported,
            (0x6E, 0x00) => StatusError::ClassNotSupported,
            (0x6F, 0x00) => StatusError::NoPreciseDiagnosis,
            _ => StatusError::Other(word),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_words_round_trip() {
        for raw in [
            0x6282, 0x6300, 0x63C2, 0x6581, 0x6700, 0x6882, 0x6982, 0x6983, 0x6985, 0x6986, 0x6987,
            0x6988, 0x6A80, 0x6A81, 0x6A82, 0x6A86, 0x6A88, 0x6B00, 0x6C10, 0x6D00, 0x6E00, 0x6F00,
        ] {
            let error = StatusError::from(StatusWord(raw));
            assert!(
                !matches!(error, StatusError::Other(_)),
                "{raw:04X} has no name"
            );
            assert_eq!(error.status_word(), StatusWord(raw));
        }
    }

    #[test]
    fn unknown_word_keeps_raw_value() {
        let error = StatusWord(0x6A84).check().unwrap_err();
        assert_eq!(error, StatusError::Other(StatusWord(0x6A84)));
        assert_eq!(error.to_string(), "card returned status 6A84");
    }

    #[test]
    fn file_not_found_is_named() {
        assert_eq!(
            StatusWord::new(0x6A, 0x82).check(),
            Err(StatusError::FileNotFound)
        );
    }

    #[test]
    fn success_and_more_data_pass() {
        assert_eq!(StatusWord(0x9000).check(), Ok(()));
        assert_eq!(StatusWord(0x6110).check(), Ok(()));
    }

    #[test]
    fn wrong_le_carries_length() {
        let error = StatusError::from(StatusWord(0x6C1F));
        assert_eq!(error, StatusError::WrongLe { available: 0x1F });
        assert_eq!(error.to_string(), "wrong Le, 31 bytes available (6C1F)");
    }
}
