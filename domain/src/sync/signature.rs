//! Bodies of the signature-token endpoints: a kiosk keeps a copy of the
//! trust directory (accredited certification centers and their CRLs), and
//! a visitor proves possession of a qualified certificate's key by signing
//! a challenge the server issued.
//!
//! | method and path                 | body                          | response               |
//! |---------------------------------|-------------------------------|------------------------|
//! | `GET /v1/trust?since=N`         | none                          | [`TrustDirectoryPage`] |
//! | `POST /v1/signature/challenge`  | [`SignatureChallengeRequest`] | [`SignatureChallenge`] |
//! | `POST /v1/signature/confirm`    | [`SignatureConfirm`]          | [`SignatureConfirmed`] |
//!
//! The token signs [`SignatureChallenge::message`], not the bare nonce: the
//! fixed prefix keeps the signature from being valid for anything other
//! than this check.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account::AccountLevel;

/// The algorithm and layout of a token's signature, so the verifier picks
/// the matching check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureScheme {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RsaPkcs1Sha256,
    /// ECDSA with SHA-256; the signature is `r || s`, each as long as the
    /// curve's order (PKCS#11's layout, not DER).
    EcdsaSha256,
    /// GOST R 34.10-2012 with a 256-bit key over Streebog-256; the
    /// signature is `s || r`, 32 bytes each (PKCS#11's layout).
    Gost2012_256,
    /// GOST R 34.10-2012 with a 512-bit key over Streebog-512; `s || r`,
    /// 64 bytes each.
    Gost2012_512,
}

impl SignatureScheme {
    /// Returns the stable name used on the wire and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureScheme::RsaPkcs1Sha256 => "rsa_pkcs1_sha256",
            SignatureScheme::EcdsaSha256 => "ecdsa_sha256",
            SignatureScheme::Gost2012_256 => "gost2012_256",
            SignatureScheme::Gost2012_512 => "gost2012_512",
        }
    }
}

/// Body of `POST /v1/signature/challenge`. The challenge is bound to the
/// device that asked for it and to `attempt_id`, the kiosk's id for this
/// visitor's attempt, which `SignatureConfirm` repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureChallengeRequest {
    pub attempt_id: Uuid,
}

/// A one-time challenge: accepted once, by the device that asked for it,
/// until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureChallenge {
    pub challenge_id: Uuid,
    pub attempt_id: Uuid,
    /// 32 random bytes in lower-case hex.
    pub nonce: String,
    pub expires_at: Timestamp,
}

/// The prefix of every signed challenge message.
pub const CHALLENGE_MESSAGE_PREFIX: &str = "okno identity challenge v1";

impl SignatureChallenge {
    /// Returns the bytes the token signs:
    /// `okno identity challenge v1:<challenge_id>:<nonce>` in ASCII, the id
    /// in hyphenated lower-case form.
    pub fn message(&self) -> Vec<u8> {
        challenge_message(self.challenge_id, &self.nonce)
    }
}

/// Builds the signed message for a challenge id and its hex nonce; the
/// server calls this with what it stored, the kiosk through
/// [`SignatureChallenge::message`].
pub fn challenge_message(challenge_id: Uuid, nonce: &str) -> Vec<u8> {
    format!("{CHALLENGE_MESSAGE_PREFIX}:{challenge_id}:{nonce}").into_bytes()
}

/// Body of `POST /v1/signature/confirm`: the certificate the visitor chose
/// and the token's signature over [`SignatureChallenge::message`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureConfirm {
    pub challenge_id: Uuid,
    pub attempt_id: Uuid,
    /// The certificate's DER in standard base64 with padding.
    pub certificate: String,
    pub scheme: SignatureScheme,
    /// The signature in standard base64 with padding.
    pub signature: String,
}

impl std::fmt::Debug for SignatureConfirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureConfirm")
            .field("challenge_id", &self.challenge_id)
            .field("attempt_id", &self.attempt_id)
            .field("certificate", &"<redacted>")
            .field("scheme", &self.scheme)
            .field("signature", &"<redacted>")
            .finish()
    }
}

/// The account whose СНИЛС the certificate carries is now confirmed and
/// its profile was filled from the certificate. The name is returned so
/// the kiosk can greet the visitor; it is not logged.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureConfirmed {
    pub attempt_id: Uuid,
    pub account_level: AccountLevel,
    pub surname: String,
    pub given_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    pub confirmed_at: Timestamp,
}

impl std::fmt::Debug for SignatureConfirmed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureConfirmed")
            .field("attempt_id", &self.attempt_id)
            .field("account_level", &self.account_level)
            .field("name", &"<redacted>")
            .field("confirmed_at", &self.confirmed_at)
            .finish()
    }
}

/// Response to `GET /v1/trust?since=N`: the whole trust directory when its
/// version is newer than `N`, or no entries and the same version when the
/// station's copy is current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustDirectoryPage {
    /// Raised by the server on every change; a station stores it and
    /// sends it back as `since`.
    pub version: u64,
    /// `false` when the station's copy at `since` is current and the
    /// lists below are empty.
    pub changed: bool,
    /// Certificates of accredited certification centers, roots and
    /// intermediates alike, DER in standard base64.
    pub certificates: Vec<TrustedCertificate>,
    /// The latest CRL of each center, DER in standard base64.
    pub crls: Vec<String>,
}

/// One certificate of the trust directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedCertificate {
    /// `true` for a trust anchor (a root); `false` for an intermediate
    /// that must chain to an anchor.
    pub anchor: bool,
    pub der: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_message_is_prefix_id_and_nonce() {
        let id = Uuid::parse_str("0192f0c4-7b1e-7a00-8000-000000000001").unwrap();
        assert_eq!(
            challenge_message(id, "00ff"),
            b"okno identity challenge v1:0192f0c4-7b1e-7a00-8000-000000000001:00ff".to_vec()
        );
    }

    #[test]
    fn scheme_wire_names_match_as_str() {
        for scheme in [
            SignatureScheme::RsaPkcs1Sha256,
            SignatureScheme::EcdsaSha256,
            SignatureScheme::Gost2012_256,
            SignatureScheme::Gost2012_512,
        ] {
            let json = serde_json::to_string(&scheme).unwrap();
            assert_eq!(json, format!("\"{}\"", scheme.as_str()));
        }
    }
}
