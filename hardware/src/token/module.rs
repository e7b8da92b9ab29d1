//! A PKCS#11 module loaded by path, its slots with tokens, and the
//! certificates on a token.
//!
//! A process may initialise one PKCS#11 module only once (a second
//! `C_Initialize` returns `CKR_CRYPTOKI_ALREADY_INITIALIZED`), so a kiosk
//! opens one [`TokenModule`] per module path and shares it: it is `Send`
//! and `Sync`, and each call opens its own session.

use std::path::Path;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::object::{Attribute, AttributeType, CertificateType, ObjectClass};
use cryptoki::session::Session;
use cryptoki::slot::{Slot, TokenInfo};
use domain::qualified_certificate::{parse_certificate, CertificateError, ParsedCertificate};

use super::error::TokenError;
use super::pin::PinFlags;

/// A loaded and initialised PKCS#11 module.
pub struct TokenModule {
    pub(crate) context: Pkcs11,
    path: String,
}

/// A slot with a token in it, as its `CK_TOKEN_INFO` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSlot {
    /// The module's slot id.
    pub slot_id: u64,
    /// `CK_SLOT_INFO`'s description. Modules that reach cards through
    /// PC/SC (OpenSC, Rutoken, JaCarta) put the reader's name here.
    pub slot_description: String,
    pub label: String,
    pub manufacturer: String,
    pub model: String,
    pub serial_number: String,
    pub pin_flags: PinFlags,
    /// The shortest and longest user PIN the token accepts, in characters.
    pub pin_length: (usize, usize),
}

/// An X.509 certificate object on a token.
#[derive(Debug, Clone)]
pub struct TokenCertificate {
    /// The slot it was read from.
    pub slot_id: u64,
    /// `CKA_ID`, which the matching private key shares.
    pub id: Vec<u8>,
    /// `CKA_LABEL`.
    pub label: String,
    pub certificate: ParsedCertificate,
}

impl TokenModule {
    /// Loads the module at `path` (such as
    /// `/usr/lib/x86_64-linux-gnu/librtpkcs11ecp.so`) and initialises it
    /// for use from several threads.
    pub fn open(path: &Path) -> Result<TokenModule, TokenError> {
        let shown = path.display().to_string();
        let load_error = |detail: String| TokenError::ModuleLoad {
            path: shown.clone(),
            detail,
        };
        let context = Pkcs11::new(path).map_err(|e| load_error(e.to_string()))?;
        context
            .initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK))
            .map_err(|e| load_error(e.to_string()))?;
        tracing::info!(module = %shown, "PKCS#11 module loaded");
        Ok(TokenModule {
            context,
            path: shown,
        })
    }

    /// Returns the module's path as it was opened.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Lists the slots that hold an initialised token. A blank token
    /// (SoftHSM2 always offers one) contains no certificate, so it is left
    /// out.
    pub fn tokens(&self) -> Result<Vec<TokenSlot>, TokenError> {
        let slots = self
            .context
            .get_slots_with_token()
            .map_err(|e| TokenError::from_pkcs11(e, 0))?;
        let mut tokens = Vec::with_capacity(slots.len());
        for slot in slots {
            let info = self
                .context
                .get_token_info(slot)
                .map_err(|e| TokenError::from_pkcs11(e, slot.id()))?;
            if info.token_initialized() {
                tokens.push(self.token(slot)?);
            }
        }
        Ok(tokens)
    }

    /// Describes the token in the slot with `slot_id`.
    pub fn token_in(&self, slot_id: u64) -> Result<TokenSlot, TokenError> {
        self.token(self.slot(slot_id)?)
    }

    fn token(&self, slot: Slot) -> Result<TokenSlot, TokenError> {
        let info = self
            .context
            .get_token_info(slot)
            .map_err(|e| TokenError::from_pkcs11(e, slot.id()))?;
        let slot_info = self
            .context
            .get_slot_info(slot)
            .map_err(|e| TokenError::from_pkcs11(e, slot.id()))?;
        Ok(token_slot(
            slot.id(),
            slot_info.slot_description().trim(),
            &info,
        ))
    }

    /// Lists the X.509 certificates on the token in the slot with
    /// `slot_id`. Certificates are public objects, so no PIN is needed.
    ///
    /// A certificate whose DER does not parse is an error for the whole
    /// list, because the visitor's certificate may be the broken one.
    pub fn certificates(&self, slot_id: u64) -> Result<Vec<TokenCertificate>, TokenError> {
        let session = self.open_session(slot_id)?;
        let pkcs11 = |e| TokenError::from_pkcs11(e, slot_id);
        let handles = session
            .find_objects(&[
                Attribute::Class(ObjectClass::CERTIFICATE),
                Attribute::CertificateType(CertificateType::X_509),
            ])
            .map_err(pkcs11)?;

        let mut certificates = Vec::with_capacity(handles.len());
        for handle in handles {
            let attributes = session
                .get_attributes(
                    handle,
                    &[
                        AttributeType::Id,
                        AttributeType::Label,
                        AttributeType::Value,
                    ],
                )
                .map_err(pkcs11)?;
            let (mut id, mut label, mut value) = (Vec::new(), String::new(), Vec::new());
            for attribute in attributes {
                match attribute {
                    Attribute::Id(bytes) => id = bytes,
                    Attribute::Label(bytes) => label = String::from_utf8_lossy(&bytes).into_owned(),
                    Attribute::Value(bytes) => value = bytes,
                    _ => {}
                }
            }
            certificates.push(TokenCertificate {
                slot_id,
                id,
                label,
                certificate: parse_certificate(&value).map_err(malformed)?,
            });
        }
        tracing::debug!(
            slot = slot_id,
            count = certificates.len(),
            "certificates listed"
        );
        Ok(certificates)
    }

    pub(crate) fn slot(&self, slot_id: u64) -> Result<Slot, TokenError> {
        self.context
            .get_slots_with_token()
            .map_err(|e| TokenError::from_pkcs11(e, slot_id))?
            .into_iter()
            .find(|slot| slot.id() == slot_id)
            .ok_or(TokenError::TokenAbsent { slot: slot_id })
    }

    pub(crate) fn open_session(&self, slot_id: u64) -> Result<Session, TokenError> {
        let slot = self.slot(slot_id)?;
        self.context
            .open_ro_session(slot)
            .map_err(|e| TokenError::from_pkcs11(e, slot_id))
    }
}

fn malformed(err: CertificateError) -> TokenError {
    let detail = match err {
        CertificateError::Malformed { detail } => detail,
        other => other.to_string(),
    };
    TokenError::MalformedCertificate { detail }
}

fn token_slot(slot_id: u64, slot_description: &str, info: &TokenInfo) -> TokenSlot {
    TokenSlot {
        slot_id,
        slot_description: slot_description.to_owned(),
        label: info.label().trim().to_owned(),
        manufacturer: info.manufacturer_id().trim().to_owned(),
        model: info.model().trim().to_owned(),
        serial_number: info.serial_number().trim().to_owned(),
        pin_flags: PinFlags::from_token_info(info),
        pin_length: (info.min_pin_length(), info.max_pin_length()),
    }
}
