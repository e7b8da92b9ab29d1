//! Bodies of `POST /v1/codes/redeem`: the citizen portal turns an identity
//! confirmation code (printed on the operator's slip) into the request it
//! confirms, once.
//!
//! The portal authenticates with a bearer token (`Authorization: Bearer
//! ...`) issued by `sync-server portal-client add`; it is a server, not an
//! enrolled station, so it does not sign with a device key. Checking the
//! code's state is the server's job; this module only defines shapes.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Body of `POST /v1/codes/redeem`. `snils` is the СНИЛС of the portal
/// account the person is logged into. A code issued for another person's
/// request gets `code.unknown`, so a guessed code reveals nothing.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRedeemRequest {
    /// The code as the person typed it; the server normalises it with
    /// `ConfirmationCode::parse`.
    pub code: String,
    pub snils: String,
}

impl std::fmt::Debug for CodeRedeemRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeRedeemRequest { <redacted> }")
    }
}

/// Response to a successful redemption. A second redemption of the same
/// code gets 409 `code.used`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRedeemed {
    /// The confirmed identity request the code was issued for.
    pub request_id: Uuid,
    /// The center where the operator confirmed it.
    pub center_id: Uuid,
    pub redeemed_at: Timestamp,
}
