//! The `kiosk` binary: the visitor's touchscreen station.
//!
//! TODO: the touchscreen flow and the technicians' commands arrive with
//! their own work; without a subcommand this entry point only reports that.

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
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Provision(args)) => Ok(station::cli::run_provision("kiosk", &args)?),
        None => anyhow::bail!(
            "the kiosk user interface is not built yet; only the domain rules exist so far"
        ),
    }
}
