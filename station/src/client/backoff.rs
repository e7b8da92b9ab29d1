//! Exponential backoff with jitter for retrying the sync server.
//!
//! The delay doubles from `base` on each failure up to `max`, and a random
//! factor in `[1/2, 1]` spreads the retries of many stations that lost
//! the server at the same moment, so they do not return in one burst.

use std::time::Duration;

/// Backoff state for one loop; reset after a success.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    failures: u32,
}

impl Backoff {
    /// Creates a backoff that starts at `base` and never exceeds `max`.
    pub fn new(base: Duration, max: Duration) -> Self {
        Backoff {
            base,
            max,
            failures: 0,
        }
    }

    /// Forgets earlier failures after a success.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// Returns how many failures in a row this backoff has seen.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Counts a failure and returns the delay before the next try, using
    /// the thread's random generator for the jitter.
    pub fn next_delay(&mut self) -> Duration {
        self.next_delay_with(rand::random_range(0.0..=1.0))
    }

    /// Counts a failure and returns the delay for a jitter `unit` in
    /// `[0, 1]` (0 gives half the full delay, 1 the full delay).
    pub fn next_delay_with(&mut self, unit: f64) -> Duration {
        let full = self.full_delay();
        self.failures = self.failures.saturating_add(1);
        full.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0))
    }

    fn full_delay(&self) -> Duration {
        let factor = 2u32.saturating_pow(self.failures.min(31));
        self.base.saturating_mul(factor).min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_doubles_up_to_max() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_millis(1000));
        let delays: Vec<u128> = (0..6)
            .map(|_| backoff.next_delay_with(1.0).as_millis())
            .collect();
        assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(backoff.failures(), 6);
    }

    #[test]
    fn jitter_spans_half_to_full() {
        let mut low = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));
        let mut high = low.clone();
        low.next_delay_with(0.0);
        high.next_delay_with(1.0);
        assert_eq!(low.next_delay_with(0.0), Duration::from_millis(100));
        assert_eq!(high.next_delay_with(1.0), Duration::from_millis(200));
    }

    #[test]
    fn reset_starts_over() {
        let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(10));
        backoff.next_delay_with(1.0);
        backoff.next_delay_with(1.0);
        backoff.reset();
        assert_eq!(backoff.next_delay_with(1.0), Duration::from_millis(100));
    }

    #[test]
    fn many_failures_do_not_overflow() {
        let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        for _ in 0..100 {
            backoff.next_delay_with(1.0);
        }
        assert_eq!(backoff.next_delay_with(1.0), Duration::from_secs(30));
    }
}
