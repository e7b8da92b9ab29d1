//! Issuing the ticket and the ticket screen, which returns to the attract
//! screen by itself and wipes the session.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use slint::{ComponentHandle, Image, Timer, TimerMode};
use ui::{KioskWindow, Page, TicketAdapter};

use super::Context;
use crate::issue::{IssueError, VisitRequest};

/// How long the ticket screen stays before the session ends by itself.
pub const TICKET_SHOWN_SECONDS: u32 = 20;

/// The ticket screen's countdown back to the attract screen.
#[derive(Default)]
pub(crate) struct ReturnClock {
    timer: Timer,
    seconds_left: Cell<u32>,
}

impl ReturnClock {
    pub fn stop(&self) {
        self.timer.stop();
    }
}

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let weak = Rc::downgrade(context);
    window.global::<TicketAdapter>().on_finish(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        super::end_session(&window, &context);
    });
}

/// Hands `request` to the issuer and shows the ticket it returns.
pub(crate) fn issue(
    window: &KioskWindow,
    context: &Rc<Context>,
    request: VisitRequest,
) -> Result<(), IssueError> {
    let ticket = context.services.issuer.issue(request)?;
    tracing::info!(number = %ticket.number, printed = ticket.printed, "ticket issued");

    let qr = match crate::qr::render(&ticket.qr_text) {
        Ok(image) => image,
        Err(err) => {
            // The number alone still gets the visitor served.
            tracing::error!(number = %ticket.number, cause = %err, "ticket QR not rendered");
            Image::default()
        }
    };
    let adapter = window.global::<TicketAdapter>();
    adapter.set_number(ticket.number.into());
    adapter.set_qr(qr);
    adapter.set_wait_minutes(i32::try_from(ticket.wait_minutes).unwrap_or(i32::MAX));
    adapter.set_printed(ticket.printed);
    adapter.set_seconds_left(TICKET_SHOWN_SECONDS as i32);
    super::show_page(window, context, Page::Ticket);
    start_return(context);
    Ok(())
}

fn start_return(context: &Rc<Context>) {
    context.ticket.seconds_left.set(TICKET_SHOWN_SECONDS);
    let weak = Rc::downgrade(context);
    context
        .ticket
        .timer
        .start(TimerMode::Repeated, Duration::from_secs(1), move || {
            let Some(context) = weak.upgrade() else {
                return;
            };
            let Some(window) = context.window.upgrade() else {
                return;
            };
            let left = context.ticket.seconds_left.get().saturating_sub(1);
            context.ticket.seconds_left.set(left);
            window
                .global::<TicketAdapter>()
                .set_seconds_left(left as i32);
            if left == 0 {
                super::end_session(&window, &context);
            }
        });
}

pub(crate) fn wipe(window: &KioskWindow) {
    let adapter = window.global::<TicketAdapter>();
    adapter.set_number("".into());
    adapter.set_qr(Image::default());
    adapter.set_wait_minutes(0);
    adapter.set_printed(true);
}
