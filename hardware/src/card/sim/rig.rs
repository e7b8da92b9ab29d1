//! The real PC/SC test rig: Debian's `pcscd` with the vpcd driver and the
//! `okno-virtual-chip` binary, both started inside a network namespace the
//! rig creates, because vpcd listens on every interface. PC/SC clients stay
//! outside and reach pcscd through its Unix socket, which the namespace
//! does not hide.
//!
//! pcscd's socket path (`/run/pcscd/pcscd.comm`) is global, so only one rig
//! may run on a machine at a time: [`PcscRig::start`] takes a lock
//! directory first and waits for it with a deadline. Dropping the rig
//! stops the chip and pcscd by pid and deletes the namespace, also when a
//! test fails. Needs root (for `ip netns`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Path of the lock directory, which contains the owner's pid.
const LOCK_DIR: &str = "/run/okno-pcsc-rig.lock";
/// The reader vpcd's first slot shows up as.
pub const VPCD_READER: &str = "Virtual PCD 00 00";

/// Failure to start or drive the rig.
#[derive(Debug, thiserror::Error)]
#[error("PC/SC rig: {0}")]
pub struct RigError(String);

fn run(program: &str, args: &[&str]) -> Result<(), RigError> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|err| RigError(format!("failed to start `{program}`: {err}")))?;
    if !output.status.success() {
        return Err(RigError(format!(
            "`{program} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}

/// A machine-wide lock held as a directory with the owner's pid inside.
/// Tests that need pcscd *not* running hold it too.
pub struct RigLock;

impl RigLock {
    /// Takes the lock, waiting up to `timeout` for another holder; a lock
    /// whose owner process is dead is taken over.
    pub fn acquire(timeout: Duration) -> Result<Self, RigError> {
        let deadline = Instant::now() + timeout;
        loop {
            match fs::create_dir(LOCK_DIR) {
                Ok(()) => {
                    fs::write(
                        Path::new(LOCK_DIR).join("pid"),
                        std::process::id().to_string(),
                    )
                    .map_err(|err| RigError(format!("failed to write the lock owner: {err}")))?;
                    return Ok(RigLock);
                }
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    // A lock whose owner is dead is stale.
                    let owner =
                        fs::read_to_string(Path::new(LOCK_DIR).join("pid")).unwrap_or_default();
                    let owner_alive =
                        !owner.trim().is_empty() && Path::new("/proc").join(owner.trim()).exists();
                    if !owner_alive && !owner.trim().is_empty() {
                        let _ = fs::remove_dir_all(LOCK_DIR);
                        continue;
                    }
                    if Instant::now() > deadline {
                        return Err(RigError(format!(
                            "timed out waiting for {LOCK_DIR}, held by another PC/SC rig (pid {})",
                            owner.trim()
                        )));
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(err) => return Err(RigError(format!("failed to create {LOCK_DIR}: {err}"))),
            }
        }
    }
}

impl Drop for RigLock {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(LOCK_DIR);
    }
}

/// Sends SIGTERM, waits up to two seconds, then kills.
fn stop_child(child: &mut Child) {
    let pid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A running pcscd with vpcd inside its own network namespace.
pub struct PcscRig {
    namespace: String,
    pcscd: Option<Child>,
    chip: Option<Child>,
    work_dir: PathBuf,
    _lock: RigLock,
}

impl PcscRig {
    /// Creates the namespace and starts pcscd; returns once a PC/SC client
    /// outside sees the vpcd reader (deadline 10 s).
    pub fn start() -> Result<Self, RigError> {
        let lock = RigLock::acquire(Duration::from_secs(120))?;
        let namespace = format!("okno-card-{}", std::process::id());
        let work_dir = std::env::temp_dir().join(&namespace);
        fs::create_dir_all(&work_dir)
            .map_err(|err| RigError(format!("failed to create {}: {err}", work_dir.display())))?;

        // A namespace left by a crashed run of this same pid is removed first.
        let _ = Command::new("ip")
            .args(["netns", "del", &namespace])
            .stderr(Stdio::null())
            .status();
        run("ip", &["netns", "add", &namespace])?;
        let mut rig = PcscRig {
            namespace,
            pcscd: None,
            chip: None,
            work_dir,
            _lock: lock,
        };
        run(
            "ip",
            &[
                "netns",
                "exec",
                &rig.namespace,
                "ip",
                "link",
                "set",
                "lo",
                "up",
            ],
        )?;

        let log = fs::File::create(rig.work_dir.join("pcscd.log"))
            .map_err(|err| RigError(err.to_string()))?;
        let log_err = log.try_clone().map_err(|err| RigError(err.to_string()))?;
        let pcscd = Command::new("ip")
            .args(["netns", "exec", &rig.namespace, "pcscd", "--foreground"])
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|err| RigError(format!("failed to start pcscd: {err}")))?;
        rig.pcscd = Some(pcscd);
        rig.wait_for_reader(Duration::from_secs(10))?;
        Ok(rig)
    }

    fn wait_for_reader(&mut self, timeout: Duration) -> Result<(), RigError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(context) = crate::card::pcsc::establish() {
                if let Ok(readers) = crate::card::pcsc::list_readers(&context) {
                    if readers.iter().any(|reader| reader == VPCD_READER) {
                        return Ok(());
                    }
                }
            }
            if let Some(Ok(Some(status))) = self.pcscd.as_mut().map(Child::try_wait) {
                return Err(RigError(format!(
                    "pcscd exited ({status}); see {}",
                    self.work_dir.join("pcscd.log").display()
                )));
            }
            if Instant::now() > deadline {
                return Err(RigError(format!(
                    "pcscd showed no `{VPCD_READER}` within {timeout:?}"
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Starts the virtual chip binary in the namespace with extra arguments
    /// (for example `--surname`, `--no-extended-length`).
    pub fn insert_chip(&mut self, chip_binary: &Path, args: &[&str]) -> Result<(), RigError> {
        self.remove_chip();
        let log = fs::File::create(self.work_dir.join("chip.log"))
            .map_err(|err| RigError(err.to_string()))?;
        let chip = Command::new("ip")
            .args(["netns", "exec", &self.namespace])
            .arg(chip_binary)
            .args(args)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|err| RigError(format!("failed to start {}: {err}", chip_binary.display())))?;
        self.chip = Some(chip);
        Ok(())
    }

    /// Stops the virtual chip, which the reader sees as the card leaving.
    pub fn remove_chip(&mut self) {
        if let Some(mut chip) = self.chip.take() {
            stop_child(&mut chip);
        }
    }

    /// Stops pcscd, which clients see as every reader leaving.
    pub fn stop_pcscd(&mut self) {
        self.remove_chip();
        if let Some(mut pcscd) = self.pcscd.take() {
            stop_child(&mut pcscd);
        }
    }

    /// Returns a scratch directory that is removed with the rig.
    pub fn work_dir(&self) -> &Path {
        &self.work_dir
    }
}

impl Drop for PcscRig {
    fn drop(&mut self) {
        self.stop_pcscd();
        let _ = Command::new("ip")
            .args(["netns", "del", &self.namespace])
            .status();
        let _ = fs::remove_dir_all(&self.work_dir);
    }
}
