//! The center's ticket QR key: handed out at enrollment and on
//! `GET /v1/center/ticket-key`, the same for every device of a center and
//! different between centers.

mod common;

use axum::http::StatusCode;
use common::*;
use domain::sync::DeviceRole;
use serde_json::{json, Value};
use sync_server::secrets;
use sync_server::store::{Center, Store};
use uuid::Uuid;

/// Enrolls a device with `token` and returns the whole answer body.
async fn enroll_body(harness: &Harness, token: &str) -> Value {
    let answer = harness
        .send(plain(
            "POST",
            "/v1/enroll",
            json!({"token": token, "label": "Киоск 1"}),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

fn device(body: &Value) -> TestDevice {
    TestDevice {
        id: body["device_id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("device id"),
        secret: hex::decode(body["secret"].as_str().expect("secret")).expect("hex secret"),
    }
}

/// Adds a second center with code-less defaults and a kiosk token for it.
fn other_center_token(harness: &Harness) -> (Uuid, String) {
    let center = Uuid::now_v7();
    harness
        .store
        .add_center(
            &Center {
                id: center,
                name: "МФЦ Северный".into(),
                address: "Москва, ул. Дыбенко, 7".into(),
                time_zone: "Europe/Moscow".into(),
                latitude: 55.87,
                longitude: 37.48,
            },
            harness.now(),
        )
        .expect("second center");
    let token = secrets::random_token(20);
    harness
        .store
        .add_enroll_token(
            center,
            DeviceRole::Kiosk,
            &secrets::sha256_hex(token.as_bytes()),
            harness
                .now()
                .checked_add(jiff::SignedDuration::from_hours(1))
                .expect("an hour later"),
            harness.now(),
        )
        .expect("enrollment token");
    (center, token)
}

fn expected_code(center: Uuid) -> String {
    format!("MFC-{}", &center.simple().to_string().to_uppercase()[24..])
}

#[tokio::test]
async fn enrollment_hands_out_the_center_key_and_code() {
    let harness = Harness::new();
    let kiosk = enroll_body(&harness, &harness.token(DeviceRole::Kiosk)).await;
    let console = enroll_body(&harness, &harness.token(DeviceRole::Operator)).await;

    let key = kiosk["ticket_qr"]["key_hex"].as_str().unwrap();
    assert_eq!(hex::decode(key).unwrap().len(), 32);
    assert_eq!(
        kiosk["ticket_qr"]["center_code"],
        json!(expected_code(harness.center))
    );
    assert_eq!(console["ticket_qr"], kiosk["ticket_qr"]);
    // The device secrets differ; only the center key is shared.
    assert_ne!(console["secret"], kiosk["secret"]);
    assert_ne!(kiosk["secret"].as_str().unwrap(), key);
}

#[tokio::test]
async fn two_centers_get_different_keys() {
    let harness = Harness::new();
    let here = enroll_body(&harness, &harness.token(DeviceRole::Kiosk)).await;
    let (other, token) = other_center_token(&harness);
    let there = enroll_body(&harness, &token).await;

    assert_eq!(
        there["ticket_qr"]["center_code"],
        json!(expected_code(other))
    );
    assert_ne!(
        there["ticket_qr"]["center_code"],
        here["ticket_qr"]["center_code"]
    );
    assert_ne!(there["ticket_qr"]["key_hex"], here["ticket_qr"]["key_hex"]);
}

#[tokio::test]
async fn ticket_key_endpoint_returns_the_enrollment_key() {
    let harness = Harness::new();
    let enrolled = enroll_body(&harness, &harness.token(DeviceRole::Operator)).await;
    let answer = harness
        .signed(
            &device(&enrolled),
            "GET",
            "/v1/center/ticket-key",
            None,
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body, enrolled["ticket_qr"]);

    let (_, token) = other_center_token(&harness);
    let stranger = enroll_body(&harness, &token).await;
    let theirs = harness
        .signed(
            &device(&stranger),
            "GET",
            "/v1/center/ticket-key",
            None,
            None,
        )
        .await;
    assert_eq!(theirs.body, stranger["ticket_qr"]);
    assert_ne!(theirs.body, answer.body);
}

#[tokio::test]
async fn ticket_key_endpoint_refuses_unsigned_requests() {
    let harness = Harness::new();
    let answer = harness
        .send(
            axum::http::Request::builder()
                .method("GET")
                .uri("/v1/center/ticket-key")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    assert!(answer.body.get("key_hex").is_none(), "{}", answer.body);
}
