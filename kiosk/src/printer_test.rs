//! `kiosk printer-test`: prints the technicians' test page, or a sample
//! queue ticket, on the configured printer and reports its status.
//!
//! The report goes to standard output in Russian for the technician, with
//! the printer's English status names in brackets for the logs and the
//! manual. A printer that is not ready, or reports a fault after the job,
//! makes the command fail with the Russian message saying what to fix.

use std::time::Duration;

use anyhow::Context;
use domain::ticket_qr::{CenterCode, TicketQr, TicketQrKey};
use hardware::printer::documents::{QueueTicket, TestPage};
use hardware::printer::{Printer, PrinterUri, Profile, Status};

/// Signs the sample ticket's QR code. It is published here on purpose, so
/// no center's console accepts a sample ticket as real.
const SAMPLE_KEY: &[u8; 32] = b"okno-sample-ticket-not-a-secret!";

/// Options of `kiosk printer-test`.
#[derive(Debug, clap::Args)]
pub struct PrinterTestArgs {
    /// Printer URI: tcp://HOST:9100, usb:///dev/usb/lp0,
    /// serial:///dev/ttyUSB0?baud=19200, file://PATH or virtual://DIR
    #[arg(long)]
    printer: String,

    /// Printer profile: a shipped name (generic-58, generic-80,
    /// epson-tm-t20) or the path of a profile TOML file
    #[arg(long, default_value = "generic-80")]
    profile: String,

    /// Print a sample queue ticket instead of the test page
    #[arg(long)]
    ticket: bool,

    /// Time to wait for each status reply, in milliseconds
    #[arg(long, default_value_t = 1000)]
    status_timeout_ms: u64,
}

/// Runs the command and prints its report.
pub fn run(args: &PrinterTestArgs) -> anyhow::Result<()> {
    let uri: PrinterUri = args
        .printer
        .parse()
        .context("Неверный адрес принтера в --printer")?;
    let profile = Profile::load(&args.profile)
        .context("Не удалось загрузить профиль принтера из --profile")?;
    println!("Принтер: {uri}");
    println!("Профиль: {} ({})", profile.name, profile.description);

    let (document, job) = if args.ticket {
        ("образец талона", sample_ticket().to_job(&profile)?)
    } else {
        let page = TestPage {
            printer_uri: uri.to_string(),
        };
        ("тестовая страница", page.to_job(&profile)?)
    };

    let printer = Printer::new(uri, profile)
        .with_status_timeout(Duration::from_millis(args.status_timeout_ms));
    match printer.print(&job) {
        Ok(report) => {
            println!("Состояние до печати: {}", describe(&report.before));
            println!("Отправлено: {document}, байт: {}", report.bytes_sent);
            println!("Состояние после печати: {}", describe(&report.after));
            if let Some(preview) = report.preview {
                println!("Просмотр: {}", preview.display());
            }
            Ok(())
        }
        Err(err) => Err(anyhow::anyhow!("{}\n({err})", err.message_ru())),
    }
}

fn describe(status: &Status) -> String {
    match status {
        Status::Known(state) => format!("{} ({state})", state.message_ru()),
        Status::Unsupported => {
            format!("неизвестно: у этого подключения нет обратного канала ({status})")
        }
    }
}

/// Builds a queue ticket with made-up data and a QR code signed by
/// [`SAMPLE_KEY`].
fn sample_ticket() -> QueueTicket {
    let now = jiff::ZonedDateTime::now();
    let payload = TicketQr {
        ticket_id: uuid::Uuid::now_v7(),
        center: CenterCode::new("SAMPLE").expect("SAMPLE is a valid center code"),
        issued_at: now.timestamp(),
    }
    .encode(&TicketQrKey::new(SAMPLE_KEY).expect("the sample key is 32 bytes"));
    QueueTicket {
        center_name: "МФЦ «Образец» — проверка принтера".to_owned(),
        number: "П-042".to_owned(),
        service: "Подтверждение учётной записи Госуслуг".to_owned(),
        issued_at: now.datetime(),
        people_ahead: 3,
        estimated_wait_minutes: 15,
        qr_payload: payload,
    }
}
