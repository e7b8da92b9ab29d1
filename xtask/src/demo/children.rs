//! The demo's child processes: each starts in its own process group with
//! its output in a log file, and [`Children::stop_all`] ends them newest
//! first with SIGTERM to the group, then SIGKILL after a bounded wait.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rustix::process::{kill_process_group, Pid, Signal};

/// How long a child gets to stop after SIGTERM.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// One running child.
pub struct Running {
    pub name: String,
    pub child: Child,
}

/// Every child the demo started, in start order.
#[derive(Default)]
pub struct Children {
    running: Vec<Running>,
}

impl Children {
    /// Starts `command` in a new process group, stdout and stderr appended
    /// to `log`.
    pub fn spawn(&mut self, name: &str, command: Command, log: &Path) -> Result<()> {
        self.spawn_split(name, command, log, log)
    }

    /// Starts `command` in a new process group, stdout appended to `out`
    /// and stderr to `err`.
    pub fn spawn_split(
        &mut self,
        name: &str,
        mut command: Command,
        out: &Path,
        err: &Path,
    ) -> Result<()> {
        let open = |path: &Path| {
            File::options()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open the log {}", path.display()))
        };
        let (out, err) = (open(out)?, open(err)?);
        // The logs are files, where colour codes are only clutter.
        // tracing-subscriber leaves colours out when NO_COLOR is set.
        let child = command
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot start {name}"))?;
        self.running.push(Running {
            name: name.to_owned(),
            child,
        });
        Ok(())
    }

    /// Returns the first child that has exited, with its status.
    pub fn exited(&mut self) -> Option<(String, std::process::ExitStatus)> {
        self.running.iter_mut().find_map(|running| {
            running
                .child
                .try_wait()
                .ok()
                .flatten()
                .map(|status| (running.name.clone(), status))
        })
    }

    /// Stops the child called `name`, if it runs.
    pub fn stop(&mut self, name: &str) {
        if let Some(index) = self.running.iter().position(|running| running.name == name) {
            let mut running = self.running.remove(index);
            stop_one(&mut running);
        }
    }

    /// Stops every child, the newest first.
    pub fn stop_all(&mut self) {
        while let Some(mut running) = self.running.pop() {
            stop_one(&mut running);
        }
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        self.stop_all();
    }
}

fn signal_group(child: &Child, signal: Signal) {
    let Ok(raw) = i32::try_from(child.id()) else {
        return;
    };
    if let Some(pid) = Pid::from_raw(raw) {
        // The group may be gone already; nothing to do then.
        let _ = kill_process_group(pid, signal);
    }
}

fn stop_one(running: &mut Running) {
    if let Ok(Some(_)) = running.child.try_wait() {
        return;
    }
    signal_group(&running.child, Signal::TERM);
    let deadline = Instant::now() + STOP_GRACE;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = running.child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "xtask: {} did not stop within {} s; killing it",
        running.name,
        STOP_GRACE.as_secs()
    );
    signal_group(&running.child, Signal::KILL);
    let _ = running.child.wait();
}
