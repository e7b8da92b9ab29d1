//! The SoftHSM2 rig of `hardware::token::test_rig`, with the module loaded
//! once per test process: a process initialises a PKCS#11 module only
//! once, so the tests of one binary share one module and use one token
//! each. Tokens live in Cargo's test scratch directory.

// Helpers outside `#[test]` functions may unwrap like the tests themselves.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::OnceLock;

pub use domain::qualified_certificate::testing::days;
use domain::qualified_certificate::testing::TestCa;
use domain::qualified_certificate::TrustDirectory;
pub use hardware::token::test_rig::{module_path, KeyKind, Scenario, NUMERIC, PIN, UTF8};
use hardware::token::TokenModule;
use jiff::Timestamp;

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
pub fn rig(scenarios: fn() -> Vec<Scenario>) -> &'static Rig {
    static RIG: OnceLock<Rig> = OnceLock::new();
    RIG.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("softhsm-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .unwrap()
            .keep();
        // Every test in this binary waits for this initialisation, so no
        // other test thread reads the environment while `prepare` sets it.
        let prepared = hardware::token::test_rig::prepare(&dir, &scenarios());
        let module = TokenModule::open(&module_path()).unwrap();
        Rig {
            module,
            started: prepared.started,
            ca: prepared.ca,
            dir: prepared.dir,
        }
    })
}
