//! Operator accounts, failed-login lockout and sessions.

use domain::sync::OperatorRole;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::codec::{bad_value, parse_opt_time, parse_time, parse_uuid};
use super::migrations::backend;
use crate::store::{NewOperator, Operator, Session, StoreError};

pub(crate) fn add_operator(
    conn: &mut Connection,
    operator: &NewOperator,
    password_hash: &str,
    now: Timestamp,
) -> Result<Uuid, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let exists: Option<String> = tx
        .query_row(
            "SELECT id FROM operators WHERE login = ?1",
            [&operator.login],
            |row| row.get(0),
        )
        .optional()
        .map_err(backend)?;
    if exists.is_some() {
        return Err(StoreError::conflict(
            "operator.login_taken",
            format!("Логин «{}» уже занят. Выберите другой.", operator.login),
        ));
    }
    let center_known: Option<String> = tx
        .query_row(
            "SELECT id FROM centers WHERE id = ?1",
            [operator.center_id.to_string()],
            |row| row.get(0),
        )
        .optional()
        .map_err(backend)?;
    if center_known.is_none() {
        return Err(StoreError::NotFound {
            what: format!("center {}", operator.center_id),
        });
    }
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO operators (id, center_id, login, role, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id.to_string(),
            operator.center_id.to_string(),
            operator.login,
            operator.role.as_str(),
            password_hash,
            now.to_string()
        ],
    )
    .map_err(backend)?;
    let subject = id.to_string();
    audit::append(
        &tx,
        &AuditEntry {
            actor: "admin-cli",
            action: "operator.add",
            subject: &subject,
            detail: operator.role.as_str(),
        },
        now,
    )?;
    tx.commit().map_err(backend)?;
    Ok(id)
}

pub(crate) fn operator_by_login(
    conn: &Connection,
    login: &str,
) -> Result<Option<Operator>, StoreError> {
    conn.query_row(
        "SELECT id, center_id, login, role, password_hash, failed_logins, locked_until, disabled
         FROM operators WHERE login = ?1",
        [login],
        |row| {
            let role: String = row.get(3)?;
            Ok(Operator {
                id: parse_uuid(0, row.get(0)?)?,
                center_id: parse_uuid(1, row.get(1)?)?,
                login: row.get(2)?,
                role: OperatorRole::parse(&role).ok_or_else(|| bad_value(3, "operator role"))?,
                password_hash: row.get(4)?,
                failed_logins: row.get(5)?,
                locked_until: parse_opt_time(6, row.get(6)?)?,
                disabled: row.get(7)?,
            })
        },
    )
    .optional()
    .map_err(backend)
}

pub(crate) fn record_login_failure(
    conn: &mut Connection,
    operator_id: Uuid,
    lock_after: u32,
    lock_for: SignedDuration,
    now: Timestamp,
) -> Result<Option<Timestamp>, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let failures: u32 = tx
        .query_row(
            "UPDATE operators SET failed_logins = failed_logins + 1 WHERE id = ?1 RETURNING failed_logins",
            [operator_id.to_string()],
            |row| row.get(0),
        )
        .map_err(backend)?;
    let mut locked_until = None;
    if failures >= lock_after {
        let until = now
            .checked_add(lock_for)
            .map_err(|err| StoreError::Backend(err.to_string()))?;
        tx.execute(
            "UPDATE operators SET failed_logins = 0, locked_until = ?1 WHERE id = ?2",
            params![until.to_string(), operator_id.to_string()],
        )
        .map_err(backend)?;
        let subject = operator_id.to_string();
        audit::append(
            &tx,
            &AuditEntry {
                actor: "login",
                action: "operator.lockout",
                subject: &subject,
                detail: "",
            },
            now,
        )?;
        locked_until = Some(until);
    }
    tx.commit().map_err(backend)?;
    Ok(locked_until)
}

pub(crate) fn start_session(
    conn: &mut Connection,
    operator_id: Uuid,
    device_id: Uuid,
    session_hash: &str,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    tx.execute(
        "UPDATE operators SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
        [operator_id.to_string()],
    )
    .map_err(backend)?;
    tx.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1",
        [now.to_string()],
    )
    .map_err(backend)?;
    tx.execute(
        "INSERT INTO sessions (token_hash, operator_id, device_id, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![session_hash, operator_id.to_string(), device_id.to_string(), expires_at.to_string()],
    )
    .map_err(backend)?;
    tx.commit().map_err(backend)
}

pub(crate) fn session(
    conn: &Connection,
    session_hash: &str,
    now: Timestamp,
) -> Result<Option<Session>, StoreError> {
    let found = conn
        .query_row(
            "SELECT s.operator_id, o.center_id, o.role, s.expires_at, o.disabled
             FROM sessions s JOIN operators o ON o.id = s.operator_id
             WHERE s.token_hash = ?1",
            [session_hash],
            |row| {
                let role: String = row.get(2)?;
                let disabled: bool = row.get(4)?;
                Ok((
                    Session {
                        operator_id: parse_uuid(0, row.get(0)?)?,
                        center_id: parse_uuid(1, row.get(1)?)?,
                        role: OperatorRole::parse(&role)
                            .ok_or_else(|| bad_value(2, "operator role"))?,
                        expires_at: parse_time(3, row.get(3)?)?,
                    },
                    disabled,
                ))
            },
        )
        .optional()
        .map_err(backend)?;
    Ok(found
        .and_then(|(session, disabled)| (!disabled && session.expires_at > now).then_some(session)))
}

pub(crate) fn set_operator_disabled(
    conn: &mut Connection,
    login: &str,
    disabled: bool,
    actor: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let id = operator_id(&tx, login)?;
    tx.execute(
        "UPDATE operators SET disabled = ?1, failed_logins = 0, locked_until = NULL WHERE id = ?2",
        params![disabled, id],
    )
    .map_err(backend)?;
    if disabled {
        tx.execute("DELETE FROM sessions WHERE operator_id = ?1", [&id])
            .map_err(backend)?;
    }
    let action = if disabled {
        "operator.lock"
    } else {
        "operator.unlock"
    };
    audit::append(
        &tx,
        &AuditEntry {
            actor,
            action,
            subject: &id,
            detail: "",
        },
        now,
    )?;
    tx.commit().map_err(backend)
}

pub(crate) fn set_operator_password(
    conn: &mut Connection,
    login: &str,
    password_hash: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let id = operator_id(&tx, login)?;
    tx.execute(
        "UPDATE operators SET password_hash = ?1, failed_logins = 0, locked_until = NULL WHERE id = ?2",
        params![password_hash, id],
    )
    .map_err(backend)?;
    tx.execute("DELETE FROM sessions WHERE operator_id = ?1", [&id])
        .map_err(backend)?;
    audit::append(
        &tx,
        &AuditEntry {
            actor: "admin-cli",
            action: "operator.reset_password",
            subject: &id,
            detail: "",
        },
        now,
    )?;
    tx.commit().map_err(backend)
}

fn operator_id(conn: &Connection, login: &str) -> Result<String, StoreError> {
    conn.query_row(
        "SELECT id FROM operators WHERE login = ?1",
        [login],
        |row| row.get(0),
    )
    .optional()
    .map_err(backend)?
    .ok_or_else(|| StoreError::NotFound {
        what: format!("operator with login «{login}»"),
    })
}
