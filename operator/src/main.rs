//! The `operator` binary: the console at a service window.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Okno operator console: call tickets and confirm identities at a service window.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Open the console window.
    Run {
        /// Configuration file naming the window, its services and the printer.
        #[arg(long, default_value = operator::config::DEFAULT_PATH)]
        config: PathBuf,
        /// Run against sample tickets in memory instead of the sync server.
        #[arg(long)]
        demo: bool,
    },
    /// Enroll this console with the sync server and store its credentials
    Provision(station::cli::ProvisionArgs),
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    match Cli::parse().command {
        Command::Run { config, demo } => operator::setup::run(&config, demo),
        Command::Provision(args) => Ok(station::cli::run_provision("operator", &args)?),
    }
}
