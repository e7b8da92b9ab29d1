//! Enrolling a station with the sync server: `POST /v1/enroll` with the
//! one-time token, then the credentials file (mode 0600) and the device
//! metadata in the local store.
//!
//! The token, the secret and the center's ticket QR key are never logged.
//! The `kiosk provision` and `operator provision` subcommands call
//! [`provision`]; a kiosk and a console call [`complete_ticket_key`] when
//! they start, so a station enrolled before the server handed out the
//! ticket QR key fetches it once from `GET /v1/center/ticket-key`.

use std::path::{Path, PathBuf};

use domain::sync::EnrollRequest;
use jiff::Timestamp;

use crate::client::{self, ClientError, SyncClient};
use crate::credentials::{Credentials, CredentialsError};
use crate::store::{DeviceInfo, Store, StoreError};
use crate::sync::STORE_FILE;

/// Provisioning failed; nothing usable was written.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("cannot create the data directory {}: {source}", dir.display())]
    Directory {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("enrollment failed: {0}")]
    Enroll(ClientError),
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot start the network runtime: {0}")]
    Runtime(std::io::Error),
    #[error("cannot fetch the center's ticket QR key from the sync server: {0}; start the station again once the server is reachable, or provision it again")]
    TicketKey(String),
}

impl From<ClientError> for ProvisionError {
    fn from(err: ClientError) -> Self {
        ProvisionError::Enroll(err)
    }
}

/// Enrolls the station and stores its credentials in `dir`. Blocking: runs
/// its own small runtime, so call it from a plain thread (a CLI's `main`).
pub fn provision(
    server_url: &str,
    token: &str,
    label: &str,
    dir: &Path,
) -> Result<Credentials, ProvisionError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ProvisionError::Runtime)?;
    runtime.block_on(provision_async(server_url, token, label, dir))
}

/// The async form of [`provision`], for callers inside a runtime.
pub async fn provision_async(
    server_url: &str,
    token: &str,
    label: &str,
    dir: &Path,
) -> Result<Credentials, ProvisionError> {
    std::fs::create_dir_all(dir).map_err(|source| ProvisionError::Directory {
        dir: dir.to_path_buf(),
        source,
    })?;
    let server_url = server_url.trim_end_matches('/').to_owned();
    let http = client::http_client()?;
    let request = EnrollRequest {
        token: token.to_owned(),
        label: label.to_owned(),
    };
    let grant = client::enroll(&http, &server_url, &request).await?;
    let mut credentials = Credentials::new(
        server_url.clone(),
        grant.device_id,
        grant.center_id,
        grant.role,
        label.to_owned(),
        grant.secret,
    )?;
    credentials = match grant.ticket_qr {
        Some(ticket_qr) => credentials.with_ticket_qr(ticket_qr)?,
        None => fetch_ticket_key(credentials).await?,
    };
    let path = credentials.save(dir)?;

    let store = Store::open(dir.join(STORE_FILE))?;
    store.save_device(&DeviceInfo {
        device_id: credentials.device_id,
        center_id: credentials.center_id,
        role: credentials.role,
        server_url,
        label: label.to_owned(),
        enrolled_at: Timestamp::now(),
    })?;
    store.close()?;
    tracing::info!(
        device_id = %credentials.device_id,
        center_id = %credentials.center_id,
        role = credentials.role.as_str(),
        credentials = %path.display(),
        "station enrolled"
    );
    Ok(credentials)
}

/// Loads the credentials in `dir` and, when they lack the center's ticket
/// QR key, fetches it from the sync server and saves it. Blocks; safe to
/// call from inside an async runtime.
///
/// # Errors
///
/// Without the key and without the server, [`ProvisionError::TicketKey`]
/// says to start the station again while the server is reachable.
pub fn complete_ticket_key(dir: &Path) -> Result<Credentials, ProvisionError> {
    let credentials = Credentials::load(dir)?;
    if credentials.has_ticket_key() {
        return Ok(credentials);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ProvisionError::Runtime)?;
    // A thread of its own: a runtime cannot block inside another runtime.
    let fetched = std::thread::scope(|scope| {
        scope
            .spawn(|| runtime.block_on(fetch_ticket_key(credentials)))
            .join()
    })
    .map_err(|_| ProvisionError::TicketKey("the fetching thread panicked".to_owned()))??;
    fetched.save(dir)?;
    tracing::info!(device_id = %fetched.device_id, "center ticket QR key fetched and stored");
    Ok(fetched)
}

async fn fetch_ticket_key(credentials: Credentials) -> Result<Credentials, ProvisionError> {
    let client = SyncClient::new(&credentials)?;
    let grant = client
        .ticket_key()
        .await
        .map_err(|err| ProvisionError::TicketKey(err.to_string()))?;
    Ok(credentials.with_ticket_qr(grant)?)
}
