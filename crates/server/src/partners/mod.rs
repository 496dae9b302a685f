//! Partners (banks, bidding platforms, employers): registration and keys, the partner API, the
//! embedded credit check, and the audit log of every check. The `partners`, `partner_origins` and
//! `partner_checks` tables belong to [`store`]; notices are read through `notices::store`.

pub mod checks;
pub mod embed;
mod http;
pub mod store;

pub use http::Authenticated;

use axum::Router;

use crate::state::AppState;

/// The partner API and the embed's API calls, under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(http::router())
        .merge(embed::api_router())
}
