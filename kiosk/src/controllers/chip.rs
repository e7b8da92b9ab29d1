//! The optional chip step: asks the card layer for a read with the typed
//! passport number and date of birth, and shows what came back.

use std::rc::Rc;
use std::sync::PoisonError;

use domain::Field;
use slint::ComponentHandle;
use ui::{ChipAdapter, ChipFailure, ChipState, KioskWindow, Page};

use super::Context;
use crate::chip::{ChipKeys, ChipReply, ChipSlot};

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
        let keys = {
            let session = context.session.borrow();
            let value = |field| session.values.get(&field).cloned().unwrap_or_default();
            ChipKeys {
                document_number: value(Field::PassportNumber),
                birth_date: value(Field::BirthDate),
            }
        };
        // A fresh slot per read, so a late answer to an earlier read never
        // lands in this session.
        let slot = ChipSlot::default();
        *context.chip_slot.borrow_mut() = slot.clone();
        let adapter = window.global::<ChipAdapter>();
        adapter.set_state(ChipState::Reading);
        adapter.set_failure(ChipFailure::None);
        tracing::info!("chip read requested");
        context
            .services
            .chip
            .read(keys, ChipReply::new(window.as_weak(), slot));
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
}
