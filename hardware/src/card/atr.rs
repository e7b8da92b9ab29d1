//! Answer-to-reset parsing per ISO 7816-3, and the table of
//! cards Okno recognises from it.
//!
//! The parser checks structure (TS, T0, the interface byte chain, the
//! historical byte count) and the TCK checksum; it does not negotiate
//! protocols, which pcsc-lite does. Contactless cards reach PC/SC through
//! the pseudo-ATR of PC/SC part 3: `3B 8n 80 01`, then n
//! historical bytes, then TCK.

use std::fmt;

use super::hex;
use super::token_atrs::{token_by_atr, TokenBrand};

/// Bit convention announced by TS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// `3B`
    Direct,
    /// `3F`
    Inverse,
}

/// One group of interface bytes TAi, TBi, TCi, TDi (i from 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InterfaceGroup {
    pub ta: Option<u8>,
    pub tb: Option<u8>,
    pub tc: Option<u8>,
    pub td: Option<u8>,
}

/// A parsed answer to reset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atr {
    raw: Vec<u8>,
    pub convention: Convention,
    /// Interface byte groups in order; group 0 is TA1..TD1.
    pub groups: Vec<InterfaceGroup>,
    pub historical: Vec<u8>,
    /// TCK, present when any protocol other than T=0 is offered.
    pub tck: Option<u8>,
}

/// Failure to parse bytes as an ATR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AtrError {
    #[error("ATR of {0} bytes is too short: TS and T0 are required")]
    TooShort(usize),
    #[error("ATR starts with {0:02X}; expected TS = 3B (direct) or 3F (inverse)")]
    InvalidTs(u8),
    #[error("ATR ends after {actual} bytes; its interface and historical bytes need {expected}")]
    Truncated { expected: usize, actual: usize },
    #[error("ATR checksum TCK is {actual:02X}; the XOR of T0..TCK must be 00 (expected TCK {expected:02X})")]
    ChecksumMismatch { expected: u8, actual: u8 },
    #[error("ATR has {0} bytes after its last field")]
    TrailingBytes(usize),
    #[error("ATR is longer than the 33 bytes ISO 7816-3 allows ({0} bytes)")]
    TooLong(usize),
}

impl Atr {
    /// Parses and checks an ATR.
    pub fn parse(bytes: &[u8]) -> Result<Self, AtrError> {
        if bytes.len() < 2 {
            return Err(AtrError::TooShort(bytes.len()));
        }
        if bytes.len() > 33 {
            return Err(AtrError::TooLong(bytes.len()));
        }
        let convention = match bytes[0] {
            0x3B => Convention::Direct,
            0x3F => Convention::Inverse,
            other => return Err(AtrError::InvalidTs(other)),
        };
        let t0 = bytes[1];
        let historical_len = usize::from(t0 & 0x0F);

        // Walk the interface byte chain: each Y nibble says which of TA..TD follow.
        let mut groups = Vec::new();
        let mut position = 2;
        let mut y = t0 >> 4;
        let mut offers_non_t0 = false;
        loop {
            let mut group = InterfaceGroup::default();
            let needed = position + (y.count_ones() as usize);
            if bytes.len() < needed {
                return Err(AtrError::Truncated {
                    expected: needed,
                    actual: bytes.len(),
                });
            }
            for (bit, slot) in [
                (0x1, &mut group.ta),
                (0x2, &mut group.tb),
                (0x4, &mut group.tc),
                (0x8, &mut group.td),
            ] {
                if y & bit != 0 {
                    *slot = Some(bytes[position]);
                    position += 1;
                }
            }
            groups.push(group);
            match group.td {
                Some(td) => {
                    if td & 0x0F != 0 {
                        offers_non_t0 = true;
                    }
                    y = td >> 4;
                }
                None => break,
            }
        }

        let historical_end = position + historical_len;
        let expected_len = historical_end + usize::from(offers_non_t0);
        if bytes.len() < expected_len {
            return Err(AtrError::Truncated {
                expected: expected_len,
                actual: bytes.len(),
            });
        }
        if bytes.len() > expected_len {
            return Err(AtrError::TrailingBytes(bytes.len() - expected_len));
        }
        let historical = bytes[position..historical_end].to_vec();

        let tck = if offers_non_t0 {
            let checksum = bytes[1..].iter().fold(0u8, |acc, byte| acc ^ byte);
            let actual = bytes[historical_end];
            if checksum != 0 {
                return Err(AtrError::ChecksumMismatch {
                    expected: actual ^ checksum,
                    actual,
                });
            }
            Some(actual)
        } else {
            None
        };

        Ok(Atr {
            raw: bytes.to_vec(),
            convention,
            groups,
            historical,
            tck,
        })
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.raw
    }

    /// Protocols offered in TD bytes (T=0 when none is named).
    pub fn protocols(&self) -> Vec<u8> {
        let mut protocols: Vec<u8> = self
            .groups
            .iter()
            .filter_map(|g| g.td)
            .map(|td| td & 0x0F)
            .collect();
        protocols.dedup();
        if protocols.is_empty() {
            protocols.push(0);
        }
        protocols
    }

    /// Classifies the card from its ATR.
    pub fn card_kind(&self) -> CardKind {
        identify(self)
    }
}

impl fmt::Display for Atr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = hex::encode(&self.raw);
        let mut first = true;
        for pair in text.as_bytes().chunks(2) {
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            f.write_str(std::str::from_utf8(pair).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

/// Kind of card an ATR belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardKind {
    /// An ISO 14443-4 contactless chip seen through the PC/SC part 3
    /// pseudo-ATR; chip passports and ID cards are of this kind.
    ContactlessChip { historical: Vec<u8> },
    /// A contactless memory card (MIFARE and similar), with the PC/SC part 3
    /// card name code.
    ContactlessStorage { standard: u8, name: StorageCardName },
    /// A Rutoken signature token (Aktiv).
    Rutoken { model: String },
    /// A JaCarta signature token (Aladdin R.D.).
    JaCarta,
    /// A contact card Okno has no entry for.
    Unknown,
}

/// Card name codes from the PC/SC part 3 supplemental document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageCardName {
    MifareClassic1k,
    MifareClassic4k,
    MifareUltralight,
    MifareMini,
    Other(u16),
}

impl CardKind {
    /// Describes the kind in Russian, for technicians and operators.
    pub fn describe_ru(&self) -> String {
        match self {
            CardKind::ContactlessChip { .. } => {
                "бесконтактный микропроцессорный чип (паспорт, ID-карта или банковская карта)"
                    .to_owned()
            }
            CardKind::ContactlessStorage { name, .. } => match name {
                StorageCardName::MifareClassic1k => {
                    "бесконтактная карта памяти MIFARE Classic 1K".to_owned()
                }
                StorageCardName::MifareClassic4k => {
                    "бесконтактная карта памяти MIFARE Classic 4K".to_owned()
                }
                StorageCardName::MifareUltralight => {
                    "бесконтактная карта памяти MIFARE Ultralight".to_owned()
                }
                StorageCardName::MifareMini => "бесконтактная карта памяти MIFARE Mini".to_owned(),
                StorageCardName::Other(code) => {
                    format!("бесконтактная карта памяти (код {code:04X})")
                }
            },
            CardKind::Rutoken { model } => format!("токен электронной подписи Рутокен ({model})"),
            CardKind::JaCarta => "токен электронной подписи JaCarta".to_owned(),
            CardKind::Unknown => {
                "неизвестная карта: это не паспорт и не известный токен".to_owned()
            }
        }
    }

    /// Returns true when the card may be a chip passport or ID card.
    pub fn may_be_travel_document(&self) -> bool {
        matches!(self, CardKind::ContactlessChip { .. })
    }
}

/// The registered application provider id prefix PC/SC part 3 puts in the
/// historical bytes of a storage card's pseudo-ATR.
const PCSC_STORAGE_RID: [u8; 8] = [0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06];

fn identify(atr: &Atr) -> CardKind {
    match token_by_atr(atr.as_bytes()) {
        Some(TokenBrand::Rutoken(model)) => {
            return CardKind::Rutoken {
                model: model.to_owned(),
            }
        }
        Some(TokenBrand::JaCarta) => return CardKind::JaCarta,
        None => {}
    }

    let is_contactless_pseudo_atr = atr.convention == Convention::Direct
        && atr.groups.len() == 3
        && atr.groups[0]
            == InterfaceGroup {
                td: Some(0x80),
                ..Default::default()
            }
        && atr.groups[1]
            == InterfaceGroup {
                td: Some(0x01),
                ..Default::default()
            }
        && atr.groups[2] == InterfaceGroup::default();
    if is_contactless_pseudo_atr {
        let historical = &atr.historical;
        if historical.len() >= 11 && historical[..8] == PCSC_STORAGE_RID {
            let standard = historical[8];
            let code = u16::from_be_bytes([historical[9], historical[10]]);
            let name = match code {
                0x0001 => StorageCardName::MifareClassic1k,
                0x0002 => StorageCardName::MifareClassic4k,
                0x0003 => StorageCardName::MifareUltralight,
                0x0026 => StorageCardName::MifareMini,
                other => StorageCardName::Other(other),
            };
            return CardKind::ContactlessStorage { standard, name };
        }
        return CardKind::ContactlessChip {
            historical: historical.clone(),
        };
    }

    // Tokens are matched by the product name they carry in ASCII in their
    // historical bytes ("Rutoken ECP", "ruToken s0 ...", "JaCarta ...").
    let text: String = atr
        .historical
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                ' '
            }
        })
        .collect();
    let lower = text.to_ascii_lowercase();
    if let Some(start) = lower.find("rutoken") {
        let model = text[start..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        return CardKind::Rutoken { model };
    }
    // NOTE: a JaCarta or Rutoken whose ATR is neither in the exact table
    // (`token_atrs`) nor carries the product name shows as unknown.
    if lower.contains("jacarta") {
        return CardKind::JaCarta;
    }
    CardKind::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Atr, AtrError> {
        Atr::parse(&hex::decode(text))
    }

    #[test]
    fn contactless_pseudo_atr_is_a_chip() {
        // ISO 14443-4 type A chip with 8 historical bytes from its ATS.
        let atr = parse("3B 88 80 01 00 00 00 00 00 00 00 00 09").unwrap();
        assert_eq!(atr.convention, Convention::Direct);
        assert_eq!(atr.protocols(), vec![0, 1]);
        assert_eq!(atr.historical, vec![0; 8]);
        assert_eq!(atr.tck, Some(0x09));
        assert!(atr.card_kind().may_be_travel_document());
    }

    #[test]
    fn mifare_classic_storage_card() {
        let atr = parse("3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A").unwrap();
        assert_eq!(
            atr.card_kind(),
            CardKind::ContactlessStorage {
                standard: 0x03,
                name: StorageCardName::MifareClassic1k
            }
        );
    }

    #[test]
    fn rutoken_by_name() {
        // T=1 ATR whose historical bytes read "Rutoken ECP".
        let atr = parse("3B 8B 01 52 75 74 6F 6B 65 6E 20 45 43 50 A0").unwrap();
        assert_eq!(atr.historical, b"Rutoken ECP".to_vec());
        assert_eq!(
            atr.card_kind(),
            CardKind::Rutoken {
                model: "Rutoken ECP".to_owned()
            }
        );
    }

    #[test]
    fn published_token_atrs_are_recognised() {
        for (text, brand) in crate::card::token_atrs::TOKEN_ATRS {
            let atr = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let expected = match brand {
                TokenBrand::Rutoken(model) => CardKind::Rutoken {
                    model: (*model).to_owned(),
                },
                TokenBrand::JaCarta => CardKind::JaCarta,
            };
            assert_eq!(atr.card_kind(), expected, "ATR {text}");
            assert!(!atr.card_kind().may_be_travel_document(), "ATR {text}");
        }
    }

    #[test]
    fn t0_only_atr_has_no_tck() {
        // TA1 TB1 TC1 present, no TD1: T=0 only, so no checksum byte.
        let atr = parse("3B 75 13 00 00 47 09 EA 90 00 00").unwrap_err();
        assert_eq!(atr, AtrError::TrailingBytes(1));
        let atr = parse("3B 75 13 00 00 47 09 EA 90 00").unwrap();
        assert_eq!(atr.tck, None);
        assert_eq!(
            atr.groups[0],
            InterfaceGroup {
                ta: Some(0x13),
                tb: Some(0),
                tc: Some(0),
                td: None
            }
        );
        assert_eq!(atr.historical, hex::decode("47 09 EA 90 00"));
        assert_eq!(atr.card_kind(), CardKind::Unknown);
    }

    #[test]
    fn wrong_checksum_is_rejected() {
        assert_eq!(
            parse("3B 88 80 01 00 00 00 00 00 00 00 00 08"),
            Err(AtrError::ChecksumMismatch {
                expected: 0x09,
                actual: 0x08
            })
        );
    }

    #[test]
    fn malformed_atrs_are_rejected() {
        assert_eq!(parse("3B"), Err(AtrError::TooShort(1)));
        assert_eq!(parse("3A 00"), Err(AtrError::InvalidTs(0x3A)));
        assert_eq!(
            parse("3B 88 80 01 00 00"),
            Err(AtrError::Truncated {
                expected: 13,
                actual: 6
            })
        );
        assert_eq!(
            parse("3B F0"),
            Err(AtrError::Truncated {
                expected: 6,
                actual: 2
            })
        );
    }

    #[test]
    fn inverse_convention_is_recognised() {
        let atr = parse("3F 00").unwrap();
        assert_eq!(atr.convention, Convention::Inverse);
    }

    #[test]
    fn display_is_spaced_hex() {
        assert_eq!(
            parse("3B 80 80 01 01").unwrap().to_string(),
            "3B 80 80 01 01"
        );
    }
}
