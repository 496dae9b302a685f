//! The verifier's side of certificates: the public record of a certificate (every look logged for
//! its subject), its QR code, the partner check, the court keys and the verification page.

use crate::extract::ApiQuery;
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use base64::{prelude::BASE64_URL_SAFE_NO_PAD as B64, Engine};
use portal_core::time::{now_ms, rfc3339_millis};
use portal_core::{
    api::ErrorBody,
    certificate::{
        certificate_number, parse_certificate_number, CertificatePayload, CertificateRecord,
        CertificateStatus, CertificateStatusOnly, PartnerVerifyRequest, SignedPayload,
    },
    ErrorCode, PersonName,
};
use serde::Deserialize;

use super::http::CertificateAnswer;
use super::store::{self, CertificateRow};
use crate::{
    error::{stored, AppError, AppResult},
    extract::{ApiJson, Client},
    frontend::{not_built, Frontend},
    partners::Authenticated,
    state::{public_origin, AppState},
};

pub(super) fn record_of(c: CertificateRow) -> AppResult<CertificateRecord> {
    Ok(CertificateRecord {
        number: certificate_number(c.serial as u32),
        status: stored(
            CertificateStatus::parse(&c.status),
            "certificate status",
            &c.status,
        )?,
        payload: c.payload,
        signature: c.signature,
        key_id: c.key_id,
        court: c.court,
        issued_at: rfc3339_millis(c.issued_at),
        reason: c.reason,
        changed_at: c.changed_at.map(rfc3339_millis),
        superseded_by: c.superseded_by.map(|s| certificate_number(s as u32)),
    })
}

/// The certificate a typed number names; a number with a wrong check digit is a field error.
pub(super) async fn certificate_by_number(
    state: &AppState,
    number: &str,
) -> AppResult<CertificateRow> {
    let serial = parse_certificate_number(number).map_err(|e| AppError::invalid("number", e))?;
    store::certificate(&state.db, i64::from(serial))
        .await?
        .filter(|c| !c.payload.is_empty())
        .ok_or_else(no_such_certificate)
}

pub(super) fn no_such_certificate() -> AppError {
    AppError::not_found(
        ErrorCode::NotFound,
        "没有这个编号的证明书",
        "There is no certificate with this number",
    )
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct RecordQuery {
    /// How the verifier reached it: `qr` (the verify page opened from a QR code) or `number`
    #[param(pattern = "^(qr|number)$")]
    channel: Option<String>,
    /// The subject's name as printed on the certificate (the QR page reads it from the payload);
    /// without it, or with another name, the answer is the status alone
    #[param(format = "subject-name", max_length = 100)]
    name: Option<String>,
}

/// A certificate number: 9 digits and a Damm check digit.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(crate) struct NumberPath {
    /// The certificate's number, as printed
    #[param(format = "certificate-number", pattern = "^[0-9]{10}$")]
    number: String,
}

/// The name a certificate's signed payload carries.
pub(super) fn subject_name(c: &CertificateRow) -> AppResult<String> {
    let bytes = B64.decode(&c.payload).map_err(anyhow::Error::from)?;
    Ok(CertificatePayload::from_bytes(&bytes)
        .map_err(|_| anyhow::anyhow!("certificate {} has an unreadable payload", c.serial))?
        .name)
}

/// Whether `name` is the name the certificate's payload carries (as normalised for lookups).
pub(super) fn names_subject(c: &CertificateRow, name: Option<&str>) -> AppResult<bool> {
    let Some(asked) = name.and_then(|n| PersonName::parse(n).ok()) else {
        return Ok(false);
    };
    Ok(PersonName::parse(&subject_name(c)?)
        .is_ok_and(|subject| subject.normalized() == asked.normalized()))
}

/// A certificate and its live status
///
/// With the subject's name as printed on it, the signed record (payload and the court's
/// signature); without it, or with another name, `{"number","status"}` only.
#[utoipa::path(
    get,
    path = "/certificates/{number}",
    params(NumberPath, RecordQuery),
    responses(
        (status = 200, description = "The record, or its status alone", body = CertificateAnswer),
        (status = 400, description = "The query cannot be read", body = ErrorBody),
        (status = 404, description = "No certificate has this number", body = ErrorBody),
        (status = 422, description = "The number has a wrong check digit", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, or the client must wait", body = ErrorBody),
    )
)]
/// `GET /certificates/{number}?name=NAME`: with the subject's name, the signed certificate and its
/// live status, the look logged for the subject's "who verified me" (once an hour per client);
/// without it, or with another name, the status alone — a number must not let a stranger read
/// who performed what.
pub(crate) async fn record(
    State(state): State<AppState>,
    client: Client,
    Path(number): Path<String>,
    ApiQuery(q): ApiQuery<RecordQuery>,
) -> AppResult<Response> {
    parse_certificate_number(&number).map_err(|e| AppError::invalid("number", e))?;
    client.admit(&state).await?;
    let c = certificate_by_number(&state, &number).await?;
    let named = names_subject(&c, q.name.as_deref())?;
    let serial = c.serial;
    let record = record_of(c)?;
    if !named {
        return Ok(Json(CertificateStatusOnly {
            number: record.number,
            status: record.status,
        })
        .into_response());
    }
    let channel = match q.channel.as_deref() {
        Some("qr") => "qr",
        _ => "number",
    };
    store::log_verification(
        &state.db,
        serial,
        channel,
        None,
        &client.key(&state),
        now_ms(),
    )
    .await?;
    Ok(Json(record).into_response())
}

/// `GET /certificates/{number}/qr?name=NAME`: the QR code of a certificate as modules, for the
/// subject's own page (not logged as a verification). The code carries the signed certificate, so
/// without the subject's name the answer is the same 404 as for an unknown number.
pub(super) async fn qr_code(
    State(state): State<AppState>,
    client: Client,
    Path(number): Path<String>,
    ApiQuery(q): ApiQuery<RecordQuery>,
) -> AppResult<Json<super::qr::Qr>> {
    parse_certificate_number(&number).map_err(|e| AppError::invalid("number", e))?;
    client.admit(&state).await?;
    let c = certificate_by_number(&state, &number).await?;
    if !names_subject(&c, q.name.as_deref())? {
        return Err(no_such_certificate());
    }
    let signed = SignedPayload {
        payload: B64.decode(&c.payload).map_err(anyhow::Error::from)?,
        signature: B64
            .decode(&c.signature)
            .map_err(anyhow::Error::from)?
            .try_into()
            .map_err(|_| anyhow::anyhow!("a stored signature is not 64 bytes"))?,
    };
    Ok(Json(super::qr::encode(
        &signed.qr_text(public_origin(&state)),
    )?))
}

pub(super) async fn partner_verify(
    State(state): State<AppState>,
    Authenticated(partner): Authenticated,
    ApiJson(req): ApiJson<PartnerVerifyRequest>,
) -> AppResult<Json<CertificateRecord>> {
    let c = certificate_by_number(&state, &req.number).await?;
    store::log_verification(
        &state.db,
        c.serial,
        "partner",
        Some(&partner.name),
        &format!("partner:{}", partner.id),
        now_ms(),
    )
    .await?;
    Ok(Json(record_of(c)?))
}

/// `GET /.well-known/court-keys.json`.
pub async fn court_keys(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "keys": state.court_keys.get().public_keys() }))
}

/// The verification page (its own bundle, `dist/verify`): opened from a QR code at `/C/{BASE32}`
/// or at `/certificates/verify` to type a number. The page as served carries the court keys of
/// this moment, so it checks the signature with no request of its own; `/C/sw.js` keeps it for
/// scans with no network.
pub fn page_router(frontend: Frontend) -> Router<AppState> {
    let page = {
        let frontend = frontend.clone();
        move |State(state): State<AppState>, blob: Option<Path<String>>| {
            let frontend = frontend.clone();
            async move { verify_page(&state, &frontend, blob.map(|Path(b)| b)) }
        }
    };
    let worker = move || {
        let script = frontend.verify_worker();
        async move {
            match script {
                Some(js) => (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "no-cache"),
                    ],
                    js,
                )
                    .into_response(),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
    };
    Router::new()
        .route("/C/sw.js", get(worker))
        .route(
            "/C/simplified-forms.txt",
            get(simplified_forms).layer(tower_http::compression::CompressionLayer::new()),
        )
        .route("/C", get(page.clone()))
        .route("/C/", get(page.clone()))
        .route("/C/{blob}", get(page.clone()))
        .route("/c/{blob}", get(page.clone()))
        .route("/certificates/verify", get(page))
}

/// `GET /C/simplified-forms.txt`: the traditional-to-simplified table names are matched with
/// ([`portal_core::name::simplified_forms`]). The verification page fetches it only when a typed
/// name and the certificate's differ before simplification, so it need not carry the table.
async fn simplified_forms() -> Response {
    static TEXT: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(portal_core::name::simplified_forms);
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        TEXT.as_str(),
    )
        .into_response()
}

pub(super) fn verify_page(state: &AppState, frontend: &Frontend, blob: Option<String>) -> Response {
    let data = serde_json::json!({
        "keys": state.court_keys.get().public_keys(),
        "as_of": now_ms() / 1000,
    });
    let certificate = blob
        .as_deref()
        .and_then(SignedPayload::parse)
        .and_then(|s| CertificatePayload::from_bytes(&s.payload).ok())
        .map(|p| (p.number(), p.name));
    match frontend.verify_page(
        &data,
        certificate
            .as_ref()
            .map(|(n, name)| (n.as_str(), name.as_str())),
    ) {
        Some((html, policy)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (header::CONTENT_SECURITY_POLICY, policy),
            ],
            html,
        )
            .into_response(),
        None => not_built(),
    }
}
