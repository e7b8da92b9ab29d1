//! Benchmark of the kiosk's durable path: `Store::submit_request` (lease
//! number, ticket, request and two outbox events in one transaction with
//! `synchronous=FULL`) and `Store::issue_ticket`, on a real file.
//!
//! Run with `cargo bench -p station --bench store`; prints the median and
//! p99 latency per call over a fixed number of calls.

use std::time::{Duration, Instant};

use domain::request::RequestKind;
use domain::sync::{LeaseGrant, VisitorData};
use domain::ticket::ServiceCategory;
use jiff::civil::date;
use station::store::NewRequest;
use station::Store;
use uuid::Uuid;

const CALLS: usize = 500;

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path().join("station.sqlite")).expect("open");
    let day = date(2026, 12, 4);
    let now = jiff::Timestamp::now();
    for category in [
        ServiceCategory::IdentityConfirmation,
        ServiceCategory::OtherServices,
    ] {
        store
            .add_lease(
                &LeaseGrant {
                    lease_id: Uuid::now_v7(),
                    category,
                    day,
                    first: 1,
                    last: 999,
                },
                now,
            )
            .expect("lease");
    }
    let request = NewRequest {
        kind: RequestKind::ConfirmIdentity,
        visitor: VisitorData {
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
        },
        chip: None,
        priority: false,
    };

    let submit = measure(|| {
        store.submit_request(&request, now, day).expect("submit");
    });
    report("submit_request", submit);
    let issue = measure(|| {
        store
            .issue_ticket(ServiceCategory::OtherServices, false, now, day)
            .expect("issue");
    });
    report("issue_ticket", issue);
}

fn measure(mut call: impl FnMut()) -> Vec<Duration> {
    let mut samples: Vec<Duration> = (0..CALLS)
        .map(|_| {
            let started = Instant::now();
            call();
            started.elapsed()
        })
        .collect();
    samples.sort();
    samples
}

fn report(name: &str, samples: Vec<Duration>) {
    let median = samples[samples.len() / 2];
    let p99 = samples[samples.len() * 99 / 100];
    println!("{name}: {CALLS} calls, median {median:?}, p99 {p99:?}");
}
