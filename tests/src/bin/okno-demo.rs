//! `okno-demo`: the main job on a kiosk and an operator console built in
//! this process from their configuration files, as `kiosk run` and
//! `operator run` build them, and driven headless through Slint's testing
//! backend by the scenario in `tests::scenario`. `cargo xtask demo
//! --headless` runs it after starting the server and provisioning the
//! stations; `tests/tests/main_job.rs` runs it as a child process.
//!
//! `--leg signature` runs the signature leg instead: the visitor confirms
//! their identity at the kiosk's token step with a token that is already
//! in place (`[token]` in the kiosk's file, the PIN from `--token-pin`),
//! then `--sync-server` runs `account show` on `--server-database`.
//!
//! Prints the summary on stdout (ticket number and slip code included,
//! for the person running the demo); logs go to stderr with `RUST_LOG`.
//! With `--result FILE`, writes `key=value` lines for a test to read.
//! With `--pause STAGE`, prints `paused STAGE` on stdout at that stage and
//! waits for a line on stdin, so a test can stop or restart the server
//! there. Exits 0 only when no step failed.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::{Parser, ValueEnum};
use domain::clock::{Clock, SystemClock};
use domain::ticket::ServiceCategory;
use operator::Console;
use slint::ComponentHandle;
use tests::scenario::console::OperatorLogin;
use tests::scenario::job::{self, JobInput};
use tests::scenario::kiosk::ChipPlan;
use tests::scenario::signature::{self, SignatureInput};
use tests::scenario::{ConsoleDriver, KioskDriver, ScenarioError, Visitor};

/// Bound for the waits on the kiosk's sync service.
const SYNC_WAIT: Duration = Duration::from_secs(60);

/// Runs Okno's main job headless and prints what happened.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// What to run: the main job, a visitor mistyping the СНИЛС, or a
    /// visitor confirming their identity with a signature token.
    #[arg(long, value_enum, default_value_t = Leg::MainJob)]
    leg: Leg,
    /// The signature token's PIN, for the signature leg.
    #[arg(
        long,
        env = "OKNO_DEMO_TOKEN_PIN",
        hide_env_values = true,
        required_if_eq("leg", "signature")
    )]
    token_pin: Option<String>,
    /// The `sync-server` binary whose `account show` the signature leg
    /// runs.
    #[arg(long, required_if_eq("leg", "signature"))]
    sync_server: Option<PathBuf>,
    /// The server's database file, for `account show`.
    #[arg(long, required_if_eq("leg", "signature"))]
    server_database: Option<PathBuf>,
    /// The kiosk's configuration file (`kiosk.toml`), with the data
    /// directory its `provision` command filled.
    #[arg(long)]
    kiosk_config: PathBuf,
    /// The console's configuration file (`operator.toml`), provisioned
    /// with the same sync server.
    #[arg(long)]
    console_config: PathBuf,
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
    /// Stages of the main job at which to wait for a line on stdin; may be
    /// given more than once.
    #[arg(long, value_enum)]
    pause: Vec<Pause>,
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
    Signature,
}

#[derive(Clone, Copy, ValueEnum)]
enum Chip {
    Read,
    Skip,
}

/// A point in the main job where the run can wait for the caller.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Pause {
    /// The kiosk has ticket numbers for registrations; nothing is typed yet.
    Leases,
    /// The kiosk shows the ticket; its request may not have synced yet.
    Ticket,
    /// The kiosk's outbox is empty: the server acknowledged the request.
    Synced,
}

impl Pause {
    fn name(self) -> &'static str {
        match self {
            Pause::Leases => "leases",
            Pause::Ticket => "ticket",
            Pause::Synced => "synced",
        }
    }
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

/// Prints `paused STAGE` and blocks until stdin gives a line.
fn pause_at(stage: Pause) -> Result<(), ScenarioError> {
    println!("paused {}", stage.name());
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(read) if read > 0 => Ok(()),
        _ => Err(ScenarioError::Unexpected {
            step: "pause",
            expected: format!("a line on stdin to go on after {}", stage.name()),
            found: "stdin closed".to_owned(),
        }),
    }
}

/// Waits, without turning the event loop, until `done` returns true.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) -> Result<(), ScenarioError> {
    let deadline = Instant::now() + SYNC_WAIT;
    while !done() {
        if Instant::now() >= deadline {
            return Err(ScenarioError::Timeout {
                what: what.to_owned(),
                seconds: SYNC_WAIT.as_secs(),
            });
        }
        // The sync service works on its own thread; the condition, not
        // this pause, ends the wait.
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
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
    let Parts {
        station,
        console,
        slips,
        time_zone,
    } = parts(&args.kiosk_config, &args.console_config, clock)?;
    let kiosk_window = station.kiosk().window();
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
    let store = station.store().clone();

    let ok = match args.leg {
        Leg::MainJob => {
            if args.pause.contains(&Pause::Leases) {
                let today = time_zone.to_datetime(jiff::Timestamp::now()).date();
                wait_for("the kiosk holds registration numbers", || {
                    store
                        .remaining_numbers(ServiceCategory::Registration, today)
                        .is_ok_and(|left| left > 0)
                })?;
                pause_at(Pause::Leases)?;
            }
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
            let after_ticket = |_: &_| {
                if args.pause.contains(&Pause::Ticket) {
                    pause_at(Pause::Ticket)?;
                }
                if args.pause.contains(&Pause::Synced) {
                    wait_for("the server acknowledges the kiosk's request", || {
                        store
                            .outbox_counts()
                            .is_ok_and(|counts| counts.pending == 0 && counts.failed == 0)
                    })?;
                    pause_at(Pause::Synced)?;
                }
                Ok(())
            };
            let outcome = job::run_with_pause(
                &kiosk_driver,
                &console_driver,
                &input,
                || slips.codes().last().cloned(),
                after_ticket,
            );
            println!("Okno main job:");
            print!("{}", outcome.report);
            if let Some(ticket) = &outcome.ticket {
                results.push(("ticket".to_owned(), ticket.number.clone()));
                results.push(("chip".to_owned(), format!("{:?}", ticket.chip)));
            }
            if let Some(comparison) = &outcome.comparison {
                results.push(("compared".to_owned(), comparison.compared.len().to_string()));
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
            let counts = store.outbox_counts()?;
            let issued = counts.pending + counts.failed + counts.acked;
            results.push(("issued".to_owned(), issued.to_string()));
            !refusal.message.is_empty() && !refusal.next_enabled && issued == 0
        }
        Leg::Signature => signature_leg(&args, &kiosk_driver, &store, &mut results)?,
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

/// Runs the signature leg once the kiosk has copied the server's trust
/// directory, prints its summary and adds its results.
fn signature_leg(
    args: &Args,
    kiosk: &KioskDriver<'_>,
    store: &station::Store,
    results: &mut Vec<(String, String)>,
) -> anyhow::Result<bool> {
    let (Some(pin), Some(server), Some(database)) =
        (&args.token_pin, &args.sync_server, &args.server_database)
    else {
        anyhow::bail!("the signature leg needs --token-pin, --sync-server and --server-database");
    };
    // Without the copy the kiosk leaves the chain check to the server
    // alone; waiting for it makes the leg run the kiosk's check too.
    wait_for("the kiosk has copied the server's trust directory", || {
        store.trust_version().ok().flatten().is_some()
    })?;
    let input = SignatureInput {
        visitor: Visitor::demo(),
        pin: pin.clone(),
        screenshots: args.screenshots.clone(),
    };
    let outcome = signature::run(kiosk, &input, |snils| account_show(server, database, snils));
    println!("Okno signature step:");
    print!("{}", outcome.report);
    if let Some(confirmation) = &outcome.confirmation {
        results.push(("title".to_owned(), confirmation.title.clone()));
        results.push(("status".to_owned(), confirmation.status.clone()));
    }
    if let Some((level, method)) = &outcome.account {
        results.push(("account_level".to_owned(), level.clone()));
        results.push(("account_method".to_owned(), method.clone()));
    }
    Ok(outcome.report.no_failures())
}

/// Runs `sync-server account show --snils` and returns its stdout.
fn account_show(server: &Path, database: &Path, snils: &str) -> Result<String, ScenarioError> {
    let output = std::process::Command::new(server)
        .arg("--database")
        .arg(database)
        .args(["account", "show", "--snils", snils])
        .output()
        .map_err(|err| ScenarioError::Unexpected {
            step: "account show",
            expected: format!("{} to start", server.display()),
            found: err.to_string(),
        })?;
    if !output.status.success() {
        return Err(ScenarioError::Unexpected {
            step: "account show",
            expected: "the visitor's account".to_owned(),
            found: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The two stations and what the run reads back from them.
struct Parts {
    /// The kiosk with its real parts, kept alive so its sync service runs.
    station: kiosk::wiring::StationKiosk,
    console: Console,
    slips: Arc<slip_tee::TeePrinter>,
    /// The center's zone, which decides the day of the ticket numbers.
    time_zone: jiff::tz::TimeZone,
}

/// Builds both stations from their configuration files.
fn parts(
    kiosk_config: &Path,
    console_config: &Path,
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
    let slips = Arc::new(slip_tee::TeePrinter::new(parts.deps.printer.clone()));
    parts.deps.printer = slips.clone();
    let console = Console::init(parts.deps).context("the console window")?;
    Ok(Parts {
        station,
        console,
        slips,
        time_zone: kiosk_config.time_zone,
    })
}

/// A slip printer that keeps each printed code for the summary.
mod slip_tee {
    use std::sync::{Arc, Mutex, PoisonError};

    use operator::printer::{PrinterFault, Slip, SlipPrinter};

    /// Passes slips on to the console's printer and keeps the code of each
    /// code slip that printed, so the run can report it.
    pub struct TeePrinter {
        inner: Arc<dyn SlipPrinter>,
        codes: Mutex<Vec<String>>,
    }

    impl TeePrinter {
        pub fn new(inner: Arc<dyn SlipPrinter>) -> Self {
            TeePrinter {
                inner,
                codes: Mutex::new(Vec::new()),
            }
        }

        /// Returns the codes of the code slips printed so far.
        pub fn codes(&self) -> Vec<String> {
            self.codes
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone()
        }
    }

    impl SlipPrinter for TeePrinter {
        fn print(&self, slip: &Slip) -> Result<(), PrinterFault> {
            self.inner.print(slip)?;
            if let Slip::Confirmation(code) | Slip::RecoveryCode(code) = slip {
                self.codes
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(code.code.clone());
            }
            Ok(())
        }
    }
}
