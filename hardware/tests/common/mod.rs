//! Sample documents and helpers shared by the printer tests.

// Each test binary uses a different subset of these helpers, and helpers
// outside `#[test]` functions may unwrap like the tests themselves.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;

use domain::ticket_qr::{CenterCode, TicketQr, TicketQrKey};
use hardware::printer::documents::{ConfirmationSlip, QueueTicket, RejectionSlip, TestPage};
use hardware::printer::virtual_printer::{self, Page};
use hardware::printer::{Job, Profile};
use jiff::civil::date;

/// Test-only key; real keys come from the station's configuration.
pub const TEST_KEY: &[u8; 32] = b"okno-printer-tests-key-000000000";

pub const WIDTHS: [&str; 2] = ["generic-58", "generic-80"];

pub fn profile(name: &str) -> Profile {
    Profile::shipped(name).unwrap()
}

/// Returns a profile like `name` but with native QR switched on or off.
pub fn profile_with_native_qr(name: &str, native_qr: bool) -> Profile {
    Profile {
        native_qr,
        ..profile(name)
    }
}

pub fn ticket_payload() -> String {
    let qr = TicketQr {
        ticket_id: uuid::Uuid::from_u128(0x0193_8c2e_7a10_7000_8000_0000_0000_002a),
        center: CenterCode::new("MFC-77-014").unwrap(),
        issued_at: jiff::Timestamp::from_second(1_796_393_100).unwrap(),
    };
    qr.encode(&TicketQrKey::new(TEST_KEY).unwrap())
}

pub fn ticket() -> QueueTicket {
    QueueTicket {
        center_name: "МФЦ «Мои документы» района Хамовники".into(),
        number: "П-042".into(),
        service: "Подтверждение учётной записи Госуслуг".into(),
        issued_at: date(2026, 12, 4).at(14, 5, 0, 0),
        people_ahead: 3,
        estimated_wait_minutes: 15,
        qr_payload: ticket_payload(),
    }
}

pub fn confirmation() -> ConfirmationSlip {
    ConfirmationSlip {
        center_name: "МФЦ «Мои документы» района Хамовники".into(),
        code: "K7M3Q9".into(),
        expires_at: date(2026, 12, 4).at(18, 5, 0, 0),
        window: "5".into(),
        operator_number: "12".into(),
    }
}

pub fn rejection() -> RejectionSlip {
    RejectionSlip {
        center_name: "МФЦ «Мои документы» района Хамовники".into(),
        reason:
            "Данные паспорта в заявке не совпадают с данными в паспорте: номер паспорта — другой."
                .into(),
        next_step: Some(
            "Исправьте номер паспорта в профиле на Госуслугах и возьмите новый талон.".into(),
        ),
        decided_at: date(2026, 12, 4).at(14, 20, 0, 0),
        window: "5".into(),
        operator_number: "12".into(),
    }
}

pub fn test_page() -> TestPage {
    TestPage {
        printer_uri: "virtual://previews".into(),
    }
}

/// Lays out every document for `profile`, by name.
pub fn documents(profile: &Profile) -> Vec<(&'static str, Job)> {
    vec![
        ("ticket", ticket().to_job(profile).unwrap()),
        ("confirmation", confirmation().to_job(profile)),
        ("rejection", rejection().to_job(profile)),
        ("test-page", test_page().to_job(profile).unwrap()),
    ]
}

pub fn decode(bytes: &[u8], profile: &Profile) -> Page {
    virtual_printer::decode(bytes, profile).unwrap()
}

/// Creates an empty directory under the target directory for one test's
/// files.
pub fn output_dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Decodes every QR code in a PNG with the `rqrr` crate.
pub fn rqrr_decode(path: &std::path::Path) -> Vec<String> {
    let image = image::open(path).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().unwrap().1)
        .collect()
}

/// Decodes every QR code in a PNG with `zbarimg` (Debian `zbar-tools`).
pub fn zbar_decode(path: &std::path::Path) -> Vec<String> {
    let output = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(path)
        .output()
        .expect("zbarimg runs (Debian package zbar-tools)");
    assert!(output.status.success(), "zbarimg failed: {output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}
