//! The trust directory: certificates of accredited certification centers
//! (trust anchors and intermediates) and their CRLs, which the server
//! distributes to the stations, and the check of a certificate's chain to
//! an anchor with revocation.
//!
//! - [`path`]: [`verify_chain`], path building and its checks.
//! - `certificate` and `crl`: each item decoded once.
//!
//! Fetching and storing the directory is left to the server and the
//! stations. Nothing here reaches the network, so a CRL that is missing or
//! out of date makes the revocation status unknown instead of being
//! downloaded.

mod certificate;
mod crl;
pub mod path;

pub use path::{verify_chain, MAX_PATH_CERTIFICATES};

use crate::sync::TrustDirectoryPage;
pub(crate) use certificate::ChainCertificate;
pub(crate) use crl::RevocationList;

/// The reason a trust directory could not be loaded. The index counts from 0
/// within its list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustError {
    /// An item of a trust directory page is not valid standard base64.
    #[error("trust directory {item} #{index} is not valid base64: {detail}")]
    Base64 {
        item: TrustItem,
        index: usize,
        detail: String,
    },
    /// An item is not a DER certificate or CRL, or an extension the chain
    /// check reads cannot be decoded.
    #[error("trust directory {item} #{index} is malformed: {detail}")]
    Malformed {
        item: TrustItem,
        index: usize,
        detail: String,
    },
}

/// The list of a trust directory an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustItem {
    /// A trust anchor (root) certificate.
    Anchor,
    /// An intermediate certificate.
    Intermediate,
    /// A certificate of a trust directory page, anchors and intermediates
    /// counted together in page order.
    Certificate,
    /// A certificate revocation list.
    Crl,
}

impl std::fmt::Display for TrustItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TrustItem::Anchor => "anchor",
            TrustItem::Intermediate => "intermediate certificate",
            TrustItem::Certificate => "certificate",
            TrustItem::Crl => "CRL",
        })
    }
}

/// Trust anchors, intermediates and CRLs, each decoded. An item is
/// trusted only through a path to an anchor: an intermediate or a CRL
/// that nothing in the directory signed is never used.
#[derive(Debug, Clone, Default)]
pub struct TrustDirectory {
    pub(crate) anchors: Vec<ChainCertificate>,
    pub(crate) intermediates: Vec<ChainCertificate>,
    pub(crate) crls: Vec<RevocationList>,
}

impl TrustDirectory {
    /// Builds a directory from DER certificates and CRLs.
    pub fn from_der(
        anchors: &[Vec<u8>],
        intermediates: &[Vec<u8>],
        crls: &[Vec<u8>],
    ) -> Result<TrustDirectory, TrustError> {
        Ok(TrustDirectory {
            anchors: decode_certificates(TrustItem::Anchor, anchors)?,
            intermediates: decode_certificates(TrustItem::Intermediate, intermediates)?,
            crls: crls
                .iter()
                .enumerate()
                .map(|(index, der)| {
                    RevocationList::decode(der).map_err(|detail| TrustError::Malformed {
                        item: TrustItem::Crl,
                        index,
                        detail,
                    })
                })
                .collect::<Result<_, _>>()?,
        })
    }

    /// Builds a directory from a page of `GET /v1/trust`, whose items are
    /// DER in standard base64.
    ///
    /// A page with `changed: false` carries no items and so yields an
    /// empty directory, which trusts nothing: keep the stored copy instead.
    pub fn from_page(page: &TrustDirectoryPage) -> Result<TrustDirectory, TrustError> {
        let (mut anchors, mut intermediates) = (Vec::new(), Vec::new());
        for (index, trusted) in page.certificates.iter().enumerate() {
            let der = decode_base64(TrustItem::Certificate, index, &trusted.der)?;
            let certificate =
                ChainCertificate::decode(&der).map_err(|detail| TrustError::Malformed {
                    item: TrustItem::Certificate,
                    index,
                    detail,
                })?;
            if trusted.anchor {
                anchors.push(certificate);
            } else {
                intermediates.push(certificate);
            }
        }
        let crls = page
            .crls
            .iter()
            .enumerate()
            .map(|(index, text)| {
                let der = decode_base64(TrustItem::Crl, index, text)?;
                RevocationList::decode(&der).map_err(|detail| TrustError::Malformed {
                    item: TrustItem::Crl,
                    index,
                    detail,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(TrustDirectory {
            anchors,
            intermediates,
            crls,
        })
    }

    /// Returns the number of anchors, intermediates and CRLs, for logs.
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.anchors.len(),
            self.intermediates.len(),
            self.crls.len(),
        )
    }

    /// Returns whether a certificate of this directory issued the CRL
    /// `der` and signed it, with the same check the chain check applies,
    /// so a server can reject a CRL before distributing it.
    ///
    /// # Errors
    ///
    /// [`TrustError::Malformed`] (index 0) when `der` is not a DER CRL.
    pub fn signs_crl(&self, der: &[u8]) -> Result<bool, TrustError> {
        let crl = RevocationList::decode(der).map_err(|detail| TrustError::Malformed {
            item: TrustItem::Crl,
            index: 0,
            detail,
        })?;
        Ok(self
            .anchors
            .iter()
            .chain(&self.intermediates)
            .any(|issuer| path::is_signed_by(&crl, issuer)))
    }
}

fn decode_certificates(
    item: TrustItem,
    ders: &[Vec<u8>],
) -> Result<Vec<ChainCertificate>, TrustError> {
    ders.iter()
        .enumerate()
        .map(|(index, der)| {
            ChainCertificate::decode(der).map_err(|detail| TrustError::Malformed {
                item,
                index,
                detail,
            })
        })
        .collect()
}

fn decode_base64(item: TrustItem, index: usize, text: &str) -> Result<Vec<u8>, TrustError> {
    data_encoding::BASE64
        .decode(text.as_bytes())
        .map_err(|e| TrustError::Base64 {
            item,
            index,
            detail: e.to_string(),
        })
}
