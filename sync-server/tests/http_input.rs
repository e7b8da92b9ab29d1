//! Bad input gets 4xx with a stable code, never 500; the OpenAPI file
//! served is the one in the repository and lists every route.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use domain::sync::DeviceRole;
use serde_json::{json, Value};

#[tokio::test]
async fn malformed_json_is_400() {
    let harness = Harness::new();
    let request = Request::post("/v1/enroll")
        .body(Body::from("{\"token\": "))
        .unwrap();
    let answer = harness.send(request).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.body["code"], "json.malformed");
}

#[tokio::test]
async fn wrong_type_names_field() {
    let harness = Harness::new();
    let answer = harness
        .send(plain(
            "POST",
            "/v1/enroll",
            json!({"token": 5, "label": "Киоск"}),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.body["code"], "json.invalid");
    assert_eq!(answer.body["fields"][0]["field"], "token");
}

#[tokio::test]
async fn unknown_field_is_422() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let mut event = alert(1);
    event["kind"]["data"]["colour"] = json!("red");
    let answer = harness.push(&kiosk, vec![event], None).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.body["code"], "json.invalid");
    // serde reports adjacently tagged content at the tag's path; the
    // message names the field.
    assert_eq!(answer.body["fields"][0]["field"], "events[0].kind");
    assert!(
        answer.body["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `colour`"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn bad_ticket_number_is_422() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let event = ticket_issued(
        uuid::Uuid::now_v7(),
        "П-0042",
        &uuid::Uuid::now_v7().to_string(),
    );
    let answer = harness.push(&kiosk, vec![event], None).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.body["code"], "json.invalid");
    assert_eq!(answer.body["fields"][0]["field"], "events[0].kind");
    let message = answer.body["fields"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("the ticket number does not end in three digits"),
        "{message}"
    );
}

#[tokio::test]
async fn oversized_body_is_413() {
    let harness = Harness::new();
    let big = "x".repeat(9 * 1024 * 1024);
    let answer = harness
        .send(plain(
            "POST",
            "/v1/enroll",
            json!({"token": big, "label": "Киоск"}),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.body["code"], "body.too_large");
}

#[tokio::test]
async fn bad_pull_query_is_400() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    for path in [
        "/v1/sync/pull?cursor=abc",
        "/v1/sync/pull?limit=0",
        "/v1/sync/pull?wait=61",
        "/v1/sync/pull?since=1",
    ] {
        let answer = harness.signed(&kiosk, "GET", path, None, None).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(answer.body["code"], "query.invalid", "{path}");
    }
}

#[tokio::test]
async fn unknown_route_and_method_are_json() {
    let harness = Harness::new();
    let answer = harness
        .send(Request::get("/v1/nothing").body(Body::empty()).unwrap())
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.body["code"], "route.not_found");

    let answer = harness
        .send(Request::get("/v1/enroll").body(Body::empty()).unwrap())
        .await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.body["code"], "route.method_not_allowed");
}

#[tokio::test]
async fn health_ready_and_metrics() {
    let harness = Harness::new();
    let health = harness
        .send(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(health.body, json!({"status": "ok"}));
    let ready = harness
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(ready.body, json!({"status": "ready"}));

    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    harness.push(&kiosk, vec![alert(1), alert(2)], None).await;
    let metrics = harness
        .send(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    let text = metrics.body.as_str().unwrap();
    assert!(
        text.contains(
            "okno_http_requests_total{method=\"POST\",route=\"/v1/sync/push\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains("okno_sync_push_batch_events_bucket{le=\"10\"} 1"),
        "{text}"
    );
}

#[tokio::test]
async fn openapi_matches_repository_file() {
    let harness = Harness::new();
    let served = harness
        .send(Request::get("/openapi.json").body(Body::empty()).unwrap())
        .await;
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(served.body, file);

    let paths = file["paths"].as_object().unwrap();
    let mut documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, methods)| {
            methods
                .as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    documented.sort();
    let mut routes: Vec<(String, String)> = sync_server::routes::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    routes.sort();
    assert_eq!(documented, routes);
}
