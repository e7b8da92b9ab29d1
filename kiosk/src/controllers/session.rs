//! The window-wide controls: the language switch and «В начало».

use std::rc::Rc;

use domain::Lang;
use slint::ComponentHandle;
use ui::{KioskWindow, SessionAdapter, Theme};

use super::Context;

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<SessionAdapter>();
    adapter.set_center_name(context.services.center_name.as_str().into());
    select_language(window, Lang::Ru);

    let weak = Rc::downgrade(context);
    adapter.on_switch_language(move |code| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let lang = if code == "en" { Lang::En } else { Lang::Ru };
        context.session.borrow_mut().lang = lang;
        select_language(&window, lang);
        super::entry::refresh(&window, &context);
        super::token::refresh(&window, &context);
        tracing::info!(language = %code, "language switched");
    });

    let weak = Rc::downgrade(context);
    adapter.on_cancel_session(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        tracing::info!("session cancelled by the visitor");
        super::end_session(&window, &context);
    });
}

/// Switches the bundled translation and the language switch's highlight.
fn select_language(window: &KioskWindow, lang: Lang) {
    let code = match lang {
        Lang::Ru => "ru",
        Lang::En => "en",
    };
    if let Err(err) = slint::select_bundled_translation(code) {
        tracing::error!(language = code, cause = %err, "translation not bundled");
    }
    window.global::<SessionAdapter>().set_language(code.into());
}

/// Returns the window-wide settings to their defaults for the next visitor.
pub(crate) fn wipe(window: &KioskWindow) {
    window.global::<Theme>().set_large_text(false);
    select_language(window, Lang::Ru);
}
