//! The server under test: a database with enrollment tokens, the release
//! `sync-server` process on a loopback port, and its CPU time and memory
//! read from `/proc`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use domain::clock::{Clock, SystemClock};
use domain::sync::DeviceRole;
use sync_server::secrets;
use sync_server::store::sqlite::{Durability, SqliteStore};
use sync_server::store::{Center, Store};
use uuid::Uuid;

const BINARY: &str = env!("CARGO_BIN_EXE_sync-server");

/// Creates the database with one center and returns `count` kiosk
/// enrollment tokens. The tokens are stored directly, as `sync-server
/// enroll-token` would, to skip a thousand CLI processes.
pub fn prepare(database: &Path, count: usize) -> Vec<String> {
    let store = SqliteStore::open(database, Durability::Normal).unwrap();
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
    (0..count)
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
        .collect()
}

/// The running server; dropping it kills the process.
pub struct Server {
    child: Child,
    pub address: SocketAddr,
    /// Runs under `valgrind --tool=callgrind` (see [`Server::start`]).
    callgrind: bool,
}

impl Server {
    /// Starts `sync-server serve` on an ephemeral loopback port and waits
    /// for the line that names the address.
    ///
    /// With `callgrind_out` set the server runs under callgrind with
    /// instrumentation off, and [`Server::count_instructions`] turns it on
    /// around a phase; the counts go to that file.
    pub fn start(database: &Path, durability: &str, callgrind_out: Option<&Path>) -> Server {
        let mut command = match callgrind_out {
            Some(out) => {
                let mut valgrind = Command::new("valgrind");
                valgrind
                    .arg("--tool=callgrind")
                    .arg("--instr-atstart=no")
                    .arg(format!("--callgrind-out-file={}", out.display()))
                    .arg(BINARY);
                valgrind
            }
            None => Command::new(BINARY),
        };
        let mut child = command
            .arg("--database")
            .arg(database)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--durability",
                durability,
            ])
            .env("RUST_LOG", "warn,sync_server::serve=info")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let address: SocketAddr = loop {
            let line = lines
                .next()
                .expect("the server exited before listening")
                .unwrap();
            if let Some(rest) = line.split("address=").nth(1) {
                break rest.split_whitespace().next().unwrap().parse().unwrap();
            }
        };
        // The server logs device alerts, so the pipe must keep draining or
        // the server blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Server {
            child,
            address,
            callgrind: callgrind_out.is_some(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Turns callgrind's instrumentation on (`true`), or writes the counts
    /// since it was turned on to the output file and turns it off. Does
    /// nothing without callgrind.
    pub fn count_instructions(&self, on: bool) {
        if !self.callgrind {
            return;
        }
        let pid = self.pid().to_string();
        let steps: &[&str] = if on {
            &["--instr=on"]
        } else {
            &["--dump", "--instr=off"]
        };
        for step in steps {
            let status = Command::new("callgrind_control")
                .args([step, pid.as_str()])
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success(), "callgrind_control {step} {pid} failed");
        }
    }

    /// Returns the server's peak resident set size in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Returns the CPU time a process used so far (user + system), from
/// `/proc/PID/stat` in clock ticks of 10 ms (the Linux default `USER_HZ`).
pub fn cpu_seconds(pid: u32) -> f64 {
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
