//! The `kiosk` binary: the visitor's touchscreen station, and the
//! technicians' commands for its devices.
//!
//! With no subcommand it would start the touchscreen flow, which is not
//! built yet. `provision` enrolls the kiosk with the sync server, and the
//! technicians' commands `printer-test` and `card-test` check the printer
//! and the card reader.
//!
//! TODO: the touchscreen flow arrives with its own work; running without a
//! subcommand only reports that.

mod card_test;
mod printer_test;

use clap::{Parser, Subcommand};

/// Okno kiosk: the visitor's touchscreen station at a service center.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
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
        Some(Command::Provision(args)) => Ok(station::cli::run_provision("kiosk", &args)?),
        Some(Command::PrinterTest(args)) => printer_test::run(&args),
        Some(Command::CardTest(args)) => card_test::run(&args),
        None => anyhow::bail!(
            "the kiosk user interface is not built yet; only the domain rules exist so far"
        ),
    }
}
