//! A certificate revocation list (RFC 5280 section 5) decoded once, with
//! the values matched against a path's certificates.

use der::{Decode, Encode};
use jiff::Timestamp;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::AuthorityKeyIdentifier;
use x509_cert::serial_number::SerialNumber;

use super::super::x509::timestamp;
use super::certificate::first_element;

/// A CRL from the trust directory.
#[derive(Debug, Clone)]
pub(crate) struct RevocationList {
    pub(crate) list: CertificateList,
    /// The `tbsCertList` exactly as it appears in the DER received.
    pub(crate) tbs_der: Vec<u8>,
    pub(crate) issuer_der: Vec<u8>,
    pub(crate) authority_key_id: Option<Vec<u8>>,
    pub(crate) this_update: Timestamp,
    pub(crate) next_update: Option<Timestamp>,
}

impl RevocationList {
    /// Decodes a DER CRL. The error is the decoder's message.
    pub(crate) fn decode(der: &[u8]) -> Result<RevocationList, String> {
        let list = CertificateList::from_der(der).map_err(|e| e.to_string())?;
        let tbs = &list.tbs_cert_list;

        let authority_key_id = match tbs.crl_extensions.as_deref() {
            Some(extensions) => extensions
                .iter()
                .find(|extension| {
                    extension.extn_id == <AuthorityKeyIdentifier as const_oid::AssociatedOid>::OID
                })
                .map(|extension| AuthorityKeyIdentifier::from_der(extension.extn_value.as_bytes()))
                .transpose()
                .map_err(|e| format!("authorityKeyIdentifier extension: {e}"))?
                .and_then(|id| id.key_identifier)
                .map(|id| id.as_bytes().to_vec()),
            None => None,
        };
        let next_update = tbs
            .next_update
            .as_ref()
            .map(timestamp)
            .transpose()
            .map_err(|e| e.to_string())?;

        Ok(RevocationList {
            tbs_der: first_element(der)?.to_vec(),
            issuer_der: tbs.issuer.to_der().map_err(|e| e.to_string())?,
            authority_key_id,
            this_update: timestamp(&tbs.this_update).map_err(|e| e.to_string())?,
            next_update,
            list,
        })
    }

    /// Returns when the certificate with `serial` was revoked, or `None`
    /// when this list does not name it.
    pub(crate) fn revoked_at(&self, serial: &SerialNumber) -> Option<Timestamp> {
        let entries = self.list.tbs_cert_list.revoked_certificates.as_deref()?;
        let entry = entries
            .iter()
            .find(|entry| entry.serial_number.as_bytes() == serial.as_bytes())?;
        // A revocation date out of jiff's range still means "revoked".
        Some(timestamp(&entry.revocation_date).unwrap_or(Timestamp::MIN))
    }
}
