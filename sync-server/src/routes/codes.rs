//! `POST /v1/codes/redeem`: the citizen portal redeems an identity
//! confirmation code once.
//!
//! The portal is a server of its own, so it authenticates with a bearer
//! token (`sync-server portal-client add`) over TLS rather than a device
//! key. Statuses: 200 redeemed, 404 `code.unknown`, 410 `code.expired`,
//! 409 `code.used`, 422 for a code or СНИЛС that cannot be one.

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use domain::confirmation_code::ConfirmationCode;
use domain::sync::{CodeRedeemRequest, CodeRedeemed};
use domain::{FieldRule, Lang};

use super::body;
use crate::error::ApiError;
use crate::secrets;
use crate::state::AppState;
use crate::store::PortalClient;

/// Checks `Authorization: Bearer <token>` against the portal clients.
async fn portal(state: &AppState, headers: &HeaderMap) -> Result<PortalClient, ApiError> {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "auth.missing",
                "Нет заголовка Authorization: Bearer с токеном клиента портала. Токен выдаёт \
                 `sync-server portal-client add`.",
            )
        })?;
    let hash = secrets::sha256_hex(token.as_bytes());
    let client = state
        .run_store(move |store| store.portal_client(&hash))
        .await?;
    match client {
        Some(client) if client.revoked_at.is_none() => Ok(client),
        Some(client) => {
            tracing::warn!(portal_client = %client.id, "portal request rejected: client revoked");
            Err(ApiError::unauthorized(
                "auth.revoked",
                "Токен клиента портала отозван администратором. Получите новый токен.",
            ))
        }
        None => {
            tracing::warn!("portal request rejected: unknown token");
            Err(ApiError::unauthorized(
                "auth.bad_token",
                "Токен клиента портала неверен. Проверьте настройку портала.",
            ))
        }
    }
}

pub async fn redeem(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<CodeRedeemed>, ApiError> {
    let (parts, body) = request.into_parts();
    let client = portal(&state, &parts.headers).await?;
    let bytes = body::read(body, state.limits.max_body_bytes).await?;
    let redeem: CodeRedeemRequest = body::parse(&bytes)?;
    let code = ConfirmationCode::parse(&redeem.code).map_err(|err| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            err.code(),
            err.message(Lang::Ru),
        )
        .with_field("code", err.message(Lang::Ru))
    })?;
    let snils = domain::snils::parse_snils(&redeem.snils).map_err(|err| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            err.code(),
            err.message(Lang::Ru),
        )
        .with_field("snils", err.message(Lang::Ru))
    })?;

    let hash = secrets::sha256_hex(code.as_str().as_bytes());
    let digits = snils.digits();
    let actor = format!("portal:{}", client.id);
    let now = state.clock.now();
    let redeemed = state
        .run_store(move |store| store.redeem_code(&hash, &digits, &actor, now))
        .await;
    match redeemed {
        Ok(redeemed) => {
            tracing::info!(portal_client = %client.id, request_id = %redeemed.request_id, "confirmation code redeemed");
            state.metrics.code_redeemed("redeemed");
            Ok(Json(redeemed))
        }
        Err(err) => {
            let (status, outcome) = match err.body.code.as_str() {
                "code.unknown" => (StatusCode::NOT_FOUND, "unknown"),
                "code.expired" => (StatusCode::GONE, "expired"),
                "code.used" => (StatusCode::CONFLICT, "used"),
                _ => return Err(err),
            };
            state.metrics.code_redeemed(outcome);
            Err(ApiError { status, ..err })
        }
    }
}
