//! Reading a visitor's portal account. The account row is written only by
//! a confirming decision (see `apply.rs`); this module never writes.

use domain::account::AccountLevel;
use domain::snils::Snils;
use rusqlite::{Connection, OptionalExtension};

use super::codec::parse_time;
use super::migrations::backend;
use crate::store::{Account, StoreError};

/// Returns the account of the person with `snils`. The key is the СНИЛС
/// as the kiosk sent it, so both its printed form (`146-815-297 86`) and
/// its bare digits are looked up.
pub(crate) fn account(conn: &Connection, snils: &Snils) -> Result<Option<Account>, StoreError> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT level, updated_at FROM accounts WHERE snils IN (?1, ?2)
             ORDER BY updated_at DESC LIMIT 1",
            [snils.to_string(), snils.digits()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(backend)?;
    let Some((code, updated_at)) = row else {
        return Ok(None);
    };
    let level = AccountLevel::ALL
        .into_iter()
        .find(|level| level.code() == code)
        .ok_or_else(|| StoreError::Backend(format!("unknown account level {code:?}")))?;
    Ok(Some(Account {
        level,
        updated_at: parse_time(1, updated_at).map_err(backend)?,
    }))
}
