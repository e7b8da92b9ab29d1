//! The operator's side: clicks and typing on the console window by
//! element id, through Slint's testing backend, with the event loop
//! turning so the queue worker's updates arrive.

use std::time::Duration;

use i_slint_backend_testing::ElementHandle;
use operator::ui::{
    ChipStatus, CurrentStatus, DecisionStatus, FieldKey, QueueAdapter, RequestAdapter,
};
use operator::Console;
use slint::{ComponentHandle, Model};

use super::pump;
use super::ScenarioError;

/// The operator's credentials and window.
#[derive(Clone)]
pub struct OperatorLogin {
    pub login: String,
    pub password: String,
    pub window: u16,
}

impl std::fmt::Debug for OperatorLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorLogin")
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

/// The called ticket as the queue panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalledTicket {
    pub number: String,
    /// The request panel's kind line, such as «Регистрация».
    pub kind: String,
}

/// The request panel's comparison of typed and chip data.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub chip: ChipVerdict,
    /// Rows where both sides are present.
    pub compared: Vec<FieldKey>,
    /// Rows where both sides are present and differ.
    pub mismatched: Vec<FieldKey>,
    /// The typed phone as the console shows it.
    pub phone: String,
}

/// The console's verdict on the chip data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChipVerdict {
    NotRead,
    Unreadable,
    Passed,
    Failed,
    NotChecked,
}

impl ChipVerdict {
    /// Describes the verdict in words for the run's summary.
    pub fn describe(self) -> &'static str {
        match self {
            ChipVerdict::NotRead => "chip not read",
            ChipVerdict::Unreadable => "chip unreadable",
            ChipVerdict::Passed => "chip signature valid",
            ChipVerdict::Failed => "chip signature invalid",
            ChipVerdict::NotChecked => "chip read, signature not checked (no CSCA list)",
        }
    }
}

impl From<ChipStatus> for ChipVerdict {
    fn from(status: ChipStatus) -> Self {
        match status {
            ChipStatus::NotRead => ChipVerdict::NotRead,
            ChipStatus::Unreadable => ChipVerdict::Unreadable,
            ChipStatus::Passed => ChipVerdict::Passed,
            ChipStatus::Failed => ChipVerdict::Failed,
            ChipStatus::NotChecked => ChipVerdict::NotChecked,
        }
    }
}

/// The decision banner after «Подтвердить».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub confirmed: bool,
    /// True when the console queued it offline.
    pub queued: bool,
    pub banner: String,
}

/// Drives one console window.
pub struct ConsoleDriver<'a> {
    console: &'a Console,
    /// Bound for waits on the server (queue updates, decisions).
    pub server_wait: Duration,
}

impl<'a> ConsoleDriver<'a> {
    pub fn new(console: &'a Console) -> Self {
        ConsoleDriver {
            console,
            server_wait: Duration::from_secs(30),
        }
    }

    fn all(&self, id: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_element_id(self.console.window(), id).collect()
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

    pub fn exists(&self, id: &str) -> bool {
        !self.all(id).is_empty()
    }

    fn click(&self, step: &'static str, id: &str) -> Result<(), ScenarioError> {
        self.find(step, id)?.invoke_accessible_default_action();
        pump::turn();
        Ok(())
    }

    fn fill(&self, step: &'static str, id: &str, value: &str) -> Result<(), ScenarioError> {
        self.find(step, id)?.set_accessible_value(value);
        Ok(())
    }

    /// Returns a text element's text, a banner's or a button's label.
    pub fn text(&self, step: &'static str, id: &str) -> Result<String, ScenarioError> {
        Ok(self
            .find(step, id)?
            .accessible_label()
            .map(|label| label.to_string())
            .unwrap_or_default())
    }

    /// Logs in; fails with the login screen's message when refused.
    pub fn log_in(&self, operator: &OperatorLogin) -> Result<(), ScenarioError> {
        const STEP: &str = "login";
        self.fill(STEP, "LoginPage::login-input", &operator.login)?;
        self.fill(STEP, "LoginPage::password-input", &operator.password)?;
        self.fill(
            STEP,
            "LoginPage::window-input",
            &operator.window.to_string(),
        )?;
        self.click(STEP, "LoginPage::login-button")?;
        let waited = pump::wait_until("the work screen opens", self.server_wait, || {
            self.exists("WorkPage::header-window")
                || self
                    .text(STEP, "LoginPage::error")
                    .is_ok_and(|message| !message.is_empty())
        });
        if self.exists("WorkPage::header-window") {
            return Ok(());
        }
        waited?;
        Err(ScenarioError::Unexpected {
            step: STEP,
            expected: "the work screen".to_owned(),
            found: format!("«{}»", self.text(STEP, "LoginPage::error")?),
        })
    }

    /// Returns the ticket numbers listed in the queue panel.
    pub fn listed(&self) -> Vec<String> {
        self.all("TicketListRow::row-number")
            .iter()
            .map(|row| row.accessible_label().unwrap_or_default().to_string())
            .collect()
    }

    /// Waits, without any refresh, until `number` is listed.
    pub fn wait_for_ticket(&self, number: &str) -> Result<(), ScenarioError> {
        pump::wait_until(
            &format!("ticket {number} is listed"),
            self.server_wait,
            || self.listed().iter().any(|listed| listed == number),
        )
    }

    /// Calls the next ticket and opens its request.
    pub fn call_next(&self) -> Result<CalledTicket, ScenarioError> {
        const STEP: &str = "calling";
        self.click(STEP, "QueuePanel::call-next")?;
        let adapter = self.console.window().global::<RequestAdapter>();
        pump::wait_until("the request opens", self.server_wait, || adapter.get_open())?;
        Ok(CalledTicket {
            number: self.text(STEP, "QueuePanel::current-number")?,
            kind: adapter.get_kind_name().to_string(),
        })
    }

    /// Reads the typed-against-chip comparison of the open request.
    pub fn compare(&self) -> Comparison {
        let adapter = self.console.window().global::<RequestAdapter>();
        let rows: Vec<_> = adapter.get_fields().iter().collect();
        let phone = rows
            .iter()
            .find(|row| row.key == FieldKey::Phone)
            .map(|row| row.typed.to_string())
            .unwrap_or_default();
        Comparison {
            chip: adapter.get_chip_status().into(),
            compared: rows
                .iter()
                .filter(|row| !row.typed.is_empty() && !row.chip.is_empty())
                .map(|row| row.key)
                .collect(),
            mismatched: rows
                .iter()
                .filter(|row| row.mismatch)
                .map(|row| row.key)
                .collect(),
            phone,
        }
    }

    /// Ticks «паспорт проверен», confirms, and waits for the outcome.
    pub fn confirm(&self) -> Result<Decision, ScenarioError> {
        const STEP: &str = "confirming";
        self.click(STEP, "RequestPanel::passport-checked")?;
        self.click(STEP, "RequestPanel::confirm")?;
        let adapter = self.console.window().global::<RequestAdapter>();
        pump::wait_until("the decision is shown", self.server_wait, || {
            adapter.get_decision() != DecisionStatus::None
        })?;
        let status = adapter.get_decision();
        Ok(Decision {
            confirmed: status == DecisionStatus::Confirmed,
            queued: status == DecisionStatus::QueuedOffline,
            banner: self.text(STEP, "RequestPanel::decision-result")?,
        })
    }

    /// Ends the visit: «Начать приём» while the ticket is only called, then
    /// «Завершить», and waits until the window is free.
    pub fn finish_visit(&self) -> Result<(), ScenarioError> {
        const STEP: &str = "finishing the visit";
        let queue = self.console.window().global::<QueueAdapter>();
        if queue.get_current_status() == CurrentStatus::Called {
            self.click(STEP, "QueuePanel::start")?;
            pump::wait_until("the visit starts", self.server_wait, || {
                queue.get_current_status() == CurrentStatus::Serving
            })?;
        }
        self.click(STEP, "QueuePanel::done")?;
        pump::wait_until("the window is free", self.server_wait, || {
            queue.get_current_status() == CurrentStatus::None
        })
    }

    /// Waits until `code` (read from the printer) yields the slip's code.
    pub fn wait_for_slip(
        &self,
        mut code: impl FnMut() -> Option<String>,
    ) -> Result<String, ScenarioError> {
        let mut found = None;
        pump::wait_until("the code slip is printed", self.server_wait, || {
            found = code();
            found.is_some()
        })?;
        Ok(found.unwrap_or_default())
    }

    /// Saves the window as a PNG.
    pub fn screenshot(&self, path: &std::path::Path) -> Result<(), super::kiosk::ScreenshotError> {
        super::kiosk::screenshot(self.console.window().window(), path)
    }
}
