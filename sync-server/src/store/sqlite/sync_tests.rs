//! Tests of how a push group undoes a rejected event, driven by a rule
//! that writes before it rejects, which the rules in `apply` never do.

#![allow(clippy::unwrap_used)]

use domain::sync::{DeviceAlert, DeviceRole, EventEnvelope, EventKind};
use rusqlite::Connection;

use super::{push_group_with, AckOutcome, EventAck, PushJob, Rejection};
use crate::store::Device;

fn alert(code: &str) -> EventEnvelope {
    EventEnvelope {
        id: uuid::Uuid::now_v7(),
        occurred_at: "2026-12-05T06:00:00Z".parse().unwrap(),
        kind: EventKind::DeviceAlert(DeviceAlert {
            code: code.to_owned(),
            detail: String::new(),
        }),
    }
}

fn kiosk() -> Device {
    Device {
        id: uuid::Uuid::now_v7(),
        center_id: uuid::Uuid::now_v7(),
        role: DeviceRole::Kiosk,
        label: "test kiosk".to_owned(),
        enrolled_at: "2026-12-05T05:00:00Z".parse().unwrap(),
        revoked_at: None,
    }
}

/// Pushes `events` as one job with a rule that inserts an account row and
/// then rejects every alert coded `write-then-reject`.
fn push_with_writing_rule(conn: &mut Connection, events: Vec<EventEnvelope>) -> Vec<EventAck> {
    let (reply, result) = std::sync::mpsc::channel();
    let now = "2026-12-05T06:00:01Z".parse().unwrap();
    let job = PushJob::new(kiosk(), None, events, now, false, reply);
    let apply = |conn: &Connection, _: &PushJob, event: &EventEnvelope| match &event.kind {
        EventKind::DeviceAlert(alert) if alert.code == "write-then-reject" => {
            conn.execute(
                "INSERT INTO accounts (snils, level, updated_at) VALUES ('test', 'standard', 'now')",
                [],
            )?;
            Err(Rejection::Rule {
                code: "test.rejected".to_owned(),
                message: "rejected after a write".to_owned(),
                current_state: None,
            })
        }
        _ => Ok(None),
    };
    push_group_with(conn, vec![job], &apply);
    result.recv().unwrap().unwrap()
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
        row.get(0)
    })
    .unwrap()
}

#[test]
fn write_before_rejection_is_undone() {
    let mut conn = Connection::open_in_memory().unwrap();
    super::super::migrations::migrate(&mut conn).unwrap();
    let events = vec![
        alert("applies"),
        alert("write-then-reject"),
        alert("applies"),
    ];
    let ids: Vec<_> = events.iter().map(|event| event.id).collect();

    let acks = push_with_writing_rule(&mut conn, events);

    assert_eq!(acks.len(), 3);
    assert!(matches!(
        acks[0].outcome,
        AckOutcome::Applied { seq: 1, .. }
    ));
    assert!(
        matches!(&acks[1].outcome, AckOutcome::Rejected { code, .. } if code == "test.rejected")
    );
    assert!(matches!(
        acks[2].outcome,
        AckOutcome::Applied { seq: 2, .. }
    ));
    assert_eq!(
        count(&conn, "accounts"),
        0,
        "the rejected event's row stayed"
    );
    let stored: Vec<Vec<u8>> = conn
        .prepare("SELECT id FROM events ORDER BY seq")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        stored,
        [ids[0].as_bytes().to_vec(), ids[2].as_bytes().to_vec()]
    );
}
