//! The party's routes (DESIGN §7.8): their cases with every listing about them, who checked them,
//! declared payments and correction/reconsideration requests — each answer about the signed-in
//! party only. Writes take an `Idempotency-Key` and are stored, with their files, before they
//! are acknowledged.

use std::sync::Arc;

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::{get, post},
    Json, Router,
};
use chrono::NaiveDate;
use portal_core::{
    api::{
        ErrorBody, PartyCase, PartyCases, PartyDeclaration, PartyDeclarationCreated, PartyListing,
        PartyRequestBody, PartyRequestCreated, PartyRequestItem, PartyRequests,
        PerformanceDeclarationRequest,
    },
    calendar::{Calendar, DeadlineError},
    certificate::{Stage, CREDITOR_DAYS},
    notice::parse_lists,
    party::{
        self, format_yuan, CaseStatus, DeclarationContext, DeclarationStatus, DeletionGround,
        DeletionReason, ListingStatus, PartyRole, PaymentMethod, RequestGround, RequestKind,
        RequestStatus,
    },
    time::{court_date, court_today, court_ymd, now_ms, rfc3339},
    ErrorCode,
};

use super::{
    session::{self, Party},
    store::{self, DeclarationRow, NewDeclaration, NewRequest, NotStored, RequestRow},
};
use crate::{
    error::{stored, AppError, AppResult},
    extract::{idempotency_key, key_reused, request_hash, ApiJson, Client},
    hashing::sha256_hex,
    notices::store::{self as notices, SubjectListing},
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/party/session",
            post(session::sign_in)
                .get(session::current)
                .delete(session::sign_out),
        )
        .route("/party/cases", get(cases))
        .route("/party/requests", get(requests).post(make_request))
        .route("/party/performance", post(declare))
        .route(
            "/party/declarations/{id}/answer",
            post(super::creditor::answer),
        )
}

/// The calendar legal deadlines are counted on: the built-in years and the imported ones.
pub(super) async fn calendar(state: &AppState) -> AppResult<Arc<Calendar>> {
    Ok(crate::calendar::current(state).await?)
}

/// A due date, or an operator's error: the holiday calendar must cover the year (`import
/// holidays`), and a deadline the law counts must never be guessed.
pub(super) fn due(date: Result<NaiveDate, DeadlineError>) -> AppResult<String> {
    Ok(date
        .map_err(|e| anyhow::anyhow!("cannot count a legal deadline: {e}"))?
        .to_string())
}

pub(super) fn date(text: &str, column: &str) -> AppResult<NaiveDate> {
    Ok(stored(text.parse().ok(), column, text)?)
}

fn listing(cal: &Calendar, l: &SubjectListing, today: NaiveDate) -> AppResult<PartyListing> {
    let lists = parse_lists(&l.lists).map_err(|_| anyhow::anyhow!("unknown stored lists"))?;
    let deleted = match l.status.as_str() {
        "deleted" => true,
        "active" => false,
        other => return Err(anyhow::anyhow!("unknown stored notice status {other:?}").into()),
    };
    let status = if deleted {
        ListingStatus::Deleted
    } else if date(&l.published_on, "published_on")? > today {
        ListingStatus::Grace
    } else {
        ListingStatus::Published
    };
    let deletion_reason = l
        .deletion_reason
        .as_deref()
        .map(|r| stored(DeletionReason::parse(r), "deletion reason", r))
        .transpose()?;
    let delisting_due = match (deleted, l.performed_at) {
        (false, Some(at)) => Some(due(party::delisting_due(cal, court_date(at)))?),
        _ => None,
    };
    Ok(PartyListing {
        notice_id: l.id,
        lists,
        published_on: l.published_on.clone(),
        status,
        deleted_on: deleted.then(|| court_ymd(l.deleted_at.unwrap_or(l.updated_at))),
        deletion_reason,
        delisting_due,
    })
}

pub(super) fn declaration_of(d: &DeclarationRow) -> AppResult<PartyDeclaration> {
    Ok(PartyDeclaration {
        id: d.id,
        amount: format_yuan(d.amount_fen),
        paid_on: d.paid_on.clone(),
        method: stored(PaymentMethod::parse(&d.method), "payment method", &d.method)?,
        status: stored(
            DeclarationStatus::parse(&d.status),
            "declaration status",
            &d.status,
        )?,
        received_at: rfc3339(d.received_at),
        files: d.files as u32,
        declared_by: None,
        creditor_deadline: Some(court_ymd(d.creditor_deadline)),
        creditor_note: None,
    })
}

/// A declared payment as the creditor of its case sees it: who declared it, and their own note.
pub(super) fn creditor_sees(d: &DeclarationRow) -> AppResult<PartyDeclaration> {
    Ok(PartyDeclaration {
        declared_by: Some(d.party_name.clone()),
        creditor_note: d.creditor_note.clone(),
        ..declaration_of(d)?
    })
}

/// `GET /party/cases`.
#[utoipa::path(
    get,
    path = "/party/cases",
    operation_id = "party_cases",
    summary = "The signed-in party's own cases",
    description = "Every case of the party's identifier, with every listing about them (in its grace period, published or deleted) and the declared payments the court has not decided.",
    security(("party_session" = [])),
    responses(
        (status = 200, description = "The party's cases", body = PartyCases),
        (status = 401, description = "No party session, or it has ended", body = ErrorBody),
    )
)]
async fn cases(State(state): State<AppState>, party: Party) -> AppResult<Json<PartyCases>> {
    let today = court_today();
    let rows = store::cases_of(&state.db, &party.subject_id).await?;
    let listings = notices::listings_of(&state.db, &party.subject_id).await?;
    let cal = calendar(&state).await?;
    let mut cases = Vec::with_capacity(rows.len());
    for c in rows {
        let role = stored(PartyRole::parse(&c.role), "role", &c.role)?;
        let mut pending = Vec::new();
        // A debtor sees their own declarations; the creditor sees every declaration on the case.
        for d in store::declarations_of_case(&state.db, c.case_id).await? {
            let shown = match role {
                PartyRole::Creditor => creditor_sees(&d)?,
                PartyRole::Debtor if d.party_id == c.party_id => declaration_of(&d)?,
                PartyRole::Debtor => continue,
            };
            if matches!(
                shown.status,
                DeclarationStatus::Received
                    | DeclarationStatus::CreditorConfirmed
                    | DeclarationStatus::CreditorDisputed
            ) {
                pending.push(shown);
            }
        }
        cases.push(PartyCase {
            stage: stored(Stage::parse(&c.stage), "stage", &c.stage)?,
            role,
            status: stored(CaseStatus::parse(&c.status), "case status", &c.status)?,
            amount: format_yuan(c.amount_fen),
            paid: format_yuan(store::paid(&state.db, c.case_id).await?),
            listings: listings
                .iter()
                .filter(|l| l.court == c.court && l.case_number == c.case_number)
                .map(|l| listing(&cal, l, today))
                .collect::<AppResult<_>>()?,
            pending_declarations: pending,
            case_number: c.case_number,
            court: c.court,
            obligation: c.obligation,
            due_on: c.due_on,
        });
    }
    Ok(Json(PartyCases { cases }))
}

pub(super) fn request_item(r: &RequestRow) -> AppResult<PartyRequestItem> {
    Ok(PartyRequestItem {
        id: r.id,
        kind: stored(RequestKind::parse(&r.kind), "request kind", &r.kind)?,
        notice_id: r.notice_id,
        case_number: r.case_number.clone(),
        court: r.deciding_court.clone(),
        ground: stored(RequestGround::parse(&r.ground), "request ground", &r.ground)?,
        deletion_ground: r
            .deletion_ground
            .as_deref()
            .map(|g| stored(DeletionGround::parse(g), "deletion ground", g))
            .transpose()?,
        reason: r.reason.clone(),
        status: stored(RequestStatus::parse(&r.status), "request status", &r.status)?,
        received_at: rfc3339(r.received_at),
        review_due: r.review_due.clone(),
        decided_at: r.decided_at.map(rfc3339),
        decision_reason: r.decision_reason.clone(),
        correct_due: r.correct_due.clone(),
        corrected_at: r.corrected_at.map(rfc3339),
        served_on: r.served_on.clone(),
        reconsideration_window_end: r.window_end.clone(),
        correction_id: r.correction_id,
        files: r.files as u32,
    })
}

/// `GET /party/requests`.
#[utoipa::path(
    get,
    path = "/party/requests",
    operation_id = "party_requests",
    summary = "The signed-in party's correction and reconsideration requests",
    security(("party_session" = [])),
    responses(
        (status = 200, description = "The requests, newest first, with every date of their clocks", body = PartyRequests),
        (status = 401, description = "No party session, or it has ended", body = ErrorBody),
    )
)]
async fn requests(State(state): State<AppState>, party: Party) -> AppResult<Json<PartyRequests>> {
    Ok(Json(PartyRequests {
        requests: store::requests_of(&state.db, &party.subject_id)
            .await?
            .iter()
            .map(request_item)
            .collect::<AppResult<_>>()?,
    }))
}

fn no_such_case() -> AppError {
    AppError::invalid_value(
        "case_number",
        ErrorCode::InvalidValue,
        "您名下没有这个案号的案件",
        "You have no case with this number",
    )
}

/// `POST /party/performance`: a debtor declares a payment. The case's creditor confirms or
/// disputes it signed in at the desk (never through the debtor); the court decides in the staff
/// console.
#[utoipa::path(
    post,
    path = "/party/performance",
    operation_id = "party_declare_performance",
    summary = "Declare a payment",
    description = "A debtor declares a payment on one of their cases, with proof. The case's creditor confirms or disputes it signed in at the desk (`POST /party/declarations/{id}/answer`), by `creditor_deadline`; the court decides.",
    security(("party_session" = [])),
    params(("Idempotency-Key" = String, Header, description = "One per form filled in, the same on its retries: a retry gets the first answer and stores nothing new; the same key with another body is 422 `idempotency_key_reused`", min_length = 1, max_length = 200, pattern = "^[\\t -~]*[!-~][\\t -~]*$")),
    request_body = PerformanceDeclarationRequest,
    responses(
        (status = 201, description = "Stored, with its files", body = PartyDeclarationCreated),
        (status = 400, description = "The body is not JSON or has fields of the wrong type, or the `Idempotency-Key` is missing", body = ErrorBody),
        (status = 401, description = "No party session, or it has ended", body = ErrorBody),
        (status = 403, description = "A browser's cross-site request", body = ErrorBody),
        (status = 413, description = "The body is over 1 MB", body = ErrorBody),
        (status = 422, description = "A field is invalid (`field` names it: not one of the party's cases, not theirs to pay, more than is owed, a date out of range, an unknown upload), or the key came with another body", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, or the client must wait", body = ErrorBody),
    )
)]
async fn declare(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PerformanceDeclarationRequest>,
) -> AppResult<(StatusCode, Json<PartyDeclarationCreated>)> {
    let key = idempotency_key(&headers)?;
    let case_number = req.case_number().map_err(AppError::Invalid)?;
    // Admitted before anything is read: the session, the key, the case.
    client.admit(&state).await?;
    let party = Party::of(&state, &headers).await?;
    let key_hash = sha256_hex(&format!("declaration:{}:{key}", party.subject_id));
    let body_hash = request_hash(&state, "declaration", &req)?;
    if let Some(d) = store::declaration_by_key(&state.db, &key_hash).await? {
        key_reused(Some(&d.request_hash), &body_hash)?;
        return Ok((StatusCode::CREATED, Json(created(&d)?)));
    }
    let case = store::case_of(&state.db, &party.subject_id, case_number.as_str())
        .await?
        .ok_or_else(no_such_case)?;
    if stored(PartyRole::parse(&case.role), "role", &case.role)? != PartyRole::Debtor {
        return Err(AppError::invalid_value(
            "case_number",
            ErrorCode::InvalidValue,
            "只有履行义务的一方可以申报履行",
            "Only the party who owes the obligation declares payments",
        ));
    }
    let outstanding = case.amount_fen
        - store::paid(&state.db, case.case_id).await?
        - store::pending(&state.db, case.case_id).await?;
    let d = req.validate(DeclarationContext {
        today: court_today(),
        outstanding_fen: outstanding,
        max_files: state.uploads.config.max_files,
    })?;
    let files = crate::uploads::claim_for_keeping(&state, &key_hash, &d.uploads).await?;
    let now = now_ms();
    let creditor_deadline = now + CREDITOR_DAYS as i64 * 86_400_000;
    let new = NewDeclaration {
        case_id: case.case_id,
        party_id: case.party_id,
        amount_fen: d.amount_fen,
        paid_on: &d.paid_on.to_string(),
        method: d.method.as_str(),
        received_at: now,
        key_hash: &key_hash,
        request_hash: &body_hash,
        creditor_deadline,
        files: &files,
    };
    store::insert_declaration(&state.db, &new).await?;
    let row = store::declaration_by_key(&state.db, &key_hash)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a stored declaration is gone"))?;
    // A concurrent request with the same key and another body stored first.
    key_reused(Some(&row.request_hash), &body_hash)?;
    Ok((StatusCode::CREATED, Json(created(&row)?)))
}

fn created(d: &DeclarationRow) -> AppResult<PartyDeclarationCreated> {
    Ok(PartyDeclarationCreated {
        id: d.id,
        received_at: rfc3339(d.received_at),
        status: declaration_of(d)?.status,
        creditor_deadline: Some(court_ymd(d.creditor_deadline)),
    })
}

fn conflict(zh: &str, en: &str) -> AppError {
    AppError::conflict(ErrorCode::StatusChanged, zh, en)
}

/// `POST /party/requests`: a correction request about a listing, or a reconsideration of a
/// refused one by the court one level up.
#[utoipa::path(
    post,
    path = "/party/requests",
    operation_id = "party_make_request",
    summary = "Ask for a listing's correction, or a refusal's reconsideration",
    description = "A correction request about a listing of the party, decided by the listing court; refused, a reconsideration by the court one level up, within 10 days of the refusal being served.",
    security(("party_session" = [])),
    params(("Idempotency-Key" = String, Header, description = "One per form filled in, the same on its retries: a retry gets the first answer and stores nothing new; the same key with another body is 422 `idempotency_key_reused`", min_length = 1, max_length = 200, pattern = "^[\\t -~]*[!-~][\\t -~]*$")),
    request_body = PartyRequestBody,
    responses(
        (status = 201, description = "Received, with the last day for the court's decision", body = PartyRequestCreated),
        (status = 400, description = "The body is not JSON or has fields of the wrong type, or the `Idempotency-Key` is missing", body = ErrorBody),
        (status = 401, description = "No party session, or it has ended", body = ErrorBody),
        (status = 403, description = "A browser's cross-site request", body = ErrorBody),
        (status = 409, description = "The listing has a request under way, or the refusal was reconsidered already", body = ErrorBody),
        (status = 413, description = "The body is over 1 MB", body = ErrorBody),
        (status = 422, description = "A field is invalid (`field` names it: no listing about the party with this id, no refusal to reconsider or its window closed, an unknown upload), or the key came with another body", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, or the client must wait", body = ErrorBody),
    )
)]
async fn make_request(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PartyRequestBody>,
) -> AppResult<(StatusCode, Json<PartyRequestCreated>)> {
    let key = idempotency_key(&headers)?;
    let r = req.validate(state.uploads.config.max_files)?;
    // Admitted before anything is read: the session, the key, the listing.
    client.admit(&state).await?;
    let party = Party::of(&state, &headers).await?;
    let key_hash = sha256_hex(&format!("request:{}:{key}", party.subject_id));
    let body_hash = request_hash(&state, "party-request", &req)?;
    if let Some(r) = store::request_by_key(&state.db, &key_hash).await? {
        key_reused(Some(&r.request_hash), &body_hash)?;
        return Ok((StatusCode::CREATED, Json(request_created(&r))));
    }
    let listing = notices::listing_of(&state.db, &party.subject_id, r.notice_id)
        .await?
        .ok_or_else(|| {
            AppError::invalid_value(
                "notice_id",
                ErrorCode::InvalidValue,
                "没有关于您的这条公开信息",
                "There is no listing about you with this number",
            )
        })?;
    let today = court_today();
    let cal = calendar(&state).await?;
    let cal = cal.as_ref();
    let (deciding_court, correction_id) = match r.kind {
        RequestKind::Correction => (listing.court.clone(), None),
        RequestKind::Reconsideration => {
            let mine = store::requests_of(&state.db, &party.subject_id)
                .await?
                .iter()
                .map(request_item)
                .collect::<AppResult<Vec<_>>>()?;
            let refused = mine
                .iter()
                .find(|q| {
                    q.notice_id == r.notice_id
                        && q.kind == RequestKind::Correction
                        && q.status == RequestStatus::Refused
                })
                .cloned();
            // One reconsideration of a refusal: a second one is not the law's remedy.
            if let Some(refused) = &refused {
                if mine.iter().any(|q| q.correction_id == Some(refused.id)) {
                    return Err(conflict(
                        "这项驳回决定已经申请过复议",
                        "This refusal has been reconsidered already",
                    ));
                }
            }
            let served = refused
                .as_ref()
                .and_then(|q| q.served_on.as_deref())
                .map(|s| date(s, "served_on"))
                .transpose()?;
            party::check_reconsideration(cal, served, today)
                .map_err(|e| AppError::invalid("kind", e))?;
            let parent = store::parent_of(&state.db, &listing.court)
                .await?
                .ok_or_else(|| {
                    AppError::invalid_value(
                        "kind",
                        ErrorCode::InvalidValue,
                        "暂无法确定上一级法院，请向作出决定的法院咨询复议事宜",
                        "The court one level up is not known here; ask the deciding court about reconsideration",
                    )
                })?;
            (parent, refused.map(|q| q.id))
        }
    };
    let files = crate::uploads::claim_for_keeping(&state, &key_hash, &r.uploads).await?;
    let now = now_ms();
    let review_due = due(party::decision_due(cal, r.kind, today))?;
    let new = NewRequest {
        kind: r.kind.as_str(),
        party_subject: &party.subject_id,
        party_name: &party.name,
        notice_id: r.notice_id,
        case_number: &listing.case_number,
        listing_court: &listing.court,
        deciding_court: &deciding_court,
        ground: r.ground.as_str(),
        deletion_ground: r.deletion_ground.map(DeletionGround::as_str),
        reason: &r.reason,
        status: RequestStatus::received(r.kind).as_str(),
        received_at: now,
        review_due: &review_due,
        correction_id,
        key_hash: &key_hash,
        request_hash: &body_hash,
        files: &files,
    };
    match store::insert_request(&state.db, &new).await? {
        Ok(_) | Err(NotStored::KeyTaken) => {}
        Err(NotStored::OpenRequest) => {
            return Err(conflict(
                "这条公开信息已有一项申请正在办理，请等待法院决定",
                "This listing already has a request under way; wait for the court's decision",
            ))
        }
    }
    let row = store::request_by_key(&state.db, &key_hash)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a stored request is gone"))?;
    key_reused(Some(&row.request_hash), &body_hash)?;
    Ok((StatusCode::CREATED, Json(request_created(&row))))
}

fn request_created(r: &RequestRow) -> PartyRequestCreated {
    PartyRequestCreated {
        id: r.id,
        received_at: rfc3339(r.received_at),
        review_due: r.review_due.clone(),
        correct_due: r.correct_due.clone(),
    }
}
