//! The sync service with no server to reach: the link goes down, failed
//! attempts are counted on the pending events, nothing leaves the outbox,
//! and shutdown returns promptly.
//!
//! The server address is a loopback port bound and released by the test,
//! so every connection is refused at once.

use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use domain::sync::{DeviceAlert, DeviceRole, EventKind};
use jiff::tz::TimeZone;
use station::store::OutboxStatus;
use station::sync::{Link, SyncConfig, SyncHandle, SyncUpdate};
use station::{Credentials, Store};
use uuid::Uuid;

#[test]
fn unreachable_server_keeps_events_pending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(Store::open(dir.path().join("station.sqlite")).expect("open"));
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port();
    let credentials = Credentials::new(
        format!("http://127.0.0.1:{closed_port}"),
        Uuid::now_v7(),
        Uuid::now_v7(),
        DeviceRole::Kiosk,
        "kiosk".to_owned(),
        "ab".repeat(32),
    )
    .expect("credentials");
    let event = store
        .record_event(
            EventKind::DeviceAlert(DeviceAlert {
                code: "printer.paper_out".to_owned(),
                detail: "no paper".to_owned(),
            }),
            jiff::Timestamp::now(),
        )
        .expect("record");

    let mut config = SyncConfig::for_role(DeviceRole::Kiosk, TimeZone::UTC);
    config.backoff_base = Duration::from_millis(20);
    config.backoff_max = Duration::from_millis(100);
    let (sender, updates) = mpsc::channel();
    let sync = SyncHandle::start(Arc::clone(&store), &credentials, config, move |update| {
        let _ = sender.send(update);
    })
    .expect("start");

    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    let attempts = || {
        store
            .outbox_entries(OutboxStatus::Pending)
            .expect("pending")[0]
            .attempts
    };
    while !(sync.status().link == Link::Down && attempts() >= 3) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "the link never went down with three attempts"
        );
        if let Ok(update) = updates.recv_timeout(left.min(Duration::from_millis(200))) {
            seen.push(update);
        }
    }

    let status = sync.status();
    assert_eq!(status.last_error.as_deref(), Some("network"));
    assert_eq!(status.outbox_pending, 1);
    assert_eq!(status.last_sync_at, None);
    let pending = store
        .outbox_entries(OutboxStatus::Pending)
        .expect("pending");
    assert_eq!(pending[0].event_id, event);
    assert_eq!(pending[0].last_error_code.as_deref(), Some("network"));

    let started = Instant::now();
    sync.shutdown();
    assert!(
        started.elapsed() < station::sync::SHUTDOWN_GRACE,
        "shutdown took {:?}",
        started.elapsed()
    );
    seen.extend(updates.try_iter());
    assert!(seen
        .iter()
        .any(|update| matches!(update, SyncUpdate::Status(status) if status.link == Link::Down)));
}
