//! The operator's session at this console: who is logged in at which
//! window, until when, and when the screen locks for inactivity.
//!
//! The password itself is not kept: only a salted SHA-256 digest in memory,
//! enough to unlock the screen without the server (which may be offline).
//! [`SessionTokens`] keeps each operator's server session for the events
//! that operator recorded.

use std::collections::HashMap;

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

/// The server session tokens of the operators who logged in at this
/// console since it started, each kept in memory until the server's expiry.
///
/// A queued event goes to the server in the session of the operator who
/// recorded it, so the server attributes a decision to that operator even
/// when the link returns after a logout or a shift change. Tokens are not
/// written to disk, so after a restart an earlier operator's events wait
/// for that operator's next login here.
// No `Debug`: the tokens are secrets.
#[derive(Default)]
pub struct SessionTokens {
    /// The login of the operator at the window, if any.
    current: Option<String>,
    /// Token and expiry per operator login.
    tokens: HashMap<String, (String, Timestamp)>,
}

impl SessionTokens {
    /// Records a login; the operator's previous token is replaced.
    pub fn log_in(&mut self, login: &str, grant: &LoginGrant) {
        self.current = Some(login.to_owned());
        self.tokens
            .insert(login.to_owned(), (grant.session.clone(), grant.expires_at));
    }

    /// Ends the current operator's work at the window. The token stays
    /// until [`SessionTokens::prune`] finds none of that operator's events
    /// waiting.
    pub fn log_out(&mut self) {
        self.current = None;
    }

    /// Returns the login and token of the operator at the window.
    pub fn current(&self) -> Option<(String, String)> {
        let login = self.current.as_ref()?;
        let (token, _) = self.tokens.get(login)?;
        Some((login.clone(), token.clone()))
    }

    /// Returns the token to send an event of `author` with, or `None` when
    /// that operator has no live session here. An event without an author
    /// (recorded before authors were kept) goes with the current session.
    pub fn token_for(&self, author: Option<&str>, now: Timestamp) -> Option<String> {
        let login = match author {
            Some(author) => author,
            None => self.current.as_deref()?,
        };
        self.tokens
            .get(login)
            .filter(|(_, expires_at)| *expires_at > now)
            .map(|(token, _)| token.clone())
    }

    /// Drops the token of `login` after the server refused it.
    pub fn forget(&mut self, login: &str) {
        self.tokens.remove(login);
    }

    /// Drops expired tokens and those of logged-out operators with no
    /// event in `waiting_authors`.
    pub fn prune(&mut self, now: Timestamp, waiting_authors: impl Fn(&str) -> bool) {
        let current = self.current.clone();
        self.tokens.retain(|login, (_, expires_at)| {
            *expires_at > now && (current.as_deref() == Some(login) || waiting_authors(login))
        });
    }
}
