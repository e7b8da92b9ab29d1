//! One ticket QR key per center, end to end. A real `sync-server` process
//! hands its key to a real kiosk station and a real console at enrollment.
//! The console accepts the ticket the kiosk prints (bytes decoded from a
//! fake TCP printer) and rejects one signed with another center's key.
//! The printers are the only fakes.

mod kiosk_support;
mod operator_support;

use std::sync::Arc;

use domain::clock::ManualClock;
use domain::ticket::ServiceCategory;
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use jiff::Timestamp;
use kiosk::station_issuer::TicketSigner;
use operator_support::{admin, Site};
use station::Credentials;

const FORGED: &str = "Этот QR-код выдан не нашим центром или изменён. Не обслуживайте по нему: попросите у посетителя печатный талон и позовите старшего смены.";

/// Returns the code the server gives a center: `MFC-` and the last eight
/// hex digits of its id.
fn center_code(center: &str) -> String {
    let id: uuid::Uuid = center.parse().expect("a center id");
    format!("MFC-{}", &id.simple().to_string().to_uppercase()[24..])
}

/// Adds a second center to the site's database and enrolls a kiosk of it.
fn other_center_kiosk(site: &Site) -> Credentials {
    let center = admin(
        &site.database,
        &[
            "center",
            "add",
            "--name",
            "МФЦ Другой",
            "--address",
            "Казань",
            "--time-zone",
            "UTC",
            "--latitude",
            "55.79",
            "--longitude",
            "49.12",
        ],
    );
    let token = admin(
        &site.database,
        &["enroll-token", "--center", &center, "--role", "kiosk"],
    );
    let dir = site.dir.path().join("other-kiosk");
    station::provision(&site.url(), &token, "киоск-2", &dir).expect("provision the other kiosk")
}

#[test]
fn kiosk_ticket_is_accepted_at_a_console_of_its_center_only() {
    operator_support::init_ui(false);
    let site = Site::new();
    site.add_operator("ivanova");

    // A kiosk station of the center, configured without a center code.
    let token = admin(
        &site.database,
        &["enroll-token", "--center", &site.center, "--role", "kiosk"],
    );
    let kiosk_dir = site.dir.path().join("kiosk");
    station::provision(&site.url(), &token, "киоск-1", &kiosk_dir).expect("provision the kiosk");
    let kiosk_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let config_path = site.dir.path().join("kiosk.toml");
    std::fs::write(
        &config_path,
        format!(
            "data_dir = \"{}\"\ncenter_name = \"МФЦ Тест\"\ntime_zone = \"UTC\"\n\n[printer]\nuri = \"{}\"\nprofile = \"generic-80\"\n",
            kiosk_dir.display(),
            kiosk_printer.uri()
        ),
    )
    .expect("write kiosk.toml");
    let config = kiosk::config::Config::load(&config_path).expect("the configuration loads");
    let now = Timestamp::from_second(Timestamp::now().as_second()).expect("now in range");
    let kiosk = kiosk_support::open_kiosk(&config, Arc::new(ManualClock::new(now)));
    kiosk_support::wait_until("a block of registration numbers", || {
        kiosk
            .store()
            .remaining_numbers(ServiceCategory::Registration, operator_support::today())
            .unwrap_or(0)
            > 0
    });

    // The visitor registers and takes the printed ticket.
    kiosk_support::register_maria(&kiosk);
    kiosk_support::tap(&kiosk, "ReviewPage::confirm");
    assert_eq!(kiosk_support::text(&kiosk, "TicketPage::number"), "Р-001");
    let printed = kiosk_support::decode_escpos(
        &kiosk_printer
            .wait_idle(kiosk_support::DEADLINE)
            .expect("the printer connection closes"),
    );
    assert_eq!(printed.qr_payloads.len(), 1);
    let payload = printed.qr_payloads[0].clone();
    assert!(
        payload.contains(&format!(".{}.", center_code(&site.center))),
        "{payload}"
    );
    kiosk_support::wait_until("the kiosk's outbox to drain", || {
        kiosk.sync_status().outbox_pending == 0
    });

    // A console of the same center, with no key file of its own.
    let console_printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let console = site.console_serving(
        "console",
        3,
        &console_printer.uri(),
        vec![ServiceCategory::Registration],
    );
    console.log_in("ivanova", "3");
    let queue = console.sync_until("the kiosk's ticket", |queue| queue.tickets.len() == 1);
    let ticket_id = queue.tickets[0].id;

    // The same ticket signed by a kiosk of another center is refused.
    let other = other_center_kiosk(&site);
    let foreign = TicketSigner::from_credentials(&other, None)
        .expect("the other center's signer")
        .payload(ticket_id, now);
    console.type_line(&foreign);
    assert_eq!(console.text("QueuePanel::scan-error"), FORGED);
    assert_eq!(
        console.text("QueuePanel::current-number"),
        "Талон не вызван"
    );

    // The printed ticket is accepted: it is called to this window.
    console.type_line(&payload);
    assert!(!console.is_shown("QueuePanel::scan-error"));
    assert_eq!(console.text("QueuePanel::current-number"), "Р-001");
}
