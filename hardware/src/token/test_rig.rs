//! A SoftHSM2 rig for tests of signature tokens, in this crate and in the
//! kiosk's. It sets up one token per [`Scenario`] in a directory the
//! caller gives. Each token gets a key pair generated on it and a
//! certificate from a test certification center (`domain`'s `testing`
//! one, P-256, in memory).
//!
//! SoftHSM2 (2.6.1 in Debian 12) stands in for a USB token because no real
//! one can be plugged in here. It has no GOST R 34.10-2012 mechanisms and
//! never locks a PIN, so those cases are tested without it. Tokens are
//! set up with `softhsm2-util` and OpenSC's `pkcs11-tool`, in child
//! processes, before the test process loads the module.
//!
//! Only with the `test-rig` feature, for dev-dependencies. A failed step
//! panics with the command and its output, which is the test's failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use der::{Decode, Tag};
use domain::qualified_certificate::testing::{days, CaKey, LeafKey, LeafSpec, TestCa};
use domain::qualified_certificate::TrustDirectory;
use jiff::{SignedDuration, Timestamp};
use spki::SubjectPublicKeyInfoOwned;

/// The user PIN of every test token.
pub const PIN: &str = "1234";
const SO_PIN: &str = "87654321";

/// The `CKA_ID` shared by each token's key pair and certificate.
pub const KEY_ID: &str = "01";

const MODULE_PATHS: [&str; 2] = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
];

/// Names a tag for the subject tables of the tests.
pub const UTF8: Tag = Tag::Utf8String;
pub const NUMERIC: Tag = Tag::NumericString;
pub const PRINTABLE: Tag = Tag::PrintableString;

/// The key pair a scenario's token generates, in `pkcs11-tool` terms.
#[derive(Debug, Clone, Copy)]
pub enum KeyKind {
    Rsa2048,
    Rsa1024,
    EcP256,
}

impl KeyKind {
    fn pkcs11_tool_name(self) -> &'static str {
        match self {
            KeyKind::Rsa2048 => "rsa:2048",
            KeyKind::Rsa1024 => "rsa:1024",
            KeyKind::EcP256 => "EC:prime256v1",
        }
    }
}

/// One token to set up: its label, key, certificate subject and validity
/// relative to the moment the rig starts.
pub struct Scenario {
    pub label: &'static str,
    pub key: KeyKind,
    pub subject: Vec<(&'static str, Tag, &'static str)>,
    pub valid_from: SignedDuration,
    pub valid_until: SignedDuration,
}

/// Tokens set up in a directory, not yet loaded: the instant the
/// certificates were made around and the certification center that
/// issued them.
pub struct PreparedTokens {
    pub started: Timestamp,
    pub ca: TestCa,
    pub dir: PathBuf,
    /// The SoftHSM2 configuration naming the token directory.
    pub config: PathBuf,
}

impl PreparedTokens {
    /// Returns a trust directory with the rig's certification center and
    /// CRLs that revoke nothing, current at [`PreparedTokens::started`].
    pub fn trust(&self) -> TrustDirectory {
        let parts = self.ca.directory_parts(self.started);
        TrustDirectory::from_der(&parts.anchors, &parts.intermediates, &parts.crls)
            .expect("the test CA's directory decodes")
    }
}

/// Returns the path of SoftHSM2's PKCS#11 module.
pub fn module_path() -> PathBuf {
    MODULE_PATHS
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.exists())
        .expect("libsofthsm2.so not found; install the Debian package softhsm2")
}

/// Sets up a token per scenario under `dir` and points `SOFTHSM2_CONF` at
/// them, so a module loaded afterwards in this process sees them.
///
/// SoftHSM2 reads `SOFTHSM2_CONF` when the module is initialised; the
/// caller runs this before any thread loads the module or reads the
/// environment.
pub fn prepare(dir: &Path, scenarios: &[Scenario]) -> PreparedTokens {
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).expect("the token directory is created");
    let config = dir.join("softhsm2.conf");
    std::fs::write(
        &config,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .expect("the SoftHSM2 configuration is written");
    std::env::set_var("SOFTHSM2_CONF", &config);

    // Certificates store whole seconds, so the rig's instant has none.
    let started =
        Timestamp::from_second(Timestamp::now().as_second()).expect("now is a valid timestamp");
    let ca = TestCa::new(
        "softhsm",
        CaKey::P256,
        started - days(3650),
        started + days(3650),
    );
    for (index, scenario) in scenarios.iter().enumerate() {
        set_up_token(dir, &config, &ca, started, index, scenario);
    }
    PreparedTokens {
        started,
        ca,
        dir: dir.to_owned(),
        config,
    }
}

fn set_up_token(
    dir: &Path,
    config: &Path,
    ca: &TestCa,
    started: Timestamp,
    index: usize,
    scenario: &Scenario,
) {
    run(
        config,
        Command::new("softhsm2-util").args([
            "--init-token",
            "--free",
            "--label",
            scenario.label,
            "--so-pin",
            SO_PIN,
            "--pin",
            PIN,
        ]),
    );
    run(
        config,
        pkcs11_tool(scenario.label).args([
            "--login",
            "--pin",
            PIN,
            "--keypairgen",
            "--key-type",
            scenario.key.pkcs11_tool_name(),
            "--id",
            KEY_ID,
            "--label",
            "key",
        ]),
    );
    let public_key = dir.join(format!("{}.pub.der", scenario.label));
    run(
        config,
        pkcs11_tool(scenario.label)
            .args(["--read-object", "--type", "pubkey", "--id", KEY_ID, "-o"])
            .arg(&public_key),
    );
    let public_key = std::fs::read(&public_key).expect("pkcs11-tool wrote the public key");
    let spki =
        SubjectPublicKeyInfoOwned::from_der(&public_key).expect("the public key is SPKI DER");

    let certificate = issue(ca, started, index, scenario, spki);
    let certificate_path = dir.join(format!("{}.cert.der", scenario.label));
    std::fs::write(&certificate_path, certificate).expect("the certificate is written");
    run(
        config,
        pkcs11_tool(scenario.label)
            .args(["--login", "--pin", PIN, "--write-object"])
            .arg(&certificate_path)
            .args(["--type", "cert", "--id", KEY_ID, "--label", "certificate"]),
    );
}

/// Issues the scenario's certificate under the test certification center
/// and returns its DER.
fn issue(
    ca: &TestCa,
    started: Timestamp,
    index: usize,
    scenario: &Scenario,
    spki: SubjectPublicKeyInfoOwned,
) -> Vec<u8> {
    let spec = LeafSpec {
        serial: index as u64 + 1,
        subject: scenario
            .subject
            .iter()
            .map(|(oid, tag, value)| ((*oid).to_owned(), *tag, (*value).to_owned()))
            .collect(),
        // Ignored: the key pair was generated on the token.
        key: LeafKey::P256,
        not_before: started + scenario.valid_from,
        not_after: started + scenario.valid_until,
    };
    ca.issue_for_public_key(&spec, spki)
}

fn pkcs11_tool(label: &str) -> Command {
    let mut command = Command::new("pkcs11-tool");
    command
        .arg("--module")
        .arg(module_path())
        .args(["--token-label", label]);
    command
}

fn run(config: &Path, command: &mut Command) {
    let output = command
        .env("SOFTHSM2_CONF", config)
        .output()
        .unwrap_or_else(|e| {
            panic!("{command:?} failed to start: {e}; install softhsm2 and opensc")
        });
    assert!(
        output.status.success(),
        "{command:?} exited with {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}
