//! The HTTP API. [`app`] builds the router with its layers; tests call it
//! directly with `tower::ServiceExt::oneshot`.
//!
//! Layer order, outermost first: a request id is set (or kept from the
//! client's `x-request-id`), a tracing span per request carries it and the
//! matched route, the metrics layer times the request, and the id is
//! copied onto the response.

mod admin;
mod body;
mod center;
mod codes;
mod contacts;
mod enroll;
mod health;
mod leases;
mod operators;
mod signature;
mod sync;
mod trust;

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::state::AppState;

pub use health::OPENAPI_JSON;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Every route of the API, as `(method, path template)`; the OpenAPI test
/// checks the document lists exactly these.
pub const ROUTES: &[(&str, &str)] = &[
    ("post", "/v1/enroll"),
    ("post", "/v1/sync/push"),
    ("post", "/v1/sync/event"),
    ("get", "/v1/sync/pull"),
    ("post", "/v1/leases"),
    ("get", "/v1/center/ticket-key"),
    ("post", "/v1/operators/login"),
    ("post", "/v1/operators/unlock"),
    ("post", "/v1/operators/lock"),
    ("post", "/v1/devices/revoke"),
    ("post", "/v1/codes/redeem"),
    ("post", "/v1/contacts/code"),
    ("post", "/v1/contacts/resend"),
    ("post", "/v1/contacts/verify"),
    ("get", "/v1/trust"),
    ("post", "/v1/signature/challenge"),
    ("post", "/v1/signature/confirm"),
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/metrics"),
    ("get", "/openapi.json"),
];

/// Builds the router with every route and layer.
pub fn app(state: AppState) -> Router {
    let routes = Router::new()
        .route("/v1/enroll", post(enroll::enroll))
        .route("/v1/sync/push", post(sync::push))
        .route("/v1/sync/event", post(sync::push_one))
        .route("/v1/sync/pull", get(sync::pull))
        .route("/v1/leases", post(leases::grant))
        .route("/v1/center/ticket-key", get(center::ticket_key))
        .route("/v1/operators/login", post(operators::login))
        .route("/v1/operators/unlock", post(admin::unlock))
        .route("/v1/operators/lock", post(admin::lock))
        .route("/v1/devices/revoke", post(admin::revoke_device))
        .route("/v1/codes/redeem", post(codes::redeem))
        .route("/v1/contacts/code", post(contacts::code))
        .route("/v1/contacts/resend", post(contacts::resend))
        .route("/v1/contacts/verify", post(contacts::verify))
        .route("/v1/trust", get(trust::directory))
        .route("/v1/signature/challenge", post(signature::challenge))
        .route("/v1/signature/confirm", post(signature::confirm))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/openapi.json", get(health::openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            record_metrics,
        ))
        .with_state(state);

    routes
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let request_id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("");
                let route = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map_or(request.uri().path(), MatchedPath::as_str);
                tracing::info_span!("request", method = %request.method(), route, request_id)
            }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

async fn record_metrics(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    state.metrics.observe_request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "route.not_found",
        "Такого адреса в API нет. Список адресов: /openapi.json.",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "route.method_not_allowed",
        "Этот адрес не принимает такой метод HTTP. Список адресов и методов: /openapi.json.",
    )
}
