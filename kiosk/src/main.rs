//! The `kiosk` binary: the visitor's touchscreen station.
//!
//! TODO: the touchscreen flow, provisioning and the technicians' commands
//! arrive with their own work; this entry point only reports that.

use clap::Parser;

/// Okno kiosk: the visitor's touchscreen station at a service center.
#[derive(Parser)]
#[command(version, about)]
struct Cli {}

fn main() -> anyhow::Result<()> {
    let _cli = Cli::parse();
    anyhow::bail!("the kiosk user interface is not built yet; only the domain rules exist so far")
}
