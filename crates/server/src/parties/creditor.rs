//! The creditor's side of a declared payment (the certificates' creditor flow): the code the
//! debtor passed on opens the declaration, and the creditor confirms or disputes it once, within
//! the days allowed. Behind the same admission as lookups; a wrong code is one 404.

use axum::{extract::State, Json};
use portal_core::{
    api::{ErrorBody, StaffDeclaration},
    certificate::{CreditorAnswer, CreditorRequest},
    party::{format_yuan, DeclarationStatus},
    time::now_ms,
    ErrorCode,
};

use super::store::{self, DeclarationRow};
use crate::{
    error::{AppError, AppResult},
    extract::{ApiJson, Client},
    hashing::tracking_hash,
    state::AppState,
};

fn not_found() -> AppError {
    AppError::not_found(
        ErrorCode::NotFound,
        "确认码不正确",
        "The confirmation code is wrong",
    )
}

async fn by_code(state: &AppState, client: &Client, code: &str) -> AppResult<DeclarationRow> {
    client.admit(state).await?;
    store::declaration_by_creditor_code(&state.db, &tracking_hash(state, code).await?)
        .await?
        .ok_or_else(not_found)
}

/// A declaration as the creditor and the court see it (the party masked).
pub(super) async fn view(state: &AppState, d: &DeclarationRow) -> AppResult<StaffDeclaration> {
    let shown = super::http::declaration_of(d)?;
    let others = store::paid(&state.db, d.case_id).await?;
    Ok(StaffDeclaration {
        id: d.id,
        court: d.court.clone(),
        case_number: d.case_number.clone(),
        party_name: d.party_name.clone(),
        masked_id: portal_core::notice::SubjectId::parse_any(&d.subject_id)
            .map_err(|_| anyhow::anyhow!("a stored identifier is malformed"))?
            .masked(),
        amount: shown.amount,
        outstanding: format_yuan(d.case_amount_fen - others),
        paid_on: shown.paid_on,
        method: shown.method,
        status: shown.status,
        received_at: shown.received_at,
        creditor_note: d.creditor_note.clone(),
        files: shown.files,
    })
}

/// `POST /party/confirmations/lookup`.
#[utoipa::path(
    post,
    path = "/party/confirmations/lookup",
    operation_id = "party_confirmation_lookup",
    summary = "A declared payment, by the creditor's code",
    description = "The creditor opens the declaration the debtor's code names (the party masked). A wrong code is one 404.",
    request_body = CreditorRequest,
    responses(
        (status = 200, description = "The declaration", body = StaffDeclaration),
        (status = 400, description = "The body is not JSON or has fields of the wrong type", body = ErrorBody),
        (status = 403, description = "A browser's cross-site request", body = ErrorBody),
        (status = 404, description = "No declaration has this code", body = ErrorBody),
        (status = 413, description = "The body is over 1 MB", body = ErrorBody),
        (status = 422, description = "The code is malformed", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, or the client must wait", body = ErrorBody),
        (status = 503, description = "`server_busy`: the hashing queue is full; `Retry-After`", body = ErrorBody),
    )
)]
pub(super) async fn lookup(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<CreditorRequest>,
) -> AppResult<Json<StaffDeclaration>> {
    let code = req.code()?;
    let d = by_code(&state, &client, &code).await?;
    Ok(Json(view(&state, &d).await?))
}

/// `POST /party/confirmations`: the creditor's answer, once.
#[utoipa::path(
    post,
    path = "/party/confirmations",
    operation_id = "party_confirmation_answer",
    summary = "The creditor confirms or disputes a declared payment",
    description = "Once, within the days allowed; disputing needs a note.",
    request_body = CreditorRequest,
    responses(
        (status = 200, description = "The declaration as it stands now", body = StaffDeclaration),
        (status = 400, description = "The body is not JSON or has fields of the wrong type", body = ErrorBody),
        (status = 403, description = "A browser's cross-site request", body = ErrorBody),
        (status = 404, description = "No declaration has this code", body = ErrorBody),
        (status = 409, description = "Answered already, decided by the court, or past its deadline", body = ErrorBody),
        (status = 413, description = "The body is over 1 MB", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, or the client must wait", body = ErrorBody),
        (status = 503, description = "`server_busy`: the hashing queue is full; `Retry-After`", body = ErrorBody),
    )
)]
pub(super) async fn answer(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<CreditorRequest>,
) -> AppResult<Json<StaffDeclaration>> {
    let (code, answer, note) = req.validate()?;
    let d = by_code(&state, &client, &code).await?;
    let status = match answer {
        CreditorAnswer::Confirmed => DeclarationStatus::CreditorConfirmed,
        CreditorAnswer::Disputed => DeclarationStatus::CreditorDisputed,
    };
    if !store::answer_declaration(
        &state.db,
        d.id,
        status.as_str(),
        answer.as_str(),
        note.as_deref(),
        now_ms(),
    )
    .await?
    {
        return Err(AppError::conflict(
            ErrorCode::StatusChanged,
            "这项申报已经答复过、已由法院决定，或已超过答复期限",
            "This declaration was answered already, decided by the court, or is past its deadline",
        ));
    }
    let d = store::declaration(&state.db, d.id)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(view(&state, &d).await?))
}
