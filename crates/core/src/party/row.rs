//! One row of a case import file (`portal-server import cases FILE`, DESIGN §7.8): the columns,
//! the row as text ([`CaseRowInput`]), its validation into a [`CaseRow`] — every bad column
//! reported, in column order — and the way back. One row is one party in one case; the file's
//! splitting (CSV with a header in any order, or JSON lines) is the server's, as for notices.
//! Neither the ID number nor the access code reaches a log through `Debug`.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::access_code::normalize_access_code;
use super::amount::{format_yuan, parse_yuan};
use super::vocabulary::{choice, CaseStatus, PartyRole};
use crate::case_number::PartyCaseNumber;
use crate::error::{ErrorCode, FieldError, Invalid};
use crate::name::PersonName;
use crate::notice::{parse_date, SubjectId, MAX_OBLIGATION, MAX_SHORT_TEXT};
use crate::stage::Stage;

/// The import columns, in file order (DESIGN §7.8).
pub const CASE_COLUMNS: [&str; 11] = [
    "court",
    "case_number",
    "stage",
    "role",
    "name",
    "id_number",
    "obligation",
    "amount",
    "due_on",
    "status",
    "access_code",
];

/// One row of a case import file, as text, before validation. Missing columns deserialise as
/// empty strings; `amount` may be a JSON number in JSON lines.
///
/// `Debug` masks a person's ID number and hides the access code.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseRowInput {
    pub court: String,
    pub case_number: String,
    pub stage: String,
    pub role: String,
    pub name: String,
    pub id_number: String,
    pub obligation: String,
    #[serde(deserialize_with = "super::amount::number_or_text")]
    pub amount: String,
    pub due_on: String,
    pub status: String,
    pub access_code: String,
}

/// A validated case row: one party in one case. Its key is (`court`, `case_number`,
/// `subject_id`): importing the row again updates it.
///
/// `Debug` masks a person's ID number (through [`SubjectId`]'s) and hides the access code.
#[derive(Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub court: String,
    pub case_number: PartyCaseNumber,
    pub stage: Stage,
    pub role: PartyRole,
    pub name: PersonName,
    pub subject_id: SubjectId,
    pub obligation: String,
    /// The amount of the obligation, in fen (1 yuan = 100 fen); above zero.
    pub amount_fen: i64,
    /// The performance deadline.
    pub due_on: NaiveDate,
    pub status: CaseStatus,
    /// Normalised; `None` when the court left it to the portal to make one.
    pub access_code: Option<String>,
}

/// An access code in `Debug`: only whether there is one.
struct AccessCodeShown<'a>(&'a str);

impl fmt::Debug for AccessCodeShown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.trim().is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("\"********\"")
        }
    }
}

fn too_long(max: usize, count: usize) -> Invalid {
    Invalid::new(
        ErrorCode::TooLong,
        format!("此项最多{max}个字，当前为{count}个字"),
        format!("At most {max} characters are allowed; this has {count}"),
    )
}

/// A required text of at most `max` characters, trimmed.
fn text(value: &str, max: usize) -> Result<String, Invalid> {
    let value = value.trim();
    let count = value.chars().count();
    if value.is_empty() {
        Err(Invalid::missing())
    } else if count > max {
        Err(too_long(max, count))
    } else {
        Ok(value.to_owned())
    }
}

impl CaseRowInput {
    /// The import columns, in file order; see [`CASE_COLUMNS`].
    pub const COLUMNS: [&'static str; 11] = CASE_COLUMNS;

    /// The values in [`CASE_COLUMNS`] order, e.g. to write a CSV line.
    pub fn values(&self) -> [&str; 11] {
        [
            &self.court,
            &self.case_number,
            &self.stage,
            &self.role,
            &self.name,
            &self.id_number,
            &self.obligation,
            &self.amount,
            &self.due_on,
            &self.status,
            &self.access_code,
        ]
    }

    /// The value of the named column, e.g. to fill a row from a CSV header in any order; `None`
    /// for an unknown column name.
    pub fn field_mut(&mut self, column: &str) -> Option<&mut String> {
        Some(match column {
            "court" => &mut self.court,
            "case_number" => &mut self.case_number,
            "stage" => &mut self.stage,
            "role" => &mut self.role,
            "name" => &mut self.name,
            "id_number" => &mut self.id_number,
            "obligation" => &mut self.obligation,
            "amount" => &mut self.amount,
            "due_on" => &mut self.due_on,
            "status" => &mut self.status,
            "access_code" => &mut self.access_code,
            _ => return None,
        })
    }

    /// Validates the row, reporting every bad column (each error's `field` is the column name, in
    /// column order), or returns the case row. The case number must have the form of its stage
    /// (see [`PartyCaseNumber::check_stage`]); when the stage itself is bad, only its error is
    /// reported.
    pub fn validate(&self) -> Result<CaseRow, Vec<FieldError>> {
        let mut errors: Vec<FieldError> = Vec::new();
        let mut record = |field: &str, e: Invalid| errors.push(e.at(field));

        let court = text(&self.court, MAX_SHORT_TEXT).map_err(|e| record("court", e));
        let stage = choice(
            &self.stage,
            ("阶段", "stage"),
            Stage::ALL,
            Stage::as_str,
            Stage::label,
        )
        .map_err(|e| record("stage", e));
        let case_number = match &stage {
            Ok(stage) => PartyCaseNumber::parse_for(*stage, &self.case_number),
            Err(()) => PartyCaseNumber::parse(&self.case_number),
        }
        .map_err(|e| record("case_number", e));
        let role = choice(
            &self.role,
            ("当事人角色", "role"),
            PartyRole::ALL,
            PartyRole::as_str,
            PartyRole::label,
        )
        .map_err(|e| record("role", e));
        let name = PersonName::parse(&self.name).map_err(|e| record("name", e));
        let subject_id = SubjectId::parse_any(&self.id_number).map_err(|e| record("id_number", e));
        let obligation =
            text(&self.obligation, MAX_OBLIGATION).map_err(|e| record("obligation", e));
        let amount_fen = parse_yuan(&self.amount).map_err(|e| record("amount", e));
        let due_on = parse_date(&self.due_on).map_err(|e| record("due_on", e));
        let status = choice(
            &self.status,
            ("状态", "status"),
            CaseStatus::ALL,
            CaseStatus::as_str,
            CaseStatus::label,
        )
        .map_err(|e| record("status", e));
        let access_code = if self.access_code.trim().is_empty() {
            Ok(None)
        } else {
            normalize_access_code(&self.access_code)
                .map(Some)
                .map_err(|e| record("access_code", e))
        };

        match (
            court,
            case_number,
            stage,
            role,
            name,
            subject_id,
            obligation,
            amount_fen,
            due_on,
            status,
            access_code,
        ) {
            (
                Ok(court),
                Ok(case_number),
                Ok(stage),
                Ok(role),
                Ok(name),
                Ok(subject_id),
                Ok(obligation),
                Ok(amount_fen),
                Ok(due_on),
                Ok(status),
                Ok(access_code),
            ) => Ok(CaseRow {
                court,
                case_number,
                stage,
                role,
                name,
                subject_id,
                obligation,
                amount_fen,
                due_on,
                status,
                access_code,
            }),
            _ => {
                errors.sort_by_key(|e| CASE_COLUMNS.iter().position(|c| *c == e.field));
                Err(errors)
            }
        }
    }
}

impl fmt::Debug for CaseRowInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id_number = match SubjectId::parse_any(&self.id_number) {
            Ok(id) => id.masked(),
            Err(_) if self.id_number.trim().is_empty() => String::new(),
            // Unreadable text may still be most of an ID number.
            Err(_) => "****".to_owned(),
        };
        f.debug_struct("CaseRowInput")
            .field("court", &self.court)
            .field("case_number", &self.case_number)
            .field("stage", &self.stage)
            .field("role", &self.role)
            .field("name", &self.name)
            .field("id_number", &id_number)
            .field("obligation", &self.obligation)
            .field("amount", &self.amount)
            .field("due_on", &self.due_on)
            .field("status", &self.status)
            .field("access_code", &AccessCodeShown(&self.access_code))
            .finish()
    }
}

impl fmt::Debug for CaseRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let access_code = self.access_code.as_deref().unwrap_or("");
        f.debug_struct("CaseRow")
            .field("court", &self.court)
            .field("case_number", &self.case_number)
            .field("stage", &self.stage)
            .field("role", &self.role)
            .field("name", &self.name)
            .field("subject_id", &self.subject_id)
            .field("obligation", &self.obligation)
            .field("amount_fen", &self.amount_fen)
            .field("due_on", &self.due_on)
            .field("status", &self.status)
            .field("access_code", &AccessCodeShown(access_code))
            .finish()
    }
}

impl CaseRow {
    /// The import row this case row came from, in canonical spelling; validating it gives the
    /// case row back.
    pub fn to_input(&self) -> CaseRowInput {
        CaseRowInput {
            court: self.court.clone(),
            case_number: self.case_number.as_str().to_owned(),
            stage: self.stage.as_str().to_owned(),
            role: self.role.as_str().to_owned(),
            name: self.name.display().to_owned(),
            id_number: self.subject_id.as_str().to_owned(),
            obligation: self.obligation.clone(),
            amount: format_yuan(self.amount_fen),
            due_on: self.due_on.format("%Y-%m-%d").to_string(),
            status: self.status.as_str().to_owned(),
            access_code: self.access_code.clone().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debtor_row() -> CaseRowInput {
        CaseRowInput {
            court: "宁波市象山县人民法院".into(),
            case_number: "(2025)浙0225民初1234号".into(),
            stage: "before_enforcement".into(),
            role: "debtor".into(),
            name: "张三".into(),
            id_number: "440524197302122516".into(),
            obligation: "支付货款人民币120000元及利息".into(),
            amount: "120000.00".into(),
            due_on: "2025-10-15".into(),
            status: "open".into(),
            access_code: "ABCDEFGH2345".into(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
        errors
            .iter()
            .map(|e| (e.field.as_str(), e.code()))
            .collect()
    }

    #[test]
    fn a_valid_row_and_back() {
        let row = debtor_row().validate().unwrap();
        assert_eq!(row.case_number.as_str(), "(2025)浙0225民初1234号");
        assert_eq!(row.stage, Stage::BeforeEnforcement);
        assert_eq!(row.role, PartyRole::Debtor);
        assert_eq!(row.subject_id.masked(), "4405241973****2516");
        assert_eq!(row.amount_fen, 12_000_000);
        assert_eq!(row.due_on, NaiveDate::from_ymd_opt(2025, 10, 15).unwrap());
        assert_eq!(row.status, CaseStatus::Open);
        assert_eq!(row.access_code.as_deref(), Some("ABCDEFGH2345"));
        assert_eq!(row.to_input(), debtor_row());
    }

    #[test]
    fn lenient_spellings_are_canonicalised() {
        let messy = CaseRowInput {
            court: " 宁波市象山县人民法院 ".into(),
            case_number: "（2025）浙0225民初1234号".into(),
            stage: "BEFORE_ENFORCEMENT".into(),
            role: " Debtor".into(),
            id_number: "44052419730212251６".into(),
            amount: "120,000".into(),
            access_code: "abcd-efgh-2345".into(),
            ..debtor_row()
        };
        assert_eq!(messy.validate(), debtor_row().validate());
    }

    #[test]
    fn organisations_and_enforcement_cases() {
        let row = CaseRowInput {
            case_number: "(2024)浙0225执1234号".into(),
            stage: "during_enforcement".into(),
            role: "creditor".into(),
            name: "象山某某水产有限公司".into(),
            id_number: "91350100M000100Y43".into(),
            amount: "0.5".into(),
            status: "performed".into(),
            access_code: "  ".into(),
            ..debtor_row()
        }
        .validate()
        .unwrap();
        assert!(row.case_number.enforcement().is_some());
        assert_eq!(row.subject_id.masked(), "91350100M000100Y43");
        assert_eq!(row.amount_fen, 50);
        assert_eq!(row.access_code, None);
    }

    #[test]
    fn every_error_in_column_order() {
        let errors = CaseRowInput::default().validate().unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                ("court", ErrorCode::MissingField),
                ("case_number", ErrorCode::MissingField),
                ("stage", ErrorCode::MissingField),
                ("role", ErrorCode::MissingField),
                ("name", ErrorCode::MissingField),
                ("id_number", ErrorCode::MissingField),
                ("obligation", ErrorCode::MissingField),
                ("amount", ErrorCode::MissingField),
                ("due_on", ErrorCode::MissingField),
                ("status", ErrorCode::MissingField),
            ]
        );
        assert!(
            errors[2]
                .message(crate::Lang::Zh)
                .contains("before_judgment（判决前）"),
            "{}",
            errors[2].invalid.zh
        );

        let errors = CaseRowInput {
            court: "法".repeat(MAX_SHORT_TEXT + 1),
            stage: "after_enforcement".into(),
            case_number: "(2024)浙0225x1号".into(),
            role: "guarantor".into(),
            name: "张\n三".into(),
            id_number: "440524197302122517".into(),
            obligation: "付".repeat(MAX_OBLIGATION + 1),
            amount: "-5".into(),
            due_on: "2025/10/15".into(),
            status: "pending".into(),
            access_code: "OOOO0000".into(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                ("court", ErrorCode::TooLong),
                ("case_number", ErrorCode::InvalidCaseNumber),
                ("stage", ErrorCode::InvalidValue),
                ("role", ErrorCode::InvalidValue),
                ("name", ErrorCode::InvalidName),
                ("id_number", ErrorCode::InvalidIdNumber),
                ("obligation", ErrorCode::TooLong),
                ("amount", ErrorCode::InvalidValue),
                ("due_on", ErrorCode::InvalidDate),
                ("status", ErrorCode::InvalidValue),
                ("access_code", ErrorCode::InvalidValue),
            ]
        );
        for e in &errors {
            assert!(!e.invalid.zh.is_empty() && !e.invalid.en.is_empty());
        }
    }

    #[test]
    fn the_case_number_must_fit_the_stage() {
        let errors = CaseRowInput {
            case_number: "(2024)浙0225执1234号".into(),
            ..debtor_row()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![("case_number", ErrorCode::InvalidCaseNumber)]
        );
        let errors = CaseRowInput {
            stage: "during_enforcement".into(),
            ..debtor_row()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![("case_number", ErrorCode::InvalidCaseNumber)]
        );
        // A bad stage: the number is checked for its own shape only.
        let errors = CaseRowInput {
            stage: "x".into(),
            ..debtor_row()
        }
        .validate()
        .unwrap_err();
        assert_eq!(fields(&errors), vec![("stage", ErrorCode::InvalidValue)]);
    }

    #[test]
    fn amounts() {
        for (given, fen) in [
            ("1", 100),
            ("0.01", 1),
            ("12500.5", 1_250_050),
            ("1,000,000,000,000", 100_000_000_000_000),
        ] {
            let row = CaseRowInput {
                amount: given.into(),
                ..debtor_row()
            };
            assert_eq!(row.validate().unwrap().amount_fen, fen, "{given}");
        }
        for bad in ["0", "0.00", "1.234", "abc", "1e5", "1,000,000,000,001"] {
            let row = CaseRowInput {
                amount: bad.into(),
                ..debtor_row()
            };
            assert_eq!(
                fields(&row.validate().unwrap_err()),
                vec![("amount", ErrorCode::InvalidValue)],
                "{bad}"
            );
        }
    }

    #[test]
    fn json_lines_take_numbers_and_missing_columns() {
        let row: CaseRowInput = serde_json::from_str(
            r#"{"court":"宁波市象山县人民法院","case_number":"(2025)浙0225民初1234号","stage":"before_enforcement","role":"debtor","name":"张三","id_number":"440524197302122516","obligation":"支付货款人民币120000元及利息","amount":120000,"due_on":"2025-10-15","status":"open"}"#,
        )
        .unwrap();
        assert_eq!(row.amount, "120000");
        assert_eq!(row.access_code, "");
        assert_eq!(row.validate().unwrap().amount_fen, 12_000_000);
        let row: CaseRowInput = serde_json::from_str(r#"{"amount":120000.5}"#).unwrap();
        assert_eq!(row.amount, "120000.5");
    }

    #[test]
    fn columns_and_cells() {
        let mut row = CaseRowInput::default();
        for (column, value) in CASE_COLUMNS.iter().zip(debtor_row().values()) {
            *row.field_mut(column).unwrap() = value.to_owned();
        }
        assert_eq!(row, debtor_row());
        assert!(row.field_mut("subject_type").is_none());
        assert_eq!(CaseRowInput::COLUMNS, CASE_COLUMNS);
    }

    #[test]
    fn debug_hides_the_id_and_the_code() {
        let shown = format!("{:?}", debtor_row());
        assert!(shown.contains("4405241973****2516"), "{shown}");
        assert!(!shown.contains("440524197302122516"), "{shown}");
        assert!(!shown.contains("ABCDEFGH2345"), "{shown}");
        let shown = format!(
            "{:?}",
            CaseRowInput {
                id_number: "44052419730212251".into(),
                ..debtor_row()
            }
        );
        assert!(!shown.contains("44052419730212251"), "{shown}");
        let shown = format!("{:?}", debtor_row().validate().unwrap());
        assert!(!shown.contains("440524197302122516"), "{shown}");
        assert!(!shown.contains("ABCDEFGH2345"), "{shown}");
        assert!(shown.contains("********"), "{shown}");
    }
}
