//! `GET /api/v1/health` (liveness with a database round trip, cheap enough for load balancers to
//! poll) and `GET /api/v1/ready` (whether this instance can serve).

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use portal_core::api::{Health, Ready};

use crate::{error::AppResult, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
}

/// When the upload store last took a probe write: `ready` is public and unadmitted (a load
/// balancer polls it every few seconds), so however often it is asked it writes at most once
/// every [`STORE_PROBE_TTL`].
static STORE_PROBED: Mutex<Option<Instant>> = Mutex::new(None);
const STORE_PROBE_TTL: Duration = Duration::from_secs(5);

async fn store_writable(state: &AppState) -> bool {
    if STORE_PROBED
        .lock()
        .expect("lock")
        .is_some_and(|at| at.elapsed() < STORE_PROBE_TTL)
    {
        return true;
    }
    let probe = format!("ready/{}", crate::keys::random_digits(12));
    let store = state.uploads.store();
    let writable = store
        .put(&probe, bytes::Bytes::from_static(b"ready"))
        .await
        .is_ok()
        && store.delete(&probe).await.is_ok();
    if writable {
        *STORE_PROBED.lock().expect("lock") = Some(Instant::now());
    }
    writable
}

/// Whether this instance can serve (for the load balancer)
#[utoipa::path(
    get,
    path = "/ready",
    responses(
        (status = 200, description = "Ready", body = Ready),
        (status = 503, description = "Not ready; `failed` says what", body = Ready),
    )
)]
/// `GET /ready`: whether this instance can serve — the database answers, the keys are loaded
/// and the upload store takes a write — for the load balancer (503 takes it out of rotation).
pub(crate) async fn ready(State(state): State<AppState>) -> Response {
    let mut failed = Vec::new();
    if sqlx::query("SELECT 1")
        .execute(&state.db.pool)
        .await
        .is_err()
    {
        failed.push("database");
    }
    if state.keys.get().public_keys().is_empty() {
        failed.push("keys");
    }
    if !store_writable(&state).await {
        failed.push("upload_store");
    }
    let status = if failed.is_empty() {
        StatusCode::OK
    } else {
        tracing::warn!(?failed, "not ready");
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Ready {
        status: if failed.is_empty() {
            "ready"
        } else {
            "not_ready"
        }
        .into(),
        failed: failed.into_iter().map(str::to_owned).collect(),
    };
    (status, Json(body)).into_response()
}

/// Liveness, with one database round trip
#[utoipa::path(get, path = "/health", responses((status = 200, description = "Alive", body = Health)))]
pub(crate) async fn health(State(state): State<AppState>) -> AppResult<Json<Health>> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(Json(Health {
        status: "ok".into(),
        database: state.db.kind.as_str().into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}
