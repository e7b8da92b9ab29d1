//! Enrollment and device authentication through HTTP on a real SQLite file.

mod common;

use axum::http::StatusCode;
use common::*;
use domain::sync::DeviceRole;
use serde_json::json;
use sync_server::secrets;
use sync_server::store::sqlite::{Durability, SqliteStore};
use sync_server::store::Store;

#[tokio::test]
async fn enrollment_burns_token() {
    let harness = Harness::new();
    let token = harness.token(DeviceRole::Kiosk);

    let first = harness
        .send(plain(
            "POST",
            "/v1/enroll",
            json!({"token": token, "label": "Киоск 1"}),
        ))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["role"], "kiosk");
    assert_eq!(first.body["center_id"], harness.center.to_string());
    assert_eq!(first.body["secret"].as_str().unwrap().len(), 64);

    let second = harness
        .send(plain(
            "POST",
            "/v1/enroll",
            json!({"token": token, "label": "Киоск 2"}),
        ))
        .await;
    assert_eq!(second.status, StatusCode::UNAUTHORIZED);
    assert_eq!(second.body["code"], "enroll.token_used");
}

#[tokio::test]
async fn enrollment_rejects_unknown_and_expired_tokens() {
    let harness = Harness::new();
    let unknown = harness
        .send(plain(
            "POST",
            "/v1/enroll",
            json!({"token": "00ff", "label": "Киоск"}),
        ))
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.body["code"], "enroll.token_unknown");

    let token = harness.token(DeviceRole::Operator);
    harness.clock.advance(jiff::SignedDuration::from_hours(25));
    let expired = harness
        .send(plain(
            "POST",
            "/v1/enroll",
            json!({"token": token, "label": "Окно 3"}),
        ))
        .await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.body["code"], "enroll.token_expired");
}

#[tokio::test]
async fn signed_pull_succeeds() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let answer = harness
        .signed(&kiosk, "GET", "/v1/sync/pull?cursor=0", None, None)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.body,
        json!({"changes": [], "next_cursor": 0, "more": false})
    );
}

#[tokio::test]
async fn unsigned_request_is_refused() {
    let harness = Harness::new();
    let answer = harness
        .send(plain("POST", "/v1/sync/push", json!({"events": []})))
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body["code"], "auth.missing");
}

#[tokio::test]
async fn wrong_key_is_refused() {
    let harness = Harness::new();
    let mut kiosk = harness.enroll(DeviceRole::Kiosk).await;
    kiosk.secret[0] ^= 1;
    let answer = harness
        .signed(&kiosk, "GET", "/v1/sync/pull", None, None)
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body["code"], "auth.bad_signature");
}

#[tokio::test]
async fn signature_covers_path_and_body() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let now = harness.now().as_second();

    let mut request = signed_request(
        &kiosk,
        "GET",
        "/v1/sync/pull?cursor=0",
        None,
        None,
        now,
        "0123456789abcdef",
    );
    *request.uri_mut() = "/v1/sync/pull?cursor=5".parse().unwrap();
    let answer = harness.send(request).await;
    assert_eq!(answer.body["code"], "auth.bad_signature");

    let request = signed_request(
        &kiosk,
        "POST",
        "/v1/sync/push",
        Some(json!({"events": []})),
        None,
        now,
        "0123456789abcdee",
    );
    let (parts, _) = request.into_parts();
    let tampered =
        axum::http::Request::from_parts(parts, axum::body::Body::from(r#"{"events":[ ]}"#));
    let answer = harness.send(tampered).await;
    assert_eq!(answer.body["code"], "auth.bad_signature");
}

#[tokio::test]
async fn unknown_device_is_refused() {
    let harness = Harness::new();
    let ghost = TestDevice {
        id: uuid::Uuid::now_v7(),
        secret: vec![7; 32],
    };
    let answer = harness
        .signed(&ghost, "GET", "/v1/sync/pull", None, None)
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body["code"], "auth.unknown_device");
}

#[tokio::test]
async fn revoked_device_is_refused() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let before = harness
        .signed(&kiosk, "GET", "/v1/sync/pull", None, None)
        .await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);

    // Revoked through a second store on the same file, as the CLI does from
    // its own process, while the server holds the key in its cache.
    let cli =
        SqliteStore::open(&harness.dir.path().join("okno.sqlite3"), Durability::Full).unwrap();
    cli.revoke_device(kiosk.id, "admin-cli", harness.now())
        .unwrap();
    let answer = harness
        .signed(&kiosk, "GET", "/v1/sync/pull", None, None)
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body["code"], "auth.revoked");
}

#[tokio::test]
async fn replayed_request_is_refused() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let now = harness.now().as_second();
    let nonce = secrets::random_token(16);

    let first = harness
        .send(signed_request(
            &kiosk,
            "GET",
            "/v1/sync/pull",
            None,
            None,
            now,
            &nonce,
        ))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let replay = harness
        .send(signed_request(
            &kiosk,
            "GET",
            "/v1/sync/pull",
            None,
            None,
            now,
            &nonce,
        ))
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert_eq!(replay.body["code"], "auth.replayed");
}

#[tokio::test]
async fn timestamp_outside_window_is_refused() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    harness.clock.advance(jiff::SignedDuration::from_mins(10));
    let stale = harness.now().as_second() - 301;
    let answer = harness
        .send(signed_request(
            &kiosk,
            "GET",
            "/v1/sync/pull",
            None,
            None,
            stale,
            &secrets::random_token(16),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body["code"], "auth.clock_skew");

    let edge = harness.now().as_second() - 300;
    let answer = harness
        .send(signed_request(
            &kiosk,
            "GET",
            "/v1/sync/pull",
            None,
            None,
            edge,
            &secrets::random_token(16),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn request_from_before_start_is_refused() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let before_start = harness.now().as_second() - 1;
    let answer = harness
        .send(signed_request(
            &kiosk,
            "GET",
            "/v1/sync/pull",
            None,
            None,
            before_start,
            &secrets::random_token(16),
        ))
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.body["code"], "auth.clock_skew");
}
