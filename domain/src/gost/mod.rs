//! GOST R 34.10-2012 signature verification over Streebog (GOST R
//! 34.11-2012) digests, for certificates, CRLs and token signatures made
//! with Russian qualified keys.
//!
//! FIXME: only the interface is here; every key is refused as
//! [`GostError::Unsupported`] until the curve arithmetic lands.

/// Why a GOST key or signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GostError {
    /// GOST verification is not available in this build.
    #[error("GOST R 34.10-2012 verification is not available")]
    Unsupported,
}

/// A GOST R 34.10-2012 public key with its curve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GostPublicKey {
    _private: (),
}

impl GostPublicKey {
    /// Decodes a DER `SubjectPublicKeyInfo` whose algorithm is GOST R
    /// 34.10-2012 (256 or 512 bits).
    pub fn from_spki_der(_spki_der: &[u8]) -> Result<Self, GostError> {
        Err(GostError::Unsupported)
    }

    /// Verifies `signature` (`s || r`, big-endian, as X.509 and PKCS#11
    /// lay it out) over `message`, hashed with the Streebog variant that
    /// matches the key size.
    pub fn verify(&self, _message: &[u8], _signature: &[u8]) -> Result<(), GostError> {
        Err(GostError::Unsupported)
    }
}
