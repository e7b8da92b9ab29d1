//! The `operator` binary: the console at a service window.
//!
//! TODO: the queue, identity confirmation and slip printing arrive with
//! their own work; without a subcommand this entry point only reports that.

use clap::{Parser, Subcommand};

/// Okno operator console: call tickets and confirm identities at a service window.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Enroll this console with the sync server and store its credentials
    Provision(station::cli::ProvisionArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Provision(args)) => Ok(station::cli::run_provision("operator", &args)?),
        None => anyhow::bail!(
            "the operator console is not built yet; only the domain rules exist so far"
        ),
    }
}
