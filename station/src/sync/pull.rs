//! The pull loop: long-polls the server for the center's changes and
//! applies each page to the local cache with its cursor in one transaction.

use std::time::{Duration, Instant};

use domain::sync::{MAX_PULL_LIMIT, MAX_PULL_WAIT_SECS};
use tokio::sync::watch;

use super::{sleep_or_shutdown, Shared, SyncConfig, SyncUpdate};
use crate::client::backoff::Backoff;
use crate::client::SyncClient;

/// The shortest time between two empty pulls, in case a server answers at
/// once instead of holding the long-poll.
const MIN_EMPTY_PULL_INTERVAL: Duration = Duration::from_millis(500);

pub(super) async fn run(
    shared: &Shared,
    client: &SyncClient,
    config: &SyncConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let limit = config.pull_limit.clamp(1, MAX_PULL_LIMIT);
    let wait = config.pull_wait_secs.min(MAX_PULL_WAIT_SECS);
    let mut backoff = Backoff::new(config.backoff_base, config.backoff_max);

    loop {
        if *shutdown.borrow() {
            return;
        }
        let cursor = match shared.store.pull_cursor() {
            Ok(cursor) => cursor,
            Err(err) => {
                tracing::error!(cause = %err, "cannot read the pull cursor");
                if sleep_or_shutdown(backoff.next_delay(), &mut shutdown).await {
                    return;
                }
                continue;
            }
        };
        let started = Instant::now();
        // A long-poll holds no local state, so shutdown cancels it at once.
        let result = tokio::select! {
            result = client.pull(cursor, limit, wait) => result,
            _ = shutdown.changed() => return,
        };
        match result {
            Ok(page) => {
                backoff.reset();
                match shared.store.apply_pull(&page, config.keep_personal_data) {
                    Ok(count) => {
                        tracing::debug!(
                            cursor,
                            next_cursor = page.next_cursor,
                            count,
                            "pulled changes"
                        );
                        shared.link_up();
                        if count > 0 {
                            shared.emit(SyncUpdate::ChangesApplied { count });
                        }
                    }
                    Err(err) => {
                        tracing::error!(cause = %err, "cannot apply pulled changes; will pull them again");
                        if sleep_or_shutdown(backoff.next_delay(), &mut shutdown).await {
                            return;
                        }
                        continue;
                    }
                }
                let quick_and_empty =
                    page.changes.is_empty() && started.elapsed() < MIN_EMPTY_PULL_INTERVAL;
                if quick_and_empty
                    && sleep_or_shutdown(MIN_EMPTY_PULL_INTERVAL, &mut shutdown).await
                {
                    return;
                }
            }
            Err(err) => {
                shared.link_down(&err);
                let delay = backoff.next_delay();
                tracing::warn!(cause = %err, retry_in_ms = delay.as_millis() as u64, "pull failed; will retry");
                if sleep_or_shutdown(delay, &mut shutdown).await {
                    return;
                }
            }
        }
    }
}
