//! `sync-server trust add|add-crl|list|remove`: the administrator's view of
//! the trust directory. Each change raises the directory's version, which
//! kiosks pick up on their next `GET /v1/trust`, and is audited with the
//! actor `admin-cli`.

use anyhow::{bail, Context};
use domain::qualified_certificate::x509::parse_certificate;
use jiff::Timestamp;

use super::TrustCommand;
use crate::store::sqlite::SqliteStore;
use crate::store::Store;
use crate::trust;

const ACTOR: &str = "admin-cli";

/// Runs one `trust` subcommand.
pub fn run(store: &SqliteStore, command: TrustCommand, now: Timestamp) -> anyhow::Result<()> {
    match command {
        TrustCommand::Add { anchor, file } => {
            let der = trust::read_der(&file, "CERTIFICATE")?;
            let inspected = trust::inspect_certificate(&file, &der, anchor, now)?;
            let (record, issuer) = (inspected.record, inspected.issuer);
            let self_signed = record.subject == issuer;
            if !anchor && self_signed {
                bail!(
                    "{}: сертификат «{issuer}» самоподписанный (корневой); корневые \
                     сертификаты добавляются с --anchor",
                    file.display()
                );
            }
            if !anchor {
                let directory = store.trust_directory()?;
                if !directory
                    .certificates
                    .iter()
                    .any(|known| known.subject == issuer)
                {
                    bail!(
                        "{}: издатель «{issuer}» промежуточного сертификата не найден в списке \
                         доверенных; сначала добавьте сертификат издателя",
                        file.display()
                    );
                }
            }
            let version = store
                .trust_add_certificate(&record, ACTOR, now)
                .with_context(|| file.display().to_string())?;
            let kind = match (anchor, self_signed) {
                (true, true) => "корневой сертификат",
                // RFC 5280 lets any certificate be a trust anchor. The output
                // names it as such, because chains then end at this one.
                (true, false) => "несамоподписанный сертификат (якорь доверия)",
                (false, _) => "промежуточный сертификат",
            };
            eprintln!(
                "{kind} «{}» добавлен, версия списка {version}",
                record.subject
            );
            println!("{}", record.fingerprint);
        }
        TrustCommand::AddCrl { file } => {
            let der = trust::read_der(&file, "X509 CRL")?;
            let record = trust::inspect_crl(&file, &der, now)?;
            let directory = store.trust_directory()?;
            if !directory
                .certificates
                .iter()
                .any(|known| known.subject == record.issuer)
            {
                bail!(
                    "{}: издатель списка отзыва «{}» не найден в списке доверенных; сначала \
                     добавьте его сертификат (`sync-server trust add`)",
                    file.display(),
                    record.issuer
                );
            }
            let loaded = trust::load(&directory).with_context(|| {
                format!("the stored trust directory (version {})", directory.version)
            })?;
            if !loaded.signs_crl(&der)? {
                bail!(
                    "{}: список отзыва издателя «{}» не подписан ни одним сертификатом с этим \
                     именем из списка доверенных; скачайте список отзыва с сайта \
                     удостоверяющего центра заново или добавьте действующий сертификат его \
                     издателя",
                    file.display(),
                    record.issuer
                );
            }
            let version = store
                .trust_add_crl(&record, ACTOR, now)
                .with_context(|| file.display().to_string())?;
            eprintln!(
                "список отзыва издателя «{}» сохранён, версия списка {version}",
                record.issuer
            );
        }
        TrustCommand::List => {
            let directory = store.trust_directory()?;
            println!("version\t{}", directory.version);
            for certificate in &directory.certificates {
                let kind = if certificate.anchor {
                    "anchor"
                } else {
                    "intermediate"
                };
                println!(
                    "certificate\t{}\t{kind}\t{}\t{}\t{}",
                    certificate.fingerprint,
                    certificate.serial_hex,
                    certificate.not_after,
                    certificate.subject
                );
            }
            for crl in &directory.crls {
                let next = crl
                    .next_update
                    .map_or_else(|| "-".to_owned(), |at| at.to_string());
                println!("crl\t{}\t{next}\t{}", crl.this_update, crl.issuer);
            }
        }
        TrustCommand::Remove { fingerprint } => {
            let fingerprint = fingerprint.trim().to_ascii_lowercase();
            refuse_orphaning_removal(store, &fingerprint)?;
            let removal = store.trust_remove_certificate(&fingerprint, ACTOR, now)?;
            eprintln!(
                "сертификат {fingerprint} удалён, версия списка {}",
                removal.version
            );
            for issuer in &removal.crls_removed {
                eprintln!("удалён и список отзыва издателя «{issuer}»");
            }
        }
    }
    Ok(())
}

/// Rejects removing an unknown fingerprint, and removing the last
/// certificate of a name that still issues other stored certificates,
/// because those could then never chain.
fn refuse_orphaning_removal(store: &SqliteStore, fingerprint: &str) -> anyhow::Result<()> {
    let directory = store.trust_directory()?;
    let Some(removed) = directory
        .certificates
        .iter()
        .find(|certificate| certificate.fingerprint == fingerprint)
    else {
        bail!(
            "сертификата с отпечатком {fingerprint} нет в списке доверенных; отпечатки \
             показывает `sync-server trust list`"
        );
    };
    let same_name_stays = directory
        .certificates
        .iter()
        .any(|other| other.fingerprint != removed.fingerprint && other.subject == removed.subject);
    if same_name_stays {
        return Ok(());
    }
    let issued: Vec<&str> = directory
        .certificates
        .iter()
        .filter(|other| other.fingerprint != removed.fingerprint)
        .filter(|other| {
            parse_certificate(&other.der).is_ok_and(|parsed| parsed.issuer == removed.subject)
        })
        .map(|other| other.fingerprint.as_str())
        .collect();
    if !issued.is_empty() {
        bail!(
            "сертификат «{}» выпустил сертификаты, которые остаются в списке доверенных ({}); \
             сначала удалите их командой `sync-server trust remove`",
            removed.subject,
            issued.join(", ")
        );
    }
    Ok(())
}
