//! The kiosk's service mode with its real parts: a long press in the
//! bottom-left corner, the technician PIN stored at provisioning, the
//! device's state read from the credentials, the sync service and the fake
//! TCP printer, and a test print whose bytes reach the printer.

mod kiosk_support;

use std::sync::Arc;
use std::time::Duration;

use domain::clock::ManualClock;
use hardware::printer::fake_network::{FakeMode, FakeNetworkPrinter};
use jiff::Timestamp;
use kiosk_support::*;
use slint::ComponentHandle;
use station::sync::Link;
use station::Credentials;

const PIN: &str = "204816";

fn page(kiosk: &kiosk::StationKiosk) -> ui::Page {
    kiosk
        .kiosk()
        .window()
        .global::<ui::SessionAdapter>()
        .get_page()
}

#[test]
fn service_mode_needs_pin_and_shows_device_state() {
    set_platform();
    let site = Site::new();
    let server = Server::start(&site.database, "127.0.0.1:0");
    site.provision(&server);
    kiosk::service_pin::set(&site.data_dir, PIN).expect("store the PIN");
    let printer = FakeNetworkPrinter::start(FakeMode::Ready).expect("fake printer");
    let config = site.config(&printer.uri());
    let clock = Arc::new(ManualClock::new(Timestamp::now()));
    let kiosk = open_kiosk(&config, clock);
    wait_until("a first exchange with the server", || {
        kiosk.sync_status().link == Link::Up
    });

    // A short press in the corner does nothing; three seconds open the pad.
    long_press(&kiosk, 10.0, 1910.0, Duration::from_millis(500));
    assert_eq!(page(&kiosk), ui::Page::Attract);
    long_press(&kiosk, 10.0, 1910.0, Duration::from_millis(3100));
    assert_eq!(page(&kiosk), ui::Page::Service);

    for digit in ["1", "1", "1", "1", "1", "1"] {
        tap_button(&kiosk, digit);
    }
    assert_eq!(
        find(&kiosk, "ServicePage::pin-dots")
            .accessible_label()
            .as_deref(),
        Some("6")
    );
    tap(&kiosk, "ServicePage::submit");
    assert_eq!(text(&kiosk, "ServicePage::pin-error"), "Неверный ПИН.");
    assert!(all(&kiosk, "ServicePage::device-id").is_empty());

    for digit in PIN.chars() {
        tap_button(&kiosk, &digit.to_string());
    }
    tap(&kiosk, "ServicePage::submit");
    let credentials = Credentials::load(&site.data_dir).expect("credentials");
    assert_eq!(
        value(&kiosk, "ServicePage::device-id"),
        credentials.device_id.to_string()
    );
    assert_eq!(value(&kiosk, "ServicePage::server"), server.url());
    assert_eq!(value(&kiosk, "ServicePage::link"), "есть");
    assert_eq!(
        value(&kiosk, "ServicePage::outbox"),
        "0 ждут отправки, 0 с ошибкой"
    );
    assert_eq!(
        value(&kiosk, "ServicePage::printer"),
        "Принтер готов к печати."
    );
    assert_eq!(
        value(&kiosk, "ServicePage::reader"),
        "Не настроен: шаг с чипом не предлагается."
    );

    tap(&kiosk, "ServicePage::test-print");
    assert_eq!(
        text(&kiosk, "ServicePage::test-result"),
        "Тестовая страница напечатана."
    );
    let printed = decode_escpos(&printer.recorded());
    assert_eq!(printed.cuts, 1);
    assert!(
        printed
            .lines
            .iter()
            .any(|line| line.contains(&printer.uri())),
        "{:?}",
        printed.lines
    );

    tap(&kiosk, "ServicePage::card-test");
    assert_eq!(
        text(&kiosk, "ServicePage::test-result"),
        "Считыватель не настроен: добавьте [reader] contactless в kiosk.toml."
    );

    tap(&kiosk, "ServicePage::close");
    assert_eq!(page(&kiosk), ui::Page::Attract);
    // Back in, the pad is locked again.
    long_press(&kiosk, 10.0, 1910.0, Duration::from_millis(3100));
    assert!(all(&kiosk, "ServicePage::device-id").is_empty());
    assert_eq!(
        find(&kiosk, "ServicePage::pin-dots")
            .accessible_label()
            .as_deref(),
        Some("0")
    );
}
