//! The seam between the entry screens and the `domain` field rules: the
//! kiosk asks whether a typed value obeys its field's rule and how to show
//! it, and never states a rule itself.

use std::collections::HashMap;
use std::sync::Arc;

use domain::clock::Clock;
use domain::{date, email, name, passport, passport_issuer, phone, snils, Field, FieldError};
use jiff::civil::Date;
use jiff::tz::Offset;
use ui::FieldKind;

/// Checks a typed value against its field's rule.
pub trait FieldCheck {
    /// Returns the value as the review screen and the ticket show it
    /// (`123-456-789 01`, `+7 912 345-67-89`), or the rule's error.
    /// `entered` holds the session's other raw values, for rules that
    /// compare fields (an issue date not before the date of birth).
    fn check(
        &self,
        field: Field,
        input: &str,
        entered: &HashMap<Field, String>,
    ) -> Result<String, FieldError>;

    /// Returns today's date in the center's time zone, for rules outside
    /// the entry fields (the chip step's expiry date).
    fn today(&self) -> Date;
}

/// The `domain` crate's rules, with today's date taken from a clock in the
/// center's time zone.
pub struct DomainRules {
    clock: Arc<dyn Clock>,
    utc_offset: Offset,
}

/// Moscow time, where most centers are; a center elsewhere sets its own.
pub const MOSCOW_OFFSET_HOURS: i8 = 3;

impl DomainRules {
    pub fn new(clock: Arc<dyn Clock>, utc_offset: Offset) -> Self {
        DomainRules { clock, utc_offset }
    }
}

impl FieldCheck for DomainRules {
    fn today(&self) -> Date {
        self.utc_offset.to_datetime(self.clock.now()).date()
    }

    fn check(
        &self,
        field: Field,
        input: &str,
        entered: &HashMap<Field, String>,
    ) -> Result<String, FieldError> {
        let shown = match field {
            Field::Surname => name::parse_surname(input)?,
            Field::GivenName => name::parse_given_name(input)?,
            Field::Patronymic => name::parse_patronymic(input)?.unwrap_or_default(),
            Field::BirthDate => date::format_date(date::parse_birth_date(input, self.today())?),
            Field::PassportIssueDate => {
                let birth = entered
                    .get(&Field::BirthDate)
                    .and_then(|raw| date::parse_birth_date(raw, self.today()).ok());
                let issued = match birth {
                    Some(birth) => date::parse_passport_issue_date(input, birth, self.today())?,
                    // With no valid date of birth yet only the form is checked;
                    // the review step checks again once both are known.
                    None => date::parse_date(input, date::DateField::PassportIssueDate)?,
                };
                date::format_date(issued)
            }
            Field::PassportNumber => passport::parse_passport_number(input)?.to_string(),
            Field::DivisionCode => passport::parse_division_code(input)?.to_string(),
            Field::Snils => snils::parse_snils(input)?.to_string(),
            Field::Phone => phone::parse_mobile_phone(input)?.to_string(),
            Field::Email => email::parse_email(input)?.to_string(),
            Field::PassportIssuer => passport_issuer::parse_passport_issuer(input)?,
            // The kiosk's steps ask for none of the others; `domain_field`
            // never yields them.
            Field::Inn
            | Field::Password
            | Field::PasswordRepeat
            | Field::OneTimeCode
            | Field::ConfirmationCode => input.trim().to_owned(),
        };
        Ok(shown)
    }
}

/// Maps a screen's field to the domain's.
pub(crate) fn domain_field(kind: FieldKind) -> Field {
    match kind {
        FieldKind::Surname => Field::Surname,
        FieldKind::GivenName => Field::GivenName,
        FieldKind::Patronymic => Field::Patronymic,
        FieldKind::BirthDate => Field::BirthDate,
        FieldKind::PassportNumber => Field::PassportNumber,
        FieldKind::PassportIssueDate => Field::PassportIssueDate,
        FieldKind::DivisionCode => Field::DivisionCode,
        FieldKind::PassportIssuer => Field::PassportIssuer,
        FieldKind::Snils => Field::Snils,
        FieldKind::Phone => Field::Phone,
        FieldKind::Email => Field::Email,
    }
}

/// Whether typed letters in this field start upper-case after a space or
/// hyphen, as names are written.
pub(crate) fn is_name(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::Surname | FieldKind::GivenName | FieldKind::Patronymic
    )
}
