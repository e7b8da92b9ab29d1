//! The review screen: every value formatted by its rule, each editable,
//! and the confirmation that issues the ticket.

use std::rc::Rc;

use slint::{ComponentHandle, Model, ModelRc, VecModel};
use ui::{ChipState, KioskWindow, Page, Purpose, ReviewAdapter, ReviewRow};

use super::Context;
use crate::fields::domain_field;
use crate::issue::{IssueError, VisitPurpose, VisitRequest};
use crate::session::STEPS;

pub(crate) fn setup(window: &KioskWindow, context: &Rc<Context>) {
    let adapter = window.global::<ReviewAdapter>();

    let weak = Rc::downgrade(context);
    adapter.on_edit(move |index| {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let rows = window.global::<ReviewAdapter>().get_rows();
        let Some(row) = usize::try_from(index)
            .ok()
            .and_then(|index| rows.row_data(index))
        else {
            return;
        };
        super::entry::edit(&window, &context, row.kind);
    });

    let weak = Rc::downgrade(context);
    adapter.on_confirm(move || {
        let Some(context) = weak.upgrade() else {
            return;
        };
        let Some(window) = context.window.upgrade() else {
            return;
        };
        let request = build_request(&context);
        match super::ticket::issue(&window, &context, request) {
            Ok(()) => {}
            Err(err) => {
                tracing::error!(cause = %err, "request not issued");
                let adapter = window.global::<ReviewAdapter>();
                adapter.set_no_numbers(matches!(err, IssueError::NoNumbers { .. }));
                adapter.set_issue_failed(true);
            }
        }
    });
}

/// Shows every value as its rule formats it.
pub(crate) fn show(window: &KioskWindow, context: &Rc<Context>) {
    let rows: Vec<ReviewRow> = formatted_values(context)
        .into_iter()
        .map(|(kind, value, step)| ReviewRow {
            kind,
            value: value.into(),
            step_index: step as i32,
        })
        .collect();
    let session = context.session.borrow();
    let adapter = window.global::<ReviewAdapter>();
    adapter.set_purpose(session.purpose());
    adapter.set_rows(ModelRc::new(VecModel::from(rows)));
    adapter.set_chip(if session.chip_read {
        ChipState::Success
    } else {
        ChipState::Ready
    });
    adapter.set_issue_failed(false);
    adapter.set_no_numbers(false);
    drop(session);
    super::show_page(window, context, Page::Review);
}

/// Every field of every step with its formatted value (empty when an
/// optional field was left empty) and its step index.
fn formatted_values(context: &Context) -> Vec<(ui::FieldKind, String, usize)> {
    let session = context.session.borrow();
    let mut values = Vec::new();
    for (step, (_, kinds)) in STEPS.iter().enumerate() {
        for kind in kinds.iter().copied() {
            let field = domain_field(kind);
            let raw = session.values.get(&field).map(String::as_str).unwrap_or("");
            // Every value passed its rule before «Далее» let the visitor
            // on, so an error here means the rules changed mid-session; the
            // raw value is shown rather than hidden.
            let shown = if raw.is_empty() {
                String::new()
            } else {
                context
                    .services
                    .rules
                    .check(field, raw, &session.values)
                    .unwrap_or_else(|_| raw.to_owned())
            };
            values.push((kind, shown, step));
        }
    }
    values
}

fn build_request(context: &Context) -> VisitRequest {
    let values = formatted_values(context)
        .into_iter()
        .filter(|(_, value, _)| !value.is_empty())
        .map(|(kind, value, _)| (domain_field(kind), value))
        .collect();
    let session = context.session.borrow();
    let purpose = match session.purpose() {
        Purpose::Register => VisitPurpose::Register,
        Purpose::RestoreAccess => VisitPurpose::RestoreAccess,
        _ => VisitPurpose::ConfirmIdentity,
    };
    VisitRequest {
        purpose,
        values,
        chip_read: session.chip_read,
        chip: session.chip.clone(),
        request_id: session.request_id,
    }
}

pub(crate) fn wipe(window: &KioskWindow) {
    let adapter = window.global::<ReviewAdapter>();
    adapter.set_rows(ModelRc::default());
    adapter.set_chip(ChipState::Ready);
    adapter.set_issue_failed(false);
    adapter.set_no_numbers(false);
}
