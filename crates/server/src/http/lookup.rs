//! Public lookup: `POST /lookup`, `GET /notices/{id}`, `POST /verify` (DESIGN §7.3). ID numbers
//! arrive in bodies only; every request passes the rate limiter first.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Path, State},
    http::HeaderMap,
    routing::{get, post},
    Json, Router,
};
use portal_core::{
    api::{LookupRequest, LookupResponse, NoticeDetail, VerifyRequest, VerifyResponse, POW_HEADER},
    lookup::{LookupQuery, VerifyQuery},
};

use super::{ApiJson, AppState};
use crate::{
    error::{AppError, AppResult},
    lookup,
    ratelimit::Decision,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lookup", post(search))
        .route("/notices/{id}", get(notice))
        .route("/verify", post(verify))
}

/// The client's address: the socket peer, or behind a trusted reverse proxy the address that
/// proxy appended to `X-Forwarded-For` (the last entry; earlier ones are client-controlled).
fn client_ip(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if state.config.trust_proxy {
        if let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
    }
    peer.ip()
}

pub(super) fn admit(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> AppResult<()> {
    let pow = headers.get(POW_HEADER).and_then(|v| v.to_str().ok());
    match state.limiter.check(client_ip(state, peer, headers), pow) {
        Decision::Allow => Ok(()),
        Decision::Challenge(challenge) => Err(AppError::Challenge(challenge)),
        Decision::Limited { retry_after } => Err(AppError::RateLimited { retry_after }),
    }
}

async fn search(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LookupRequest>,
) -> AppResult<Json<LookupResponse>> {
    let query = LookupQuery::parse(&req).map_err(AppError::from)?;
    admit(&state, peer, &headers)?;
    Ok(Json(lookup::lookup(&state.db, &query).await?))
}

async fn notice(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> AppResult<Json<NoticeDetail>> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    admit(&state, peer, &headers)?;
    lookup::notice(&state.db, id)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

async fn verify(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<VerifyRequest>,
) -> AppResult<Json<VerifyResponse>> {
    let query = VerifyQuery::parse(&req).map_err(AppError::from)?;
    admit(&state, peer, &headers)?;
    Ok(Json(lookup::verify(&state.db, &query).await?))
}
