//! A certificate decoded once with the values path building compares:
//! names and key identifiers as DER, validity, basicConstraints, keyUsage,
//! and the exact bytes its issuer signed.

use der::{Decode, Encode};
use jiff::Timestamp;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectKeyIdentifier,
};
use x509_cert::Certificate;

use super::super::x509::timestamp;

/// A certificate of a path: the visitor's or one from the trust directory.
#[derive(Debug, Clone)]
pub(crate) struct ChainCertificate {
    pub(crate) certificate: Certificate,
    pub(crate) der: Vec<u8>,
    /// The `tbsCertificate` exactly as it appears in `der`.
    pub(crate) tbs_der: Vec<u8>,
    pub(crate) subject_der: Vec<u8>,
    pub(crate) issuer_der: Vec<u8>,
    /// The subject in RFC 4514 form. Only certification centers' subjects
    /// are shown in errors, because a leaf's subject is personal data.
    pub(crate) subject: String,
    pub(crate) subject_key_id: Option<Vec<u8>>,
    pub(crate) authority_key_id: Option<Vec<u8>>,
    pub(crate) not_before: Timestamp,
    pub(crate) not_after: Timestamp,
    pub(crate) basic_constraints: Option<BasicConstraints>,
    pub(crate) key_usage: Option<KeyUsage>,
}

impl ChainCertificate {
    /// Decodes a DER certificate. The error is the decoder's message.
    pub(crate) fn decode(der: &[u8]) -> Result<ChainCertificate, String> {
        let certificate = Certificate::from_der(der).map_err(|e| e.to_string())?;
        ChainCertificate::from_decoded(der, certificate)
    }

    /// Reads the path-building values of a certificate already decoded
    /// from `der`.
    pub(crate) fn from_decoded(
        der: &[u8],
        certificate: Certificate,
    ) -> Result<ChainCertificate, String> {
        let tbs = &certificate.tbs_certificate;
        let extension = |name: &str, e: der::Error| format!("{name} extension: {e}");

        let subject_key_id = tbs
            .get::<SubjectKeyIdentifier>()
            .map_err(|e| extension("subjectKeyIdentifier", e))?
            .map(|(_, id)| id.0.as_bytes().to_vec());
        let authority_key_id = tbs
            .get::<AuthorityKeyIdentifier>()
            .map_err(|e| extension("authorityKeyIdentifier", e))?
            .and_then(|(_, id)| id.key_identifier)
            .map(|id| id.as_bytes().to_vec());
        let basic_constraints = tbs
            .get::<BasicConstraints>()
            .map_err(|e| extension("basicConstraints", e))?
            .map(|(_, constraints)| constraints);
        let key_usage = tbs
            .get::<KeyUsage>()
            .map_err(|e| extension("keyUsage", e))?
            .map(|(_, usage)| usage);

        Ok(ChainCertificate {
            der: der.to_vec(),
            tbs_der: first_element(der)?.to_vec(),
            subject_der: tbs.subject.to_der().map_err(|e| e.to_string())?,
            issuer_der: tbs.issuer.to_der().map_err(|e| e.to_string())?,
            subject: tbs.subject.to_string(),
            subject_key_id,
            authority_key_id,
            not_before: timestamp(&tbs.validity.not_before).map_err(|e| e.to_string())?,
            not_after: timestamp(&tbs.validity.not_after).map_err(|e| e.to_string())?,
            basic_constraints,
            key_usage,
            certificate,
        })
    }

    /// Returns whether this certificate may issue certificates: `cA` is set
    /// and keyUsage, when present, allows `keyCertSign` (RFC 5280 sections
    /// 4.2.1.3 and 4.2.1.9).
    pub(crate) fn is_certification_center(&self) -> bool {
        let ca = self
            .basic_constraints
            .as_ref()
            .is_some_and(|constraints| constraints.ca);
        let may_sign = self
            .key_usage
            .as_ref()
            .is_none_or(|usage| usage.key_cert_sign());
        ca && may_sign
    }

    /// Returns whether this certificate may sign CRLs: keyUsage, when
    /// present, allows `cRLSign`.
    pub(crate) fn may_sign_crls(&self) -> bool {
        self.key_usage.as_ref().is_none_or(|usage| usage.crl_sign())
    }

    /// Returns whether `self` is valid at `now`, bounds included.
    pub(crate) fn is_valid_at(&self, now: Timestamp) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

/// Returns the first element of a DER SEQUENCE, tag and length included.
///
/// Certificates and CRLs are `SEQUENCE { tbs, algorithm, signature }`, and
/// the signature covers the `tbs` bytes as they were received, so they
/// are taken from the input instead of being encoded again.
pub(crate) fn first_element(der: &[u8]) -> Result<&[u8], String> {
    use der::{Header, Reader, SliceReader};

    let mut reader = SliceReader::new(der).map_err(|e| e.to_string())?;
    Header::decode(&mut reader).map_err(|e| e.to_string())?;
    reader.tlv_bytes().map_err(|e| e.to_string())
}
