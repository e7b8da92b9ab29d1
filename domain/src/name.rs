//! A person's full name (ФИО) as in the passport: surname, given name and an
//! optional patronymic, in Russian letters, with capitalisation and spacing
//! normalised.
//!
//! Whether the name matches the passport is the operator's and the
//! registry's check. Passports print names in capitals, so the original
//! mixed case of names such as «МакДональд» cannot be recovered here: the
//! normalised form capitalises each part once (`Макдональд`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::{Field, FieldRule, Lang};

/// Maximum length of one name part after normalisation, in characters.
/// Russian passport fields are shorter than this; a longer entry is pasted
/// or mistyped text.
pub const MAX_PART_LENGTH: usize = 60;

/// Words that stay lower case when they follow another word, as in the
/// patronymic «Гасан оглы»: the Turkic "son of" and "daughter of".
// NOTE: other particles (фон, де, ибн) are capitalised like any word; add
// them here once an operator reports a passport that spells them in lower
// case.
const LOWERCASE_PARTICLES: &[&str] = &["оглы", "кызы", "гызы", "улы", "уулу"];

/// Which part of a full name a rule was checked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamePart {
    Surname,
    GivenName,
    Patronymic,
}

impl NamePart {
    /// Returns the field as the form names it.
    pub fn field(self) -> Field {
        match self {
            NamePart::Surname => Field::Surname,
            NamePart::GivenName => Field::GivenName,
            NamePart::Patronymic => Field::Patronymic,
        }
    }
}

/// The rule a typed name part broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameRule {
    /// Nothing was entered in a required part.
    Required,
    /// Latin letters, usually a keyboard left in English.
    Latin,
    /// Digits.
    Digits,
    /// Any other character that is not a Russian letter, hyphen, space or
    /// apostrophe.
    Characters,
    /// A hyphen or apostrophe at the start or the end.
    Edge,
    /// Two separators (hyphen, space, apostrophe) in a row.
    DoubledSeparator,
    /// Longer than [`MAX_PART_LENGTH`] characters.
    TooLong,
}

/// Why a typed name part was rejected: the part and the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct NameError {
    pub part: NamePart,
    pub rule: NameRule,
}

/// A full name whose parts passed the rules, in normalised form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "TypedFullName")]
pub struct FullName {
    surname: String,
    given_name: String,
    patronymic: Option<String>,
}

/// The three parts as typed, the form [`FullName`] is deserialised from so
/// that stored names pass the same rules again.
#[derive(Deserialize)]
struct TypedFullName {
    surname: String,
    given_name: String,
    patronymic: Option<String>,
}

/// Parses a surname, which is required.
pub fn parse_surname(raw: &str) -> Result<String, NameError> {
    parse_required(raw, NamePart::Surname)
}

/// Parses a given name, which is required.
pub fn parse_given_name(raw: &str) -> Result<String, NameError> {
    parse_required(raw, NamePart::GivenName)
}

/// Parses a patronymic, which is optional: an empty entry gives `None`.
pub fn parse_patronymic(raw: &str) -> Result<Option<String>, NameError> {
    parse_name_part(raw, NamePart::Patronymic)
}

/// Parses all three parts and returns every part's error, so a form can
/// mark each field at once.
pub fn parse_full_name(
    surname: &str,
    given_name: &str,
    patronymic: &str,
) -> Result<FullName, Vec<NameError>> {
    let surname = parse_surname(surname);
    let given_name = parse_given_name(given_name);
    let patronymic = parse_patronymic(patronymic);
    match (surname, given_name, patronymic) {
        (Ok(surname), Ok(given_name), Ok(patronymic)) => Ok(FullName {
            surname,
            given_name,
            patronymic,
        }),
        (surname, given_name, patronymic) => {
            Err([surname.err(), given_name.err(), patronymic.err()]
                .into_iter()
                .flatten()
                .collect())
        }
    }
}

fn parse_required(raw: &str, part: NamePart) -> Result<String, NameError> {
    parse_name_part(raw, part)?.ok_or(NameError {
        part,
        rule: NameRule::Required,
    })
}

/// Normalises one part: typographic apostrophes and dashes become `'` and
/// `-`, spaces are trimmed and collapsed, spaces around a hyphen are
/// dropped, then the rules are checked and each word capitalised. Returns
/// `None` for an empty entry.
fn parse_name_part(raw: &str, part: NamePart) -> Result<Option<String>, NameError> {
    let fail = |rule| NameError { part, rule };
    let unified: String = raw
        .chars()
        .map(|c| match c {
            '’' | 'ʼ' | '‘' => '\'',
            '‐' | '‑' | '–' | '—' => '-',
            other => other,
        })
        .collect();
    let spaced = unified.split_whitespace().collect::<Vec<_>>().join(" ");
    if spaced.is_empty() {
        return Ok(None);
    }

    if spaced.chars().any(|c| c.is_ascii_alphabetic()) {
        return Err(fail(NameRule::Latin));
    }
    if spaced.chars().any(char::is_numeric) {
        return Err(fail(NameRule::Digits));
    }
    if !spaced
        .chars()
        .all(|c| is_russian_letter(c) || is_separator(c))
    {
        return Err(fail(NameRule::Characters));
    }

    let joined = spaced.replace(" -", "-").replace("- ", "-");
    if joined.starts_with(['-', '\'']) || joined.ends_with(['-', '\'']) {
        return Err(fail(NameRule::Edge));
    }
    let chars: Vec<char> = joined.chars().collect();
    if chars
        .windows(2)
        .any(|pair| is_separator(pair[0]) && is_separator(pair[1]))
    {
        return Err(fail(NameRule::DoubledSeparator));
    }
    if chars.len() > MAX_PART_LENGTH {
        return Err(fail(NameRule::TooLong));
    }

    Ok(Some(capitalise(&joined)))
}

fn is_russian_letter(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё')
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '\'')
}

/// Capitalises each space- and hyphen-separated segment. After an
/// apostrophe the next letter is capitalised only when a single letter
/// precedes it, as in «Д'Артаньян» and «О'Коннор»; otherwise it stays lower
/// case, as in «Дар'я». Particles such as «оглы» after the first word stay
/// lower case.
fn capitalise(name: &str) -> String {
    name.split(' ')
        .enumerate()
        .map(|(index, word)| {
            let lower = word.to_lowercase();
            if index > 0 && LOWERCASE_PARTICLES.contains(&lower.as_str()) {
                lower
            } else {
                lower
                    .split('-')
                    .map(capitalise_segment)
                    .collect::<Vec<_>>()
                    .join("-")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalise_segment(segment: &str) -> String {
    let pieces: Vec<&str> = segment.split('\'').collect();
    let mut out = String::with_capacity(segment.len());
    for (index, piece) in pieces.iter().enumerate() {
        if index == 0 {
            out.push_str(&upper_first(piece));
            continue;
        }
        out.push('\'');
        let after_single_letter = index == 1 && pieces[0].chars().count() == 1;
        if after_single_letter {
            out.push_str(&upper_first(piece));
        } else {
            out.push_str(piece);
        }
    }
    out
}

fn upper_first(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl FullName {
    /// Returns the normalised surname.
    pub fn surname(&self) -> &str {
        &self.surname
    }

    /// Returns the normalised given name.
    pub fn given_name(&self) -> &str {
        &self.given_name
    }

    /// Returns the normalised patronymic, if the person has one.
    pub fn patronymic(&self) -> Option<&str> {
        self.patronymic.as_deref()
    }
}

/// Shows the name in passport order: «Иванов Иван Иванович».
impl fmt::Display for FullName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.surname, self.given_name)?;
        if let Some(patronymic) = &self.patronymic {
            write!(f, " {patronymic}")?;
        }
        Ok(())
    }
}

impl TryFrom<TypedFullName> for FullName {
    type Error = NameError;

    fn try_from(typed: TypedFullName) -> Result<Self, Self::Error> {
        let patronymic = typed.patronymic.unwrap_or_default();
        parse_full_name(&typed.surname, &typed.given_name, &patronymic).map_err(|errors| errors[0])
    }
}

impl NameError {
    /// Returns the part's name as the subject of a sentence.
    fn subject(&self, lang: Lang) -> &'static str {
        match (self.part, lang) {
            (NamePart::Surname, Lang::Ru) => "Фамилия",
            (NamePart::GivenName, Lang::Ru) => "Имя",
            (NamePart::Patronymic, Lang::Ru) => "Отчество",
            (NamePart::Surname, Lang::En) => "The surname",
            (NamePart::GivenName, Lang::En) => "The given name",
            (NamePart::Patronymic, Lang::En) => "The patronymic",
        }
    }

    /// Returns «в фамилии» and the like: the Russian prepositional phrase.
    fn inside_ru(&self) -> &'static str {
        match self.part {
            NamePart::Surname => "В фамилии",
            NamePart::GivenName => "В имени",
            NamePart::Patronymic => "В отчестве",
        }
    }

    /// Returns the part's name as the object of a sentence.
    fn object(&self, lang: Lang) -> &'static str {
        match (self.part, lang) {
            (NamePart::Surname, Lang::Ru) => "фамилию",
            (NamePart::GivenName, Lang::Ru) => "имя",
            (NamePart::Patronymic, Lang::Ru) => "отчество",
            (NamePart::Surname, Lang::En) => "the surname",
            (NamePart::GivenName, Lang::En) => "the given name",
            (NamePart::Patronymic, Lang::En) => "the patronymic",
        }
    }
}

impl FieldRule for NameError {
    fn field(&self) -> Field {
        self.part.field()
    }

    fn code(&self) -> &'static str {
        macro_rules! by_part {
            ($rule:literal) => {
                match self.part {
                    NamePart::Surname => concat!("surname.", $rule),
                    NamePart::GivenName => concat!("given_name.", $rule),
                    NamePart::Patronymic => concat!("patronymic.", $rule),
                }
            };
        }
        match self.rule {
            NameRule::Required => by_part!("required"),
            NameRule::Latin => by_part!("latin"),
            NameRule::Digits => by_part!("digits"),
            NameRule::Characters => by_part!("characters"),
            NameRule::Edge => by_part!("edge"),
            NameRule::DoubledSeparator => by_part!("doubled_separator"),
            NameRule::TooLong => by_part!("too_long"),
        }
    }

    fn message(&self, lang: Lang) -> String {
        let subject = self.subject(lang);
        let object = self.object(lang);
        let inside = self.inside_ru();
        match (self.rule, lang) {
            (NameRule::Required, Lang::Ru) => format!("Введите {object} так, как в паспорте."),
            (NameRule::Required, Lang::En) => format!("Enter {object} as written in the passport."),
            (NameRule::Latin, Lang::Ru) => format!(
                "{inside} есть латинские буквы. Введите {object} русскими буквами, как в паспорте."
            ),
            (NameRule::Latin, Lang::En) => format!(
                "{subject} contains Latin letters. Type it in Russian letters, as in the passport."
            ),
            (NameRule::Digits, Lang::Ru) => {
                format!("{inside} есть цифры. Введите {object} буквами, как в паспорте.")
            }
            (NameRule::Digits, Lang::En) => {
                format!("{subject} contains digits. Type it in letters, as in the passport.")
            }
            (NameRule::Characters, Lang::Ru) => format!(
                "{inside} есть недопустимые знаки. Можно вводить только русские буквы, дефис, пробел и апостроф."
            ),
            (NameRule::Characters, Lang::En) => format!(
                "{subject} contains characters that are not allowed. Only Russian letters, hyphens, spaces and apostrophes may be typed."
            ),
            (NameRule::Edge, Lang::Ru) => format!(
                "{subject} не может начинаться или заканчиваться дефисом или апострофом. Уберите лишний знак."
            ),
            (NameRule::Edge, Lang::En) => format!(
                "{subject} cannot start or end with a hyphen or an apostrophe. Remove the extra sign."
            ),
            (NameRule::DoubledSeparator, Lang::Ru) => format!(
                "{inside} два разделителя подряд (дефис, пробел или апостроф). Оставьте один."
            ),
            (NameRule::DoubledSeparator, Lang::En) => format!(
                "{subject} has two separators in a row (hyphen, space or apostrophe). Keep one."
            ),
            (NameRule::TooLong, Lang::Ru) => format!(
                "{subject} длиннее {MAX_PART_LENGTH} знаков. Проверьте, не попал ли в поле лишний текст."
            ),
            (NameRule::TooLong, Lang::En) => format!(
                "{subject} is longer than {MAX_PART_LENGTH} characters. Check that no extra text got into the field."
            ),
        }
    }
}

crate::text::display_via_rule!(NameError);
