//! The source of the current instant for every rule that depends on time.
//!
//! Domain code never reads the system clock itself: it takes a [`Clock`] (or
//! an instant as a value), so tests fix and move time with [`ManualClock`]
//! instead of sleeping. Time zones are left to callers: a clock returns a
//! UTC [`Timestamp`], and the screen converts it to the center's zone.

use std::sync::{Arc, Mutex, PoisonError};

use jiff::{SignedDuration, Timestamp};

/// A source of the current instant, shared between threads.
pub trait Clock: Send + Sync {
    /// Returns the current instant.
    fn now(&self) -> Timestamp;
}

/// The operating system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until a test sets or advances it.
///
/// It is safe to share between threads: a server under test and the test
/// driving it can hold the same `Arc<ManualClock>`.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Timestamp>,
}

impl ManualClock {
    /// Creates a clock that reads `start` until it is set or advanced.
    pub fn new(start: Timestamp) -> Self {
        ManualClock {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock to `instant`, which may be earlier than the current one.
    pub fn set(&self, instant: Timestamp) {
        *self.lock() = instant;
    }

    /// Moves the clock forward (or back, for a negative `by`) and returns the
    /// new instant.
    ///
    /// # Panics
    ///
    /// Panics when the result falls outside the range a [`Timestamp`] can
    /// represent (years -9999 to 9999), which no test needs.
    pub fn advance(&self, by: SignedDuration) -> Timestamp {
        let mut now = self.lock();
        *now = now
            .checked_add(by)
            .expect("a manual clock advanced past the range of jiff::Timestamp");
        *now
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Timestamp> {
        // A panic while the lock was held cannot leave a `Timestamp` half
        // written, so the value behind a poisoned lock is still good.
        self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.lock()
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

#[cfg(test)]
mod tests {
    use std::thread;

    use super::*;

    fn instant(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn manual_clock_reads_its_start() {
        let clock = ManualClock::new(instant("2026-12-04T09:00:00Z"));

        assert_eq!(clock.now(), instant("2026-12-04T09:00:00Z"));
        assert_eq!(clock.now(), instant("2026-12-04T09:00:00Z"));
    }

    #[test]
    fn manual_clock_advances_and_sets() {
        let clock = ManualClock::new(instant("2026-12-04T09:00:00Z"));

        let after = clock.advance(SignedDuration::from_secs(301));
        assert_eq!(after, instant("2026-12-04T09:05:01Z"));
        assert_eq!(clock.now(), instant("2026-12-04T09:05:01Z"));

        clock.advance(SignedDuration::from_secs(-61));
        assert_eq!(clock.now(), instant("2026-12-04T09:04:00Z"));

        clock.set(instant("2027-01-01T00:00:00Z"));
        assert_eq!(clock.now(), instant("2027-01-01T00:00:00Z"));
    }

    #[test]
    fn manual_clock_shared_between_threads() {
        let clock = Arc::new(ManualClock::new(instant("2026-12-04T09:00:00Z")));
        let shared: Arc<dyn Clock> = clock.clone();

        let workers: Vec<_> = (0..4)
            .map(|_| {
                let clock = Arc::clone(&clock);
                thread::spawn(move || {
                    for _ in 0..250 {
                        clock.advance(SignedDuration::from_secs(1));
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }

        assert_eq!(shared.now(), instant("2026-12-04T09:16:40Z"));
    }

    #[test]
    fn system_clock_is_after_2026() {
        let now = SystemClock.now();

        assert!(
            now > instant("2026-01-01T00:00:00Z"),
            "system clock reads {now}"
        );
    }
}
