//! Signed calls for confirming an identity with a signature token:
//! `GET /v1/trust?since=N` (the trust directory the kiosk checks
//! certificates against), `POST /v1/signature/challenge` and
//! `POST /v1/signature/confirm`, with typed outcomes the kiosk's token
//! step shows.

use base64::Engine as _;
use domain::sync::{
    SignatureChallenge, SignatureChallengeRequest, SignatureConfirm, SignatureConfirmed,
    SignatureScheme, TrustDirectoryPage,
};
use reqwest::Method;
use uuid::Uuid;

use super::{ClientError, SyncClient, REQUEST_TIMEOUT};

/// The status the server returns when it rejects the certificate itself.
const UNPROCESSABLE: u16 = 422;

/// Outcome of asking for a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChallengeOutcome {
    Issued(SignatureChallenge),
    /// The server could not be reached or did not respond in time.
    Offline,
    /// Any refusal, with the server's code and Russian message.
    Refused {
        code: String,
        message: String,
    },
}

/// Outcome of sending the signed challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmOutcome {
    /// The account is confirmed; the response carries the holder's name.
    Confirmed(SignatureConfirmed),
    /// The server rejected the certificate or the signature (422 with a
    /// `certificate.*` code, such as `certificate.revoked`), with its
    /// Russian message.
    CertificateRejected { code: String, message: String },
    /// The server could not be reached or did not respond in time.
    Offline,
    /// Any other refusal (an expired or used challenge, a rate limit),
    /// with the server's code and Russian message.
    Refused { code: String, message: String },
}

impl SyncClient {
    /// `GET /v1/trust?since=N`: the trust directory when its version is
    /// newer than `since`, else an unchanged page.
    pub async fn trust_directory(&self, since: u64) -> Result<TrustDirectoryPage, ClientError> {
        let path = format!("/v1/trust?since={since}");
        self.send::<(), _>(Method::GET, &path, None, REQUEST_TIMEOUT)
            .await
    }

    /// `POST /v1/signature/challenge`: a one-time challenge for the
    /// visitor's attempt `attempt_id`.
    pub async fn signature_challenge(&self, attempt_id: Uuid) -> ChallengeOutcome {
        let body = SignatureChallengeRequest { attempt_id };
        let issued = self
            .send(
                Method::POST,
                "/v1/signature/challenge",
                Some(&body),
                REQUEST_TIMEOUT,
            )
            .await;
        match issued {
            Ok(challenge) => ChallengeOutcome::Issued(challenge),
            Err(error) => {
                tracing::warn!(%attempt_id, code = %error.code(), "signature challenge not issued");
                match error {
                    ClientError::Network { .. } => ChallengeOutcome::Offline,
                    ClientError::Server { code, message, .. } => {
                        ChallengeOutcome::Refused { code, message }
                    }
                    other => ChallengeOutcome::Refused {
                        code: other.code(),
                        message: String::new(),
                    },
                }
            }
        }
    }

    /// `POST /v1/signature/confirm`: sends the certificate (DER) and the
    /// token's signature over the challenge's message.
    pub async fn signature_confirm(
        &self,
        challenge: &SignatureChallenge,
        certificate_der: &[u8],
        scheme: SignatureScheme,
        signature: &[u8],
    ) -> ConfirmOutcome {
        let engine = base64::engine::general_purpose::STANDARD;
        let body = SignatureConfirm {
            challenge_id: challenge.challenge_id,
            attempt_id: challenge.attempt_id,
            certificate: engine.encode(certificate_der),
            scheme,
            signature: engine.encode(signature),
        };
        let confirmed = self
            .send(
                Method::POST,
                "/v1/signature/confirm",
                Some(&body),
                REQUEST_TIMEOUT,
            )
            .await;
        match confirmed {
            Ok(confirmed) => {
                tracing::info!(attempt_id = %challenge.attempt_id, "identity confirmed by signature");
                ConfirmOutcome::Confirmed(confirmed)
            }
            Err(error) => {
                tracing::warn!(attempt_id = %challenge.attempt_id, code = %error.code(), "signature confirmation rejected");
                confirm_refusal(error)
            }
        }
    }
}

fn confirm_refusal(error: ClientError) -> ConfirmOutcome {
    match error {
        ClientError::Network { .. } => ConfirmOutcome::Offline,
        ClientError::Server {
            status,
            code,
            message,
            ..
        } if status == UNPROCESSABLE && code.starts_with("certificate.") => {
            ConfirmOutcome::CertificateRejected { code, message }
        }
        ClientError::Server { code, message, .. } => ConfirmOutcome::Refused { code, message },
        other => ConfirmOutcome::Refused {
            code: other.code(),
            message: String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server_error(status: u16, code: &str) -> ClientError {
        ClientError::Server {
            status,
            code: code.to_owned(),
            message: "Сообщение сервера".to_owned(),
            current_state: None,
            locked_until: None,
            limits: None,
        }
    }

    #[test]
    fn unprocessable_certificate_code_is_rejection() {
        let outcome = confirm_refusal(server_error(422, "certificate.revoked"));

        assert_eq!(
            outcome,
            ConfirmOutcome::CertificateRejected {
                code: "certificate.revoked".to_owned(),
                message: "Сообщение сервера".to_owned()
            }
        );
    }

    #[test]
    fn other_unprocessable_code_is_refusal() {
        let outcome = confirm_refusal(server_error(422, "signature.challenge_expired"));

        assert_eq!(
            outcome,
            ConfirmOutcome::Refused {
                code: "signature.challenge_expired".to_owned(),
                message: "Сообщение сервера".to_owned()
            }
        );
    }

    #[test]
    fn network_failure_is_offline() {
        let outcome = confirm_refusal(ClientError::Network {
            server: "http://127.0.0.1:9".to_owned(),
            cause: "connection refused".to_owned(),
        });

        assert_eq!(outcome, ConfirmOutcome::Offline);
    }
}
