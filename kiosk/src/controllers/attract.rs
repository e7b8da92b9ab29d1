//! The attract screen: the center's name and the way in.

use std::rc::Rc;

use slint::ComponentHandle;
use ui::{AttractAdapter, KioskWindow, Page};

use super::Context;

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<AttractAdapter>();
    adapter.set_center_name(context.services.center_name.as_str().into());

    let weak = Rc::downgrade(context);
    adapter.on_start(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        tracing::info!("session started");
        super::show_page(&window, &context, Page::Choose);
    });
}
