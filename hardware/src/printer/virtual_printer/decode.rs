//! Decodes the ESC/POS subset Okno emits into a page model: lines of
//! styled text, QR codes and raster images, feeds and cuts.
//!
//! The decoder is strict so that tests catch what a real printer would
//! print wrongly: a byte of 0x80 or above before a code page is selected,
//! a code page other than the profile's CP866 table, QR Model 1, and any
//! command outside the subset are errors. A line wider than the paper is
//! wrapped as a printer would, and noted in [`Page::overflows`].

use crate::printer::cp866;
use crate::printer::escpos::{Align, QrErrorCorrection, TextSize};
use crate::printer::profile::Profile;
use crate::printer::raster::Bitmap;

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub size: TextSize,
    pub bold: bool,
}

/// One printed element, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A printed line; empty spans make an empty line.
    Line { align: Align, spans: Vec<Span> },
    /// `ESC d n`.
    Feed { lines: u8 },
    /// A native QR code (`GS ( k`, Model 2).
    Qr {
        align: Align,
        data: Vec<u8>,
        module_dots: u8,
        correction: QrErrorCorrection,
    },
    /// Consecutive `GS v 0` bands of the same width, joined.
    Raster { align: Align, bitmap: Bitmap },
    /// `GS V`.
    Cut,
}

/// A decoded job.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    pub items: Vec<Item>,
    /// Lines the printer had to wrap because they were wider than the paper.
    pub overflows: Vec<String>,
    /// `DLE EOT n` queries found inside the job.
    pub status_queries: usize,
}

impl Page {
    /// Returns the text of every printed line, spans joined.
    pub fn text_lines(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|item| match item {
                Item::Line { spans, .. } => {
                    Some(spans.iter().map(|span| span.text.as_str()).collect())
                }
                _ => None,
            })
            .collect()
    }

    /// Returns the data of every native QR code.
    pub fn native_qr_data(&self) -> Vec<&[u8]> {
        self.items
            .iter()
            .filter_map(|item| match item {
                Item::Qr { data, .. } => Some(data.as_slice()),
                _ => None,
            })
            .collect()
    }
}

/// A job the decoder rejects, with the byte offset where it failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ESC/POS decoding failed at byte {offset}: {problem}")]
pub struct DecodeError {
    pub offset: usize,
    pub problem: String,
}

/// Character tables the decoder supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeTable {
    /// No `ESC t` since `ESC @`: only ASCII is accepted.
    Unselected,
    Cp866,
}

struct Decoder<'a> {
    bytes: &'a [u8],
    position: usize,
    columns: usize,
    page: Page,
    table: CodeTable,
    cp866_table: u8,
    align: Align,
    size: TextSize,
    bold: bool,
    line: Vec<Span>,
    line_cells: usize,
    line_overflowed: bool,
    qr_data: Vec<u8>,
    qr_module: u8,
    qr_correction: QrErrorCorrection,
    qr_model_2: bool,
}

/// Decodes one job for `profile`'s paper and code page.
pub fn decode(bytes: &[u8], profile: &Profile) -> Result<Page, DecodeError> {
    let mut decoder = Decoder {
        bytes,
        position: 0,
        columns: usize::from(profile.chars_per_line.font_a),
        page: Page::default(),
        table: CodeTable::Unselected,
        cp866_table: profile.code_page,
        align: Align::Left,
        size: TextSize::NORMAL,
        bold: false,
        line: Vec::new(),
        line_cells: 0,
        line_overflowed: false,
        qr_data: Vec::new(),
        qr_module: 3,
        qr_correction: QrErrorCorrection::L,
        qr_model_2: false,
    };
    decoder.run()?;
    if !decoder.line.is_empty() {
        // Text without a final LF stays in the printer's buffer unprinted.
        let offset = decoder.bytes.len();
        return Err(decoder.error_at(
            offset,
            "text at the end of the job was never printed (no LF)",
        ));
    }
    Ok(decoder.page)
}

impl<'a> Decoder<'a> {
    fn run(&mut self) -> Result<(), DecodeError> {
        while self.position < self.bytes.len() {
            let start = self.position;
            let byte = self.next()?;
            match byte {
                0x0A => self.end_line(),
                0x1B => self.escape(start)?,
                0x1D => self.group_separator(start)?,
                0x10 => {
                    let (eot, query) = (self.next()?, self.next()?);
                    if eot != 0x04 || !(1..=4).contains(&query) {
                        return Err(
                            self.error_at(start, "DLE is followed by something other than EOT 1-4")
                        );
                    }
                    self.page.status_queries += 1;
                }
                0x20..=0x7E => self.push_char(char::from(byte)),
                0x80..=0xFF => match self.table {
                    CodeTable::Cp866 => self.push_char(cp866::decode_byte(byte)),
                    CodeTable::Unselected => {
                        return Err(self.error_at(
                            start,
                            &format!("byte 0x{byte:02X} outside a selected code page"),
                        ))
                    }
                },
                _ => {
                    return Err(
                        self.error_at(start, &format!("unexpected control byte 0x{byte:02X}"))
                    )
                }
            }
        }
        Ok(())
    }

    fn escape(&mut self, start: usize) -> Result<(), DecodeError> {
        let command = self.next()?;
        match command {
            b'@' => {
                self.require_line_empty(start, "ESC @")?;
                self.table = CodeTable::Unselected;
                self.align = Align::Left;
                self.size = TextSize::NORMAL;
                self.bold = false;
                self.qr_model_2 = false;
            }
            b't' => {
                let n = self.next()?;
                if n != self.cp866_table {
                    return Err(self.error_at(
                        start,
                        &format!(
                            "ESC t {n} selects a table the profile does not map; its CP866 table is {}",
                            self.cp866_table
                        ),
                    ));
                }
                self.table = CodeTable::Cp866;
            }
            b'E' => self.bold = self.next()? & 1 == 1,
            b'a' => {
                self.require_line_empty(start, "ESC a")?;
                self.align = match self.next()? {
                    0 | b'0' => Align::Left,
                    1 | b'1' => Align::Center,
                    2 | b'2' => Align::Right,
                    n => {
                        return Err(self.error_at(start, &format!("ESC a {n} is not an alignment")))
                    }
                };
            }
            b'd' => {
                let lines = self.next()?;
                self.flush_line();
                self.page.items.push(Item::Feed { lines });
            }
            other => {
                return Err(self.error_at(
                    start,
                    &format!("ESC 0x{other:02X} is outside the decoded subset"),
                ))
            }
        }
        Ok(())
    }

    fn group_separator(&mut self, start: usize) -> Result<(), DecodeError> {
        let command = self.next()?;
        match command {
            b'!' => self.size = TextSize::from_byte(self.next()?),
            b'V' => {
                let mode = self.next()?;
                if matches!(mode, 65 | 66) {
                    self.next()?;
                } else if !matches!(mode, 0 | 1 | 48 | 49) {
                    return Err(self.error_at(start, &format!("GS V {mode} is not a cut mode")));
                }
                self.flush_line();
                self.page.items.push(Item::Cut);
            }
            b'(' => {
                if self.next()? != b'k' {
                    return Err(self.error_at(start, "GS ( is decoded only as GS ( k (QR)"));
                }
                self.qr_function(start)?;
            }
            b'v' => {
                if self.next()? != b'0' {
                    return Err(self.error_at(start, "GS v is decoded only as GS v 0 (raster)"));
                }
                self.raster(start)?;
            }
            other => {
                return Err(self.error_at(
                    start,
                    &format!("GS 0x{other:02X} is outside the decoded subset"),
                ))
            }
        }
        Ok(())
    }

    fn qr_function(&mut self, start: usize) -> Result<(), DecodeError> {
        let length = usize::from(u16::from_le_bytes([self.next()?, self.next()?]));
        let params = self.take(length)?;
        let [symbol, function, rest @ ..] = params else {
            return Err(self.error_at(
                start,
                "GS ( k is shorter than its symbol and function bytes",
            ));
        };
        if *symbol != 49 {
            return Err(self.error_at(
                start,
                &format!("GS ( k symbol type {symbol} is not QR (49)"),
            ));
        }
        match (function, rest) {
            (65, [model, _]) => match model {
                50 => self.qr_model_2 = true,
                other => {
                    return Err(self.error_at(
                        start,
                        &format!("QR model byte {other} selected; Okno prints only Model 2 (50)"),
                    ))
                }
            },
            (67, [module]) => self.qr_module = *module,
            (69, [level]) => {
                self.qr_correction = QrErrorCorrection::from_byte(*level).ok_or_else(|| {
                    self.error_at(start, &format!("QR error correction byte {level} is not 48-51"))
                })?;
            }
            (80, [48, data @ ..]) => self.qr_data = data.to_vec(),
            (81, [48]) => {
                if !self.qr_model_2 {
                    return Err(self.error_at(start, "QR printed without selecting Model 2 (printers default to Model 1)"));
                }
                self.flush_line();
                self.page.items.push(Item::Qr {
                    align: self.align,
                    data: std::mem::take(&mut self.qr_data),
                    module_dots: self.qr_module,
                    correction: self.qr_correction,
                });
            }
            _ => {
                return Err(self.error_at(start, &format!("GS ( k function {function} with {} parameter bytes is outside the decoded subset", rest.len())))
            }
        }
        Ok(())
    }

    fn raster(&mut self, start: usize) -> Result<(), DecodeError> {
        let mode = self.next()?;
        if mode != 0 {
            return Err(self.error_at(
                start,
                &format!("GS v 0 mode {mode} (scaled) is outside the decoded subset"),
            ));
        }
        let bytes_per_row = u16::from_le_bytes([self.next()?, self.next()?]);
        let rows = u16::from_le_bytes([self.next()?, self.next()?]);
        let data = self
            .take(usize::from(bytes_per_row) * usize::from(rows))?
            .to_vec();
        let band = Bitmap::from_packed(bytes_per_row, rows, data)
            .ok_or_else(|| self.error_at(start, "raster band length does not match its header"))?;
        self.flush_line();

        if let Some(Item::Raster { align, bitmap }) = self.page.items.last_mut() {
            if *align == self.align && bitmap.append_rows(&band) {
                return Ok(());
            }
        }
        self.page.items.push(Item::Raster {
            align: self.align,
            bitmap: band,
        });
        Ok(())
    }

    fn push_char(&mut self, c: char) {
        let width = usize::from(self.size.width());
        if self.line_cells + width > self.columns {
            self.line_overflowed = true;
            self.end_line();
        }
        self.line_cells += width;
        match self.line.last_mut() {
            Some(span) if span.size == self.size && span.bold == self.bold => span.text.push(c),
            _ => self.line.push(Span {
                text: c.to_string(),
                size: self.size,
                bold: self.bold,
            }),
        }
    }

    fn end_line(&mut self) {
        let spans = std::mem::take(&mut self.line);
        if self.line_overflowed {
            let text: String = spans.iter().map(|span| span.text.as_str()).collect();
            self.page.overflows.push(text);
            self.line_overflowed = false;
        }
        self.line_cells = 0;
        self.page.items.push(Item::Line {
            align: self.align,
            spans,
        });
    }

    /// Prints pending text, as printers do before a feed, cut or image.
    fn flush_line(&mut self) {
        if !self.line.is_empty() {
            self.end_line();
        }
    }

    fn require_line_empty(&self, start: usize, command: &str) -> Result<(), DecodeError> {
        if self.line.is_empty() {
            Ok(())
        } else {
            Err(self.error_at(
                start,
                &format!("{command} in the middle of a line takes effect only at line start"),
            ))
        }
    }

    fn next(&mut self) -> Result<u8, DecodeError> {
        let byte = *self
            .bytes
            .get(self.position)
            .ok_or_else(|| self.error_at(self.position, "the job ends inside a command"))?;
        self.position += 1;
        Ok(byte)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.position + len;
        if end > self.bytes.len() {
            return Err(self.error_at(self.position, "the job ends inside a command's data"));
        }
        let bytes: &'a [u8] = self.bytes;
        let slice = &bytes[self.position..end];
        self.position = end;
        Ok(slice)
    }

    fn error_at(&self, offset: usize, problem: &str) -> DecodeError {
        DecodeError {
            offset,
            problem: problem.to_owned(),
        }
    }
}
