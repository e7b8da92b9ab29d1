//! The seam through which the «Подтвердить личность электронной подписью»
//! step reaches a signature token (КЭП) and the sync server.
//!
//! Calls return at once. Results come back through a [`TokenReply`], from
//! any thread, and reach the screen through Slint's event loop, like the
//! contact codes do. Every result carries the attempt id it belongs to, so
//! a result that arrives after the visitor left the step is dropped.
//! [`crate::station_token::StationTokens`] is the implementation over a
//! PKCS#11 module and the signed sync client.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use domain::qualified_certificate::CertificateError;
use domain::sync::{SignatureChallenge, SignatureConfirmed};
use hardware::token::{Pin, TokenError};
use jiff::Timestamp;
use slint::ComponentHandle;
use ui::{KioskWindow, TokenAdapter};
use uuid::Uuid;

/// Reaches signature tokens and the server's signature endpoints.
pub trait SignatureTokens {
    /// Starts watching for a token. Each insertion is reported as
    /// [`TokenEvent::Inserted`] with its certificates, each removal as
    /// [`TokenEvent::Removed`], until [`SignatureTokens::stop`].
    fn watch(&self, attempt: Uuid, reply: TokenReply);

    /// Stops watching and drops the certificates read for `attempt`.
    fn stop(&self, attempt: Uuid);

    /// Asks the server for a challenge to sign with the certificate at
    /// `index` of the last [`TokenEvent::Inserted`].
    fn challenge(&self, attempt: Uuid, index: usize, reply: TokenReply);

    /// Logs in with `pin`, signs `challenge` with the key of the
    /// certificate at `index` and sends the signature to the server. The
    /// PIN is zeroed once the token has it.
    fn confirm(
        &self,
        attempt: Uuid,
        index: usize,
        challenge: SignatureChallenge,
        pin: Pin,
        reply: TokenReply,
    );
}

/// A certificate found on the token, described for the visitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateChoice {
    /// The holder's name as the certificate gives it (surname first).
    pub holder: String,
    /// The issuing certification center's name (its CN, or the whole
    /// distinguished name when it has none).
    pub issuer: String,
    pub valid_until: Timestamp,
    /// The local checks' result: the qualified certificate rules and the
    /// chain to the station's trust copy.
    pub check: Result<(), CertificateError>,
}

/// The reason the server did not confirm the identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerRefusal {
    /// The server could not be reached or did not respond in time.
    Offline,
    /// The server rejected the certificate (a `certificate.*` code), with
    /// its Russian message.
    Certificate { code: String, message: String },
    /// Any other refusal, with the server's code and Russian message.
    Other { code: String, message: String },
}

/// An event from the token watcher or the server, delivered to the UI thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenEvent {
    /// A token was inserted and these certificates were read from it.
    Inserted(Vec<CertificateChoice>),
    /// The token was removed, or the card that was not a token.
    Removed,
    /// A card whose ATR is not a known signature token's was inserted in
    /// the token reader.
    UnknownCard,
    /// The token or its module failed outside a signature.
    Failed(TokenError),
    /// The server issued a challenge for the chosen certificate.
    Challenge(SignatureChallenge),
    /// Signing failed on the token (wrong PIN, locked PIN, removed).
    SignFailed(TokenError),
    /// The server refused the challenge or the confirmation.
    Refused(ServerRefusal),
    /// The server confirmed the identity.
    Confirmed(SignatureConfirmed),
}

/// One result with the attempt it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAnswer {
    pub attempt: Uuid,
    pub event: TokenEvent,
}

/// Results waiting for the UI thread, oldest first.
pub(crate) type TokenInbox = Arc<Mutex<VecDeque<TokenAnswer>>>;

/// The destination of a result: the inbox the token step drains, and the
/// window whose event loop is woken to drain it. Clones share both.
#[derive(Clone)]
pub struct TokenReply {
    window: slint::Weak<KioskWindow>,
    inbox: TokenInbox,
}

impl TokenReply {
    pub(crate) fn new(window: slint::Weak<KioskWindow>, inbox: TokenInbox) -> Self {
        TokenReply { window, inbox }
    }

    /// Queues `event` for `attempt` and wakes the token step on the UI
    /// thread.
    pub fn send(&self, attempt: Uuid, event: TokenEvent) {
        self.inbox
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(TokenAnswer { attempt, event });

        // `upgrade` succeeds only on the UI thread; from any other the
        // wake-up travels through the event loop.
        if let Some(window) = self.window.upgrade() {
            window.global::<TokenAdapter>().invoke_answer_arrived();
            return;
        }
        let sent = self.window.upgrade_in_event_loop(|window| {
            window.global::<TokenAdapter>().invoke_answer_arrived();
        });
        if let Err(err) = sent {
            tracing::warn!(cause = %err, "token result dropped because the event loop has ended");
        }
    }
}
