//! The station's copy of the trust directory: the certificates of the
//! accredited certification centers and their latest CRLs, as DER, with
//! the server's version of the directory.
//!
//! The kiosk checks a signature token's certificate against this copy,
//! also while the server is unreachable. A new copy replaces the old one
//! in one transaction, so a crash leaves either the old or the new copy,
//! never a mix.

use base64::Engine as _;
use domain::sync::TrustDirectoryPage;
use jiff::Timestamp;
use rusqlite::{params, OptionalExtension};

use super::device::parse_timestamp;
use super::{Store, StoreError};

/// The trust directory as the station stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustCopy {
    /// The server's version of the directory, sent back as `since`.
    pub version: u64,
    /// When the station received this version.
    pub fetched_at: Timestamp,
    /// Root certificates (trust anchors), DER.
    pub anchors: Vec<Vec<u8>>,
    /// Intermediate certificates that must chain to an anchor, DER.
    pub intermediates: Vec<Vec<u8>>,
    /// The latest CRL of each center, DER.
    pub crls: Vec<Vec<u8>>,
}

/// A trust directory page whose content cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustPageError {
    /// A certificate or CRL is not standard base64; the index is its
    /// position in the page's list.
    #[error("the trust directory's {list}[{index}] is not standard base64; the station keeps its earlier copy")]
    Base64 { list: &'static str, index: usize },
    /// The page reports no change, so it carries no directory.
    #[error("the trust directory page for version {version} is unchanged and carries no entries")]
    Unchanged { version: u64 },
}

impl TrustCopy {
    /// Decodes a changed page of `GET /v1/trust` received at `fetched_at`.
    pub fn from_page(
        page: &TrustDirectoryPage,
        fetched_at: Timestamp,
    ) -> Result<TrustCopy, TrustPageError> {
        if !page.changed {
            return Err(TrustPageError::Unchanged {
                version: page.version,
            });
        }
        let engine = base64::engine::general_purpose::STANDARD;
        let mut copy = TrustCopy {
            version: page.version,
            fetched_at,
            anchors: Vec::new(),
            intermediates: Vec::new(),
            crls: Vec::new(),
        };
        for (index, certificate) in page.certificates.iter().enumerate() {
            let der = engine
                .decode(&certificate.der)
                .map_err(|_| TrustPageError::Base64 {
                    list: "certificates",
                    index,
                })?;
            if certificate.anchor {
                copy.anchors.push(der);
            } else {
                copy.intermediates.push(der);
            }
        }
        for (index, crl) in page.crls.iter().enumerate() {
            let der = engine.decode(crl).map_err(|_| TrustPageError::Base64 {
                list: "crls",
                index,
            })?;
            copy.crls.push(der);
        }
        Ok(copy)
    }
}

impl Store {
    /// Replaces the stored trust directory with `copy`.
    pub fn save_trust(&self, copy: &TrustCopy) -> Result<(), StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        tx.execute_batch("DELETE FROM trust_certificates; DELETE FROM trust_crls;")?;
        let version = i64::try_from(copy.version).map_err(|_| StoreError::Corrupt {
            column: "trust_state.version",
        })?;
        tx.execute(
            "INSERT INTO trust_state (singleton, version, fetched_at) VALUES (1, ?1, ?2)
             ON CONFLICT (singleton) DO UPDATE SET
                version = excluded.version, fetched_at = excluded.fetched_at",
            params![version, copy.fetched_at.to_string()],
        )?;
        {
            let mut certificate = tx.prepare(
                "INSERT INTO trust_certificates (position, anchor, der) VALUES (?1, ?2, ?3)",
            )?;
            let certificates = copy
                .anchors
                .iter()
                .map(|der| (true, der))
                .chain(copy.intermediates.iter().map(|der| (false, der)));
            for (position, (anchor, der)) in certificates.enumerate() {
                certificate.execute(params![position as i64, anchor, der])?;
            }
            let mut crl = tx.prepare("INSERT INTO trust_crls (position, der) VALUES (?1, ?2)")?;
            for (position, der) in copy.crls.iter().enumerate() {
                crl.execute(params![position as i64, der])?;
            }
        }
        tx.commit()?;
        tracing::info!(
            version = copy.version,
            anchors = copy.anchors.len(),
            intermediates = copy.intermediates.len(),
            crls = copy.crls.len(),
            "trust directory copy replaced"
        );
        Ok(())
    }

    /// Returns the stored version of the trust directory, or `None`
    /// before the first copy arrived.
    pub fn trust_version(&self) -> Result<Option<u64>, StoreError> {
        let version: Option<i64> = self
            .lock()
            .query_row(
                "SELECT version FROM trust_state WHERE singleton = 1",
                [],
                |row| row.get(0),
            )
            .optional()?;
        version
            .map(|version| {
                u64::try_from(version).map_err(|_| StoreError::Corrupt {
                    column: "trust_state.version",
                })
            })
            .transpose()
    }

    /// Returns the stored trust directory, or `None` before the first
    /// copy arrived.
    pub fn trust(&self) -> Result<Option<TrustCopy>, StoreError> {
        let conn = self.lock();
        let state: Option<(i64, String)> = conn
            .query_row(
                "SELECT version, fetched_at FROM trust_state WHERE singleton = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((version, fetched_at)) = state else {
            return Ok(None);
        };
        let mut copy = TrustCopy {
            version: u64::try_from(version).map_err(|_| StoreError::Corrupt {
                column: "trust_state.version",
            })?,
            fetched_at: parse_timestamp(&fetched_at, "trust_state.fetched_at")?,
            anchors: Vec::new(),
            intermediates: Vec::new(),
            crls: Vec::new(),
        };
        let mut certificates =
            conn.prepare("SELECT anchor, der FROM trust_certificates ORDER BY position")?;
        let rows = certificates.query_map([], |row| {
            Ok((row.get::<_, bool>(0)?, row.get::<_, Vec<u8>>(1)?))
        })?;
        for row in rows {
            let (anchor, der) = row?;
            if anchor {
                copy.anchors.push(der);
            } else {
                copy.intermediates.push(der);
            }
        }
        let mut crls = conn.prepare("SELECT der FROM trust_crls ORDER BY position")?;
        for der in crls.query_map([], |row| row.get::<_, Vec<u8>>(0))? {
            copy.crls.push(der?);
        }
        Ok(Some(copy))
    }
}
