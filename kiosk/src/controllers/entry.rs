//! Data entry in short steps. Every key press lands here: the value is
//! updated in the session, checked against its domain rule, and the field
//! goes back to the screen with the rule's message under it.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, VecModel};
use ui::{EntryAdapter, FieldKind, FieldView, KioskWindow, Page};

use super::Context;
use crate::fields::{domain_field, is_name};
use crate::session::{is_optional, MAX_INPUT_CHARS, STEPS};

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<EntryAdapter>();
    adapter.set_step_count(STEPS.len() as i32);

    let weak = Rc::downgrade(context);
    adapter.on_select_field(move |index| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let step = context.session.borrow().step;
        if let Ok(index) = usize::try_from(index) {
            if index < STEPS[step].1.len() {
                context.session.borrow_mut().active = index;
            }
        }
        refresh(&window, &context);
    });

    let weak = Rc::downgrade(context);
    adapter.on_type_text(move |text| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        edit_active(&context, |kind, value| {
            if value.chars().count() >= MAX_INPUT_CHARS {
                return;
            }
            let starts_word = value.is_empty() || value.ends_with([' ', '-']);
            if is_name(kind) && starts_word {
                value.extend(text.chars().flat_map(char::to_uppercase));
            } else {
                value.push_str(&text);
            }
        });
        refresh(&window, &context);
    });

    let weak = Rc::downgrade(context);
    adapter.on_erase(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        edit_active(&context, |_, value| {
            value.pop();
        });
        refresh(&window, &context);
    });

    let weak = Rc::downgrade(context);
    adapter.on_next(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        if !step_complete(&context) {
            return;
        }
        let mut session = context.session.borrow_mut();
        tracing::info!(step = session.step + 1, "entry step completed");
        if !session.return_to_review && session.step + 1 < STEPS.len() {
            session.step += 1;
            session.active = 0;
            drop(session);
            refresh(&window, &context);
        } else {
            drop(session);
            // Any change to the phone or e-mail needs a new code before
            // the visitor goes on.
            super::confirm::start(&window, &context);
        }
    });

    let weak = Rc::downgrade(context);
    adapter.on_back(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let mut session = context.session.borrow_mut();
        if session.return_to_review {
            session.return_to_review = false;
            drop(session);
            super::review::show(&window, &context);
        } else if session.step > 0 {
            session.step -= 1;
            session.active = 0;
            drop(session);
            refresh(&window, &context);
        } else {
            drop(session);
            super::show_page(&window, &context, Page::Consent);
        }
    });
}

/// Opens the first step for a new session.
pub(crate) fn start(window: &KioskWindow, context: &Rc<Context>) {
    {
        let mut session = context.session.borrow_mut();
        session.step = 0;
        session.active = 0;
        session.return_to_review = false;
    }
    open(window, context);
}

/// Leaves data entry once every contact is confirmed: back to the review
/// when the visitor came from there, else to the chip step or the review.
pub(crate) fn finish(window: &KioskWindow, context: &Rc<Context>) {
    let mut session = context.session.borrow_mut();
    if session.return_to_review {
        session.return_to_review = false;
        drop(session);
        super::review::show(window, context);
    } else if context.services.chip.available() {
        drop(session);
        super::chip::show(window, context);
    } else {
        // No reader configured: no chip step to offer.
        drop(session);
        super::review::show(window, context);
    }
}

/// Opens the step holding `kind` with that field active, so the visitor
/// can correct a contact the code step could not confirm.
pub(crate) fn correct(window: &KioskWindow, context: &Rc<Context>, kind: FieldKind) {
    let Some((step, active)) = locate(kind) else {
        return;
    };
    {
        let mut session = context.session.borrow_mut();
        session.step = step;
        session.active = active;
    }
    open(window, context);
}

/// Opens the step holding `kind` with that field active, to change it
/// from the review screen.
pub(crate) fn edit(window: &KioskWindow, context: &Rc<Context>, kind: FieldKind) {
    let Some((step, active)) = locate(kind) else {
        return;
    };
    {
        let mut session = context.session.borrow_mut();
        session.step = step;
        session.active = active;
        session.return_to_review = true;
    }
    open(window, context);
}

fn open(window: &KioskWindow, context: &Rc<Context>) {
    refresh(window, context);
    super::show_page(window, context, Page::Entry);
}

/// Returns the step index and the position in that step of `kind`.
pub(crate) fn locate(kind: FieldKind) -> Option<(usize, usize)> {
    STEPS.iter().enumerate().find_map(|(step, (_, kinds))| {
        kinds
            .iter()
            .position(|candidate| *candidate == kind)
            .map(|position| (step, position))
    })
}

fn edit_active(context: &Context, change: impl FnOnce(FieldKind, &mut String)) {
    let mut session = context.session.borrow_mut();
    let kind = STEPS[session.step].1[session.active];
    let value = session.values.entry(domain_field(kind)).or_default();
    change(kind, value);
}

/// Checks one field of the current session. A field is valid when its
/// rule accepts it, or when it is empty and optional. An empty required
/// field carries no message: the hint under it says what to type.
fn field_view(context: &Context, kind: FieldKind) -> FieldView {
    let session = context.session.borrow();
    let optional = is_optional(kind, session.purpose());
    let value = session
        .values
        .get(&domain_field(kind))
        .cloned()
        .unwrap_or_default();

    let (valid, error) = if value.is_empty() {
        (optional, String::new())
    } else {
        match context
            .services
            .rules
            .check(domain_field(kind), &value, &session.values)
        {
            Ok(_) => (true, String::new()),
            Err(err) => (false, err.message(session.lang).to_owned()),
        }
    };
    FieldView {
        kind,
        value: value.into(),
        error: error.into(),
        optional,
        valid,
    }
}

fn step_complete(context: &Context) -> bool {
    let step = context.session.borrow().step;
    STEPS[step]
        .1
        .iter()
        .all(|kind| field_view(context, *kind).valid)
}

/// Sends the current step's fields, checked, to the screen.
pub(crate) fn refresh(window: &KioskWindow, context: &Rc<Context>) {
    let (step, active) = {
        let session = context.session.borrow();
        (session.step, session.active)
    };
    let (entry_step, kinds) = STEPS[step];
    let views: Vec<FieldView> = kinds
        .iter()
        .map(|kind| field_view(context, *kind))
        .collect();
    let complete = views.iter().all(|view| view.valid);

    let adapter = window.global::<EntryAdapter>();
    adapter.set_step(entry_step);
    adapter.set_step_number(step as i32 + 1);
    adapter.set_fields(ModelRc::new(VecModel::from(views)));
    adapter.set_active_field(active as i32);
    adapter.set_can_continue(complete);
}

pub(crate) fn wipe(window: &KioskWindow) {
    let adapter = window.global::<EntryAdapter>();
    adapter.set_fields(ModelRc::default());
    adapter.set_active_field(0);
    adapter.set_can_continue(false);
}
