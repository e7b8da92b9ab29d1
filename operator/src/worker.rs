//! The background worker: it delivers the outbox when the server answers
//! and long-polls the queue, and hands every result to the UI thread with
//! `slint::invoke_from_event_loop`. It never touches the UI itself.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use domain::clock::Clock;

use crate::app::{with_state, Console};
use crate::backend::{Backend, PushError};
use crate::controllers::{queue, request};
use crate::outbox::Outbox;
use crate::session::SessionTokens;

/// A running worker. Dropping it asks the thread to stop after its current
/// long-poll; [`Worker::stop`] also waits for it.
pub struct Worker {
    stop: mpsc::Sender<()>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Stops the thread and waits for it (at most one long-poll).
    pub fn stop(mut self) {
        let _ = self.stop.send(());
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!("queue worker panicked");
            }
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.stop.send(());
    }
}

struct Link {
    backend: Arc<dyn Backend>,
    outbox: Arc<dyn Outbox>,
    tokens: Arc<Mutex<SessionTokens>>,
    clock: Arc<dyn Clock>,
    delivery: Arc<Mutex<()>>,
    poll_wait: Duration,
    retry_interval: Duration,
}

/// The server's error code for an operator session that expired or ended.
const SESSION_EXPIRED: &str = "session.expired";

/// Starts the worker for `console`.
pub fn start(console: &Console) -> Worker {
    let state = console.state();
    let link = Link {
        backend: state.deps.backend.clone(),
        outbox: state.deps.outbox.clone(),
        tokens: state.tokens.clone(),
        clock: state.deps.clock.clone(),
        delivery: state.delivery.clone(),
        poll_wait: state.deps.settings.poll_wait,
        retry_interval: state.deps.settings.retry_interval,
    };
    let (stop, stopped) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("queue-worker".to_owned())
        .spawn(move || run(&link, &stopped))
        .expect("the OS can start one more thread");
    Worker {
        stop,
        thread: Some(thread),
    }
}

/// Posts `action` to the UI thread; a closed event loop drops it.
fn post(action: impl FnOnce(&crate::app::State) + Send + 'static) {
    if slint::invoke_from_event_loop(move || with_state(|state| action(state))).is_err() {
        tracing::debug!("event loop closed; worker result dropped");
    }
}

fn run(link: &Link, stopped: &mpsc::Receiver<()>) {
    tracing::info!("queue worker started");
    let mut known = None;
    loop {
        match stopped.try_recv() {
            Ok(()) | Err(mpsc::TryRecvError::Disconnected) => break,
            Err(mpsc::TryRecvError::Empty) => {}
        }

        let delivered = deliver_outbox(link);
        let queue = if delivered {
            link.backend.wait_queue(known, link.poll_wait).ok()
        } else {
            None
        };
        match queue {
            Some(snapshot) => {
                known = Some(snapshot.version);
                post(move |state| {
                    state.set_online(true);
                    queue::apply_snapshot(state, snapshot);
                });
            }
            None => {
                known = None;
                post(|state| state.set_online(false));
                match stopped.recv_timeout(link.retry_interval) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
                }
            }
        }
    }
    tracing::info!("queue worker stopped");
}

/// Sends the outbox oldest first, each event in the session of the
/// operator who recorded it. Returns false when the server did not
/// respond, and the undelivered events stay for the next round. An event whose
/// operator has no live session here stays too, until that operator logs
/// in again at this console.
fn deliver_outbox(link: &Link) -> bool {
    let _delivery = link.delivery.lock().unwrap_or_else(PoisonError::into_inner);
    let mut waiting_for_login = 0_usize;
    for event in link.outbox.pending() {
        let author = event.author.as_deref();
        let token = link
            .tokens
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .token_for(author, link.clock.now());
        let Some(token) = token else {
            waiting_for_login += 1;
            continue;
        };
        let envelope = &event.envelope;
        let result = link.backend.push(&token, envelope);
        match &result {
            Err(PushError::Unreachable) => return false,
            // The server ended that session; the event waits for the
            // operator's next login instead of going under someone else's.
            Err(PushError::Rejected { code, .. }) if code == SESSION_EXPIRED => {
                tracing::warn!(event_id = %envelope.id, kind = envelope.kind.name(), "queued event waits: its operator's session has ended");
                if let Some(author) = author {
                    link.tokens
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .forget(author);
                }
                waiting_for_login += 1;
                continue;
            }
            Ok(_) => {
                tracing::info!(event_id = %envelope.id, kind = envelope.kind.name(), "queued event delivered")
            }
            Err(error) => {
                tracing::warn!(event_id = %envelope.id, kind = envelope.kind.name(), cause = %error, "queued event rejected")
            }
        }
        link.outbox.mark_delivered(envelope.id);
        let event_id = envelope.id;
        post(move |state| {
            request::delivered_later(state, event_id, result);
            state.show_pending();
        });
    }
    if waiting_for_login > 0 {
        tracing::debug!(
            waiting_for_login,
            "queued events wait for their operators to log in"
        );
    }
    let waiting = link.outbox.pending();
    link.tokens
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .prune(link.clock.now(), |login| {
            waiting
                .iter()
                .any(|event| event.author.as_deref() == Some(login))
        });
    true
}
