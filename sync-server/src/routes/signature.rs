//! `POST /v1/signature/challenge` and `/confirm`: a visitor proves at the
//! kiosk that they hold a qualified certificate's key, and the server
//! confirms their account's identity from the certificate.
//!
//! A challenge is bound to the kiosk and to the kiosk's attempt id, valid
//! for `Limits::signature_challenge_lifetime`, rate-limited per kiosk, and
//! consumed by the confirmation that succeeds with it. A confirmation
//! whose certificate or signature is rejected leaves the challenge usable
//! until it expires, so the visitor may pick another certificate.
//!
//! `confirm` checks, in order: the challenge (exists, this kiosk's, same
//! attempt, unused, unexpired), then the certificate with the server's own
//! trust directory (rules, chain, CRLs), then the signature over
//! `challenge_message(challenge_id, nonce)`.

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use base64::Engine;
use domain::qualified_certificate::possession::verify_possession;
use domain::qualified_certificate::x509::ParsedCertificate;
use domain::qualified_certificate::{check_for_confirmation, CertificateError, CertificateHolder};
use domain::sync::{
    challenge_message, DeviceRole, SignatureChallenge, SignatureChallengeRequest, SignatureConfirm,
    SignatureConfirmed, SignatureScheme,
};
use domain::Lang;
use jiff::Timestamp;
use uuid::Uuid;

use super::body;
use super::sync::signed;
use crate::error::ApiError;
use crate::secrets;
use crate::state::AppState;
use crate::store::{ChallengeRefusal, Device, SignatureConfirmation, StoredChallenge};

/// Authenticates a kiosk and returns it with the body.
pub(super) async fn kiosk(
    state: &AppState,
    request: Request,
) -> Result<(Device, axum::body::Bytes), ApiError> {
    let (_, device, bytes) = signed(state, request).await?;
    if device.role != DeviceRole::Kiosk {
        tracing::info!(device_id = %device.id, "signature request rejected: not a kiosk");
        return Err(ApiError::forbidden(
            "signature.kiosk_only",
            "Подтверждение личности электронной подписью выполняет только киоск.",
        ));
    }
    Ok((device, bytes))
}

pub async fn challenge(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<SignatureChallenge>, ApiError> {
    let (device, bytes) = kiosk(&state, request).await?;
    let requested: SignatureChallengeRequest = body::parse(&bytes)?;
    let now = state.clock.now();
    let expires_at = now
        .checked_add(state.limits.signature_challenge_lifetime)
        .map_err(|err| ApiError::internal(&err))?;
    let stored = StoredChallenge {
        id: Uuid::now_v7(),
        device_id: device.id,
        attempt_id: requested.attempt_id,
        nonce: secrets::random_token(32),
        expires_at,
        used_at: None,
    };
    let limit = state.limits.signature_challenges_per_device;
    let record = stored.clone();
    let issued = state
        .run_store(move |store| store.signature_challenge_issue(&record, limit, now))
        .await?;
    if let Err(retry_at) = issued {
        state.metrics.signature_challenge("rate_limited");
        tracing::info!(device_id = %device.id, attempt_id = %requested.attempt_id, %retry_at, "signature challenge rate-limited");
        let seconds = retry_at.duration_since(now).as_secs().max(1);
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "signature.rate_limited",
            format!(
                "Киоск запросил слишком много проверок подписи подряд. Повторите через {seconds} с."
            ),
        )
        .with_retry_at(retry_at));
    }
    state.metrics.signature_challenge("issued");
    tracing::info!(device_id = %device.id, attempt_id = %requested.attempt_id, challenge_id = %stored.id, "signature challenge issued");
    Ok(Json(SignatureChallenge {
        challenge_id: stored.id,
        attempt_id: stored.attempt_id,
        nonce: stored.nonce,
        expires_at,
    }))
}

/// Returns the response to a challenge that cannot be used.
fn challenge_refusal(refusal: ChallengeRefusal) -> ApiError {
    match refusal {
        ChallengeRefusal::Unknown => ApiError::new(
            StatusCode::NOT_FOUND,
            "signature.challenge_unknown",
            "Проверка подписи не найдена. Начните подтверждение подписью заново.",
        )
        .with_field("challenge_id", "нет такой проверки"),
        ChallengeRefusal::OtherDevice => ApiError::forbidden(
            "signature.challenge_other_device",
            "Эта проверка подписи выдана другому киоску. Начните подтверждение подписью заново \
             на этом киоске.",
        )
        .with_field("challenge_id", "выдана другому киоску"),
        ChallengeRefusal::OtherAttempt => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "signature.attempt_mismatch",
            "Проверка подписи выдана для другой попытки подтверждения. Начните подтверждение \
             подписью заново.",
        )
        .with_field(
            "attempt_id",
            "не совпадает с попыткой, для которой выдана проверка",
        ),
        ChallengeRefusal::Used => ApiError::new(
            StatusCode::CONFLICT,
            "signature.challenge_used",
            "Эта проверка подписи уже использована. Для нового подтверждения запросите новую.",
        ),
        ChallengeRefusal::Expired => ApiError::new(
            StatusCode::GONE,
            "signature.challenge_expired",
            "Время на подпись истекло. Запросите новую проверку и подпишите ещё раз.",
        ),
    }
}

/// Decodes a standard base64 field, or names it in a 422.
fn decode_base64(field: &str, value: &str) -> Result<Vec<u8>, ApiError> {
    base64::engine::general_purpose::STANDARD
        .decode(value)
        .map_err(|err| {
            let message = format!(
                "Поле {field} должно быть в base64 (стандартный алфавит, с выравниванием): {err}."
            );
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "signature.bad_base64",
                message.clone(),
            )
            .with_field(field, message)
        })
}

/// Returns the 422 for a certificate the rules, the chain or the proof
/// of possession rejected, naming `field`.
fn certificate_rejected(field: &str, error: &CertificateError) -> ApiError {
    tracing::info!(
        code = error.code(),
        field,
        "signature confirmation rejected"
    );
    let message = error.message(Lang::Ru);
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        error.code(),
        message.clone(),
    )
    .with_field(field, message)
}

/// Checks the certificate with the server's trust directory at `now` and
/// the signature over the challenge's message; returns the parsed
/// certificate and its holder. CPU work, so it runs off the async threads.
async fn verify(
    state: &AppState,
    certificate: Vec<u8>,
    scheme: SignatureScheme,
    signature: Vec<u8>,
    message: Vec<u8>,
    now: Timestamp,
) -> Result<(ParsedCertificate, CertificateHolder), ApiError> {
    let snapshot = state.run_store(|store| store.trust_directory()).await?;
    let checked = tokio::task::spawn_blocking(move || {
        let trust = crate::trust::load(&snapshot).map_err(|err| {
            ApiError::internal(&format!(
                "the stored trust directory (version {}) does not load: {err}",
                snapshot.version
            ))
        })?;
        let (parsed, holder) = check_for_confirmation(&certificate, &trust, now)
            .map_err(|err| certificate_rejected("certificate", &err))?;
        verify_possession(&parsed, scheme, &message, &signature)
            .map_err(|err| certificate_rejected("signature", &err))?;
        Ok::<_, ApiError>((parsed, holder))
    })
    .await;
    match checked {
        Ok(result) => result,
        Err(err) => Err(ApiError::internal(&err)),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<SignatureConfirmed>, ApiError> {
    let (device, bytes) = kiosk(&state, request).await?;
    let result = confirm_for(&state, &device, &bytes).await;
    let outcome = match &result {
        Ok(_) => "confirmed",
        Err(error) => error.body.code.as_str(),
    };
    state.metrics.signature_confirmation(outcome);
    result
}

/// Runs a confirmation for an authenticated kiosk.
async fn confirm_for(
    state: &AppState,
    device: &Device,
    bytes: &[u8],
) -> Result<Json<SignatureConfirmed>, ApiError> {
    let sent: SignatureConfirm = body::parse(bytes)?;
    let certificate = decode_base64("certificate", &sent.certificate)?;
    let signature = decode_base64("signature", &sent.signature)?;
    let now = state.clock.now();

    let challenge_id = sent.challenge_id;
    let stored = state
        .run_store(move |store| store.signature_challenge(challenge_id))
        .await?;
    let checked = stored.ok_or(ChallengeRefusal::Unknown).and_then(|stored| {
        stored
            .check(device.id, sent.attempt_id, now)
            .map(|()| stored)
    });
    let stored = match checked {
        Ok(stored) => stored,
        Err(refusal) => {
            tracing::info!(device_id = %device.id, challenge_id = %challenge_id, ?refusal, "signature challenge rejected");
            return Err(challenge_refusal(refusal));
        }
    };

    let message = challenge_message(stored.id, &stored.nonce);
    let (parsed, holder) = verify(state, certificate, sent.scheme, signature, message, now).await?;

    let confirmation = SignatureConfirmation {
        challenge_id,
        device_id: device.id,
        attempt_id: sent.attempt_id,
        holder: holder.clone(),
        certificate_issuer: parsed.issuer.clone(),
        certificate_serial: parsed.serial_hex.clone(),
        scheme: sent.scheme,
    };
    let committed = state
        .run_store(move |store| store.signature_confirm(&confirmation, now))
        .await?;
    let account_level = match committed {
        Ok(level) => level,
        Err(refusal) => {
            tracing::info!(device_id = %device.id, challenge_id = %challenge_id, ?refusal, "signature challenge rejected at commit");
            return Err(challenge_refusal(refusal));
        }
    };
    tracing::info!(
        device_id = %device.id,
        attempt_id = %sent.attempt_id,
        challenge_id = %challenge_id,
        scheme = sent.scheme.as_str(),
        "identity confirmed by a qualified signature"
    );
    Ok(Json(SignatureConfirmed {
        attempt_id: sent.attempt_id,
        account_level,
        surname: holder.name.surname().to_owned(),
        given_name: holder.name.given_name().to_owned(),
        patronymic: holder.name.patronymic().map(str::to_owned),
        confirmed_at: now,
    }))
}
