//! Device authentication: checks the HMAC signature defined in
//! `domain::sync::auth`, the timestamp window and the nonce cache, with
//! device keys cached in memory until the next revocation.
//!
//! Every refusal is logged with the device id and the error code, never
//! with the signature, the nonce or the key.
//!
//! The nonce cache lives in memory, so a restart loses it. Requests stamped
//! before the server started are therefore rejected, which keeps a request
//! captured before a restart from being replayed after it. A device whose
//! clock runs behind is rejected only for that lag after a restart.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use axum::http::{HeaderMap, Method};
use domain::sync::auth::{
    canonical_string, verify, HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{Device, DeviceCredentials, RevocationStamp};

/// Device keys kept in memory, so a signed request costs no database read.
///
/// Valid only for the revocation stamp it was filled under: when any
/// process revokes a device the stamp changes and the cache starts empty,
/// so a revocation takes effect on the next request.
#[derive(Default)]
pub struct DeviceCache {
    entries: RwLock<(RevocationStamp, HashMap<Uuid, DeviceCredentials>)>,
}

impl DeviceCache {
    fn get(&self, id: Uuid, stamp: RevocationStamp) -> Option<DeviceCredentials> {
        let entries = self
            .entries
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.0 != stamp {
            return None;
        }
        entries.1.get(&id).cloned()
    }

    /// Stores credentials read from the database after `stamp` was taken.
    fn insert(&self, stamp: RevocationStamp, credentials: DeviceCredentials) {
        let mut entries = self
            .entries
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if entries.0 != stamp {
            entries.1.clear();
            entries.0 = stamp;
        }
        entries.1.insert(credentials.device.id, credentials);
    }
}

/// Nonces seen within the replay window, per device.
#[derive(Default)]
pub struct NonceCache {
    seen: Mutex<HashMap<(Uuid, String), i64>>,
}

impl NonceCache {
    /// Records a nonce; returns false when this device already used it.
    /// Entries older than the window are dropped on the way.
    fn insert(&self, device: Uuid, nonce: &str, timestamp: i64, now: i64, window: i64) -> bool {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, stamp| *stamp + window >= now);
        }
        seen.insert((device, nonce.to_owned()), timestamp).is_none()
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, ApiError> {
    let value = headers.get(name).ok_or_else(|| {
        ApiError::unauthorized(
            "auth.missing",
            format!(
                "Запрос не подписан: нет заголовка {name}. Зарегистрируйте устройство \
                 (`provision`) и повторите."
            ),
        )
    })?;
    value.to_str().map_err(|_| {
        ApiError::unauthorized(
            "auth.malformed",
            format!("Заголовок {name} содержит недопустимые символы."),
        )
    })
}

fn refuse(device_id: Option<Uuid>, code: &str, message: impl Into<String>) -> ApiError {
    tracing::warn!(device_id = ?device_id, code, "device request rejected");
    ApiError::unauthorized(code, message)
}

/// Authenticates a device request and returns the device.
pub async fn authenticate(
    state: &AppState,
    method: &Method,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Device, ApiError> {
    let device_text = header(headers, HEADER_DEVICE)?;
    let timestamp_text = header(headers, HEADER_TIMESTAMP)?;
    let nonce = header(headers, HEADER_NONCE)?;
    let signature = header(headers, HEADER_SIGNATURE)?;

    let device_id = Uuid::parse_str(device_text).map_err(|_| {
        refuse(
            None,
            "auth.malformed",
            format!("Заголовок {HEADER_DEVICE} должен содержать UUID устройства."),
        )
    })?;
    let timestamp: i64 = timestamp_text.parse().map_err(|_| {
        refuse(
            Some(device_id),
            "auth.malformed",
            format!("Заголовок {HEADER_TIMESTAMP} должен содержать время в секундах Unix."),
        )
    })?;
    if !(16..=64).contains(&nonce.len()) || !nonce.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(refuse(
            Some(device_id),
            "auth.malformed",
            format!(
                "Заголовок {HEADER_NONCE} должен содержать от 16 до 64 шестнадцатеричных символов."
            ),
        ));
    }

    let now = state.clock.now().as_second();
    let window = state.limits.replay_window.as_secs();
    if (timestamp - now).abs() > window {
        return Err(refuse(
            Some(device_id),
            "auth.clock_skew",
            format!(
                "Время запроса отличается от времени сервера на {} с (допустимо {window} с). \
                 Проверьте часы устройства.",
                timestamp - now
            ),
        ));
    }

    if timestamp < state.started_at {
        return Err(refuse(
            Some(device_id),
            "auth.clock_skew",
            "Время запроса раньше запуска сервера. Проверьте часы устройства и повторите запрос.",
        ));
    }

    let stamp = state.store.revocation_stamp();
    let credentials = match state.devices.get(device_id, stamp) {
        Some(cached) => Some(cached),
        None => {
            let loaded = state
                .run_store(move |store| store.device_credentials(device_id))
                .await?;
            if let Some(loaded) = &loaded {
                state.devices.insert(stamp, loaded.clone());
            }
            loaded
        }
    };
    let Some(credentials) = credentials else {
        return Err(refuse(
            Some(device_id),
            "auth.unknown_device",
            "Устройство не зарегистрировано на сервере. Зарегистрируйте его заново с новым токеном.",
        ));
    };
    if credentials.device.revoked_at.is_some() {
        return Err(refuse(
            Some(device_id),
            "auth.revoked",
            "Доступ устройства отозван администратором. Обратитесь к администратору центра.",
        ));
    }

    let canonical = canonical_string(method.as_str(), path_and_query, timestamp, nonce, body);
    if !verify(&credentials.secret, &canonical, signature) {
        return Err(refuse(
            Some(device_id),
            "auth.bad_signature",
            "Подпись запроса неверна. Проверьте ключ устройства или зарегистрируйте его заново.",
        ));
    }
    if !state
        .nonces
        .insert(device_id, nonce, timestamp, now, window)
    {
        return Err(refuse(
            Some(device_id),
            "auth.replayed",
            "Этот запрос уже был принят (повтор одноразового значения). Отправьте новый запрос.",
        ));
    }
    Ok(credentials.device)
}
