//! Prometheus text metrics: request counts and latencies by route, push
//! batch and pull page sizes, lease grants, the ticket numbers each
//! kiosk has left, contact codes and signature confirmations. Labels are
//! route templates, status codes, category codes, outcome and rejection
//! codes and device ids only, never anything a visitor typed.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency histogram, in seconds.
const LATENCY_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

/// Upper bounds of the push batch size histogram, in events.
const BATCH_BUCKETS: [f64; 6] = [1.0, 10.0, 50.0, 100.0, 500.0, 1000.0];

#[derive(Default, Clone)]
struct Histogram {
    counts: Vec<u64>,
    sum: f64,
    total: u64,
}

impl Histogram {
    fn observe(&mut self, bounds: &[f64], value: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; bounds.len()];
        }
        for (count, bound) in self.counts.iter_mut().zip(bounds) {
            if value <= *bound {
                *count += 1;
            }
        }
        self.sum += value;
        self.total += 1;
    }

    fn render(&self, out: &mut String, name: &str, labels: &str, bounds: &[f64]) {
        let separator = if labels.is_empty() { "" } else { "," };
        for (count, bound) in self.counts.iter().zip(bounds) {
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{separator}le=\"{bound}\"}} {count}"
            );
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{separator}le=\"+Inf\"}} {}",
            self.total
        );
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.total);
    }
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    batch_sizes: Histogram,
    pull_sizes: Histogram,
    leases_granted: BTreeMap<String, u64>,
    leases_exhausted: BTreeMap<String, u64>,
    codes_redeemed: BTreeMap<&'static str, u64>,
    contact_codes: BTreeMap<(&'static str, &'static str), u64>,
    signature_challenges: BTreeMap<&'static str, u64>,
    signature_confirmations: BTreeMap<String, u64>,
}

/// Counters shared by every handler.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts one finished request; `route` is the matched route template.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let mut inner = self.inner();
        *inner
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        inner
            .latency
            .entry(route.to_owned())
            .or_default()
            .observe(&LATENCY_BUCKETS, elapsed.as_secs_f64());
    }

    pub fn observe_batch(&self, events: usize) {
        self.inner()
            .batch_sizes
            .observe(&BATCH_BUCKETS, events as f64);
    }

    /// Counts one pull answer by the number of changes it carried.
    pub fn observe_pull(&self, changes: usize) {
        self.inner()
            .pull_sizes
            .observe(&BATCH_BUCKETS, changes as f64);
    }

    pub fn lease_granted(&self, category: &str) {
        *self
            .inner()
            .leases_granted
            .entry(category.to_owned())
            .or_default() += 1;
    }

    pub fn lease_exhausted(&self, category: &str) {
        *self
            .inner()
            .leases_exhausted
            .entry(category.to_owned())
            .or_default() += 1;
    }

    /// Counts one redemption attempt by outcome (`redeemed`, `unknown`,
    /// `expired`, `used`).
    pub fn code_redeemed(&self, outcome: &'static str) {
        *self.inner().codes_redeemed.entry(outcome).or_default() += 1;
    }

    /// Counts one contact code event by contact kind and outcome
    /// (`delivered`, `not_delivered`, `refused`, `verified`, `rejected`).
    pub fn contact_code(&self, contact: &'static str, outcome: &'static str) {
        *self
            .inner()
            .contact_codes
            .entry((contact, outcome))
            .or_default() += 1;
    }

    /// Counts one signature challenge request by outcome (`issued`,
    /// `rate_limited`).
    pub fn signature_challenge(&self, outcome: &'static str) {
        *self
            .inner()
            .signature_challenges
            .entry(outcome)
            .or_default() += 1;
    }

    /// Counts one signature confirmation by outcome: `confirmed`, or the
    /// stable code it was rejected with (`signature.*`, `certificate.*`).
    pub fn signature_confirmation(&self, outcome: &str) {
        *self
            .inner()
            .signature_confirmations
            .entry(outcome.to_owned())
            .or_default() += 1;
    }

    /// Renders every metric in the Prometheus text format 0.0.4.
    pub fn render(&self) -> String {
        let inner = self.inner();
        let mut out = String::new();

        out.push_str(
            "# HELP okno_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE okno_http_requests_total counter\n");
        for ((method, route, status), count) in &inner.requests {
            let _ = writeln!(
                out,
                "okno_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {count}"
            );
        }

        out.push_str("# HELP okno_http_request_duration_seconds HTTP request latency by route.\n");
        out.push_str("# TYPE okno_http_request_duration_seconds histogram\n");
        for (route, histogram) in &inner.latency {
            let labels = format!("route=\"{route}\"");
            histogram.render(
                &mut out,
                "okno_http_request_duration_seconds",
                &labels,
                &LATENCY_BUCKETS,
            );
        }

        out.push_str("# HELP okno_sync_push_batch_events Events per push batch.\n");
        out.push_str("# TYPE okno_sync_push_batch_events histogram\n");
        inner
            .batch_sizes
            .render(&mut out, "okno_sync_push_batch_events", "", &BATCH_BUCKETS);

        out.push_str("# HELP okno_sync_pull_page_changes Changes per pull answer.\n");
        out.push_str("# TYPE okno_sync_pull_page_changes histogram\n");
        inner
            .pull_sizes
            .render(&mut out, "okno_sync_pull_page_changes", "", &BATCH_BUCKETS);

        out.push_str(
            "# HELP okno_leases_granted_total Ticket number blocks granted, by category.\n",
        );
        out.push_str("# TYPE okno_leases_granted_total counter\n");
        for (category, count) in &inner.leases_granted {
            let _ = writeln!(
                out,
                "okno_leases_granted_total{{category=\"{category}\"}} {count}"
            );
        }
        out.push_str("# HELP okno_leases_exhausted_total Lease requests refused because the day's numbers ran out.\n");
        out.push_str("# TYPE okno_leases_exhausted_total counter\n");
        for (category, count) in &inner.leases_exhausted {
            let _ = writeln!(
                out,
                "okno_leases_exhausted_total{{category=\"{category}\"}} {count}"
            );
        }
        out.push_str(
            "# HELP okno_codes_redeemed_total Confirmation code redemptions, by outcome.\n",
        );
        out.push_str("# TYPE okno_codes_redeemed_total counter\n");
        for (outcome, count) in &inner.codes_redeemed {
            let _ = writeln!(
                out,
                "okno_codes_redeemed_total{{outcome=\"{outcome}\"}} {count}"
            );
        }
        out.push_str("# HELP okno_contact_codes_total Contact confirmation codes, by contact kind and outcome.\n");
        out.push_str("# TYPE okno_contact_codes_total counter\n");
        for ((contact, outcome), count) in &inner.contact_codes {
            let _ = writeln!(
                out,
                "okno_contact_codes_total{{contact=\"{contact}\",outcome=\"{outcome}\"}} {count}"
            );
        }
        out.push_str(
            "# HELP okno_signature_challenges_total Signature challenge requests, by outcome.\n",
        );
        out.push_str("# TYPE okno_signature_challenges_total counter\n");
        for (outcome, count) in &inner.signature_challenges {
            let _ = writeln!(
                out,
                "okno_signature_challenges_total{{outcome=\"{outcome}\"}} {count}"
            );
        }
        out.push_str("# HELP okno_signature_confirmations_total Signature confirmations, by outcome or rejection code.\n");
        out.push_str("# TYPE okno_signature_confirmations_total counter\n");
        for (outcome, count) in &inner.signature_confirmations {
            let _ = writeln!(
                out,
                "okno_signature_confirmations_total{{outcome=\"{outcome}\"}} {count}"
            );
        }
        out
    }
}

/// Ticket numbers one kiosk can still issue today in one category.
pub struct NumbersLeft {
    pub device_id: uuid::Uuid,
    pub category: String,
    pub left: u32,
}

/// Renders the `okno_lease_numbers_left` gauge, computed from the store at
/// scrape time so it survives restarts.
pub fn render_numbers_left(out: &mut String, rows: &[NumbersLeft]) {
    out.push_str(
        "# HELP okno_lease_numbers_left Leased ticket numbers a kiosk has not issued yet today, by device and category.\n",
    );
    out.push_str("# TYPE okno_lease_numbers_left gauge\n");
    for row in rows {
        let _ = writeln!(
            out,
            "okno_lease_numbers_left{{device=\"{}\",category=\"{}\"}} {}",
            row.device_id, row.category, row.left
        );
    }
}
