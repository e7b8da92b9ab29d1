//! The plain ticket's service category; choosing one issues the ticket.

use std::rc::Rc;

use slint::ComponentHandle;
use ui::{CategoryAdapter, KioskWindow, TicketCategory};

use super::Context;
use crate::issue::{ServiceCategory, VisitPurpose, VisitRequest};

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
                purpose: VisitPurpose::Ticket(service_category(category)),
                values: Vec::new(),
                chip_read: false,
            };
            if let Err(err) = super::ticket::issue(&window, &context, request) {
                // Nothing on this screen can help; the visitor starts over.
                tracing::error!(cause = %err, "plain ticket not issued");
                super::end_session(&window, &context);
            }
        });
}

fn service_category(category: TicketCategory) -> ServiceCategory {
    match category {
        TicketCategory::Passport => ServiceCategory::Passport,
        TicketCategory::Property => ServiceCategory::Property,
        TicketCategory::Social => ServiceCategory::Social,
        TicketCategory::Other => ServiceCategory::Other,
    }
}
