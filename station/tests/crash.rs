//! A station process killed with SIGKILL right after committing a request
//! restarts with its outbox intact.
//!
//! The test runs this same test binary as the child: with `OKNO_CRASH_DIR`
//! set, `child_commits_then_waits` opens the store there, commits a
//! request, prints its event ids and then blocks on stdin until killed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use domain::request::RequestKind;
use domain::sync::{LeaseGrant, VisitorData};
use jiff::civil::date;
use station::store::NewRequest;
use station::Store;
use uuid::Uuid;

const CRASH_DIR: &str = "OKNO_CRASH_DIR";

fn visitor() -> VisitorData {
    VisitorData {
        surname: "Петров".to_owned(),
        given_name: "Иван".to_owned(),
        patronymic: None,
        birth_date: date(1975, 1, 2),
        passport_number: "4509 654321".to_owned(),
        passport_issue_date: date(2020, 2, 3),
        passport_issuer: "ГУ МВД".to_owned(),
        division_code: "770-002".to_owned(),
        snils: "112-233-445 95".to_owned(),
        inn: None,
        phone: "+79001234567".to_owned(),
        email: None,
    }
}

#[test]
fn child_commits_then_waits() {
    let Ok(dir) = std::env::var(CRASH_DIR) else {
        // Run directly by `cargo test`: only the parent test below matters.
        return;
    };
    let store = Store::open(std::path::Path::new(&dir).join("station.sqlite")).expect("open");
    let now = jiff::Timestamp::now();
    store
        .add_lease(
            &LeaseGrant {
                lease_id: Uuid::now_v7(),
                category: domain::ticket::ServiceCategory::IdentityConfirmation,
                day: date(2026, 12, 4),
                first: 1,
                last: 10,
            },
            now,
        )
        .expect("lease");
    let submitted = store
        .submit_request(
            &NewRequest {
                kind: RequestKind::ConfirmIdentity,
                visitor: visitor(),
                chip: None,
                priority: false,
            },
            now,
            date(2026, 12, 4),
        )
        .expect("submit");
    println!(
        "EVENTS {} {}",
        submitted.ticket.event_id, submitted.event_id
    );
    // Block until the parent kills this process; stdin never gets input.
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[test]
fn killed_station_keeps_outbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_commits_then_waits",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CRASH_DIR, dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn child");

    let stdout = child.stdout.take().expect("child stdout");
    let ids = BufReader::new(stdout)
        .lines()
        .map(|line| line.expect("read child output"))
        // libtest prints the test name on the same line before the output.
        .find_map(|line| {
            line.split_once("EVENTS ")
                .map(|(_, ids)| ids.trim().to_owned())
        })
        .expect("child printed its event ids");
    child.kill().expect("SIGKILL the child");
    child.wait().expect("reap the child");

    let expected: Vec<Uuid> = ids
        .split(' ')
        .map(|id| Uuid::parse_str(id).expect("uuid"))
        .collect();
    let store = Store::open(dir.path().join("station.sqlite")).expect("reopen after kill");
    let pending: Vec<Uuid> = store
        .pending_events(10)
        .expect("pending")
        .into_iter()
        .map(|event| event.envelope.id)
        .collect();
    assert_eq!(pending, expected);
    assert_eq!(
        store
            .remaining_numbers(
                domain::ticket::ServiceCategory::IdentityConfirmation,
                date(2026, 12, 4)
            )
            .expect("remaining"),
        9
    );
}
