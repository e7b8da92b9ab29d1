//! Prints through the TCP transport to a fake network printer on 127.0.0.1
//! (a real socket; the printer behind it is the fake, as no real printer
//! runs here), one test per status the fake reports.

mod common;

use std::time::Duration;

use common::*;
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use hardware::printer::virtual_printer::{load_fonts, render_job};
use hardware::printer::{PrintError, Printer, PrinterState, PrinterUri, Status};

/// Bound on waiting for the fake to see the connection close.
const IDLE_WAIT: Duration = Duration::from_secs(10);

/// The four status queries the printer sends before and after a job.
const STATUS_QUERIES: [u8; 12] = [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4];

fn printer_for(fake: &FakeNetworkPrinter, profile_name: &str) -> Printer {
    let uri: PrinterUri = fake.uri().parse().expect("the fake printer URI parses");
    Printer::new(uri, profile(profile_name)).with_status_timeout(Duration::from_millis(300))
}

#[test]
fn ready_printer_prints_ticket() {
    let fake = FakeNetworkPrinter::start(FakeMode::Ready).unwrap();
    let printer = printer_for(&fake, "generic-80");
    let job = ticket().to_job(printer.profile()).unwrap();

    let report = printer.print(&job).unwrap();
    assert_eq!(report.before, Status::Known(PrinterState::Ready));
    assert_eq!(report.after, Status::Known(PrinterState::Ready));
    assert_eq!(report.bytes_sent, job.as_bytes().len());

    let recorded = fake.wait_idle(IDLE_WAIT).unwrap();
    assert_eq!(&recorded[..12], STATUS_QUERIES);
    assert_eq!(&recorded[recorded.len() - 12..], STATUS_QUERIES);
    let job_bytes = &recorded[12..recorded.len() - 12];
    assert_eq!(job_bytes, job.as_bytes());
    assert_eq!(fake.connections(), 1);
}

#[test]
fn recorded_ticket_renders_and_scans() {
    for name in WIDTHS {
        let fake = FakeNetworkPrinter::start(FakeMode::Ready).unwrap();
        let printer = printer_for(&fake, name);
        printer
            .print(&ticket().to_job(printer.profile()).unwrap())
            .unwrap();
        let recorded = fake.wait_idle(IDLE_WAIT).unwrap();
        let job_bytes = &recorded[12..recorded.len() - 12];

        let image = render_job(job_bytes, printer.profile(), &load_fonts().unwrap()).unwrap();
        let path = output_dir(&format!("network-{name}")).join("ticket.png");
        image.save(&path).unwrap();
        assert_eq!(rqrr_decode(&path), [ticket_payload()], "{name}");
        assert_eq!(zbar_decode(&path), [ticket_payload()], "{name}");
    }
}

#[test]
fn paper_out_rejects_before_job() {
    let fake = FakeNetworkPrinter::start(FakeMode::PaperOut).unwrap();
    let printer = printer_for(&fake, "generic-80");
    let err = printer
        .print(&ticket().to_job(printer.profile()).unwrap())
        .unwrap_err();

    assert!(
        matches!(
            err,
            PrintError::NotReady {
                state: PrinterState::PaperOut,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.message_ru(),
        "Закончилась бумага: вставьте новый рулон и закройте крышку."
    );
    assert_eq!(
        err.to_string(),
        format!(
            "printer {} is not ready (paper out); the job was not sent",
            fake.uri()
        )
    );
    assert_eq!(fake.wait_idle(IDLE_WAIT).unwrap(), STATUS_QUERIES);
}

#[test]
fn cover_open_rejects_before_job() {
    let fake = FakeNetworkPrinter::start(FakeMode::CoverOpen).unwrap();
    let printer = printer_for(&fake, "generic-58");
    let err = printer
        .print(&ticket().to_job(printer.profile()).unwrap())
        .unwrap_err();

    assert_eq!(err.state(), Some(&PrinterState::CoverOpen));
    assert_eq!(
        err.message_ru(),
        "Открыта крышка принтера: закройте её до щелчка."
    );
    assert_eq!(fake.wait_idle(IDLE_WAIT).unwrap(), STATUS_QUERIES);
}

#[test]
fn silent_printer_times_out() {
    let fake = FakeNetworkPrinter::start(FakeMode::Silent).unwrap();
    let printer = printer_for(&fake, "generic-80");
    let err = printer
        .print(&ticket().to_job(printer.profile()).unwrap())
        .unwrap_err();

    assert_eq!(
        err.state(),
        Some(&PrinterState::NoAnswer {
            query: 1,
            timeout: Duration::from_millis(300)
        })
    );
    assert_eq!(
        err.message_ru(),
        "Принтер не отвечает: проверьте питание и кабель, затем выключите и включите принтер."
    );
    // Only the first query went out; the job was not sent.
    assert_eq!(fake.wait_idle(IDLE_WAIT).unwrap(), [0x10, 0x04, 1]);
}

#[test]
fn paper_out_after_job_fails() {
    let fake = FakeNetworkPrinter::start(FakeMode::PaperOutAfterJob).unwrap();
    let printer = printer_for(&fake, "generic-80");
    let job = ticket().to_job(printer.profile()).unwrap();
    let err = printer.print(&job).unwrap_err();

    assert!(
        matches!(
            err,
            PrintError::FailedAfterJob {
                state: PrinterState::PaperOut,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.message_ru(),
        "Талон мог не напечататься. Закончилась бумага: вставьте новый рулон и закройте крышку."
    );
    let recorded = fake.wait_idle(IDLE_WAIT).unwrap();
    assert_eq!(recorded.len(), 12 + job.as_bytes().len() + 12);
}

#[test]
fn paper_near_end_still_prints() {
    let fake = FakeNetworkPrinter::start(FakeMode::PaperNearEnd).unwrap();
    let printer = printer_for(&fake, "generic-80");
    let report = printer
        .print(&confirmation().to_job(printer.profile()))
        .unwrap();
    assert_eq!(report.before, Status::Known(PrinterState::PaperNearEnd));
    assert_eq!(report.after, Status::Known(PrinterState::PaperNearEnd));
    assert_eq!(
        PrinterState::PaperNearEnd.message_ru(),
        "Бумага заканчивается: подготовьте новый рулон."
    );
}

#[test]
fn raster_job_with_status_bytes_inside() {
    // Raster data may contain `10 04 n`, to which the fake replies
    // like a printer. The stray reply (0x1E, paper near end) would read as
    // "offline" if taken for the reply to `DLE EOT 1` after the job.
    let fake = FakeNetworkPrinter::start(FakeMode::PaperNearEnd).unwrap();
    let printer = printer_for(&fake, "generic-58");
    let mut job = hardware::printer::Job::start(17);
    let bitmap =
        hardware::printer::raster::Bitmap::from_packed(3, 1, vec![0x10, 0x04, 0x04]).unwrap();
    job.raster(&bitmap);
    let report = printer.print(&job).unwrap();
    assert_eq!(report.after, Status::Known(PrinterState::PaperNearEnd));
}

#[test]
fn unreachable_printer_is_link_error() {
    // Bind then drop a listener so the port is known to be closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let uri: PrinterUri = format!("tcp://127.0.0.1:{port}").parse().unwrap();
    let printer = Printer::new(uri, profile("generic-80"));
    let err = printer.status().unwrap_err();
    assert!(matches!(err, PrintError::Link { .. }), "{err}");
    assert!(err
        .to_string()
        .starts_with(&format!("failed to reach printer tcp://127.0.0.1:{port}: ")));
    assert_eq!(
        err.message_ru(),
        "Нет связи с принтером: проверьте питание, кабель и адрес принтера в настройках."
    );
}
