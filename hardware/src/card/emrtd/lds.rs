//! The logical data structure files Okno reads (ICAO 9303 Part 10): EF.COM,
//! DG1 (the MRZ) and DG2 (the face), and the file identifiers of all of
//! them. EF.SOD is interpreted by [`super::passive`].

use domain::mrz::{Mrz, MrzError};

use super::tlv::{self, TlvError};

/// An elementary file of the eMRTD application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EfId {
    Com,
    Sod,
    /// Data group 1 to 16.
    Dg(u8),
}

impl EfId {
    /// Returns the two-byte file identifier SELECT uses (`01 1E`, `01 1D`, `01 0n`).
    pub fn file_id(self) -> [u8; 2] {
        match self {
            EfId::Com => [0x01, 0x1E],
            EfId::Sod => [0x01, 0x1D],
            EfId::Dg(number) => [0x01, number],
        }
    }

    /// Returns the outer tag of the file's content.
    pub fn tag(self) -> u32 {
        match self {
            EfId::Com => 0x60,
            EfId::Sod => 0x77,
            EfId::Dg(number) => dg_tag(number).unwrap_or(0),
        }
    }

    pub fn name(self) -> String {
        match self {
            EfId::Com => "EF.COM".to_owned(),
            EfId::Sod => "EF.SOD".to_owned(),
            EfId::Dg(number) => format!("DG{number}"),
        }
    }
}

const DG_TAGS: [(u8, u32); 16] = [
    (1, 0x61),
    (2, 0x75),
    (3, 0x63),
    (4, 0x76),
    (5, 0x65),
    (6, 0x66),
    (7, 0x67),
    (8, 0x68),
    (9, 0x69),
    (10, 0x6A),
    (11, 0x6B),
    (12, 0x6C),
    (13, 0x6D),
    (14, 0x6E),
    (15, 0x6F),
    (16, 0x70),
];

fn dg_tag(number: u8) -> Option<u32> {
    DG_TAGS
        .iter()
        .find(|(n, _)| *n == number)
        .map(|(_, tag)| *tag)
}

fn dg_number(tag: u8) -> Option<u8> {
    DG_TAGS
        .iter()
        .find(|(_, t)| *t == u32::from(tag))
        .map(|(n, _)| *n)
}

/// Failure to interpret an LDS file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LdsError {
    #[error("{file}: {source}")]
    Tlv { file: String, source: TlvError },
    #[error("{file}: data object {tag:X} missing")]
    Missing { file: String, tag: u32 },
    #[error("DG1: MRZ of {0} characters is neither TD1 (90) nor TD3 (88)")]
    MrzLength(usize),
    #[error("DG1: {0}")]
    Mrz(MrzError),
    #[error("DG2: {0}")]
    Face(String),
}

fn tlv_error(file: &str) -> impl Fn(TlvError) -> LdsError + '_ {
    move |source| LdsError::Tlv {
        file: file.to_owned(),
        source,
    }
}

/// EF.COM: the LDS version and the data groups present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Com {
    pub lds_version: String,
    pub unicode_version: String,
    pub data_groups: Vec<u8>,
}

impl Com {
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        let outer = tlv::expect(bytes, 0x60).map_err(tlv_error("EF.COM"))?;
        let objects = tlv::decode_all(outer.value).map_err(tlv_error("EF.COM"))?;
        let text = |tag: u32| {
            objects
                .iter()
                .find(|object| object.tag == tag)
                .map(|object| String::from_utf8_lossy(object.value).into_owned())
                .unwrap_or_default()
        };
        let list = objects
            .iter()
            .find(|object| object.tag == 0x5C)
            .ok_or(LdsError::Missing {
                file: "EF.COM".to_owned(),
                tag: 0x5C,
            })?;
        Ok(Com {
            lds_version: text(0x5F01),
            unicode_version: text(0x5F36),
            data_groups: list
                .value
                .iter()
                .filter_map(|&tag| dg_number(tag))
                .collect(),
        })
    }

    /// Encodes EF.COM (for the virtual chip).
    pub fn encode(&self) -> Vec<u8> {
        let mut body = tlv::encode(0x5F01, self.lds_version.as_bytes());
        body.extend(tlv::encode(0x5F36, self.unicode_version.as_bytes()));
        let tags: Vec<u8> = self
            .data_groups
            .iter()
            .filter_map(|&n| dg_tag(n))
            .map(|tag| tag as u8)
            .collect();
        body.extend(tlv::encode(0x5C, &tags));
        tlv::encode(0x60, &body)
    }
}

/// Parses DG1 into the MRZ it contains (tag `61`, then `5F1F`).
pub fn parse_dg1(bytes: &[u8]) -> Result<Mrz, LdsError> {
    let outer = tlv::expect(bytes, 0x61).map_err(tlv_error("DG1"))?;
    let mrz = tlv::find(outer.value, 0x5F1F)
        .map_err(tlv_error("DG1"))?
        .ok_or(LdsError::Missing {
            file: "DG1".to_owned(),
            tag: 0x5F1F,
        })?;
    let text = String::from_utf8_lossy(mrz.value);
    let line_length = match text.len() {
        90 => 30,
        88 => 44,
        other => return Err(LdsError::MrzLength(other)),
    };
    let lines: Vec<&str> = (0..text.len() / line_length)
        .map(|i| &text[i * line_length..(i + 1) * line_length])
        .collect();
    Mrz::parse(&lines.join("\n")).map_err(LdsError::Mrz)
}

/// Encodes DG1 from MRZ lines (for the virtual chip).
pub fn encode_dg1(mrz_lines: &[&str]) -> Vec<u8> {
    tlv::encode(0x61, &tlv::encode(0x5F1F, mrz_lines.concat().as_bytes()))
}

/// Encoding of a face image, from the ISO 19794-5 image data type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Jpeg2000,
}

/// The first face image of DG2, still encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceImage {
    pub format: ImageFormat,
    /// Width and height from the ISO 19794-5 image information.
    pub width: u16,
    pub height: u16,
    pub data: Vec<u8>,
}

/// Lengths of the fixed parts of an ISO 19794-5 (2005) facial record.
const FAC_HEADER: usize = 14;
const FACIAL_INFORMATION: usize = 20;
const FEATURE_POINT: usize = 8;
const IMAGE_INFORMATION: usize = 12;

/// Extracts the first face image from DG2: `75` → `7F61` → `7F60` →
/// `5F2E` (or `7F2E`), an ISO 19794-5 record.
pub fn parse_dg2(bytes: &[u8]) -> Result<FaceImage, LdsError> {
    let err = tlv_error("DG2");
    let outer = tlv::expect(bytes, 0x75).map_err(&err)?;
    let group = tlv::expect(outer.value, 0x7F61).map_err(&err)?;
    let template = tlv::find(group.value, 0x7F60)
        .map_err(&err)?
        .ok_or(LdsError::Missing {
            file: "DG2".to_owned(),
            tag: 0x7F60,
        })?;
    let objects = tlv::decode_all(template.value).map_err(&err)?;
    let block = objects
        .iter()
        .find(|object| object.tag == 0x5F2E || object.tag == 0x7F2E)
        .ok_or(LdsError::Missing {
            file: "DG2".to_owned(),
            tag: 0x5F2E,
        })?
        .value;
    parse_facial_record(block)
}

fn parse_facial_record(block: &[u8]) -> Result<FaceImage, LdsError> {
    if block.len() < FAC_HEADER + FACIAL_INFORMATION + IMAGE_INFORMATION || &block[..4] != b"FAC\0"
    {
        return Err(LdsError::Face(
            "biometric data block is not an ISO 19794-5 facial record".to_owned(),
        ));
    }
    let info = &block[FAC_HEADER..];
    let feature_points = usize::from(u16::from_be_bytes([info[4], info[5]]));
    let image_info_start = FAC_HEADER + FACIAL_INFORMATION + feature_points * FEATURE_POINT;
    let image_start = image_info_start + IMAGE_INFORMATION;
    if block.len() <= image_start {
        return Err(LdsError::Face(
            "facial record ends before its image".to_owned(),
        ));
    }
    let image_info = &block[image_info_start..image_start];
    let format = match image_info[1] {
        0 => ImageFormat::Jpeg,
        1 => ImageFormat::Jpeg2000,
        other => return Err(LdsError::Face(format!("unknown image data type {other}"))),
    };
    Ok(FaceImage {
        format,
        width: u16::from_be_bytes([image_info[2], image_info[3]]),
        height: u16::from_be_bytes([image_info[4], image_info[5]]),
        data: block[image_start..].to_vec(),
    })
}

/// Encodes DG2 holding one face image (for the virtual chip), with a
/// minimal ISO 19794-5 record: no feature points, full frontal image.
pub fn encode_dg2(image: &FaceImage) -> Vec<u8> {
    let record_length =
        (FAC_HEADER + FACIAL_INFORMATION + IMAGE_INFORMATION + image.data.len()) as u32;
    let mut record = Vec::with_capacity(record_length as usize);
    record.extend_from_slice(b"FAC\x00010\x00"); // format id and version "010"
    record.extend_from_slice(&record_length.to_be_bytes());
    record.extend_from_slice(&1u16.to_be_bytes());
    let block_length = record_length - FAC_HEADER as u32;
    record.extend_from_slice(&block_length.to_be_bytes());
    record.extend_from_slice(&[0, 0]); // feature points
    record.extend_from_slice(&[0; 14]); // gender, eyes, hair, mask, expression, pose
    record.push(1); // face image type: full frontal
    record.push(match image.format {
        ImageFormat::Jpeg => 0,
        ImageFormat::Jpeg2000 => 1,
    });
    record.extend_from_slice(&image.width.to_be_bytes());
    record.extend_from_slice(&image.height.to_be_bytes());
    record.extend_from_slice(&[1, 0, 0, 0, 0, 0]); // colour space sRGB, source, device, quality
    record.extend_from_slice(&image.data);

    let mut header = tlv::encode(0x02, &[1]); // one biometric in the group
    let mut template = tlv::encode(0xA1, &tlv::encode(0x80, &[1, 1]));
    template.extend(tlv::encode(0x5F2E, &record));
    header.extend(tlv::encode(0x7F60, &template));
    tlv::encode(0x75, &tlv::encode(0x7F61, &header))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::hex;

    #[test]
    fn appendix_d_com_parses() {
        // EF.COM read in ICAO 9303 Part 11 Appendix D.4.
        let com = Com::parse(&hex::decode("60145F0104303130365F36063034303030305C026175")).unwrap();
        assert_eq!(com.lds_version, "0106");
        assert_eq!(com.unicode_version, "040000");
        assert_eq!(com.data_groups, vec![1, 2]);
        assert_eq!(
            hex::encode(&com.encode()),
            "60145F0104303130365F36063034303030305C026175"
        );
    }

    #[test]
    fn dg1_round_trips() {
        let lines = [
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ];
        let bytes = encode_dg1(&lines);
        assert_eq!(&bytes[..5], &hex::decode("615B5F1F58"));
        let mrz = parse_dg1(&bytes).unwrap();
        assert_eq!(mrz.surname, "ERIKSSON");
        assert_eq!(mrz.document_number, "L898902C3");
    }

    #[test]
    fn dg1_wrong_length_is_reported() {
        assert_eq!(
            parse_dg1(&encode_dg1(&["P<UTO"])),
            Err(LdsError::MrzLength(5))
        );
    }

    #[test]
    fn dg2_round_trips() {
        let image = FaceImage {
            format: ImageFormat::Jpeg2000,
            width: 240,
            height: 320,
            data: vec![0xFF, 0x4F, 1, 2, 3],
        };
        let parsed = parse_dg2(&encode_dg2(&image)).unwrap();
        assert_eq!(parsed, image);
    }

    #[test]
    fn ef_ids_and_tags() {
        assert_eq!(EfId::Dg(2).file_id(), [0x01, 0x02]);
        assert_eq!(EfId::Dg(2).tag(), 0x75);
        assert_eq!(EfId::Sod.file_id(), [0x01, 0x1D]);
        assert_eq!(EfId::Com.name(), "EF.COM");
    }
}
