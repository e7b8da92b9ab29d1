//! `POST /v1/operators/unlock`, `POST /v1/operators/lock` and
//! `POST /v1/devices/revoke`: account and device management from an
//! operator console, by a logged-in supervisor or administrator of the
//! same center (see [`crate::roles`]).

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use domain::sync::{DeviceRevoked, DeviceRole, DeviceTarget, OperatorAccount, OperatorTarget};

use super::body;
use super::sync::{session, signed};
use crate::error::ApiError;
use crate::roles::{self, Permission};
use crate::state::AppState;
use crate::store::{Operator, Session};

/// Authenticates the console and its operator session, then checks the role.
async fn acting(
    state: &AppState,
    request: Request,
    permission: Permission,
) -> Result<(Session, axum::body::Bytes), ApiError> {
    let (parts, device, bytes) = signed(state, request).await?;
    if device.role != DeviceRole::Operator {
        tracing::info!(device_id = %device.id, "management request rejected: not a console");
        return Err(ApiError::forbidden(
            "session.wrong_device",
            "Управление учётными записями и устройствами доступно только с рабочего места \
             оператора.",
        ));
    }
    let Some(session) = session(state, &parts.headers).await? else {
        return Err(ApiError::unauthorized(
            "session.required",
            "Это действие требует входа сотрудника. Войдите в систему и повторите.",
        ));
    };
    if session.center_id != device.center_id {
        tracing::info!(device_id = %device.id, operator_id = %session.operator_id, "management request rejected: other center");
        return Err(ApiError::forbidden(
            "session.wrong_center",
            "Сотрудник вошёл в другом центре. Войдите в систему на этом рабочем месте.",
        ));
    }
    if let Err(err) = roles::require(session.role, permission) {
        tracing::info!(operator_id = %session.operator_id, role = session.role.as_str(), ?permission, "management request rejected: role");
        return Err(err);
    }
    Ok((session, bytes))
}

/// Finds an operator of the session's center; other centers' accounts are
/// reported as missing.
async fn operator_in_center(
    state: &AppState,
    session: &Session,
    login: String,
) -> Result<Operator, ApiError> {
    let center = session.center_id;
    let found = state
        .run_store(move |store| store.operator_by_login(&login))
        .await?;
    found
        .filter(|operator| operator.center_id == center)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "operator.unknown",
                "Сотрудника с таким логином в этом центре нет. Проверьте логин.",
            )
            .with_field("login", "нет в этом центре")
        })
}

async fn set_disabled(
    state: &AppState,
    session: &Session,
    login: String,
    disabled: bool,
) -> Result<Json<OperatorAccount>, ApiError> {
    let actor = session.operator_id.to_string();
    let name = login.clone();
    let now = state.clock.now();
    state
        .run_store(move |store| store.set_operator_disabled(&name, disabled, &actor, now))
        .await?;
    let operator = operator_in_center(state, session, login).await?;
    tracing::info!(operator_id = %session.operator_id, target = %operator.id, disabled, "operator account changed");
    Ok(Json(OperatorAccount {
        operator_id: operator.id,
        login: operator.login,
        role: operator.role,
        disabled: operator.disabled,
        locked_until: operator.locked_until,
    }))
}

pub async fn unlock(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<OperatorAccount>, ApiError> {
    let (session, bytes) = acting(&state, request, Permission::UnlockOperator).await?;
    let target: OperatorTarget = body::parse(&bytes)?;
    let operator = operator_in_center(&state, &session, target.login.clone()).await?;
    roles::require_unlock_of(session.role, operator.role)?;
    set_disabled(&state, &session, target.login, false).await
}

pub async fn lock(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<OperatorAccount>, ApiError> {
    let (session, bytes) = acting(&state, request, Permission::LockOperator).await?;
    let target: OperatorTarget = body::parse(&bytes)?;
    let operator = operator_in_center(&state, &session, target.login.clone()).await?;
    if operator.id == session.operator_id {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "operator.self_lock",
            "Нельзя заблокировать собственную учётную запись. Попросите другого администратора.",
        ));
    }
    set_disabled(&state, &session, target.login, true).await
}

pub async fn revoke_device(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<DeviceRevoked>, ApiError> {
    let (session, bytes) = acting(&state, request, Permission::RevokeDevice).await?;
    let target: DeviceTarget = body::parse(&bytes)?;
    let device_id = target.device_id;
    let found = state
        .run_store(move |store| store.device_credentials(device_id))
        .await?;
    let in_center = found.filter(|credentials| credentials.device.center_id == session.center_id);
    if in_center.is_none() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "device.unknown",
            "Устройства с таким идентификатором в этом центре нет. Проверьте идентификатор.",
        )
        .with_field("device_id", "нет в этом центре"));
    }
    let actor = session.operator_id.to_string();
    let now = state.clock.now();
    state
        .run_store(move |store| store.revoke_device(device_id, &actor, now))
        .await?;
    tracing::info!(operator_id = %session.operator_id, device_id = %device_id, "device revoked");
    Ok(Json(DeviceRevoked {
        device_id,
        revoked_at: now,
    }))
}
