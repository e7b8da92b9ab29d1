//! A real `sync-server` process for the cross-crate tests: started on a
//! loopback address, its address read from its own log, killed when
//! dropped, and its administration commands run as a technician would.
//!
//! The binary is this package's `okno-test-sync-server`, which Cargo builds
//! for every integration test of the package.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Bound on the wait for a starting server to log its address.
const START_DEADLINE: Duration = Duration::from_secs(60);

/// Returns the path of `okno-test-sync-server`. Cargo puts integration test
/// executables in `target/<profile>/deps/` and the package's binaries one
/// directory up, in `target/<profile>/`.
pub fn binary() -> PathBuf {
    let test = std::env::current_exe().expect("path of the running test");
    let profile_dir = test
        .parent()
        .and_then(Path::parent)
        .expect("test executable under target/<profile>/deps");
    let binary = profile_dir.join("okno-test-sync-server");
    assert!(
        binary.exists(),
        "{} not found: run the test through `cargo test -p tests`, which builds it",
        binary.display()
    );
    binary
}

/// A running server; killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub address: SocketAddr,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ServerProcess {
    /// Starts `serve` on `listen` (port 0 picks a free one) and waits for
    /// the address in its log. The log is read and dropped.
    pub fn start(database: &Path, listen: &str) -> ServerProcess {
        ServerProcess::spawn(database, listen, &[], None)
    }

    /// Starts `serve` as [`ServerProcess::start`] does, with `extra`
    /// options after the listen address (such as `--contacts-config FILE`).
    pub fn start_with(database: &Path, listen: &str, extra: &[&OsStr]) -> ServerProcess {
        ServerProcess::spawn(database, listen, extra, None)
    }

    /// Starts `serve` with its log at debug level appended to `log`, so a
    /// test can search every line the server wrote.
    pub fn start_logged(database: &Path, listen: &str, log: &Path) -> ServerProcess {
        ServerProcess::spawn(database, listen, &[], Some(log))
    }

    fn spawn(database: &Path, listen: &str, extra: &[&OsStr], log: Option<&Path>) -> ServerProcess {
        let mut child = Command::new(binary())
            .arg("--database")
            .arg(database)
            .args(["serve", "--listen", listen, "--shutdown-grace-secs", "2"])
            .args(extra)
            .env("RUST_LOG", if log.is_some() { "debug" } else { "info" })
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn sync-server");
        let stderr = child.stderr.take().expect("stderr");
        let mut file = log.map(|path| {
            std::fs::File::options()
                .create(true)
                .append(true)
                .open(path)
                .expect("server log file")
        });
        let (sender, addresses) = mpsc::channel();
        // Reads the log for the process's whole life, because a closed pipe
        // would make the server's next log line fail.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some(file) = file.as_mut() {
                    let _ = writeln!(file, "{line}");
                }
                if let Some(rest) = line.split("address=").nth(1) {
                    let _ = sender.send(rest.split_whitespace().next().unwrap_or("").to_owned());
                }
            }
        });

        // Owned at once, so a failed wait below still kills the process.
        let mut server = ServerProcess {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
        };
        let address = addresses
            .recv_timeout(START_DEADLINE)
            .expect("sync-server did not log its address in time");
        server.address = address.parse().expect("socket address in the log");
        server
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Sends SIGKILL, as a crash or a power cut would stop the server.
    pub fn kill(mut self) {
        self.child.kill().expect("kill sync-server");
        self.child.wait().expect("reap sync-server");
    }
}

/// Runs an administration command with `input` on stdin and returns
/// whether it succeeded, its trimmed stdout and its stderr.
pub fn try_admin(database: &Path, args: &[&str], input: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(binary())
        .arg("--database")
        .arg(database)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sync-server admin command");
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        writeln!(stdin, "{input}").expect("write stdin");
    }
    let output = child.wait_with_output().expect("admin command ends");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 stdout");
    (
        output.status.success(),
        stdout.trim().to_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs an administration command that must succeed and returns its
/// trimmed stdout.
pub fn admin(database: &Path, args: &[&str]) -> String {
    let (ok, stdout, stderr) = try_admin(database, args, None);
    assert!(ok, "{args:?} failed: {stderr}");
    stdout
}
