//! The visitor's taps on the signature token step: «Подтвердить личность
//! электронной подписью», consent when the kiosk asks for it, the PIN on
//! the step's keypad, and the success screen. The token must be in place
//! already (a SoftHSM2 token counts as inserted while its module lists it).

use std::time::Duration;

use i_slint_backend_testing::ElementHandle;
use slint::ComponentHandle;
use ui::{TokenAdapter, TokenState};

use super::KioskDriver;
use crate::scenario::{pump, ScenarioError};

/// Bound for each wait on the token and the server.
const TOKEN_WAIT: Duration = Duration::from_secs(30);

/// The success screen of the token step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenConfirmation {
    /// «Личность подтверждена».
    pub title: String,
    /// The holder's name from the server's response.
    pub holder: String,
    /// The line with the account level.
    pub status: String,
}

impl KioskDriver<'_> {
    fn token_state(&self) -> TokenState {
        self.window.global::<TokenAdapter>().get_state()
    }

    /// Turns the event loop until the token step leaves the states in
    /// `passing`, and returns the state it reached.
    fn wait_token_state(
        &self,
        what: &str,
        passing: &[TokenState],
    ) -> Result<TokenState, ScenarioError> {
        let adapter = self.window.global::<TokenAdapter>();
        pump::wait_until(what, TOKEN_WAIT, || {
            !passing.contains(&adapter.get_state()) || adapter.get_wrong_pin()
        })?;
        self.settle();
        Ok(self.token_state())
    }

    /// Describes the token step's screen for an error: its title and
    /// status line.
    fn token_screen(&self) -> String {
        let title = self.text("token", "TokenPage::title").unwrap_or_default();
        let status = self.text("token", "TokenPage::status").unwrap_or_default();
        format!("«{title}» «{status}»")
    }

    /// Opens the token step from the attract screen and waits for the PIN
    /// keypad.
    pub fn open_token_step(&self) -> Result<(), ScenarioError> {
        const STEP: &str = "token step";
        self.tap(STEP, "AttractPage::start")?;
        self.tap(STEP, "ChoosePage::use-token")?;
        if self.exists("ConsentPage::agree") {
            self.tap(STEP, "ConsentPage::agree")?;
            self.tap(STEP, "ConsentPage::accept")?;
        }
        let state = self.wait_token_state(
            "the kiosk reads the token and asks the server for a challenge",
            &[
                TokenState::Waiting,
                TokenState::Preparing,
                TokenState::Signing,
            ],
        )?;
        if state != TokenState::Pin {
            return Err(ScenarioError::Unexpected {
                step: STEP,
                expected: "the PIN keypad for the token's one certificate".to_owned(),
                found: format!("{state:?}: {}", self.token_screen()),
            });
        }
        Ok(())
    }

    /// Types `pin` on the token step's keypad, taps «Подтвердить» and
    /// waits for the success screen.
    pub fn sign_with_pin(&self, pin: &str) -> Result<TokenConfirmation, ScenarioError> {
        const STEP: &str = "token PIN";
        for digit in pin.chars() {
            let key = ElementHandle::find_by_accessible_label(self.window, &digit.to_string())
                .find(|element| element.type_name().is_some_and(|name| name == "PinKey"))
                .ok_or_else(|| ScenarioError::Missing {
                    step: STEP,
                    id: format!("the keypad's key {digit}"),
                })?;
            self.tap_element(&key);
        }
        self.tap(STEP, "TokenPage::submit")?;
        let state = self.wait_token_state(
            "the token signs and the server confirms",
            &[TokenState::Pin, TokenState::Signing],
        )?;
        if state != TokenState::Confirmed {
            return Err(ScenarioError::Unexpected {
                step: STEP,
                expected: "«Личность подтверждена»".to_owned(),
                found: format!("{state:?}: {}", self.token_screen()),
            });
        }
        Ok(TokenConfirmation {
            title: self.text(STEP, "TokenPage::title")?,
            holder: self.text(STEP, "TokenPage::holder")?,
            status: self.text(STEP, "TokenPage::status")?,
        })
    }

    /// Taps «Готово» on the token step's success screen.
    pub fn finish_token_step(&self) -> Result<(), ScenarioError> {
        self.tap("token step", "TokenPage::finish")?;
        pump::wait_until("the attract screen returns", Duration::from_secs(5), || {
            self.exists("AttractPage::start")
        })
    }
}
