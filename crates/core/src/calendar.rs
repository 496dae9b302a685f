//! Legal deadlines as Chinese law counts them (DESIGN §7.8): the calendar of public holidays and
//! make-up working days, periods in days (Civil Procedure Law art. 85) and in working days, the
//! holiday import file, and the deadline query of `GET /api/v1/calendar/deadline`.
//!
//! Which days are working days is not a rule but a decision: each year the State Council General
//! Office publishes the arrangement of public holidays (国务院办公厅关于…年部分节假日安排的通知),
//! moving days off next to weekends and making some weekends working days (调休上班). The portal
//! ships the arrangements it knows (`calendar/holidays.csv`, in the import format) and the server
//! adds later years from its database. A year with no data is refused rather than guessed: without
//! the notice, the law's answer is unknown.
//!
//! - `import`: the holiday import file (`date,kind`), validated all-or-nothing by line and column.
//! - `query`: the deadline query, validated once for the browser and the server.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::error::{ErrorCode, Invalid};
use crate::vocabulary::vocabulary;

mod import;
mod query;

pub use import::{parse_holidays, RowError, COLUMNS};
pub use query::{DeadlineQuery, DeadlineRequest, DeadlineResponse};

/// The arrangements of 2024–2026, from the notices of 2023-10-25 (国办发明电〔2023〕7号),
/// 2024-11-12 (国办发明电〔2024〕12号) and 2025-11-04.
const BUILTIN: &str = include_str!("calendar/holidays.csv");

/// Longest period in days: ten years, beyond any period the portal computes.
pub const MAX_DAYS: u32 = 3650;
/// Longest period in working days: about four years.
pub const MAX_WORKING_DAYS: u32 = 1000;

vocabulary! {
    /// What the State Council's arrangement makes of a day.
    pub enum DayKind {
        /// A day off: a statutory holiday or a day off moved next to it (放假调休), whatever its
        /// weekday.
        Holiday => ("holiday", "节假日放假", "Public holiday (day off)"),
        /// A Saturday or Sunday made a working day (调休上班).
        Workday => ("workday", "调休上班", "Weekend made a working day"),
    }
}

/// One day of an arrangement. A make-up working day is always a Saturday or Sunday: making a
/// weekday a working day would say nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Entry {
    date: NaiveDate,
    kind: DayKind,
}

impl Entry {
    /// The entry, or why it cannot be one: a `workday` on a weekday.
    pub fn new(date: NaiveDate, kind: DayKind) -> Result<Entry, Invalid> {
        if kind == DayKind::Workday && !is_weekend(date) {
            return Err(Invalid::new(
                ErrorCode::InvalidValue,
                format!(
                    "{date}是{}，调休上班日只能是星期六或星期日",
                    weekday_zh(date)
                ),
                format!(
                    "{date} is a {}; a make-up working day must be a Saturday or Sunday",
                    weekday_en(date)
                ),
            ));
        }
        Ok(Entry { date, kind })
    }

    pub fn date(self) -> NaiveDate {
        self.date
    }

    pub fn kind(self) -> DayKind {
        self.kind
    }
}

/// A length of time the law counts: calendar days or working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// 1..=[`MAX_DAYS`] calendar days (Civil Procedure Law art. 85).
    Days(u32),
    /// 1..=[`MAX_WORKING_DAYS`] working days, e.g. the three working days within which a listing
    /// must be deleted.
    WorkingDays(u32),
}

impl Period {
    /// The query parameter that carries it.
    pub fn field(self) -> &'static str {
        match self {
            Period::Days(_) => "days",
            Period::WorkingDays(_) => "working_days",
        }
    }

    fn check(self) -> Result<u32, DeadlineError> {
        let (n, max) = match self {
            Period::Days(n) => (n, MAX_DAYS),
            Period::WorkingDays(n) => (n, MAX_WORKING_DAYS),
        };
        if (1..=max).contains(&n) {
            Ok(n)
        } else {
            Err(DeadlineError::OutOfRange(self))
        }
    }
}

/// Why a deadline cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineError {
    /// The period is zero or longer than its maximum.
    OutOfRange(Period),
    /// The computation reached a year whose arrangement the calendar does not have.
    NotCovered { year: i32 },
}

impl From<DeadlineError> for Invalid {
    fn from(e: DeadlineError) -> Invalid {
        match e {
            DeadlineError::OutOfRange(Period::Days(_)) => Invalid::new(
                ErrorCode::InvalidValue,
                format!("天数应为 1 到 {MAX_DAYS} 之间的整数"),
                format!("The number of days must be a whole number from 1 to {MAX_DAYS}"),
            ),
            DeadlineError::OutOfRange(Period::WorkingDays(_)) => Invalid::new(
                ErrorCode::InvalidValue,
                format!("工作日数应为 1 到 {MAX_WORKING_DAYS} 之间的整数"),
                format!(
                    "The number of working days must be a whole number from 1 to {MAX_WORKING_DAYS}"
                ),
            ),
            DeadlineError::NotCovered { year } => Invalid::new(
                ErrorCode::InvalidDate,
                format!("尚无{year}年的节假日安排，无法计算该期限"),
                format!(
                    "The public holiday arrangement for {year} is not available yet, so this deadline cannot be computed"
                ),
            ),
        }
    }
}

impl fmt::Display for DeadlineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Invalid::from(*self).fmt(f)
    }
}

impl std::error::Error for DeadlineError {}

/// An entry that says the opposite of what the calendar already says about its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict {
    pub date: NaiveDate,
    pub existing: DayKind,
    pub imported: DayKind,
}

impl From<Conflict> for Invalid {
    fn from(c: Conflict) -> Invalid {
        Invalid::new(
            ErrorCode::InvalidValue,
            format!(
                "{}已登记为“{}”，不能再登记为“{}”",
                c.date,
                c.existing.label(crate::Lang::Zh),
                c.imported.label(crate::Lang::Zh)
            ),
            format!(
                "{} is already a {}; it cannot also be a {}",
                c.date,
                c.existing.as_str(),
                c.imported.as_str()
            ),
        )
    }
}

/// The holidays and make-up working days of the years it covers.
///
/// A year is covered once any entry of it is known, so an arrangement is imported whole, one
/// year at a time; questions about other years are answered with [`DeadlineError::NotCovered`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, DayKind>,
    years: BTreeSet<i32>,
}

impl Calendar {
    /// The arrangements the portal ships with (2024–2026), parsed on first use.
    pub fn builtin() -> &'static Calendar {
        static BUILTIN_CALENDAR: OnceLock<Calendar> = OnceLock::new();
        BUILTIN_CALENDAR.get_or_init(|| {
            let entries = parse_holidays(BUILTIN)
                .unwrap_or_else(|errors| panic!("calendar/holidays.csv: {errors:?}"));
            Calendar::default()
                .with(entries)
                .unwrap_or_else(|conflicts| panic!("calendar/holidays.csv: {conflicts:?}"))
        })
    }

    /// This calendar with more entries, e.g. the years imported into the server's database.
    /// All or nothing: an entry that contradicts a known date (or an earlier entry) is an error,
    /// never an override, while an entry the calendar already has changes nothing, so importing a
    /// file twice is harmless.
    pub fn with(
        &self,
        entries: impl IntoIterator<Item = Entry>,
    ) -> Result<Calendar, Vec<Conflict>> {
        let mut calendar = self.clone();
        let mut conflicts = Vec::new();
        for Entry { date, kind } in entries {
            match calendar.days.get(&date) {
                Some(&existing) if existing != kind => conflicts.push(Conflict {
                    date,
                    existing,
                    imported: kind,
                }),
                Some(_) => {}
                None => {
                    calendar.days.insert(date, kind);
                    calendar.years.insert(date.year());
                }
            }
        }
        if conflicts.is_empty() {
            Ok(calendar)
        } else {
            Err(conflicts)
        }
    }

    /// Every entry, by date.
    pub fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.days.iter().map(|(&date, &kind)| Entry { date, kind })
    }

    /// The years whose arrangement the calendar has, in order.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// Monday to Friday unless a holiday; Saturday and Sunday only when made a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, DeadlineError> {
        if !self.covers(date.year()) {
            return Err(DeadlineError::NotCovered { year: date.year() });
        }
        Ok(match self.days.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !is_weekend(date),
        })
    }

    /// The last day of a period of `days` days starting on `from` (Civil Procedure Law art. 85,
    /// art. 82 before 2023): the day it starts is not counted, and a last day that is a rest day
    /// moves to the first working day after it.
    pub fn period_end(&self, from: NaiveDate, days: u32) -> Result<NaiveDate, DeadlineError> {
        let days = Period::Days(days).check()?;
        let mut end = from
            .checked_add_days(Days::new(days.into()))
            .ok_or(DeadlineError::NotCovered { year: from.year() })?;
        while !self.is_working_day(end)? {
            end = next_day(end)?;
        }
        Ok(end)
    }

    /// The `n`-th working day after `from` (`from` itself is not counted).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> Result<NaiveDate, DeadlineError> {
        let mut left = Period::WorkingDays(n).check()?;
        let mut day = from;
        while left > 0 {
            day = next_day(day)?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// The due date of `period` from `from`.
    pub fn due(&self, from: NaiveDate, period: Period) -> Result<NaiveDate, DeadlineError> {
        match period {
            Period::Days(n) => self.period_end(from, n),
            Period::WorkingDays(n) => self.add_working_days(from, n),
        }
    }
}

/// The day after `date`; past chrono's last date no calendar covers anything.
fn next_day(date: NaiveDate) -> Result<NaiveDate, DeadlineError> {
    date.succ_opt()
        .ok_or(DeadlineError::NotCovered { year: date.year() })
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn weekday_zh(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

fn weekday_en(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests;
