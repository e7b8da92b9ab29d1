//! The device's enrollment metadata: who this station is to the server.
//! The signing secret is not here; it lives in the credentials file.

use domain::sync::DeviceRole;
use jiff::Timestamp;
use rusqlite::{params, OptionalExtension};
use uuid::Uuid;

use super::{Store, StoreError};

/// The enrollment data the server assigned, without the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    pub device_id: Uuid,
    pub center_id: Uuid,
    pub role: DeviceRole,
    pub server_url: String,
    pub label: String,
    pub enrolled_at: Timestamp,
}

impl Store {
    /// Stores the device metadata, replacing an earlier enrollment.
    pub fn save_device(&self, device: &DeviceInfo) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO device (singleton, device_id, center_id, role, server_url, label, enrolled_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (singleton) DO UPDATE SET
                device_id = excluded.device_id, center_id = excluded.center_id,
                role = excluded.role, server_url = excluded.server_url,
                label = excluded.label, enrolled_at = excluded.enrolled_at",
            params![
                device.device_id.to_string(),
                device.center_id.to_string(),
                device.role.as_str(),
                device.server_url,
                device.label,
                device.enrolled_at.to_string(),
            ],
        )?;
        Ok(())
    }

    /// Returns the device metadata, or `None` before provisioning.
    pub fn device(&self) -> Result<Option<DeviceInfo>, StoreError> {
        let row = self
            .lock()
            .query_row(
                "SELECT device_id, center_id, role, server_url, label, enrolled_at
                 FROM device WHERE singleton = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((device_id, center_id, role, server_url, label, enrolled_at)) = row else {
            return Ok(None);
        };
        Ok(Some(DeviceInfo {
            device_id: parse_uuid(&device_id, "device.device_id")?,
            center_id: parse_uuid(&center_id, "device.center_id")?,
            role: DeviceRole::parse(&role).ok_or(StoreError::Corrupt {
                column: "device.role",
            })?,
            server_url,
            label,
            enrolled_at: parse_timestamp(&enrolled_at, "device.enrolled_at")?,
        }))
    }
}

pub(super) fn parse_uuid(text: &str, column: &'static str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| StoreError::Corrupt { column })
}

pub(super) fn parse_timestamp(text: &str, column: &'static str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt { column })
}
