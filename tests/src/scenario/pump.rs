//! Turning the testing backend's event loop: work posted from other
//! threads (the console's queue worker, a chip read) reaches the windows
//! only while the loop runs, so waits run it in short turns until a
//! condition is true or a deadline passes.

use std::time::{Duration, Instant};

use super::ScenarioError;

/// Runs the event loop until everything posted so far is handled.
pub fn turn() {
    let posted = slint::invoke_from_event_loop(|| {
        let _ = slint::quit_event_loop();
    });
    if posted.is_ok() {
        if let Err(err) = slint::run_event_loop() {
            tracing::warn!(cause = %err, "the event loop did not run");
        }
    }
}

/// Turns the event loop until `done` returns true, failing after `limit`.
pub fn wait_until(
    what: &str,
    limit: Duration,
    mut done: impl FnMut() -> bool,
) -> Result<(), ScenarioError> {
    let deadline = Instant::now() + limit;
    loop {
        turn();
        if done() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(ScenarioError::Timeout {
                what: what.to_owned(),
                seconds: limit.as_secs(),
            });
        }
        // Gives the worker threads a moment between turns; the condition,
        // not this pause, decides when the wait ends.
        std::thread::sleep(Duration::from_millis(5));
    }
}
