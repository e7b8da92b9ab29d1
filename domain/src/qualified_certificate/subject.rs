//! The certificate holder's data from the subject's attributes: surname
//! (2.5.4.4), given name and patronymic (2.5.4.42), СНИЛС (1.2.643.100.3),
//! ИНН (1.2.643.3.131.1.1), ИННЮЛ (1.2.643.100.4), ОГРН (1.2.643.100.1) and
//! ОГРНИП (1.2.643.100.5).
//!
//! A qualified certificate's `givenName` carries the given name and the
//! patronymic separated by a space («Иван Иванович»). Older certificates
//! put an organisation's 10-digit ИНН into the 12-character ИНН attribute
//! as `00` followed by the ten digits. Such a value is read as the
//! organisation's ИНН, which newer certificates carry as ИННЮЛ.

use serde::Serialize;

use super::error::CertificateError;
use crate::inn::{parse_inn, parse_personal_inn, Inn, InnKind};
use crate::name::{parse_full_name, FullName};
use crate::ogrn::{parse_ogrn, Ogrn, OgrnKind};
use crate::snils::{parse_snils, Snils};

/// Object identifiers of the subject attributes read here, in dotted form.
pub mod oid {
    pub const SURNAME: &str = "2.5.4.4";
    pub const GIVEN_NAME: &str = "2.5.4.42";
    pub const SNILS: &str = "1.2.643.100.3";
    pub const INN: &str = "1.2.643.3.131.1.1";
    pub const ORGANISATION_INN: &str = "1.2.643.100.4";
    pub const OGRN: &str = "1.2.643.100.1";
    pub const OGRNIP: &str = "1.2.643.100.5";
}

/// Prefix of an organisation's ИНН in the older 12-character ИНН attribute.
const PADDED_ORGANISATION_INN_PREFIX: &str = "00";

/// One attribute of the certificate subject: its dotted OID and its value
/// decoded as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectAttribute {
    pub oid: String,
    pub value: String,
}

impl SubjectAttribute {
    /// Creates an attribute from a dotted OID and its text value.
    pub fn new(oid: impl Into<String>, value: impl Into<String>) -> Self {
        SubjectAttribute {
            oid: oid.into(),
            value: value.into(),
        }
    }
}

/// The certificate holder's data, each part checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateHolder {
    /// Surname, given name and patronymic, normalised as the form does.
    pub name: FullName,
    pub snils: Snils,
    /// The holder's own 12-digit ИНН.
    pub inn: Option<Inn>,
    /// The 10-digit ИНН of the organisation named in the certificate, from
    /// ИННЮЛ or from the older `00`-padded ИНН attribute.
    pub organisation_inn: Option<Inn>,
    /// The organisation's ОГРН.
    pub ogrn: Option<Ogrn>,
    /// The sole proprietor's ОГРНИП.
    pub ogrnip: Option<Ogrn>,
}

/// Reads and checks the holder's data from the subject's attributes.
/// Attributes with other OIDs are ignored.
pub fn parse_holder(
    attributes: &[SubjectAttribute],
) -> Result<CertificateHolder, CertificateError> {
    let surname = single(attributes, oid::SURNAME)?;
    let given_names = single(attributes, oid::GIVEN_NAME)?;
    let (Some(surname), Some(given_names)) = (surname, given_names) else {
        return Err(CertificateError::NameMissing);
    };
    let name = parse_name(surname, given_names)?;

    let snils = single(attributes, oid::SNILS)?
        .ok_or(CertificateError::SnilsMissing)
        .and_then(|raw| parse_snils(raw).map_err(|_| CertificateError::SnilsInvalid))?;

    let (inn, padded_organisation_inn) = match single(attributes, oid::INN)? {
        Some(raw) => parse_inn_attribute(raw)?,
        None => (None, None),
    };
    let organisation_inn = match single(attributes, oid::ORGANISATION_INN)? {
        Some(raw) => Some(parse_organisation_inn(raw)?),
        None => None,
    };
    let organisation_inn = match (organisation_inn, padded_organisation_inn) {
        (Some(current), Some(padded)) if current != padded => {
            return Err(CertificateError::OrganisationInnConflict)
        }
        (current, padded) => current.or(padded),
    };

    let ogrn = single(attributes, oid::OGRN)?
        .map(|raw| parse_ogrn(raw, OgrnKind::LegalEntity))
        .transpose()
        .map_err(|_| CertificateError::OgrnInvalid)?;
    let ogrnip = single(attributes, oid::OGRNIP)?
        .map(|raw| parse_ogrn(raw, OgrnKind::SoleProprietor))
        .transpose()
        .map_err(|_| CertificateError::OgrnipInvalid)?;

    Ok(CertificateHolder {
        name,
        snils,
        inn,
        organisation_inn,
        ogrn,
        ogrnip,
    })
}

/// Returns the value of the attribute with `oid`, or `None` when it is
/// absent. The same attribute repeated with the same value counts once.
/// Different values are rejected, because the holder's data would be
/// ambiguous.
fn single<'a>(
    attributes: &'a [SubjectAttribute],
    oid: &'static str,
) -> Result<Option<&'a str>, CertificateError> {
    let mut values = attributes
        .iter()
        .filter(|attribute| attribute.oid == oid)
        .map(|attribute| attribute.value.as_str());
    let first = values.next();
    if let Some(first) = first {
        if values.any(|other| other != first) {
            return Err(CertificateError::RepeatedAttribute { oid });
        }
    }
    Ok(first)
}

/// Splits `givenName` into the given name and the patronymic at the first
/// space and checks all three parts with the form's name rules.
fn parse_name(surname: &str, given_names: &str) -> Result<FullName, CertificateError> {
    let given_names = given_names.trim();
    let (given_name, patronymic) = given_names
        .split_once(char::is_whitespace)
        .unwrap_or((given_names, ""));
    parse_full_name(surname, given_name, patronymic).map_err(|_| CertificateError::NameInvalid)
}

/// Reads the ИНН attribute: a person's 12 digits, or the older `00` + 10
/// digits of an organisation. Returns `(person, organisation)`.
fn parse_inn_attribute(raw: &str) -> Result<(Option<Inn>, Option<Inn>), CertificateError> {
    let raw = raw.trim();
    if raw.len() == 12 {
        if let Some(organisation) = raw.strip_prefix(PADDED_ORGANISATION_INN_PREFIX) {
            return Ok((None, Some(parse_organisation_inn(organisation)?)));
        }
    }
    let person = parse_personal_inn(raw).map_err(|_| CertificateError::InnInvalid)?;
    Ok((Some(person), None))
}

fn parse_organisation_inn(raw: &str) -> Result<Inn, CertificateError> {
    match parse_inn(raw) {
        Ok(inn) if inn.kind() == InnKind::Organisation => Ok(inn),
        _ => Err(CertificateError::OrganisationInnInvalid),
    }
}
