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
use tests::stand_in::{BridgeIssuer, TeePrinter};

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
    /// The kiosk's configuration file (`kiosk.toml`). With
    /// `--console-config`, both stations run with their real parts against
    /// the sync server they were provisioned with.
    #[arg(long, requires = "console_config")]
    kiosk_config: Option<PathBuf>,
    /// The console's configuration file (`operator.toml`).
    #[arg(long, requires = "kiosk_config")]
    console_config: Option<PathBuf>,
    /// Without the configuration files: the kiosk's ticket printer, such as
    /// virtual://var/receipts/kiosk.
    #[arg(long, default_value = "virtual:///tmp/okno-demo/kiosk")]
    kiosk_printer: String,
    /// Without the configuration files: the console's slip printer.
    #[arg(long, default_value = "virtual:///tmp/okno-demo/operator")]
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
    let real = match (&args.kiosk_config, &args.console_config) {
        (Some(kiosk), Some(console)) => Some((kiosk.clone(), console.clone())),
        _ => None,
    };
    let parts = match &real {
        Some((kiosk, console)) => real_parts(kiosk, console, clock.clone())?,
        None => stand_in_parts(&args, clock.clone())?,
    };
    let Parts {
        kiosk_window,
        console,
        slips,
        issued,
        _station_kiosk,
    } = parts;
    let kiosk_window: &ui::KioskWindow = match (&_station_kiosk, &kiosk_window) {
        (Some(station), _) => station.kiosk().window(),
        (None, Some(kiosk)) => kiosk.window(),
        (None, None) => anyhow::bail!("no kiosk window was built"),
    };
    kiosk_window
        .window()
        .set_size(slint::LogicalSize::new(1080.0, 1920.0));
    kiosk_window.show().context("showing the kiosk window")?;
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
    let kiosk_driver = KioskDriver::new(kiosk_window);
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
            if real.is_none() {
                println!(
                    "  [note] stand-in: the ticket went from kiosk to console inside this process, \
                     not through the sync server"
                );
            }
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
            let issued = issued();
            results.push(("issued".to_owned(), issued.to_string()));
            !refusal.message.is_empty() && !refusal.next_enabled && issued == 0
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

/// The two windows and what the run reads back from them.
struct Parts {
    /// The stand-in kiosk; `None` when `_station_kiosk` is used.
    kiosk_window: Option<kiosk::Kiosk>,
    console: Console,
    slips: Arc<TeePrinter>,
    /// Counts the requests the kiosk stored.
    issued: Box<dyn Fn() -> u64>,
    /// The kiosk with its real parts, kept alive so its sync service runs.
    _station_kiosk: Option<kiosk::wiring::StationKiosk>,
}

/// Builds both stations from their configuration files, as `kiosk run`
/// and `operator run` do.
fn real_parts(
    kiosk_config: &std::path::Path,
    console_config: &std::path::Path,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Parts> {
    let kiosk_config = kiosk::config::Config::load(kiosk_config)?;
    let station = kiosk::wiring::StationKiosk::open(
        &kiosk_config,
        kiosk::wiring::Options {
            clock: clock.clone(),
            sync: None,
        },
    )?;
    let console_config = operator::config::Config::load(console_config)?;
    let mut parts = operator::setup::real_parts(&console_config, clock)?;
    let slips = Arc::new(TeePrinter::new(parts.deps.printer.clone()));
    parts.deps.printer = slips.clone();
    let console = Console::init(parts.deps).context("the console window")?;
    let store = station.store().clone();
    Ok(Parts {
        kiosk_window: None,
        console,
        slips,
        issued: Box::new(move || {
            store
                .outbox_counts()
                .map(|counts| counts.pending + counts.failed + counts.acked)
                .unwrap_or(0)
        }),
        _station_kiosk: Some(station),
    })
}

/// Builds both stations with the in-process stand-ins of `tests::stand_in`.
fn stand_in_parts(args: &Args, clock: Arc<dyn Clock>) -> anyhow::Result<Parts> {
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
        service: None,
    };
    let kiosk = kiosk::init(services).context("the kiosk window")?;

    let slips = Arc::new(TeePrinter::new(Arc::new(
        operator::printer::EscPosPrinter::new(
            &args.console_printer,
            &args.printer_profile,
            &args.center_name,
        )
        .context("the console's printer")?,
    )));
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

    Ok(Parts {
        kiosk_window: Some(kiosk),
        console,
        slips,
        issued: Box::new(move || u64::from(issuer.issued())),
        _station_kiosk: None,
    })
}
