//! Bodies of the account and device management endpoints an operator
//! console calls on behalf of a logged-in supervisor or administrator.
//!
//! Every one of them needs the `x-okno-session` header; which role may do
//! what is the server's rule (see [`OperatorRole`]).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::OperatorRole;

/// Body of `POST /v1/operators/unlock` and `POST /v1/operators/lock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorTarget {
    pub login: String,
}

/// An operator account after a lock or an unlock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorAccount {
    pub operator_id: Uuid,
    pub login: String,
    pub role: OperatorRole,
    /// Locked by an administrator until unlocked.
    pub disabled: bool,
    /// End of a lockout after failed logins, if one is running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<Timestamp>,
}

/// Body of `POST /v1/devices/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceTarget {
    pub device_id: Uuid,
}

/// Answer to a device revocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRevoked {
    pub device_id: Uuid,
    pub revoked_at: Timestamp,
}
