//! Store tests on real SQLite files in a temporary directory.

use domain::request::{RequestKind, RequestStatus};
use domain::sync::{
    AckOutcome, Change, DecisionConfirm, EventAck, EventEnvelope, EventKind, IssuedCode,
    LeaseGrant, PullPage, TicketCalled, VisitorData,
};
use domain::ticket::{ServiceCategory, TicketStatus};
use jiff::civil::{date, Date};
use jiff::Timestamp;
use uuid::Uuid;

use super::*;

const DAY: Date = date(2026, 12, 4);

fn at() -> Timestamp {
    "2026-12-04T09:00:00Z".parse().expect("timestamp")
}

fn visitor() -> VisitorData {
    VisitorData {
        surname: "Иванова".to_owned(),
        given_name: "Мария".to_owned(),
        patronymic: Some("Петровна".to_owned()),
        birth_date: date(1960, 3, 15),
        passport_number: "4510 123456".to_owned(),
        passport_issue_date: date(2010, 5, 20),
        passport_issuer: "ОВД района Арбат".to_owned(),
        division_code: "770-001".to_owned(),
        snils: "112-233-445 95".to_owned(),
        inn: None,
        phone: "+79123456789".to_owned(),
        email: None,
    }
}

fn new_request() -> NewRequest {
    NewRequest {
        kind: RequestKind::ConfirmIdentity,
        visitor: visitor(),
        chip: None,
        priority: false,
    }
}

fn lease(first: u16, last: u16) -> LeaseGrant {
    LeaseGrant {
        lease_id: Uuid::now_v7(),
        category: ServiceCategory::IdentityConfirmation,
        day: DAY,
        first,
        last,
    }
}

fn open_temp() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path().join("station.sqlite")).expect("open store");
    (dir, store)
}

fn applied(id: Uuid, seq: u64) -> EventAck {
    EventAck {
        id,
        outcome: AckOutcome::Applied { seq, issued: None },
    }
}

#[test]
fn open_sets_wal_full_sync_and_version() {
    let (_dir, store) = open_temp();
    let conn = store.lock();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("journal_mode");
    let synchronous: i64 = conn
        .query_row("PRAGMA synchronous", [], |row| row.get(0))
        .expect("synchronous");
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .expect("user_version");
    assert_eq!(mode, "wal");
    assert_eq!(synchronous, 2, "2 is FULL");
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn open_rejects_newer_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.sqlite");
    Store::open(&path).expect("create").close().expect("close");
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
        .expect("bump version");
    drop(conn);

    let err = Store::open(&path).expect_err("newer schema must be rejected");
    assert!(
        matches!(err, StoreError::NewerSchema { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{err:?}"
    );
}

#[test]
fn reopen_keeps_schema_and_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.sqlite");
    let store = Store::open(&path).expect("open");
    store.add_lease(&lease(1, 5), at()).expect("lease");
    store.close().expect("close");

    let store = Store::open(&path).expect("reopen");
    let remaining = store
        .remaining_numbers(ServiceCategory::IdentityConfirmation, DAY)
        .expect("remaining");
    assert_eq!(remaining, 5);
}

#[test]
fn submit_without_lease_fails_and_stores_nothing() {
    let (_dir, store) = open_temp();
    let err = store
        .submit_request(&new_request(), at(), DAY)
        .expect_err("no lease");
    assert!(
        matches!(err, StoreError::NoTicketNumbers { category: ServiceCategory::IdentityConfirmation, day } if day == DAY),
        "{err:?}"
    );
    assert_eq!(
        store.outbox_counts().expect("counts"),
        OutboxCounts::default()
    );
}

#[test]
fn no_numbers_error_names_category_not_person() {
    let err = StoreError::NoTicketNumbers {
        category: ServiceCategory::IdentityConfirmation,
        day: DAY,
    };
    let text = err.to_string();
    assert!(
        text.starts_with(
            "Нет свободных номеров талонов в категории «Подтверждение личности» на 2026-12-04"
        ),
        "{text}"
    );
}

#[test]
fn submit_commits_ticket_request_and_events() {
    let (_dir, store) = open_temp();
    let block = lease(41, 50);
    store.add_lease(&block, at()).expect("lease");

    let submitted = store
        .submit_request(&new_request(), at(), DAY)
        .expect("submit");
    assert_eq!(submitted.ticket.number.to_string(), "П-041");
    assert_eq!(submitted.ticket.lease_id, block.lease_id);
    assert!(store
        .request_has_personal_data(submitted.request_id)
        .expect("held"));

    let pending = store.pending_events(10).expect("pending");
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0].envelope.id, submitted.ticket.event_id);
    assert_eq!(pending[1].envelope.id, submitted.event_id);
    match &pending[0].envelope.kind {
        EventKind::TicketIssued(issued) => {
            assert_eq!(issued.number.to_string(), "П-041");
            assert_eq!(
                issued.number.category(),
                ServiceCategory::IdentityConfirmation
            );
            assert_eq!(issued.ticket_id, submitted.ticket.ticket_id);
        }
        other => panic!("expected ticket_issued, got {}", other.name()),
    }
    match &pending[1].envelope.kind {
        EventKind::RequestSubmitted(request) => {
            assert_eq!(request.request_id, submitted.request_id);
            assert_eq!(request.request_kind, RequestKind::ConfirmIdentity);
            assert_eq!(request.ticket_id, submitted.ticket.ticket_id);
            assert_eq!(request.visitor, visitor());
        }
        other => panic!("expected request_submitted, got {}", other.name()),
    }
    assert_eq!(
        store
            .remaining_numbers(ServiceCategory::IdentityConfirmation, DAY)
            .expect("remaining"),
        9
    );
}

#[test]
fn submit_as_keeps_given_request_id() {
    let (_dir, store) = open_temp();
    store.add_lease(&lease(1, 5), at()).expect("lease");
    let request_id: Uuid = "01938d2e-5f00-7000-8000-00000000c0de"
        .parse()
        .expect("uuid");

    let submitted = store
        .submit_request_as(request_id, &new_request(), at(), DAY)
        .expect("submit");
    assert_eq!(submitted.request_id, request_id);

    let pending = store.pending_events(10).expect("pending");
    match &pending[1].envelope.kind {
        EventKind::RequestSubmitted(request) => assert_eq!(request.request_id, request_id),
        other => panic!("expected request_submitted, got {}", other.name()),
    }
    assert!(store.request_has_personal_data(request_id).expect("held"));
}

#[test]
fn numbers_run_through_blocks_then_fail() {
    let (_dir, store) = open_temp();
    store.add_lease(&lease(1, 2), at()).expect("lease");
    store.add_lease(&lease(7, 7), at()).expect("lease");

    let numbers: Vec<String> = (0..3)
        .map(|_| {
            store
                .issue_ticket(ServiceCategory::IdentityConfirmation, false, at(), DAY)
                .expect("issue")
                .number
                .to_string()
        })
        .collect();
    assert_eq!(numbers, ["П-001", "П-002", "П-007"]);

    let err = store
        .issue_ticket(ServiceCategory::IdentityConfirmation, false, at(), DAY)
        .expect_err("exhausted");
    assert!(matches!(err, StoreError::NoTicketNumbers { .. }), "{err:?}");
}

#[test]
fn lease_of_other_day_or_category_is_not_used() {
    let (_dir, store) = open_temp();
    let mut yesterday = lease(1, 10);
    yesterday.day = date(2026, 12, 3);
    store.add_lease(&yesterday, at()).expect("lease");
    let mut other = lease(1, 10);
    other.category = ServiceCategory::OtherServices;
    store.add_lease(&other, at()).expect("lease");

    let err = store
        .issue_ticket(ServiceCategory::IdentityConfirmation, false, at(), DAY)
        .expect_err("no lease for today");
    assert!(matches!(err, StoreError::NoTicketNumbers { .. }), "{err:?}");
    let ticket = store
        .issue_ticket(ServiceCategory::OtherServices, true, at(), DAY)
        .expect("other services");
    assert_eq!(ticket.number.to_string(), "У-001");
}

#[test]
fn same_lease_stored_twice_keeps_issued_numbers() {
    let (_dir, store) = open_temp();
    let block = lease(1, 3);
    store.add_lease(&block, at()).expect("lease");
    store
        .issue_ticket(ServiceCategory::IdentityConfirmation, false, at(), DAY)
        .expect("issue");
    store.add_lease(&block, at()).expect("replayed lease");
    let ticket = store
        .issue_ticket(ServiceCategory::IdentityConfirmation, false, at(), DAY)
        .expect("issue");
    assert_eq!(ticket.number.to_string(), "П-002");
}

#[test]
fn lease_outside_sequence_range_is_rejected() {
    let (_dir, store) = open_temp();
    let err = store
        .add_lease(&lease(990, 1005), at())
        .expect_err("past 999");
    assert!(
        matches!(
            err,
            StoreError::LeaseOutOfRange {
                first: 990,
                last: 1005,
                ..
            }
        ),
        "{err:?}"
    );
    let err = store.add_lease(&lease(0, 5), at()).expect_err("zero");
    assert!(matches!(err, StoreError::LeaseOutOfRange { .. }), "{err:?}");
}

#[test]
fn ack_purges_personal_data_and_envelope() {
    let (_dir, store) = open_temp();
    store.add_lease(&lease(1, 10), at()).expect("lease");
    let submitted = store
        .submit_request(&new_request(), at(), DAY)
        .expect("submit");

    let summary = store
        .apply_acks(
            &[
                applied(submitted.ticket.event_id, 11),
                EventAck {
                    id: submitted.event_id,
                    outcome: AckOutcome::Duplicate {
                        seq: 12,
                        issued: None,
                    },
                },
            ],
            at(),
        )
        .expect("acks");
    assert_eq!(summary.acked, 2);
    assert!(!store
        .request_has_personal_data(submitted.request_id)
        .expect("held"));
    assert!(store.pending_events(10).expect("pending").is_empty());

    let acked = store.outbox_entries(OutboxStatus::Acked).expect("entries");
    assert_eq!(acked.len(), 2);
    assert_eq!(acked[1].server_seq, Some(12));
    let envelopes: i64 = store
        .lock()
        .query_row(
            "SELECT COUNT(*) FROM outbox WHERE envelope IS NOT NULL",
            [],
            |row| row.get(0),
        )
        .expect("count");
    assert_eq!(envelopes, 0);
}

#[test]
fn rejected_event_kept_failed_others_acked() {
    let (_dir, store) = open_temp();
    let first = store
        .record_event(
            EventKind::TicketDone(domain::sync::TicketRef {
                ticket_id: Uuid::now_v7(),
            }),
            at(),
        )
        .expect("record");
    let second = store
        .record_event(
            EventKind::TicketDone(domain::sync::TicketRef {
                ticket_id: Uuid::now_v7(),
            }),
            at(),
        )
        .expect("record");
    let summary = store
        .apply_acks(
            &[
                EventAck {
                    id: first,
                    outcome: AckOutcome::Rejected {
                        code: "transition.invalid".to_owned(),
                        message: "Талон уже обслужен".to_owned(),
                        current_state: Some("done".to_owned()),
                    },
                },
                applied(second, 3),
            ],
            at(),
        )
        .expect("acks");
    assert_eq!(summary.rejected, 1);
    assert_eq!(summary.acked, 1);

    let failed = store.outbox_entries(OutboxStatus::Failed).expect("failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].event_id, first);
    assert_eq!(failed[0].kind, "ticket_done");
    assert_eq!(failed[0].attempts, 1);
    assert_eq!(
        failed[0].last_error_code.as_deref(),
        Some("transition.invalid")
    );
    assert_eq!(
        failed[0].last_error_message.as_deref(),
        Some("Талон уже обслужен")
    );
    assert_eq!(
        store.outbox_counts().expect("counts"),
        OutboxCounts {
            pending: 0,
            failed: 1,
            acked: 1
        }
    );

    assert!(store.retry_failed(first, at()).expect("retry"));
    assert_eq!(
        store.pending_events(10).expect("pending")[0].envelope.id,
        first
    );
}

#[test]
fn late_ack_for_done_event_changes_nothing() {
    let (_dir, store) = open_temp();
    let id = store
        .record_event(
            EventKind::TicketDone(domain::sync::TicketRef {
                ticket_id: Uuid::now_v7(),
            }),
            at(),
        )
        .expect("record");
    store
        .apply_acks(&[applied(id, 5)], at())
        .expect("first ack");
    let summary = store
        .apply_acks(
            &[EventAck {
                id,
                outcome: AckOutcome::Rejected {
                    code: "x".to_owned(),
                    message: "y".to_owned(),
                    current_state: None,
                },
            }],
            at(),
        )
        .expect("late answer");
    assert_eq!(summary, AckSummary::default());
    assert_eq!(store.outbox_counts().expect("counts").acked, 1);
}

#[test]
fn network_failure_counts_attempts() {
    let (_dir, store) = open_temp();
    let id = store
        .record_event(
            EventKind::TicketDone(domain::sync::TicketRef {
                ticket_id: Uuid::now_v7(),
            }),
            at(),
        )
        .expect("record");
    store
        .note_push_failure(&[id], "network", at())
        .expect("note");
    store
        .note_push_failure(&[id], "http.503", at())
        .expect("note");
    let pending = store
        .outbox_entries(OutboxStatus::Pending)
        .expect("pending");
    assert_eq!(pending[0].attempts, 2);
    assert_eq!(pending[0].last_error_code.as_deref(), Some("http.503"));
}

#[test]
fn issued_code_is_taken_once() {
    let (_dir, store) = open_temp();
    let id = store
        .record_event(
            EventKind::DecisionConfirm(DecisionConfirm {
                request_id: Uuid::now_v7(),
            }),
            at(),
        )
        .expect("record");
    let code = IssuedCode {
        code: "K7M2QX".to_owned(),
        expires_at: "2026-12-05T09:00:00Z".parse().expect("timestamp"),
    };
    let summary = store
        .apply_acks(
            &[EventAck {
                id,
                outcome: AckOutcome::Applied {
                    seq: 1,
                    issued: Some(code.clone()),
                },
            }],
            at(),
        )
        .expect("ack");
    assert_eq!(summary.codes_issued, vec![id]);
    assert_eq!(store.take_issued_code(id).expect("take"), Some(code));
    assert_eq!(store.take_issued_code(id).expect("take again"), None);
}

fn change(seq: u64, kind: EventKind) -> Change {
    Change {
        seq,
        device_id: Uuid::from_u128(7),
        event: EventEnvelope {
            id: Uuid::now_v7(),
            occurred_at: at(),
            kind,
        },
    }
}

fn pulled_request(ticket_id: Uuid, request_id: Uuid) -> [Change; 2] {
    [
        change(
            1,
            EventKind::TicketIssued(domain::sync::TicketIssued {
                ticket_id,
                number: "П-001".parse().expect("ticket number"),
                lease_id: Uuid::now_v7(),
                priority: false,
            }),
        ),
        change(
            2,
            EventKind::RequestSubmitted(Box::new(domain::sync::RequestSubmitted {
                request_id,
                request_kind: RequestKind::ConfirmIdentity,
                ticket_id,
                visitor: visitor(),
                chip: None,
            })),
        ),
    ]
}

#[test]
fn pull_fills_cache_and_moves_cursor() {
    let (_dir, store) = open_temp();
    let ticket_id = Uuid::now_v7();
    let request_id = Uuid::now_v7();
    let page = PullPage {
        changes: pulled_request(ticket_id, request_id).to_vec(),
        next_cursor: 2,
        more: false,
    };
    assert_eq!(store.apply_pull(&page, true).expect("apply"), 2);
    assert_eq!(store.pull_cursor().expect("cursor"), 2);

    let waiting = store.waiting_tickets().expect("waiting");
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].number, "П-001");
    assert_eq!(waiting[0].status, TicketStatus::Issued);
    assert_eq!(waiting[0].request_id, Some(request_id));
    let request = store
        .cached_request(request_id)
        .expect("request")
        .expect("cached");
    assert_eq!(request.status, RequestStatus::Waiting);
    assert_eq!(request.visitor, Some(visitor()));

    // The same page again (a retried pull) applies nothing.
    assert_eq!(store.apply_pull(&page, true).expect("again"), 0);

    let next = PullPage {
        changes: vec![
            change(
                3,
                EventKind::TicketCalled(TicketCalled {
                    ticket_id,
                    window: domain::ticket::WindowNumber::new(5).expect("window"),
                }),
            ),
            change(
                4,
                EventKind::DecisionConfirm(DecisionConfirm { request_id }),
            ),
        ],
        next_cursor: 4,
        more: false,
    };
    assert_eq!(store.apply_pull(&next, true).expect("apply"), 2);
    assert!(store.waiting_tickets().expect("waiting").is_empty());
    let called = store.cached_tickets().expect("all");
    assert_eq!(called[0].status, TicketStatus::Called);
    assert_eq!(called[0].window.as_deref(), Some("5"));
    let request = store
        .cached_request(request_id)
        .expect("request")
        .expect("cached");
    assert_eq!(request.status, RequestStatus::Confirmed);
    assert_eq!(
        request.visitor, None,
        "decided request keeps no visitor data"
    );
}

#[test]
fn kiosk_pull_caches_no_visitor_data() {
    let (_dir, store) = open_temp();
    let request_id = Uuid::now_v7();
    let page = PullPage {
        changes: pulled_request(Uuid::now_v7(), request_id).to_vec(),
        next_cursor: 2,
        more: false,
    };
    store.apply_pull(&page, false).expect("apply");
    let request = store
        .cached_request(request_id)
        .expect("request")
        .expect("cached");
    assert_eq!(request.visitor, None);
}

#[test]
fn waiting_tickets_priority_first() {
    let (_dir, store) = open_temp();
    let issued = |seq, number: &str, priority| {
        change(
            seq,
            EventKind::TicketIssued(domain::sync::TicketIssued {
                ticket_id: Uuid::now_v7(),
                number: number.parse().expect("ticket number"),
                lease_id: Uuid::nil(),
                priority,
            }),
        )
    };
    let page = PullPage {
        changes: vec![
            issued(1, "У-001", false),
            issued(2, "У-002", true),
            issued(3, "У-003", false),
        ],
        next_cursor: 3,
        more: false,
    };
    store.apply_pull(&page, false).expect("apply");
    let order: Vec<String> = store
        .waiting_tickets()
        .expect("waiting")
        .into_iter()
        .map(|ticket| ticket.number)
        .collect();
    assert_eq!(order, ["У-002", "У-001", "У-003"]);
}

#[test]
fn dropped_store_reopens_with_pending_events() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.sqlite");
    let store = Store::open(&path).expect("open");
    store.add_lease(&lease(1, 10), at()).expect("lease");
    let submitted = store
        .submit_request(&new_request(), at(), DAY)
        .expect("submit");
    // Leak the connection instead of closing it: SQLite never runs its
    // close-time checkpoint, so the commits exist only in the WAL, as after
    // a crash.
    std::mem::forget(store);
    assert!(dir.path().join("station.sqlite-wal").exists());

    let store = Store::open(&path).expect("reopen");
    let ids: Vec<Uuid> = store
        .pending_events(10)
        .expect("pending")
        .into_iter()
        .map(|event| event.envelope.id)
        .collect();
    assert_eq!(ids, [submitted.ticket.event_id, submitted.event_id]);
}

#[test]
fn device_metadata_roundtrip() {
    let (_dir, store) = open_temp();
    assert_eq!(store.device().expect("device"), None);
    let device = DeviceInfo {
        device_id: Uuid::from_u128(1),
        center_id: Uuid::from_u128(2),
        role: domain::sync::DeviceRole::Kiosk,
        server_url: "http://127.0.0.1:8080".to_owned(),
        label: "kiosk-1".to_owned(),
        enrolled_at: at(),
    };
    store.save_device(&device).expect("save");
    assert_eq!(store.device().expect("device"), Some(device));
}

fn trust_page(version: u64) -> domain::sync::TrustDirectoryPage {
    use base64::Engine as _;
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    domain::sync::TrustDirectoryPage {
        version,
        changed: true,
        certificates: vec![
            domain::sync::TrustedCertificate {
                anchor: true,
                der: encode(&[0x30, 0x01, 0xAA]),
            },
            domain::sync::TrustedCertificate {
                anchor: false,
                der: encode(&[0x30, 0x01, 0xBB]),
            },
        ],
        crls: vec![encode(&[0x30, 0x01, 0xCC])],
    }
}

#[test]
fn trust_absent_before_first_copy() {
    let (_dir, store) = open_temp();

    assert_eq!(store.trust().expect("read trust"), None);
    assert_eq!(store.trust_version().expect("read version"), None);
}

#[test]
fn trust_page_decodes_anchors_intermediates_crls() {
    let copy = TrustCopy::from_page(&trust_page(7), at()).expect("decode page");

    assert_eq!(copy.version, 7);
    assert_eq!(copy.anchors, vec![vec![0x30, 0x01, 0xAA]]);
    assert_eq!(copy.intermediates, vec![vec![0x30, 0x01, 0xBB]]);
    assert_eq!(copy.crls, vec![vec![0x30, 0x01, 0xCC]]);
}

#[test]
fn trust_page_with_bad_base64_names_entry() {
    let mut page = trust_page(7);
    page.crls.push("not base64!".to_owned());

    let err = TrustCopy::from_page(&page, at()).expect_err("bad base64");

    assert_eq!(
        err,
        TrustPageError::Base64 {
            list: "crls",
            index: 1
        }
    );
}

#[test]
fn trust_page_unchanged_is_not_a_copy() {
    let mut page = trust_page(7);
    page.changed = false;

    let err = TrustCopy::from_page(&page, at()).expect_err("unchanged page");

    assert_eq!(err, TrustPageError::Unchanged { version: 7 });
}

#[test]
fn trust_copy_survives_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.sqlite");
    let copy = TrustCopy::from_page(&trust_page(3), at()).expect("decode page");
    let store = Store::open(&path).expect("open");
    store.save_trust(&copy).expect("save trust");
    store.close().expect("close");

    let reopened = Store::open(&path).expect("reopen");

    assert_eq!(reopened.trust().expect("read trust"), Some(copy));
    assert_eq!(reopened.trust_version().expect("read version"), Some(3));
}

#[test]
fn trust_copy_is_replaced_whole() {
    let (_dir, store) = open_temp();
    store
        .save_trust(&TrustCopy::from_page(&trust_page(1), at()).expect("decode"))
        .expect("save first");
    let mut smaller = trust_page(2);
    smaller.certificates.truncate(1);
    smaller.crls.clear();
    let second = TrustCopy::from_page(&smaller, at()).expect("decode");

    store.save_trust(&second).expect("save second");

    let stored = store.trust().expect("read trust").expect("a copy");
    assert_eq!(stored.version, 2);
    assert_eq!(stored.anchors.len(), 1);
    assert!(stored.intermediates.is_empty());
    assert!(stored.crls.is_empty());
}

#[test]
fn migration_from_version_three_adds_trust_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    for migration in &super::schema::MIGRATIONS[..3] {
        conn.execute_batch(migration).expect("old migration");
    }
    conn.execute_batch("PRAGMA user_version = 3")
        .expect("set version");
    drop(conn);

    let store = Store::open(&path).expect("migrate");

    assert_eq!(store.trust_version().expect("read version"), None);
    let copy = TrustCopy::from_page(&trust_page(9), at()).expect("decode");
    store.save_trust(&copy).expect("save after migration");
    assert_eq!(store.trust_version().expect("read version"), Some(9));
}
