//! The `kiosk` binary: the visitor's touchscreen station, and the
//! technicians' commands for its devices.
//!
//! `run` opens the touchscreen flow. `provision` enrolls the kiosk with the
//! sync server, and the technicians' commands `printer-test` and
//! `card-test` check the printer and the card reader. Each subcommand is
//! one variant of [`Command`] and one arm in `main`.

mod card_test;
mod printer_test;

use clap::{Parser, Subcommand};

/// Okno kiosk: the visitor's touchscreen station at a service center.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Open the visitor's screens in a window (or full-screen with the
    /// `linuxkms` build).
    Run(kiosk::app::RunArgs),
    /// Enroll this kiosk with the sync server and store its credentials
    Provision(station::cli::ProvisionArgs),
    /// Print the test page (or a sample ticket) and report the printer's status
    PrinterTest(printer_test::PrinterTestArgs),
    /// Check the card reader: list readers, wait for a card, show its ATR;
    /// with --mrz read a chip passport.
    CardTest(card_test::CardTestArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => {
            tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .init();
            kiosk::app::run(args)
        }
        Command::Provision(args) => Ok(station::cli::run_provision("kiosk", &args)?),
        Command::PrinterTest(args) => printer_test::run(&args),
        Command::CardTest(args) => card_test::run(&args),
    }
}
