//! Why a certificate cannot confirm a visitor's identity, with a stable
//! code and a message in Russian and English for each reason.
//!
//! Every message tells the visitor what to do next: get a new
//! certificate from a certification center, or confirm their identity in
//! person at an operator's window. No message carries a value from the subject, because
//! errors reach logs and the subject contains personal data. Dates, key sizes,
//! OIDs and the names of certification centers are not personal and are
//! kept in the variants.

use std::fmt;

use jiff::Timestamp;
use serde::Serialize;

use crate::field::Lang;
use crate::sync::SignatureScheme;

/// The reason a certificate was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum CertificateError {
    /// The validity period has not started (`notBefore` is after now).
    NotYetValid { not_before: Timestamp },
    /// The validity period has ended (`notAfter` is before now).
    Expired { not_after: Timestamp },
    /// Valid now, but for fewer than 90 more days.
    ExpiresSoon {
        not_after: Timestamp,
        days_left: i64,
    },
    /// An RSA key shorter than 2048 bits.
    WeakRsaKey { modulus_bits: u32 },
    /// An EC key on a curve weaker than P-256, by its NIST name.
    WeakCurve { curve: String },
    /// An EC key on a curve outside the policy, by its dotted OID.
    UnsupportedCurve { oid: String },
    /// A GOST R 34.10-2001 key.
    OutdatedGost,
    /// A key algorithm outside the policy, by its dotted OID.
    UnsupportedKeyAlgorithm { oid: String },
    /// The subject has no surname or no given name.
    NameMissing,
    /// The surname, given name or patronymic breaks the form's name rules.
    NameInvalid,
    /// The subject has no СНИЛС.
    SnilsMissing,
    /// The СНИЛС has a wrong length, characters or checksum.
    SnilsInvalid,
    /// The ИНН is neither a valid 12-digit personal number nor `00` and a
    /// valid 10-digit organisation number.
    InnInvalid,
    /// The ИННЮЛ, or the `00`-padded ИНН, is not a valid 10-digit
    /// organisation number.
    OrganisationInnInvalid,
    /// ИННЮЛ and the `00`-padded ИНН name different organisations.
    OrganisationInnConflict,
    /// The ОГРН is not 13 digits with a matching check digit.
    OgrnInvalid,
    /// The ОГРНИП is not 15 digits with a matching check digit.
    OgrnipInvalid,
    /// One subject attribute appears twice with different values.
    RepeatedAttribute { oid: &'static str },
    /// The bytes are not a DER X.509 certificate, or a part of it the
    /// checks read (validity, public key) cannot be decoded. `detail` is
    /// the decoder's message and carries no subject value.
    Malformed { detail: String },
    /// No path leads from the certificate to a trust anchor of the trust
    /// directory: its issuer is not in the directory, or an issuer found
    /// there is not a certification center (no `cA` in basicConstraints,
    /// or keyUsage without `keyCertSign`), or the path is longer than
    /// `pathLenConstraint` or the depth limit allow.
    UntrustedIssuer,
    /// The signature of an issuer on a certificate of the path does not
    /// verify. `depth` is 0 for the visitor's certificate, 1 for its
    /// issuer's certificate, and so on.
    BadChainSignature { depth: usize },
    /// A signature in the chain, a CRL or a proof of possession uses an
    /// algorithm this build cannot verify: a dotted signature algorithm
    /// OID, `ECDSA <curve OID>`, or `GOST R 34.10-2012`.
    UnsupportedSignatureAlgorithm { algorithm: String },
    /// A certification center's certificate on the path is not valid at the
    /// time of the check.
    IssuerNotValid {
        /// The certification center's distinguished name (RFC 4514).
        issuer: String,
        not_before: Timestamp,
        not_after: Timestamp,
    },
    /// A certificate of the path is listed in its issuer's CRL. `depth` is
    /// 0 for the visitor's certificate.
    Revoked { depth: usize, revoked_at: Timestamp },
    /// The revocation status cannot be known: the directory has no CRL of
    /// `issuer` with a valid signature, or the newest one's `nextUpdate`
    /// has passed (`next_update` is then that time).
    RevocationUnknown {
        /// The certification center's distinguished name (RFC 4514).
        issuer: String,
        next_update: Option<Timestamp>,
    },
    /// The proof of possession failed: the signature over the challenge
    /// does not verify with the certificate's public key.
    BadSignature,
    /// The signature scheme does not fit the certificate's key, such as an
    /// ECDSA signature for an RSA key.
    SchemeMismatch { scheme: SignatureScheme },
}

/// The next step offered at the end of most messages.
const NEXT_STEP_RU: &str =
    "Получите новый сертификат в удостоверяющем центре или подтвердите личность у оператора.";
const NEXT_STEP_EN: &str =
    "Get a new certificate from a certification center, or confirm your identity with an operator.";

/// The next step when the certification center wrote a subject field wrongly.
const ASK_ISSUER_RU: &str =
    "Обратитесь в удостоверяющий центр, выдавший сертификат, или подтвердите личность у оператора.";
const ASK_ISSUER_EN: &str =
    "Contact the certification center that issued it, or confirm your identity with an operator.";

impl CertificateError {
    /// Returns the stable code of the rule: `certificate.<rule>`.
    pub fn code(&self) -> &'static str {
        match self {
            CertificateError::NotYetValid { .. } => "certificate.not_yet_valid",
            CertificateError::Expired { .. } => "certificate.expired",
            CertificateError::ExpiresSoon { .. } => "certificate.expires_soon",
            CertificateError::WeakRsaKey { .. } => "certificate.weak_rsa_key",
            CertificateError::WeakCurve { .. } => "certificate.weak_curve",
            CertificateError::UnsupportedCurve { .. } => "certificate.unsupported_curve",
            CertificateError::OutdatedGost => "certificate.outdated_gost",
            CertificateError::UnsupportedKeyAlgorithm { .. } => {
                "certificate.unsupported_key_algorithm"
            }
            CertificateError::NameMissing => "certificate.name_missing",
            CertificateError::NameInvalid => "certificate.name_invalid",
            CertificateError::SnilsMissing => "certificate.snils_missing",
            CertificateError::SnilsInvalid => "certificate.snils_invalid",
            CertificateError::InnInvalid => "certificate.inn_invalid",
            CertificateError::OrganisationInnInvalid => "certificate.organisation_inn_invalid",
            CertificateError::OrganisationInnConflict => "certificate.organisation_inn_conflict",
            CertificateError::OgrnInvalid => "certificate.ogrn_invalid",
            CertificateError::OgrnipInvalid => "certificate.ogrnip_invalid",
            CertificateError::RepeatedAttribute { .. } => "certificate.repeated_attribute",
            CertificateError::Malformed { .. } => "certificate.malformed",
            CertificateError::UntrustedIssuer => "certificate.untrusted_issuer",
            CertificateError::BadChainSignature { .. } => "certificate.bad_chain_signature",
            CertificateError::UnsupportedSignatureAlgorithm { .. } => {
                "certificate.unsupported_signature_algorithm"
            }
            CertificateError::IssuerNotValid { .. } => "certificate.issuer_not_valid",
            CertificateError::Revoked { .. } => "certificate.revoked",
            CertificateError::RevocationUnknown { .. } => "certificate.revocation_unknown",
            CertificateError::BadSignature => "certificate.bad_signature",
            CertificateError::SchemeMismatch { .. } => "certificate.scheme_mismatch",
        }
    }

    /// Returns the message the visitor reads: what is wrong with the
    /// certificate and what to do next.
    pub fn message(&self, lang: Lang) -> String {
        let (ru, en) = (NEXT_STEP_RU, NEXT_STEP_EN);
        let (ask_ru, ask_en) = (ASK_ISSUER_RU, ASK_ISSUER_EN);
        match (self, lang) {
            (CertificateError::NotYetValid { .. }, Lang::Ru) => {
                "Сертификат ещё не начал действовать. Вернитесь, когда наступит дата начала его действия, или подтвердите личность у оператора.".to_owned()
            }
            (CertificateError::NotYetValid { .. }, Lang::En) => {
                "The certificate is not valid yet. Come back on the date it takes effect, or confirm your identity with an operator.".to_owned()
            }
            (CertificateError::Expired { .. }, Lang::Ru) => {
                format!("Срок действия сертификата истёк. {ru}")
            }
            (CertificateError::Expired { .. }, Lang::En) => {
                format!("The certificate has expired. {en}")
            }
            (CertificateError::ExpiresSoon { days_left, .. }, Lang::Ru) => format!(
                "Сертификат скоро истекает, осталось дней: {days_left}. Для подтверждения личности он должен действовать ещё не меньше 90 дней. {ru}"
            ),
            (CertificateError::ExpiresSoon { days_left, .. }, Lang::En) => format!(
                "The certificate expires soon: {} left. It must stay valid for at least 90 more days to confirm your identity. {en}",
                days(*days_left)
            ),
            (CertificateError::WeakRsaKey { modulus_bits }, Lang::Ru) => format!(
                "Ключ сертификата слишком короткий: длина ключа RSA в битах: {modulus_bits}, а нужно не меньше 2048. {ru}"
            ),
            (CertificateError::WeakRsaKey { modulus_bits }, Lang::En) => format!(
                "The certificate's key is too short: RSA with {modulus_bits} bits, but at least 2048 are required. {en}"
            ),
            (CertificateError::WeakCurve { curve }, Lang::Ru) => format!(
                "Ключ сертификата слишком слабый: кривая {curve}, а нужна P-256 или сильнее. {ru}"
            ),
            (CertificateError::WeakCurve { curve }, Lang::En) => format!(
                "The certificate's key is too weak: curve {curve}, but P-256 or stronger is required. {en}"
            ),
            (CertificateError::UnsupportedCurve { oid }, Lang::Ru) => format!(
                "Ключ сертификата построен на эллиптической кривой, которую киоск не принимает (OID {oid}). Подходят кривые P-256, P-384 и P-521. {ru}"
            ),
            (CertificateError::UnsupportedCurve { oid }, Lang::En) => format!(
                "The certificate's key uses an elliptic curve the kiosk does not accept (OID {oid}). Curves P-256, P-384 and P-521 are accepted. {en}"
            ),
            (CertificateError::OutdatedGost, Lang::Ru) => format!(
                "Сертификат выпущен по устаревшему стандарту ГОСТ Р 34.10-2001, такие подписи больше не действуют. {ru}"
            ),
            (CertificateError::OutdatedGost, Lang::En) => format!(
                "The certificate uses the outdated GOST R 34.10-2001 standard, whose signatures are no longer valid. {en}"
            ),
            (CertificateError::UnsupportedKeyAlgorithm { oid }, Lang::Ru) => format!(
                "Ключ сертификата использует алгоритм, который киоск не принимает (OID {oid}). Подходят ГОСТ Р 34.10-2012, RSA от 2048 бит и ECDSA на кривой P-256 или сильнее. {ru}"
            ),
            (CertificateError::UnsupportedKeyAlgorithm { oid }, Lang::En) => format!(
                "The certificate's key uses an algorithm the kiosk does not accept (OID {oid}). GOST R 34.10-2012, RSA of 2048 bits or more, and ECDSA on P-256 or stronger are accepted. {en}"
            ),
            (CertificateError::NameMissing, Lang::Ru) => {
                "В сертификате нет фамилии или имени владельца, поэтому по нему нельзя подтвердить личность. Подтвердите личность у оператора.".to_owned()
            }
            (CertificateError::NameMissing, Lang::En) => {
                "The certificate does not contain the holder's surname or given name, so it cannot confirm an identity. Confirm your identity with an operator.".to_owned()
            }
            (CertificateError::NameInvalid, Lang::Ru) => format!(
                "Фамилия, имя или отчество в сертификате записаны не русскими буквами или с лишними знаками. {ask_ru}"
            ),
            (CertificateError::NameInvalid, Lang::En) => format!(
                "The surname, given name or patronymic in the certificate is not written in Russian letters, or contains extra signs. {ask_en}"
            ),
            (CertificateError::SnilsMissing, Lang::Ru) => {
                "В сертификате нет СНИЛС владельца, а без него личность подтвердить нельзя. Подтвердите личность у оператора.".to_owned()
            }
            (CertificateError::SnilsMissing, Lang::En) => {
                "The certificate does not contain the holder's SNILS, which identity confirmation requires. Confirm your identity with an operator.".to_owned()
            }
            (CertificateError::SnilsInvalid, Lang::Ru) => format!(
                "СНИЛС в сертификате записан с ошибкой: не 11 цифр или не сходится контрольное число. {ask_ru}"
            ),
            (CertificateError::SnilsInvalid, Lang::En) => format!(
                "The SNILS in the certificate is wrong: it is not 11 digits, or its check number does not match. {ask_en}"
            ),
            (CertificateError::InnInvalid, Lang::Ru) => format!(
                "ИНН в сертификате записан с ошибкой: не 12 цифр или не сходятся контрольные цифры. {ask_ru}"
            ),
            (CertificateError::InnInvalid, Lang::En) => format!(
                "The INN in the certificate is wrong: it is not 12 digits, or its check digits do not match. {ask_en}"
            ),
            (CertificateError::OrganisationInnInvalid, Lang::Ru) => format!(
                "ИНН организации в сертификате записан с ошибкой: не 10 цифр или не сходится контрольная цифра. {ask_ru}"
            ),
            (CertificateError::OrganisationInnInvalid, Lang::En) => format!(
                "The organisation's INN in the certificate is wrong: it is not 10 digits, or its check digit does not match. {ask_en}"
            ),
            (CertificateError::OrganisationInnConflict, Lang::Ru) => format!(
                "В сертификате указаны два разных ИНН организации. {ask_ru}"
            ),
            (CertificateError::OrganisationInnConflict, Lang::En) => format!(
                "The certificate contains two different organisation INNs. {ask_en}"
            ),
            (CertificateError::OgrnInvalid, Lang::Ru) => format!(
                "ОГРН в сертификате записан с ошибкой: не 13 цифр или не сходится контрольная цифра. {ask_ru}"
            ),
            (CertificateError::OgrnInvalid, Lang::En) => format!(
                "The OGRN in the certificate is wrong: it is not 13 digits, or its check digit does not match. {ask_en}"
            ),
            (CertificateError::OgrnipInvalid, Lang::Ru) => format!(
                "ОГРНИП в сертификате записан с ошибкой: не 15 цифр или не сходится контрольная цифра. {ask_ru}"
            ),
            (CertificateError::OgrnipInvalid, Lang::En) => format!(
                "The OGRNIP in the certificate is wrong: it is not 15 digits, or its check digit does not match. {ask_en}"
            ),
            (CertificateError::RepeatedAttribute { oid }, Lang::Ru) => format!(
                "В сертификате одно поле владельца (OID {oid}) указано дважды с разными значениями. {ask_ru}"
            ),
            (CertificateError::RepeatedAttribute { oid }, Lang::En) => format!(
                "The certificate contains one holder field (OID {oid}) twice with different values. {ask_en}"
            ),
            (CertificateError::Malformed { .. }, Lang::Ru) => format!(
                "Сертификат повреждён и не читается. {ask_ru}"
            ),
            (CertificateError::Malformed { .. }, Lang::En) => format!(
                "The certificate is damaged and cannot be read. {ask_en}"
            ),
            (CertificateError::UntrustedIssuer, Lang::Ru) => format!(
                "Сертификат выдан удостоверяющим центром, которого нет в списке аккредитованных. Для подтверждения личности нужен квалифицированный сертификат аккредитованного удостоверяющего центра. {ru}"
            ),
            (CertificateError::UntrustedIssuer, Lang::En) => format!(
                "The certificate was issued by a certification center that is not on the list of accredited ones. Identity confirmation requires a qualified certificate from an accredited certification center. {en}"
            ),
            (CertificateError::BadChainSignature { .. }, Lang::Ru) => format!(
                "Подпись удостоверяющего центра на сертификате не сходится: сертификат изменён или повреждён. {ask_ru}"
            ),
            (CertificateError::BadChainSignature { .. }, Lang::En) => format!(
                "The certification center's signature on the certificate does not match: the certificate was altered or damaged. {ask_en}"
            ),
            (CertificateError::UnsupportedSignatureAlgorithm { algorithm }, Lang::Ru) => format!(
                "Киоск пока не умеет проверять подписи по алгоритму {algorithm}, поэтому не может проверить этот сертификат. Подтвердите личность у оператора."
            ),
            (CertificateError::UnsupportedSignatureAlgorithm { algorithm }, Lang::En) => format!(
                "The kiosk cannot verify signatures with the algorithm {algorithm} yet, so it cannot check this certificate. Confirm your identity with an operator."
            ),
            (CertificateError::IssuerNotValid { .. }, Lang::Ru) => format!(
                "Сертификат удостоверяющего центра, который выдал ваш сертификат, сейчас не действует. {ru}"
            ),
            (CertificateError::IssuerNotValid { .. }, Lang::En) => format!(
                "The certificate of the certification center that issued yours is not valid now. {en}"
            ),
            (CertificateError::Revoked { depth: 0, .. }, Lang::Ru) => format!(
                "Сертификат отозван удостоверяющим центром и больше не действует. {ru}"
            ),
            (CertificateError::Revoked { depth: 0, .. }, Lang::En) => format!(
                "The certificate was revoked by its certification center and is no longer valid. {en}"
            ),
            (CertificateError::Revoked { .. }, Lang::Ru) => format!(
                "Сертификат удостоверяющего центра, который выдал ваш сертификат, отозван, поэтому ваш сертификат больше не действует. {ru}"
            ),
            (CertificateError::Revoked { .. }, Lang::En) => format!(
                "The certificate of the certification center that issued yours was revoked, so yours is no longer valid. {en}"
            ),
            (CertificateError::RevocationUnknown { .. }, Lang::Ru) => {
                "Сейчас нельзя проверить, не отозван ли сертификат: у киоска нет действующего списка отозванных сертификатов удостоверяющего центра. Попробуйте позже или подтвердите личность у оператора.".to_owned()
            }
            (CertificateError::RevocationUnknown { .. }, Lang::En) => {
                "The kiosk cannot check now whether the certificate was revoked, because it has no current revocation list of the certification center. Try again later, or confirm your identity with an operator.".to_owned()
            }
            (CertificateError::BadSignature, Lang::Ru) => {
                "Подпись токена не совпала с сертификатом. Проверьте, что выбран сертификат с этого токена, и попробуйте ещё раз или подтвердите личность у оператора.".to_owned()
            }
            (CertificateError::BadSignature, Lang::En) => {
                "The token's signature does not match the certificate. Check that the certificate from this token is selected and try again, or confirm your identity with an operator.".to_owned()
            }
            (CertificateError::SchemeMismatch { scheme }, Lang::Ru) => format!(
                "Токен подписал запрос алгоритмом {}, который не подходит к ключу сертификата. Попробуйте ещё раз или подтвердите личность у оператора.",
                scheme.as_str()
            ),
            (CertificateError::SchemeMismatch { scheme }, Lang::En) => format!(
                "The token signed with the algorithm {}, which does not fit the certificate's key. Try again, or confirm your identity with an operator.",
                scheme.as_str()
            ),
        }
    }

    /// Returns the message of the rule whose code is `code`, for a visitor
    /// who has only the code, such as the kiosk after the server rejected a
    /// certificate. Returns `None` for an unknown code and for the rules
    /// whose message needs a detail the code leaves out: the days left, the
    /// key size, the curve or OID, the algorithm, and which certificate of
    /// the chain was revoked.
    pub fn message_for_code(code: &str, lang: Lang) -> Option<String> {
        from_code(code).map(|error| error.message(lang))
    }
}

/// Builds the rule of `code` when its message reads none of its fields;
/// the fields get placeholders, which never reach a message.
fn from_code(code: &str) -> Option<CertificateError> {
    let any_time = Timestamp::UNIX_EPOCH;
    let error = match code {
        "certificate.not_yet_valid" => CertificateError::NotYetValid {
            not_before: any_time,
        },
        "certificate.expired" => CertificateError::Expired {
            not_after: any_time,
        },
        "certificate.outdated_gost" => CertificateError::OutdatedGost,
        "certificate.name_missing" => CertificateError::NameMissing,
        "certificate.name_invalid" => CertificateError::NameInvalid,
        "certificate.snils_missing" => CertificateError::SnilsMissing,
        "certificate.snils_invalid" => CertificateError::SnilsInvalid,
        "certificate.inn_invalid" => CertificateError::InnInvalid,
        "certificate.organisation_inn_invalid" => CertificateError::OrganisationInnInvalid,
        "certificate.organisation_inn_conflict" => CertificateError::OrganisationInnConflict,
        "certificate.ogrn_invalid" => CertificateError::OgrnInvalid,
        "certificate.ogrnip_invalid" => CertificateError::OgrnipInvalid,
        "certificate.malformed" => CertificateError::Malformed {
            detail: String::new(),
        },
        "certificate.untrusted_issuer" => CertificateError::UntrustedIssuer,
        "certificate.bad_chain_signature" => CertificateError::BadChainSignature { depth: 0 },
        "certificate.issuer_not_valid" => CertificateError::IssuerNotValid {
            issuer: String::new(),
            not_before: any_time,
            not_after: any_time,
        },
        "certificate.revocation_unknown" => CertificateError::RevocationUnknown {
            issuer: String::new(),
            next_update: None,
        },
        "certificate.bad_signature" => CertificateError::BadSignature,
        _ => return None,
    };
    Some(error)
}

fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_owned()
    } else {
        format!("{count} days")
    }
}

/// Writes `<code>: <English message>`, which carries no personal data and
/// so is safe for logs.
impl fmt::Display for CertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lists each rule that `from_code` builds, with other values in every field.
    fn with_other_fields() -> Vec<CertificateError> {
        let time: Timestamp = "2031-05-06T07:08:09Z".parse().expect("timestamp");
        vec![
            CertificateError::NotYetValid { not_before: time },
            CertificateError::Expired { not_after: time },
            CertificateError::OutdatedGost,
            CertificateError::NameMissing,
            CertificateError::NameInvalid,
            CertificateError::SnilsMissing,
            CertificateError::SnilsInvalid,
            CertificateError::InnInvalid,
            CertificateError::OrganisationInnInvalid,
            CertificateError::OrganisationInnConflict,
            CertificateError::OgrnInvalid,
            CertificateError::OgrnipInvalid,
            CertificateError::Malformed {
                detail: "unexpected end of input".to_owned(),
            },
            CertificateError::UntrustedIssuer,
            CertificateError::BadChainSignature { depth: 2 },
            CertificateError::IssuerNotValid {
                issuer: "CN=Test CA".to_owned(),
                not_before: time,
                not_after: time,
            },
            CertificateError::RevocationUnknown {
                issuer: "CN=Test CA".to_owned(),
                next_update: Some(time),
            },
            CertificateError::BadSignature,
        ]
    }

    #[test]
    fn code_message_ignores_fields() {
        for error in with_other_fields() {
            for lang in [Lang::Ru, Lang::En] {
                assert_eq!(
                    CertificateError::message_for_code(error.code(), lang),
                    Some(error.message(lang)),
                    "{} in {lang:?}",
                    error.code()
                );
            }
        }
    }

    #[test]
    fn code_message_needs_details() {
        for code in [
            "certificate.expires_soon",
            "certificate.weak_rsa_key",
            "certificate.weak_curve",
            "certificate.unsupported_curve",
            "certificate.unsupported_key_algorithm",
            "certificate.repeated_attribute",
            "certificate.unsupported_signature_algorithm",
            "certificate.revoked",
            "certificate.scheme_mismatch",
            "signature.challenge_expired",
            "",
        ] {
            assert_eq!(
                CertificateError::message_for_code(code, Lang::En),
                None,
                "{code}"
            );
        }
    }
}
