//! The stations' `provision` subcommand, built inside the `tests` package so
//! end-to-end tests find it through `CARGO_BIN_EXE_okno-test-station`
//! (Cargo gives tests the paths of their own package's binaries only).
//! `okno-test-station kiosk provision ...` runs exactly what
//! `kiosk provision ...` runs, and likewise for `operator`.

use clap::{Parser, Subcommand};

#[derive(Parser)]
struct Cli {
    /// Which station to enroll as: `kiosk` or `operator`.
    station: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Enroll with the sync server and store the credentials
    Provision(station::cli::ProvisionArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let Command::Provision(args) = cli.command;
    anyhow::ensure!(
        cli.station == "kiosk" || cli.station == "operator",
        "the station is `kiosk` or `operator`, not {:?}",
        cli.station
    );
    Ok(station::cli::run_provision(&cli.station, &args)?)
}
