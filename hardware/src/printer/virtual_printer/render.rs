//! Draws a decoded [`Page`] as a one-bit grayscale image, the way a 203 dpi
//! thermal printer would put it on paper.
//!
//! Characters fill font A cells (the profile's cell width x 24 dots, scaled
//! by `GS !`) with glyphs from a system monospace font, thresholded to
//! black and white like thermal dots. Lines are 30 dots apart at normal
//! size, the usual ESC/POS default line spacing of 3.75 mm. A cut shows as
//! a dashed line.

use ab_glyph::{point, Font, FontVec, PxScale, ScaleFont};
use image::{GrayImage, Luma};
use qrcode::{Color, QrCode};

use crate::printer::escpos::Align;
use crate::printer::profile::Profile;
use crate::printer::raster::{self, Bitmap};
use crate::printer::virtual_printer::decode::{Item, Page, Span};

/// Height of a font A cell in dots.
pub const CELL_HEIGHT: u32 = 24;
/// Line pitch at normal size in dots.
pub const LINE_PITCH: u32 = 30;
/// White margin above and below the printout in dots.
const MARGIN: u32 = 16;

const WHITE: u8 = 255;
const BLACK: u8 = 0;

/// The fonts text is drawn with.
pub struct Fonts {
    pub regular: FontVec,
    /// Without a bold face, bold text is the regular one drawn twice, one dot
    /// apart, as printers embolden.
    pub bold: Option<FontVec>,
}

/// A canvas that grows downwards as items are drawn.
struct Canvas {
    width: u32,
    pixels: Vec<u8>,
}

impl Canvas {
    fn height(&self) -> u32 {
        u32::try_from(self.pixels.len() / self.width as usize).expect("canvas height fits in u32")
    }

    fn grow_to(&mut self, height: u32) {
        let wanted = height as usize * self.width as usize;
        if wanted > self.pixels.len() {
            self.pixels.resize(wanted, WHITE);
        }
    }

    fn set_black(&mut self, x: i64, y: i64) {
        if x < 0 || y < 0 || x >= i64::from(self.width) {
            return;
        }
        let (x, y) = (x as u32, y as u32);
        self.grow_to(y + 1);
        self.pixels[y as usize * self.width as usize + x as usize] = BLACK;
    }
}

/// Renders `page` for `profile`'s paper width.
pub fn render(page: &Page, profile: &Profile, fonts: &Fonts) -> GrayImage {
    let width = u32::from(profile.width_dots);
    let cell_width = u32::from(profile.cell_width_dots());
    let mut canvas = Canvas {
        width,
        pixels: Vec::new(),
    };
    let mut y = MARGIN;
    canvas.grow_to(y);

    for item in &page.items {
        match item {
            Item::Line { align, spans } => {
                y += draw_line(&mut canvas, fonts, spans, *align, cell_width, y);
            }
            Item::Feed { lines } => y += u32::from(*lines) * LINE_PITCH,
            Item::Qr {
                align,
                data,
                module_dots,
                correction,
            } => {
                let module = u32::from(*module_dots).max(1);
                if let Ok(code) =
                    QrCode::with_error_correction_level(data, raster::qr_ec_level(*correction))
                {
                    let modules = code.width() as u32;
                    let quiet = u32::from(raster::QR_QUIET_ZONE_MODULES) * module;
                    let size = modules * module;
                    let left = aligned_left(width, size, *align);
                    let colors = code.to_colors();
                    for my in 0..modules {
                        for mx in 0..modules {
                            if colors[(my * modules + mx) as usize] == Color::Dark {
                                fill(
                                    &mut canvas,
                                    left + mx * module,
                                    y + quiet + my * module,
                                    module,
                                    module,
                                );
                            }
                        }
                    }
                    y += size + 2 * quiet;
                }
            }
            Item::Raster { align, bitmap } => {
                y += draw_bitmap(&mut canvas, bitmap, *align, y);
            }
            Item::Cut => {
                y += LINE_PITCH / 2;
                for x in (0..width).step_by(16) {
                    fill(&mut canvas, x, y, 8, 2);
                }
                y += LINE_PITCH / 2;
            }
        }
        canvas.grow_to(y);
    }
    canvas.grow_to(y + MARGIN);

    let height = canvas.height();
    GrayImage::from_fn(width, height, |x, y| {
        Luma([canvas.pixels[y as usize * width as usize + x as usize]])
    })
}

/// Draws one text line at `top` and returns its height.
fn draw_line(
    canvas: &mut Canvas,
    fonts: &Fonts,
    spans: &[Span],
    align: Align,
    cell_width: u32,
    top: u32,
) -> u32 {
    let tallest = spans
        .iter()
        .map(|span| u32::from(span.size.height()))
        .max()
        .unwrap_or(1);
    let line_height = (tallest * CELL_HEIGHT + LINE_PITCH - CELL_HEIGHT).max(LINE_PITCH);
    let text_width: u32 = spans
        .iter()
        .map(|span| span.text.chars().count() as u32 * cell_width * u32::from(span.size.width()))
        .sum();
    let mut x = aligned_left(canvas.width, text_width, align);
    // Characters of different heights share a baseline at the line's bottom.
    let baseline_cell_bottom = top + tallest * CELL_HEIGHT;

    for span in spans {
        let cell_w = cell_width * u32::from(span.size.width());
        let cell_h = CELL_HEIGHT * u32::from(span.size.height());
        let cell_top = baseline_cell_bottom - cell_h;
        for c in span.text.chars() {
            match (&fonts.bold, span.bold) {
                (Some(bold), true) => draw_glyph(canvas, bold, c, x, cell_top, cell_w, cell_h),
                (None, true) => {
                    draw_glyph(canvas, &fonts.regular, c, x, cell_top, cell_w, cell_h);
                    draw_glyph(canvas, &fonts.regular, c, x + 1, cell_top, cell_w, cell_h);
                }
                (_, false) => draw_glyph(canvas, &fonts.regular, c, x, cell_top, cell_w, cell_h),
            }
            x += cell_w;
        }
    }
    line_height
}

/// Draws `c` scaled to fill a `cell_w` x `cell_h` cell at (`left`, `top`).
fn draw_glyph(
    canvas: &mut Canvas,
    font: &FontVec,
    c: char,
    left: u32,
    top: u32,
    cell_w: u32,
    cell_h: u32,
) {
    let units = font.units_per_em().unwrap_or(2048.0);
    let glyph_id = font.glyph_id(c);
    let advance = font.h_advance_unscaled(glyph_id).max(1.0) / units;
    let height = font.height_unscaled().max(1.0) / units;
    let scale = PxScale {
        x: cell_w as f32 / advance,
        y: cell_h as f32 / height,
    };
    let ascent = font.as_scaled(scale).ascent();
    let glyph = glyph_id.with_scale_and_position(scale, point(left as f32, top as f32 + ascent));
    if let Some(outline) = font.outline_glyph(glyph) {
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            if coverage >= 0.5 {
                canvas.set_black(
                    bounds.min.x as i64 + i64::from(gx),
                    bounds.min.y as i64 + i64::from(gy),
                );
            }
        });
    }
}

/// Draws `bitmap` at `top` and returns its height.
fn draw_bitmap(canvas: &mut Canvas, bitmap: &Bitmap, align: Align, top: u32) -> u32 {
    let left = aligned_left(canvas.width, u32::from(bitmap.width()), align);
    for y in 0..bitmap.height() {
        for x in 0..bitmap.width() {
            if bitmap.is_black(x, y) {
                canvas.set_black(
                    i64::from(left + u32::from(x)),
                    i64::from(top + u32::from(y)),
                );
            }
        }
    }
    u32::from(bitmap.height())
}

fn fill(canvas: &mut Canvas, left: u32, top: u32, width: u32, height: u32) {
    for y in top..top + height {
        for x in left..left + width {
            canvas.set_black(i64::from(x), i64::from(y));
        }
    }
}

/// Returns the left edge of something `content` dots wide; content wider
/// than the paper starts at the left edge and is cut on the right.
fn aligned_left(paper: u32, content: u32, align: Align) -> u32 {
    let spare = paper.saturating_sub(content);
    match align {
        Align::Left => 0,
        Align::Center => spare / 2,
        Align::Right => spare,
    }
}
