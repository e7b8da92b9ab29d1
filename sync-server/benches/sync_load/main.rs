//! Load benchmark for the sync server (`cargo bench -p sync-server --bench
//! sync_load`): N simulated kiosks push batches of 100 events over loopback
//! to the release `sync-server` binary while display boards long-poll.
//!
//! Prints events per second, p50/p99 push latency, p99 call-to-wake-up
//! latency (a push until a long-polling board receives it) and the
//! server's peak RSS. Tunables, by environment variable:
//! `OKNO_BENCH_DEVICES` (default 1000), `OKNO_BENCH_BATCHES` per device
//! (default 2), `OKNO_BENCH_DURABILITY` (`full` or `normal`, default full).
//! Every loop is bounded by a count and every wait by a deadline.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use domain::clock::{Clock, SystemClock};
use domain::sync::auth::{
    canonical_string, sign, HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP,
};
use domain::sync::DeviceRole;
use serde_json::{json, Value};
use sync_server::secrets;
use sync_server::store::sqlite::{Durability, SqliteStore};
use sync_server::store::{Center, Store};
use uuid::Uuid;

const BINARY: &str = env!("CARGO_BIN_EXE_sync-server");
const BATCH: usize = 100;
const BOARDS: usize = 10;
const CALLS: usize = 50;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Clone)]
struct Station {
    client: reqwest::Client,
    base: String,
    device: Uuid,
    secret: Vec<u8>,
}

impl Station {
    async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let bytes = body
            .map(|body| serde_json::to_vec(body).unwrap())
            .unwrap_or_default();
        self.send_bytes(method, path, bytes).await
    }

    async fn send_bytes(&self, method: &str, path: &str, bytes: Vec<u8>) -> Value {
        let timestamp = jiff::Timestamp::now().as_second();
        let nonce = hex::encode(Uuid::new_v4().as_bytes());
        let canonical = canonical_string(method, path, timestamp, &nonce, &bytes);
        let response = self
            .client
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .header(HEADER_DEVICE, self.device.to_string())
            .header(HEADER_TIMESTAMP, timestamp.to_string())
            .header(HEADER_NONCE, nonce)
            .header(HEADER_SIGNATURE, sign(&self.secret, &canonical))
            .header("content-type", "application/json")
            .body(bytes)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.unwrap()
    }
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index]
}

fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Returns the CPU time the process used so far (user + system), from
/// `/proc/PID/stat` in clock ticks of 10 ms (the Linux default `USER_HZ`).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    ticks as f64 / 100.0
}

fn main() {
    let devices = env_or("OKNO_BENCH_DEVICES", 1000);
    let batches = env_or("OKNO_BENCH_BATCHES", 2);
    let durability = std::env::var("OKNO_BENCH_DURABILITY").unwrap_or_else(|_| "full".into());
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("bench.sqlite3");

    // Devices are enrolled through HTTP with tokens stored directly, as
    // `sync-server enroll-token` would, to skip a thousand CLI processes.
    let store = SqliteStore::open(&database, Durability::Normal).unwrap();
    let now = SystemClock.now();
    let center = Uuid::now_v7();
    store
        .add_center(
            &Center {
                id: center,
                name: "Bench".into(),
                address: "Bench".into(),
                time_zone: "Europe/Moscow".into(),
                latitude: 55.0,
                longitude: 37.0,
            },
            now,
        )
        .unwrap();
    let expires = now
        .checked_add(jiff::SignedDuration::from_hours(1))
        .unwrap();
    let tokens: Vec<String> = (0..devices + BOARDS + 1)
        .map(|_| {
            let token = secrets::random_token(20);
            store
                .add_enroll_token(
                    center,
                    DeviceRole::Kiosk,
                    &secrets::sha256_hex(token.as_bytes()),
                    expires,
                    now,
                )
                .unwrap();
            token
        })
        .collect();
    drop(store);

    let mut child = Command::new(BINARY)
        .arg("--database")
        .arg(&database)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--durability",
            &durability,
        ])
        .env("RUST_LOG", "warn,sync_server::serve=info")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let server = Server(child);
    let address: SocketAddr = loop {
        let line = lines
            .next()
            .expect("the server exited before listening")
            .unwrap();
        if let Some(rest) = line.split("address=").nth(1) {
            break rest.split_whitespace().next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines.by_ref() {});

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let client = reqwest::Client::builder().pool_max_idle_per_host(devices + BOARDS + 1).build().unwrap();
        let base = format!("http://{address}");
        let mut stations = Vec::new();
        for token in &tokens {
            let grant: Value = client
                .post(format!("{base}/v1/enroll"))
                .json(&json!({"token": token, "label": "bench"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            stations.push(Station {
                client: client.clone(),
                base: base.clone(),
                device: grant["device_id"].as_str().unwrap().parse().unwrap(),
                secret: hex::decode(grant["secret"].as_str().unwrap()).unwrap(),
            });
        }
        let caller = stations.pop().unwrap();
        let boards: Vec<Station> = stations.drain(devices..).collect();

        // Phase 1: throughput and push latency. Bodies are built before the
        // clock starts, so the simulated devices spend their CPU on HTTP
        // and signing only; they share the machine's 2 cores with the server.
        let bodies: Vec<Vec<Vec<u8>>> = (0..devices)
            .map(|_| {
                (0..batches)
                    .map(|_| {
                        let events: Vec<Value> = (0..BATCH)
                            .map(|n| json!({"id": Uuid::now_v7(), "occurred_at": "2026-12-04T06:00:00Z",
                                "kind": {"type": "device_alert", "data": {"code": "bench", "detail": n.to_string()}}}))
                            .collect();
                        serde_json::to_vec(&json!({"events": events})).unwrap()
                    })
                    .collect()
            })
            .collect();
        let cpu_before = cpu_seconds(pid);
        let client_cpu_before = cpu_seconds(std::process::id());
        let started = Instant::now();
        let mut tasks = Vec::new();
        for (station, bodies) in stations.into_iter().zip(bodies) {
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(batches);
                for body in bodies {
                    let sent = Instant::now();
                    station.send_bytes("POST", "/v1/sync/push", body).await;
                    latencies.push(sent.elapsed());
                }
                latencies
            }));
        }
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await.unwrap());
        }
        let elapsed = started.elapsed();
        let server_cpu = cpu_seconds(pid) - cpu_before;
        let client_cpu = cpu_seconds(std::process::id()) - client_cpu_before;
        latencies.sort();
        let events = devices * batches * BATCH;
        let cursor = (events) as u64;

        // Phase 2: call-to-wake-up. Boards long-poll from the current head;
        // the caller pushes one event at a time and records when it left.
        let epoch = Instant::now();
        let (wake_sender, mut wakes) = tokio::sync::mpsc::unbounded_channel::<(u64, Duration)>();
        let mut board_tasks = Vec::new();
        for board in boards {
            let wake_sender = wake_sender.clone();
            board_tasks.push(tokio::spawn(async move {
                let mut cursor = cursor;
                for _ in 0..CALLS * 4 {
                    let page = board.send("GET", &format!("/v1/sync/pull?cursor={cursor}&wait=10&limit=1000"), None).await;
                    let received = epoch.elapsed();
                    for change in page["changes"].as_array().unwrap() {
                        let call: u64 = change["event"]["kind"]["data"]["detail"].as_str().unwrap().parse().unwrap();
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
        let mut wake_latencies = Vec::new();
        for call in 0..CALLS {
            let body = json!({"events": [{"id": Uuid::now_v7(), "occurred_at": "2026-12-04T06:00:00Z",
                "kind": {"type": "device_alert", "data": {"code": "call", "detail": call.to_string()}}}]});
            call_sent.push(epoch.elapsed());
            caller.send("POST", "/v1/sync/push", Some(&body)).await;
            // Wait until every board saw this call before the next one.
            let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
            let mut seen = 0;
            while seen < BOARDS {
                let (seen_call, received) = tokio::time::timeout_at(deadline, wakes.recv()).await.expect("a board missed a call").unwrap();
                let sent = call_sent[seen_call as usize];
                wake_latencies.push(received.saturating_sub(sent));
                if seen_call as usize == call {
                    seen += 1;
                }
            }
        }
        wake_latencies.sort();
        // The boards are still long-polling; stop them before the server
        // goes, so no pull is cut off mid-answer.
        for task in &board_tasks {
            task.abort();
        }

        println!("sync-server load benchmark ({durability} durability)");
        println!("devices: {devices}, batches per device: {batches}, events per batch: {BATCH}");
        println!("events: {events} in {:.2} s = {:.0} events/s", elapsed.as_secs_f64(), events as f64 / elapsed.as_secs_f64());
        println!("CPU during pushes: server {server_cpu:.2} s, simulated devices {client_cpu:.2} s");
        println!("push latency: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            percentile(&latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3,
            latencies.last().unwrap().as_secs_f64() * 1e3);
        println!("call-to-wake-up over {BOARDS} boards x {CALLS} calls: p50 {:.1} ms, p99 {:.1} ms",
            percentile(&wake_latencies, 0.5).as_secs_f64() * 1e3,
            percentile(&wake_latencies, 0.99).as_secs_f64() * 1e3);
        println!("server peak RSS: {} MiB", peak_rss_kib(pid) / 1024);
    });
    drop(server);
}
