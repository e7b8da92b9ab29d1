//! Start to first frame and memory (PSS) of `kiosk run` under Xvfb with
//! the software renderer.
//!
//! Run with `cargo bench -p kiosk --bench startup` (needs `Xvfb`, Debian
//! package `xvfb`). The bench starts its own Xvfb on display `:97` with TCP
//! listening off, then starts the kiosk `RUNS` times. The first frame is
//! the moment the X server holds the top bar's colour at (5, 5), read with
//! `GetImage` every half millisecond; that is the first pixel the window
//! paints, as the window opens at the top-left corner with no window
//! manager. PSS is read from `/proc/PID/smaps_rollup` at that moment.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};

const DISPLAY: &str = ":97";
const RUNS: usize = 11;
/// Longest wait for Xvfb to start or for a first frame.
const DEADLINE: Duration = Duration::from_secs(20);
/// `Theme.surface` (#eef1f5) as the X server stores a 24-bit pixel: B, G, R.
const TOP_BAR_BGR: [u8; 3] = [0xf5, 0xf1, 0xee];

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument means a filter
    // this bench does not support, so it runs anyway.
    let xvfb = Command::new("Xvfb")
        .args([DISPLAY, "-screen", "0", "1080x1920x24", "-nolisten", "tcp"])
        .stderr(Stdio::null())
        .spawn()
        .map(Killed)
        .expect("Xvfb starts (apt-get install -y xvfb)");
    let socket = format!("/tmp/.X11-unix/X{}", &DISPLAY[1..]);
    wait_until("Xvfb's socket", || Path::new(&socket).exists());
    let (conn, screen) = loop {
        if let Ok(connected) = x11rb::connect(Some(DISPLAY)) {
            break connected;
        }
        thread::sleep(Duration::from_millis(5));
    };
    let root = conn.setup().roots[screen].root;

    let mut frames = Vec::new();
    let mut pss = Vec::new();
    for run in 0..RUNS {
        let start = Instant::now();
        let kiosk = Command::new(env!("CARGO_BIN_EXE_kiosk"))
            .arg("run")
            .env("DISPLAY", DISPLAY)
            .env("SLINT_BACKEND", "winit-software")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .spawn()
            .map(Killed)
            .expect("the kiosk binary starts");
        wait_until("the first frame", || {
            conn.get_image(ImageFormat::Z_PIXMAP, root, 5, 5, 1, 1, !0)
                .ok()
                .and_then(|cookie| cookie.reply().ok())
                .is_some_and(|image| image.data[..3] == TOP_BAR_BGR)
        });
        let frame = start.elapsed();
        let kilobytes = pss_kilobytes(kiosk.0.id());
        println!(
            "run {run:2}: first frame {:6.1} ms, PSS {:6.1} MB",
            ms(frame),
            kilobytes as f64 / 1024.0
        );
        frames.push(frame);
        pss.push(kilobytes);
        drop(kiosk);
        // The next run must not see this run's pixels.
        wait_until("the window to close", || {
            conn.get_image(ImageFormat::Z_PIXMAP, root, 5, 5, 1, 1, !0)
                .ok()
                .and_then(|cookie| cookie.reply().ok())
                .is_some_and(|image| image.data[..3] != TOP_BAR_BGR)
        });
    }
    drop(xvfb);

    frames.sort();
    pss.sort();
    println!(
        "median of {RUNS}: first frame {:.1} ms, PSS {:.1} MB",
        ms(frames[RUNS / 2]),
        pss[RUNS / 2] as f64 / 1024.0
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Polls `condition` every half millisecond until it holds or `DEADLINE`
/// passes.
fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_micros(500));
    }
}

fn pss_kilobytes(pid: u32) -> u64 {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .expect("the kiosk's smaps_rollup is readable");
    rollup
        .lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("smaps_rollup has a Pss line in kB")
}
