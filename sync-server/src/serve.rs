//! Running the HTTP server (HTTPS with rustls when a certificate is given)
//! and its one shutdown path.
//!
//! On SIGTERM or Ctrl-C the listener stops accepting, in-flight requests
//! get `shutdown_grace` to finish (a long-polling pull may be cut short),
//! then the WAL is checkpointed into the database file and the process
//! exits.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum_server::tls_rustls::RustlsConfig;
use domain::clock::SystemClock;

use crate::state::{AppState, Limits};
use crate::store::sqlite::{Durability, SqliteStore};
use crate::store::Store;

/// Options of `sync-server serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub database: PathBuf,
    pub listen: SocketAddr,
    pub durability: Durability,
    pub shutdown_grace: Duration,
    /// PEM certificate chain and private key; plain HTTP when `None`.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Contact confirmation settings; the endpoints answer 503 without them.
    pub contacts_config: Option<PathBuf>,
}

/// Opens the database, serves until a shutdown signal and checkpoints.
pub async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let database = options.database.clone();
    let durability = options.durability;
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&database, durability))
        .await
        .context("opening the database panicked")?
        .with_context(|| format!("cannot use database {}", options.database.display()))?;
    let store: Arc<dyn Store> = Arc::new(store);
    let mut state = AppState::new(Arc::clone(&store), Arc::new(SystemClock), Limits::default());
    if let Some(path) = &options.contacts_config {
        let config = crate::contacts::config::ContactsConfig::load(path)?;
        let service = crate::contacts::ContactService::from_config(&config)?;
        tracing::info!(
            sms = service.sms.is_some(),
            email = service.email.is_some(),
            "contact confirmation codes enabled"
        );
        state = state.with_contacts(service);
    }

    let listener = std::net::TcpListener::bind(options.listen).with_context(|| {
        format!(
            "cannot listen on {}; is another server using the port?",
            options.listen
        )
    })?;
    listener
        .set_nonblocking(true)
        .context("making the listener non-blocking")?;
    let address = listener.local_addr().context("reading the bound address")?;

    // The handle stops the accept loop on a signal and closes connections
    // still open after the grace period.
    let handle = axum_server::Handle::new();
    let signal_handle = handle.clone();
    let grace = options.shutdown_grace;
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!(
            grace_secs = grace.as_secs(),
            "shutdown requested; no new connections are accepted"
        );
        signal_handle.graceful_shutdown(Some(grace));
    });

    let service = crate::app(state).into_make_service();
    match &options.tls {
        Some((certificate, key)) => {
            let config = RustlsConfig::from_pem_file(certificate, key)
                .await
                .with_context(|| {
                    format!(
                        "cannot load the TLS certificate {} or key {}; both must be PEM files",
                        certificate.display(),
                        key.display()
                    )
                })?;
            tracing::info!(%address, tls = true, database = %options.database.display(), "sync server listening");
            axum_server::from_tcp_rustls(listener, config)?
                .handle(handle)
                .serve(service)
                .await
                .context("serving HTTPS failed")?;
        }
        None => {
            tracing::info!(%address, tls = false, database = %options.database.display(), "sync server listening");
            axum_server::from_tcp(listener)?
                .handle(handle)
                .serve(service)
                .await
                .context("serving HTTP failed")?;
        }
    }

    tokio::task::spawn_blocking(move || store.checkpoint())
        .await
        .context("checkpoint panicked")?
        .context("checkpointing the WAL failed")?;
    tracing::info!("sync server stopped");
    Ok(())
}

async fn wait_for_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(cause = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(cause = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
