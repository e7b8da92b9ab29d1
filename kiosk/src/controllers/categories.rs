//! The plain ticket's service category; choosing one issues the ticket.
//! Every plain service queues in the center's «Другие услуги» category.

use std::rc::Rc;

use slint::ComponentHandle;
use ui::{CategoryAdapter, KioskWindow, TicketCategory};

use super::Context;
use crate::issue::{IssueError, PlainService, VisitPurpose, VisitRequest};

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let weak = Rc::downgrade(context);
    window
        .global::<CategoryAdapter>()
        .on_choose(move |category| {
            let Some(context) = weak.upgrade() else {
                return;
            };
            let Some(window) = context.window.upgrade() else {
                return;
            };
            context.session.borrow_mut().category = Some(category);
            let request = VisitRequest {
                purpose: VisitPurpose::Ticket(plain_service(category)),
                values: Vec::new(),
                chip_read: false,
                chip: None,
                request_id: None,
            };
            match super::ticket::issue(&window, &context, request) {
                Ok(()) => window.global::<CategoryAdapter>().set_no_numbers(false),
                Err(IssueError::NoNumbers { category }) => {
                    // The visitor may try again once the server leases more.
                    tracing::warn!(
                        category = category.code(),
                        "plain ticket not issued: no numbers left"
                    );
                    window.global::<CategoryAdapter>().set_no_numbers(true);
                }
                Err(err) => {
                    // Nothing on this screen can help; the visitor starts over.
                    tracing::error!(cause = %err, "plain ticket not issued");
                    super::end_session(&window, &context);
                }
            }
        });
}

fn plain_service(category: TicketCategory) -> PlainService {
    match category {
        TicketCategory::Passport => PlainService::Passport,
        TicketCategory::Property => PlainService::Property,
        TicketCategory::Social => PlainService::Social,
        TicketCategory::Other => PlainService::Other,
    }
}

pub(crate) fn wipe(window: &KioskWindow) {
    window.global::<CategoryAdapter>().set_no_numbers(false);
}
