//! Consent to personal-data processing, the gate before data entry and
//! before the signature token step reads a certificate.

use std::rc::Rc;

use slint::ComponentHandle;
use ui::{ConsentAdapter, KioskWindow, Page};

use super::Context;

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<ConsentAdapter>();

    let weak = Rc::downgrade(context);
    adapter.on_accept(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        // The button is disabled until the box is ticked; check anyway, as
        // accessibility actions reach callbacks directly.
        if !window.global::<ConsentAdapter>().get_agreed() {
            return;
        }
        let signature = context.session.borrow().signature;
        tracing::info!(signature, "consent given");
        if signature {
            super::token::start(&window, &context);
        } else {
            super::entry::start(&window, &context);
        }
    });

    let weak = Rc::downgrade(context);
    adapter.on_decline(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        tracing::info!("consent declined");
        super::end_session(&window, &context);
    });
}

/// Shows the consent page; `signature` selects the text about the
/// certificate's data and the token step as the page's next step.
pub(crate) fn show(window: &KioskWindow, context: &Rc<Context>, signature: bool) {
    context.session.borrow_mut().signature = signature;
    let adapter = window.global::<ConsentAdapter>();
    adapter.set_signature(signature);
    adapter.set_agreed(false);
    super::show_page(window, context, Page::Consent);
}

pub(crate) fn wipe(window: &KioskWindow) {
    let adapter = window.global::<ConsentAdapter>();
    adapter.set_agreed(false);
    adapter.set_signature(false);
}
