//! The `kiosk` binary: the visitor's touchscreen station, and the
//! technicians' commands for its devices.
//!
//! TODO: the touchscreen flow arrives with its own work; running without a
//! subcommand only reports that.

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
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Provision(args)) => Ok(station::cli::run_provision("kiosk", &args)?),
        Some(Command::PrinterTest(args)) => printer_test::run(&args),
        None => anyhow::bail!(
            "the kiosk user interface is not built yet; only the domain rules exist so far"
        ),
    }
}
