//! Renders a ticket's QR text as an image for the ticket screen.

use qrcode::{Color, QrCode};
use slint::{Image, Rgb8Pixel, SharedPixelBuffer};

/// Pixels per QR module; the screen scales the image without smoothing.
const MODULE_PIXELS: usize = 8;
/// The quiet zone around the code, in modules, as ISO/IEC 18004 requires.
const QUIET_MODULES: usize = 4;

/// Renders `text` as a black-on-white QR code with its quiet zone.
///
/// Fails only when the text does not fit in the largest QR version.
pub fn render(text: &str) -> Result<Image, qrcode::types::QrError> {
    Ok(Image::from_rgb8(render_pixels(text)?))
}

/// Renders `text` into a pixel buffer; [`render`] wraps it for Slint.
pub fn render_pixels(text: &str) -> Result<SharedPixelBuffer<Rgb8Pixel>, qrcode::types::QrError> {
    let code = QrCode::new(text.as_bytes())?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_MODULES) * MODULE_PIXELS;

    let mut buffer = SharedPixelBuffer::<Rgb8Pixel>::new(side as u32, side as u32);
    let pixels = buffer.make_mut_slice();
    for (index, pixel) in pixels.iter_mut().enumerate() {
        let column = (index % side) / MODULE_PIXELS;
        let row = (index / side) / MODULE_PIXELS;
        let inside = (QUIET_MODULES..QUIET_MODULES + modules).contains(&column)
            && (QUIET_MODULES..QUIET_MODULES + modules).contains(&row);
        let dark = inside
            && colors[(row - QUIET_MODULES) * modules + (column - QUIET_MODULES)] == Color::Dark;
        let level = if dark { 0 } else { 255 };
        *pixel = Rgb8Pixel::new(level, level, level);
    }
    Ok(buffer)
}
