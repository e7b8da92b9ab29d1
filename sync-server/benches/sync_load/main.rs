//! Load benchmark for the sync server (`cargo bench -p sync-server --bench
//! sync_load`): simulated kiosks push device alerts over loopback to the
//! release `sync-server` binary while display boards long-poll.
//!
//! Three phases, each printing its figures:
//! 1. Burst: every device pushes its batches of 100 events at the same
//!    instant. Gives throughput and push latency under a full queue.
//! 2. Steady: every device pushes a batch on a fixed schedule, with the
//!    devices' start times spread evenly over one interval. Latency runs
//!    from a push's scheduled time, so a late start counts as latency.
//! 3. Wake-up: a push until a long-polling board receives it.
//!
//! Tunables, by environment variable:
//! - `OKNO_BENCH_DEVICES`: simulated kiosks (default 1000).
//! - `OKNO_BENCH_BATCHES`: burst batches per device (default 2).
//! - `OKNO_BENCH_STEADY_BATCH`: events per steady push (default 10).
//! - `OKNO_BENCH_STEADY_INTERVAL_MS`: time between one device's steady
//!   pushes (default 1000).
//! - `OKNO_BENCH_STEADY_SECS`: length of the steady phase (default 10; 0
//!   skips it).
//! - `OKNO_BENCH_DURABILITY`: `full` or `normal` (default full).
//! - `OKNO_BENCH_CALLGRIND`: a file path; runs the server under
//!   `valgrind --tool=callgrind` and writes the instruction counts of the
//!   burst phase alone to that file.
//!
//! Every loop is bounded by a count and every wait by a deadline.

#![allow(clippy::unwrap_used)]

mod server;
mod station;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;
use tokio::time::Instant;
use uuid::Uuid;

use server::{cpu_seconds, Server};
use station::Station;

const BATCH: usize = 100;
const BOARDS: usize = 10;
const CALLS: usize = 50;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Push latencies of one phase with the time and CPU it took.
struct PhaseResult {
    events: usize,
    elapsed: Duration,
    server_cpu: f64,
    client_cpu: f64,
    /// Sorted.
    latencies: Vec<Duration>,
}

impl PhaseResult {
    fn print(&self, name: &str) {
        let seconds = self.elapsed.as_secs_f64();
        let latencies = &self.latencies;
        println!(
            "{name}: {} events in {seconds:.2} s = {:.0} events/s",
            self.events,
            self.events as f64 / seconds
        );
        println!(
            "{name}: CPU server {:.2} s, simulated devices {:.2} s",
            self.server_cpu, self.client_cpu
        );
        println!(
            "{name}: push latency over {} pushes: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            latencies.len(),
            millis(percentile(latencies, 0.5)),
            millis(percentile(latencies, 0.99)),
            millis(*latencies.last().unwrap())
        );
    }
}

/// Runs `pushes` (one task per device) and measures them. Each task
/// returns the latencies of its pushes.
async fn measure<F>(server: &Server, events: usize, pushes: Vec<F>) -> PhaseResult
where
    F: std::future::Future<Output = Vec<Duration>> + Send + 'static,
{
    let cpu_before = cpu_seconds(server.pid());
    let client_cpu_before = cpu_seconds(std::process::id());
    let started = Instant::now();
    let tasks: Vec<_> = pushes.into_iter().map(tokio::spawn).collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    PhaseResult {
        events,
        elapsed,
        server_cpu: cpu_seconds(server.pid()) - cpu_before,
        client_cpu: cpu_seconds(std::process::id()) - client_cpu_before,
        latencies,
    }
}

/// Pushes each device's batches back to back, all devices at once.
async fn burst(server: &Server, stations: &[Station], batches: usize) -> PhaseResult {
    // Bodies are built before the clock starts, so the simulated devices
    // spend their CPU on HTTP and signing only. They share the machine's
    // 2 cores with the server.
    let bodies = station::alert_batches(stations.len(), batches, BATCH);
    let pushes = stations
        .iter()
        .cloned()
        .zip(bodies)
        .map(|(station, bodies)| async move {
            let mut latencies = Vec::with_capacity(bodies.len());
            for body in bodies {
                let sent = Instant::now();
                station.send_bytes("POST", "/v1/sync/push", body).await;
                latencies.push(sent.elapsed());
            }
            latencies
        })
        .collect();
    server.count_instructions(true);
    let result = measure(server, stations.len() * batches * BATCH, pushes).await;
    server.count_instructions(false);
    result
}

/// Pushes a batch of `batch` events from every device every `interval` for
/// `length`. Device `i` starts `i / devices` of an interval after the first.
async fn steady(
    server: &Server,
    stations: &[Station],
    batch: usize,
    interval: Duration,
    length: Duration,
) -> PhaseResult {
    let rounds = (length.as_secs_f64() / interval.as_secs_f64()).ceil() as usize;
    let bodies = station::alert_batches(stations.len(), rounds, batch);
    let start = Instant::now() + Duration::from_millis(100);
    let devices = stations.len() as u32;
    let pushes = stations
        .iter()
        .cloned()
        .zip(bodies)
        .enumerate()
        .map(|(index, (station, bodies))| async move {
            let offset = interval * index as u32 / devices;
            let mut latencies = Vec::with_capacity(bodies.len());
            for (round, body) in bodies.into_iter().enumerate() {
                let scheduled = start + offset + interval * round as u32;
                tokio::time::sleep_until(scheduled).await;
                station.send_bytes("POST", "/v1/sync/push", body).await;
                latencies.push(scheduled.elapsed());
            }
            latencies
        })
        .collect();
    measure(server, stations.len() * rounds * batch, pushes).await
}

/// Pushes `CALLS` single events and records when each reached every
/// long-polling board; returns the sorted latencies.
async fn wake_up(caller: &Station, boards: Vec<Station>, cursor: u64) -> Vec<Duration> {
    let epoch = Instant::now();
    let (wake_sender, mut wakes) = tokio::sync::mpsc::unbounded_channel::<(u64, Duration)>();
    let mut board_tasks = Vec::new();
    for board in boards {
        let wake_sender = wake_sender.clone();
        board_tasks.push(tokio::spawn(async move {
            let mut cursor = cursor;
            for _ in 0..CALLS * 4 {
                let path = format!("/v1/sync/pull?cursor={cursor}&wait=10&limit=1000");
                let page = board.send("GET", &path, None).await;
                let received = epoch.elapsed();
                for change in page["changes"].as_array().unwrap() {
                    let detail = change["event"]["kind"]["data"]["detail"].as_str();
                    let call: u64 = detail.unwrap().parse().unwrap();
                    if wake_sender.send((call, received)).is_err() {
                        return;
                    }
                }
                cursor = page["next_cursor"].as_u64().unwrap();
            }
        }));
    }
    drop(wake_sender);

    let mut call_sent = Vec::new();
    let mut latencies = Vec::new();
    for call in 0..CALLS {
        let body = json!({"events": [{"id": Uuid::now_v7(), "occurred_at": "2026-12-04T06:00:00Z",
            "kind": {"type": "device_alert", "data": {"code": "call", "detail": call.to_string()}}}]});
        call_sent.push(epoch.elapsed());
        caller.send("POST", "/v1/sync/push", Some(&body)).await;
        // Wait until every board saw this call before the next one.
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = 0;
        while seen < BOARDS {
            let (seen_call, received) = tokio::time::timeout_at(deadline, wakes.recv())
                .await
                .expect("a board missed a call")
                .unwrap();
            latencies.push(received.saturating_sub(call_sent[seen_call as usize]));
            if seen_call as usize == call {
                seen += 1;
            }
        }
    }
    // The boards are still long-polling; stop them before the server goes,
    // so no pull is cut off mid-answer.
    for task in &board_tasks {
        task.abort();
    }
    latencies.sort();
    latencies
}

fn main() {
    let devices = env_or("OKNO_BENCH_DEVICES", 1000);
    let batches = env_or("OKNO_BENCH_BATCHES", 2);
    let steady_batch = env_or("OKNO_BENCH_STEADY_BATCH", 10);
    let steady_interval =
        Duration::from_millis(env_or("OKNO_BENCH_STEADY_INTERVAL_MS", 1000) as u64);
    let steady_length = Duration::from_secs(env_or("OKNO_BENCH_STEADY_SECS", 10) as u64);
    let durability = std::env::var("OKNO_BENCH_DURABILITY").unwrap_or_else(|_| "full".into());
    let callgrind_out = std::env::var_os("OKNO_BENCH_CALLGRIND").map(PathBuf::from);

    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("bench.sqlite3");
    let tokens = server::prepare(&database, devices + BOARDS + 1);
    let server = Server::start(&database, &durability, callgrind_out.as_deref());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(devices + BOARDS + 1)
            .build()
            .unwrap();
        let base = format!("http://{}", server.address);
        let mut stations = Vec::new();
        for token in &tokens {
            stations.push(Station::enroll(&client, &base, token).await);
        }
        let caller = stations.pop().unwrap();
        let boards: Vec<Station> = stations.drain(devices..).collect();

        println!("sync-server load benchmark ({durability} durability), {devices} devices");
        let burst = burst(&server, &stations, batches).await;
        println!("burst: {batches} batches of {BATCH} events per device, all at once");
        burst.print("burst");

        let mut pushed = burst.events;
        if !steady_length.is_zero() {
            let offered = (devices * steady_batch) as f64 / steady_interval.as_secs_f64();
            println!(
                "steady: a batch of {steady_batch} events every {} ms per device for {} s, \
                 offered {offered:.0} events/s",
                steady_interval.as_millis(),
                steady_length.as_secs()
            );
            let steady = steady(
                &server,
                &stations,
                steady_batch,
                steady_interval,
                steady_length,
            )
            .await;
            steady.print("steady");
            pushed += steady.events;
        }

        let wakes = wake_up(&caller, boards, pushed as u64).await;
        println!(
            "call-to-wake-up over {BOARDS} boards x {CALLS} calls: p50 {:.1} ms, p99 {:.1} ms",
            millis(percentile(&wakes, 0.5)),
            millis(percentile(&wakes, 0.99))
        );
        println!("server peak RSS: {} MiB", server.peak_rss_kib() / 1024);
    });
    drop(server);
}
