//! The `sync-server` command line: `serve` and the administration
//! commands, which open the database file directly.

mod admin;
mod password;
mod trust;

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use uuid::Uuid;

use crate::store::sqlite::Durability;

/// Default listen address: loopback only; expose it through a reverse
/// proxy or `--listen` on purpose.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8470";

/// Okno sync server: the central record of centers, devices, requests and tickets.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// SQLite database file; created and migrated on first use.
    #[arg(
        long,
        global = true,
        env = "OKNO_DATABASE",
        default_value = "okno.sqlite3"
    )]
    pub database: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API until SIGTERM or Ctrl-C.
    Serve(ServeArgs),
    /// Manage service centers.
    #[command(subcommand)]
    Center(CenterCommand),
    /// Print a one-time enrollment token for a new kiosk or console.
    EnrollToken(EnrollTokenArgs),
    /// List or revoke enrolled devices.
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Manage operator accounts; passwords are read from stdin or a prompt.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage the citizen portal's tokens for `POST /v1/codes/redeem`.
    #[command(subcommand)]
    PortalClient(PortalClientCommand),
    /// Identity confirmation codes.
    #[command(subcommand)]
    Code(CodeCommand),
    /// Visitors' portal accounts.
    #[command(subcommand)]
    Account(AccountCommand),
    /// The trust directory that signature confirmations are checked
    /// against and kiosks copy: certificates of accredited certification
    /// centers and their CRLs.
    #[command(subcommand)]
    Trust(TrustCommand),
}

#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Add a CA certificate (DER or PEM): an intermediate whose issuer is
    /// already in the directory, or a root with --anchor.
    Add {
        /// Trust the certificate as a root that chains end at.
        #[arg(long)]
        anchor: bool,
        file: PathBuf,
    },
    /// Add a CRL (DER or PEM) issued by a certificate in the directory; it
    /// replaces the issuer's older CRL.
    AddCrl { file: PathBuf },
    /// List the certificates and CRLs with the directory's version.
    List,
    /// Remove a certificate by its SHA-256 fingerprint from `trust list`,
    /// with its CRL when no other certificate has the same subject.
    Remove { fingerprint: String },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Print the level of a visitor's portal account («подтверждённая»
    /// after an operator's or a signature confirmation), when it last
    /// changed, how it was confirmed and where its name comes from.
    Show {
        /// СНИЛС of the account's owner, with or without separators.
        #[arg(long)]
        snils: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PortalClientCommand {
    /// Add a portal client and print its bearer token once.
    Add {
        #[arg(long)]
        label: String,
    },
    /// Revoke a portal client: its requests get 401 from now on.
    Revoke { id: Uuid },
}

#[derive(Debug, Subcommand)]
pub enum CodeCommand {
    /// Redeem a confirmation code by hand (when the portal is down and the
    /// center confirms by phone); the code reads from stdin or a prompt.
    Redeem {
        /// СНИЛС of the person the code was issued to.
        #[arg(long)]
        snils: String,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// `full` survives power loss; `normal` survives a process crash only, and is faster.
    #[arg(long, value_enum, default_value = "full")]
    pub durability: Durability,
    /// Seconds in-flight requests get to finish after a shutdown signal.
    #[arg(long, default_value_t = 10)]
    pub shutdown_grace_secs: u64,
    /// PEM certificate chain; serves HTTPS together with --tls-key.
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// TOML settings of contact confirmation codes (limits, SMTP, SMS
    /// gateway; see contacts.example.toml). Without it the contact
    /// endpoints answer 503 `contact.not_configured`.
    #[arg(long, env = "OKNO_CONTACTS_CONFIG")]
    pub contacts_config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CenterCommand {
    /// Add a center and print its id.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        address: String,
        /// IANA time zone, such as Europe/Moscow; it decides the ticket day.
        #[arg(long)]
        time_zone: String,
        /// Latitude in degrees, -90 to 90.
        #[arg(long, allow_hyphen_values = true)]
        latitude: f64,
        /// Longitude in degrees, -180 to 180.
        #[arg(long, allow_hyphen_values = true)]
        longitude: f64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Kiosk,
    Operator,
}

#[derive(Debug, Args)]
pub struct EnrollTokenArgs {
    #[arg(long)]
    pub center: Uuid,
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Hours until the token expires.
    #[arg(long, default_value_t = 24)]
    pub valid_hours: u32,
}

#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// List every device with its role and state.
    List,
    /// Revoke a device: its requests get 401 from now on.
    Revoke { id: Uuid },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OperatorRoleArg {
    Operator,
    Supervisor,
    Administrator,
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Add an operator account.
    Add {
        #[arg(long)]
        center: Uuid,
        #[arg(long)]
        login: String,
        #[arg(long, value_enum, default_value = "operator")]
        role: OperatorRoleArg,
    },
    /// Lock an account until an administrator unlocks it.
    Lock {
        #[arg(long)]
        login: String,
    },
    /// Unlock an account, also clearing a failed-login lockout.
    Unlock {
        #[arg(long)]
        login: String,
    },
    /// Set a new password and end the operator's sessions.
    ResetPassword {
        #[arg(long)]
        login: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exit status 1 names the first broken entry.
    Verify,
}

/// Runs the parsed command and returns the process exit status.
pub fn run(cli: Cli) -> ExitCode {
    init_tracing();
    let result = match cli.command {
        Command::Serve(args) => serve(cli.database, args),
        command => admin::run(&cli.database, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ошибка: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(database: PathBuf, args: ServeArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(crate::serve::serve(crate::serve::ServeOptions {
        database,
        listen: args.listen,
        durability: args.durability,
        shutdown_grace: std::time::Duration::from_secs(args.shutdown_grace_secs),
        tls: args.tls_cert.zip(args.tls_key),
        contacts_config: args.contacts_config,
    }))
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
