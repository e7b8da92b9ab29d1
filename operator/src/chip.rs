//! What the request view shows about the passport chip: the DG1 fields next
//! to the visitor's typed data, differences marked field by field, the DG2
//! photo and the passive-authentication verdict.
//!
//! Parsing the machine readable zone and comparing Latin transliterations
//! with Cyrillic names belong to `domain::mrz`; [`DomainMrz`] brings them
//! in through the [`MrzInterpreter`] seam, which the UI tests fill with a
//! table instead.

use base64::Engine as _;
use domain::mrz::{compare_cyrillic_name, Mrz, Sex};
use domain::sync::{ChipResult, VisitorData};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::ui::{ChipStatus, FieldKey, FieldRow};

/// DG1 fields of a machine readable zone, as printed in it.
#[derive(Clone, PartialEq, Eq)]
pub struct ChipFields {
    pub surname: String,
    /// Given name and patronymic, space separated, as the zone carries them.
    pub given_names: String,
    pub birth_date: Date,
    pub document_number: String,
    pub expiry_date: Date,
    pub sex: String,
    pub nationality: String,
}

/// Interprets a zone and compares it with typed Cyrillic data.
pub trait MrzInterpreter: Send + Sync {
    /// Parses the zone; `None` when it does not parse or its check digits fail.
    fn parse(&self, mrz: &str) -> Option<ChipFields>;
    /// Tells whether `typed` (Cyrillic) transliterates to `zone` (Latin) under
    /// any transliteration Russian passports use.
    fn name_matches(&self, typed: &str, zone: &str) -> bool;
    /// Tells whether the travel passport number the visitor typed for Basic
    /// Access Control is the zone's document number.
    fn document_matches(&self, typed: &str, zone: &str) -> bool;
}

/// An interpreter that parses nothing, for a console built without
/// `domain::mrz`: chip data are then shown as not interpretable.
// TODO: replace with `domain::mrz` once the card work is merged.
#[derive(Debug, Default)]
pub struct NoMrzInterpreter;

impl MrzInterpreter for NoMrzInterpreter {
    fn parse(&self, _mrz: &str) -> Option<ChipFields> {
        None
    }

    fn name_matches(&self, _typed: &str, _zone: &str) -> bool {
        false
    }

    fn document_matches(&self, _typed: &str, _zone: &str) -> bool {
        false
    }
}

/// The interpreter of `domain::mrz`: TD1 and TD3 zones with every check
/// digit verified, names compared under each transliteration Russian
/// documents use.
#[derive(Debug, Default)]
pub struct DomainMrz;

impl MrzInterpreter for DomainMrz {
    fn parse(&self, mrz: &str) -> Option<ChipFields> {
        let zone = match Mrz::parse(mrz) {
            Ok(zone) => zone,
            Err(error) => {
                tracing::warn!(cause = %error, "chip zone does not parse");
                return None;
            }
        };
        let this_year = TimeZone::UTC.to_datetime(Timestamp::now()).year();
        let birth_date = Date::new(
            zone.birth_date.birth_year(this_year),
            i8::try_from(zone.birth_date.month).ok()?,
            i8::try_from(zone.birth_date.day).ok()?,
        )
        .ok()?;
        let expiry_date = Date::new(
            zone.expiry_date.expiry_year(),
            i8::try_from(zone.expiry_date.month).ok()?,
            i8::try_from(zone.expiry_date.day).ok()?,
        )
        .ok()?;
        Some(ChipFields {
            surname: zone.surname,
            given_names: zone.given_names,
            birth_date,
            document_number: zone.document_number,
            expiry_date,
            sex: match zone.sex {
                Sex::Male => "M",
                Sex::Female => "F",
                Sex::Unspecified => "<",
            }
            .to_owned(),
            nationality: zone.nationality,
        })
    }

    fn name_matches(&self, typed: &str, zone: &str) -> bool {
        // TODO: pass the zone's truncation flag once `ChipFields` carries it,
        // so a long name cut at the zone's edge is not marked as different.
        compare_cyrillic_name(typed, zone, false).is_match()
    }

    /// The typed number matches when it is the zone's number without the
    /// `<` filler a zone pads short numbers with.
    fn document_matches(&self, typed: &str, zone: &str) -> bool {
        let typed = typed.trim();
        !typed.is_empty() && typed == zone.trim_end_matches('<')
    }
}

/// The request view's chip section.
pub struct ChipView {
    pub status: ChipStatus,
    pub rows: Vec<FieldRow>,
    pub mismatches: i32,
    pub photo: Option<slint::Image>,
}

/// Builds the rows of typed and chip data with their differences.
pub fn compare(
    visitor: &VisitorData,
    chip: Option<&ChipResult>,
    mrz: &dyn MrzInterpreter,
) -> ChipView {
    let fields = chip.and_then(|chip| mrz.parse(&chip.mrz));
    let status = match (chip, &fields) {
        (None, _) => ChipStatus::NotRead,
        (Some(_), None) => ChipStatus::Unreadable,
        (Some(chip), Some(_)) => match chip.passive_auth.as_str() {
            "passed" => ChipStatus::Passed,
            "failed" => ChipStatus::Failed,
            _ => ChipStatus::NotChecked,
        },
    };

    let typed_given = match &visitor.patronymic {
        Some(patronymic) => format!("{} {}", visitor.given_name, patronymic),
        None => visitor.given_name.clone(),
    };
    let mut rows = Vec::new();
    match (&fields, chip) {
        (Some(zone), Some(chip)) => {
            rows.push(row(
                FieldKey::Surname,
                &visitor.surname,
                &zone.surname,
                !mrz.name_matches(&visitor.surname, &zone.surname),
            ));
            rows.push(row(
                FieldKey::GivenNames,
                &typed_given,
                &zone.given_names,
                !mrz.name_matches(&typed_given, &zone.given_names),
            ));
            rows.push(row(
                FieldKey::BirthDate,
                &format_date(visitor.birth_date),
                &format_date(zone.birth_date),
                visitor.birth_date != zone.birth_date,
            ));
            // The chip belongs to the travel passport, so its number and
            // expiry are compared with the values typed for the chip read.
            // A request from a kiosk that did not send them shows the chip
            // side alone.
            let typed_number = chip.typed_document_number.as_deref().unwrap_or("");
            rows.push(row(
                FieldKey::TravelDocumentNumber,
                typed_number,
                &zone.document_number,
                !typed_number.is_empty()
                    && !mrz.document_matches(typed_number, &zone.document_number),
            ));
            rows.push(row(
                FieldKey::ExpiryDate,
                &chip.typed_expiry_date.map(format_date).unwrap_or_default(),
                &format_date(zone.expiry_date),
                chip.typed_expiry_date
                    .is_some_and(|typed| typed != zone.expiry_date),
            ));
            rows.push(row(FieldKey::Sex, "", &zone.sex, false));
            rows.push(row(FieldKey::Nationality, "", &zone.nationality, false));
        }
        _ => {
            rows.push(row(FieldKey::Surname, &visitor.surname, "", false));
            rows.push(row(FieldKey::GivenNames, &typed_given, "", false));
            rows.push(row(
                FieldKey::BirthDate,
                &format_date(visitor.birth_date),
                "",
                false,
            ));
        }
    }
    // The internal passport has no chip, so it is shown as typed only.
    rows.push(row(
        FieldKey::DocumentNumber,
        &visitor.passport_number,
        "",
        false,
    ));
    rows.push(row(
        FieldKey::IssueDate,
        &format_date(visitor.passport_issue_date),
        "",
        false,
    ));
    rows.push(row(FieldKey::Issuer, &visitor.passport_issuer, "", false));
    rows.push(row(
        FieldKey::DivisionCode,
        &visitor.division_code,
        "",
        false,
    ));
    rows.push(row(FieldKey::Snils, &visitor.snils, "", false));
    rows.push(row(
        FieldKey::Inn,
        visitor.inn.as_deref().unwrap_or(""),
        "",
        false,
    ));
    rows.push(row(
        FieldKey::Phone,
        &format_phone(&visitor.phone),
        "",
        false,
    ));
    rows.push(row(
        FieldKey::Email,
        visitor.email.as_deref().unwrap_or(""),
        "",
        false,
    ));

    let mismatches = rows.iter().filter(|row| row.mismatch).count();
    ChipView {
        status,
        rows,
        mismatches: i32::try_from(mismatches).unwrap_or(i32::MAX),
        photo: chip
            .and_then(|chip| chip.photo_base64.as_deref())
            .and_then(decode_photo),
    }
}

fn row(key: FieldKey, typed: &str, chip: &str, mismatch: bool) -> FieldRow {
    FieldRow {
        key,
        typed: typed.into(),
        chip: chip.into(),
        mismatch,
    }
}

/// Formats a date as the passport prints it, `ДД.ММ.ГГГГ`.
pub fn format_date(date: Date) -> String {
    date.strftime("%d.%m.%Y").to_string()
}

/// Formats `+7XXXXXXXXXX` as `+7 XXX XXX-XX-XX`; other text is shown as is.
fn format_phone(phone: &str) -> String {
    let digits = phone.strip_prefix("+7").unwrap_or("");
    if digits.len() != 10 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return phone.to_owned();
    }
    format!(
        "+7 {} {}-{}-{}",
        &digits[0..3],
        &digits[3..6],
        &digits[6..8],
        &digits[8..10]
    )
}

/// Decodes the base64 DG2 face image (JPEG 2000 through the card layer's
/// decoder, JPEG or PNG through `image`) into a Slint image. Returns `None`
/// for anything that does not decode; the view then says there is no photo.
fn decode_photo(base64_text: &str) -> Option<slint::Image> {
    use hardware::card::emrtd::face;
    use hardware::card::emrtd::lds::{FaceImage, ImageFormat};

    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64_text.trim())
        .ok()?;
    let (width, height, pixels) = if face::detect_format(&bytes) == Some(ImageFormat::Jpeg2000) {
        let decoded = face::decode_rgba(&FaceImage {
            format: ImageFormat::Jpeg2000,
            width: 0,
            height: 0,
            data: bytes,
        })
        .map_err(|error| tracing::warn!(cause = %error, "chip photo does not decode"))
        .ok()?;
        (decoded.width, decoded.height, decoded.pixels)
    } else {
        let decoded = image::load_from_memory(&bytes).ok()?.into_rgba8();
        (decoded.width(), decoded.height(), decoded.into_raw())
    };
    let buffer =
        slint::SharedPixelBuffer::<slint::Rgba8Pixel>::clone_from_slice(&pixels, width, height);
    Some(slint::Image::from_rgba8(buffer))
}
