//! ОГРН and ОГРНИП, the state registration numbers of a legal entity (13
//! digits) and of a sole proprietor (15 digits), each ending in a check
//! digit.
//!
//! Only the check digit is verified here. Whether the number is in the
//! state register, and to whom it belongs, is the tax service's check.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Whose registration number it is, which its length decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OgrnKind {
    /// ОГРН: 13 digits.
    LegalEntity,
    /// ОГРНИП: 15 digits.
    SoleProprietor,
}

/// An ОГРН or ОГРНИП whose check digit matches, stored as its digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ogrn {
    digits: String,
    kind: OgrnKind,
}

/// Why a string is not a valid ОГРН or ОГРНИП.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum OgrnError {
    /// Something other than digits.
    #[error("a registration number contains only digits")]
    Characters,
    /// Not the 13 digits of an ОГРН or the 15 of an ОГРНИП.
    #[error("a registration number of this kind has {expected} digits, not {digits}")]
    Length { expected: usize, digits: usize },
    /// The last digit does not match the others.
    #[error("the check digit of the registration number does not match the other digits")]
    Checksum,
}

/// Computes the check digit of an ОГРН: its first 12 digits read as one
/// number, modulo 11, then modulo 10.
pub fn ogrn_check_digit(first_twelve: u64) -> u8 {
    u8::try_from(first_twelve % 11 % 10).expect("a value modulo 10 fits in u8")
}

/// Computes the check digit of an ОГРНИП: its first 14 digits read as one
/// number, modulo 13, then modulo 10.
pub fn ogrnip_check_digit(first_fourteen: u64) -> u8 {
    u8::try_from(first_fourteen % 13 % 10).expect("a value modulo 10 fits in u8")
}

/// Parses an ОГРН (13 digits) or an ОГРНИП (15 digits), as `kind` requires,
/// and verifies its check digit. Surrounding spaces are trimmed.
pub fn parse_ogrn(raw: &str, kind: OgrnKind) -> Result<Ogrn, OgrnError> {
    let digits = raw.trim();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OgrnError::Characters);
    }
    let expected = match kind {
        OgrnKind::LegalEntity => 13,
        OgrnKind::SoleProprietor => 15,
    };
    if digits.len() != expected {
        return Err(OgrnError::Length {
            expected,
            digits: digits.len(),
        });
    }

    let (body, last) = digits.split_at(expected - 1);
    let body: u64 = body.parse().expect("at most 14 ASCII digits fit in u64");
    let check = match kind {
        OgrnKind::LegalEntity => ogrn_check_digit(body),
        OgrnKind::SoleProprietor => ogrnip_check_digit(body),
    };
    if last.as_bytes()[0] - b'0' != check {
        return Err(OgrnError::Checksum);
    }
    Ok(Ogrn {
        digits: digits.to_owned(),
        kind,
    })
}

impl Ogrn {
    /// Returns whether this is an ОГРН or an ОГРНИП.
    pub fn kind(&self) -> OgrnKind {
        self.kind
    }

    /// Returns the digits, such as `1027700132195`.
    pub fn as_str(&self) -> &str {
        &self.digits
    }
}

impl fmt::Display for Ogrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_of_both_kinds() {
        // 102770013219 mod 11 = 5, so the 13th digit is 5.
        let ogrn = parse_ogrn("1027700132195", OgrnKind::LegalEntity).unwrap();
        assert_eq!(ogrn.as_str(), "1027700132195");
        assert_eq!(ogrn.kind(), OgrnKind::LegalEntity);

        // 30450011600015 mod 13 = 7, so the 15th digit is 7.
        let ogrnip = parse_ogrn("304500116000157", OgrnKind::SoleProprietor).unwrap();
        assert_eq!(ogrnip.as_str(), "304500116000157");
        assert_eq!(ogrnip.kind(), OgrnKind::SoleProprietor);
    }

    #[test]
    fn check_digit_of_remainder_ten_is_zero() {
        // 10 mod 11 = 10, then 10 mod 10 = 0.
        assert_eq!(ogrn_check_digit(10), 0);
        // 23 mod 13 = 10, then 10 mod 10 = 0.
        assert_eq!(ogrnip_check_digit(23), 0);
    }

    #[test]
    fn wrong_check_digit_is_rejected() {
        assert_eq!(
            parse_ogrn("1027700132196", OgrnKind::LegalEntity),
            Err(OgrnError::Checksum)
        );
        assert_eq!(
            parse_ogrn("304500116000158", OgrnKind::SoleProprietor),
            Err(OgrnError::Checksum)
        );
    }

    #[test]
    fn wrong_length_and_characters_are_rejected() {
        assert_eq!(
            parse_ogrn("304500116000157", OgrnKind::LegalEntity),
            Err(OgrnError::Length {
                expected: 13,
                digits: 15
            })
        );
        assert_eq!(
            parse_ogrn("1027700132195", OgrnKind::SoleProprietor),
            Err(OgrnError::Length {
                expected: 15,
                digits: 13
            })
        );
        assert_eq!(
            parse_ogrn("10277001321-5", OgrnKind::LegalEntity),
            Err(OgrnError::Characters)
        );
    }
}
