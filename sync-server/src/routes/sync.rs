//! `POST /v1/sync/push`, `POST /v1/sync/event` and `GET /v1/sync/pull`.
//!
//! A long-polling pull subscribes to the commit notifier before it reads,
//! so a push that commits between the read and the wait still wakes it.

use axum::extract::{Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use domain::sync::auth::HEADER_SESSION;
use domain::sync::DeviceRole;
use domain::sync::{
    AckOutcome, EventAck, EventEnvelope, PullPage, PushAck, PushBatch, MAX_PULL_LIMIT,
    MAX_PULL_WAIT_SECS, MAX_PUSH_EVENTS,
};
use serde::Deserialize;
use tokio::time::Instant;

use super::body;
use crate::auth;
use crate::error::ApiError;
use crate::secrets;
use crate::state::AppState;
use crate::store::{Device, Session};

/// Authenticates the request and returns the device with the raw body.
pub(super) async fn signed(
    state: &AppState,
    request: Request,
) -> Result<(Parts, Device, axum::body::Bytes), ApiError> {
    let (parts, body) = request.into_parts();
    let bytes = body::read(body, state.limits.max_body_bytes).await?;
    let path = parts
        .uri
        .path_and_query()
        .map_or(parts.uri.path(), |path| path.as_str());
    let device = auth::authenticate(state, &parts.method, path, &parts.headers, &bytes).await?;
    Ok((parts, device, bytes))
}

/// Returns the operator session named by the `x-okno-session` header, if sent.
pub(super) async fn session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Session>, ApiError> {
    let Some(value) = headers.get(HEADER_SESSION) else {
        return Ok(None);
    };
    let token = value.to_str().unwrap_or_default();
    let hash = secrets::sha256_hex(token.as_bytes());
    let now = state.clock.now();
    let found = state
        .run_store(move |store| store.session(&hash, now))
        .await?;
    match found {
        Some(session) => Ok(Some(session)),
        None => Err(ApiError::unauthorized(
            "session.expired",
            "Сеанс оператора истёк или завершён. Войдите в систему снова.",
        )),
    }
}

async fn apply(
    state: &AppState,
    device: Device,
    session: Option<Session>,
    events: Vec<EventEnvelope>,
) -> Result<Vec<EventAck>, ApiError> {
    state.metrics.observe_batch(events.len());
    let now = state.clock.now();
    let acks = state
        .run_store(move |store| store.push(&device, session.as_ref(), &events, now))
        .await?;
    let newest = acks
        .iter()
        .filter_map(|ack| match ack.outcome {
            AckOutcome::Applied { seq, .. } => Some(seq),
            _ => None,
        })
        .max();
    if let Some(newest) = newest {
        state.changes.send_if_modified(|current| {
            let newer = newest > *current;
            if newer {
                *current = newest;
            }
            newer
        });
    }
    Ok(acks)
}

pub async fn push(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<PushAck>, ApiError> {
    let (parts, device, bytes) = signed(&state, request).await?;
    let batch: PushBatch = body::parse(&bytes)?;
    if batch.events.len() > MAX_PUSH_EVENTS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "push.too_many_events",
            format!(
                "В пакете {} событий, допустимо не больше {MAX_PUSH_EVENTS}. Разбейте пакет на части.",
                batch.events.len()
            ),
        )
        .with_field("events", format!("не больше {MAX_PUSH_EVENTS}")));
    }
    let session = session(&state, &parts.headers).await?;
    let acks = apply(&state, device, session, batch.events).await?;
    Ok(Json(PushAck { acks }))
}

/// Pushes one event and maps a rejection to an HTTP error: 409 with the
/// current state for an invalid transition, 422 for other rule failures.
pub async fn push_one(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<EventAck>, ApiError> {
    let (parts, device, bytes) = signed(&state, request).await?;
    let event: EventEnvelope = body::parse(&bytes)?;
    let session = session(&state, &parts.headers).await?;
    let mut acks = apply(&state, device, session, vec![event]).await?;
    let ack = acks.pop().ok_or_else(|| {
        ApiError::internal(&"the store returned no acknowledgement for one event")
    })?;
    match ack.outcome {
        AckOutcome::Rejected {
            code,
            message,
            current_state,
        } => {
            let status = if current_state.is_some() || code.ends_with(".exists") {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let error = ApiError::new(status, &code, message);
            Err(match current_state {
                Some(state) => error.with_current_state(state),
                None => error,
            })
        }
        _ => Ok(Json(ack)),
    }
}

/// Query of `GET /v1/sync/pull`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    /// Last `seq` the device has; 0 for everything.
    #[serde(default)]
    pub cursor: u64,
    /// Page size, 1 to [`MAX_PULL_LIMIT`].
    #[serde(default = "default_limit")]
    pub limit: u32,
    /// Seconds to wait for a change when there is none, 0 to
    /// [`MAX_PULL_WAIT_SECS`].
    #[serde(default)]
    pub wait: u32,
}

fn default_limit() -> u32 {
    100
}

pub async fn pull(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<PullPage>, ApiError> {
    let (parts, device, _) = signed(&state, request).await?;
    let Query(query) = Query::<PullQuery>::try_from_uri(&parts.uri).map_err(|err| {
        ApiError::bad_request(
            "query.invalid",
            format!(
                "Параметры запроса неверны: {}. Допустимы cursor, limit и wait (целые числа).",
                err.body_text()
            ),
        )
    })?;
    if query.limit == 0 || query.limit > MAX_PULL_LIMIT {
        return Err(ApiError::bad_request(
            "query.invalid",
            format!("limit должен быть от 1 до {MAX_PULL_LIMIT}."),
        )
        .with_field("limit", format!("1..={MAX_PULL_LIMIT}")));
    }
    if query.wait > MAX_PULL_WAIT_SECS {
        return Err(ApiError::bad_request(
            "query.invalid",
            format!("wait должен быть от 0 до {MAX_PULL_WAIT_SECS} секунд."),
        )
        .with_field("wait", format!("0..={MAX_PULL_WAIT_SECS}")));
    }

    // Kiosks only need tickets and calls; the visitor data of a request
    // goes to operator consoles alone.
    let with_visitor_data = device.role == DeviceRole::Operator;
    let deadline = Instant::now() + std::time::Duration::from_secs(query.wait.into());
    let mut receiver = state.changes.subscribe();
    loop {
        receiver.borrow_and_update();
        let center = device.center_id;
        let page = state
            .run_store(move |store| {
                store.pull(center, query.cursor, query.limit, with_visitor_data)
            })
            .await?;
        if !page.changes.is_empty() || query.wait == 0 {
            state.metrics.observe_pull(page.changes.len());
            return Ok(Json(page));
        }
        match tokio::time::timeout_at(deadline, receiver.changed()).await {
            Ok(Ok(())) => continue,
            // Timed out, or the server is shutting down: return no changes.
            _ => {
                state.metrics.observe_pull(0);
                return Ok(Json(page));
            }
        }
    }
}
