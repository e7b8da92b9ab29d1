//! The `sync-server` binary: `serve` runs the HTTP API, the other
//! subcommands administer the database directly. See the crate README.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = sync_server::cli::Cli::parse();
    sync_server::cli::run(cli)
}
