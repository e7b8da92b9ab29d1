//! Benchmark: APDUs, bytes and time to read DG1 and a 20 KB DG2 from the
//! virtual chip, with extended-length and with short READ BINARY.
//!
//! Run with `cargo bench -p hardware --bench card_read` as root: the
//! second half starts pcscd, vpcd and `okno-virtual-chip` in a network
//! namespace (see `hardware::card::sim::rig`). Counts include the three
//! BAC APDUs (SELECT application, GET CHALLENGE, EXTERNAL AUTHENTICATE).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use domain::mrz::BacInput;
use hardware::card::emrtd::lds::EfId;
use hardware::card::pcsc::{self, CardEvent, Monitor, PcscCard};
use hardware::card::sim::profile::sample_fields;
use hardware::card::sim::rig::{PcscRig, VPCD_READER};
use hardware::card::sim::{ChipProfile, TestIssuer, VirtualChip};
use hardware::card::{Metered, ReadOptions, Session, Traffic, Transport};

const RUNS: usize = 7;
const DG2_BYTES: usize = 20_000;

fn read_dg1_dg2(transport: &mut dyn Transport, options: ReadOptions) -> (usize, usize) {
    let input =
        BacInput::parse_triple("L898902C,690806,940623").expect("sample BAC input is valid");
    let mut session = Session::open(transport, &input, options).expect("BAC succeeds");
    let dg1 = session.read_file(EfId::Dg(1)).expect("DG1 reads");
    let dg2 = session.read_file(EfId::Dg(2)).expect("DG2 reads");
    (dg1.len(), dg2.len())
}

fn options(extended: bool) -> ReadOptions {
    ReadOptions {
        extended_length: extended,
        ..ReadOptions::default()
    }
}

fn in_process(extended: bool) -> (Traffic, (usize, usize)) {
    let issuer = TestIssuer::generate().expect("test issuer");
    let lines = sample_fields().to_lines().expect("sample MRZ").to_vec();
    let profile = ChipProfile::new(lines, DG2_BYTES).expect("photo");
    let mut chip = VirtualChip::new(profile, &issuer).expect("chip");
    let mut metered = Metered::new(&mut chip);
    let sizes = read_dg1_dg2(&mut metered, options(extended));
    (metered.traffic(), sizes)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn chip_binary() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args([
            "build",
            "--release",
            "-p",
            "hardware",
            "--bin",
            "okno-virtual-chip",
        ])
        .status()
        .expect("cargo runs");
    assert!(status.success(), "building okno-virtual-chip failed");
    let bench = std::env::current_exe().expect("own path");
    bench
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/release")
        .join("okno-virtual-chip")
}

fn through_vpcd(chip: &Path, extended: bool, quickack: bool, runs: usize) -> (Duration, Traffic) {
    let mut rig = PcscRig::start().expect("rig starts (run as root)");
    let photo_bytes = DG2_BYTES.to_string();
    let mut args = vec!["--photo-bytes", &photo_bytes];
    if !quickack {
        args.push("--no-quickack");
    }
    rig.insert_chip(chip, &args).expect("chip starts");
    let monitor = Monitor::start().expect("monitor");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match monitor.events().recv_timeout(left).expect("card appears") {
            CardEvent::CardInserted { .. } => break,
            _ => continue,
        }
    }
    monitor.stop();
    let context = pcsc::establish().expect("pcscd");
    let mut card = PcscCard::connect(&context, VPCD_READER).expect("connect");

    let mut times = Vec::new();
    let mut traffic = Traffic::default();
    for _ in 0..runs {
        let mut metered = Metered::new(&mut card);
        let started = Instant::now();
        read_dg1_dg2(&mut metered, options(extended));
        times.push(started.elapsed());
        traffic = metered.traffic();
    }
    (median(times), traffic)
}

fn main() {
    println!("Reading DG1 + DG2 (photo padded to {DG2_BYTES} bytes), BAC included");
    for extended in [true, false] {
        let (traffic, (dg1, dg2)) = in_process(extended);
        println!(
            "in-process {:>8}: DG1 {dg1} B, DG2 {dg2} B; {} APDUs, {} bytes sent, {} bytes received",
            if extended { "extended" } else { "short" },
            traffic.commands,
            traffic.bytes_sent,
            traffic.bytes_received
        );
    }

    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    if !is_root {
        println!("through vpcd: skipped, needs root for `ip netns`");
        return;
    }
    let chip = chip_binary();
    // The last case shows what re-arming TCP_QUICKACK saves; fewer runs
    // because each takes seconds.
    for (extended, quickack, runs) in [(true, true, RUNS), (false, true, RUNS), (false, false, 3)] {
        let (time, traffic) = through_vpcd(&chip, extended, quickack, runs);
        println!(
            "pcscd+vpcd {:>8}{}: median {:.1} ms over {runs} runs, {} APDUs",
            if extended { "extended" } else { "short" },
            if quickack { "" } else { ", delayed ACK" },
            time.as_secs_f64() * 1000.0,
            traffic.commands
        );
    }
}
