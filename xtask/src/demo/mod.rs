//! `cargo xtask demo`: the main job on this machine, everything under
//! `./var` of the checkout.
//!
//! 1. builds the binaries (sync server, kiosk, console, virtual chip, the
//!    headless driver `okno-demo`);
//! 2. starts over in `./var`: the previous run's files are removed, so a
//!    rerun always begins with an empty server database;
//! 3. starts `sync-server serve` on a free loopback port, adds a center,
//!    enrolls a kiosk and a console with one-time tokens through their own
//!    `provision` commands, and adds an operator whose password is made up
//!    now and printed;
//! 4. as root, starts pcscd with a virtual chip passport in a network
//!    namespace; otherwise says what is missing and goes on without it;
//! 5. sets up a SoftHSM2 signature token for the demo visitor and adds its
//!    certification center to the server's trust directory ([`token`]);
//! 6. with a display, opens the kiosk and console windows and waits for
//!    Ctrl-C; headless (`--headless`, or no `DISPLAY`), runs the scripted
//!    main job, then the signature leg, writes screenshots and receipts
//!    and prints a summary.
//!
//! Ctrl-C (or SIGTERM) stops every child: SIGTERM to its process group,
//! then SIGKILL after a bounded wait.

mod children;
mod chip;
mod site;
mod token;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use children::Children;
use site::Site;
use token::DemoToken;

/// Options of `cargo xtask demo`.
struct Options {
    headless: bool,
}

fn options(extra: &[String]) -> Result<Options> {
    let mut headless = std::env::var_os("DISPLAY").is_none_or(|display| display.is_empty());
    for arg in extra {
        match arg.as_str() {
            "--headless" => headless = true,
            other => bail!("unknown option {other:?}; `cargo xtask demo [--headless]`"),
        }
    }
    Ok(Options { headless })
}

/// Runs the demo; `root` is the checkout.
pub fn run(root: &Path, extra: &[String]) -> Result<()> {
    let options = options(extra)?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("cannot install the Ctrl-C handler")?;

    build(root)?;
    let target = target_dir(root);
    let site = Site::create(root.join("var"), &target)?;
    let mut children = Children::default();

    let server = site.start_server(&mut children)?;
    println!(
        "Sync server: {server} (log {})",
        site.logs.join("server.log").display()
    );
    let center = site.add_center()?;
    let pin = site::demo_pin()?;
    site.provision("kiosk", &server, &center, &pin)?;
    site.provision("operator", &server, &center, &pin)?;
    println!("Kiosk: technician PIN «{pin}» (made up for this run only)");
    let password = site::demo_password()?;
    site.add_operator(&center, site::OPERATOR_LOGIN, &password)?;
    println!(
        "Operator: login «{}», password «{password}» (made up for this run only), window {}",
        site::OPERATOR_LOGIN,
        site::WINDOW
    );
    let rig = match chip::missing() {
        Some(reason) => {
            println!("Chip passport: NOT available, the demo runs without it: {reason}");
            None
        }
        None => {
            let rig = chip::start(&chip::binary(&target), &site.logs)?;
            println!("Chip passport: virtual chip on the reader «Virtual PCD 00 00»");
            Some(rig)
        }
    };

    let token = token::set_up(&site)?;
    println!(
        "Signature token: SoftHSM2 token «okno-demo» with the demo visitor's certificate, \
         PIN «{}» (a demo token); module {}, SOFTHSM2_CONF={}",
        token.pin,
        token.module.display(),
        token.softhsm2_conf.display()
    );

    site.write_configs(rig.is_some(), Some(&token.module))?;

    let result = if options.headless {
        headless(&site, &password, rig.is_some(), &token, &stop)
    } else {
        windows(&site, &token, &mut children, &stop)
    };
    drop(rig);
    children.stop_all();
    println!("Files: {}", site.var.display());
    println!("  receipts     {}", site.var.join("receipts").display());
    println!("  screenshots  {}", site.var.join("screenshots").display());
    println!("  logs         {}", site.logs.display());
    println!("  server data  {}", site.database.display());
    println!("  token        {}", site.var.join("token").display());
    result
}

fn build(root: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("xtask: building the demo's binaries");
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--locked",
            "-p",
            "sync-server",
            "-p",
            "kiosk",
            "-p",
            "operator",
            "-p",
            "hardware",
            "-p",
            "tests",
            "--bins",
        ])
        .status()
        .with_context(|| format!("failed to start `{cargo}`"))?;
    if !status.success() {
        bail!("building the demo's binaries failed ({status})");
    }
    token::build(root)
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("debug")
}

/// Runs `okno-demo` for the main job, then for the signature leg, and
/// fails when either failed.
fn headless(
    site: &Site,
    password: &str,
    chip: bool,
    token: &DemoToken,
    stop: &AtomicBool,
) -> Result<()> {
    let mut main_job = okno_demo(site, password, token);
    main_job
        .args(["--chip", if chip { "read" } else { "skip" }])
        .arg("--result")
        .arg(site.var.join("demo-result.txt"));
    let main_ok = run_leg(site, "demo", main_job, stop)?;

    let mut signature = okno_demo(site, password, token);
    signature
        .args(["--leg", "signature"])
        .arg("--sync-server")
        .arg(site.target.join("sync-server"))
        .arg("--server-database")
        .arg(&site.database)
        .arg("--result")
        .arg(site.var.join("signature-result.txt"))
        .env("OKNO_DEMO_TOKEN_PIN", &token.pin);
    let signature_ok = run_leg(site, "signature", signature, stop)?;

    match (main_ok, signature_ok) {
        (true, true) => Ok(()),
        (false, _) => bail!(
            "the main job did not finish; see {}",
            site.logs.join("demo.log").display()
        ),
        (true, false) => bail!(
            "the signature step did not finish; see {}",
            site.logs.join("signature.log").display()
        ),
    }
}

/// Returns an `okno-demo` command with the options both legs share.
fn okno_demo(site: &Site, password: &str, token: &DemoToken) -> Command {
    let mut command = Command::new(site.target.join("okno-demo"));
    command
        .arg("--kiosk-config")
        .arg(site.config.join("kiosk.toml"))
        .arg("--console-config")
        .arg(site.config.join("operator.toml"))
        .args(["--operator-login", site::OPERATOR_LOGIN])
        .args(["--window", &site::WINDOW.to_string()])
        .arg("--screenshots")
        .arg(site.var.join("screenshots"))
        .env("OKNO_DEMO_PASSWORD", password)
        .env("SOFTHSM2_CONF", &token.softhsm2_conf)
        .env("RUST_LOG", "debug");
    command
}

/// Runs one `okno-demo` leg with its summary in `var/NAME-summary.txt` and
/// its log in `var/logs/NAME.log`, prints the summary and returns whether
/// the leg succeeded.
fn run_leg(site: &Site, name: &str, command: Command, stop: &AtomicBool) -> Result<bool> {
    let mut children = Children::default();
    let summary = site.var.join(format!("{name}-summary.txt"));
    let log = site.logs.join(format!("{name}.log"));
    children.spawn_split("okno-demo", command, &summary, &log)?;
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if stop.load(Ordering::SeqCst) {
            children.stop_all();
            bail!("stopped by Ctrl-C");
        }
        if let Some((_, status)) = children.exited() {
            print!("{}", std::fs::read_to_string(&summary).unwrap_or_default());
            if !status.success() {
                println!(
                    "okno-demo {name} ended with {status}; see {}",
                    log.display()
                );
            }
            return Ok(status.success());
        }
        if Instant::now() > deadline {
            bail!("okno-demo {name} took longer than 5 minutes; stopped");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Opens the kiosk and console windows and waits for Ctrl-C or a window
/// closing.
fn windows(
    site: &Site,
    token: &DemoToken,
    children: &mut Children,
    stop: &AtomicBool,
) -> Result<()> {
    let mut kiosk = Command::new(site.target.join("kiosk"));
    kiosk
        .args(["run", "--config"])
        .arg(site.config.join("kiosk.toml"))
        .env("SOFTHSM2_CONF", &token.softhsm2_conf)
        .env("RUST_LOG", "debug");
    children.spawn("kiosk", kiosk, &site.logs.join("kiosk.log"))?;

    let mut console = Command::new(site.target.join("operator"));
    console
        .args(["run", "--config"])
        .arg(site.config.join("operator.toml"))
        .env("RUST_LOG", "debug");
    children.spawn("operator", console, &site.logs.join("operator.log"))?;
    println!("Kiosk and console windows are open; press Ctrl-C to stop.");

    loop {
        if stop.load(Ordering::SeqCst) {
            println!("Stopping…");
            return Ok(());
        }
        if let Some((name, status)) = children.exited() {
            if name == "operator" && !status.success() {
                println!(
                    "Console: `operator run` refused this configuration (see {}); \
                     opening it on sample tickets instead (login demo / demo)",
                    site.logs.join("operator.log").display()
                );
                children.stop("operator");
                let mut console = Command::new(site.target.join("operator"));
                console
                    .args(["run", "--demo", "--config"])
                    .arg(site.config.join("operator.toml"));
                children.spawn("operator", console, &site.logs.join("operator.log"))?;
                continue;
            }
            println!("{name} ended ({status}); stopping the rest");
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
