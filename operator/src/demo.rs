//! `operator run`: loads the configuration and opens the console.
//!
//! Only the `--demo` mode runs today: it serves sample tickets from
//! [`MemoryBackend`] and keeps printed slips in memory.
// TODO: connect the `station` sync client, the SQLite outbox and the
// `hardware` printer once they are merged, and drop the `--demo` guard.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use domain::clock::{Clock, SystemClock};
use domain::ticket::{Priority, QueueEntry, ServiceCategory, TicketNumber, TicketState};
use jiff::tz::TimeZone;
use jiff::SignedDuration;
use uuid::Uuid;

use crate::app::{Console, Deps, Settings};
use crate::backend::memory::MemoryBackend;
use crate::backend::QueuedTicket;
use crate::chip::NoMrzInterpreter;
use crate::config::Config;
use crate::outbox::MemoryOutbox;
use crate::printer::RecordingPrinter;
use crate::qr::NoQrVerifier;

/// Loads `config_path` and runs the console until its window closes.
pub fn run(config_path: &Path, demo: bool) -> anyhow::Result<()> {
    let config = Config::load(config_path)?;
    if !demo {
        anyhow::bail!(
            "the console cannot reach the sync server yet: its client is not built into this version; run `operator run --demo` to try the console on sample tickets"
        );
    }
    tracing::warn!(printer = %config.printer_uri, "demo mode: sample tickets, slips are not printed");

    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let backend = MemoryBackend::new(clock.clone());
    backend.add_operator("demo", "demo");
    seed(&backend, clock.as_ref())?;

    let deps = Deps {
        backend: Arc::new(backend),
        printer: Arc::new(RecordingPrinter::default()),
        qr: Arc::new(NoQrVerifier),
        mrz: Arc::new(NoMrzInterpreter),
        outbox: Arc::new(MemoryOutbox::default()),
        clock,
        settings: Settings {
            default_window: Some(config.window),
            services: config.services,
            idle_lock: SignedDuration::from_mins(i64::from(config.idle_lock_minutes)),
            time_zone: TimeZone::system(),
            poll_wait: Duration::from_secs(25),
            retry_interval: Duration::from_secs(5),
        },
    };
    let console = Console::init(deps).context("cannot open the console window")?;
    console.run().context("the console window failed")?;
    Ok(())
}

fn seed(backend: &MemoryBackend, clock: &dyn Clock) -> anyhow::Result<()> {
    let now = clock.now();
    for (sequence, minutes, category) in [
        (1, 22, ServiceCategory::IdentityConfirmation),
        (2, 9, ServiceCategory::IdentityConfirmation),
        (1, 4, ServiceCategory::RestoreAccess),
    ] {
        backend.add_ticket(QueuedTicket {
            id: Uuid::now_v7(),
            entry: QueueEntry {
                number: TicketNumber::new(category, sequence)?,
                priority: Priority::Regular,
                issued_at: now.checked_sub(SignedDuration::from_mins(minutes))?,
                state: TicketState::Issued,
            },
            request: None,
        });
    }
    Ok(())
}
