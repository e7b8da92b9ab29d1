//! Centers, enrollment tokens and devices.

use domain::sync::DeviceRole;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Row};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::codec::{bad_value, parse_opt_time, parse_time, parse_uuid};
use super::migrations::backend;
use crate::store::{Center, CenterTicketKey, Device, DeviceCredentials, StoreError};

pub(crate) fn add_center(
    conn: &mut Connection,
    center: &Center,
    now: Timestamp,
) -> Result<(), StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    tx.execute(
        "INSERT INTO centers (id, name, address, time_zone, latitude, longitude, created_at,
                              code, ticket_qr_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            center.id.to_string(),
            center.name,
            center.address,
            center.time_zone,
            center.latitude,
            center.longitude,
            now.to_string(),
            default_center_code(center.id),
            crate::secrets::random_bytes(TICKET_QR_KEY_LEN),
        ],
    )
    .map_err(backend)?;
    let subject = center.id.to_string();
    audit::append(
        &tx,
        &AuditEntry {
            actor: "admin-cli",
            action: "center.add",
            subject: &subject,
            detail: "",
        },
        now,
    )?;
    tx.commit().map_err(backend)
}

/// Length of a center's ticket QR key in bytes.
const TICKET_QR_KEY_LEN: usize = 32;

/// `MFC-` and the last eight hex digits of the id, upper case: random bits
/// of a v7 UUID (its first digits are a timestamp). Migration 5 applies the
/// same rule to centers added before codes were kept.
fn default_center_code(id: Uuid) -> String {
    let hex = id.simple().to_string().to_uppercase();
    format!("MFC-{}", &hex[24..])
}

pub(crate) fn center_ticket_key(
    conn: &Connection,
    center_id: Uuid,
) -> Result<Option<CenterTicketKey>, StoreError> {
    conn.query_row(
        "SELECT code, ticket_qr_key FROM centers WHERE id = ?1",
        [center_id.to_string()],
        |row| {
            Ok(CenterTicketKey {
                code: row.get(0)?,
                key: row.get(1)?,
            })
        },
    )
    .optional()
    .map_err(backend)
}

pub(crate) fn center(conn: &Connection, id: Uuid) -> Result<Option<Center>, StoreError> {
    conn.query_row(
        "SELECT id, name, address, time_zone, latitude, longitude FROM centers WHERE id = ?1",
        [id.to_string()],
        |row| {
            Ok(Center {
                id: parse_uuid(0, row.get(0)?)?,
                name: row.get(1)?,
                address: row.get(2)?,
                time_zone: row.get(3)?,
                latitude: row.get(4)?,
                longitude: row.get(5)?,
            })
        },
    )
    .optional()
    .map_err(backend)
}

pub(crate) fn add_enroll_token(
    conn: &mut Connection,
    center_id: Uuid,
    role: DeviceRole,
    token_hash: &str,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    if center(&tx, center_id)?.is_none() {
        return Err(StoreError::NotFound {
            what: format!("center {center_id}"),
        });
    }
    tx.execute(
        "INSERT INTO enroll_tokens (token_hash, center_id, role, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, center_id.to_string(), role.as_str(), expires_at.to_string()],
    )
    .map_err(backend)?;
    let subject = center_id.to_string();
    audit::append(
        &tx,
        &AuditEntry {
            actor: "admin-cli",
            action: "enroll_token.create",
            subject: &subject,
            detail: role.as_str(),
        },
        now,
    )?;
    tx.commit().map_err(backend)
}

pub(crate) fn enroll_device(
    conn: &mut Connection,
    token_hash: &str,
    label: &str,
    secret: &[u8],
    now: Timestamp,
) -> Result<Device, StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let token: Option<(String, String, String, Option<String>)> = tx
        .query_row(
            "SELECT center_id, role, expires_at, used_at FROM enroll_tokens WHERE token_hash = ?1",
            [token_hash],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()
        .map_err(backend)?;
    let Some((center_id, role, expires_at, used_at)) = token else {
        return Err(StoreError::invalid(
            "enroll.token_unknown",
            "Токен регистрации не найден. Проверьте, что он введён полностью, или выпустите \
             новый командой `sync-server enroll-token`.",
        ));
    };
    if used_at.is_some() {
        return Err(StoreError::invalid(
            "enroll.token_used",
            "Токен регистрации уже использован. Выпустите новый командой `sync-server enroll-token`.",
        ));
    }
    let expires_at = parse_time(2, expires_at).map_err(backend)?;
    if expires_at <= now {
        return Err(StoreError::invalid(
            "enroll.token_expired",
            format!(
                "Срок действия токена регистрации истёк {expires_at}. Выпустите новый командой \
                 `sync-server enroll-token`."
            ),
        ));
    }
    let role = DeviceRole::parse(&role).ok_or_else(|| {
        StoreError::Backend(format!("unknown device role {role:?} in enroll_tokens"))
    })?;
    let center_id = parse_uuid(0, center_id).map_err(backend)?;

    tx.execute(
        "UPDATE enroll_tokens SET used_at = ?1 WHERE token_hash = ?2",
        params![now.to_string(), token_hash],
    )
    .map_err(backend)?;
    let device = Device {
        id: Uuid::now_v7(),
        center_id,
        role,
        label: label.to_owned(),
        enrolled_at: now,
        revoked_at: None,
    };
    tx.execute(
        "INSERT INTO devices (id, center_id, role, label, secret, enrolled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            device.id.to_string(),
            center_id.to_string(),
            role.as_str(),
            label,
            secret,
            now.to_string()
        ],
    )
    .map_err(backend)?;
    let subject = device.id.to_string();
    audit::append(
        &tx,
        &AuditEntry {
            actor: "enrollment",
            action: "device.enroll",
            subject: &subject,
            detail: role.as_str(),
        },
        now,
    )?;
    tx.commit().map_err(backend)?;
    Ok(device)
}

const DEVICE_COLUMNS: &str = "id, center_id, role, label, enrolled_at, revoked_at, secret";

fn device_from_row(row: &Row<'_>) -> rusqlite::Result<DeviceCredentials> {
    let role: String = row.get(2)?;
    Ok(DeviceCredentials {
        device: Device {
            id: parse_uuid(0, row.get(0)?)?,
            center_id: parse_uuid(1, row.get(1)?)?,
            role: DeviceRole::parse(&role).ok_or_else(|| bad_value(2, "device role"))?,
            label: row.get(3)?,
            enrolled_at: parse_time(4, row.get(4)?)?,
            revoked_at: parse_opt_time(5, row.get(5)?)?,
        },
        secret: row.get(6)?,
    })
}

pub(crate) fn device_credentials(
    conn: &Connection,
    id: Uuid,
) -> Result<Option<DeviceCredentials>, StoreError> {
    conn.query_row(
        &format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?1"),
        [id.to_string()],
        device_from_row,
    )
    .optional()
    .map_err(backend)
}

pub(crate) fn list_devices(conn: &Connection) -> Result<Vec<Device>, StoreError> {
    let mut statement = conn
        .prepare(&format!(
            "SELECT {DEVICE_COLUMNS} FROM devices ORDER BY enrolled_at, id"
        ))
        .map_err(backend)?;
    let rows = statement.query_map([], device_from_row).map_err(backend)?;
    rows.map(|row| row.map(|credentials| credentials.device).map_err(backend))
        .collect()
}

pub(crate) fn revoke_device(
    conn: &mut Connection,
    id: Uuid,
    actor: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let tx = conn.transaction().map_err(backend)?;
    let changed = tx
        .execute(
            "UPDATE devices SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
            params![now.to_string(), id.to_string()],
        )
        .map_err(backend)?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: format!("device {id} (or it is already revoked)"),
        });
    }
    let subject = id.to_string();
    audit::append(
        &tx,
        &AuditEntry {
            actor,
            action: "device.revoke",
            subject: &subject,
            detail: "",
        },
        now,
    )?;
    tx.commit().map_err(backend)
}
