//! Contact codes and the send log behind the rate limits.
//!
//! A code is stored as `salt:sha256(salt code)` with its
//! `OneTimeCodeState` as JSON; the send log keeps only hashes of the
//! contact (`phone:+7...`, `email:...`) and the device key, with the Unix
//! second of each send.

use domain::one_time_code::{OneTimeCode, OneTimeCodeState, ResendStatus};
use domain::sync::ContactKind;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::codec::{parse_json, to_json};
use super::migrations::backend;
use crate::contacts::config::Window;
use crate::secrets;
use crate::store::{ContactIssue, ContactRefusal, IssuedContactCode, StoreError};

fn code_hash(salt: &str, code: &OneTimeCode) -> String {
    format!(
        "{salt}:{}",
        secrets::sha256_hex(format!("{salt}{}", code.as_str()).as_bytes())
    )
}

fn matches(stored: &str, code: &OneTimeCode) -> bool {
    stored
        .split_once(':')
        .is_some_and(|(salt, _)| code_hash(salt, code) == stored)
}

fn contact_key(contact: ContactKind, value: &str) -> String {
    secrets::sha256_hex(format!("{}:{value}", contact.as_str()).as_bytes())
}

/// Returns when the next send under `key` is allowed, or `None` if now.
fn limited(
    conn: &Connection,
    key: &str,
    window: Window,
    now: Timestamp,
) -> Result<Option<Timestamp>, StoreError> {
    let since = now.as_second() - window.period_secs as i64;
    let count: u32 = conn
        .query_row(
            "SELECT COUNT(*) FROM contact_sends WHERE key = ?1 AND at > ?2",
            params![key, since],
            |row| row.get(0),
        )
        .map_err(backend)?;
    if count < window.max {
        return Ok(None);
    }
    // The send that has to age out of the window before one more fits.
    let oldest: i64 = conn
        .query_row(
            "SELECT at FROM contact_sends WHERE key = ?1 AND at > ?2 ORDER BY at LIMIT 1 OFFSET ?3",
            params![key, since, count - window.max],
            |row| row.get(0),
        )
        .map_err(backend)?;
    let retry_at = Timestamp::from_second(oldest + window.period_secs as i64)
        .map_err(|err| StoreError::Backend(err.to_string()))?;
    Ok(Some(retry_at))
}

pub(crate) fn issue(
    conn: &mut Connection,
    issue: &ContactIssue,
    now: Timestamp,
) -> Result<Result<IssuedContactCode, ContactRefusal>, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let existing: Option<(String, String, String, Option<String>)> = tx
        .query_row(
            "SELECT value, device_id, state, verified_at FROM contact_codes
             WHERE request_id = ?1 AND contact = ?2",
            params![issue.request_id.to_string(), issue.contact.as_str()],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()
        .map_err(backend)?;
    let device = issue.device_id.to_string();
    let value = match (&issue.value, &existing) {
        (Some(value), _) => value.clone(),
        (None, Some((value, ..))) => value.clone(),
        (None, None) => return Ok(Err(ContactRefusal::NoCode)),
    };
    if let Some((stored_value, stored_device, state, verified_at)) = &existing {
        if *stored_device != device {
            return Ok(Err(ContactRefusal::NoCode));
        }
        if *stored_value == value {
            if verified_at.is_some() {
                return Ok(Err(ContactRefusal::AlreadyVerified));
            }
            let state: OneTimeCodeState = parse_json(2, state).map_err(backend)?;
            if let ResendStatus::NotBefore { available_at } = state.can_resend(now) {
                return Ok(Err(ContactRefusal::ResendTooEarly {
                    retry_at: available_at,
                }));
            }
        }
    }

    let (scope, window) = match issue.contact {
        ContactKind::Phone => ("phone", issue.limits.per_phone),
        ContactKind::Email => ("email", issue.limits.per_email),
    };
    let key = contact_key(issue.contact, &value);
    let device_key = format!("device:{device}");
    for (scope, key, window) in [
        (scope, key.as_str(), window),
        ("device", device_key.as_str(), issue.limits.per_device),
    ] {
        if let Some(retry_at) = limited(&tx, key, window, now)? {
            return Ok(Err(ContactRefusal::RateLimited { scope, retry_at }));
        }
    }

    let code = OneTimeCode::generate(&mut rand::rng());
    let salt = secrets::random_token(16);
    let hash = code_hash(&salt, &code);
    let state = OneTimeCodeState::issue(now, issue.policy);
    tx.execute(
        "INSERT INTO contact_codes (request_id, contact, value, device_id, code_hash, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (request_id, contact) DO UPDATE SET value = excluded.value,
             code_hash = excluded.code_hash, state = excluded.state, verified_at = NULL",
        params![
            issue.request_id.to_string(),
            issue.contact.as_str(),
            value,
            device,
            hash,
            to_json(&state)
        ],
    )
    .map_err(backend)?;
    for key in [key.as_str(), device_key.as_str()] {
        tx.execute(
            "INSERT INTO contact_sends (at, key) VALUES (?1, ?2)",
            params![now.as_second(), key],
        )
        .map_err(backend)?;
    }
    // Sends older than the longest window count for nothing.
    let longest = [
        issue.limits.per_phone,
        issue.limits.per_email,
        issue.limits.per_device,
    ]
    .iter()
    .map(|window| window.period_secs)
    .max()
    .unwrap_or(0);
    tx.execute(
        "DELETE FROM contact_sends WHERE at <= ?1",
        [now.as_second() - longest as i64],
    )
    .map_err(backend)?;
    tx.commit().map_err(backend)?;
    Ok(Ok(IssuedContactCode {
        code,
        value,
        state,
        code_hash: hash,
    }))
}

pub(crate) fn discard(
    conn: &mut Connection,
    request_id: Uuid,
    contact: ContactKind,
    code_hash: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM contact_codes WHERE request_id = ?1 AND contact = ?2 AND code_hash = ?3",
        params![request_id.to_string(), contact.as_str(), code_hash],
    )
    .map_err(backend)?;
    Ok(())
}

pub(crate) fn verify(
    conn: &mut Connection,
    request_id: Uuid,
    contact: ContactKind,
    device_id: Uuid,
    entered: &str,
    now: Timestamp,
) -> Result<Result<Timestamp, ContactRefusal>, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let found: Option<(String, String, String)> = tx
        .query_row(
            "SELECT code_hash, state, device_id FROM contact_codes
             WHERE request_id = ?1 AND contact = ?2",
            params![request_id.to_string(), contact.as_str()],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()
        .map_err(backend)?;
    let Some((stored, state, device)) = found else {
        return Ok(Err(ContactRefusal::NoCode));
    };
    if device != device_id.to_string() {
        return Ok(Err(ContactRefusal::NoCode));
    }
    let mut state: OneTimeCodeState = parse_json(1, &state).map_err(backend)?;
    let outcome = state.verify(now, entered, |code| matches(&stored, code));
    tx.execute(
        "UPDATE contact_codes SET state = ?1, verified_at = COALESCE(verified_at, ?2)
         WHERE request_id = ?3 AND contact = ?4",
        params![
            to_json(&state),
            outcome.is_ok().then(|| now.to_string()),
            request_id.to_string(),
            contact.as_str()
        ],
    )
    .map_err(backend)?;
    tx.commit().map_err(backend)?;
    Ok(outcome.map(|()| now).map_err(ContactRefusal::Code))
}
