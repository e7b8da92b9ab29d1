//! JPEG 2000 faces: decoding the JP2 container and a raw J2K codestream,
//! a damaged image, and a virtual chip whose DG2 holds a JP2 face, read
//! in-process through the public reader API.
//!
//! The fixtures are a 48x64 face-like picture (a blue-grey background
//! (200, 215, 230), a skin-coloured oval (224, 182, 150) and two dark eyes
//! (40, 40, 60) of radius 3 at (16, 27) and (32, 27)), drawn by a short
//! Python script as PPM and made greyscale for the J2K file with
//! Y = (299 R + 587 G + 114 B) / 1000, then compressed lossily with
//! OpenJPEG 2.5.0 (Debian `libopenjp2-tools`):
//! `opj_compress -i face.ppm -o face.jp2 -r 10` and
//! `opj_compress -i face.pgm -o face.j2k -r 10`.

use domain::mrz::BacInput;
use hardware::card::emrtd::face::{self, FaceError, RgbaImage};
use hardware::card::emrtd::lds::{FaceImage, ImageFormat};
use hardware::card::sim::profile::sample_fields;
use hardware::card::sim::{ChipProfile, TestIssuer, VirtualChip};
use hardware::card::{read_document, ReadOptions};

const FACE_JP2: &[u8] = include_bytes!("fixtures/face.jp2");
const FACE_J2K: &[u8] = include_bytes!("fixtures/face.j2k");

/// Largest difference per channel the lossy compression may cause.
const TOLERANCE: u8 = 16;

fn jpeg2000_face(data: &[u8]) -> FaceImage {
    FaceImage {
        format: ImageFormat::Jpeg2000,
        width: 48,
        height: 64,
        data: data.to_vec(),
    }
}

fn pixel(image: &RgbaImage, x: u32, y: u32) -> [u8; 4] {
    let start = ((y * image.width + x) * 4) as usize;
    image.pixels[start..start + 4]
        .try_into()
        .expect("four bytes per pixel")
}

fn assert_near(actual: [u8; 4], expected: [u8; 4], place: &str) {
    for (channel, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(
            a.abs_diff(e) <= TOLERANCE,
            "{place}: channel {channel} is {a}, expected {e} ± {TOLERANCE} (pixel {actual:?})"
        );
    }
}

#[test]
fn jp2_container_decodes_to_rgba() {
    let image = face::decode_rgba(&jpeg2000_face(FACE_JP2)).unwrap();

    assert_eq!((image.width, image.height), (48, 64));
    assert_eq!(image.pixels.len(), 48 * 64 * 4);
    assert_near(pixel(&image, 0, 0), [200, 215, 230, 255], "background");
    assert_near(pixel(&image, 24, 32), [224, 182, 150, 255], "face");
    assert_near(pixel(&image, 16, 27), [40, 40, 60, 255], "left eye");
    assert_near(pixel(&image, 32, 27), [40, 40, 60, 255], "right eye");
}

#[test]
fn j2k_codestream_decodes_greyscale() {
    let image = face::decode_rgba(&jpeg2000_face(FACE_J2K)).unwrap();

    assert_eq!((image.width, image.height), (48, 64));
    assert_eq!(image.pixels.len(), 48 * 64 * 4);
    assert_near(pixel(&image, 0, 0), [212, 212, 212, 255], "background");
    assert_near(pixel(&image, 24, 32), [190, 190, 190, 255], "face");
    assert_near(pixel(&image, 16, 27), [42, 42, 42, 255], "left eye");
}

#[test]
fn signatures_select_jpeg2000() {
    assert_eq!(face::detect_format(FACE_JP2), Some(ImageFormat::Jpeg2000));
    assert_eq!(face::detect_format(FACE_J2K), Some(ImageFormat::Jpeg2000));
}

#[test]
fn corrupt_jpeg2000_is_typed_error() {
    // The JP2 boxes cut off inside the header, and a codestream whose
    // SIZ marker segment is overwritten.
    let truncated = FACE_JP2[..40].to_vec();
    let mut scrambled = FACE_J2K.to_vec();
    scrambled[4..40].fill(0xFF);

    for (name, data) in [("truncated JP2", truncated), ("scrambled J2K", scrambled)] {
        let result = face::decode_rgba(&jpeg2000_face(&data));
        let Err(error) = result else {
            panic!("{name}: decoded to {result:?}");
        };
        assert!(
            matches!(error, FaceError::InvalidJpeg2000(_)),
            "{name}: {error:?}"
        );
        assert_eq!(
            error.message_ru(),
            "Фотография в чипе повреждена. Сверьте лицо с фотографией в паспорте.",
            "{name}"
        );
    }
}

#[test]
fn virtual_chip_serves_jp2_face() {
    let lines = sample_fields()
        .to_lines()
        .expect("sample MRZ is valid")
        .to_vec();
    let profile = ChipProfile::new(lines, 0)
        .expect("synthetic photo encodes")
        .with_photo(FACE_JP2.to_vec())
        .expect("the JP2 fixture is a valid photo");
    assert_eq!(profile.photo_format, ImageFormat::Jpeg2000);
    assert_eq!((profile.photo_width, profile.photo_height), (48, 64));

    let issuer = TestIssuer::generate().unwrap();
    let mut chip = VirtualChip::new(profile, &issuer).unwrap();
    let input = BacInput::parse_triple("L898902C,690806,940623").expect("valid BAC input");
    let document = read_document(&mut chip, &input, ReadOptions::default()).unwrap();

    let face_image = document.face.as_ref().expect("DG2 is read");
    assert_eq!(face_image.format, ImageFormat::Jpeg2000);
    assert_eq!((face_image.width, face_image.height), (48, 64));
    assert_eq!(face_image.data, FACE_JP2);
    let image = face::decode_rgba(face_image).unwrap();
    assert_eq!((image.width, image.height), (48, 64));
    assert_near(pixel(&image, 24, 32), [224, 182, 150, 255], "face");
}

#[test]
fn photo_of_unknown_format_is_rejected() {
    let lines = sample_fields().to_lines().unwrap().to_vec();
    let result = ChipProfile::new(lines, 0)
        .unwrap()
        .with_photo(b"\x89PNG\r\n\x1a\n".to_vec());
    assert!(matches!(result, Err(FaceError::InvalidJpeg(_))));
}
