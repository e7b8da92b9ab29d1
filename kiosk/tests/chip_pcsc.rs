//! `PcscChipReader` against the real PC/SC stack (pcscd, vpcd and
//! `okno-virtual-chip` in a network namespace): which readers count as
//! present, a full read, and the reasons a read ends without data. Needs
//! root. Tests run one at a time because pcscd's socket is global.

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use domain::mrz::BacInput;
use hardware::card::sim::rig::{PcscRig, VPCD_READER};
use kiosk::chip::{ChipOutcome, ChipReader, PcscChipReader};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Builds the virtual chip once; it is a binary of the `hardware` package.
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

/// Returns the access data of the virtual chip's default document:
/// L898902C, 06.08.1969, 23.06.1994.
fn default_input() -> BacInput {
    BacInput::parse_triple("L898902C,690806,940623").expect("a valid triple")
}

#[test]
fn available_only_for_a_present_reader() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    assert!(PcscChipReader::new(VPCD_READER).available());
    assert!(PcscChipReader::new("Virtual PCD").available());
    assert!(!PcscChipReader::new("ACS ACR1252").available());
    rig.stop_pcscd();
    assert!(!PcscChipReader::new(VPCD_READER).available());
}

#[test]
fn reads_dg1_photo_and_signature() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(chip_binary(), &[]).unwrap();
    let result = PcscChipReader::new(VPCD_READER)
        .with_card_wait(Duration::from_secs(20))
        .read_blocking(&default_input())
        .expect("the chip reads");
    assert_eq!(
        result.mrz,
        "P<RUSIVANOVA<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<\nL898902C<3RUS6908061F9406236<<<<<<<<<<<<<<<2"
    );
    assert_eq!(result.passive_auth, "not_checked");
    // The generated placeholder photo is padded to 20,000 bytes.
    let photo = result.photo_base64.expect("a photo");
    assert_eq!(photo.len(), 20_000_usize.div_ceil(3) * 4);
}

#[test]
fn no_document_within_the_wait() {
    let _serial = serial();
    let _rig = PcscRig::start().unwrap();
    let outcome = PcscChipReader::new(VPCD_READER)
        .with_card_wait(Duration::from_millis(700))
        .read_blocking(&default_input());
    assert_eq!(outcome.err(), Some(ChipOutcome::NoDocument));
}

#[test]
fn wrong_access_data_is_refused() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(chip_binary(), &[]).unwrap();
    let wrong = BacInput::parse_triple("L898902C,690806,940624").expect("a valid triple");
    let outcome = PcscChipReader::new(VPCD_READER)
        .with_card_wait(Duration::from_secs(20))
        .read_blocking(&wrong);
    assert_eq!(outcome.err(), Some(ChipOutcome::AccessDenied));
}

#[test]
fn missing_reader_is_reported_as_gone() {
    let _serial = serial();
    let _rig = PcscRig::start().unwrap();
    let outcome = PcscChipReader::new("ACS ACR1252").read_blocking(&default_input());
    assert_eq!(outcome.err(), Some(ChipOutcome::ReaderGone));
}
