//! The court's side of certificates: the reviewers' queue, issuing or refusing an application,
//! revoking or superseding a certificate (every decision audited).

use crate::extract::ApiQuery;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use base64::{prelude::BASE64_URL_SAFE_NO_PAD as B64, Engine};
use portal_core::time::{now_ms, rfc3339_millis};
use portal_core::{
    certificate::{
        certificate_number, CertificatePayload, CreditorState, Issued, PayloadSubject,
        ReasonRequest, StaffApplication, StaffApplications,
    },
    ErrorCode,
};
use serde::Deserialize;

use super::apply::{application_status, stage_of};
use super::creditor::creditor_answer_of;
use super::http::REVIEWERS;
use super::store::{self, ApplicationRow, CertificateRow, Issue};
use super::verify::certificate_by_number;
use crate::{
    error::{AppError, AppResult},
    extract::ApiJson,
    staff::{store::audit, SignedIn},
    state::AppState,
};

#[derive(Deserialize)]
pub(super) struct QueueQuery {
    status: Option<String>,
}

pub(super) async fn queue(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> AppResult<Json<StaffApplications>> {
    let who = signed_in.require(REVIEWERS)?;
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s @ ("pending" | "issued" | "refused")) => Some(s),
        Some(_) => {
            return Err(AppError::invalid_value(
                "status",
                ErrorCode::InvalidValue,
                "筛选条件无效",
                "Invalid filter",
            ))
        }
    };
    let mut applications = Vec::new();
    for a in store::queue(&state.db, &who.court, status).await? {
        let certificates = store::certificates_of(&state.db, a.id)
            .await?
            .into_iter()
            .map(|c| certificate_number(c.serial as u32))
            .collect();
        applications.push(staff_view(a, certificates)?);
    }
    Ok(Json(StaffApplications { applications }))
}

pub(super) fn amount_shown(fen: i64) -> String {
    format!(
        "{}.{:02}",
        portal_core::numbers::group_digits(fen / 100),
        fen % 100
    )
}

pub(super) fn staff_view(
    a: ApplicationRow,
    certificates: Vec<String>,
) -> anyhow::Result<StaffApplication> {
    let subject = if a.subject_kind == "person" {
        PayloadSubject::Person(a.payload_id)
    } else {
        PayloadSubject::Organization(a.payload_id)
    };
    let creditor = match a.creditor_deadline {
        Some(deadline) => Some(CreditorState {
            deadline: portal_core::time::court_ymd(deadline),
            answer: creditor_answer_of(a.creditor_answer.as_deref())?,
            note: a.creditor_note,
        }),
        None => None,
    };
    Ok(StaffApplication {
        id: a.id,
        created_at: rfc3339_millis(a.created_at),
        case_number: a.case_number,
        name: a.name,
        subject_id: subject.shown(),
        stage: stage_of(&a.stage)?,
        amount: amount_shown(a.amount_fen),
        performed_on: a.performed_on,
        honour_consent: a.honour_consent != 0,
        status: application_status(&a.status)?,
        reason: a.reason,
        certificates,
        creditor,
    })
}

pub(super) fn conflict(zh: &str, en: &str) -> AppError {
    AppError::conflict(ErrorCode::StatusChanged, zh, en)
}

/// Signs a certificate for application `a` with its court's current key, in the transaction
/// that stores it.
pub(super) async fn sign_and_store(
    state: &AppState,
    a: &ApplicationRow,
    by: &str,
    supersedes: Option<(i64, &str)>,
) -> AppResult<String> {
    let keys = state.court_keys.get();
    let key_id = keys.current_key_id(&a.court).ok_or_else(|| {
        conflict(
            "本院还没有证明书签名密钥，请管理员运行 portal-server court-key generate",
            "This court has no certificate signing key yet; an administrator runs portal-server court-key generate",
        )
    })?;
    let now = now_ms();
    let performed_on = chrono::NaiveDate::parse_from_str(&a.performed_on, "%Y-%m-%d")
        .map_err(anyhow::Error::from)?;
    let subject = if a.subject_kind == "person" {
        PayloadSubject::Person(a.payload_id.clone())
    } else {
        PayloadSubject::Organization(a.payload_id.clone())
    };
    let issue = Issue {
        application_id: a.id,
        court: &a.court,
        key_id: &key_id,
        honour_consent: a.honour_consent != 0,
        now,
        first: supersedes.is_none(),
        by,
        supersedes,
    };
    let serial = store::issue(&state.db, &issue, |serial| {
        let payload = CertificatePayload {
            key_id: key_id.clone(),
            serial,
            issued_at: u32::try_from(now / 1000)?,
            performed_on,
            stage: stage_of(&a.stage)?,
            amount_fen: u64::try_from(a.amount_fen)?,
            subject,
            name: a.name.clone(),
            case_number: a.case_number.clone(),
        }
        .to_bytes();
        let signature = keys
            .sign(&key_id, &payload)
            .ok_or_else(|| anyhow::anyhow!("court key {key_id} cannot sign"))?;
        Ok((B64.encode(payload), B64.encode(signature)))
    })
    .await?
    .ok_or_else(|| {
        conflict(
            "该申请或证明书的状态刚被他人修改，请刷新后再试",
            "Someone else just changed this application or certificate; reload and try again",
        )
    })?;
    Ok(certificate_number(serial))
}

pub(super) async fn application_of_court(
    state: &AppState,
    id: i64,
    court: &str,
) -> AppResult<ApplicationRow> {
    store::application_for_court(&state.db, id, court)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) async fn issue(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> AppResult<Json<Issued>> {
    let who = signed_in.require(REVIEWERS)?;
    let a = application_of_court(&state, id, &who.court).await?;
    let number = sign_and_store(&state, &a, &who.username, None).await?;
    audit(
        &state.db,
        &who,
        "certificate.issue",
        &format!("application:{id}"),
        Some(&number),
    )
    .await?;
    Ok(Json(Issued { number }))
}

pub(super) async fn refuse(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(REVIEWERS)?;
    let reason = req.validate()?;
    application_of_court(&state, id, &who.court).await?;
    if !store::refuse(&state.db, id, &reason, &who.username, now_ms()).await? {
        return Err(conflict(
            "该申请已处理",
            "This application was decided already",
        ));
    }
    audit(
        &state.db,
        &who,
        "certificate.refuse",
        &format!("application:{id}"),
        Some(&reason),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A valid certificate of the signed-in reviewer's court.
pub(super) async fn own_certificate(
    state: &AppState,
    number: &str,
    court: &str,
) -> AppResult<CertificateRow> {
    let c = certificate_by_number(state, number).await?;
    if c.court != court {
        return Err(AppError::NotFound);
    }
    if c.status != "valid" {
        return Err(conflict(
            "该证明书已被撤销或替换",
            "This certificate was revoked or replaced already",
        ));
    }
    Ok(c)
}

pub(super) async fn revoke(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(number): Path<String>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(REVIEWERS)?;
    let reason = req.validate()?;
    let c = own_certificate(&state, &number, &who.court).await?;
    if !store::revoke(&state.db, c.serial, &who.court, &reason, now_ms()).await? {
        return Err(conflict(
            "该证明书已被撤销或替换",
            "This certificate was revoked or replaced already",
        ));
    }
    audit(
        &state.db,
        &who,
        "certificate.revoke",
        &format!("certificate:{number}"),
        Some(&reason),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces a valid certificate with a new one from the same application (a corrected
/// certificate, or one signed with a new key); the old one says which replaced it.
pub(super) async fn supersede(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(number): Path<String>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> AppResult<Json<Issued>> {
    let who = signed_in.require(REVIEWERS)?;
    let reason = req.validate()?;
    let c = own_certificate(&state, &number, &who.court).await?;
    let a = application_of_court(&state, c.application_id, &who.court).await?;
    let new = sign_and_store(&state, &a, &who.username, Some((c.serial, &reason))).await?;
    audit(
        &state.db,
        &who,
        "certificate.supersede",
        &format!("certificate:{number}"),
        Some(&format!("{new}: {reason}")),
    )
    .await?;
    Ok(Json(Issued { number: new }))
}
