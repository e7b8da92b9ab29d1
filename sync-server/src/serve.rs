//! Running the HTTP server and its one shutdown path.
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
use domain::clock::SystemClock;
use tokio::sync::Notify;

use crate::state::{AppState, Limits};
use crate::store::sqlite::{Durability, SqliteStore};
use crate::store::Store;

/// What `sync-server serve` needs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub database: PathBuf,
    pub listen: SocketAddr,
    pub durability: Durability,
    pub shutdown_grace: Duration,
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
    let state = AppState::new(Arc::clone(&store), Arc::new(SystemClock), Limits::default());

    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}; is another server using the port?",
                options.listen
            )
        })?;
    let address = listener.local_addr().context("reading the bound address")?;
    tracing::info!(%address, database = %options.database.display(), "sync server listening");

    let stopping = Arc::new(Notify::new());
    let signal = Arc::clone(&stopping);
    let server = axum::serve(listener, crate::app(state)).with_graceful_shutdown(async move {
        wait_for_signal().await;
        tracing::info!("shutdown requested; no new connections are accepted");
        signal.notify_one();
    });
    let server = std::future::IntoFuture::into_future(server);
    tokio::pin!(server);

    let grace = options.shutdown_grace;
    tokio::select! {
        result = &mut server => result.context("serving HTTP failed")?,
        () = async {
            stopping.notified().await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(grace_secs = grace.as_secs(), "in-flight requests did not finish in time; closing them");
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
