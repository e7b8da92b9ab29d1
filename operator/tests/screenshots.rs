//! Renders each screen with the software renderer into
//! `target/screenshots/operator-*.png`, for a person to look at: Russian
//! text, nothing cut off. The assertions only check that the screen shown
//! is the one named.

mod support;

use domain::ticket::{Priority, ServiceCategory};
use jiff::SignedDuration;
use operator::printer::PrinterFault;
use operator::ui::{AppAdapter, Page};
use slint::ComponentHandle;
use support::{fixture, start, LOGIN, PASSWORD};

/// Installs the testing backend with the software renderer, which
/// `take_snapshot` needs.
fn init_software_renderer() {
    let options = i_slint_backend_testing::TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    };
    slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        options,
    )))
    .expect("no platform is set yet on this thread");
}

#[test]
fn screens_render_to_png() {
    init_software_renderer();
    let f = fixture();

    f.backend.lock_out(
        LOGIN,
        start()
            .checked_add(SignedDuration::from_mins(25))
            .expect("valid"),
    );
    f.fill("LoginPage::login-input", LOGIN);
    f.fill("LoginPage::password-input", PASSWORD);
    f.fill("LoginPage::window-input", "3");
    f.click("LoginPage::login-button");
    assert!(f.is_shown("LoginPage::error"));
    f.screenshot("login-locked-out");
    f.backend.lock_out(LOGIN, start());

    let mut ticket = support::ticket(
        ServiceCategory::IdentityConfirmation,
        7,
        21,
        Priority::Regular,
        Some("confirm_identity"),
    );
    if let Some(request) = ticket.request.as_mut() {
        request.visitor.surname = "Иваненко".to_owned();
    }
    f.backend.add_ticket(ticket);
    f.add_ticket(
        ServiceCategory::IdentityConfirmation,
        8,
        17,
        Priority::Preferential,
        Some("confirm_identity"),
    );
    f.add_ticket(
        ServiceCategory::RestoreAccess,
        3,
        9,
        Priority::Regular,
        Some("restore_access"),
    );
    f.add_ticket(
        ServiceCategory::IdentityConfirmation,
        9,
        2,
        Priority::Regular,
        None,
    );
    f.log_in();
    f.sync_queue();
    f.screenshot("queue");

    // The oldest regular ticket, with a surname that differs from the chip.
    f.elements("QueuePanel::ticket-row")[1].invoke_accessible_default_action();
    f.click("RequestPanel::passport-checked");
    f.screenshot("request");

    f.printer.set_fault(Some(PrinterFault::PaperOut));
    f.click("RequestPanel::confirm");
    f.backend.set_online(false);
    f.click("QueuePanel::start");
    f.type_line("не талон");
    f.screenshot("faults");

    f.clock.advance(SignedDuration::from_mins(6));
    f.console.tick();
    assert_eq!(
        f.console.window().global::<AppAdapter>().get_page(),
        Page::Locked
    );
    f.screenshot("locked");
}
