//! The real [`ContactConfirmer`]: the signed sync client on a small tokio
//! runtime of its own. Every call is spawned there and returns at once, so
//! the UI thread does not wait for the network. A `code` call may take as
//! long as the server's delivery retries (see
//! `station::client::contacts::CODE_TIMEOUT`).

use domain::sync::ContactKind;
use station::client::{ClientError, SyncClient};
use station::Credentials;
use uuid::Uuid;

use crate::contacts::{ContactAnswer, ContactConfirmer, ContactReply};

/// Sends and checks codes through the sync server this kiosk is enrolled with.
pub struct StationContacts {
    client: SyncClient,
    runtime: tokio::runtime::Runtime,
}

/// The contact client could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the contact confirmation client could not be built: {0}")]
    Client(#[from] ClientError),
    #[error("the contact confirmation thread could not start: {0}")]
    Runtime(#[from] std::io::Error),
}

impl StationContacts {
    /// Builds the client from the kiosk's credentials and starts one
    /// worker thread for its calls.
    pub fn new(credentials: &Credentials) -> Result<StationContacts, StartError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("okno-contacts")
            .enable_all()
            .build()?;
        Ok(StationContacts {
            client: SyncClient::new(credentials)?,
            runtime,
        })
    }
}

impl ContactConfirmer for StationContacts {
    fn send_code(
        &self,
        request_id: Uuid,
        contact: ContactKind,
        value: Option<String>,
        reply: ContactReply,
    ) {
        let client = self.client.clone();
        self.runtime.spawn(async move {
            let outcome = match value {
                Some(value) => client.contact_code(request_id, contact, &value).await,
                None => client.contact_resend(request_id, contact).await,
            };
            reply.send(ContactAnswer::Code {
                request_id,
                contact,
                outcome,
            });
        });
    }

    fn verify(&self, request_id: Uuid, contact: ContactKind, code: String, reply: ContactReply) {
        let client = self.client.clone();
        self.runtime.spawn(async move {
            let outcome = client.contact_verify(request_id, contact, &code).await;
            reply.send(ContactAnswer::Verify {
                request_id,
                contact,
                outcome,
            });
        });
    }
}
