//! The `kiosk` binary: the visitor's touchscreen station.
//!
//! With no subcommand it would start the touchscreen flow, which is not
//! built yet. Technicians' commands are subcommands: `card-test` checks
//! the card reader.
//!
//! TODO: the touchscreen flow and provisioning arrive with their own work.

mod card_test;

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
    /// Check the card reader: list readers, wait for a card, show its ATR;
    /// with --mrz read a chip passport.
    CardTest(card_test::CardTestArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::CardTest(args)) => card_test::run(&args),
        None => anyhow::bail!(
            "the kiosk user interface is not built yet; only the domain rules exist so far"
        ),
    }
}
