//! The HTTP client for the sync server's device endpoints. Every request
//! except enrollment is signed with the device secret (see [`signing`]).
//!
//! This module sends one request and maps the response to a typed result;
//! retrying, backoff and the outbox are left to [`crate::sync`].

pub mod backoff;
pub mod contacts;
pub mod signature;
pub mod signing;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use domain::sync::auth::HEADER_SESSION;
use domain::sync::{
    EnrollGrant, EnrollRequest, ErrorBody, EventAck, EventEnvelope, LeaseGrant, LeaseRequest,
    LoginGrant, LoginRequest, PullPage, PushAck, PushBatch, TicketQrGrant,
};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::credentials::{Credentials, CredentialsError};

/// How long to wait for a connection to the server.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long an ordinary request may take; a long-poll adds its wait.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Details that a rate-limit rejection adds to the error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitDetails {
    /// When the same request may succeed (`contact.rate_limited`,
    /// `contact.resend_too_early`).
    pub retry_at: Option<jiff::Timestamp>,
    /// Wrong entries a one-time code still survives (`one_time_code.wrong`).
    pub attempts_left: Option<u8>,
}

/// A request to the sync server that failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// No answer: connection refused, reset, timed out.
    #[error(
        "the sync server at {server} did not answer ({cause}); check the address and the network"
    )]
    Network { server: String, cause: String },
    /// The server answered with an error body.
    #[error("the sync server answered {status} {code}: {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
        current_state: Option<String>,
        /// End of an operator lockout, for `login.locked`.
        locked_until: Option<jiff::Timestamp>,
        /// When a limit lets the request succeed and the attempts a
        /// one-time code survives; boxed to keep `ClientError` small.
        limits: Option<Box<LimitDetails>>,
    },
    /// The server answered something that is not the expected JSON.
    #[error("the sync server answered {status} with a body that is not the expected JSON; check that {server} is an Okno sync server of the same version")]
    Decode { server: String, status: u16 },
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
}

impl ClientError {
    /// Tells whether trying the same request later may succeed: no answer,
    /// a 5xx, or 429.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Network { .. } => true,
            ClientError::Server { status, .. } => *status >= 500 || *status == 429,
            ClientError::Decode { status, .. } => *status >= 500,
            ClientError::Credentials(_) => false,
        }
    }

    /// Returns a stable code for logs and the outbox's `last_error_code`.
    pub fn code(&self) -> String {
        match self {
            ClientError::Network { .. } => "network".to_owned(),
            ClientError::Server { code, .. } => code.clone(),
            ClientError::Decode { status, .. } => format!("http.{status}.undecodable"),
            ClientError::Credentials(_) => "credentials".to_owned(),
        }
    }

    /// Returns the HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Server { status, .. } | ClientError::Decode { status, .. } => {
                Some(*status)
            }
            _ => None,
        }
    }
}

/// Sends unsigned enrollment; used once by [`crate::provision`].
pub async fn enroll(
    http: &reqwest::Client,
    server_url: &str,
    request: &EnrollRequest,
) -> Result<EnrollGrant, ClientError> {
    let server = server_url.trim_end_matches('/').to_owned();
    let body = serde_json::to_vec(request).map_err(|_| ClientError::Decode {
        server: server.clone(),
        status: 0,
    })?;
    let response = http
        .post(format!("{server}/v1/enroll"))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .map_err(|err| network(&server, &err))?;
    decode(&server, response).await
}

/// Builds the HTTP client both stations use: rustls, bounded timeouts.
pub fn http_client() -> Result<reqwest::Client, ClientError> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .map_err(|err| network("", &err))
}

/// A signed client for one enrolled device.
#[derive(Clone)]
pub struct SyncClient {
    http: reqwest::Client,
    server: String,
    device_id: Uuid,
    secret: Vec<u8>,
    /// The operator session sent with pushes, shared by clones so the
    /// console's login reaches the sync thread.
    session: Arc<Mutex<Option<String>>>,
}

impl std::fmt::Debug for SyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncClient")
            .field("server", &self.server)
            .field("device_id", &self.device_id)
            .finish_non_exhaustive()
    }
}

impl SyncClient {
    /// Creates a client from the device's credentials.
    pub fn new(credentials: &Credentials) -> Result<SyncClient, ClientError> {
        Ok(SyncClient {
            http: http_client()?,
            server: credentials.server_url.trim_end_matches('/').to_owned(),
            device_id: credentials.device_id,
            secret: credentials.secret()?,
            session: Arc::new(Mutex::new(None)),
        })
    }

    /// Sets (or with `None` clears) the operator session sent in the
    /// `x-okno-session` header with pushes; decisions need one.
    pub fn set_session(&self, session: Option<String>) {
        *self.session.lock().unwrap_or_else(PoisonError::into_inner) = session;
    }

    /// `POST /v1/operators/login`: an operator session for this console.
    /// A wrong password or a lockout comes back as [`ClientError::Server`]
    /// with the server's code (`login.locked` and its message).
    pub async fn login(&self, request: &LoginRequest) -> Result<LoginGrant, ClientError> {
        self.send(
            Method::POST,
            "/v1/operators/login",
            Some(request),
            REQUEST_TIMEOUT,
        )
        .await
    }

    /// Returns the server's base URL.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// `POST /v1/sync/push`: one acknowledgement per event, in order.
    pub async fn push(&self, batch: &PushBatch) -> Result<PushAck, ClientError> {
        self.send(Method::POST, "/v1/sync/push", Some(batch), REQUEST_TIMEOUT)
            .await
    }

    /// `POST /v1/sync/event`: one event, answered at once; a conflicting
    /// transition comes back as [`ClientError::Server`] with status 409 and
    /// the current state.
    pub async fn send_event(&self, event: &EventEnvelope) -> Result<EventAck, ClientError> {
        self.send(Method::POST, "/v1/sync/event", Some(event), REQUEST_TIMEOUT)
            .await
    }

    /// `GET /v1/sync/pull`: changes after `cursor`, waiting up to
    /// `wait_secs` for the first one.
    pub async fn pull(
        &self,
        cursor: u64,
        limit: u32,
        wait_secs: u32,
    ) -> Result<PullPage, ClientError> {
        let path = format!("/v1/sync/pull?cursor={cursor}&limit={limit}&wait={wait_secs}");
        let timeout = REQUEST_TIMEOUT + Duration::from_secs(u64::from(wait_secs));
        self.send::<(), _>(Method::GET, &path, None, timeout).await
    }

    /// `GET /v1/center/ticket-key`: the center's ticket QR key and code.
    pub async fn ticket_key(&self) -> Result<TicketQrGrant, ClientError> {
        self.send::<(), _>(Method::GET, "/v1/center/ticket-key", None, REQUEST_TIMEOUT)
            .await
    }

    /// `POST /v1/leases`: a block of ticket numbers.
    pub async fn lease(&self, request: &LeaseRequest) -> Result<LeaseGrant, ClientError> {
        self.send(Method::POST, "/v1/leases", Some(request), REQUEST_TIMEOUT)
            .await
    }

    async fn send<B: serde::Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&B>,
        timeout: Duration,
    ) -> Result<T, ClientError> {
        let body = match body {
            Some(body) => serde_json::to_vec(body).map_err(|_| ClientError::Decode {
                server: self.server.clone(),
                status: 0,
            })?,
            None => Vec::new(),
        };
        let headers = signing::sign_request(
            self.device_id,
            &self.secret,
            method.as_str(),
            path_and_query,
            jiff::Timestamp::now().as_second(),
            rand::random(),
            &body,
        );
        let mut request = self
            .http
            .request(method, format!("{}{path_and_query}", self.server))
            .timeout(timeout);
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        let session = self
            .session
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(session) = session {
            request = request.header(HEADER_SESSION, session);
        }
        if !body.is_empty() {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let response = request
            .send()
            .await
            .map_err(|err| network(&self.server, &err))?;
        decode(&self.server, response).await
    }
}

/// Decodes a success body as `T` and an error body as [`ClientError::Server`].
async fn decode<T: DeserializeOwned>(
    server: &str,
    response: reqwest::Response,
) -> Result<T, ClientError> {
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|err| network(server, &err))?;
    let undecodable = || ClientError::Decode {
        server: server.to_owned(),
        status: status.as_u16(),
    };
    if status.is_success() {
        return serde_json::from_slice(&bytes).map_err(|_| undecodable());
    }
    match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(error) => Err(ClientError::Server {
            status: status.as_u16(),
            code: error.code,
            message: error.message,
            current_state: error.current_state,
            locked_until: error.locked_until,
            limits: match (error.retry_at, error.attempts_left) {
                (None, None) => None,
                (retry_at, attempts_left) => Some(Box::new(LimitDetails {
                    retry_at,
                    attempts_left,
                })),
            },
        }),
        Err(_) if status == StatusCode::NOT_FOUND || status.is_server_error() => {
            Err(ClientError::Server {
                status: status.as_u16(),
                code: format!("http.{}", status.as_u16()),
                message: String::new(),
                current_state: None,
                locked_until: None,
                limits: None,
            })
        }
        Err(_) => Err(undecodable()),
    }
}

/// Describes a transport error with its whole chain ("error sending
/// request: tcp connect error: Connection refused"), which `reqwest` keeps
/// in nested sources. URLs here carry no personal data.
fn network(server: &str, err: &reqwest::Error) -> ClientError {
    let mut cause = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        cause.push_str(": ");
        cause.push_str(&inner.to_string());
        source = inner.source();
    }
    ClientError::Network {
        server: server.to_owned(),
        cause,
    }
}
