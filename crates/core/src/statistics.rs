//! Court performance statistics (DESIGN §7.7): the monthly figures courts import, the six
//! indicators computed from them with their definitions, and the one rule of aggregation: a rate
//! over several months or courts is the sum of its numerators over the sum of its denominators,
//! never an average of rates. The exception is 结案率's opening caseload (旧存): over a period
//! it is each court's first month's, since later months' opening caseloads are cases already
//! counted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    error::{ErrorCode, FieldError, Invalid, Lang},
    text::fold_width,
    vocabulary::vocabulary,
};

/// The import file's columns, in order (DESIGN §7.7).
pub const COLUMNS: [&str; 11] = [
    "court",
    "month",
    "pending_start",
    "received",
    "closed",
    "closed_actual",
    "closed_terminated",
    "voluntary",
    "amount_applied",
    "amount_recovered",
    "days_total",
];

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: u16,
    pub month: u8,
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Month {
    /// Parses `YYYY-MM` (full-width digits folded); years 2000–2099.
    pub fn parse(input: &str) -> Result<Month, Invalid> {
        let s: String = input.trim().chars().map(fold_width).collect();
        if s.is_empty() {
            return Err(Invalid::missing());
        }
        let bad = || {
            Invalid::new(
                ErrorCode::InvalidValue,
                "月份格式应为 YYYY-MM，如 2026-10",
                "A month is written YYYY-MM, such as 2026-10",
            )
        };
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let (year, month): (u16, u8) =
            (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if !(2000..=2099).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    /// The month of a date.
    pub fn of(date: chrono::NaiveDate) -> Month {
        use chrono::Datelike;
        Month {
            year: date.year() as u16,
            month: date.month() as u8,
        }
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
}

/// One court's figures for one month. Amounts are in fen (0.01 yuan).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// 旧存: cases pending at the start of the month.
    pub pending_start: u64,
    /// 新收: cases received in the month.
    pub received: u64,
    /// Cases closed in the month.
    pub closed: u64,
    /// Closed by enforcement, voluntary performance or settlement (实际执行).
    pub closed_actual: u64,
    /// Closed by termination of this round of enforcement (终本).
    pub closed_terminated: u64,
    /// Closed by the debtor's voluntary performance (自动履行), part of `closed_actual`.
    pub voluntary: u64,
    /// Amount applied for in the cases closed with actual enforcement, in fen.
    pub amount_applied: u64,
    /// Amount recovered in those cases, in fen.
    pub amount_recovered: u64,
    /// Days from filing to closure, summed over the cases closed.
    pub days_total: u64,
}

/// A valid import row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatRow {
    pub court: String,
    pub month: Month,
    pub figures: Figures,
}

/// Largest count or amount accepted in one cell (10^15): beyond any court's figures, and sums of
/// any number of rows stay far inside `u64`.
const MAX_CELL: u64 = 1_000_000_000_000_000;

/// A cell's text, folded to half width; missing or negative is refused with `negative`'s words.
fn cell_text(input: &str, negative: (&str, &str)) -> Result<String, Invalid> {
    let s: String = input.trim().chars().map(fold_width).collect();
    if s.is_empty() {
        return Err(Invalid::missing());
    }
    if s.starts_with('-') {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            negative.0,
            negative.1,
        ));
    }
    Ok(s)
}

fn parse_count(input: &str) -> Result<u64, Invalid> {
    let s = cell_text(input, ("不能为负数", "Cannot be negative"))?;
    match s.parse::<u64>() {
        Ok(n) if s.bytes().all(|b| b.is_ascii_digit()) && n <= MAX_CELL => Ok(n),
        _ => Err(Invalid::new(
            ErrorCode::InvalidValue,
            "应为不带小数的非负整数",
            "Must be a whole number, 0 or more",
        )),
    }
}

/// Yuan with at most two decimals (`12500`, `12500.5`, `12500.50`) to fen; 0 is allowed.
fn parse_yuan(input: &str) -> Result<u64, Invalid> {
    let s = cell_text(input, ("金额不能为负数", "An amount cannot be negative"))?;
    let bad = || {
        Invalid::new(
            ErrorCode::InvalidValue,
            "金额应为元，最多两位小数",
            "An amount is in yuan, with at most two decimals",
        )
    };
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
        || (s.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let yuan: u64 = whole.parse().map_err(|_| bad())?;
    let fen: u64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let total = yuan
        .checked_mul(100)
        .and_then(|y| y.checked_add(fen))
        .ok_or_else(bad)?;
    if total > MAX_CELL {
        return Err(bad());
    }
    Ok(total)
}

fn above(zh: &str, en: &str) -> Invalid {
    Invalid::new(ErrorCode::InvalidValue, zh, en)
}

/// Validates one import row (`value(column)` gives each cell); `latest` is the last month that
/// may have figures (the current one). Every problem is reported, each at its column.
pub fn parse_row(
    value: impl Fn(&str) -> String,
    latest: Month,
) -> Result<StatRow, Vec<FieldError>> {
    let mut errors = Vec::new();
    let court = value("court").trim().to_owned();
    if court.is_empty() {
        errors.push(Invalid::missing().at("court"));
    } else if court.chars().count() > 60 {
        errors.push(above("法院名称过长", "The court's name is too long").at("court"));
    }
    let month = match Month::parse(&value("month")) {
        Ok(m) if m > latest => {
            errors.push(
                above(
                    "月份不能晚于本月",
                    "The month cannot be later than this month",
                )
                .at("month"),
            );
            None
        }
        Ok(m) => Some(m),
        Err(e) => {
            errors.push(e.at("month"));
            None
        }
    };
    let mut cell = |column: &str, parse: fn(&str) -> Result<u64, Invalid>| {
        parse(&value(column))
            .map_err(|e| errors.push(e.at(column)))
            .unwrap_or(0)
    };
    let f = Figures {
        pending_start: cell("pending_start", parse_count),
        received: cell("received", parse_count),
        closed: cell("closed", parse_count),
        closed_actual: cell("closed_actual", parse_count),
        closed_terminated: cell("closed_terminated", parse_count),
        voluntary: cell("voluntary", parse_count),
        amount_applied: cell("amount_applied", parse_yuan),
        amount_recovered: cell("amount_recovered", parse_yuan),
        days_total: cell("days_total", parse_count),
    };
    if errors.is_empty() {
        // Numerators above their denominators cannot be right.
        if f.closed > f.pending_start + f.received {
            errors.push(
                above(
                    "结案数不能大于旧存与新收之和",
                    "Cases closed cannot exceed cases pending plus received",
                )
                .at("closed"),
            );
        }
        if f.closed_actual + f.closed_terminated > f.closed {
            errors.push(
                above(
                    "实际执行结案与终本结案之和不能大于结案数",
                    "Closures by actual enforcement and by termination cannot exceed all closures",
                )
                .at("closed_actual"),
            );
        }
        if f.voluntary > f.closed_actual {
            errors.push(
                above(
                    "自动履行结案不能多于实际执行结案",
                    "Voluntary performance closures cannot exceed actual enforcement closures",
                )
                .at("voluntary"),
            );
        }
        if f.amount_recovered > f.amount_applied {
            errors.push(
                above(
                    "执行到位金额不能大于申请执行金额",
                    "The amount recovered cannot exceed the amount applied for",
                )
                .at("amount_recovered"),
            );
        }
        if f.closed == 0 && f.days_total > 0 {
            errors.push(
                above(
                    "没有结案时结案天数应为 0",
                    "With no cases closed, the days total must be 0",
                )
                .at("days_total"),
            );
        }
    }
    match (errors.is_empty(), month) {
        (true, Some(month)) => Ok(StatRow {
            court,
            month,
            figures: f,
        }),
        _ => Err(errors),
    }
}

vocabulary! {
    /// The published indicators.
    pub enum Indicator {
        ClosureRate => ("closure_rate", "结案率", "Closure rate"),
        ActualEnforcementRate => ("actual_enforcement_rate", "实际执行率", "Actual enforcement rate"),
        RecoveryRate => ("recovery_rate", "执行到位率", "Recovery rate"),
        VoluntaryRate => ("voluntary_rate", "自动履行率", "Voluntary performance rate"),
        TerminationRate => ("termination_rate", "终本率", "Termination rate"),
        AverageDays => ("average_days", "平均结案天数", "Average days to close"),
    }
}

/// What a numerator or denominator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Cases,
    /// Yuan (the API gives amounts in yuan; stored in fen).
    Yuan,
    Days,
}

impl Indicator {
    /// A ratio (shown as a percentage) or a number of days.
    pub fn is_rate(self) -> bool {
        self != Indicator::AverageDays
    }

    /// The definition, in words, with its formula.
    pub fn definition(self, lang: Lang) -> &'static str {
        use Indicator::*;
        match (self, lang) {
            (ClosureRate, Lang::Zh) => "结案率 = 结案数 ÷（期初旧存 + 新收）。多个月份合计时，旧存取各法院所选期间第一个月的旧存。",
            (ClosureRate, Lang::En) => "Closure rate = cases closed ÷ (cases pending at the start + cases received). Over several months, the pending cases are each court's at the start of the first month chosen.",
            (ActualEnforcementRate, Lang::Zh) => "实际执行率 = 实际执行结案数（强制执行、自动履行、和解）÷ 结案数。",
            (ActualEnforcementRate, Lang::En) => "Actual enforcement rate = cases closed by enforcement, voluntary performance or settlement ÷ cases closed.",
            (RecoveryRate, Lang::Zh) => "执行到位率 = 执行到位金额 ÷ 申请执行金额（均为实际执行结案案件的金额）。",
            (RecoveryRate, Lang::En) => "Recovery rate = amount recovered ÷ amount applied for, both over the cases closed by actual enforcement.",
            (VoluntaryRate, Lang::Zh) => "自动履行率 = 被执行人自动履行结案数 ÷ 结案数。",
            (VoluntaryRate, Lang::En) => "Voluntary performance rate = cases closed by the debtor's voluntary performance ÷ cases closed.",
            (TerminationRate, Lang::Zh) => "终本率 = 终结本次执行程序结案数 ÷ 结案数。终本不是结束：发现财产后可以恢复执行。",
            (TerminationRate, Lang::En) => "Termination rate = cases closed by terminating this round of enforcement ÷ cases closed. Such cases resume when assets are found.",
            (AverageDays, Lang::Zh) => "平均结案天数 = 结案案件从立案到结案的天数之和 ÷ 结案数。",
            (AverageDays, Lang::En) => "Average days to close = days from filing to closure summed over the cases closed ÷ cases closed.",
        }
    }

    /// What the numerator and the denominator count, and their unit.
    pub fn parts(self, lang: Lang) -> ((&'static str, Unit), (&'static str, Unit)) {
        use Indicator::*;
        let zh = lang == Lang::Zh;
        let closed = (if zh { "结案数" } else { "Cases closed" }, Unit::Cases);
        match self {
            ClosureRate => (
                closed,
                (
                    if zh {
                        "旧存 + 新收"
                    } else {
                        "Pending + received"
                    },
                    Unit::Cases,
                ),
            ),
            ActualEnforcementRate => (
                (
                    if zh {
                        "实际执行结案数"
                    } else {
                        "Closed by actual enforcement"
                    },
                    Unit::Cases,
                ),
                closed,
            ),
            RecoveryRate => (
                (
                    if zh {
                        "执行到位金额"
                    } else {
                        "Amount recovered"
                    },
                    Unit::Yuan,
                ),
                (
                    if zh {
                        "申请执行金额"
                    } else {
                        "Amount applied for"
                    },
                    Unit::Yuan,
                ),
            ),
            VoluntaryRate => (
                (
                    if zh {
                        "自动履行结案数"
                    } else {
                        "Closed by voluntary performance"
                    },
                    Unit::Cases,
                ),
                closed,
            ),
            TerminationRate => (
                (
                    if zh {
                        "终本结案数"
                    } else {
                        "Closed by termination"
                    },
                    Unit::Cases,
                ),
                closed,
            ),
            AverageDays => (
                (
                    if zh {
                        "结案天数之和"
                    } else {
                        "Days to close, summed"
                    },
                    Unit::Days,
                ),
                closed,
            ),
        }
    }
}

/// An indicator's numerator and denominator (amounts in fen), summed over some rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    /// The value; `None` when there is nothing to divide by.
    pub fn value(self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }
}

/// Every indicator over `rows` (any months, any courts): sums of numerators over sums of
/// denominators, 结案率's pending cases taken from each court's first month among the rows.
pub fn aggregate(rows: &[StatRow]) -> BTreeMap<Indicator, Ratio> {
    let mut first: BTreeMap<&str, (Month, u64)> = BTreeMap::new();
    let mut sum = Figures::default();
    for r in rows {
        let f = &r.figures;
        let entry = first
            .entry(r.court.as_str())
            .or_insert((r.month, f.pending_start));
        if r.month < entry.0 {
            *entry = (r.month, f.pending_start);
        }
        sum.received += f.received;
        sum.closed += f.closed;
        sum.closed_actual += f.closed_actual;
        sum.closed_terminated += f.closed_terminated;
        sum.voluntary += f.voluntary;
        sum.amount_applied += f.amount_applied;
        sum.amount_recovered += f.amount_recovered;
        sum.days_total += f.days_total;
    }
    let pending: u64 = first.values().map(|(_, p)| p).sum();
    let ratio = |numerator, denominator| Ratio {
        numerator,
        denominator,
    };
    Indicator::ALL
        .iter()
        .map(|&i| {
            let r = match i {
                Indicator::ClosureRate => ratio(sum.closed, pending + sum.received),
                Indicator::ActualEnforcementRate => ratio(sum.closed_actual, sum.closed),
                Indicator::RecoveryRate => ratio(sum.amount_recovered, sum.amount_applied),
                Indicator::VoluntaryRate => ratio(sum.voluntary, sum.closed),
                Indicator::TerminationRate => ratio(sum.closed_terminated, sum.closed),
                Indicator::AverageDays => ratio(sum.days_total, sum.closed),
            };
            (i, r)
        })
        .collect()
}

/// `GET /api/v1/statistics` and `/statistics.csv` filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatisticsQuery {
    pub province: Option<String>,
    pub court: Option<String>,
    /// `YYYY-MM`, inclusive.
    pub from: Option<String>,
    /// `YYYY-MM`, inclusive.
    pub to: Option<String>,
}

/// A valid query: the period's bounds parsed, and in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidQuery {
    pub province: Option<String>,
    pub court: Option<String>,
    pub from: Option<Month>,
    pub to: Option<Month>,
}

impl StatisticsQuery {
    pub fn validate(&self) -> Result<ValidQuery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut month = |field: &str, v: &Option<String>| match v.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Month::parse(s).map_err(|e| errors.push(e.at(field))).ok(),
        };
        let (from, to) = (month("from", &self.from), month("to", &self.to));
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                errors.push(
                    above(
                        "开始月份不能晚于结束月份",
                        "The first month cannot be after the last",
                    )
                    .at("from"),
                );
            }
        }
        let text = crate::text::given;
        if errors.is_empty() {
            Ok(ValidQuery {
                province: text(&self.province),
                court: text(&self.court),
                from,
                to,
            })
        } else {
            Err(errors)
        }
    }
}

/// One indicator as the API gives it. Numerators and denominators are in their unit (yuan for
/// amounts, with fen as decimals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorValue {
    pub key: Indicator,
    /// A fraction for rates (0.8123), days for `average_days`; `null` with nothing to divide by.
    pub value: Option<f64>,
    pub numerator: f64,
    pub denominator: f64,
}

impl IndicatorValue {
    pub fn of(key: Indicator, r: Ratio) -> IndicatorValue {
        let unit = |u: Unit, v: u64| match u {
            Unit::Yuan => v as f64 / 100.0,
            _ => v as f64,
        };
        let ((_, nu), (_, du)) = key.parts(Lang::Zh);
        IndicatorValue {
            key,
            value: r.value(),
            numerator: unit(nu, r.numerator),
            denominator: unit(du, r.denominator),
        }
    }

    /// The value as people read it: `81.2%`, `96.4 天` / `96.4 days`, or `—`.
    pub fn shown(&self, lang: Lang) -> String {
        match self.value {
            None => "—".to_owned(),
            Some(v) if self.key.is_rate() => format!("{:.1}%", v * 100.0),
            Some(v) => match lang {
                Lang::Zh => format!("{v:.1} 天"),
                Lang::En => format!("{v:.1} days"),
            },
        }
    }
}

/// An indicator with its words, for the headline figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSummary {
    #[serde(flatten)]
    pub figure: IndicatorValue,
    pub name: String,
    pub definition: String,
    pub numerator_label: String,
    pub denominator_label: String,
    pub unit: Unit,
}

/// The figures of one month, or of one court, over the filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// `YYYY-MM` for the monthly series, the court's name for the by-court figures.
    pub label: String,
    pub indicators: Vec<IndicatorValue>,
}

/// `GET /api/v1/statistics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// The first and last month with figures under the filters (`null` when none).
    pub from: Option<String>,
    pub to: Option<String>,
    /// When the figures shown were last imported (RFC 3339).
    pub data_as_of: Option<String>,
    pub indicators: Vec<IndicatorSummary>,
    /// Month by month, oldest first.
    pub series: Vec<Breakdown>,
    /// Court by court, by name.
    pub courts: Vec<Breakdown>,
    /// Courts and provinces with figures, for the filters.
    pub court_choices: Vec<CourtChoice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourtChoice {
    pub court: String,
    pub province: String,
}

/// The whole answer over `rows` (already filtered), with words in `lang`.
pub fn statistics(
    rows: &[StatRow],
    data_as_of: Option<String>,
    court_choices: Vec<CourtChoice>,
    lang: Lang,
) -> Statistics {
    let values = |rows: &[StatRow]| {
        aggregate(rows)
            .into_iter()
            .map(|(k, r)| IndicatorValue::of(k, r))
            .collect::<Vec<_>>()
    };
    let group = |key: &dyn Fn(&StatRow) -> String| {
        let mut groups: BTreeMap<String, Vec<StatRow>> = BTreeMap::new();
        for r in rows {
            groups.entry(key(r)).or_default().push(r.clone());
        }
        groups
            .into_iter()
            .map(|(label, rows)| Breakdown {
                label,
                indicators: values(&rows),
            })
            .collect::<Vec<_>>()
    };
    let indicators = values(rows)
        .into_iter()
        .map(|figure| {
            let ((n, unit), (d, _)) = figure.key.parts(lang);
            IndicatorSummary {
                name: figure.key.label(lang).to_owned(),
                definition: figure.key.definition(lang).to_owned(),
                numerator_label: n.to_owned(),
                denominator_label: d.to_owned(),
                unit: if figure.key.is_rate() {
                    unit
                } else {
                    Unit::Days
                },
                figure,
            }
        })
        .collect();
    Statistics {
        from: rows.iter().map(|r| r.month).min().map(|m| m.to_string()),
        to: rows.iter().map(|r| r.month).max().map(|m| m.to_string()),
        data_as_of,
        indicators,
        series: group(&|r| r.month.to_string()),
        courts: group(&|r| r.court.clone()),
        court_choices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn latest() -> Month {
        Month {
            year: 2026,
            month: 11,
        }
    }

    fn row(cells: &[(&str, &str)]) -> Result<StatRow, Vec<FieldError>> {
        let base = [
            ("court", "宁波市象山县人民法院"),
            ("month", "2026-10"),
            ("pending_start", "120"),
            ("received", "80"),
            ("closed", "90"),
            ("closed_actual", "50"),
            ("closed_terminated", "30"),
            ("voluntary", "20"),
            ("amount_applied", "1000000"),
            ("amount_recovered", "420000.50"),
            ("days_total", "8100"),
        ];
        let get = |c: &str| {
            cells
                .iter()
                .chain(base.iter())
                .find(|(k, _)| *k == c)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        };
        parse_row(get, latest())
    }

    fn fields(r: Result<StatRow, Vec<FieldError>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_row_is_read_with_amounts_in_fen() {
        let r = row(&[]).unwrap();
        assert_eq!(r.month.to_string(), "2026-10");
        assert_eq!(r.figures.amount_recovered, 42_000_050);
        assert_eq!(r.figures.amount_applied, 100_000_000);
    }

    #[test]
    fn bad_rows_are_refused_at_their_column() {
        assert_eq!(fields(row(&[("received", "-3")])), ["received"]);
        assert_eq!(fields(row(&[("closed", "1.5")])), ["closed"]);
        assert_eq!(fields(row(&[("month", "2026-13")])), ["month"]);
        assert_eq!(fields(row(&[("month", "2026-12")])), ["month"]);
        assert_eq!(fields(row(&[("month", "26-10")])), ["month"]);
        assert_eq!(fields(row(&[("court", " ")])), ["court"]);
        assert_eq!(
            fields(row(&[("amount_applied", "12.345")])),
            ["amount_applied"]
        );
        // Numerators above denominators.
        assert_eq!(fields(row(&[("closed", "201")])), ["closed"]);
        assert_eq!(
            fields(row(&[("closed_terminated", "41")])),
            ["closed_actual"]
        );
        assert_eq!(fields(row(&[("voluntary", "51")])), ["voluntary"]);
        assert_eq!(
            fields(row(&[("amount_recovered", "1000000.01")])),
            ["amount_recovered"]
        );
        // Several problems at once, each reported.
        assert_eq!(
            fields(row(&[("received", "x"), ("month", "")])),
            ["month", "received"]
        );
    }

    #[test]
    fn closure_rate_takes_each_courts_first_pending_cases() {
        let mut a = row(&[]).unwrap();
        let mut b = row(&[("month", "2026-09"), ("pending_start", "100")]).unwrap();
        a.figures.pending_start = 130; // later month: already counted cases
        b.figures.received = 110;
        let t = aggregate(&[a.clone(), b.clone()]);
        let closure = t[&Indicator::ClosureRate];
        assert_eq!(closure.denominator, 100 + 80 + 110);
        assert_eq!(closure.numerator, 180);
    }

    fn arb_row() -> impl Strategy<Value = StatRow> {
        (
            0usize..3,
            1u8..=12,
            0u64..500,
            0u64..500,
            0u64..1000,
            0u64..100,
            0u64..10_000_000,
            0u64..100,
        )
            .prop_map(|(court, month, pending, received, c, pa, applied, pr)| {
                let closed = c.min(pending + received);
                let actual = closed * pa / 100;
                let terminated = (closed - actual) / 2;
                StatRow {
                    court: ["甲法院", "乙法院", "丙法院"][court].to_owned(),
                    month: Month { year: 2025, month },
                    figures: Figures {
                        pending_start: pending,
                        received,
                        closed,
                        closed_actual: actual,
                        closed_terminated: terminated,
                        voluntary: actual / 3,
                        amount_applied: applied,
                        amount_recovered: applied * pr / 100,
                        days_total: closed * 97,
                    },
                }
            })
    }

    proptest! {
        #[test]
        fn a_rate_over_a_period_is_summed_numerators_over_summed_denominators(rows in proptest::collection::vec(arb_row(), 1..30)) {
            let t = aggregate(&rows);
            let sum = |f: fn(&Figures) -> u64| rows.iter().map(|r| f(&r.figures)).sum::<u64>();
            let closed = sum(|f| f.closed);
            prop_assert_eq!(t[&Indicator::ActualEnforcementRate], Ratio { numerator: sum(|f| f.closed_actual), denominator: closed });
            prop_assert_eq!(t[&Indicator::RecoveryRate], Ratio { numerator: sum(|f| f.amount_recovered), denominator: sum(|f| f.amount_applied) });
            prop_assert_eq!(t[&Indicator::VoluntaryRate], Ratio { numerator: sum(|f| f.voluntary), denominator: closed });
            prop_assert_eq!(t[&Indicator::TerminationRate], Ratio { numerator: sum(|f| f.closed_terminated), denominator: closed });
            prop_assert_eq!(t[&Indicator::AverageDays], Ratio { numerator: sum(|f| f.days_total), denominator: closed });
            // Splitting the rows anywhere and adding the parts' numerators and denominators gives
            // the whole: the figures compose (averaging the parts' rates would not).
            let mid = rows.len() / 2;
            let (a, b) = (aggregate(&rows[..mid]), aggregate(&rows[mid..]));
            for i in [Indicator::ActualEnforcementRate, Indicator::RecoveryRate, Indicator::AverageDays] {
                prop_assert_eq!(a[&i].numerator + b[&i].numerator, t[&i].numerator);
                prop_assert_eq!(a[&i].denominator + b[&i].denominator, t[&i].denominator);
            }
            // Every other rate is within [0, 1] (结案率 only for months that follow each other,
            // which these random rows do not).
            for (i, r) in &t {
                if i.is_rate() && *i != Indicator::ClosureRate {
                    prop_assert!(r.value().is_none_or(|v| (0.0..=1.0).contains(&v)), "{:?} {:?}", i, r);
                }
            }
        }
    }
}
