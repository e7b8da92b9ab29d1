//! A SoftHSM2 rig for the signature token tests. It keeps a token
//! directory and configuration in Cargo's test scratch directory, makes a
//! test certification center (`domain`'s `testing` one, P-256, in memory),
//! and sets up one token per scenario with a key pair generated on the
//! token and a certificate.
//!
//! SoftHSM2 (2.6.1 in Debian 12) stands in for a USB token because no real
//! one can be plugged in here. It has no GOST R 34.10-2012 mechanisms and
//! never locks a PIN, so those cases are tested without it. Tokens are
//! set up with `softhsm2-util` and OpenSC's `pkcs11-tool`, in child
//! processes, before this process loads the module.

// Helpers outside `#[test]` functions may unwrap like the tests themselves.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use der::{Decode, Tag};
use domain::qualified_certificate::testing::{CaKey, LeafKey, LeafSpec, TestCa};
use domain::qualified_certificate::TrustDirectory;
use hardware::token::TokenModule;
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

/// The loaded SoftHSM2 module, the instant the certificates were made
/// around, the certification center that issued them, and where the token
/// directory is.
pub struct Rig {
    pub module: TokenModule,
    pub started: Timestamp,
    pub ca: TestCa,
    pub dir: PathBuf,
}

impl Rig {
    /// Returns a trust directory with the rig's certification center and
    /// CRLs that revoke nothing, current at [`Rig::started`].
    pub fn trust(&self) -> TrustDirectory {
        let parts = self.ca.directory_parts(self.started);
        TrustDirectory::from_der(&parts.anchors, &parts.intermediates, &parts.crls).unwrap()
    }
}

/// Sets the rig up once per test process and returns it.
///
/// A process initialises a PKCS#11 module only once, so the tests of one
/// binary share one module and use one token each.
pub fn rig(scenarios: fn() -> Vec<Scenario>) -> &'static Rig {
    static RIG: OnceLock<Rig> = OnceLock::new();
    RIG.get_or_init(|| build(&scenarios()))
}

pub fn days(count: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * count)
}

fn module_path() -> &'static str {
    MODULE_PATHS
        .into_iter()
        .find(|path| Path::new(path).exists())
        .expect("libsofthsm2.so not found; install the Debian package softhsm2")
}

fn build(scenarios: &[Scenario]) -> Rig {
    let dir = tempfile::Builder::new()
        .prefix("softhsm-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap()
        .keep();
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).unwrap();
    let config = dir.join("softhsm2.conf");
    std::fs::write(
        &config,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    // SoftHSM2 reads its configuration path from the environment when the
    // module is initialised. Every test in this binary waits for this
    // initialisation, so no other test thread reads the environment while
    // it is set.
    std::env::set_var("SOFTHSM2_CONF", &config);

    // Certificates store whole seconds, so the rig's instant has none.
    let started = Timestamp::from_second(Timestamp::now().as_second()).unwrap();
    let ca = TestCa::new(
        "softhsm",
        CaKey::P256,
        started - days(3650),
        started + days(3650),
    );
    for (index, scenario) in scenarios.iter().enumerate() {
        set_up_token(&dir, &config, &ca, started, index, scenario);
    }

    let module = TokenModule::open(Path::new(module_path())).unwrap();
    Rig {
        module,
        started,
        ca,
        dir,
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
    let spki = SubjectPublicKeyInfoOwned::from_der(&std::fs::read(&public_key).unwrap()).unwrap();

    let certificate = issue(ca, started, index, scenario, spki);
    let certificate_path = dir.join(format!("{}.cert.der", scenario.label));
    std::fs::write(&certificate_path, certificate).unwrap();
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
        serial: u64::try_from(index + 1).unwrap(),
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
    command.args(["--module", module_path(), "--token-label", label]);
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

/// Names a tag for the subject tables of the tests.
pub const UTF8: Tag = Tag::Utf8String;
pub const NUMERIC: Tag = Tag::NumericString;
pub const PRINTABLE: Tag = Tag::PrintableString;
