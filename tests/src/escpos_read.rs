//! Reads what a printer received: ESC/POS bytes back to text lines and QR
//! payloads. Written apart from `hardware::printer`'s encoder (and its
//! virtual printer's decoder), so a test that checks printed bytes with it
//! does not check the encoder against itself.
//!
//! Knows the commands a receipt printer needs for text, QR and cutting;
//! anything else is an error naming the byte offset.

/// The content of one stream of printer bytes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Printed {
    /// Text lines in order, decoded from CP866, without trailing spaces.
    pub lines: Vec<String>,
    /// Payloads stored with `GS ( k` function 180 (QR store data).
    pub qr_payloads: Vec<String>,
    /// Raster images (`GS v 0`) skipped.
    pub rasters: usize,
    pub cuts: usize,
}

/// Bytes this reader does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown or cut-off printer command at byte {offset}: {bytes}")]
pub struct ReadError {
    pub offset: usize,
    pub bytes: String,
}

/// CP866 to Unicode; box drawing and other graphics become `?`.
pub fn cp866(byte: u8) -> char {
    match byte {
        0x00..=0x7F => char::from(byte),
        0x80..=0xAF => char::from_u32(0x0410 + u32::from(byte - 0x80)).unwrap_or('?'),
        0xE0..=0xEF => char::from_u32(0x0440 + u32::from(byte - 0xE0)).unwrap_or('?'),
        0xF0 => 'Ё',
        0xF1 => 'ё',
        0xFF => '\u{a0}',
        _ => '?',
    }
}

/// Reads a whole stream.
pub fn read(bytes: &[u8]) -> Result<Printed, ReadError> {
    let mut printed = Printed::default();
    let mut line = Vec::new();
    let mut at = 0;
    let error = |offset: usize| ReadError {
        offset,
        bytes: bytes[offset..bytes.len().min(offset + 8)]
            .iter()
            .map(|byte| format!("{byte:02X}"))
            .collect::<Vec<_>>()
            .join(" "),
    };
    let need = |at: usize, count: usize| {
        if at + count <= bytes.len() {
            Ok(())
        } else {
            Err(error(at))
        }
    };
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => {
                let text: String = line.iter().map(|byte| cp866(*byte)).collect();
                printed.lines.push(text.trim_end().to_owned());
                line.clear();
                at += 1;
            }
            // ESC
            0x1B => {
                need(at, 2)?;
                match bytes[at + 1] {
                    b'@' => at += 2,
                    b't' | b'E' | b'a' | b'd' | b'!' | b'-' | b'M' | b'J' => {
                        need(at, 3)?;
                        at += 3;
                    }
                    _ => return Err(error(at)),
                }
            }
            // GS
            0x1D => {
                need(at, 2)?;
                match bytes[at + 1] {
                    b'!' => {
                        need(at, 3)?;
                        at += 3;
                    }
                    b'V' => {
                        need(at, 3)?;
                        printed.cuts += 1;
                        at += if matches!(bytes[at + 2], 65 | 66) {
                            4
                        } else {
                            3
                        };
                    }
                    b'(' => {
                        need(at, 5)?;
                        let length = usize::from(bytes[at + 3]) | usize::from(bytes[at + 4]) << 8;
                        need(at + 5, length)?;
                        let body = &bytes[at + 5..at + 5 + length];
                        // cn 49 (QR), fn 80 (store data), m 48.
                        if bytes[at + 2] == b'k' && body.starts_with(&[49, 80, 48]) {
                            printed
                                .qr_payloads
                                .push(String::from_utf8_lossy(&body[3..]).into_owned());
                        }
                        at += 5 + length;
                    }
                    b'v' => {
                        need(at, 8)?;
                        let width = usize::from(bytes[at + 4]) | usize::from(bytes[at + 5]) << 8;
                        let height = usize::from(bytes[at + 6]) | usize::from(bytes[at + 7]) << 8;
                        need(at + 8, width * height)?;
                        printed.rasters += 1;
                        at += 8 + width * height;
                    }
                    _ => return Err(error(at)),
                }
            }
            // DLE EOT n: a status query.
            0x10 => {
                need(at, 3)?;
                at += 3;
            }
            b'\r' => at += 1,
            byte if byte < 0x20 => return Err(error(at)),
            byte => {
                line.push(byte);
                at += 1;
            }
        }
    }
    if !line.is_empty() {
        printed.lines.push(
            line.iter()
                .map(|byte| cp866(*byte))
                .collect::<String>()
                .trim_end()
                .to_owned(),
        );
    }
    Ok(printed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_text_qr_and_cut_are_read() {
        let mut bytes = vec![0x1B, b'@', 0x1B, b't', 17, 0x1B, b'a', 1];
        // «Код Р-001» in CP866.
        bytes.extend([0x8A, 0xAE, 0xA4, b' ', 0x90, b'-', b'0', b'0', b'1', b'\n']);
        let payload = b"OKNO:1";
        let length = payload.len() + 3;
        bytes.extend([0x1D, b'(', b'k', length as u8, 0, 49, 80, 48]);
        bytes.extend(payload);
        bytes.extend([0x1D, b'(', b'k', 3, 0, 49, 81, 48]);
        bytes.extend([0x10, 0x04, 1, 0x1D, b'V', 66, 0]);
        let printed = read(&bytes).expect("known commands");
        assert_eq!(printed.lines, ["Код Р-001"]);
        assert_eq!(printed.qr_payloads, ["OKNO:1"]);
        assert_eq!(printed.cuts, 1);
    }

    #[test]
    fn unknown_command_names_its_offset() {
        let error = read(&[b'a', 0x1B, b'Z', 1]).expect_err("ESC Z is unknown");
        assert_eq!(error.offset, 1);
        assert_eq!(error.bytes, "1B 5A 01");
    }

    #[test]
    fn letters_at_the_ends_of_the_cp866_ranges() {
        assert_eq!(cp866(0x80), 'А');
        assert_eq!(cp866(0x9F), 'Я');
        assert_eq!(cp866(0xA0), 'а');
        assert_eq!(cp866(0xAF), 'п');
        assert_eq!(cp866(0xE0), 'р');
        assert_eq!(cp866(0xEF), 'я');
    }
}
