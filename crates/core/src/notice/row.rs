//! One row of a notice import file (DESIGN §7.2): the columns, the row as text, its validation
//! into a [`Notice`] — every bad column reported, in column order — and the way back. A person's
//! raw ID number never reaches a log through `Debug`.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::lists::{format_lists, parse_lists};
use super::subject::{parse_subject_id, SubjectId};
use super::vocabulary::{
    allowed, invalid_choice, quote, Behaviour, ListKind, NoticeStatus, Performance, SubjectType,
};
use crate::case_number::CaseNumber;
use crate::error::{ErrorCode, FieldError, Invalid, Lang};
use crate::name::PersonName;
use crate::text::fold_width;
use crate::time::ymd;

/// The import columns, in file order (DESIGN §7.2).
pub const COLUMNS: [&str; 15] = [
    "case_number",
    "court",
    "subject_type",
    "name",
    "id_number",
    "legal_representative",
    "basis_number",
    "basis_issuer",
    "filed_on",
    "obligation",
    "performance",
    "behaviour",
    "lists",
    "published_on",
    "status",
];

/// Longest court name, basis number, basis issuer and legal representative, in characters.
pub const MAX_SHORT_TEXT: usize = 100;
/// Longest obligation text, in characters.
pub const MAX_OBLIGATION: usize = 2000;

/// One row of a notice import file, as text, before validation. Missing columns deserialise as
/// empty strings.
///
/// `Debug` masks a person's ID number.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticeRow {
    pub case_number: String,
    pub court: String,
    pub subject_type: String,
    pub name: String,
    pub id_number: String,
    pub legal_representative: String,
    pub basis_number: String,
    pub basis_issuer: String,
    pub filed_on: String,
    pub obligation: String,
    pub performance: String,
    pub behaviour: String,
    pub lists: String,
    pub published_on: String,
    pub status: String,
}

/// A validated notice: one subject in one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub case_number: CaseNumber,
    pub court: String,
    pub subject_type: SubjectType,
    pub name: PersonName,
    pub subject_id: SubjectId,
    /// Organisations only.
    pub legal_representative: Option<String>,
    pub basis_number: String,
    pub basis_issuer: String,
    pub filed_on: NaiveDate,
    pub obligation: String,
    pub performance: Performance,
    /// Present exactly when `lists` contains [`ListKind::Dishonest`].
    pub behaviour: Option<Behaviour>,
    /// Sorted, deduplicated, non-empty.
    pub lists: Vec<ListKind>,
    /// A date in the future is a grace period: the notice is not shown before it.
    pub published_on: NaiveDate,
    pub status: NoticeStatus,
}

/// Parses a `YYYY-MM-DD` date between 1900 and 2100 that exists in the calendar. Full-width digits
/// are folded.
pub fn parse_date(s: &str) -> Result<NaiveDate, Invalid> {
    let s: String = s.trim().chars().map(fold_width).collect();
    if s.is_empty() {
        return Err(Invalid::missing());
    }
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return Err(Invalid::new(
            ErrorCode::InvalidDate,
            format!(
                "日期“{}”格式不正确，应为 YYYY-MM-DD（如 2024-03-15）",
                quote(&s)
            ),
            format!(
                "\"{}\" is not a date in the form YYYY-MM-DD (such as 2024-03-15)",
                quote(&s)
            ),
        ));
    }
    let date = NaiveDate::from_ymd_opt(
        s[..4].parse().unwrap_or(0),
        s[5..7].parse().unwrap_or(0),
        s[8..].parse().unwrap_or(0),
    )
    .ok_or_else(|| {
        Invalid::new(
            ErrorCode::InvalidDate,
            format!("日期“{s}”不存在，请核对"),
            format!("The date {s} does not exist; please check it"),
        )
    })?;
    if !(1900..=2100).contains(&date.year()) {
        return Err(Invalid::new(
            ErrorCode::InvalidDate,
            format!("日期“{s}”的年份应在1900年至2100年之间"),
            format!("The year of {s} must be between 1900 and 2100"),
        ));
    }
    Ok(date)
}

fn too_long(max: usize, count: usize) -> Invalid {
    Invalid::new(
        ErrorCode::TooLong,
        format!("此项最多{max}个字，当前为{count}个字"),
        format!("At most {max} characters are allowed; this has {count}"),
    )
}

/// Collects the errors of one row while its columns are checked.
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn record<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        result.map_err(|e| self.errors.push(e.at(field))).ok()
    }

    /// A required single-line or multi-line text of at most `max` characters, trimmed.
    fn text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let value = value.trim();
        let count = value.chars().count();
        let result = if value.is_empty() {
            Err(Invalid::missing())
        } else if count > max {
            Err(too_long(max, count))
        } else {
            Ok(value.to_owned())
        };
        self.record(field, result)
    }

    fn choice<T: Copy>(
        &mut self,
        field: &str,
        value: &str,
        what: (&str, &str),
        all: &[T],
        as_str: fn(T) -> &'static str,
        label: fn(T, Lang) -> &'static str,
    ) -> Option<T> {
        let result = if value.trim().is_empty() {
            let (zh, en) = allowed(all, as_str, label);
            Err(Invalid::new(
                ErrorCode::MissingField,
                format!("此项为必填项，可选值为：{zh}"),
                format!("This field is required; allowed values: {en}"),
            ))
        } else {
            all.iter()
                .copied()
                .find(|v| as_str(*v).eq_ignore_ascii_case(value.trim()))
                .ok_or_else(|| invalid_choice(value, what.0, what.1, all, as_str, label))
        };
        self.record(field, result)
    }
}

impl NoticeRow {
    /// The import columns, in file order; see [`COLUMNS`].
    pub const COLUMNS: [&'static str; 15] = COLUMNS;

    /// The values in [`COLUMNS`] order, e.g. to write a CSV line.
    pub fn values(&self) -> [&str; 15] {
        [
            &self.case_number,
            &self.court,
            &self.subject_type,
            &self.name,
            &self.id_number,
            &self.legal_representative,
            &self.basis_number,
            &self.basis_issuer,
            &self.filed_on,
            &self.obligation,
            &self.performance,
            &self.behaviour,
            &self.lists,
            &self.published_on,
            &self.status,
        ]
    }

    /// The value of the named column, e.g. to fill a row from a CSV header in any order; `None`
    /// for an unknown column name.
    pub fn field_mut(&mut self, column: &str) -> Option<&mut String> {
        Some(match column {
            "case_number" => &mut self.case_number,
            "court" => &mut self.court,
            "subject_type" => &mut self.subject_type,
            "name" => &mut self.name,
            "id_number" => &mut self.id_number,
            "legal_representative" => &mut self.legal_representative,
            "basis_number" => &mut self.basis_number,
            "basis_issuer" => &mut self.basis_issuer,
            "filed_on" => &mut self.filed_on,
            "obligation" => &mut self.obligation,
            "performance" => &mut self.performance,
            "behaviour" => &mut self.behaviour,
            "lists" => &mut self.lists,
            "published_on" => &mut self.published_on,
            "status" => &mut self.status,
            _ => return None,
        })
    }

    /// Validates the row, reporting every bad column (each error's `field` is the column name, in
    /// column order), or returns the notice.
    pub fn validate(&self) -> Result<Notice, Vec<FieldError>> {
        let mut c = Checker { errors: Vec::new() };

        let case_number = c.record("case_number", CaseNumber::parse(&self.case_number));
        let court = c.text("court", &self.court, MAX_SHORT_TEXT);
        let subject_type = c.choice(
            "subject_type",
            &self.subject_type,
            ("主体类型", "subject type"),
            SubjectType::ALL,
            SubjectType::as_str,
            SubjectType::label,
        );
        let name = c.record("name", PersonName::parse(&self.name));
        let subject_id = match subject_type {
            Some(t) => c.record("id_number", parse_subject_id(t, &self.id_number)),
            None if self.id_number.trim().is_empty() => {
                c.record("id_number", Err(Invalid::missing()))
            }
            // Which identifier it should be depends on the subject type, reported above.
            None => None,
        };
        let legal_representative = match subject_type {
            Some(SubjectType::Organization) if self.legal_representative.trim().is_empty() => c
                .record(
                    "legal_representative",
                    Err(Invalid::new(
                        ErrorCode::MissingField,
                        "法人或非法人组织须填写法定代表人或主要负责人",
                        "An organisation needs its legal representative or principal officer",
                    )),
                ),
            Some(SubjectType::Organization) => c.record(
                "legal_representative",
                PersonName::parse(&self.legal_representative).map(|n| Some(n.display().to_owned())),
            ),
            Some(SubjectType::Person) if !self.legal_representative.trim().is_empty() => c.record(
                "legal_representative",
                Err(Invalid::new(
                    ErrorCode::InvalidValue,
                    "自然人没有法定代表人，此项应留空",
                    "A natural person has no legal representative; leave this empty",
                )),
            ),
            _ => Some(None),
        };
        let basis_number = c.text("basis_number", &self.basis_number, MAX_SHORT_TEXT);
        let basis_issuer = c.text("basis_issuer", &self.basis_issuer, MAX_SHORT_TEXT);
        let filed_on = c.record("filed_on", parse_date(&self.filed_on));
        let obligation = c.text("obligation", &self.obligation, MAX_OBLIGATION);
        let performance = c.choice(
            "performance",
            &self.performance,
            ("履行情况", "performance"),
            Performance::ALL,
            Performance::as_str,
            Performance::label,
        );
        let behaviour = if self.behaviour.trim().is_empty() {
            Some(None)
        } else {
            c.choice(
                "behaviour",
                &self.behaviour,
                ("失信情形", "behaviour"),
                Behaviour::ALL,
                Behaviour::as_str,
                Behaviour::label,
            )
            .map(Some)
        };
        let lists = c.record("lists", parse_lists(&self.lists));
        match (&lists, behaviour) {
            (Some(lists), Some(None)) if lists.contains(&ListKind::Dishonest) => {
                let (zh, en) = allowed(Behaviour::ALL, Behaviour::as_str, Behaviour::label);
                c.errors.push(
                    Invalid::new(
                        ErrorCode::MissingField,
                        format!("列入失信被执行人名单的须填写失信情形，可选值为：{zh}"),
                        format!("A row on the dishonest list needs the dishonest behaviour; allowed values: {en}"),
                    )
                    .at("behaviour"),
                );
            }
            (Some(lists), Some(Some(_))) if !lists.contains(&ListKind::Dishonest) => {
                c.errors.push(
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        "未列入失信被执行人名单（lists 不含 dishonest）的，失信情形应留空",
                        "The behaviour must be empty unless the row is on the dishonest list (lists contains dishonest)",
                    )
                    .at("behaviour"),
                );
            }
            _ => {}
        }
        let published_on = c.record("published_on", parse_date(&self.published_on));
        let status = c.choice(
            "status",
            &self.status,
            ("状态", "status"),
            NoticeStatus::ALL,
            NoticeStatus::as_str,
            NoticeStatus::label,
        );

        let mut errors = c.errors;
        if !errors.is_empty() {
            errors.sort_by_key(|e| COLUMNS.iter().position(|c| *c == e.field));
            return Err(errors);
        }
        match (
            case_number,
            court,
            subject_type,
            name,
            subject_id,
            legal_representative,
            basis_number,
            basis_issuer,
            filed_on,
            obligation,
            performance,
            behaviour,
            lists,
            published_on,
            status,
        ) {
            (
                Some(case_number),
                Some(court),
                Some(subject_type),
                Some(name),
                Some(subject_id),
                Some(legal_representative),
                Some(basis_number),
                Some(basis_issuer),
                Some(filed_on),
                Some(obligation),
                Some(performance),
                Some(behaviour),
                Some(lists),
                Some(published_on),
                Some(status),
            ) => Ok(Notice {
                case_number,
                court,
                subject_type,
                name,
                subject_id,
                legal_representative,
                basis_number,
                basis_issuer,
                filed_on,
                obligation,
                performance,
                behaviour,
                lists,
                published_on,
                status,
            }),
            _ => unreachable!("every column without an error has a value"),
        }
    }
}

/// Masks a person's ID number, which would otherwise reach logs through `{:?}`.
impl fmt::Debug for NoticeRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let organisation =
            SubjectType::parse(&self.subject_type) == Some(SubjectType::Organization);
        let id_number = if organisation {
            self.id_number.clone()
        } else {
            mask_raw(&self.id_number)
        };
        f.debug_struct("NoticeRow")
            .field("case_number", &self.case_number)
            .field("court", &self.court)
            .field("subject_type", &self.subject_type)
            .field("name", &self.name)
            .field("id_number", &id_number)
            .field("legal_representative", &self.legal_representative)
            .field("basis_number", &self.basis_number)
            .field("basis_issuer", &self.basis_issuer)
            .field("filed_on", &self.filed_on)
            .field("obligation", &self.obligation)
            .field("performance", &self.performance)
            .field("behaviour", &self.behaviour)
            .field("lists", &self.lists)
            .field("published_on", &self.published_on)
            .field("status", &self.status)
            .finish()
    }
}

/// Masks unvalidated identifier text like a valid ID number (first 10, `****`, last 4); shorter
/// text is hidden completely.
fn mask_raw(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    if chars.is_empty() {
        String::new()
    } else if chars.len() < 16 {
        "****".to_owned()
    } else {
        let head: String = chars[..10].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    }
}

impl Notice {
    /// The import row this notice came from, in canonical spelling; validating it gives the
    /// notice back.
    pub fn to_row(&self) -> NoticeRow {
        NoticeRow {
            case_number: self.case_number.as_str().to_owned(),
            court: self.court.clone(),
            subject_type: self.subject_type.as_str().to_owned(),
            name: self.name.display().to_owned(),
            id_number: self.subject_id.as_str().to_owned(),
            legal_representative: self.legal_representative.clone().unwrap_or_default(),
            basis_number: self.basis_number.clone(),
            basis_issuer: self.basis_issuer.clone(),
            filed_on: ymd(self.filed_on),
            obligation: self.obligation.clone(),
            performance: self.performance.as_str().to_owned(),
            behaviour: self
                .behaviour
                .map(|b| b.as_str().to_owned())
                .unwrap_or_default(),
            lists: format_lists(&self.lists),
            published_on: ymd(self.published_on),
            status: self.status.as_str().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2024-02-29").unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(
            parse_date(" ２０２４-０２-２９ ").unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        for bad in ["2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31"] {
            let err = parse_date(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidDate);
            assert!(err.zh.contains("不存在"), "{bad}");
        }
        for bad in [
            "2024/01/15",
            "2024-1-15",
            "20240115",
            "15-01-2024",
            "2024-01-15T00:00",
            "２０２４年1月",
        ] {
            let err = parse_date(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidDate);
            assert!(err.zh.contains("YYYY-MM-DD"), "{bad}");
        }
        assert_eq!(
            parse_date("1899-12-31").unwrap_err().code,
            ErrorCode::InvalidDate
        );
        assert_eq!(parse_date("").unwrap_err().code, ErrorCode::MissingField);
    }
}
