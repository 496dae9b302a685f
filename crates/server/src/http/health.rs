//! `GET /api/v1/health`: liveness plus a real database round trip.

use axum::{extract::State, routing::get, Json, Router};
use portal_core::api::Health;

use super::AppState;
use crate::{error::AppResult, notices};

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> AppResult<Json<Health>> {
    let public_notices = notices::count_public(&state.db).await?;
    Ok(Json(Health {
        status: "ok".into(),
        database: state.db.kind.as_str().into(),
        version: env!("CARGO_PKG_VERSION").into(),
        public_notices,
    }))
}
