//! `sync-server trust add|add-crl|list|remove` run as a process on files
//! made by `domain::qualified_certificate::testing`, in DER and PEM. The
//! CLI reads the wall clock, so every validity period is relative to it.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use domain::qualified_certificate::testing::{days, CaKey, LeafSpec, TestCa};
use jiff::Timestamp;

const BINARY: &str = env!("CARGO_BIN_EXE_sync-server");

struct Output {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn run(database: &Path, args: &[&str]) -> Output {
    let output = Command::new(BINARY)
        .arg("--database")
        .arg(database)
        .args(args)
        .output()
        .unwrap();
    Output {
        ok: output.status.success(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let base64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = base64
        .as_bytes()
        .chunks(64)
        .map(|chunk| std::str::from_utf8(chunk).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn audit_actions(database: &Path) -> Vec<String> {
    let db = rusqlite::Connection::open(database).unwrap();
    let mut statement = db
        .prepare("SELECT action FROM audit_log ORDER BY seq")
        .unwrap();
    statement
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn trust_directory_lifecycle() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("okno.sqlite3");
    let now = Timestamp::now();
    let ca = TestCa::new("Cli", CaKey::P256, now - days(30), now + days(3650));
    let root = write(
        dir.path(),
        "root.pem",
        pem("CERTIFICATE", ca.root_der()).as_bytes(),
    );
    let intermediate = write(dir.path(), "intermediate.cer", ca.intermediate_der());

    let added = run(&database, &["trust", "add", "--anchor", arg(&root)]);
    assert!(added.ok, "{}", added.stderr);
    let root_fingerprint = added.stdout.trim().to_owned();
    assert_eq!(root_fingerprint.len(), 64);
    assert!(added.stderr.contains("версия списка 1"), "{}", added.stderr);
    let added = run(&database, &["trust", "add", arg(&intermediate)]);
    assert!(added.ok, "{}", added.stderr);
    let intermediate_fingerprint = added.stdout.trim().to_owned();

    let older = ca.intermediate_crl(&[], now - days(2), Some(now + days(5)));
    let newer = ca.intermediate_crl(&[9], now - days(1), Some(now + days(30)));
    let older_file = write(dir.path(), "older.crl", pem("X509 CRL", &older).as_bytes());
    let newer_file = write(dir.path(), "newer.crl", &newer);
    let stored = run(&database, &["trust", "add-crl", arg(&newer_file)]);
    assert!(stored.ok, "{}", stored.stderr);
    assert!(
        stored.stderr.contains("версия списка 3"),
        "{}",
        stored.stderr
    );
    let rejected = run(&database, &["trust", "add-crl", arg(&older_file)]);
    assert!(!rejected.ok);
    assert!(
        rejected.stderr.contains(&format!(
            "ошибка: {}: trust.crl_not_newer: ",
            older_file.display()
        )),
        "{}",
        rejected.stderr
    );
    assert!(
        rejected
            .stderr
            .contains("заменить можно только более новым"),
        "{}",
        rejected.stderr
    );

    let listed = run(&database, &["trust", "list"]);
    assert!(listed.ok, "{}", listed.stderr);
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", listed.stdout);
    assert_eq!(lines[0], "version\t3");
    assert!(
        lines[1].starts_with(&format!("certificate\t{root_fingerprint}\tanchor\t01\t")),
        "{}",
        lines[1]
    );
    assert!(lines[1].ends_with("CN=Okno Test Root Cli,O=Okno test certification center,C=RU"));
    assert!(
        lines[2].starts_with(&format!(
            "certificate\t{intermediate_fingerprint}\tintermediate\t02\t"
        )),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("crl\t"), "{}", lines[3]);
    assert!(lines[3].ends_with("CN=Okno Test CA Cli,O=Okno test certification center,C=RU"));

    let orphaning = run(&database, &["trust", "remove", &root_fingerprint]);
    assert!(!orphaning.ok, "the root was removed under its intermediate");
    assert!(
        orphaning.stderr.contains(&format!(
            "выпустил сертификаты, которые остаются в списке доверенных ({intermediate_fingerprint})"
        )),
        "{}",
        orphaning.stderr
    );

    let removed = run(&database, &["trust", "remove", &intermediate_fingerprint]);
    assert!(removed.ok, "{}", removed.stderr);
    assert!(
        removed
            .stderr
            .contains("удалён и список отзыва издателя «CN=Okno Test CA Cli"),
        "{}",
        removed.stderr
    );
    let listed = run(&database, &["trust", "list"]);
    assert_eq!(listed.stdout.lines().count(), 2, "{}", listed.stdout);
    assert_eq!(listed.stdout.lines().next(), Some("version\t4"));

    assert_eq!(
        audit_actions(&database),
        [
            "trust.add_anchor",
            "trust.add_intermediate",
            "trust.add_crl",
            "trust.remove"
        ]
    );
}

#[test]
fn trust_add_rejects_each_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("okno.sqlite3");
    let now = Timestamp::now();
    let ca = TestCa::new("Bad", CaKey::P256, now - days(30), now + days(3650));
    let stranger = TestCa::new("Stranger", CaKey::P256, now - days(30), now + days(3650));
    let expired = TestCa::new("Old", CaKey::P256, now - days(400), now - days(1));
    // The same names as `ca` with other keys: its CRLs name a trusted
    // issuer but carry a signature no trusted key made.
    let impostor = TestCa::new("Bad", CaKey::P256, now - days(30), now + days(3650));
    let root = write(dir.path(), "root.der", ca.root_der());
    assert!(run(&database, &["trust", "add", "--anchor", arg(&root)]).ok);

    let leaf = ca.issue(&LeafSpec::person(7, now));
    let cases = [
        (
            "text.txt",
            b"hello".to_vec(),
            vec!["add", "--anchor"],
            "файл не читается как сертификат X.509",
        ),
        (
            "crl-as-certificate.der",
            ca.root_crl(&[], now - days(1), Some(now + days(30))),
            vec!["add", "--anchor"],
            "это список отзыва (СОС), а не сертификат; добавьте его командой \
             `sync-server trust add-crl`",
        ),
        (
            "root-without-anchor.der",
            stranger.root_der().to_vec(),
            vec!["add"],
            "сертификат «CN=Okno Test Root Stranger,O=Okno test certification center,C=RU» \
             самоподписанный (корневой); корневые сертификаты добавляются с --anchor",
        ),
        (
            "leaf.der",
            leaf.der.clone(),
            vec!["add", "--anchor"],
            "не является сертификатом УЦ",
        ),
        (
            "expired.der",
            expired.root_der().to_vec(),
            vec!["add", "--anchor"],
            "срок действия сертификата «CN=Okno Test Root Old",
        ),
        (
            "orphan.der",
            stranger.intermediate_der().to_vec(),
            vec!["add"],
            "издатель «CN=Okno Test Root Stranger,O=Okno test certification center,C=RU» \
             промежуточного сертификата не найден",
        ),
        (
            "again.der",
            ca.root_der().to_vec(),
            vec!["add", "--anchor"],
            "уже есть в списке доверенных",
        ),
        (
            "wrong-label.pem",
            pem("X509 CRL", ca.root_der()).into_bytes(),
            vec!["add", "--anchor"],
            "в файле PEM нет блока «-----BEGIN CERTIFICATE-----», есть «-----BEGIN X509 \
             CRL-----»; это список отзыва (СОС), его добавляет `sync-server trust add-crl`",
        ),
        (
            "stranger.crl",
            stranger.root_crl(&[], now - days(1), Some(now + days(30))),
            vec!["add-crl"],
            "издатель списка отзыва «CN=Okno Test Root Stranger",
        ),
        (
            "impostor.crl",
            impostor.root_crl(&[], now - days(1), Some(now + days(30))),
            vec!["add-crl"],
            "список отзыва издателя «CN=Okno Test Root Bad,O=Okno test certification \
             center,C=RU» не подписан ни одним сертификатом с этим именем",
        ),
        (
            "stale.crl",
            ca.root_crl(&[], now - days(10), Some(now - days(1))),
            vec!["add-crl"],
            "устарел",
        ),
        (
            "certificate-as.crl",
            ca.root_der().to_vec(),
            vec!["add-crl"],
            "это сертификат, а не список отзыва (СОС); добавьте его командой \
             `sync-server trust add`",
        ),
    ];
    for (name, bytes, command, expected) in cases {
        let file = write(dir.path(), name, &bytes);
        let mut args = vec!["trust"];
        args.extend(command);
        args.push(arg(&file));
        let output = run(&database, &args);
        assert!(!output.ok, "{name} was accepted");
        assert!(
            output
                .stderr
                .contains(&format!("ошибка: {}", file.display())),
            "{name}: the message does not name the file: {}",
            output.stderr
        );
        assert!(
            output.stderr.contains(expected),
            "{name}: {}",
            output.stderr
        );
    }

    let unknown = run(&database, &["trust", "remove", &"ab".repeat(32)]);
    assert!(!unknown.ok);
    assert!(
        unknown.stderr.contains(&format!(
            "сертификата с отпечатком {} нет в списке доверенных",
            "ab".repeat(32)
        )),
        "{}",
        unknown.stderr
    );
    let listed = run(&database, &["trust", "list"]);
    assert_eq!(listed.stdout.lines().next(), Some("version\t1"));

    let genuine = write(
        dir.path(),
        "genuine.crl",
        &ca.root_crl(&[], now - days(1), Some(now + days(30))),
    );
    let stored = run(&database, &["trust", "add-crl", arg(&genuine)]);
    assert!(stored.ok, "{}", stored.stderr);

    let other_database = dir.path().join("anchored-intermediate.sqlite3");
    let intermediate = write(dir.path(), "intermediate.der", ca.intermediate_der());
    let anchored = run(
        &other_database,
        &["trust", "add", "--anchor", arg(&intermediate)],
    );
    assert!(anchored.ok, "{}", anchored.stderr);
    assert!(
        anchored.stderr.contains(
            "несамоподписанный сертификат (якорь доверия) «CN=Okno Test CA Bad,O=Okno test \
             certification center,C=RU» добавлен"
        ),
        "{}",
        anchored.stderr
    );
}
