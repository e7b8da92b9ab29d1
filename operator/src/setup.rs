//! Building a console with its real parts from the configuration: the
//! station link (sync server and SQLite outbox) in the data directory, the
//! ESC/POS slip printer, the ticket QR check with the center's key (from
//! the credentials file, or `ticket_qr_key_file` when set) and the
//! `domain::mrz` interpreter.
//!
//! `operator run` calls [`run`]; a scripted demo or an end-to-end test
//! calls [`real_parts`], adjusts [`Deps::settings`] if it needs shorter
//! waits, then [`Console::init`].

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use domain::clock::{Clock, SystemClock};
use jiff::tz::TimeZone;
use jiff::SignedDuration;

use crate::app::{Console, Deps, Settings};
use crate::backend::station::StationLink;
use crate::chip::DomainMrz;
use crate::config::Config;
use crate::printer::EscPosPrinter;
use crate::qr::{QrVerifier, SignedQrVerifier};
use station::Credentials;

/// A console's real parts, with handles a caller may want to inspect.
pub struct RealParts {
    pub deps: Deps,
    /// The link behind `deps.backend` and `deps.outbox`.
    pub link: Arc<StationLink>,
    /// The printer behind `deps.printer`.
    pub printer: Arc<EscPosPrinter>,
}

/// Returns the center's time zone named in `config`, or the system's.
pub fn time_zone(config: &Config) -> anyhow::Result<TimeZone> {
    match &config.time_zone {
        Some(name) => TimeZone::get(name)
            .with_context(|| format!("the time zone {name:?} in the configuration is unknown")),
        None => Ok(TimeZone::system()),
    }
}

/// Builds the real parts named by `config`, with `clock` for the console's
/// own times (a test may pass a manual clock; HTTP signing always uses the
/// system clock).
pub fn real_parts(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<RealParts> {
    let time_zone = time_zone(config)?;
    let link = Arc::new(
        StationLink::open(&config.data_dir, clock.clone(), time_zone.clone()).with_context(
            || {
                format!(
                    "cannot use the console's data directory {}",
                    config.data_dir.display()
                )
            },
        )?,
    );
    let printer = Arc::new(
        EscPosPrinter::new(
            &config.printer_uri,
            &config.printer_profile,
            &config.center_name,
        )
        .context("the [printer] section of the configuration cannot be used")?,
    );
    let qr: Arc<dyn QrVerifier> = match &config.ticket_qr_key_file {
        Some(path) => {
            tracing::info!(path = %path.display(), "ticket QR key replaced by ticket_qr_key_file");
            Arc::new(SignedQrVerifier::from_key_file(path, time_zone.clone())?)
        }
        None => {
            // `StationLink::open` above fetched the key if the file lacked it.
            let ticket_key = Credentials::load(&config.data_dir)?.ticket_key()?;
            Arc::new(SignedQrVerifier::new(ticket_key.key, time_zone.clone()))
        }
    };
    let deps = Deps {
        backend: link.clone(),
        printer: printer.clone(),
        qr,
        mrz: Arc::new(DomainMrz),
        outbox: link.clone(),
        clock,
        settings: Settings {
            default_window: Some(config.window),
            services: config.services.clone(),
            idle_lock: SignedDuration::from_mins(i64::from(config.idle_lock_minutes)),
            time_zone,
            poll_wait: Duration::from_secs(25),
            retry_interval: Duration::from_secs(5),
        },
    };
    Ok(RealParts {
        deps,
        link,
        printer,
    })
}

/// Loads `config_path` and runs the console until its window closes: with
/// its real parts, or on sample tickets in memory with `demo`.
pub fn run(config_path: &Path, demo: bool) -> anyhow::Result<()> {
    if demo {
        return crate::demo::run(&demo_config(config_path)?);
    }
    let config = Config::load(config_path)?;
    let parts = real_parts(&config, Arc::new(SystemClock))?;
    let console = Console::init(parts.deps).context("cannot open the console window")?;
    console.run().context("the console window failed")?;
    Ok(())
}

/// Settings for `--demo` when `config_path` does not exist, so that the
/// sample console opens on a machine that was never set up. The demo
/// prints nothing, so the printer is never opened.
const DEMO_CONFIG: &str = r#"window = 1
services = ["registration", "identity_confirmation", "restore_access", "other_services"]
[printer]
uri = "virtual:///tmp/okno-operator-demo"
"#;

/// Reads `config_path`, or falls back to [`DEMO_CONFIG`] when there is no
/// file there.
fn demo_config(config_path: &Path) -> anyhow::Result<Config> {
    if config_path.exists() {
        return Ok(Config::load(config_path)?);
    }
    tracing::info!(path = %config_path.display(), "configuration file not found, so the demo uses window 1 and every service");
    Ok(Config::parse(Path::new("<demo defaults>"), DEMO_CONFIG)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_without_file_uses_defaults() {
        let missing = Path::new("/nonexistent/okno/operator.toml");

        let config = demo_config(missing).expect("demo defaults parse");

        assert_eq!(config.window.get(), 1);
        assert_eq!(config.services.len(), 4);
        assert_eq!(config.printer_uri, "virtual:///tmp/okno-operator-demo");
    }
}
