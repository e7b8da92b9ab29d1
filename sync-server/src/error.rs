//! The one error type every handler returns: a status, a stable code and a
//! message a person can act on, in Russian. The detail of a server-side
//! failure is logged once here and never sent to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::sync::{ErrorBody, FieldIssue};
use jiff::Timestamp;

use crate::store::StoreError;

/// An error response: HTTP status, stable code and a message for a person.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Boxed so `Result<_, ApiError>` stays small on the happy path.
    pub body: Box<ErrorBody>,
}

impl ApiError {
    /// Builds an error with a stable `code` and a Russian `message`.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: Box::new(ErrorBody {
                code: code.to_owned(),
                message: message.into(),
                fields: Vec::new(),
                current_state: None,
                locked_until: None,
                retry_at: None,
                attempts_left: None,
            }),
        }
    }

    /// Adds one offending field.
    pub fn with_field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.body.fields.push(FieldIssue {
            field: field.into(),
            message: message.into(),
        });
        self
    }

    pub fn with_current_state(mut self, state: impl Into<String>) -> Self {
        self.body.current_state = Some(state.into());
        self
    }

    pub fn with_locked_until(mut self, until: Timestamp) -> Self {
        self.body.locked_until = Some(until);
        self
    }

    /// Adds when the same request may succeed, for refusals by a limit.
    pub fn with_retry_at(mut self, at: Timestamp) -> Self {
        self.body.retry_at = Some(at);
        self
    }

    pub fn with_attempts_left(mut self, attempts_left: u8) -> Self {
        self.body.attempts_left = Some(attempts_left);
        self
    }

    pub fn unauthorized(code: &str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn forbidden(code: &str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, code, message)
    }

    /// Builds a 500 response and logs `detail`, which stays out of the
    /// response because it may name paths or SQL.
    pub fn internal(detail: &dyn std::fmt::Display) -> Self {
        tracing::error!(cause = %detail, "request failed on the server side");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Внутренняя ошибка сервера. Повторите запрос позже; если ошибка повторяется, \
             сообщите администратору время запроса.",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { what } => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("Не найдено: {what}. Проверьте идентификатор."),
            ),
            StoreError::Conflict {
                code,
                message,
                current_state,
            } => {
                let error = ApiError::new(StatusCode::CONFLICT, &code, message);
                match current_state {
                    Some(state) => error.with_current_state(state),
                    None => error,
                }
            }
            StoreError::Invalid { code, message } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, &code, message)
            }
            StoreError::Backend(detail) => ApiError::internal(&detail),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_client_error() {
            // The code is enough to follow a client mistake in the log; the
            // message may quote what the client sent.
            tracing::info!(status = self.status.as_u16(), code = %self.body.code, "request rejected");
        }
        (self.status, Json(*self.body)).into_response()
    }
}
