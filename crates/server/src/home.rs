//! The home page's figures (`GET /api/v1/stats`): the number of public notices, the headline
//! indicators and the latest articles, each from the feature that owns it, counted at most once
//! a minute.

use portal_core::time::now_rfc3339;
use std::time::Duration;

use axum::{extract::State, routing::get, Json, Router};
use portal_core::api::Stats;

use crate::{articles, error::AppResult, notices, state::AppState, statistics};

/// How long counted figures are served before they are counted again: counting a national table
/// per page view would cost more than every lookup.
const STATS_TTL: Duration = Duration::from_secs(60);

pub fn router() -> Router<AppState> {
    Router::new().route("/stats", get(stats))
}

async fn stats(State(state): State<AppState>) -> AppResult<Json<Stats>> {
    if let Some(stats) = state.stats.fresh(STATS_TTL) {
        return Ok(Json(stats));
    }
    let fresh = Stats {
        public_notices: notices::store::count_public(&state.db).await?,
        as_of: now_rfc3339(),
        figures: statistics::headline(&state).await?,
        articles: articles::headline(&state).await?,
    };
    state.stats.store(fresh.clone());
    Ok(Json(fresh))
}
