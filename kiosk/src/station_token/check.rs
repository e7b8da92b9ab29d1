//! The kiosk's own checks of a token's certificates before the visitor
//! types a PIN, so a certificate the server would reject is refused with
//! its reason at once, also while the server is unreachable.

use domain::qualified_certificate::subject::oid;
use domain::qualified_certificate::{
    check_certificate, check_for_confirmation, SubjectAttribute, TrustDirectory,
};
use hardware::token::TokenCertificate;
use jiff::Timestamp;

use crate::token::CertificateChoice;

/// The issuer attribute shown to the visitor: the common name.
const COMMON_NAME: &str = "CN=";

/// Keeps the qualified certificates: those whose subject carries a СНИЛС.
/// When none does, every certificate is kept, so the visitor reads why
/// the one on the token cannot be used instead of seeing an empty token.
pub(super) fn qualified(certificates: Vec<TokenCertificate>) -> Vec<TokenCertificate> {
    let has_snils = |certificate: &TokenCertificate| {
        certificate
            .certificate
            .facts
            .subject
            .iter()
            .any(|attribute| attribute.oid == oid::SNILS)
    };
    if certificates.iter().any(has_snils) {
        certificates.into_iter().filter(has_snils).collect()
    } else {
        certificates
    }
}

/// Describes `certificate` for the visitor with the result of the checks
/// at `now`: the rules, and the chain with revocation against `trust`.
///
/// Without a trust copy (a kiosk that has not reached the server since it
/// was provisioned) only the rules run here, and the server, which checks
/// the chain again anyway, decides.
pub(super) fn describe(
    certificate: &TokenCertificate,
    trust: Option<&TrustDirectory>,
    now: Timestamp,
) -> CertificateChoice {
    let facts = &certificate.certificate.facts;
    let check = match trust {
        Some(trust) => check_for_confirmation(&certificate.certificate.der, trust, now).map(|_| ()),
        None => check_certificate(facts, now).map(|_| ()),
    };
    if let Err(err) = &check {
        tracing::info!(code = err.code(), serial = %certificate.certificate.serial_hex, "certificate refused by the kiosk's checks");
    }
    CertificateChoice {
        holder: holder_name(&facts.subject),
        issuer: issuer_name(&certificate.certificate.issuer),
        valid_until: facts.not_after,
        check,
    }
}

/// Returns «Surname Given names» from the subject, or its common name.
fn holder_name(subject: &[SubjectAttribute]) -> String {
    let find = |wanted: &str| {
        subject
            .iter()
            .find(|attribute| attribute.oid == wanted)
            .map(|attribute| attribute.value.trim().to_owned())
    };
    match (find(oid::SURNAME), find(oid::GIVEN_NAME)) {
        (Some(surname), Some(given)) => format!("{surname} {given}"),
        (Some(surname), None) => surname,
        _ => find("2.5.4.3").unwrap_or_default(),
    }
}

/// Returns the issuer's common name from its RFC 4514 form, or the whole
/// name when it has none.
fn issuer_name(issuer: &str) -> String {
    issuer
        .split(',')
        .find_map(|part| part.trim().strip_prefix(COMMON_NAME))
        .map(str::to_owned)
        .unwrap_or_else(|| issuer.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_common_name_is_shown() {
        assert_eq!(
            issuer_name("CN=Okno Test CA,O=Okno test certification center,C=RU"),
            "Okno Test CA"
        );
    }

    #[test]
    fn issuer_without_common_name_is_whole() {
        assert_eq!(issuer_name("O=УЦ,C=RU"), "O=УЦ,C=RU");
    }

    #[test]
    fn holder_is_surname_and_given_names() {
        let subject = vec![
            SubjectAttribute::new("2.5.4.3", "Иванова Мария Петровна"),
            SubjectAttribute::new(oid::SURNAME, "Иванова"),
            SubjectAttribute::new(oid::GIVEN_NAME, "Мария Петровна"),
        ];

        assert_eq!(holder_name(&subject), "Иванова Мария Петровна");
    }

    #[test]
    fn holder_falls_back_to_common_name() {
        let subject = vec![SubjectAttribute::new("2.5.4.3", "Тестовый сертификат")];

        assert_eq!(holder_name(&subject), "Тестовый сертификат");
    }
}
