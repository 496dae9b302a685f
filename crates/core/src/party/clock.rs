//! The legal clocks of the parties' desk, as pure functions over a [`Calendar`] (DESIGN §3).
//!
//! From the SPC rules on publishing dishonest debtors (最高人民法院关于公布失信被执行人名单信息的若干
//! 规定, 2017): a correction request is reviewed within 15 days of its receipt and, when upheld,
//! the listing is corrected within 3 working days (art. 12); a party refused may apply to the
//! court one level up for reconsideration within 10 days of being served the refusal, decided
//! within 15 days of its receipt (art. 12); a listing whose ground of deletion applies — full
//! performance first of all — is deleted within 3 working days (art. 10).
//!
//! Periods in days follow the Civil Procedure Law (art. 85): the day the period starts is not
//! counted, and a last day that is a rest day moves to the first working day after it. Working
//! days skip weekends and holidays and count the weekend days made working days. Every function
//! answers [`DeadlineError::NotCovered`] for a year whose holiday arrangement the calendar lacks:
//! the due date is then unknown, never guessed.

use chrono::NaiveDate;

use super::vocabulary::RequestKind;
use crate::calendar::{Calendar, DeadlineError, Period};
use crate::error::{ErrorCode, Invalid};

/// Days a court has to review a correction request.
pub const REVIEW_DAYS: u32 = 15;
/// Working days within which an upheld request's listing is corrected.
pub const CORRECT_WORKING_DAYS: u32 = 3;
/// Days after being served a refusal within which a party may ask for reconsideration.
pub const RECONSIDERATION_WINDOW_DAYS: u32 = 10;
/// Days the court one level up has to decide a reconsideration.
pub const RECONSIDERATION_REVIEW_DAYS: u32 = 15;
/// Working days within which a listing is deleted once a ground of deletion applies.
pub const DELISTING_WORKING_DAYS: u32 = 3;

/// The last day for the court's decision on a correction request received on `received_on`.
pub fn review_due(calendar: &Calendar, received_on: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    calendar.due(received_on, Period::Days(REVIEW_DAYS))
}

/// The last day to correct (or delete) a listing after a request about it was upheld on
/// `decided_on`; the same for a reconsideration upheld.
pub fn correct_due(calendar: &Calendar, decided_on: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    calendar.due(decided_on, Period::WorkingDays(CORRECT_WORKING_DAYS))
}

/// The last day a party served a refusal on `served_on` may ask for reconsideration.
pub fn reconsideration_window_end(
    calendar: &Calendar,
    served_on: NaiveDate,
) -> Result<NaiveDate, DeadlineError> {
    calendar.due(served_on, Period::Days(RECONSIDERATION_WINDOW_DAYS))
}

/// The last day for the higher court's decision on a reconsideration received on `received_on`.
pub fn reconsideration_review_due(
    calendar: &Calendar,
    received_on: NaiveDate,
) -> Result<NaiveDate, DeadlineError> {
    calendar.due(received_on, Period::Days(RECONSIDERATION_REVIEW_DAYS))
}

/// The last day to delete a listing after the court confirmed, on `confirmed_on`, that the
/// obligation was performed (or another ground of deletion arose).
pub fn delisting_due(
    calendar: &Calendar,
    confirmed_on: NaiveDate,
) -> Result<NaiveDate, DeadlineError> {
    calendar.due(confirmed_on, Period::WorkingDays(DELISTING_WORKING_DAYS))
}

/// The last day for the decision on a request of `kind` received on `received_on`: the review
/// of a correction, or of a reconsideration.
pub fn decision_due(
    calendar: &Calendar,
    kind: RequestKind,
    received_on: NaiveDate,
) -> Result<NaiveDate, DeadlineError> {
    match kind {
        RequestKind::Correction => review_due(calendar, received_on),
        RequestKind::Reconsideration => reconsideration_review_due(calendar, received_on),
    }
}

/// Past its due date: the due day itself is still in time.
pub fn is_overdue(due: NaiveDate, today: NaiveDate) -> bool {
    today > due
}

/// Whether a party may ask for reconsideration `today`: only after a refusal of their correction
/// request was served (`refusal_served_on`), and until the end of the window, which is returned.
/// Errors are tied to the request's `kind` field by the caller.
pub fn check_reconsideration(
    calendar: &Calendar,
    refusal_served_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, Invalid> {
    let served_on = refusal_served_on.ok_or_else(|| {
        Invalid::new(
            ErrorCode::InvalidValue,
            "只有纠正申请被驳回并送达后，才能申请复议；请先提出纠正申请",
            "Reconsideration can be asked for only after a correction request was refused and the refusal served; make a correction request first",
        )
    })?;
    let end = reconsideration_window_end(calendar, served_on)?;
    if is_overdue(end, today) {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            format!("复议申请期限已于{end}届满（驳回决定于{served_on}送达，期限为十日）"),
            format!(
                "The time to ask for reconsideration ended on {end} (the refusal was served on {served_on}; the time is 10 days)"
            ),
        ));
    }
    Ok(end)
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Weekday};

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> &'static Calendar {
        Calendar::builtin()
    }

    #[test]
    fn review_due_counts_days_and_leaves_rest_days() {
        // 03-03 + 15 = 03-18, a Tuesday.
        assert_eq!(review_due(cal(), d("2025-03-03")), Ok(d("2025-03-18")));
        // 03-01 + 15 = 03-16, a Sunday → Monday 03-17.
        assert_eq!(review_due(cal(), d("2025-03-01")), Ok(d("2025-03-17")));
        // 09-20 + 15 = 10-05, in the National Day holiday (10-01..=10-08) → Thursday 10-09.
        assert_eq!(review_due(cal(), d("2025-09-20")), Ok(d("2025-10-09")));
        // 09-13 + 15 = 09-28, a Sunday made a working day: it stays.
        assert_eq!(d("2025-09-28").weekday(), Weekday::Sun);
        assert_eq!(review_due(cal(), d("2025-09-13")), Ok(d("2025-09-28")));
        // Across a year end: 2024-12-20 + 15 = 2025-01-04, a Saturday → Monday 01-06.
        assert_eq!(review_due(cal(), d("2024-12-20")), Ok(d("2025-01-06")));
    }

    #[test]
    fn correct_due_counts_working_days() {
        // Monday 2025-03-03: Tue, Wed, Thu.
        assert_eq!(correct_due(cal(), d("2025-03-03")), Ok(d("2025-03-06")));
        // Friday 2025-03-07: Mon 10, Tue 11, Wed 12.
        assert_eq!(correct_due(cal(), d("2025-03-07")), Ok(d("2025-03-12")));
        // Tuesday 2025-09-30: 10-01..=10-08 off; Thu 10-09, Fri 10-10, Sat 10-11 (made a
        // working day).
        assert_eq!(correct_due(cal(), d("2025-09-30")), Ok(d("2025-10-11")));
        // Decided on a holiday: 2025-10-03 → 10-09, 10-10, 10-11.
        assert_eq!(correct_due(cal(), d("2025-10-03")), Ok(d("2025-10-11")));
    }

    #[test]
    fn reconsideration_window() {
        // Served Monday 2025-01-20: + 10 = Thursday 01-30, in the Spring Festival holiday
        // (01-28..=02-04) → Wednesday 02-05.
        assert_eq!(
            reconsideration_window_end(cal(), d("2025-01-20")),
            Ok(d("2025-02-05"))
        );
        // Served Wednesday 2025-06-04: + 10 = Saturday 06-14 → Monday 06-16.
        assert_eq!(
            reconsideration_window_end(cal(), d("2025-06-04")),
            Ok(d("2025-06-16"))
        );
        // Served Tuesday 2025-03-04: + 10 = Friday 03-14.
        assert_eq!(
            reconsideration_window_end(cal(), d("2025-03-04")),
            Ok(d("2025-03-14"))
        );
    }

    #[test]
    fn reconsideration_review() {
        // Received 2025-04-20: + 15 = 05-05, the last day of the Labour Day holiday → Tuesday
        // 05-06.
        assert_eq!(
            reconsideration_review_due(cal(), d("2025-04-20")),
            Ok(d("2025-05-06"))
        );
        // Received 2026-02-01: + 15 = 02-16, in the Spring Festival holiday (02-15..=02-23) →
        // Tuesday 02-24.
        assert_eq!(
            reconsideration_review_due(cal(), d("2026-02-01")),
            Ok(d("2026-02-24"))
        );
    }

    #[test]
    fn delisting_after_performance() {
        // Confirmed Wednesday 2025-04-30: 05-01..=05-05 off; 05-06, 05-07, 05-08.
        assert_eq!(delisting_due(cal(), d("2025-04-30")), Ok(d("2025-05-08")));
        // Confirmed Friday 2025-04-25: Sunday 04-27 is a working day: 04-27, 04-28, 04-29.
        assert_eq!(delisting_due(cal(), d("2025-04-25")), Ok(d("2025-04-29")));
    }

    #[test]
    fn decisions_are_due_by_kind() {
        let received = d("2025-09-20");
        assert_eq!(
            decision_due(cal(), RequestKind::Correction, received),
            review_due(cal(), received)
        );
        assert_eq!(
            decision_due(cal(), RequestKind::Reconsideration, received),
            reconsideration_review_due(cal(), received)
        );
        assert_eq!(
            decision_due(cal(), RequestKind::Reconsideration, received),
            Ok(d("2025-10-09"))
        );
    }

    #[test]
    fn uncovered_years_are_not_guessed() {
        assert_eq!(
            review_due(cal(), d("2026-12-25")),
            Err(DeadlineError::NotCovered { year: 2027 })
        );
        assert_eq!(
            correct_due(cal(), d("2023-06-01")),
            Err(DeadlineError::NotCovered { year: 2023 })
        );
    }

    #[test]
    fn overdue_from_the_day_after() {
        assert!(!is_overdue(d("2025-10-09"), d("2025-10-09")));
        assert!(is_overdue(d("2025-10-09"), d("2025-10-10")));
        assert!(!is_overdue(d("2025-10-09"), d("2025-09-20")));
    }

    #[test]
    fn reconsideration_only_after_a_refusal_and_in_time() {
        let none = check_reconsideration(cal(), None, d("2025-03-05")).unwrap_err();
        assert_eq!(none.code, ErrorCode::InvalidValue);
        assert!(none.zh.contains("驳回"), "{}", none.zh);
        let served = Some(d("2025-01-20"));
        assert_eq!(
            check_reconsideration(cal(), served, d("2025-01-20")),
            Ok(d("2025-02-05"))
        );
        assert_eq!(
            check_reconsideration(cal(), served, d("2025-02-05")),
            Ok(d("2025-02-05"))
        );
        let late = check_reconsideration(cal(), served, d("2025-02-06")).unwrap_err();
        assert!(late.zh.contains("2025-02-05"), "{}", late.zh);
        assert!(late.en.contains("ended on 2025-02-05"), "{}", late.en);
        let uncovered =
            check_reconsideration(cal(), Some(d("2026-12-28")), d("2026-12-29")).unwrap_err();
        assert_eq!(uncovered.code, ErrorCode::InvalidDate);
    }

    /// Each clock against a walk of its own: a period in days is the date plus n, moved past rest
    /// days; working days are counted one by one.
    #[test]
    fn clocks_agree_with_a_plain_walk() {
        let c = cal();
        let mut day = d("2024-01-01");
        while day <= d("2026-11-30") {
            let mut end = day + chrono::Days::new(15);
            while !c.is_working_day(end).unwrap() {
                end = end.succ_opt().unwrap();
            }
            assert_eq!(review_due(c, day), Ok(end), "{day}");
            let mut left = 3;
            let mut w = day;
            while left > 0 {
                w = w.succ_opt().unwrap();
                if c.is_working_day(w).unwrap() {
                    left -= 1;
                }
            }
            assert_eq!(delisting_due(c, day), Ok(w), "{day}");
            assert_eq!(correct_due(c, day), Ok(w), "{day}");
            day = day.succ_opt().unwrap();
        }
    }
}
