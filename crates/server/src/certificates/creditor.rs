//! The creditor's side of an application: the confirmation code opens it, and the creditor
//! confirms or disputes the performance within the days allowed.

use axum::{extract::State, http::StatusCode, Json};
use portal_core::time::now_ms;
use portal_core::{
    certificate::{CreditorAnswer, CreditorRequest, CreditorView},
    ErrorCode,
};

use super::apply::stage_of;
use super::review::{amount_shown, conflict};
use super::store::{self, ApplicationRow};
use crate::{
    error::{stored, AppError, AppResult},
    extract::{ApiJson, Client},
    hashing::tracking_hash,
    state::AppState,
};

pub(super) fn creditor_not_found() -> AppError {
    AppError::not_found(
        ErrorCode::NotFound,
        "确认码不正确",
        "The confirmation code is wrong",
    )
}

/// The application a creditor's code opens (codes are 16 random digits; lookups go through the
/// same admission as lookups, proof of work included).
pub(super) async fn by_creditor_code(
    state: &AppState,
    client: &Client,
    code: &str,
) -> AppResult<ApplicationRow> {
    client.admit(state).await?;
    store::application_by_creditor_code(&state.db, &tracking_hash(state, code).await?)
        .await?
        .ok_or_else(creditor_not_found)
}

/// The creditor's stored answer; none yet is `None`, an unknown one an error.
pub(super) fn creditor_answer_of(s: Option<&str>) -> anyhow::Result<Option<CreditorAnswer>> {
    s.map(|s| stored(CreditorAnswer::parse(s), "creditor answer", s))
        .transpose()
}

/// `POST /certificates/confirmations/lookup`: what the creditor is asked to confirm.
pub(super) async fn creditor_lookup(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<CreditorRequest>,
) -> AppResult<Json<CreditorView>> {
    let code = req.code()?;
    let a = by_creditor_code(&state, &client, &code).await?;
    Ok(Json(CreditorView {
        case_number: a.case_number,
        name: a.name,
        stage: stage_of(&a.stage)?,
        amount: amount_shown(a.amount_fen),
        performed_on: a.performed_on,
        court: a.court,
        deadline: a
            .creditor_deadline
            .map(portal_core::time::court_ymd)
            .unwrap_or_default(),
        answer: creditor_answer_of(a.creditor_answer.as_deref())?,
    }))
}

/// `POST /certificates/confirmations`: the creditor confirms or disputes, once, before the deadline.
pub(super) async fn creditor_answer(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<CreditorRequest>,
) -> AppResult<StatusCode> {
    let (code, answer, note) = req.validate()?;
    let a = by_creditor_code(&state, &client, &code).await?;
    if !store::creditor_answer(&state.db, a.id, answer.as_str(), note.as_deref(), now_ms()).await? {
        return Err(conflict(
            "已经答复过，或已超过答复期限；如有问题请联系执行法院",
            "An answer was given already, or the deadline passed; contact the enforcing court",
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}
