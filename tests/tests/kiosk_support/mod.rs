//! What the kiosk's end-to-end tests share: a real `sync-server` process
//! on loopback with a center, a provisioned kiosk data directory with its
//! configuration file, the kiosk window under Slint's testing backend
//! driven by element id, and a decoder for the printer's bytes written
//! apart from the `hardware` encoder.

#![allow(dead_code)]

pub mod token;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
pub use tests::server_process::{admin, ServerProcess as Server};

use domain::clock::ManualClock;
use domain::sync::DeviceRole;
use i_slint_backend_testing::{ElementHandle, TestingBackend, TestingBackendOptions};
use jiff::tz::TimeZone;
use kiosk::config::Config;
use kiosk::{Options, StationKiosk};
use slint::platform::PointerEventButton;
use slint::ComponentHandle;
use station::sync::SyncConfig;
use ui::KioskWindow;

/// Bound for every wait on a condition in these tests.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// A center in UTC, its server database and a provisioned kiosk.
pub struct Site {
    pub dir: tempfile::TempDir,
    pub database: PathBuf,
    pub center: String,
    pub data_dir: PathBuf,
    pub config_path: PathBuf,
}

impl Site {
    /// Creates the center and enrolls a kiosk with `server`; writes the
    /// kiosk's configuration with `printer_uri`.
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
        let data_dir = dir.path().join("kiosk");
        let config_path = dir.path().join("kiosk.toml");
        Site {
            dir,
            database,
            center,
            data_dir,
            config_path,
        }
    }

    /// Enrolls the kiosk with `server`.
    pub fn provision(&self, server: &Server) {
        let token = admin(
            &self.database,
            &["enroll-token", "--center", &self.center, "--role", "kiosk"],
        );
        station::provision(&server.url(), &token, "киоск-1", &self.data_dir).expect("provision");
    }

    /// Writes the configuration file exactly as an installer would and
    /// loads it.
    pub fn config(&self, printer_uri: &str) -> Config {
        let text = format!(
            "data_dir = \"{}\"\ncenter_name = \"МФЦ Тест\"\ncenter_code = \"MFC-77-014\"\ntime_zone = \"UTC\"\n\n[printer]\nuri = \"{printer_uri}\"\nprofile = \"generic-80\"\n",
            self.data_dir.display()
        );
        std::fs::write(&self.config_path, text).expect("write kiosk.toml");
        Config::load(&self.config_path).expect("the configuration loads")
    }
}

/// Sync tuning for tests: short backoff and only the categories used.
pub fn sync_config() -> SyncConfig {
    let mut config = SyncConfig::for_role(DeviceRole::Kiosk, TimeZone::UTC);
    config.backoff_base = Duration::from_millis(50);
    config.backoff_max = Duration::from_millis(500);
    config.pull_wait_secs = 5;
    config.idle_poll = Duration::from_millis(200);
    config
}

/// Sets this test thread's Slint platform: the testing backend with mock
/// time and the software renderer.
pub fn set_platform() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .expect("each test thread sets its platform once");
}

/// Sets this test thread's Slint platform with an event loop, so results
/// from the kiosk's worker threads (token, contact codes, chip reads)
/// reach the window. Slint's cross-thread event queue is set once per
/// process, so a test binary that uses this has one test.
pub fn set_threaded_platform() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: true,
        renderer_name: Some("software".into()),
    })))
    .expect("each test thread sets its platform once");
}

/// Runs the Slint event loop until `reached` returns true for the kiosk's
/// window, checked from the loop every 20 ms, for at most [`DEADLINE`].
/// The caller asserts the state it waited for.
pub fn run_until(
    kiosk: &StationKiosk,
    reached: impl Fn(&KioskWindow) -> bool + Send + Sync + 'static,
) {
    let window = kiosk.kiosk().window().as_weak();
    let reached = Arc::new(reached);
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let done = Arc::clone(&done);
        std::thread::spawn(move || {
            let deadline = Instant::now() + DEADLINE;
            while !done.load(Ordering::SeqCst) {
                let window = window.clone();
                let reached = Arc::clone(&reached);
                let done_in_loop = Arc::clone(&done);
                let timed_out = Instant::now() > deadline;
                let posted = slint::invoke_from_event_loop(move || {
                    let holds = window.upgrade().is_some_and(|window| reached(&window));
                    if holds || timed_out {
                        done_in_loop.store(true, Ordering::SeqCst);
                        let _ = slint::quit_event_loop();
                    }
                });
                if posted.is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    slint::run_event_loop().expect("the event loop runs");
    watcher.join().expect("the watcher ends");
    settle();
}

/// Builds the virtual chip once and returns its path. It is a binary of
/// the `hardware` package, which `cargo test -p tests` does not build.
pub fn chip_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "hardware", "--bin", "okno-virtual-chip"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building okno-virtual-chip failed");
        PathBuf::from(env!("CARGO_BIN_EXE_okno-test-sync-server"))
            .with_file_name("okno-virtual-chip")
    })
}

/// Opens the kiosk with its real parts and shows its window.
pub fn open_kiosk(config: &Config, clock: Arc<ManualClock>) -> StationKiosk {
    let kiosk = StationKiosk::open(
        config,
        Options {
            clock,
            sync: Some(sync_config()),
        },
    )
    .expect("the kiosk opens");
    let window = kiosk.kiosk().window();
    slint::ComponentHandle::window(window).set_size(slint::LogicalSize::new(1080.0, 1920.0));
    slint::ComponentHandle::show(window).expect("the window shows");
    settle();
    kiosk
}

/// Lets Slint instantiate pages that just became visible.
pub fn settle() {
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(1));
}

pub fn all(kiosk: &StationKiosk, id: &str) -> Vec<ElementHandle> {
    ElementHandle::find_by_element_id(kiosk.kiosk().window(), id).collect()
}

pub fn find(kiosk: &StationKiosk, id: &str) -> ElementHandle {
    all(kiosk, id)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no element with id {id} on the screen"))
}

pub fn tap_element(element: &ElementHandle) {
    element.mock_single_click(PointerEventButton::Left);
    settle();
}

pub fn tap(kiosk: &StationKiosk, id: &str) {
    tap_element(&find(kiosk, id));
}

/// Returns the text of a `Text` element, which is its accessible label.
pub fn text(kiosk: &StationKiosk, id: &str) -> String {
    find(kiosk, id)
        .accessible_label()
        .map(|label| label.to_string())
        .unwrap_or_default()
}

/// Types `text` on the on-screen keyboard, one key per character.
pub fn type_keys(kiosk: &StationKiosk, text: &str) {
    for character in text.chars() {
        if character == ' ' {
            tap(kiosk, "Keyboard::space-key");
            continue;
        }
        let label = character.to_string();
        let key = ElementHandle::find_by_accessible_label(kiosk.kiosk().window(), &label)
            .find(|element| element.type_name().is_some_and(|name| name == "Key"))
            .unwrap_or_else(|| panic!("no key {label:?} on the keyboard"));
        tap_element(&key);
    }
}

/// Fills the current step's fields in order, then taps «Далее».
pub fn fill_step(kiosk: &StationKiosk, values: &[&str]) {
    for (index, value) in values.iter().enumerate() {
        let fields = all(kiosk, "FieldBox::value-box");
        tap_element(&fields[index]);
        type_keys(kiosk, value);
    }
    tap(kiosk, "EntryPage::next");
}

/// Registers Мария Петровна Иванова from the attract screen to the review.
pub fn register_maria(kiosk: &StationKiosk) {
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
    fill_step(kiosk, &["+79123456789", "maria.ivanova@mail.ru"]);
}

/// Waits until `condition` holds, polling every 20 ms, for at most
/// [`DEADLINE`].
pub fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Decodes the QR code in a Slint image with an independent decoder.
pub fn decode_screen_qr(image: &slint::Image) -> String {
    let buffer = image.to_rgb8().expect("the QR image has RGB pixels");
    let width = buffer.width() as usize;
    let height = buffer.height() as usize;
    let pixels = buffer.as_slice();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x].r);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the ticket screen");
    grids[0].decode().expect("the QR code decodes").1
}

/// What a printer made of the bytes: text lines and QR payloads.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Printed {
    pub lines: Vec<String>,
    pub qr_payloads: Vec<String>,
    pub cuts: usize,
}

/// Decodes ESC/POS bytes as a printer would, independently of the
/// `hardware` encoder: CP866 text split at `LF`, the data of each
/// `GS ( k` store command (function 180), and `GS V` cuts. Any command it
/// does not know fails the test with its offset.
pub fn decode_escpos(bytes: &[u8]) -> Printed {
    let mut printed = Printed::default();
    let mut line = String::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            // DLE EOT n: real-time status query.
            0x10 if bytes.get(at + 1) == Some(&0x04) => at += 3,
            0x0A => {
                printed.lines.push(std::mem::take(&mut line));
                at += 1;
            }
            0x1B => match bytes[at + 1] {
                b'@' => at += 2,
                b't' | b'E' | b'a' => at += 3,
                b'd' => {
                    if !line.is_empty() {
                        printed.lines.push(std::mem::take(&mut line));
                    }
                    at += 3;
                }
                other => panic!("unknown ESC 0x{other:02X} at {at}"),
            },
            0x1D => match bytes[at + 1] {
                b'!' => at += 3,
                b'V' => {
                    printed.cuts += 1;
                    at += 4;
                }
                b'(' if bytes[at + 2] == b'k' => {
                    let length = usize::from(bytes[at + 3]) | usize::from(bytes[at + 4]) << 8;
                    let body = &bytes[at + 5..at + 5 + length];
                    // cn 49 (QR), fn 80 (store), m 48.
                    if body[..3] == [49, 80, 48] {
                        let data = String::from_utf8(body[3..].to_vec()).expect("QR data is text");
                        printed.qr_payloads.push(data);
                    }
                    at += 5 + length;
                }
                other => panic!("unknown GS 0x{other:02X} at {at}"),
            },
            byte => {
                line.push(cp866(byte));
                at += 1;
            }
        }
    }
    if !line.is_empty() {
        printed.lines.push(line);
    }
    printed
}

/// One CP866 byte as a character: ASCII, the Cyrillic letters and `Ё`/`ё`;
/// the box-drawing and other signs become U+FFFD.
fn cp866(byte: u8) -> char {
    let code = match byte {
        0x00..=0x7F => u32::from(byte),
        0x80..=0xAF => 0x0410 + u32::from(byte - 0x80),
        0xE0..=0xEF => 0x0440 + u32::from(byte - 0xE0),
        0xF0 => 0x0401,
        0xF1 => 0x0451,
        _ => 0xFFFD,
    };
    char::from_u32(code).expect("a Cyrillic or ASCII code point")
}

/// Holds a finger on the window at (`x`, `y`) for `held`, on Slint's mock
/// clock, then lifts it.
pub fn long_press(kiosk: &StationKiosk, x: f32, y: f32, held: Duration) {
    use slint::platform::WindowEvent;
    let window = slint::ComponentHandle::window(kiosk.kiosk().window());
    let position = slint::LogicalPosition::new(x, y);
    window
        .dispatch_event_with_result(WindowEvent::PointerPressed {
            position,
            button: PointerEventButton::Left,
        })
        .expect("press");
    i_slint_backend_testing::mock_elapsed_time(held);
    window
        .dispatch_event_with_result(WindowEvent::PointerReleased {
            position,
            button: PointerEventButton::Left,
        })
        .expect("release");
    settle();
}

/// Taps the button whose label is `label`.
pub fn tap_button(kiosk: &StationKiosk, label: &str) {
    let button = ElementHandle::find_by_accessible_label(kiosk.kiosk().window(), label)
        .find(|element| element.type_name().is_some_and(|name| name == "BigButton"))
        .unwrap_or_else(|| panic!("no button {label:?} on the screen"));
    tap_element(&button);
}

/// Returns the accessible value of the element with `id`.
pub fn value(kiosk: &StationKiosk, id: &str) -> String {
    find(kiosk, id)
        .accessible_value()
        .map(|value| value.to_string())
        .unwrap_or_default()
}
