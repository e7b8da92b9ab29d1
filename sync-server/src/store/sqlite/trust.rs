//! The trust directory: certificates of accredited certification centers,
//! the newest CRL of each issuer, and the directory's version.
//!
//! Every change raises the version in the same transaction and appends an
//! audit entry, so a station that stored version `N` knows its copy is
//! current exactly when the server's version is still `N`. Whether a file
//! is a CA certificate or a CRL signed by a stored certificate is checked
//! by the caller before it gets here.

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::audit::{self, AuditEntry};
use super::codec::{parse_opt_time, parse_time};
use super::migrations::backend;
use crate::store::{CrlRecord, StoreError, TrustRemoval, TrustSnapshot, TrustedCertificateRecord};

/// Raises the version inside `tx` and returns the new value.
fn raise_version(tx: &Transaction<'_>) -> Result<u64, StoreError> {
    tx.query_row(
        "UPDATE trust_version SET version = version + 1 WHERE id = 1 RETURNING version",
        [],
        |row| row.get::<_, i64>(0),
    )
    .map(|version| version as u64)
    .map_err(backend)
}

fn audit_change(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    subject: &str,
    version: u64,
    now: Timestamp,
) -> Result<(), StoreError> {
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action,
            subject,
            detail: &format!("version={version}"),
        },
        now,
    )
}

pub(crate) fn add_certificate(
    conn: &mut Connection,
    certificate: &TrustedCertificateRecord,
    actor: &str,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let inserted = tx
        .execute(
            "INSERT INTO trust_certificates
                 (fingerprint, anchor, subject, serial, not_after, der, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
            params![
                certificate.fingerprint,
                certificate.anchor,
                certificate.subject,
                certificate.serial_hex,
                certificate.not_after.to_string(),
                certificate.der,
                now.to_string()
            ],
        )
        .map_err(backend)?;
    if inserted == 0 {
        return Err(StoreError::conflict(
            "trust.exists",
            format!(
                "Сертификат {} уже есть в списке доверенных. Посмотрите список: \
                 `sync-server trust list`.",
                certificate.fingerprint
            ),
        ));
    }
    let version = raise_version(&tx)?;
    let action = if certificate.anchor {
        "trust.add_anchor"
    } else {
        "trust.add_intermediate"
    };
    audit_change(&tx, actor, action, &certificate.fingerprint, version, now)?;
    tx.commit().map_err(backend)?;
    Ok(version)
}

pub(crate) fn add_crl(
    conn: &mut Connection,
    crl: &CrlRecord,
    actor: &str,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let stored: Option<String> = tx
        .query_row(
            "SELECT this_update FROM trust_crls WHERE issuer = ?1",
            [&crl.issuer],
            |row| row.get(0),
        )
        .optional()
        .map_err(backend)?;
    if let Some(stored) = stored {
        let stored = parse_time(0, stored).map_err(backend)?;
        if stored >= crl.this_update {
            return Err(StoreError::conflict(
                "trust.crl_not_newer",
                format!(
                    "Список отзыва издателя «{}» выпущен {}, а сохранённый — {stored}; \
                     заменить можно только более новым. Скачайте свежий список отзыва \
                     в удостоверяющем центре.",
                    crl.issuer, crl.this_update
                ),
            ));
        }
    }
    tx.execute(
        "INSERT INTO trust_crls (issuer, this_update, next_update, der, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (issuer) DO UPDATE SET this_update = excluded.this_update,
             next_update = excluded.next_update, der = excluded.der, added_at = excluded.added_at",
        params![
            crl.issuer,
            crl.this_update.to_string(),
            crl.next_update.map(|at| at.to_string()),
            crl.der,
            now.to_string()
        ],
    )
    .map_err(backend)?;
    let version = raise_version(&tx)?;
    let subject = crate::secrets::sha256_hex(&crl.der);
    audit_change(&tx, actor, "trust.add_crl", &subject, version, now)?;
    tx.commit().map_err(backend)?;
    Ok(version)
}

pub(crate) fn remove_certificate(
    conn: &mut Connection,
    fingerprint: &str,
    actor: &str,
    now: Timestamp,
) -> Result<TrustRemoval, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let subject: Option<String> = tx
        .query_row(
            "DELETE FROM trust_certificates WHERE fingerprint = ?1 RETURNING subject",
            [fingerprint],
            |row| row.get(0),
        )
        .optional()
        .map_err(backend)?;
    let Some(subject) = subject else {
        return Err(StoreError::NotFound {
            what: format!(
                "trusted certificate with fingerprint {fingerprint} (see `sync-server trust list`)"
            ),
        });
    };
    // A CRL is only ever checked with its issuer's key, so it goes when the
    // last certificate carrying that name goes.
    let crls_removed: Vec<String> = tx
        .prepare(
            "DELETE FROM trust_crls WHERE issuer = ?1
                 AND NOT EXISTS (SELECT 1 FROM trust_certificates WHERE subject = ?1)
             RETURNING issuer",
        )
        .map_err(backend)?
        .query_map([&subject], |row| row.get(0))
        .map_err(backend)?
        .collect::<Result<_, _>>()
        .map_err(backend)?;
    let version = raise_version(&tx)?;
    audit_change(&tx, actor, "trust.remove", fingerprint, version, now)?;
    tx.commit().map_err(backend)?;
    Ok(TrustRemoval {
        version,
        crls_removed,
    })
}

pub(crate) fn version(conn: &Connection) -> Result<u64, StoreError> {
    conn.query_row(
        "SELECT version FROM trust_version WHERE id = 1",
        [],
        |row| row.get::<_, i64>(0),
    )
    .map(|version| version as u64)
    .map_err(backend)
}

pub(crate) fn directory(conn: &mut Connection) -> Result<TrustSnapshot, StoreError> {
    // One read transaction, so the version matches the rows.
    let tx = conn.transaction().map_err(backend)?;
    let version = version(&tx)?;
    let certificates = tx
        .prepare(
            "SELECT fingerprint, anchor, subject, serial, not_after, der FROM trust_certificates
             ORDER BY anchor DESC, subject, fingerprint",
        )
        .map_err(backend)?
        .query_map([], |row| {
            Ok(TrustedCertificateRecord {
                fingerprint: row.get(0)?,
                anchor: row.get(1)?,
                subject: row.get(2)?,
                serial_hex: row.get(3)?,
                not_after: parse_time(4, row.get(4)?)?,
                der: row.get(5)?,
            })
        })
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    let crls = tx
        .prepare("SELECT issuer, this_update, next_update, der FROM trust_crls ORDER BY issuer")
        .map_err(backend)?
        .query_map([], |row| {
            Ok(CrlRecord {
                issuer: row.get(0)?,
                this_update: parse_time(1, row.get(1)?)?,
                next_update: parse_opt_time(2, row.get(2)?)?,
                der: row.get(3)?,
            })
        })
        .map_err(backend)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(backend)?;
    tx.commit().map_err(backend)?;
    Ok(TrustSnapshot {
        version,
        certificates,
        crls,
    })
}
