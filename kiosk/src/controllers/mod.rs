//! One controller per screen, each with a `setup` that connects its Slint
//! adapter's callbacks. They share the [`Context`]: the services, the
//! session and the timers.

use std::cell::RefCell;
use std::rc::Rc;

use slint::ComponentHandle;
use ui::{KioskWindow, Page, SessionAdapter};

use crate::app::Services;
use crate::contacts::{ContactConfirmer, ContactInbox};
use crate::session::Session;
use crate::token::{SignatureTokens, TokenInbox};

mod attract;
mod categories;
mod chip;
mod choose;
mod confirm;
mod consent;
mod entry;
mod idle;
mod review;
mod service;
mod session;
mod ticket;
mod token;

pub use idle::{ANSWER_SECONDS, IDLE_AFTER};
pub use ticket::TICKET_SHOWN_SECONDS;

/// State shared by the controllers of one window.
pub(crate) struct Context {
    pub window: slint::Weak<KioskWindow>,
    pub services: Services,
    pub session: RefCell<Session>,
    pub idle: idle::IdleClock,
    pub ticket: ticket::ReturnClock,
    /// Where the current chip read puts the chip's data.
    pub chip_slot: RefCell<crate::chip::ChipSlot>,
    /// The technician PIN typed so far in the service mode.
    pub service_pin: RefCell<String>,
    /// Sends and checks contact codes; `None` skips the code step.
    pub contacts: Option<Rc<dyn ContactConfirmer>>,
    /// The server's responses to contact calls, waiting for the UI thread.
    pub contact_inbox: ContactInbox,
    /// Counts the code's life and the resend wait down on the code step.
    pub confirm_timer: slint::Timer,
    /// Reads signature tokens; `None` hides the token step.
    pub tokens: Option<Rc<dyn SignatureTokens>>,
    /// Events from the token and the server, waiting for the UI thread.
    pub token_inbox: TokenInbox,
    /// The token step of the current visitor, if one is open.
    pub token: RefCell<Option<token::TokenStep>>,
}

/// Wires every controller to `window`; the returned context must live as
/// long as the window.
pub(crate) fn setup(
    window: &KioskWindow,
    services: Services,
    contacts: Option<Rc<dyn ContactConfirmer>>,
    tokens: Option<Rc<dyn SignatureTokens>>,
) -> Rc<Context> {
    let context = Rc::new(Context {
        window: window.as_weak(),
        services,
        session: RefCell::new(Session::default()),
        idle: idle::IdleClock::default(),
        ticket: ticket::ReturnClock::default(),
        chip_slot: RefCell::default(),
        service_pin: RefCell::default(),
        contacts,
        contact_inbox: ContactInbox::default(),
        confirm_timer: slint::Timer::default(),
        tokens,
        token_inbox: TokenInbox::default(),
        token: RefCell::new(None),
    });

    session::setup(window, &context);
    attract::setup(window, &context);
    choose::setup(window, &context);
    categories::setup(window, &context);
    consent::setup(window, &context);
    entry::setup(window, &context);
    confirm::setup(window, &context);
    chip::setup(window, &context);
    review::setup(window, &context);
    ticket::setup(window, &context);
    idle::setup(window, &context);
    service::setup(window, &context);
    token::setup(window, &context);
    context
}

/// Shows `page` and starts or stops the idle clock to match: the attract
/// screen has no session to guard.
pub(crate) fn show_page(window: &KioskWindow, context: &Rc<Context>, page: Page) {
    window.global::<SessionAdapter>().set_page(page);
    if page == Page::Attract {
        idle::stop(window, context);
    } else {
        idle::restart(context);
    }
}

/// Ends the session: every typed value leaves the Rust state and the UI
/// models, the timers stop and the attract screen returns in Russian.
pub(crate) fn end_session(window: &KioskWindow, context: &Rc<Context>) {
    context.session.borrow_mut().wipe();
    context.ticket.stop();
    categories::wipe(window);
    consent::wipe(window);
    entry::wipe(window);
    confirm::wipe(window, context);
    chip::wipe(window);
    review::wipe(window);
    ticket::wipe(window);
    session::wipe(window);
    service::wipe(window, context);
    token::wipe(window, context);
    show_page(window, context, Page::Attract);
    tracing::info!("session ended and wiped");
}
