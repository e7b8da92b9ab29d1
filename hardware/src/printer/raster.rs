//! One-bit images as ESC/POS raster data, and QR codes drawn as such
//! images for printers without native QR.
//!
//! Rows are packed 8 dots per byte, most significant bit leftmost, with 1
//! for a black dot: the layout `GS v 0` expects.

use qrcode::{Color, EcLevel, QrCode};

use crate::printer::escpos::QrErrorCorrection;

/// Quiet zone around a QR code in modules, as ISO/IEC 18004 requires.
pub const QR_QUIET_ZONE_MODULES: u16 = 4;

/// A one-bit image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    width: u16,
    height: u16,
    data: Vec<u8>,
}

/// A horizontal slice of a bitmap.
#[derive(Debug, Clone, Copy)]
pub struct Band<'a> {
    pub rows: u16,
    pub data: &'a [u8],
}

impl Bitmap {
    /// Builds a `width` x `height` bitmap where `is_black(x, y)` picks black.
    pub fn from_fn(width: u16, height: u16, is_black: impl Fn(u16, u16) -> bool) -> Bitmap {
        let bytes_per_row = width.div_ceil(8);
        let mut data = vec![0; usize::from(bytes_per_row) * usize::from(height)];
        for y in 0..height {
            for x in 0..width {
                if is_black(x, y) {
                    let index = usize::from(y) * usize::from(bytes_per_row) + usize::from(x / 8);
                    data[index] |= 0x80 >> (x % 8);
                }
            }
        }
        Bitmap {
            width,
            height,
            data,
        }
    }

    /// Wraps packed rows as they come from `GS v 0`; `None` when `data` is
    /// not `bytes_per_row * height` bytes.
    pub fn from_packed(bytes_per_row: u16, height: u16, data: Vec<u8>) -> Option<Bitmap> {
        (data.len() == usize::from(bytes_per_row) * usize::from(height)).then_some(Bitmap {
            width: bytes_per_row * 8,
            height,
            data,
        })
    }

    pub fn width(&self) -> u16 {
        self.width
    }

    pub fn height(&self) -> u16 {
        self.height
    }

    pub fn bytes_per_row(&self) -> u16 {
        self.width.div_ceil(8)
    }

    pub fn is_black(&self, x: u16, y: u16) -> bool {
        let index = usize::from(y) * usize::from(self.bytes_per_row()) + usize::from(x / 8);
        self.data[index] & (0x80 >> (x % 8)) != 0
    }

    /// Splits the rows into bands of at most `rows` rows each.
    pub fn bands(&self, rows: u16) -> impl Iterator<Item = Band<'_>> {
        let row_bytes = usize::from(self.bytes_per_row());
        let band_bytes = row_bytes * usize::from(rows.max(1));
        self.data.chunks(band_bytes.max(1)).map(move |chunk| Band {
            rows: u16::try_from(chunk.len() / row_bytes.max(1))
                .expect("a band has at most `rows` rows"),
            data: chunk,
        })
    }

    /// Appends `other` below this bitmap; both must have the same width.
    pub fn append_rows(&mut self, other: &Bitmap) -> bool {
        if other.width != self.width {
            return false;
        }
        self.height += other.height;
        self.data.extend_from_slice(&other.data);
        true
    }
}

/// Converts the ESC/POS level to the `qrcode` crate's.
pub fn qr_ec_level(correction: QrErrorCorrection) -> EcLevel {
    match correction {
        QrErrorCorrection::L => EcLevel::L,
        QrErrorCorrection::M => EcLevel::M,
        QrErrorCorrection::Q => EcLevel::Q,
        QrErrorCorrection::H => EcLevel::H,
    }
}

/// Returns the modules across a Model 2 QR code for `data` (without the
/// quiet zone), or `None` when `data` does not fit any version. It only
/// picks the version, skipping the mask search that drawing the code needs.
pub fn qr_modules(data: &[u8], correction: QrErrorCorrection) -> Option<u16> {
    let bits = qrcode::bits::encode_auto(data, qr_ec_level(correction)).ok()?;
    u16::try_from(bits.version().width()).ok()
}

/// Draws a Model 2 QR code for `data` with `module_dots` dots per module
/// and a quiet zone of [`QR_QUIET_ZONE_MODULES`] on every side.
pub fn qr_bitmap(data: &[u8], module_dots: u16, correction: QrErrorCorrection) -> Option<Bitmap> {
    let code = QrCode::with_error_correction_level(data, qr_ec_level(correction)).ok()?;
    let modules = u16::try_from(code.width()).ok()?;
    let colors = code.to_colors();
    let total = (modules + 2 * QR_QUIET_ZONE_MODULES) * module_dots;
    Some(Bitmap::from_fn(total, total, |x, y| {
        let mx = (x / module_dots).checked_sub(QR_QUIET_ZONE_MODULES);
        let my = (y / module_dots).checked_sub(QR_QUIET_ZONE_MODULES);
        match (mx, my) {
            (Some(mx), Some(my)) if mx < modules && my < modules => {
                colors[usize::from(my) * usize::from(modules) + usize::from(mx)] == Color::Dark
            }
            _ => false,
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_msb_first() {
        let bitmap = Bitmap::from_fn(10, 1, |x, _| x == 0 || x == 9);
        assert_eq!(bitmap.bytes_per_row(), 2);
        assert_eq!(bitmap.data, [0b1000_0000, 0b0100_0000]);
        assert!(bitmap.is_black(9, 0));
        assert!(!bitmap.is_black(8, 0));
    }

    #[test]
    fn qr_modules_matches_drawn_code() {
        let payload =
            b"OKNO1.AGJYYLT2CBYABAAAAAAAAAAAFI.MFC-77-014.1796393100.4MYWVBJCI2RIHYJUTIZYWJKPUE";
        let drawn = QrCode::with_error_correction_level(payload, EcLevel::M).unwrap();
        assert_eq!(qr_modules(payload, QrErrorCorrection::M), Some(33));
        assert_eq!(
            usize::from(qr_modules(payload, QrErrorCorrection::M).unwrap()),
            drawn.width()
        );
    }

    #[test]
    fn qr_bitmap_has_quiet_zone() {
        let bitmap = qr_bitmap(b"HELLO", 2, QrErrorCorrection::M).unwrap();
        // Version 1 is 21 modules; with 4 + 4 quiet modules, 29 x 2 dots.
        assert_eq!(bitmap.width(), 58);
        assert!(!bitmap.is_black(7, 7));
        assert!(bitmap.is_black(8, 8));
    }
}
