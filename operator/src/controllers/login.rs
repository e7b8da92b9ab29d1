//! Login, logout, the inactivity lock and session expiry.

use std::rc::Rc;
use std::sync::PoisonError;

use domain::ticket::WindowNumber;
use slint::ComponentHandle;

use crate::app::State;
use crate::backend::LoginError;
use crate::controllers::{queue, request};
use crate::session::Session;
use crate::ui::{AppAdapter, AppWindow, LockAdapter, LoginAdapter, LoginStatus, Page};

/// Connects the login, lock and header callbacks.
pub(crate) fn setup(window: &AppWindow, state: &Rc<State>) {
    let login = window.global::<LoginAdapter>();
    if let Some(default) = state.deps.settings.default_window {
        login.set_default_window(default.get().to_string().into());
    }

    let weak = Rc::downgrade(state);
    login.on_log_in(move |login, password, window| {
        if let Some(state) = weak.upgrade() {
            log_in(&state, &login, &password, &window);
        }
    });

    let weak = Rc::downgrade(state);
    window.global::<LockAdapter>().on_unlock(move |password| {
        if let Some(state) = weak.upgrade() {
            unlock(&state, &password);
        }
    });

    let app = window.global::<AppAdapter>();
    let weak = Rc::downgrade(state);
    app.on_log_out(move || {
        if let Some(state) = weak.upgrade() {
            log_out(&state, LoginStatus::LoggedOut);
        }
    });
    let weak = Rc::downgrade(state);
    app.on_activity(move || {
        if let Some(state) = weak.upgrade() {
            state.touch();
        }
    });
}

/// Parses the window number typed at login: 1 to 999.
fn parse_window(text: &str) -> Option<WindowNumber> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|number| *number <= 999)
        .and_then(WindowNumber::new)
}

fn log_in(state: &State, login: &str, password: &str, window_text: &str) {
    let ui = state.ui();
    let adapter = ui.global::<LoginAdapter>();
    let Some(window) = parse_window(window_text) else {
        adapter.set_status(LoginStatus::BadWindow);
        return;
    };
    let login = login.trim();

    match state.deps.backend.log_in(login, password) {
        Ok(grant) => {
            tracing::info!(window = window.get(), "operator logged in");
            state
                .tokens
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .log_in(login, &grant);
            *state.session.borrow_mut() =
                Some(Session::new(login, password, window, grant, state.now()));
            adapter.set_status(LoginStatus::Idle);
            let app = ui.global::<AppAdapter>();
            app.set_operator_login(login.into());
            app.set_window_number(window.get().to_string().into());
            app.set_page(Page::Work);
            state.set_online(true);
            queue::render(state);
            request::render(state);
            ui.invoke_focus_scanner();
        }
        Err(LoginError::WrongCredentials) => {
            tracing::info!("login rejected: wrong credentials");
            adapter.set_status(LoginStatus::WrongCredentials);
        }
        Err(LoginError::LockedOut { until }) => {
            tracing::info!(%until, "login rejected: operator locked out");
            adapter.set_locked_until(state.local_time(until).into());
            adapter.set_status(LoginStatus::LockedOut);
        }
        Err(LoginError::Unreachable) => {
            tracing::warn!("login failed: sync server unreachable");
            adapter.set_status(LoginStatus::Unreachable);
        }
        Err(LoginError::Refused { message }) => {
            tracing::info!("login rejected by the server");
            adapter.set_refusal(message.into());
            adapter.set_status(LoginStatus::Refused);
        }
    }
}

fn unlock(state: &State, password: &str) {
    let ui = state.ui();
    let matches = state
        .session
        .borrow()
        .as_ref()
        .is_some_and(|session| session.password_matches(password));
    ui.global::<LockAdapter>().set_wrong_password(!matches);
    if !matches {
        tracing::info!("unlock rejected: wrong password");
        return;
    }
    if let Some(session) = state.session.borrow_mut().as_mut() {
        session.locked = false;
        session.last_activity = state.now();
    }
    ui.global::<AppAdapter>().set_page(Page::Work);
    ui.invoke_focus_scanner();
}

/// Ends the session and returns to the login page with `status`.
pub(crate) fn log_out(state: &State, status: LoginStatus) {
    if state.session.borrow_mut().take().is_some() {
        tracing::info!(reason = ?status, "operator session ended");
    }
    // The token stays for the operator's events still in the outbox, which
    // the worker sends in this operator's session.
    state
        .tokens
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .log_out();
    *state.open_request.borrow_mut() = None;
    let ui = state.ui();
    ui.global::<LockAdapter>().set_wrong_password(false);
    ui.global::<LoginAdapter>().set_status(status);
    ui.global::<AppAdapter>().set_page(Page::Login);
    request::render(state);
}

/// Locks an idle screen, ends an expired session and refreshes waiting
/// times; called every second.
pub(crate) fn tick(state: &State) {
    let now = state.now();
    let (expired, lock) = match state.session.borrow().as_ref() {
        None => return,
        Some(session) => (
            session.expired(now),
            !session.locked && session.idle_for(state.deps.settings.idle_lock, now),
        ),
    };
    if expired {
        log_out(state, LoginStatus::SessionExpired);
        return;
    }
    if lock {
        if let Some(session) = state.session.borrow_mut().as_mut() {
            session.locked = true;
        }
        tracing::info!("screen locked after inactivity");
        let ui = state.ui();
        ui.global::<LockAdapter>().set_wrong_password(false);
        ui.global::<AppAdapter>().set_page(Page::Locked);
    }
    queue::render(state);
}
