//! Shared set-up for the operator console's end-to-end tests: a real
//! `sync-server` process on loopback, a kiosk station that issues tickets
//! through it, consoles built from their configuration with every real
//! part (station store, HTTP client, ESC/POS printer over TCP), helpers
//! that drive a console's window by element id, and an ESC/POS reader
//! written here, independently of the encoder, that turns the bytes a fake
//! TCP printer received into CP866 text lines.
//!
//! The printer is the one fake: no thermal printer can run on a build
//! machine, so `hardware`'s fake network printer listens on 127.0.0.1 and
//! records the bytes the real TCP transport sends.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
pub use tests::server_process::{admin, try_admin, ServerProcess as Server};

use domain::clock::SystemClock;
use domain::sync::DeviceRole;
use domain::ticket::{ServiceCategory, WindowNumber};
use i_slint_backend_testing::ElementHandle;
use jiff::tz::TimeZone;
use operator::backend::station::StationLink;
use operator::backend::{Backend, QueueSnapshot, QueuedTicket};
use operator::config::Config;
use operator::printer::{PrinterFault, Slip, SlipPrinter};
use operator::Console;
use slint::platform::{Key, WindowEvent};
use slint::ComponentHandle;
use station::sync::{SyncConfig, SyncHandle, STORE_FILE};
use station::{Credentials, Store};

/// Bound for every wait on a condition in these tests.
pub const DEADLINE: Duration = Duration::from_secs(30);
pub const PASSWORD: &str = "Зима#Сн3г!Okno";

/// Installs Slint's testing backend with the software renderer, which
/// screenshots need; `event_loop` lets the test run the event loop (once
/// per process).
pub fn init_ui(event_loop: bool) {
    let options = i_slint_backend_testing::TestingBackendOptions {
        mock_time: true,
        threading: event_loop,
        renderer_name: Some("software".into()),
    };
    slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        options,
    )))
    .expect("no platform is set yet on this thread");
}

/// A center, its server database and a running server.
pub struct Site {
    pub dir: tempfile::TempDir,
    pub database: PathBuf,
    pub center: String,
    pub server: Option<Server>,
    pub listen: String,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let database = dir.path().join("server.sqlite3");
        let center = admin(
            &database,
            &[
                "center",
                "add",
                "--name",
                "МФЦ Тест",
                "--address",
                "Москва",
                "--time-zone",
                "UTC",
                "--latitude",
                "55.75",
                "--longitude",
                "37.62",
            ],
        );
        let server = Server::start(&database, "127.0.0.1:0");
        let listen = server.address.to_string();
        Site {
            dir,
            database,
            center,
            server: Some(server),
            listen,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.listen)
    }

    /// Kills the server process.
    pub fn stop_server(&mut self) {
        self.server.take().expect("a running server").kill();
    }

    /// Starts the server again on the same address and database.
    pub fn restart_server(&mut self) {
        assert!(self.server.is_none(), "the server is already running");
        self.server = Some(Server::start(&self.database, &self.listen));
    }

    /// Adds an operator account with [`PASSWORD`], through the admin CLI.
    pub fn add_operator(&self, login: &str) {
        let args = [
            "operator",
            "add",
            "--center",
            &self.center,
            "--login",
            login,
        ];
        let (ok, _, stderr) = try_admin(&self.database, &args, Some(PASSWORD));
        assert!(ok, "operator add failed: {stderr}");
    }

    /// Enrolls a station of `role` into its own directory, as `operator
    /// provision` and `kiosk provision` do.
    pub fn provision(&self, role: &str, name: &str) -> (PathBuf, Credentials) {
        let token = admin(
            &self.database,
            &["enroll-token", "--center", &self.center, "--role", role],
        );
        let dir = self.dir.path().join(name);
        let credentials = station::provision(&self.url(), &token, name, &dir).expect("provision");
        (dir, credentials)
    }

    /// The center's ticket QR key, read from the kiosk's credentials as
    /// the server handed it out (call after [`Site::kiosk`]).
    pub fn ticket_key(&self) -> domain::ticket_qr::TicketQrKey {
        Credentials::load(&self.dir.path().join("kiosk"))
            .expect("the kiosk's credentials")
            .ticket_key()
            .expect("the center's ticket QR key")
            .key
    }

    /// Starts a kiosk station that leases numbers and pushes what it issues.
    pub fn kiosk(&self) -> Kiosk {
        let (dir, credentials) = self.provision("kiosk", "kiosk");
        let store = Arc::new(Store::open(dir.join(STORE_FILE)).expect("open kiosk store"));
        let mut config = SyncConfig::for_role(DeviceRole::Kiosk, TimeZone::UTC);
        config.backoff_base = Duration::from_millis(50);
        config.backoff_max = Duration::from_millis(500);
        config.pull_wait_secs = 5;
        config.lease_categories = vec![
            ServiceCategory::IdentityConfirmation,
            ServiceCategory::RestoreAccess,
            ServiceCategory::OtherServices,
        ];
        // Every leased category, not only the console's: a test may issue
        // a ticket of a service the console does not serve.
        let leased = config.lease_categories.clone();
        let sync = SyncHandle::start(Arc::clone(&store), &credentials, config, |_| {})
            .expect("start kiosk sync");
        let kiosk = Kiosk { store, sync };
        wait_for("the kiosk's leased blocks", || {
            leased.iter().all(|category| {
                kiosk
                    .store
                    .remaining_numbers(*category, today())
                    .expect("remaining numbers")
                    > 0
            })
        });
        kiosk
    }

    /// Enrolls a console and builds it from a configuration with its real
    /// parts, printing to `printer_uri`.
    pub fn console(&self, name: &str, window: u16, printer_uri: &str) -> ConsoleFixture {
        self.console_serving(name, window, printer_uri, config_categories().to_vec())
    }

    /// [`Site::console`] for a window serving `services`.
    pub fn console_serving(
        &self,
        name: &str,
        window: u16,
        printer_uri: &str,
        services: Vec<ServiceCategory>,
    ) -> ConsoleFixture {
        let (data_dir, _) = self.provision("operator", name);
        self.console_in(&data_dir, window, printer_uri, services)
    }

    /// Builds a console over the enrolled data directory `data_dir`, as a
    /// restarted console opens its existing station store.
    pub fn console_in(
        &self,
        data_dir: &Path,
        window: u16,
        printer_uri: &str,
        services: Vec<ServiceCategory>,
    ) -> ConsoleFixture {
        let config = Config {
            window: WindowNumber::new(window).expect("window number"),
            services,
            idle_lock_minutes: 30,
            printer_uri: printer_uri.to_owned(),
            printer_profile: "generic-80".to_owned(),
            data_dir: data_dir.to_owned(),
            center_name: "МФЦ Тест".to_owned(),
            time_zone: Some("UTC".to_owned()),
            // The center's key from the credentials, as on a real site.
            ticket_qr_key_file: None,
        };
        let mut parts =
            operator::setup::real_parts(&config, Arc::new(SystemClock)).expect("real parts");
        parts.deps.settings.poll_wait = Duration::from_secs(1);
        parts.deps.settings.retry_interval = Duration::from_millis(100);
        let printer = Arc::new(SwitchPrinter::new(parts.deps.printer.clone()));
        parts.deps.printer = printer.clone();
        let console = Console::init(parts.deps).expect("the console window builds");
        console
            .window()
            .window()
            .set_size(slint::LogicalSize::new(1366.0, 768.0));
        ConsoleFixture {
            console,
            link: parts.link,
            printer,
            data_dir: data_dir.to_owned(),
            known: Mutex::new(None),
        }
    }
}

fn config_categories() -> [ServiceCategory; 2] {
    [
        ServiceCategory::IdentityConfirmation,
        ServiceCategory::RestoreAccess,
    ]
}

/// The center's current day (the center is in UTC).
pub fn today() -> jiff::civil::Date {
    TimeZone::UTC.to_datetime(jiff::Timestamp::now()).date()
}

/// Waits until `condition` holds, for at most [`DEADLINE`], checking every
/// 20 ms.
pub fn wait_for(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A kiosk station issuing tickets through the server.
pub struct Kiosk {
    pub store: Arc<Store>,
    sync: SyncHandle,
}

impl Kiosk {
    /// Waits until the server acknowledged everything the kiosk recorded.
    pub fn flush(&self) {
        self.sync.push_now();
        wait_for("the kiosk's outbox to drain", || {
            self.store.outbox_counts().expect("counts").pending == 0
        });
        assert_eq!(self.store.outbox_counts().expect("counts").failed, 0);
    }

    /// Issues a ticket without a request at `at`.
    pub fn ticket(
        &self,
        category: ServiceCategory,
        priority: bool,
        at: jiff::Timestamp,
    ) -> uuid::Uuid {
        self.store
            .issue_ticket(category, priority, at, today())
            .expect("issue a ticket")
            .ticket_id
    }

    /// Submits a request (with its ticket) and returns its ids.
    pub fn request(
        &self,
        kind: domain::request::RequestKind,
        chip: Option<domain::sync::ChipResult>,
    ) -> station::store::SubmittedRequest {
        self.store
            .submit_request(
                &station::store::NewRequest {
                    kind,
                    visitor: visitor(),
                    chip,
                    priority: false,
                },
                jiff::Timestamp::now(),
                today(),
            )
            .expect("submit a request")
    }
}

/// What the visitor typed at the kiosk.
pub fn visitor() -> domain::sync::VisitorData {
    domain::sync::VisitorData {
        surname: "Иванова".to_owned(),
        given_name: "Мария".to_owned(),
        patronymic: Some("Петровна".to_owned()),
        birth_date: jiff::civil::date(1974, 8, 12),
        passport_number: "4510 123456".to_owned(),
        passport_issue_date: jiff::civil::date(2019, 9, 2),
        passport_issuer: "ГУ МВД России по г. Москве".to_owned(),
        division_code: "770-001".to_owned(),
        snils: "112-233-445 95".to_owned(),
        inn: None,
        phone: "+79123456789".to_owned(),
        email: None,
    }
}

/// A printer whose target the test switches, as an operator swaps the
/// paper roll: both targets are real `EscPosPrinter`s over TCP.
pub struct SwitchPrinter {
    inner: Mutex<Arc<dyn SlipPrinter>>,
}

impl SwitchPrinter {
    fn new(inner: Arc<dyn SlipPrinter>) -> Self {
        SwitchPrinter {
            inner: Mutex::new(inner),
        }
    }

    /// Points the console at the printer at `uri` from now on.
    pub fn switch_to(&self, uri: &str) {
        let printer = operator::printer::EscPosPrinter::new(uri, "generic-80", "МФЦ Тест")
            .expect("a valid printer");
        *self.inner.lock().unwrap_or_else(PoisonError::into_inner) = Arc::new(printer);
    }
}

impl SlipPrinter for SwitchPrinter {
    fn print(&self, slip: &Slip) -> Result<(), PrinterFault> {
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        inner.print(slip)
    }
}

/// A console built from its configuration, driven by element id.
pub struct ConsoleFixture {
    pub console: Console,
    pub link: Arc<StationLink>,
    pub printer: Arc<SwitchPrinter>,
    /// The enrolled directory with the station store.
    pub data_dir: PathBuf,
    known: Mutex<Option<u64>>,
}

impl ConsoleFixture {
    /// Pulls from the server until the queue satisfies `done`, showing each
    /// snapshot as the worker would.
    pub fn sync_until(&self, what: &str, done: impl Fn(&QueueSnapshot) -> bool) -> QueueSnapshot {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let known = *self.known.lock().unwrap_or_else(PoisonError::into_inner);
            let known = known.or(Some(self.link.store().pull_cursor().expect("cursor")));
            let snapshot = self
                .link
                .wait_queue(known, Duration::from_secs(1))
                .expect("the server answers the pull");
            *self.known.lock().unwrap_or_else(PoisonError::into_inner) = Some(snapshot.version);
            self.console.apply_queue(snapshot.clone());
            if done(&snapshot) {
                return snapshot;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
        }
    }

    /// Returns a ticket of the last snapshot pulled until `ticket` shows.
    pub fn ticket(snapshot: &QueueSnapshot, id: uuid::Uuid) -> Option<&QueuedTicket> {
        snapshot.tickets.iter().find(|ticket| ticket.id == id)
    }

    pub fn element(&self, id: &str) -> ElementHandle {
        let mut found = ElementHandle::find_by_element_id(self.console.window(), id);
        let element = found
            .next()
            .unwrap_or_else(|| panic!("no visible element with id {id}"));
        assert!(found.next().is_none(), "more than one element with id {id}");
        element
    }

    pub fn elements(&self, id: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_element_id(self.console.window(), id).collect()
    }

    pub fn is_shown(&self, id: &str) -> bool {
        ElementHandle::find_by_element_id(self.console.window(), id)
            .next()
            .is_some()
    }

    pub fn click(&self, id: &str) {
        self.element(id).invoke_accessible_default_action();
    }

    pub fn text(&self, id: &str) -> String {
        self.element(id)
            .accessible_label()
            .map(|label| label.to_string())
            .unwrap_or_default()
    }

    pub fn fill(&self, id: &str, value: &str) {
        self.element(id).set_accessible_value(value);
    }

    /// Types `text` and Enter into the focused element, as a USB scanner does.
    pub fn type_line(&self, text: &str) {
        let window = self.console.window().window();
        for character in text.chars() {
            let key: slint::SharedString = character.to_string().into();
            window.dispatch_event(WindowEvent::KeyPressed { text: key.clone() });
            window.dispatch_event(WindowEvent::KeyReleased { text: key });
        }
        let enter: slint::SharedString = Key::Return.into();
        window.dispatch_event(WindowEvent::KeyPressed {
            text: enter.clone(),
        });
        window.dispatch_event(WindowEvent::KeyReleased { text: enter });
    }

    /// Fills the login form and presses «Войти».
    pub fn try_log_in(&self, login: &str, password: &str, window: &str) {
        self.fill("LoginPage::login-input", login);
        self.fill("LoginPage::password-input", password);
        self.fill("LoginPage::window-input", window);
        self.click("LoginPage::login-button");
    }

    /// Logs in and checks that the work page shows.
    pub fn log_in(&self, login: &str, window: &str) {
        self.try_log_in(login, PASSWORD, window);
        assert!(
            self.is_shown("WorkPage::header-window"),
            "login did not reach the work page: {}",
            self.text("LoginPage::error")
        );
    }

    /// Numbers in the waiting list, top to bottom.
    pub fn listed_numbers(&self) -> Vec<String> {
        self.elements("TicketListRow::row-number")
            .iter()
            .map(|row| row.accessible_label().unwrap_or_default().to_string())
            .collect()
    }

    /// Saves the window as `target/screenshots/operator-e2e-NAME.png`.
    pub fn screenshot(&self, name: &str) {
        let snapshot = self
            .console
            .window()
            .window()
            .take_snapshot()
            .expect("the software renderer takes a snapshot");
        let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
        std::fs::create_dir_all(&directory).expect("the screenshot folder can be created");
        let mut png = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png, snapshot.width(), snapshot.height());
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().expect("png header");
            writer
                .write_image_data(snapshot.as_bytes())
                .expect("png data");
        }
        std::fs::write(directory.join(format!("operator-e2e-{name}.png")), png)
            .expect("the screenshot can be written");
    }
}

/// Reads ESC/POS bytes as a printer would lay text out: returns the text
/// lines (CP866 decoded), one per line feed, and whether a cut came last.
///
/// Written from the ESC/POS command reference, not from the encoder: it
/// knows `ESC @`, `ESC t n`, `ESC a n`, `ESC E n`, `ESC d n`, `GS ! n` and
/// `GS V m [n]`, and fails on any other control byte so a new command in a
/// slip shows up here.
pub fn printed_lines(bytes: &[u8]) -> (Vec<String>, bool) {
    const ESC: u8 = 0x1B;
    const GS: u8 = 0x1D;
    const LF: u8 = 0x0A;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut cut = false;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte == LF || (0x20..0x7F).contains(&byte) || byte >= 0x80 {
            cut = false;
        }
        match byte {
            ESC => {
                let command = bytes[at + 1];
                match command {
                    b'@' => at += 2,
                    b't' | b'a' | b'E' => at += 3,
                    b'd' => {
                        lines.push(std::mem::take(&mut line));
                        for _ in 1..bytes[at + 2] {
                            lines.push(String::new());
                        }
                        at += 3;
                    }
                    other => panic!("unexpected ESC {other:#04x} at byte {at}"),
                }
            }
            GS => match bytes[at + 1] {
                b'!' => at += 3,
                b'V' => {
                    cut = true;
                    at += if bytes[at + 2] >= 65 { 4 } else { 3 };
                }
                other => panic!("unexpected GS {other:#04x} at byte {at}"),
            },
            // `DLE EOT n`: a real-time status query, which prints nothing.
            0x10 => {
                assert_eq!(
                    bytes.get(at + 1),
                    Some(&0x04),
                    "DLE without EOT at byte {at}"
                );
                at += 3;
            }
            LF => {
                lines.push(std::mem::take(&mut line));
                at += 1;
            }
            0x20..=0x7E => {
                line.push(char::from(byte));
                at += 1;
            }
            // CP866: А–Я at 0x80, а–п at 0xA0, р–я at 0xE0, Ё and ё at 0xF0.
            0x80..=0x9F => {
                line.push(
                    char::from_u32('А' as u32 + u32::from(byte - 0x80)).expect("Cyrillic letter"),
                );
                at += 1;
            }
            0xA0..=0xAF => {
                line.push(
                    char::from_u32('а' as u32 + u32::from(byte - 0xA0)).expect("Cyrillic letter"),
                );
                at += 1;
            }
            0xE0..=0xEF => {
                line.push(
                    char::from_u32('р' as u32 + u32::from(byte - 0xE0)).expect("Cyrillic letter"),
                );
                at += 1;
            }
            0xF0 => {
                line.push('Ё');
                at += 1;
            }
            0xF1 => {
                line.push('ё');
                at += 1;
            }
            other => panic!("unexpected byte {other:#04x} at {at}"),
        }
    }
    assert!(line.is_empty(), "text after the last line feed: {line:?}");
    (lines, cut)
}
