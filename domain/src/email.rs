//! E-mail addresses: `local@domain.tld` with a Latin local part, a domain of
//! at least two labels, and throw-away mail services refused.
//!
//! This is the form check a person sees while typing. Whether the mailbox
//! exists is learnt by sending a code, and full RFC 5321 syntax (quoted
//! local parts, IP literals) is deliberately not accepted.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};

/// Maximum length of the part before `@`, in characters (RFC 5321).
pub const MAX_LOCAL_LENGTH: usize = 64;

/// Maximum length of a whole address, in characters (RFC 5321 path limit
/// less the angle brackets).
pub const MAX_ADDRESS_LENGTH: usize = 254;

/// Maximum length of one domain label, in characters (RFC 1035).
const MAX_LABEL_LENGTH: usize = 63;

/// Domains of well-known throw-away mail services, whose mailboxes vanish
/// within minutes or hours, so a portal account tied to one is lost.
/// Subdomains of these are refused as well.
// NOTE: a short hand-picked list; such services appear weekly, so this
// catches the famous ones only.
pub const DISPOSABLE_DOMAINS: &[&str] = &[
    "10minutemail.com",
    "10minutemail.net",
    "dispostable.com",
    "dropmail.me",
    "emailondeck.com",
    "fakeinbox.com",
    "getnada.com",
    "guerrillamail.com",
    "guerrillamail.net",
    "guerrillamail.org",
    "mail.tm",
    "maildrop.cc",
    "mailinator.com",
    "mailnesia.com",
    "mintemail.com",
    "mohmal.com",
    "sharklasers.com",
    "temp-mail.org",
    "temp-mail.ru",
    "tempmail.plus",
    "throwawaymail.com",
    "trashmail.com",
    "yopmail.com",
    "yopmail.fr",
];

/// An e-mail address whose form is valid, with the domain lowercased and the
/// local part kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email {
    address: String,
    at: usize,
}

/// Why a typed e-mail address was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum EmailError {
    /// Nothing was entered.
    Required,
    /// The address contains a space.
    Space,
    /// The address has no `@`, more than one, or nothing on one side of it.
    AtSign,
    /// The part before `@` contains something other than Latin letters,
    /// digits, `.`, `-` and `_`.
    LocalCharacters,
    /// The part before `@` starts or ends with a dot, or has two dots in a row.
    LocalDots,
    /// The part before `@` is longer than [`MAX_LOCAL_LENGTH`].
    LocalTooLong,
    /// The whole address is longer than [`MAX_ADDRESS_LENGTH`].
    TooLong,
    /// The domain after `@` is not labels of letters, digits and hyphens
    /// separated by dots, with at least two labels and a top-level label of
    /// two or more letters.
    Domain,
    /// The domain belongs to a throw-away mail service.
    Disposable,
}

/// Parses an e-mail address as typed: surrounding spaces are trimmed, the
/// domain is lowercased, and the form rules above are checked in order.
pub fn parse_email(raw: &str) -> Result<Email, EmailError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(EmailError::Required);
    }
    if trimmed.chars().any(char::is_whitespace) {
        return Err(EmailError::Space);
    }
    let (local, domain) = match trimmed.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            (local, domain)
        }
        _ => return Err(EmailError::AtSign),
    };

    check_local(local)?;
    let domain = domain.to_lowercase();
    check_domain(&domain)?;
    if trimmed.chars().count() > MAX_ADDRESS_LENGTH {
        return Err(EmailError::TooLong);
    }
    if is_disposable(&domain) {
        return Err(EmailError::Disposable);
    }

    Ok(Email {
        address: format!("{local}@{domain}"),
        at: local.len(),
    })
}

fn check_local(local: &str) -> Result<(), EmailError> {
    if !local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(EmailError::LocalCharacters);
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(EmailError::LocalDots);
    }
    if local.len() > MAX_LOCAL_LENGTH {
        return Err(EmailError::LocalTooLong);
    }
    Ok(())
}

/// Checks a lowercased domain. Labels may hold Cyrillic letters as well as
/// Latin ones, because Russian domains such as `почта.рф` are in use; the
/// top-level label is letters only, or an `xn--` punycode label.
fn check_domain(domain: &str) -> Result<(), EmailError> {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err(EmailError::Domain);
    }
    let labels_valid = labels.iter().all(|label| {
        !label.is_empty()
            && label.chars().count() <= MAX_LABEL_LENGTH
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| is_domain_letter(c) || c.is_ascii_digit() || c == '-')
    });
    let top = labels[labels.len() - 1];
    let top_valid =
        top.starts_with("xn--") || (top.chars().count() >= 2 && top.chars().all(is_domain_letter));
    if labels_valid && top_valid {
        Ok(())
    } else {
        Err(EmailError::Domain)
    }
}

fn is_domain_letter(c: char) -> bool {
    c.is_ascii_lowercase() || matches!(c, 'а'..='я' | 'ё')
}

fn is_disposable(domain: &str) -> bool {
    DISPOSABLE_DOMAINS.iter().any(|listed| {
        domain == *listed
            || domain
                .strip_suffix(listed)
                .is_some_and(|prefix| prefix.ends_with('.'))
    })
}

impl Email {
    /// Returns the address, such as `ivan.petrov@mail.ru`.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// Returns the part before `@`, as typed.
    pub fn local_part(&self) -> &str {
        &self.address[..self.at]
    }

    /// Returns the lowercased part after `@`.
    pub fn domain(&self) -> &str {
        &self.address[self.at + 1..]
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        parse_email(&raw)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.address
    }
}

impl FieldRule for EmailError {
    fn field(&self) -> Field {
        Field::Email
    }

    fn code(&self) -> &'static str {
        match self {
            EmailError::Required => "email.required",
            EmailError::Space => "email.space",
            EmailError::AtSign => "email.at_sign",
            EmailError::LocalCharacters => "email.local_characters",
            EmailError::LocalDots => "email.local_dots",
            EmailError::LocalTooLong => "email.local_too_long",
            EmailError::TooLong => "email.too_long",
            EmailError::Domain => "email.domain",
            EmailError::Disposable => "email.disposable",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let text = match (self, lang) {
            (EmailError::Required, Lang::Ru) => {
                "Введите адрес электронной почты, например ivanov@mail.ru."
            }
            (EmailError::Required, Lang::En) => "Enter an e-mail address, for example ivanov@mail.ru.",
            (EmailError::Space, Lang::Ru) => "В адресе почты не бывает пробелов. Уберите пробелы.",
            (EmailError::Space, Lang::En) => "An e-mail address contains no spaces. Remove the spaces.",
            (EmailError::AtSign, Lang::Ru) => {
                "В адресе почты должен быть один знак @ между именем и доменом, например ivanov@mail.ru. Проверьте знак @."
            }
            (EmailError::AtSign, Lang::En) => {
                "An e-mail address has one @ sign between the name and the domain, for example ivanov@mail.ru. Check the @ sign."
            }
            (EmailError::LocalCharacters, Lang::Ru) => {
                "Часть адреса до @ может содержать только латинские буквы, цифры, точку, дефис и подчёркивание. Введите адрес латиницей."
            }
            (EmailError::LocalCharacters, Lang::En) => {
                "The part before @ may contain only Latin letters, digits, dots, hyphens and underscores. Type the address in Latin letters."
            }
            (EmailError::LocalDots, Lang::Ru) => {
                "Часть адреса до @ не может начинаться или заканчиваться точкой и содержать две точки подряд. Проверьте точки."
            }
            (EmailError::LocalDots, Lang::En) => {
                "The part before @ cannot start or end with a dot or contain two dots in a row. Check the dots."
            }
            (EmailError::LocalTooLong, Lang::Ru) => {
                "Часть адреса до @ длиннее 64 знаков. Проверьте адрес: такой почты не бывает."
            }
            (EmailError::LocalTooLong, Lang::En) => {
                "The part before @ is longer than 64 characters. Check the address: no mailbox has such a name."
            }
            (EmailError::TooLong, Lang::Ru) => {
                "Адрес почты длиннее 254 знаков. Проверьте, не попал ли в поле лишний текст."
            }
            (EmailError::TooLong, Lang::En) => {
                "The e-mail address is longer than 254 characters. Check that no extra text got into the field."
            }
            (EmailError::Domain, Lang::Ru) => {
                "Домен после @ указан неверно. Он состоит из частей через точку, например mail.ru или yandex.ru: буквы, цифры и дефис, в конце не меньше двух букв."
            }
            (EmailError::Domain, Lang::En) => {
                "The domain after @ is invalid. It is parts separated by dots, such as mail.ru or yandex.ru: letters, digits and hyphens, ending in at least two letters."
            }
            (EmailError::Disposable, Lang::Ru) => {
                "Адреса временной почты не принимаются: они исчезают, и доступ к учётной записи будет потерян. Укажите постоянный адрес."
            }
            (EmailError::Disposable, Lang::En) => {
                "Temporary mail addresses are not accepted: they vanish, and access to the account would be lost. Enter a permanent address."
            }
        };
        text.to_owned()
    }
}

crate::text::display_via_rule!(EmailError);
