//! Consent to personal-data processing, the gate before data entry.

use std::rc::Rc;

use slint::ComponentHandle;
use ui::{ConsentAdapter, KioskWindow};

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
        tracing::info!("consent given");
        super::entry::start(&window, &context);
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

pub(crate) fn wipe(window: &KioskWindow) {
    window.global::<ConsentAdapter>().set_agreed(false);
}
