//! The storage interface the HTTP layer and the CLI use, and the records it
//! returns. [`sqlite::SqliteStore`] is the embedded implementation; a
//! PostgreSQL one would implement the same trait.
//!
//! Every method is blocking. Async callers run them on Tokio's blocking
//! pool (see `AppState::run_store`), never on a runtime worker thread.

pub mod sqlite;

use domain::sync::{DeviceRole, EventAck, EventEnvelope, LeaseGrant, OperatorRole, PullPage};
use domain::ticket::ServiceCategory;
use jiff::civil::Date;
use jiff::Timestamp;
use uuid::Uuid;

/// A service center.
#[derive(Debug, Clone, PartialEq)]
pub struct Center {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    /// IANA time zone name, such as `Europe/Moscow`; it decides the ticket day.
    pub time_zone: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// A center's code and the key its ticket QR payloads are signed with.
/// `Debug` leaves the key out.
#[derive(Clone, PartialEq, Eq)]
pub struct CenterTicketKey {
    /// Such as `MFC-0193A5C2`.
    pub code: String,
    /// 32 random bytes.
    pub key: Vec<u8>,
}

impl std::fmt::Debug for CenterTicketKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CenterTicketKey")
            .field("code", &self.code)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// An enrolled kiosk or operator console.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: Uuid,
    pub center_id: Uuid,
    pub role: DeviceRole,
    pub label: String,
    pub enrolled_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// Changes whenever a device is revoked, by any process; a cache of device
/// keys is valid only while the stamp stays the same.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RevocationStamp {
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
}

/// A visitor's portal account as this server keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account {
    pub level: domain::account::AccountLevel,
    /// When the level last changed.
    pub updated_at: Timestamp,
}

/// A device with the key it signs requests with.
#[derive(Clone)]
pub struct DeviceCredentials {
    pub device: Device,
    pub secret: Vec<u8>,
}

/// A new operator account, before its password is hashed in.
#[derive(Debug, Clone)]
pub struct NewOperator {
    pub center_id: Uuid,
    pub login: String,
    pub role: OperatorRole,
}

/// An operator account as the login check needs it.
#[derive(Clone)]
pub struct Operator {
    pub id: Uuid,
    pub center_id: Uuid,
    pub login: String,
    pub role: OperatorRole,
    pub password_hash: String,
    pub failed_logins: u32,
    pub locked_until: Option<Timestamp>,
    /// Locked by an administrator until unlocked by one.
    pub disabled: bool,
}

/// A live operator session.
#[derive(Debug, Clone)]
pub struct Session {
    pub operator_id: Uuid,
    pub center_id: Uuid,
    pub role: OperatorRole,
    pub expires_at: Timestamp,
}

/// A client of the citizen portal, allowed to redeem confirmation codes.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalClient {
    pub id: Uuid,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// Ticket numbers a kiosk holds in one category on the newest day it
/// leased numbers for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseStock {
    pub device_id: Uuid,
    pub center_id: Uuid,
    pub category: String,
    pub day: Date,
    /// Numbers granted that day.
    pub granted: u32,
    /// Tickets the kiosk issued from them.
    pub issued: u32,
}

/// A request to send a contact code, checked by `Store::contact_issue`.
#[derive(Debug, Clone)]
pub struct ContactIssue {
    pub request_id: Uuid,
    pub contact: domain::sync::ContactKind,
    /// The normalised phone or e-mail; `None` resends to the stored one.
    pub value: Option<String>,
    pub device_id: Uuid,
    pub limits: crate::contacts::config::Limits,
    pub policy: domain::one_time_code::OneTimeCodePolicy,
}

/// A code the store accepted to send; only its hash is stored.
pub struct IssuedContactCode {
    pub code: domain::one_time_code::OneTimeCode,
    /// The phone or e-mail to send it to.
    pub value: String,
    pub state: domain::one_time_code::OneTimeCodeState,
    /// Identifies this code for `Store::contact_discard`.
    pub code_hash: String,
}

/// The reason a contact code was not issued or not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactRefusal {
    /// Too many codes went to this `scope` (`phone`, `email` or `device`).
    RateLimited {
        scope: &'static str,
        retry_at: Timestamp,
    },
    /// The previous code to the same contact is younger than the resend delay.
    ResendTooEarly { retry_at: Timestamp },
    /// This contact is already confirmed for the request.
    AlreadyVerified,
    /// No code of this kiosk for this request and contact.
    NoCode,
    /// The domain rules refused the entered code.
    Code(domain::one_time_code::OneTimeCodeError),
}

/// A certificate of the trust directory: a trust anchor or an
/// intermediate of an accredited certification center.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedCertificateRecord {
    /// SHA-256 of the DER in lower-case hex; identifies the certificate
    /// in `trust remove`.
    pub fingerprint: String,
    pub anchor: bool,
    /// The subject's distinguished name in RFC 4514 form.
    pub subject: String,
    /// The serial number in upper-case hex.
    pub serial_hex: String,
    pub not_after: Timestamp,
    pub der: Vec<u8>,
}

/// The newest certificate revocation list of one issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlRecord {
    /// The issuer's distinguished name in RFC 4514 form, as the CRL
    /// names it; one CRL per issuer is kept.
    pub issuer: String,
    pub this_update: Timestamp,
    pub next_update: Option<Timestamp>,
    pub der: Vec<u8>,
}

/// The whole trust directory at one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustSnapshot {
    /// Raised by every change; 0 for a directory that never changed.
    pub version: u64,
    /// Anchors first, then intermediates, each group by subject.
    pub certificates: Vec<TrustedCertificateRecord>,
    /// By issuer.
    pub crls: Vec<CrlRecord>,
}

/// The result of removing a certificate from the trust directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustRemoval {
    pub version: u64,
    /// Issuers whose CRL went too, because no certificate of that name
    /// remained to check it with.
    pub crls_removed: Vec<String>,
}

/// A challenge for a signature token, as stored. The nonce is stored as
/// it is: the server rebuilds the signed message from it, and it is no
/// secret (the kiosk receives it in the clear, and knowing it does not
/// help anyone sign it without the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChallenge {
    pub id: Uuid,
    pub device_id: Uuid,
    pub attempt_id: Uuid,
    /// 32 random bytes in lower-case hex.
    pub nonce: String,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// The reason a signature challenge cannot be used, in the order the
/// checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeRefusal {
    /// No challenge with this id.
    Unknown,
    /// Another device asked for it.
    OtherDevice,
    /// It was issued for another attempt of the same device.
    OtherAttempt,
    /// A confirmation already consumed it.
    Used,
    /// Its lifetime ended.
    Expired,
}

impl StoredChallenge {
    /// Checks that `device_id` may use this challenge for `attempt_id`
    /// at `now`.
    pub fn check(
        &self,
        device_id: Uuid,
        attempt_id: Uuid,
        now: Timestamp,
    ) -> Result<(), ChallengeRefusal> {
        if self.device_id != device_id {
            return Err(ChallengeRefusal::OtherDevice);
        }
        if self.attempt_id != attempt_id {
            return Err(ChallengeRefusal::OtherAttempt);
        }
        if self.used_at.is_some() {
            return Err(ChallengeRefusal::Used);
        }
        if now >= self.expires_at {
            return Err(ChallengeRefusal::Expired);
        }
        Ok(())
    }
}

/// A verified signature confirmation, ready to commit: the challenge it
/// consumes and the holder data read from the certificate.
#[derive(Debug, Clone)]
pub struct SignatureConfirmation {
    pub challenge_id: Uuid,
    pub device_id: Uuid,
    pub attempt_id: Uuid,
    pub holder: domain::qualified_certificate::CertificateHolder,
    /// The certificate's issuer in RFC 4514 form and its serial in hex.
    pub certificate_issuer: String,
    pub certificate_serial: String,
    pub scheme: domain::sync::SignatureScheme,
}

/// The method and certificate by which an account's identity was
/// confirmed. Confirmations by an operator record none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountProfile {
    /// `signature` for a qualified electronic signature.
    pub method: String,
    pub certificate_issuer: String,
    pub certificate_serial: String,
    pub confirmed_at: Timestamp,
    /// Whether the profile has an ИНН from the certificate.
    pub has_inn: bool,
}

/// Result of checking the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditReport {
    /// Every entry links to the one before and hashes to its stored hash.
    Intact { entries: u64 },
    /// The first entry that does not; `reason` names the check that failed.
    Broken { seq: u64, reason: String },
}

/// A failed storage call. `Conflict` and `Invalid` are the caller's to
/// fix; `Backend` is the server's.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found: {what}")]
    NotFound { what: String },
    #[error("{code}: {message}")]
    Conflict {
        code: String,
        message: String,
        current_state: Option<String>,
    },
    #[error("{code}: {message}")]
    Invalid { code: String, message: String },
    #[error("storage failed: {0}")]
    Backend(String),
}

impl StoreError {
    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        StoreError::Conflict {
            code: code.to_owned(),
            message: message.into(),
            current_state: None,
        }
    }

    pub fn invalid(code: &str, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// Everything the server stores. Each call is one transaction.
pub trait Store: Send + Sync + 'static {
    /// Checks that the database runs a trivial query.
    fn ready(&self) -> Result<(), StoreError>;

    /// Writes the WAL back into the database file; called at shutdown.
    fn checkpoint(&self) -> Result<(), StoreError>;

    fn add_center(&self, center: &Center, now: Timestamp) -> Result<(), StoreError>;

    fn center(&self, id: Uuid) -> Result<Option<Center>, StoreError>;

    /// Returns the code and ticket QR key of the center `center_id`.
    fn center_ticket_key(&self, center_id: Uuid) -> Result<Option<CenterTicketKey>, StoreError>;

    /// Stores an enrollment token by its hash.
    fn add_enroll_token(
        &self,
        center_id: Uuid,
        role: DeviceRole,
        token_hash: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Burns the token with `token_hash` and enrolls a device with `secret`.
    fn enroll_device(
        &self,
        token_hash: &str,
        label: &str,
        secret: &[u8],
        now: Timestamp,
    ) -> Result<Device, StoreError>;

    /// Makes pushed registration requests need a phone (and e-mail, if
    /// given) confirmed by a contact code under the request's id.
    fn require_confirmed_contacts(&self, required: bool);

    /// Returns the current revocation stamp. Cheap and safe to call on an
    /// async thread (one `stat`), unlike every other method.
    fn revocation_stamp(&self) -> RevocationStamp;

    fn device_credentials(&self, id: Uuid) -> Result<Option<DeviceCredentials>, StoreError>;

    fn list_devices(&self) -> Result<Vec<Device>, StoreError>;

    /// Revokes a device; `actor` (`admin-cli` or an operator id) goes into
    /// the audit entry.
    fn revoke_device(&self, id: Uuid, actor: &str, now: Timestamp) -> Result<(), StoreError>;

    /// Applies a batch in one transaction and returns one ack per event.
    /// `session` is the operator on whose behalf a console pushes.
    fn push(
        &self,
        device: &Device,
        session: Option<&Session>,
        events: &[EventEnvelope],
        now: Timestamp,
    ) -> Result<Vec<EventAck>, StoreError>;

    /// Returns up to `limit` changes of `center_id` after `cursor`. Without
    /// `with_visitor_data`, submitted requests (which carry the visitor's
    /// personal data) are left out.
    fn pull(
        &self,
        center_id: Uuid,
        cursor: u64,
        limit: u32,
        with_visitor_data: bool,
    ) -> Result<PullPage, StoreError>;

    /// Grants a block of ticket numbers on `day` to a kiosk.
    fn grant_lease(
        &self,
        device: &Device,
        category: ServiceCategory,
        count: u16,
        day: Date,
        now: Timestamp,
    ) -> Result<LeaseGrant, StoreError>;

    fn add_operator(
        &self,
        operator: &NewOperator,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<Uuid, StoreError>;

    fn operator_by_login(&self, login: &str) -> Result<Option<Operator>, StoreError>;

    /// Counts a failed login; locks the account for `lock_for` once
    /// `lock_after` failures in a row are reached and returns the end of
    /// that lock.
    fn record_login_failure(
        &self,
        operator_id: Uuid,
        lock_after: u32,
        lock_for: jiff::SignedDuration,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError>;

    /// Resets the failure count and stores a session by its token hash.
    fn start_session(
        &self,
        operator_id: Uuid,
        device_id: Uuid,
        session_hash: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Returns the session with `session_hash` unless it expired.
    fn session(&self, session_hash: &str, now: Timestamp) -> Result<Option<Session>, StoreError>;

    /// Locks (`disabled = true`) or unlocks an account; unlocking also
    /// clears a failed-login lockout. `actor` goes into the audit entry.
    fn set_operator_disabled(
        &self,
        login: &str,
        disabled: bool,
        actor: &str,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    fn set_operator_password(
        &self,
        login: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    fn verify_audit(&self) -> Result<AuditReport, StoreError>;

    /// Checks the limits and the resend delay, then stores a new code for
    /// the request's contact and counts the send.
    fn contact_issue(
        &self,
        issue: &ContactIssue,
        now: Timestamp,
    ) -> Result<Result<IssuedContactCode, ContactRefusal>, StoreError>;

    /// Forgets a code whose delivery failed, so the visitor can ask again
    /// at once; the send still counts for the rate limits.
    fn contact_discard(
        &self,
        request_id: Uuid,
        contact: domain::sync::ContactKind,
        code_hash: &str,
    ) -> Result<(), StoreError>;

    /// Checks an entered code with the domain rules and stores the attempt;
    /// returns when the contact was confirmed.
    fn contact_verify(
        &self,
        request_id: Uuid,
        contact: domain::sync::ContactKind,
        device_id: Uuid,
        entered: &str,
        now: Timestamp,
    ) -> Result<Result<Timestamp, ContactRefusal>, StoreError>;

    /// Returns the lease stock of every active kiosk, one row per kiosk and
    /// category, for the newest day each holds numbers for.
    fn lease_stock(&self) -> Result<Vec<LeaseStock>, StoreError>;

    /// Stores a portal client by the hash of its bearer token.
    fn add_portal_client(
        &self,
        label: &str,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<PortalClient, StoreError>;

    /// Returns the client with `token_hash`, revoked or not.
    fn portal_client(&self, token_hash: &str) -> Result<Option<PortalClient>, StoreError>;

    fn revoke_portal_client(&self, id: Uuid, now: Timestamp) -> Result<(), StoreError>;

    /// Marks the confirmation code with `code_hash` used, once. `snils` is
    /// the digits of the person redeeming it; a code of another person's
    /// request is `code.unknown`. `actor` goes into the audit entry.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] with `code.unknown`, `code.expired` or
    /// `code.used`; the route gives each its own status.
    fn redeem_code(
        &self,
        code_hash: &str,
        snils_digits: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<domain::sync::CodeRedeemed, StoreError>;

    /// Returns the portal account of the person with `snils`, or `None`
    /// when no confirmation at a center has created it yet.
    fn account(&self, snils: &domain::snils::Snils) -> Result<Option<Account>, StoreError>;

    /// Returns how the account of `snils` was last confirmed by a
    /// signature, or `None` when no signature confirmed it.
    fn account_profile(
        &self,
        snils: &domain::snils::Snils,
    ) -> Result<Option<AccountProfile>, StoreError>;

    /// Adds a certificate to the trust directory and returns the new
    /// version. `actor` goes into the audit entry.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] `trust.exists` when a certificate with the
    /// same fingerprint is stored.
    fn trust_add_certificate(
        &self,
        certificate: &TrustedCertificateRecord,
        actor: &str,
        now: Timestamp,
    ) -> Result<u64, StoreError>;

    /// Stores a CRL in place of its issuer's older one and returns the new
    /// version.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] `trust.crl_not_newer` when the stored CRL
    /// of the issuer has the same or a later `thisUpdate`.
    fn trust_add_crl(
        &self,
        crl: &CrlRecord,
        actor: &str,
        now: Timestamp,
    ) -> Result<u64, StoreError>;

    /// Removes the certificate with `fingerprint`, and the CRL of its
    /// subject when no other certificate of that name remains.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] when no certificate has that fingerprint.
    fn trust_remove_certificate(
        &self,
        fingerprint: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<TrustRemoval, StoreError>;

    /// Returns the trust directory's version.
    fn trust_version(&self) -> Result<u64, StoreError>;

    /// Returns the whole trust directory.
    fn trust_directory(&self) -> Result<TrustSnapshot, StoreError>;

    /// Stores a new challenge unless `device_id` asked for `limit.max`
    /// challenges within `limit.period_secs` already; then returns when the
    /// next one is allowed.
    fn signature_challenge_issue(
        &self,
        challenge: &StoredChallenge,
        limit: crate::contacts::config::Window,
        now: Timestamp,
    ) -> Result<Result<(), Timestamp>, StoreError>;

    fn signature_challenge(&self, id: Uuid) -> Result<Option<StoredChallenge>, StoreError>;

    /// Consumes the challenge, raises the account of the holder's СНИЛС to
    /// «подтверждённая», fills its profile from the certificate and audits
    /// the change, in one transaction. The challenge is checked again
    /// inside it, so of two confirmations racing for one challenge only
    /// the first succeeds.
    fn signature_confirm(
        &self,
        confirmation: &SignatureConfirmation,
        now: Timestamp,
    ) -> Result<Result<domain::account::AccountLevel, ChallengeRefusal>, StoreError>;
}
