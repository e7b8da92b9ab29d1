//! The technician's service mode: a long press in a corner opens the PIN
//! pad, and the right PIN shows the device's state with a test print and
//! a card test. Leaving it, or the idle timeout, ends it like a session.
//!
//! What it shows and the checks come from [`crate::service::ServiceMode`];
//! a kiosk without one (the UI tests' stand-ins) ignores the long press.

use std::rc::Rc;

use slint::ComponentHandle;
use ui::{KioskWindow, Page, ServiceAdapter, SessionAdapter};

use super::Context;
use crate::service_pin::PIN_DIGITS;

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<ServiceAdapter>();

    let weak = Rc::downgrade(context);
    adapter.on_open(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        if context.services.service.is_none()
            || window.global::<SessionAdapter>().get_page() == Page::Service
        {
            return;
        }
        // A visitor's session, if any, ends before the technician's starts.
        super::end_session(&window, &context);
        tracing::info!("service mode PIN pad opened");
        super::show_page(&window, &context, Page::Service);
    });

    let weak = Rc::downgrade(context);
    adapter.on_digit(move |digit| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let mut pin = context.service_pin.borrow_mut();
        if pin.len() < *PIN_DIGITS.end() {
            pin.push_str(&digit);
        }
        let adapter = window.global::<ServiceAdapter>();
        adapter.set_pin_length(pin.len() as i32);
        adapter.set_pin_wrong(false);
    });

    let weak = Rc::downgrade(context);
    adapter.on_erase(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let mut pin = context.service_pin.borrow_mut();
        pin.pop();
        window
            .global::<ServiceAdapter>()
            .set_pin_length(pin.len() as i32);
    });

    let weak = Rc::downgrade(context);
    adapter.on_submit(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let Some(service) = context.services.service.clone() else {
            return;
        };
        let pin = std::mem::take(&mut *context.service_pin.borrow_mut());
        let accepted = service.check_pin(&pin);
        let adapter = window.global::<ServiceAdapter>();
        adapter.set_pin_length(0);
        adapter.set_pin_wrong(!accepted);
        if accepted {
            adapter.set_unlocked(true);
            refresh(&window, &context);
        }
    });

    let weak = Rc::downgrade(context);
    adapter.on_test_print(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let Some(service) = context.services.service.clone() else {
            return;
        };
        if !window.global::<ServiceAdapter>().get_unlocked() {
            return;
        }
        let result = service.test_print();
        window
            .global::<ServiceAdapter>()
            .set_test_result(result.into());
        refresh(&window, &context);
    });

    let weak = Rc::downgrade(context);
    adapter.on_card_test(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let Some(service) = context.services.service.clone() else {
            return;
        };
        if !window.global::<ServiceAdapter>().get_unlocked() {
            return;
        }
        let result = service.card_test();
        window
            .global::<ServiceAdapter>()
            .set_test_result(result.into());
        refresh(&window, &context);
    });

    let weak = Rc::downgrade(context);
    adapter.on_close(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        tracing::info!("service mode closed");
        super::end_session(&window, &context);
    });
}

/// Reads the device's state into the screen.
fn refresh(window: &KioskWindow, context: &Rc<Context>) {
    let Some(service) = context.services.service.as_ref() else {
        return;
    };
    let report = service.report();
    let adapter = window.global::<ServiceAdapter>();
    adapter.set_device_id(report.device_id.into());
    adapter.set_server(report.server.into());
    adapter.set_link(report.link.into());
    adapter.set_last_sync(report.last_sync.into());
    adapter.set_outbox_pending(i32::try_from(report.outbox_pending).unwrap_or(i32::MAX));
    adapter.set_outbox_failed(i32::try_from(report.outbox_failed).unwrap_or(i32::MAX));
    adapter.set_printer_status(report.printer.into());
    adapter.set_reader_status(report.reader.into());
}

/// Locks the service mode and clears the typed PIN and the shown values.
pub(crate) fn wipe(window: &KioskWindow, context: &Context) {
    let mut pin = context.service_pin.borrow_mut();
    let mut bytes = std::mem::take(&mut *pin).into_bytes();
    bytes.fill(0);
    std::hint::black_box(&bytes);
    let adapter = window.global::<ServiceAdapter>();
    adapter.set_unlocked(false);
    adapter.set_pin_length(0);
    adapter.set_pin_wrong(false);
    adapter.set_test_result("".into());
    adapter.set_printer_status("".into());
    adapter.set_reader_status("".into());
}
