//! `POST /v1/operators/login`: password login from an enrolled operator
//! console, with a lockout after repeated failures.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use domain::sync::{DeviceRole, LoginGrant, LoginRequest};
use jiff::tz::TimeZone;

use super::body;
use super::sync::signed;
use crate::error::ApiError;
use crate::secrets;
use crate::state::AppState;

fn locked(until: jiff::Timestamp) -> ApiError {
    // Operators read Moscow time on the console; the exact instant travels
    // in `locked_until` for the console to show in its own zone.
    let local = TimeZone::get("Europe/Moscow")
        .map(|zone| until.to_zoned_datetime(zone).strftime("%H:%M").to_string())
        .unwrap_or_else(|_| until.to_string());
    ApiError::new(
        StatusCode::FORBIDDEN,
        "login.locked",
        format!(
            "Слишком много неудачных попыток входа. Учётная запись заблокирована до {local} (МСК). \
             Повторите позже или обратитесь к администратору."
        ),
    )
    .with_locked_until(until)
}

fn failed() -> ApiError {
    ApiError::unauthorized(
        "login.failed",
        "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
    )
}

pub async fn login(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<LoginGrant>, ApiError> {
    let (_, device, bytes) = signed(&state, request).await?;
    if device.role != DeviceRole::Operator {
        return Err(ApiError::forbidden(
            "login.wrong_device",
            "Вход операторов возможен только с рабочего места оператора.",
        ));
    }
    let login: LoginRequest = body::parse(&bytes)?;
    let now = state.clock.now();

    let name = login.login.clone();
    let Some(operator) = state
        .run_store(move |store| store.operator_by_login(&name))
        .await?
    else {
        tracing::info!(device_id = %device.id, "login failed: unknown login");
        return Err(failed());
    };
    if operator.center_id != device.center_id {
        tracing::info!(device_id = %device.id, operator_id = %operator.id, "login failed: other center");
        return Err(failed());
    }
    if operator.disabled {
        return Err(ApiError::forbidden(
            "login.disabled",
            "Учётная запись заблокирована администратором. Обратитесь к администратору центра.",
        ));
    }
    if let Some(until) = operator.locked_until.filter(|until| *until > now) {
        return Err(locked(until));
    }

    // argon2id takes tens of milliseconds of CPU: off the async threads.
    let password = login.password;
    let stored = operator.password_hash.clone();
    let matches = tokio::task::spawn_blocking(move || secrets::verify_password(&password, &stored))
        .await
        .map_err(|err| ApiError::internal(&err))?;

    let operator_id = operator.id;
    if !matches {
        let limits = state.limits.clone();
        let locked_until = state
            .run_store(move |store| {
                store.record_login_failure(
                    operator_id,
                    limits.lockout_after,
                    limits.lockout_duration,
                    now,
                )
            })
            .await?;
        tracing::info!(device_id = %device.id, operator_id = %operator_id, locked = locked_until.is_some(), "login failed: wrong password");
        return Err(match locked_until {
            Some(until) => locked(until),
            None => failed(),
        });
    }

    let session = secrets::random_token(32);
    let session_hash = secrets::sha256_hex(session.as_bytes());
    let expires_at = now
        .checked_add(state.limits.session_lifetime)
        .map_err(|err| ApiError::internal(&err))?;
    let device_id = device.id;
    state
        .run_store(move |store| {
            store.start_session(operator_id, device_id, &session_hash, expires_at, now)
        })
        .await?;
    tracing::info!(device_id = %device.id, operator_id = %operator_id, "operator logged in");
    Ok(Json(LoginGrant {
        session,
        operator_id,
        role: operator.role,
        expires_at,
    }))
}
