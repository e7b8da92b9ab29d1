//! `POST /v1/leases`: a kiosk asks for a block of ticket numbers for the
//! center's current local day.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use domain::sync::{LeaseGrant, LeaseRequest};

use super::body;
use super::sync::signed;
use crate::error::ApiError;
use crate::state::AppState;

/// Largest block one request may take, so one kiosk cannot drain a day.
pub const MAX_LEASE_COUNT: u16 = 200;

pub async fn grant(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<LeaseGrant>, ApiError> {
    let (_, device, bytes) = signed(&state, request).await?;
    let lease: LeaseRequest = body::parse(&bytes)?;
    if lease.count == 0 || lease.count > MAX_LEASE_COUNT {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "lease.count_invalid",
            format!(
                "Размер блока должен быть от 1 до {MAX_LEASE_COUNT} номеров, запрошено {}.",
                lease.count
            ),
        )
        .with_field("count", format!("1..={MAX_LEASE_COUNT}")));
    }

    let center_id = device.center_id;
    let center = state
        .run_store(move |store| store.center(center_id))
        .await?
        .ok_or_else(|| ApiError::internal(&format!("device's center {center_id} is missing")))?;
    let time_zone = jiff::tz::TimeZone::get(&center.time_zone)
        .map_err(|err| ApiError::internal(&format!("center {center_id} time zone: {err}")))?;
    let now = state.clock.now();
    let day = now.to_zoned_datetime(time_zone).date();

    let category = lease.category;
    let granted = state
        .run_store(move |store| store.grant_lease(&device, category, lease.count, day, now))
        .await;
    match &granted {
        Ok(grant) => {
            state.metrics.lease_granted(category.code());
            tracing::info!(
                category = category.code(),
                first = grant.first,
                last = grant.last,
                "lease granted"
            );
        }
        Err(err) if err.body.code == "lease.exhausted" => {
            state.metrics.lease_exhausted(category.code())
        }
        Err(_) => {}
    }
    Ok(Json(granted?))
}
