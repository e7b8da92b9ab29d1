//! The `operator` binary: the console at a service window.
//!
//! TODO: the queue, identity confirmation and slip printing
//! arrive with their own work; this entry point only reports that.

use clap::Parser;

/// Okno operator console: call tickets and confirm identities at a service window.
#[derive(Parser)]
#[command(version, about)]
struct Cli {}

fn main() -> anyhow::Result<()> {
    let _cli = Cli::parse();
    anyhow::bail!("the operator console is not built yet; only the domain rules exist so far")
}
