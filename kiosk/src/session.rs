//! One visitor's session: what they came for, where they are in the steps,
//! and every value typed so far. Wiped as a whole when the session ends.

use std::collections::HashMap;

use domain::sync::ContactKind;
use domain::{Field, Lang};
use ui::{EntryStep, FieldKind, Purpose, TicketCategory};

/// The data entry steps, in order, with their fields.
pub(crate) const STEPS: &[(EntryStep, &[FieldKind])] = &[
    (
        EntryStep::Name,
        &[
            FieldKind::Surname,
            FieldKind::GivenName,
            FieldKind::Patronymic,
        ],
    ),
    (EntryStep::BirthDate, &[FieldKind::BirthDate]),
    (
        EntryStep::Passport,
        &[
            FieldKind::PassportNumber,
            FieldKind::PassportIssueDate,
            FieldKind::DivisionCode,
            FieldKind::PassportIssuer,
        ],
    ),
    (EntryStep::Snils, &[FieldKind::Snils]),
    (EntryStep::Contacts, &[FieldKind::Phone, FieldKind::Email]),
];

/// Longest value a field accepts from the keyboard; longer than any real
/// name or address, short enough to stay on one line.
pub(crate) const MAX_INPUT_CHARS: usize = 60;

/// Whether `kind` may stay empty when the visitor came for `purpose`.
///
/// Registration and restoring access send a code to the phone, so they
/// need it; confirming an existing account does not.
pub(crate) fn is_optional(kind: FieldKind, purpose: Purpose) -> bool {
    match kind {
        FieldKind::Patronymic | FieldKind::Email => true,
        FieldKind::Phone => purpose == Purpose::ConfirmIdentity,
        _ => false,
    }
}

#[derive(Default)]
pub(crate) struct Session {
    pub purpose: Option<Purpose>,
    /// True when the visitor chose to confirm the identity with a
    /// signature token, so the consent page leads to the token step.
    pub signature: bool,
    pub category: Option<TicketCategory>,
    /// Raw values as typed, by field; personal data.
    pub values: HashMap<Field, String>,
    pub step: usize,
    pub active: usize,
    /// Set when the visitor edits from the review screen, so «Далее»
    /// returns there.
    pub return_to_review: bool,
    pub chip_read: bool,
    /// What the chip gave, when it was read; personal data.
    pub chip: Option<domain::sync::ChipResult>,
    pub lang: Lang,
    /// The id the registration request is submitted under; the server
    /// binds the contact codes to it.
    pub request_id: Option<uuid::Uuid>,
    /// Contacts confirmed by a code, normalised as the server stores them
    /// (`+7XXXXXXXXXX`, the address); personal data.
    pub confirmed: Vec<(ContactKind, String)>,
    /// The code step on show, if any; personal data.
    pub confirm: Option<ConfirmStep>,
}

/// One contact being confirmed by a code.
pub(crate) struct ConfirmStep {
    pub contact: ContactKind,
    /// Normalised as the server stores it.
    pub value: String,
    /// The digits typed so far.
    pub code: String,
    /// True once the server accepted a code for this contact, so a new one
    /// is a resend.
    pub sent: bool,
    /// Seconds until the code expires and until a resend is allowed,
    /// counted down by the step's timer.
    pub seconds_left: u32,
    pub resend_in: u32,
}

impl Session {
    /// Erases every typed value and starts over. The values' bytes are
    /// overwritten with zeros before their memory is freed.
    ///
    /// NOTE: the copies Slint made for display are freed, not overwritten.
    pub fn wipe(&mut self) {
        for (_, value) in self.values.drain() {
            let mut bytes = value.into_bytes();
            bytes.fill(0);
            // Keeps the compiler from dropping the writes as dead stores
            // to memory about to be freed; `black_box` is best effort.
            std::hint::black_box(&bytes);
        }
        if let Some(step) = self.confirm.take() {
            let mut bytes = step.code.into_bytes();
            bytes.fill(0);
            std::hint::black_box(&bytes);
        }
        *self = Session::default();
    }

    pub fn purpose(&self) -> Purpose {
        self.purpose.unwrap_or(Purpose::ConfirmIdentity)
    }
}
