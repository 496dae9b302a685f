//! Time as the courts keep it, for the server and every browser bundle: instants are Unix
//! milliseconds, the calendar is the courts' (China Standard Time, UTC+8 all year, no daylight
//! saving), answers carry RFC 3339 in UTC, and people read Beijing time.
//!
//! The display texts are written from chrono's date and time fields, not with `format("%…")`,
//! so that a browser bundle carries no formatting tables.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, SecondsFormat, Timelike, Utc};

/// The courts' offset from UTC in seconds: UTC+8.
pub const COURT_UTC_OFFSET_SECS: i32 = 8 * 3600;

/// The courts' offset as RFC 3339 writes it.
pub const COURT_UTC_OFFSET: &str = "+08:00";

/// Now, in Unix milliseconds. `SystemTime::now` panics on wasm32-unknown-unknown, so the
/// browser's clock is read there.
#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Now, in Unix milliseconds.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    since_epoch.as_millis() as i64
}

/// The wall clock at the courts at an instant. Instants beyond chrono's range (±262,000 years)
/// read as the epoch.
fn at_the_courts(ms: i64) -> NaiveDateTime {
    DateTime::from_timestamp_millis(ms.saturating_add(i64::from(COURT_UTC_OFFSET_SECS) * 1000))
        .unwrap_or_default()
        .naive_utc()
}

/// The courts' calendar day of an instant: from 16:00 UTC it is already the next day.
pub fn court_date(ms: i64) -> NaiveDate {
    at_the_courts(ms).date()
}

/// Today at the courts, the calendar every date rule is checked by, wherever the browser or the
/// server is and whatever its time zone.
pub fn court_today() -> NaiveDate {
    court_date(now_ms())
}

/// Now, as the RFC 3339 text answers carry in `as_of`.
pub fn now_rfc3339() -> String {
    rfc3339(now_ms())
}

/// `2026-11-26T11:55:33Z`: an instant as answers carry it, to the second, in UTC.
pub fn rfc3339(ms: i64) -> String {
    utc(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `2026-11-26T11:55:33.679Z`: to the millisecond, where answers order events closer than a
/// second apart.
pub fn rfc3339_millis(ms: i64) -> String {
    utc(ms).to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// An RFC 3339 time (any offset) as Unix milliseconds; `None` for anything else.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
}

/// A time a person gave on the courts' clock, `2026-11-26T14:30` (an HTML `datetime-local`
/// value), as RFC 3339: `2026-11-26T14:30:00+08:00`.
pub fn court_local_rfc3339(minute: &str) -> String {
    format!("{minute}:00{COURT_UTC_OFFSET}")
}

/// `2026-11-26`.
pub fn ymd(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// `2026-11-26`: the courts' calendar day of an instant.
pub fn court_ymd(ms: i64) -> String {
    ymd(court_date(ms))
}

/// `14:30`: the minute of an instant in Beijing time.
pub fn beijing_hh_mm(ms: i64) -> String {
    let t = at_the_courts(ms);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `2026-11-26 14:30`: an instant in Beijing time, to the minute.
pub fn beijing_minute(ms: i64) -> String {
    let t = at_the_courts(ms);
    format!("{} {:02}:{:02}", ymd(t.date()), t.hour(), t.minute())
}

/// `2026-11-26 14:30:05`: an instant in Beijing time, to the second.
pub fn beijing_second(ms: i64) -> String {
    let t = at_the_courts(ms);
    format!(
        "{} {:02}:{:02}:{:02}",
        ymd(t.date()),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// An RFC 3339 time as people in China read it: Beijing time to the second, e.g.
/// `2026-11-26 19:55:33`. Anything that is not RFC 3339 comes back unchanged.
pub fn beijing_time(rfc3339: &str) -> String {
    parse_rfc3339(rfc3339).map_or_else(|| rfc3339.to_owned(), beijing_second)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ms(rfc3339: &str) -> i64 {
        parse_rfc3339(rfc3339).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_courts_day_starts_at_16_utc() {
        assert_eq!(
            court_date(ms("2026-12-31T15:59:59.999Z")),
            date(2026, 12, 31)
        );
        assert_eq!(court_date(ms("2026-12-31T16:00:00Z")), date(2027, 1, 1));
        assert_eq!(court_ymd(ms("2026-11-25T16:30:00Z")), "2026-11-26");
    }

    #[test]
    fn the_epoch_and_before() {
        assert_eq!(court_date(0), date(1970, 1, 1));
        assert_eq!(beijing_minute(0), "1970-01-01 08:00");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // One millisecond before the epoch is 07:59:59.999 at the courts, not 08:00.
        assert_eq!(beijing_second(-1), "1970-01-01 07:59:59");
        assert_eq!(rfc3339_millis(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(court_date(-8 * 3_600_000 - 1), date(1969, 12, 31));
        assert_eq!(court_date(-8 * 3_600_000), date(1970, 1, 1));
        // Out of chrono's range: the epoch, not a panic.
        assert_eq!(court_date(i64::MIN), date(1970, 1, 1));
        assert_eq!(rfc3339(i64::MAX), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn leap_days() {
        // 2024-02-29T16:30:00Z is already 1 March in Beijing.
        assert_eq!(beijing_minute(1_709_224_200_000), "2024-03-01 00:30");
        assert_eq!(court_date(ms("2024-02-28T16:00:00Z")), date(2024, 2, 29));
        // 2100 is not a leap year; 2000 was.
        assert_eq!(court_date(ms("2100-02-28T16:00:00Z")), date(2100, 3, 1));
        assert_eq!(court_date(ms("2000-02-28T16:00:00Z")), date(2000, 2, 29));
    }

    #[test]
    fn instants_as_answers_carry_them() {
        let t = ms("2026-11-26T11:55:33.679Z");
        assert_eq!(rfc3339(t), "2026-11-26T11:55:33Z");
        assert_eq!(rfc3339_millis(t), "2026-11-26T11:55:33.679Z");
        assert_eq!(parse_rfc3339("2026-11-26T19:55:33.679+08:00"), Some(t));
        assert_eq!(parse_rfc3339("2026-11-26 19:55"), None);
        assert_eq!(
            court_local_rfc3339("2026-11-26T14:30"),
            "2026-11-26T14:30:00+08:00"
        );
        assert_eq!(
            ms(&court_local_rfc3339("2026-11-26T14:30")),
            ms("2026-11-26T06:30:00Z")
        );
    }

    #[test]
    fn times_show_in_beijing_time() {
        // 2026-11-26T14:22:00Z
        assert_eq!(beijing_minute(1_795_702_920_000), "2026-11-26 22:22");
        assert_eq!(beijing_hh_mm(1_795_702_920_000), "22:22");
        assert_eq!(beijing_hh_mm(ms("2026-11-26T16:05:00Z")), "00:05");
        assert_eq!(
            beijing_time("2026-11-26T11:55:33.679Z"),
            "2026-11-26 19:55:33"
        );
        assert_eq!(beijing_time("2026-12-31T16:00:00Z"), "2027-01-01 00:00:00");
        assert_eq!(
            beijing_time("2026-11-26T19:55:33+08:00"),
            "2026-11-26 19:55:33"
        );
        assert_eq!(beijing_time("not a time"), "not a time");
        assert_eq!(ymd(date(987, 6, 5)), "0987-06-05");
    }

    #[test]
    fn today_is_a_day_at_the_courts() {
        let before = court_date(now_ms());
        let today = court_today();
        assert!(today >= before && today <= court_date(now_ms()));
    }

    proptest! {
        #[test]
        fn texts_agree_with_chronos_own_formatting(ms in -5_000_000_000_000i64..10_000_000_000_000) {
            let beijing = chrono::FixedOffset::east_opt(COURT_UTC_OFFSET_SECS).unwrap();
            let t = DateTime::from_timestamp_millis(ms).unwrap().with_timezone(&beijing);
            prop_assert_eq!(court_date(ms), t.date_naive());
            prop_assert_eq!(beijing_second(ms), t.format("%Y-%m-%d %H:%M:%S").to_string());
            prop_assert_eq!(beijing_hh_mm(ms), t.format("%H:%M").to_string());
            prop_assert_eq!(parse_rfc3339(&rfc3339_millis(ms)), Some(ms));
            prop_assert_eq!(parse_rfc3339(&rfc3339(ms)), Some(ms.div_euclid(1000) * 1000));
        }
    }
}
