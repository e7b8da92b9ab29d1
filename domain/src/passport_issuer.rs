//! The passport's «Кем выдан»: the issuing office's name as printed on
//! the passport's first page, checked for its form and normalised to the
//! capitals and single spaces the passport prints.
//!
//! Whether the office exists, or matches the division code, is the
//! operator's check against the passport in hand.

use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};

/// The minimum length of an office name after normalisation, in
/// characters: «ОВД» alone is too short to name an office.
pub const MIN_LENGTH: usize = 5;

/// Most characters accepted; passports print the office in at most three
/// lines of about 60 characters.
pub const MAX_LENGTH: usize = 200;

/// The rule a typed issuer broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssuerRule {
    Required,
    /// Latin letters, usually a keyboard left in English.
    Latin,
    /// A character that is not a Russian letter, digit, space or one of
    /// `. , - № " « » ( ) /`.
    Characters,
    TooShort,
    TooLong,
}

/// The rejection of a typed issuer, with the broken rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct IssuerError {
    pub rule: IssuerRule,
}

crate::text::display_via_rule!(IssuerError);

impl FieldRule for IssuerError {
    fn field(&self) -> Field {
        Field::PassportIssuer
    }

    fn code(&self) -> &'static str {
        match self.rule {
            IssuerRule::Required => "passport_issuer.required",
            IssuerRule::Latin => "passport_issuer.latin",
            IssuerRule::Characters => "passport_issuer.characters",
            IssuerRule::TooShort => "passport_issuer.too_short",
            IssuerRule::TooLong => "passport_issuer.too_long",
        }
    }

    fn message(&self, lang: Lang) -> String {
        let text = match (self.rule, lang) {
            (IssuerRule::Required, Lang::Ru) => {
                "Введите, кем выдан паспорт, как на его первой странице."
            }
            (IssuerRule::Required, Lang::En) => {
                "Enter who issued the passport, as on its first page."
            }
            (IssuerRule::Latin, Lang::Ru) => {
                "В поле «Кем выдан» есть латинские буквы. Введите его русскими буквами, как в паспорте."
            }
            (IssuerRule::Latin, Lang::En) => {
                "The issuing office contains Latin letters. Type it in Russian letters, as in the passport."
            }
            (IssuerRule::Characters, Lang::Ru) => {
                "В поле «Кем выдан» есть лишние знаки. Оставьте буквы, цифры, пробелы и знаки . , - № \" « » ( ) /."
            }
            (IssuerRule::Characters, Lang::En) => {
                "The issuing office contains other signs. Keep letters, digits, spaces and . , - № \" « » ( ) /."
            }
            (IssuerRule::TooShort, Lang::Ru) => {
                "Слишком коротко. Введите название подразделения полностью, как в паспорте."
            }
            (IssuerRule::TooShort, Lang::En) => {
                "Too short. Enter the office's full name, as in the passport."
            }
            (IssuerRule::TooLong, Lang::Ru) => {
                "Слишком длинно: не больше 200 знаков. Проверьте, не вставлен ли лишний текст."
            }
            (IssuerRule::TooLong, Lang::En) => {
                "Too long: at most 200 characters. Check that no extra text was pasted."
            }
        };
        text.to_owned()
    }
}

/// Parses the issuing office: trims, joins runs of spaces into one and
/// capitalises, as the passport prints it.
pub fn parse_passport_issuer(raw: &str) -> Result<String, IssuerError> {
    let fail = |rule| Err(IssuerError { rule });
    let joined = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        return fail(IssuerRule::Required);
    }
    if joined.chars().any(|c| c.is_ascii_alphabetic()) {
        return fail(IssuerRule::Latin);
    }
    let allowed =
        |c: char| matches!(c, 'А'..='я' | 'Ё' | 'ё' | '0'..='9' | ' ') || ".,-№\"«»()/".contains(c);
    if !joined.chars().all(allowed) {
        return fail(IssuerRule::Characters);
    }
    let length = joined.chars().count();
    if length < MIN_LENGTH {
        return fail(IssuerRule::TooShort);
    }
    if length > MAX_LENGTH {
        return fail(IssuerRule::TooLong);
    }
    Ok(joined.to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(raw: &str) -> IssuerRule {
        parse_passport_issuer(raw).unwrap_err().rule
    }

    #[test]
    fn normalises_spaces_and_case() {
        assert_eq!(
            parse_passport_issuer("  отделом УФМС  россии по г. москве ").unwrap(),
            "ОТДЕЛОМ УФМС РОССИИ ПО Г. МОСКВЕ"
        );
        assert_eq!(
            parse_passport_issuer("ОВД «Хамовники» №2 (г. Москва)").unwrap(),
            "ОВД «ХАМОВНИКИ» №2 (Г. МОСКВА)"
        );
    }

    #[test]
    fn rejects_each_rule() {
        assert_eq!(rule("   "), IssuerRule::Required);
        assert_eq!(rule("OVD Moskva"), IssuerRule::Latin);
        assert_eq!(rule("ОВД; Москва"), IssuerRule::Characters);
        assert_eq!(rule("ОВД"), IssuerRule::TooShort);
        assert_eq!(rule(&"а".repeat(201)), IssuerRule::TooLong);
    }

    #[test]
    fn error_names_field_and_code() {
        let err = IssuerError {
            rule: IssuerRule::Latin,
        };
        assert_eq!(err.field(), Field::PassportIssuer);
        assert_eq!(
            err.to_string(),
            "passport_issuer.latin: The issuing office contains Latin letters. Type it in Russian letters, as in the passport."
        );
    }
}
