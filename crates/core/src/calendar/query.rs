//! `GET /api/v1/calendar/deadline?from=YYYY-MM-DD&days=N` (or `&working_days=N`), validated once
//! for the browser's deadline calculator and the server.

use chrono::NaiveDate;

use super::{Calendar, DeadlineError, Period};
use crate::error::{ErrorCode, FieldError, Invalid};
use crate::notice::parse_date;
use crate::text::fold_width;
use serde::{Deserialize, Serialize};

/// A validated deadline query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineQuery {
    pub from: NaiveDate,
    pub period: Period,
}

impl DeadlineQuery {
    /// Checks every field; returns all problems, each tied to its query parameter. Exactly one
    /// of `days` and `working_days` is given (a blank one counts as absent).
    pub fn parse(req: &DeadlineRequest) -> Result<DeadlineQuery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let from = parse_date(&req.from)
            .map_err(|e| errors.push(e.at("from")))
            .ok();
        let given = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let period = match (given(&req.days), given(&req.working_days)) {
            (Some(days), None) => parse_count(&days, Period::Days),
            (None, Some(working_days)) => parse_count(&working_days, Period::WorkingDays),
            (None, None) => Err(Invalid::new(
                ErrorCode::MissingField,
                "请填写天数或工作日数",
                "Give the number of days or of working days",
            )
            .at("days")),
            (Some(_), Some(_)) => Err(Invalid::new(
                ErrorCode::InvalidValue,
                "天数和工作日数只能填写其中一项",
                "Give either the number of days or of working days, not both",
            )
            .at("working_days")),
        }
        .map_err(|e| errors.push(e))
        .ok();
        match (from, period) {
            (Some(from), Some(period)) if errors.is_empty() => Ok(DeadlineQuery { from, period }),
            _ => Err(errors),
        }
    }

    /// The answer, or why there is none, tied to `from` when the period reaches a year the
    /// calendar does not cover.
    pub fn due(&self, calendar: &Calendar) -> Result<DeadlineResponse, FieldError> {
        match calendar.due(self.from, self.period) {
            Ok(due) => Ok(DeadlineResponse {
                due: due.to_string(),
            }),
            Err(e @ DeadlineError::OutOfRange(period)) => Err(Invalid::from(e).at(period.field())),
            Err(e @ DeadlineError::NotCovered { .. }) => Err(Invalid::from(e).at("from")),
        }
    }
}

/// A whole number of days, full-width digits folded, within the period's bounds.
fn parse_count(value: &str, period: fn(u32) -> Period) -> Result<Period, FieldError> {
    let digits: String = value.trim().chars().map(fold_width).collect();
    // Not a number, or too many digits for one: out of range either way, with the same message.
    let n = if digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().unwrap_or(u32::MAX)
    } else {
        0
    };
    let period = period(n);
    period
        .check()
        .map(|_| period)
        .map_err(|e| Invalid::from(e).at(period.field()))
}

/// `GET /api/v1/calendar/deadline?from=YYYY-MM-DD&days=N` or `&working_days=N`: the query as
/// text, so that a bad number gets a message tied to its parameter (see
/// [`DeadlineQuery::parse`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DeadlineRequest {
    /// The day the period starts (not counted), `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(required = true, format = Date))]
    pub from: String,
    /// A period in days, 1 to 3650 (Civil Procedure Law art. 85). Exactly one of `days` and
    /// `working_days`.
    pub days: Option<String>,
    /// A period in working days, 1 to 1000.
    pub working_days: Option<String>,
}

/// The last day of the period, `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineResponse {
    pub due: String,
}
