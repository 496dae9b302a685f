//! Legal deadlines (DESIGN §7.8): the holiday arrangements imported on top of those `core`
//! ships, and `GET /api/v1/calendar/deadline`, which counts with both. This feature owns the
//! `holidays` table.
//!
//! Several instances share one database and an import runs in a process of its own, so no
//! instance can be told of it: each keeps its copy of the calendar for [`TTL`] and then reads the
//! table again, so an import reaches every instance within that time.

use std::{sync::Arc, time::Duration};

use portal_core::calendar::Calendar;

use crate::state::AppState;

pub(crate) mod http;
pub mod import;
pub mod store;

pub use http::router;

/// How long an instance counts with its copy of the calendar before reading the table again.
pub const TTL: Duration = Duration::from_secs(60);

/// The calendar deadlines are counted with: the built-in years and the imported ones.
pub async fn current(state: &AppState) -> anyhow::Result<Arc<Calendar>> {
    match state.calendar.fresh(TTL) {
        Some(calendar) => Ok(calendar),
        None => refresh(state).await,
    }
}

/// Reads the imported years now, as [`current`] does once its copy is older than [`TTL`].
pub async fn refresh(state: &AppState) -> anyhow::Result<Arc<Calendar>> {
    let calendar = Arc::new(store::calendar(&state.db).await?);
    state.calendar.store(calendar.clone());
    Ok(calendar)
}
