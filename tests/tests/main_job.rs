//! The main job with real processes on loopback. A `sync-server` runs on a
//! fresh SQLite file with a center, a kiosk and a console enrolled through
//! the `provision` command with one-time tokens, and an operator added
//! through the admin command. Then `okno-demo` builds both stations from
//! their configuration files and drives their windows by element id. They
//! print to fake network printers, whose bytes are read back by
//! `tests::escpos_read` (not by the hardware crate's decoder).
//!
//! - The main leg reads the visitor's chip through pcscd, vpcd and the
//!   virtual chip (`PcscRig`; needs root), and checks the account level
//!   and the code on the server.
//! - The fault legs kill the server with SIGKILL after the kiosk's request
//!   synced, and keep it down while the kiosk issues a ticket; nothing is
//!   lost or stored twice.
//! - The wrong-СНИЛС leg checks the message and that no request is stored.
//! - The signature leg confirms the visitor's identity at the kiosk's token
//!   step with a SoftHSM2 token made by `okno-virtual-token`, whose
//!   certification center the server trusts through its `trust` commands.
//!
//! Every log line each leg wrote (server and both stations, at debug
//! level) is searched for the visitor's data, the operator's password and
//! the slips' codes.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use domain::snils::SnilsError;
use domain::{FieldRule, Lang};
use hardware::card::sim::rig::{PcscRig, VPCD_READER};
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use tests::escpos_read;
use tests::scenario::signature::{LEVEL_CONFIRMED, METHOD_SIGNATURE};
use tests::scenario::Visitor;
use tests::server_process::{try_admin, ServerProcess as Server};

const SERVER: &str = env!("CARGO_BIN_EXE_okno-test-sync-server");
const STATION: &str = env!("CARGO_BIN_EXE_okno-test-station");
const DEMO: &str = env!("CARGO_BIN_EXE_okno-demo");
/// Bound for every wait on a condition.
const DEADLINE: Duration = Duration::from_secs(60);
/// The operator's password for these tests; not a real credential.
const PASSWORD: &str = "Тест#Окно7q";

/// Runs an admin command that must succeed, with `input` on stdin, and
/// returns its stdout.
fn admin(database: &Path, args: &[&str], input: Option<&str>) -> String {
    let (ok, stdout, stderr) = try_admin(database, args, input);
    assert!(ok, "{args:?} failed: {stderr}");
    stdout
}

/// Builds the virtual chip once; it is a binary of the `hardware` package,
/// which `cargo test -p tests` does not build.
fn chip_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "hardware", "--bin", "okno-virtual-chip"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building okno-virtual-chip failed");
        PathBuf::from(SERVER).with_file_name("okno-virtual-chip")
    })
}

/// Builds the virtual signature token once; it is a binary of the
/// `hardware` package that needs its `test-rig` feature.
fn token_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "-p",
                "hardware",
                "--features",
                "test-rig",
                "--bin",
                "okno-virtual-token",
            ])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building okno-virtual-token failed");
        PathBuf::from(SERVER).with_file_name("okno-virtual-token")
    })
}

/// What one `okno-demo` run returned.
struct DemoRun {
    ok: bool,
    results: BTreeMap<String, String>,
    /// The stages it paused at, in order.
    paused: Vec<String>,
}

impl DemoRun {
    fn result(&self, key: &str) -> Option<&str> {
        self.results.get(key).map(String::as_str)
    }
}

/// A server with a center, an enrolled kiosk and console, and an operator.
struct Site {
    dir: tempfile::TempDir,
    database: PathBuf,
    center: String,
    server: RefCell<Option<Server>>,
    /// The server's address, kept across restarts: the stations were
    /// provisioned with it.
    address: SocketAddr,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("logs")).expect("log folder");
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
                "Europe/Moscow",
                "--latitude",
                "55.75",
                "--longitude",
                "37.62",
            ],
            None,
        );
        let server = Server::start_logged(
            &database,
            "127.0.0.1:0",
            &dir.path().join("logs").join("server.log"),
        );
        let site = Site {
            address: server.address,
            server: RefCell::new(Some(server)),
            dir,
            database,
            center,
        };
        for station in ["kiosk", "operator"] {
            site.provision(station);
        }
        admin(
            &site.database,
            &[
                "operator",
                "add",
                "--center",
                &site.center,
                "--login",
                "smirnov",
                "--role",
                "operator",
            ],
            Some(PASSWORD),
        );
        site
    }

    fn logs(&self) -> PathBuf {
        self.dir.path().join("logs")
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Kills the server with SIGKILL.
    fn kill_server(&self) {
        self.server
            .borrow_mut()
            .take()
            .expect("the server runs")
            .kill();
    }

    /// Starts the server again on the address the stations know.
    fn restart_server(&self) {
        let server = Server::start_logged(
            &self.database,
            &self.address.to_string(),
            &self.logs().join("server.log"),
        );
        assert_eq!(server.address, self.address);
        *self.server.borrow_mut() = Some(server);
    }

    /// Enrolls `station` with a fresh token through its `provision` command.
    fn provision(&self, station: &str) {
        let token = admin(
            &self.database,
            &["enroll-token", "--center", &self.center, "--role", station],
            None,
        );
        let output = Command::new(STATION)
            .args([station, "provision", "--server", &self.url()])
            .arg("--data-dir")
            .arg(self.dir.path().join(station))
            .env("OKNO_ENROLL_TOKEN", &token)
            .env("RUST_LOG", "debug")
            .output()
            .expect("run provision");
        let log = self.logs().join(format!("{station}-provision.log"));
        std::fs::write(&log, &output.stderr).expect("provision log");
        assert!(
            output.status.success(),
            "{station} provision failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains(&format!("role {station}")),
            "provision output: {stdout}"
        );
    }

    /// Runs `okno-demo` with `args` and the stations' configuration files.
    /// At each `paused STAGE` line it calls `on_pause` with the stage, then
    /// lets the run go on.
    fn demo(&self, name: &str, args: &[&str], on_pause: impl FnMut(&str)) -> DemoRun {
        self.demo_with_env(name, args, &[], on_pause)
    }

    /// Runs `okno-demo` as [`Site::demo`] does, with `env` added to its
    /// environment.
    fn demo_with_env(
        &self,
        name: &str,
        args: &[&str],
        env: &[(&str, &Path)],
        mut on_pause: impl FnMut(&str),
    ) -> DemoRun {
        let result = self.dir.path().join(format!("{name}-result.txt"));
        let log = std::fs::File::create(self.logs().join(format!("{name}.log")))
            .expect("station log file");
        let mut child = Command::new(DEMO)
            .args(args)
            .arg("--kiosk-config")
            .arg(self.dir.path().join("kiosk.toml"))
            .arg("--console-config")
            .arg(self.dir.path().join("operator.toml"))
            .args(["--operator-login", "smirnov", "--window", "3"])
            .arg("--result")
            .arg(&result)
            .env("OKNO_DEMO_PASSWORD", PASSWORD)
            .env("RUST_LOG", "debug")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("run okno-demo");
        let mut stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let mut summary = String::new();
        let mut paused = Vec::new();
        // okno-demo bounds each of its waits, so this loop ends when it
        // exits.
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("okno-demo stdout is UTF-8");
            if let Some(stage) = line.strip_prefix("paused ") {
                on_pause(stage);
                paused.push(stage.to_owned());
                writeln!(stdin, "go on").expect("okno-demo reads stdin");
            }
            summary.push_str(&line);
            summary.push('\n');
        }
        drop(stdin);
        let status = child.wait().expect("okno-demo ends");
        if !status.success() {
            eprintln!("okno-demo stdout:\n{summary}");
            let log = std::fs::read_to_string(self.logs().join(format!("{name}.log")))
                .unwrap_or_default();
            let warnings = log
                .lines()
                .filter(|line| line.contains(" WARN ") || line.contains(" ERROR "));
            for line in warnings.take(40) {
                eprintln!("{line}");
            }
        }
        let results = std::fs::read_to_string(&result)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect();
        DemoRun {
            ok: status.success(),
            results,
            paused,
        }
    }

    /// Writes the stations' configuration files, as an installer would,
    /// with the data directories `provision` filled. `reader` names the
    /// kiosk's contactless reader.
    fn write_configs(&self, kiosk_printer: &str, console_printer: &str, reader: Option<&str>) {
        let dir = self.dir.path();
        let mut text = format!(
            "data_dir = {:?}\ncenter_name = \"МФЦ Тест\"\ntime_zone = \"Europe/Moscow\"\n\n\
             [printer]\nuri = {kiosk_printer:?}\nprofile = \"generic-80\"\n",
            dir.join("kiosk").display().to_string(),
        );
        if let Some(reader) = reader {
            text.push_str(&format!("\n[reader]\ncontactless = {reader:?}\n"));
        }
        std::fs::write(dir.join("kiosk.toml"), text).expect("kiosk.toml");
        let text = format!(
            "window = 3\nservices = [\"identity_confirmation\", \"registration\", \
             \"restore_access\", \"other_services\"]\nidle_lock_minutes = 30\n\
             data_dir = {:?}\ncenter_name = \"МФЦ Тест\"\ntime_zone = \"Europe/Moscow\"\n\n\
             [printer]\nuri = {console_printer:?}\nprofile = \"generic-80\"\n",
            dir.join("operator").display().to_string(),
        );
        std::fs::write(dir.join("operator.toml"), text).expect("operator.toml");
    }

    /// Runs a counting query on the server's database file.
    fn server_count(&self, sql: &str) -> i64 {
        let db = rusqlite::Connection::open(&self.database).expect("open the server database");
        db.query_row(sql, [], |row| row.get(0))
            .unwrap_or_else(|err| panic!("{sql}: {err}"))
    }

    /// Returns the ticket numbers the server holds, in number order.
    fn server_ticket_numbers(&self) -> Vec<String> {
        let db = rusqlite::Connection::open(&self.database).expect("open the server database");
        let mut statement = db
            .prepare("SELECT number FROM tickets ORDER BY number")
            .expect("query tickets");
        statement
            .query_map([], |row| row.get(0))
            .expect("read tickets")
            .collect::<Result<_, _>>()
            .expect("ticket numbers")
    }

    /// Returns the account level line of `account show` for the visitor.
    fn account_level(&self) -> String {
        let shown = admin(
            &self.database,
            &["account", "show", "--snils", Visitor::demo().snils],
            None,
        );
        shown.lines().next().unwrap_or_default().to_owned()
    }

    /// Returns every line of every log this site wrote, with the log's name.
    fn log_lines(&self) -> Vec<(String, String)> {
        let mut lines = Vec::new();
        for entry in std::fs::read_dir(self.logs()).expect("log folder") {
            let path = entry.expect("log entry").path();
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).expect("a log is UTF-8");
            lines.extend(text.lines().map(|line| (name.clone(), line.to_owned())));
        }
        lines
    }
}

/// Fails naming the log and the kind of value when a line carries one of
/// `secrets`; the value itself is not repeated.
fn assert_no_secrets(lines: &[(String, String)], secrets: &[String]) {
    assert!(
        lines.len() > 10,
        "the run wrote hardly any log: {} lines",
        lines.len()
    );
    for (log, line) in lines {
        for (index, secret) in secrets.iter().enumerate() {
            assert!(
                !line.contains(secret.as_str()),
                "{log} carries secret #{index} in a line of {} characters",
                line.chars().count()
            );
        }
    }
}

fn wait_for_bytes(printer: &FakeNetworkPrinter, what: &str) -> Vec<u8> {
    printer
        .wait_idle(DEADLINE)
        .unwrap_or_else(|| panic!("the {what} printer got no job in time"))
}

/// Checks that a confirmed run printed `code` on a slip that `printer`
/// received, and returns the code.
fn assert_slip(printer: &FakeNetworkPrinter, run: &DemoRun) -> String {
    let code = run.result("code").expect("a code slip printed").to_owned();
    let slip = escpos_read::read(&wait_for_bytes(printer, "console")).expect("slip bytes");
    assert!(
        slip.lines
            .iter()
            .any(|line| line.trim() == "Код подтверждения личности"),
        "{:?}",
        slip.lines
    );
    assert!(
        slip.lines.iter().any(|line| line.trim() == code),
        "{:?}",
        slip.lines
    );
    code
}

#[test]
fn main_job_confirms_account_with_chip() {
    let visitor = Visitor::demo();
    let mut rig = PcscRig::start().expect("the PC/SC rig starts");
    rig.insert_chip(chip_binary(), &visitor.virtual_chip_args())
        .expect("the virtual chip starts");
    let site = Site::new();
    let kiosk_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("kiosk printer");
    let console_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("console printer");
    site.write_configs(
        &kiosk_printer.uri(),
        &console_printer.uri(),
        Some(VPCD_READER),
    );

    let run = site.demo("main-job", &["--chip", "read"], |_| {});
    assert!(run.ok, "the main job failed: {:?}", run.results.keys());
    assert_eq!(run.result("ticket"), Some("Р-001"));
    assert_eq!(run.result("chip"), Some("Read"));
    // Surname, given names, birth date, and the travel passport's number
    // and expiry typed at the chip step, on both sides.
    assert_eq!(run.result("compared"), Some("5"));
    assert_eq!(run.result("confirmed"), Some("true"));

    // The ticket: its number and the QR payload, read from the bytes.
    let ticket = escpos_read::read(&wait_for_bytes(&kiosk_printer, "kiosk")).expect("ticket bytes");
    assert!(
        ticket
            .lines
            .iter()
            .any(|line| line.trim() == "Ваш номер в очереди"),
        "{:?}",
        ticket.lines
    );
    assert!(
        ticket.lines.iter().any(|line| line.trim() == "Р-001"),
        "{:?}",
        ticket.lines
    );
    assert_eq!(ticket.qr_payloads.len(), 1);
    // The kiosk's signed form: prefix, ticket id, center, time, tag.
    let qr: Vec<&str> = ticket.qr_payloads[0].split('.').collect();
    assert_eq!(qr.len(), 5, "{qr:?}");
    assert_eq!(qr[0], domain::ticket_qr::PREFIX);
    assert_eq!(ticket.cuts, 1);

    // The slip: the code the console reported is the one on the paper.
    let code = assert_slip(&console_printer, &run);

    // The confirmation raised the visitor's account on the server.
    assert_eq!(site.account_level(), "уровень: подтверждённая");
    let chip_requests = site.server_count("SELECT COUNT(*) FROM requests WHERE chip IS NOT NULL");
    assert_eq!(chip_requests, 1, "the request carries the chip read");

    // The server issued that code for this visitor: it redeems once.
    let request = admin(
        &site.database,
        &["code", "redeem", "--snils", visitor.snils],
        Some(&code),
    );
    assert_eq!(request.len(), 36, "a request id: {request}");
    let (again, _, stderr) = try_admin(
        &site.database,
        &["code", "redeem", "--snils", visitor.snils],
        Some(&code),
    );
    assert!(!again, "a code redeems only once");
    assert!(stderr.contains("уже использован"), "{stderr}");

    // Both stations stay enrolled and the audit chain is intact.
    let devices = admin(&site.database, &["device", "list"], None);
    assert_eq!(devices.lines().count(), 2, "{devices}");
    let audit = admin(&site.database, &["audit", "verify"], None);
    assert!(audit.starts_with("audit log intact: "), "{audit}");

    let mut secrets = visitor.secrets();
    secrets.push(code);
    secrets.push(PASSWORD.to_owned());
    assert_no_secrets(&site.log_lines(), &secrets);
}

#[test]
fn server_faults_lose_nothing() {
    let site = Site::new();
    let kiosk_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("kiosk printer");
    let console_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("console printer");
    site.write_configs(&kiosk_printer.uri(), &console_printer.uri(), None);

    // The server dies by SIGKILL after it acknowledged the kiosk's request
    // and before the operator calls the ticket, then comes back.
    let crash = site.demo(
        "server-kill",
        &["--chip", "skip", "--pause", "synced"],
        |_| {
            site.kill_server();
            site.restart_server();
        },
    );
    assert_eq!(crash.paused, ["synced"]);
    assert!(
        crash.ok,
        "the job across a crash failed: {:?}",
        crash.results.keys()
    );
    assert_eq!(crash.result("ticket"), Some("Р-001"));
    assert_eq!(crash.result("confirmed"), Some("true"));
    let first_code = assert_slip(&console_printer, &crash);
    assert_eq!(site.server_count("SELECT COUNT(*) FROM tickets"), 1);
    assert_eq!(site.server_count("SELECT COUNT(*) FROM requests"), 1);
    let submitted = "SELECT COUNT(*) FROM events WHERE kind = 'request_submitted'";
    assert_eq!(site.server_count(submitted), 1);

    // The kiosk issues the next ticket while the server is down; the
    // server comes back before the operator logs in.
    let offline = site.demo(
        "kiosk-offline",
        &["--chip", "skip", "--pause", "leases", "--pause", "ticket"],
        |stage| match stage {
            "leases" => site.kill_server(),
            _ => site.restart_server(),
        },
    );
    assert_eq!(offline.paused, ["leases", "ticket"]);
    assert!(
        offline.ok,
        "the offline job failed: {:?}",
        offline.results.keys()
    );
    assert_eq!(offline.result("ticket"), Some("Р-002"));
    assert_eq!(offline.result("confirmed"), Some("true"));
    let second_code = assert_slip(&console_printer, &offline);
    assert_ne!(first_code, second_code);

    // Each ticket and request once, under distinct numbers.
    assert_eq!(site.server_ticket_numbers(), ["Р-001", "Р-002"]);
    assert_eq!(site.server_count("SELECT COUNT(*) FROM requests"), 2);
    assert_eq!(site.server_count(submitted), 2);
    let confirmed =
        "SELECT COUNT(*) FROM requests WHERE json_extract(state, '$.state') = 'confirmed'";
    assert_eq!(site.server_count(confirmed), 2);
    assert_eq!(site.account_level(), "уровень: подтверждённая");
    let devices = admin(&site.database, &["device", "list"], None);
    assert_eq!(devices.lines().count(), 2, "{devices}");
    let audit = admin(&site.database, &["audit", "verify"], None);
    assert!(audit.starts_with("audit log intact: "), "{audit}");

    let mut secrets = Visitor::demo().secrets();
    secrets.push(first_code);
    secrets.push(second_code);
    secrets.push(PASSWORD.to_owned());
    assert_no_secrets(&site.log_lines(), &secrets);
}

#[test]
fn wrong_snils_stores_nothing() {
    let site = Site::new();
    let kiosk_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("kiosk printer");
    let console_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("console printer");
    site.write_configs(&kiosk_printer.uri(), &console_printer.uri(), None);

    let run = site.demo("wrong-snils", &["--leg", "wrong-snils"], |_| {});
    assert!(run.ok, "the wrong-СНИЛС leg failed: {:?}", run.results);
    assert_eq!(
        run.result("message"),
        Some(SnilsError::Checksum.message(Lang::Ru).as_str())
    );
    assert_eq!(run.result("next_enabled"), Some("false"));
    assert_eq!(run.result("issued"), Some("0"));
    assert!(kiosk_printer.recorded().is_empty(), "no ticket is printed");

    // Nothing in the kiosk's SQLite file, nothing on the server.
    let kiosk_store = site
        .dir
        .path()
        .join("kiosk")
        .join(station::sync::STORE_FILE);
    let kiosk_db = rusqlite::Connection::open(&kiosk_store).expect("open the kiosk's store");
    for table in ["requests", "tickets", "outbox"] {
        let rows: i64 = kiosk_db
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .expect("count rows");
        assert_eq!(rows, 0, "kiosk table {table}");
    }
    assert_eq!(site.server_count("SELECT COUNT(*) FROM requests"), 0);
    assert_eq!(site.server_count("SELECT COUNT(*) FROM tickets"), 0);
    assert_eq!(site.server_count("SELECT COUNT(*) FROM accounts"), 0);
    assert_no_secrets(&site.log_lines(), &Visitor::with_wrong_snils().secrets());
}

#[test]
fn signature_leg_confirms_account() {
    let visitor = Visitor::demo();
    let site = Site::new();
    let kiosk_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("kiosk printer");
    let console_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("console printer");
    site.write_configs(&kiosk_printer.uri(), &console_printer.uri(), None);

    // The token and its certification center, as `cargo xtask demo` sets
    // them up.
    let output = Command::new(token_binary())
        .arg("--dir")
        .arg(site.dir.path().join("token"))
        .args(visitor.token_args())
        .output()
        .expect("run okno-virtual-token");
    assert!(
        output.status.success(),
        "okno-virtual-token failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).expect("UTF-8 output");
    let values = |key: &str| -> Vec<String> {
        printed
            .lines()
            .filter_map(|line| line.split_once('='))
            .filter(|(name, _)| *name == key)
            .map(|(_, value)| value.to_owned())
            .collect()
    };
    let [pin] = values("pin").try_into().expect("one pin= line");
    let [module] = values("module").try_into().expect("one module= line");
    let [config] = values("softhsm2_conf")
        .try_into()
        .expect("one softhsm2_conf= line");
    let [anchor] = values("anchor").try_into().expect("one anchor= line");
    let [intermediate] = values("intermediate")
        .try_into()
        .expect("one intermediate= line");
    let crls = values("crl");
    assert_eq!(crls.len(), 2, "{printed}");
    admin(&site.database, &["trust", "add", "--anchor", &anchor], None);
    admin(&site.database, &["trust", "add", &intermediate], None);
    for crl in &crls {
        admin(&site.database, &["trust", "add-crl", crl], None);
    }
    let kiosk_toml = site.dir.path().join("kiosk.toml");
    let mut text = std::fs::read_to_string(&kiosk_toml).expect("kiosk.toml");
    text.push_str(&format!("\n[token]\nmodule = {module:?}\n"));
    std::fs::write(&kiosk_toml, text).expect("kiosk.toml with [token]");

    let server = SERVER.to_owned();
    let database = site.database.to_str().expect("a UTF-8 path").to_owned();
    let run = site.demo_with_env(
        "signature",
        &[
            "--leg",
            "signature",
            "--token-pin",
            &pin,
            "--sync-server",
            &server,
            "--server-database",
            &database,
        ],
        &[("SOFTHSM2_CONF", Path::new(&config))],
        |_| {},
    );
    assert!(run.ok, "the signature leg failed: {:?}", run.results);
    assert_eq!(run.result("title"), Some("Личность подтверждена"));
    assert_eq!(
        run.result("status"),
        Some("Уровень вашей учётной записи теперь «Подтверждённая».")
    );
    assert_eq!(run.result("account_level"), Some(LEVEL_CONFIRMED));
    assert_eq!(run.result("account_method"), Some(METHOD_SIGNATURE));

    // The account as the server's own command shows it.
    let shown = admin(
        &site.database,
        &["account", "show", "--snils", visitor.snils],
        None,
    );
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.first(), Some(&LEVEL_CONFIRMED), "{shown}");
    assert!(lines.contains(&METHOD_SIGNATURE), "{shown}");
    assert!(lines.contains(&"ФИО и ИНН: из сертификата"), "{shown}");

    // No ticket and no request: the signature alone confirmed the account.
    assert!(kiosk_printer.recorded().is_empty(), "no ticket is printed");
    assert_eq!(site.server_count("SELECT COUNT(*) FROM requests"), 0);
    assert_eq!(site.server_count("SELECT COUNT(*) FROM tickets"), 0);
    let audit = admin(&site.database, &["audit", "verify"], None);
    assert!(audit.starts_with("audit log intact: "), "{audit}");

    let mut secrets = visitor.secrets();
    secrets.push(PASSWORD.to_owned());
    assert_no_secrets(&site.log_lines(), &secrets);
}
