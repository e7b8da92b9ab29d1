//! Hex text for APDU traces and test vectors.

/// Formats bytes as upper-case hex without separators.
pub fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02X}")).collect()
}

/// Decodes hex text, skipping spaces.
///
/// # Panics
///
/// On an odd digit count or a non-hex digit: it is meant for constants in
/// tests and in the virtual chip, never for input from outside.
pub fn decode(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(
        digits.len() % 2 == 0,
        "odd number of hex digits in a constant"
    );
    digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).expect("hex digits are ASCII");
            u8::from_str_radix(text, 16).expect("a constant holds only hex digits")
        })
        .collect()
}
