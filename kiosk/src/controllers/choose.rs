//! The choice of what the visitor came for.

use std::rc::Rc;

use slint::ComponentHandle;
use ui::{ChoiceAdapter, KioskWindow, Page, Purpose};

use super::Context;

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let weak = Rc::downgrade(context);
    window.global::<ChoiceAdapter>().on_choose(move |purpose| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        context.session.borrow_mut().purpose = Some(purpose);
        tracing::info!(purpose = ?purpose, "purpose chosen");

        // A plain ticket asks for no personal data, so it needs no consent.
        if purpose == Purpose::Ticket {
            super::show_page(&window, &context, Page::Categories);
        } else {
            super::consent::show(&window, &context, false);
        }
    });
}
