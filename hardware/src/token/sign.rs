//! Proof of possession: logging in with the visitor's PIN and signing a
//! challenge with the private key whose `CKA_ID` matches the certificate.
//!
//! The challenge is hashed with SHA-256 here, and only the raw signature
//! primitive runs on the token: `CKM_RSA_PKCS` over a DigestInfo, or
//! `CKM_ECDSA` over the hash. Tokens differ in the combined hash-and-sign
//! mechanisms they offer, but RSA and EC tokens offer these two.
//!
//! GOST R 34.10-2012 keys are not signed with yet. The PKCS#11 headers
//! define `CKK_GOSTR3410` (0x30) and `CKM_GOSTR3410` (0x1201), but
//! `cryptoki` 0.12.1 has no `Mechanism` for that value, and 512-bit keys
//! need TC26's vendor-defined mechanisms. SoftHSM2, the only token the
//! tests can run, implements none of them.

use cryptoki::error::RvError;
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use sha2::{Digest, Sha256};

use super::error::TokenError;
use super::module::{TokenCertificate, TokenModule};
use super::pin::{Pin, PinFlags};

/// The DER DigestInfo prefix for SHA-256 (RFC 8017, section 9.2, note 1);
/// the 32-byte hash follows it.
const SHA256_DIGEST_INFO_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

pub use domain::sync::SignatureScheme;

/// A signature over a challenge, made on a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSignature {
    pub scheme: SignatureScheme,
    pub bytes: Vec<u8>,
}

impl TokenModule {
    /// Logs in with `pin` and signs `challenge` with the private key that
    /// matches `certificate`, then logs out. The PIN is consumed and zeroed
    /// when this returns.
    ///
    /// Before sending the PIN, the token's flags and PIN length range are
    /// checked: a locked PIN or a PIN of the wrong length is reported
    /// without using up a try. After a wrong PIN the flags are read again
    /// to report the tries left.
    pub fn sign_challenge(
        &self,
        certificate: &TokenCertificate,
        pin: Pin,
        challenge: &[u8],
    ) -> Result<TokenSignature, TokenError> {
        let slot_id = certificate.slot_id;
        let token = self.token_in(slot_id)?;
        if token.pin_flags.locked {
            return Err(TokenError::PinLocked);
        }
        let (min, max) = token.pin_length;
        let chars = pin.char_count();
        if chars < min || chars > max {
            return Err(TokenError::PinLength { chars, min, max });
        }

        let session = self.open_session(slot_id)?;
        self.login(&session, slot_id, &pin)?;
        drop(pin);
        let signed = sign_with_key(&session, slot_id, &certificate.id, challenge);
        if let Err(err) = session.logout() {
            tracing::warn!(slot = slot_id, cause = %err, "token logout failed");
        }
        signed
    }

    fn login(&self, session: &Session, slot_id: u64, pin: &Pin) -> Result<(), TokenError> {
        match session.login(UserType::User, Some(pin.secret())) {
            Ok(()) => Ok(()),
            Err(cryptoki::error::Error::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
            Err(cryptoki::error::Error::Pkcs11(RvError::PinIncorrect, _)) => {
                let flags = self
                    .token_in(slot_id)
                    .map(|token| token.pin_flags)
                    .unwrap_or_default();
                let err = wrong_pin(flags);
                tracing::info!(slot = slot_id, cause = %err, "token login rejected");
                Err(err)
            }
            Err(other) => Err(TokenError::from_pkcs11(other, slot_id)),
        }
    }
}

/// Returns the error for a rejected PIN, given the flags the token reports
/// right after the rejection.
pub fn wrong_pin(flags: PinFlags) -> TokenError {
    if flags.locked {
        TokenError::PinLocked
    } else {
        TokenError::WrongPin {
            tries_left: flags.tries_left(),
        }
    }
}

fn sign_with_key(
    session: &Session,
    slot_id: u64,
    id: &[u8],
    challenge: &[u8],
) -> Result<TokenSignature, TokenError> {
    let pkcs11 = |e| TokenError::from_pkcs11(e, slot_id);
    let key = find_private_key(session, slot_id, id)?;
    let key_type = session
        .get_attributes(key, &[AttributeType::KeyType])
        .map_err(pkcs11)?
        .into_iter()
        .find_map(|attribute| match attribute {
            Attribute::KeyType(key_type) => Some(key_type),
            _ => None,
        })
        .ok_or_else(|| TokenError::Pkcs11 {
            function: "GetAttributeValue".to_owned(),
            rv: "private key without CKA_KEY_TYPE".to_owned(),
        })?;

    let hash = Sha256::digest(challenge);
    let (scheme, mechanism, input) = if key_type == KeyType::RSA {
        let mut digest_info = SHA256_DIGEST_INFO_PREFIX.to_vec();
        digest_info.extend_from_slice(&hash);
        (
            SignatureScheme::RsaPkcs1Sha256,
            Mechanism::RsaPkcs,
            digest_info,
        )
    } else if key_type == KeyType::EC {
        (
            SignatureScheme::EcdsaSha256,
            Mechanism::Ecdsa,
            hash.to_vec(),
        )
    } else {
        // TODO: sign GOST R 34.10-2012 keys through CKM_GOSTR3410 once
        // `cryptoki` exposes that mechanism and a GOST-capable token is
        // available to test against. On 2026-12-05 neither the newest
        // release (0.12.1) nor upstream's main branch (commit 6bc1220 of
        // 2026-08-20) had one, and a search of the upstream issues and
        // pull requests found none asking for it. `Mechanism::VendorDefined`
        // (github.com/parallaxsecond/rust-cryptoki/pull/232, in 0.12.1)
        // accepts only values from CKM_VENDOR_DEFINED (0x80000000) up: it
        // can name TC26's 512-bit CKM_GOSTR3410_512 (0xD4321006) but not
        // the 256-bit CKM_GOSTR3410 (0x1201).
        return Err(TokenError::UnsupportedKey {
            key_type: key_type.to_string(),
        });
    };

    let bytes = session.sign(&mechanism, key, &input).map_err(pkcs11)?;
    tracing::info!(slot = slot_id, scheme = ?scheme, "challenge signed on the token");
    Ok(TokenSignature { scheme, bytes })
}

fn find_private_key(
    session: &Session,
    slot_id: u64,
    id: &[u8],
) -> Result<ObjectHandle, TokenError> {
    let keys = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Id(id.to_vec()),
        ])
        .map_err(|e| TokenError::from_pkcs11(e, slot_id))?;
    keys.into_iter()
        .next()
        .ok_or_else(|| TokenError::KeyNotFound {
            id: crate::card::hex::encode(id),
        })
}

#[cfg(test)]
mod tests {
    use cryptoki::context::Function;
    use cryptoki::error::Error;

    use super::*;
    use crate::token::TriesLeft;

    // SoftHSM2 never locks a PIN, so the locked cases are checked on the
    // mapping from return codes and flags alone.
    #[test]
    fn locked_flag_after_wrong_pin_is_locked() {
        let flags = PinFlags {
            count_low: true,
            final_try: false,
            locked: true,
        };

        assert_eq!(wrong_pin(flags), TokenError::PinLocked);
    }

    #[test]
    fn pin_locked_return_code_is_locked() {
        let err = TokenError::from_pkcs11(Error::Pkcs11(RvError::PinLocked, Function::Login), 7);

        assert_eq!(err, TokenError::PinLocked);
        assert!(err.message_ru().starts_with("PIN-код токена заблокирован"));
    }

    #[test]
    fn wrong_pin_tries_from_flags() {
        let final_try = PinFlags {
            count_low: true,
            final_try: true,
            locked: false,
        };
        let count_low = PinFlags {
            count_low: true,
            ..PinFlags::default()
        };

        assert_eq!(
            wrong_pin(final_try),
            TokenError::WrongPin {
                tries_left: TriesLeft::One
            }
        );
        assert_eq!(
            wrong_pin(count_low),
            TokenError::WrongPin {
                tries_left: TriesLeft::Fewer
            }
        );
        assert_eq!(
            wrong_pin(PinFlags::default()),
            TokenError::WrongPin {
                tries_left: TriesLeft::NotReported
            }
        );
        assert!(wrong_pin(final_try)
            .message_ru()
            .contains("Осталась одна попытка"));
    }

    #[test]
    fn removed_token_is_absent() {
        let err = TokenError::from_pkcs11(Error::Pkcs11(RvError::DeviceRemoved, Function::Sign), 3);

        assert_eq!(err, TokenError::TokenAbsent { slot: 3 });
    }

    #[test]
    fn other_return_code_keeps_function_and_code() {
        let err =
            TokenError::from_pkcs11(Error::Pkcs11(RvError::FunctionFailed, Function::Sign), 3);

        assert_eq!(
            err,
            TokenError::Pkcs11 {
                function: "Sign".to_owned(),
                rv: "FunctionFailed".to_owned()
            }
        );
    }
}
