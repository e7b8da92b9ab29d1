//! The console's configuration file, `/etc/okno/operator.toml` unless
//! `--config` names another:
//!
//! ```toml
//! # The window number on the sign above the desk (1 to 999).
//! window = 3
//! # Services this window serves: identity_confirmation, registration,
//! # restore_access, other_services.
//! services = ["identity_confirmation", "restore_access"]
//! # Minutes without input before the screen locks (1 to 240).
//! idle_lock_minutes = 5
//! # Where `operator provision` put the credentials and the local database.
//! data_dir = "/var/lib/okno/operator"
//! # The center's name at the top of every slip.
//! center_name = "МФЦ района Арбат"
//! # The center's time zone, for waiting times, slips and code expiry.
//! time_zone = "Europe/Moscow"
//! # Optional, usually absent: a file holding a ticket QR key in hex that
//! # replaces the center's key. Without it, scanned tickets are checked
//! # with the key the sync server handed out at enrollment, the one the
//! # center's kiosks sign with.
//! ticket_qr_key_file = "/etc/okno/ticket-qr.key"
//!
//! [printer]
//! # The slip printer: tcp://HOST:PORT, usb:///dev/usb/lp0,
//! # serial:///dev/ttyUSB0?baud=19200, file://PATH or virtual://DIR.
//! uri = "tcp://127.0.0.1:9100"
//! # A shipped profile (generic-80, generic-58, epson-tm-t20) or a TOML file.
//! profile = "generic-80"
//! ```
//!
//! Enrollment with the sync server (`operator provision`), its stored
//! secret and the center's ticket QR key belong to the `station` crate.

use std::path::{Path, PathBuf};

use domain::ticket::{ServiceCategory, WindowNumber};
use serde::Deserialize;

/// The configuration path used when `--config` is not given.
pub const DEFAULT_PATH: &str = "/etc/okno/operator.toml";

/// The data directory used when the file names none, the same as
/// `operator provision`'s default.
pub const DEFAULT_DATA_DIR: &str = "/var/lib/okno/operator";

/// The printer profile used when the file names none.
pub const DEFAULT_PROFILE: &str = "generic-80";

/// The center name printed when the file names none.
pub const DEFAULT_CENTER_NAME: &str = "Многофункциональный центр";

/// The parsed and checked configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub window: WindowNumber,
    pub services: Vec<ServiceCategory>,
    pub idle_lock_minutes: u16,
    pub printer_uri: String,
    /// A shipped profile name or a profile file path.
    pub printer_profile: String,
    pub data_dir: PathBuf,
    pub center_name: String,
    /// An IANA time zone name; `None` uses the system's.
    pub time_zone: Option<String>,
    /// Replaces the center's ticket QR key from the credentials file.
    pub ticket_qr_key_file: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    window: u16,
    services: Vec<String>,
    #[serde(default = "default_idle_lock_minutes")]
    idle_lock_minutes: u16,
    data_dir: Option<PathBuf>,
    center_name: Option<String>,
    time_zone: Option<String>,
    ticket_qr_key_file: Option<PathBuf>,
    printer: RawPrinter,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrinter {
    uri: String,
    profile: Option<String>,
}

fn default_idle_lock_minutes() -> u16 {
    5
}

/// An error reading or checking the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "cannot read the configuration file {path}: {source}; create it or pass --config PATH"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid TOML for the operator console: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("{path}: `{key}` is {value}, but {expected}")]
    Value {
        path: PathBuf,
        key: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl Config {
    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        Config::parse(path, &text)
    }

    /// Parses and checks `text`; `path` only names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|error| ConfigError::Syntax {
            path: path.to_owned(),
            message: error.message().to_owned(),
        })?;
        let value_error = |key, value: String, expected| ConfigError::Value {
            path: path.to_owned(),
            key,
            value,
            expected,
        };

        let window = WindowNumber::new(raw.window)
            .filter(|window| window.get() <= 999)
            .ok_or_else(|| {
                value_error(
                    "window",
                    raw.window.to_string(),
                    "a window number is 1 to 999",
                )
            })?;

        if raw.services.is_empty() {
            return Err(value_error(
                "services",
                "empty".to_owned(),
                "at least one service is needed",
            ));
        }
        let mut services = Vec::new();
        for name in &raw.services {
            let category = ServiceCategory::ALL
                .into_iter()
                .find(|category| category.code() == name)
                .ok_or_else(|| {
                    value_error(
                        "services",
                        format!("{name:?}"),
                        "each service is one of \"identity_confirmation\", \"registration\", \"restore_access\", \"other_services\"",
                    )
                })?;
            services.push(category);
        }

        if !(1..=240).contains(&raw.idle_lock_minutes) {
            return Err(value_error(
                "idle_lock_minutes",
                raw.idle_lock_minutes.to_string(),
                "the lock delay is 1 to 240 minutes",
            ));
        }

        let uri = raw.printer.uri.trim();
        if uri.is_empty() {
            return Err(value_error(
                "printer.uri",
                "empty".to_owned(),
                "a printer URI is needed, such as tcp://192.0.2.10:9100",
            ));
        }

        if let Some(zone) = &raw.time_zone {
            if jiff::tz::TimeZone::get(zone).is_err() {
                return Err(value_error(
                    "time_zone",
                    format!("{zone:?}"),
                    "a time zone is an IANA name such as \"Europe/Moscow\"",
                ));
            }
        }

        Ok(Config {
            window,
            services,
            idle_lock_minutes: raw.idle_lock_minutes,
            printer_uri: uri.to_owned(),
            printer_profile: raw
                .printer
                .profile
                .map(|profile| profile.trim().to_owned())
                .filter(|profile| !profile.is_empty())
                .unwrap_or_else(|| DEFAULT_PROFILE.to_owned()),
            data_dir: raw
                .data_dir
                .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR)),
            center_name: raw
                .center_name
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| DEFAULT_CENTER_NAME.to_owned()),
            time_zone: raw.time_zone,
            ticket_qr_key_file: raw.ticket_qr_key_file,
        })
    }
}
