//! The kiosk's «Введите код из SMS» step against real peers on loopback.
//! The peers are a `sync-server` process started with `--contacts-config`,
//! an HTTP SMS endpoint started here that records every request, and the
//! SMTP recorder of the server's own tests (`aiosmtpd`, Debian package
//! python3-aiosmtpd). Codes are read from what the peers recorded and
//! typed on the kiosk's keypad through Slint's testing backend.
//!
//! The server process runs on the system clock, so a code's expiry on the
//! server is left to the server's tests with a controlled clock; here the
//! kiosk's own countdown runs on Slint's mock clock.

mod kiosk_support;

use std::ffi::OsStr;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain::clock::ManualClock;
use domain::ticket::ServiceCategory;
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use kiosk::StationKiosk;
use kiosk_support::*;
use slint::ComponentHandle;
use station::store::OutboxStatus;
use station::Store;
use ui::{ConfirmAdapter, ConfirmState, KioskWindow, Page, SessionAdapter};

const SMTP_USER: &str = "okno";
const SMTP_PASSWORD: &str = "smtp-test-password";

/// An HTTP SMS gateway on loopback. It records each request body and
/// responds with the status code stored in `status`.
struct SmsEndpoint {
    url: String,
    status: Arc<AtomicU16>,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl SmsEndpoint {
    fn start(status: u16) -> SmsEndpoint {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the SMS endpoint");
        let url = format!(
            "http://{}/send",
            listener.local_addr().expect("SMS endpoint address")
        );
        let status = Arc::new(AtomicU16::new(status));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let (answer, record) = (Arc::clone(&status), Arc::clone(&bodies));
        // Serves until the test process ends. Each connection carries one
        // request, because every response sends `Connection: close`.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                serve_one(stream, &answer, &record);
            }
        });
        SmsEndpoint {
            url,
            status,
            bodies,
        }
    }

    fn bodies(&self) -> Vec<String> {
        self.bodies.lock().expect("SMS records").clone()
    }
}

/// Reads one HTTP/1.1 request, records its body and responds with `status`.
fn serve_one(stream: TcpStream, status: &AtomicU16, bodies: &Mutex<Vec<String>>) {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("read timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().expect("a numeric Content-Length");
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the request body");
    bodies
        .lock()
        .expect("SMS records")
        .push(String::from_utf8(body).expect("a UTF-8 body"));
    let code = status.load(Ordering::SeqCst);
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {code} Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// The server tests' aiosmtpd recorder, in plain mode on loopback.
struct SmtpRecorder {
    child: Child,
    port: u16,
    record: PathBuf,
}

impl Drop for SmtpRecorder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpRecorder {
    fn start(dir: &std::path::Path) -> SmtpRecorder {
        let record = dir.join("messages.jsonl");
        // A free port: bound, read and released for the recorder to take.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        // Debian's interpreter, where python3-aiosmtpd installs.
        let python = if std::path::Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3"
        } else {
            "python3"
        };
        let mut child = Command::new(python)
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../sync-server/tests/support/smtp_recorder.py"
            ))
            .arg(port.to_string())
            .arg(&record)
            .args([SMTP_USER, SMTP_PASSWORD, "0", "plain"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (Debian package python3-aiosmtpd) is needed");
        let stdout = child.stdout.take().expect("recorder stdout");
        let (ready, waiting) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = ready.send(line);
        });
        let line = waiting
            .recv_timeout(DEADLINE)
            .expect("the SMTP recorder starts");
        assert_eq!(line.trim(), "ready", "the SMTP recorder did not start");
        SmtpRecorder {
            child,
            port,
            record,
        }
    }

    /// Returns the recorded message bodies, oldest first.
    fn bodies(&self) -> Vec<String> {
        std::fs::read_to_string(&self.record)
            .unwrap_or_default()
            .lines()
            .map(|line| {
                let start = line.find("\"body\": \"").expect("a body field") + 9;
                let end = line[start..].find('"').expect("the body's end") + start;
                line[start..end].to_owned()
            })
            .collect()
    }
}

/// Returns the six digits after «код » in a message text.
fn code_in(text: &str) -> String {
    let start = text
        .find("код ")
        .unwrap_or_else(|| panic!("no code in {text:?}"))
        + "код ".len();
    let code: String = text[start..].chars().take(6).collect();
    assert!(
        code.chars().all(|digit| digit.is_ascii_digit()),
        "not a code: {code:?} in {text:?}"
    );
    code
}

/// A center with a contacts-enabled server, the two peers and a kiosk
/// with the code step turned on.
struct Rig {
    _site: Site,
    server: Option<Server>,
    sms: SmsEndpoint,
    smtp: SmtpRecorder,
    _printer: FakeNetworkPrinter,
    kiosk: StationKiosk,
}

impl Rig {
    fn start(sms_status: u16) -> Rig {
        let site = Site::new();
        let sms = SmsEndpoint::start(sms_status);
        let smtp = SmtpRecorder::start(site.dir.path());
        let contacts = site.dir.path().join("contacts.toml");
        std::fs::write(&contacts, contacts_config(&sms.url, smtp.port)).expect("contacts.toml");
        let server = Server::start_with(
            &site.database,
            "127.0.0.1:0",
            &[OsStr::new("--contacts-config"), contacts.as_os_str()],
        );
        site.provision(&server);
        let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
        site.config(&printer.uri());
        let mut text = std::fs::read_to_string(&site.config_path).expect("kiosk.toml");
        text.push_str("\n[contacts]\nconfirm = true\n");
        std::fs::write(&site.config_path, text).expect("kiosk.toml");
        let config = kiosk::config::Config::load(&site.config_path).expect("kiosk.toml loads");
        assert!(config.confirm_contacts);
        let now = Timestamp::from_second(Timestamp::now().as_second()).expect("now");
        let kiosk = open_kiosk(&config, Arc::new(ManualClock::new(now)));
        wait_for_leases(kiosk.store());
        Rig {
            _site: site,
            server: Some(server),
            sms,
            smtp,
            _printer: printer,
            kiosk,
        }
    }

    fn window(&self) -> &KioskWindow {
        self.kiosk.kiosk().window()
    }

    fn confirm(&self) -> ConfirmAdapter<'_> {
        self.window().global::<ConfirmAdapter>()
    }

    fn status(&self) -> String {
        text(&self.kiosk, "ConfirmPage::status")
    }

    /// Types `code` on the keypad and taps «Подтвердить».
    fn enter_code(&self, code: &str) {
        type_keys(&self.kiosk, code);
        tap(&self.kiosk, "ConfirmPage::submit");
    }
}

fn contacts_config(sms_url: &str, smtp_port: u16) -> String {
    format!(
        r#"require_for_registration = true

[delivery]
attempts = 2
timeout_ms = 1000
backoff_ms = 50

[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
from = "Госуслуги в МФЦ <no-reply@okno.test>"
username = "{SMTP_USER}"
password = "{SMTP_PASSWORD}"

[sms]
url = "{sms_url}"
body = '{{"to": "{{phone}}", "text": "{{text}}"}}'
"#
    )
}

fn today() -> jiff::civil::Date {
    TimeZone::UTC.to_datetime(Timestamp::now()).date()
}

fn wait_for_leases(store: &Store) {
    wait_until("ticket number leases", || {
        ServiceCategory::ALL
            .iter()
            .all(|category| store.remaining_numbers(*category, today()).unwrap_or(0) > 0)
    });
}

/// Runs the Slint event loop until the code step's state is `expected`.
fn run_until_state(rig: &Rig, expected: ConfirmState) {
    run_until(&rig.kiosk, move |window| {
        window.global::<ConfirmAdapter>().get_state() == expected
    });
    assert_eq!(rig.confirm().get_state(), expected, "the code step's state");
}

/// Runs the event loop until the page is no longer the code step.
fn run_until_page_left(rig: &Rig) {
    run_until(&rig.kiosk, |window| {
        window.global::<SessionAdapter>().get_page() != Page::Confirm
    });
}

/// Fills the registration up to the contacts step and taps «Далее».
fn register(rig: &Rig, phone: &str, email: Option<&str>) {
    let kiosk = &rig.kiosk;
    tap(kiosk, "AttractPage::start");
    tap(kiosk, "ChoosePage::register");
    tap(kiosk, "ConsentPage::agree");
    tap(kiosk, "ConsentPage::accept");
    fill_step(kiosk, &["иванова", "мария", "петровна"]);
    fill_step(kiosk, &["07.03.1958"]);
    fill_step(
        kiosk,
        &["4510123456", "15.04.2003", "770-001", "отделом уфмс россии"],
    );
    fill_step(kiosk, &["11223344595"]);
    match email {
        Some(email) => fill_step(kiosk, &[phone, email]),
        None => fill_step(kiosk, &[phone]),
    }
}

/// Saves the window as `target/screenshots/<name>.png` for a person to
/// look at.
fn screenshot(rig: &Rig, name: &str) {
    settle();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).expect("target/screenshots can be created");
    let snapshot = rig
        .window()
        .window()
        .take_snapshot()
        .expect("the software renderer takes a snapshot");
    let file = File::create(dir.join(format!("{name}.png"))).expect("the screenshot file");
    let mut encoder = png::Encoder::new(BufWriter::new(file), snapshot.width(), snapshot.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .expect("the PNG header")
        .write_image_data(snapshot.as_bytes())
        .expect("the PNG data");
}

/// Returns a six-digit code other than `code`.
fn wrong_code(code: &str) -> String {
    if code == "111111" {
        "222222".to_owned()
    } else {
        "111111".to_owned()
    }
}

fn codes_confirm_phone_and_email() {
    let rig = Rig::start(200);
    register(&rig, "+79123456789", Some("maria.ivanova@mail.ru"));
    run_until_state(&rig, ConfirmState::Entering);

    // The SMS went to the number typed, with the code in its text.
    let sms = rig.sms.bodies();
    assert_eq!(sms.len(), 1);
    assert!(sms[0].contains("\"to\": \"+79123456789\""), "{}", sms[0]);
    let code = code_in(&sms[0]);
    assert_eq!(
        text(&rig.kiosk, "ConfirmPage::status"),
        "Мы отправили код из 6 цифр на +7 912 345-67-89."
    );
    assert_eq!(rig.confirm().get_attempts_left(), 3);
    assert_eq!(rig.confirm().get_seconds_left(), 300);
    assert_eq!(
        text(&rig.kiosk, "ConfirmPage::life"),
        "Код действует ещё 5 мин 0 с"
    );
    type_keys(&rig.kiosk, &code[..3]);
    assert_eq!(value(&rig.kiosk, "ConfirmPage::code-box"), code[..3]);
    screenshot(&rig, "ru-confirm-sms");
    tap(&rig.kiosk, "TopBar::english");
    assert_eq!(rig.status(), "We sent a 6-digit code to +7 912 345-67-89.");
    screenshot(&rig, "en-confirm-sms");
    tap(&rig.kiosk, "TopBar::russian");
    for _ in 0..3 {
        tap(&rig.kiosk, "Keyboard::backspace-key");
    }

    // A wrong code costs one attempt and says how many are left.
    rig.enter_code(&wrong_code(&code));
    run_until_state(&rig, ConfirmState::Entering);
    assert!(rig.confirm().get_wrong_code());
    assert_eq!(rig.status(), "Неверный код. Осталось попыток: 2");
    screenshot(&rig, "ru-confirm-wrong");

    // The right code moves on to the e-mail, whose code comes by SMTP.
    rig.enter_code(&code);
    run_until_state(&rig, ConfirmState::Entering);
    assert_eq!(rig.confirm().get_contact(), ui::ContactKind::Email);
    assert_eq!(
        text(&rig.kiosk, "ConfirmPage::status"),
        "Мы отправили код из 6 цифр на maria.ivanova@mail.ru."
    );
    let mail = rig.smtp.bodies();
    assert_eq!(mail.len(), 1);
    screenshot(&rig, "ru-confirm-email");
    rig.enter_code(&code_in(&mail[0]));
    run_until_page_left(&rig);
    assert_eq!(
        rig.window().global::<SessionAdapter>().get_page(),
        Page::Review
    );

    // The request goes out under the request id the codes were bound to,
    // so the server, which requires confirmed contacts, accepts it.
    tap(&rig.kiosk, "ReviewPage::confirm");
    assert_eq!(text(&rig.kiosk, "TicketPage::number"), "Р-001");
    wait_until("the outbox to drain", || {
        rig.kiosk.sync_status().outbox_pending == 0
    });
    let failed = rig
        .kiosk
        .store()
        .outbox_entries(OutboxStatus::Failed)
        .expect("failed entries");
    assert!(failed.is_empty(), "rejected events: {failed:?}");
    let acked = rig
        .kiosk
        .store()
        .outbox_entries(OutboxStatus::Acked)
        .expect("acked entries");
    let kinds: Vec<&str> = acked.iter().map(|entry| entry.kind.as_str()).collect();
    assert_eq!(kinds, ["ticket_issued", "request_submitted"]);
    assert_eq!(rig.sms.bodies().len(), 1, "one SMS for one code");
}

fn gateway_failure_shows_not_delivered() {
    let rig = Rig::start(503);
    register(&rig, "+79123456789", None);
    run_until_state(&rig, ConfirmState::NotDelivered);
    assert_eq!(
        rig.status(),
        "Не удалось отправить SMS с кодом на номер +7 912 345-67-89. Проверьте номер и \
         отправьте код ещё раз."
    );
    // Both delivery attempts reached the gateway.
    assert_eq!(rig.sms.bodies().len(), 2);
    assert_eq!(all(&rig.kiosk, "ConfirmPage::operator-ticket").len(), 1);
    screenshot(&rig, "ru-confirm-not-delivered");

    // Once the gateway works again, «Отправить код повторно» sends a code.
    rig.sms.status.store(200, Ordering::SeqCst);
    tap(&rig.kiosk, "ConfirmPage::resend");
    run_until_state(&rig, ConfirmState::Entering);
    assert_eq!(rig.sms.bodies().len(), 3);
    let code = code_in(&rig.sms.bodies()[2]);
    rig.enter_code(&code);
    run_until_page_left(&rig);
    assert_eq!(
        rig.window().global::<SessionAdapter>().get_page(),
        Page::Review
    );
}

fn offline_offers_operator_ticket() {
    let mut rig = Rig::start(200);
    rig.server.take().expect("the server runs").kill();
    register(&rig, "+79123456789", None);
    run_until_state(&rig, ConfirmState::Offline);
    assert_eq!(
        rig.status(),
        "Для регистрации нужна связь с сервером, а сейчас её нет. Возьмите талон, и оператор \
         зарегистрирует вас в окне."
    );
    assert!(rig.sms.bodies().is_empty());
    screenshot(&rig, "ru-confirm-offline");
    tap(&rig.kiosk, "TopBar::english");
    assert_eq!(
        rig.status(),
        "Registration needs a connection to the server, and the kiosk has none now. Take a \
         ticket and an operator will register you at the window."
    );
    screenshot(&rig, "en-confirm-offline");

    // The ticket comes from the kiosk's leased numbers, without the server.
    tap(&rig.kiosk, "ConfirmPage::operator-ticket");
    assert_eq!(
        rig.window().global::<SessionAdapter>().get_page(),
        Page::Ticket
    );
    assert_eq!(text(&rig.kiosk, "TicketPage::number"), "У-001");
    let pending = rig
        .kiosk
        .store()
        .outbox_entries(OutboxStatus::Pending)
        .expect("pending entries");
    let kinds: Vec<&str> = pending.iter().map(|entry| entry.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["ticket_issued"],
        "no registration request is stored"
    );
}

fn countdown_enables_resend_then_expires() {
    let rig = Rig::start(200);
    register(&rig, "+79123456789", None);
    run_until_state(&rig, ConfirmState::Entering);
    let resend = find(&rig.kiosk, "ConfirmPage::resend");
    assert_eq!(resend.accessible_enabled(), Some(false));
    assert_eq!(
        resend.accessible_label().map(|label| label.to_string()),
        Some("Отправить код повторно через 60 с".to_owned())
    );

    // A minute on the kiosk's clock, with the visitor touching the screen
    // now and then so the idle question does not end the session.
    for second in 1..=60 {
        i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(1));
        if second % 30 == 0 {
            rig.window().global::<ui::Activity>().invoke_touched();
        }
    }
    settle();
    let resend = find(&rig.kiosk, "ConfirmPage::resend");
    assert_eq!(resend.accessible_enabled(), Some(true));
    assert_eq!(
        resend.accessible_label().map(|label| label.to_string()),
        Some("Отправить код повторно".to_owned())
    );
    assert_eq!(rig.confirm().get_seconds_left(), 240);

    // The server's clock has moved only seconds, so it refuses a resend
    // this early; the kiosk keeps the code and waits again.
    tap_element(&resend);
    run_until_state(&rig, ConfirmState::Entering);
    assert!(
        rig.confirm().get_resend_in() > 50,
        "{}",
        rig.confirm().get_resend_in()
    );
    assert_eq!(rig.sms.bodies().len(), 1);

    // Four more minutes end the code's life on the screen.
    for second in 1..=240 {
        i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(1));
        if second % 30 == 0 {
            rig.window().global::<ui::Activity>().invoke_touched();
        }
    }
    settle();
    assert_eq!(rig.confirm().get_state(), ConfirmState::Expired);
    assert_eq!(
        rig.status(),
        "Срок действия кода истёк. Отправьте новый код."
    );
    screenshot(&rig, "ru-confirm-expired");
}

/// Runs the scenarios one after another on one thread, because the
/// threaded testing backend is set once per process and has one event loop.
#[test]
fn contact_code_step() {
    set_threaded_platform();
    codes_confirm_phone_and_email();
    gateway_failure_shows_not_delivered();
    offline_offers_operator_ticket();
    countdown_enables_resend_then_expires();
}
