//! The visitor's side: taps on the kiosk window found by element id, and
//! keys of the on-screen keyboard found by their label, through Slint's
//! testing backend. The signature token step's taps are in [`token`].

use std::time::Duration;

use i_slint_backend_testing::ElementHandle;
use slint::platform::PointerEventButton;
use slint::{ComponentHandle, Model};
use ui::{ChipAdapter, ChipState, EntryAdapter, FieldKind, KioskWindow, ReviewAdapter};

use super::pump;
use super::visitor::{Visitor, SHOWN};
use super::ScenarioError;

mod token;

pub use token::TokenConfirmation;

/// Most data entry steps a registration may take; the kiosk has five.
const MAX_STEPS: usize = 10;

/// Whether the visitor puts the passport on the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChipPlan {
    Read,
    Skip,
}

/// How the chip step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChipStep {
    Read,
    /// The visitor skipped it.
    Skipped,
    /// The read failed and the visitor went on without it; the kiosk's
    /// message.
    Failed {
        message: String,
    },
}

/// The ticket screen after «Подтвердить».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskTicket {
    /// Such as `Р-001`.
    pub number: String,
    /// The review screen's values, in row order.
    pub review: Vec<String>,
    pub chip: ChipStep,
    /// The ticket screen's line about printing.
    pub printed_line: String,
}

/// The message the entry screen shows under a field, and whether «Далее»
/// stays closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRefusal {
    pub message: String,
    pub next_enabled: bool,
}

/// Drives one kiosk window.
pub struct KioskDriver<'a> {
    window: &'a KioskWindow,
    /// Bound for waits on the card reader.
    pub chip_wait: Duration,
}

impl<'a> KioskDriver<'a> {
    pub fn new(window: &'a KioskWindow) -> Self {
        KioskDriver {
            window,
            chip_wait: Duration::from_secs(30),
        }
    }

    fn all(&self, id: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_element_id(self.window, id).collect()
    }

    fn find(&self, step: &'static str, id: &str) -> Result<ElementHandle, ScenarioError> {
        self.all(id)
            .into_iter()
            .next()
            .ok_or_else(|| ScenarioError::Missing {
                step,
                id: id.to_owned(),
            })
    }

    /// Tells whether an element with `id` is on the screen.
    pub fn exists(&self, id: &str) -> bool {
        !self.all(id).is_empty()
    }

    fn settle(&self) {
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(1));
        pump::turn();
    }

    fn tap_element(&self, element: &ElementHandle) {
        element.mock_single_click(PointerEventButton::Left);
        self.settle();
    }

    /// Taps the element with `id`.
    pub fn tap(&self, step: &'static str, id: &str) -> Result<(), ScenarioError> {
        let element = self.find(step, id)?;
        self.tap_element(&element);
        Ok(())
    }

    /// Returns the text of a text element or a button's label.
    pub fn text(&self, step: &'static str, id: &str) -> Result<String, ScenarioError> {
        Ok(self
            .find(step, id)?
            .accessible_label()
            .map(|label| label.to_string())
            .unwrap_or_default())
    }

    fn key(&self, label: &str) -> Option<ElementHandle> {
        ElementHandle::find_by_accessible_label(self.window, label)
            .find(|element| element.type_name().is_some_and(|name| name == "Key"))
    }

    /// Types one character, switching the keyboard's layout when the
    /// current one lacks it.
    fn type_char(&self, character: char) -> Result<(), ScenarioError> {
        const STEP: &str = "typing";
        if character == ' ' {
            if !self.exists("Keyboard::space-key") {
                self.tap(STEP, "Keyboard::cyrillic-key")?;
            }
            return self.tap(STEP, "Keyboard::space-key");
        }
        let label = character.to_string();
        if let Some(key) = self.key(&label) {
            self.tap_element(&key);
            return Ok(());
        }
        for layout in [
            "Keyboard::digits-key",
            "Keyboard::cyrillic-key",
            "Keyboard::latin-key",
            "Keyboard::symbols-key",
        ] {
            self.tap(STEP, layout)?;
            if let Some(key) = self.key(&label) {
                self.tap_element(&key);
                return Ok(());
            }
        }
        Err(ScenarioError::Missing {
            step: STEP,
            id: format!("a key for U+{:04X}", u32::from(character)),
        })
    }

    fn type_text(&self, text: &str) -> Result<(), ScenarioError> {
        text.chars()
            .try_for_each(|character| self.type_char(character))
    }

    /// Returns the field kinds on the current entry step, in order.
    fn step_kinds(&self) -> Vec<FieldKind> {
        self.window
            .global::<EntryAdapter>()
            .get_fields()
            .iter()
            .map(|field| field.kind)
            .collect()
    }

    /// Selects the field at `index` on the entry screen and types `value`;
    /// returns the rule's message under it (empty when the value passes).
    fn fill_field(&self, index: usize, value: &str) -> Result<FieldRefusal, ScenarioError> {
        const STEP: &str = "data entry";
        let boxes = self.all("FieldBox::value-box");
        let field = boxes.get(index).ok_or_else(|| ScenarioError::Missing {
            step: STEP,
            id: format!("FieldBox::value-box #{index}"),
        })?;
        self.tap_element(field);
        self.type_text(value)?;
        let message = self
            .all("FieldBox::value-box")
            .get(index)
            .and_then(ElementHandle::accessible_description)
            .map(|text| text.to_string())
            .unwrap_or_default();
        let next_enabled = self
            .find(STEP, "EntryPage::next")?
            .accessible_enabled()
            .unwrap_or(false);
        Ok(FieldRefusal {
            message,
            next_enabled,
        })
    }

    /// From the attract screen through consent to the first entry step.
    pub fn begin_registration(&self) -> Result<(), ScenarioError> {
        const STEP: &str = "start";
        self.tap(STEP, "AttractPage::start")?;
        self.tap(STEP, "ChoosePage::register")?;
        self.tap(STEP, "ConsentPage::agree")?;
        self.tap(STEP, "ConsentPage::accept")?;
        if !self.exists("EntryPage::next") {
            return Err(ScenarioError::Missing {
                step: STEP,
                id: "EntryPage::next".to_owned(),
            });
        }
        Ok(())
    }

    /// Fills entry steps with `visitor`'s values until the chip screen, or
    /// until a field of `stop_at` (left unfilled, with the screen on it).
    fn fill_steps(
        &self,
        visitor: &Visitor,
        stop_at: Option<FieldKind>,
    ) -> Result<(), ScenarioError> {
        const STEP: &str = "data entry";
        for _ in 0..MAX_STEPS {
            if self.exists("ChipPage::skip")
                || self.exists("ChipPage::proceed")
                || self.exists("ReviewPage::confirm")
            {
                return Ok(());
            }
            let kinds = self.step_kinds();
            if stop_at.is_some_and(|stop| kinds.contains(&stop)) {
                return Ok(());
            }
            for (index, kind) in kinds.iter().enumerate() {
                let value = visitor
                    .typed(*kind)
                    .ok_or_else(|| ScenarioError::Unexpected {
                        step: STEP,
                        expected: "only fields this script knows".to_owned(),
                        found: format!("a field of kind {kind:?}"),
                    })?;
                let refusal = self.fill_field(index, value)?;
                if !refusal.message.is_empty() {
                    return Err(ScenarioError::Unexpected {
                        step: STEP,
                        expected: format!("{kind:?} accepted"),
                        found: format!("the message «{}»", refusal.message),
                    });
                }
            }
            self.tap(STEP, "EntryPage::next")?;
        }
        Err(ScenarioError::Unexpected {
            step: STEP,
            expected: format!("the chip screen within {MAX_STEPS} steps"),
            found: "more entry steps".to_owned(),
        })
    }

    /// Registers `visitor` from the attract screen to the ticket screen.
    pub fn register(
        &self,
        visitor: &Visitor,
        chip: ChipPlan,
    ) -> Result<KioskTicket, ScenarioError> {
        self.begin_registration()?;
        self.fill_steps(visitor, None)?;
        let chip = self.chip_step(visitor, chip)?;
        let review = self.review()?;
        self.confirm()?;
        Ok(KioskTicket {
            number: self.text("ticket", "TicketPage::number")?,
            review,
            chip,
            printed_line: self
                .text("ticket", "TicketPage::printed")
                .unwrap_or_default(),
        })
    }

    fn chip_step(&self, visitor: &Visitor, plan: ChipPlan) -> Result<ChipStep, ScenarioError> {
        const STEP: &str = "chip";
        // A kiosk without a configured reader goes straight to review.
        if !self.exists("ChipPage::skip") && !self.exists("ChipPage::proceed") {
            return Ok(ChipStep::Skipped);
        }
        if plan == ChipPlan::Skip {
            self.tap(STEP, "ChipPage::skip")?;
            return Ok(ChipStep::Skipped);
        }
        // The chip opens only with the travel passport's number and expiry
        // date (BAC), which the visitor types here.
        let access = [
            visitor.travel_passport_number,
            visitor.travel_passport_expiry,
        ];
        for (index, value) in access.into_iter().enumerate() {
            let field = self
                .all("AccessField::value-box")
                .into_iter()
                .nth(index)
                .ok_or_else(|| ScenarioError::Missing {
                    step: STEP,
                    id: format!("AccessField::value-box #{index}"),
                })?;
            self.tap_element(&field);
            self.type_text(value)?;
        }
        self.tap(STEP, "ChipPage::read")?;
        let adapter = self.window.global::<ChipAdapter>();
        pump::wait_until("the chip read ends", self.chip_wait, || {
            adapter.get_state() != ChipState::Reading
        })?;
        self.settle();
        if adapter.get_state() == ChipState::Success {
            self.tap(STEP, "ChipPage::proceed")?;
            return Ok(ChipStep::Read);
        }
        let message = self.text(STEP, "ChipPage::status")?;
        self.tap(STEP, "ChipPage::skip")?;
        Ok(ChipStep::Failed { message })
    }

    /// Reads the review screen and checks it shows the formatted values.
    fn review(&self) -> Result<Vec<String>, ScenarioError> {
        const STEP: &str = "review";
        let shown: Vec<String> = self
            .all("ReviewPage::value")
            .iter()
            .map(|row| row.accessible_label().unwrap_or_default().to_string())
            .collect();
        if shown.len() != SHOWN.len() {
            return Err(ScenarioError::Unexpected {
                step: STEP,
                expected: format!("{} rows", SHOWN.len()),
                found: format!("{} rows", shown.len()),
            });
        }
        if let Some(row) = (0..SHOWN.len()).find(|&row| shown[row] != SHOWN[row]) {
            return Err(ScenarioError::Unexpected {
                step: STEP,
                expected: format!("row {} formatted by its rule", row + 1),
                found: "another value".to_owned(),
            });
        }
        Ok(shown)
    }

    fn confirm(&self) -> Result<(), ScenarioError> {
        const STEP: &str = "issuing the ticket";
        self.tap(STEP, "ReviewPage::confirm")?;
        pump::wait_until("the ticket screen shows", Duration::from_secs(30), || {
            self.exists("TicketPage::number")
                || self.window.global::<ReviewAdapter>().get_issue_failed()
        })?;
        if !self.exists("TicketPage::number") {
            return Err(ScenarioError::Unexpected {
                step: STEP,
                expected: "the ticket screen".to_owned(),
                found: format!(
                    "«{}»",
                    self.text(STEP, "ReviewPage::issue-error")
                        .unwrap_or_default()
                ),
            });
        }
        Ok(())
    }

    /// Registers `visitor` up to the СНИЛС, types it and returns the
    /// message under the field. The session stays open on that step.
    pub fn type_snils(&self, visitor: &Visitor) -> Result<FieldRefusal, ScenarioError> {
        self.begin_registration()?;
        self.fill_steps(visitor, Some(FieldKind::Snils))?;
        let index = self
            .step_kinds()
            .iter()
            .position(|kind| *kind == FieldKind::Snils)
            .ok_or_else(|| ScenarioError::Missing {
                step: "data entry",
                id: "the СНИЛС field".to_owned(),
            })?;
        self.fill_field(index, visitor.snils)
    }

    /// Ends the session from any screen with the top bar's «Отмена».
    pub fn cancel(&self) -> Result<(), ScenarioError> {
        self.tap("cancel", "TopBar::cancel-button")?;
        if self.exists("IdlePage::end-session") {
            self.tap("cancel", "IdlePage::end-session")?;
        }
        pump::wait_until("the attract screen returns", Duration::from_secs(5), || {
            self.exists("AttractPage::start")
        })
    }

    /// Taps «Готово» on the ticket screen, which wipes the session.
    pub fn finish(&self) -> Result<(), ScenarioError> {
        self.tap("ticket", "TicketPage::finish")?;
        pump::wait_until("the attract screen returns", Duration::from_secs(5), || {
            self.exists("AttractPage::start")
        })
    }

    /// Saves the window as a PNG.
    pub fn screenshot(&self, path: &std::path::Path) -> Result<(), ScreenshotError> {
        screenshot(self.window.window(), path)
    }
}

/// A window could not be saved as a picture.
#[derive(Debug, thiserror::Error)]
#[error("screenshot {path}: {message}")]
pub struct ScreenshotError {
    pub path: String,
    pub message: String,
}

/// Renders `window` with the software renderer and writes it as a PNG.
pub fn screenshot(window: &slint::Window, path: &std::path::Path) -> Result<(), ScreenshotError> {
    let fail = |message: String| ScreenshotError {
        path: path.display().to_string(),
        message,
    };
    let snapshot = window
        .take_snapshot()
        .map_err(|err| fail(err.to_string()))?;
    let picture = image::RgbaImage::from_raw(
        snapshot.width(),
        snapshot.height(),
        snapshot.as_bytes().to_vec(),
    )
    .ok_or_else(|| fail("the snapshot is not width × height RGBA pixels".to_owned()))?;
    picture.save(path).map_err(|err| fail(err.to_string()))
}
