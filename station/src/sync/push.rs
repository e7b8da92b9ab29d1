//! The push loop: sends pending outbox events in batches and records the
//! server's answer for each.
//!
//! Store calls here block the sync thread for one short local transaction;
//! the thread serves only sync, so nothing else waits on it.

use domain::sync::{AckOutcome, PushBatch, MAX_PUSH_EVENTS};
use jiff::Timestamp;
use tokio::sync::watch;
use tracing::Instrument;
use uuid::Uuid;

use super::{sleep_or_shutdown, Shared, SyncConfig, SyncUpdate, SHUTDOWN_GRACE};
use crate::client::backoff::Backoff;
use crate::client::{ClientError, SyncClient};

pub(super) async fn run(
    shared: &Shared,
    client: &SyncClient,
    config: &SyncConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let signal = shared.store.outbox_signal();
    let full_batch = config.batch_size.clamp(1, MAX_PUSH_EVENTS);
    let mut batch_size = full_batch;
    let mut backoff = Backoff::new(config.backoff_base, config.backoff_max);

    loop {
        if *shutdown.borrow() {
            return;
        }
        let events = match shared.store.pending_events(batch_size) {
            Ok(events) => events,
            Err(err) => {
                tracing::error!(cause = %err, "cannot read the outbox");
                if sleep_or_shutdown(backoff.next_delay(), &mut shutdown).await {
                    return;
                }
                continue;
            }
        };
        if events.is_empty() {
            tokio::select! {
                () = signal.notified() => {}
                () = tokio::time::sleep(config.idle_poll) => {}
                _ = shutdown.changed() => return,
            }
            continue;
        }

        let ids: Vec<Uuid> = events.iter().map(|event| event.envelope.id).collect();
        let batch = PushBatch {
            events: events.into_iter().map(|event| event.envelope).collect(),
        };
        let span = tracing::info_span!("push", events = ids.len());
        let Some(result) = push_within_grace(client, &batch, &mut shutdown)
            .instrument(span)
            .await
        else {
            tracing::info!("shutdown: abandoned an in-flight push; its events stay pending");
            return;
        };

        match result {
            Ok(answer) => {
                backoff.reset();
                batch_size = full_batch;
                record_answer(shared, &answer.acks);
                shared.link_up();
            }
            Err(err) if err.is_transient() => {
                note_failure(shared, &ids, &err);
                shared.link_down(&err);
                let delay = backoff.next_delay();
                tracing::warn!(cause = %err, retry_in_ms = delay.as_millis() as u64, "push failed; will retry");
                if sleep_or_shutdown(delay, &mut shutdown).await {
                    return;
                }
            }
            Err(
                err @ ClientError::Server {
                    status: 401 | 403, ..
                },
            ) => {
                // The device is unknown, revoked or its clock is off: no event
                // is at fault, so all stay pending until a technician acts.
                note_failure(shared, &ids, &err);
                shared.link_down(&err);
                let delay = backoff.next_delay();
                tracing::error!(cause = %err, retry_in_ms = delay.as_millis() as u64, "server rejected the device");
                if sleep_or_shutdown(delay, &mut shutdown).await {
                    return;
                }
            }
            Err(err) => {
                shared.link_up();
                if ids.len() > 1 {
                    // One event made the whole batch invalid; halve until it
                    // is alone, then mark it failed.
                    batch_size = (ids.len() / 2).max(1);
                    tracing::warn!(cause = %err, next_batch = batch_size, "server rejected a batch; narrowing it");
                } else {
                    let message = match &err {
                        ClientError::Server { message, .. } => message.clone(),
                        other => other.to_string(),
                    };
                    fail_single(shared, ids[0], &err.code(), &message);
                }
            }
        }
    }
}

/// Sends the batch; after shutdown is asked, waits at most [`SHUTDOWN_GRACE`]
/// more. `None` means the push was abandoned.
async fn push_within_grace(
    client: &SyncClient,
    batch: &PushBatch,
    shutdown: &mut watch::Receiver<bool>,
) -> Option<Result<domain::sync::PushAck, ClientError>> {
    let push = client.push(batch);
    tokio::pin!(push);
    tokio::select! {
        result = &mut push => return Some(result),
        _ = shutdown.changed() => {}
    }
    tokio::time::timeout(SHUTDOWN_GRACE, push).await.ok()
}

fn record_answer(shared: &Shared, acks: &[domain::sync::EventAck]) {
    match shared.store.apply_acks(acks, Timestamp::now()) {
        Ok(summary) => {
            tracing::info!(
                acked = summary.acked,
                rejected = summary.rejected,
                "push answered"
            );
            for event_id in summary.codes_issued {
                shared.emit(SyncUpdate::CodeIssued { event_id });
            }
        }
        Err(err) => {
            tracing::error!(cause = %err, "cannot record the push answer; the events will be pushed again")
        }
    }
    for ack in acks {
        if let AckOutcome::Rejected { code, .. } = &ack.outcome {
            shared.emit(SyncUpdate::EventRejected {
                event_id: ack.id,
                code: code.clone(),
            });
        }
    }
}

fn note_failure(shared: &Shared, ids: &[Uuid], err: &ClientError) {
    if let Err(store_err) = shared
        .store
        .note_push_failure(ids, &err.code(), Timestamp::now())
    {
        tracing::error!(cause = %store_err, "cannot count the failed push");
    }
}

fn fail_single(shared: &Shared, event_id: Uuid, code: &str, message: &str) {
    tracing::warn!(event_id = %event_id, code, "server rejected an event; kept as failed");
    match shared
        .store
        .fail_event(event_id, code, message, Timestamp::now())
    {
        Ok(()) => shared.emit(SyncUpdate::EventRejected {
            event_id,
            code: code.to_owned(),
        }),
        Err(err) => tracing::error!(cause = %err, "cannot mark the event failed"),
    }
    shared.update_status(|_| {});
}
