//! The Debian packages that Okno's build, tests and demo need, and their
//! installation: `apt-get` as root, or the exact command for anyone else.

use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// Debian packages needed to build and test the whole workspace.
const NEEDED: &[&str] = &[
    // Building: C code in -sys crates, and pkg-config to find system libraries.
    "build-essential",
    "pkg-config",
    // Slint: fontconfig at build time, and a font visible to fontconfig at run time.
    "libfontconfig1-dev",
    "fonts-dejavu-core",
    // PC/SC: the library the `pcsc` crate links, the daemon, and the virtual reader driver.
    "libpcsclite-dev",
    "pcscd",
    "vsmartcard-vpcd",
    // Network namespaces that keep vpcd's listening sockets off real interfaces.
    "iproute2",
    // An independent QR decoder for printed tickets.
    "zbar-tools",
    // The `openssl` tool makes throw-away TLS certificates for the server's HTTPS test.
    "openssl",
    // A recording SMTP server for the sync server's contact code tests.
    "python3-aiosmtpd",
    // A software PKCS#11 token, and OpenSC's `pkcs11-tool` that puts keys
    // and certificates on it, for the signature token tests.
    "softhsm2",
    "opensc",
];

/// Installs missing packages when running as root; otherwise fails with the
/// `apt-get` line to run.
pub fn ensure() -> Result<()> {
    let missing: Vec<&str> = NEEDED
        .iter()
        .copied()
        .filter(|name| !installed(name))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let line = format!("apt-get install -y {}", missing.join(" "));
    if !is_root() {
        bail!("missing Debian packages; run as root:\n    apt-get update && {line}\nthen run this command again");
    }
    eprintln!("xtask: installing {}", missing.join(" "));
    run("apt-get", &["update"])?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend(&missing);
    run("apt-get", &args)
}

fn installed(name: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", name])
        .stderr(Stdio::null())
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn run(program: &str, args: &[&str]) -> Result<()> {
    let status = Command::new(program)
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .with_context(|| format!("failed to start `{program}`"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}
