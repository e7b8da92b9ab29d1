//! The operator's session at this console: who is logged in at which
//! window, until when, and when the screen locks for inactivity.
//!
//! The password itself is not kept: only a salted SHA-256 digest in memory,
//! enough to unlock the screen without the server (which may be offline).

use domain::sync::LoginGrant;
use domain::ticket::WindowNumber;
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A logged-in operator.
pub struct Session {
    pub login: String,
    pub window: WindowNumber,
    pub grant: LoginGrant,
    pub last_activity: Timestamp,
    pub locked: bool,
    salt: [u8; 16],
    password_digest: [u8; 32],
}

impl Session {
    /// Opens a session after the server accepted `password`.
    pub fn new(
        login: &str,
        password: &str,
        window: WindowNumber,
        grant: LoginGrant,
        now: Timestamp,
    ) -> Self {
        // A UUIDv7 carries 74 random bits, enough for an in-memory salt.
        let salt = Uuid::now_v7().into_bytes();
        Session {
            login: login.to_owned(),
            window,
            grant,
            last_activity: now,
            locked: false,
            salt,
            password_digest: digest(&salt, password),
        }
    }

    /// Tells whether `password` is the one the session was opened with.
    pub fn password_matches(&self, password: &str) -> bool {
        digest(&self.salt, password) == self.password_digest
    }

    /// Tells whether the screen should lock at `now` after `idle` without input.
    pub fn idle_for(&self, idle: SignedDuration, now: Timestamp) -> bool {
        now.duration_since(self.last_activity) >= idle
    }

    /// Tells whether the server session has expired at `now`.
    pub fn expired(&self, now: Timestamp) -> bool {
        now >= self.grant.expires_at
    }
}

fn digest(salt: &[u8], password: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(password.as_bytes());
    hasher.finalize().into()
}
