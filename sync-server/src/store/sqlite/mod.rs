//! The SQLite store: one database file in WAL mode, a writer connection
//! and a reader connection, each behind a mutex.
//!
//! N.B. One writer connection serializes every write, which SQLite does
//! anyway; concurrent pushes share a commit (see `sync::push_group`).
//! Reads that need no transaction (devices, sessions, operators, centers,
//! pulls, audit checks) use a second connection.

mod accounts;
mod admin;
mod apply;
mod audit;
mod codec;
mod codes;
mod contacts;
pub mod migrations;
mod operators;
mod revocations;
mod signature;
mod sync;
mod trust;

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use domain::sync::{DeviceRole, EventAck, EventEnvelope, LeaseGrant, PullPage};
use domain::ticket::ServiceCategory;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;
use uuid::Uuid;

use crate::store::{
    AuditReport, Center, CenterTicketKey, Device, DeviceCredentials, NewOperator, Operator,
    PortalClient, RevocationStamp, Session, StoreError,
};
use migrations::backend;

pub use audit::AuditHead;

/// Commit durability, set as SQLite's `PRAGMA synchronous`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// `synchronous=FULL`: a commit survives a power loss.
    Full,
    /// `synchronous=NORMAL`: a commit survives a process crash; the last
    /// commits may roll back after a power loss.
    Normal,
}

/// The embedded store.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// A second connection for reads that need no transaction (device
    /// lookups, pulls), so they do not queue behind a group commit. WAL
    /// lets it read the last committed state while a write runs.
    reader: Mutex<Connection>,
    /// Pushes waiting for the next group commit (see `sync::push_group`).
    pending: Mutex<Vec<sync::PushJob>>,
    /// Changes whenever any process revokes a device (see [`revocations`]).
    revocations: revocations::Marker,
    /// The audit head file next to the database (see `audit::HeadFile`).
    head: audit::HeadFile,
    /// Registration requests need confirmed contacts; set when the server
    /// sends contact codes.
    contacts_required: std::sync::atomic::AtomicBool,
    /// Sequence of the newest audit entry written to the head file.
    head_seq: AtomicU64,
}

/// The writer connection; releasing it writes a new audit head to the
/// head file when the work done under it appended audit entries.
pub(crate) struct Writer<'a> {
    conn: MutexGuard<'a, Connection>,
    store: &'a SqliteStore,
}

impl Deref for Writer<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl DerefMut for Writer<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

impl Drop for Writer<'_> {
    fn drop(&mut self) {
        // Runs after the caller's transaction committed or rolled back, so
        // the file never names an entry that is not stored.
        let written = self.store.head_seq.load(Ordering::Relaxed);
        match audit::head(&self.conn) {
            Ok(Some(head)) if head.seq > written => match self.store.head.write(&head) {
                Ok(()) => self.store.head_seq.store(head.seq, Ordering::Relaxed),
                Err(err) => tracing::error!(
                    path = %self.store.head.path().display(),
                    seq = head.seq,
                    error = %err,
                    "cannot write the audit head file; audit verify cannot detect removal of the newest entries"
                ),
            },
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "cannot read the audit head"),
        }
    }
}

impl SqliteStore {
    /// Opens (creating if missing) and migrates the database at `path`.
    pub fn open(path: &Path, durability: Durability) -> Result<Self, StoreError> {
        // A first start on a fresh checkout names a file under a folder
        // that does not exist yet (`var/okno.sqlite3`); SQLite creates only
        // the file.
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|err| {
                StoreError::Backend(format!(
                    "cannot create the folder {} for the database: {err}",
                    parent.display()
                ))
            })?;
        }
        let mut conn = Connection::open(path).map_err(|err| {
            StoreError::Backend(format!("cannot open database {}: {err}", path.display()))
        })?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(backend)?;
        let synchronous = match durability {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        };
        conn.pragma_update(None, "synchronous", synchronous)
            .map_err(backend)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(backend)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(backend)?;
        migrations::migrate(&mut conn)?;
        let reader = Connection::open(path).map_err(backend)?;
        reader
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(backend)?;
        let head = audit::HeadFile::next_to(path);
        let head_seq = head.read()?.map_or(0, |head| head.seq);
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            reader: Mutex::new(reader),
            pending: Mutex::new(Vec::new()),
            revocations: revocations::Marker::next_to(path),
            head,
            head_seq: AtomicU64::new(head_seq),
            contacts_required: std::sync::atomic::AtomicBool::new(false),
        })
    }

    fn pending_pushes(&self) -> MutexGuard<'_, Vec<sync::PushJob>> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn reader(&self) -> MutexGuard<'_, Connection> {
        self.reader
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn conn(&self) -> Writer<'_> {
        // A panic while the lock was held left no transaction open (rusqlite
        // rolls back on drop), so the connection is still usable.
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Writer { conn, store: self }
    }

    /// Returns the newest audit entry as stored in the database.
    pub fn audit_head(&self) -> Result<Option<AuditHead>, StoreError> {
        audit::head(&self.reader())
    }

    /// Returns the path of the audit head file kept next to the database.
    pub fn audit_head_path(&self) -> &Path {
        self.head.path()
    }
}

impl crate::store::Store for SqliteStore {
    fn ready(&self) -> Result<(), StoreError> {
        self.conn()
            .query_row("SELECT 1", [], |_| Ok(()))
            .map_err(backend)
    }

    fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(backend)
    }

    fn add_center(&self, center: &Center, now: Timestamp) -> Result<(), StoreError> {
        admin::add_center(&mut self.conn(), center, now)
    }

    fn center(&self, id: Uuid) -> Result<Option<Center>, StoreError> {
        admin::center(&self.reader(), id)
    }

    fn center_ticket_key(&self, center_id: Uuid) -> Result<Option<CenterTicketKey>, StoreError> {
        admin::center_ticket_key(&self.reader(), center_id)
    }

    fn add_enroll_token(
        &self,
        center_id: Uuid,
        role: DeviceRole,
        token_hash: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        admin::add_enroll_token(
            &mut self.conn(),
            center_id,
            role,
            token_hash,
            expires_at,
            now,
        )
    }

    fn enroll_device(
        &self,
        token_hash: &str,
        label: &str,
        secret: &[u8],
        now: Timestamp,
    ) -> Result<Device, StoreError> {
        admin::enroll_device(&mut self.conn(), token_hash, label, secret, now)
    }

    fn require_confirmed_contacts(&self, required: bool) {
        self.contacts_required.store(required, Ordering::Relaxed);
    }

    fn revocation_stamp(&self) -> RevocationStamp {
        self.revocations.stamp()
    }

    fn device_credentials(&self, id: Uuid) -> Result<Option<DeviceCredentials>, StoreError> {
        admin::device_credentials(&self.reader(), id)
    }

    fn list_devices(&self) -> Result<Vec<Device>, StoreError> {
        admin::list_devices(&self.reader())
    }

    fn revoke_device(&self, id: Uuid, actor: &str, now: Timestamp) -> Result<(), StoreError> {
        admin::revoke_device(&mut self.conn(), id, actor, now)?;
        // After the commit: a server that reloads on the marker's change must
        // read the revoked row.
        self.revocations.record(id).map_err(|err| {
            StoreError::Backend(format!(
                "device {id} is revoked, but the revocation marker {} was not written, so a \
                 running server may accept it until restarted: {err}",
                self.revocations.path().display()
            ))
        })
    }

    fn push(
        &self,
        device: &Device,
        session: Option<&Session>,
        events: &[EventEnvelope],
        now: Timestamp,
    ) -> Result<Vec<EventAck>, StoreError> {
        let (reply, result) = std::sync::mpsc::channel();
        // Built before taking the queue's lock: encoding the events is the
        // part of a push that can run beside another push's commit.
        let job = sync::PushJob::new(
            device.clone(),
            session.cloned(),
            events.to_vec(),
            now,
            self.contacts_required.load(Ordering::Relaxed),
            reply,
        );
        self.pending_pushes().push(job);

        // The next holder of the connection applies every queued push: this
        // job, or a group that already included it while this thread waited
        // for the lock. Either way the reply is sent before the lock is free.
        {
            let mut conn = self.conn();
            let jobs = std::mem::take(&mut *self.pending_pushes());
            if !jobs.is_empty() {
                sync::push_group(&mut conn, jobs);
            }
        }
        result.recv().map_err(|_| {
            StoreError::Backend("a group commit dropped a push without a reply".into())
        })?
    }

    fn pull(
        &self,
        center_id: Uuid,
        cursor: u64,
        limit: u32,
        with_visitor_data: bool,
    ) -> Result<PullPage, StoreError> {
        sync::pull(&self.reader(), center_id, cursor, limit, with_visitor_data)
    }

    fn grant_lease(
        &self,
        device: &Device,
        category: ServiceCategory,
        count: u16,
        day: Date,
        now: Timestamp,
    ) -> Result<LeaseGrant, StoreError> {
        sync::grant_lease(&mut self.conn(), device, category, count, day, now)
    }

    fn add_operator(
        &self,
        operator: &NewOperator,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Uuid, StoreError> {
        operators::add_operator(&mut self.conn(), operator, password_hash, now)
    }

    fn operator_by_login(&self, login: &str) -> Result<Option<Operator>, StoreError> {
        operators::operator_by_login(&self.reader(), login)
    }

    fn record_login_failure(
        &self,
        operator_id: Uuid,
        lock_after: u32,
        lock_for: SignedDuration,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        operators::record_login_failure(&mut self.conn(), operator_id, lock_after, lock_for, now)
    }

    fn start_session(
        &self,
        operator_id: Uuid,
        device_id: Uuid,
        session_hash: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        operators::start_session(
            &mut self.conn(),
            operator_id,
            device_id,
            session_hash,
            expires_at,
            now,
        )
    }

    fn session(&self, session_hash: &str, now: Timestamp) -> Result<Option<Session>, StoreError> {
        operators::session(&self.reader(), session_hash, now)
    }

    fn set_operator_disabled(
        &self,
        login: &str,
        disabled: bool,
        actor: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        operators::set_operator_disabled(&mut self.conn(), login, disabled, actor, now)
    }

    fn set_operator_password(
        &self,
        login: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        operators::set_operator_password(&mut self.conn(), login, password_hash, now)
    }

    fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        let head = self.head.read()?;
        audit::verify(&self.reader(), head.as_ref())
    }

    fn add_portal_client(
        &self,
        label: &str,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<PortalClient, StoreError> {
        codes::add_portal_client(&mut self.conn(), label, token_hash, now)
    }

    fn portal_client(&self, token_hash: &str) -> Result<Option<PortalClient>, StoreError> {
        codes::portal_client(&self.reader(), token_hash)
    }

    fn revoke_portal_client(&self, id: Uuid, now: Timestamp) -> Result<(), StoreError> {
        codes::revoke_portal_client(&mut self.conn(), id, now)
    }

    fn redeem_code(
        &self,
        code_hash: &str,
        snils_digits: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<domain::sync::CodeRedeemed, StoreError> {
        codes::redeem_code(&mut self.conn(), code_hash, snils_digits, actor, now)
    }

    fn account(
        &self,
        snils: &domain::snils::Snils,
    ) -> Result<Option<crate::store::Account>, StoreError> {
        accounts::account(&self.reader(), snils)
    }

    fn account_profile(
        &self,
        snils: &domain::snils::Snils,
    ) -> Result<Option<crate::store::AccountProfile>, StoreError> {
        signature::profile(&self.reader(), snils)
    }

    fn trust_add_certificate(
        &self,
        certificate: &crate::store::TrustedCertificateRecord,
        actor: &str,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        trust::add_certificate(&mut self.conn(), certificate, actor, now)
    }

    fn trust_add_crl(
        &self,
        crl: &crate::store::CrlRecord,
        actor: &str,
        now: Timestamp,
    ) -> Result<u64, StoreError> {
        trust::add_crl(&mut self.conn(), crl, actor, now)
    }

    fn trust_remove_certificate(
        &self,
        fingerprint: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<crate::store::TrustRemoval, StoreError> {
        trust::remove_certificate(&mut self.conn(), fingerprint, actor, now)
    }

    fn trust_version(&self) -> Result<u64, StoreError> {
        trust::version(&self.reader())
    }

    fn trust_directory(&self) -> Result<crate::store::TrustSnapshot, StoreError> {
        trust::directory(&mut self.reader())
    }

    fn signature_challenge_issue(
        &self,
        challenge: &crate::store::StoredChallenge,
        limit: crate::contacts::config::Window,
        now: Timestamp,
    ) -> Result<Result<(), Timestamp>, StoreError> {
        signature::issue(&mut self.conn(), challenge, limit, now)
    }

    fn signature_challenge(
        &self,
        id: Uuid,
    ) -> Result<Option<crate::store::StoredChallenge>, StoreError> {
        signature::challenge(&self.reader(), id)
    }

    fn signature_confirm(
        &self,
        confirmation: &crate::store::SignatureConfirmation,
        now: Timestamp,
    ) -> Result<Result<domain::account::AccountLevel, crate::store::ChallengeRefusal>, StoreError>
    {
        signature::confirm(&mut self.conn(), confirmation, now)
    }

    fn lease_stock(&self) -> Result<Vec<crate::store::LeaseStock>, StoreError> {
        sync::lease_stock(&self.reader())
    }

    fn contact_issue(
        &self,
        issue: &crate::store::ContactIssue,
        now: Timestamp,
    ) -> Result<Result<crate::store::IssuedContactCode, crate::store::ContactRefusal>, StoreError>
    {
        contacts::issue(&mut self.conn(), issue, now)
    }

    fn contact_discard(
        &self,
        request_id: Uuid,
        contact: domain::sync::ContactKind,
        code_hash: &str,
    ) -> Result<(), StoreError> {
        contacts::discard(&mut self.conn(), request_id, contact, code_hash)
    }

    fn contact_verify(
        &self,
        request_id: Uuid,
        contact: domain::sync::ContactKind,
        device_id: Uuid,
        entered: &str,
        now: Timestamp,
    ) -> Result<Result<Timestamp, crate::store::ContactRefusal>, StoreError> {
        contacts::verify(
            &mut self.conn(),
            request_id,
            contact,
            device_id,
            entered,
            now,
        )
    }
}
