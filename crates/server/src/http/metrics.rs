//! The metrics page (`serve --metrics-addr ADDR`, never the public address): [`crate::metrics`]'s
//! counters, database pool use, and the oldest unanswered item in each staff queue — the figure
//! a court's duty officer watches.

use portal_core::time::now_ms;
use std::fmt::Write;

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

use crate::{certificates, state::AppState, tips};

/// The metrics router, for the separate metrics address.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    crate::metrics::render(&mut out);
    out.push_str("# HELP portal_db_pool_connections Connections of the shared pool, by state.\n");
    out.push_str("# TYPE portal_db_pool_connections gauge\n");
    let (size, idle) = (state.db.pool.size(), state.db.pool.num_idle());
    let _ = writeln!(
        out,
        "portal_db_pool_connections{{state=\"idle\"}} {idle}\nportal_db_pool_connections{{state=\"busy\"}} {}",
        (size as usize).saturating_sub(idle)
    );
    out.push_str(
        "# HELP portal_queue_oldest_unanswered_seconds Age of the oldest item no one has answered, per staff queue (0 when empty).\n",
    );
    out.push_str("# TYPE portal_queue_oldest_unanswered_seconds gauge\n");
    let now = now_ms();
    let oldest = [
        ("tips", tips::store::oldest_unanswered(&state.db).await),
        (
            "certificate_applications",
            certificates::store::oldest_pending(&state.db).await,
        ),
    ];
    for (queue, at) in oldest {
        match at {
            Ok(at) => {
                let age = at.map_or(0, |at| (now - at).max(0) / 1000);
                let _ = writeln!(
                    out,
                    "portal_queue_oldest_unanswered_seconds{{queue=\"{queue}\"}} {age}"
                );
            }
            Err(e) => tracing::warn!(error = %e, queue, "cannot read the queue for metrics"),
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}
