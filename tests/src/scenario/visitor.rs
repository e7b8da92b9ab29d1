//! The sample visitor of the demo and the end-to-end test. Every value
//! passes its domain rule and is typed the way people type (lower case
//! names, a phone starting with 8 and spaces). [`SHOWN`] lists the forms
//! the screens show after the rules have formatted them.
//!
//! The person is invented; the СНИЛС and ИНН carry valid check digits.

use ui::FieldKind;

/// What a visitor types at the kiosk, key by key.
#[derive(Clone)]
pub struct Visitor {
    pub surname: &'static str,
    pub given_name: &'static str,
    pub patronymic: &'static str,
    /// `ДД.ММ.ГГГГ`.
    pub birth_date: &'static str,
    /// Series and number, ten digits.
    pub passport_number: &'static str,
    pub passport_issue_date: &'static str,
    pub division_code: &'static str,
    /// The office that issued the passport, as printed in it.
    pub passport_issuer: &'static str,
    pub snils: &'static str,
    /// The personal ИНН, twelve digits, typed only where the kiosk has a field for it.
    pub inn: &'static str,
    /// As typed: `8`, spaces and dashes.
    pub phone: &'static str,
    pub email: &'static str,
    /// The biometric travel passport's number, typed on the chip step to
    /// open the chip (nine digits).
    pub travel_passport_number: &'static str,
    /// The travel passport's expiry date, `ДД.ММ.ГГГГ`, typed on the chip
    /// step.
    pub travel_passport_expiry: &'static str,
}

impl std::fmt::Debug for Visitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Visitor { .. }")
    }
}

/// The values the review screen shows, in its row order.
pub const SHOWN: [&str; 11] = [
    "Смирнова",
    "Анна",
    "Викторовна",
    "14.09.1984",
    "4509 781234",
    "20.10.2004",
    "770-045",
    "ОТДЕЛОМ УФМС РОССИИ",
    "146-815-297 86",
    "+7 912 345-67-89",
    "anna.smirnova@mail.ru",
];

/// The phone after the rule has normalised it.
pub const PHONE_SHOWN: &str = "+7 912 345-67-89";

/// The holder's name the token step shows for the certificate of
/// [`Visitor::token_args`].
pub const TOKEN_HOLDER_SHOWN: &str = "Смирнова Анна Викторовна";

impl Visitor {
    /// Анна Викторовна Смирнова, registering a Госуслуги account.
    pub fn demo() -> Visitor {
        Visitor {
            surname: "смирнова",
            given_name: "анна",
            patronymic: "викторовна",
            birth_date: "14.09.1984",
            passport_number: "4509781234",
            passport_issue_date: "20.10.2004",
            division_code: "770-045",
            passport_issuer: "отделом уфмс россии",
            snils: "14681529786",
            inn: "772512345622",
            phone: "8 912 345-67-89",
            email: "anna.smirnova@mail.ru",
            travel_passport_number: "450781234",
            travel_passport_expiry: "20.10.2034",
        }
    }

    /// Returns the arguments of `okno-virtual-chip` for this visitor's
    /// travel passport: the names transliterated as ICAO Doc 9303 does,
    /// birth and expiry as `YYMMDD`. The number is the internal passport's
    /// digits without the fourth, so a console that compares the chip with
    /// the internal passport (first three and last six digits) agrees too.
    pub fn virtual_chip_args(&self) -> [&'static str; 12] {
        [
            "--document-number",
            self.travel_passport_number,
            "--surname",
            "SMIRNOVA",
            "--given-names",
            "ANNA VIKTOROVNA",
            "--birth",
            "840914",
            "--expiry",
            "341020",
            "--sex",
            "F",
        ]
    }

    /// Returns the arguments of `okno-virtual-token` for this visitor's
    /// signature token: the certificate's surname, given names, СНИЛС and
    /// ИНН.
    pub fn token_args(&self) -> [&'static str; 8] {
        [
            "--surname",
            "Смирнова",
            "--given-names",
            "Анна Викторовна",
            "--snils",
            self.snils,
            "--inn",
            self.inn,
        ]
    }

    /// Returns the same visitor with the last digit of the СНИЛС mistyped,
    /// which breaks its checksum.
    pub fn with_wrong_snils() -> Visitor {
        Visitor {
            snils: "14681529787",
            ..Visitor::demo()
        }
    }

    /// Returns the value typed into a field of `kind`, or `None` for a kind
    /// this script does not cover (a field added to the kiosk later).
    pub fn typed(&self, kind: FieldKind) -> Option<&'static str> {
        Some(match kind {
            FieldKind::Surname => self.surname,
            FieldKind::GivenName => self.given_name,
            FieldKind::Patronymic => self.patronymic,
            FieldKind::BirthDate => self.birth_date,
            FieldKind::PassportNumber => self.passport_number,
            FieldKind::PassportIssueDate => self.passport_issue_date,
            FieldKind::DivisionCode => self.division_code,
            FieldKind::PassportIssuer => self.passport_issuer,
            FieldKind::Snils => self.snils,
            FieldKind::Phone => self.phone,
            FieldKind::Email => self.email,
            #[allow(unreachable_patterns)]
            _ => return None,
        })
    }

    /// The words and numbers a log must never contain: each value as typed
    /// and as shown, and their digits without separators.
    pub fn secrets(&self) -> Vec<String> {
        let mut secrets: Vec<String> = [
            self.surname,
            self.given_name,
            self.patronymic,
            self.birth_date,
            self.passport_number,
            self.passport_issue_date,
            self.passport_issuer,
            self.snils,
            self.inn,
            self.phone,
            self.email,
            self.travel_passport_number,
            self.travel_passport_expiry,
            "SMIRNOVA",
            "VIKTOROVNA",
        ]
        .iter()
        .map(|value| (*value).to_owned())
        .collect();
        secrets.extend(SHOWN.iter().map(|value| (*value).to_owned()));
        for value in [self.phone, self.snils, self.passport_number] {
            secrets.push(value.chars().filter(char::is_ascii_digit).collect());
        }
        // The phone's ten digits after the country code.
        secrets.push("9123456789".to_owned());
        secrets.sort();
        secrets.dedup();
        secrets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitor_values_pass_rules() {
        let visitor = Visitor::demo();
        let snils = domain::snils::parse_snils(visitor.snils).expect("valid СНИЛС");
        assert_eq!(snils.to_string(), SHOWN[8]);
        let phone = domain::phone::parse_mobile_phone(visitor.phone).expect("valid phone");
        assert_eq!(phone.to_string(), PHONE_SHOWN);
        domain::inn::parse_personal_inn(visitor.inn).expect("valid personal ИНН");
        assert!(domain::snils::parse_snils(Visitor::with_wrong_snils().snils).is_err());
        let chip = visitor.virtual_chip_args();
        assert_eq!(chip[1], visitor.travel_passport_number);
        assert_eq!(
            (chip[7], chip[9]),
            ("840914", "341020"),
            "birth 14.09.1984 and expiry 20.10.2034 as YYMMDD"
        );
    }
}
