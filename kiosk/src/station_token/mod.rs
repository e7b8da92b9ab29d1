//! The real [`SignatureTokens`]: a PKCS#11 module loaded by path, a
//! watcher thread that notices tokens ([`watch`]), the local certificate
//! checks ([`check`]), and the signed sync client on a small tokio runtime
//! of its own for the challenge and the confirmation.
//!
//! PKCS#11 calls can block for seconds (a token computing an RSA
//! signature), so none runs on the UI thread: the watcher has its own
//! thread, and signing runs on the runtime's blocking pool.

mod check;
mod watch;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use domain::clock::Clock;
use domain::sync::SignatureChallenge;
use hardware::token::{Pin, TokenCertificate, TokenError, TokenModule};
use station::client::signature::{ChallengeOutcome, ConfirmOutcome};
use station::client::{ClientError, SyncClient};
use station::{Credentials, Store};
use uuid::Uuid;

use crate::config::TokenConfig;
use crate::token::{ServerRefusal, SignatureTokens, TokenEvent, TokenReply};

/// Signature tokens through a PKCS#11 module and the sync server.
pub struct StationTokens {
    shared: Arc<Shared>,
    client: SyncClient,
    runtime: tokio::runtime::Runtime,
    /// The running watcher's stop flag; replaced by each `watch`.
    watcher: Mutex<Option<Arc<AtomicBool>>>,
}

/// State shared by the watcher thread and the signing tasks.
pub(crate) struct Shared {
    config: TokenConfig,
    /// The station store, for its trust directory copy.
    store: Arc<Store>,
    clock: Arc<dyn Clock>,
    /// Loaded on the first watch. A process initialises a PKCS#11 module
    /// once, so the kiosk keeps it until it exits.
    module: Mutex<Option<Arc<TokenModule>>>,
    /// The certificates of the last insertion, by attempt.
    certificates: Mutex<Option<(Uuid, Vec<TokenCertificate>)>>,
}

/// The token client could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the signature token client could not be built: {0}")]
    Client(#[from] ClientError),
    #[error("the signature token thread could not start: {0}")]
    Runtime(#[from] std::io::Error),
}

impl StationTokens {
    /// Builds the client from the kiosk's credentials. The module is
    /// loaded when the first visitor opens the token step, so a missing
    /// module does not stop the kiosk. That visitor reads the failure.
    pub fn new(
        config: TokenConfig,
        credentials: &Credentials,
        store: Arc<Store>,
        clock: Arc<dyn Clock>,
    ) -> Result<StationTokens, StartError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("okno-token")
            .enable_all()
            .build()?;
        Ok(StationTokens {
            shared: Arc::new(Shared {
                config,
                store,
                clock,
                module: Mutex::new(None),
                certificates: Mutex::new(None),
            }),
            client: SyncClient::new(credentials)?,
            runtime,
            watcher: Mutex::new(None),
        })
    }

    /// Returns the module path this kiosk reads tokens with.
    pub fn module_path(&self) -> &PathBuf {
        &self.shared.config.module
    }
}

impl Shared {
    /// Returns the loaded module, loading it on first use.
    fn module(&self) -> Result<Arc<TokenModule>, TokenError> {
        let mut slot = self.module.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(module) = slot.as_ref() {
            return Ok(Arc::clone(module));
        }
        let module = Arc::new(TokenModule::open(&self.config.module)?);
        *slot = Some(Arc::clone(&module));
        Ok(module)
    }

    fn set_certificates(&self, attempt: Uuid, certificates: Vec<TokenCertificate>) {
        *self
            .certificates
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some((attempt, certificates));
    }

    fn certificate(&self, attempt: Uuid, index: usize) -> Option<TokenCertificate> {
        let certificates = self
            .certificates
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match certificates.as_ref() {
            Some((stored, list)) if *stored == attempt => list.get(index).cloned(),
            _ => None,
        }
    }

    fn forget_certificates(&self) {
        *self
            .certificates
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl SignatureTokens for StationTokens {
    fn watch(&self, attempt: Uuid, reply: TokenReply) {
        let stop = Arc::new(AtomicBool::new(false));
        let previous = self
            .watcher
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .replace(Arc::clone(&stop));
        if let Some(previous) = previous {
            previous.store(true, Ordering::SeqCst);
        }
        let shared = Arc::clone(&self.shared);
        let spawned = std::thread::Builder::new()
            .name("token-watch".to_owned())
            .spawn(move || watch::run(&shared, attempt, &stop, &reply));
        if let Err(err) = spawned {
            // The reply moved into the closure that never ran; the screen
            // stays on «Вставьте токен» until the visitor leaves or idles.
            tracing::error!(cause = %err, "failed to start the token watch thread");
        }
    }

    fn stop(&self, attempt: Uuid) {
        if let Some(stop) = self
            .watcher
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            stop.store(true, Ordering::SeqCst);
        }
        self.shared.forget_certificates();
        tracing::debug!(%attempt, "token watch stopped");
    }

    fn challenge(&self, attempt: Uuid, index: usize, reply: TokenReply) {
        if self.shared.certificate(attempt, index).is_none() {
            tracing::warn!(%attempt, index, "challenge requested for an unknown certificate");
            reply.send(attempt, TokenEvent::Removed);
            return;
        }
        let client = self.client.clone();
        self.runtime.spawn(async move {
            let event = match client.signature_challenge(attempt).await {
                ChallengeOutcome::Issued(challenge) => TokenEvent::Challenge(challenge),
                ChallengeOutcome::Offline => TokenEvent::Refused(ServerRefusal::Offline),
                ChallengeOutcome::Refused { code, message } => {
                    TokenEvent::Refused(ServerRefusal::Other { code, message })
                }
            };
            reply.send(attempt, event);
        });
    }

    fn confirm(
        &self,
        attempt: Uuid,
        index: usize,
        challenge: SignatureChallenge,
        pin: Pin,
        reply: TokenReply,
    ) {
        let Some(certificate) = self.shared.certificate(attempt, index) else {
            drop(pin);
            reply.send(attempt, TokenEvent::Removed);
            return;
        };
        let shared = Arc::clone(&self.shared);
        let client = self.client.clone();
        self.runtime.spawn(async move {
            let message = challenge.message();
            let signed = tokio::task::spawn_blocking(move || {
                shared
                    .module()
                    .and_then(|module| module.sign_challenge(&certificate, pin, &message))
                    .map(|signature| (certificate, signature))
            })
            .await;
            let (certificate, signature) = match signed {
                Ok(Ok(signed)) => signed,
                Ok(Err(err)) => {
                    tracing::info!(%attempt, cause = %err, "challenge not signed on the token");
                    reply.send(attempt, TokenEvent::SignFailed(err));
                    return;
                }
                Err(join) => {
                    tracing::error!(%attempt, cause = %join, "the signing task failed");
                    let err = TokenError::Pkcs11 {
                        function: "Sign".to_owned(),
                        rv: "signing task failed".to_owned(),
                    };
                    reply.send(attempt, TokenEvent::SignFailed(err));
                    return;
                }
            };
            let outcome = client
                .signature_confirm(
                    &challenge,
                    &certificate.certificate.der,
                    signature.scheme,
                    &signature.bytes,
                )
                .await;
            let event = match outcome {
                ConfirmOutcome::Confirmed(confirmed) => TokenEvent::Confirmed(confirmed),
                ConfirmOutcome::Offline => TokenEvent::Refused(ServerRefusal::Offline),
                ConfirmOutcome::CertificateRejected { code, message } => {
                    TokenEvent::Refused(ServerRefusal::Certificate { code, message })
                }
                ConfirmOutcome::Refused { code, message } => {
                    TokenEvent::Refused(ServerRefusal::Other { code, message })
                }
            };
            reply.send(attempt, event);
        });
    }
}

impl Drop for StationTokens {
    fn drop(&mut self) {
        if let Some(stop) = self
            .watcher
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            stop.store(true, Ordering::SeqCst);
        }
    }
}
