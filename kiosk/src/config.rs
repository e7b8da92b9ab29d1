//! The kiosk's configuration file, `/etc/okno/kiosk.toml` unless
//! `--config` names another:
//!
//! ```toml
//! # Credentials and the local SQLite store (default /var/lib/okno/kiosk).
//! data_dir = "/var/lib/okno/kiosk"
//! # The center's name on the attract screen, the top bar and the ticket.
//! center_name = "МФЦ «Мои документы» района Хамовники"
//! # Optional: the center code in the ticket QR (A-Z, 0-9, '-', at most
//! # 16); by default MFC- and the first eight hex digits of the center id.
//! center_code = "MFC-77-014"
//! # Optional: the center's IANA time zone (default Europe/Moscow).
//! time_zone = "Europe/Moscow"
//!
//! [printer]
//! # tcp://HOST:9100, usb:///dev/usb/lp0, serial:///dev/ttyUSB0?baud=19200,
//! # file://PATH or virtual://DIR
//! uri = "tcp://192.0.2.10:9100"
//! # generic-58, generic-80, epson-tm-t20 or the path of a profile TOML
//! profile = "generic-80"
//!
//! # Optional: without it the kiosk offers no chip step.
//! [reader]
//! # The contactless reader's PC/SC name, or a part of it.
//! contactless = "ACS ACR1252"
//!
//! # Optional: confirm a registration's phone and e-mail by one-time codes
//! # the sync server sends (default false). Turn it on where the server runs
//! # with `--contacts-config`; a registration then needs the server online.
//! [contacts]
//! confirm = true
//!
//! # Optional: without it the kiosk offers no identity confirmation with a
//! # signature token (КЭП).
//! [token]
//! # The token vendor's PKCS#11 module: librtpkcs11ecp.so (Rutoken),
//! # libjcPKCS11-2.so (JaCarta) or OpenSC's opensc-pkcs11.so.
//! module = "/usr/lib/librtpkcs11ecp.so"
//! # Optional: the contact reader's PC/SC name, or a part of it. A token is
//! # then noticed by its ATR in that reader; without it, by the module's
//! # slot list, polled twice a second.
//! reader = "Aktiv Rutoken ECP"
//! ```
//!
//! Enrollment with the sync server (`kiosk provision`) and its stored
//! secret belong to the `station` crate; opening the printer and the reader
//! belongs to [`crate::station_parts`].

use std::path::{Path, PathBuf};

use domain::ticket_qr::CenterCode;
use hardware::printer::{PrinterUri, Profile};
use jiff::tz::TimeZone;
use serde::Deserialize;

/// The configuration path used when `--config` is not given.
pub const DEFAULT_PATH: &str = "/etc/okno/kiosk.toml";

/// The data directory used when the file names none.
pub const DEFAULT_DATA_DIR: &str = "/var/lib/okno/kiosk";

/// The time zone used when the file names none.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Moscow";

/// The parsed and checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub center_name: String,
    pub center_code: Option<CenterCode>,
    pub time_zone: TimeZone,
    pub printer_uri: PrinterUri,
    pub printer_profile: Profile,
    /// The contactless reader's PC/SC name or a part of it.
    pub contactless_reader: Option<String>,
    /// Whether a registration confirms the phone and e-mail by codes.
    pub confirm_contacts: bool,
    /// The signature token step; `None` offers none.
    pub token: Option<TokenConfig>,
}

/// The `[token]` section: where signature tokens are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenConfig {
    /// The PKCS#11 module's absolute path.
    pub module: PathBuf,
    /// The contact reader's PC/SC name or a part of it; `None` notices a
    /// token through the module's slot list instead of its ATR.
    pub reader: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    data_dir: Option<PathBuf>,
    center_name: String,
    #[serde(default)]
    center_code: Option<String>,
    #[serde(default)]
    time_zone: Option<String>,
    printer: RawPrinter,
    #[serde(default)]
    reader: Option<RawReader>,
    #[serde(default)]
    contacts: Option<RawContacts>,
    #[serde(default)]
    token: Option<RawToken>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawToken {
    module: PathBuf,
    #[serde(default)]
    reader: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContacts {
    #[serde(default)]
    confirm: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrinter {
    uri: String,
    profile: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReader {
    #[serde(default)]
    contactless: Option<String>,
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
    #[error("the configuration file {path} is not valid TOML for the kiosk: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("{path}: `{key}` is {value}, but {expected}")]
    Value {
        path: PathBuf,
        key: &'static str,
        value: String,
        expected: String,
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
        let value_error = |key, value: &str, expected: String| ConfigError::Value {
            path: path.to_owned(),
            key,
            value: format!("{value:?}"),
            expected,
        };

        let data_dir = raw
            .data_dir
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        if !data_dir.is_absolute() {
            return Err(value_error(
                "data_dir",
                &data_dir.display().to_string(),
                "it must be an absolute path, such as /var/lib/okno/kiosk".to_owned(),
            ));
        }

        let center_name = raw.center_name.trim().to_owned();
        if center_name.is_empty() {
            return Err(value_error(
                "center_name",
                &raw.center_name,
                "the center's name is needed for the screens and the ticket".to_owned(),
            ));
        }

        let center_code = match raw.center_code {
            Some(code) => Some(CenterCode::new(&code).map_err(|_| {
                value_error(
                    "center_code",
                    &code,
                    "a center code is 1 to 16 characters of A-Z, 0-9 and '-'".to_owned(),
                )
            })?),
            None => None,
        };

        let zone_name = raw.time_zone.as_deref().unwrap_or(DEFAULT_TIME_ZONE);
        let time_zone = TimeZone::get(zone_name).map_err(|_| {
            value_error(
                "time_zone",
                zone_name,
                "an IANA time zone name is needed, such as Europe/Moscow".to_owned(),
            )
        })?;

        let printer_uri: PrinterUri = raw.printer.uri.trim().parse().map_err(|err| {
            value_error(
                "printer.uri",
                &raw.printer.uri,
                format!("it does not parse: {err}"),
            )
        })?;
        let printer_profile = Profile::load(raw.printer.profile.trim()).map_err(|err| {
            value_error(
                "printer.profile",
                &raw.printer.profile,
                format!("it is not generic-58, generic-80, epson-tm-t20 or a profile file: {err}"),
            )
        })?;

        let contactless_reader = match raw.reader.and_then(|reader| reader.contactless) {
            Some(name) if name.trim().is_empty() => {
                return Err(value_error(
                    "reader.contactless",
                    &name,
                    "a reader name or a part of it is needed; remove the key for no chip step"
                        .to_owned(),
                ))
            }
            Some(name) => Some(name.trim().to_owned()),
            None => None,
        };

        let token = match raw.token {
            Some(token) => Some(token_config(token, &value_error)?),
            None => None,
        };

        Ok(Config {
            data_dir,
            center_name,
            center_code,
            time_zone,
            printer_uri,
            printer_profile,
            contactless_reader,
            confirm_contacts: raw.contacts.is_some_and(|contacts| contacts.confirm),
            token,
        })
    }
}

fn token_config(
    raw: RawToken,
    value_error: &dyn Fn(&'static str, &str, String) -> ConfigError,
) -> Result<TokenConfig, ConfigError> {
    if !raw.module.is_absolute() {
        return Err(value_error(
            "token.module",
            &raw.module.display().to_string(),
            "it must be the PKCS#11 module's absolute path, such as /usr/lib/librtpkcs11ecp.so"
                .to_owned(),
        ));
    }
    let reader = match raw.reader {
        Some(name) if name.trim().is_empty() => {
            return Err(value_error(
                "token.reader",
                &name,
                "a reader name or a part of it is needed; remove the key to find tokens through the module's slots"
                    .to_owned(),
            ))
        }
        Some(name) => Some(name.trim().to_owned()),
        None => None,
    };
    Ok(TokenConfig {
        module: raw.module,
        reader,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
data_dir = "/srv/okno/kiosk"
center_name = "МФЦ Тест"
center_code = "MFC-77-014"
time_zone = "UTC"

[printer]
uri = "tcp://127.0.0.1:9100"
profile = "generic-58"

[reader]
contactless = "Virtual PCD"
"#;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/etc/okno/kiosk.toml"), text)
    }

    #[test]
    fn full_file() {
        let config = parse(FULL).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("/srv/okno/kiosk"));
        assert_eq!(config.center_name, "МФЦ Тест");
        assert_eq!(config.center_code.unwrap().as_str(), "MFC-77-014");
        assert_eq!(config.printer_uri.to_string(), "tcp://127.0.0.1:9100");
        assert_eq!(config.printer_profile.name, "generic-58");
        assert_eq!(config.contactless_reader.as_deref(), Some("Virtual PCD"));
    }

    #[test]
    fn defaults() {
        let config = parse(
            "center_name = \"МФЦ\"\n[printer]\nuri = \"file:///tmp/t.bin\"\nprofile = \"generic-80\"\n",
        )
        .unwrap();
        assert_eq!(config.data_dir, PathBuf::from(DEFAULT_DATA_DIR));
        assert_eq!(config.center_code, None);
        assert_eq!(config.contactless_reader, None);
        assert_eq!(config.time_zone.iana_name(), Some("Europe/Moscow"));
        assert!(!config.confirm_contacts);
        assert_eq!(config.token, None);
    }

    #[test]
    fn token_section_is_read() {
        let config = parse(&format!(
            "{FULL}\n[token]\nmodule = \"/usr/lib/librtpkcs11ecp.so\"\nreader = \" Aktiv Rutoken \"\n"
        ))
        .unwrap();

        let token = config.token.unwrap();
        assert_eq!(token.module, PathBuf::from("/usr/lib/librtpkcs11ecp.so"));
        assert_eq!(token.reader.as_deref(), Some("Aktiv Rutoken"));
    }

    #[test]
    fn token_without_reader_uses_slots() {
        let config = parse(&format!(
            "{FULL}\n[token]\nmodule = \"/usr/lib/opensc-pkcs11.so\"\n"
        ))
        .unwrap();

        assert_eq!(config.token.unwrap().reader, None);
    }

    #[test]
    fn relative_token_module_is_refused() {
        let err = parse(&format!(
            "{FULL}\n[token]\nmodule = \"librtpkcs11ecp.so\"\n"
        ))
        .unwrap_err();

        assert_eq!(
            err.to_string(),
            "/etc/okno/kiosk.toml: `token.module` is \"librtpkcs11ecp.so\", but it must be the PKCS#11 module's absolute path, such as /usr/lib/librtpkcs11ecp.so"
        );
    }

    #[test]
    fn contacts_confirm_is_read() {
        let config = parse(&format!("{FULL}\n[contacts]\nconfirm = true\n")).unwrap();
        assert!(config.confirm_contacts);
    }

    #[test]
    fn unknown_key_is_named() {
        let err = parse(&FULL.replace("center_code", "centre_code")).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `centre_code`"),
            "{err}"
        );
    }

    #[test]
    fn bad_profile_quotes_key_and_value() {
        let err = parse(&FULL.replace("generic-58", "generic-99")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("/etc/okno/kiosk.toml: `printer.profile` is \"generic-99\", but"),
            "{text}"
        );
    }

    #[test]
    fn relative_data_dir_is_refused() {
        let err = parse(&FULL.replace("/srv/okno/kiosk", "okno")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/etc/okno/kiosk.toml: `data_dir` is \"okno\", but it must be an absolute path, such as /var/lib/okno/kiosk"
        );
    }

    #[test]
    fn bad_center_code_and_uri() {
        let err = parse(&FULL.replace("MFC-77-014", "мфц")).unwrap_err();
        assert!(
            err.to_string().contains("`center_code` is \"мфц\""),
            "{err}"
        );
        let err = parse(&FULL.replace("tcp://127.0.0.1:9100", "lpt1")).unwrap_err();
        assert!(
            err.to_string().contains("`printer.uri` is \"lpt1\""),
            "{err}"
        );
    }
}
