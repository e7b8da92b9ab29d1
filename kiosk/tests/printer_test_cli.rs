//! Runs `kiosk printer-test` as a technician would, against a fake network
//! printer on 127.0.0.1 (a real socket; no real printer runs here) and the
//! virtual printer.

use std::process::{Command, Output};
use std::time::Duration;

use domain::ticket_qr::{TicketQr, TicketQrKey};
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use hardware::printer::virtual_printer;
use hardware::printer::Profile;

/// Bound on waiting for the fake printer to see the connection close.
const IDLE_WAIT: Duration = Duration::from_secs(10);

/// The sample ticket's published key, as `kiosk/src/printer_test.rs` has it.
const SAMPLE_KEY: &[u8; 32] = b"okno-sample-ticket-not-a-secret!";

fn kiosk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the kiosk binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Returns the job bytes between the status queries before and after it.
fn job_bytes(recorded: &[u8]) -> &[u8] {
    &recorded[12..recorded.len() - 12]
}

#[test]
fn test_page_on_ready_printer() {
    let fake = FakeNetworkPrinter::start(FakeMode::Ready).unwrap();
    let uri = fake.uri();
    let output = kiosk(&["printer-test", "--printer", &uri, "--profile", "generic-58"]);
    assert!(output.status.success(), "{}", stderr(&output));

    let recorded = fake.wait_idle(IDLE_WAIT).unwrap();
    let job = job_bytes(&recorded);
    let expected_stdout = format!(
        "Принтер: {uri}\n\
         Профиль: generic-58 (Generic 58 mm ESC/POS printer)\n\
         Состояние до печати: Принтер готов к печати. (ready)\n\
         Отправлено: тестовая страница, байт: {}\n\
         Состояние после печати: Принтер готов к печати. (ready)\n",
        job.len()
    );
    assert_eq!(stdout(&output), expected_stdout);

    let profile = Profile::shipped("generic-58").unwrap();
    let page = virtual_printer::decode(job, &profile).unwrap();
    let lines = page.text_lines();
    assert_eq!(lines[0], "Okno: тестовая страница");
    assert_eq!(lines[2], format!("Принтер: {uri}"));
}

#[test]
fn sample_ticket_on_ready_printer() {
    let fake = FakeNetworkPrinter::start(FakeMode::Ready).unwrap();
    let output = kiosk(&["printer-test", "--printer", &fake.uri(), "--ticket"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Отправлено: образец талона, "));

    let recorded = fake.wait_idle(IDLE_WAIT).unwrap();
    let profile = Profile::shipped("generic-80").unwrap();
    let page = virtual_printer::decode(job_bytes(&recorded), &profile).unwrap();
    assert!(page.text_lines().contains(&"П-042".to_string()));

    let qr_data = page.native_qr_data();
    assert_eq!(qr_data.len(), 1);
    let payload = std::str::from_utf8(qr_data[0]).unwrap();
    let key = TicketQrKey::new(SAMPLE_KEY).unwrap();
    let verified = TicketQr::verify(
        payload,
        &key,
        jiff::Timestamp::now(),
        jiff::SignedDuration::from_mins(10),
    )
    .unwrap();
    assert_eq!(verified.center.as_str(), "SAMPLE");
}

#[test]
fn paper_out_fails_with_russian_message() {
    let fake = FakeNetworkPrinter::start(FakeMode::PaperOut).unwrap();
    let uri = fake.uri();
    let output = kiosk(&["printer-test", "--printer", &uri]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "Error: Закончилась бумага: вставьте новый рулон и закройте крышку.\n\
             (printer {uri} is not ready (paper out); the job was not sent)\n"
        )
    );
    assert_eq!(fake.wait_idle(IDLE_WAIT).unwrap().len(), 12);
}

#[test]
fn cover_open_fails_with_russian_message() {
    let fake = FakeNetworkPrinter::start(FakeMode::CoverOpen).unwrap();
    let output = kiosk(&["printer-test", "--printer", &fake.uri(), "--ticket"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("Error: Открыта крышка принтера: закройте её до щелчка.\n"));
}

#[test]
fn silent_printer_reports_no_answer() {
    let fake = FakeNetworkPrinter::start(FakeMode::Silent).unwrap();
    let uri = fake.uri();
    let output = kiosk(&[
        "printer-test",
        "--printer",
        &uri,
        "--status-timeout-ms",
        "200",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "Error: Принтер не отвечает: проверьте питание и кабель, затем выключите и включите принтер.\n\
             (printer {uri} is not ready (no reply to DLE EOT 1 within 200 ms); the job was not sent)\n"
        )
    );
}

#[test]
fn virtual_printer_writes_preview() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-virtual");
    let _ = std::fs::remove_dir_all(&dir);
    let uri = format!("virtual://{}", dir.display());
    let output = kiosk(&[
        "printer-test",
        "--printer",
        &uri,
        "--profile",
        "epson-tm-t20",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let preview = dir.join("job-0001.png");
    assert!(stdout(&output).ends_with(&format!("Просмотр: {}\n", preview.display())));
    let image = image_size(&preview);
    assert_eq!(image.0, 576);
}

#[test]
fn invalid_uri_names_value_and_forms() {
    let output = kiosk(&["printer-test", "--printer", "lpt://1"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "Error: Неверный адрес принтера в --printer\n\nCaused by:\n    printer URI \"lpt://1\" is invalid: \
         scheme \"lpt\" is not supported; expected tcp://HOST:9100, usb:///dev/usb/lp0, \
         serial:///dev/ttyUSB0?baud=19200, file://PATH or virtual://DIR\n"
    );
}

#[test]
fn unknown_profile_lists_shipped() {
    let output = kiosk(&[
        "printer-test",
        "--printer",
        "file:///dev/null",
        "--profile",
        "zebra",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(
        "printer profile \"zebra\" not found; shipped profiles: generic-58, generic-80, epson-tm-t20"
    ));
}

#[test]
fn no_subcommand_prints_usage() {
    let output = kiosk(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("Usage: kiosk <COMMAND>"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("printer-test"));
}

/// Reads a PNG's width and height from its IHDR chunk.
fn image_size(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).expect("the preview PNG exists");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(bytes[16..20].try_into().expect("4 bytes"));
    let height = u32::from_be_bytes(bytes[20..24].try_into().expect("4 bytes"));
    (width, height)
}
