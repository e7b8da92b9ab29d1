//! The `kiosk` binary: the visitor's touchscreen station, and the
//! technicians' commands for its devices.
//!
//! With no subcommand it would start the touchscreen flow, which is not
//! built yet. Technicians' commands are subcommands: `printer-test`
//! checks the printer and `card-test` the card reader.
//!
//! TODO: the touchscreen flow and provisioning arrive with their own work.

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
    /// Print the test page (or a sample ticket) and report the printer's status
    PrinterTest(printer_test::PrinterTestArgs),
    /// Check the card reader: list readers, wait for a card, show its ATR;
    /// with --mrz read a chip passport.
    CardTest(card_test::CardTestArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::PrinterTest(args)) => printer_test::run(&args),
        Some(Command::CardTest(args)) => card_test::run(&args),
        None => anyhow::bail!(
            "the kiosk user interface is not built yet; only the domain rules exist so far"
        ),
    }
}
