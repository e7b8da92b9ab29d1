//! Parsing a DER X.509 certificate into the values the qualified
//! certificate rules check: the subject's attributes as text, the validity
//! period, and the public key's algorithm and size.
//!
//! Subject values are decoded from the ASN.1 string types certificates
//! use (UTF8String, PrintableString, NumericString, IA5String,
//! VisibleString, BMPString). An attribute of any other type is skipped, so
//! the rules see it as absent. Signatures, extensions and the chain are
//! checked by [`super::trust`], not here.

use const_oid::ObjectIdentifier;
use der::{Decode, Encode, Tag, Tagged};
use jiff::Timestamp;
use rsa::traits::PublicKeyParts;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::time::Time;
use x509_cert::Certificate;

use super::error::CertificateError;
use super::{CertificateFacts, EcCurve, KeyAlgorithm, SubjectAttribute};

/// Algorithm identifiers of subject public keys.
pub mod key_oid {
    use const_oid::ObjectIdentifier;

    pub const RSA_ENCRYPTION: ObjectIdentifier =
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
    pub const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
    pub const GOST_2012_256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.1.1");
    pub const GOST_2012_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.1.2");
    pub const GOST_2001: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.2.2.19");
}

/// A decoded certificate with the values the rules check.
#[derive(Debug, Clone)]
pub struct ParsedCertificate {
    /// The certificate as given, in DER.
    pub der: Vec<u8>,
    /// The serial number in upper-case hex.
    pub serial_hex: String,
    /// The issuer's distinguished name in RFC 4514 form.
    pub issuer: String,
    /// Subject, validity and key, for [`super::check_certificate`].
    pub facts: CertificateFacts,
    /// The decoded certificate, for callers that verify with its key.
    pub certificate: Certificate,
}

/// Parses a DER certificate.
///
/// Returns [`CertificateError::Malformed`] when the bytes are not a DER
/// X.509 certificate, its validity times are out of range, or its RSA or
/// EC public key cannot be decoded.
pub fn parse_certificate(der: &[u8]) -> Result<ParsedCertificate, CertificateError> {
    let certificate = Certificate::from_der(der).map_err(|e| malformed(e.to_string()))?;
    let tbs = &certificate.tbs_certificate;

    let subject = tbs
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .filter_map(subject_attribute)
        .collect();
    let facts = CertificateFacts {
        subject,
        not_before: timestamp(&tbs.validity.not_before)?,
        not_after: timestamp(&tbs.validity.not_after)?,
        key: key_algorithm(&tbs.subject_public_key_info)?,
    };

    Ok(ParsedCertificate {
        der: der.to_vec(),
        serial_hex: hex::encode_upper(tbs.serial_number.as_bytes()),
        issuer: tbs.issuer.to_string(),
        facts,
        certificate,
    })
}

pub(crate) fn malformed(detail: String) -> CertificateError {
    CertificateError::Malformed { detail }
}

fn subject_attribute(attribute: &AttributeTypeAndValue) -> Option<SubjectAttribute> {
    let bytes = attribute.value.value();
    let text = match attribute.value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::NumericString
        | Tag::Ia5String
        | Tag::VisibleString => String::from_utf8(bytes.to_vec()).ok()?,
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16(&units).ok()?
        }
        _ => return None,
    };
    Some(SubjectAttribute::new(attribute.oid.to_string(), text))
}

/// Converts an X.509 time (UTCTime or GeneralizedTime) to a timestamp.
pub(crate) fn timestamp(time: &Time) -> Result<Timestamp, CertificateError> {
    let since_epoch = time.to_unix_duration();
    let seconds = i64::try_from(since_epoch.as_secs()).map_err(|_| {
        malformed(format!(
            "time {since_epoch:?} after the epoch is out of range"
        ))
    })?;
    Timestamp::from_second(seconds).map_err(|e| malformed(format!("time out of range: {e}")))
}

fn key_algorithm(spki: &spki::SubjectPublicKeyInfoOwned) -> Result<KeyAlgorithm, CertificateError> {
    let oid = spki.algorithm.oid;
    let algorithm = if oid == key_oid::RSA_ENCRYPTION {
        let der = spki.to_der().map_err(|e| malformed(e.to_string()))?;
        let key = <rsa::RsaPublicKey as rsa::pkcs8::DecodePublicKey>::from_public_key_der(&der)
            .map_err(|e| malformed(format!("RSA public key: {e}")))?;
        let modulus_bits = u32::try_from(key.n().bits()).map_err(|e| malformed(e.to_string()))?;
        KeyAlgorithm::Rsa { modulus_bits }
    } else if oid == key_oid::EC_PUBLIC_KEY {
        KeyAlgorithm::Ec {
            curve: EcCurve::from_oid(&named_curve(spki)?.to_string()),
        }
    } else if oid == key_oid::GOST_2012_256 {
        KeyAlgorithm::Gost2012_256
    } else if oid == key_oid::GOST_2012_512 {
        KeyAlgorithm::Gost2012_512
    } else if oid == key_oid::GOST_2001 {
        KeyAlgorithm::Gost2001
    } else {
        KeyAlgorithm::Other {
            oid: oid.to_string(),
        }
    };
    Ok(algorithm)
}

/// Returns the named curve of an EC public key's parameters.
pub(crate) fn named_curve(
    spki: &spki::SubjectPublicKeyInfoOwned,
) -> Result<ObjectIdentifier, CertificateError> {
    spki.algorithm
        .parameters
        .as_ref()
        .ok_or_else(|| malformed("EC public key without curve parameters".to_owned()))?
        .decode_as::<ObjectIdentifier>()
        .map_err(|e| malformed(format!("EC curve is not a named curve: {e}")))
}
