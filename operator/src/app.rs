//! Builds the console window and its shared state, wires the controllers,
//! and runs the event loop.
//!
//! [`Console::init`] makes a ready window without running anything, so
//! tests drive it through the testing backend; [`Console::run`] shows it,
//! starts the queue worker and blocks until the window closes.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain::clock::Clock;
use domain::ticket::{ServiceCategory, WindowNumber};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use slint::ComponentHandle;
use uuid::Uuid;

use crate::backend::{Backend, QueueSnapshot};
use crate::chip::MrzInterpreter;
use crate::controllers;
use crate::outbox::Outbox;
use crate::printer::{Slip, SlipPrinter};
use crate::qr::QrVerifier;
use crate::session::{Session, SessionTokens};
use crate::ui::{AppAdapter, AppWindow};

/// Console settings that do not come from the server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Prefilled in the login form.
    pub default_window: Option<WindowNumber>,
    /// Services this window calls tickets for.
    pub services: Vec<ServiceCategory>,
    /// Time without input before the screen locks.
    pub idle_lock: SignedDuration,
    /// The center's time zone, for lockout ends and code expiry.
    pub time_zone: TimeZone,
    /// How long one queue long-poll may wait on the server.
    pub poll_wait: Duration,
    /// Pause before the worker tries an unreachable server again.
    pub retry_interval: Duration,
}

/// What the console talks to.
pub struct Deps {
    pub backend: Arc<dyn Backend>,
    pub printer: Arc<dyn SlipPrinter>,
    pub qr: Arc<dyn QrVerifier>,
    pub mrz: Arc<dyn MrzInterpreter>,
    pub outbox: Arc<dyn Outbox>,
    pub clock: Arc<dyn Clock>,
    pub settings: Settings,
}

/// The request open in the request view.
pub(crate) struct OpenRequest {
    pub ticket_id: Uuid,
    pub ticket_number: String,
    pub request: Box<domain::sync::RequestSubmitted>,
}

/// A code slip waiting for the server's code, because its confirm
/// decision was queued offline.
pub(crate) struct AwaitedCode {
    pub ticket_number: String,
    /// The login of the operator who confirmed, printed on the slip.
    pub operator: String,
    pub window: u16,
    pub recovery: bool,
}

/// State shared by the controllers on the UI thread.
pub(crate) struct State {
    pub deps: Deps,
    pub window: slint::Weak<AppWindow>,
    pub session: RefCell<Option<Session>>,
    /// The operators' session tokens, shared with the worker for its pushes.
    pub tokens: Arc<Mutex<SessionTokens>>,
    /// Held during every push, so the UI thread and the worker never send
    /// the same outbox event at once.
    pub delivery: Arc<Mutex<()>>,
    pub queue: RefCell<QueueSnapshot>,
    pub open_request: RefCell<Option<OpenRequest>>,
    /// The last slip, kept for «Напечатать ещё раз» after a printer fault.
    pub last_slip: RefCell<Option<Slip>>,
    pub awaited_codes: RefCell<HashMap<Uuid, AwaitedCode>>,
    pub online: Cell<bool>,
}

impl State {
    pub fn ui(&self) -> AppWindow {
        self.window
            .upgrade()
            .expect("the window lives as long as the console state")
    }

    pub fn now(&self) -> Timestamp {
        self.deps.clock.now()
    }

    /// Formats an instant in the center's time zone as `ЧЧ:ММ`, with the
    /// date in front when it is not today.
    pub fn local_time(&self, instant: Timestamp) -> String {
        let zone = &self.deps.settings.time_zone;
        let at = instant.to_zoned_datetime(zone.clone());
        if at.date() == self.now().to_zoned_datetime(zone.clone()).date() {
            at.strftime("%H:%M").to_string()
        } else {
            at.strftime("%d.%m.%Y %H:%M").to_string()
        }
    }

    /// Shows whether the server answers, and how many events wait for it.
    pub fn set_online(&self, online: bool) {
        if self.online.replace(online) != online {
            tracing::info!(online, "sync server link changed");
        }
        let ui = self.ui();
        ui.global::<AppAdapter>().set_online(online);
        self.show_pending();
    }

    pub fn show_pending(&self) {
        let pending = self.deps.outbox.pending().len();
        self.ui()
            .global::<AppAdapter>()
            .set_pending_events(i32::try_from(pending).unwrap_or(i32::MAX));
    }

    /// Notes operator input, which postpones the inactivity lock.
    pub fn touch(&self) {
        if let Some(session) = self.session.borrow_mut().as_mut() {
            session.last_activity = self.now();
        }
    }
}

thread_local! {
    /// The console state of this UI thread, for closures the worker posts
    /// with `slint::invoke_from_event_loop` (they must be `Send`, so they
    /// cannot carry the `Rc` themselves).
    static CURRENT: RefCell<Weak<State>> = const { RefCell::new(Weak::new()) };
}

/// Runs `action` with the console state of this thread, if a console exists.
pub(crate) fn with_state(action: impl FnOnce(&Rc<State>)) {
    if let Some(state) = CURRENT.with(|current| current.borrow().upgrade()) {
        action(&state);
    }
}

/// The operator console: its window, state and timers.
pub struct Console {
    window: AppWindow,
    state: Rc<State>,
    _tick: slint::Timer,
}

impl Console {
    /// Builds the window in Russian, wires every controller and starts the
    /// one-second tick that locks an idle screen. Runs nothing else.
    pub fn init(deps: Deps) -> Result<Console, slint::PlatformError> {
        let window = AppWindow::new()?;
        if let Err(error) = slint::select_bundled_translation("ru") {
            tracing::warn!(cause = %error, "the Russian translation is missing; the console shows English");
        }

        let state = Rc::new(State {
            deps,
            window: window.as_weak(),
            session: RefCell::new(None),
            tokens: Arc::new(Mutex::new(SessionTokens::default())),
            delivery: Arc::new(Mutex::new(())),
            queue: RefCell::new(QueueSnapshot::default()),
            open_request: RefCell::new(None),
            last_slip: RefCell::new(None),
            awaited_codes: RefCell::new(HashMap::new()),
            online: Cell::new(true),
        });
        CURRENT.with(|current| *current.borrow_mut() = Rc::downgrade(&state));

        controllers::login::setup(&window, &state);
        controllers::queue::setup(&window, &state);
        controllers::request::setup(&window, &state);

        let tick = slint::Timer::default();
        let weak = Rc::downgrade(&state);
        tick.start(
            slint::TimerMode::Repeated,
            Duration::from_secs(1),
            move || {
                if let Some(state) = weak.upgrade() {
                    controllers::login::tick(&state);
                }
            },
        );

        Ok(Console {
            window,
            state,
            _tick: tick,
        })
    }

    /// Returns the window, for tests and screenshots.
    pub fn window(&self) -> &AppWindow {
        &self.window
    }

    /// Does what the one-second timer does: locks an idle screen, ends an
    /// expired session and refreshes waiting times.
    pub fn tick(&self) {
        controllers::login::tick(&self.state);
    }

    /// Shows a queue the server sent, as the worker does.
    pub fn apply_queue(&self, snapshot: QueueSnapshot) {
        controllers::queue::apply_snapshot(&self.state, snapshot);
    }

    /// Shows the window, starts the queue worker and runs the event loop
    /// until the window closes. The worker thread is left to end with the
    /// process; undelivered events stay in the outbox.
    pub fn run(self) -> Result<(), slint::PlatformError> {
        let _worker = crate::worker::start(&self);
        self.window.run()
    }

    pub(crate) fn state(&self) -> &Rc<State> {
        &self.state
    }
}
