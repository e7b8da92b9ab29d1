//! The device's credentials file: the id, center, role and HMAC secret the
//! server granted at enrollment, stored as JSON readable only by the
//! station's user (mode 0600).
//!
//! The secret never reaches a log line: `Debug` prints `<redacted>`, and no
//! error here quotes the file's content.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use domain::sync::DeviceRole;
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
        })
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
        Ok(credentials)
    }
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
