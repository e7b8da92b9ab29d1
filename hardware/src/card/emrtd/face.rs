//! Decoding DG2 face images into RGBA pixels a screen can show.
//!
//! JPEG goes through the `image` crate and JPEG 2000 through
//! `hayro-jpeg2000`, a pure-Rust decoder that reads both the JP2 container
//! and a raw J2K codestream, because a DG2 image may come in either form. Greyscale and
//! RGB images are supported, with or without an alpha channel. Colour
//! profiles are not applied: passport faces are sRGB or greyscale.

use super::lds::{FaceImage, ImageFormat};

/// JP2 signature box (ISO/IEC 15444-1 annex I).
const JP2_SIGNATURE: &[u8] = b"\x00\x00\x00\x0C\x6A\x50\x20\x20";
/// Start of a raw codestream: the SOC marker followed by SIZ.
const J2K_SIGNATURE: &[u8] = &[0xFF, 0x4F, 0xFF, 0x51];
/// Start of a JPEG: the SOI marker followed by the next marker's `FF`.
const JPEG_SIGNATURE: &[u8] = &[0xFF, 0xD8, 0xFF];

/// Maximum JPEG 2000 face size decoded, in pixels (4096 x 4096). DG2 faces
/// are a few hundred pixels per side, so the cap only stops a damaged header
/// that claims a huge image from allocating gigabytes.
pub const MAX_JPEG2000_PIXELS: u64 = 4096 * 4096;

/// Decoded pixels, 4 bytes (R, G, B, A) per pixel, rows top to bottom.
#[derive(Clone, PartialEq, Eq)]
pub struct RgbaImage {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

impl std::fmt::Debug for RgbaImage {
    // A face is personal data and large: show only its size.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RgbaImage {{ {}x{} }}", self.width, self.height)
    }
}

/// Failure to decode a face image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaceError {
    #[error("the face image is not a valid JPEG: {0}")]
    InvalidJpeg(String),
    #[error("the face image is not a valid JPEG 2000 image: {0}")]
    InvalidJpeg2000(String),
    #[error("the JPEG 2000 face image has {channels} colour channels in {color_space}; only greyscale and RGB are supported")]
    UnsupportedJpeg2000Color {
        color_space: &'static str,
        channels: u8,
    },
    #[error("the JPEG 2000 face image claims {width}x{height} pixels, more than the maximum of {MAX_JPEG2000_PIXELS}")]
    Jpeg2000TooLarge { width: u32, height: u32 },
}

impl FaceError {
    pub fn message_ru(&self) -> &'static str {
        match self {
            FaceError::InvalidJpeg(_) | FaceError::InvalidJpeg2000(_) | FaceError::Jpeg2000TooLarge { .. } => {
                "Фотография в чипе повреждена. Сверьте лицо с фотографией в паспорте."
            }
            FaceError::UnsupportedJpeg2000Color { .. } => {
                "Фотография в чипе записана в цветовом пространстве, которое эта версия не показывает. Сверьте лицо с фотографией в паспорте."
            }
        }
    }
}

/// Returns the encoding that `data` starts with, or `None` for neither
/// JPEG nor JPEG 2000.
pub fn detect_format(data: &[u8]) -> Option<ImageFormat> {
    if data.starts_with(JPEG_SIGNATURE) {
        Some(ImageFormat::Jpeg)
    } else if data.starts_with(JP2_SIGNATURE) || data.starts_with(J2K_SIGNATURE) {
        Some(ImageFormat::Jpeg2000)
    } else {
        None
    }
}

/// Decodes a face image to RGBA.
pub fn decode_rgba(face: &FaceImage) -> Result<RgbaImage, FaceError> {
    match face.format {
        ImageFormat::Jpeg2000 => decode_jpeg2000(&face.data),
        ImageFormat::Jpeg => {
            let decoded = image::load_from_memory_with_format(&face.data, image::ImageFormat::Jpeg)
                .map_err(|err| FaceError::InvalidJpeg(err.to_string()))?;
            let rgba = decoded.to_rgba8();
            Ok(RgbaImage {
                width: rgba.width(),
                height: rgba.height(),
                pixels: rgba.into_raw(),
            })
        }
    }
}

/// Decodes a JP2 file or a raw J2K codestream to RGBA.
fn decode_jpeg2000(data: &[u8]) -> Result<RgbaImage, FaceError> {
    use hayro_jpeg2000::{ColorSpace, DecodeSettings, DecoderContext, Image};

    let invalid = |err: hayro_jpeg2000::DecodeError| FaceError::InvalidJpeg2000(err.to_string());
    let image = Image::new(data, &DecodeSettings::default()).map_err(invalid)?;
    let (width, height) = (image.width(), image.height());
    if u64::from(width) * u64::from(height) > MAX_JPEG2000_PIXELS {
        return Err(FaceError::Jpeg2000TooLarge { width, height });
    }

    // An ICC profile with one or three channels describes a grey or RGB
    // space. Its pixels are shown as they are, without colour management.
    let channels = image.color_space().num_channels();
    match image.color_space() {
        ColorSpace::Gray | ColorSpace::RGB | ColorSpace::Icc { .. }
            if channels == 1 || channels == 3 => {}
        other => {
            return Err(FaceError::UnsupportedJpeg2000Color {
                color_space: color_space_name(other),
                channels,
            })
        }
    }
    let has_alpha = image.has_alpha();

    let mut context = DecoderContext::default();
    let decoded = image.decode(&mut context).map_err(invalid)?;
    let samples = decoded.data_u8();

    let stride = usize::from(channels) + usize::from(has_alpha);
    let pixel_count = width as usize * height as usize;
    if samples.len() != pixel_count * stride {
        return Err(FaceError::InvalidJpeg2000(format!(
            "decoded {} samples, expected {} for {width}x{height} with {stride} per pixel",
            samples.len(),
            pixel_count * stride
        )));
    }

    let mut pixels = Vec::with_capacity(pixel_count * 4);
    for sample in samples.chunks_exact(stride) {
        let (r, g, b) = if channels == 1 {
            (sample[0], sample[0], sample[0])
        } else {
            (sample[0], sample[1], sample[2])
        };
        let alpha = if has_alpha {
            sample[stride - 1]
        } else {
            u8::MAX
        };
        pixels.extend_from_slice(&[r, g, b, alpha]);
    }
    Ok(RgbaImage {
        width,
        height,
        pixels,
    })
}

fn color_space_name(color_space: &hayro_jpeg2000::ColorSpace) -> &'static str {
    use hayro_jpeg2000::ColorSpace;
    match color_space {
        ColorSpace::Gray => "greyscale",
        ColorSpace::RGB => "RGB",
        ColorSpace::CMYK => "CMYK",
        ColorSpace::Icc { .. } => "an ICC profile",
        ColorSpace::Unknown { .. } => "an unknown colour space",
    }
}

/// Encodes RGB pixels as a baseline JPEG (for the virtual chip and tests).
pub fn encode_jpeg(width: u32, height: u32, rgb: &[u8], quality: u8) -> Result<Vec<u8>, FaceError> {
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    encoder
        .encode(rgb, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|err| FaceError::InvalidJpeg(err.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_decodes_to_rgba() {
        let rgb: Vec<u8> = (0..16 * 8).flat_map(|_| [200u8, 40, 40]).collect();
        let jpeg = encode_jpeg(16, 8, &rgb, 90).unwrap();
        let face = FaceImage {
            format: ImageFormat::Jpeg,
            width: 16,
            height: 8,
            data: jpeg,
        };
        let image = decode_rgba(&face).unwrap();
        assert_eq!((image.width, image.height), (16, 8));
        assert_eq!(image.pixels.len(), 16 * 8 * 4);
        let first = &image.pixels[..4];
        assert!(
            first[0] > 180 && first[1] < 70 && first[2] < 70 && first[3] == 255,
            "{first:?}"
        );
    }

    #[test]
    fn truncated_jpeg2000_is_reported() {
        let face = FaceImage {
            format: ImageFormat::Jpeg2000,
            width: 1,
            height: 1,
            data: vec![0xFF, 0x4F],
        };
        assert!(matches!(
            decode_rgba(&face),
            Err(FaceError::InvalidJpeg2000(_))
        ));
    }

    #[test]
    fn format_detected_from_signature() {
        assert_eq!(
            detect_format(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(detect_format(JP2_SIGNATURE), Some(ImageFormat::Jpeg2000));
        assert_eq!(detect_format(J2K_SIGNATURE), Some(ImageFormat::Jpeg2000));
        assert_eq!(detect_format(b"\x89PNG\r\n"), None);
        assert_eq!(detect_format(&[]), None);
    }

    #[test]
    fn broken_jpeg_is_reported() {
        let face = FaceImage {
            format: ImageFormat::Jpeg,
            width: 1,
            height: 1,
            data: vec![0xFF, 0xD8, 0],
        };
        assert!(matches!(decode_rgba(&face), Err(FaceError::InvalidJpeg(_))));
    }
}
