//! The kiosk's chip step on a real PC/SC stack: pcscd with the vpcd driver
//! and `okno-virtual-chip` in a network namespace (`PcscRig`). The kiosk is
//! opened by `StationKiosk::open` with `[reader] contactless` set, with a
//! real `sync-server` on loopback for the leases and a fake TCP printer. The
//! visitor's side is driven by element id through Slint's testing backend;
//! the chip's data are asserted in the `request_submitted` event in the
//! station outbox. Needs root (for `ip netns`); the rig takes a lock so
//! only one runs on the machine at a time.

mod kiosk_support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use domain::clock::ManualClock;
use domain::sync::{ChipResult, EventKind};
use domain::ticket::ServiceCategory;
use hardware::card::sim::rig::{PcscRig, VPCD_READER};
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use kiosk::config::Config;
use kiosk::StationKiosk;
use kiosk_support::*;
use slint::ComponentHandle;
use ui::{ChipAdapter, ChipState};

/// The zone the virtual chip is issued with (see [`insert_maria`]).
const ZONE: &str = "P<RUSIVANOVA<<MARIIA<PETROVNA<<<<<<<<<<<<<<<\n\
                    7512345672RUS5803077F3002016<<<<<<<<<<<<<<<2";

fn face_photo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hardware/tests/fixtures/face.jp2")
}

/// Lays Мария Петровна Иванова's biometric passport on the reader:
/// number 751234567, born 07.03.1958, valid until 01.02.2030.
fn insert_maria(rig: &mut PcscRig) {
    let photo = face_photo();
    rig.insert_chip(
        chip_binary(),
        &[
            "--document-number",
            "751234567",
            "--surname",
            "IVANOVA",
            "--given-names",
            "MARIIA PETROVNA",
            "--birth",
            "580307",
            "--expiry",
            "300201",
            "--sex",
            "F",
            "--photo",
            photo.to_str().expect("a UTF-8 path"),
        ],
    )
    .expect("the virtual chip starts");
}

/// Runs the Slint event loop until the chip step leaves «Читаем чип…».
fn wait_for_read(kiosk: &StationKiosk) -> ChipState {
    run_until(kiosk, |window| {
        window.global::<ChipAdapter>().get_state() != ChipState::Reading
    });
    kiosk.kiosk().window().global::<ChipAdapter>().get_state()
}

/// Types the biometric passport's number and expiry date on the chip step.
fn fill_chip_access(kiosk: &StationKiosk, number: &str, expiry: &str) {
    for (index, value) in [number, expiry].into_iter().enumerate() {
        tap_element(&all(kiosk, "AccessField::value-box")[index]);
        type_keys(kiosk, value);
    }
}

/// Opens the kiosk on a provisioned site with the virtual reader named in
/// its configuration, waits for its number leases, then stops the server
/// so the request stays in the outbox to be read.
fn open_with_reader(site: &Site, printer: &FakeNetworkPrinter) -> StationKiosk {
    let server = Server::start(&site.database, "127.0.0.1:0");
    site.provision(&server);
    site.config(&printer.uri());
    let mut text = std::fs::read_to_string(&site.config_path).expect("kiosk.toml");
    text.push_str(&format!("\n[reader]\ncontactless = \"{VPCD_READER}\"\n"));
    std::fs::write(&site.config_path, text).expect("write kiosk.toml");
    let config = Config::load(&site.config_path).expect("the configuration loads");
    assert_eq!(config.contactless_reader.as_deref(), Some(VPCD_READER));

    let now = Timestamp::from_second(Timestamp::now().as_second()).expect("now in range");
    let kiosk = open_kiosk(&config, Arc::new(ManualClock::new(now)));
    let today = TimeZone::UTC.to_datetime(now).date();
    wait_until("ticket number leases", || {
        ServiceCategory::ALL.iter().all(|category| {
            kiosk
                .store()
                .remaining_numbers(*category, today)
                .unwrap_or(0)
                > 0
        })
    });
    server.kill();
    kiosk
}

// One test in this file, because of `set_threaded_platform`.
#[test]
fn chip_step_attaches_read_to_request() {
    set_threaded_platform();
    let mut rig = PcscRig::start().expect("the PC/SC rig starts");
    insert_maria(&mut rig);
    let site = Site::new();
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let kiosk = open_with_reader(&site, &printer);

    register_maria(&kiosk);
    // A reader is configured and present, so the chip step comes next.
    assert!(!all(&kiosk, "ChipPage::read").is_empty(), "no chip step");

    // A valid date, but not this passport's: the chip refuses BAC.
    fill_chip_access(&kiosk, "751234567", "02.02.2030");
    tap(&kiosk, "ChipPage::read");
    assert_eq!(wait_for_read(&kiosk), ChipState::Failed);
    assert_eq!(
        text(&kiosk, "ChipPage::status"),
        "Чип не принял данные паспорта. Проверьте номер загранпаспорта, срок действия и дату рождения или продолжите без чипа."
    );

    // The visitor corrects the day and tries again.
    let expiry = all(&kiosk, "AccessField::value-box")[1].clone();
    tap_element(&expiry);
    for _ in 0.."02.02.2030".len() {
        tap(&kiosk, "Keyboard::backspace-key");
    }
    type_keys(&kiosk, "01.02.2030");
    tap(&kiosk, "ChipPage::read");
    assert_eq!(wait_for_read(&kiosk), ChipState::Success);
    assert_eq!(text(&kiosk, "ChipPage::status"), "Чип паспорта прочитан.");
    tap(&kiosk, "ChipPage::proceed");
    assert_eq!(
        text(&kiosk, "ReviewPage::chip-line"),
        "Чип паспорта: прочитан"
    );
    tap(&kiosk, "ReviewPage::confirm");
    assert_eq!(text(&kiosk, "TicketPage::number"), "Р-001");

    let events = kiosk.store().pending_events(100).expect("pending events");
    let chip = events
        .iter()
        .find_map(|event| match &event.envelope.kind {
            EventKind::RequestSubmitted(request) => Some(request.chip.clone()),
            _ => None,
        })
        .expect("a request_submitted event");
    let photo = std::fs::read(face_photo()).expect("the face fixture");
    assert_eq!(
        chip,
        Some(ChipResult {
            mrz: ZONE.to_owned(),
            // The signature is valid; no CSCA list is configured on kiosks.
            passive_auth: "not_checked".to_owned(),
            photo_base64: Some(base64::engine::general_purpose::STANDARD.encode(photo)),
            typed_document_number: Some("751234567".to_owned()),
            typed_expiry_date: Some(jiff::civil::date(2030, 2, 1)),
        })
    );
}
