//! Developer commands for Okno, run as `cargo xtask COMMAND` from anywhere in
//! the checkout (the alias lives in `.cargo/config.toml`).
//!
//! - `cargo xtask test` installs what the tests need and runs every check:
//!   formatting, clippy with warnings denied, and all tests of the workspace.
//! - `cargo xtask demo [--headless]` installs what the demo needs and runs
//!   the main job under `./var` (see [`demo`]).
//!
//! Installing happens only as root (`apt-get`); anyone else gets the exact
//! `apt-get install` line to run and a non-zero exit.

mod demo;
mod packages;

use std::process::{Command, ExitCode};

use anyhow::{bail, Context, Result};

const USAGE: &str = "usage: cargo xtask <test|demo|setup>
  test    install what the tests need, then run fmt, clippy and every test
  demo    install what the demo needs, then run the main job on ./var
          (--headless: scripted run with screenshots, also when DISPLAY is unset)
  setup   only install the Debian packages the tests and the demo need";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => packages::ensure().and_then(|()| test(&args[1..])),
        Some("demo") => packages::ensure().and_then(|()| demo(&args[1..])),
        Some("setup") => packages::ensure(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs formatting, lint and test checks in order, stopping at the first failure.
fn test(extra: &[String]) -> Result<()> {
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ])?;
    let mut args = vec!["test", "--workspace", "--locked"];
    args.extend(extra.iter().map(String::as_str));
    cargo(&args)
}

fn demo(extra: &[String]) -> Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("xtask lives one folder below the checkout's root")?;
    demo::run(root, extra)
}

fn cargo(args: &[&str]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("xtask: running cargo {}", args.join(" "));
    let status = Command::new(&cargo)
        .args(args)
        .status()
        .with_context(|| format!("failed to start `{cargo}`"))?;
    if !status.success() {
        bail!("`cargo {}` failed ({status})", args.join(" "));
    }
    Ok(())
}
