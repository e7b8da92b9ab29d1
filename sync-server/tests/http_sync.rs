//! Push, pull, long-poll and leases through HTTP on a real SQLite file.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use domain::sync::DeviceRole;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn push_is_idempotent() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let events = vec![alert(1), alert(2)];

    let first = harness.push(&kiosk, events.clone(), None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.body["acks"][0],
        json!({"id": events[0]["id"], "status": "applied", "seq": 1})
    );
    assert_eq!(
        first.body["acks"][1],
        json!({"id": events[1]["id"], "status": "applied", "seq": 2})
    );

    let again = harness.push(&kiosk, events.clone(), None).await;
    assert_eq!(
        again.body["acks"][0],
        json!({"id": events[0]["id"], "status": "duplicate", "seq": 1})
    );
    assert_eq!(
        again.body["acks"][1],
        json!({"id": events[1]["id"], "status": "duplicate", "seq": 2})
    );

    let page = harness
        .signed(&kiosk, "GET", "/v1/sync/pull", None, None)
        .await;
    assert_eq!(page.body["changes"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn rejected_event_does_not_block_batch() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let called = envelope(
        "ticket_called",
        json!({"ticket_id": Uuid::now_v7(), "window": 3}),
    );
    let unknown_ticket = request_submitted(Uuid::now_v7(), Uuid::now_v7());
    let answer = harness
        .push(
            &kiosk,
            vec![alert(1), called, unknown_ticket, alert(2)],
            None,
        )
        .await;
    let acks = answer.body["acks"].as_array().unwrap();
    assert_eq!(acks[0]["status"], "applied");
    assert_eq!(acks[1]["status"], "rejected");
    assert_eq!(acks[1]["code"], "event.forbidden_for_role");
    assert_eq!(acks[2]["status"], "rejected");
    assert_eq!(acks[2]["code"], "ticket.unknown");
    assert_eq!(acks[3]["status"], "applied");
    assert_eq!(acks[3]["seq"], 2);
}

#[tokio::test]
async fn pull_paginates() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let events: Vec<_> = (0..25).map(alert).collect();
    harness.push(&kiosk, events.clone(), None).await;

    let mut cursor = 0;
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let page = harness
            .signed(
                &kiosk,
                "GET",
                &format!("/v1/sync/pull?cursor={cursor}&limit=10"),
                None,
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        pages += 1;
        for change in page.body["changes"].as_array().unwrap() {
            seen.push(change["event"]["id"].clone());
        }
        cursor = page.body["next_cursor"].as_u64().unwrap();
        if !page.body["more"].as_bool().unwrap() {
            break;
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(pages, 3);
    assert_eq!(cursor, 25);
    let expected: Vec<_> = events.iter().map(|event| event["id"].clone()).collect();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn pull_sees_only_own_center() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    harness.push(&kiosk, vec![alert(1)], None).await;

    let other_center = Uuid::now_v7();
    use sync_server::store::Store;
    harness
        .store
        .add_center(
            &sync_server::store::Center {
                id: other_center,
                name: "МФЦ Северный".into(),
                address: "Москва".into(),
                time_zone: "Europe/Moscow".into(),
                latitude: 55.8,
                longitude: 37.6,
            },
            harness.now(),
        )
        .unwrap();
    let token = sync_server::secrets::random_token(20);
    harness
        .store
        .add_enroll_token(
            other_center,
            DeviceRole::Kiosk,
            &sync_server::secrets::sha256_hex(token.as_bytes()),
            harness
                .now()
                .checked_add(jiff::SignedDuration::from_hours(1))
                .unwrap(),
            harness.now(),
        )
        .unwrap();
    let enrolled = harness
        .send(plain(
            "POST",
            "/v1/enroll",
            json!({"token": token, "label": "Киоск"}),
        ))
        .await;
    let stranger = TestDevice {
        id: enrolled.body["device_id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
        secret: hex::decode(enrolled.body["secret"].as_str().unwrap()).unwrap(),
    };
    let page = harness
        .signed(&stranger, "GET", "/v1/sync/pull", None, None)
        .await;
    assert_eq!(page.body["changes"], json!([]));
}

#[tokio::test]
async fn long_poll_wakes_on_push() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;

    let waiting = {
        let router = harness.router.clone();
        let request = signed_request(
            &console,
            "GET",
            "/v1/sync/pull?cursor=0&wait=30",
            None,
            None,
            harness.now().as_second(),
            "aaaaaaaaaaaaaaaa",
        );
        tokio::spawn(async move {
            use tower::ServiceExt;
            let response = router.oneshot(request).await.unwrap();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
        })
    };
    // The pull must be parked before the push for this to test a wake-up:
    // wait until the notifier has a subscriber, with a bounded deadline.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while harness.state.changes.receiver_count() == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the pull never started waiting"
        );
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }

    let event = alert(7);
    harness.push(&kiosk, vec![event.clone()], None).await;
    let page = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the pull was not woken")
        .unwrap();
    assert_eq!(page["changes"][0]["event"]["id"], event["id"]);
    assert_eq!(page["next_cursor"], 1);
}

#[tokio::test]
async fn long_poll_times_out_empty() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let page = harness
        .signed(&kiosk, "GET", "/v1/sync/pull?cursor=0&wait=1", None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body,
        json!({"changes": [], "next_cursor": 0, "more": false})
    );
}

#[tokio::test]
async fn leases_never_overlap_and_run_out() {
    let harness = Harness::new();
    let first_kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let second_kiosk = harness.enroll(DeviceRole::Kiosk).await;

    let mut blocks = Vec::new();
    for round in 0..5 {
        let kiosk = if round % 2 == 0 {
            &first_kiosk
        } else {
            &second_kiosk
        };
        let lease = harness.lease(kiosk, "identity_confirmation", 200).await;
        assert_eq!(lease.status, StatusCode::OK, "{}", lease.body);
        assert_eq!(lease.body["day"], "2026-12-04");
        blocks.push((
            lease.body["first"].as_u64().unwrap(),
            lease.body["last"].as_u64().unwrap(),
        ));
    }
    assert_eq!(
        blocks,
        vec![(1, 200), (201, 400), (401, 600), (601, 800), (801, 999)]
    );

    let exhausted = harness
        .lease(&first_kiosk, "identity_confirmation", 1)
        .await;
    assert_eq!(exhausted.status, StatusCode::CONFLICT);
    assert_eq!(exhausted.body["code"], "lease.exhausted");

    // Another category has its own numbers.
    let other = harness.lease(&first_kiosk, "other_services", 5).await;
    assert_eq!(
        (other.body["first"].as_u64(), other.body["last"].as_u64()),
        (Some(1), Some(5))
    );

    // The next local day starts again at 1 (Moscow midnight is 21:00 UTC).
    harness.clock.set("2026-12-04T21:00:00Z".parse().unwrap());
    let tomorrow = harness
        .lease(&first_kiosk, "identity_confirmation", 3)
        .await;
    assert_eq!(tomorrow.body["day"], "2026-12-05");
    assert_eq!(tomorrow.body["first"], 1);
}

#[tokio::test]
async fn ticket_outside_lease_is_rejected() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let other_kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let lease = harness.lease(&kiosk, "identity_confirmation", 5).await;
    let lease_id = lease.body["lease_id"].as_str().unwrap().to_owned();

    let cases = [
        (&kiosk, "П-006", "ticket.outside_lease"),
        (&kiosk, "Р-001", "ticket.outside_lease"),
        (&other_kiosk, "П-001", "ticket.outside_lease"),
    ];
    for (device, number, code) in cases {
        let answer = harness
            .push(
                device,
                vec![ticket_issued(Uuid::now_v7(), number, &lease_id)],
                None,
            )
            .await;
        assert_eq!(answer.body["acks"][0]["code"], code, "{number}");
    }
    let ok = harness
        .push(
            &kiosk,
            vec![ticket_issued(Uuid::now_v7(), "П-005", &lease_id)],
            None,
        )
        .await;
    assert_eq!(ok.body["acks"][0]["status"], "applied");
    let twice = harness
        .push(
            &kiosk,
            vec![ticket_issued(Uuid::now_v7(), "П-005", &lease_id)],
            None,
        )
        .await;
    assert_eq!(twice.body["acks"][0]["code"], "ticket.exists");
}

#[tokio::test]
async fn lease_count_is_checked() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;
    let zero = harness.lease(&kiosk, "identity_confirmation", 0).await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(zero.body["code"], "lease.count_invalid");
    let console_lease = harness.lease(&console, "identity_confirmation", 5).await;
    assert_eq!(console_lease.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(console_lease.body["code"], "lease.kiosk_only");
}

#[tokio::test]
async fn kiosks_do_not_pull_visitor_data() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let console = harness.enroll(DeviceRole::Operator).await;
    harness.submit_request(&kiosk).await;

    let kinds = |page: &serde_json::Value| -> Vec<String> {
        page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|change| change["event"]["kind"]["type"].as_str().unwrap().to_owned())
            .collect()
    };
    let on_console = harness
        .signed(&console, "GET", "/v1/sync/pull", None, None)
        .await;
    assert_eq!(
        kinds(&on_console.body),
        vec!["ticket_issued", "request_submitted"]
    );
    let on_kiosk = harness
        .signed(&kiosk, "GET", "/v1/sync/pull", None, None)
        .await;
    assert_eq!(kinds(&on_kiosk.body), vec!["ticket_issued"]);
    assert_eq!(on_kiosk.body["next_cursor"], 1);
}

#[tokio::test]
async fn metrics_show_numbers_left_per_kiosk() {
    let harness = Harness::new();
    let kiosk = harness.enroll(DeviceRole::Kiosk).await;
    let lease = harness.lease(&kiosk, "identity_confirmation", 5).await;
    let lease_id = lease.body["lease_id"].as_str().unwrap().to_owned();
    harness.lease(&kiosk, "other_services", 10).await;
    let issued = harness
        .push(
            &kiosk,
            vec![
                ticket_issued(Uuid::now_v7(), "П-001", &lease_id),
                ticket_issued(Uuid::now_v7(), "П-002", &lease_id),
            ],
            None,
        )
        .await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.body);
    let page = harness
        .signed(&kiosk, "GET", "/v1/sync/pull?cursor=0", None, None)
        .await;
    assert_eq!(page.body["changes"].as_array().unwrap().len(), 2);

    let text = harness.metrics_text().await;
    let id = kiosk.id;
    assert!(
        text.contains(&format!(
            "okno_lease_numbers_left{{device=\"{id}\",category=\"identity_confirmation\"}} 3\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "okno_lease_numbers_left{{device=\"{id}\",category=\"other_services\"}} 10\n"
        )),
        "{text}"
    );
    assert!(
        text.contains("okno_sync_pull_page_changes_bucket{le=\"10\"} 1\n"),
        "{text}"
    );

    // Numbers of yesterday's leases cannot be issued today.
    harness.clock.advance(jiff::SignedDuration::from_hours(24));
    let text = harness.metrics_text().await;
    assert!(
        text.contains(&format!(
            "okno_lease_numbers_left{{device=\"{id}\",category=\"identity_confirmation\"}} 0\n"
        )),
        "{text}"
    );
}
