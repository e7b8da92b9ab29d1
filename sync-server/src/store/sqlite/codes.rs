//! Portal clients and the single-use redemption of identity confirmation
//! codes.
//!
//! A code row is marked used inside the same transaction that checks it,
//! on the single writer connection, so two redemptions racing for one code
//! cannot both succeed.

use domain::sync::CodeRedeemed;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::codec::{parse_json, parse_opt_time, parse_time, parse_uuid};
use super::migrations::backend;
use crate::store::{PortalClient, StoreError};

pub(crate) fn add_portal_client(
    conn: &mut Connection,
    label: &str,
    token_hash: &str,
    now: Timestamp,
) -> Result<PortalClient, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let client = PortalClient {
        id: Uuid::now_v7(),
        label: label.to_owned(),
        created_at: now,
        revoked_at: None,
    };
    tx.execute(
        "INSERT INTO portal_clients (id, label, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![client.id.to_string(), label, token_hash, now.to_string()],
    )
    .map_err(backend)?;
    let subject = client.id.to_string();
    audit::append(
        &tx,
        &AuditEntry {
            actor: "admin-cli",
            action: "portal_client.add",
            subject: &subject,
            detail: "",
        },
        now,
    )?;
    tx.commit().map_err(backend)?;
    Ok(client)
}

pub(crate) fn portal_client(
    conn: &Connection,
    token_hash: &str,
) -> Result<Option<PortalClient>, StoreError> {
    conn.query_row(
        "SELECT id, label, created_at, revoked_at FROM portal_clients WHERE token_hash = ?1",
        [token_hash],
        |row| {
            Ok(PortalClient {
                id: parse_uuid(0, row.get(0)?)?,
                label: row.get(1)?,
                created_at: parse_time(2, row.get(2)?)?,
                revoked_at: parse_opt_time(3, row.get(3)?)?,
            })
        },
    )
    .optional()
    .map_err(backend)
}

pub(crate) fn revoke_portal_client(
    conn: &mut Connection,
    id: Uuid,
    now: Timestamp,
) -> Result<(), StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let changed = tx
        .execute(
            "UPDATE portal_clients SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
            params![now.to_string(), id.to_string()],
        )
        .map_err(backend)?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: format!("portal client {id} (or it is already revoked)"),
        });
    }
    let subject = id.to_string();
    audit::append(
        &tx,
        &AuditEntry {
            actor: "admin-cli",
            action: "portal_client.revoke",
            subject: &subject,
            detail: "",
        },
        now,
    )?;
    tx.commit().map_err(backend)
}

fn unknown() -> StoreError {
    StoreError::invalid(
        "code.unknown",
        "Код подтверждения не найден. Сверьте код с бланком, выданным в центре, и введите \
         его снова; если код верен, обратитесь в центр.",
    )
}

pub(crate) fn redeem_code(
    conn: &mut Connection,
    code_hash: &str,
    snils_digits: &str,
    actor: &str,
    now: Timestamp,
) -> Result<CodeRedeemed, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let found: Option<(String, String, Option<String>, String, String)> = tx
        .query_row(
            "SELECT c.request_id, c.expires_at, c.used_at, r.center_id, r.visitor
             FROM confirmation_codes c JOIN requests r ON r.id = c.request_id
             WHERE c.code_hash = ?1",
            [code_hash],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )
        .optional()
        .map_err(backend)?;
    let Some((request_id, expires_at, used_at, center_id, visitor)) = found else {
        return Err(unknown());
    };
    let visitor: domain::sync::VisitorData = parse_json(4, &visitor).map_err(backend)?;
    let owner = domain::snils::parse_snils(&visitor.snils)
        .map(|snils| snils.digits())
        .unwrap_or_default();
    if owner != snils_digits {
        // Return the same error as for a code that does not exist, so a
        // guessed code reveals nothing about its owner.
        return Err(unknown());
    }
    if used_at.is_some() {
        return Err(StoreError::invalid(
            "code.used",
            "Этот код подтверждения уже использован: личность по нему подтверждена. \
             Повторно вводить его не нужно.",
        ));
    }
    let expires_at = parse_time(1, expires_at).map_err(backend)?;
    if now >= expires_at {
        return Err(StoreError::invalid(
            "code.expired",
            "Срок действия кода подтверждения истёк. Обратитесь в центр за новым кодом.",
        ));
    }
    tx.execute(
        "UPDATE confirmation_codes SET used_at = ?1 WHERE code_hash = ?2",
        params![now.to_string(), code_hash],
    )
    .map_err(backend)?;
    audit::append(
        &tx,
        &AuditEntry {
            actor,
            action: "code.redeem",
            subject: &request_id,
            detail: "",
        },
        now,
    )?;
    tx.commit().map_err(backend)?;
    Ok(CodeRedeemed {
        request_id: parse_uuid(0, request_id).map_err(backend)?,
        center_id: parse_uuid(3, center_id).map_err(backend)?,
        redeemed_at: now,
    })
}
