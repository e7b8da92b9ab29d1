//! `/healthz` (the process answers), `/readyz` (the database answers),
//! `/metrics` (Prometheus text) and `/openapi.json` (the API description
//! kept in the repository as `sync-server/openapi.json`).

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::ApiError;
use crate::metrics::NumbersLeft;
use crate::state::AppState;

/// The OpenAPI document, compiled in from the repository file.
pub const OPENAPI_JSON: &str = include_str!("../../openapi.json");

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.run_store(|store| store.ready()).await.map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            "База данных сервера не отвечает. Проверьте журнал сервера.",
        )
    })?;
    Ok(Json(json!({ "status": "ready" })))
}

pub async fn metrics(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let mut text = state.metrics.render();
    let left = numbers_left(&state).await?;
    crate::metrics::render_numbers_left(&mut text, &left);
    Ok((
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        text,
    ))
}

/// Returns what each kiosk has left of today's leases; numbers leased for an
/// earlier day count as none, since they cannot be issued any more.
async fn numbers_left(state: &AppState) -> Result<Vec<NumbersLeft>, ApiError> {
    let stock = state.run_store(|store| store.lease_stock()).await?;
    let now = state.clock.now();
    let mut today: HashMap<Uuid, Option<jiff::civil::Date>> = HashMap::new();
    let mut rows = Vec::with_capacity(stock.len());
    for entry in stock {
        if !today.contains_key(&entry.center_id) {
            let center_id = entry.center_id;
            let center = state
                .run_store(move |store| store.center(center_id))
                .await?;
            let day = center
                .and_then(|center| jiff::tz::TimeZone::get(&center.time_zone).ok())
                .map(|zone| now.to_zoned_datetime(zone).date());
            today.insert(center_id, day);
        }
        let current = today.get(&entry.center_id).copied().flatten() == Some(entry.day);
        rows.push(NumbersLeft {
            device_id: entry.device_id,
            category: entry.category,
            left: if current {
                entry.granted.saturating_sub(entry.issued)
            } else {
                0
            },
        });
    }
    Ok(rows)
}

pub async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI_JSON)
}
