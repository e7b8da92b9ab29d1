//! Ticket printing benchmark: time to lay out a queue ticket and the bytes
//! it puts on the wire, per shipped profile.
//!
//! Run with `cargo bench -p hardware --bench printing`. Each profile runs
//! 31 samples of 200 tickets; the median sample gives the time per ticket.
//! Bytes on the wire are the job plus the eight 3-byte status queries
//! around it. The goal is at most 1 KB per ticket with native QR.

use std::hint::black_box;
use std::time::{Duration, Instant};

use hardware::printer::documents::QueueTicket;
use hardware::printer::Profile;
use jiff::civil::date;

const SAMPLES: usize = 31;
const TICKETS_PER_SAMPLE: u32 = 200;
/// Bytes of the `DLE EOT 1..4` queries before and after each job.
const STATUS_QUERY_BYTES: usize = 2 * 4 * 3;

fn ticket() -> QueueTicket {
    QueueTicket {
        center_name: "МФЦ «Мои документы» района Хамовники".into(),
        number: "П-042".into(),
        service: "Подтверждение учётной записи Госуслуг".into(),
        issued_at: date(2026, 12, 4).at(14, 5, 0, 0),
        people_ahead: 3,
        estimated_wait_minutes: 15,
        // The length of a real payload from `domain::ticket_qr` (81 chars).
        qr_payload:
            "OKNO1.AGJYYLT2CBYABAAAAAAAAAAAFI.MFC-77-014.1796393100.4MYWVBJCI2RIHYJUTIZYWJKPUE"
                .into(),
    }
}

fn main() {
    let ticket = ticket();
    println!("profile        native QR   median/ticket   job bytes   on the wire");
    for (name, _) in hardware::printer::profile::SHIPPED {
        let profile = Profile::shipped(name).expect("shipped profiles load");
        let bytes = ticket
            .to_job(&profile)
            .expect("the ticket lays out")
            .as_bytes()
            .len();

        let mut samples: Vec<Duration> = (0..SAMPLES)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..TICKETS_PER_SAMPLE {
                    black_box(
                        black_box(&ticket)
                            .to_job(black_box(&profile))
                            .expect("the ticket lays out"),
                    );
                }
                start.elapsed() / TICKETS_PER_SAMPLE
            })
            .collect();
        samples.sort();
        let median = samples[SAMPLES / 2];

        println!(
            "{name:<14} {:<11} {:>10.1} µs {bytes:>11} {:>13}",
            if profile.native_qr {
                "yes"
            } else {
                "no (raster)"
            },
            median.as_secs_f64() * 1e6,
            bytes + STATUS_QUERY_BYTES
        );
    }
}
