//! Ticket and request transitions, operator login and lockout, decisions
//! and the audit chain, through HTTP with a controlled clock.

mod common;

use axum::http::StatusCode;
use common::*;
use domain::sync::DeviceRole;
use serde_json::{json, Value};
use sync_server::store::{AuditReport, Store};
use uuid::Uuid;

async fn event(
    harness: &Harness,
    device: &TestDevice,
    kind: &str,
    data: Value,
    session: Option<&str>,
) -> Answer {
    harness
        .signed(
            device,
            "POST",
            "/v1/sync/event",
            Some(envelope(kind, data)),
            session,
        )
        .await
}

fn reject_data(request: Uuid) -> Value {
    json!({"request_id": request, "reason": {"code": "data_mismatch"}})
}

#[tokio::test]
async fn invalid_ticket_transitions_are_409() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;
    let (ticket, _) = harness.submit_request(&kiosk).await;
    let id = json!({"ticket_id": ticket});

    let on_issued = [
        ("ticket_recalled", id.clone()),
        ("ticket_started", id.clone()),
        ("ticket_done", id.clone()),
        ("ticket_no_show", id.clone()),
        ("ticket_postponed", json!({"ticket_id": ticket, "after": 2})),
    ];
    for (kind, data) in on_issued {
        let answer = event(&harness, &console, kind, data, None).await;
        assert_eq!(answer.status, StatusCode::CONFLICT, "{kind}");
        assert_eq!(answer.body["code"], "ticket.invalid_transition", "{kind}");
        assert_eq!(answer.body["current_state"], "issued", "{kind}");
    }

    for (kind, data) in [
        ("ticket_called", json!({"ticket_id": ticket, "window": 4})),
        ("ticket_started", id.clone()),
        ("ticket_done", id.clone()),
    ] {
        let answer = event(&harness, &console, kind, data, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{kind}: {}", answer.body);
        assert_eq!(answer.body["status"], "applied");
    }

    let on_done = [
        ("ticket_called", json!({"ticket_id": ticket, "window": 4})),
        ("ticket_recalled", id.clone()),
        ("ticket_started", id.clone()),
        ("ticket_done", id.clone()),
        ("ticket_no_show", id.clone()),
        ("ticket_postponed", json!({"ticket_id": ticket, "after": 1})),
        (
            "ticket_redirected",
            json!({"ticket_id": ticket, "to": {"window": 2}}),
        ),
    ];
    for (kind, data) in on_done {
        let answer = event(&harness, &console, kind, data, None).await;
        assert_eq!(answer.status, StatusCode::CONFLICT, "{kind}");
        assert_eq!(answer.body["current_state"], "done", "{kind}");
    }
}

#[tokio::test]
async fn confirm_issues_code_and_confirms_account() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_operator("ivanova");
    let session = harness.login(&console, "ivanova").await;
    let (ticket, request) = harness.submit_request(&kiosk).await;

    let early = event(
        &harness,
        &console,
        "decision_confirm",
        json!({"request_id": request}),
        Some(&session),
    )
    .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.body["current_state"], "waiting");

    event(
        &harness,
        &console,
        "ticket_called",
        json!({"ticket_id": ticket, "window": 2}),
        None,
    )
    .await;
    let confirm = envelope("decision_confirm", json!({"request_id": request}));
    let answer = harness
        .signed(
            &console,
            "POST",
            "/v1/sync/event",
            Some(confirm.clone()),
            Some(&session),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["status"], "applied");
    let code = answer.body["issued"]["code"].as_str().unwrap().to_owned();
    let ack: domain::sync::EventAck = serde_json::from_value(answer.body.clone()).unwrap();
    assert!(matches!(
        ack.outcome,
        domain::sync::AckOutcome::Applied {
            issued: Some(_),
            ..
        }
    ));
    assert_eq!(code.len(), 6);
    assert!(
        domain::confirmation_code::ConfirmationCode::parse(&code).is_ok(),
        "{code}"
    );
    assert_eq!(answer.body["issued"]["expires_at"], "2027-01-03T06:00:00Z");

    // A console that lost the response pushes again and gets the same code.
    let again = harness
        .signed(
            &console,
            "POST",
            "/v1/sync/event",
            Some(confirm),
            Some(&session),
        )
        .await;
    assert_eq!(again.body["status"], "duplicate");
    assert_eq!(again.body["issued"]["code"], code.as_str());

    let level: String = rusqlite::Connection::open(harness.dir.path().join("okno.sqlite3"))
        .unwrap()
        .query_row(
            "SELECT level FROM accounts WHERE snils = '112-233-445 95'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(level, "confirmed");

    let reject = event(
        &harness,
        &console,
        "decision_reject",
        reject_data(request),
        Some(&session),
    )
    .await;
    assert_eq!(reject.status, StatusCode::CONFLICT);
    assert_eq!(reject.body["code"], "request.invalid_transition");
    assert_eq!(reject.body["current_state"], "confirmed");
}

#[tokio::test]
async fn confirming_rejected_request_is_409() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_operator("petrov");
    let session = harness.login(&console, "petrov").await;
    let (ticket, request) = harness.submit_request(&kiosk).await;
    event(
        &harness,
        &console,
        "ticket_called",
        json!({"ticket_id": ticket, "window": 1}),
        None,
    )
    .await;

    let rejected = event(
        &harness,
        &console,
        "decision_reject",
        reject_data(request),
        Some(&session),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    assert!(rejected.body.get("issued").is_none());

    let confirm = event(
        &harness,
        &console,
        "decision_confirm",
        json!({"request_id": request}),
        Some(&session),
    )
    .await;
    assert_eq!(confirm.status, StatusCode::CONFLICT);
    assert_eq!(confirm.body["current_state"], "rejected");
}

#[tokio::test]
async fn reject_needs_reason() {
    let harness = Harness::new();
    let console = harness.enroll(DeviceRole::Operator).await;
    let data = json!({"request_id": Uuid::now_v7(), "reason": {"code": "other"}});
    let answer = event(&harness, &console, "decision_reject", data, None).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    // serde reports adjacently tagged content at the tag's path.
    assert_eq!(answer.body["fields"][0]["field"], "kind");
    assert!(
        answer.body["message"].as_str().unwrap().contains("comment"),
        "{}",
        answer.body
    );

    let missing = event(
        &harness,
        &console,
        "decision_reject",
        json!({"request_id": Uuid::now_v7()}),
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn decision_needs_session() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_operator("sidorov");
    let (ticket, request) = harness.submit_request(&kiosk).await;
    event(
        &harness,
        &console,
        "ticket_called",
        json!({"ticket_id": ticket, "window": 1}),
        None,
    )
    .await;

    let anonymous = event(
        &harness,
        &console,
        "decision_confirm",
        json!({"request_id": request}),
        None,
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(anonymous.body["code"], "session.required");

    let session = harness.login(&console, "sidorov").await;
    harness.clock.advance(jiff::SignedDuration::from_hours(12));
    let expired = event(
        &harness,
        &console,
        "decision_confirm",
        json!({"request_id": request}),
        Some(&session),
    )
    .await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.body["code"], "session.expired");
}

#[tokio::test]
async fn lockout_after_five_failures() {
    let harness = Harness::new();
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_operator("kuznetsova");
    let wrong = json!({"login": "kuznetsova", "password": "Неверный#1x"});

    for attempt in 1..=4 {
        let answer = harness
            .signed(
                &console,
                "POST",
                "/v1/operators/login",
                Some(wrong.clone()),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert_eq!(answer.body["code"], "login.failed");
    }
    let fifth = harness
        .signed(
            &console,
            "POST",
            "/v1/operators/login",
            Some(wrong.clone()),
            None,
        )
        .await;
    assert_eq!(fifth.status, StatusCode::FORBIDDEN);
    assert_eq!(fifth.body["code"], "login.locked");
    assert_eq!(fifth.body["locked_until"], "2026-12-04T06:15:00Z");
    assert!(
        fifth.body["message"].as_str().unwrap().contains("до 09:15"),
        "{}",
        fifth.body
    );

    let right = json!({"login": "kuznetsova", "password": PASSWORD});
    harness.clock.advance(jiff::SignedDuration::from_mins(14));
    let still = harness
        .signed(
            &console,
            "POST",
            "/v1/operators/login",
            Some(right.clone()),
            None,
        )
        .await;
    assert_eq!(still.body["code"], "login.locked");

    harness.clock.advance(jiff::SignedDuration::from_mins(1));
    let after = harness
        .signed(&console, "POST", "/v1/operators/login", Some(right), None)
        .await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.body);
    assert_eq!(after.body["role"], "operator");
    assert_eq!(after.body["expires_at"], "2026-12-04T18:15:00Z");
    let grant: domain::sync::LoginGrant = serde_json::from_value(after.body).unwrap();
    assert_eq!(grant.role, domain::sync::OperatorRole::Operator);
}

#[tokio::test]
async fn disabled_operator_cannot_log_in() {
    let harness = Harness::new();
    let console = harness.enroll(DeviceRole::Operator).await;
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    harness.add_operator("smirnov");
    harness
        .store
        .set_operator_disabled("smirnov", true, "admin-cli", harness.now())
        .unwrap();
    let body = json!({"login": "smirnov", "password": PASSWORD});
    let answer = harness
        .signed(
            &console,
            "POST",
            "/v1/operators/login",
            Some(body.clone()),
            None,
        )
        .await;
    assert_eq!(answer.body["code"], "login.disabled");

    let from_kiosk = harness
        .signed(&kiosk, "POST", "/v1/operators/login", Some(body), None)
        .await;
    assert_eq!(from_kiosk.body["code"], "login.wrong_device");
}

#[tokio::test]
async fn audit_detects_edit_and_removal() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_operator("orlova");
    let session = harness.login(&console, "orlova").await;
    let (ticket, request) = harness.submit_request(&kiosk).await;
    event(
        &harness,
        &console,
        "ticket_called",
        json!({"ticket_id": ticket, "window": 1}),
        None,
    )
    .await;
    event(
        &harness,
        &console,
        "decision_reject",
        reject_data(request),
        Some(&session),
    )
    .await;

    // center.add, 2 × enroll_token.create, 2 × device.enroll, operator.add, request.reject
    assert_eq!(
        harness.store.verify_audit().unwrap(),
        AuditReport::Intact { entries: 7 }
    );

    let db = rusqlite::Connection::open(harness.dir.path().join("okno.sqlite3")).unwrap();
    db.execute(
        "UPDATE audit_log SET detail = 'photo_mismatch' WHERE action = 'request.reject'",
        [],
    )
    .unwrap();
    assert_eq!(
        harness.store.verify_audit().unwrap(),
        AuditReport::Broken {
            seq: 7,
            reason: "content does not match the stored hash (edited)".into()
        }
    );
    db.execute(
        "UPDATE audit_log SET detail = 'data_mismatch' WHERE action = 'request.reject'",
        [],
    )
    .unwrap();
    assert_eq!(
        harness.store.verify_audit().unwrap(),
        AuditReport::Intact { entries: 7 }
    );

    db.execute("DELETE FROM audit_log WHERE seq = 3", [])
        .unwrap();
    assert_eq!(
        harness.store.verify_audit().unwrap(),
        AuditReport::Broken {
            seq: 3,
            reason: "entry missing: the next stored entry is 4".into()
        }
    );
}
