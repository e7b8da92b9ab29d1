//! The revocation marker `<database>.revocations`: one line per revoked
//! device, appended after the revocation commits, by the server or by the
//! CLI in another process.
//!
//! The server caches device keys in memory and drops the whole cache when
//! the marker's size or modification time changes, which a `stat` per
//! request notices without touching the database.

use std::io::Write;
use std::path::{Path, PathBuf};

use uuid::Uuid;

use crate::store::RevocationStamp;

pub(crate) struct Marker {
    path: PathBuf,
}

impl Marker {
    pub fn next_to(database: &Path) -> Marker {
        let mut name = database.as_os_str().to_owned();
        name.push(".revocations");
        Marker {
            path: PathBuf::from(name),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends the revoked device's id and syncs the file.
    pub fn record(&self, device: Uuid) -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        writeln!(file, "{device}")?;
        file.sync_all()
    }

    /// Returns the marker's size and modification time; a missing marker
    /// (nothing revoked yet) is the zero stamp.
    pub fn stamp(&self) -> RevocationStamp {
        match std::fs::metadata(&self.path) {
            Ok(meta) => RevocationStamp {
                len: meta.len(),
                modified: meta.modified().ok(),
            },
            Err(_) => RevocationStamp::default(),
        }
    }
}
