//! The delivery interface the code service sends through, and the retry
//! loop around it.
//!
//! A gateway error carries a short reason for the log that names no
//! recipient: SMTP and HTTP errors can quote the address or number, so the
//! gateways build the reason from status codes and error kinds only.

use std::future::Future;
use std::pin::Pin;

use super::config::DeliveryPolicy;

/// A boxed future, so gateways can sit behind `dyn`.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), DeliveryError>> + Send + 'a>>;

/// Failure of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// Worth another attempt: connection refused, 5xx, timed out.
    #[error("temporary delivery failure: {0}")]
    Transient(String),
    /// Another attempt would fail the same way: the gateway rejected the
    /// request (4xx, SMTP 5xx) or the settings are wrong.
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
}

/// Sends one short text to one recipient.
pub trait Gateway: Send + Sync {
    /// Names the gateway in logs and metrics (`smtp`, `sms_http`).
    fn name(&self) -> &'static str;

    /// Sends `text` to `to` (an e-mail address or `+7XXXXXXXXXX`).
    fn send<'a>(&'a self, to: &'a str, subject: &'a str, text: &'a str) -> SendFuture<'a>;
}

/// Tries to deliver up to `policy.attempts` times with doubling backoff;
/// returns the last error when every attempt failed.
pub async fn deliver(
    gateway: &dyn Gateway,
    policy: &DeliveryPolicy,
    to: &str,
    subject: &str,
    text: &str,
) -> Result<u32, DeliveryError> {
    let mut last = DeliveryError::Permanent("no attempt made".to_owned());
    for attempt in 1..=policy.attempts {
        if attempt > 1 {
            tokio::time::sleep(policy.backoff_before(attempt)).await;
        }
        let outcome = tokio::time::timeout(policy.timeout(), gateway.send(to, subject, text)).await;
        let error = match outcome {
            Ok(Ok(())) => return Ok(attempt),
            Ok(Err(error)) => error,
            Err(_) => DeliveryError::Transient(format!("timed out after {} ms", policy.timeout_ms)),
        };
        tracing::warn!(gateway = gateway.name(), attempt, error = %error, "delivery attempt failed");
        let permanent = matches!(error, DeliveryError::Permanent(_));
        last = error;
        if permanent {
            break;
        }
    }
    Err(last)
}
