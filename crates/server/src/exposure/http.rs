//! The publicity boards (DESIGN §7.7): `GET /api/v1/exposure?province=&page=` and the staff routes
//! that put a court's notice on the board or take it off (editors and admins, audited), and
//! `GET /api/v1/honour?province=&page=`, the honour list of certificates whose subjects consented.

use crate::extract::ApiQuery;
use portal_core::time::now_ms;
use std::collections::HashMap;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::{delete, get},
    Json, Router,
};
use portal_core::{
    publicity::{BoardQuery, ExposureEntry, ExposurePage, ExposureRequest, BOARD_PAGE},
    ErrorCode, Invalid,
};

use super::store::{self, ExposureRow};
use crate::{
    error::{AppError, AppResult},
    extract::ApiJson,
    notices::{
        lookup::masked,
        store::{self as notices, BoardRow, Visible},
    },
    staff::{store::audit, Role, SignedIn},
    state::AppState,
};

const EDITORS: &[Role] = &[Role::Admin, Role::Editor];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/exposure", get(board))
        .route("/honour", get(honour))
        .route("/staff/exposure", get(staff_board).post(add))
        .route("/staff/exposure/{notice_id}", delete(remove))
}

fn entry(n: &BoardRow, e: &ExposureRow) -> ExposureEntry {
    ExposureEntry {
        notice_id: n.id,
        name: n.name.clone(),
        subject_type: n.subject_type.clone(),
        masked_id: masked(&n.subject_type, &n.id_number),
        case_number: n.case_number.clone(),
        court: n.court.clone(),
        province: n.province.clone(),
        lists: n.lists.clone(),
        obligation: n.obligation.clone(),
        published_on: n.published_on.clone(),
        note: e.note.clone(),
    }
}

/// The entries whose notices are public now (in the board's order), narrowed to a province.
async fn visible(
    state: &AppState,
    rows: &[ExposureRow],
    province: Option<&str>,
) -> AppResult<Vec<ExposureEntry>> {
    let ids: Vec<i64> = rows.iter().map(|e| e.notice_id).collect();
    let mut filter = Visible::today().ids(&ids);
    if let Some(p) = province {
        filter = filter.province(p);
    }
    let found: HashMap<i64, BoardRow> = notices::board(&state.db, &filter)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    Ok(rows
        .iter()
        .filter_map(|e| found.get(&e.notice_id).map(|n| entry(n, e)))
        .collect())
}

async fn board(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> AppResult<Json<ExposurePage>> {
    let (province, page) = q.validate()?;
    let rows = store::entries(&state.db, None).await?;
    let all = visible(&state, &rows, province.as_deref()).await?;
    let total = all.len() as i64;
    let entries = all
        .into_iter()
        .skip(((page - 1) * BOARD_PAGE) as usize)
        .take(BOARD_PAGE as usize)
        .collect();
    Ok(Json(ExposurePage {
        total,
        page,
        entries,
    }))
}

/// The signed-in court's entries that are public now.
async fn staff_board(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> AppResult<Json<ExposurePage>> {
    let who = signed_in.require(EDITORS)?;
    let rows = store::entries(&state.db, Some(&who.court)).await?;
    let entries = visible(&state, &rows, None).await?;
    Ok(Json(ExposurePage {
        total: entries.len() as i64,
        page: 1,
        entries,
    }))
}

async fn add(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(req): ApiJson<ExposureRequest>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(EDITORS)?;
    let (notice_id, note) = req.validate()?;
    // Only a notice of the court's own that the public can see now.
    match notices::detail(&state.db, notice_id).await? {
        Some(n) if n.court == who.court => {}
        _ => {
            return Err(AppError::invalid(
                "notice",
                Invalid::new(
                    ErrorCode::InvalidValue,
                    "没有这条本院正在公开的失信信息（可能已删除、尚未公开或属于其他法院）",
                    "No notice of your court is public under this number (deleted, not yet public, or another court's)",
                ),
            ))
        }
    }
    store::add(
        &state.db,
        notice_id,
        &who.court,
        note.as_deref(),
        &who.username,
        now_ms(),
    )
    .await?;
    audit(
        &state.db,
        &who,
        "exposure.add",
        &format!("notice:{notice_id}"),
        note.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn remove(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(notice_id): Path<i64>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(EDITORS)?;
    if !store::remove(&state.db, notice_id, &who.court).await? {
        return Err(AppError::NotFound);
    }
    audit(
        &state.db,
        &who,
        "exposure.remove",
        &format!("notice:{notice_id}"),
        None,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /honour?province=&page=` (DESIGN §7.7): the honour list by province, a page at a time;
/// the province is the case's (its number names the court's province).
async fn honour(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<portal_core::publicity::BoardQuery>,
) -> AppResult<Json<portal_core::publicity::HonourPage>> {
    use portal_core::publicity::{HonourItem, HonourPage, BOARD_PAGE};
    let (province, page) = q.validate()?;
    let (rows, total) = crate::certificates::store::honour_page(
        &state.db,
        province.as_deref(),
        BOARD_PAGE,
        (page - 1) * BOARD_PAGE,
    )
    .await?;
    Ok(Json(HonourPage {
        total,
        page,
        entries: rows
            .into_iter()
            .map(|r| HonourItem {
                name: r.name,
                court: r.court,
                province: r.province,
                performed_on: r.performed_on,
                number: portal_core::certificate::certificate_number(r.serial as u32),
            })
            .collect(),
    }))
}
