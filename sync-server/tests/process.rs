//! Tests against the built `sync-server` binary: the administration CLI,
//! serving on loopback, SIGTERM shutdown, and a kill -9 in the middle of a
//! stream of pushes.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use domain::sync::auth::{
    canonical_string, sign, HEADER_DEVICE, HEADER_NONCE, HEADER_SESSION, HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
};
use serde_json::{json, Value};
use uuid::Uuid;

const BINARY: &str = env!("CARGO_BIN_EXE_sync-server");
const PASSWORD: &str = "Зима#Сн3г!Okno";

fn admin(database: &Path, args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(BINARY)
        .arg("--database")
        .arg(database)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap().trim().to_owned(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

struct Server {
    child: Child,
    address: SocketAddr,
    log: mpsc::Receiver<String>,
}

impl Drop for Server {
    /// Kills a server a failed test left running; a no-op after `wait`.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(database: &Path) -> Server {
    start_with(database, &[])
}

fn start_with(database: &Path, extra: &[&str]) -> Server {
    start_with_env(database, extra, &[])
}

fn start_with_env(database: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(BINARY)
        .args(["--database"])
        .arg(database)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--shutdown-grace-secs",
            "5",
        ])
        .args(extra)
        .envs(env.iter().copied())
        .env("RUST_LOG", "debug")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (sender, log) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    // The server owns the child from here, so a failed wait below kills it.
    let mut server = Server {
        child,
        address: "127.0.0.1:0".parse().unwrap(),
        log,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = server
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the server did not report its address within 30 s");
        if let Some(rest) = line.split("address=").nth(1) {
            server.address = rest.split_whitespace().next().unwrap().parse().unwrap();
            return server;
        }
    }
}

#[derive(Clone)]
struct Station {
    client: reqwest::Client,
    base: String,
    device: Uuid,
    secret: Vec<u8>,
}

impl Station {
    async fn enroll(address: SocketAddr, token: &str, label: &str) -> Station {
        let client = reqwest::Client::new();
        let base = format!("http://{address}");
        let grant: Value = client
            .post(format!("{base}/v1/enroll"))
            .json(&json!({"token": token, "label": label}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Station {
            client,
            base,
            device: grant["device_id"].as_str().unwrap().parse().unwrap(),
            secret: hex::decode(grant["secret"].as_str().unwrap()).unwrap(),
        }
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        session: Option<&str>,
    ) -> reqwest::Result<(u16, Value)> {
        let bytes = body
            .map(|body| serde_json::to_vec(&body).unwrap())
            .unwrap_or_default();
        let timestamp = jiff::Timestamp::now().as_second();
        let nonce = hex::encode(Uuid::new_v4().as_bytes());
        let canonical = canonical_string(method, path, timestamp, &nonce, &bytes);
        let mut request = self
            .client
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .header(HEADER_DEVICE, self.device.to_string())
            .header(HEADER_TIMESTAMP, timestamp.to_string())
            .header(HEADER_NONCE, nonce)
            .header(HEADER_SIGNATURE, sign(&self.secret, &canonical))
            .header("content-type", "application/json")
            .body(bytes);
        if let Some(session) = session {
            request = request.header(HEADER_SESSION, session);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await?))
    }
}

fn alert(number: usize) -> Value {
    json!({
        "id": Uuid::now_v7(),
        "occurred_at": "2026-12-04T06:00:00Z",
        "kind": {"type": "device_alert", "data": {"code": "printer.paper_low", "detail": format!("alert {number}")}},
    })
}

/// Creates a center and returns `(database, center id)`.
fn setup(dir: &Path) -> (PathBuf, String) {
    let database = dir.join("okno.sqlite3");
    let (ok, center, stderr) = admin(
        &database,
        &[
            "center",
            "add",
            "--name",
            "МФЦ Центральный",
            "--address",
            "Москва, ул. Тверская, 1",
            "--time-zone",
            "Europe/Moscow",
            "--latitude",
            "55.757",
            "--longitude",
            "37.615",
        ],
        None,
    );
    assert!(ok, "{stderr}");
    (database, center)
}

fn token(database: &Path, center: &str, role: &str) -> String {
    let (ok, token, stderr) = admin(
        database,
        &["enroll-token", "--center", center, "--role", role],
        None,
    );
    assert!(ok, "{stderr}");
    assert_eq!(token.len(), 40, "{token}");
    token
}

#[test]
fn cli_rejects_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let (database, center) = setup(dir.path());

    let (ok, _, stderr) = admin(
        &database,
        &[
            "center",
            "add",
            "--name",
            "X",
            "--address",
            "Y",
            "--time-zone",
            "Mars/Olympus",
            "--latitude",
            "0",
            "--longitude",
            "0",
        ],
        None,
    );
    assert!(!ok);
    assert!(
        stderr.contains("неизвестный часовой пояс «Mars/Olympus»"),
        "{stderr}"
    );

    let (ok, _, stderr) = admin(
        &database,
        &["operator", "add", "--center", &center, "--login", "ivanova"],
        Some("qwerty\n"),
    );
    assert!(!ok);
    assert!(stderr.contains("пароль не подходит"), "{stderr}");

    let (ok, _, stderr) = admin(&database, &["operator", "lock", "--login", "nobody"], None);
    assert!(!ok);
    assert!(stderr.contains("operator with login «nobody»"), "{stderr}");

    // A СНИЛС with a wrong check number, then a valid one nobody confirmed.
    let (ok, _, stderr) = admin(
        &database,
        &["account", "show", "--snils", "14681529787"],
        None,
    );
    assert!(!ok);
    assert!(stderr.contains("ошибка: СНИЛС: "), "{stderr}");
    assert!(!stderr.contains("14681529787"), "{stderr}");
    let (ok, stdout, stderr) = admin(
        &database,
        &["account", "show", "--snils", "14681529786"],
        None,
    );
    assert!(!ok);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("учётная запись с этим СНИЛС на сервере не найдена"),
        "{stderr}"
    );
}

#[test]
fn first_start_creates_database_folder() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("var").join("central");
    let (database, _) = setup(&nested);
    assert!(database.is_file(), "{}", database.display());
    let (ok, listing, stderr) = admin(&database, &["device", "list"], None);
    assert!(ok, "{stderr}");
    assert_eq!(listing, "", "a new database lists no devices");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (database, _) = setup(dir.path());
    rusqlite::Connection::open(&database)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let (ok, _, stderr) = admin(&database, &["device", "list"], None);
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "schema version is 99, newer than {}",
            sync_server::store::sqlite::migrations::SCHEMA_VERSION
        )),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_cli_login_and_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (database, center) = setup(dir.path());
    let kiosk_token = token(&database, &center, "kiosk");
    let console_token = token(&database, &center, "operator");
    let (ok, _, stderr) = admin(
        &database,
        &["operator", "add", "--center", &center, "--login", "ivanova"],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(ok, "{stderr}");

    let mut server = start(&database);
    let kiosk = Station::enroll(server.address, &kiosk_token, "Киоск 1").await;
    let console = Station::enroll(server.address, &console_token, "Окно 1").await;

    let (status, login) = console
        .send(
            "POST",
            "/v1/operators/login",
            Some(json!({"login": "ivanova", "password": PASSWORD})),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200, "{login}");

    let (status, ack) = kiosk
        .send(
            "POST",
            "/v1/sync/push",
            Some(json!({"events": [alert(1)]})),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(ack["acks"][0]["status"], "applied");

    // A full request with personal data, to check none of it reaches the log.
    let (status, lease) = kiosk
        .send(
            "POST",
            "/v1/leases",
            Some(json!({"category": "identity_confirmation", "count": 5})),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200, "{lease}");
    let ticket = Uuid::now_v7();
    let request = json!({
        "id": Uuid::now_v7(),
        "occurred_at": "2026-12-04T06:00:00Z",
        "kind": {"type": "request_submitted", "data": {
            "request_id": Uuid::now_v7(),
            "request_kind": "register",
            "ticket_id": ticket,
            "visitor": {
                "surname": "Иванова", "given_name": "Мария", "patronymic": "Петровна",
                "birth_date": "1985-03-14", "passport_number": "4509 123456",
                "passport_issue_date": "2015-04-01", "passport_issuer": "ОВД Тверского района",
                "division_code": "770-001", "snils": "112-233-445 95", "phone": "+79123456789",
                "email": "maria@example.ru"
            }
        }},
    });
    let issued = json!({
        "id": Uuid::now_v7(),
        "occurred_at": "2026-12-04T06:00:00Z",
        "kind": {"type": "ticket_issued", "data": {"ticket_id": ticket, "number": "П-001", "lease_id": lease["lease_id"]}},
    });
    let (status, ack) = kiosk
        .send(
            "POST",
            "/v1/sync/push",
            Some(json!({"events": [issued, request]})),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(ack["acks"][1]["status"], "applied", "{ack}");
    let (status, _) = kiosk
        .send(
            "POST",
            "/v1/sync/push",
            Some(json!({"events": [{"id": "not-a-uuid", "snils": "112-233-445 95"}]})),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 422);

    let (ok, devices, _) = admin(&database, &["device", "list"], None);
    assert!(ok);
    assert_eq!(devices.lines().count(), 2, "{devices}");
    let (ok, _, stderr) = admin(
        &database,
        &["device", "revoke", &kiosk.device.to_string()],
        None,
    );
    assert!(ok, "{stderr}");
    let (status, refused) = kiosk
        .send("GET", "/v1/sync/pull", None, None)
        .await
        .unwrap();
    assert_eq!(status, 401);
    assert_eq!(refused["code"], "auth.revoked");

    let terminated = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop within 20 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let log: Vec<String> = server.log.try_iter().collect();
    assert!(
        log.iter().any(|line| line.contains("sync server stopped")),
        "{log:?}"
    );
    let secrets = [
        PASSWORD.to_owned(),
        kiosk_token.clone(),
        hex::encode(&kiosk.secret),
        login["session"].as_str().unwrap().to_owned(),
    ];
    // Whole values: a fragment such as "4509" also turns up by chance in
    // the hex of request ids and hashes.
    let personal = [
        "Иванова",
        "Мария",
        "4509 123456",
        "112-233-445 95",
        "+79123456789",
        "maria@",
    ];
    for line in &log {
        for secret in &secrets {
            assert!(
                !line.contains(secret.as_str()),
                "a secret reached the log: {line}"
            );
        }
        for value in personal {
            assert!(
                !line.contains(value),
                "personal data {value:?} reached the log: {line}"
            );
        }
    }

    let (ok, report, stderr) = admin(&database, &["audit", "verify"], None);
    assert!(ok, "{stderr}");
    // center, 2 tokens, operator, 2 enrollments, revoke
    let newest: String = rusqlite::Connection::open(&database)
        .unwrap()
        .query_row("SELECT hash FROM audit_log WHERE seq = 7", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(
        report,
        format!("audit log intact: 7 entries\nhead: 7 {newest}")
    );
}

#[test]
fn audit_verify_detects_removed_newest_entries() {
    let dir = tempfile::tempdir().unwrap();
    let (database, center) = setup(dir.path());
    token(&database, &center, "kiosk");
    token(&database, &center, "operator");
    let head_file = dir.path().join("okno.sqlite3.audit-head");
    let db = rusqlite::Connection::open(&database).unwrap();
    let newest: String = db
        .query_row("SELECT hash FROM audit_log WHERE seq = 3", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&head_file).unwrap(),
        format!("3 {newest}\n")
    );
    let (ok, _, stderr) = admin(&database, &["audit", "verify"], None);
    assert!(ok, "{stderr}");

    db.execute("DELETE FROM audit_log WHERE seq = 3", [])
        .unwrap();
    let (ok, _, stderr) = admin(&database, &["audit", "verify"], None);
    assert!(!ok);
    assert!(
        stderr.contains(
            "журнал аудита повреждён на записи 3: newest entries removed: the log ends at 2, \
             the audit head file names 3"
        ),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_during_pushes_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (database, center) = setup(dir.path());
    let kiosk_token = token(&database, &center, "kiosk");
    let mut server = start(&database);
    let kiosk = Station::enroll(server.address, &kiosk_token, "Киоск 1").await;

    // Four pushers stream batches; the server is killed while they run.
    let (acked_sender, acked) = tokio::sync::mpsc::unbounded_channel::<Vec<Value>>();
    let mut pushers = Vec::new();
    for pusher in 0..4 {
        let kiosk = kiosk.clone();
        let acked_sender = acked_sender.clone();
        pushers.push(tokio::spawn(async move {
            for batch in 0..500 {
                let events: Vec<Value> = (0..20)
                    .map(|n| alert(pusher * 100_000 + batch * 100 + n))
                    .collect();
                let Ok((200, ack)) = kiosk
                    .send(
                        "POST",
                        "/v1/sync/push",
                        Some(json!({"events": events})),
                        None,
                    )
                    .await
                else {
                    return;
                };
                let ids: Vec<Value> = ack["acks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|ack| ack["id"].clone())
                    .collect();
                if acked_sender.send(ids).is_err() {
                    return;
                }
            }
        }));
    }
    drop(acked_sender);

    let mut acked = acked;
    let mut acked_ids = Vec::new();
    let mut batches = 0;
    while batches < 40 {
        let ids = tokio::time::timeout(Duration::from_secs(30), acked.recv())
            .await
            .expect("pushes stalled")
            .expect("pushers stopped early");
        acked_ids.extend(ids);
        batches += 1;
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    for pusher in pushers {
        pusher.await.unwrap();
    }
    while let Ok(ids) = acked.try_recv() {
        acked_ids.extend(ids);
    }

    let server = start(&database);
    let reader = Station {
        base: format!("http://{}", server.address),
        ..kiosk
    };
    let mut cursor = 0;
    let mut stored = Vec::new();
    for _ in 0..1000 {
        let (status, page) = reader
            .send(
                "GET",
                &format!("/v1/sync/pull?cursor={cursor}&limit=1000"),
                None,
                None,
            )
            .await
            .unwrap();
        assert_eq!(status, 200, "{page}");
        for change in page["changes"].as_array().unwrap() {
            stored.push(change["event"]["id"].as_str().unwrap().to_owned());
        }
        cursor = page["next_cursor"].as_u64().unwrap();
        if !page["more"].as_bool().unwrap() {
            break;
        }
    }
    let mut unique = stored.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), stored.len(), "an event is stored twice");
    for id in &acked_ids {
        assert!(
            stored.iter().any(|stored| stored == id.as_str().unwrap()),
            "acknowledged event {id} is missing"
        );
    }
    assert!(acked_ids.len() >= 800);
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_https_with_given_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (database, _) = setup(dir.path());
    let certificate = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    let generated = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&certificate)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(generated.success());

    let server = start_with(
        &database,
        &[
            "--tls-cert",
            certificate.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
        ],
    );
    let root = reqwest::Certificate::from_pem(&std::fs::read(&certificate).unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([root])
        .resolve("localhost", server.address)
        .build()
        .unwrap();
    let url = format!("https://localhost:{}/healthz", server.address.port());
    let health: Value = client.get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(health, json!({"status": "ok"}));

    let plain = reqwest::get(format!("http://{}/healthz", server.address)).await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_sends_contact_codes_with_env_credentials() {
    // An SMS gateway on loopback that records each request's headers and body.
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, String)>::new()));
    let recorder = received.clone();
    let gateway = axum::Router::new().route(
        "/send",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let recorder = recorder.clone();
            async move {
                let authorization = headers["authorization"].to_str().unwrap().to_owned();
                recorder.lock().unwrap().push((authorization, body));
                "accepted"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway_address = listener.local_addr().unwrap();
    let gateway_task = tokio::spawn(async move { axum::serve(listener, gateway).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let (database, center) = setup(dir.path());
    let settings = dir.path().join("contacts.toml");
    std::fs::write(
        &settings,
        format!(
            r#"
[sms]
url = "http://{gateway_address}/send"
body = '{{"to": "{{phone}}", "text": "{{text}}"}}'
headers_env = {{ Authorization = "OKNO_TEST_SMS_AUTHORIZATION" }}
"#
        ),
    )
    .unwrap();
    let kiosk_token = token(&database, &center, "kiosk");
    const SMS_SECRET: &str = "Bearer env-only-sms-secret";
    let settings_arg = settings.to_str().unwrap();
    let server = start_with_env(
        &database,
        &["--contacts-config", settings_arg],
        &[("OKNO_TEST_SMS_AUTHORIZATION", SMS_SECRET)],
    );
    let kiosk = Station::enroll(server.address, &kiosk_token, "Киоск 1").await;

    let request = Uuid::now_v7();
    let (status, sent) = kiosk
        .send(
            "POST",
            "/v1/contacts/code",
            Some(json!({"request_id": request, "contact": "phone", "value": "+79123456789"})),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200, "{sent}");
    let (authorization, body) = received.lock().unwrap()[0].clone();
    assert_eq!(authorization, SMS_SECRET);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["to"], "+79123456789");
    let text = body["text"].as_str().unwrap();
    let code: String = text.chars().filter(char::is_ascii_digit).take(6).collect();

    let (status, verified) = kiosk
        .send(
            "POST",
            "/v1/contacts/verify",
            Some(json!({"request_id": request, "contact": "phone", "code": code})),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200, "{verified}");
    gateway_task.abort();

    // Stop the server and read its whole log up to the last line.
    let terminated = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut log = Vec::new();
    while !log
        .iter()
        .any(|line: &String| line.contains("sync server stopped"))
    {
        let line = server
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the server did not stop within 20 s of SIGTERM");
        log.push(line);
    }
    assert!(
        log.iter()
            .any(|line| line.contains("contact code delivered")),
        "{log:?}"
    );
    for line in &log {
        for secret in [
            SMS_SECRET,
            "env-only-sms-secret",
            "+79123456789",
            code.as_str(),
        ] {
            assert!(!line.contains(secret), "{secret:?} reached the log: {line}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_confirms_by_signature_without_logging_holder() {
    use base64::Engine;
    use domain::qualified_certificate::testing::{days, CaKey, LeafSpec, TestCa};

    let dir = tempfile::tempdir().unwrap();
    let (database, center) = setup(dir.path());
    let now = jiff::Timestamp::now();
    let ca = TestCa::new("Process", CaKey::P256, now - days(30), now + days(3650));
    let files = [
        ("root.der", ca.root_der().to_vec()),
        ("intermediate.der", ca.intermediate_der().to_vec()),
        (
            "root.crl",
            ca.root_crl(&[], now - days(1), Some(now + days(30))),
        ),
        (
            "intermediate.crl",
            ca.intermediate_crl(&[], now - days(1), Some(now + days(30))),
        ),
    ];
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    for args in [
        vec!["trust", "add", "--anchor", &path("root.der")],
        vec!["trust", "add", &path("intermediate.der")],
        vec!["trust", "add-crl", &path("root.crl")],
        vec!["trust", "add-crl", &path("intermediate.crl")],
    ] {
        let (ok, _, stderr) = admin(&database, &args, None);
        assert!(ok, "{args:?}: {stderr}");
    }
    let kiosk_token = token(&database, &center, "kiosk");
    let server = start(&database);
    let kiosk = Station::enroll(server.address, &kiosk_token, "Киоск 1").await;

    let (status, page) = kiosk
        .send("GET", "/v1/trust?since=0", None, None)
        .await
        .unwrap();
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["version"], 4);
    let attempt = Uuid::now_v7();
    let (status, challenge) = kiosk
        .send(
            "POST",
            "/v1/signature/challenge",
            Some(json!({"attempt_id": attempt})),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200, "{challenge}");
    let challenge_id: Uuid = challenge["challenge_id"].as_str().unwrap().parse().unwrap();
    let message =
        domain::sync::challenge_message(challenge_id, challenge["nonce"].as_str().unwrap());
    let leaf = ca.issue(&LeafSpec::person(7, now));
    let (scheme, signature) = leaf.key.sign(&message);
    let base64 = base64::engine::general_purpose::STANDARD;
    let (status, confirmed) = kiosk
        .send(
            "POST",
            "/v1/signature/confirm",
            Some(json!({
                "challenge_id": challenge_id,
                "attempt_id": attempt,
                "certificate": base64.encode(&leaf.der),
                "scheme": scheme,
                "signature": base64.encode(&signature),
            })),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["account_level"], "confirmed");

    let (ok, shown, stderr) = admin(
        &database,
        &["account", "show", "--snils", "11223344595"],
        None,
    );
    assert!(ok, "{stderr}");
    assert!(shown.starts_with("уровень: подтверждённая"), "{shown}");

    // Stop the server and read its whole log up to the last line.
    let terminated = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut log = Vec::new();
    while !log
        .iter()
        .any(|line: &String| line.contains("sync server stopped"))
    {
        let line = server
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the server did not stop within 20 s of SIGTERM");
        log.push(line);
    }
    assert!(
        log.iter()
            .any(|line| line.contains("identity confirmed by a qualified signature")),
        "{log:?}"
    );
    // The holder of `LeafSpec::person`: СНИЛС in both forms, name, ИНН.
    let personal = [
        "11223344595",
        "112-233-445 95",
        "Иванов",
        "Иванович",
        "500123456750",
    ];
    for line in &log {
        for value in personal {
            assert!(
                !line.contains(value),
                "personal data {value:?} reached the log: {line}"
            );
        }
    }
}
