//! `operator run --demo`: the console on sample tickets served by
//! [`MemoryBackend`], with printed slips kept in memory. The real parts are
//! built by [`crate::setup`].

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
use crate::chip::DomainMrz;
use crate::config::Config;
use crate::outbox::MemoryOutbox;
use crate::printer::RecordingPrinter;
use crate::qr::NoQrVerifier;

/// Runs the demo console for `config` until its window closes.
pub fn run(config: &Config) -> anyhow::Result<()> {
    tracing::warn!(printer = %config.printer_uri, "demo mode: sample tickets, slips are not printed");

    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let backend = MemoryBackend::new(clock.clone());
    backend.add_operator("demo", "demo");
    seed(&backend, clock.as_ref())?;

    let deps = Deps {
        backend: Arc::new(backend),
        printer: Arc::new(RecordingPrinter::default()),
        qr: Arc::new(NoQrVerifier),
        mrz: Arc::new(DomainMrz),
        outbox: Arc::new(MemoryOutbox::default()),
        clock,
        settings: Settings {
            default_window: Some(config.window),
            services: config.services.clone(),
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
