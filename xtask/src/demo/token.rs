//! The demo's signature token. `okno-virtual-token` sets up a SoftHSM2
//! token under `var/token` with a key and a qualified certificate for the
//! demo visitor from a test certification center. The server's trust
//! directory gets that center through `sync-server trust add --anchor`,
//! `trust add` and `trust add-crl`.
//!
//! SoftHSM2 finds the token through `SOFTHSM2_CONF`, so every process that
//! loads the module (the kiosk, `okno-demo`) gets it in its environment.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use super::site::Site;

/// The certificate's holder: the demo visitor, equal to
/// `tests::scenario::Visitor::token_args` (the signature leg checks the
/// account of this СНИЛС).
pub const TOKEN_ARGS: &[&str] = &[
    "--surname",
    "Смирнова",
    "--given-names",
    "Анна Викторовна",
    "--snils",
    "14681529786",
    "--inn",
    "772512345622",
];

/// The PIN and paths a program needs to use the token.
pub struct DemoToken {
    pub pin: String,
    /// SoftHSM2's PKCS#11 module, for the kiosk's `[token] module`.
    pub module: PathBuf,
    /// The SoftHSM2 configuration naming the token directory.
    pub softhsm2_conf: PathBuf,
}

/// Builds `okno-virtual-token`. It needs hardware's `test-rig` feature, so
/// it builds apart from the stations, whose binaries stay without it.
pub fn build(root: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--locked",
            "-p",
            "hardware",
            "--features",
            "test-rig",
            "--bin",
            "okno-virtual-token",
        ])
        .status()
        .with_context(|| format!("failed to start `{cargo}`"))?;
    if !status.success() {
        bail!("building okno-virtual-token failed ({status})");
    }
    Ok(())
}

/// Sets up the token in `var/token` and adds its certification center to
/// the server's trust directory.
pub fn set_up(site: &Site) -> Result<DemoToken> {
    let dir = site.var.join("token");
    let log = site.logs.join("token.log");
    let output = Command::new(site.target.join("okno-virtual-token"))
        .arg("--dir")
        .arg(&dir)
        .args(TOKEN_ARGS)
        .output()
        .context("cannot start okno-virtual-token")?;
    std::fs::write(&log, &output.stderr)
        .with_context(|| format!("cannot write {}", log.display()))?;
    if !output.status.success() {
        bail!(
            "okno-virtual-token failed ({}); see {}",
            output.status,
            log.display()
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let values = |key: &str| -> Vec<&str> {
        stdout
            .lines()
            .filter_map(|line| line.split_once('='))
            .filter(|(name, _)| *name == key)
            .map(|(_, value)| value)
            .collect()
    };
    let one = |key: &str| -> Result<String> {
        match values(key).as_slice() {
            [value] => Ok((*value).to_owned()),
            other => bail!(
                "okno-virtual-token printed {} `{key}=` lines, expected one",
                other.len()
            ),
        }
    };

    site.admin(&["trust", "add", "--anchor", &one("anchor")?], None)?;
    site.admin(&["trust", "add", &one("intermediate")?], None)?;
    let crls = values("crl");
    if crls.is_empty() {
        bail!(
            "okno-virtual-token printed no `crl=` line; see {}",
            log.display()
        );
    }
    for crl in crls {
        site.admin(&["trust", "add-crl", crl], None)?;
    }
    Ok(DemoToken {
        pin: one("pin")?,
        module: PathBuf::from(one("module")?),
        softhsm2_conf: PathBuf::from(one("softhsm2_conf")?),
    })
}
