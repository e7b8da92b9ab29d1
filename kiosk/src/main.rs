//! The `kiosk` binary: the visitor's touchscreen station.
//!
//! Each subcommand is one variant of [`Command`] and one arm in `main`.

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
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => kiosk::app::run(args),
    }
}
