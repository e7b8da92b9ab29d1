//! Machine readable zones of travel documents (ICAO Doc 9303 Parts 3, 4
//! and 5): check digits, TD1 (ID card, 3 × 30) and TD3 (passport, 2 × 44)
//! parsing, the Basic Access Control key seed input, and the Latin
//! transliteration of Russian Cyrillic names.
//!
//! Reading the zone from a chip or a camera is left to others; this module
//! only interprets its text. Error texts name the field and the rule, never
//! the value, because the value is personal data.
//!
//! # Transliteration of Russian names
//!
//! Two schemes meet an operator:
//!
//! - **ICAO Doc 9303 Part 3** (its transliteration table for Cyrillic),
//!   which Russian foreign passports use since about 2013, and so do
//!   their chips: Ж ZH, Х KH, Ц TS, Ч CH, Ш SH, Щ SHCH, Ъ IE, Ы Y, Ь
//!   omitted, Ю IU, Я IA, Й I, Ё E, Э E.
//! - **Older Russian foreign passports** (before 2013) used a scheme that
//!   differs in four letters: Й Y, Ъ omitted, Ю YU, Я YA.
//!
//! Both lose information, so a Latin name cannot be turned back into
//! Cyrillic: Е, Ё and Э all become E; И and Й become I (ICAO); Ъ becomes IE,
//! the same as ИЕ; Ь disappears; ТС and Ц both give TS; ШЧ and Щ both give
//! SHCH. [`compare_cyrillic_name`] therefore goes the other way: it
//! transliterates what the operator typed with both schemes and compares
//! with the zone.
//!
//! Russian internal passports carry a third, reversible scheme in their
//! zone (document code `PN`, one Latin letter or digit per Cyrillic letter,
//! for example Ё `2`, Ч `3`, Ш `4`, Э `6`, Ю `7`, Я `8`, Ь `9`).
//! [`decode_russian_internal`] reverses it exactly.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Computes the ICAO 9303 check digit of a field: weights 7, 3, 1
/// repeating; digits count as themselves, A..Z as 10..35, `<` as 0.
/// Returns `None` for a character outside the MRZ alphabet.
pub fn check_digit(field: &str) -> Option<u8> {
    let mut sum: u32 = 0;
    for (index, ch) in field.chars().enumerate() {
        let value = char_value(ch)?;
        let weight = [7, 3, 1][index % 3];
        sum += value * weight;
    }
    Some((sum % 10) as u8)
}

fn char_value(ch: char) -> Option<u32> {
    match ch {
        '0'..='9' => Some(ch as u32 - '0' as u32),
        'A'..='Z' => Some(ch as u32 - 'A' as u32 + 10),
        '<' => Some(0),
        _ => None,
    }
}

/// A machine readable zone field that failed a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MrzField {
    DocumentNumber,
    BirthDate,
    ExpiryDate,
    OptionalData,
    Composite,
    Sex,
    Names,
}

impl MrzField {
    fn label_en(self) -> &'static str {
        match self {
            MrzField::DocumentNumber => "document number",
            MrzField::BirthDate => "date of birth",
            MrzField::ExpiryDate => "date of expiry",
            MrzField::OptionalData => "optional data",
            MrzField::Composite => "composite check",
            MrzField::Sex => "sex",
            MrzField::Names => "names",
        }
    }

    /// Returns the field's name as an operator reads it.
    pub fn label_ru(self) -> &'static str {
        match self {
            MrzField::DocumentNumber => "номер документа",
            MrzField::BirthDate => "дата рождения",
            MrzField::ExpiryDate => "дата окончания срока действия",
            MrzField::OptionalData => "дополнительные данные",
            MrzField::Composite => "общая контрольная цифра",
            MrzField::Sex => "пол",
            MrzField::Names => "фамилия и имя",
        }
    }
}

/// Why a text is not a valid machine readable zone. No variant carries the
/// zone's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    #[error("MRZ has {lines} lines of lengths {lengths:?}; expected 3 lines of 30 (TD1) or 2 lines of 44 (TD3)")]
    UnknownFormat { lines: usize, lengths: Vec<usize> },
    #[error("MRZ line {line} has a character outside A-Z, 0-9 and '<' at position {position}")]
    InvalidCharacter { line: usize, position: usize },
    #[error("MRZ check digit of the {} does not match", .0.label_en())]
    CheckDigit(MrzField),
    #[error("MRZ {} is not a valid YYMMDD date", .0.label_en())]
    InvalidDate(MrzField),
    #[error("MRZ sex is not M, F or '<'")]
    InvalidSex,
    #[error("document number must be 1 to 30 characters of A-Z and 0-9 (entered without spaces)")]
    InvalidDocumentNumber,
}

impl MrzError {
    /// Returns the message an operator reads, in Russian.
    pub fn message_ru(&self) -> String {
        match self {
            MrzError::UnknownFormat { .. } => {
                "Машиночитаемая зона не распознана: ожидается 2 строки по 44 знака (паспорт) или 3 строки по 30 знаков (ID-карта).".to_owned()
            }
            MrzError::InvalidCharacter { line, position } => {
                format!("В строке {line} машиночитаемой зоны недопустимый знак в позиции {position}: допустимы латинские буквы, цифры и «<».")
            }
            MrzError::CheckDigit(field) => format!(
                "Не совпадает контрольная цифра поля «{}». Проверьте, что данные введены без ошибок.",
                field.label_ru()
            ),
            MrzError::InvalidDate(field) => {
                format!("Поле «{}» не является датой ГГММДД.", field.label_ru())
            }
            MrzError::InvalidSex => "Пол в машиночитаемой зоне указан не как M, F или «<».".to_owned(),
            MrzError::InvalidDocumentNumber => {
                "Номер документа должен состоять из латинских букв и цифр, без пробелов.".to_owned()
            }
        }
    }
}

/// A date as the zone writes it, YYMMDD, with its month and day checked.
/// The century is not in the zone; [`MrzDate::birth_year`] and
/// [`MrzDate::expiry_year`] resolve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MrzDate {
    pub yy: u8,
    pub month: u8,
    pub day: u8,
}

impl MrzDate {
    /// Parses `YYMMDD`; checks the month and the day against the month's
    /// length (29 February is accepted for any year divisible by 4, since
    /// the century is unknown).
    pub fn parse(text: &str, field: MrzField) -> Result<Self, MrzError> {
        let invalid = || MrzError::InvalidDate(field);
        if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let number =
            |range: std::ops::Range<usize>| text[range].parse::<u8>().map_err(|_| invalid());
        let date = MrzDate {
            yy: number(0..2)?,
            month: number(2..4)?,
            day: number(4..6)?,
        };
        let days_in_month = match date.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if date.yy % 4 == 0 => 29,
            2 => 28,
            _ => return Err(invalid()),
        };
        if date.day == 0 || date.day > days_in_month {
            return Err(invalid());
        }
        Ok(date)
    }

    /// Resolves a birth date's year: the latest year ending in `yy` that is
    /// not after `current_year`.
    pub fn birth_year(self, current_year: i16) -> i16 {
        let century = current_year - current_year.rem_euclid(100);
        let candidate = century + i16::from(self.yy);
        if candidate > current_year {
            candidate - 100
        } else {
            candidate
        }
    }

    /// Resolves an expiry date's year: documents expire at most a few
    /// decades ahead, so the year is taken in the 2000s.
    pub fn expiry_year(self) -> i16 {
        2000 + i16::from(self.yy)
    }
}

impl fmt::Display for MrzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}{:02}{:02}", self.yy, self.month, self.day)
    }
}

/// Sex as the zone writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
    Unspecified,
}

/// The layout of a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MrzFormat {
    /// ID card: 3 lines of 30 characters.
    Td1,
    /// Passport: 2 lines of 44 characters.
    Td3,
}

/// The fields of a parsed zone. Names are in the zone's Latin letters with
/// fillers turned into spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mrz {
    pub format: MrzFormat,
    /// `P`, `PN`, `I`, `ID`, `AC`...: the document code with fillers removed.
    pub document_code: String,
    pub issuing_state: String,
    pub document_number: String,
    pub surname: String,
    pub given_names: String,
    pub nationality: String,
    pub birth_date: MrzDate,
    pub sex: Sex,
    pub expiry_date: MrzDate,
    pub optional_data: String,
    /// True when the name field was filled to its last character, which
    /// means the issuer may have truncated the names.
    pub names_possibly_truncated: bool,
}

impl Mrz {
    /// Parses a TD1 or TD3 zone given as lines separated by newlines
    /// (surrounding whitespace is ignored). Every check digit is verified.
    pub fn parse(text: &str) -> Result<Self, MrzError> {
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        for (index, line) in lines.iter().enumerate() {
            if let Some(position) = line.chars().position(|ch| char_value(ch).is_none()) {
                return Err(MrzError::InvalidCharacter {
                    line: index + 1,
                    position: position + 1,
                });
            }
        }
        match lines.as_slice() {
            [first, second] if first.len() == 44 && second.len() == 44 => parse_td3(first, second),
            [first, second, third]
                if [first, second, third].iter().all(|line| line.len() == 30) =>
            {
                parse_td1(first, second, third)
            }
            _ => Err(MrzError::UnknownFormat {
                lines: lines.len(),
                lengths: lines.iter().map(|line| line.len()).collect(),
            }),
        }
    }

    /// Returns the Basic Access Control input for this document.
    pub fn bac_input(&self) -> Result<BacInput, MrzError> {
        BacInput::new(&self.document_number, self.birth_date, self.expiry_date)
    }

    /// Returns the names decoded back to Cyrillic when the zone is a Russian
    /// internal passport's (document code `PN`, issuer `RUS`), whose scheme
    /// is reversible.
    pub fn cyrillic_names(&self) -> Option<(String, String)> {
        if self.document_code != "PN" || self.issuing_state != "RUS" {
            return None;
        }
        Some((
            decode_russian_internal(&self.surname)?,
            decode_russian_internal(&self.given_names)?,
        ))
    }
}

fn check(field: &str, digit: &str, which: MrzField) -> Result<(), MrzError> {
    let expected = check_digit(field).ok_or(MrzError::CheckDigit(which))?;
    // A filler in place of a check digit counts as 0 (ICAO 9303 Part 3).
    let actual = match digit {
        "<" => 0,
        _ => digit
            .parse::<u8>()
            .map_err(|_| MrzError::CheckDigit(which))?,
    };
    if expected != actual {
        return Err(MrzError::CheckDigit(which));
    }
    Ok(())
}

fn strip_fillers(field: &str) -> String {
    field.trim_end_matches('<').replace('<', " ")
}

fn parse_sex(text: &str) -> Result<Sex, MrzError> {
    match text {
        "M" => Ok(Sex::Male),
        "F" => Ok(Sex::Female),
        "<" | "X" => Ok(Sex::Unspecified),
        _ => Err(MrzError::InvalidSex),
    }
}

fn parse_names(field: &str) -> (String, String, bool) {
    let truncated = !field.ends_with('<');
    let trimmed = field.trim_end_matches('<');
    let (surname, given) = match trimmed.split_once("<<") {
        Some((surname, given)) => (surname, given),
        None => (trimmed, ""),
    };
    (
        surname.replace('<', " "),
        given.trim_start_matches('<').replace('<', " "),
        truncated,
    )
}

fn parse_td3(first: &str, second: &str) -> Result<Mrz, MrzError> {
    let document_number_field = &second[0..9];
    check(
        document_number_field,
        &second[9..10],
        MrzField::DocumentNumber,
    )?;
    check(&second[13..19], &second[19..20], MrzField::BirthDate)?;
    check(&second[21..27], &second[27..28], MrzField::ExpiryDate)?;
    // An empty optional field may carry a filler as its check digit.
    let optional = &second[28..42];
    if !(optional.chars().all(|ch| ch == '<') && &second[42..43] == "<") {
        check(optional, &second[42..43], MrzField::OptionalData)?;
    }
    let composite = format!("{}{}{}", &second[0..10], &second[13..20], &second[21..43]);
    check(&composite, &second[43..44], MrzField::Composite)?;

    let (surname, given_names, names_possibly_truncated) = parse_names(&first[5..44]);
    Ok(Mrz {
        format: MrzFormat::Td3,
        document_code: strip_fillers(&first[0..2]),
        issuing_state: strip_fillers(&first[2..5]),
        document_number: strip_fillers(document_number_field),
        surname,
        given_names,
        nationality: strip_fillers(&second[10..13]),
        birth_date: MrzDate::parse(&second[13..19], MrzField::BirthDate)?,
        sex: parse_sex(&second[20..21])?,
        expiry_date: MrzDate::parse(&second[21..27], MrzField::ExpiryDate)?,
        optional_data: strip_fillers(optional),
        names_possibly_truncated,
    })
}

fn parse_td1(first: &str, second: &str, third: &str) -> Result<Mrz, MrzError> {
    // A document number longer than 9 characters continues in the optional
    // field, followed by its check digit; the check digit position then
    // contains a filler (ICAO 9303 Part 5).
    let (document_number, optional_data) = if &first[14..15] == "<" && &first[15..16] != "<" {
        let rest = &first[15..30];
        let end = rest.find('<').unwrap_or(rest.len());
        if end == 0 {
            return Err(MrzError::CheckDigit(MrzField::DocumentNumber));
        }
        let (tail, digit) = rest[..end].split_at(end - 1);
        let number = format!("{}{}", &first[5..14], tail);
        check(&number, digit, MrzField::DocumentNumber)?;
        (number, strip_fillers(&rest[end..]))
    } else {
        check(&first[5..14], &first[14..15], MrzField::DocumentNumber)?;
        (strip_fillers(&first[5..14]), strip_fillers(&first[15..30]))
    };
    check(&second[0..6], &second[6..7], MrzField::BirthDate)?;
    check(&second[8..14], &second[14..15], MrzField::ExpiryDate)?;
    let composite = format!(
        "{}{}{}{}",
        &first[5..30],
        &second[0..7],
        &second[8..15],
        &second[18..29]
    );
    check(&composite, &second[29..30], MrzField::Composite)?;

    let (surname, given_names, names_possibly_truncated) = parse_names(third);
    let optional_second = strip_fillers(&second[18..29]);
    let optional_data = match (optional_data.is_empty(), optional_second.is_empty()) {
        (_, true) => optional_data,
        (true, false) => optional_second,
        (false, false) => format!("{optional_data} {optional_second}"),
    };
    Ok(Mrz {
        format: MrzFormat::Td1,
        document_code: strip_fillers(&first[0..2]),
        issuing_state: strip_fillers(&first[2..5]),
        document_number: document_number.trim_end_matches('<').to_owned(),
        surname,
        given_names,
        nationality: strip_fillers(&second[15..18]),
        birth_date: MrzDate::parse(&second[0..6], MrzField::BirthDate)?,
        sex: parse_sex(&second[7..8])?,
        expiry_date: MrzDate::parse(&second[8..14], MrzField::ExpiryDate)?,
        optional_data,
        names_possibly_truncated,
    })
}

/// The three zone fields Basic Access Control derives its keys from.
#[derive(Clone, PartialEq, Eq)]
pub struct BacInput {
    document_number: String,
    birth_date: MrzDate,
    expiry_date: MrzDate,
}

impl fmt::Debug for BacInput {
    // The document number and dates are personal data: keep them out of
    // debug output that may reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BacInput { .. }")
    }
}

impl BacInput {
    /// Builds the input from a document number (letters and digits, fillers
    /// allowed at the end) and two dates.
    pub fn new(
        document_number: &str,
        birth_date: MrzDate,
        expiry_date: MrzDate,
    ) -> Result<Self, MrzError> {
        let number = document_number.trim_end_matches('<');
        let valid = !number.is_empty()
            && number.len() <= 30
            && number
                .chars()
                .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit());
        if !valid {
            return Err(MrzError::InvalidDocumentNumber);
        }
        Ok(BacInput {
            document_number: number.to_owned(),
            birth_date,
            expiry_date,
        })
    }

    /// Parses `DOCNUMBER,YYMMDD,YYMMDD` (document number, date of birth,
    /// date of expiry), as a technician types it; lower-case letters are
    /// accepted and upper-cased.
    pub fn parse_triple(text: &str) -> Result<Self, MrzError> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        let [number, birth, expiry] = parts.as_slice() else {
            return Err(MrzError::InvalidDocumentNumber);
        };
        let birth_date = MrzDate::parse(birth, MrzField::BirthDate)?;
        let expiry_date = MrzDate::parse(expiry, MrzField::ExpiryDate)?;
        BacInput::new(&number.to_ascii_uppercase(), birth_date, expiry_date)
    }

    pub fn document_number(&self) -> &str {
        &self.document_number
    }

    pub fn birth_date(&self) -> MrzDate {
        self.birth_date
    }

    pub fn expiry_date(&self) -> MrzDate {
        self.expiry_date
    }

    /// Returns the text hashed into the BAC key seed (ICAO 9303 Part 11):
    /// document number padded to 9 with `<`, its check digit, date
    /// of birth, its check digit, date of expiry, its check digit.
    pub fn key_seed_text(&self) -> String {
        let mut number = self.document_number.clone();
        while number.len() < 9 {
            number.push('<');
        }
        let birth = self.birth_date.to_string();
        let expiry = self.expiry_date.to_string();
        // Every character was validated, so the check digits exist.
        let digit = |field: &str| check_digit(field).map_or('0', |d| char::from(b'0' + d));
        format!(
            "{number}{}{birth}{}{expiry}{}",
            digit(&number),
            digit(&birth),
            digit(&expiry)
        )
    }
}

/// Which transliteration scheme matched a Cyrillic name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transliteration {
    /// ICAO Doc 9303 Part 3, used in Russian foreign passports since 2013.
    Icao9303,
    /// The scheme of Russian foreign passports issued before 2013.
    RussianPre2013,
    /// The reversible scheme of Russian internal passports.
    RussianInternal,
}

/// The outcome of comparing a typed Cyrillic name with a zone's Latin name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum NameComparison {
    /// The names are equal under the given scheme.
    Match { scheme: Transliteration },
    /// The zone's name is a truncated prefix of the transliterated name.
    TruncatedMatch { scheme: Transliteration },
    /// No scheme makes them equal; `expected_icao` is what the typed name
    /// gives under ICAO 9303, for the operator to compare letter by letter.
    Mismatch { expected_icao: String },
}

impl NameComparison {
    pub fn is_match(&self) -> bool {
        !matches!(self, NameComparison::Mismatch { .. })
    }
}

fn icao_letter(ch: char) -> Option<&'static str> {
    Some(match ch {
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => "G",
        'Д' => "D",
        'Е' | 'Ё' | 'Э' => "E",
        'Ж' => "ZH",
        'З' => "Z",
        'И' | 'Й' => "I",
        'К' => "K",
        'Л' => "L",
        'М' => "M",
        'Н' => "N",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'У' => "U",
        'Ф' => "F",
        'Х' => "KH",
        'Ц' => "TS",
        'Ч' => "CH",
        'Ш' => "SH",
        'Щ' => "SHCH",
        'Ъ' => "IE",
        'Ы' => "Y",
        'Ь' => "",
        'Ю' => "IU",
        'Я' => "IA",
        _ => return None,
    })
}

fn pre2013_letter(ch: char) -> Option<&'static str> {
    match ch {
        'Й' => Some("Y"),
        'Ъ' => Some(""),
        'Ю' => Some("YU"),
        'Я' => Some("YA"),
        other => icao_letter(other),
    }
}

/// The reversible letter table of Russian internal passports' zones.
// NOTE: written from the scheme as commonly described, not checked against
// a specimen internal passport; verify the digit letters (Ё 2 ... Ь 9) on a
// real one before relying on the decoded Cyrillic.
const RUSSIAN_INTERNAL: [(char, char); 33] = [
    ('А', 'A'),
    ('Б', 'B'),
    ('В', 'V'),
    ('Г', 'G'),
    ('Д', 'D'),
    ('Е', 'E'),
    ('Ё', '2'),
    ('Ж', 'J'),
    ('З', 'Z'),
    ('И', 'I'),
    ('Й', 'Q'),
    ('К', 'K'),
    ('Л', 'L'),
    ('М', 'M'),
    ('Н', 'N'),
    ('О', 'O'),
    ('П', 'P'),
    ('Р', 'R'),
    ('С', 'S'),
    ('Т', 'T'),
    ('У', 'U'),
    ('Ф', 'F'),
    ('Х', 'H'),
    ('Ц', 'C'),
    ('Ч', '3'),
    ('Ш', '4'),
    ('Щ', 'W'),
    ('Ъ', 'X'),
    ('Ы', 'Y'),
    ('Ь', '9'),
    ('Э', '6'),
    ('Ю', '7'),
    ('Я', '8'),
];

/// Transliterates a Cyrillic name with a scheme: upper-cases it, keeps
/// Latin letters, turns spaces, hyphens and apostrophes into the single
/// separator the zone uses (a space here). Returns `None` when a character
/// has no mapping.
pub fn transliterate(name: &str, scheme: Transliteration) -> Option<String> {
    let mut out = String::new();
    for ch in name.trim().chars().flat_map(char::to_uppercase) {
        match ch {
            ' ' | '-' | '\'' | '’' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            'A'..='Z' => out.push(ch),
            _ => match scheme {
                Transliteration::Icao9303 => out.push_str(icao_letter(ch)?),
                Transliteration::RussianPre2013 => out.push_str(pre2013_letter(ch)?),
                Transliteration::RussianInternal => {
                    out.push(RUSSIAN_INTERNAL.iter().find(|(cyr, _)| *cyr == ch)?.1)
                }
            },
        }
    }
    Some(out.trim_end().to_owned())
}

/// Decodes a name written with the Russian internal passport scheme back
/// to Cyrillic; `None` when a character is not in that scheme.
pub fn decode_russian_internal(latin: &str) -> Option<String> {
    latin
        .chars()
        .map(|ch| match ch {
            ' ' => Some(' '),
            _ => RUSSIAN_INTERNAL
                .iter()
                .find(|(_, lat)| *lat == ch)
                .map(|(cyr, _)| *cyr),
        })
        .collect()
}

/// Compares a name typed in Cyrillic («Иванов») with a zone's Latin name
/// (`IVANOV`), trying ICAO 9303, the pre-2013 Russian scheme and the
/// internal passport scheme. `zone_name` is as [`Mrz`] gives it (fillers
/// already spaces); `possibly_truncated` comes from
/// [`Mrz::names_possibly_truncated`].
pub fn compare_cyrillic_name(
    typed: &str,
    zone_name: &str,
    possibly_truncated: bool,
) -> NameComparison {
    let zone: String = zone_name.split_whitespace().collect::<Vec<_>>().join(" ");
    let schemes = [
        Transliteration::Icao9303,
        Transliteration::RussianPre2013,
        Transliteration::RussianInternal,
    ];
    for scheme in schemes {
        let Some(latin) = transliterate(typed, scheme) else {
            continue;
        };
        if latin == zone {
            return NameComparison::Match { scheme };
        }
        if possibly_truncated && !zone.is_empty() && latin.starts_with(&zone) {
            return NameComparison::TruncatedMatch { scheme };
        }
    }
    NameComparison::Mismatch {
        expected_icao: transliterate(typed, Transliteration::Icao9303).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // ICAO Doc 9303 Part 4, Appendix A specimen passport.
    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    // ICAO Doc 9303 Part 5, Appendix A specimen ID card.
    const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";

    #[test]
    fn check_digits_of_specimens() {
        assert_eq!(check_digit("L898902C3"), Some(6));
        assert_eq!(check_digit("L898902C<"), Some(3));
        assert_eq!(check_digit("740812"), Some(2));
        assert_eq!(check_digit("120415"), Some(9));
        assert_eq!(check_digit("<<<<"), Some(0));
        assert_eq!(check_digit("a"), None);
    }

    #[test]
    fn td3_specimen_parses() {
        let mrz = Mrz::parse(TD3).unwrap();
        assert_eq!(mrz.format, MrzFormat::Td3);
        assert_eq!(mrz.document_code, "P");
        assert_eq!(mrz.issuing_state, "UTO");
        assert_eq!(mrz.document_number, "L898902C3");
        assert_eq!(mrz.surname, "ERIKSSON");
        assert_eq!(mrz.given_names, "ANNA MARIA");
        assert_eq!(mrz.nationality, "UTO");
        assert_eq!(
            mrz.birth_date,
            MrzDate {
                yy: 74,
                month: 8,
                day: 12
            }
        );
        assert_eq!(mrz.sex, Sex::Female);
        assert_eq!(
            mrz.expiry_date,
            MrzDate {
                yy: 12,
                month: 4,
                day: 15
            }
        );
        assert_eq!(mrz.optional_data, "ZE184226B");
        assert!(!mrz.names_possibly_truncated);
    }

    #[test]
    fn td1_specimen_parses() {
        let mrz = Mrz::parse(TD1).unwrap();
        assert_eq!(mrz.format, MrzFormat::Td1);
        assert_eq!(mrz.document_code, "I");
        assert_eq!(mrz.document_number, "D23145890");
        assert_eq!(mrz.surname, "ERIKSSON");
        assert_eq!(mrz.given_names, "ANNA MARIA");
        assert_eq!(mrz.birth_date.to_string(), "740812");
        assert_eq!(mrz.expiry_date.to_string(), "120415");
        assert_eq!(mrz.sex, Sex::Female);
    }

    #[test]
    fn td1_long_document_number() {
        // Document number D23145890734 (12 characters): 9 in the field,
        // the remaining "734" and check digit 9 in the optional field.
        let first = "I<UTOD23145890<7349<<<<<<<<<<<";
        let second_body = "7408122F1204159UTO<<<<<<<<<<<";
        let composite = format!(
            "{}{}{}{}",
            &first[5..30],
            &second_body[0..7],
            &second_body[8..15],
            &second_body[18..29]
        );
        let digit = check_digit(&composite).unwrap();
        let text = format!("{first}\n{second_body}{digit}\nERIKSSON<<ANNA<MARIA<<<<<<<<<<");
        assert_eq!(check_digit("D23145890734"), Some(9));
        let mrz = Mrz::parse(&text).unwrap();
        assert_eq!(mrz.document_number, "D23145890734");
        assert_eq!(mrz.optional_data, "");
    }

    #[test]
    fn wrong_check_digit_names_field() {
        let broken = TD3.replace("7408122F", "7408123F");
        assert_eq!(
            Mrz::parse(&broken),
            Err(MrzError::CheckDigit(MrzField::BirthDate))
        );
        let error = MrzError::CheckDigit(MrzField::BirthDate);
        assert_eq!(
            error.to_string(),
            "MRZ check digit of the date of birth does not match"
        );
        assert!(error.message_ru().contains("дата рождения"));
    }

    #[test]
    fn wrong_shapes_are_rejected() {
        assert_eq!(
            Mrz::parse("P<UTO\nL898"),
            Err(MrzError::UnknownFormat {
                lines: 2,
                lengths: vec![5, 4]
            })
        );
        assert_eq!(
            Mrz::parse(&TD3.replace("ANNA", "AnNA")),
            Err(MrzError::InvalidCharacter {
                line: 1,
                position: 17
            })
        );
    }

    #[test]
    fn invalid_date_is_rejected() {
        assert_eq!(
            MrzDate::parse("740230", MrzField::BirthDate),
            Err(MrzError::InvalidDate(MrzField::BirthDate))
        );
        assert_eq!(
            MrzDate::parse("741301", MrzField::BirthDate),
            Err(MrzError::InvalidDate(MrzField::BirthDate))
        );
        assert!(MrzDate::parse("000229", MrzField::BirthDate).is_ok());
    }

    #[test]
    fn century_resolution() {
        let date = MrzDate {
            yy: 74,
            month: 8,
            day: 12,
        };
        assert_eq!(date.birth_year(2026), 1974);
        assert_eq!(
            MrzDate {
                yy: 10,
                month: 1,
                day: 1
            }
            .birth_year(2026),
            2010
        );
        assert_eq!(
            MrzDate {
                yy: 30,
                month: 1,
                day: 1
            }
            .expiry_year(),
            2030
        );
    }

    #[test]
    fn bac_seed_text_of_icao_worked_example() {
        // ICAO 9303 Part 11, Appendix D.2.
        let birth = MrzDate::parse("690806", MrzField::BirthDate).unwrap();
        let expiry = MrzDate::parse("940623", MrzField::ExpiryDate).unwrap();
        let input = BacInput::new("L898902C", birth, expiry).unwrap();
        assert_eq!(input.key_seed_text(), "L898902C<369080619406236");
        assert_eq!(format!("{input:?}"), "BacInput { .. }");
    }

    #[test]
    fn bac_triple_parses() {
        let input = BacInput::parse_triple("l898902c,690806,940623").unwrap();
        assert_eq!(input.key_seed_text(), "L898902C<369080619406236");
        assert_eq!(
            BacInput::parse_triple("L898902C,690806"),
            Err(MrzError::InvalidDocumentNumber)
        );
        assert_eq!(
            BacInput::parse_triple("L898902C,691306,940623"),
            Err(MrzError::InvalidDate(MrzField::BirthDate))
        );
        assert_eq!(
            BacInput::parse_triple("L89 02C,690806,940623"),
            Err(MrzError::InvalidDocumentNumber)
        );
    }

    #[test]
    fn icao_transliteration_of_russian_names() {
        let cases = [
            ("Иванов", "IVANOV"),
            ("Щукина", "SHCHUKINA"),
            ("Юлия", "IULIIA"),
            ("Сергей", "SERGEI"),
            ("Подъячев", "PODIEIACHEV"),
            ("Ольга", "OLGA"),
            ("Хрущёв", "KHRUSHCHEV"),
            ("Римский-Корсаков", "RIMSKII KORSAKOV"),
            ("Цой", "TSOI"),
        ];
        for (cyrillic, latin) in cases {
            assert_eq!(
                transliterate(cyrillic, Transliteration::Icao9303).as_deref(),
                Some(latin),
                "{cyrillic}"
            );
        }
    }

    #[test]
    fn compare_matches_either_passport_scheme() {
        assert_eq!(
            compare_cyrillic_name("Иванов", "IVANOV", false),
            NameComparison::Match {
                scheme: Transliteration::Icao9303
            }
        );
        assert_eq!(
            compare_cyrillic_name("Юлия", "YULIYA", false),
            NameComparison::Match {
                scheme: Transliteration::RussianPre2013
            }
        );
        assert_eq!(
            compare_cyrillic_name("иван иванович", "IVAN IVANOVICH", false),
            NameComparison::Match {
                scheme: Transliteration::Icao9303
            }
        );
    }

    #[test]
    fn compare_reports_mismatch_with_expected() {
        assert_eq!(
            compare_cyrillic_name("Петров", "IVANOV", false),
            NameComparison::Mismatch {
                expected_icao: "PETROV".to_owned()
            }
        );
    }

    #[test]
    fn compare_accepts_truncated_zone() {
        assert_eq!(
            compare_cyrillic_name("Константинопольский", "KONSTANTINOPOLSK", true),
            NameComparison::TruncatedMatch {
                scheme: Transliteration::Icao9303
            }
        );
        assert!(
            !compare_cyrillic_name("Константинопольский", "KONSTANTINOPOLSK", false).is_match()
        );
    }

    #[test]
    fn russian_internal_scheme_round_trips() {
        let latin = transliterate("Пётр Щедрин Юрьевич", Transliteration::RussianInternal).unwrap();
        assert_eq!(latin, "P2TR WEDRIN 7R9EVI3");
        assert_eq!(
            decode_russian_internal(&latin).as_deref(),
            Some("ПЁТР ЩЕДРИН ЮРЬЕВИЧ")
        );
        assert_eq!(
            compare_cyrillic_name("Пётр", "P2TR", false),
            NameComparison::Match {
                scheme: Transliteration::RussianInternal
            }
        );
    }

    #[test]
    fn internal_passport_names_decode() {
        let line2_body = "1234567897RUS8001014M2501017<<<<<<<<<<<<<<<";
        let composite = format!(
            "{}{}{}",
            &line2_body[0..10],
            &line2_body[13..20],
            &line2_body[21..43]
        );
        let text = format!(
            "PNRUSIVANOV<<P2TR<IVANOVI3<<<<<<<<<<<<<<<<<<\n{}{}",
            line2_body,
            check_digit(&composite).unwrap()
        );
        let mrz = Mrz::parse(&text).unwrap();
        assert_eq!(mrz.document_code, "PN");
        assert_eq!(
            mrz.cyrillic_names(),
            Some(("ИВАНОВ".to_owned(), "ПЁТР ИВАНОВИЧ".to_owned()))
        );
    }
}
