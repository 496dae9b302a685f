//! Public lookup: `POST /lookup`, `GET /notices/{id}`, `POST /verify` (DESIGN §7.3). ID numbers
//! arrive in bodies only; every request passes the rate limiter once its input is valid.

use axum::{
    extract::{DefaultBodyLimit, Path, State},
    routing::{get, post},
    Json, Router,
};
use portal_core::{
    api::{ErrorBody, LookupRequest, LookupResponse, NoticeDetail, VerifyRequest, VerifyResponse},
    lookup::{LookupQuery, VerifyQuery},
};

use super::lookup;
use crate::{
    error::{AppError, AppResult},
    extract::{ApiJson, Client},
    state::AppState,
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

/// Look up the public notices of a name
///
/// Subjects with their masked IDs and notices, a page at a time. With `id_number` the match is
/// exact (and counts against the guess budget of its masked form).
#[utoipa::path(
    post,
    path = "/lookup",
    request_body = LookupRequest,
    responses(
        (status = 200, description = "The subjects of this page", body = LookupResponse),
        (status = 400, description = "The body is not JSON or has fields of the wrong type", body = ErrorBody),
        (status = 413, description = "The body is over 16 KB", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
        (status = 429, description = "A proof of work is needed (`challenge_required`), the client must wait (`rate_limited`), or too many IDs of one masked form were tried today (`too_many_guesses`); `Retry-After` when waiting", body = ErrorBody),
    )
)]
pub(crate) async fn search(
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

/// One public notice: every published field
#[utoipa::path(
    get,
    path = "/notices/{id}",
    params(("id" = i64, Path, description = "The notice's id, from a lookup")),
    responses(
        (status = 200, description = "The notice", body = NoticeDetail),
        (status = 404, description = "No such public notice (deleted, in its grace period or never)", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, or the client must wait", body = ErrorBody),
    )
)]
pub(crate) async fn notice(
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

/// Verify one subject: listed or not, and nothing more
#[utoipa::path(
    post,
    path = "/verify",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "Listed or not, on which lists", body = VerifyResponse),
        (status = 400, description = "The body is not JSON or has fields of the wrong type", body = ErrorBody),
        (status = 413, description = "The body is over 16 KB", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, the client must wait, or too many IDs of one masked form were tried today (`too_many_guesses`)", body = ErrorBody),
    )
)]
pub(crate) async fn verify(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<VerifyRequest>,
) -> AppResult<Json<VerifyResponse>> {
    let query = VerifyQuery::parse(&req).map_err(AppError::from)?;
    client.admit(&state).await?;
    state.spend_guess(&query.name, &query.subject_id).await?;
    Ok(Json(lookup::verify(&state.db, &query).await?))
}
