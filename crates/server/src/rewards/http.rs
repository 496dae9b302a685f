//! Reward notices over HTTP: the public list and detail (`GET /rewards`, `GET /rewards/{id}`,
//! DESIGN §7.5) and the staff routes that publish, edit, withdraw and close them.

use crate::extract::ApiQuery;
use axum::{
    extract::{DefaultBodyLimit, Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use portal_core::time::{court_today, now_rfc3339};
use portal_core::{
    api::StaffSession,
    bundle::Bundle,
    numbers::group_digits,
    reward::{
        RewardDetail, RewardInput, RewardStatus, RewardSummary, RewardsQuery, RewardsResponse,
        ValidReward, REWARDS_PAGE,
    },
    tip::TipKind,
    ErrorCode,
};
use serde::Deserialize;

use super::store::{self, RewardRow};
use crate::{
    error::{AppError, AppResult},
    extract::ApiJson,
    frontend::Frontend,
    notices::{lookup::masked, store::Visible},
    staff::{store::audit, Role, SignedIn},
    state::AppState,
};

/// `/rewards/{id}` as a page: the rewards bundle's page with the notice's title and amount in its share meta.
pub fn page_router(frontend: Frontend) -> Router<AppState> {
    Router::new().route(
        "/rewards/{id}",
        get(move |state: State<AppState>, id: Path<String>| page(state, id, frontend.clone())),
    )
}

/// "悬赏 5万元" or "悬赏 回款的10%（最高20万元）": how the reward reads in a share card.
fn reward_words(r: &RewardRow) -> String {
    let yuan = |v: i64| format!("{}元", group_digits(v));
    match (r.amount, r.formula()) {
        (Some(a), _) => format!("悬赏{}", yuan(a)),
        (None, Some(f)) => format!("悬赏执行到位金额的{}%（最高{}）", f.percent, yuan(f.cap)),
        _ => "悬赏".to_owned(),
    }
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    frontend: Frontend,
) -> Response {
    let today = court_today();
    let reward = match id.parse::<i64>() {
        Ok(id) => store::public_by_id(&state.db, id, today)
            .await
            .ok()
            .flatten(),
        Err(_) => None,
    };
    let html = match &reward {
        Some(r) => {
            let kinds: Vec<&str> = r
                .kinds()
                .iter()
                .map(|k| k.label(portal_core::Lang::Zh))
                .collect();
            frontend.page_with_meta(
                Bundle::Rewards,
                &format!(
                    "{}：寻找{}的财产线索 · 执行公开",
                    reward_words(r),
                    r.subject_name
                ),
                &format!(
                    "{}发布（{}）：征集{}线索，截止{}。举报人身份保密，先报先得。",
                    r.court,
                    r.case_number,
                    kinds.join("、"),
                    r.deadline
                ),
            )
        }
        None => frontend.bundle_page(Bundle::Rewards).map(str::to_owned),
    };
    match html {
        Some(html) => {
            let mut res = Html(html).into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Staff who publish reward notices.
const PUBLISHERS: &[Role] = &[Role::Admin, Role::Editor];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rewards", get(list))
        .route("/rewards/{id}", get(detail))
        .route("/staff/rewards", get(staff_list).post(create))
        .route("/staff/rewards/{id}", axum::routing::put(edit))
        .route("/staff/rewards/{id}/{action}", post(close))
        .layer(DefaultBodyLimit::max(32 * 1024))
}

pub(crate) fn summary(r: &RewardRow) -> RewardSummary {
    let today = court_today();
    RewardSummary {
        id: r.id,
        case_number: r.case_number.clone(),
        court: r.court.clone(),
        province: r.province.clone(),
        subject_name: r.subject_name.clone(),
        subject_type: portal_core::notice::SubjectType::parse(&r.subject_type)
            .unwrap_or(portal_core::notice::SubjectType::Person),
        masked_id: masked(&r.subject_type, &r.subject_id),
        amount: r.amount,
        formula: r.formula(),
        asset_kinds: r.kinds(),
        deadline: r.deadline.clone(),
        insured: r.insurer.is_some(),
        insurer: r.insurer.clone(),
        status: r.public_status(today),
    }
}

fn detail_of(r: RewardRow) -> RewardDetail {
    RewardDetail {
        summary: summary(&r),
        as_of: now_rfc3339(),
        conditions: r.conditions,
        contact: r.contact,
        notice_id: None,
        published_on: r.published_on,
    }
}

async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<RewardsQuery>,
) -> AppResult<Json<RewardsResponse>> {
    let province = match q
        .province
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => Some(
            portal_core::province_by_code(p)
                .ok_or_else(|| {
                    AppError::invalid_value(
                        "province",
                        ErrorCode::InvalidValue,
                        "未知的省份代码",
                        "Unknown province code",
                    )
                })?
                .code,
        ),
        None => None,
    };
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(TipKind::parse(k).ok_or_else(|| {
            AppError::invalid_value(
                "kind",
                ErrorCode::InvalidValue,
                "未知的财产类型",
                "Unknown asset kind",
            )
        })?),
        None => None,
    };
    if let Some(sort) = q.sort.as_deref() {
        if !["deadline", "amount", "newest"].contains(&sort) {
            return Err(AppError::invalid_value(
                "sort",
                ErrorCode::InvalidValue,
                "排序方式应为 deadline、amount 或 newest",
                "sort must be deadline, amount or newest",
            ));
        }
    }
    if q.min_amount.is_some_and(|m| m < 0) {
        return Err(AppError::invalid_value(
            "min_amount",
            ErrorCode::InvalidValue,
            "金额不能为负数",
            "The amount cannot be negative",
        ));
    }
    let page = q.page.unwrap_or(1).max(1);
    let (rows, total) = store::list_public(&state.db, &q, province, kind, court_today()).await?;
    Ok(Json(RewardsResponse {
        as_of: now_rfc3339(),
        total: total as u32,
        page,
        page_size: REWARDS_PAGE,
        rewards: rows.iter().map(summary).collect(),
    }))
}

async fn detail(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<RewardDetail>> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let row = store::public_by_id(&state.db, id, court_today())
        .await?
        .ok_or(AppError::NotFound)?;
    let notice = notice_of(&state, &row).await?;
    Ok(Json(RewardDetail {
        notice_id: notice,
        ..detail_of(row)
    }))
}

/// The public notice of the reward's subject in the same case, if one is listed.
async fn notice_of(state: &AppState, r: &RewardRow) -> AppResult<Option<i64>> {
    use crate::notices::store::{matches, Visible};
    let rows = matches(&state.db, &Visible::today().id_number(&r.subject_id)).await?;
    Ok(rows.first().map(|m| m.id))
}

async fn staff_list(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> AppResult<Json<Vec<RewardDetail>>> {
    let who = signed_in.require(PUBLISHERS)?;
    let rows = store::list_for_court(&state.db, &who.court).await?;
    Ok(Json(rows.into_iter().map(detail_of).collect()))
}

/// A reward notice names a debtor of the editor's own court, publicly listed in that case under
/// that name: a notice may not put an arbitrary person's name and ID before the public.
async fn listed_subject_of_court(state: &AppState, r: &ValidReward, court: &str) -> AppResult<()> {
    let filter = Visible::today()
        .court(court)
        .case_number(r.case_number.as_str())
        .id_number(r.subject_id.as_str())
        .name_key(r.subject_name.normalized());
    if crate::notices::store::matches(&state.db, &filter)
        .await?
        .is_empty()
    {
        return Err(AppError::invalid_value(
            "subject_id",
            ErrorCode::InvalidValue,
            "本院该案号下的公开名单中没有这一姓名和证件号码的被执行人",
            "No debtor with this name and ID number is publicly listed in this case of your court",
        ));
    }
    Ok(())
}

async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(input): ApiJson<RewardInput>,
) -> AppResult<(StatusCode, Json<RewardDetail>)> {
    let who = signed_in.require(PUBLISHERS)?;
    let valid = input.validate()?;
    listed_subject_of_court(&state, &valid, &who.court).await?;
    let id = store::insert(&state.db, &valid, &who.court, &who.username).await?;
    audit(
        &state.db,
        &who,
        "reward.create",
        &format!("reward:{id}"),
        None,
    )
    .await?;
    let row = store::by_id_for_court(&state.db, id, &who.court)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(detail_of(row))))
}

async fn edit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RewardInput>,
) -> AppResult<Json<RewardDetail>> {
    let who = signed_in.require(PUBLISHERS)?;
    let valid = input.validate()?;
    listed_subject_of_court(&state, &valid, &who.court).await?;
    if !store::update(&state.db, id, &valid, &who.court).await? {
        return Err(AppError::NotFound);
    }
    audit(
        &state.db,
        &who,
        "reward.edit",
        &format!("reward:{id}"),
        None,
    )
    .await?;
    let row = store::by_id_for_court(&state.db, id, &who.court)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(detail_of(row)))
}

#[derive(Deserialize)]
struct CloseRequest {
    #[serde(default)]
    reason: String,
}

/// `POST /staff/rewards/{id}/withdraw|fulfil|delete`: the notice leaves the open list (and for
/// withdraw and delete, every public answer) at once.
async fn close(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((id, action)): Path<(i64, String)>,
    body: Option<Json<CloseRequest>>,
) -> AppResult<StatusCode> {
    let who: StaffSession = signed_in.require(PUBLISHERS)?;
    let status = match action.as_str() {
        "withdraw" => RewardStatus::Withdrawn,
        "fulfil" => RewardStatus::Fulfilled,
        "delete" => RewardStatus::Deleted,
        _ => return Err(AppError::NotFound),
    };
    if !store::close(&state.db, id, &who.court, status).await? {
        return Err(AppError::NotFound);
    }
    let reason = body
        .map(|Json(b)| b.reason)
        .filter(|r| !r.trim().is_empty());
    audit(
        &state.db,
        &who,
        &format!("reward.{action}"),
        &format!("reward:{id}"),
        reason.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
