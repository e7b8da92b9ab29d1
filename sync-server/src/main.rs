//! The `sync-server` binary: the central record that kiosks and operator
//! consoles sync with.
//!
//! TODO: the HTTP API, storage and administration commands arrive with
//! their own work; this entry point only reports that.

use clap::Parser;

/// Okno sync server: the central record of centers, devices, requests and tickets.
#[derive(Parser)]
#[command(version, about)]
struct Cli {}

fn main() -> anyhow::Result<()> {
    let _cli = Cli::parse();
    anyhow::bail!("the sync server is not built yet; only the domain rules exist so far")
}
