//! Enrolling a station with the sync server: `POST /v1/enroll` with the
//! one-time token, then the credentials file (mode 0600) and the device
//! metadata in the local store.
//!
//! The token and the secret are never logged. The `kiosk provision` and
//! `operator provision` subcommands call [`provision`].

use std::path::{Path, PathBuf};

use domain::sync::EnrollRequest;
use jiff::Timestamp;

use crate::client::{self, ClientError};
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
    let credentials = Credentials::new(
        server_url.clone(),
        grant.device_id,
        grant.center_id,
        grant.role,
        label.to_owned(),
        grant.secret,
    )?;
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
