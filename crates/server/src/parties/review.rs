//! The court's side of the parties' desk (staff console): declared payments to confirm, and the
//! correction and reconsideration requests a court decides, ordered by their legal due dates.
//! Upholding a request takes the listing off every public list at once; refusing serves the
//! reason on the party, which opens the 10 days for reconsideration by the court one level up
//! (whose reviewers see the requests of the courts below it). Every decision is audited.

use axum::{
    extract::{Path, State},
    routing::{get, post},
    Json, Router,
};
use portal_core::{
    api::{StaffDecisionRequest, StaffDeclarations, StaffPartyRequest, StaffPartyRequests},
    notice::{NoticeStatus, SubjectId},
    party::{self, Decision, DeclarationStatus, DeletionReason, RequestKind, RequestStatus},
    time::{court_today, now_ms},
    ErrorCode,
};

use super::{
    http::{calendar, date, due, request_item},
    store::{self, RequestDecision},
};
use crate::{
    error::{stored, AppError, AppResult},
    extract::ApiJson,
    notices,
    staff::{store::audit, Role, SignedIn},
    state::AppState,
};

/// Staff who decide on the parties' declarations and requests.
const REVIEWERS: &[Role] = &[Role::Admin, Role::Reviewer];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/party/requests", get(requests))
        .route("/staff/party/requests/{id}/decision", post(decide_request))
        .route("/staff/party/declarations", get(declarations))
        .route(
            "/staff/party/declarations/{id}/decision",
            post(decide_declaration),
        )
}

fn not_found() -> AppError {
    AppError::not_found(
        ErrorCode::NotFound,
        "没有这项申请，或不由本院办理",
        "No such request, or not one for this court",
    )
}

fn decided_already() -> AppError {
    AppError::conflict(
        ErrorCode::StatusChanged,
        "这项申请已经处理过，请刷新列表",
        "This was decided already; reload the list",
    )
}

/// `GET /staff/party/requests`: the court's queue, the nearest due date first.
async fn requests(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> AppResult<Json<StaffPartyRequests>> {
    let who = signed_in.require(REVIEWERS)?;
    let today = court_today();
    let mut out = Vec::new();
    for r in store::open_requests(&state.db, &who.court).await? {
        let item = request_item(&r)?;
        let running = item.correct_due.as_deref().unwrap_or(&item.review_due);
        let overdue = party::is_overdue(date(running, "due date")?, today);
        let refusal_reason = match r.correction_id {
            Some(id) => store::request(&state.db, id)
                .await?
                .and_then(|c| c.decision_reason),
            None => None,
        };
        out.push(StaffPartyRequest {
            id: item.id,
            kind: item.kind,
            status: item.status,
            court: r.listing_court.clone(),
            case_number: item.case_number,
            notice_id: item.notice_id,
            party_name: r.party_name.clone(),
            masked_id: SubjectId::parse_any(&r.party_subject)
                .map_err(|_| anyhow::anyhow!("a stored identifier is malformed"))?
                .masked(),
            ground: item.ground,
            deletion_ground: item.deletion_ground,
            reason: item.reason,
            received_at: item.received_at,
            review_due: item.review_due,
            correct_due: item.correct_due,
            overdue,
            files: item.files,
            correction_id: item.correction_id,
            refusal_reason,
        });
    }
    out.sort_by(|a, b| {
        let due = |r: &StaffPartyRequest| r.correct_due.clone().unwrap_or(r.review_due.clone());
        due(a).cmp(&due(b)).then(a.id.cmp(&b.id))
    });
    Ok(Json(StaffPartyRequests {
        total: out.len() as u32,
        requests: out,
    }))
}

/// `POST /staff/party/requests/{id}/decision`.
async fn decide_request(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<StaffDecisionRequest>,
) -> AppResult<Json<portal_core::api::PartyRequestItem>> {
    let who = signed_in.require(REVIEWERS)?;
    let decision = req.validate()?;
    let r = store::request(&state.db, id)
        .await?
        .filter(|r| r.deciding_court == who.court)
        .ok_or_else(not_found)?;
    let kind = RequestKind::parse(&r.kind)
        .ok_or_else(|| anyhow::anyhow!("unknown stored request kind {:?}", r.kind))?;
    let from = RequestStatus::received(kind);
    if stored(RequestStatus::parse(&r.status), "request status", &r.status)? != from {
        return Err(decided_already());
    }
    let status = RequestStatus::decided(kind, decision.decision);
    let now = now_ms();
    let today = court_today();
    let cal = calendar(&state).await?;
    let cal = cal.as_ref();
    let today_text = today.to_string();
    let mut tx = state.db.pool.begin().await?;
    let (served_on, window_end, correct_due, corrected_at) = match decision.decision {
        Decision::Uphold => {
            notices::store::withdraw(
                &mut tx,
                r.notice_id,
                DeletionReason::Corrected.as_str(),
                now,
            )
            .await?;
            (
                None,
                None,
                Some(due(party::correct_due(cal, today))?),
                Some(now),
            )
        }
        Decision::Refuse => {
            let window = match kind {
                RequestKind::Correction => {
                    Some(due(party::reconsideration_window_end(cal, today))?)
                }
                RequestKind::Reconsideration => None,
            };
            (Some(today_text.as_str()), window, None, None)
        }
    };
    let done = store::decide_request(
        &mut tx,
        &RequestDecision {
            id,
            from_status: from.as_str(),
            status: status.as_str(),
            by: &who.username,
            reason: decision.reason.as_deref(),
            at: now,
            served_on,
            window_end: window_end.as_deref(),
            correct_due: correct_due.as_deref(),
            corrected_at,
        },
    )
    .await?;
    if !done {
        return Err(decided_already());
    }
    tx.commit().await?;
    audit(
        &state.db,
        &who,
        &format!("party_request.{}", decision.decision.as_str()),
        &format!("request {id}"),
        decision.reason.as_deref(),
    )
    .await?;
    let r = store::request(&state.db, id).await?.ok_or_else(not_found)?;
    Ok(Json(request_item(&r)?))
}

/// `GET /staff/party/declarations`: the court's declared payments waiting for it.
async fn declarations(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> AppResult<Json<StaffDeclarations>> {
    let who = signed_in.require(REVIEWERS)?;
    let mut out = Vec::new();
    for d in store::open_declarations(&state.db, &who.court).await? {
        out.push(super::creditor::view(&state, &d).await?);
    }
    Ok(Json(StaffDeclarations {
        total: out.len() as u32,
        declarations: out,
    }))
}

/// `POST /staff/party/declarations/{id}/decision`: the court confirms the payment (once the
/// confirmed payments cover the obligation, the case is performed and the debtor's listings in
/// it are deleted in the same transaction) or refuses it with a reason.
async fn decide_declaration(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<StaffDecisionRequest>,
) -> AppResult<Json<portal_core::api::StaffDeclaration>> {
    let who = signed_in.require(REVIEWERS)?;
    let decision = req.validate()?;
    let d = store::declaration(&state.db, id)
        .await?
        .filter(|d| d.court == who.court)
        .ok_or_else(not_found)?;
    let status = match decision.decision {
        Decision::Uphold => DeclarationStatus::Confirmed,
        Decision::Refuse => DeclarationStatus::Rejected,
    };
    let now = now_ms();
    let mut tx = state.db.pool.begin().await?;
    let performed = store::decide_declaration(
        &mut tx,
        state.db.kind,
        id,
        status.as_str(),
        &who.username,
        decision.reason.as_deref(),
        now,
    )
    .await?
    .ok_or_else(decided_already)?;
    if performed {
        for (notice_id, status) in
            notices::store::of_case_subject(&mut tx, &d.court, &d.case_number, &d.subject_id)
                .await?
        {
            notices::store::mark_performed(&mut tx, notice_id, now).await?;
            if stored(NoticeStatus::parse(&status), "notice status", &status)?
                == NoticeStatus::Active
            {
                notices::store::withdraw(
                    &mut tx,
                    notice_id,
                    DeletionReason::Performed.as_str(),
                    now,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    audit(
        &state.db,
        &who,
        &format!("declaration.{}", decision.decision.as_str()),
        &format!("declaration {id}"),
        decision.reason.as_deref(),
    )
    .await?;
    let d = store::declaration(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(super::creditor::view(&state, &d).await?))
}
