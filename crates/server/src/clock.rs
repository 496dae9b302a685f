//! Time as the portal records and answers it: instants in Unix milliseconds, dates at the courts
//! (China Standard Time) and RFC 3339 in answers.

use chrono::SecondsFormat;

/// Unix time in milliseconds, the representation of instants in every table.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Today's date at the courts (China Standard Time, UTC+8), as the ISO text stored in the
/// database. Publication dates are compared against it: a notice published "tomorrow" is still
/// in its grace period.
pub fn court_today() -> chrono::NaiveDate {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    chrono::Utc::now().with_timezone(&cst).date_naive()
}

/// Now, as the RFC 3339 text answers carry in `as_of`.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An instant as RFC 3339 text to the second (`2026-12-01T08:00:00Z`).
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An instant as RFC 3339 text to the millisecond, where answers order events by it (a tip's
/// history, a certificate's verifications).
pub fn rfc3339_millis(ms: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}
