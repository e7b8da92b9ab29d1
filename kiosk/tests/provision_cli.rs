//! `kiosk provision` checks the technician PIN before it enrolls, so a
//! mistyped PIN costs no one-time token and leaves nothing on disk.

use std::io::Write;
use std::process::{Command, Stdio};

#[test]
fn short_pin_is_rejected_before_enrolling() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("kiosk");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args([
            "provision",
            "--server",
            "http://127.0.0.1:9",
            "--token",
            "unused",
        ])
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--pin-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"12345\n").unwrap();
    let output = child.wait_with_output().unwrap();

    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("Неверный ПИН техника: нужно от 6 до 12 цифр"),
        "{stderr}"
    );
    assert!(!stderr.contains("12345"), "the PIN must not be echoed");
    assert!(!data_dir.exists(), "nothing is written for a rejected PIN");
}
