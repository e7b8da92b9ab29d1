//! Exact ATRs of signature tokens whose historical bytes do not carry the
//! product name, so [`super::atr`] cannot recognise them by name.
//!
//! Source: `smartcard_list.txt` of pcsc-tools 1.6.2 (Debian package
//! `pcsc-tools`), Ludovic Rousseau's public list of ATRs reported by
//! card owners. Each entry was checked against the ATR parser below.

/// The signature token brand an exact ATR belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenBrand {
    /// Aktiv Rutoken, with the model name.
    Rutoken(&'static str),
    /// Aladdin R.D. JaCarta.
    JaCarta,
}

/// ATRs in hex, each with its token. Several Rutoken ECP 3.0 ATRs look like
/// a contactless chip's pseudo-ATR (`3B 8n 80 01`), so this table is
/// consulted before that rule.
pub(crate) const TOKEN_ATRS: &[(&str, TokenBrand)] = &[
    (
        "3B 6F 00 FF 00 56 72 75 54 6F 6B 6E 73 30 20 00 00 90 00",
        TokenBrand::Rutoken("Rutoken S"),
    ),
    (
        "3B 8B 01 52 74 50 49 4E 50 61 64 20 20 32 9C",
        TokenBrand::Rutoken("Rutoken PINPad"),
    ),
    (
        "3B 98 96 00 80 31 C0 72 F7 41 81 07",
        TokenBrand::Rutoken("Rutoken Magistra"),
    ),
    (
        "3B 88 80 01 52 74 53 43 77 81 83 20 6A",
        TokenBrand::Rutoken("Rutoken ECP 3.0 NFC"),
    ),
    (
        "3B 8C 80 01 50 5C 4B 71 A1 52 74 53 43 77 81 83 D9",
        TokenBrand::Rutoken("Rutoken ECP 3.0"),
    ),
    (
        "3B DC 18 FF 81 91 FE 1F C3 80 73 C8 21 13 66 01 06 11 59 00 01 28",
        TokenBrand::JaCarta,
    ),
    (
        "3B DC 18 FF 81 11 FE 80 73 C8 21 13 66 01 06 01 30 80 01 8D",
        TokenBrand::JaCarta,
    ),
];

/// Returns the token whose ATR is exactly `atr`.
pub(crate) fn token_by_atr(atr: &[u8]) -> Option<TokenBrand> {
    TOKEN_ATRS
        .iter()
        .find(|(hex, _)| super::hex::decode(hex) == atr)
        .map(|(_, brand)| *brand)
}
