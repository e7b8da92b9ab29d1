//! Errors of the local store. No variant carries personal data: values
//! that fail to decode are described by their column, never quoted.

use domain::ticket::ServiceCategory;
use jiff::civil::Date;

/// A local store operation that failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("local database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error(
        "the local database has schema version {found}, but this station supports at most \
         {supported}; install the newer station software or move the file aside"
    )]
    NewerSchema { found: u32, supported: u32 },

    #[error(
        "SQLite refused WAL mode (journal mode is {mode}); put the database on a local file system"
    )]
    JournalMode { mode: String },

    /// No leased number is left for this category and day. The kiosk shows
    /// this to the visitor and the sync service asks for a new block as
    /// soon as the server is reachable.
    #[error(
        "Нет свободных номеров талонов в категории «{}» на {day}: нужна связь с сервером \
         (no ticket numbers left in category {category} for {day}; the station needs the \
         server to lease a new block)",
        category.name(domain::Lang::Ru)
    )]
    NoTicketNumbers {
        category: ServiceCategory,
        day: Date,
    },

    #[error(
        "a lease for {day} in category {category} has numbers {first}..={last}, outside 1..=999"
    )]
    LeaseOutOfRange {
        category: String,
        day: Date,
        first: u16,
        last: u16,
    },

    /// A stored value could not be encoded or decoded. Only the column is
    /// named, because the value may be personal data.
    #[error("the local database holds an unreadable value in {column}; the file may be damaged")]
    Corrupt { column: &'static str },
}
