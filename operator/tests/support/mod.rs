//! Shared set-up for the console's UI tests: a console wired to the
//! in-process server stand-in, a recording printer, a manual clock, and
//! helpers that drive the window by element id.
//!
//! The QR verifier and the MRZ interpreter here are table fakes, so these
//! tests check what the console does with each verdict; the real ones are
//! tested in `real_parts.rs` and, against a real server, in the `tests`
//! package's `operator_*` tests.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use domain::clock::{Clock, ManualClock};
use domain::request::RequestKind;
use domain::sync::{ChipResult, RequestSubmitted, VisitorData};
use domain::ticket::{Priority, QueueEntry, ServiceCategory, TicketNumber, TicketState};
use i_slint_backend_testing::ElementHandle;
use jiff::civil::date;
use jiff::tz::{self, TimeZone};
use jiff::{SignedDuration, Timestamp};
use operator::backend::memory::MemoryBackend;
use operator::backend::QueuedTicket;
use operator::chip::{ChipFields, MrzInterpreter};
use operator::outbox::MemoryOutbox;
use operator::printer::RecordingPrinter;
use operator::qr::{QrError, QrVerifier};
use operator::{Console, Deps, Settings};
use slint::platform::{Key, WindowEvent};
use slint::ComponentHandle;
use uuid::Uuid;

pub const LOGIN: &str = "ivanova";
pub const PASSWORD: &str = "Окно#2026!";
pub const WINDOW: &str = "3";

/// 12:00 in Moscow, the instant every test starts at.
pub fn start() -> Timestamp {
    "2026-12-04T09:00:00Z".parse().expect("a valid instant")
}

/// Moscow time, UTC+3 all year.
pub fn moscow() -> TimeZone {
    TimeZone::fixed(tz::offset(3))
}

/// A QR verifier with a fixed verdict per scanned text.
#[derive(Default)]
pub struct TableQr(pub HashMap<String, Result<Uuid, QrError>>);

impl QrVerifier for TableQr {
    fn verify(&self, text: &str, _now: Timestamp) -> Result<Uuid, QrError> {
        self.0.get(text).copied().unwrap_or(Err(QrError::Malformed))
    }
}

/// An MRZ interpreter with fixed zones and matching name pairs.
#[derive(Default)]
pub struct TableMrz {
    pub zones: HashMap<String, ChipFields>,
    /// (typed Cyrillic, zone Latin) pairs that match.
    pub names: Vec<(String, String)>,
}

impl MrzInterpreter for TableMrz {
    fn parse(&self, mrz: &str) -> Option<ChipFields> {
        self.zones.get(mrz).cloned()
    }

    fn name_matches(&self, typed: &str, zone: &str) -> bool {
        self.names
            .iter()
            .any(|(cyrillic, latin)| cyrillic == typed && latin == zone)
    }

    fn document_matches(&self, typed: &str, zone: &str) -> bool {
        typed == zone
    }
}

pub struct Fixture {
    pub console: Console,
    pub backend: MemoryBackend,
    pub printer: Arc<RecordingPrinter>,
    pub clock: Arc<ManualClock>,
    pub outbox: Arc<MemoryOutbox>,
}

/// The zone the chip of [`visitor`] carries, and its parsed fields.
pub const ZONE: &str = "PNRUSIVANOV<<IVAN<IVANOVICH";

pub fn zone_fields() -> ChipFields {
    ChipFields {
        surname: "IVANOV".to_owned(),
        given_names: "IVAN IVANOVICH".to_owned(),
        birth_date: date(1980, 5, 17),
        document_number: "751234567".to_owned(),
        expiry_date: date(2030, 5, 17),
        sex: "M".to_owned(),
        nationality: "RUS".to_owned(),
    }
}

/// Builds a console on the testing backend. Call
/// `i_slint_backend_testing::init_no_event_loop()` (or an event-loop
/// variant) first.
pub fn fixture_with(qr: TableQr) -> Fixture {
    let clock = Arc::new(ManualClock::new(start()));
    let backend = MemoryBackend::new(clock.clone() as Arc<dyn Clock>);
    backend.add_operator(LOGIN, PASSWORD);
    let printer = Arc::new(RecordingPrinter::default());
    let outbox = Arc::new(MemoryOutbox::default());
    let mrz = TableMrz {
        zones: HashMap::from([(ZONE.to_owned(), zone_fields())]),
        names: vec![
            ("Иванов".to_owned(), "IVANOV".to_owned()),
            ("Иван Иванович".to_owned(), "IVAN IVANOVICH".to_owned()),
        ],
    };
    let deps = Deps {
        backend: Arc::new(backend.clone()),
        printer: printer.clone(),
        qr: Arc::new(qr),
        mrz: Arc::new(mrz),
        outbox: outbox.clone(),
        clock: clock.clone(),
        settings: Settings {
            default_window: None,
            services: vec![
                ServiceCategory::IdentityConfirmation,
                ServiceCategory::RestoreAccess,
            ],
            idle_lock: SignedDuration::from_mins(5),
            time_zone: moscow(),
            poll_wait: Duration::from_millis(200),
            retry_interval: Duration::from_millis(20),
        },
    };
    let console = Console::init(deps).expect("the console window builds");
    console
        .window()
        .window()
        .set_size(slint::LogicalSize::new(1366.0, 768.0));
    Fixture {
        console,
        backend,
        printer,
        clock,
        outbox,
    }
}

pub fn fixture() -> Fixture {
    fixture_with(TableQr::default())
}

/// Returns what the visitor typed at the kiosk.
pub fn visitor() -> VisitorData {
    VisitorData {
        surname: "Иванов".to_owned(),
        given_name: "Иван".to_owned(),
        patronymic: Some("Иванович".to_owned()),
        birth_date: date(1980, 5, 17),
        passport_number: "4510 123456".to_owned(),
        passport_issue_date: date(2015, 6, 1),
        passport_issuer: "ОВД Тверского района г. Москвы".to_owned(),
        division_code: "770-001".to_owned(),
        snils: "112-233-445 95".to_owned(),
        inn: None,
        phone: "+79161234567".to_owned(),
        email: Some("ivanov@example.ru".to_owned()),
    }
}

/// Encodes a 3 × 4 PNG in base64, as a stand-in DG2 face.
pub fn photo_base64() -> String {
    let picture = image::RgbaImage::from_pixel(3, 4, image::Rgba([200, 150, 120, 255]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("a PNG encodes in memory");
    base64::engine::general_purpose::STANDARD.encode(bytes.into_inner())
}

/// Builds a request of `kind` (its stable code) with a chip read that passed.
pub fn request(kind: &str, ticket_id: Uuid) -> RequestSubmitted {
    let request_kind = RequestKind::ALL
        .into_iter()
        .find(|known| known.code() == kind)
        .expect("tests name a known request kind code");
    RequestSubmitted {
        request_id: Uuid::now_v7(),
        request_kind,
        ticket_id,
        visitor: visitor(),
        chip: Some(ChipResult {
            mrz: ZONE.to_owned(),
            passive_auth: "passed".to_owned(),
            photo_base64: Some(photo_base64()),
            typed_document_number: Some("751234567".to_owned()),
            typed_expiry_date: Some(date(2030, 5, 17)),
        }),
    }
}

/// Builds a waiting ticket issued `minutes` before the start instant,
/// with a request of `kind` when given.
pub fn ticket(
    category: ServiceCategory,
    sequence: u16,
    minutes: i64,
    priority: Priority,
    kind: Option<&str>,
) -> QueuedTicket {
    let id = Uuid::now_v7();
    QueuedTicket {
        id,
        entry: QueueEntry {
            number: TicketNumber::new(category, sequence).expect("a valid ticket number"),
            priority,
            issued_at: start()
                .checked_sub(SignedDuration::from_mins(minutes))
                .expect("a valid instant"),
            state: TicketState::Issued,
        },
        request: kind.map(|kind| Box::new(request(kind, id))),
    }
}

impl Fixture {
    /// Adds a waiting ticket to the server; see [`ticket`].
    pub fn add_ticket(
        &self,
        category: ServiceCategory,
        sequence: u16,
        minutes: i64,
        priority: Priority,
        kind: Option<&str>,
    ) -> QueuedTicket {
        let ticket = ticket(category, sequence, minutes, priority, kind);
        self.backend.add_ticket(ticket.clone());
        ticket
    }

    /// Loads the server's queue into the console, as the worker would.
    pub fn sync_queue(&self) {
        let snapshot = operator::backend::Backend::wait_queue(&self.backend, None, Duration::ZERO)
            .expect("the stand-in server is online");
        self.console.apply_queue(snapshot);
    }

    /// Returns the only element with `id`, failing with the id when absent.
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

    /// Returns the text of a text element or banner, or a button's label.
    pub fn text(&self, id: &str) -> String {
        self.element(id)
            .accessible_label()
            .map(|label| label.to_string())
            .unwrap_or_default()
    }

    pub fn fill(&self, id: &str, value: &str) {
        self.element(id).set_accessible_value(value);
    }

    /// Types `text` and Enter into the focused element, key by key, as a USB
    /// barcode scanner does.
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

    /// Logs in as the test operator at window 3.
    pub fn log_in(&self) {
        self.fill("LoginPage::login-input", LOGIN);
        self.fill("LoginPage::password-input", PASSWORD);
        self.fill("LoginPage::window-input", WINDOW);
        self.click("LoginPage::login-button");
        assert!(
            self.is_shown("WorkPage::header-window"),
            "login did not reach the work page: {}",
            self.text("LoginPage::error")
        );
    }

    /// Saves the window as `target/screenshots/operator-NAME.png`.
    pub fn screenshot(&self, name: &str) {
        let snapshot = self
            .console
            .window()
            .window()
            .take_snapshot()
            .expect("the software renderer takes a snapshot");
        let directory =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
        std::fs::create_dir_all(&directory).expect("the screenshot folder can be created");
        let picture = image::RgbaImage::from_raw(
            snapshot.width(),
            snapshot.height(),
            snapshot.as_bytes().to_vec(),
        )
        .expect("the snapshot has width × height RGBA pixels");
        picture
            .save(directory.join(format!("operator-{name}.png")))
            .expect("the screenshot can be written");
    }
}

impl Fixture {
    /// Tells whether every recorded event was acknowledged.
    pub fn outbox_is_empty(&self) -> bool {
        operator::outbox::Outbox::pending(self.outbox.as_ref()).is_empty()
    }
}
