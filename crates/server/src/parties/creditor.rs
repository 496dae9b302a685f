//! The creditor's side of a declared payment: the creditor of the case — a party of it, signed in
//! at the desk with their own access code — sees the declarations on their cases (`GET
//! /party/cases`) and confirms or disputes one once, within the days allowed. Nobody else can:
//! the debtor who declared it, a stranger and a declaration that does not exist all get one 404.

use axum::{
    extract::{Path, State},
    http::HeaderMap,
    Json,
};
use portal_core::{
    api::{CreditorAnswerBody, ErrorBody, PartyDeclaration, StaffDeclaration},
    certificate::{validate_answer, CreditorAnswer},
    party::{format_yuan, DeclarationStatus, PartyRole},
    time::now_ms,
    ErrorCode,
};

use super::{
    session::Party,
    store::{self, DeclarationRow},
};
use crate::{
    error::{stored, AppError, AppResult},
    extract::{ApiJson, Client},
    state::AppState,
};

fn not_found() -> AppError {
    AppError::not_found(
        ErrorCode::NotFound,
        "没有需要您答复的这项付款申报",
        "There is no declared payment with this number for you to answer",
    )
}

/// A declaration as the court sees it (the party masked).
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

/// The declaration `id` if the signed-in party is the creditor of its case; an id that is no
/// number is no declaration either.
async fn of_creditor(state: &AppState, party: &Party, id: &str) -> AppResult<DeclarationRow> {
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let d = store::declaration(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let role = store::role_in_case(&state.db, d.case_id, &party.subject_id)
        .await?
        .map(|r| stored(PartyRole::parse(&r), "role", &r))
        .transpose()?;
    if role != Some(PartyRole::Creditor) {
        return Err(not_found());
    }
    Ok(d)
}

/// `POST /party/declarations/{id}/answer`: the creditor's answer, once. The same answer again (a
/// retry whose first reply was lost) gets the declaration as it stands.
#[utoipa::path(
    post,
    path = "/party/declarations/{id}/answer",
    operation_id = "party_declaration_answer",
    summary = "The case's creditor confirms or disputes a declared payment",
    description = "For the signed-in creditor of the declaration's case, once, by its `creditor_deadline`; disputing needs a note. The same answer again (a retry whose reply was lost) is 200 with the declaration as it stands. The debtor who declared it, any other party and a declaration that does not exist all get one 404.",
    security(("party_session" = [])),
    params(("id" = i64, Path, description = "The declaration's id, from `pending_declarations` of `GET /party/cases`")),
    request_body = CreditorAnswerBody,
    responses(
        (status = 200, description = "The declaration as it stands now, as the creditor sees it", body = PartyDeclaration),
        (status = 400, description = "The body is not JSON or has fields of the wrong type", body = ErrorBody),
        (status = 401, description = "No party session, or it has ended", body = ErrorBody),
        (status = 403, description = "A browser's cross-site request", body = ErrorBody),
        (status = 404, description = "No declaration with this id for the signed-in party to answer (theirs to pay, another's, or none)", body = ErrorBody),
        (status = 409, description = "`status_changed`: answered already otherwise, decided by the court, or past its deadline", body = ErrorBody),
        (status = 413, description = "The body is over 1 MB", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it (`answer`, or `note`: missing when disputing, over 200 characters)", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, or the client must wait", body = ErrorBody),
    )
)]
pub(super) async fn answer(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CreditorAnswerBody>,
) -> AppResult<Json<PartyDeclaration>> {
    let (answer, note) = validate_answer(&req.answer, req.note.as_deref())?;
    client.admit(&state).await?;
    let party = Party::of(&state, &headers).await?;
    let d = of_creditor(&state, &party, &id).await?;
    let status = match answer {
        CreditorAnswer::Confirmed => DeclarationStatus::CreditorConfirmed,
        CreditorAnswer::Disputed => DeclarationStatus::CreditorDisputed,
    };
    let answered = store::answer_declaration(
        &state.db,
        d.id,
        status.as_str(),
        answer.as_str(),
        note.as_deref(),
        now_ms(),
    )
    .await?;
    let d = store::declaration(&state.db, d.id)
        .await?
        .ok_or_else(not_found)?;
    if !answered && d.creditor_answer.as_deref() != Some(answer.as_str()) {
        return Err(AppError::conflict(
            ErrorCode::StatusChanged,
            "这项申报已经答复过、已由法院决定，或已超过答复期限",
            "This declaration was answered already, decided by the court, or is past its deadline",
        ));
    }
    Ok(Json(super::http::creditor_sees(&d)?))
}
