//! Single-use redemption of identity confirmation codes by the citizen
//! portal, through HTTP with a controlled clock.

mod common;

use axum::http::StatusCode;
use common::*;
use domain::sync::DeviceRole;
use serde_json::json;
use sync_server::store::{AuditReport, Store};

async fn confirmed(harness: &Harness) -> (uuid::Uuid, String) {
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_operator("ivanova");
    let session = harness.login(&console, "ivanova").await;
    harness.confirmed_code(&kiosk, &console, &session).await
}

#[tokio::test]
async fn code_redeems_once() {
    let harness = Harness::new();
    let (request, code) = confirmed(&harness).await;
    let (client, token) = harness.portal_client();

    // Typed in lower case with a hyphen: still the code.
    let typed = format!("{}-{}", &code[..3], &code[3..]).to_lowercase();
    let answer = harness
        .redeem(Some(&token), json!({"code": typed, "snils": "11223344595"}))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["request_id"], request.to_string());
    assert_eq!(answer.body["center_id"], harness.center.to_string());
    assert_eq!(answer.body["redeemed_at"], START);

    let again = harness
        .redeem(Some(&token), json!({"code": code, "snils": VISITOR_SNILS}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["code"], "code.used");
    assert_eq!(
        again.body["message"],
        "Этот код подтверждения уже использован: личность по нему подтверждена. Повторно \
         вводить его не нужно."
    );

    let db = rusqlite::Connection::open(harness.dir.path().join("okno.sqlite3")).unwrap();
    let (actor, subject): (String, String) = db
        .query_row(
            "SELECT actor, subject FROM audit_log WHERE action = 'code.redeem'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(actor, format!("portal:{client}"));
    assert_eq!(subject, request.to_string());
    assert!(matches!(
        harness.store.verify_audit().unwrap(),
        AuditReport::Intact { .. }
    ));

    let metrics = harness.metrics_text().await;
    assert!(
        metrics.contains("okno_codes_redeemed_total{outcome=\"redeemed\"} 1\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("okno_codes_redeemed_total{outcome=\"used\"} 1\n"),
        "{metrics}"
    );
}

#[tokio::test]
async fn expired_unknown_and_foreign_codes_are_distinct() {
    let harness = Harness::new();
    let (_, code) = confirmed(&harness).await;
    let (_, token) = harness.portal_client();

    // Another person's СНИЛС gets the same error as a code that was never issued.
    let foreign = harness
        .redeem(Some(&token), json!({"code": code, "snils": domain::snils::Snils::from_first_nine([1, 2, 3, 4, 5, 6, 7, 8, 9]).digits()}))
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.body);
    assert_eq!(foreign.body["code"], "code.unknown");

    let other = if code.starts_with('2') { "3" } else { "2" };
    let unknown = harness
        .redeem(
            Some(&token),
            json!({"code": format!("{other}{}", &code[1..]), "snils": VISITOR_SNILS}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["code"], "code.unknown");

    let malformed = harness
        .redeem(Some(&token), json!({"code": "AB1", "snils": VISITOR_SNILS}))
        .await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(malformed.body["code"], "confirmation_code.length");
    assert_eq!(malformed.body["fields"][0]["field"], "code");

    // Valid 30 days: at that instant it has expired.
    harness
        .clock
        .advance(jiff::SignedDuration::from_hours(30 * 24));
    let expired = harness
        .redeem(Some(&token), json!({"code": code, "snils": VISITOR_SNILS}))
        .await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert_eq!(expired.body["code"], "code.expired");
    assert_eq!(
        expired.body["message"],
        "Срок действия кода подтверждения истёк. Обратитесь в центр за новым кодом."
    );
}

#[tokio::test]
async fn redeem_needs_a_live_portal_token() {
    let harness = Harness::new();
    let (_, code) = confirmed(&harness).await;
    let body = json!({"code": code, "snils": VISITOR_SNILS});

    let missing = harness.redeem(None, body.clone()).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.body["code"], "auth.missing");

    let wrong = harness.redeem(Some("0123abcd"), body.clone()).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body["code"], "auth.bad_token");

    let (client, token) = harness.portal_client();
    harness
        .store
        .revoke_portal_client(client, harness.now())
        .unwrap();
    let revoked = harness.redeem(Some(&token), body).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert_eq!(revoked.body["code"], "auth.revoked");
}

#[tokio::test]
async fn confirmation_raises_account_level() {
    let harness = Harness::new();
    let visitor = domain::snils::parse_snils(VISITOR_SNILS).unwrap();
    assert_eq!(harness.store.account(&visitor).unwrap(), None);

    confirmed(&harness).await;

    let account = harness.store.account(&visitor).unwrap();
    assert_eq!(
        account,
        Some(sync_server::store::Account {
            level: domain::account::AccountLevel::Confirmed,
            updated_at: START.parse().unwrap(),
        })
    );
    let stranger = domain::snils::Snils::from_first_nine([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert_eq!(harness.store.account(&stranger).unwrap(), None);
}
