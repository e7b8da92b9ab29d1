//! Shared state of the HTTP handlers: the store, the clock, the change
//! notifier that wakes long-polling pulls, the replay cache, the device key
//! cache and metrics.

use std::sync::Arc;

use domain::clock::Clock;
use jiff::SignedDuration;
use tokio::sync::watch;

use crate::auth::{DeviceCache, NonceCache};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::store::{Store, StoreError};

/// Tunable limits. [`Limits::default`] contains the production values.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How far a signed request's timestamp may be from the server clock.
    pub replay_window: SignedDuration,
    /// Lifetime of an operator session.
    pub session_lifetime: SignedDuration,
    /// Failed logins in a row that lock an operator account.
    pub lockout_after: u32,
    /// How long a lockout lasts.
    pub lockout_duration: SignedDuration,
    /// Lifetime of an enrollment token printed by the CLI.
    pub enroll_token_lifetime: SignedDuration,
    /// Lifetime of a signature challenge.
    pub signature_challenge_lifetime: SignedDuration,
    /// Signature challenges one kiosk may ask for within a period.
    pub signature_challenges_per_device: crate::contacts::config::Window,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // A push of 1,000 events with chip photos stays under this.
            max_body_bytes: 8 * 1024 * 1024,
            replay_window: SignedDuration::from_mins(5),
            session_lifetime: SignedDuration::from_hours(12),
            lockout_after: 5,
            lockout_duration: SignedDuration::from_mins(15),
            enroll_token_lifetime: SignedDuration::from_hours(24),
            // Long enough to type a PIN and let a slow token sign; short
            // enough that a challenge left on a screen is soon useless.
            signature_challenge_lifetime: SignedDuration::from_secs(120),
            // A visitor needs one challenge, a few more after a wrong PIN
            // or another certificate; 30 in 10 minutes is several visitors
            // in a row, and stops a kiosk stuck in a loop.
            signature_challenges_per_device: crate::contacts::config::Window {
                max: 30,
                period_secs: 600,
            },
        }
    }
}

/// Everything a handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub limits: Arc<Limits>,
    /// The newest committed server sequence; pulls wait on changes to it.
    pub changes: Arc<watch::Sender<u64>>,
    pub nonces: Arc<NonceCache>,
    /// Device keys by id, dropped whenever a device is revoked.
    pub devices: Arc<DeviceCache>,
    pub metrics: Arc<Metrics>,
    /// Contact confirmation codes; `None` answers 503 `contact.not_configured`.
    pub contacts: Option<Arc<crate::contacts::ContactService>>,
    /// Unix second the state was built; older signed requests are refused.
    pub started_at: i64,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, limits: Limits) -> Self {
        let (changes, _) = watch::channel(0);
        let started_at = clock.now().as_second();
        AppState {
            started_at,
            store,
            clock,
            limits: Arc::new(limits),
            changes: Arc::new(changes),
            nonces: Arc::new(NonceCache::default()),
            devices: Arc::new(DeviceCache::default()),
            metrics: Arc::new(Metrics::default()),
            contacts: None,
        }
    }

    /// Enables the contact confirmation endpoints; registration requests
    /// then need confirmed contacts when the settings say so.
    pub fn with_contacts(mut self, service: crate::contacts::ContactService) -> Self {
        self.store
            .require_confirmed_contacts(service.require_for_registration);
        self.contacts = Some(Arc::new(service));
        self
    }

    /// Runs a blocking store call on Tokio's blocking thread pool, so SQLite
    /// I/O and the store mutex never stall the async worker threads.
    pub async fn run_store<T, F>(&self, call: F) -> Result<T, ApiError>
    where
        F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let joined = tokio::task::spawn_blocking(move || call(store.as_ref())).await;
        match joined {
            Ok(result) => result.map_err(ApiError::from),
            Err(err) => Err(ApiError::internal(&err)),
        }
    }
}
