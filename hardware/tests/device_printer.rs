//! Prints through device files and plain files: `serial://` and `usb://`
//! against a pseudo-terminal whose master side acts as the printer (a real
//! tty device with termios; the printer behind it is the test), and
//! `file://` against a temporary file.

mod common;

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use common::*;
use hardware::printer::{PrintError, Printer, PrinterState, PrinterUri, Status};
use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
use rustix::termios::{self, OptionalActions};

/// Bound on waiting for the printer side to finish.
const WAIT: Duration = Duration::from_secs(10);

/// A pseudo-terminal: the slave path is the printer's device file; a thread
/// on the master side records bytes and replies to `DLE EOT n`.
struct PtyPrinter {
    slave_path: PathBuf,
    /// Held open so the slave keeps its raw settings between opens.
    slave: Option<OwnedFd>,
    recorded: mpsc::Receiver<Vec<u8>>,
}

// The rig unwraps like the tests it serves: a failure is a broken test machine.
#[allow(clippy::unwrap_used)]
impl PtyPrinter {
    fn start(answer: bool) -> PtyPrinter {
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let slave_path =
            PathBuf::from(ptsname(&master, Vec::new()).unwrap().into_string().unwrap());

        // A new pty is in cooked mode, which would turn LF into CR LF.
        let slave: OwnedFd = File::options()
            .read(true)
            .write(true)
            .open(&slave_path)
            .unwrap()
            .into();
        let mut settings = termios::tcgetattr(&slave).unwrap();
        settings.make_raw();
        termios::tcsetattr(&slave, OptionalActions::Now, &settings).unwrap();

        let (sender, recorded) = mpsc::channel();
        let mut master = File::from(master);
        std::thread::spawn(move || {
            let mut all = Vec::new();
            let mut answered = 0;
            let mut buffer = [0u8; 4096];
            // Reading fails with EIO once every slave descriptor is closed.
            while let Ok(read) = master.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                all.extend_from_slice(&buffer[..read]);
                // Count over everything read, as a query may span two reads.
                let queries = all
                    .windows(3)
                    .filter(|window| window[..2] == [0x10, 0x04])
                    .count();
                let new_queries = queries - answered;
                answered = queries;
                if answer && master.write_all(&vec![0x12; new_queries]).is_err() {
                    break;
                }
            }
            let _ = sender.send(all);
        });

        PtyPrinter {
            slave_path,
            slave: Some(slave),
            recorded,
        }
    }

    /// Closes the test's slave descriptor and returns what the master read.
    fn finish(mut self) -> Vec<u8> {
        self.slave.take();
        self.recorded.recv_timeout(WAIT).unwrap()
    }
}

#[test]
fn serial_printer_sets_baud_and_prints() {
    let pty = PtyPrinter::start(true);
    let uri: PrinterUri = format!("serial://{}?baud=19200", pty.slave_path.display())
        .parse()
        .unwrap();
    let printer = Printer::new(uri, profile("generic-58"));
    let job = confirmation().to_job(printer.profile());
    let report = printer.print(&job).unwrap();
    assert_eq!(report.after, Status::Known(PrinterState::Ready));

    let settings = termios::tcgetattr(pty.slave.as_ref().unwrap()).unwrap();
    assert_eq!(settings.input_speed(), 19200);
    assert_eq!(settings.output_speed(), 19200);

    let recorded = pty.finish();
    assert_eq!(&recorded[12..recorded.len() - 12], job.as_bytes());
}

#[test]
fn usb_device_file_prints() {
    let pty = PtyPrinter::start(true);
    let uri: PrinterUri = format!("usb://{}", pty.slave_path.display())
        .parse()
        .unwrap();
    let printer = Printer::new(uri, profile("generic-80"));
    let job = ticket().to_job(printer.profile()).unwrap();
    printer.print(&job).unwrap();
    let recorded = pty.finish();
    assert_eq!(&recorded[12..recorded.len() - 12], job.as_bytes());
}

#[test]
fn usb_device_without_reply_times_out() {
    let pty = PtyPrinter::start(false);
    let uri: PrinterUri = format!("usb://{}", pty.slave_path.display())
        .parse()
        .unwrap();
    let printer =
        Printer::new(uri, profile("generic-80")).with_status_timeout(Duration::from_millis(200));
    let err = printer.status().map(|status| format!("{status}"));
    assert_eq!(
        err.unwrap(),
        "no reply to DLE EOT 1 within 200 ms",
        "a silent device reads as no answer"
    );
    assert_eq!(pty.finish(), [0x10, 0x04, 1]);
}

#[test]
fn missing_device_names_uri() {
    let uri: PrinterUri = "usb:///dev/usb/okno-missing-lp9".parse().unwrap();
    let err = Printer::new(uri, profile("generic-80"))
        .status()
        .unwrap_err();
    assert!(matches!(err, PrintError::Link { .. }));
    assert_eq!(
        err.to_string(),
        "failed to reach printer usb:///dev/usb/okno-missing-lp9: No such file or directory (os error 2)"
    );
}

#[test]
fn file_printer_appends_jobs() {
    let dir = output_dir("file-printer");
    let path = dir.join("jobs.bin");
    let uri: PrinterUri = format!("file://{}", path.display()).parse().unwrap();
    let printer = Printer::new(uri, profile("generic-80"));
    let first = confirmation().to_job(printer.profile());
    let second = rejection().to_job(printer.profile());

    let report = printer.print(&first).unwrap();
    assert_eq!(report.before, Status::Unsupported);
    assert_eq!(report.after, Status::Unsupported);
    printer.print(&second).unwrap();

    let mut expected = first.into_bytes();
    expected.extend(second.as_bytes());
    assert_eq!(std::fs::read(&path).unwrap(), expected);
}
