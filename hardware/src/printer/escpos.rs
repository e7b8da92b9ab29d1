//! The ESC/POS commands Okno sends, built byte by byte.
//!
//! Okno writes its own encoder instead of using the `escpos` crate (0.20.1):
//! that crate sends characters outside CP866 as raw UTF-8 and defaults
//! native QR to Model 1. Its drivers (network, file, serial, USB through
//! libusb) were the part worth reusing, but its network driver reports a
//! printer that sends no status reply as an untyped OS error
//! (EAGAIN), so `transport` has small drivers of its own over `std` and
//! `rustix`, with status reads bounded by a timeout. The crate is not a
//! dependency. Every command below is named in its method's doc, so a
//! byte dump can be read against the printer manual.
//!
//! A [`Job`] always begins with `ESC @` (initialize) and `ESC t n` (select
//! the profile's CP866 table), so no job relies on the state a previous job
//! left. Layout (wrapping, sizes per document) is `layout`'s work.

use crate::printer::cp866;
use crate::printer::raster::Bitmap;

const ESC: u8 = 0x1B;
const GS: u8 = 0x1D;
const LF: u8 = 0x0A;

/// Rows per `GS v 0` band. A band of a full 576-dot line is 1,728 bytes
/// (1,152 at 384 dots) plus an 8-byte header, so it fits a 2 KB receive
/// buffer whole.
///
/// NOTE: 2 KB is an assumed lower bound for receive buffers, not a figure
/// from a vendor manual. Check a model's manual before raising the band.
pub const RASTER_BAND_ROWS: u16 = 24;

/// Most data bytes a QR code in `GS ( k` can store (version 40, numeric).
pub const QR_MAX_DATA: usize = 7089;

/// Horizontal alignment (`ESC a n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// Character size multipliers for `GS ! n`, each 1 to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSize {
    width: u8,
    height: u8,
}

impl TextSize {
    pub const NORMAL: TextSize = TextSize {
        width: 1,
        height: 1,
    };

    /// Builds a size, clamping each multiplier to 1–8 as `GS !` allows.
    pub fn new(width: u8, height: u8) -> TextSize {
        TextSize {
            width: width.clamp(1, 8),
            height: height.clamp(1, 8),
        }
    }

    pub fn width(self) -> u8 {
        self.width
    }

    pub fn height(self) -> u8 {
        self.height
    }

    /// Returns the `n` of `GS ! n`: width - 1 in the high nibble, height - 1
    /// in the low one.
    pub fn to_byte(self) -> u8 {
        ((self.width - 1) << 4) | (self.height - 1)
    }

    /// Decodes `GS ! n`.
    pub fn from_byte(n: u8) -> TextSize {
        TextSize::new((n >> 4) + 1, (n & 0x0F) + 1)
    }
}

/// QR error correction level (`GS ( k` function 169); M recovers about 15%
/// of the code, which survives a smudged or creased ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrErrorCorrection {
    L,
    M,
    Q,
    H,
}

impl QrErrorCorrection {
    /// Returns the `n` of function 169: 48 to 51 for L, M, Q, H.
    pub fn to_byte(self) -> u8 {
        match self {
            QrErrorCorrection::L => 48,
            QrErrorCorrection::M => 49,
            QrErrorCorrection::Q => 50,
            QrErrorCorrection::H => 51,
        }
    }

    pub fn from_byte(n: u8) -> Option<QrErrorCorrection> {
        match n {
            48 => Some(QrErrorCorrection::L),
            49 => Some(QrErrorCorrection::M),
            50 => Some(QrErrorCorrection::Q),
            51 => Some(QrErrorCorrection::H),
            _ => None,
        }
    }
}

/// A QR payload too long for `GS ( k`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("QR data is {len} bytes; a QR code holds at most {QR_MAX_DATA}")]
pub struct QrTooLong {
    pub len: usize,
}

/// The bytes of one print job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    bytes: Vec<u8>,
}

impl Job {
    /// Starts a job with `ESC @` (initialize) and `ESC t n` (select the
    /// character code table `code_page`).
    pub fn start(code_page: u8) -> Job {
        Job {
            bytes: vec![ESC, b'@', ESC, b't', code_page],
        }
    }

    /// Appends `text` in CP866 after [`cp866::normalize`], without a line
    /// feed.
    pub fn text(&mut self, text: &str) -> &mut Job {
        self.bytes.extend(cp866::encode(text));
        self
    }

    /// Appends bytes of the selected code table as they are; the test page
    /// uses it to print the table itself.
    pub fn code_table_bytes(&mut self, bytes: &[u8]) -> &mut Job {
        self.bytes.extend_from_slice(bytes);
        self
    }

    /// Appends `LF`: prints the line buffer and moves to the next line.
    pub fn line_feed(&mut self) -> &mut Job {
        self.bytes.push(LF);
        self
    }

    /// Appends `ESC E n`: bold on (1) or off (0).
    pub fn bold(&mut self, on: bool) -> &mut Job {
        self.bytes.extend([ESC, b'E', u8::from(on)]);
        self
    }

    /// Appends `ESC a n`: alignment of the following lines and images.
    pub fn align(&mut self, align: Align) -> &mut Job {
        let n = match align {
            Align::Left => 0,
            Align::Center => 1,
            Align::Right => 2,
        };
        self.bytes.extend([ESC, b'a', n]);
        self
    }

    /// Appends `GS ! n`: character width and height multipliers.
    pub fn size(&mut self, size: TextSize) -> &mut Job {
        self.bytes.extend([GS, b'!', size.to_byte()]);
        self
    }

    /// Appends `ESC d n`: prints the buffer and feeds `lines` lines.
    pub fn feed_lines(&mut self, lines: u8) -> &mut Job {
        self.bytes.extend([ESC, b'd', lines]);
        self
    }

    /// Appends `GS V 65 0`: feeds the paper to the cutting position and cuts
    /// it fully.
    pub fn cut(&mut self) -> &mut Job {
        self.bytes.extend([GS, b'V', 65, 0]);
        self
    }

    /// Appends a native QR code (`GS ( k`, symbol type 49): function 165
    /// selects Model 2, 167 the module size in dots, 169 the error
    /// correction level, 180 stores `data`, and 181 prints it.
    pub fn qr_native(
        &mut self,
        data: &[u8],
        module_dots: u8,
        correction: QrErrorCorrection,
    ) -> Result<&mut Job, QrTooLong> {
        if data.len() > QR_MAX_DATA {
            return Err(QrTooLong { len: data.len() });
        }
        let store_len = u16::try_from(data.len() + 3).expect("QR_MAX_DATA + 3 fits in u16");
        let [store_low, store_high] = store_len.to_le_bytes();

        self.bytes.extend([GS, b'(', b'k', 4, 0, 49, 65, 50, 0]);
        self.bytes
            .extend([GS, b'(', b'k', 3, 0, 49, 67, module_dots.clamp(1, 16)]);
        self.bytes
            .extend([GS, b'(', b'k', 3, 0, 49, 69, correction.to_byte()]);
        self.bytes
            .extend([GS, b'(', b'k', store_low, store_high, 49, 80, 48]);
        self.bytes.extend_from_slice(data);
        self.bytes.extend([GS, b'(', b'k', 3, 0, 49, 81, 48]);
        Ok(self)
    }

    /// Appends `bitmap` as `GS v 0` raster images of at most
    /// [`RASTER_BAND_ROWS`] rows each, so no single command overruns a
    /// small receive buffer.
    pub fn raster(&mut self, bitmap: &Bitmap) -> &mut Job {
        let [width_low, width_high] = bitmap.bytes_per_row().to_le_bytes();
        for band in bitmap.bands(RASTER_BAND_ROWS) {
            let [rows_low, rows_high] = band.rows.to_le_bytes();
            self.bytes.extend([
                GS, b'v', b'0', 0, width_low, width_high, rows_low, rows_high,
            ]);
            self.bytes.extend_from_slice(band.data);
        }
        self
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_selects_code_page() {
        assert_eq!(Job::start(17).as_bytes(), [0x1B, 0x40, 0x1B, 0x74, 17]);
    }

    #[test]
    fn text_commands_exact_bytes() {
        let mut job = Job::start(17);
        job.align(Align::Center)
            .bold(true)
            .size(TextSize::new(3, 2))
            .text("Да")
            .line_feed()
            .feed_lines(2)
            .cut();
        assert_eq!(
            &job.as_bytes()[5..],
            [
                0x1B, 0x61, 1, 0x1B, 0x45, 1, 0x1D, 0x21, 0x21, 0x84, 0xA0, 0x0A, 0x1B, 0x64, 2,
                0x1D, 0x56, 65, 0
            ]
        );
    }

    #[test]
    fn qr_native_selects_model_2() {
        let mut job = Job::start(17);
        job.qr_native(b"AB", 5, QrErrorCorrection::M).unwrap();
        assert_eq!(
            &job.as_bytes()[5..],
            [
                0x1D, 0x28, 0x6B, 4, 0, 49, 65, 50, 0, // model 2
                0x1D, 0x28, 0x6B, 3, 0, 49, 67, 5, // module size
                0x1D, 0x28, 0x6B, 3, 0, 49, 69, 49, // level M
                0x1D, 0x28, 0x6B, 5, 0, 49, 80, 48, b'A', b'B', // store
                0x1D, 0x28, 0x6B, 3, 0, 49, 81, 48, // print
            ]
        );
    }

    #[test]
    fn qr_native_rejects_long_data() {
        let mut job = Job::start(17);
        let data = vec![b'1'; QR_MAX_DATA + 1];
        assert_eq!(
            job.qr_native(&data, 6, QrErrorCorrection::M).unwrap_err(),
            QrTooLong { len: 7090 }
        );
    }

    #[test]
    fn raster_splits_into_bands() {
        let bitmap = Bitmap::from_fn(16, 30, |x, y| x == y);
        let mut job = Job::start(17);
        job.raster(&bitmap);
        let bytes = &job.as_bytes()[5..];
        assert_eq!(&bytes[..8], [0x1D, 0x76, 0x30, 0, 2, 0, 24, 0]);
        assert_eq!(&bytes[8..10], [0b1000_0000, 0]);
        let second = 8 + 2 * 24;
        assert_eq!(
            &bytes[second..second + 8],
            [0x1D, 0x76, 0x30, 0, 2, 0, 6, 0]
        );
        assert_eq!(bytes.len(), 8 + 48 + 8 + 12);
    }

    #[test]
    fn size_byte_round_trip() {
        assert_eq!(TextSize::new(2, 2).to_byte(), 0x11);
        assert_eq!(TextSize::new(9, 0), TextSize::new(8, 1));
        assert_eq!(TextSize::from_byte(0x21), TextSize::new(3, 2));
    }
}
