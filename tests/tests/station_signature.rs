//! The station's signature calls against a real `sync-server` process on
//! loopback: the trust directory page and its unchanged form, a challenge,
//! a confirmation with a trusted certificate, the 422 rejection of an
//! untrusted one with the server's code, and a server that is not there.
//! Certificates and signatures come from `domain`'s test certification
//! center, with keys in memory.

use std::path::Path;

use domain::account::AccountLevel;
use domain::qualified_certificate::testing::{days, CaKey, LeafSpec, TestCa};
use jiff::Timestamp;
use station::client::signature::{ChallengeOutcome, ConfirmOutcome};
use station::client::SyncClient;
use station::store::TrustCopy;
use tests::server_process::{admin, ServerProcess as Server};
use uuid::Uuid;

/// A server whose trust directory contains `ca`, and a kiosk's client.
struct Site {
    _dir: tempfile::TempDir,
    server: Server,
    client: SyncClient,
}

fn trust(database: &Path, dir: &Path, ca: &TestCa, now: Timestamp) {
    let files = [
        ("root.der", ca.root_der().to_vec()),
        ("intermediate.der", ca.intermediate_der().to_vec()),
        (
            "root.crl",
            ca.root_crl(&[], now - days(1), Some(now + days(30))),
        ),
        (
            "intermediate.crl",
            ca.intermediate_crl(&[], now - days(1), Some(now + days(30))),
        ),
    ];
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).expect("write a trust file");
    }
    let path = |name: &str| dir.join(name).to_str().expect("a UTF-8 path").to_owned();
    admin(database, &["trust", "add", "--anchor", &path("root.der")]);
    admin(database, &["trust", "add", &path("intermediate.der")]);
    admin(database, &["trust", "add-crl", &path("root.crl")]);
    admin(database, &["trust", "add-crl", &path("intermediate.crl")]);
}

fn site(ca: &TestCa, now: Timestamp) -> Site {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = dir.path().join("server.sqlite3");
    let center = admin(
        &database,
        &[
            "center",
            "add",
            "--name",
            "МФЦ Тест",
            "--address",
            "Москва",
            "--time-zone",
            "UTC",
            "--latitude",
            "55.75",
            "--longitude",
            "37.62",
        ],
    );
    trust(&database, dir.path(), ca, now);
    let token = admin(
        &database,
        &["enroll-token", "--center", &center, "--role", "kiosk"],
    );
    let server = Server::start(&database, "127.0.0.1:0");
    let credentials =
        station::provision(&server.url(), &token, "киоск-1", &dir.path().join("kiosk"))
            .expect("provision");
    let client = SyncClient::new(&credentials).expect("client");
    Site {
        _dir: dir,
        server,
        client,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn trust_page_then_unchanged() {
    let now = Timestamp::now();
    let ca = TestCa::new("Station", CaKey::P256, now - days(30), now + days(3650));
    let site = site(&ca, now);
    let runtime = runtime();

    let page = runtime
        .block_on(site.client.trust_directory(0))
        .expect("trust page");
    let copy = TrustCopy::from_page(&page, now).expect("the page decodes");

    assert!(page.changed);
    assert_eq!(copy.anchors, vec![ca.root_der().to_vec()]);
    assert_eq!(copy.intermediates, vec![ca.intermediate_der().to_vec()]);
    assert_eq!(copy.crls.len(), 2);
    let again = runtime
        .block_on(site.client.trust_directory(page.version))
        .expect("unchanged page");
    assert!(!again.changed);
    assert_eq!(again.version, page.version);
    assert!(again.certificates.is_empty());
    assert!(again.crls.is_empty());
}

#[test]
fn trusted_certificate_confirms_account() {
    let now = Timestamp::now();
    let ca = TestCa::new("Station", CaKey::P256, now - days(30), now + days(3650));
    let site = site(&ca, now);
    let runtime = runtime();
    let attempt = Uuid::now_v7();

    let ChallengeOutcome::Issued(challenge) =
        runtime.block_on(site.client.signature_challenge(attempt))
    else {
        panic!("no challenge issued");
    };
    let leaf = ca.issue(&LeafSpec::person(7, now));
    let (scheme, signature) = leaf.key.sign(&challenge.message());
    let outcome = runtime.block_on(
        site.client
            .signature_confirm(&challenge, &leaf.der, scheme, &signature),
    );

    assert_eq!(challenge.attempt_id, attempt);
    let ConfirmOutcome::Confirmed(confirmed) = outcome else {
        panic!("not confirmed: {outcome:?}");
    };
    assert_eq!(confirmed.attempt_id, attempt);
    assert_eq!(confirmed.account_level, AccountLevel::Confirmed);
}

#[test]
fn untrusted_certificate_is_rejection() {
    let now = Timestamp::now();
    let ca = TestCa::new("Station", CaKey::P256, now - days(30), now + days(3650));
    let stranger = TestCa::new("Stranger", CaKey::P256, now - days(30), now + days(3650));
    let site = site(&ca, now);
    let runtime = runtime();

    let ChallengeOutcome::Issued(challenge) =
        runtime.block_on(site.client.signature_challenge(Uuid::now_v7()))
    else {
        panic!("no challenge issued");
    };
    let leaf = stranger.issue(&LeafSpec::person(8, now));
    let (scheme, signature) = leaf.key.sign(&challenge.message());
    let outcome = runtime.block_on(
        site.client
            .signature_confirm(&challenge, &leaf.der, scheme, &signature),
    );

    let ConfirmOutcome::CertificateRejected { code, message } = outcome else {
        panic!("not a certificate rejection: {outcome:?}");
    };
    assert_eq!(code, "certificate.untrusted_issuer");
    assert!(!message.is_empty());
}

#[test]
fn stopped_server_is_offline() {
    let now = Timestamp::now();
    let ca = TestCa::new("Station", CaKey::P256, now - days(30), now + days(3650));
    let site = site(&ca, now);
    let runtime = runtime();
    let Site { server, client, .. } = site;
    server.kill();

    let outcome = runtime.block_on(client.signature_challenge(Uuid::now_v7()));

    assert_eq!(outcome, ChallengeOutcome::Offline);
}
