//! The idle guard with Slint's mock clock: the question after a minute
//! without a touch, the countdown, and the wipe.

mod common;

use std::time::Duration;

use common::start;

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn idle_session_is_asked_then_wiped() {
    let kiosk = start();
    kiosk.tap("TopBar::large-text");
    kiosk.begin("ChoosePage::register");
    kiosk.fill_step(&["иванова", "мария", "петровна"]);
    kiosk.select_field(0);
    kiosk.type_keys("07.03.19");

    kiosk.advance(Duration::from_secs(59));
    assert!(!kiosk.exists("IdleOverlay::still-here"));
    kiosk.advance(SECOND);
    kiosk.settle();
    assert!(kiosk.exists("IdleOverlay::still-here"));
    assert_eq!(
        kiosk.text("IdleOverlay::countdown"),
        "Через 15 с сеанс завершится, а ваши данные будут стёрты"
    );

    for _ in 0..14 {
        kiosk.advance(SECOND);
    }
    assert_eq!(
        kiosk.text("IdleOverlay::countdown"),
        "Через 1 с сеанс завершится, а ваши данные будут стёрты"
    );
    kiosk.advance(SECOND);
    kiosk.settle();

    assert!(!kiosk.exists("IdleOverlay::still-here"));
    assert!(kiosk.exists("AttractPage::start"));
    assert_eq!(
        kiosk.find("TopBar::large-text").accessible_checked(),
        Some(false)
    );

    // Nothing typed before survives into the next session, on any step.
    kiosk.begin("ChoosePage::register");
    assert!(kiosk.fields().iter().all(|(_, value, _)| value.is_empty()));
    assert_eq!(
        kiosk.find("EntryPage::next").accessible_enabled(),
        Some(false)
    );
    assert!(kiosk.issuer.requests().is_empty());
}

#[test]
fn still_here_keeps_the_session() {
    let kiosk = start();
    kiosk.begin("ChoosePage::register");
    kiosk.select_field(0);
    kiosk.type_keys("иванова");

    kiosk.advance(Duration::from_secs(60));
    kiosk.settle();
    kiosk.advance(Duration::from_secs(10));
    kiosk.tap("IdleOverlay::still-here");

    assert!(!kiosk.exists("IdleOverlay::still-here"));
    assert_eq!(kiosk.fields()[0].1, "Иванова");

    // The minute starts again from the answer.
    kiosk.advance(Duration::from_secs(59));
    assert!(!kiosk.exists("IdleOverlay::still-here"));
    kiosk.advance(SECOND);
    kiosk.settle();
    assert!(kiosk.exists("IdleOverlay::still-here"));
}

#[test]
fn each_touch_restarts_the_minute() {
    let kiosk = start();
    kiosk.begin("ChoosePage::register");
    kiosk.select_field(0);

    kiosk.advance(Duration::from_secs(50));
    kiosk.key("и");
    kiosk.advance(Duration::from_secs(50));
    kiosk.settle();
    assert!(!kiosk.exists("IdleOverlay::still-here"));
    kiosk.advance(Duration::from_secs(10));
    kiosk.settle();
    assert!(kiosk.exists("IdleOverlay::still-here"));
}

#[test]
fn attract_screen_never_asks() {
    let kiosk = start();
    kiosk.advance(Duration::from_secs(600));
    kiosk.settle();
    assert!(!kiosk.exists("IdleOverlay::still-here"));
    assert!(kiosk.exists("AttractPage::start"));
}
