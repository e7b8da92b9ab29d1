//! The background worker: it delivers the outbox when the server answers
//! and long-polls the queue, and hands every result to the UI thread with
//! `slint::invoke_from_event_loop`. It never touches the UI itself.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::app::{with_state, Console};
use crate::backend::{Backend, PushError};
use crate::controllers::{queue, request};
use crate::outbox::Outbox;

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
    token: Arc<Mutex<Option<String>>>,
    delivery: Arc<Mutex<()>>,
    poll_wait: Duration,
    retry_interval: Duration,
}

/// Starts the worker for `console`.
pub fn start(console: &Console) -> Worker {
    let state = console.state();
    let link = Link {
        backend: state.deps.backend.clone(),
        outbox: state.deps.outbox.clone(),
        token: state.token.clone(),
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

/// Sends the outbox oldest first. Returns false when the server did not
/// answer; the undelivered events stay for the next round.
fn deliver_outbox(link: &Link) -> bool {
    let Some(token) = link
        .token
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone()
    else {
        return true;
    };
    let _delivery = link.delivery.lock().unwrap_or_else(PoisonError::into_inner);
    for event in link.outbox.pending() {
        let result = link.backend.push(&token, &event);
        if matches!(result, Err(PushError::Unreachable)) {
            return false;
        }
        link.outbox.mark_delivered(event.id);
        match &result {
            Ok(_) => {
                tracing::info!(event_id = %event.id, kind = event.kind.name(), "queued event delivered")
            }
            Err(error) => {
                tracing::warn!(event_id = %event.id, kind = event.kind.name(), cause = %error, "queued event rejected")
            }
        }
        let event_id = event.id;
        post(move |state| {
            request::delivered_later(state, event_id, result);
            state.show_pending();
        });
    }
    true
}
