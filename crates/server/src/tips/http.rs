//! Asset tips over HTTP (DESIGN §7.5): submission with a signed receipt, the tipster's status
//! page, the portal's public keys, and the court's queue.

use crate::extract::ApiQuery;
use axum::{
    extract::{DefaultBodyLimit, Path, State},
    http::{HeaderMap, StatusCode},
    routing::{get, post},
    Json, Router,
};
use portal_core::time::{now_ms, rfc3339_millis};
use portal_core::{
    tip::{
        AdditionEntry, DuplicateTip, Receipt, StaffTipAddition, StaffTipContact, StaffTipDetail,
        StaffTipFile, StaffTipSummary, StaffTipsResponse, StatusChange, TimelineEntry, TipAccepted,
        TipAdditionAccepted, TipAdditionRequest, TipKind, TipRequest, TipStatus, TipStatusRequest,
        TipStatusResponse,
    },
    ErrorCode, Invalid,
};
use serde::Deserialize;

use super::{
    store::{self, TipRow},
    submit,
};
use crate::{
    error::{stored, AppError, AppResult},
    extract::{ApiJson, Client},
    pins,
    staff::{store::audit, Role, SignedIn},
    state::AppState,
};

/// Staff who review tips.
const REVIEWERS: &[Role] = &[Role::Admin, Role::Reviewer];
/// Tips per page of the staff queue.
const QUEUE_PAGE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        // A 100 KB description must reach the validator and get its field-level answer.
        .route(
            "/tips",
            post(submit_tip).layer(DefaultBodyLimit::max(256 * 1024)),
        )
        .route("/tips/status", post(status))
        .route(
            "/tips/additions",
            post(add).layer(DefaultBodyLimit::max(256 * 1024)),
        )
        .route("/staff/tips", get(queue))
        .route("/staff/tips/{id}", get(detail))
        .route("/staff/tips/{id}/contact", get(contact))
        .route("/staff/tips/{id}/status", post(change_status))
        .route("/staff/tips/{id}/claim", post(claim))
        .route("/staff/tips/{id}/files/{n}", get(file))
        .layer(DefaultBodyLimit::max(16 * 1024))
}

async fn submit_tip(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(req): ApiJson<TipRequest>,
) -> AppResult<(StatusCode, Json<TipAccepted>)> {
    let key = crate::extract::idempotency_key(&headers)?;
    client.admit(&state).await?;
    let accepted = submit::submit(&state, key, &req).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}

fn not_found_generic() -> AppError {
    AppError::not_found(
        ErrorCode::TipNotFound,
        "跟踪码或查询密码不正确",
        "The tracking code or the PIN is wrong",
    )
}

/// The tip that a tracking code and PIN open ([`pins`]). A wrong code or PIN gets one generic 404.
async fn authenticate(
    state: &AppState,
    client: &Client,
    code: &str,
    pin: String,
) -> AppResult<store::TipAuth> {
    client.admit(state).await?;
    let Some(tip) = store::by_tracking(
        &state.db,
        &crate::hashing::tracking_hash(state, code).await?,
    )
    .await?
    else {
        return Err(not_found_generic());
    };
    let row = pins::Locked {
        id: tip.id,
        pin_hash: &tip.pin_hash,
    };
    pins::check(&state.db, pins::Holder::Tips, row, pin, not_found_generic).await?;
    Ok(tip)
}

async fn status(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<TipStatusRequest>,
) -> AppResult<Json<TipStatusResponse>> {
    let (code, pin) = req.validate()?;
    let tip = authenticate(&state, &client, &code, pin).await?;
    status_of(&state, tip.id, &tip.status).await.map(Json)
}

/// A tip's status page: its timeline and what the tipster added.
async fn status_of(state: &AppState, id: i64, status: &str) -> AppResult<TipStatusResponse> {
    Ok(TipStatusResponse {
        status: tip_status(status)?,
        timeline: timeline(state, id).await?,
        additions: store::additions(&state.db, id)
            .await?
            .into_iter()
            .map(|a| AdditionEntry {
                at: rfc3339_millis(a.at),
                files: a.files as u32,
            })
            .collect(),
    })
}

/// More information or files for a tip, with its code and PIN: stored with a receipt of its
/// own, once per `Idempotency-Key`.
async fn add(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(req): ApiJson<TipAdditionRequest>,
) -> AppResult<(StatusCode, Json<TipAdditionAccepted>)> {
    let key = crate::extract::idempotency_key(&headers)?;
    // The code and PIN first, so a bad request never says more than "wrong code or PIN".
    let (code, pin) = TipStatusRequest {
        tracking_code: req.tracking_code.clone(),
        pin: req.pin.clone(),
    }
    .validate()?;
    let tip = authenticate(&state, &client, &code, pin).await?;
    let accepted = submit::add(&state, key, &tip, &req).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}

async fn timeline(state: &AppState, tip_id: i64) -> AppResult<Vec<TimelineEntry>> {
    Ok(store::timeline(&state.db, tip_id)
        .await?
        .into_iter()
        .map(|e| {
            Ok(TimelineEntry {
                status: tip_status(&e.status)?,
                at: rfc3339_millis(e.at),
                message: e.message,
            })
        })
        .collect::<anyhow::Result<_>>()?)
}

#[derive(Deserialize)]
struct QueueQuery {
    status: Option<String>,
    kind: Option<String>,
    page: Option<u32>,
}

/// A tip status read back from the database: an unknown one is an error, never "received".
fn tip_status(s: &str) -> anyhow::Result<TipStatus> {
    stored(TipStatus::parse(s), "tip status", s)
}

fn summary(t: &TipRow) -> anyhow::Result<StaffTipSummary> {
    Ok(StaffTipSummary {
        id: t.id,
        kind: stored(TipKind::parse(&t.kind), "tip kind", &t.kind)?,
        status: tip_status(&t.status)?,
        received_at: rfc3339_millis(t.received_at),
        age_days: (now_ms() - t.received_at) / 86_400_000,
        reward_id: t.reward_id,
        notice_id: t.notice_id,
        has_contact: t.has_contact != 0,
        files: t.files as u32,
        assigned_to: t.assigned_to.clone(),
    })
}

async fn queue(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> AppResult<Json<StaffTipsResponse>> {
    let who = signed_in.require(REVIEWERS)?;
    let filter = |field: &str, value: Option<&str>, ok: bool| match value {
        Some(v) if !v.is_empty() && !ok => Err(AppError::invalid(
            field,
            Invalid::new(ErrorCode::InvalidValue, "筛选条件无效", "Invalid filter"),
        )),
        _ => Ok(()),
    };
    let status = q.status.as_deref().and_then(TipStatus::parse);
    filter("status", q.status.as_deref(), status.is_some())?;
    let kind = q.kind.as_deref().and_then(TipKind::parse);
    filter("kind", q.kind.as_deref(), kind.is_some())?;
    let page = q.page.unwrap_or(1).max(1);
    let (rows, total) = store::queue(
        &state.db,
        &who.court,
        status,
        kind.map(|k| k.as_str()),
        page,
        QUEUE_PAGE,
    )
    .await?;
    Ok(Json(StaffTipsResponse {
        tips: rows.iter().map(summary).collect::<anyhow::Result<_>>()?,
        total: total as u32,
        page,
    }))
}

async fn tip_of_court(state: &AppState, id: i64, court: &str) -> AppResult<TipRow> {
    store::by_id_for_court(&state.db, id, court)
        .await?
        .ok_or(AppError::NotFound)
}

async fn detail(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> AppResult<Json<StaffTipDetail>> {
    let who = signed_in.require(REVIEWERS)?;
    let tip = tip_of_court(&state, id, &who.court).await?;
    let content = submit::open_content(&state, &tip)?;
    let files = store::files(&state.db, id).await?;
    let others = store::same_subject(&state.db, &who.court, &tip.subject_key, &tip.kind).await?;
    let duplicates = others
        .into_iter()
        .enumerate()
        .map(|(i, (other, at, status))| {
            Ok(DuplicateTip {
                id: other,
                received_at: rfc3339_millis(at),
                status: tip_status(&status)?,
                position: i as u32 + 1,
                this: other == id,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let mut additions = Vec::new();
    for a in store::additions(&state.db, id).await? {
        additions.push(StaffTipAddition {
            at: rfc3339_millis(a.at),
            description: submit::open_addition(&state, &a)?,
            files: (a.first_file..a.first_file + a.files)
                .map(|n| n as u32)
                .collect(),
            receipt: Receipt {
                payload: a.receipt_payload,
                signature: a.receipt_signature,
                key_id: a.receipt_key_id,
            },
        });
    }
    audit(&state.db, &who, "tip.view", &format!("tip:{id}"), None).await?;
    Ok(Json(StaffTipDetail {
        summary: summary(&tip)?,
        description: content.description,
        place: content.place,
        seen_on: content.seen_on,
        files: files
            .into_iter()
            .map(|f| StaffTipFile {
                n: f.n as u32,
                name: f.name,
                content_type: f.content_type,
                bytes: f.bytes,
                sha256: f.sha256,
                has_display: f.display_key.is_some(),
            })
            .collect(),
        timeline: timeline(&state, id).await?,
        duplicates,
        receipt: Receipt {
            payload: tip.receipt_payload,
            signature: tip.receipt_signature,
            key_id: tip.receipt_key_id,
        },
        additions,
        audit: crate::staff::store::audit_trail(&state.db, &format!("tip:{id}"))
            .await?
            .into_iter()
            .map(
                |(at, staff, action, detail)| portal_core::api::staff::AuditEntry {
                    at: rfc3339_millis(at),
                    staff,
                    action,
                    detail,
                },
            )
            .collect(),
    }))
}

/// The tipster's contact details: a separate request, so that every view is in the audit log.
async fn contact(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> AppResult<Json<StaffTipContact>> {
    let who = signed_in.require(REVIEWERS)?;
    let tip = tip_of_court(&state, id, &who.court).await?;
    let content = submit::open_content(&state, &tip)?;
    audit(&state.db, &who, "tip.contact", &format!("tip:{id}"), None).await?;
    Ok(Json(StaffTipContact {
        contact: content.contact,
    }))
}

async fn change_status(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<StatusChange>,
) -> AppResult<Json<TipStatusResponse>> {
    let who = signed_in.require(REVIEWERS)?;
    let tip = tip_of_court(&state, id, &who.court).await?;
    let from = tip_status(&tip.status)?;
    let (to, message) = change.validate(from)?;
    let changed = store::change_status(
        &state.db,
        id,
        &who.court,
        from,
        to,
        message.as_deref(),
        &who.username,
    )
    .await?;
    if !changed {
        return Err(AppError::refused(
            StatusCode::CONFLICT,
            ErrorCode::StatusChanged,
            "该线索的状态刚被他人修改，请刷新后再试",
            "Someone else just changed this tip's status; reload and try again",
        ));
    }
    audit(
        &state.db,
        &who,
        "tip.status",
        &format!("tip:{id}"),
        Some(&format!("{} -> {}", from.as_str(), to.as_str())),
    )
    .await?;
    status_of(&state, id, to.as_str()).await.map(Json)
}

/// Assigns the tip to the signed-in reviewer.
async fn claim(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(REVIEWERS)?;
    if !store::assign(&state.db, id, &who.court, &who.username).await? {
        return Err(AppError::NotFound);
    }
    audit(&state.db, &who, "tip.claim", &format!("tip:{id}"), None).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct FileQuery {
    variant: Option<String>,
}

/// An evidence file: the metadata-free display copy by default, the original on request — and
/// every original that leaves the server is in the audit log.
async fn file(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((id, n)): Path<(i64, i32)>,
    ApiQuery(q): ApiQuery<FileQuery>,
) -> AppResult<axum::response::Response> {
    let who = signed_in.require(REVIEWERS)?;
    tip_of_court(&state, id, &who.court).await?;
    let file = store::files(&state.db, id)
        .await?
        .into_iter()
        .find(|f| f.n == n)
        .ok_or(AppError::NotFound)?;
    match q.variant.as_deref().unwrap_or("display") {
        "display" => {
            let key = file.display_key.as_deref().ok_or(AppError::NotFound)?;
            crate::uploads::serve_file(&state, key, &file.name, "image/jpeg").await
        }
        "original" => {
            audit(
                &state.db,
                &who,
                "tip.original",
                &format!("tip:{id}"),
                Some(&format!("file {n}")),
            )
            .await?;
            crate::uploads::serve_file(&state, &file.original_key, &file.name, &file.content_type)
                .await
        }
        _ => Err(AppError::invalid(
            "variant",
            Invalid::new(
                ErrorCode::InvalidValue,
                "variant 应为 display 或 original",
                "variant must be display or original",
            ),
        )),
    }
}

/// `GET /.well-known/portal-keys.json`: the public keys that verify tip receipts.
pub async fn portal_keys(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "keys": state.keys.get().public_keys() }))
}
