//! What a virtual chip holds and how it behaves: the MRZ, the face photo
//! and the reply limits of the chip it imitates.

use domain::mrz::{check_digit, Mrz, MrzError};

use crate::card::emrtd::face;

/// Fields of a TD3 (passport) MRZ, from which the two lines are composed
/// with their check digits.
#[derive(Clone)]
pub struct PassportFields {
    /// Issuing state and nationality, three letters (`RUS`).
    pub country: String,
    pub document_number: String,
    pub surname: String,
    pub given_names: String,
    /// YYMMDD
    pub birth_date: String,
    /// `M`, `F` or `<`
    pub sex: String,
    /// YYMMDD
    pub expiry_date: String,
}

fn mrz_text(text: &str) -> String {
    text.trim().to_ascii_uppercase().replace([' ', '-'], "<")
}

fn padded(text: &str, length: usize) -> String {
    let mut out: String = text.chars().take(length).collect();
    while out.len() < length {
        out.push('<');
    }
    out
}

impl PassportFields {
    /// Composes the two 44-character lines and checks them by parsing.
    pub fn to_lines(&self) -> Result<[String; 2], MrzError> {
        let names = format!(
            "{}<<{}",
            mrz_text(&self.surname),
            mrz_text(&self.given_names)
        );
        let first = format!(
            "P<{}{}",
            padded(&mrz_text(&self.country), 3),
            padded(&names, 39)
        );
        let digit = |field: &str| {
            check_digit(field)
                .map(|d| char::from(b'0' + d))
                .ok_or(MrzError::InvalidDocumentNumber)
        };
        let number = padded(&mrz_text(&self.document_number), 9);
        let optional = padded("", 14);
        let body = format!(
            "{number}{}{}{}{}{}{}{}{optional}<",
            digit(&number)?,
            padded(&mrz_text(&self.country), 3),
            self.birth_date,
            digit(&self.birth_date)?,
            mrz_text(&self.sex),
            self.expiry_date,
            digit(&self.expiry_date)?,
        );
        let composite = format!("{}{}{}", &body[0..10], &body[13..20], &body[21..43]);
        let second = format!("{body}{}", digit(&composite)?);
        Mrz::parse(&format!("{first}\n{second}"))?;
        Ok([first, second])
    }
}

/// A chip's contents and reply limits.
#[derive(Clone)]
pub struct ChipProfile {
    /// Two TD3 lines or three TD1 lines.
    pub mrz_lines: Vec<String>,
    /// The face photo, a baseline JPEG.
    pub photo_jpeg: Vec<u8>,
    pub photo_width: u16,
    pub photo_height: u16,
    /// Whether the chip accepts extended-length READ BINARY.
    pub extended_length: bool,
    /// Most data bytes per short protected reply (real chips: about 231).
    pub short_reply_cap: usize,
    /// Most data bytes per extended protected reply.
    pub extended_reply_cap: usize,
    /// Whether EF.COM lists DG2 and the chip holds it.
    pub with_dg2: bool,
}

/// A sample passport of the ICAO 9303 Part 11 Appendix D person, with a
/// Russian name for the transliteration paths: ИВАНОВА АННА.
pub fn sample_fields() -> PassportFields {
    PassportFields {
        country: "RUS".to_owned(),
        document_number: "L898902C".to_owned(),
        surname: "IVANOVA".to_owned(),
        given_names: "ANNA".to_owned(),
        birth_date: "690806".to_owned(),
        sex: "F".to_owned(),
        expiry_date: "940623".to_owned(),
    }
}

impl ChipProfile {
    /// A chip with the given MRZ lines and a generated photo of about
    /// `photo_bytes` bytes (at least what the JPEG encoder produces).
    pub fn new(mrz_lines: Vec<String>, photo_bytes: usize) -> Result<Self, face::FaceError> {
        let (width, height) = (240u16, 320u16);
        let jpeg = synthetic_photo(u32::from(width), u32::from(height))?;
        Ok(ChipProfile {
            mrz_lines,
            photo_jpeg: pad_jpeg(jpeg, photo_bytes),
            photo_width: width,
            photo_height: height,
            extended_length: true,
            short_reply_cap: 231,
            extended_reply_cap: 0xFFFF,
            with_dg2: true,
        })
    }

    /// Replaces the photo with a JPEG file's bytes and size.
    pub fn with_photo(mut self, jpeg: Vec<u8>) -> Result<Self, face::FaceError> {
        let decoded = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg)
            .map_err(|err| face::FaceError::InvalidJpeg(err.to_string()))?;
        self.photo_width = u16::try_from(decoded.width()).unwrap_or(u16::MAX);
        self.photo_height = u16::try_from(decoded.height()).unwrap_or(u16::MAX);
        self.photo_jpeg = jpeg;
        Ok(self)
    }
}

/// Draws a face-like placeholder: a light background, an oval and two eyes.
fn synthetic_photo(width: u32, height: u32) -> Result<Vec<u8>, face::FaceError> {
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    for y in 0..height {
        for x in 0..width {
            let dx = (x as f32 - cx) / (width as f32 * 0.32);
            let dy = (y as f32 - cy) / (height as f32 * 0.36);
            let in_face = dx * dx + dy * dy < 1.0;
            let eye = |ex: f32| {
                let ddx = x as f32 - ex;
                let ddy = y as f32 - cy * 0.85;
                ddx * ddx + ddy * ddy < 64.0
            };
            let pixel = if eye(cx - 30.0) || eye(cx + 30.0) {
                [40, 40, 60]
            } else if in_face {
                [224, 182, 150]
            } else {
                [200, 215, 230]
            };
            rgb.extend_from_slice(&pixel);
        }
    }
    face::encode_jpeg(width, height, &rgb, 90)
}

/// Grows a JPEG to `target` bytes with a comment (COM, `FF FE`) segment
/// after SOI; decoders skip it. Returns the JPEG unchanged when it is
/// already that large.
pub fn pad_jpeg(jpeg: Vec<u8>, target: usize) -> Vec<u8> {
    if jpeg.len() + 4 >= target || jpeg.len() < 2 {
        return jpeg;
    }
    let mut remaining = target - jpeg.len();
    let mut out = Vec::with_capacity(target);
    out.extend_from_slice(&jpeg[..2]);
    while remaining >= 4 {
        let payload = (remaining - 4).min(0xFFFF - 2);
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((payload + 2) as u16).to_be_bytes());
        out.extend(std::iter::repeat_n(b' ', payload));
        remaining -= payload + 4;
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_lines_match_icao_example() {
        let mut fields = sample_fields();
        fields.country = "UTO".to_owned();
        fields.surname = "ERIKSSON".to_owned();
        fields.given_names = "ANNA MARIA".to_owned();
        let [first, second] = fields.to_lines().unwrap();
        assert_eq!(first, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
        assert_eq!(&second[..28], "L898902C<3UTO6908061F9406236");
    }

    #[test]
    fn padded_jpeg_still_decodes() {
        let jpeg = synthetic_photo(40, 50).unwrap();
        let padded = pad_jpeg(jpeg, 20_000);
        assert_eq!(padded.len(), 20_000);
        let decoded =
            image::load_from_memory_with_format(&padded, image::ImageFormat::Jpeg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (40, 50));
    }
}
