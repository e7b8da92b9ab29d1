//! The background sync service: a thread with its own tokio runtime that
//! pushes the outbox, long-polls for changes, keeps ticket number leases
//! topped up and, on a kiosk, refreshes the trust directory copy.
//!
//! Push sends pending events in batches; `applied` and `duplicate` acks
//! mark them acked, `rejected` marks them failed (kept, never dropped).
//! Network errors and 5xx back off exponentially with jitter. A batch the
//! server refuses as a whole (4xx) is halved until the one bad event is
//! found and marked failed, so it never blocks the events behind it.
//!
//! Shutdown ([`SyncHandle::shutdown`]) stops the loops, lets an in-flight
//! push finish within [`SHUTDOWN_GRACE`] and joins the thread. An abandoned
//! push loses nothing: its events stay pending and the server stores each
//! id once. Closing the store is left to its owner.

mod lease;
mod pull;
mod push;
mod status;
mod trust;

use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use domain::sync::DeviceRole;
use domain::ticket::ServiceCategory;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use tokio::sync::{watch, Notify};

pub use status::{Link, SyncStatus, SyncUpdate};

use crate::client::{ClientError, SyncClient};
use crate::credentials::Credentials;
use crate::store::Store;

/// The store's file name inside a station's data directory.
pub const STORE_FILE: &str = "station.sqlite";

/// How often a kiosk refreshes its trust directory copy by default. CRLs
/// of certification centers are usually reissued daily, so an hour keeps
/// the copy well within a CRL's life.
pub const TRUST_REFRESH: Duration = Duration::from_secs(60 * 60);

/// Maximum time an in-flight push may run after shutdown is requested.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Tuning of the sync service.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// Events per push, at most `domain::sync::MAX_PUSH_EVENTS`.
    pub batch_size: usize,
    /// Long-poll wait per pull, in seconds.
    pub pull_wait_secs: u32,
    /// Changes per pull page.
    pub pull_limit: u32,
    /// How often the push loop looks at the outbox when nothing woke it.
    pub idle_poll: Duration,
    /// First retry delay after a failure.
    pub backoff_base: Duration,
    /// Maximum retry delay.
    pub backoff_max: Duration,
    /// Categories this station issues tickets in (empty on a console).
    pub lease_categories: Vec<ServiceCategory>,
    /// Numbers asked for per lease.
    pub lease_block: u16,
    /// A new block is asked for when fewer numbers than this are left.
    pub lease_threshold: u32,
    /// The center's time zone, which decides the day a ticket belongs to.
    pub time_zone: TimeZone,
    /// Whether pulled visitor data are cached (an operator console).
    pub keep_personal_data: bool,
    /// How often the trust directory copy is refreshed; `None` keeps no
    /// copy (an operator console checks no signature tokens).
    pub trust_refresh: Option<Duration>,
}

impl SyncConfig {
    /// Defaults for a station of `role` in a center in `time_zone`.
    pub fn for_role(role: DeviceRole, time_zone: TimeZone) -> SyncConfig {
        let (lease_categories, keep_personal_data, trust_refresh) = match role {
            DeviceRole::Kiosk => (ServiceCategory::ALL.to_vec(), false, Some(TRUST_REFRESH)),
            DeviceRole::Operator => (Vec::new(), true, None),
        };
        SyncConfig {
            batch_size: 100,
            pull_wait_secs: 25,
            pull_limit: 500,
            idle_poll: Duration::from_secs(10),
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            lease_categories,
            lease_block: 50,
            lease_threshold: 10,
            time_zone,
            keep_personal_data,
            trust_refresh,
        }
    }

    /// Returns the center's current day, which ticket numbers belong to.
    pub fn today(&self) -> jiff::civil::Date {
        self.time_zone.to_datetime(Timestamp::now()).date()
    }
}

/// The sync service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("cannot start the sync thread: {0}")]
    Thread(std::io::Error),
}

/// State shared by the loops and the handle.
pub(crate) struct Shared {
    store: Arc<Store>,
    status: Mutex<SyncStatus>,
    on_update: Box<dyn Fn(SyncUpdate) + Send + Sync>,
}

impl Shared {
    fn emit(&self, update: SyncUpdate) {
        (self.on_update)(update);
    }

    /// Changes the status with `change`, refreshes the outbox counts and
    /// reports the new status if anything differs.
    fn update_status(&self, change: impl FnOnce(&mut SyncStatus)) {
        let mut status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        let before = status.clone();
        change(&mut status);
        match self.store.outbox_counts() {
            Ok(counts) => {
                status.outbox_pending = counts.pending;
                status.outbox_failed = counts.failed;
            }
            Err(err) => tracing::warn!(cause = %err, "cannot count the outbox"),
        }
        if let Ok(cursor) = self.store.pull_cursor() {
            status.pull_cursor = cursor;
        }
        if *status != before {
            let snapshot = status.clone();
            drop(status);
            self.emit(SyncUpdate::Status(snapshot));
        }
    }

    fn link_up(&self) {
        self.update_status(|status| {
            status.link = Link::Up;
            status.last_sync_at = Some(Timestamp::now());
            status.last_error = None;
        });
    }

    fn link_down(&self, err: &ClientError) {
        self.update_status(|status| {
            status.link = Link::Down;
            status.last_error = Some(err.code());
        });
    }
}

/// The running sync service. Dropping it shuts it down like
/// [`SyncHandle::shutdown`].
pub struct SyncHandle {
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    push_now: Arc<Notify>,
    client: SyncClient,
    thread: Option<JoinHandle<()>>,
}

impl SyncHandle {
    /// Starts the service on its own thread. `on_update` runs on that
    /// thread for every [`SyncUpdate`].
    pub fn start(
        store: Arc<Store>,
        credentials: &Credentials,
        config: SyncConfig,
        on_update: impl Fn(SyncUpdate) + Send + Sync + 'static,
    ) -> Result<SyncHandle, StartError> {
        let client = SyncClient::new(credentials)?;
        let shared = Arc::new(Shared {
            store,
            status: Mutex::new(SyncStatus::default()),
            on_update: Box::new(on_update),
        });
        shared.update_status(|_| {});
        let (shutdown, shutdown_rx) = watch::channel(false);
        let push_now = shared.store.outbox_signal();
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("okno-sync".to_owned())
            .spawn({
                let client = client.clone();
                move || run(thread_shared, client, config, shutdown_rx)
            })
            .map_err(StartError::Thread)?;
        tracing::info!(server = %credentials.server_url, device_id = %credentials.device_id, "sync service started");
        Ok(SyncHandle {
            shared,
            shutdown,
            push_now,
            client,
            thread: Some(thread),
        })
    }

    /// Returns the current status, with the outbox counts read now.
    pub fn status(&self) -> SyncStatus {
        let mut status = self
            .shared
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Ok(counts) = self.shared.store.outbox_counts() {
            status.outbox_pending = counts.pending;
            status.outbox_failed = counts.failed;
        }
        status
    }

    /// Sets the operator session the push loop sends with decisions, after
    /// a login through [`SyncHandle::client`]; `None` after logout.
    pub fn set_session(&self, session: Option<String>) {
        self.client.set_session(session);
        self.push_now();
    }

    /// Returns a client sharing the service's credentials and session, for
    /// requests the UI makes itself (operator login).
    pub fn client(&self) -> &SyncClient {
        &self.client
    }

    /// Wakes the push loop now, such as after an operator's decision.
    pub fn push_now(&self) {
        self.push_now.notify_one();
    }

    /// Stops the loops, lets an in-flight push finish (at most
    /// [`SHUTDOWN_GRACE`]) and joins the sync thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("the sync thread panicked");
            }
            tracing::info!("sync service stopped");
        }
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(
    shared: Arc<Shared>,
    client: SyncClient,
    config: SyncConfig,
    shutdown: watch::Receiver<bool>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            tracing::error!(cause = %err, "cannot build the sync runtime; sync is off");
            return;
        }
    };
    runtime.block_on(async {
        tokio::join!(
            push::run(&shared, &client, &config, shutdown.clone()),
            pull::run(&shared, &client, &config, shutdown.clone()),
            lease::run(&shared, &client, &config, shutdown.clone()),
            trust::run(&shared, &client, &config, shutdown.clone()),
        );
    });
}

/// Waits for `delay` unless shutdown comes first; returns `true` on shutdown.
async fn sleep_or_shutdown(delay: Duration, shutdown: &mut watch::Receiver<bool>) -> bool {
    if *shutdown.borrow() {
        return true;
    }
    tokio::select! {
        () = tokio::time::sleep(delay) => false,
        _ = shutdown.changed() => true,
    }
}
