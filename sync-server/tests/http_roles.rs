//! Role rules over HTTP: which staff role may unlock and lock accounts and
//! revoke devices, each refusal with its stable code.

mod common;

use axum::http::StatusCode;
use common::*;
use domain::sync::{DeviceRole, OperatorRole};
use serde_json::{json, Value};

async fn manage(
    harness: &Harness,
    console: &TestDevice,
    path: &str,
    body: Value,
    session: Option<&str>,
) -> Answer {
    harness
        .signed(console, "POST", path, Some(body), session)
        .await
}

/// Locks `login` out with five wrong passwords.
async fn lock_out(harness: &Harness, console: &TestDevice, login: &str) {
    for _ in 0..5 {
        harness
            .signed(
                console,
                "POST",
                "/v1/operators/login",
                Some(json!({"login": login, "password": "Неверный#1x"})),
                None,
            )
            .await;
    }
    let locked = harness
        .signed(
            console,
            "POST",
            "/v1/operators/login",
            Some(json!({"login": login, "password": PASSWORD})),
            None,
        )
        .await;
    assert_eq!(locked.body["code"], "login.locked");
}

#[tokio::test]
async fn supervisor_unlocks_locked_out_operator() {
    let harness = Harness::new();
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_operator("kuznetsova");
    harness.add_operator("petrov");
    harness.add_staff("sidorova", OperatorRole::Supervisor);
    lock_out(&harness, &console, "kuznetsova").await;

    let operator = harness.login(&console, "petrov").await;
    let rejected = manage(
        &harness,
        &console,
        "/v1/operators/unlock",
        json!({"login": "kuznetsova"}),
        Some(&operator),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::FORBIDDEN);
    assert_eq!(rejected.body["code"], "role.forbidden");
    assert_eq!(
        rejected.body["message"],
        "Разблокировать учётную запись может роль «старший смены» или выше; вы вошли с ролью \
         «оператор». Обратитесь к старшему смены."
    );

    let supervisor = harness.login(&console, "sidorova").await;
    let unlocked = manage(
        &harness,
        &console,
        "/v1/operators/unlock",
        json!({"login": "kuznetsova"}),
        Some(&supervisor),
    )
    .await;
    assert_eq!(unlocked.status, StatusCode::OK, "{}", unlocked.body);
    assert_eq!(unlocked.body["login"], "kuznetsova");
    assert_eq!(unlocked.body["role"], "operator");
    assert_eq!(unlocked.body["disabled"], false);
    assert!(
        unlocked.body.get("locked_until").is_none(),
        "{}",
        unlocked.body
    );
    harness.login(&console, "kuznetsova").await;

    let db = rusqlite::Connection::open(harness.dir.path().join("okno.sqlite3")).unwrap();
    let actor: String = db
        .query_row(
            "SELECT actor FROM audit_log WHERE action = 'operator.unlock'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let supervisor_id: String = db
        .query_row(
            "SELECT id FROM operators WHERE login = 'sidorova'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(actor, supervisor_id);
}

#[tokio::test]
async fn supervisor_cannot_unlock_supervisor() {
    let harness = Harness::new();
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_staff("sidorova", OperatorRole::Supervisor);
    harness.add_staff("volkova", OperatorRole::Supervisor);
    let session = harness.login(&console, "sidorova").await;

    let answer = manage(
        &harness,
        &console,
        "/v1/operators/unlock",
        json!({"login": "volkova"}),
        Some(&session),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.body["code"], "role.target_forbidden");
}

#[tokio::test]
async fn only_administrator_locks_accounts() {
    let harness = Harness::new();
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_operator("petrov");
    harness.add_staff("sidorova", OperatorRole::Supervisor);
    harness.add_staff("admin", OperatorRole::Administrator);

    let supervisor = harness.login(&console, "sidorova").await;
    let rejected = manage(
        &harness,
        &console,
        "/v1/operators/lock",
        json!({"login": "petrov"}),
        Some(&supervisor),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::FORBIDDEN);
    assert_eq!(rejected.body["code"], "role.forbidden");

    let admin = harness.login(&console, "admin").await;
    let own = manage(
        &harness,
        &console,
        "/v1/operators/lock",
        json!({"login": "admin"}),
        Some(&admin),
    )
    .await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(own.body["code"], "operator.self_lock");

    let locked = manage(
        &harness,
        &console,
        "/v1/operators/lock",
        json!({"login": "petrov"}),
        Some(&admin),
    )
    .await;
    assert_eq!(locked.status, StatusCode::OK, "{}", locked.body);
    assert_eq!(locked.body["disabled"], true);
    let login = harness
        .signed(
            &console,
            "POST",
            "/v1/operators/login",
            Some(json!({"login": "petrov", "password": PASSWORD})),
            None,
        )
        .await;
    assert_eq!(login.body["code"], "login.disabled");
}

#[tokio::test]
async fn only_administrator_revokes_devices() {
    let harness = Harness::new();
    let console = harness.enroll(DeviceRole::Operator).await;
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    harness.add_staff("sidorova", OperatorRole::Supervisor);
    harness.add_staff("admin", OperatorRole::Administrator);
    let body = json!({"device_id": kiosk.id});

    let supervisor = harness.login(&console, "sidorova").await;
    let rejected = manage(
        &harness,
        &console,
        "/v1/devices/revoke",
        body.clone(),
        Some(&supervisor),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::FORBIDDEN);
    assert_eq!(rejected.body["code"], "role.forbidden");
    assert_eq!(
        harness.lease(&kiosk, "other_services", 1).await.status,
        StatusCode::OK
    );

    let admin = harness.login(&console, "admin").await;
    let revoked = manage(&harness, &console, "/v1/devices/revoke", body, Some(&admin)).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(revoked.body["device_id"], kiosk.id.to_string());
    assert_eq!(revoked.body["revoked_at"], START);

    let after = harness.lease(&kiosk, "other_services", 1).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.body["code"], "auth.revoked");

    let unknown = manage(
        &harness,
        &console,
        "/v1/devices/revoke",
        json!({"device_id": uuid::Uuid::now_v7()}),
        Some(&admin),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["code"], "device.unknown");
}

#[tokio::test]
async fn management_needs_console_and_session() {
    let harness = Harness::new();
    let console = harness.enroll(DeviceRole::Operator).await;
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    harness.add_staff("admin", OperatorRole::Administrator);
    let body = json!({"login": "admin"});

    let no_session = manage(
        &harness,
        &console,
        "/v1/operators/unlock",
        body.clone(),
        None,
    )
    .await;
    assert_eq!(no_session.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_session.body["code"], "session.required");

    let admin = harness.login(&console, "admin").await;
    let from_kiosk = manage(&harness, &kiosk, "/v1/operators/unlock", body, Some(&admin)).await;
    assert_eq!(from_kiosk.status, StatusCode::FORBIDDEN);
    assert_eq!(from_kiosk.body["code"], "session.wrong_device");

    let unknown = manage(
        &harness,
        &console,
        "/v1/operators/unlock",
        json!({"login": "nobody"}),
        Some(&admin),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["code"], "operator.unknown");
}
