//! `kiosk card-test` as a technician runs it, against the real PC/SC
//! stack (pcscd, vpcd and `okno-virtual-chip` in a network namespace).
//! Needs root. Tests run one at a time because pcscd's socket is global.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use hardware::card::sim::rig::{PcscRig, RigLock};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Builds the virtual chip once and returns its path. It is a binary of
/// the `hardware` package, which `cargo test -p kiosk` does not build;
/// cargo skips the build when the binary is fresh.
fn chip_binary() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "-p", "hardware", "--bin", "okno-virtual-chip"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building okno-virtual-chip failed");
        PathBuf::from(env!("CARGO_BIN_EXE_kiosk")).with_file_name("okno-virtual-chip")
    })
}

fn kiosk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(args)
        .output()
        .expect("kiosk runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn reads_passport_with_mrz() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(chip_binary(), &[]).unwrap();

    let output = kiosk(&[
        "card-test",
        "--timeout",
        "20",
        "--mrz",
        "L898902C,690806,940623",
    ]);
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("  Virtual PCD 00 00\n"), "{stdout}");
    assert!(
        stdout.contains("ATR: 3B 88 80 01 4F 4B 4E 4F 56 4D 52 54 "),
        "{stdout}"
    );
    assert!(
        stdout.contains("Распознано / recognised: бесконтактный микропроцессорный чип"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  фамилия / surname: IVANOVA\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  номер / document number: L898902C\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("DG2: фото 240x320 / photo 240x320"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  signature valid, issuer not checked;"),
        "{stdout}"
    );
    // No photo bytes on the terminal: the whole output stays small.
    assert!(stdout.len() < 4_000, "{} bytes of output", stdout.len());
}

#[test]
fn checks_issuer_with_csca_directory() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    let csca_dir = rig.work_dir().join("csca").to_string_lossy().into_owned();
    rig.insert_chip(chip_binary(), &["--csca-out", &csca_dir])
        .unwrap();

    let output = kiosk(&[
        "card-test",
        "--timeout",
        "20",
        "--mrz",
        "L898902C,690806,940623",
        "--csca-dir",
        &csca_dir,
    ]);
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("Подлинность данных чипа подтверждена"),
        "{stdout}"
    );
    assert!(stdout.contains("  passed;"), "{stdout}");
}

#[test]
fn wrong_mrz_says_what_to_check() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(chip_binary(), &[]).unwrap();

    let output = kiosk(&[
        "card-test",
        "--timeout",
        "20",
        "--mrz",
        "L898902C,690806,940624",
    ]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("Проверьте номер документа, дату рождения и дату окончания срока действия"),
        "{stderr}"
    );
}

#[test]
fn no_card_times_out() {
    let _serial = serial();
    let _rig = PcscRig::start().unwrap();
    let started = std::time::Instant::now();
    let output = kiosk(&["card-test", "--timeout", "1"]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("Карта не обнаружена за 1 с"),
        "{}",
        text(&output.stderr)
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn no_pcscd_is_explained() {
    let _serial = serial();
    let _lock = RigLock::acquire(Duration::from_secs(120)).unwrap();
    let output = kiosk(&["card-test", "--timeout", "1"]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("Служба смарт-карт (pcscd) не запущена"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn invalid_mrz_argument_is_rejected() {
    let output = kiosk(&["card-test", "--mrz", "L898902C,691306,940623"]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("«дата рождения» не является датой ГГММДД"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn no_subcommand_is_not_built_yet() {
    let output = kiosk(&[]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("not built yet"));
}

#[test]
fn unknown_card_is_named() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(chip_binary(), &["--atr", "3B 75 13 00 00 47 09 EA 90 00"])
        .unwrap();

    let output = kiosk(&["card-test", "--timeout", "20"]);
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&output.stderr)
    );
    assert!(
        stdout.contains("ATR: 3B 75 13 00 00 47 09 EA 90 00\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "Распознано / recognised: неизвестная карта: это не паспорт и не известный токен"
        ),
        "{stdout}"
    );
}

#[test]
fn invalid_atr_is_reported() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(chip_binary(), &["--atr", "FF"]).unwrap();

    let output = kiosk(&["card-test", "--timeout", "20"]);
    let stdout = text(&output.stdout);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("ATR: FF\n"), "{stdout}");
    assert!(
        stdout.contains("ATR не разобран / ATR invalid: ATR of 1 bytes is too short"),
        "{stdout}"
    );
}
