//! The trust loop: keeps the kiosk's copy of the trust directory current.
//! It asks `GET /v1/trust?since=<stored version>` at start and every
//! `trust_refresh`, and stores a changed page in one transaction. A
//! failed request backs off and the stored copy stays in use.

use domain::qualified_certificate::TrustDirectory;
use jiff::Timestamp;
use tokio::sync::watch;

use super::{sleep_or_shutdown, Shared, SyncConfig, SyncUpdate};
use crate::client::backoff::Backoff;
use crate::client::SyncClient;
use crate::store::TrustCopy;

pub(super) async fn run(
    shared: &Shared,
    client: &SyncClient,
    config: &SyncConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let Some(refresh) = config.trust_refresh else {
        return;
    };
    let mut backoff = Backoff::new(config.backoff_base, config.backoff_max);
    loop {
        if *shutdown.borrow() {
            return;
        }
        let delay = match refresh_once(shared, client).await {
            Ok(()) => {
                backoff.reset();
                refresh
            }
            Err(()) => backoff.next_delay().min(refresh),
        };
        if sleep_or_shutdown(delay, &mut shutdown).await {
            return;
        }
    }
}

/// Fetches the directory once and stores it when it changed. `Err` after
/// a failure, which is already logged.
async fn refresh_once(shared: &Shared, client: &SyncClient) -> Result<(), ()> {
    let since = match shared.store.trust_version() {
        Ok(version) => version.unwrap_or(0),
        Err(err) => {
            tracing::error!(cause = %err, "cannot read the trust directory version");
            return Err(());
        }
    };
    let page = match client.trust_directory(since).await {
        Ok(page) => page,
        Err(err) => {
            tracing::warn!(since, cause = %err, "trust directory not fetched; the stored copy stays in use");
            return Err(());
        }
    };
    if !page.changed {
        tracing::debug!(version = page.version, "trust directory unchanged");
        return Ok(());
    }
    let copy = match TrustCopy::from_page(&page, Timestamp::now()) {
        Ok(copy) => copy,
        Err(err) => {
            tracing::error!(version = page.version, cause = %err, "trust directory page rejected");
            return Err(());
        }
    };
    // A directory the kiosk cannot decode would leave it checking against
    // nothing, so the earlier copy stays until a good one arrives.
    if let Err(err) = TrustDirectory::from_der(&copy.anchors, &copy.intermediates, &copy.crls) {
        tracing::error!(version = copy.version, cause = %err, "trust directory page rejected");
        return Err(());
    }
    if let Err(err) = shared.store.save_trust(&copy) {
        tracing::error!(version = copy.version, cause = %err, "cannot store the trust directory");
        return Err(());
    }
    shared.emit(SyncUpdate::TrustUpdated {
        version: copy.version,
    });
    Ok(())
}
