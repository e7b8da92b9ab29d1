//! `POST /v1/enroll`: trades a one-time enrollment token for a device id,
//! a signing key and the center's ticket QR key. The only device route
//! that is not signed.

use axum::extract::{Request, State};
use axum::Json;
use domain::sync::{EnrollGrant, EnrollRequest};

use super::body;
use super::center::ticket_qr_grant;
use crate::error::ApiError;
use crate::secrets;
use crate::state::AppState;

pub async fn enroll(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<EnrollGrant>, ApiError> {
    let bytes = body::read(request.into_body(), state.limits.max_body_bytes).await?;
    let enroll: EnrollRequest = body::parse(&bytes)?;
    let label = enroll.label.trim().to_owned();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "enroll.label_invalid",
            "Название устройства должно содержать от 1 до 100 символов, например «Киоск 1, холл».",
        )
        .with_field("label", "от 1 до 100 символов"));
    }

    let token_hash = secrets::sha256_hex(enroll.token.trim().as_bytes());
    let secret = secrets::random_bytes(32);
    let now = state.clock.now();
    let stored_secret = secret.clone();
    let device = state
        .run_store(move |store| store.enroll_device(&token_hash, &label, &stored_secret, now))
        .await
        .map_err(|mut err| {
            // A bad token is an authentication failure, not a malformed body.
            if err.body.code.starts_with("enroll.token") {
                err.status = axum::http::StatusCode::UNAUTHORIZED;
            }
            tracing::warn!(code = %err.body.code, "enrollment refused");
            err
        })?;
    tracing::info!(device_id = %device.id, center_id = %device.center_id, role = device.role.as_str(), "device enrolled");
    let center_id = device.center_id;
    let ticket_qr = ticket_qr_grant(&state, center_id).await?;
    Ok(Json(EnrollGrant {
        device_id: device.id,
        secret: hex::encode(secret),
        center_id,
        role: device.role,
        ticket_qr: Some(ticket_qr),
    }))
}
