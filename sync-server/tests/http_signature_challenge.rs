//! `POST /v1/signature/challenge` and the empty trust directory through
//! HTTP: what a challenge looks like, who may ask for one, and the
//! per-kiosk rate limit, on a real SQLite file with a controlled clock.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use domain::sync::DeviceRole;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn challenge_is_bound_and_stored() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let attempt = Uuid::now_v7();

    let answer = harness
        .signed(
            &kiosk,
            "POST",
            "/v1/signature/challenge",
            Some(json!({"attempt_id": attempt})),
            None,
        )
        .await;

    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["attempt_id"], attempt.to_string());
    let nonce = answer.body["nonce"].as_str().unwrap();
    assert_eq!(nonce.len(), 64);
    assert!(nonce
        .chars()
        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    let expires_at: Timestamp = answer.body["expires_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires_at, harness.now() + SignedDuration::from_secs(120));

    let challenge_id = answer.body["challenge_id"].as_str().unwrap();
    let db = rusqlite::Connection::open(harness.dir.path().join("okno.sqlite3")).unwrap();
    let (device, stored_attempt, stored_nonce, used): (String, String, String, Option<String>) = db
        .query_row(
            "SELECT device_id, attempt_id, nonce, used_at FROM signature_challenges WHERE id = ?1",
            [challenge_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .unwrap();
    assert_eq!(device, kiosk.id.to_string());
    assert_eq!(stored_attempt, attempt.to_string());
    assert_eq!(stored_nonce, nonce);
    assert_eq!(used, None);
}

#[tokio::test]
async fn challenge_nonces_differ() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let mut nonces = Vec::new();
    for _ in 0..3 {
        let answer = harness
            .signed(
                &kiosk,
                "POST",
                "/v1/signature/challenge",
                Some(json!({"attempt_id": Uuid::now_v7()})),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        nonces.push(answer.body["nonce"].as_str().unwrap().to_owned());
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3);
}

#[tokio::test]
async fn challenge_console_is_forbidden() {
    let harness = Harness::new();
    let console = harness.enroll(DeviceRole::Operator).await;

    let answer = harness
        .signed(
            &console,
            "POST",
            "/v1/signature/challenge",
            Some(json!({"attempt_id": Uuid::now_v7()})),
            None,
        )
        .await;

    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.body["code"], "signature.kiosk_only");
}

#[tokio::test]
async fn challenge_bad_attempt_id_names_field() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;

    let answer = harness
        .signed(
            &kiosk,
            "POST",
            "/v1/signature/challenge",
            Some(json!({"attempt_id": "not-a-uuid"})),
            None,
        )
        .await;

    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.body["code"], "json.invalid");
    assert_eq!(answer.body["fields"][0]["field"], "attempt_id");
}

#[tokio::test]
async fn challenge_rate_limit_per_kiosk() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let other = harness.enroll(DeviceRole::Kiosk).await;
    let first_at = harness.now();
    let ask = |device| {
        let device = Clone::clone(device);
        let harness = &harness;
        async move {
            harness
                .signed(
                    &device,
                    "POST",
                    "/v1/signature/challenge",
                    Some(json!({"attempt_id": Uuid::now_v7()})),
                    None,
                )
                .await
        }
    };

    for number in 0..30 {
        let answer = ask(&kiosk).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "challenge {number}: {}",
            answer.body
        );
        harness.clock.advance(SignedDuration::from_secs(1));
    }
    let limited = ask(&kiosk).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.body["code"], "signature.rate_limited");
    let retry_at: Timestamp = limited.body["retry_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(retry_at, first_at + SignedDuration::from_secs(600));

    let other_kiosk = ask(&other).await;
    assert_eq!(other_kiosk.status, StatusCode::OK, "{}", other_kiosk.body);

    harness.clock.set(retry_at);
    let after = ask(&kiosk).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
}

#[tokio::test]
async fn trust_empty_directory_is_unchanged() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;

    let answer = harness
        .signed(&kiosk, "GET", "/v1/trust?since=0", None, None)
        .await;

    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.body,
        json!({"version": 0, "changed": false, "certificates": [], "crls": []})
    );
}

#[tokio::test]
async fn trust_console_and_bad_query_rejected() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;

    let forbidden = harness
        .signed(&console, "GET", "/v1/trust?since=0", None, None)
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(forbidden.body["code"], "trust.kiosk_only");

    let negative = harness
        .signed(&kiosk, "GET", "/v1/trust?since=-1", None, None)
        .await;
    assert_eq!(negative.status, StatusCode::BAD_REQUEST);
    assert_eq!(negative.body["code"], "query.invalid");
    assert_eq!(negative.body["fields"][0]["field"], "since");
}
