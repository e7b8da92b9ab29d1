//! The console's real link to the sync server: operator login, the queue
//! from the pull long-poll, and events through the station's SQLite outbox.
//!
//! [`StationLink`] is both the [`Backend`] and the [`Outbox`] of a console,
//! because the two share one store. An event is committed to the outbox
//! before it is sent. [`Backend::push`] records the server's response
//! (acknowledged with the code a decision issued, or rejected) in the same
//! store, and the worker sends again whatever stays pending.
//! The server stores each event id once, so a resend after a lost answer
//! changes nothing.
//!
//! It does not run the station's background `SyncHandle`: the console's
//! worker thread already long-polls and delivers, and a decision needs the
//! server's answer (its code, or the 409) at once, which `POST
//! /v1/sync/event` gives. HTTP runs on a small tokio runtime owned here;
//! the blocking trait methods wait on it from the UI thread and the worker.

mod model;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use domain::clock::Clock;
use domain::sync::{
    AckOutcome, EventAck, EventEnvelope, EventKind, LoginGrant, LoginRequest, MAX_PULL_WAIT_SECS,
};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use station::client::{ClientError, SyncClient};
use station::credentials::CredentialsError;
use station::sync::STORE_FILE;
use station::{Credentials, Store, StoreError};
use uuid::Uuid;

use self::model::QueueModel;
use super::{Accepted, Backend, LoginError, PushError, QueueSnapshot, Unreachable};
use crate::outbox::{Outbox, OutboxError, QueuedEvent};

/// Changes asked for per pull.
const PULL_LIMIT: u32 = 500;

/// The link could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("{0}; enroll this console with `operator provision --server URL --token TOKEN --data-dir DIR` first")]
    Credentials(#[from] CredentialsError),
    #[error("the local database cannot be opened: {0}")]
    Store(#[from] StoreError),
    #[error("the sync client cannot start: {0}")]
    Client(#[from] ClientError),
    #[error("cannot start the network runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{0}")]
    TicketKey(station::ProvisionError),
}

/// A console's link to the sync server through its station store.
pub struct StationLink {
    client: SyncClient,
    store: Arc<Store>,
    runtime: tokio::runtime::Runtime,
    model: Mutex<QueueModel>,
    clock: Arc<dyn Clock>,
    time_zone: TimeZone,
}

impl StationLink {
    /// Opens the link of a console enrolled into `data_dir` (credentials
    /// and `station.sqlite`, as `operator provision` leaves them). The
    /// center's day, which the queue shows, is taken in `time_zone`.
    pub fn open(
        data_dir: &Path,
        clock: Arc<dyn Clock>,
        time_zone: TimeZone,
    ) -> Result<StationLink, LinkError> {
        // Fetches the center's ticket QR key once for a console enrolled
        // before the server handed it out.
        let credentials =
            station::provision::complete_ticket_key(data_dir).map_err(|err| match err {
                station::ProvisionError::Credentials(err) => LinkError::Credentials(err),
                other => LinkError::TicketKey(other),
            })?;
        let store = Arc::new(Store::open(data_dir.join(STORE_FILE))?);
        StationLink::new(store, &credentials, clock, time_zone)
    }

    /// Builds the link over an open store.
    pub fn new(
        store: Arc<Store>,
        credentials: &Credentials,
        clock: Arc<dyn Clock>,
        time_zone: TimeZone,
    ) -> Result<StationLink, LinkError> {
        let client = SyncClient::new(credentials)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("operator-http")
            .enable_all()
            .build()
            .map_err(LinkError::Runtime)?;
        let model = QueueModel::from_cache(&store)?;
        tracing::info!(server = %credentials.server_url, device_id = %credentials.device_id, "console linked to the sync server");
        Ok(StationLink {
            client,
            store,
            runtime,
            model: Mutex::new(model),
            clock,
            time_zone,
        })
    }

    /// Returns the station store, for counts and tests.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Returns the queue at the cached cursor, today's tickets only.
    fn snapshot(&self, version: u64) -> QueueSnapshot {
        let midnight = self
            .time_zone
            .to_datetime(self.clock.now())
            .date()
            .to_datetime(jiff::civil::Time::midnight());
        let today = self
            .time_zone
            .to_ambiguous_timestamp(midnight)
            .compatible()
            .unwrap_or(Timestamp::MIN);
        let tickets = self
            .model
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .tickets_since(today);
        QueueSnapshot { version, tickets }
    }

    /// Records the server's acknowledgement in the store and takes back the
    /// code it issued, if any.
    fn record_ack(&self, ack: &EventAck) -> Option<domain::sync::IssuedCode> {
        if let Err(error) = self
            .store
            .apply_acks(std::slice::from_ref(ack), self.clock.now())
        {
            tracing::error!(cause = %error, event_id = %ack.id, "cannot record the acknowledgement; the event will be sent again");
        }
        // The code goes to the slip now; the store keeps no copy.
        match self.store.take_issued_code(ack.id) {
            Ok(code) => code,
            Err(error) => {
                tracing::error!(cause = %error, event_id = %ack.id, "cannot read the issued code back");
                None
            }
        }
    }

    fn record_failure(&self, event_id: Uuid, code: &str, message: &str) {
        if let Err(error) = self
            .store
            .fail_event(event_id, code, message, self.clock.now())
        {
            tracing::error!(cause = %error, event_id = %event_id, "cannot mark the rejected event failed");
        }
    }
}

impl Backend for StationLink {
    fn log_in(&self, login: &str, password: &str) -> Result<LoginGrant, LoginError> {
        let request = LoginRequest {
            login: login.to_owned(),
            password: password.to_owned(),
        };
        match self.runtime.block_on(self.client.login(&request)) {
            Ok(grant) => Ok(grant),
            Err(ClientError::Server {
                code,
                locked_until: Some(until),
                ..
            }) if code == "login.locked" => Err(LoginError::LockedOut { until }),
            Err(error) if error.is_transient() => {
                tracing::warn!(cause = %error, "login: sync server unreachable");
                Err(LoginError::Unreachable)
            }
            Err(ClientError::Server { status: 401, .. }) => Err(LoginError::WrongCredentials),
            Err(error) => {
                tracing::warn!(cause = %error, "login rejected by the server");
                Err(LoginError::Refused {
                    message: match error {
                        ClientError::Server { message, .. } if !message.is_empty() => message,
                        _ => "Сервер не принял вход с этого рабочего места. Обратитесь к администратору.".to_owned(),
                    },
                })
            }
        }
    }

    fn wait_queue(&self, known: Option<u64>, wait: Duration) -> Result<QueueSnapshot, Unreachable> {
        let cursor = self.store.pull_cursor().map_err(|error| {
            tracing::error!(cause = %error, "cannot read the pull cursor");
            Unreachable
        })?;
        if known != Some(cursor) {
            return Ok(self.snapshot(cursor));
        }
        let wait_secs = u32::try_from(wait.as_secs())
            .unwrap_or(MAX_PULL_WAIT_SECS)
            .clamp(1, MAX_PULL_WAIT_SECS);
        let page = self
            .runtime
            .block_on(self.client.pull(cursor, PULL_LIMIT, wait_secs))
            .map_err(|error| {
                tracing::warn!(cause = %error, "queue pull failed");
                Unreachable
            })?;
        if let Err(error) = self.store.apply_pull(&page, true) {
            tracing::error!(cause = %error, "cannot apply pulled changes; they will be pulled again");
            return Ok(self.snapshot(cursor));
        }
        {
            let mut model = self.model.lock().unwrap_or_else(PoisonError::into_inner);
            for change in page.changes.iter().filter(|change| change.seq > cursor) {
                model.apply(&change.event.kind, change.event.occurred_at);
            }
        }
        tracing::debug!(
            cursor,
            next_cursor = page.next_cursor,
            changes = page.changes.len(),
            "queue pulled"
        );
        Ok(self.snapshot(page.next_cursor.max(cursor)))
    }

    fn push(&self, session: &str, event: &EventEnvelope) -> Result<Accepted, PushError> {
        self.client.set_session(Some(session.to_owned()));
        match self.runtime.block_on(self.client.send_event(event)) {
            Ok(ack) => match &ack.outcome {
                AckOutcome::Applied { .. } | AckOutcome::Duplicate { .. } => Ok(Accepted {
                    issued: self.record_ack(&ack),
                }),
                AckOutcome::Rejected {
                    code,
                    message,
                    current_state,
                } => {
                    self.record_ack(&ack);
                    Err(match current_state {
                        Some(current_state) => PushError::Conflict {
                            current_state: current_state.clone(),
                        },
                        None => PushError::Rejected {
                            code: code.clone(),
                            message: message.clone(),
                        },
                    })
                }
            },
            Err(error) if error.is_transient() => {
                if let Err(store_error) =
                    self.store
                        .note_push_failure(&[event.id], &error.code(), self.clock.now())
                {
                    tracing::error!(cause = %store_error, "cannot count the failed push");
                }
                Err(PushError::Unreachable)
            }
            // The device or the operator session is not accepted: no fault of
            // the event, which stays pending for a new login or a technician.
            Err(ClientError::Server {
                status: 401 | 403,
                code,
                message,
                ..
            }) => Err(PushError::Rejected { code, message }),
            Err(ClientError::Server {
                code,
                message,
                current_state,
                ..
            }) => {
                self.record_failure(event.id, &code, &message);
                Err(match current_state {
                    Some(current_state) => PushError::Conflict { current_state },
                    None => PushError::Rejected { code, message },
                })
            }
            Err(error) => {
                tracing::error!(cause = %error, event_id = %event.id, "push response not understood; the event stays pending");
                Err(PushError::Unreachable)
            }
        }
    }
}

impl Outbox for StationLink {
    fn record(
        &self,
        kind: EventKind,
        at: Timestamp,
        author: Option<&str>,
    ) -> Result<EventEnvelope, OutboxError> {
        let id = self
            .store
            .record_event_by(kind.clone(), at, author)
            .map_err(|error| OutboxError {
                cause: error.to_string(),
            })?;
        Ok(EventEnvelope {
            id,
            occurred_at: at,
            kind,
        })
    }

    fn pending(&self) -> Vec<QueuedEvent> {
        match self.store.pending_events(domain::sync::MAX_PUSH_EVENTS) {
            Ok(events) => events
                .into_iter()
                .map(|event| QueuedEvent {
                    envelope: event.envelope,
                    author: event.author,
                })
                .collect(),
            Err(error) => {
                tracing::error!(cause = %error, "cannot read the outbox");
                Vec::new()
            }
        }
    }

    /// Does nothing: [`Backend::push`] already recorded the response in the store.
    fn mark_delivered(&self, _id: Uuid) {}
}
