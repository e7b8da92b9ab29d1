//! The card layer against the real PC/SC stack: Debian's pcscd with the
//! vpcd driver and `okno-virtual-chip`, in a network namespace made by
//! [`PcscRig`]. Needs root. The tests share one machine-wide pcscd socket,
//! so they run one at a time (a mutex here, a lock directory across
//! processes).

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use domain::mrz::BacInput;
use hardware::card::atr::{Atr, CardKind};
use hardware::card::emrtd::lds::EfId;
use hardware::card::emrtd::passive::{self, Verdict};
use hardware::card::pcsc::{self, CardEvent, Monitor, PcscCard};
use hardware::card::sim::chip::contactless_atr;
use hardware::card::sim::rig::{PcscRig, VPCD_READER};
use hardware::card::{read_document, ReadError, ReadOptions, Session};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn chip_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_okno-virtual-chip"))
}

fn sample_input() -> BacInput {
    BacInput::parse_triple("L898902C,690806,940623").expect("sample BAC input is valid")
}

/// Waits for the first event matching `wanted`, skipping others.
fn wait_for(
    monitor: &Monitor,
    timeout: Duration,
    wanted: impl Fn(&CardEvent) -> bool,
) -> Option<CardEvent> {
    let deadline = Instant::now() + timeout;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match monitor.events().recv_timeout(left) {
            Ok(event) if wanted(&event) => return Some(event),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
}

fn card_inserted(event: &CardEvent) -> bool {
    matches!(event, CardEvent::CardInserted { reader, .. } if reader == VPCD_READER)
}

#[test]
fn monitor_reports_reader_and_card() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    let monitor = Monitor::start().unwrap();

    let added = wait_for(&monitor, Duration::from_secs(5), |e| {
        matches!(e, CardEvent::ReaderAdded { .. })
    });
    assert_eq!(
        added,
        Some(CardEvent::ReaderAdded {
            reader: "Virtual PCD 00 00".to_owned()
        })
    );

    rig.insert_chip(chip_binary(), &[]).unwrap();
    let inserted =
        wait_for(&monitor, Duration::from_secs(10), card_inserted).expect("card inserted");
    let CardEvent::CardInserted { atr, .. } = inserted else {
        unreachable!()
    };
    assert_eq!(atr, contactless_atr(b"OKNOVMRT"));
    assert!(Atr::parse(&atr)
        .unwrap()
        .card_kind()
        .may_be_travel_document());
    assert!(matches!(
        Atr::parse(&atr).unwrap().card_kind(),
        CardKind::ContactlessChip { .. }
    ));

    rig.remove_chip();
    let removed = wait_for(&monitor, Duration::from_secs(10), |e| {
        matches!(e, CardEvent::CardRemoved { .. })
    });
    assert_eq!(
        removed,
        Some(CardEvent::CardRemoved {
            reader: VPCD_READER.to_owned()
        })
    );

    let started = Instant::now();
    monitor.stop();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "stop took {:?}",
        started.elapsed()
    );
}

#[test]
fn passport_reads_through_pcscd() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    let csca_dir = rig.work_dir().join("csca");
    let csca_arg = csca_dir.to_string_lossy().into_owned();
    rig.insert_chip(
        chip_binary(),
        &[
            "--surname",
            "PETROV",
            "--given-names",
            "PETR",
            "--sex",
            "M",
            "--csca-out",
            &csca_arg,
        ],
    )
    .unwrap();
    let monitor = Monitor::start().unwrap();
    wait_for(&monitor, Duration::from_secs(10), card_inserted).expect("card inserted");

    let context = pcsc::establish().unwrap();
    let mut card = PcscCard::connect(&context, VPCD_READER).unwrap();
    let document = read_document(&mut card, &sample_input(), ReadOptions::default()).unwrap();
    assert_eq!(document.mrz.surname, "PETROV");
    assert_eq!(document.mrz.given_names, "PETR");
    assert_eq!(document.mrz.nationality, "RUS");
    assert!(document.face.is_some());

    let without = passive::authenticate(&document.sod, &document.data_groups, None);
    assert_eq!(without.verdict(), Verdict::SignatureValidIssuerNotChecked);
    let cscas = passive::load_csca_directory(&csca_dir).unwrap();
    assert_eq!(cscas.len(), 1);
    let with = passive::authenticate(&document.sod, &document.data_groups, Some(&cscas));
    assert_eq!(with.verdict(), Verdict::Passed);
}

#[test]
fn short_reads_through_pcscd() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(
        chip_binary(),
        &["--no-extended-length", "--photo-bytes", "3000"],
    )
    .unwrap();
    let monitor = Monitor::start().unwrap();
    wait_for(&monitor, Duration::from_secs(10), card_inserted).expect("card inserted");

    let context = pcsc::establish().unwrap();
    let mut card = PcscCard::connect(&context, VPCD_READER).unwrap();
    let document = read_document(&mut card, &sample_input(), ReadOptions::default()).unwrap();
    assert_eq!(document.mrz.surname, "IVANOVA");
    let report = passive::authenticate(&document.sod, &document.data_groups, None);
    assert_eq!(report.verdict(), Verdict::SignatureValidIssuerNotChecked);
}

#[test]
fn wrong_mrz_refused_through_pcscd() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(chip_binary(), &[]).unwrap();
    let monitor = Monitor::start().unwrap();
    wait_for(&monitor, Duration::from_secs(10), card_inserted).expect("card inserted");

    let context = pcsc::establish().unwrap();
    let mut card = PcscCard::connect(&context, VPCD_READER).unwrap();
    let wrong = BacInput::parse_triple("L898902C,690806,940624").unwrap();
    let error = read_document(&mut card, &wrong, ReadOptions::default()).unwrap_err();
    assert!(matches!(error, ReadError::AccessDenied(_)), "{error:?}");
}

#[test]
fn card_removed_mid_read() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(chip_binary(), &[]).unwrap();
    let monitor = Monitor::start().unwrap();
    wait_for(&monitor, Duration::from_secs(10), card_inserted).expect("card inserted");

    let context = pcsc::establish().unwrap();
    let mut card = PcscCard::connect(&context, VPCD_READER).unwrap();
    let mut session = Session::open(&mut card, &sample_input(), ReadOptions::default()).unwrap();
    session.read_file(EfId::Dg(1)).unwrap();

    rig.remove_chip();
    wait_for(&monitor, Duration::from_secs(10), |e| {
        matches!(e, CardEvent::CardRemoved { .. })
    })
    .expect("card removed");
    let error = session.read_file(EfId::Dg(2)).unwrap_err();
    assert_eq!(error, ReadError::CardRemoved);
    assert!(error.retry_offered());
}

#[test]
fn pcscd_stop_removes_readers() {
    let _serial = serial();
    let mut rig = PcscRig::start().unwrap();
    rig.insert_chip(chip_binary(), &[]).unwrap();
    let monitor = Monitor::start().unwrap();
    wait_for(&monitor, Duration::from_secs(10), card_inserted).expect("card inserted");
    let context = pcsc::establish().unwrap();
    let mut card = PcscCard::connect(&context, VPCD_READER).unwrap();

    rig.stop_pcscd();
    let mut removed = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match monitor
            .events()
            .recv_timeout(left)
            .expect("monitor reports the stop")
        {
            CardEvent::ReaderRemoved { reader } => removed.push(reader),
            CardEvent::ServiceStopped => break,
            _ => {}
        }
    }
    removed.sort();
    assert_eq!(removed, ["Virtual PCD 00 00", "Virtual PCD 00 01"]);
    let error = read_document(&mut card, &sample_input(), ReadOptions::default()).unwrap_err();
    assert!(
        matches!(error, ReadError::ReaderUnavailable | ReadError::CardRemoved),
        "{error:?}"
    );
    assert!(error.retry_offered());
}
