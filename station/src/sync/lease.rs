//! The lease loop: keeps a kiosk's blocks of ticket numbers topped up, so
//! it can issue tickets while the server is unreachable.
//!
//! A category gets a new block when fewer than `lease_threshold` numbers
//! are left for the center's current day. The loop checks after every
//! ticket issued, every minute (which also catches a new day), and after
//! a failed request with backoff.

use std::time::Duration;

use domain::sync::LeaseRequest;
use jiff::Timestamp;
use tokio::sync::watch;

use super::{sleep_or_shutdown, Shared, SyncConfig};
use crate::client::backoff::Backoff;
use crate::client::SyncClient;

/// How often the leases are checked when no ticket was issued.
const LEASE_POLL: Duration = Duration::from_secs(60);

pub(super) async fn run(
    shared: &Shared,
    client: &SyncClient,
    config: &SyncConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    if config.lease_categories.is_empty() {
        return;
    }
    let signal = shared.store.lease_signal();
    let mut backoff = Backoff::new(config.backoff_base, config.backoff_max);

    loop {
        if *shutdown.borrow() {
            return;
        }
        match top_up(shared, client, config).await {
            Ok(()) => {
                backoff.reset();
                tokio::select! {
                    () = signal.notified() => {}
                    () = tokio::time::sleep(LEASE_POLL) => {}
                    _ = shutdown.changed() => return,
                }
            }
            Err(()) => {
                if sleep_or_shutdown(backoff.next_delay(), &mut shutdown).await {
                    return;
                }
            }
        }
    }
}

/// Asks for a block for every category below the threshold. `Err` after
/// the first failure, which is already logged.
async fn top_up(shared: &Shared, client: &SyncClient, config: &SyncConfig) -> Result<(), ()> {
    let day = config.today();
    for &category in &config.lease_categories {
        let remaining = shared
            .store
            .remaining_numbers(category, day)
            .map_err(|err| tracing::error!(cause = %err, "cannot count leased numbers"))?;
        if remaining >= config.lease_threshold {
            continue;
        }
        let request = LeaseRequest {
            category,
            count: config.lease_block,
        };
        let grant = match client.lease(&request).await {
            Ok(grant) => grant,
            Err(err) => {
                if err.is_transient() {
                    shared.link_down(&err);
                }
                tracing::warn!(cause = %err, category = category.code(), remaining, "lease request failed");
                return Err(());
            }
        };
        shared.link_up();
        if grant.day != day {
            // The server's day differs from ours (a clock or time zone
            // mismatch); the block is stored but issues nothing today.
            tracing::warn!(server_day = %grant.day, station_day = %day, "leased block is for another day");
        }
        shared
            .store
            .add_lease(&grant, Timestamp::now())
            .map_err(|err| tracing::error!(cause = %err, "cannot store the lease"))?;
        if grant.day != day {
            // NOTE: retrying at once would take a new block on every try; the
            // next regular check (after a ticket or a minute) asks again,
            // which still takes one block a minute while the days differ.
            return Ok(());
        }
    }
    Ok(())
}
