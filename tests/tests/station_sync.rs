//! The station's sync client against a real `sync-server` process on
//! loopback: provisioning, idempotent pushes after a lost response,
//! rejected events, offline issuance from a leased block, a server killed
//! during a stream of tickets, long-poll delivery to a second station, and
//! a console's decision returning its confirmation code once.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tests::server_process::{admin, try_admin, ServerProcess as Server};

use domain::sync::{AckOutcome, DeviceRole, EventKind, LeaseRequest, PushBatch, TicketCalled};
use domain::ticket::{ServiceCategory, WindowNumber};
use jiff::tz::TimeZone;
use station::client::{ClientError, SyncClient};
use station::store::OutboxStatus;
use station::sync::{SyncConfig, SyncHandle, SyncUpdate, STORE_FILE};
use station::{Credentials, Store};

/// Bound for every wait on a condition in these tests.
const DEADLINE: Duration = Duration::from_secs(30);

/// A center and a server database in a temporary directory.
struct Site {
    dir: tempfile::TempDir,
    database: PathBuf,
    center: String,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        let database = dir.path().join("server.sqlite3");
        let center = admin(
            &database,
            &[
                "center",
                "add",
                "--name",
                "МФЦ Тест",
                "--address",
                "Москва",
                "--time-zone",
                "UTC",
                "--latitude",
                "55.75",
                "--longitude",
                "37.62",
            ],
        );
        Site {
            dir,
            database,
            center,
        }
    }

    fn token(&self, role: &str) -> String {
        admin(
            &self.database,
            &["enroll-token", "--center", &self.center, "--role", role],
        )
    }

    /// Provisions a station into its own directory and opens its store.
    fn station(
        &self,
        server: &Server,
        role: &str,
        name: &str,
    ) -> (PathBuf, Credentials, Arc<Store>) {
        let dir = self.dir.path().join(name);
        let credentials =
            station::provision(&server.url(), &self.token(role), name, &dir).expect("provision");
        let store = Arc::new(Store::open(dir.join(STORE_FILE)).expect("open store"));
        (dir, credentials, store)
    }
}

fn config(role: DeviceRole) -> SyncConfig {
    let mut config = SyncConfig::for_role(role, TimeZone::UTC);
    config.backoff_base = Duration::from_millis(50);
    config.backoff_max = Duration::from_millis(500);
    config.pull_wait_secs = 10;
    config.lease_categories = match role {
        DeviceRole::Kiosk => vec![ServiceCategory::OtherServices],
        DeviceRole::Operator => Vec::new(),
    };
    config
}

/// Starts the sync service with updates sent to the returned channel.
fn start_sync(
    store: &Arc<Store>,
    credentials: &Credentials,
    config: SyncConfig,
) -> (SyncHandle, mpsc::Receiver<SyncUpdate>) {
    let (sender, updates) = mpsc::channel();
    let handle = SyncHandle::start(Arc::clone(store), credentials, config, move |update| {
        let _ = sender.send(update);
    })
    .expect("start sync");
    (handle, updates)
}

/// Waits until `condition` holds, checking after every update, for at
/// most [`DEADLINE`].
fn wait_for(updates: &mpsc::Receiver<SyncUpdate>, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !condition() {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "timed out waiting for {what}");
        // Any update or a quiet second is a reason to look again.
        let _ = updates.recv_timeout(left.min(Duration::from_secs(1)));
    }
}

fn today() -> jiff::civil::Date {
    TimeZone::UTC.to_datetime(jiff::Timestamp::now()).date()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn provision_stores_private_credentials() {
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    let token = site.token("kiosk");
    let dir = site.dir.path().join("kiosk");

    let credentials =
        station::provision(&server.url(), &token, "киоск-1", &dir).expect("provision");
    assert_eq!(credentials.role, DeviceRole::Kiosk);
    assert_eq!(credentials.center_id.to_string(), site.center);

    let mode = std::fs::metadata(Credentials::path_in(&dir))
        .expect("credentials file")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(Credentials::load(&dir).expect("load"), credentials);

    let store = Store::open(dir.join(STORE_FILE)).expect("store");
    let device = store.device().expect("device").expect("device row");
    assert_eq!(device.device_id, credentials.device_id);
    assert_eq!(device.label, "киоск-1");

    // The token was burned by the first enrollment.
    let again = station::provision(
        &server.url(),
        &token,
        "киоск-2",
        &site.dir.path().join("k2"),
    )
    .expect_err("a used token must fail");
    let station::ProvisionError::Enroll(ClientError::Server { status, .. }) = again else {
        panic!("expected a server error, got {again:?}");
    };
    assert_eq!(status, 401);
}

#[test]
fn push_after_lost_answer_is_duplicate() {
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    let (_dir, credentials, store) = site.station(&server, "kiosk", "kiosk");
    let client = SyncClient::new(&credentials).expect("client");
    let runtime = runtime();

    let lease = runtime
        .block_on(client.lease(&LeaseRequest {
            category: ServiceCategory::OtherServices,
            count: 5,
        }))
        .expect("lease");
    store
        .add_lease(&lease, jiff::Timestamp::now())
        .expect("add lease");
    let ticket = store
        .issue_ticket(
            ServiceCategory::OtherServices,
            false,
            jiff::Timestamp::now(),
            lease.day,
        )
        .expect("issue");

    let batch = PushBatch {
        events: store
            .pending_events(10)
            .expect("pending")
            .into_iter()
            .map(|event| event.envelope)
            .collect(),
    };
    let first = runtime.block_on(client.push(&batch)).expect("first push");
    // The answer is "lost": nothing is recorded, the event stays pending.
    let second = runtime.block_on(client.push(&batch)).expect("second push");

    let AckOutcome::Applied { seq, .. } = first.acks[0].outcome else {
        panic!("first push not applied: {:?}", first.acks[0]);
    };
    assert_eq!(
        second.acks[0].outcome,
        AckOutcome::Duplicate { seq, issued: None }
    );
    assert_eq!(second.acks[0].id, ticket.event_id);

    let summary = store
        .apply_acks(&second.acks, jiff::Timestamp::now())
        .expect("apply");
    assert_eq!(summary.acked, 1);
    assert_eq!(store.outbox_counts().expect("counts").pending, 0);
}

#[test]
fn rejected_event_kept_while_later_ones_pass() {
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    let (_dir, credentials, store) = site.station(&server, "kiosk", "kiosk");

    // A kiosk may not call tickets: the server rejects this event.
    let forbidden = store
        .record_event(
            EventKind::TicketCalled(TicketCalled {
                ticket_id: uuid::Uuid::now_v7(),
                window: WindowNumber::new(3).expect("window"),
            }),
            jiff::Timestamp::now(),
        )
        .expect("record");
    let (handle, updates) = start_sync(&store, &credentials, config(DeviceRole::Kiosk));
    wait_for(&updates, "a leased block", || {
        store
            .remaining_numbers(ServiceCategory::OtherServices, today())
            .expect("remaining")
            > 0
    });
    let ticket = store
        .issue_ticket(
            ServiceCategory::OtherServices,
            false,
            jiff::Timestamp::now(),
            today(),
        )
        .expect("issue");
    wait_for(&updates, "the outbox to drain", || {
        store.outbox_counts().expect("counts").pending == 0
    });
    handle.shutdown();

    let failed = store.outbox_entries(OutboxStatus::Failed).expect("failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].event_id, forbidden);
    assert_eq!(
        failed[0].last_error_code.as_deref(),
        Some("event.forbidden_for_role")
    );
    let acked = store.outbox_entries(OutboxStatus::Acked).expect("acked");
    assert_eq!(acked.len(), 1);
    assert_eq!(acked[0].event_id, ticket.event_id);
}

#[test]
fn offline_tickets_sync_with_unique_numbers() {
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    let listen = server.address.to_string();
    let (_kiosk_dir, kiosk, kiosk_store) = site.station(&server, "kiosk", "kiosk");
    let (_console_dir, console, console_store) = site.station(&server, "operator", "console");

    let (kiosk_sync, kiosk_updates) = start_sync(&kiosk_store, &kiosk, config(DeviceRole::Kiosk));
    wait_for(&kiosk_updates, "a leased block", || {
        kiosk_store
            .remaining_numbers(ServiceCategory::OtherServices, today())
            .expect("remaining")
            >= 10
    });

    server.kill();
    let numbers: Vec<String> = (0..3)
        .map(|_| {
            kiosk_store
                .issue_ticket(
                    ServiceCategory::OtherServices,
                    false,
                    jiff::Timestamp::now(),
                    today(),
                )
                .expect("offline issue")
                .number
                .to_string()
        })
        .collect();
    assert_eq!(numbers, ["У-001", "У-002", "У-003"]);
    wait_for(&kiosk_updates, "the link to go down", || {
        kiosk_sync.status().link == station::sync::Link::Down
    });
    assert_eq!(kiosk_sync.status().outbox_pending, 3);

    let _server = Server::start(&site.database, &listen);
    wait_for(&kiosk_updates, "the outbox to drain", || {
        kiosk_store.outbox_counts().expect("counts").pending == 0
    });
    assert_eq!(kiosk_store.outbox_counts().expect("counts").failed, 0);
    kiosk_sync.shutdown();

    let (console_sync, console_updates) =
        start_sync(&console_store, &console, config(DeviceRole::Operator));
    wait_for(&console_updates, "three tickets at the console", || {
        console_store.waiting_tickets().expect("waiting").len() == 3
    });
    console_sync.shutdown();
    let pulled: Vec<String> = console_store
        .waiting_tickets()
        .expect("waiting")
        .into_iter()
        .map(|ticket| ticket.number)
        .collect();
    assert_eq!(pulled, numbers);
}

#[test]
fn server_killed_mid_stream_loses_nothing() {
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    let listen = server.address.to_string();
    let (_kiosk_dir, kiosk, kiosk_store) = site.station(&server, "kiosk", "kiosk");
    let (_console_dir, console, console_store) = site.station(&server, "operator", "console");

    let mut config = config(DeviceRole::Kiosk);
    config.batch_size = 5;
    let (kiosk_sync, kiosk_updates) = start_sync(&kiosk_store, &kiosk, config);
    wait_for(&kiosk_updates, "a leased block", || {
        kiosk_store
            .remaining_numbers(ServiceCategory::OtherServices, today())
            .expect("remaining")
            >= 40
    });

    // Issue 40 tickets while the server is killed after the 15th and
    // restarted after the 30th.
    let mut server = Some(server);
    for index in 0..40 {
        kiosk_store
            .issue_ticket(
                ServiceCategory::OtherServices,
                false,
                jiff::Timestamp::now(),
                today(),
            )
            .expect("issue");
        if index == 15 {
            server.take().expect("running server").kill();
        }
        if index == 30 {
            server = Some(Server::start(&site.database, &listen));
        }
    }
    wait_for(&kiosk_updates, "the outbox to drain", || {
        kiosk_store.outbox_counts().expect("counts").pending == 0
    });
    kiosk_sync.shutdown();
    let counts = kiosk_store.outbox_counts().expect("counts");
    assert_eq!(counts.failed, 0);
    assert_eq!(counts.acked, 40);

    let (console_sync, console_updates) =
        start_sync(&console_store, &console, config_for_console());
    // Count every change the console applies: a ticket stored twice on the
    // server would arrive as two changes even though the cache keeps one row.
    let mut changes = 0;
    let deadline = Instant::now() + DEADLINE;
    while console_store.cached_tickets().expect("tickets").len() < 40 {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "timed out waiting for forty tickets at the console"
        );
        if let Ok(SyncUpdate::ChangesApplied { count }) =
            console_updates.recv_timeout(left.min(Duration::from_secs(1)))
        {
            changes += count;
        }
    }
    console_sync.shutdown();
    changes += console_updates
        .try_iter()
        .map(|update| match update {
            SyncUpdate::ChangesApplied { count } => count,
            _ => 0,
        })
        .sum::<usize>();
    assert_eq!(changes, 40, "each ticket stored once on the server");
    assert_eq!(console_store.pull_cursor().expect("cursor"), 40);

    let mut numbers: Vec<String> = console_store
        .cached_tickets()
        .expect("tickets")
        .into_iter()
        .map(|ticket| ticket.number)
        .collect();
    assert_eq!(numbers.len(), 40);
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 40, "every number once");
    drop(server);
}

fn config_for_console() -> SyncConfig {
    config(DeviceRole::Operator)
}

#[test]
fn long_poll_delivers_ticket_to_console() {
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    let (_kiosk_dir, kiosk, kiosk_store) = site.station(&server, "kiosk", "kiosk");
    let (_console_dir, console, console_store) = site.station(&server, "operator", "console");

    let (console_sync, console_updates) =
        start_sync(&console_store, &console, config_for_console());
    let (kiosk_sync, kiosk_updates) = start_sync(&kiosk_store, &kiosk, config(DeviceRole::Kiosk));
    wait_for(&kiosk_updates, "a leased block", || {
        kiosk_store
            .remaining_numbers(ServiceCategory::OtherServices, today())
            .expect("remaining")
            > 0
    });
    let ticket = kiosk_store
        .issue_ticket(
            ServiceCategory::OtherServices,
            true,
            jiff::Timestamp::now(),
            today(),
        )
        .expect("issue");

    // The console learns of the ticket from its running long-poll, with no
    // refresh asked by the test.
    let deadline = Instant::now() + DEADLINE;
    loop {
        let update = console_updates
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("no ChangesApplied update reached the console in time");
        if let SyncUpdate::ChangesApplied { .. } = update {
            let waiting = console_store.waiting_tickets().expect("waiting");
            if let Some(found) = waiting
                .iter()
                .find(|cached| cached.ticket_id == ticket.ticket_id)
            {
                assert_eq!(found.number, ticket.number.to_string());
                assert!(found.priority);
                break;
            }
        }
    }
    kiosk_sync.shutdown();
    console_sync.shutdown();
}

const PASSWORD: &str = "Зима#Сн3г!Okno";

fn add_operator(site: &Site, login: &str) {
    let args = [
        "operator",
        "add",
        "--center",
        &site.center,
        "--login",
        login,
    ];
    let (ok, _, stderr) = try_admin(&site.database, &args, Some(PASSWORD));
    assert!(ok, "operator add failed: {stderr}");
}

fn visitor() -> domain::sync::VisitorData {
    domain::sync::VisitorData {
        surname: "Иванова".to_owned(),
        given_name: "Мария".to_owned(),
        patronymic: None,
        birth_date: jiff::civil::date(1960, 3, 15),
        passport_number: "4510 123456".to_owned(),
        passport_issue_date: jiff::civil::date(2010, 5, 20),
        passport_issuer: "ОВД района Арбат".to_owned(),
        division_code: "770-001".to_owned(),
        snils: "112-233-445 95".to_owned(),
        inn: None,
        phone: "+79123456789".to_owned(),
        email: None,
    }
}

#[test]
fn console_decision_returns_code_once() {
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    add_operator(&site, "ivanova");
    let (_kiosk_dir, kiosk, kiosk_store) = site.station(&server, "kiosk", "kiosk");
    let (_console_dir, console, console_store) = site.station(&server, "operator", "console");

    let mut kiosk_config = config(DeviceRole::Kiosk);
    kiosk_config.lease_categories = vec![ServiceCategory::IdentityConfirmation];
    let (kiosk_sync, kiosk_updates) = start_sync(&kiosk_store, &kiosk, kiosk_config);
    wait_for(&kiosk_updates, "a leased block", || {
        kiosk_store
            .remaining_numbers(ServiceCategory::IdentityConfirmation, today())
            .expect("remaining")
            > 0
    });
    let submitted = kiosk_store
        .submit_request(
            &station::store::NewRequest {
                kind: domain::request::RequestKind::ConfirmIdentity,
                visitor: visitor(),
                chip: None,
                priority: false,
            },
            jiff::Timestamp::now(),
            today(),
        )
        .expect("submit");
    wait_for(&kiosk_updates, "the request to be acknowledged", || {
        !kiosk_store
            .request_has_personal_data(submitted.request_id)
            .expect("personal data")
    });
    kiosk_sync.shutdown();

    let (console_sync, console_updates) =
        start_sync(&console_store, &console, config_for_console());
    wait_for(&console_updates, "the request at the console", || {
        console_store
            .cached_request(submitted.request_id)
            .expect("cached")
            .is_some()
    });
    let cached = console_store
        .cached_request(submitted.request_id)
        .expect("cached")
        .expect("request");
    assert_eq!(cached.visitor, Some(visitor()));

    let grant = runtime()
        .block_on(console_sync.client().login(&domain::sync::LoginRequest {
            login: "ivanova".to_owned(),
            password: PASSWORD.to_owned(),
        }))
        .expect("login");
    console_sync.set_session(Some(grant.session));

    let ticket_id = submitted.ticket.ticket_id;
    let now = jiff::Timestamp::now();
    console_store
        .record_event(
            EventKind::TicketCalled(TicketCalled {
                ticket_id,
                window: WindowNumber::new(2).expect("window"),
            }),
            now,
        )
        .expect("call");
    console_store
        .record_event(
            EventKind::TicketStarted(domain::sync::TicketRef { ticket_id }),
            now,
        )
        .expect("start");
    let decision = console_store
        .record_event(
            EventKind::DecisionConfirm(domain::sync::DecisionConfirm {
                request_id: submitted.request_id,
            }),
            now,
        )
        .expect("confirm");

    let deadline = Instant::now() + DEADLINE;
    loop {
        let update = console_updates
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("no confirmation code arrived in time");
        match update {
            SyncUpdate::CodeIssued { event_id } if event_id == decision => break,
            SyncUpdate::EventRejected { event_id, code } => {
                panic!("event {event_id} rejected with {code}")
            }
            _ => {}
        }
    }
    let code = console_store
        .take_issued_code(decision)
        .expect("take code")
        .expect("a code");
    assert_eq!(code.code.len(), 6);
    assert_eq!(
        console_store.take_issued_code(decision).expect("again"),
        None
    );

    wait_for(
        &console_updates,
        "the decision to come back by pull",
        || {
            console_store
                .cached_request(submitted.request_id)
                .expect("cached")
                .is_some_and(|request| request.status == domain::request::RequestStatus::Confirmed)
        },
    );
    let decided = console_store
        .cached_request(submitted.request_id)
        .expect("cached")
        .expect("request");
    assert_eq!(
        decided.visitor, None,
        "decided request keeps no visitor data"
    );
    console_sync.shutdown();
}
