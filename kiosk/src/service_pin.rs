//! The technician's PIN for the kiosk's service mode: set at provisioning,
//! stored as an argon2id PHC string in `service-pin` in the data directory
//! (mode 0600), checked when a technician opens the service mode.
//!
//! The PIN itself is never stored, logged or printed. Asking for it at a
//! terminal is left to the `provision` command.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

/// The file name inside the kiosk's data directory.
pub const PIN_FILE: &str = "service-pin";

/// The minimum and maximum number of digits in a PIN.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 6..=12;

/// The PIN could not be set.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error(
        "Неверный ПИН техника: нужно от 6 до 12 цифр (the technician PIN must be 6 to 12 digits)"
    )]
    Invalid,
    #[error("hashing the PIN failed: {0}")]
    Hash(String),
    #[error("cannot {action} {}: {source}; check the data directory belongs to the kiosk's user", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Checks that `pin` is 6 to 12 digits.
pub fn check_form(pin: &str) -> Result<(), PinError> {
    if PIN_DIGITS.contains(&pin.len()) && pin.bytes().all(|byte| byte.is_ascii_digit()) {
        Ok(())
    } else {
        Err(PinError::Invalid)
    }
}

/// Hashes `pin` with argon2id and writes it to `dir`, replacing an earlier
/// PIN atomically (a temporary file, synced, renamed).
pub fn set(dir: &Path, pin: &str) -> Result<PathBuf, PinError> {
    check_form(pin)?;
    let hash = Argon2::default()
        .hash_password(pin.as_bytes())
        .map_err(|err| PinError::Hash(err.to_string()))?
        .to_string();
    let path = dir.join(PIN_FILE);
    let temporary = dir.join(format!(".{PIN_FILE}.tmp"));
    let io = |action, source| PinError::Io {
        action,
        path: path.clone(),
        source,
    };
    let _ = fs::remove_file(&temporary);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .map_err(|err| io("create", err))?;
    file.write_all(hash.as_bytes())
        .map_err(|err| io("write", err))?;
    file.sync_all().map_err(|err| io("sync", err))?;
    fs::rename(&temporary, &path).map_err(|err| io("rename", err))?;
    File::open(dir)
        .and_then(|dir| dir.sync_all())
        .map_err(|err| io("sync the directory of", err))?;
    Ok(path)
}

/// Checks `pin` against the stored hash in `dir`. A missing or unreadable
/// file refuses every PIN, so the service mode stays closed until the
/// kiosk is provisioned with one.
pub fn verify(dir: &Path, pin: &str) -> bool {
    let path = dir.join(PIN_FILE);
    let stored = match fs::read_to_string(&path) {
        Ok(stored) => stored,
        Err(err) => {
            tracing::warn!(path = %path.display(), cause = %err, "no technician PIN stored; service mode stays closed");
            return false;
        }
    };
    Argon2::default()
        .verify_password(pin.as_bytes(), stored.trim())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn set_then_verify() {
        let dir = tempfile::tempdir().unwrap();
        let path = set(dir.path(), "204816").unwrap();
        let stored = fs::read_to_string(&path).unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("204816"));
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(verify(dir.path(), "204816"));
        assert!(!verify(dir.path(), "204817"));
    }

    #[test]
    fn missing_file_refuses_every_pin() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!verify(dir.path(), "204816"));
    }

    #[test]
    fn form_is_six_to_twelve_digits() {
        assert!(check_form("123456").is_ok());
        assert!(check_form("123456789012").is_ok());
        assert!(matches!(check_form("12345"), Err(PinError::Invalid)));
        assert!(matches!(
            check_form("1234567890123"),
            Err(PinError::Invalid)
        ));
        assert!(matches!(check_form("12345a"), Err(PinError::Invalid)));
    }
}
