//! Conversions between Rust values and their SQLite column forms: UUIDs
//! and timestamps as text, enums by their stable names.

use jiff::Timestamp;
use rusqlite::types::Type;
use uuid::Uuid;

pub(crate) fn parse_uuid(index: usize, text: String) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(&text)
        .map_err(|err| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(err)))
}

pub(crate) fn parse_time(index: usize, text: String) -> rusqlite::Result<Timestamp> {
    text.parse::<Timestamp>()
        .map_err(|err| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(err)))
}

pub(crate) fn parse_opt_time(
    index: usize,
    text: Option<String>,
) -> rusqlite::Result<Option<Timestamp>> {
    text.map(|text| parse_time(index, text)).transpose()
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    index: usize,
    text: &str,
) -> rusqlite::Result<T> {
    serde_json::from_str(text)
        .map_err(|err| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, Box::new(err)))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("protocol and domain types serialize to JSON")
}

pub(crate) fn bad_value(index: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, what.to_owned().into())
}
