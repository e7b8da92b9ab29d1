//! `POST /v1/contacts/code`, `/resend` and `/verify`: one-time codes that
//! confirm the phone and e-mail of a registration request, requested by
//! the kiosk the visitor uses.
//!
//! A code is sent before the response: 200 means the gateway accepted it,
//! 502 `contact.not_delivered` that every attempt failed (the code is then
//! forgotten, so the visitor may ask again at once). Refusals by a limit
//! carry `retry_at`.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use domain::one_time_code::OneTimeCodeError;
use domain::sync::{
    ContactCodeRequest, ContactCodeSent, ContactKind, ContactResend, ContactVerified,
    ContactVerify, DeviceRole,
};
use domain::{FieldRule, Lang};
use jiff::Timestamp;

use super::body;
use super::sync::signed;
use crate::contacts::{gateway, text, ContactService};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{ContactIssue, ContactRefusal, Device, IssuedContactCode};

/// Authenticates a kiosk and returns it with the body and the service.
async fn kiosk(
    state: &AppState,
    request: Request,
) -> Result<(Device, axum::body::Bytes, std::sync::Arc<ContactService>), ApiError> {
    let (_, device, bytes) = signed(state, request).await?;
    if device.role != DeviceRole::Kiosk {
        tracing::info!(device_id = %device.id, "contact request rejected: not a kiosk");
        return Err(ApiError::forbidden(
            "contact.kiosk_only",
            "Коды подтверждения контактов запрашивает только киоск.",
        ));
    }
    let service = state.contacts.clone().ok_or_else(not_configured)?;
    Ok((device, bytes, service))
}

fn not_configured() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "contact.not_configured",
        "Отправка кодов на этом сервере не настроена. Обратитесь к администратору центра.",
    )
}

/// Says when to try again: in seconds up to two minutes, else as Moscow time.
fn when(retry_at: Timestamp, now: Timestamp) -> String {
    let seconds = retry_at.duration_since(now).as_secs().max(1);
    if seconds <= 120 {
        return format!("через {seconds} с");
    }
    let local = jiff::tz::TimeZone::get("Europe/Moscow")
        .map(|zone| {
            retry_at
                .to_zoned_datetime(zone)
                .strftime("%H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| retry_at.to_string());
    format!("после {local} (МСК)")
}

fn refusal(refusal: ContactRefusal, contact: ContactKind, now: Timestamp) -> ApiError {
    match refusal {
        ContactRefusal::RateLimited { scope, retry_at } => {
            let what = match scope {
                "phone" => "на этот номер телефона",
                "email" => "на этот адрес почты",
                _ => "с этого киоска",
            };
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "contact.rate_limited",
                format!(
                    "Слишком много кодов отправлено {what}. Повторить можно {}.",
                    when(retry_at, now)
                ),
            )
            .with_retry_at(retry_at)
        }
        ContactRefusal::ResendTooEarly { retry_at } => ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "contact.resend_too_early",
            format!(
                "Код уже отправлен. Новый код можно запросить {}.",
                when(retry_at, now)
            ),
        )
        .with_retry_at(retry_at),
        ContactRefusal::AlreadyVerified => ApiError::new(
            StatusCode::CONFLICT,
            "contact.already_verified",
            match contact {
                ContactKind::Phone => "Этот номер телефона уже подтверждён.",
                ContactKind::Email => "Этот адрес почты уже подтверждён.",
            },
        ),
        ContactRefusal::NoCode => ApiError::new(
            StatusCode::NOT_FOUND,
            "contact.no_code",
            "Код для этого заявления ещё не запрашивался на этом киоске. Запросите код.",
        ),
        ContactRefusal::Code(error) => {
            let status = match error {
                OneTimeCodeError::Format | OneTimeCodeError::Wrong { .. } => {
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                OneTimeCodeError::Exhausted | OneTimeCodeError::Expired => StatusCode::GONE,
                OneTimeCodeError::AlreadyUsed => StatusCode::CONFLICT,
            };
            let api = ApiError::new(status, error.code(), error.message(Lang::Ru))
                .with_field("code", error.message(Lang::Ru));
            match error {
                OneTimeCodeError::Wrong { attempts_left } => api.with_attempts_left(attempts_left),
                _ => api,
            }
        }
    }
}

/// Checks the contact with the domain field rules and returns its
/// normalised form (`+7XXXXXXXXXX`, or the address as the rules keep it).
fn normalise(contact: ContactKind, value: &str) -> Result<String, ApiError> {
    let invalid = |code: &str, message: String| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message.clone())
            .with_field("value", message)
    };
    match contact {
        ContactKind::Phone => domain::phone::parse_mobile_phone(value)
            .map(|phone| phone.e164())
            .map_err(|err| invalid(err.code(), err.message(Lang::Ru))),
        ContactKind::Email => domain::email::parse_email(value)
            .map(|email| email.as_str().to_owned())
            .map_err(|err| invalid(err.code(), err.message(Lang::Ru))),
    }
}

/// Stores a code, sends it, and deletes it again if delivery failed.
async fn issue_and_send(
    state: &AppState,
    service: &ContactService,
    device: &Device,
    request_id: uuid::Uuid,
    contact: ContactKind,
    value: Option<String>,
) -> Result<Json<ContactCodeSent>, ApiError> {
    let gateway = service
        .gateway(contact)
        .cloned()
        .ok_or_else(not_configured)?;
    let now = state.clock.now();
    let issue = ContactIssue {
        request_id,
        contact,
        value,
        device_id: device.id,
        limits: service.limits,
        policy: service.policy,
    };
    let issued = state
        .run_store(move |store| store.contact_issue(&issue, now))
        .await?;
    let IssuedContactCode {
        code,
        value,
        state: code_state,
        code_hash,
    } = match issued {
        Ok(issued) => issued,
        Err(refused) => {
            tracing::info!(device_id = %device.id, request_id = %request_id, contact = contact.as_str(), ?refused, "contact code not issued");
            state.metrics.contact_code(contact.as_str(), "refused");
            return Err(refusal(refused, contact, now));
        }
    };

    let message = text::code_text(&code, service.policy.validity.as_mins());
    let delivered = gateway::deliver(
        gateway.as_ref(),
        &service.delivery,
        &value,
        text::EMAIL_SUBJECT,
        &message,
    )
    .await;
    match delivered {
        Ok(attempts) => {
            tracing::info!(device_id = %device.id, request_id = %request_id, contact = contact.as_str(), attempts, "contact code delivered");
            state.metrics.contact_code(contact.as_str(), "delivered");
            let resend_at = match code_state.can_resend(code_state.issued_at()) {
                domain::one_time_code::ResendStatus::NotBefore { available_at } => available_at,
                domain::one_time_code::ResendStatus::Available => code_state.issued_at(),
            };
            Ok(Json(ContactCodeSent {
                request_id,
                contact,
                expires_at: code_state.expires_at(),
                resend_at,
                attempts_left: code_state.attempts_left(),
            }))
        }
        Err(error) => {
            tracing::warn!(device_id = %device.id, request_id = %request_id, contact = contact.as_str(), error = %error, "contact code not delivered");
            state
                .metrics
                .contact_code(contact.as_str(), "not_delivered");
            state
                .run_store(move |store| store.contact_discard(request_id, contact, &code_hash))
                .await?;
            Err(ApiError::new(
                StatusCode::BAD_GATEWAY,
                "contact.not_delivered",
                match contact {
                    ContactKind::Phone => {
                        "Не удалось отправить SMS с кодом. Проверьте номер и запросите код ещё раз."
                    }
                    ContactKind::Email => {
                        "Не удалось отправить письмо с кодом. Проверьте адрес и запросите код ещё раз."
                    }
                },
            ))
        }
    }
}

pub async fn code(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<ContactCodeSent>, ApiError> {
    let (device, bytes, service) = kiosk(&state, request).await?;
    let asked: ContactCodeRequest = body::parse(&bytes)?;
    let value = normalise(asked.contact, &asked.value)?;
    issue_and_send(
        &state,
        &service,
        &device,
        asked.request_id,
        asked.contact,
        Some(value),
    )
    .await
}

pub async fn resend(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<ContactCodeSent>, ApiError> {
    let (device, bytes, service) = kiosk(&state, request).await?;
    let asked: ContactResend = body::parse(&bytes)?;
    issue_and_send(
        &state,
        &service,
        &device,
        asked.request_id,
        asked.contact,
        None,
    )
    .await
}

pub async fn verify(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<ContactVerified>, ApiError> {
    let (device, bytes, _) = kiosk(&state, request).await?;
    let asked: ContactVerify = body::parse(&bytes)?;
    let now = state.clock.now();
    let (request_id, contact, device_id) = (asked.request_id, asked.contact, device.id);
    let checked = state
        .run_store(move |store| {
            store.contact_verify(request_id, contact, device_id, &asked.code, now)
        })
        .await?;
    match checked {
        Ok(verified_at) => {
            tracing::info!(device_id = %device.id, request_id = %request_id, contact = contact.as_str(), "contact confirmed");
            state.metrics.contact_code(contact.as_str(), "verified");
            Ok(Json(ContactVerified {
                request_id,
                contact,
                verified_at,
            }))
        }
        Err(refused) => {
            tracing::info!(device_id = %device.id, request_id = %request_id, contact = contact.as_str(), ?refused, "contact code rejected");
            state.metrics.contact_code(contact.as_str(), "rejected");
            Err(refusal(refused, contact, now))
        }
    }
}
