//! What each operator role may do over HTTP beyond serving tickets and
//! deciding requests, which every role does.
//!
//! | permission        | operator | supervisor         | administrator |
//! |-------------------|----------|--------------------|---------------|
//! | unlock an account | no       | operator accounts  | any account   |
//! | lock an account   | no       | no                 | any but own   |
//! | revoke a device   | no       | no                 | yes           |
//!
//! All of it is limited to the session's own center. These rules do not
//! apply to the CLI, because it opens the database file directly.

use domain::sync::OperatorRole;

use crate::error::ApiError;

/// An action that needs more than the operator role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    UnlockOperator,
    LockOperator,
    RevokeDevice,
}

impl Permission {
    /// Returns the lowest role allowed to act.
    pub fn minimum(self) -> OperatorRole {
        match self {
            Permission::UnlockOperator => OperatorRole::Supervisor,
            Permission::LockOperator | Permission::RevokeDevice => OperatorRole::Administrator,
        }
    }

    /// Describes the action in Russian, for the 403 message.
    fn describe(self) -> &'static str {
        match self {
            Permission::UnlockOperator => "Разблокировать учётную запись",
            Permission::LockOperator => "Заблокировать учётную запись",
            Permission::RevokeDevice => "Отозвать доступ устройства",
        }
    }
}

/// Returns the Russian name of a role as staff call it.
pub fn role_name(role: OperatorRole) -> &'static str {
    match role {
        OperatorRole::Operator => "оператор",
        OperatorRole::Supervisor => "старший смены",
        OperatorRole::Administrator => "администратор",
    }
}

/// Checks that `role` may do `permission`; 403 `role.forbidden` if not.
pub fn require(role: OperatorRole, permission: Permission) -> Result<(), ApiError> {
    if role >= permission.minimum() {
        return Ok(());
    }
    Err(ApiError::forbidden(
        "role.forbidden",
        format!(
            "{} может роль «{}» или выше; вы вошли с ролью «{}». Обратитесь к старшему смены.",
            permission.describe(),
            role_name(permission.minimum()),
            role_name(role)
        ),
    ))
}

/// Checks that `role` may unlock an account with `target`'s role: a
/// supervisor unlocks operators only; 403 `role.target_forbidden` if not.
pub fn require_unlock_of(role: OperatorRole, target: OperatorRole) -> Result<(), ApiError> {
    if role == OperatorRole::Administrator || target < role {
        return Ok(());
    }
    Err(ApiError::forbidden(
        "role.target_forbidden",
        format!(
            "Учётную запись с ролью «{}» может разблокировать только администратор.",
            role_name(target)
        ),
    ))
}
