//! The sync server's own command line, built inside the `tests` package so
//! end-to-end tests find it through `CARGO_BIN_EXE_okno-test-sync-server`
//! (Cargo gives tests the path of their own package's binaries only). It
//! runs exactly the `sync-server` binary's code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    sync_server::cli::run(sync_server::cli::Cli::parse())
}
