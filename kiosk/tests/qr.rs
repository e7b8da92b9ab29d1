//! The ticket's QR image decodes, with an independent decoder, to the text
//! it was rendered from.

use kiosk::qr::render_pixels;

#[test]
fn qr_image_decodes_to_its_text() {
    let text = "OKNO-TICKET:Р-001";
    let buffer = render_pixels(text).expect("a short text fits in a QR code");
    let width = buffer.width() as usize;
    let height = buffer.height() as usize;
    assert_eq!(width, height);
    // A version 2 code (25 modules) plus 4 quiet modules each side, 8 px each.
    assert_eq!(width, (25 + 8) * 8);

    let pixels = buffer.as_slice();
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x].r);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, content) = grids[0].decode().expect("the code decodes");
    assert_eq!(content, text);
}
