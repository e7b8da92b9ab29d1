//! Renders every screen in Russian and English with the software renderer
//! to `target/screenshots/`, for a person to look at, and checks on each
//! that every touch control is at least 64 px square.

mod common;

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use common::{start, Harness};
use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
use kiosk::chip::ChipOutcome;
use slint::ComponentHandle;

/// The smallest touch target a visitor's finger hits reliably.
const MIN_TOUCH: f32 = 64.0;

fn output_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).expect("target/screenshots can be created");
    dir
}

/// Saves the window as `<lang>-<name>.png` and checks its touch targets.
fn capture(kiosk: &Harness, lang: &str, name: &str) {
    kiosk.settle();
    check_touch_targets(kiosk, name);

    let snapshot = kiosk
        .window()
        .window()
        .take_snapshot()
        .expect("the software renderer takes a snapshot");
    let path = output_dir().join(format!("{lang}-{name}.png"));
    let file = File::create(&path).expect("the screenshot file can be created");
    let mut encoder = png::Encoder::new(BufWriter::new(file), snapshot.width(), snapshot.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("the PNG header is written");
    writer
        .write_image_data(snapshot.as_bytes())
        .expect("the PNG data is written");
}

fn check_touch_targets(kiosk: &Harness, screen: &str) {
    let controls = kiosk
        .window()
        .root_element()
        .query_descendants()
        .match_predicate(|element: &ElementHandle| {
            matches!(
                element.accessible_role(),
                Some(AccessibleRole::Button | AccessibleRole::Checkbox | AccessibleRole::TextInput)
            )
        })
        .find_all();
    assert!(!controls.is_empty(), "{screen}: no touch controls found");
    for control in controls {
        let size = control.size();
        if size.width == 0.0 {
            continue; // hidden
        }
        let label = control.accessible_label().unwrap_or_default();
        assert!(
            size.width >= MIN_TOUCH && size.height >= MIN_TOUCH,
            "{screen}: control {label:?} is {}×{} px, below {MIN_TOUCH} px",
            size.width,
            size.height
        );
    }
}

fn render_all_screens(lang: &str) {
    let kiosk = start();
    kiosk.chip.outcome.set(Some(ChipOutcome::AccessDenied));
    if lang == "en" {
        kiosk.tap("TopBar::english");
    }
    capture(&kiosk, lang, "01-attract");
    kiosk.tap("AttractPage::start");
    capture(&kiosk, lang, "02-choose");
    kiosk.tap("ChoosePage::register");
    kiosk.tap("ConsentPage::agree");
    capture(&kiosk, lang, "03-consent");
    kiosk.tap("ConsentPage::accept");

    kiosk.select_field(0);
    kiosk.type_keys("иванова");
    kiosk.select_field(1);
    kiosk.type_keys("мария");
    capture(&kiosk, lang, "04-entry-name");
    kiosk.tap("EntryPage::next");
    kiosk.select_field(0);
    kiosk.type_keys("31.02.1958");
    capture(&kiosk, lang, "05-entry-birth-date-error");
    for _ in 0..10 {
        kiosk.erase();
    }
    kiosk.type_keys("07.03.1958");
    kiosk.tap("EntryPage::next");
    kiosk.fill_step(&["4510123456", "15.04.2003", "770-001", "отделом уфмс россии"]);
    kiosk.select_field(0);
    kiosk.type_keys("11223344596");
    capture(&kiosk, lang, "06-entry-snils-error");
    kiosk.erase();
    kiosk.type_keys("5");
    kiosk.tap("EntryPage::next");
    kiosk.select_field(0);
    kiosk.type_keys("+79123456789");
    kiosk.select_field(1);
    kiosk.type_keys("maria.ivanova@mail.ru");
    capture(&kiosk, lang, "07-entry-contacts");
    kiosk.tap("TopBar::large-text");
    capture(&kiosk, lang, "08-entry-contacts-large-text");
    kiosk.tap("TopBar::large-text");
    kiosk.tap("Keyboard::symbols-key");
    capture(&kiosk, lang, "09-keyboard-symbols");
    kiosk.tap("EntryPage::next");

    capture(&kiosk, lang, "10-chip");
    kiosk.fill_chip_access("751234567", "01.02.2030");
    kiosk.tap("ChipPage::read");
    capture(&kiosk, lang, "11-chip-failed");
    kiosk.tap("ChipPage::skip");
    capture(&kiosk, lang, "12-review");
    kiosk.tap("ReviewPage::confirm");
    capture(&kiosk, lang, "13-ticket");

    // The ticket screen counts down a second at a time, then wipes.
    for _ in 0..kiosk::TICKET_SHOWN_SECONDS {
        kiosk.advance(std::time::Duration::from_secs(1));
    }
    start_plain_ticket(&kiosk, lang);
}

/// Shows the category screen and the idle question on the same kiosk.
fn start_plain_ticket(kiosk: &Harness, lang: &str) {
    // The finished session switched the kiosk back to Russian.
    if lang == "en" {
        kiosk.tap("TopBar::english");
    }
    kiosk.tap("AttractPage::start");
    kiosk.tap("ChoosePage::ticket");
    capture(kiosk, lang, "14-categories");
    kiosk.advance(std::time::Duration::from_secs(60));
    capture(kiosk, lang, "15-idle");
}

#[test]
fn screens_in_russian() {
    render_all_screens("ru");
}

#[test]
fn screens_in_english() {
    render_all_screens("en");
}
