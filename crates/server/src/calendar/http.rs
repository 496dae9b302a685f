//! `GET /api/v1/calendar/deadline?from=YYYY-MM-DD&days=N` or `&working_days=N` (DESIGN §7.8):
//! the last day of a period as the law counts it. A computation anyone may ask for, holding no
//! personal data, so it is not admitted, like the statistics.

use axum::{extract::State, routing::get, Json, Router};
use portal_core::{
    api::{DeadlineRequest, DeadlineResponse, ErrorBody},
    calendar::DeadlineQuery,
};

use crate::{error::AppResult, extract::ApiQuery, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/calendar/deadline", get(deadline))
}

/// The due date of a period in days or in working days
#[utoipa::path(
    get,
    path = "/calendar/deadline",
    params(
        ("from" = String, Query, format = "calendar-date", description = "The day the period starts (not counted), `YYYY-MM-DD`, 1900 to 2100; the period must end in a year whose holiday arrangement the portal has (built in: 2024–2026)"),
        ("days" = Option<u32>, Query, minimum = 1, maximum = 3650, description = "A period in days (Civil Procedure Law art. 85: a last day on a rest day moves to the next working day). Exactly one of `days` and `working_days`"),
        ("working_days" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "A period in working days (weekends and public holidays skipped, make-up working days counted)"),
    ),
    responses(
        (status = 200, description = "The last day of the period", body = DeadlineResponse),
        (status = 400, description = "The query cannot be read (a parameter given twice)", body = ErrorBody),
        (status = 422, description = "A parameter is invalid, both or neither of `days` and `working_days` are given, or the period reaches a year whose holiday arrangement the State Council has not published yet (on `from`); `field` names the parameter", body = ErrorBody),
    )
)]
pub(crate) async fn deadline(
    State(state): State<AppState>,
    ApiQuery(req): ApiQuery<DeadlineRequest>,
) -> AppResult<Json<DeadlineResponse>> {
    let query = DeadlineQuery::parse(&req)?;
    let calendar = super::current(&state).await?;
    Ok(Json(query.due(&calendar)?))
}
