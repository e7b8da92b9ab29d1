//! Reading the files an administrator adds to the trust directory: CA
//! certificates and CRLs, in DER or PEM, checked before they are stored.
//!
//! A certificate must decode, carry basicConstraints with `cA` set, and
//! not have expired; a CRL must decode and not be past its `nextUpdate`.
//! Whether a CRL is signed by a stored certificate is checked by the
//! caller with [`load`] and `TrustDirectory::signs_crl`. Messages are Russian because an
//! administrator reads them, and each names the file.

use std::path::Path;

use base64::Engine;
use der::oid::AssociatedOid;
use der::Decode;
use domain::qualified_certificate::x509::parse_certificate;
use domain::qualified_certificate::{CertificateError, TrustDirectory, TrustError};
use jiff::Timestamp;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::time::Time;

use crate::store::{CrlRecord, TrustSnapshot, TrustedCertificateRecord};

/// A file that cannot go into the trust directory, with the reason and
/// what to do, in Russian.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct TrustFileError {
    pub path: String,
    pub reason: String,
}

fn refuse(path: &Path, reason: impl Into<String>) -> TrustFileError {
    TrustFileError {
        path: path.display().to_string(),
        reason: reason.into(),
    }
}

/// Reads `path` and returns its DER: the file as it is, or the first PEM
/// block labelled `label` (`CERTIFICATE`, `X509 CRL`).
pub fn read_der(path: &Path, label: &str) -> Result<Vec<u8>, TrustFileError> {
    let bytes = std::fs::read(path).map_err(|err| {
        refuse(
            path,
            format!("файл не читается: {err}; проверьте путь и права"),
        )
    })?;
    let Some(text) = std::str::from_utf8(&bytes)
        .ok()
        .filter(|text| text.trim_start().starts_with("-----BEGIN"))
    else {
        return Ok(bytes);
    };
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let body = text
        .split_once(&begin)
        .and_then(|(_, rest)| rest.split_once(&end))
        .map(|(body, _)| body)
        .ok_or_else(|| refuse(path, missing_pem_block(text, &begin)))?;
    let base64: String = body.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(base64)
        .map_err(|err| {
            refuse(
                path,
                format!("блок PEM не в base64 ({err}); файл повреждён"),
            )
        })
}

/// Explains a PEM file without the expected block: which blocks it has,
/// and the command that takes the other kind.
fn missing_pem_block(text: &str, begin: &str) -> String {
    let found: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("-----BEGIN "))
        .collect();
    let hint = if found.iter().any(|line| line.contains("X509 CRL")) {
        "; это список отзыва (СОС), его добавляет `sync-server trust add-crl`"
    } else if found.iter().any(|line| line.contains("CERTIFICATE")) {
        "; это сертификат, его добавляет `sync-server trust add`"
    } else {
        ""
    };
    match found.as_slice() {
        [] => format!("в файле PEM нет блока «{begin}»{hint}"),
        blocks => format!(
            "в файле PEM нет блока «{begin}», есть «{}»{hint}",
            blocks.join("», «")
        ),
    }
}

fn timestamp(path: &Path, time: &Time) -> Result<Timestamp, TrustFileError> {
    let seconds = i64::try_from(time.to_unix_duration().as_secs())
        .map_err(|_| refuse(path, "дата вне допустимого диапазона"))?;
    Timestamp::from_second(seconds).map_err(|_| refuse(path, "дата вне допустимого диапазона"))
}

/// A CA certificate ready to store, with the name of its issuer.
#[derive(Debug, Clone)]
pub struct InspectedCertificate {
    pub record: TrustedCertificateRecord,
    /// The issuer's distinguished name in RFC 4514 form.
    pub issuer: String,
}

/// Decodes a CA certificate and checks that it may be trusted at `now`.
pub fn inspect_certificate(
    path: &Path,
    der: &[u8],
    anchor: bool,
    now: Timestamp,
) -> Result<InspectedCertificate, TrustFileError> {
    let parsed = parse_certificate(der).map_err(|err| {
        if CertificateList::from_der(der).is_ok() {
            return refuse(
                path,
                "это список отзыва (СОС), а не сертификат; добавьте его командой \
                 `sync-server trust add-crl`",
            );
        }
        let detail = match err {
            CertificateError::Malformed { detail } => detail,
            other => other.code().to_owned(),
        };
        refuse(
            path,
            format!(
                "файл не читается как сертификат X.509 ({detail}); укажите файл сертификата \
                 УЦ в DER или PEM"
            ),
        )
    })?;
    let tbs = &parsed.certificate.tbs_certificate;
    let subject = tbs.subject.to_string();

    let is_ca = tbs
        .extensions
        .iter()
        .flatten()
        .find(|extension| extension.extn_id == BasicConstraints::OID)
        .and_then(|extension| BasicConstraints::from_der(extension.extn_value.as_bytes()).ok())
        .is_some_and(|constraints| constraints.ca);
    if !is_ca {
        return Err(refuse(
            path,
            format!(
                "сертификат «{subject}» не является сертификатом УЦ (нет basicConstraints с \
                 cA=true); в список доверенных добавляются только сертификаты \
                 удостоверяющих центров"
            ),
        ));
    }

    let not_after = parsed.facts.not_after;
    if not_after <= now {
        return Err(refuse(
            path,
            format!(
                "срок действия сертификата «{subject}» истёк {not_after}; получите \
                 действующий сертификат УЦ"
            ),
        ));
    }

    let record = TrustedCertificateRecord {
        fingerprint: crate::secrets::sha256_hex(der),
        anchor,
        subject,
        serial_hex: parsed.serial_hex,
        not_after,
        der: parsed.der,
    };
    Ok(InspectedCertificate {
        record,
        issuer: parsed.issuer,
    })
}

/// Decodes a CRL and checks that it is still current at `now`.
pub fn inspect_crl(path: &Path, der: &[u8], now: Timestamp) -> Result<CrlRecord, TrustFileError> {
    let crl = CertificateList::from_der(der).map_err(|err| {
        if parse_certificate(der).is_ok() {
            return refuse(
                path,
                "это сертификат, а не список отзыва (СОС); добавьте его командой \
                 `sync-server trust add`",
            );
        }
        refuse(
            path,
            format!(
                "файл не читается как список отзыва (СОС) X.509 ({err}); укажите файл СОС \
                 в DER или PEM"
            ),
        )
    })?;
    let tbs = &crl.tbs_cert_list;
    let issuer = tbs.issuer.to_string();
    let this_update = timestamp(path, &tbs.this_update)?;
    let next_update = tbs
        .next_update
        .as_ref()
        .map(|time| timestamp(path, time))
        .transpose()?;
    if let Some(next_update) = next_update.filter(|next| *next <= now) {
        return Err(refuse(
            path,
            format!(
                "список отзыва издателя «{issuer}» устарел: следующий выпуск ожидался \
                 {next_update}; скачайте свежий список отзыва в удостоверяющем центре"
            ),
        ));
    }
    Ok(CrlRecord {
        issuer,
        this_update,
        next_update,
        der: der.to_vec(),
    })
}

/// Loads a stored directory into the form `domain`'s checks take.
pub fn load(snapshot: &TrustSnapshot) -> Result<TrustDirectory, TrustError> {
    let certificates = |anchor: bool| -> Vec<Vec<u8>> {
        snapshot
            .certificates
            .iter()
            .filter(|certificate| certificate.anchor == anchor)
            .map(|certificate| certificate.der.clone())
            .collect()
    };
    let crls: Vec<Vec<u8>> = snapshot.crls.iter().map(|crl| crl.der.clone()).collect();
    TrustDirectory::from_der(&certificates(true), &certificates(false), &crls)
}
