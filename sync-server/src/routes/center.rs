//! `GET /v1/center/ticket-key`: the code and ticket QR key of the signing
//! device's center, for stations enrolled before enrollment handed it out.
//!
//! The key is a secret shared by the center's kiosks and consoles: it goes
//! into the response body only, never into a log line.

use axum::extract::{Request, State};
use axum::Json;
use domain::sync::TicketQrGrant;
use uuid::Uuid;

use super::sync::signed;
use crate::error::ApiError;
use crate::state::AppState;

pub async fn ticket_key(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<TicketQrGrant>, ApiError> {
    let (_, device, _) = signed(&state, request).await?;
    let grant = ticket_qr_grant(&state, device.center_id).await?;
    tracing::info!(device_id = %device.id, center_code = %grant.center_code, "ticket QR key handed out");
    Ok(Json(grant))
}

/// Reads the code and key of `center_id` for a response body.
pub(super) async fn ticket_qr_grant(
    state: &AppState,
    center_id: Uuid,
) -> Result<TicketQrGrant, ApiError> {
    let stored = state
        .run_store(move |store| store.center_ticket_key(center_id))
        .await?
        .ok_or_else(|| ApiError::internal(&format!("device's center {center_id} is missing")))?;
    Ok(TicketQrGrant {
        center_code: stored.code,
        key_hex: hex::encode(&stored.key),
    })
}
