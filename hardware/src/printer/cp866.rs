//! Text to CP866 bytes, with printable replacements for characters CP866
//! lacks, so no raw UTF-8 ever reaches the printer.
//!
//! [`normalize`] rewrites a string into the characters the encoder sends:
//! printable ASCII and the 66 Cyrillic letters. Typographic quotes and
//! dashes become `"` and `-`, `₽` becomes `руб.`, `№` becomes `N`, and
//! anything without a sensible equivalent (emoji, most scripts) becomes `?`.
//! Layouts measure text after [`normalize`], because a replacement can
//! change its length. `№` is replaced even though IBM866 places it at 0xFC:
//! the encoder keeps to the letters so that output does not depend on how a
//! printer model fills the symbol row 0xF2–0xFF.
//!
//! Selecting the code page (`ESC t n`) is the job builder's work.

/// Characters of bytes 0x80–0xFF in IBM code page 866, in byte order.
const UPPER_HALF: [char; 128] = [
    'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И', 'Й', 'К', 'Л', 'М', 'Н', 'О', 'П', //
    'Р', 'С', 'Т', 'У', 'Ф', 'Х', 'Ц', 'Ч', 'Ш', 'Щ', 'Ъ', 'Ы', 'Ь', 'Э', 'Ю', 'Я', //
    'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'й', 'к', 'л', 'м', 'н', 'о', 'п', //
    '░', '▒', '▓', '│', '┤', '╡', '╢', '╖', '╕', '╣', '║', '╗', '╝', '╜', '╛', '┐', //
    '└', '┴', '┬', '├', '─', '┼', '╞', '╟', '╚', '╔', '╩', '╦', '╠', '═', '╬', '╧', //
    '╨', '╤', '╥', '╙', '╘', '╒', '╓', '╫', '╪', '┘', '┌', '█', '▄', '▌', '▐', '▀', //
    'р', 'с', 'т', 'у', 'ф', 'х', 'ц', 'ч', 'ш', 'щ', 'ъ', 'ы', 'ь', 'э', 'ю', 'я', //
    'Ё', 'ё', 'Є', 'є', 'Ї', 'ї', 'Ў', 'ў', '°', '∙', '·', '√', '№', '¤', '■', '\u{a0}',
];

/// Returns the character CP866 assigns to `byte`; bytes below 0x80 are ASCII.
pub fn decode_byte(byte: u8) -> char {
    match byte {
        0x00..=0x7F => char::from(byte),
        0x80..=0xFF => UPPER_HALF[usize::from(byte - 0x80)],
    }
}

/// Returns the CP866 byte for a character [`normalize`] can output, or
/// `None` for any other character.
fn encode_char(c: char) -> Option<u8> {
    let byte = match c {
        ' '..='~' => c as u8,
        'А'..='Я' => 0x80 + (c as u32 - 'А' as u32) as u8,
        'а'..='п' => 0xA0 + (c as u32 - 'а' as u32) as u8,
        'р'..='я' => 0xE0 + (c as u32 - 'р' as u32) as u8,
        'Ё' => 0xF0,
        'ё' => 0xF1,
        _ => return None,
    };
    Some(byte)
}

/// Rewrites `text` into characters the encoder sends, one printed cell
/// each. Control characters, line breaks included, become spaces: callers
/// split lines before calling this.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if encode_char(c).is_some() {
            out.push(c);
            continue;
        }
        match c {
            // A decomposed й or ё: the base letter is already in `out`.
            '\u{306}' | '\u{308}' => {
                let composed = match (out.chars().last(), c) {
                    (Some('и'), '\u{306}') => Some('й'),
                    (Some('И'), '\u{306}') => Some('Й'),
                    (Some('е'), '\u{308}') => Some('ё'),
                    (Some('Е'), '\u{308}') => Some('Ё'),
                    _ => None,
                };
                if let Some(composed) = composed {
                    out.pop();
                    out.push(composed);
                }
            }
            // Other combining marks, zero-width characters and emoji
            // variation selectors print nothing.
            '\u{300}'..='\u{36F}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            '\u{FE00}'..='\u{FE0F}' => {}
            c if c.is_control() => out.push(' '),
            _ => out.push_str(replacement(c)),
        }
    }
    out
}

/// Returns the printable stand-in for a character CP866 (as the encoder
/// uses it) lacks.
fn replacement(c: char) -> &'static str {
    match c {
        '«' | '»' | '“' | '”' | '„' | '‟' | '″' => "\"",
        '‘' | '’' | '‚' | '‛' | '′' => "'",
        '—' | '–' | '‒' | '―' | '‐' | '‑' | '−' => "-",
        '₽' => "руб.",
        '№' => "N",
        '…' => "...",
        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
        '•' | '∙' | '·' => "*",
        '×' => "x",
        '≈' | '∼' => "~",
        '€' => "EUR",
        // Ukrainian and Belarusian letters: the nearest Russian or Latin one.
        'і' | 'ї' => "i",
        'І' | 'Ї' => "I",
        'є' => "е",
        'Є' => "Е",
        'ў' => "у",
        'Ў' => "У",
        // Latin letters with diacritics: the bare letter.
        'À'..='Å' => "A",
        'à'..='å' => "a",
        'Ç' => "C",
        'ç' => "c",
        'È'..='Ë' => "E",
        'è'..='ë' => "e",
        'Ì'..='Ï' => "I",
        'ì'..='ï' => "i",
        'Ñ' => "N",
        'ñ' => "n",
        'Ò'..='Ö' | 'Ø' => "O",
        'ò'..='ö' | 'ø' => "o",
        'Ù'..='Ü' => "U",
        'ù'..='ü' => "u",
        'Ý' => "Y",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        _ => "?",
    }
}

/// Encodes `text` as CP866 after [`normalize`]; every output byte is
/// printable ASCII or a Cyrillic letter.
pub fn encode(text: &str) -> Vec<u8> {
    normalize(text)
        .chars()
        .map(|c| encode_char(c).expect("normalize outputs only encodable characters"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_every_russian_letter() {
        let upper = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ";
        let lower = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
        for letter in upper.chars().chain(lower.chars()) {
            let bytes = encode(&letter.to_string());
            assert_eq!(bytes.len(), 1, "{letter}");
            assert_eq!(decode_byte(bytes[0]), letter);
        }
        assert_eq!(encode("Ёё"), [0xF0, 0xF1]);
        assert_eq!(encode("Ая"), [0x80, 0xEF]);
    }

    #[test]
    fn normalize_replaces_typography() {
        let cases = [
            ("«Госуслуги»", "\"Госуслуги\""),
            ("“да”", "\"да\""),
            ("9:00 — 18:00", "9:00 - 18:00"),
            ("1–2", "1-2"),
            ("100 ₽", "100 руб."),
            ("№ 5", "N 5"),
            ("Ждите…", "Ждите..."),
            ("a\u{a0}b", "a b"),
            ("строка\nещё", "строка ещё"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "{input}");
        }
    }

    #[test]
    fn normalize_replaces_unknown_with_question_mark() {
        assert_eq!(normalize("ok 😀"), "ok ?");
        assert_eq!(normalize("❤\u{fe0f}"), "?");
        assert_eq!(normalize("漢字"), "??");
        assert_eq!(normalize("Café"), "Cafe");
        assert_eq!(normalize("Київ"), "Киiв");
    }

    #[test]
    fn normalize_composes_decomposed_letters() {
        assert_eq!(normalize("и\u{306}од"), "йод");
        assert_eq!(normalize("Е\u{308}лка"), "Ёлка");
        assert_eq!(normalize("a\u{301}"), "a");
    }

    #[test]
    fn encode_never_emits_utf8() {
        let bytes = encode("«Талон» № 5 — 100 ₽ 😀");
        assert_eq!(
            bytes,
            [
                b'"', 0x92, 0xA0, 0xAB, 0xAE, 0xAD, b'"', b' ', b'N', b' ', b'5', b' ', b'-', b' ',
                b'1', b'0', b'0', b' ', 0xE0, 0xE3, 0xA1, b'.', b' ', b'?'
            ]
        );
    }
}
