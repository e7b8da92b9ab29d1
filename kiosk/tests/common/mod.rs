//! Drives the kiosk window through Slint's testing backend the way a
//! visitor does: taps on elements found by id or by a key's label, with
//! Slint's clock moved by the test.

#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use domain::clock::ManualClock;
use domain::sync::SignatureChallenge;
use hardware::token::Pin;
use i_slint_backend_testing::{ElementHandle, TestingBackend, TestingBackendOptions};
use jiff::tz::Offset;
use kiosk::chip::{ChipKeys, ChipOutcome, ChipReader, ChipReply};
use kiosk::fields::{DomainRules, MOSCOW_OFFSET_HOURS};
use kiosk::issue::MemoryIssuer;
use kiosk::token::{SignatureTokens, TokenEvent, TokenReply};
use kiosk::{Kiosk, Services};
use slint::platform::PointerEventButton;
use slint::ComponentHandle;
use uuid::Uuid;

/// The fixed "now" of every test: 4 December 2026, noon in Moscow.
pub const NOW: &str = "2026-12-04T09:00:00Z";

/// A chip reader that answers every read at once with a set outcome and
/// counts the reads; the card layer's real reader replaces it.
#[derive(Default)]
pub struct ScriptedChip {
    pub outcome: Cell<Option<ChipOutcome>>,
    pub reads: Cell<u32>,
    pub last_keys: RefCell<Option<ChipKeys>>,
}

impl ChipReader for ScriptedChip {
    fn read(&self, keys: ChipKeys, reply: ChipReply) {
        self.reads.set(self.reads.get() + 1);
        *self.last_keys.borrow_mut() = Some(keys);
        reply.send(self.outcome.get().unwrap_or(ChipOutcome::Failed));
    }
}

/// What the step asked of the token layer, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    Watch,
    Stop,
    Challenge(usize),
    Confirm(usize),
}

/// A scripted token layer for the signature token step: it records the
/// step's calls and lets the test report token and server results through
/// the reply the step gave. A locked PIN and a token pulled out mid-flow
/// cannot be made with SoftHSM2, so the screens are tested with this.
#[derive(Default)]
pub struct ScriptedTokens {
    pub calls: RefCell<Vec<Call>>,
    pub reply: RefCell<Option<(Uuid, TokenReply)>>,
    /// The `Debug` form of each PIN handed over, which must hide it.
    pub pins_shown: RefCell<Vec<String>>,
}

impl SignatureTokens for ScriptedTokens {
    fn watch(&self, attempt: Uuid, reply: TokenReply) {
        self.calls.borrow_mut().push(Call::Watch);
        *self.reply.borrow_mut() = Some((attempt, reply));
    }

    fn stop(&self, _attempt: Uuid) {
        self.calls.borrow_mut().push(Call::Stop);
    }

    fn challenge(&self, _attempt: Uuid, index: usize, _reply: TokenReply) {
        self.calls.borrow_mut().push(Call::Challenge(index));
    }

    fn confirm(
        &self,
        _attempt: Uuid,
        index: usize,
        _challenge: SignatureChallenge,
        pin: Pin,
        _reply: TokenReply,
    ) {
        self.calls.borrow_mut().push(Call::Confirm(index));
        self.pins_shown.borrow_mut().push(format!("{pin:?}"));
    }
}

impl ScriptedTokens {
    pub fn report(&self, harness: &Harness, event: TokenEvent) {
        let (attempt, reply) = self
            .reply
            .borrow()
            .clone()
            .expect("the step started watching");
        reply.send(attempt, event);
        harness.settle();
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.borrow().clone()
    }
}

pub struct Harness {
    pub kiosk: Kiosk,
    pub issuer: Rc<MemoryIssuer>,
    pub chip: Rc<ScriptedChip>,
}

/// Starts a kiosk on this test thread's own testing backend, with mock time
/// and the software renderer so snapshots work.
pub fn start() -> Harness {
    start_with_tokens(None)
}

/// Starts a kiosk as [`start`] does, offering the signature token step
/// when `tokens` is given.
pub fn start_with_tokens(tokens: Option<Rc<dyn SignatureTokens>>) -> Harness {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .expect("each test thread sets its platform once");

    let issuer = Rc::new(MemoryIssuer::default());
    let chip = Rc::new(ScriptedChip::default());
    let clock = ManualClock::new(NOW.parse().expect("NOW is a valid timestamp"));
    let services = Services {
        center_name: "МФЦ «Мои документы» района Хамовники".to_owned(),
        rules: Rc::new(DomainRules::new(
            Arc::new(clock),
            Offset::constant(MOSCOW_OFFSET_HOURS),
        )),
        chip: chip.clone(),
        issuer: issuer.clone(),
        service: None,
    };
    let kiosk = kiosk::init_with_steps(services, None, tokens).expect("the kiosk window opens");
    kiosk
        .window()
        .window()
        .set_size(slint::LogicalSize::new(1080.0, 1920.0));
    kiosk.window().show().expect("the window shows");
    let harness = Harness {
        kiosk,
        issuer,
        chip,
    };
    harness.settle();
    harness
}

impl Harness {
    pub fn window(&self) -> &ui::KioskWindow {
        self.kiosk.window()
    }

    /// Lets Slint instantiate pages that just became visible.
    pub fn settle(&self) {
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(1));
    }

    /// Moves Slint's clock, which drives the idle and ticket timers.
    pub fn advance(&self, by: Duration) {
        i_slint_backend_testing::mock_elapsed_time(by);
    }

    /// Returns every element with the qualified id `Component::id`.
    pub fn all(&self, id: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_element_id(self.window(), id).collect()
    }

    pub fn find(&self, id: &str) -> ElementHandle {
        self.all(id)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no element with id {id} on the screen"))
    }

    pub fn exists(&self, id: &str) -> bool {
        !self.all(id).is_empty()
    }

    /// Taps the centre of the element with `id`.
    pub fn tap(&self, id: &str) {
        self.tap_element(&self.find(id));
    }

    pub fn tap_element(&self, element: &ElementHandle) {
        element.mock_single_click(PointerEventButton::Left);
        self.settle();
    }

    /// Taps the on-screen key labelled `label`.
    pub fn key(&self, label: &str) {
        let key = ElementHandle::find_by_accessible_label(self.window(), label)
            .find(|element| element.type_name().is_some_and(|name| name == "Key"))
            .unwrap_or_else(|| panic!("no key {label:?} on the keyboard"));
        self.tap_element(&key);
    }

    /// Taps the keyboard's backspace.
    pub fn erase(&self) {
        self.tap("Keyboard::backspace-key");
    }

    /// Types `text` on the on-screen keyboard, one key per character.
    pub fn type_keys(&self, text: &str) {
        for character in text.chars() {
            if character == ' ' {
                self.tap("Keyboard::space-key");
            } else {
                self.key(&character.to_string());
            }
        }
    }

    /// Returns the text of a `Text` element, which is its accessible label.
    pub fn text(&self, id: &str) -> String {
        self.find(id)
            .accessible_label()
            .map(|label| label.to_string())
            .unwrap_or_default()
    }

    /// Returns each field box on the entry screen as (label, value, message).
    pub fn fields(&self) -> Vec<(String, String, String)> {
        self.all("FieldBox::value-box")
            .iter()
            .map(|field| {
                (
                    field.accessible_label().unwrap_or_default().to_string(),
                    field.accessible_value().unwrap_or_default().to_string(),
                    field
                        .accessible_description()
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect()
    }

    /// Taps the field box at `index` on the entry screen.
    pub fn select_field(&self, index: usize) {
        let fields = self.all("FieldBox::value-box");
        self.tap_element(&fields[index]);
    }

    /// Fills the current step's fields in order, then taps «Далее».
    pub fn fill_step(&self, values: &[&str]) {
        for (index, value) in values.iter().enumerate() {
            self.select_field(index);
            self.type_keys(value);
        }
        self.tap("EntryPage::next");
    }

    /// Returns each access field on the chip step as (label, value, message).
    pub fn chip_fields(&self) -> Vec<(String, String, String)> {
        self.all("AccessField::value-box")
            .iter()
            .map(|field| {
                (
                    field.accessible_label().unwrap_or_default().to_string(),
                    field.accessible_value().unwrap_or_default().to_string(),
                    field
                        .accessible_description()
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect()
    }

    /// Types the biometric passport's number and expiry date into the chip
    /// step's form, clearing what was there.
    pub fn fill_chip_access(&self, number: &str, expiry: &str) {
        for (index, value) in [number, expiry].into_iter().enumerate() {
            let field = self.all("AccessField::value-box")[index].clone();
            self.tap_element(&field);
            let typed = field.accessible_value().unwrap_or_default().chars().count();
            for _ in 0..typed {
                self.erase();
            }
            self.type_keys(value);
        }
    }

    /// Goes from the attract screen through consent to the first step.
    pub fn begin(&self, purpose_button: &str) {
        self.tap("AttractPage::start");
        self.tap(purpose_button);
        self.tap("ConsentPage::agree");
        self.tap("ConsentPage::accept");
    }

    /// Fills all five steps with a valid person.
    pub fn fill_valid_person(&self) {
        self.fill_step(&["иванова", "мария", "петровна"]);
        self.fill_step(&["07.03.1958"]);
        self.fill_step(&["4510123456", "15.04.2003", "770-001", "отделом уфмс россии"]);
        self.fill_step(&["11223344595"]);
        self.fill_step(&["+79123456789", "maria.ivanova@mail.ru"]);
    }
}
