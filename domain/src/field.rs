//! The fields a visitor or operator fills in, the two languages messages are
//! shown in, and the contract every field rule's error follows.
//!
//! A rule's error names its field and the rule broken, and gives a message
//! for a person in Russian and in English. Neither the message nor the
//! `Display` text carries the value that was entered: errors end up in logs,
//! and the value may be personal data. The screen shows the value next to
//! the message anyway.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The language a person reads a message in. Russian is the default on every
/// screen; English is a switch on the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

/// A field a person enters, named as the screens and the sync protocol name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Surname,
    GivenName,
    Patronymic,
    BirthDate,
    PassportNumber,
    PassportIssueDate,
    DivisionCode,
    Snils,
    Inn,
    Phone,
    Email,
    Password,
    PasswordRepeat,
    OneTimeCode,
    ConfirmationCode,
    /// «Кем выдан»: the office that issued the passport.
    PassportIssuer,
}

impl Field {
    /// Returns the stable snake_case name used in APIs and logs.
    pub fn code(self) -> &'static str {
        match self {
            Field::Surname => "surname",
            Field::GivenName => "given_name",
            Field::Patronymic => "patronymic",
            Field::BirthDate => "birth_date",
            Field::PassportNumber => "passport_number",
            Field::PassportIssueDate => "passport_issue_date",
            Field::DivisionCode => "division_code",
            Field::Snils => "snils",
            Field::Inn => "inn",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Password => "password",
            Field::PasswordRepeat => "password_repeat",
            Field::OneTimeCode => "one_time_code",
            Field::ConfirmationCode => "confirmation_code",
            Field::PassportIssuer => "passport_issuer",
        }
    }

    /// Returns the field's label as a person reads it on screen.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Field::Surname, Lang::Ru) => "Фамилия",
            (Field::Surname, Lang::En) => "Surname",
            (Field::GivenName, Lang::Ru) => "Имя",
            (Field::GivenName, Lang::En) => "Given name",
            (Field::Patronymic, Lang::Ru) => "Отчество",
            (Field::Patronymic, Lang::En) => "Patronymic",
            (Field::BirthDate, Lang::Ru) => "Дата рождения",
            (Field::BirthDate, Lang::En) => "Date of birth",
            (Field::PassportNumber, Lang::Ru) => "Серия и номер паспорта",
            (Field::PassportNumber, Lang::En) => "Passport series and number",
            (Field::PassportIssueDate, Lang::Ru) => "Дата выдачи паспорта",
            (Field::PassportIssueDate, Lang::En) => "Passport issue date",
            (Field::DivisionCode, Lang::Ru) => "Код подразделения",
            (Field::DivisionCode, Lang::En) => "Division code",
            (Field::Snils, Lang::Ru) => "СНИЛС",
            (Field::Snils, Lang::En) => "SNILS",
            (Field::Inn, Lang::Ru) => "ИНН",
            (Field::Inn, Lang::En) => "INN",
            (Field::Phone, Lang::Ru) => "Мобильный телефон",
            (Field::Phone, Lang::En) => "Mobile phone",
            (Field::Email, Lang::Ru) => "Электронная почта",
            (Field::Email, Lang::En) => "E-mail",
            (Field::Password, Lang::Ru) => "Пароль",
            (Field::Password, Lang::En) => "Password",
            (Field::PasswordRepeat, Lang::Ru) => "Повторите пароль",
            (Field::PasswordRepeat, Lang::En) => "Repeat the password",
            (Field::OneTimeCode, Lang::Ru) => "Код подтверждения",
            (Field::OneTimeCode, Lang::En) => "Confirmation code",
            (Field::ConfirmationCode, Lang::Ru) => "Код подтверждения личности",
            (Field::ConfirmationCode, Lang::En) => "Identity confirmation code",
            (Field::PassportIssuer, Lang::Ru) => "Кем выдан",
            (Field::PassportIssuer, Lang::En) => "Issued by",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The contract of every field rule's error: which field, which rule
/// (a stable code such as `snils.checksum`), and what to tell the person.
///
/// Implementors keep the entered value out of every text they return.
pub trait FieldRule: std::error::Error {
    /// Returns the field whose value broke the rule.
    fn field(&self) -> Field;

    /// Returns the stable code of the broken rule: `<field>.<rule>`.
    fn code(&self) -> &'static str;

    /// Returns the message a person reads under the field: what is wrong,
    /// what is expected, and what to do.
    fn message(&self, lang: Lang) -> String;
}

/// Any field rule's error, erased to its field, code and both messages, for
/// callers that collect errors from several fields (a form, an HTTP answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub code: String,
    pub message_ru: String,
    pub message_en: String,
}

impl FieldError {
    /// Returns the message in the given language.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.message_ru,
            Lang::En => &self.message_en,
        }
    }
}

impl<E: FieldRule> From<E> for FieldError {
    fn from(err: E) -> Self {
        FieldError {
            field: err.field(),
            code: err.code().to_owned(),
            message_ru: err.message(Lang::Ru),
            message_en: err.message(Lang::En),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.field, self.code, self.message_en)
    }
}
