//! The virtual chip passport for the demo: pcscd with vpcd and
//! `okno-virtual-chip`, both inside a network namespace with only loopback
//! up (vpcd listens on every interface). The kiosk stays outside and
//! reaches pcscd through its Unix socket.
//!
//! Needs root, the Debian packages `pcscd` and `vsmartcard-vpcd`, and no
//! other pcscd on the machine. [`missing`] names the one that is absent, so
//! the demo can go on without the chip. It takes the same lock directory as the test rig
//! in `hardware::card::sim::rig`, so a demo and a test never share pcscd.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use super::children::Children;

const LOCK_DIR: &str = "/run/okno-pcsc-rig.lock";
const PCSCD_SOCKET: &str = "/run/pcscd/pcscd.comm";
const VPCD_CONFIG: &str = "/etc/reader.conf.d/vpcd";

/// The virtual chip's data: the demo visitor's travel passport, equal to
/// `tests::scenario::Visitor::virtual_chip_args` (the visitor types this
/// number and expiry date on the kiosk's chip step).
pub const CHIP_ARGS: &[&str] = &[
    "--document-number",
    "450781234",
    "--surname",
    "SMIRNOVA",
    "--given-names",
    "ANNA VIKTOROVNA",
    "--birth",
    "840914",
    "--expiry",
    "341020",
    "--sex",
    "F",
];

/// A running pcscd and chip; dropping it stops both, deletes the
/// namespace and releases the lock.
pub struct ChipRig {
    namespace: String,
    children: Children,
}

impl Drop for ChipRig {
    fn drop(&mut self) {
        self.children.stop_all();
        let _ = Command::new("ip")
            .args(["netns", "del", &self.namespace])
            .status();
        let _ = std::fs::remove_dir_all(LOCK_DIR);
    }
}

/// Returns why the chip cannot run here and what to do, or `None`.
pub fn missing() -> Option<String> {
    if !rustix::process::getuid().is_root() {
        return Some(
            "not root: the virtual card reader needs root for pcscd and a network namespace \
             (run `sudo cargo xtask demo`)"
                .to_owned(),
        );
    }
    if !Path::new("/usr/sbin/pcscd").exists() {
        return Some("pcscd is not installed (apt-get install pcscd)".to_owned());
    }
    if !Path::new(VPCD_CONFIG).exists() {
        return Some(format!(
            "vpcd is not installed ({VPCD_CONFIG} is missing; apt-get install vsmartcard-vpcd)"
        ));
    }
    if pcscd_running() {
        return Some(
            "another pcscd is running on this machine; stop it first (its socket is shared)"
                .to_owned(),
        );
    }
    if let Ok(owner) = std::fs::read_to_string(Path::new(LOCK_DIR).join("pid")) {
        if Path::new("/proc").join(owner.trim()).exists() {
            return Some(format!(
                "a PC/SC test rig holds {LOCK_DIR} (pid {}); wait for it to end",
                owner.trim()
            ));
        }
    }
    None
}

fn pcscd_running() -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|entry| {
        std::fs::read_to_string(entry.path().join("comm")).is_ok_and(|comm| comm.trim() == "pcscd")
    })
}

fn run(program: &str, args: &[&str]) -> Result<()> {
    let status = Command::new(program).args(args).status()?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Starts pcscd and the chip; `logs` receives `pcscd.log` and `chip.log`.
pub fn start(chip_binary: &Path, logs: &Path) -> Result<ChipRig> {
    let _ = std::fs::remove_dir_all(LOCK_DIR);
    std::fs::create_dir(LOCK_DIR)?;
    std::fs::write(
        Path::new(LOCK_DIR).join("pid"),
        std::process::id().to_string(),
    )?;
    let namespace = format!("okno-demo-{}", std::process::id());
    let mut rig = ChipRig {
        namespace: namespace.clone(),
        children: Children::default(),
    };
    // Clears a namespace left by an earlier run with the same process id;
    // usually there is none, so the "cannot remove" message is dropped.
    let _ = Command::new("ip")
        .args(["netns", "del", &namespace])
        .stderr(std::process::Stdio::null())
        .status();
    run("ip", &["netns", "add", &namespace])?;
    run(
        "ip",
        &["netns", "exec", &namespace, "ip", "link", "set", "lo", "up"],
    )?;

    let mut pcscd = Command::new("ip");
    pcscd.args(["netns", "exec", &namespace, "pcscd", "--foreground"]);
    rig.children
        .spawn("pcscd", pcscd, &logs.join("pcscd.log"))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !Path::new(PCSCD_SOCKET).exists() {
        if let Some((name, status)) = rig.children.exited() {
            bail!(
                "{name} exited ({status}); see {}",
                logs.join("pcscd.log").display()
            );
        }
        if Instant::now() > deadline {
            bail!("pcscd made no socket at {PCSCD_SOCKET} within 10 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }

    let mut chip = Command::new("ip");
    chip.args(["netns", "exec", &namespace])
        .arg(chip_binary)
        .args(CHIP_ARGS);
    rig.children
        .spawn("virtual chip", chip, &logs.join("chip.log"))?;
    Ok(rig)
}

/// Returns the chip binary's path under `target/debug`.
pub fn binary(target: &Path) -> PathBuf {
    target.join("okno-virtual-chip")
}
