//! The optional chip step: takes the biometric passport's number and expiry
//! date on a small form checked by the `domain` rules, requests a read from
//! the card layer with them and the typed date of birth, and shows what
//! came back. A successful read keeps the typed number and expiry date with
//! the chip's data, for the operator's comparison.

use std::rc::Rc;
use std::sync::PoisonError;

use domain::travel_passport::{self, NUMBER_DIGITS};
use domain::Field;
use slint::ComponentHandle;
use ui::{ChipAdapter, ChipFailure, ChipState, KioskWindow, Page};

use super::Context;
use crate::chip::{ChipKeys, ChipReply, ChipSlot, TypedAccess};

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<ChipAdapter>();

    let weak = Rc::downgrade(context);
    adapter.on_read(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let adapter = window.global::<ChipAdapter>();
        let lang = context.session.borrow().lang;
        let number = adapter.get_number().to_string();
        let expiry = adapter.get_expiry().to_string();
        let number_check = travel_passport::parse_number(&number);
        let expiry_check = travel_passport::parse_expiry(&expiry, context.services.rules.today());
        let message = |check: Option<travel_passport::TravelPassportError>| {
            check.map(|err| err.message(lang)).unwrap_or_default()
        };
        adapter.set_number_error(message(number_check.as_ref().err().copied()).into());
        adapter.set_expiry_error(message(expiry_check.as_ref().err().copied()).into());
        let (Ok(number), Ok(expiry_date)) = (number_check, expiry_check) else {
            tracing::info!("chip read not started: the access form is invalid");
            return;
        };
        let typed = TypedAccess {
            document_number: number.clone(),
            expiry_date,
        };
        let keys = {
            let session = context.session.borrow();
            ChipKeys {
                document_number: number,
                birth_date: session
                    .values
                    .get(&Field::BirthDate)
                    .cloned()
                    .unwrap_or_default(),
                expiry_date: expiry,
            }
        };
        // A fresh slot per read, so a late reply to an earlier read never
        // lands in this session.
        let slot = ChipSlot::default();
        *context.chip_slot.borrow_mut() = slot.clone();
        adapter.set_state(ChipState::Reading);
        adapter.set_failure(ChipFailure::None);
        tracing::info!("chip read requested");
        context
            .services
            .chip
            .read(keys, ChipReply::new(window.as_weak(), slot, typed));
    });

    let weak = Rc::downgrade(context);
    adapter.on_read_finished(move |state, failure| {
        let Some(context) = weak.upgrade() else { return };
        let Some(window) = context.window.upgrade() else { return };
        let adapter = window.global::<ChipAdapter>();
        // A reply that arrives after the visitor moved on or left is stale.
        if adapter.get_state() != ChipState::Reading {
            return;
        }
        adapter.set_state(state);
        adapter.set_failure(failure);
        let success = state == ChipState::Success;
        let result = if success {
            context
                .chip_slot
                .borrow()
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
        } else {
            None
        };
        let mut session = context.session.borrow_mut();
        session.chip_read = success;
        session.chip = result;
        drop(session);
        tracing::info!(outcome = ?failure, success = (state == ChipState::Success), "chip read finished");
    });

    let weak = Rc::downgrade(context);
    adapter.on_select_field(move |index| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        window
            .global::<ChipAdapter>()
            .set_active_field(index.clamp(0, 1));
    });

    let weak = Rc::downgrade(context);
    adapter.on_type_text(move |text| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        edit(&window, &context, |active, value| {
            // The number takes digits only and the date digits and dots,
            // up to their full length; other keys do nothing here.
            let (allowed, limit) = if active == 0 {
                (text.chars().all(|c| c.is_ascii_digit()), NUMBER_DIGITS)
            } else {
                (text.chars().all(|c| c.is_ascii_digit() || c == '.'), 10)
            };
            if allowed && value.chars().count() + text.chars().count() <= limit {
                value.push_str(&text);
            }
        });
    });

    let weak = Rc::downgrade(context);
    adapter.on_erase(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        edit(&window, &context, |_, value| {
            value.pop();
        });
    });

    let weak = Rc::downgrade(context);
    adapter.on_skip(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let mut session = context.session.borrow_mut();
        session.chip_read = false;
        session.chip = None;
        drop(session);
        window.global::<ChipAdapter>().set_state(ChipState::Ready);
        super::review::show(&window, &context);
    });

    let weak = Rc::downgrade(context);
    adapter.on_proceed(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        super::review::show(&window, &context);
    });
}

/// Opens the chip step, ready for a read.
pub(crate) fn show(window: &KioskWindow, context: &Rc<Context>) {
    wipe(window);
    let mut session = context.session.borrow_mut();
    session.chip_read = false;
    session.chip = None;
    drop(session);
    super::show_page(window, context, Page::Chip);
}

pub(crate) fn wipe(window: &KioskWindow) {
    let adapter = window.global::<ChipAdapter>();
    adapter.set_state(ChipState::Ready);
    adapter.set_failure(ChipFailure::None);
    adapter.set_number("".into());
    adapter.set_expiry("".into());
    adapter.set_number_error("".into());
    adapter.set_expiry_error("".into());
    adapter.set_active_field(0);
}

/// Changes the active form value with `change`, then checks it: a value at
/// its full length gets its rule's message at once, a shorter one clears
/// the message until «Прочитать чип» checks the whole form.
fn edit(window: &KioskWindow, context: &Context, change: impl FnOnce(i32, &mut String)) {
    let adapter = window.global::<ChipAdapter>();
    let lang = context.session.borrow().lang;
    let active = adapter.get_active_field();
    if active == 0 {
        let mut value = adapter.get_number().to_string();
        change(active, &mut value);
        let error = if value.len() == NUMBER_DIGITS {
            travel_passport::parse_number(&value).err()
        } else {
            None
        };
        adapter.set_number_error(
            error
                .map(|err| err.message(lang))
                .unwrap_or_default()
                .into(),
        );
        adapter.set_number(value.into());
    } else {
        let mut value = adapter.get_expiry().to_string();
        change(active, &mut value);
        let error = if value.len() == 10 {
            travel_passport::parse_expiry(&value, context.services.rules.today()).err()
        } else {
            None
        };
        adapter.set_expiry_error(
            error
                .map(|err| err.message(lang))
                .unwrap_or_default()
                .into(),
        );
        adapter.set_expiry(value.into());
    }
}
