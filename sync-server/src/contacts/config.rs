//! The contact confirmation settings, read from a TOML file given to
//! `serve --contacts-config`: how often codes may go out, how deliveries
//! are retried, and the SMTP and SMS gateways.
//!
//! Secrets may sit in the file or, better, in environment variables named
//! by the file (`password_env`, `headers_env`); `Debug` prints neither.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactsConfig {
    /// Refuse a pushed registration request (`request.contact_unconfirmed`)
    /// unless its phone, and e-mail if given, were confirmed by a code.
    #[serde(default = "yes")]
    pub require_for_registration: bool,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub delivery: DeliveryPolicy,
    /// E-mail codes are refused with `contact.not_configured` without it.
    pub smtp: Option<SmtpConfig>,
    /// Phone codes are refused with `contact.not_configured` without it.
    pub sms: Option<SmsConfig>,
}

fn yes() -> bool {
    true
}

/// At most `max` codes within `period_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub max: u32,
    pub period_secs: u64,
}

/// Rate limits on codes sent, counted whether or not delivery succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Codes to one phone number, from any kiosk.
    pub per_phone: Window,
    /// Codes to one e-mail address, from any kiosk.
    pub per_email: Window,
    /// Codes from one kiosk, to any contact.
    pub per_device: Window,
}

impl Default for Limits {
    /// Returns limits that let a visitor retry a few times and keep one
    /// kiosk from flooding: 5 codes per contact and 60 per kiosk an hour.
    // NOTE: these defaults are this product's estimate, not a regulation.
    fn default() -> Self {
        Limits {
            per_phone: Window {
                max: 5,
                period_secs: 3600,
            },
            per_email: Window {
                max: 5,
                period_secs: 3600,
            },
            per_device: Window {
                max: 60,
                period_secs: 3600,
            },
        }
    }
}

/// Delivery policy of one code: `attempts` tries, each within `timeout_ms`,
/// waiting `backoff_ms` before the second and twice as long before each
/// later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryPolicy {
    pub attempts: u32,
    pub timeout_ms: u64,
    pub backoff_ms: u64,
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        DeliveryPolicy {
            attempts: 3,
            timeout_ms: 5_000,
            backoff_ms: 500,
        }
    }
}

impl DeliveryPolicy {
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }

    /// Returns the wait before attempt `next` (2 for the first retry).
    pub fn backoff_before(&self, next: u32) -> Duration {
        let doublings = next.saturating_sub(2).min(10);
        Duration::from_millis(self.backoff_ms.saturating_mul(1 << doublings))
    }
}

/// Protection of the SMTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// TLS from the first byte (usually port 465).
    Tls,
    /// Plain connection upgraded with STARTTLS, which is required (usually port 587).
    Starttls,
    /// No encryption; accepted only for a loopback host (a local relay).
    None,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// The From address, such as `Госуслуги в МФЦ <no-reply@mfc.example>`.
    pub from: String,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// Name of the environment variable with the password; wins over `password`.
    #[serde(default)]
    pub password_env: Option<String>,
    /// PEM certificate of a private CA to trust besides the public roots,
    /// for a relay inside the center's network.
    #[serde(default)]
    pub ca_file: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username.as_ref().map(|_| "<set>"))
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("password_env", &self.password_env)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

impl SmtpConfig {
    /// Returns the password from `password_env` or the file.
    ///
    /// # Errors
    ///
    /// The variable named by `password_env` is not set.
    pub fn password(&self) -> Result<Option<String>, ConfigError> {
        match &self.password_env {
            Some(name) => std::env::var(name)
                .map(Some)
                .map_err(|_| ConfigError::MissingEnv { name: name.clone() }),
            None => Ok(self.password.clone()),
        }
    }
}

/// An HTTP SMS gateway. The request body is `body` with `{phone}`
/// (`+7XXXXXXXXXX`) and `{text}` replaced, escaped for `content_type`
/// (JSON string escapes for JSON, percent-encoding for a form).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsConfig {
    pub url: String,
    #[serde(default = "default_content_type")]
    pub content_type: String,
    pub body: String,
    /// Extra headers with fixed values.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Extra headers whose values come from the named environment
    /// variables, such as `Authorization = "OKNO_SMS_AUTH"`.
    #[serde(default)]
    pub headers_env: BTreeMap<String, String>,
}

fn default_content_type() -> String {
    "application/json".to_owned()
}

impl std::fmt::Debug for SmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsConfig")
            .field("url", &self.url)
            .field("content_type", &self.content_type)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("headers_env", &self.headers_env)
            .finish()
    }
}

impl SmsConfig {
    /// Returns every extra header with its value, reading `headers_env`.
    ///
    /// # Errors
    ///
    /// A variable named in `headers_env` is not set.
    pub fn all_headers(&self) -> Result<Vec<(String, String)>, ConfigError> {
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        for (header, variable) in &self.headers_env {
            let value = std::env::var(variable).map_err(|_| ConfigError::MissingEnv {
                name: variable.clone(),
            })?;
            headers.push((header.clone(), value));
        }
        Ok(headers)
    }
}

/// A settings file that cannot be used; the text names the file or the
/// setting and never a secret's value.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the contacts settings {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("the contacts settings {path} are invalid: {reason}")]
    Invalid { path: String, reason: String },
    #[error("the environment variable {name} named in the contacts settings is not set")]
    MissingEnv { name: String },
    #[error("{0}")]
    Gateway(String),
}

impl ContactsConfig {
    /// Reads and checks the settings file.
    pub fn load(path: &Path) -> Result<ContactsConfig, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|err| ConfigError::Read {
            path: shown.clone(),
            reason: err.to_string(),
        })?;
        let config: ContactsConfig = toml::from_str(&text).map_err(|err| ConfigError::Invalid {
            path: shown.clone(),
            // toml reports the line and the key; secrets in the file are
            // plain strings it has no reason to quote.
            reason: err.message().to_owned(),
        })?;
        config.check().map_err(|reason| ConfigError::Invalid {
            path: shown,
            reason,
        })?;
        Ok(config)
    }

    /// Checks values the types cannot.
    pub fn check(&self) -> Result<(), String> {
        for (name, window) in [
            ("limits.per_phone", self.limits.per_phone),
            ("limits.per_email", self.limits.per_email),
            ("limits.per_device", self.limits.per_device),
        ] {
            if window.max == 0 || window.period_secs == 0 {
                return Err(format!(
                    "{name}: max and period_secs must be at least 1 (got {} and {})",
                    window.max, window.period_secs
                ));
            }
        }
        if self.delivery.attempts == 0 || self.delivery.timeout_ms == 0 {
            return Err("delivery: attempts and timeout_ms must be at least 1".to_owned());
        }
        if let Some(smtp) = &self.smtp {
            if smtp.security == SmtpSecurity::None && !is_loopback(&smtp.host) {
                return Err(format!(
                    "smtp.security = \"none\" is allowed only for a loopback host, not {}; \
                     use \"starttls\" or \"tls\"",
                    smtp.host
                ));
            }
        }
        if let Some(sms) = &self.sms {
            let encrypted = sms.url.starts_with("https://");
            let local = sms.url.starts_with("http://") && is_loopback(url_host(&sms.url));
            if !encrypted && !local {
                return Err(format!(
                    "sms.url must be https:// (http:// only for a loopback host), got {}",
                    sms.url
                ));
            }
            if !sms.body.contains("{phone}") || !sms.body.contains("{text}") {
                return Err("sms.body must contain {phone} and {text}".to_owned());
            }
        }
        Ok(())
    }
}

fn url_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host),
    }
}

/// Tells whether `host` is `localhost` or a loopback address.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}
