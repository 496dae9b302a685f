use chrono::{Datelike, NaiveDate, Weekday};
use proptest::prelude::*;

use super::*;
use super::{DeadlineRequest, DeadlineResponse};
use crate::error::FieldError;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn entry(date: &str, kind: DayKind) -> Entry {
    Entry::new(d(date), kind).unwrap()
}

fn cal() -> &'static Calendar {
    Calendar::builtin()
}

/// The notices again, typed from their text independently of `holidays.csv`: the ranges of days
/// off (放假调休, first and last day) and the weekend days made working days (上班).
const DAYS_OFF: &[(&str, &str)] = &[
    // 2024 (国办发明电〔2023〕7号)
    ("2024-01-01", "2024-01-01"),
    ("2024-02-10", "2024-02-17"),
    ("2024-04-04", "2024-04-06"),
    ("2024-05-01", "2024-05-05"),
    ("2024-06-10", "2024-06-10"),
    ("2024-09-15", "2024-09-17"),
    ("2024-10-01", "2024-10-07"),
    // 2025 (国办发明电〔2024〕12号)
    ("2025-01-01", "2025-01-01"),
    ("2025-01-28", "2025-02-04"),
    ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"),
    ("2025-05-31", "2025-06-02"),
    ("2025-10-01", "2025-10-08"),
    // 2026 (notice of 2025-11-04)
    ("2026-01-01", "2026-01-03"),
    ("2026-02-15", "2026-02-23"),
    ("2026-04-04", "2026-04-06"),
    ("2026-05-01", "2026-05-05"),
    ("2026-06-19", "2026-06-21"),
    ("2026-09-25", "2026-09-27"),
    ("2026-10-01", "2026-10-07"),
];
const MAKE_UP: &[&str] = &[
    "2024-02-04",
    "2024-02-18",
    "2024-04-07",
    "2024-04-28",
    "2024-05-11",
    "2024-09-14",
    "2024-09-29",
    "2024-10-12",
    "2025-01-26",
    "2025-02-08",
    "2025-04-27",
    "2025-09-28",
    "2025-10-11",
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
];
const COVERED: std::ops::RangeInclusive<i32> = 2024..=2026;

/// The notices as dates, for the slow walks below.
struct Notices {
    days_off: Vec<(NaiveDate, NaiveDate)>,
    make_up: Vec<NaiveDate>,
}

impl Notices {
    fn new() -> Self {
        Notices {
            days_off: DAYS_OFF.iter().map(|&(a, b)| (d(a), d(b))).collect(),
            make_up: MAKE_UP.iter().map(|&w| d(w)).collect(),
        }
    }

    fn rest(&self, date: NaiveDate) -> bool {
        let off = self
            .days_off
            .iter()
            .any(|&(first, last)| (first..=last).contains(&date));
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        off || (weekend && !self.make_up.contains(&date))
    }

    /// Art. 85 the slow way: step `days` days, then step on while the day is a rest day. `Err`
    /// is the first year without data the walk steps on.
    fn walk_period(&self, from: NaiveDate, days: u32) -> Result<NaiveDate, i32> {
        let mut day = from;
        for _ in 0..days {
            day = next(day);
        }
        loop {
            if !COVERED.contains(&day.year()) {
                return Err(day.year());
            }
            if !self.rest(day) {
                return Ok(day);
            }
            day = next(day);
        }
    }

    /// Working days the slow way: step one day at a time, counting the days that are not rest
    /// days.
    fn walk_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, i32> {
        let mut day = from;
        let mut counted = 0;
        while counted < n {
            day = next(day);
            if !COVERED.contains(&day.year()) {
                return Err(day.year());
            }
            if !self.rest(day) {
                counted += 1;
            }
        }
        Ok(day)
    }
}

fn next(date: NaiveDate) -> NaiveDate {
    date.succ_opt().unwrap()
}

fn days_between(first: &str, last: &str) -> impl Iterator<Item = NaiveDate> {
    let last = d(last);
    d(first).iter_days().take_while(move |&day| day <= last)
}

// The built-in data.

#[test]
fn the_builtin_data_is_the_notices_day_by_day() {
    assert_eq!(cal().years().collect::<Vec<_>>(), vec![2024, 2025, 2026]);
    let notices = Notices::new();
    for day in days_between("2024-01-01", "2026-12-31") {
        assert_eq!(cal().is_working_day(day), Ok(!notices.rest(day)), "{day}");
    }
}

#[test]
fn builtin_make_up_working_days_are_weekends() {
    let workdays: Vec<Entry> = cal()
        .entries()
        .filter(|e| e.kind() == DayKind::Workday)
        .collect();
    assert_eq!(workdays.len(), MAKE_UP.len());
    for e in workdays {
        assert!(
            matches!(e.date().weekday(), Weekday::Sat | Weekday::Sun),
            "{} is a {}",
            e.date(),
            e.date().weekday()
        );
    }
}

/// Every arrangement gives back, as make-up working days, the weekdays it moves next to the
/// holidays, so a year has as many working days as weekdays less its statutory holidays: 11
/// days until 2024, 13 since the 2024 revision of 全国年节及纪念日放假办法 (春节 and 劳动节 one
/// day more each). A day dropped from or added to the data breaks the count.
#[test]
fn each_year_has_its_weekdays_less_its_statutory_holidays_as_working_days() {
    for (year, statutory, working) in [(2024, 11, 251), (2025, 13, 248), (2026, 13, 248)] {
        let days: Vec<NaiveDate> =
            days_between(&format!("{year}-01-01"), &format!("{year}-12-31")).collect();
        let weekdays = days
            .iter()
            .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
            .count();
        let counted = days
            .iter()
            .filter(|&&day| cal().is_working_day(day).unwrap())
            .count();
        assert_eq!(counted, weekdays - statutory, "{year}");
        assert_eq!(counted, working, "{year}");
    }
}

#[test]
fn the_builtin_file_is_a_valid_import_file() {
    let entries = parse_holidays(BUILTIN).unwrap();
    assert_eq!(entries.len(), cal().entries().count());
}

// Periods and working days: known cases, worked out by hand.

#[test]
fn a_period_ending_in_a_holiday_ends_on_the_first_working_day_after_it() {
    // 2025-09-25 + 10 = Sunday 2025-10-05, inside 国庆+中秋 (Oct 1–8); Thursday Oct 9 is next.
    assert_eq!(cal().period_end(d("2025-09-25"), 10), Ok(d("2025-10-09")));
    // + 15 from 2024-12-20 is Saturday 2025-01-04: Monday Jan 6.
    assert_eq!(cal().period_end(d("2024-12-20"), 15), Ok(d("2025-01-06")));
    // Saturday 2024-03-09: Monday Mar 11.
    assert_eq!(cal().period_end(d("2024-03-06"), 3), Ok(d("2024-03-11")));
    // Sunday 2026-02-08 is a plain weekend: Monday Feb 9, not the next holiday-free stretch.
    assert_eq!(cal().period_end(d("2026-02-01"), 7), Ok(d("2026-02-09")));
}

#[test]
fn a_period_ending_on_a_working_day_ends_that_day() {
    // Saturday 2026-02-14 is a make-up working day.
    assert_eq!(cal().period_end(d("2026-02-04"), 10), Ok(d("2026-02-14")));
    // 除夕 2024 (Feb 9) was only a recommended day off, not a holiday.
    assert_eq!(cal().period_end(d("2024-02-02"), 7), Ok(d("2024-02-09")));
    // The days inside the period do not matter: 2025-01-25 + 15 runs through 春节 to Feb 9,
    // a Sunday, so Monday Feb 10.
    assert_eq!(cal().period_end(d("2025-01-25"), 15), Ok(d("2025-02-10")));
}

#[test]
fn working_days_skip_holidays_and_count_make_up_days() {
    // Friday 2026-02-13: Sat Feb 14 (make-up), then 春节 Feb 15–23, then Feb 24, Feb 25.
    assert_eq!(
        cal().add_working_days(d("2026-02-13"), 3),
        Ok(d("2026-02-25"))
    );
    assert_eq!(
        cal().add_working_days(d("2026-02-13"), 1),
        Ok(d("2026-02-14"))
    );
    // From the eve of 国庆 2024 (Mon Sep 30): Tue Oct 8, Wed Oct 9, Thu Oct 10.
    assert_eq!(
        cal().add_working_days(d("2024-09-30"), 3),
        Ok(d("2024-10-10"))
    );
    // From a holiday: Sat 2025-10-04 → Thu Oct 9, Fri Oct 10, Sat Oct 11 (make-up).
    assert_eq!(
        cal().add_working_days(d("2025-10-04"), 3),
        Ok(d("2025-10-11"))
    );
    // A plain week: Wed 2025-03-12 → Thu, Fri, Mon, Tue, Wed.
    assert_eq!(
        cal().add_working_days(d("2025-03-12"), 5),
        Ok(d("2025-03-19"))
    );
}

// Years without data.

#[test]
fn a_year_without_data_is_an_error_not_a_guess() {
    let not_2027 = Err(DeadlineError::NotCovered { year: 2027 });
    assert_eq!(
        cal().is_working_day(d("2027-03-01")),
        Err(DeadlineError::NotCovered { year: 2027 })
    );
    // 2026-12-25 + 10 = 2027-01-04.
    assert_eq!(cal().period_end(d("2026-12-25"), 10), not_2027);
    // New Year's Day 2027 may or may not be the first working day: unknown.
    assert_eq!(cal().add_working_days(d("2026-12-31"), 1), not_2027);
    assert_eq!(
        cal().period_end(d("2023-06-01"), 30),
        Err(DeadlineError::NotCovered { year: 2023 })
    );
    assert_eq!(
        Calendar::default().is_working_day(d("2025-03-03")),
        Err(DeadlineError::NotCovered { year: 2025 })
    );
}

#[test]
fn only_the_years_a_computation_steps_on_must_be_covered() {
    // 2023 is not covered, but neither period looks at a day of it.
    assert_eq!(cal().period_end(d("2023-12-25"), 10), Ok(d("2024-01-04")));
    assert_eq!(
        cal().add_working_days(d("2023-12-31"), 1),
        Ok(d("2024-01-02"))
    );
    // Friday 2026-12-25 needs nothing of 2027.
    assert_eq!(cal().period_end(d("2026-12-20"), 5), Ok(d("2026-12-25")));
}

#[test]
fn periods_outside_their_bounds_are_refused() {
    let from = d("2025-03-03");
    for days in [0, MAX_DAYS + 1, u32::MAX] {
        assert_eq!(
            cal().period_end(from, days),
            Err(DeadlineError::OutOfRange(Period::Days(days)))
        );
    }
    for n in [0, MAX_WORKING_DAYS + 1] {
        assert_eq!(
            cal().add_working_days(from, n),
            Err(DeadlineError::OutOfRange(Period::WorkingDays(n)))
        );
    }
    // The longest periods are accepted by a calendar that reaches far enough: one entry per year
    // makes the year covered.
    let far = Calendar::default()
        .with(
            (2025..=2035).map(|y| Entry::new(d(&format!("{y}-01-01")), DayKind::Holiday).unwrap()),
        )
        .unwrap();
    assert!(far.period_end(from, MAX_DAYS).is_ok());
    assert!(far.add_working_days(from, MAX_WORKING_DAYS).is_ok());
}

// Exhaustive comparison with the slow walks.

#[test]
fn every_period_of_1_to_30_days_agrees_with_walking_day_by_day() {
    let notices = Notices::new();
    for from in days_between("2023-12-01", "2026-12-31") {
        for days in 1..=30 {
            let expected = notices
                .walk_period(from, days)
                .map_err(|year| DeadlineError::NotCovered { year });
            assert_eq!(
                cal().period_end(from, days),
                expected,
                "{from} + {days} days"
            );
        }
    }
}

#[test]
fn every_count_of_1_to_10_working_days_agrees_with_counting_day_by_day() {
    let notices = Notices::new();
    for from in days_between("2023-12-01", "2026-12-31") {
        for n in 1..=10 {
            let expected = notices
                .walk_working_days(from, n)
                .map_err(|year| DeadlineError::NotCovered { year });
            assert_eq!(
                cal().add_working_days(from, n),
                expected,
                "{from} + {n} working days"
            );
        }
    }
}

// Combining with imported years.

#[test]
fn imported_entries_add_years_and_combine_with_the_builtin_ones() {
    let with_2027 = cal()
        .with([
            entry("2027-01-01", DayKind::Holiday),
            entry("2027-02-06", DayKind::Workday),
        ])
        .unwrap();
    assert!(with_2027.covers(2027) && !cal().covers(2027));
    // Fri 2027-01-01 (imported holiday), the weekend, Mon Jan 4.
    assert_eq!(
        with_2027.add_working_days(d("2026-12-31"), 1),
        Ok(d("2027-01-04"))
    );
    assert_eq!(with_2027.is_working_day(d("2027-02-06")), Ok(true));
    // The built-in years are unchanged.
    assert_eq!(
        with_2027.period_end(d("2025-09-25"), 10),
        Ok(d("2025-10-09"))
    );
}

#[test]
fn importing_what_is_already_known_changes_nothing() {
    let again = cal().with(cal().entries()).unwrap();
    assert_eq!(&again, cal());
    let twice = cal()
        .with([
            entry("2027-01-01", DayKind::Holiday),
            entry("2027-01-01", DayKind::Holiday),
        ])
        .unwrap();
    assert_eq!(
        twice,
        cal().with([entry("2027-01-01", DayKind::Holiday)]).unwrap()
    );
}

#[test]
fn an_import_contradicting_a_known_date_is_refused_whole() {
    let conflicts = cal()
        .with([
            entry("2027-01-01", DayKind::Holiday),
            entry("2026-02-14", DayKind::Holiday),
            entry("2025-10-04", DayKind::Workday),
        ])
        .unwrap_err();
    assert_eq!(
        conflicts,
        vec![
            Conflict {
                date: d("2026-02-14"),
                existing: DayKind::Workday,
                imported: DayKind::Holiday,
            },
            Conflict {
                date: d("2025-10-04"),
                existing: DayKind::Holiday,
                imported: DayKind::Workday,
            },
        ]
    );
    let invalid = Invalid::from(conflicts[0]);
    assert_eq!(invalid.code, ErrorCode::InvalidValue);
    assert!(invalid.zh.contains("2026-02-14") && invalid.en.contains("workday"));
    // Two imported entries that disagree with each other.
    assert!(cal()
        .with([
            entry("2027-01-02", DayKind::Holiday),
            entry("2027-01-02", DayKind::Workday),
        ])
        .is_err());
}

#[test]
fn a_make_up_working_day_must_be_a_weekend_day() {
    let invalid = Entry::new(d("2025-10-08"), DayKind::Workday).unwrap_err();
    assert!(invalid.zh.contains("星期三") && invalid.en.contains("Wednesday"));
    assert!(Entry::new(d("2025-10-08"), DayKind::Holiday).is_ok());
    assert!(Entry::new(d("2025-10-11"), DayKind::Workday).is_ok());
}

// The import file.

fn errors_of(text: &str) -> Vec<(u64, String, ErrorCode)> {
    parse_holidays(text)
        .unwrap_err()
        .into_iter()
        .map(|e| (e.line, e.error.field.clone(), e.error.code()))
        .collect()
}

#[test]
fn an_import_file_may_put_its_columns_in_any_order() {
    let text = "\u{feff}kind , date\r\nholiday,2027-01-01\r\n\r\n\"workday\",\"2027-02-06\"\r\nholiday,2027-01-01\r\n";
    assert_eq!(
        parse_holidays(text),
        Ok(vec![
            entry("2027-01-01", DayKind::Holiday),
            entry("2027-02-06", DayKind::Workday),
        ])
    );
    // Full-width digits, spaces and upper case, as typed in a spreadsheet.
    assert_eq!(
        parse_holidays("date,kind\n２０２７-０１-０１ , Holiday \n"),
        Ok(vec![entry("2027-01-01", DayKind::Holiday)])
    );
    // Unnamed trailing columns are ignored.
    assert_eq!(
        parse_holidays("date,kind,\n2027-01-01,holiday,\n"),
        Ok(vec![entry("2027-01-01", DayKind::Holiday)])
    );
}

#[test]
fn every_bad_row_is_reported_by_line_and_column() {
    let text = "date,kind
2027-01-02,holiday
2027-02-30,holiday
2027-01-02,vacation
2027-13-01,day_off
2027-01-06,workday
2027-01-02,workday
2027-01-09,holiday,extra
\"2027-01-10,holiday
2027-01-09,
";
    assert_eq!(
        errors_of(text),
        vec![
            (3, "date".into(), ErrorCode::InvalidDate),
            (4, "kind".into(), ErrorCode::InvalidValue),
            (5, "date".into(), ErrorCode::InvalidDate),
            (5, "kind".into(), ErrorCode::InvalidValue),
            // A Wednesday.
            (6, "date".into(), ErrorCode::InvalidValue),
            // Saturday 2027-01-02 was a holiday on line 2.
            (7, "date".into(), ErrorCode::InvalidValue),
            (8, "".into(), ErrorCode::InvalidValue),
            (9, "".into(), ErrorCode::InvalidValue),
            (10, "kind".into(), ErrorCode::MissingField),
        ]
    );
    let overlap = &parse_holidays(text).unwrap_err()[5];
    assert!(overlap.error.message(crate::Lang::Zh).contains("第 2 行"));
    assert!(overlap.to_string().starts_with("line 7, column date: "));
}

#[test]
fn the_header_must_name_both_columns_once() {
    assert_eq!(
        errors_of("date\n2027-01-01\n"),
        vec![(1, "kind".into(), ErrorCode::MissingField)]
    );
    assert_eq!(
        errors_of("day,type\n2027-01-01,holiday\n"),
        vec![
            (1, "".into(), ErrorCode::InvalidValue),
            (1, "".into(), ErrorCode::InvalidValue),
            (1, "date".into(), ErrorCode::MissingField),
            (1, "kind".into(), ErrorCode::MissingField),
        ]
    );
    assert_eq!(
        errors_of("date,kind,date\n2027-01-01,holiday,2027-01-02\n"),
        vec![(1, "date".into(), ErrorCode::InvalidValue)]
    );
    // The header is the first line with text on it.
    assert_eq!(
        errors_of("\n\ndate,kind\n"),
        vec![(3, "".into(), ErrorCode::MissingField)]
    );
    assert_eq!(
        errors_of(""),
        vec![
            (1, "date".into(), ErrorCode::MissingField),
            (1, "kind".into(), ErrorCode::MissingField),
        ]
    );
}

/// Entries with distinct dates, by date: holidays, and Saturdays and Sundays made working days.
fn arb_entries() -> impl Strategy<Value = Vec<Entry>> {
    proptest::collection::btree_map(0u64..365 * 5, any::<bool>(), 1..50).prop_map(|days| {
        days.into_iter()
            .map(|(n, workday)| {
                let date = d("2027-01-01") + chrono::Days::new(n);
                let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
                let kind = if workday && weekend {
                    DayKind::Workday
                } else {
                    DayKind::Holiday
                };
                Entry::new(date, kind).unwrap()
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn written_entries_read_back(
        entries in arb_entries(),
        kind_first in any::<bool>(),
        quoted in any::<bool>(),
    ) {
        let cell = |s: &str| if quoted { format!("\"{s}\"") } else { s.to_owned() };
        let mut text = if kind_first { "kind,date\n" } else { "date,kind\n" }.to_owned();
        for e in &entries {
            let (date, kind) = (cell(&e.date().to_string()), cell(e.kind().as_str()));
            let line = if kind_first { format!("{kind},{date}\n") } else { format!("{date},{kind}\n") };
            text.push_str(&line);
        }
        let read = parse_holidays(&text).unwrap();
        prop_assert_eq!(read, entries);
    }

    #[test]
    fn an_imported_year_is_covered_and_agrees_with_its_entries(
        entries in arb_entries(),
    ) {
        let calendar = cal().with(entries.iter().copied()).unwrap();
        for e in &entries {
            prop_assert!(calendar.covers(e.date().year()));
            prop_assert_eq!(
                calendar.is_working_day(e.date()),
                Ok(e.kind() == DayKind::Workday)
            );
        }
    }
}

// The deadline query.

fn request(from: &str, days: Option<&str>, working_days: Option<&str>) -> DeadlineRequest {
    DeadlineRequest {
        from: from.into(),
        days: days.map(Into::into),
        working_days: working_days.map(Into::into),
    }
}

fn fields(errors: Vec<FieldError>) -> Vec<(String, ErrorCode)> {
    errors
        .into_iter()
        .map(|e| (e.field.clone(), e.code()))
        .collect()
}

#[test]
fn a_query_gives_a_date_and_one_period() {
    let q = DeadlineQuery::parse(&request("2025-09-25", Some("10"), None)).unwrap();
    assert_eq!(q.period, Period::Days(10));
    assert_eq!(
        q.due(cal()),
        Ok(DeadlineResponse {
            due: "2025-10-09".into()
        })
    );
    let q = DeadlineQuery::parse(&request(" 2026-02-13", Some(" "), Some("３"))).unwrap();
    assert_eq!(q.period, Period::WorkingDays(3));
    assert_eq!(q.due(cal()).unwrap().due, "2026-02-25");
}

#[test]
fn every_bad_query_parameter_is_named() {
    let parse = |from, days, working| {
        fields(DeadlineQuery::parse(&request(from, days, working)).unwrap_err())
    };
    assert_eq!(
        parse("", None, None),
        vec![
            ("from".into(), ErrorCode::MissingField),
            ("days".into(), ErrorCode::MissingField),
        ]
    );
    assert_eq!(
        parse("2025-02-29", Some("10"), Some("3")),
        vec![
            ("from".into(), ErrorCode::InvalidDate),
            ("working_days".into(), ErrorCode::InvalidValue),
        ]
    );
    for bad in ["0", "3651", "ten", "-1", "1.5", "99999999999"] {
        assert_eq!(
            parse("2025-01-01", Some(bad), None),
            vec![("days".into(), ErrorCode::InvalidValue)],
            "{bad}"
        );
    }
    assert_eq!(
        parse("2025-01-01", None, Some("1001")),
        vec![("working_days".into(), ErrorCode::InvalidValue)]
    );
    assert!(DeadlineQuery::parse(&request("2025-01-01", Some("3650"), None)).is_ok());
}

#[test]
fn a_query_reaching_a_year_without_data_is_refused_at_from() {
    let q = DeadlineQuery::parse(&request("2026-12-25", Some("10"), None)).unwrap();
    let e = q.due(cal()).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.code()),
        ("from", ErrorCode::InvalidDate)
    );
    assert!(e.message(crate::Lang::Zh).contains("2027年"));
    assert!(e.message(crate::Lang::En).contains("2027"));
}

#[test]
fn the_query_and_answer_have_the_documented_json_shapes() {
    let req: DeadlineRequest =
        serde_json::from_str(r#"{"from":"2025-09-25","working_days":"3"}"#).unwrap();
    assert_eq!(req, request("2025-09-25", None, Some("3")));
    let answer = DeadlineResponse {
        due: "2025-10-09".into(),
    };
    assert_eq!(
        serde_json::to_string(&answer).unwrap(),
        r#"{"due":"2025-10-09"}"#
    );
    for &kind in DayKind::ALL {
        assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
    }
}
