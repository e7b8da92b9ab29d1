//! Signed calls to the contact confirmation endpoints
//! (`POST /v1/contacts/code`, `/resend`, `/verify`) and their typed
//! outcomes, which the kiosk's «Введите код из SMS» step shows.
//!
//! The server sends the code before it responds, retrying a failed
//! delivery with backoff, so the `code` and `resend` calls wait longer
//! than ordinary requests (see [`CODE_TIMEOUT`]).

use std::time::Duration;

use domain::sync::{
    ContactCodeRequest, ContactCodeSent, ContactKind, ContactResend, ContactVerified, ContactVerify,
};
use jiff::Timestamp;
use reqwest::Method;
use uuid::Uuid;

use super::{ClientError, SyncClient, REQUEST_TIMEOUT};

/// The server's default delivery policy (`[delivery]` in its
/// `contacts.example.toml`): tries per code, the time each may take, and
/// the wait before the second try, doubled before each later one.
const SERVER_DELIVERY_ATTEMPTS: u32 = 3;
const SERVER_DELIVERY_TIMEOUT: Duration = Duration::from_millis(5_000);
const SERVER_DELIVERY_BACKOFF: Duration = Duration::from_millis(500);

/// Returns the longest time the server spends delivering one code: every
/// attempt times out, with the doubling backoff between attempts.
pub const fn worst_delivery_time(attempts: u32, timeout: Duration, backoff: Duration) -> Duration {
    let mut total = Duration::ZERO;
    let mut attempt = 1;
    while attempt <= attempts {
        if attempt > 1 {
            // The wait before attempt `n` is `backoff * 2^(n - 2)`.
            let doublings = attempt - 2;
            total = total.saturating_add(backoff.saturating_mul(1 << doublings));
        }
        total = total.saturating_add(timeout);
        attempt += 1;
    }
    total
}

/// How long a `code` or `resend` call may take: the server's worst
/// delivery time under its default policy (16.5 s) plus the ordinary
/// request timeout for the store work and the network.
///
/// NOTE: a server configured with more attempts or longer timeouts than
/// its defaults can exceed this, and the kiosk then reports the call as
/// offline although the code may still arrive.
pub const CODE_TIMEOUT: Duration = worst_delivery_time(
    SERVER_DELIVERY_ATTEMPTS,
    SERVER_DELIVERY_TIMEOUT,
    SERVER_DELIVERY_BACKOFF,
)
.saturating_add(REQUEST_TIMEOUT);

/// Outcome of asking for a code (`code` or `resend`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeOutcome {
    /// The gateway accepted the code.
    Sent(ContactCodeSent),
    /// Every delivery attempt failed; the server forgot the code, so a
    /// new request may follow at once.
    NotDelivered,
    /// A rate limit refused the code (`contact.rate_limited`) until
    /// `retry_at`.
    RateLimited {
        retry_at: Option<Timestamp>,
        message: String,
    },
    /// The earlier code is still fresh (`contact.resend_too_early`): it
    /// stays valid, and a new one may be asked for from `retry_at`.
    ResendTooEarly { retry_at: Option<Timestamp> },
    /// The server could not be reached or did not respond in time.
    Offline,
    /// Any other refusal, with the server's code and Russian message.
    Refused { code: String, message: String },
}

/// Outcome of checking a typed code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyOutcome {
    Verified(ContactVerified),
    /// The code is wrong; it survives `attempts_left` more wrong entries.
    WrongCode {
        attempts_left: u8,
    },
    /// The code's life ended; a new one is needed.
    Expired,
    /// The code took its last wrong entry; a new one is needed.
    TooManyAttempts,
    /// The server could not be reached or did not respond in time.
    Offline,
    /// Any other refusal, with the server's code and Russian message.
    Refused {
        code: String,
        message: String,
    },
}

impl SyncClient {
    /// `POST /v1/contacts/code`: sends a code to `value` for the
    /// registration request `request_id`.
    pub async fn contact_code(
        &self,
        request_id: Uuid,
        contact: ContactKind,
        value: &str,
    ) -> CodeOutcome {
        let body = ContactCodeRequest {
            request_id,
            contact,
            value: value.to_owned(),
        };
        let sent = self
            .send(Method::POST, "/v1/contacts/code", Some(&body), CODE_TIMEOUT)
            .await;
        code_outcome(sent, contact)
    }

    /// `POST /v1/contacts/resend`: sends a new code to the contact of the
    /// earlier code.
    pub async fn contact_resend(&self, request_id: Uuid, contact: ContactKind) -> CodeOutcome {
        let body = ContactResend {
            request_id,
            contact,
        };
        let sent = self
            .send(
                Method::POST,
                "/v1/contacts/resend",
                Some(&body),
                CODE_TIMEOUT,
            )
            .await;
        code_outcome(sent, contact)
    }

    /// `POST /v1/contacts/verify`: checks the code as the visitor typed it.
    pub async fn contact_verify(
        &self,
        request_id: Uuid,
        contact: ContactKind,
        code: &str,
    ) -> VerifyOutcome {
        let body = ContactVerify {
            request_id,
            contact,
            code: code.to_owned(),
        };
        let checked = self
            .send(
                Method::POST,
                "/v1/contacts/verify",
                Some(&body),
                REQUEST_TIMEOUT,
            )
            .await;
        match checked {
            Ok(verified) => VerifyOutcome::Verified(verified),
            Err(error) => {
                tracing::info!(contact = contact.as_str(), code = %error.code(), "contact code not accepted");
                verify_refusal(error)
            }
        }
    }
}

fn code_outcome(sent: Result<ContactCodeSent, ClientError>, contact: ContactKind) -> CodeOutcome {
    let error = match sent {
        Ok(sent) => return CodeOutcome::Sent(sent),
        Err(error) => error,
    };
    tracing::warn!(contact = contact.as_str(), code = %error.code(), "contact code not sent");
    match error {
        ClientError::Network { .. } => CodeOutcome::Offline,
        ClientError::Server { code, .. } if code == "contact.not_delivered" => {
            CodeOutcome::NotDelivered
        }
        ClientError::Server {
            code,
            message,
            limits,
            ..
        } if code == "contact.rate_limited" => CodeOutcome::RateLimited {
            retry_at: limits.and_then(|limits| limits.retry_at),
            message,
        },
        ClientError::Server { code, limits, .. } if code == "contact.resend_too_early" => {
            CodeOutcome::ResendTooEarly {
                retry_at: limits.and_then(|limits| limits.retry_at),
            }
        }
        ClientError::Server { code, message, .. } => CodeOutcome::Refused { code, message },
        other => CodeOutcome::Refused {
            code: other.code(),
            message: String::new(),
        },
    }
}

fn verify_refusal(error: ClientError) -> VerifyOutcome {
    match error {
        ClientError::Network { .. } => VerifyOutcome::Offline,
        ClientError::Server {
            code,
            limits,
            message,
            ..
        } => match (
            code.as_str(),
            limits.and_then(|limits| limits.attempts_left),
        ) {
            ("one_time_code.wrong", Some(attempts_left)) => {
                VerifyOutcome::WrongCode { attempts_left }
            }
            ("one_time_code.expired", _) => VerifyOutcome::Expired,
            ("one_time_code.exhausted", _) => VerifyOutcome::TooManyAttempts,
            _ => VerifyOutcome::Refused { code, message },
        },
        other => VerifyOutcome::Refused {
            code: other.code(),
            message: String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_delivery_matches_server_defaults() {
        let worst = worst_delivery_time(
            SERVER_DELIVERY_ATTEMPTS,
            SERVER_DELIVERY_TIMEOUT,
            SERVER_DELIVERY_BACKOFF,
        );
        // 3 × 5 s of attempts, 0.5 s before the second and 1 s before the third.
        assert_eq!(worst, Duration::from_millis(16_500));
    }

    #[test]
    fn code_timeout_exceeds_worst_delivery() {
        assert_eq!(CODE_TIMEOUT, Duration::from_millis(36_500));
    }

    #[test]
    fn worst_delivery_of_one_attempt_is_its_timeout() {
        let worst = worst_delivery_time(1, Duration::from_secs(2), Duration::from_secs(7));
        assert_eq!(worst, Duration::from_secs(2));
    }
}
