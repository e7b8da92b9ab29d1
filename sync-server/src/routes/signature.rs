//! `POST /v1/signature/challenge`: a one-time challenge a visitor's
//! signature token signs at the kiosk, bound to that kiosk and to the
//! kiosk's attempt id, valid for `Limits::signature_challenge_lifetime`
//! and rate-limited per kiosk.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use domain::sync::{DeviceRole, SignatureChallenge, SignatureChallengeRequest};
use uuid::Uuid;

use super::body;
use super::sync::signed;
use crate::error::ApiError;
use crate::secrets;
use crate::state::AppState;
use crate::store::{Device, StoredChallenge};

/// Authenticates a kiosk and returns it with the body.
pub(super) async fn kiosk(
    state: &AppState,
    request: Request,
) -> Result<(Device, axum::body::Bytes), ApiError> {
    let (_, device, bytes) = signed(state, request).await?;
    if device.role != DeviceRole::Kiosk {
        tracing::info!(device_id = %device.id, "signature request rejected: not a kiosk");
        return Err(ApiError::forbidden(
            "signature.kiosk_only",
            "Подтверждение личности электронной подписью выполняет только киоск.",
        ));
    }
    Ok((device, bytes))
}

pub async fn challenge(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<SignatureChallenge>, ApiError> {
    let (device, bytes) = kiosk(&state, request).await?;
    let asked: SignatureChallengeRequest = body::parse(&bytes)?;
    let now = state.clock.now();
    let expires_at = now
        .checked_add(state.limits.signature_challenge_lifetime)
        .map_err(|err| ApiError::internal(&err))?;
    let stored = StoredChallenge {
        id: Uuid::now_v7(),
        device_id: device.id,
        attempt_id: asked.attempt_id,
        nonce: secrets::random_token(32),
        expires_at,
        used_at: None,
    };
    let limit = state.limits.signature_challenges_per_device;
    let record = stored.clone();
    let issued = state
        .run_store(move |store| store.signature_challenge_issue(&record, limit, now))
        .await?;
    if let Err(retry_at) = issued {
        tracing::info!(device_id = %device.id, attempt_id = %asked.attempt_id, %retry_at, "signature challenge rate-limited");
        let seconds = retry_at.duration_since(now).as_secs().max(1);
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "signature.rate_limited",
            format!(
                "Киоск запросил слишком много проверок подписи подряд. Повторите через {seconds} с."
            ),
        )
        .with_retry_at(retry_at));
    }
    tracing::info!(device_id = %device.id, attempt_id = %asked.attempt_id, challenge_id = %stored.id, "signature challenge issued");
    Ok(Json(SignatureChallenge {
        challenge_id: stored.id,
        attempt_id: stored.attempt_id,
        nonce: stored.nonce,
        expires_at,
    }))
}
