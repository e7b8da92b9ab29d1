//! Contact confirmation codes through HTTP, delivered to real protocol
//! peers on loopback: an SMTP server (`aiosmtpd`, from the Debian package
//! python3-aiosmtpd) and an HTTP SMS endpoint, both started here and both
//! recording what they receive. The clock is controlled.

// Helpers below stop the test at the first failed setup step.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::*;
use domain::sync::DeviceRole;
use jiff::SignedDuration;
use serde_json::{json, Value};
use sync_server::app;
use sync_server::contacts::config::{
    ContactsConfig, DeliveryPolicy, Limits, SmsConfig, SmtpConfig, SmtpSecurity, Window,
};
use sync_server::contacts::ContactService;
use uuid::Uuid;

const PHONE: &str = "+79123456789";
const SMS_TOKEN: &str = "Bearer sms-test-token";
const SMTP_USER: &str = "okno";
const SMTP_PASSWORD: &str = "smtp-test-password";

/// How the SMS endpoint answers each request, in order; the last entry
/// repeats. `None` never answers.
type Script = Vec<Option<u16>>;

#[derive(Clone)]
struct SmsState {
    script: Arc<Mutex<VecDeque<Option<u16>>>>,
    last: Option<u16>,
    received: Arc<Mutex<Vec<(HeaderMap, String)>>>,
}

/// An HTTP SMS gateway on loopback that records every request.
struct SmsPeer {
    url: String,
    received: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SmsPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn sms_endpoint(
    State(state): State<SmsState>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    state.received.lock().unwrap().push((headers, body));
    let next = state
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(state.last);
    match next {
        Some(status) => StatusCode::from_u16(status).unwrap(),
        // A gateway that accepted the connection and never answers.
        None => std::future::pending().await,
    }
}

impl SmsPeer {
    async fn start(script: Script) -> SmsPeer {
        let received = Arc::new(Mutex::new(Vec::new()));
        let state = SmsState {
            last: *script.last().unwrap(),
            script: Arc::new(Mutex::new(script.into())),
            received: received.clone(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = axum::Router::new()
            .route("/send", post(sms_endpoint))
            .with_state(state);
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        SmsPeer {
            url: format!("http://{address}/send"),
            received,
            task,
        }
    }

    fn requests(&self) -> Vec<(HeaderMap, String)> {
        self.received.lock().unwrap().clone()
    }
}

/// The aiosmtpd recorder (tests/support/smtp_recorder.py) on loopback.
struct SmtpPeer {
    child: Child,
    port: u16,
    record: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for SmtpPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpPeer {
    fn start(fail_first: u32) -> SmtpPeer {
        SmtpPeer::start_with(fail_first, "plain")
    }

    /// Starts the recorder; `mode` is `plain`, `starttls` or `tls`, the
    /// last two with a throw-away certificate for 127.0.0.1 in `cert.pem`.
    fn start_with(fail_first: u32, mode: &str) -> SmtpPeer {
        let dir = tempfile::tempdir().unwrap();
        let certificate = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        if mode != "plain" {
            let generated = Command::new("openssl")
                .args([
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:prime256v1",
                ])
                .args(["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"])
                .args(["-addext", "subjectAltName=IP:127.0.0.1"])
                .args(["-addext", "basicConstraints=critical,CA:FALSE"])
                .arg("-keyout")
                .arg(&key)
                .arg("-out")
                .arg(&certificate)
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(generated.success(), "openssl could not make a certificate");
        }
        let record = dir.path().join("messages.jsonl");
        // A free port: bound, read and released for the recorder to take.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // Debian's interpreter, where python3-aiosmtpd installs; a python3
        // earlier on PATH (pyenv) would not see the package.
        let python = if std::path::Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3"
        } else {
            "python3"
        };
        let mut child = Command::new(python)
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/support/smtp_recorder.py"
            ))
            .arg(port.to_string())
            .arg(&record)
            .args([SMTP_USER, SMTP_PASSWORD, &fail_first.to_string(), mode])
            .arg(&certificate)
            .arg(&key)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (Debian package python3-aiosmtpd) is needed");
        let stdout = child.stdout.take().unwrap();
        let (ready, waiting) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = ready.send(line);
        });
        let line = waiting.recv_timeout(Duration::from_secs(20)).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP recorder did not start");
        SmtpPeer {
            child,
            port,
            record,
            _dir: dir,
        }
    }

    fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.record)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

fn config(sms_url: Option<&str>, smtp_port: Option<u16>, limits: Limits) -> ContactsConfig {
    ContactsConfig {
        require_for_registration: true,
        limits,
        delivery: DeliveryPolicy {
            attempts: 3,
            timeout_ms: 400,
            backoff_ms: 20,
        },
        smtp: smtp_port.map(|port| SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            ca_file: None,
            from: "Госуслуги в МФЦ <no-reply@okno.test>".into(),
            username: Some(SMTP_USER.into()),
            password: Some(SMTP_PASSWORD.into()),
            password_env: None,
        }),
        sms: sms_url.map(|url| SmsConfig {
            url: url.into(),
            content_type: "application/json".into(),
            body: r#"{"to": "{phone}", "text": "{text}", "sender": "MFC"}"#.into(),
            headers: [("Authorization".to_owned(), SMS_TOKEN.to_owned())].into(),
            headers_env: Default::default(),
        }),
    }
}

fn wide_limits() -> Limits {
    Limits {
        per_phone: Window {
            max: 100,
            period_secs: 3600,
        },
        per_email: Window {
            max: 100,
            period_secs: 3600,
        },
        per_device: Window {
            max: 100,
            period_secs: 3600,
        },
    }
}

/// A harness whose server sends codes with `config`.
fn harness_with(config: ContactsConfig) -> Harness {
    config.check().unwrap();
    let mut harness = Harness::new();
    let service = ContactService::from_config(&config).unwrap();
    harness.state = harness.state.clone().with_contacts(service);
    harness.router = app(harness.state.clone());
    harness
}

async fn ask_code(
    harness: &Harness,
    kiosk: &TestDevice,
    request: Uuid,
    contact: &str,
    value: &str,
) -> Answer {
    harness
        .signed(
            kiosk,
            "POST",
            "/v1/contacts/code",
            Some(json!({"request_id": request, "contact": contact, "value": value})),
            None,
        )
        .await
}

async fn resend(harness: &Harness, kiosk: &TestDevice, request: Uuid, contact: &str) -> Answer {
    harness
        .signed(
            kiosk,
            "POST",
            "/v1/contacts/resend",
            Some(json!({"request_id": request, "contact": contact})),
            None,
        )
        .await
}

async fn verify(
    harness: &Harness,
    kiosk: &TestDevice,
    request: Uuid,
    contact: &str,
    code: &str,
) -> Answer {
    harness
        .signed(
            kiosk,
            "POST",
            "/v1/contacts/verify",
            Some(json!({"request_id": request, "contact": contact, "code": code})),
            None,
        )
        .await
}

/// Takes the six digits out of a message text.
fn code_in(text: &str) -> String {
    let digits: String = text
        .split_whitespace()
        .find(|word| {
            word.trim_end_matches(',').len() == 6
                && word
                    .trim_end_matches(',')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
        })
        .unwrap()
        .trim_end_matches(',')
        .to_owned();
    digits
}

/// Returns the code in the SMS the endpoint received `index`-th.
fn sms_code(sms: &SmsPeer, index: usize) -> String {
    let body: Value = serde_json::from_str(&sms.requests()[index].1).unwrap();
    code_in(body["text"].as_str().unwrap())
}

/// Returns another six-digit code than `code`.
fn other_than(code: &str) -> String {
    let last = code.as_bytes()[5];
    let changed = if last == b'9' {
        '0'
    } else {
        char::from(last + 1)
    };
    format!("{}{changed}", &code[..5])
}

#[tokio::test]
async fn phone_code_sent_by_sms_and_verified() {
    let sms = SmsPeer::start(vec![Some(200)]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let request = Uuid::now_v7();

    let sent = ask_code(&harness, &kiosk, request, "phone", "8 (912) 345-67-89").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(sent.body["request_id"], request.to_string());
    assert_eq!(sent.body["contact"], "phone");
    assert_eq!(sent.body["expires_at"], "2026-12-04T06:05:00Z");
    assert_eq!(sent.body["resend_at"], "2026-12-04T06:01:00Z");
    assert_eq!(sent.body["attempts_left"], 3);

    let requests = sms.requests();
    assert_eq!(requests.len(), 1);
    let (headers, body) = &requests[0];
    assert_eq!(headers["authorization"], SMS_TOKEN);
    assert_eq!(headers["content-type"], "application/json");
    let body: Value = serde_json::from_str(body).unwrap();
    let text = body["text"].as_str().unwrap();
    let code = code_in(text);
    assert_eq!(
        body,
        json!({
            "to": PHONE,
            "text": format!("Госуслуги: код {code}, действует 5 мин. Никому его не сообщайте!"),
            "sender": "MFC"
        })
    );
    assert!(
        text.chars().count() <= 70,
        "{} characters",
        text.chars().count()
    );

    let db = rusqlite::Connection::open(harness.dir.path().join("okno.sqlite3")).unwrap();
    let stored: String = db
        .query_row("SELECT code_hash FROM contact_codes", [], |row| row.get(0))
        .unwrap();
    assert!(!stored.contains(&code), "the code is stored in the clear");

    let wrong = verify(&harness, &kiosk, request, "phone", &other_than(&code)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.body["code"], "one_time_code.wrong");
    assert_eq!(wrong.body["attempts_left"], 2);
    assert_eq!(wrong.body["message"], "Неверный код. Осталось попыток: 2.");

    let typed = format!("{} {}", &code[..3], &code[3..]);
    let verified = verify(&harness, &kiosk, request, "phone", &typed).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    assert_eq!(verified.body["verified_at"], START);

    let again = verify(&harness, &kiosk, request, "phone", &code).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["code"], "one_time_code.used");

    let asked_again = ask_code(&harness, &kiosk, request, "phone", PHONE).await;
    assert_eq!(asked_again.status, StatusCode::CONFLICT);
    assert_eq!(asked_again.body["code"], "contact.already_verified");

    let metrics = harness.metrics_text().await;
    for line in [
        "okno_contact_codes_total{contact=\"phone\",outcome=\"delivered\"} 1\n",
        "okno_contact_codes_total{contact=\"phone\",outcome=\"verified\"} 1\n",
        "okno_contact_codes_total{contact=\"phone\",outcome=\"rejected\"} 2\n",
        "okno_contact_codes_total{contact=\"phone\",outcome=\"refused\"} 1\n",
    ] {
        assert!(metrics.contains(line), "{line} missing in {metrics}");
    }
    assert!(!metrics.contains("912"), "{metrics}");
}

#[tokio::test]
async fn email_code_sent_over_smtp() {
    let smtp = SmtpPeer::start(0);
    let harness = harness_with(config(None, Some(smtp.port), wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let request = Uuid::now_v7();

    let sent = ask_code(
        &harness,
        &kiosk,
        request,
        "email",
        "maria.ivanova@example.ru",
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);

    let messages = smtp.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let message = &messages[0];
    assert_eq!(message["mail_from"], "no-reply@okno.test");
    assert_eq!(message["rcpt_tos"], json!(["maria.ivanova@example.ru"]));
    assert_eq!(message["login"], SMTP_USER);
    assert_eq!(message["encrypted"], false);
    assert_eq!(message["subject"], "Код подтверждения почты для Госуслуг");
    assert_eq!(message["content_type"], "text/plain");
    let code = code_in(message["body"].as_str().unwrap());
    assert_eq!(
        message["body"],
        format!("Госуслуги: код {code}, действует 5 мин. Никому его не сообщайте!")
    );

    let verified = verify(&harness, &kiosk, request, "email", &code).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    assert_eq!(verified.body["contact"], "email");
}

/// Sends an e-mail code through a recorder speaking `mode` and returns
/// what it recorded.
async fn send_over_tls(mode: &str, security: SmtpSecurity) -> Value {
    let smtp = SmtpPeer::start_with(0, mode);
    let mut settings = config(None, Some(smtp.port), wide_limits());
    let smtp_settings = settings.smtp.as_mut().unwrap();
    smtp_settings.security = security;
    smtp_settings.ca_file = Some(smtp._dir.path().join("cert.pem"));
    let harness = harness_with(settings);
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let sent = ask_code(
        &harness,
        &kiosk,
        Uuid::now_v7(),
        "email",
        "petrov@example.ru",
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    messages[0].clone()
}

#[tokio::test]
async fn smtp_starttls_with_private_ca() {
    let message = send_over_tls("starttls", SmtpSecurity::Starttls).await;
    assert_eq!(message["encrypted"], true);
    assert_eq!(message["login"], SMTP_USER);
}

#[tokio::test]
async fn smtp_implicit_tls_with_private_ca() {
    let message = send_over_tls("tls", SmtpSecurity::Tls).await;
    assert_eq!(message["encrypted"], true);
    assert_eq!(message["login"], SMTP_USER);
}

#[tokio::test]
async fn smtp_untrusted_certificate_is_not_delivered() {
    let smtp = SmtpPeer::start_with(0, "starttls");
    let mut settings = config(None, Some(smtp.port), wide_limits());
    settings.smtp.as_mut().unwrap().security = SmtpSecurity::Starttls;
    let harness = harness_with(settings);
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let sent = ask_code(
        &harness,
        &kiosk,
        Uuid::now_v7(),
        "email",
        "petrov@example.ru",
    )
    .await;
    assert_eq!(sent.status, StatusCode::BAD_GATEWAY, "{}", sent.body);
    assert_eq!(sent.body["code"], "contact.not_delivered");
    assert!(smtp.messages().is_empty());
}

#[tokio::test]
async fn smtp_deferral_is_retried() {
    let smtp = SmtpPeer::start(1);
    let harness = harness_with(config(None, Some(smtp.port), wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;

    let sent = ask_code(
        &harness,
        &kiosk,
        Uuid::now_v7(),
        "email",
        "petrov@example.ru",
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(smtp.messages().len(), 1);
}

#[tokio::test]
async fn code_expires_after_five_minutes() {
    let sms = SmsPeer::start(vec![Some(200)]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let request = Uuid::now_v7();
    ask_code(&harness, &kiosk, request, "phone", PHONE).await;
    let code = sms_code(&sms, 0);

    harness.clock.advance(SignedDuration::from_mins(5));
    let late = verify(&harness, &kiosk, request, "phone", &code).await;
    assert_eq!(late.status, StatusCode::GONE);
    assert_eq!(late.body["code"], "one_time_code.expired");
    assert_eq!(
        late.body["message"],
        "Срок действия кода истёк. Запросите новый код."
    );
}

#[tokio::test]
async fn third_wrong_entry_uses_up_code() {
    let sms = SmsPeer::start(vec![Some(200)]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let request = Uuid::now_v7();
    ask_code(&harness, &kiosk, request, "phone", PHONE).await;
    let code = sms_code(&sms, 0);
    let wrong = other_than(&code);

    assert_eq!(
        verify(&harness, &kiosk, request, "phone", &wrong)
            .await
            .body["attempts_left"],
        2
    );
    assert_eq!(
        verify(&harness, &kiosk, request, "phone", &wrong)
            .await
            .body["attempts_left"],
        1
    );
    let third = verify(&harness, &kiosk, request, "phone", &wrong).await;
    assert_eq!(third.status, StatusCode::GONE);
    assert_eq!(third.body["code"], "one_time_code.exhausted");
    let right = verify(&harness, &kiosk, request, "phone", &code).await;
    assert_eq!(right.status, StatusCode::GONE);
    assert_eq!(right.body["code"], "one_time_code.exhausted");

    let malformed = verify(&harness, &kiosk, request, "phone", "12a").await;
    assert_eq!(malformed.body["code"], "one_time_code.exhausted");
}

#[tokio::test]
async fn resend_waits_sixty_seconds() {
    let sms = SmsPeer::start(vec![Some(200)]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let request = Uuid::now_v7();
    ask_code(&harness, &kiosk, request, "phone", PHONE).await;
    let first = sms_code(&sms, 0);

    harness.clock.advance(SignedDuration::from_secs(45));
    let early = resend(&harness, &kiosk, request, "phone").await;
    assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(early.body["code"], "contact.resend_too_early");
    assert_eq!(early.body["retry_at"], "2026-12-04T06:01:00Z");
    assert_eq!(
        early.body["message"],
        "Код уже отправлен. Новый код можно запросить через 15 с."
    );
    assert_eq!(sms.requests().len(), 1);

    harness.clock.advance(SignedDuration::from_secs(15));
    let later = resend(&harness, &kiosk, request, "phone").await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.body);
    assert_eq!(later.body["resend_at"], "2026-12-04T06:02:00Z");
    let requests = sms.requests();
    assert_eq!(requests.len(), 2);
    let second = sms_code(&sms, 1);
    let body: Value = serde_json::from_str(&requests[1].1).unwrap();
    assert_eq!(body["to"], PHONE);

    if first != second {
        let old = verify(&harness, &kiosk, request, "phone", &first).await;
        assert_eq!(old.body["code"], "one_time_code.wrong");
    }
    let new = verify(&harness, &kiosk, request, "phone", &second).await;
    assert_eq!(new.status, StatusCode::OK, "{}", new.body);

    let never = resend(&harness, &kiosk, Uuid::now_v7(), "phone").await;
    assert_eq!(never.status, StatusCode::NOT_FOUND);
    assert_eq!(never.body["code"], "contact.no_code");
}

#[tokio::test]
async fn sends_are_limited_per_phone_and_kiosk() {
    let sms = SmsPeer::start(vec![Some(200)]).await;
    let mut limits = wide_limits();
    limits.per_phone = Window {
        max: 2,
        period_secs: 3600,
    };
    limits.per_device = Window {
        max: 4,
        period_secs: 600,
    };
    let harness = harness_with(config(Some(&sms.url), None, limits));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let other_kiosk = harness.enroll(DeviceRole::Kiosk).await;

    for _ in 0..2 {
        let sent = ask_code(&harness, &kiosk, Uuid::now_v7(), "phone", PHONE).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    }
    harness.clock.advance(SignedDuration::from_mins(1));
    // The same number from another kiosk: the limit is the number's.
    let flooded = ask_code(&harness, &other_kiosk, Uuid::now_v7(), "phone", PHONE).await;
    assert_eq!(flooded.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(flooded.body["code"], "contact.rate_limited");
    assert_eq!(flooded.body["retry_at"], "2026-12-04T07:00:00Z");
    assert_eq!(
        flooded.body["message"],
        "Слишком много кодов отправлено на этот номер телефона. Повторить можно после 10:00 (МСК)."
    );

    for number in ["+79160000001", "+79160000002"] {
        let sent = ask_code(&harness, &kiosk, Uuid::now_v7(), "phone", number).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    }
    let busy = ask_code(&harness, &kiosk, Uuid::now_v7(), "phone", "+79160000003").await;
    assert_eq!(busy.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(busy.body["code"], "contact.rate_limited");
    assert_eq!(busy.body["retry_at"], "2026-12-04T06:10:00Z");
    assert!(
        busy.body["message"]
            .as_str()
            .unwrap()
            .contains("с этого киоска"),
        "{}",
        busy.body
    );
    let elsewhere = ask_code(
        &harness,
        &other_kiosk,
        Uuid::now_v7(),
        "phone",
        "+79160000003",
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::OK, "{}", elsewhere.body);
    assert_eq!(sms.requests().len(), 5);
}

async fn assert_not_delivered(harness: &Harness, kiosk: &TestDevice) {
    let request = Uuid::now_v7();
    let answer = ask_code(harness, kiosk, request, "phone", PHONE).await;
    assert_eq!(answer.status, StatusCode::BAD_GATEWAY, "{}", answer.body);
    assert_eq!(answer.body["code"], "contact.not_delivered");
    assert_eq!(
        answer.body["message"],
        "Не удалось отправить SMS с кодом. Проверьте номер и запросите код ещё раз."
    );
    // The undelivered code is forgotten: nothing to verify, nothing to wait for.
    let check = verify(harness, kiosk, request, "phone", "123456").await;
    assert_eq!(check.body["code"], "contact.no_code");
}

#[tokio::test]
async fn refused_connection_is_not_delivered() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let harness = harness_with(config(
        Some(&format!("http://{closed}/send")),
        None,
        wide_limits(),
    ));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    assert_not_delivered(&harness, &kiosk).await;
}

#[tokio::test]
async fn gateway_5xx_is_retried_then_not_delivered() {
    let sms = SmsPeer::start(vec![Some(503)]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    assert_not_delivered(&harness, &kiosk).await;
    assert_eq!(sms.requests().len(), 3, "one request per attempt");
}

#[tokio::test]
async fn gateway_timeout_is_not_delivered() {
    let sms = SmsPeer::start(vec![None]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    assert_not_delivered(&harness, &kiosk).await;
    assert_eq!(sms.requests().len(), 3);
}

#[tokio::test]
async fn gateway_4xx_is_not_retried() {
    let sms = SmsPeer::start(vec![Some(400)]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    assert_not_delivered(&harness, &kiosk).await;
    assert_eq!(sms.requests().len(), 1);
}

#[tokio::test]
async fn gateway_recovering_delivers() {
    let sms = SmsPeer::start(vec![Some(500), Some(200)]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let sent = ask_code(&harness, &kiosk, Uuid::now_v7(), "phone", PHONE).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(sms.requests().len(), 2);
}

#[tokio::test]
async fn contact_codes_need_kiosk_config_and_valid_contact() {
    let sms = SmsPeer::start(vec![Some(200)]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;

    let from_console = ask_code(&harness, &console, Uuid::now_v7(), "phone", PHONE).await;
    assert_eq!(from_console.status, StatusCode::FORBIDDEN);
    assert_eq!(from_console.body["code"], "contact.kiosk_only");

    let landline = ask_code(&harness, &kiosk, Uuid::now_v7(), "phone", "+74951234567").await;
    assert_eq!(landline.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        landline.body["code"]
            .as_str()
            .unwrap()
            .starts_with("phone."),
        "{}",
        landline.body
    );
    assert_eq!(landline.body["fields"][0]["field"], "value");

    let no_smtp = ask_code(&harness, &kiosk, Uuid::now_v7(), "email", "a@example.ru").await;
    assert_eq!(no_smtp.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(no_smtp.body["code"], "contact.not_configured");

    let plain = Harness::new();
    let plain_kiosk = plain.enroll(DeviceRole::Kiosk).await;
    let unconfigured = ask_code(&plain, &plain_kiosk, Uuid::now_v7(), "phone", PHONE).await;
    assert_eq!(unconfigured.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(unconfigured.body["code"], "contact.not_configured");
    assert!(sms.requests().is_empty());
}

#[test]
fn example_settings_load_and_plain_smtp_is_loopback_only() {
    let example = ContactsConfig::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/contacts.example.toml"
    )))
    .unwrap();
    assert_eq!(
        example.limits.per_phone,
        Window {
            max: 5,
            period_secs: 3600
        }
    );
    assert_eq!(
        example.smtp.as_ref().unwrap().security,
        SmtpSecurity::Starttls
    );
    assert!(example.sms.is_some());

    let mut remote = config(None, Some(25), wide_limits());
    remote.smtp.as_mut().unwrap().host = "smtp.example.ru".into();
    assert_eq!(
        remote.check().unwrap_err(),
        "smtp.security = \"none\" is allowed only for a loopback host, not smtp.example.ru; use \"starttls\" or \"tls\""
    );
}

#[tokio::test]
async fn registration_needs_confirmed_phone() {
    let sms = SmsPeer::start(vec![Some(200)]).await;
    let harness = harness_with(config(Some(&sms.url), None, wide_limits()));
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let lease = harness.lease(&kiosk, "registration", 5).await;
    assert_eq!(lease.status, StatusCode::OK, "{}", lease.body);
    let ticket = Uuid::now_v7();
    let number = format!("Р-{:03}", lease.body["first"].as_u64().unwrap());
    let issued = harness
        .push(
            &kiosk,
            vec![ticket_issued(
                ticket,
                &number,
                lease.body["lease_id"].as_str().unwrap(),
            )],
            None,
        )
        .await;
    assert_eq!(
        issued.body["acks"][0]["status"], "applied",
        "{}",
        issued.body
    );

    let request = Uuid::now_v7();
    let mut submitted = request_submitted(request, ticket);
    submitted["kind"]["data"]["request_kind"] = json!("register");
    let early = harness.push(&kiosk, vec![submitted.clone()], None).await;
    assert_eq!(
        early.body["acks"][0]["status"], "rejected",
        "{}",
        early.body
    );
    assert_eq!(early.body["acks"][0]["code"], "request.contact_unconfirmed");

    ask_code(&harness, &kiosk, request, "phone", PHONE).await;
    let code = sms_code(&sms, 0);
    let verified = verify(&harness, &kiosk, request, "phone", &code).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);

    submitted["id"] = json!(Uuid::now_v7());
    let accepted = harness.push(&kiosk, vec![submitted], None).await;
    assert_eq!(
        accepted.body["acks"][0]["status"], "applied",
        "{}",
        accepted.body
    );
}
