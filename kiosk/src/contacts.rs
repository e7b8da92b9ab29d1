//! The seam through which the «Введите код из SMS» step requests the server
//! to send and check one-time codes for the visitor's phone and e-mail.
//!
//! Calls return at once. The server's response comes back through a
//! [`ContactReply`], from any thread, and reaches the screen through
//! Slint's event loop. [`crate::station_contacts::StationContacts`] is the
//! implementation over the signed sync client.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use domain::sync::ContactKind;
use slint::ComponentHandle;
use station::client::contacts::{CodeOutcome, VerifyOutcome};
use ui::{ConfirmAdapter, KioskWindow};
use uuid::Uuid;

/// Sends and checks contact confirmation codes.
pub trait ContactConfirmer {
    /// Asks for a code to `value`, or with `None` for a new code to the
    /// contact of the earlier one (a resend).
    fn send_code(
        &self,
        request_id: Uuid,
        contact: ContactKind,
        value: Option<String>,
        reply: ContactReply,
    );

    /// Checks `code` as the visitor typed it.
    fn verify(&self, request_id: Uuid, contact: ContactKind, code: String, reply: ContactReply);
}

/// One response from the server, with the request and contact it is for,
/// so a response that arrives after the session moved on is recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactAnswer {
    Code {
        request_id: Uuid,
        contact: ContactKind,
        outcome: CodeOutcome,
    },
    Verify {
        request_id: Uuid,
        contact: ContactKind,
        outcome: VerifyOutcome,
    },
}

/// Responses waiting for the UI thread, oldest first.
pub(crate) type ContactInbox = Arc<Mutex<VecDeque<ContactAnswer>>>;

/// The destination of a response: the inbox the confirm step drains, and
/// the window whose event loop is woken to drain it.
pub struct ContactReply {
    window: slint::Weak<KioskWindow>,
    inbox: ContactInbox,
}

impl ContactReply {
    pub(crate) fn new(window: slint::Weak<KioskWindow>, inbox: ContactInbox) -> Self {
        ContactReply { window, inbox }
    }

    /// Queues `answer` and wakes the confirm step on the UI thread.
    pub fn send(self, answer: ContactAnswer) {
        self.inbox
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_back(answer);

        // `upgrade` succeeds only on the UI thread; from any other the
        // wake-up travels through the event loop.
        if let Some(window) = self.window.upgrade() {
            window.global::<ConfirmAdapter>().invoke_answer_arrived();
            return;
        }
        let sent = self.window.upgrade_in_event_loop(|window| {
            window.global::<ConfirmAdapter>().invoke_answer_arrived();
        });
        if let Err(err) = sent {
            tracing::warn!(cause = %err, "contact response dropped because the event loop has ended");
        }
    }
}
