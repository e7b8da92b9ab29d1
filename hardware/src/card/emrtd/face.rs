//! Decoding DG2 face images into RGBA pixels a screen can show.
//!
//! JPEG goes through the `image` crate. JPEG 2000 is returned as
//! [`FaceError::UnsupportedJpeg2000`]: the maintained pure-Rust decoder
//! (`hayro-jpeg2000` 0.5) requires Rust 1.92 while this workspace declares
//! 1.85, and the other candidates bind the C library OpenJPEG.
//! TODO: decode JPEG 2000 once the workspace's Rust version reaches 1.92.

use super::lds::{FaceImage, ImageFormat};

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
    #[error("the face image is JPEG 2000, which this build cannot decode")]
    UnsupportedJpeg2000,
    #[error("the face image is not a valid JPEG: {0}")]
    InvalidJpeg(String),
}

impl FaceError {
    pub fn message_ru(&self) -> &'static str {
        match self {
            FaceError::UnsupportedJpeg2000 => {
                "Фотография в чипе в формате JPEG 2000, который эта версия не показывает. Сверьте лицо с фотографией в паспорте."
            }
            FaceError::InvalidJpeg(_) => "Фотография в чипе повреждена. Сверьте лицо с фотографией в паспорте.",
        }
    }
}

/// Decodes a face image to RGBA.
pub fn decode_rgba(face: &FaceImage) -> Result<RgbaImage, FaceError> {
    match face.format {
        ImageFormat::Jpeg2000 => Err(FaceError::UnsupportedJpeg2000),
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
    fn jpeg2000_is_typed_unsupported() {
        let face = FaceImage {
            format: ImageFormat::Jpeg2000,
            width: 1,
            height: 1,
            data: vec![0xFF, 0x4F],
        };
        assert_eq!(decode_rgba(&face), Err(FaceError::UnsupportedJpeg2000));
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
