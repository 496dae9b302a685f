//! `GET /api/v1/health` (liveness with a database round trip, cheap enough for load balancers to
//! poll) and `GET /api/v1/stats` (home-page figures, counted at most once a minute).

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{extract::State, routing::get, Json, Router};
use portal_core::api::{Health, Stats};

use super::AppState;
use crate::{clock::now_rfc3339, error::AppResult, notices::store as notices};

/// How long a counted figure is served before it is counted again: counting a national table
/// per page view would cost more than every lookup.
const STATS_TTL: Duration = Duration::from_secs(60);

/// The last counted figures, per application.
#[derive(Default)]
pub struct StatsCache(Mutex<Option<(Instant, Stats)>>);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/stats", get(stats))
}

async fn health(State(state): State<AppState>) -> AppResult<Json<Health>> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(Json(Health {
        status: "ok".into(),
        database: state.db.kind.as_str().into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}

async fn stats(State(state): State<AppState>) -> AppResult<Json<Stats>> {
    if let Some((at, stats)) = state.stats.0.lock().expect("lock").as_ref() {
        if at.elapsed() < STATS_TTL {
            return Ok(Json(stats.clone()));
        }
    }
    let fresh = Stats {
        public_notices: notices::count_public(&state.db).await?,
        as_of: now_rfc3339(),
        figures: crate::statistics::http::headline(&state).await?,
        articles: crate::articles::http::headline(&state).await?,
    };
    *state.stats.0.lock().expect("lock") = Some((Instant::now(), fresh.clone()));
    Ok(Json(fresh))
}
