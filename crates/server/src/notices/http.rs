//! Public lookup: `POST /lookup`, `GET /notices/{id}`, `POST /verify` (DESIGN §7.3). ID numbers
//! arrive in bodies only; every request passes the rate limiter once its input is valid.

use axum::{
    extract::{DefaultBodyLimit, Path, State},
    routing::{get, post},
    Json, Router,
};
use portal_core::{
    api::{LookupRequest, LookupResponse, NoticeDetail, VerifyRequest, VerifyResponse},
    lookup::{LookupQuery, VerifyQuery},
};

use super::lookup;
use crate::{
    error::{AppError, AppResult},
    http::{extract::Client, ApiJson, AppState},
};

/// A lookup or verify body is a name, an ID and a few small fields.
const MAX_BODY: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lookup", post(search))
        .route("/notices/{id}", get(notice))
        .route("/verify", post(verify))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

async fn search(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<LookupRequest>,
) -> AppResult<Json<LookupResponse>> {
    let query = LookupQuery::parse(&req).map_err(AppError::from)?;
    client.admit(&state).await?;
    if let Some(subject) = &query.subject_id {
        state.spend_guess(&query.name, subject).await?;
    }
    Ok(Json(lookup::lookup(&state.db, &query).await?))
}

async fn notice(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
) -> AppResult<Json<NoticeDetail>> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    client.admit(&state).await?;
    lookup::notice(&state.db, id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

async fn verify(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<VerifyRequest>,
) -> AppResult<Json<VerifyResponse>> {
    let query = VerifyQuery::parse(&req).map_err(AppError::from)?;
    client.admit(&state).await?;
    state.spend_guess(&query.name, &query.subject_id).await?;
    Ok(Json(lookup::verify(&state.db, &query).await?))
}
