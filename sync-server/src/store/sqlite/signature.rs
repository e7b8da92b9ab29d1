//! Signature challenges and the confirmation they lead to: the account of
//! the certificate's СНИЛС raised to «подтверждённая» and its profile
//! filled from the certificate.
//!
//! A challenge row is marked used inside the transaction that raises the
//! account, on the single writer connection, so one challenge confirms at
//! most once. Rows stay after use or expiry until they age out of the
//! rate-limit window, because the limit counts them.

use domain::account::AccountLevel;
use domain::snils::Snils;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::apply::{raise_account, Rejection};
use super::audit::{self, AuditEntry};
use super::codec::{parse_opt_time, parse_time, parse_uuid};
use super::migrations::backend;
use crate::contacts::config::Window;
use crate::store::{
    AccountProfile, ChallengeRefusal, SignatureConfirmation, StoreError, StoredChallenge,
};

/// The `method` stored for a confirmation by a qualified signature.
pub(crate) const METHOD_SIGNATURE: &str = "signature";

pub(crate) fn issue(
    conn: &mut Connection,
    challenge: &StoredChallenge,
    limit: Window,
    now: Timestamp,
) -> Result<Result<(), Timestamp>, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let since = now.as_second() - limit.period_secs as i64;
    tx.execute(
        "DELETE FROM signature_challenges WHERE issued_at <= ?1",
        [since],
    )
    .map_err(backend)?;
    let device = challenge.device_id.to_string();
    let count: u32 = tx
        .query_row(
            "SELECT COUNT(*) FROM signature_challenges WHERE device_id = ?1",
            [&device],
            |row| row.get(0),
        )
        .map_err(backend)?;
    if count >= limit.max {
        // The challenge that has to age out of the window before one more fits.
        let oldest: i64 = tx
            .query_row(
                "SELECT issued_at FROM signature_challenges WHERE device_id = ?1
                 ORDER BY issued_at LIMIT 1 OFFSET ?2",
                params![device, count - limit.max],
                |row| row.get(0),
            )
            .map_err(backend)?;
        let retry_at = Timestamp::from_second(oldest + limit.period_secs as i64)
            .map_err(|err| StoreError::Backend(err.to_string()))?;
        return Ok(Err(retry_at));
    }
    tx.execute(
        "INSERT INTO signature_challenges (id, device_id, attempt_id, nonce, issued_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            challenge.id.to_string(),
            device,
            challenge.attempt_id.to_string(),
            challenge.nonce,
            now.as_second(),
            challenge.expires_at.to_string()
        ],
    )
    .map_err(backend)?;
    tx.commit().map_err(backend)?;
    Ok(Ok(()))
}

pub(crate) fn challenge(
    conn: &Connection,
    id: Uuid,
) -> Result<Option<StoredChallenge>, StoreError> {
    conn.query_row(
        "SELECT id, device_id, attempt_id, nonce, expires_at, used_at
         FROM signature_challenges WHERE id = ?1",
        [id.to_string()],
        |row| {
            Ok(StoredChallenge {
                id: parse_uuid(0, row.get(0)?)?,
                device_id: parse_uuid(1, row.get(1)?)?,
                attempt_id: parse_uuid(2, row.get(2)?)?,
                nonce: row.get(3)?,
                expires_at: parse_time(4, row.get(4)?)?,
                used_at: parse_opt_time(5, row.get(5)?)?,
            })
        },
    )
    .optional()
    .map_err(backend)
}

/// Returns the key of the account row of `snils`: the form an earlier
/// confirmation stored (the kiosk sends the printed form, but older rows
/// may hold bare digits), or the printed form for a new account.
fn account_key(conn: &Connection, snils: &Snils) -> Result<String, StoreError> {
    let printed = snils.to_string();
    let stored: Option<String> = conn
        .query_row(
            "SELECT snils FROM accounts WHERE snils IN (?1, ?2) ORDER BY updated_at DESC LIMIT 1",
            [printed.as_str(), snils.digits().as_str()],
            |row| row.get(0),
        )
        .optional()
        .map_err(backend)?;
    Ok(stored.unwrap_or(printed))
}

pub(crate) fn confirm(
    conn: &mut Connection,
    confirmation: &SignatureConfirmation,
    now: Timestamp,
) -> Result<Result<AccountLevel, ChallengeRefusal>, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let Some(stored) = challenge(&tx, confirmation.challenge_id)? else {
        return Ok(Err(ChallengeRefusal::Unknown));
    };
    if let Err(refusal) = stored.check(confirmation.device_id, confirmation.attempt_id, now) {
        return Ok(Err(refusal));
    }
    tx.execute(
        "UPDATE signature_challenges SET used_at = ?1 WHERE id = ?2",
        params![now.to_string(), confirmation.challenge_id.to_string()],
    )
    .map_err(backend)?;

    let holder = &confirmation.holder;
    let key = account_key(&tx, &holder.snils)?;
    raise_account(&tx, &key, now).map_err(|rejection| match rejection {
        Rejection::Store(err) => err,
        Rejection::Rule { code, message, .. } => StoreError::Backend(format!(
            "raising the account was rejected: {code}: {message}"
        )),
    })?;
    tx.execute(
        "INSERT INTO account_profiles (snils, surname, given_name, patronymic, inn, method,
             certificate_issuer, certificate_serial, confirmed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (snils) DO UPDATE SET surname = excluded.surname,
             given_name = excluded.given_name, patronymic = excluded.patronymic,
             inn = excluded.inn, method = excluded.method,
             certificate_issuer = excluded.certificate_issuer,
             certificate_serial = excluded.certificate_serial,
             confirmed_at = excluded.confirmed_at",
        params![
            key,
            holder.name.surname(),
            holder.name.given_name(),
            holder.name.patronymic(),
            holder.inn.as_ref().map(|inn| inn.as_str().to_owned()),
            METHOD_SIGNATURE,
            confirmation.certificate_issuer,
            confirmation.certificate_serial,
            now.to_string()
        ],
    )
    .map_err(backend)?;

    // Ids and the scheme only: the СНИЛС, name and certificate serial stay
    // in the account tables.
    let actor = confirmation.device_id.to_string();
    let subject = confirmation.attempt_id.to_string();
    let detail = format!(
        "challenge={} scheme={}",
        confirmation.challenge_id,
        confirmation.scheme.as_str()
    );
    audit::append(
        &tx,
        &AuditEntry {
            actor: &actor,
            action: "account.confirm_signature",
            subject: &subject,
            detail: &detail,
        },
        now,
    )?;
    tx.commit().map_err(backend)?;
    Ok(Ok(AccountLevel::Confirmed))
}

pub(crate) fn profile(
    conn: &Connection,
    snils: &Snils,
) -> Result<Option<AccountProfile>, StoreError> {
    conn.query_row(
        "SELECT method, certificate_issuer, certificate_serial, confirmed_at, inn IS NOT NULL
         FROM account_profiles WHERE snils IN (?1, ?2) ORDER BY confirmed_at DESC LIMIT 1",
        [snils.to_string(), snils.digits()],
        |row| {
            Ok(AccountProfile {
                method: row.get(0)?,
                certificate_issuer: row.get(1)?,
                certificate_serial: row.get(2)?,
                confirmed_at: parse_time(3, row.get(3)?)?,
                has_inn: row.get(4)?,
            })
        },
    )
    .optional()
    .map_err(backend)
}
