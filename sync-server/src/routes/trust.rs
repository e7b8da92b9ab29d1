//! `GET /v1/trust?since=N`: the trust directory for a kiosk's copy, which
//! the kiosk checks a token's certificate against before it requests a
//! challenge.
//!
//! The whole directory is sent whenever the version differs from `since`,
//! so a station never has to apply a diff. That stays cheap while the
//! directory holds tens of certificates and CRLs (an estimate for the
//! accredited centers). An equal version returns `changed: false` with
//! empty lists.

use axum::extract::{Query, Request, State};
use axum::Json;
use base64::Engine;
use domain::sync::{DeviceRole, TrustDirectoryPage, TrustedCertificate};
use serde::Deserialize;

use super::sync::signed;
use crate::error::ApiError;
use crate::state::AppState;

/// Query of `GET /v1/trust`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustQuery {
    /// The version of the station's copy; 0 for none.
    #[serde(default)]
    pub since: u64,
}

pub async fn directory(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<TrustDirectoryPage>, ApiError> {
    let (parts, device, _) = signed(&state, request).await?;
    if device.role != DeviceRole::Kiosk {
        tracing::info!(device_id = %device.id, "trust directory request rejected: not a kiosk");
        return Err(ApiError::forbidden(
            "trust.kiosk_only",
            "Список доверенных удостоверяющих центров получает только киоск.",
        ));
    }
    let Query(query) = Query::<TrustQuery>::try_from_uri(&parts.uri).map_err(|err| {
        ApiError::bad_request(
            "query.invalid",
            format!(
                "Параметры запроса неверны: {}. Допустим только since (целое число от 0).",
                err.body_text()
            ),
        )
        .with_field("since", "целое число от 0")
    })?;

    let version = state.run_store(|store| store.trust_version()).await?;
    if version == query.since {
        return Ok(Json(TrustDirectoryPage {
            version,
            changed: false,
            certificates: Vec::new(),
            crls: Vec::new(),
        }));
    }
    let snapshot = state.run_store(|store| store.trust_directory()).await?;
    let base64 = base64::engine::general_purpose::STANDARD;
    let page = TrustDirectoryPage {
        version: snapshot.version,
        changed: snapshot.version != query.since,
        certificates: snapshot
            .certificates
            .iter()
            .map(|certificate| TrustedCertificate {
                anchor: certificate.anchor,
                der: base64.encode(&certificate.der),
            })
            .collect(),
        crls: snapshot
            .crls
            .iter()
            .map(|crl| base64.encode(&crl.der))
            .collect(),
    };
    tracing::info!(
        device_id = %device.id,
        since = query.since,
        version = page.version,
        certificates = page.certificates.len(),
        crls = page.crls.len(),
        "trust directory sent"
    );
    Ok(Json(page))
}
