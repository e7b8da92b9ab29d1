//! `okno-demo`: the main job on a kiosk and an operator console built in
//! this process, driven headless through Slint's testing backend by the
//! scenario in `tests::scenario`. `cargo xtask demo --headless` runs it
//! after starting the server and provisioning the stations;
//! `tests/tests/main_job.rs` runs it as a child process.
//!
//! Tickets and slips print through `hardware::printer` to the URIs given.
//! Until the kiosk's and console's station wiring is merged, the ticket
//! travels from kiosk to console through `tests::stand_in` inside this
//! process, and the summary notes it.
//!
//! Prints the summary on stdout (ticket number and slip code included,
//! for the person running the demo); logs go to stderr with `RUST_LOG`.
//! With `--result FILE`, writes `key=value` lines for a test to read.
//! Exits 0 only when no step failed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, ValueEnum};
use domain::clock::{Clock, SystemClock};
use domain::ticket::ServiceCategory;
use hardware::printer::{Printer, PrinterUri, Profile};
use jiff::tz::{Offset, TimeZone};
use jiff::SignedDuration;
use kiosk::fields::{DomainRules, MOSCOW_OFFSET_HOURS};
use operator::backend::memory::MemoryBackend;
use operator::outbox::MemoryOutbox;
use operator::{Console, Deps, Settings};
use slint::ComponentHandle;
use tests::scenario::console::OperatorLogin;
use tests::scenario::job::{self, JobInput};
use tests::scenario::kiosk::ChipPlan;
use tests::scenario::{ConsoleDriver, KioskDriver, Visitor};
use tests::stand_in::{BridgeIssuer, HardwareSlipPrinter, TeePrinter};

/// Runs Okno's main job headless and prints what happened.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// What to run: the main job, or a visitor mistyping the СНИЛС.
    #[arg(long, value_enum, default_value_t = Leg::MainJob)]
    leg: Leg,
    /// The center's name on the screens and the paper.
    #[arg(long, default_value = "МФЦ «Мои документы» (демо)")]
    center_name: String,
    /// The kiosk's ticket printer, such as virtual://var/receipts/kiosk.
    #[arg(long)]
    kiosk_printer: String,
    /// The console's slip printer.
    #[arg(long)]
    console_printer: String,
    /// Printer profile for both printers (a shipped name or a TOML file).
    #[arg(long, default_value = "generic-80")]
    printer_profile: String,
    /// The operator's login; the password comes from OKNO_DEMO_PASSWORD.
    #[arg(long, default_value = "demo")]
    operator_login: String,
    #[arg(long, env = "OKNO_DEMO_PASSWORD", hide_env_values = true)]
    operator_password: String,
    /// The console's window number.
    #[arg(long, default_value_t = 3)]
    window: u16,
    /// Whether the visitor puts the passport on the reader.
    #[arg(long, value_enum, default_value_t = Chip::Read)]
    chip: Chip,
    /// Folder for screenshots of both windows.
    #[arg(long)]
    screenshots: Option<PathBuf>,
    /// File for `key=value` results.
    #[arg(long)]
    result: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Leg {
    MainJob,
    WrongSnils,
}

#[derive(Clone, Copy, ValueEnum)]
enum Chip {
    Read,
    Skip,
}

fn printer(uri: &str, profile: &str) -> anyhow::Result<Printer> {
    let uri: PrinterUri = uri.parse().with_context(|| format!("printer URI {uri}"))?;
    let profile = Profile::load(profile).with_context(|| format!("printer profile {profile}"))?;
    Ok(Printer::new(uri, profile))
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(err) => {
            eprintln!("okno-demo: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Args) -> anyhow::Result<bool> {
    // One platform for both windows, with an event loop for the console's
    // worker, Slint's clock under the script's control, and the software
    // renderer for screenshots.
    slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: true,
            renderer_name: Some("software".into()),
        },
    )))
    .map_err(|err| anyhow::anyhow!("cannot set up the testing platform: {err}"))?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let zone = TimeZone::fixed(Offset::constant(MOSCOW_OFFSET_HOURS));
    let backend = MemoryBackend::new(clock.clone());
    backend.add_operator(&args.operator_login, &args.operator_password);

    let issuer = Rc::new(BridgeIssuer::new(
        backend.clone(),
        clock.clone(),
        zone.clone(),
        args.center_name.clone(),
        Some(printer(&args.kiosk_printer, &args.printer_profile)?),
    ));
    let services = kiosk::Services {
        center_name: args.center_name.clone(),
        rules: Rc::new(DomainRules::new(
            clock.clone(),
            Offset::constant(MOSCOW_OFFSET_HOURS),
        )),
        // FIXME: the kiosk's PC/SC reader replaces this once merged.
        chip: Rc::new(kiosk::chip::NoReader),
        issuer: issuer.clone(),
    };
    let kiosk = kiosk::init(services).context("the kiosk window")?;
    kiosk
        .window()
        .window()
        .set_size(slint::LogicalSize::new(1080.0, 1920.0));
    kiosk.window().show().context("showing the kiosk window")?;

    let slips = Arc::new(TeePrinter::new(HardwareSlipPrinter {
        printer: printer(&args.console_printer, &args.printer_profile)?,
        center_name: args.center_name.clone(),
        zone: zone.clone(),
        clock: clock.clone(),
    }));
    let console = Console::init(Deps {
        backend: Arc::new(backend.clone()),
        printer: slips.clone(),
        qr: Arc::new(operator::qr::NoQrVerifier),
        mrz: Arc::new(operator::chip::NoMrzInterpreter),
        outbox: Arc::new(MemoryOutbox::default()),
        clock: clock.clone(),
        settings: Settings {
            default_window: None,
            services: ServiceCategory::ALL.to_vec(),
            idle_lock: SignedDuration::from_mins(30),
            time_zone: zone,
            poll_wait: Duration::from_millis(500),
            retry_interval: Duration::from_millis(200),
        },
    })
    .context("the console window")?;
    console
        .window()
        .window()
        .set_size(slint::LogicalSize::new(1366.0, 768.0));
    console
        .window()
        .show()
        .context("showing the console window")?;
    let _worker = operator::worker::start(&console);

    if let Some(dir) = &args.screenshots {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let kiosk_driver = KioskDriver::new(kiosk.window());
    let console_driver = ConsoleDriver::new(&console);
    let mut results: Vec<(String, String)> = Vec::new();

    let ok = match args.leg {
        Leg::MainJob => {
            let input = JobInput {
                visitor: Visitor::demo(),
                operator: OperatorLogin {
                    login: args.operator_login.clone(),
                    password: args.operator_password.clone(),
                    window: args.window,
                },
                chip: match args.chip {
                    Chip::Read => ChipPlan::Read,
                    Chip::Skip => ChipPlan::Skip,
                },
                screenshots: args.screenshots.clone(),
            };
            let outcome = job::run(&kiosk_driver, &console_driver, &input, || {
                slips.codes().last().cloned()
            });
            println!("Okno main job:");
            print!("{}", outcome.report);
            println!(
                "  [note] stand-in: the ticket went from kiosk to console inside this process, \
                 not through the sync server (station wiring not merged yet)"
            );
            if let Some(ticket) = &outcome.ticket {
                results.push(("ticket".to_owned(), ticket.number.clone()));
                results.push(("chip".to_owned(), format!("{:?}", ticket.chip)));
            }
            if let Some(decision) = &outcome.decision {
                results.push(("confirmed".to_owned(), decision.confirmed.to_string()));
            }
            if let Some(code) = &outcome.code {
                results.push(("code".to_owned(), code.clone()));
            }
            outcome.report.no_failures()
        }
        Leg::WrongSnils => {
            let refusal = kiosk_driver.type_snils(&Visitor::with_wrong_snils())?;
            println!("Wrong СНИЛС: «{}»", refusal.message);
            if let Some(dir) = &args.screenshots {
                kiosk_driver.screenshot(&dir.join("kiosk-wrong-snils.png"))?;
            }
            kiosk_driver.cancel()?;
            results.push(("message".to_owned(), refusal.message.clone()));
            results.push(("next_enabled".to_owned(), refusal.next_enabled.to_string()));
            results.push(("issued".to_owned(), issuer.issued().to_string()));
            !refusal.message.is_empty() && !refusal.next_enabled && issuer.issued() == 0
        }
    };
    if let Some(path) = &args.result {
        let text: String = results
            .iter()
            .map(|(key, value)| format!("{key}={value}\n"))
            .collect();
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(ok)
}
