//! `GET /api/v1/statistics` and `GET /api/v1/statistics.csv` (DESIGN §7.7): the indicators
//! over the filters with their definitions, numerators, denominators and data date, month by
//! month and court by court; the CSV holds exactly those figures.

use crate::extract::ApiQuery;
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use portal_core::statistics::{statistics, Statistics, StatisticsQuery};

use super::store;
use crate::{
    error::{request_lang, AppResult},
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statistics", get(json))
        .route("/statistics.csv", get(csv))
}

async fn answer(state: &AppState, q: &StatisticsQuery) -> AppResult<Statistics> {
    let valid = q.validate()?;
    let (rows, newest) = store::rows(&state.db, &valid).await?;
    let as_of = newest.map(portal_core::time::rfc3339);
    let choices = store::court_choices(&state.db).await?;
    Ok(statistics(&rows, as_of, choices, request_lang()))
}

async fn json(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<StatisticsQuery>,
) -> AppResult<Json<Statistics>> {
    Ok(Json(answer(&state, &q).await?))
}

async fn csv(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<StatisticsQuery>,
) -> AppResult<Response> {
    let s = answer(&state, &q).await?;
    // A byte-order mark, so that Excel opens the Chinese text as UTF-8.
    let body = format!("\u{feff}{}", super::csv::write(&s, request_lang())?);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"statistics.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// The home page's indicators: 执行到位率, 实际执行率 and 结案率 over every court's figures.
pub async fn headline(state: &AppState) -> AppResult<Vec<portal_core::api::HeadlineFigure>> {
    use portal_core::statistics::{aggregate, Indicator, ValidQuery};
    let all = ValidQuery {
        province: None,
        court: None,
        from: None,
        to: None,
    };
    let (rows, _) = store::rows(&state.db, &all).await?;
    let totals = aggregate(&rows);
    Ok([
        Indicator::RecoveryRate,
        Indicator::ActualEnforcementRate,
        Indicator::ClosureRate,
    ]
    .into_iter()
    .map(|key| portal_core::api::HeadlineFigure {
        key,
        value: if rows.is_empty() {
            None
        } else {
            totals[&key].value()
        },
    })
    .collect())
}
