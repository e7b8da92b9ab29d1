//! Signature tokens (USB tokens and smart cards holding a qualified
//! certificate, КЭП) reached through a PKCS#11 module.
//!
//! - [`module`]: loading a PKCS#11 module by path, listing the tokens in
//!   its slots and the certificates on a token.
//! - [`pin`]: the PIN, kept in memory that is zeroed on drop, and what the
//!   token's flags say about the tries left.
//! - [`sign`]: logging in with the PIN and signing a challenge with the
//!   private key that matches a certificate.
//! - [`error`]: what can go wrong, with the Russian message a visitor reads.
//! - `test_rig` (feature `test-rig`): SoftHSM2 tokens for tests.
//!
//! Noticing that a token was inserted is the PC/SC monitor's job
//! ([`crate::card::pcsc`]). Parsing a certificate, its chain to an
//! accredited certification center, revocation and verifying the
//! signature are `domain::qualified_certificate`'s.

pub mod error;
pub mod module;
pub mod pin;
pub mod sign;
#[cfg(feature = "test-rig")]
pub mod test_rig;

pub use domain::qualified_certificate::{parse_certificate, ParsedCertificate};
pub use error::TokenError;
pub use module::{TokenCertificate, TokenModule, TokenSlot};
pub use pin::{Pin, PinFlags, TriesLeft};
pub use sign::{SignatureScheme, TokenSignature};
