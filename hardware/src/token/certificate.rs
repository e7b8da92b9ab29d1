//! Parsing a token's X.509 certificate (DER) into the values the
//! `domain::qualified_certificate` rules check: the subject's attributes
//! as text, the validity period, and the public key's algorithm and size.
//!
//! Subject values are decoded from the ASN.1 string types certificates
//! use (UTF8String, PrintableString, NumericString, IA5String, BMPString);
//! an attribute of any other type is skipped, so the rules see it as
//! absent. Signatures, extensions and the chain are not looked at here.

use const_oid::ObjectIdentifier;
use der::{Decode, Encode, Tag, Tagged};
use domain::qualified_certificate::{CertificateFacts, EcCurve, KeyAlgorithm, SubjectAttribute};
use jiff::Timestamp;
use rsa::traits::PublicKeyParts;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::time::Time;
use x509_cert::Certificate;

use super::error::TokenError;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const GOST_2012_256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.1.1");
const GOST_2012_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.7.1.1.1.2");
const GOST_2001: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.643.2.2.19");

/// A certificate read from a token, with the values the rules check.
#[derive(Debug, Clone)]
pub struct ParsedCertificate {
    /// The certificate as stored, in DER.
    pub der: Vec<u8>,
    /// The serial number in upper-case hex.
    pub serial_hex: String,
    /// The issuer's distinguished name in RFC 4514 form.
    pub issuer: String,
    /// Subject, validity and key, for `domain::qualified_certificate`.
    pub facts: CertificateFacts,
    /// The decoded certificate, for callers that verify with its key.
    pub certificate: Certificate,
}

/// Parses a DER certificate.
pub fn parse_certificate(der: &[u8]) -> Result<ParsedCertificate, TokenError> {
    let malformed = |detail: String| TokenError::MalformedCertificate { detail };
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
        serial_hex: crate::card::hex::encode(tbs.serial_number.as_bytes()),
        issuer: tbs.issuer.to_string(),
        facts,
        certificate,
    })
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
        other => {
            tracing::debug!(oid = %attribute.oid, tag = %other, "skipping subject attribute of a non-string type");
            return None;
        }
    };
    Some(SubjectAttribute::new(attribute.oid.to_string(), text))
}

fn timestamp(time: &Time) -> Result<Timestamp, TokenError> {
    let since_epoch = time.to_unix_duration();
    let seconds =
        i64::try_from(since_epoch.as_secs()).map_err(|_| TokenError::MalformedCertificate {
            detail: format!("validity time {since_epoch:?} after the epoch is out of range"),
        })?;
    Timestamp::from_second(seconds).map_err(|e| TokenError::MalformedCertificate {
        detail: format!("validity time out of range: {e}"),
    })
}

fn key_algorithm(spki: &spki::SubjectPublicKeyInfoOwned) -> Result<KeyAlgorithm, TokenError> {
    let malformed = |detail: String| TokenError::MalformedCertificate { detail };
    let oid = spki.algorithm.oid;
    let algorithm = if oid == RSA_ENCRYPTION {
        let der = spki.to_der().map_err(|e| malformed(e.to_string()))?;
        let key = <rsa::RsaPublicKey as rsa::pkcs8::DecodePublicKey>::from_public_key_der(&der)
            .map_err(|e| malformed(format!("RSA public key: {e}")))?;
        let modulus_bits = u32::try_from(key.n().bits()).map_err(|e| malformed(e.to_string()))?;
        KeyAlgorithm::Rsa { modulus_bits }
    } else if oid == EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .ok_or_else(|| malformed("EC public key without curve parameters".to_owned()))?
            .decode_as::<ObjectIdentifier>()
            .map_err(|e| malformed(format!("EC curve is not a named curve: {e}")))?;
        KeyAlgorithm::Ec {
            curve: EcCurve::from_oid(&curve.to_string()),
        }
    } else if oid == GOST_2012_256 {
        KeyAlgorithm::Gost2012_256
    } else if oid == GOST_2012_512 {
        KeyAlgorithm::Gost2012_512
    } else if oid == GOST_2001 {
        KeyAlgorithm::Gost2001
    } else {
        KeyAlgorithm::Other {
            oid: oid.to_string(),
        }
    };
    Ok(algorithm)
}
