//! The device's credentials file: the id, center, role and HMAC secret the
//! server granted at enrollment, and the center's ticket QR key and code,
//! stored as JSON readable only by the station's user (mode 0600).
//!
//! A file written before the server handed out the ticket QR key lacks it
//! and still loads; `provision::complete_ticket_key` fetches it.
//!
//! The secrets never reach a log line: `Debug` prints `<redacted>`, and no
//! error here quotes the file's content.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use domain::sync::{DeviceRole, TicketQrGrant};
use domain::ticket_qr::{CenterCode, TicketQrKey};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The file name inside a station's data directory.
pub const CREDENTIALS_FILE: &str = "credentials.json";

/// The device identity and the key the station signs requests with.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// Base URL of the sync server, such as `https://sync.example:8443`.
    pub server_url: String,
    pub device_id: Uuid,
    pub center_id: Uuid,
    pub role: DeviceRole,
    pub label: String,
    /// Hex-encoded HMAC key.
    secret: String,
    /// The center's ticket QR key and code; absent in files written before
    /// the server handed them out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ticket_qr: Option<TicketQrGrant>,
}

/// The key a center's kiosks sign ticket QR payloads with and its consoles
/// check them with, and the center code the payload carries.
#[derive(Debug, Clone)]
pub struct CenterTicketKey {
    pub center: CenterCode,
    pub key: TicketQrKey,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("server_url", &self.server_url)
            .field("device_id", &self.device_id)
            .field("center_id", &self.center_id)
            .field("role", &self.role)
            .field("label", &self.label)
            .field("secret", &"<redacted>")
            .field("ticket_qr", &self.ticket_qr)
            .finish()
    }
}

/// The credentials file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    #[error("cannot {action} the credentials file {}: {source}; check the directory exists and belongs to the station's user", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the credentials file {} is readable by other users (mode {mode:o}); run `chmod 600` on it or provision again", path.display())]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("the credentials file {} is not valid; provision the station again", path.display())]
    Invalid { path: PathBuf },
    #[error("the device secret is not hex; provision the station again")]
    SecretNotHex,
    #[error("the credentials file has no ticket QR key of the center; start the station while the sync server is reachable so it fetches the key, or provision it again")]
    TicketKeyMissing,
    #[error("the center's ticket QR key or code from the sync server is not valid: {reason}; provision the station again")]
    TicketKeyInvalid { reason: String },
}

impl Credentials {
    /// Builds credentials from an enrollment answer.
    pub fn new(
        server_url: String,
        device_id: Uuid,
        center_id: Uuid,
        role: DeviceRole,
        label: String,
        secret_hex: String,
    ) -> Result<Credentials, CredentialsError> {
        hex::decode(&secret_hex).map_err(|_| CredentialsError::SecretNotHex)?;
        Ok(Credentials {
            server_url,
            device_id,
            center_id,
            role,
            label,
            secret: secret_hex,
            ticket_qr: None,
        })
    }

    /// Adds the center's ticket QR key and code, checking both.
    pub fn with_ticket_qr(mut self, grant: TicketQrGrant) -> Result<Credentials, CredentialsError> {
        check_ticket_qr(&grant)?;
        self.ticket_qr = Some(grant);
        Ok(self)
    }

    /// Returns true when the credentials contain the center's ticket QR key.
    pub fn has_ticket_key(&self) -> bool {
        self.ticket_qr.is_some()
    }

    /// Returns the center's ticket QR key and code.
    pub fn ticket_key(&self) -> Result<CenterTicketKey, CredentialsError> {
        let grant = self
            .ticket_qr
            .as_ref()
            .ok_or(CredentialsError::TicketKeyMissing)?;
        check_ticket_qr(grant)
    }

    /// Returns the HMAC key bytes.
    pub fn secret(&self) -> Result<Vec<u8>, CredentialsError> {
        hex::decode(&self.secret).map_err(|_| CredentialsError::SecretNotHex)
    }

    /// Returns the path of the credentials file in `dir`.
    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join(CREDENTIALS_FILE)
    }

    /// Writes the credentials to `dir` with mode 0600, atomically: a
    /// temporary file is written, synced and renamed over the old one.
    pub fn save(&self, dir: &Path) -> Result<PathBuf, CredentialsError> {
        let path = Credentials::path_in(dir);
        let temporary = dir.join(format!(".{CREDENTIALS_FILE}.tmp"));
        let io = |action, source| CredentialsError::Io {
            action,
            path: path.clone(),
            source,
        };
        let json = serde_json::to_vec_pretty(self)
            .map_err(|_| CredentialsError::Invalid { path: path.clone() })?;
        // A leftover temporary file from a crash may have other permissions.
        let _ = fs::remove_file(&temporary);
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)
            .map_err(|err| io("create", err))?;
        file.write_all(&json).map_err(|err| io("write", err))?;
        file.sync_all().map_err(|err| io("sync", err))?;
        fs::rename(&temporary, &path).map_err(|err| io("rename", err))?;
        File::open(dir)
            .and_then(|dir| dir.sync_all())
            .map_err(|err| io("sync the directory of", err))?;
        Ok(path)
    }

    /// Reads the credentials from `dir`, rejecting a file that group or
    /// others may read.
    pub fn load(dir: &Path) -> Result<Credentials, CredentialsError> {
        let path = Credentials::path_in(dir);
        let io = |action, source| CredentialsError::Io {
            action,
            path: path.clone(),
            source,
        };
        let mode = fs::metadata(&path)
            .map_err(|err| io("read", err))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(CredentialsError::TooOpen { path, mode });
        }
        let bytes = fs::read(&path).map_err(|err| io("read", err))?;
        let credentials: Credentials = serde_json::from_slice(&bytes)
            .map_err(|_| CredentialsError::Invalid { path: path.clone() })?;
        credentials.secret()?;
        if let Some(grant) = &credentials.ticket_qr {
            check_ticket_qr(grant)?;
        }
        Ok(credentials)
    }
}

fn check_ticket_qr(grant: &TicketQrGrant) -> Result<CenterTicketKey, CredentialsError> {
    let invalid = |reason: String| CredentialsError::TicketKeyInvalid { reason };
    let center = CenterCode::new(&grant.center_code).map_err(|err| invalid(err.to_string()))?;
    let bytes =
        hex::decode(&grant.key_hex).map_err(|_| invalid("the key is not hex".to_owned()))?;
    let key = TicketQrKey::new(&bytes).map_err(|err| invalid(err.to_string()))?;
    Ok(CenterTicketKey { center, key })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Credentials {
        Credentials::new(
            "http://127.0.0.1:9".to_owned(),
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            DeviceRole::Kiosk,
            "kiosk-1".to_owned(),
            "00ff".repeat(16),
        )
        .expect("hex secret")
    }

    #[test]
    fn saved_file_has_mode_0600() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = sample().save(dir.path()).expect("save");
        let mode = fs::metadata(&path).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn load_returns_saved_credentials() {
        let dir = tempfile::tempdir().expect("tempdir");
        sample().save(dir.path()).expect("save");
        let loaded = Credentials::load(dir.path()).expect("load");
        assert_eq!(loaded, sample());
        assert_eq!(
            loaded.secret().expect("secret"),
            hex::decode("00ff".repeat(16)).expect("hex")
        );
    }

    #[test]
    fn load_rejects_group_readable_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = sample().save(dir.path()).expect("save");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        let err = Credentials::load(dir.path()).expect_err("0640 must be rejected");
        assert!(
            matches!(err, CredentialsError::TooOpen { mode: 0o640, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn debug_redacts_secret() {
        let text = format!("{:?}", sample());
        assert!(!text.contains("00ff"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }

    fn grant() -> TicketQrGrant {
        TicketQrGrant {
            center_code: "MFC-C0FFEE01".to_owned(),
            key_hex: "5a".repeat(32),
        }
    }

    #[test]
    fn ticket_key_survives_save_and_load() {
        let dir = tempfile::tempdir().expect("tempdir");
        let with_key = sample().with_ticket_qr(grant()).expect("valid grant");
        with_key.save(dir.path()).expect("save");
        let loaded = Credentials::load(dir.path()).expect("load");
        assert_eq!(loaded, with_key);
        let key = loaded.ticket_key().expect("ticket key");
        assert_eq!(key.center.as_str(), "MFC-C0FFEE01");
        assert!(!format!("{loaded:?}").contains("5a5a"));
    }

    #[test]
    fn file_without_ticket_key_loads_and_says_what_to_do() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = Credentials::path_in(dir.path());
        // The file an older station wrote.
        let old = format!(
            r#"{{"server_url":"http://127.0.0.1:9","device_id":"{}","center_id":"{}","role":"kiosk","label":"kiosk-1","secret":"{}"}}"#,
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            "00ff".repeat(16)
        );
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .and_then(|mut file| file.write_all(old.as_bytes()))
            .expect("write the old file");
        let loaded = Credentials::load(dir.path()).expect("an old file loads");
        assert_eq!(loaded, sample());
        assert!(!loaded.has_ticket_key());
        let err = loaded.ticket_key().expect_err("no key");
        assert!(matches!(err, CredentialsError::TicketKeyMissing));
        assert!(err.to_string().contains("provision it again"), "{err}");
    }

    #[test]
    fn with_ticket_qr_rejects_short_key_and_bad_code() {
        let short = TicketQrGrant {
            key_hex: "5a".repeat(8),
            ..grant()
        };
        let err = sample().with_ticket_qr(short).expect_err("8 bytes");
        assert!(err.to_string().contains("8 bytes"), "{err}");
        let bad_code = TicketQrGrant {
            center_code: "mfc 1".to_owned(),
            ..grant()
        };
        let err = sample().with_ticket_qr(bad_code).expect_err("lower case");
        assert!(
            matches!(err, CredentialsError::TicketKeyInvalid { .. }),
            "{err}"
        );
    }

    #[test]
    fn new_rejects_non_hex_secret() {
        let err = Credentials::new(
            "http://127.0.0.1:9".to_owned(),
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            DeviceRole::Operator,
            "console".to_owned(),
            "not hex".to_owned(),
        )
        .expect_err("non-hex secret");
        assert!(matches!(err, CredentialsError::SecretNotHex));
    }
}
