//! Helpers shared by the HTTP tests: a server state on a real SQLite file
//! in a temporary directory, a controlled clock, enrolled devices and
//! signed requests built with the same `domain::sync::auth` code a station
//! uses.

// Each test binary uses a different subset of these helpers, and a failed
// setup step should stop the test at once.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use domain::clock::{Clock, ManualClock};
use domain::sync::auth::{
    canonical_string, sign, HEADER_DEVICE, HEADER_NONCE, HEADER_SESSION, HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
};
use domain::sync::{DeviceRole, OperatorRole};
use jiff::Timestamp;
use serde_json::{json, Value};
use sync_server::secrets;
use sync_server::store::sqlite::{Durability, SqliteStore};
use sync_server::store::{Center, NewOperator, Store};
use sync_server::{app, AppState, Limits};
use tower::ServiceExt;
use uuid::Uuid;

/// 2026-12-04 09:00 Moscow time.
pub const START: &str = "2026-12-04T06:00:00Z";

pub const PASSWORD: &str = "Зима#Сн3г!Okno";

pub struct Harness {
    pub dir: tempfile::TempDir,
    pub store: Arc<SqliteStore>,
    pub clock: Arc<ManualClock>,
    pub state: AppState,
    pub router: Router,
    pub center: Uuid,
}

/// An enrolled device with its key.
#[derive(Clone)]
pub struct TestDevice {
    pub id: Uuid,
    pub secret: Vec<u8>,
}

pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
}

impl Harness {
    pub fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(
            SqliteStore::open(&dir.path().join("okno.sqlite3"), Durability::Normal).unwrap(),
        );
        let clock = Arc::new(ManualClock::new(START.parse().unwrap()));
        let state = AppState::new(store.clone(), clock.clone(), Limits::default());
        let router = app(state.clone());
        let center = Uuid::now_v7();
        store
            .add_center(
                &Center {
                    id: center,
                    name: "МФЦ Центральный".into(),
                    address: "Москва, ул. Тверская, 1".into(),
                    time_zone: "Europe/Moscow".into(),
                    latitude: 55.757,
                    longitude: 37.615,
                },
                clock.now(),
            )
            .unwrap();
        Harness {
            dir,
            store,
            clock,
            state,
            router,
            center,
        }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Stores an enrollment token the way `sync-server enroll-token` does.
    pub fn token(&self, role: DeviceRole) -> String {
        let token = secrets::random_token(20);
        let expires = self
            .now()
            .checked_add(jiff::SignedDuration::from_hours(24))
            .unwrap();
        self.store
            .add_enroll_token(
                self.center,
                role,
                &secrets::sha256_hex(token.as_bytes()),
                expires,
                self.now(),
            )
            .unwrap();
        token
    }

    pub async fn enroll(&self, role: DeviceRole) -> TestDevice {
        let token = self.token(role);
        let answer = self
            .send(plain(
                "POST",
                "/v1/enroll",
                json!({"token": token, "label": "Киоск 1"}),
            ))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        TestDevice {
            id: answer.body["device_id"].as_str().unwrap().parse().unwrap(),
            secret: hex::decode(answer.body["secret"].as_str().unwrap()).unwrap(),
        }
    }

    pub fn add_operator(&self, login: &str) {
        self.add_staff(login, OperatorRole::Operator);
    }

    /// Adds an account with `role` and the shared test password.
    pub fn add_staff(&self, login: &str, role: OperatorRole) {
        let hash = secrets::hash_password(PASSWORD).unwrap();
        self.store
            .add_operator(
                &NewOperator {
                    center_id: self.center,
                    login: login.into(),
                    role,
                },
                &hash,
                self.now(),
            )
            .unwrap();
    }

    /// Logs `login` in from `console` and returns the session token.
    pub async fn login(&self, console: &TestDevice, login: &str) -> String {
        let answer = self
            .signed(
                console,
                "POST",
                "/v1/operators/login",
                Some(json!({"login": login, "password": PASSWORD})),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.body["session"].as_str().unwrap().to_owned()
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Answer { status, body }
    }

    /// Sends a request signed by `device` at the harness clock's time.
    pub async fn signed(
        &self,
        device: &TestDevice,
        method: &str,
        path: &str,
        body: Option<Value>,
        session: Option<&str>,
    ) -> Answer {
        let request = signed_request(
            device,
            method,
            path,
            body,
            session,
            self.now().as_second(),
            &secrets::random_token(16),
        );
        self.send(request).await
    }

    pub async fn lease(&self, kiosk: &TestDevice, category: &str, count: u16) -> Answer {
        self.signed(
            kiosk,
            "POST",
            "/v1/leases",
            Some(json!({"category": category, "count": count})),
            None,
        )
        .await
    }

    pub async fn push(
        &self,
        device: &TestDevice,
        events: Vec<Value>,
        session: Option<&str>,
    ) -> Answer {
        self.signed(
            device,
            "POST",
            "/v1/sync/push",
            Some(json!({"events": events})),
            session,
        )
        .await
    }

    /// Issues a ticket with a request behind it from `kiosk`; returns
    /// `(ticket_id, request_id)`.
    pub async fn submit_request(&self, kiosk: &TestDevice) -> (Uuid, Uuid) {
        let lease = self.lease(kiosk, "identity_confirmation", 10).await;
        assert_eq!(lease.status, StatusCode::OK, "{}", lease.body);
        let ticket = Uuid::now_v7();
        let request = Uuid::now_v7();
        let number = format!("П-{:03}", lease.body["first"].as_u64().unwrap());
        let lease_id = lease.body["lease_id"].as_str().unwrap();
        let answer = self
            .push(
                kiosk,
                vec![
                    ticket_issued(ticket, &number, lease_id),
                    request_submitted(request, ticket),
                ],
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        for ack in answer.body["acks"].as_array().unwrap() {
            assert_eq!(ack["status"], "applied", "{ack}");
        }
        (ticket, request)
    }
}

/// Builds a request signed the way a station signs it.
pub fn signed_request(
    device: &TestDevice,
    method: &str,
    path: &str,
    body: Option<Value>,
    session: Option<&str>,
    timestamp: i64,
    nonce: &str,
) -> Request<Body> {
    let bytes = body
        .map(|body| serde_json::to_vec(&body).unwrap())
        .unwrap_or_default();
    let canonical = canonical_string(method, path, timestamp, nonce, &bytes);
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .header(HEADER_DEVICE, device.id.to_string())
        .header(HEADER_TIMESTAMP, timestamp.to_string())
        .header(HEADER_NONCE, nonce)
        .header(HEADER_SIGNATURE, sign(&device.secret, &canonical));
    if let Some(session) = session {
        builder = builder.header(HEADER_SESSION, session);
    }
    builder.body(Body::from(bytes)).unwrap()
}

pub fn plain(method: &str, path: &str, body: Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(&body).unwrap()))
        .unwrap()
}

pub fn envelope(kind: &str, data: Value) -> Value {
    json!({
        "id": Uuid::now_v7(),
        "occurred_at": START,
        "kind": {"type": kind, "data": data},
    })
}

pub fn ticket_issued(ticket: Uuid, number: &str, lease_id: &str) -> Value {
    envelope(
        "ticket_issued",
        json!({"ticket_id": ticket, "number": number, "lease_id": lease_id}),
    )
}

pub fn request_submitted(request: Uuid, ticket: Uuid) -> Value {
    envelope(
        "request_submitted",
        json!({
            "request_id": request,
            "request_kind": "confirm_identity",
            "ticket_id": ticket,
            "visitor": {
                "surname": "Иванова",
                "given_name": "Мария",
                "patronymic": "Петровна",
                "birth_date": "1985-03-14",
                "passport_number": "4509 123456",
                "passport_issue_date": "2015-04-01",
                "passport_issuer": "ОВД Тверского района г. Москвы",
                "division_code": "770-001",
                "snils": "112-233-445 95",
                "phone": "+79123456789"
            }
        }),
    )
}

pub fn alert(number: u32) -> Value {
    envelope(
        "device_alert",
        json!({"code": "printer.paper_low", "detail": format!("alert {number}")}),
    )
}

impl Harness {
    /// Runs a request through the whole confirmation: ticket called, the
    /// request confirmed by `login`; returns `(request_id, code)`.
    pub async fn confirmed_code(
        &self,
        kiosk: &TestDevice,
        console: &TestDevice,
        session: &str,
    ) -> (Uuid, String) {
        let (ticket, request) = self.submit_request(kiosk).await;
        let called = self
            .signed(
                console,
                "POST",
                "/v1/sync/event",
                Some(envelope(
                    "ticket_called",
                    json!({"ticket_id": ticket, "window": 2}),
                )),
                None,
            )
            .await;
        assert_eq!(called.status, StatusCode::OK, "{}", called.body);
        let confirmed = self
            .signed(
                console,
                "POST",
                "/v1/sync/event",
                Some(envelope("decision_confirm", json!({"request_id": request}))),
                Some(session),
            )
            .await;
        assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
        (
            request,
            confirmed.body["issued"]["code"]
                .as_str()
                .unwrap()
                .to_owned(),
        )
    }

    /// Adds a portal client the way `sync-server portal-client add` does;
    /// returns `(client_id, bearer token)`.
    pub fn portal_client(&self) -> (Uuid, String) {
        let token = secrets::random_token(32);
        let client = self
            .store
            .add_portal_client("Портал", &secrets::sha256_hex(token.as_bytes()), self.now())
            .unwrap();
        (client.id, token)
    }

    /// Sends `POST /v1/codes/redeem` with a bearer token.
    pub async fn redeem(&self, token: Option<&str>, body: Value) -> Answer {
        let mut builder = Request::builder()
            .method("POST")
            .uri("/v1/codes/redeem")
            .header("content-type", "application/json");
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        self.send(
            builder
                .body(Body::from(serde_json::to_vec(&body).unwrap()))
                .unwrap(),
        )
        .await
    }
}

/// The СНИЛС of the visitor in [`request_submitted`].
pub const VISITOR_SNILS: &str = "112-233-445 95";

impl Harness {
    /// Returns the `/metrics` text.
    pub async fn metrics_text(&self) -> String {
        let answer = self
            .send(Request::get("/metrics").body(Body::empty()).unwrap())
            .await;
        assert_eq!(answer.status, StatusCode::OK);
        answer.body.as_str().unwrap().to_owned()
    }
}
