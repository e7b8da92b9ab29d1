//! `POST /v1/signature/confirm` through HTTP: a test certification center
//! from `domain::qualified_certificate::testing` is put into the server's
//! trust directory, leaves are issued for each case, and a leaf's private
//! key signs the challenge message as a token would. Real SQLite file,
//! controlled clock.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use axum::http::StatusCode;
use base64::Engine;
use common::*;
use domain::qualified_certificate::subject::oid;
use domain::qualified_certificate::testing::{days, CaKey, LeafKey, LeafSpec, TestCa, TestLeaf};
use domain::sync::{challenge_message, DeviceRole, SignatureScheme};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};
use sync_server::store::Store;
use uuid::Uuid;

const BINARY: &str = env!("CARGO_BIN_EXE_sync-server");

/// The СНИЛС, name and ИНН of `LeafSpec::person`.
const HOLDER_SNILS: &str = "11223344595";
const HOLDER_SNILS_PRINTED: &str = "112-233-445 95";
const HOLDER_INN: &str = "500123456750";

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn test_ca(label: &str, now: Timestamp) -> TestCa {
    TestCa::new(label, CaKey::P256, now - days(365), now + days(3650))
}

/// Puts `ca`'s root and intermediate into the server's trust directory the
/// way `sync-server trust add` does, with `crls` (DER) after them.
fn install(harness: &Harness, ca: &TestCa, crls: &[Vec<u8>]) {
    let now = harness.now();
    let path = Path::new("test-ca");
    for (der, anchor) in [(ca.root_der(), true), (ca.intermediate_der(), false)] {
        let inspected = sync_server::trust::inspect_certificate(path, der, anchor, now).unwrap();
        harness
            .store
            .trust_add_certificate(&inspected.record, "test", now)
            .unwrap();
    }
    for der in crls {
        let record = sync_server::trust::inspect_crl(path, der, now).unwrap();
        harness.store.trust_add_crl(&record, "test", now).unwrap();
    }
}

/// CRLs of `ca`'s root and intermediate revoking `revoked` leaves, issued a
/// day ago and due again in `valid_for`.
fn crls(ca: &TestCa, now: Timestamp, revoked: &[u64], valid_for: SignedDuration) -> Vec<Vec<u8>> {
    vec![
        ca.root_crl(&[], now - days(1), Some(now + valid_for)),
        ca.intermediate_crl(revoked, now - days(1), Some(now + valid_for)),
    ]
}

/// Builds a harness with a kiosk and `ca` trusted with empty CRLs.
async fn setup(ca_label: &str) -> (Harness, TestDevice, TestCa) {
    setup_with_key(ca_label, CaKey::P256).await
}

/// Builds the harness of [`setup`] around a certification center whose
/// root and intermediate have keys of type `key`.
async fn setup_with_key(ca_label: &str, key: CaKey) -> (Harness, TestDevice, TestCa) {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let now = harness.now();
    let ca = TestCa::new(ca_label, key, now - days(365), now + days(3650));
    install(&harness, &ca, &crls(&ca, harness.now(), &[], days(30)));
    (harness, kiosk, ca)
}

/// Asks for a challenge; returns `(challenge_id, attempt_id, message)`.
async fn challenge(harness: &Harness, kiosk: &TestDevice) -> (Uuid, Uuid, Vec<u8>) {
    let attempt = Uuid::now_v7();
    let answer = harness
        .signed(
            kiosk,
            "POST",
            "/v1/signature/challenge",
            Some(json!({"attempt_id": attempt})),
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let id: Uuid = answer.body["challenge_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let message = challenge_message(id, answer.body["nonce"].as_str().unwrap());
    (id, attempt, message)
}

async fn confirm(harness: &Harness, kiosk: &TestDevice, body: Value) -> Answer {
    harness
        .signed(kiosk, "POST", "/v1/signature/confirm", Some(body), None)
        .await
}

/// Signs a fresh challenge with `leaf` and sends the confirmation.
async fn sign_and_confirm(harness: &Harness, kiosk: &TestDevice, leaf: &TestLeaf) -> Answer {
    let (challenge_id, attempt, message) = challenge(harness, kiosk).await;
    let (scheme, signature) = leaf.key.sign(&message);
    confirm(
        harness,
        kiosk,
        json!({
            "challenge_id": challenge_id,
            "attempt_id": attempt,
            "certificate": base64(&leaf.der),
            "scheme": scheme,
            "signature": base64(&signature),
        }),
    )
    .await
}

fn database(harness: &Harness) -> rusqlite::Connection {
    rusqlite::Connection::open(harness.dir.path().join("okno.sqlite3")).unwrap()
}

fn account_show(harness: &Harness, snils: &str) -> (bool, String, String) {
    let output = std::process::Command::new(BINARY)
        .arg("--database")
        .arg(harness.dir.path().join("okno.sqlite3"))
        .args(["account", "show", "--snils", snils])
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Asserts a 422 with the certificate rule `code` and its message on `field`.
fn assert_rejected(answer: &Answer, code: &str, field: &str) {
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert_eq!(answer.body["code"], code, "{}", answer.body);
    assert_eq!(answer.body["fields"][0]["field"], field, "{}", answer.body);
    let message = answer.body["message"].as_str().unwrap();
    assert!(
        message.chars().any(|c| ('а'..='я').contains(&c)),
        "the message is not Russian: {message}"
    );
}

async fn assert_confirmed(harness: &Harness, answer: &Answer, key: LeafKey) {
    assert_eq!(answer.status, StatusCode::OK, "{key:?}: {}", answer.body);
    assert_eq!(answer.body["account_level"], "confirmed");
    assert_eq!(answer.body["surname"], "Иванов");
    assert_eq!(answer.body["given_name"], "Иван");
    assert_eq!(answer.body["patronymic"], "Иванович");

    let db = database(harness);
    let level: String = db
        .query_row(
            "SELECT level FROM accounts WHERE snils = ?1",
            [HOLDER_SNILS_PRINTED],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(level, "confirmed");
    let (method, inn, serial): (String, Option<String>, String) = db
        .query_row(
            "SELECT method, inn, certificate_serial FROM account_profiles WHERE snils = ?1",
            [HOLDER_SNILS_PRINTED],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    assert_eq!(method, "signature");
    assert_eq!(inn.as_deref(), Some(HOLDER_INN));
    assert_eq!(serial, "07");

    let (ok, stdout, stderr) = account_show(harness, HOLDER_SNILS);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("уровень: подтверждённая"), "{stdout}");
    assert!(
        stdout.contains("способ подтверждения: квалифицированная электронная подпись"),
        "{stdout}"
    );
    assert!(stdout.contains("ФИО и ИНН: из сертификата"), "{stdout}");
    assert!(stdout.contains("серийный номер 07"), "{stdout}");
}

#[tokio::test]
async fn rsa_certificate_confirms_account() {
    let (harness, kiosk, ca) = setup("RSA").await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()).with_key(LeafKey::Rsa2048));

    let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;

    assert_confirmed(&harness, &answer, LeafKey::Rsa2048).await;
}

#[tokio::test]
async fn p256_certificate_confirms_account() {
    let (harness, kiosk, ca) = setup("P256").await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()));

    let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;

    assert_confirmed(&harness, &answer, LeafKey::P256).await;
    let db = database(&harness);
    let (action, detail): (String, String) = db
        .query_row(
            "SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(action, "account.confirm_signature");
    assert!(detail.ends_with("scheme=ecdsa_sha256"), "{detail}");
    assert!(!detail.contains(HOLDER_SNILS), "{detail}");
}

#[tokio::test]
async fn gost_256_certificate_confirms_account() {
    let (harness, kiosk, ca) = setup_with_key("GOST256", CaKey::Gost2012_256).await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()).with_key(LeafKey::Gost2012_256));

    let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;

    assert_confirmed(&harness, &answer, LeafKey::Gost2012_256).await;
    let detail: String = database(&harness)
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'account.confirm_signature'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(detail.ends_with("scheme=gost2012_256"), "{detail}");
}

#[tokio::test]
async fn operator_confirmed_account_keeps_its_row() {
    let (harness, kiosk, ca) = setup("Existing").await;
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.add_operator("ivanova");
    let session = harness.login(&console, "ivanova").await;
    // The visitor of `request_submitted` has the same СНИЛС as the leaf.
    harness.confirmed_code(&kiosk, &console, &session).await;
    harness.clock.advance(SignedDuration::from_mins(1));
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()));

    let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;

    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let rows: u32 = database(&harness)
        .query_row("SELECT COUNT(*) FROM accounts", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn older_inn_form_is_accepted() {
    let (harness, kiosk, ca) = setup("OldInn").await;
    // `00` and a valid 10-digit organisation ИНН, as older certificates
    // write it.
    let leaf =
        ca.issue(&LeafSpec::person(7, harness.now()).with_attribute(oid::INN, "007707083893"));

    let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;

    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["account_level"], "confirmed");
    let inn: Option<String> = database(&harness)
        .query_row("SELECT inn FROM account_profiles", [], |row| row.get(0))
        .unwrap();
    assert_eq!(inn, None);
}

#[tokio::test]
async fn certificate_rules_reject_with_codes() {
    let (harness, kiosk, ca) = setup("Rules").await;
    let now = harness.now();
    let cases = [
        (
            "expired",
            LeafSpec::person(11, now).valid(now - days(400), now - days(1)),
            "certificate.expired",
        ),
        (
            "expires soon",
            LeafSpec::person(12, now).valid(now - days(10), now + days(89)),
            "certificate.expires_soon",
        ),
        (
            "weak key",
            LeafSpec::person(13, now).with_key(LeafKey::Rsa1024),
            "certificate.weak_rsa_key",
        ),
        (
            "no СНИЛС",
            LeafSpec::person(14, now).without_attribute(oid::SNILS),
            "certificate.snils_missing",
        ),
    ];
    for (case, spec, code) in cases {
        let leaf = ca.issue(&spec);
        let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;
        assert_eq!(answer.body["code"], code, "{case}: {}", answer.body);
        assert_rejected(&answer, code, "certificate");
    }
    let accounts: u32 = database(&harness)
        .query_row("SELECT COUNT(*) FROM accounts", [], |row| row.get(0))
        .unwrap();
    assert_eq!(accounts, 0);
}

#[tokio::test]
async fn untrusted_issuer_is_rejected() {
    let (harness, kiosk, _) = setup("Trusted").await;
    let stranger = test_ca("Stranger", harness.now());
    let leaf = stranger.issue(&LeafSpec::person(7, harness.now()));

    let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;

    assert_rejected(&answer, "certificate.untrusted_issuer", "certificate");
}

#[tokio::test]
async fn tampered_certificate_is_rejected() {
    let (harness, kiosk, ca) = setup("Tampered").await;
    let mut leaf = ca.issue(&LeafSpec::person(7, harness.now()));
    // The last byte belongs to the issuer's signature value.
    *leaf.der.last_mut().unwrap() ^= 0x01;

    let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;

    assert_rejected(&answer, "certificate.bad_chain_signature", "certificate");
}

#[tokio::test]
async fn racing_confirmations_succeed_once() {
    let (harness, kiosk, ca) = setup("Race").await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()));
    let (challenge_id, attempt, message) = challenge(&harness, &kiosk).await;
    let (scheme, signature) = leaf.key.sign(&message);
    let body = json!({
        "challenge_id": challenge_id, "attempt_id": attempt,
        "certificate": base64(&leaf.der), "scheme": scheme, "signature": base64(&signature),
    });

    let (first, second) = tokio::join!(
        confirm(&harness, &kiosk, body.clone()),
        confirm(&harness, &kiosk, body)
    );

    let mut statuses = [first.status.as_u16(), second.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", first.body, second.body);
    let confirmations: u32 = database(&harness)
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'account.confirm_signature'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(confirmations, 1);
}

#[tokio::test]
async fn revoked_certificate_is_rejected() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let now = harness.now();
    let ca = test_ca("Revoking", now);
    install(&harness, &ca, &crls(&ca, now, &[7], days(30)));
    let leaf = ca.issue(&LeafSpec::person(7, now));

    let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;

    assert_rejected(&answer, "certificate.revoked", "certificate");
}

#[tokio::test]
async fn crl_past_next_update_is_rejected() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let now = harness.now();
    let ca = test_ca("Stale", now);
    install(&harness, &ca, &crls(&ca, now, &[], days(1)));
    let leaf = ca.issue(&LeafSpec::person(7, now));
    harness.clock.advance(days(2));

    let answer = sign_and_confirm(&harness, &kiosk, &leaf).await;

    assert_rejected(&answer, "certificate.revocation_unknown", "certificate");
}

#[tokio::test]
async fn wrong_signature_is_rejected() {
    let (harness, kiosk, ca) = setup("Wrong").await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()));
    let (challenge_id, attempt, message) = challenge(&harness, &kiosk).await;
    let mut other = message.clone();
    other.push(b'!');
    let (scheme, signature) = leaf.key.sign(&other);

    let answer = confirm(
        &harness,
        &kiosk,
        json!({
            "challenge_id": challenge_id, "attempt_id": attempt,
            "certificate": base64(&leaf.der), "scheme": scheme, "signature": base64(&signature),
        }),
    )
    .await;

    assert_rejected(&answer, "certificate.bad_signature", "signature");
    let used: Option<String> = database(&harness)
        .query_row(
            "SELECT used_at FROM signature_challenges WHERE id = ?1",
            [challenge_id.to_string()],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(used, None);
}

#[tokio::test]
async fn wrong_gost_signature_is_rejected() {
    let (harness, kiosk, ca) = setup_with_key("WrongGOST", CaKey::Gost2012_256).await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()).with_key(LeafKey::Gost2012_256));
    let (challenge_id, attempt, message) = challenge(&harness, &kiosk).await;
    let (scheme, mut signature) = leaf.key.sign(&message);
    // The first half is `s`; a changed `s` no longer fits the challenge.
    signature[5] ^= 0x10;

    let answer = confirm(
        &harness,
        &kiosk,
        json!({
            "challenge_id": challenge_id, "attempt_id": attempt,
            "certificate": base64(&leaf.der), "scheme": scheme, "signature": base64(&signature),
        }),
    )
    .await;

    assert_eq!(scheme, SignatureScheme::Gost2012_256);
    assert_rejected(&answer, "certificate.bad_signature", "signature");
    let used: Option<String> = database(&harness)
        .query_row(
            "SELECT used_at FROM signature_challenges WHERE id = ?1",
            [challenge_id.to_string()],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(used, None);
}

#[tokio::test]
async fn scheme_mismatch_is_rejected() {
    let (harness, kiosk, ca) = setup("Mismatch").await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()).with_key(LeafKey::Rsa2048));
    let (challenge_id, attempt, message) = challenge(&harness, &kiosk).await;
    let (_, signature) = leaf.key.sign(&message);

    let answer = confirm(
        &harness,
        &kiosk,
        json!({
            "challenge_id": challenge_id, "attempt_id": attempt,
            "certificate": base64(&leaf.der), "scheme": "ecdsa_sha256",
            "signature": base64(&signature),
        }),
    )
    .await;

    assert_rejected(&answer, "certificate.scheme_mismatch", "signature");
}

#[tokio::test]
async fn challenge_reuse_is_rejected() {
    let (harness, kiosk, ca) = setup("Reuse").await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()));
    let (challenge_id, attempt, message) = challenge(&harness, &kiosk).await;
    let (scheme, signature) = leaf.key.sign(&message);
    let body = json!({
        "challenge_id": challenge_id, "attempt_id": attempt,
        "certificate": base64(&leaf.der), "scheme": scheme, "signature": base64(&signature),
    });

    let first = confirm(&harness, &kiosk, body.clone()).await;
    let second = confirm(&harness, &kiosk, body).await;

    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.body["code"], "signature.challenge_used");
}

#[tokio::test]
async fn challenge_expires_after_120_seconds() {
    let (harness, kiosk, ca) = setup("Late").await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()));
    let (challenge_id, attempt, message) = challenge(&harness, &kiosk).await;
    let (scheme, signature) = leaf.key.sign(&message);
    harness.clock.advance(SignedDuration::from_secs(120));

    let answer = confirm(
        &harness,
        &kiosk,
        json!({
            "challenge_id": challenge_id, "attempt_id": attempt,
            "certificate": base64(&leaf.der), "scheme": scheme, "signature": base64(&signature),
        }),
    )
    .await;

    assert_eq!(answer.status, StatusCode::GONE, "{}", answer.body);
    assert_eq!(answer.body["code"], "signature.challenge_expired");
}

#[tokio::test]
async fn challenge_of_other_kiosk_rejected() {
    let (harness, kiosk, ca) = setup("Other").await;
    let other = harness.enroll(DeviceRole::Kiosk).await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()));
    let (challenge_id, attempt, message) = challenge(&harness, &kiosk).await;
    let (scheme, signature) = leaf.key.sign(&message);
    let body = json!({
        "challenge_id": challenge_id, "attempt_id": attempt,
        "certificate": base64(&leaf.der), "scheme": scheme, "signature": base64(&signature),
    });

    let from_other = confirm(&harness, &other, body.clone()).await;
    let mut wrong_attempt = body.clone();
    wrong_attempt["attempt_id"] = json!(Uuid::now_v7());
    let other_attempt = confirm(&harness, &kiosk, wrong_attempt).await;
    let mut unknown = body;
    unknown["challenge_id"] = json!(Uuid::now_v7());
    let unknown = confirm(&harness, &kiosk, unknown).await;

    assert_eq!(from_other.status, StatusCode::FORBIDDEN);
    assert_eq!(from_other.body["code"], "signature.challenge_other_device");
    assert_eq!(other_attempt.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other_attempt.body["code"], "signature.attempt_mismatch");
    assert_eq!(other_attempt.body["fields"][0]["field"], "attempt_id");
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["code"], "signature.challenge_unknown");
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let (harness, kiosk, ca) = setup("Input").await;
    let leaf = ca.issue(&LeafSpec::person(7, harness.now()));
    let (challenge_id, attempt, message) = challenge(&harness, &kiosk).await;
    let (scheme, signature) = leaf.key.sign(&message);
    let good = json!({
        "challenge_id": challenge_id, "attempt_id": attempt,
        "certificate": base64(&leaf.der), "scheme": scheme, "signature": base64(&signature),
    });
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };

    let bad_certificate =
        confirm(&harness, &kiosk, with("certificate", json!("not base64!"))).await;
    let bad_signature = confirm(&harness, &kiosk, with("signature", json!("@@@@"))).await;
    let garbage_der = confirm(
        &harness,
        &kiosk,
        with("certificate", json!(base64(b"garbage"))),
    )
    .await;
    let unknown_scheme = confirm(&harness, &kiosk, with("scheme", json!("dsa_sha1"))).await;

    assert_eq!(bad_certificate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_certificate.body["code"], "signature.bad_base64");
    assert_eq!(bad_certificate.body["fields"][0]["field"], "certificate");
    assert_eq!(bad_signature.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_signature.body["code"], "signature.bad_base64");
    assert_eq!(bad_signature.body["fields"][0]["field"], "signature");
    assert_rejected(&garbage_der, "certificate.malformed", "certificate");
    assert_eq!(unknown_scheme.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_scheme.body["code"], "json.invalid");
    assert_eq!(unknown_scheme.body["fields"][0]["field"], "scheme");

    // None of those used the challenge up.
    let answer = confirm(&harness, &kiosk, good).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);

    let metrics = harness.metrics_text().await;
    for line in [
        "okno_signature_challenges_total{outcome=\"issued\"} 1\n",
        "okno_signature_confirmations_total{outcome=\"signature.bad_base64\"} 2\n",
        "okno_signature_confirmations_total{outcome=\"certificate.malformed\"} 1\n",
        "okno_signature_confirmations_total{outcome=\"json.invalid\"} 1\n",
        "okno_signature_confirmations_total{outcome=\"confirmed\"} 1\n",
    ] {
        assert!(metrics.contains(line), "{line} missing in {metrics}");
    }
}

#[tokio::test]
async fn trust_page_carries_directory() {
    let (harness, kiosk, ca) = setup("Page").await;

    let full = harness
        .signed(&kiosk, "GET", "/v1/trust?since=0", None, None)
        .await;
    let current = harness
        .signed(&kiosk, "GET", "/v1/trust?since=4", None, None)
        .await;
    // A station whose copy is newer than the server's (a restored server
    // database) gets the whole directory again.
    let ahead = harness
        .signed(&kiosk, "GET", "/v1/trust?since=9", None, None)
        .await;

    assert_eq!(full.status, StatusCode::OK, "{}", full.body);
    assert_eq!(full.body["version"], 4);
    assert_eq!(full.body["changed"], true);
    assert_eq!(
        full.body["certificates"],
        json!([
            {"anchor": true, "der": base64(ca.root_der())},
            {"anchor": false, "der": base64(ca.intermediate_der())},
        ])
    );
    assert_eq!(full.body["crls"].as_array().unwrap().len(), 2);
    let page: domain::sync::TrustDirectoryPage = serde_json::from_value(full.body).unwrap();
    domain::qualified_certificate::trust::TrustDirectory::from_page(&page).unwrap();
    assert_eq!(
        current.body,
        json!({"version": 4, "changed": false, "certificates": [], "crls": []})
    );
    assert_eq!(ahead.body["version"], 4);
    assert_eq!(ahead.body["changed"], true);
    assert_eq!(ahead.body["certificates"].as_array().unwrap().len(), 2);
}
