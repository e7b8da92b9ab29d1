//! The `provision` subcommand both station binaries offer, as clap
//! arguments and a function that runs it and prints the outcome.

use std::path::PathBuf;

use crate::provision::{provision, ProvisionError};

/// Arguments of `kiosk provision` and `operator provision`.
#[derive(Debug, Clone, clap::Args)]
pub struct ProvisionArgs {
    /// Base URL of the sync server, such as https://sync.example:8470
    #[arg(long)]
    pub server: String,
    /// The one-time enrollment token printed by `sync-server enroll-token`
    #[arg(long, env = "OKNO_ENROLL_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Name of this station in the server's device list
    #[arg(long)]
    pub label: Option<String>,
    /// Directory for the credentials file and the local database
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

/// Runs `provision` for a station whose default data directory is
/// `/var/lib/okno/<station>` and default label is `<station>`; prints the
/// device id and where the credentials went. Neither the token nor the
/// secret is printed.
pub fn run_provision(station: &str, args: &ProvisionArgs) -> Result<(), ProvisionError> {
    let dir = args
        .data_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("/var/lib/okno").join(station));
    let label = args.label.clone().unwrap_or_else(|| station.to_owned());
    let credentials = provision(&args.server, &args.token, &label, &dir)?;
    println!(
        "Станция зарегистрирована (station enrolled): device {} center {} role {}; credentials in {}",
        credentials.device_id,
        credentials.center_id,
        credentials.role.as_str(),
        crate::Credentials::path_in(&dir).display()
    );
    Ok(())
}
